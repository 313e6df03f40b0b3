"""The panel over the real simulator and the real client (loopback): a seat sold at another counter
leaves the cashier's selection on the next refresh; a failed refresh keeps the last plan calmly;
the periodic refresh runs only while the panel is visible."""
from __future__ import annotations

import asyncio

import pytest

from boxoffice.api import ApiKey, VdmClient, models
from boxoffice.api.retry import RetryPolicy


@pytest.mark.asyncio
async def test_refresh_over_loopback_drops_a_seat_sold_elsewhere(qtbot, simulator, wait):
    from boxoffice.ui.seating import SeatingPanel

    sim = simulator()
    perf = sim.catalog.find("theatre")
    async with VdmClient(sim.base_url, sim.client_name, api_key=ApiKey(sim.api_key), timeout=5.0,
                         retry=RetryPolicy.never()) as client:
        calls = []

        async def fetch():
            calls.append(1)
            return await client.peppered.seating(perf.event_id)

        panel = SeatingPanel(fetch_plan=fetch, refresh_interval_ms=60_000)
        qtbot.addWidget(panel)
        panel.resize(1200, 800)
        plan = await client.peppered.seating(perf.event_id)
        panel.set_plan(plan)
        assert panel.view.layout_.seat_count == len(plan.seats()) > 800
        panel.show()
        assert panel.refreshing                       # timer runs while visible
        view = panel.view
        lay = view.layout_
        free = [i for i in range(lay.seat_count) if lay.available[i]]
        mine, other = free[0], free[1]
        view.select_seats([lay.seat_ids[mine], lay.seat_ids[other]])
        await wait(lambda: panel.view.viewport().width() > 1000)   # laid out
        await asyncio.sleep(0.05)  # let the qasync loop process Qt events (never re-enter it)
        view.zoom_by(3)
        await asyncio.sleep(0.05)  # let the qasync loop process Qt events (never re-enter it)
        before = (view.transform(), view.horizontalScrollBar().value(), view.verticalScrollBar().value())

        # another counter sells `other` (a peppered cart over the real API)
        cart_id = await client.public.create_cart()
        level = next(pl for pl in plan.price_levels if pl.rank_id == lay.rank_ids[other])
        await client.peppered.add_items(cart_id, [models.CartItemRequest(
            price_id=level.price_id, rank_id=level.rank_id, event_id=perf.event_id,
            seat_id=lay.seat_ids[other])])

        taken = []
        panel.seatsTaken.connect(lambda ids, text: taken.append((ids, text)))
        task = panel.refresh()
        assert task is not None and panel.refresh() is task     # one fetch at a time
        await task
        row = lay.rows[lay.row_of[other]].row_nr
        expected = f"{lay.section_name(other)} row {row} seat {lay.seat_nrs[other]} was just taken at another counter."
        assert taken == [([lay.seat_ids[other]], expected)]
        assert panel.message_text == expected
        assert panel.selected_seat_ids() == [lay.seat_ids[mine]]
        assert (view.transform(), view.horizontalScrollBar().value(), view.verticalScrollBar().value()) == before

        # a failing refresh keeps the last plan and says so in one line
        sim.faults.inject("5xx", path=f"/seating/{perf.event_id}", count=5)
        await panel.refresh()
        assert panel.message_text.startswith("Could not refresh seat availability; showing the state of ")
        assert view.layout_ is lay and panel.selected_seat_ids() == [lay.seat_ids[mine]]
        sim.faults.clear()

        panel.hide()
        assert not panel.refreshing
        assert len(calls) == 2
