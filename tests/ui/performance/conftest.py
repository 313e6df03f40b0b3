"""Fixtures for the performance page: open a performance the way a cashier does (select it in the
browser, press Enter) on the real app controller over the real simulator and client.

Composes with tests/ui/conftest.py (offscreen Qt, qasync loop, memory keychain, private home,
``app_factory``, ``simulator``, ``live_profile``, ``wait``)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import pytest


async def open_from_browser(controller, event_id: int, wait) -> object:
    """Select *event_id* in the list, press Enter, wait until its page has loaded."""
    from boxoffice.ui.events.filter import DateFilter

    window = controller.window
    await wait(lambda: window.browser.model.performance_count() > 0)
    window.browser.set_filter(DateFilter.ALL)
    window.browser.flush()
    assert window.browser.select_performance(event_id), event_id
    QTest.keyClick(window.browser.tree, Qt.Key.Key_Return)
    panel = window.performance_panel
    assert window.stack.currentWidget() is panel
    assert panel.event_id == event_id
    await wait(lambda: panel.mode in ("seated", "quantity", "message"))
    return panel


@pytest.fixture
def open_performance():
    return open_from_browser


@pytest.fixture
def keyless_profile(home):
    """A live venue profile pointing at a simulator, with no API key saved (public-only)."""
    from boxoffice.config import Profile, SettingsStore

    def make(sim):
        store = SettingsStore.for_paths(home)
        settings = store.load()
        profile = Profile.new("Zonder sleutel", sim.client_name, sim.base_url)
        settings.upsert_profile(profile)
        settings.active_profile_id = profile.id
        store.save(settings)
        return profile

    return make
