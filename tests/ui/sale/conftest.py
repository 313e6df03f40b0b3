"""Fixtures for the sale UI: the real app controller with its embedded (or an external)
simulator, real client and real SQLite journal; only the system browser is replaced.

Composes with tests/ui/conftest.py (offscreen Qt, qasync loop, memory keychain, private
BOXOFFICE_HOME, ``app_factory``, ``simulator``, ``live_profile``, ``wait``)."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest

import pytest


@dataclass
class Browser:
    """Stands in for the system browser / PDF viewer: records what it was asked to open."""

    opened: list[str] = field(default_factory=list)

    def __call__(self, url: QUrl) -> bool:
        self.opened.append(url.toString())
        return True


@pytest.fixture
def browser(monkeypatch) -> Browser:
    fake = Browser()
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake))
    return fake


@pytest.fixture
def demo_app(app_factory):
    """``make(**simulator_kwargs)`` → an AppController on the demo profile whose embedded
    simulator takes these settings (auto_pay_after, hold_seconds, ...)."""
    from boxoffice.demo import SimulatorServer

    def make(**sim_kwargs):
        sim_kwargs.setdefault("auto_pay_after", None)
        return app_factory(demo_server_factory=lambda: SimulatorServer(
            seed=1, client_name="demo", **sim_kwargs))

    return make


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

