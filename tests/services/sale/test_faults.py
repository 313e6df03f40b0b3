"""Lost answers, 5xx after the write and timeouts: reconciled by reading back, never doubled."""
from __future__ import annotations

import asyncio

import pytest

from boxoffice.services.sale import CustomerInfo, Phase, SaleService
from boxoffice.store.journal import SaleJournal, SaleState, journal_path
from tests.support.salekit import api_requests, free_seats, make_client, method_id, perf_info

KINDS = ["drop_after", "5xx_after", "timeout"]


async def _service(sim, tmp_path, *, key=True, timeout=3.0):
    client = make_client(sim, key=key, timeout=timeout)
    journal = SaleJournal.open(journal_path(tmp_path / "p"))
    return client, journal, SaleService(client, journal, demo=True)


async def _close(client, journal, sale):
    await sale.aclose()
    await client.aclose()
    journal.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", KINDS)
async def test_fault_after_a_seat_add_gives_no_duplicate(sim, tmp_path, kind):
    sim.faults.set(timeout_seconds=1.2)
    client, journal, sale = await _service(sim, tmp_path, timeout=0.6)
    try:
        perf = sim.catalog.find("seated")
        sale.remember_performance(perf_info(sim, perf))
        await sale.prepare()
        plan = await sale.load_seat_plan(perf.event_id)
        seats = free_seats(plan, 2)
        sim.faults.inject(kind, method="POST", path="*/peppered/cart/*")
        result = await sale.add_seats(perf.event_id, seats)
        assert result.ok, result.message
        cart_id = sale.snapshot().cart_id
        assert sorted(sim.state.cart_seat_ids(cart_id)) == sorted(seats)
        assert sorted(ln.line_id for ln in sale.snapshot().lines) == sorted(seats)
        if kind == "timeout":
            await asyncio.sleep(1.0)  # the delayed answer is logged when it is finally written
        adds = api_requests(sim, "POST", f"/peppered/cart/{cart_id}")
        assert len(adds) == 1  # applied the first time: read back, never sent again
    finally:
        await _close(client, journal, sale)


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["drop_after", "5xx_after"])
async def test_fault_after_a_general_admission_add_gives_no_duplicate(sim, tmp_path, kind):
    client, journal, sale = await _service(sim, tmp_path)
    try:
        perf = sim.catalog.find("ga")
        tt = sim.catalog.production_of(perf).ticket_types[0]
        await sale.prepare()
        sim.faults.inject(kind, method="POST", path="*/demo/cart/*")
        result = await sale.add_general_admission(perf.event_id, 2, tt.price_id)
        assert result.ok
        assert len(sim.state.cart_seat_ids(sale.snapshot().cart_id)) == 2
        assert len(sale.snapshot().lines) == 2
    finally:
        await _close(client, journal, sale)


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", KINDS + ["5xx"])
async def test_fault_during_order_creation_gives_exactly_one_order(sim, tmp_path, kind):
    sim.faults.set(timeout_seconds=1.2)
    client, journal, sale = await _service(sim, tmp_path, timeout=0.6)
    try:
        perf = sim.catalog.find("seated")
        sale.remember_performance(perf_info(sim, perf))
        await sale.prepare()
        plan = await sale.load_seat_plan(perf.event_id)
        seats = free_seats(plan, 2)
        assert (await sale.add_seats(perf.event_id, seats)).ok
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "PIN"))
        before = set(sim.state.order_keys())
        sim.faults.inject(kind, method="POST", path="/order/create")
        snap = await sale.pay()
        if kind == "5xx":
            # answered before anything was applied, and the venue's order list shows no order:
            # established, no order; the client never resends, the cashier may pay again
            assert set(sim.state.order_keys()) == before
            assert snap.phase == Phase.OPEN and snap.message is not None
            assert journal.get(snap.sale_id).state == SaleState.LINES_ADDED
            assert len(api_requests(sim, "POST", "/order/create")) == 1
            snap = await sale.pay()
        new = set(sim.state.order_keys()) - before
        assert len(new) == 1, new
        assert snap.phase == Phase.WAITING and snap.order.order_key in new
        assert sorted(sim.state.order_snapshot(snap.order.order_key)["seat_ids"]) == sorted(seats)
        if kind == "timeout":
            await asyncio.sleep(1.0)  # the delayed answer is logged when it is finally written
        creates = api_requests(sim, "POST", "/order/create")
        # never resent by the client; after an established refusal the cashier paid again
        assert len(creates) == (2 if kind == "5xx" else 1)
        sim.settle(snap.order.order_key, "paid")
        snap = await asyncio.wait_for(sale.wait_for_payment(), 5)
        assert snap.phase == Phase.PAID
        assert journal.get(snap.sale_id).state == SaleState.PAID
    finally:
        await _close(client, journal, sale)


