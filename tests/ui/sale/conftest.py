"""Fixtures for the sale UI: the real app controller with its embedded (or an external)
simulator, real client and real SQLite journal; only the system browser is replaced.

Composes with tests/ui/conftest.py (offscreen Qt, qasync loop, memory keychain, private
BOXOFFICE_HOME, ``app_factory``, ``simulator``, ``live_profile``, ``wait``)."""
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
    assert panel.event_id == event_id
    await wait(lambda: panel.mode in ("seated", "quantity", "message"))
    return panel


@pytest.fixture
def open_performance():
    return open_from_browser

