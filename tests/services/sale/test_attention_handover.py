"""A sale being checked (its order's outcome unknown) while the cashier moves on to the next
customer (found in review):

* a re-check that was waiting when "New sale" replaced the sale never writes the old order, its
  payment link or its polling into the next customer's sale;
* "cancel" that waited behind a payment which ended unconfirmed never drops the sale (it would
  be looked at again only at the next start): it is kept, and New sale hands it over.
"""
from __future__ import annotations

import asyncio

import pytest

from boxoffice.services.recovery import Recovery
from boxoffice.services.sale import Phase, SaleError, SaleService
from boxoffice.store.journal import SaleJournal, SaleState, journal_path
from tests.support.salekit import api_requests, free_seats, make_client, method_id, perf_info


async def _unconfirmed_sale(sim, tmp_path):
    """A seated sale whose order is made at VoordeMensen while its answer and every read-back
    are lost: the sale is being checked (ATTENTION)."""
    client = make_client(sim, timeout=2.0)
    journal = SaleJournal.open(journal_path(tmp_path / "p"))
    sale = SaleService(client, journal, demo=True)
    perf = sim.catalog.find("seated")
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id)
    assert (await sale.add_seats(perf.event_id, free_seats(plan, 2))).ok
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "Credit card"))
    before = set(sim.state.order_keys())
    sim.faults.inject("drop_after", method="POST", path="/order/create")
    for method, path in (("GET", "*/cart/*"), ("GET", "*/order*"), ("POST", "*/export/*")):
        sim.faults.inject("drop_before", method=method, path=path, count=100_000)
    snap = await sale.pay()
    assert snap.phase == Phase.ATTENTION
    sim.faults.clear()
    [key] = set(sim.state.order_keys()) - before
    return client, journal, sale, snap.sale_id, key


async def _close(client, journal, sale):
    await sale.aclose()
    await client.aclose()
    journal.close()


@pytest.mark.asyncio
async def test_a_recheck_waiting_when_new_sale_starts_never_writes_into_the_next_sale(
        sim, tmp_path):
    client, journal, sale, sale_id, key = await _unconfirmed_sale(sim, tmp_path)
    try:
        gate, reading = asyncio.Event(), asyncio.Event()
        real_export = client.peppered.export_orders

        async def slow_export(*args, **kwargs):
            reading.set()
            await gate.wait()           # the export answers only after "New sale"
            return await real_export(*args, **kwargs)

        client.peppered.export_orders = slow_export
        check = asyncio.ensure_future(sale.recheck())
        await asyncio.wait_for(reading.wait(), 10)
        sale.new_sale()                 # the next customer, while the check waits
        gate.set()
        await asyncio.wait_for(check, 10)
        snap = sale.snapshot()
        assert snap.phase == Phase.IDLE and snap.order is None and snap.sale_id != sale_id
        assert sale._watch.poll_task is None          # no polling of the old order
        # the old sale stays unfinished in the journal, for the hand-over's (or the next
        # start's) check, which finds its order: nothing lost, nothing made twice
        assert sale_id in {s.sale_id for s in journal.unfinished()}
        recovery = Recovery(client, journal, demo=True)
        try:
            outcomes = await recovery.resume_all(wait=False, exclude={sale.snapshot().sale_id})
        finally:
            await recovery.aclose()
        assert [(o.sale_id, o.order_key) for o in outcomes] == [(sale_id, key)]
        assert journal.get(sale_id).order_key == key
        assert len(api_requests(sim, "POST", "/order/create")) == 1
    finally:
        await _close(client, journal, sale)


@pytest.mark.asyncio
async def test_cancel_never_drops_a_sale_being_checked(sim, tmp_path):
    client, journal, sale, sale_id, key = await _unconfirmed_sale(sim, tmp_path)
    try:
        with pytest.raises(SaleError) as refused:
            await sale.cancel_sale()
        assert "New sale" in refused.value.message.text
        snap = sale.snapshot()
        assert snap.phase == Phase.ATTENTION and snap.sale_id == sale_id
        assert journal.get(sale_id).state in (SaleState.ORDER_REQUESTED, SaleState.NEEDS_ATTENTION)
        assert sim.state.order_snapshot(key) is not None
    finally:
        await _close(client, journal, sale)


@pytest.mark.asyncio
async def test_a_sale_being_checked_ends_by_itself_once_whatever_it_made_ended_unpaid(
        sim, tmp_path):
    """An anonymous general-admission sale whose order answer was lost is being checked (its
    counts could match another sale's order). The customer walks away; the order expires and the
    hold lapses: the re-check ends the sale (nothing was paid, nothing can be), never recording
    that order as this sale's."""
    client = make_client(sim, timeout=2.0)
    journal = SaleJournal.open(journal_path(tmp_path / "p"))
    sale = SaleService(client, journal, demo=True)
    try:
        perf = sim.catalog.find("ga")
        tt = sim.catalog.production_of(perf).ticket_types[0]
        await sale.prepare()
        assert (await sale.add_general_admission(perf.event_id, 2, tt.price_id)).ok
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "Credit card"))
        before = set(sim.state.order_keys())
        sim.faults.inject("drop_after", method="POST", path="/order/create")
        snap = await sale.pay()
        assert snap.phase == Phase.ATTENTION
        sale_id = snap.sale_id
        [key] = set(sim.state.order_keys()) - before
        assert key in snap.message.text                 # named for the cashier to check
        snap = await sale.recheck()                      # still undecided: counts only
        assert snap.phase == Phase.ATTENTION
        sim.settle(key, "expired")
        sim.advance_clock(901)                           # past the hold
        snap = await sale.recheck()
        assert snap.phase == Phase.OPEN and snap.order is None
        assert "nothing was paid" in snap.message.text
        record = journal.get(sale_id)
        assert record.state == SaleState.RELEASED and record.order_key is None
        assert len(api_requests(sim, "POST", "/order/create")) == 1
    finally:
        await _close(client, journal, sale)