@pytest.mark.asyncio
async def test_lost_order_answer_without_a_key_needs_attention_not_a_second_order(sim, tmp_path):
    client, journal, sale = await _service(sim, tmp_path, key=False)
    try:
        perf = sim.catalog.find("ga")
        tt = sim.catalog.production_of(perf).ticket_types[0]
        await sale.prepare()
        assert (await sale.add_general_admission(perf.event_id, 2, tt.price_id)).ok
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "Cash"))
        before = set(sim.state.order_keys())
        sim.faults.inject("drop_after", method="POST", path="/order/create")
        snap = await sale.pay()
        assert snap.phase == Phase.ATTENTION
        assert "could not confirm" in snap.message.text and "journal" in snap.message.text
        assert journal.get(snap.sale_id).state == SaleState.NEEDS_ATTENTION
        assert len(set(sim.state.order_keys()) - before) == 1
        assert len(api_requests(sim, "POST", "/order/create")) == 1
    finally:
        await _close(client, journal, sale)


@pytest.mark.asyncio
async def test_status_polls_survive_errors_and_never_run_faster_than_once_a_second(sim, sale):
    perf = sim.catalog.find("seated")
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id)
    await sale.add_seats(perf.event_id, free_seats(plan, 1))
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "iDEAL"))
    snap = await sale.pay()
    key = snap.order.order_key
    sim.faults.inject("5xx", method="GET", path=f"/order/{key}", count=2)
    await asyncio.sleep(3.3)
    assert sale.snapshot().phase == Phase.WAITING
    sale.check_now()
    sale.check_now()
    sim.settle(key, "paid")
    snap = await asyncio.wait_for(sale.wait_for_payment(), 5)
    assert snap.phase == Phase.PAID
    starts = sale._watch.poller.request_starts
    assert len(starts) >= 3
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert min(gaps) >= 0.99, gaps


@pytest.mark.asyncio
@pytest.mark.parametrize("kind,fault", [("seated", "drop_before"), ("ga", "drop_before"),
                                        ("seated", "late_apply"), ("ga", "late_apply")])
async def test_order_answer_lost_while_the_hold_ran_out_ends_cleanly_not_in_doubt(
        sim, tmp_path, kind, fault):
    """The order request gets no answer and the hold runs out meanwhile: the cart reads empty like
    a consumed one, but the export read after the deadline shows no order from it. That is
    established: no order, seats released, the cashier adds them again, into a *new* cart. With
    "late_apply" the first request is still queued and lands when the next order request comes:
    on the retired, empty cart it makes nothing, so the sale still ends in exactly one order."""
    from boxoffice.demo.behaviour import HOLD_SECONDS

    sim.faults.set(late_apply_seconds=30)
    client, journal, sale = await _service(sim, tmp_path, timeout=1.0)
    try:
        perf = sim.catalog.find(kind)
        sale.remember_performance(perf_info(sim, perf))
        await sale.prepare()
        if kind == "seated":
            plan = await sale.load_seat_plan(perf.event_id)
            assert (await sale.add_seats(perf.event_id, free_seats(plan, 2))).ok
        else:
            tt = sim.catalog.production_of(perf).ticket_types[0]
            assert (await sale.add_general_admission(perf.event_id, 2, tt.price_id)).ok
            for _ in range(100):  # the exact deadline arrives in the background
                if not sale.snapshot().hold.estimated:
                    break
                await asyncio.sleep(0.02)
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "Cash"))
        orders_before = set(sim.state.order_keys())
        first = sale.snapshot()
        sim.advance_clock(HOLD_SECONDS + 5)  # the app has not heard of it yet
        sim.faults.inject(fault, method="POST", path="/order/create")
        snap = await sale.pay()
        assert snap.phase == Phase.OPEN and snap.order is None
        assert snap.message is not None and "expired" in snap.message.text
        assert snap.lines and not any(ln.held for ln in snap.lines)  # shown as released
        assert set(sim.state.order_keys()) == orders_before
        rec = journal.get(first.sale_id)
        assert rec.state == SaleState.RELEASED and rec.order_key is None
        assert journal.has_order_request(first.cart_id)  # that cart is never ordered again
        assert journal.unfinished() == []
        # one click puts them back, in a new cart, and the sale goes on to a single order
        readd = await sale.readd_released()
        assert len(readd.readded) == 2 and not readd.not_readded, readd
        again = sale.snapshot()
        assert again.cart_id not in (None, first.cart_id) and again.sale_id != first.sale_id
        snap = await sale.pay()
        assert snap.phase == Phase.WAITING
        new = set(sim.state.order_keys()) - orders_before
        assert new == {snap.order.order_key}
        assert journal.get(again.sale_id).order_key == snap.order.order_key
        if fault == "late_apply":  # the queued first request did land, and made nothing
            outcomes = [r.outcome for r in api_requests(sim, "POST") if r.path.endswith("/order/create")]
            assert outcomes.count("late_apply") == 1 and outcomes[-1] == "200", outcomes
    finally:
        await _close(client, journal, sale)


