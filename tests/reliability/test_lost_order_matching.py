"""Finding an order whose creation answer was lost must never pick another sale's order.

Counter B's "Pay" is queued at VdM with no answer and is applied only after B's read-back (the
venue's order list shows nothing yet), so B's journal holds the sale as needs-attention without an
order key. Both ways a server may leave a cart after its order (emptied, or keeping its lines). B's customer walks away; B's
order expires. Counter A then sells the same (general-admission count / same seats) and is paid.
At B's next start, recovery looks the lost order up in the order export by the cart's seats.
It must end B's sale with B's own order (expired), or leave it for attention; it must never record
A's paid order as B's (that counts A's money twice in B's shift and loses B's real order).

Found by benchmarks/soak.py (1,000 sales, 2 counters): ``order ... recorded by 2 journal sales``.
"""
from __future__ import annotations

import asyncio

import httpx
import pytest

from boxoffice.demo import SimulatorServer
from boxoffice.services.recovery import Recovery
from boxoffice.services.sale import PerformanceInfo, Phase, SaleService, SeatRequest
from boxoffice.store.journal import SaleJournal, SaleState, journal_path
from tests.support.relkit import OrderLedger, fast_poller, make_client


async def _sale(sim, journal, perf, kind, seats, *, lose_answer):
    client = make_client(sim, timeout=1.0)
    sale = SaleService(client, journal, demo=True, poller_factory=fast_poller())
    try:
        sale.remember_performance(PerformanceInfo(perf.event_id, "Show"))
        cart_id = await sale.prepare()
        if kind == "ga":
            tt = sim.catalog.production_of(perf).ticket_types[0]
            assert (await sale.add_general_admission(perf.event_id, 2, tt.price_id)).ok
        else:
            await sale.load_seat_plan(perf.event_id)
            assert (await sale.add_seats(perf.event_id, [SeatRequest(s) for s in seats])).ok
        await sale.payment_methods()
        sale.select_payment_method(31)
        if lose_answer:
            sim.faults.set(late_apply_seconds=60)
            sim.faults.inject("late_apply", method="POST", path="/order/create")
        snap = await sale.pay()
        if lose_answer:
            assert snap.phase == Phase.ATTENTION and snap.order is None
            # the queued request lands now (VdM takes it just before its next order request)
            async with httpx.AsyncClient() as raw:
                await raw.post(f"{sim.client_url}/order/create",
                               json={"cart_id": "x" * 32, "payment_id": 31})
            sim.faults.clear()
            return cart_id, None
        sim.faults.clear()
        assert snap.phase == Phase.WAITING
        sim.settle(snap.order.order_key, "paid")
        snap = await asyncio.wait_for(sale.wait_for_payment(), 10)
        assert snap.phase == Phase.PAID
        return cart_id, snap.order.order_key
    finally:
        await sale.aclose()
        await client.aclose()


@pytest.mark.parametrize("cart_after_order", ["emptied", "kept"])
@pytest.mark.parametrize("kind", ["ga", "seated"])
def test_recovery_never_claims_another_counters_order(tmp_path, kind, cart_after_order):
    with SimulatorServer(seed=1, cart_after_order=cart_after_order) as sim:
        ledger = OrderLedger(sim)
        perf = sim.catalog.find("ga" if kind == "ga" else "empty")
        seats = []
        if kind == "seated":
            seats = [sid for sid in (sim.state.seat_id(perf.event_id, i) for i in range(10))
                     if sim.state.seat_status(perf.event_id, sid) == "free"][:2]
        journal_b = SaleJournal.open(journal_path(tmp_path / "b"))
        journal_a = SaleJournal.open(journal_path(tmp_path / "a"))
        try:
            cart_b, _ = asyncio.run(_sale(sim, journal_b, perf, kind, seats, lose_answer=True))
            (order_b,) = ledger.by_cart[cart_b]          # B's order exists at VdM ...
            (lost,) = journal_b.unfinished()             # ... but B's journal has no key
            assert lost.order_key is None
            sim.advance_clock(901)                        # B's customer walked away: expired
            assert sim.state.order_snapshot(order_b)["payment_status"] == "expired"
            _, order_a = asyncio.run(_sale(sim, journal_a, perf, kind, seats, lose_answer=False))

            async def recover():
                client = make_client(sim)
                try:
                    rec = Recovery(client, journal_b, demo=True, poller_factory=fast_poller())
                    return await asyncio.wait_for(rec.resume_all(wait=True), 20)
                finally:
                    await client.aclose()

            asyncio.run(recover())
            after = journal_b.get(lost.sale_id)
        finally:
            journal_a.close()
            journal_b.close()
    assert after.order_key != order_a, "B's journal recorded counter A's order as its own"
    assert after.state != SaleState.PAID
    assert after.order_key in (None, order_b)
