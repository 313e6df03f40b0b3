"""A cart line's ticket type, changed in the cart panel: the combo offers only the types of that
seat's rank, and choosing another one re-prices the line and the total to the exact cent, at
the server too, without a second line for the seat."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import pytest

from boxoffice.i18n import format_money
from boxoffice.services.sale import Phase
from boxoffice.ui.cart.panel import COL_PRICE
from tests.support.salehelpers import api_posts, choose_seats, free_seats, running


def _rank_of(plan, seat_id: str) -> int:
    return next(seat.rank_id for _s, _r, seat in plan.seats() if seat.seat_id == seat_id)


@pytest.mark.asyncio
async def test_changing_a_lines_ticket_type_reprices_it_here_and_at_the_server(
        demo_app, wait, browser, open_performance):
    async with running(demo_app()) as (controller, sale, area, sim):
        client = controller.session.client
        perf = sim.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        await wait(lambda: sale.snapshot.phase == Phase.OPEN)
        plan = await client.peppered.seating(perf.event_id)
        seats = free_seats(plan, 2)
        await choose_seats(panel, seats)
        await wait(lambda: len(sale.snapshot.held_lines) == 2)
        changed, other = seats
        rank = _rank_of(plan, changed)
        levels = {pl.price_id: pl.amount for pl in plan.price_levels if pl.rank_id == rank}
        # the ticket types are known once their names arrive: one entry per type of this rank
        # (the plan lists every type once per rank; the other ranks' entries are not offered)
        assert len(plan.price_levels) > len(levels) > 1
        await wait(lambda: changed in area.cart.type_combos
                   and area.cart.type_combos[changed].count() == len(levels))
        combo = area.cart.type_combos[changed]
        assert [combo.itemData(i) for i in range(combo.count())] == list(levels)
        line = next(ln for ln in sale.snapshot.lines if ln.line_id == changed)
        assert combo.currentData() == line.price_id
        before_other = next(ln for ln in sale.snapshot.lines if ln.line_id == other)

        # the cashier moves to the next type with the keyboard (what activates a combo entry)
        start = combo.currentIndex()
        step = Qt.Key.Key_Down if start + 1 < combo.count() else Qt.Key.Key_Up
        target = start + 1 if step == Qt.Key.Key_Down else start - 1
        new_price_id = combo.itemData(target)
        expected = levels[new_price_id]
        assert expected != levels[line.price_id]   # a change the total must show
        sim.clear_requests()
        combo.setFocus()
        QTest.keyClick(combo, step)
        await wait(lambda: any(ln.line_id == changed and ln.price_id == new_price_id
                               for ln in sale.snapshot.held_lines))
        await wait(lambda: not sale.snapshot.busy and not area.busy_text.text())
        writes = [(r.method, r.path) for r in sim.requests() if r.method != "GET"]

        # the server's cart: still one line per seat, the changed one at the new type and price
        cart_id = sale.snapshot.cart_id
        pcart = await client.peppered.cart(cart_id)
        tickets = [i for i in pcart.cart_items if i.item_type == "ticket"]
        assert Counter(i.item_id for i in tickets) == Counter({changed: 1, other: 1})
        item = next(i for i in tickets if i.item_id == changed)
        assert item.price_id == new_price_id and item.amount == expected
        kept = next(i for i in tickets if i.item_id == other)
        assert kept.price_id == before_other.price_id and kept.amount == before_other.price
        public = await client.public.cart(cart_id)
        pline = next(ln for ln in public.lines if ln.seat_id == changed)
        assert pline.discount_id == new_price_id and pline.seat_price == expected
        assert sorted(sim.state.cart_seat_ids(cart_id)) == sorted(seats)
        assert sim.state.holds(perf.event_id)[changed] == cart_id
        # the change was: release that seat, add it back with the new type (no new cart, no
        # order, the other line untouched)
        base = f"/v1/{sim.client_name}/peppered/cart/{cart_id}"
        assert writes == [("DELETE", f"{base}/{changed}"), ("POST", base)]
        assert api_posts(sim, "/order") == []

        # the panel: the line's price, the combo and the exact total
        total = expected + before_other.price
        assert pcart.amount == total
        await wait(lambda: area.cart.line_item(changed) is not None
                   and area.cart.line_item(changed).text(COL_PRICE) == format_money(expected))
        assert area.cart.line_item(other).text(COL_PRICE) == format_money(before_other.price)
        assert area.cart.total_label.text() == f"Total {format_money(total)}"
        assert sale.snapshot.total == total and isinstance(sale.snapshot.total, Decimal)
        assert area.cart.count_label.text() == "2 tickets"
        assert area.cart.line_ids().count(changed) == 1 and len(area.cart.line_ids()) == 2
        assert area.cart.type_combos[changed].currentData() == new_price_id
        head = area.cart.tree.topLevelItem(0)
        assert head.text(0).endswith(format_money(total))
        assert not area.message.isVisible()
