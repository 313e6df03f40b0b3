"""Fixtures for the customer display: the real app controller with its embedded simulator (no
automatic payment: a test settles the order), the system browser replaced, and a recorder of
what the display showed.

Composes with tests/ui/conftest.py (offscreen Qt, qasync loop, memory keychain, private
BOXOFFICE_HOME, ``app_factory``, ``wait``)."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import pytest


async def open_from_browser(controller, event_id, wait):
    """Select *event_id* in the list, press Enter, wait until its page has loaded."""
    from boxoffice.ui.events.filter import DateFilter

    window = controller.window
    await wait(lambda: window.browser.model.performance_count() > 0)
    window.browser.set_filter(DateFilter.ALL)
    window.browser.flush()
    assert window.browser.select_performance(event_id), event_id
    QTest.keyClick(window.browser.tree, Qt.Key.Key_Return)
    panel = window.performance_panel
    await wait(lambda: panel.mode in ("seated", "quantity", "message"))
    return panel


@pytest.fixture
def open_performance():
    return open_from_browser


@dataclass
class Shown:
    stage: object
    texts: list[str]


class DisplayRecorder:
    """Every view the display was given, with the texts it then showed."""

    def __init__(self, display) -> None:
        self.display = display
        self.shown: list[Shown] = []
        original = display.show_view

        def spy(view) -> None:
            original(view)
            self.shown.append(Shown(view.stage, display.shown_texts()))

        display.show_view = spy

    def stages(self) -> list:
        out: list = []
        for s in self.shown:
            if not out or out[-1] != s.stage:
                out.append(s.stage)
        return out

    def texts(self) -> list[str]:
        return [t for s in self.shown for t in s.texts]

    def last(self, stage) -> Shown:
        return [s for s in self.shown if s.stage == stage][-1]
