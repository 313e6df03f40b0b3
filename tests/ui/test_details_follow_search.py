"""The details pane never shows a performance the list no longer shows (issue 16, item 18): a
search that hides the selected performance clears the pane, so "Sell tickets…" cannot open a
performance that does not match what the cashier typed."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import pytest

from boxoffice.ui.events.filter import DateFilter


@pytest.mark.asyncio
async def test_a_search_that_hides_the_selected_performance_clears_the_details(app_factory, wait):
    controller = app_factory(force_demo=True)
    try:
        assert await controller.start()
        window = controller.window
        browser, details = window.browser, window.details
        await wait(lambda: browser.model.performance_count() > 0)
        browser.set_filter(DateFilter.ALL)
        shown = browser.visible_performances()
        first = shown[0]
        other = next(p for p in shown if p.name != first.name)
        assert browser.select_performance(first.event_id)
        await wait(lambda: details.performance is first)
        assert details.open_button.isVisibleTo(details) and details.open_button.isEnabled()

        browser.search.setText(other.name)          # the selected one no longer matches
        browser.flush()
        assert first.event_id not in [p.event_id for p in browser.visible_performances()]
        assert details.performance is None
        assert not details.open_button.isVisibleTo(details) or not details.open_button.isEnabled()
        assert browser.selected_performance() is None
        # Enter in the list opens nothing that is hidden
        browser.tree.setFocus()
        QTest.keyClick(browser.tree, Qt.Key.Key_Return)
        assert not window.showing_performance or window.performance_panel.event_id != first.event_id

        # a search that still matches keeps the pane
        browser.search.setText("")
        browser.flush()
        assert browser.select_performance(other.event_id)
        await wait(lambda: details.performance is other)
        browser.search.setText(other.name[:3])
        browser.flush()
        assert details.performance is other
    finally:
        await controller.shutdown()