@pytest.mark.asyncio
@pytest.mark.parametrize("key", [True, False])
async def test_an_order_answer_that_cannot_be_decoded_never_jams_the_sale(sim, tmp_path, key):
    """order/create is applied but its answer says gzip over a body that is not: the client
    turns that into a typed, ambiguous error. With a key the order is found in the venue's order
    list (a general-admission order by the buyer's e-mail on it: its counts alone could be
    another sale's); without one the sale needs attention. Either way it is never left
    "ordering", and "new sale" works."""
    client, journal, sale = await _service(sim, tmp_path, key=key)
    try:
        perf = sim.catalog.find("ga")
        tt = sim.catalog.production_of(perf).ticket_types[0]
        await sale.prepare()
        assert (await sale.add_general_admission(perf.event_id, 2, tt.price_id)).ok
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "Cash"))
        sale.set_customer(CustomerInfo("anna@example.org", "Anna", "de Vries"))
        before = set(sim.state.order_keys())
        sim.faults.inject("bad_encoding", method="POST", path="/order/create")
        snap = await sale.pay()
        new = set(sim.state.order_keys()) - before
        assert len(new) == 1 and len(api_requests(sim, "POST", "/order/create")) == 1
        if key:
            assert snap.phase == Phase.WAITING and snap.order.order_key in new
        else:
            assert snap.phase == Phase.ATTENTION
            assert journal.get(snap.sale_id).state == SaleState.NEEDS_ATTENTION
            assert "payment page" in snap.message.text
        sale.new_sale()
        assert sale.snapshot().phase == Phase.IDLE
    finally:
        await _close(client, journal, sale)


@pytest.mark.asyncio
async def test_needs_attention_names_what_to_check(sim, tmp_path):
    """Two orders in the venue's list could be the lost one: both keys are named, with the
    payment page and the order list, and no second order is made."""
    client, journal, sale = await _service(sim, tmp_path)
    try:
        perf = sim.catalog.find("ga")
        tt = sim.catalog.production_of(perf).ticket_types[0]
        await sale.prepare()
        assert (await sale.add_general_admission(perf.event_id, 2, tt.price_id)).ok
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "PIN"))
        # another counter's equal order is made at VdM in the same moment as ours
        original = sim.state.checkout

        def twin(cart_id, *args, **kwargs):
            other = sim.state.create_cart()
            sim.state.public_add(other.cart_id, perf.event_id, 2, tt.price_id)
            original(other.cart_id, *args, **kwargs)
            return original(cart_id, *args, **kwargs)

        sim.state.checkout = twin
        sim.faults.inject("drop_after", method="POST", path="/order/create")
        before = set(sim.state.order_keys())
        snap = await sale.pay()
        sim.state.checkout = original
        new = set(sim.state.order_keys()) - before
        assert snap.phase == Phase.ATTENTION and len(new) == 2
        text = snap.message.text
        assert all(k in text for k in new)
        assert "payment page" in text and "order list" in text
        assert len(api_requests(sim, "POST", "/order/create")) == 1
    finally:
        await _close(client, journal, sale)
