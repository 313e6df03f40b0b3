"""The order desk on a small counter screen (issue 12): at 1280x720, in English and Dutch, with
the app's own font and style sheet, the chosen order's seats are on screen at once (at least two
rows of its seats table, inside the detail pane's visible part and the window), without
scrolling. Real app controller, real simulator, real OrderDesk; only the system browser is
replaced."""
from __future__ import annotations

import asyncio

from PySide6.QtCore import QRect

import pytest

from boxoffice import i18n
from tests.support.deskkit import running_desk, sim_order, type_search


def _on_window(widget, window) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_the_chosen_orders_seats_are_visible_at_1280x720(desk_app, wait, browser, app_look,
                                                               lang):
    i18n.set_language(lang)
    async with running_desk(desk_app(), wait) as (controller, orders, panel, sim):
        window = controller.window
        window.showNormal()
        window.resize(1280, 720)
        await wait(lambda: window.width() == 1280 and window.height() == 720)
        order = sim_order(sim, min_seats=2)
        type_search(panel, order["orderKey"], enter=True)
        await wait(lambda: panel.detail.order is not None
                   and panel.detail.order.order_key == order["orderKey"])
        for _ in range(10):   # the layouts settle
            await asyncio.sleep(0.02)
        detail = panel.detail
        assert detail.verticalScrollBar().value() == 0   # as the cashier first sees it
        table = next(iter(detail.seat_tables.values()))
        assert table.rowCount() >= 2
        seen = (_on_window(table.viewport(), window)
                .intersected(_on_window(detail.viewport(), window))
                .intersected(window.rect()))
        two_rows = table.rowHeight(0) + table.rowHeight(1)
        assert seen.height() >= two_rows, (seen, two_rows, panel.splitter.sizes())
        # the seats table is not cut at the side either: every column ends inside the pane
        assert seen.width() == table.viewport().width(), (seen, table.viewport().width())
        # the order's name and its print button stay in view above
        for widget in (detail.title, detail.print_button):
            assert _on_window(detail.viewport(), window).contains(_on_window(widget, window)), \
                widget.objectName()
