"""Issue 15: a venue whose API does not offer the box-office (peppered) cart route (a 404 on the
route while the cart itself exists). The cashier is told so in plain words, and the session goes
on selling by number: the next performance opens as the quantity sale (public cart), with its own
note, and tickets reach the cart."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import pytest

from tests.ui.test_drift_ui import drifting_server, open_performance


def _without_peppered_cart_add(sim) -> None:
    """The running simulator becomes a venue whose API has no POST /peppered/cart/{id}."""
    app = sim._app
    cart_route = next(r[1].pattern for r in app._peppered
                      if r[0] == "POST" and r[1].pattern.startswith("/cart/")
                      and "checkout" not in r[1].pattern)
    app._peppered = [r for r in app._peppered if r[1].pattern != cart_route]


@pytest.mark.asyncio
async def test_a_missing_box_office_cart_route_turns_the_session_to_selling_by_number(
        app_factory, wait):
    controller = app_factory(demo_server_factory=drifting_server([]))
    try:
        assert await controller.start()
        window = controller.window
        session = controller.session
        sim = session.simulator
        await wait(lambda: window.browser.model.performance_count() > 0)
        on_sale = [p for p in sorted(sim.catalog.performances.values(), key=lambda p: p.start)
                   if p.status == "pub" and (p.view_end or p.end) > sim.now()]
        seated = [p for p in on_sale if not sim.catalog.hall_of(p).is_ga]
        panel = await open_performance(controller, seated[0].event_id, wait)
        assert panel.mode == "seated" and session.has_seat_maps
        _without_peppered_cart_add(sim)
        lay = panel.seating.view.layout_
        pick = [lay.seat_ids[next(i for i in range(lay.seat_count) if lay.available[i])]]
        assert panel.seating.view.select_seats(pick) == pick
        QTest.keyClick(panel.seating.view, Qt.Key.Key_Return)
        sale = controller.sale
        await wait(lambda: "does not offer choosing seats" in sale.area.message.text)
        assert "404" not in sale.area.message.text
        assert not sale.snapshot.held_lines
        # the session sells by number from now on, and says why (its own note, not a refused key)
        assert not session.has_seat_maps
        assert "does not offer choosing seats" in session.public_only_reason
        assert "refused" not in session.public_only_reason
        assert session.client.has_api_key          # the key's reads still work (order export)
        panel = await open_performance(controller, seated[1].event_id, wait)
        assert panel.mode == "quantity", panel.message_text
        assert panel.note_text == session.public_only_reason
        await wait(lambda: panel.picker.spins() and not panel.picker.read_only)
        panel.picker.spins()[0].setValue(2)
        panel.picker.request_add()
        await wait(lambda: len(sale.snapshot.held_lines) == 2)
    finally:
        await controller.shutdown()
