"""Escape on the seat map never loses a selection by accident (issue 16, item 13): the first Esc
drops a best-seats suggestion, the next one clears the selection, only then does Esc go back to
the list; leaving the page (Back, Alt+Left) with seats selected asks first."""
from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

import pytest


def _free(view, n):
    lay = view.layout_
    return [lay.seat_ids[i] for i in range(lay.seat_count) if view.state.selectable(i)][:n]


async def _question(panel, wait) -> QMessageBox:
    await wait(lambda: any(b.isVisible() for b in panel.findChildren(QMessageBox)))
    return next(b for b in panel.findChildren(QMessageBox) if b.isVisible())


@pytest.mark.asyncio
async def test_escape_drops_the_suggestion_then_the_selection_then_goes_back(
        app_factory, simulator, live_profile, wait, open_performance):
    sim = simulator()
    live_profile(sim)
    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        perf = sim.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "seated"
        view = panel.seating.view
        chosen = _free(view, 22)
        assert view.select_seats(chosen) == chosen
        panel.seating.best_count.setValue(2)
        panel.seating.best_button.click()
        assert view.state.suggestion is not None
        view.setFocus()
        QTest.keyClick(view, Qt.Key.Key_Escape)          # 1: the suggestion goes
        assert view.state.suggestion is None
        assert sorted(view.selected_seat_ids()) == sorted(chosen) and window.showing_performance
        QTest.keyClick(view, Qt.Key.Key_Escape)          # 2: the selection goes
        assert view.selected_seat_ids() == [] and window.showing_performance
        QTest.keyClick(view, Qt.Key.Key_Escape)          # 3: back to the list
        assert not window.showing_performance
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_leaving_with_seats_selected_asks_first(app_factory, simulator, live_profile, wait,
                                                      open_performance):
    sim = simulator()
    live_profile(sim)
    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        perf = sim.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        view = panel.seating.view
        chosen = _free(view, 3)
        view.select_seats(chosen)
        panel.header.back_button.click()
        box = await _question(panel, wait)
        assert "3" in box.text()
        assert window.showing_performance                # nothing happens before the answer
        box.button(QMessageBox.StandardButton.Cancel).click()
        await asyncio.sleep(0.05)
        assert window.showing_performance and sorted(view.selected_seat_ids()) == sorted(chosen)
        # Alt+Left asks as well; "Leave" goes back
        window.activateWindow()              # the question was the active window
        await asyncio.sleep(0.05)
        view.setFocus()
        QTest.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
        box = await _question(panel, wait)
        box.button(QMessageBox.StandardButton.Discard).click()
        await wait(lambda: not window.showing_performance)
        # nothing selected: Back goes at once
        assert window.browser.select_performance(perf.event_id)
        QTest.keyClick(window.browser.tree, Qt.Key.Key_Return)
        await wait(lambda: panel.mode == "seated" and window.showing_performance)
        panel.header.back_button.click()
        assert not window.showing_performance
    finally:
        await controller.shutdown()
