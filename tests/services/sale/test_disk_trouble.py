"""Issue 13, disk trouble without loss, at the sale service: when the sales record cannot be
written (the disk is full, read-only, or another program holds the file), the step stops before
its request goes out: no order is created and no payment started unrecorded, the cashier reads
why and what to do, the cart stays, nothing recorded before is lost, and once the disk is fine
the same sale goes on without a restart.

The trouble is SQLite's own on the real journal file (``tests/support/disk.py``); the simulator's
request log shows what reached VoordeMensen."""
from __future__ import annotations

import asyncio

import pytest

from boxoffice.api import errors
from boxoffice.services.messages import Action
from boxoffice.services.sale import Phase, SaleError, SaleService
from boxoffice.store.journal import SaleJournal, SaleState
from tests.support.disk import fill_journal, hold_write_lock, read_only, room_again
from tests.support.salekit import api_requests, method_id, perf_info
from tests.support.seats import free_seats


async def _held(sale, sim, n=2):
    perf = sim.catalog.find("seated")
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id)
    result = await sale.add_seats(perf.event_id, free_seats(plan, n))
    assert result.ok
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "Credit card"))
    return perf


def _record(journal: SaleJournal) -> list:
    return [(s.sale_id, s.state, s.updated_at, len(journal.steps(s.sale_id))) for s in journal.all()]


@pytest.mark.asyncio
async def test_a_full_disk_refuses_the_payment_before_any_order_and_selling_resumes(sim, sale, journal):
    await _held(sale, sim)
    held = sale.snapshot().lines
    fill_journal(journal)
    recorded = _record(journal)
    sim.clear_requests()
    with pytest.raises(SaleError) as refused:
        await sale.pay()
    text = refused.value.message.text
    assert "the disk is full" in text and "No payment was started" in text and "Free space" in text
    assert refused.value.message.action == Action.TRY_AGAIN
    for technical in ("SQLITE", "sqlite", "database", "Journal"):
        assert technical not in text
    assert api_requests(sim, "POST", "/order/create") == []       # no order, so no payment
    snap = sale.snapshot()
    assert snap.phase == Phase.OPEN and snap.order is None
    assert snap.lines == held                                      # the cart stays as it was
    assert _record(journal) == recorded                            # nothing lost, nothing half-written
    assert not journal.has_order_request(snap.cart_id)

    room_again(journal)                                            # space freed: no restart
    snap = await sale.pay()
    assert snap.phase == Phase.WAITING and snap.order is not None
    assert len(api_requests(sim, "POST", "/order/create")) == 1
    assert journal.get(snap.sale_id).state == SaleState.ORDER_CREATED


async def _held_ga(sale, sim, n=2):
    perf = sim.catalog.find("ga")
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    tt = sim.catalog.production_of(perf).ticket_types[0]
    assert (await sale.add_general_admission(perf.event_id, n, tt.price_id)).ok
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "Credit card"))
    return perf


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["seated", "general admission"])
async def test_a_disk_turning_read_only_as_the_order_is_made_starts_no_payment_and_checks_it(
        sim, sale, journal, kind):
    """VoordeMensen answers the order request (key and payment link), then the disk refuses its
    entry. The answer is kept: once the disk takes the entry, the order is recorded and the
    payment starts with its link, without looking the order up again (found in review: the key
    and link were dropped, and an anonymous general-admission order cannot be told apart from
    another sale's by looking it up, so the sale stayed being checked)."""
    await (_held(sale, sim) if kind == "seated" else _held_ga(sale, sim))
    public = sale.client.public
    real_create = public.create_order
    answers = []

    async def create_then_read_only(*args, **kwargs):
        created = await real_create(*args, **kwargs)
        answers.append(created)
        read_only(journal)                   # the answer is in; its journal entry cannot be
        return created

    public.create_order = create_then_read_only
    try:
        with pytest.raises(SaleError) as refused:
            await sale.pay()
    finally:
        public.create_order = real_create
    text = refused.value.message.text
    assert "read-only" in text and "VoordeMensen made the order" in text
    assert "payment has not started" in text and refused.value.message.retrying
    snap = sale.snapshot()
    assert snap.phase == Phase.ATTENTION and snap.order is None     # no payment page, no polling
    assert snap.message is not None and snap.message.text == text
    assert sale._watch.poll_task is None
    [created] = api_requests(sim, "POST", "/order/create")
    assert journal.get(snap.sale_id).state == SaleState.ORDER_REQUESTED   # the request stays

    with pytest.raises(SaleError):           # still read-only: the check cannot record it yet
        await sale.recheck()
    assert sale.snapshot().phase == Phase.ATTENTION
    with pytest.raises(SaleError) as kept:   # only this sale knows the key: never dropped
        sale.new_sale()
    assert "not recorded on this computer yet" in kept.value.message.text
    assert sale.snapshot().phase == Phase.ATTENTION and sale.snapshot().sale_id == snap.sale_id
    read_only(journal, on=False)
    sim.clear_requests()
    snap = await sale.recheck()              # VoordeMensen's answer is recorded, not looked up
    assert snap.phase == Phase.WAITING and snap.order is not None
    assert snap.order.order_key == answers[0].order_key
    assert snap.order.payment_url == answers[0].url and answers[0].url
    assert api_requests(sim, "POST", "/peppered/export/orders") == []
    assert journal.get(snap.sale_id).state == SaleState.ORDER_CREATED
    assert journal.get(snap.sale_id).order_key == snap.order.order_key
    assert journal.get(snap.sale_id).payment_url == answers[0].url
    assert len(api_requests(sim, "POST", "/order/create")) == 0      # never a second order


@pytest.mark.asyncio
async def test_a_journal_held_by_another_program_holds_no_seats_unrecorded(sim, sale, journal,
                                                                       monkeypatch):
    monkeypatch.setattr(SaleJournal, "busy_timeout", 0.05)
    perf = sim.catalog.find("seated")
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id)
    seats = free_seats(plan, 2)
    recorded = _record(journal)
    sim.clear_requests()
    assert journal.path is not None
    with hold_write_lock(journal.path):       # a backup tool or a second app writing
        with pytest.raises(SaleError) as refused:
            await sale.add_seats(perf.event_id, seats)
        assert "another program is using it" in refused.value.message.text
        assert "No payment was started" in refused.value.message.text
    assert api_requests(sim, "POST") == []    # the seats were not asked for
    assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"free"}
    assert _record(journal) == recorded
    assert SaleJournal.set_aside_files(journal.path) == []
    result = await sale.add_seats(perf.event_id, seats)          # the lock is gone: it works
    assert result.ok and len(sale.snapshot().lines) == 2


@pytest.mark.asyncio
async def test_a_payment_outcome_the_disk_refuses_is_kept_waiting_and_recorded_on_resume(
        sim, sale, journal):
    """The customer pays while the disk is read-only: the sale is not shown as paid before it is
    recorded, the cashier is told, and "Resume waiting" records it once the disk is fine."""
    await _held(sale, sim)
    snap = await sale.pay()
    assert snap.phase == Phase.WAITING
    key = snap.order.order_key
    read_only(journal)
    sim.settle(key, "paid")
    for _ in range(200):                       # the poll finds the outcome (about a second)
        if sale.snapshot().message is not None:
            break
        await asyncio.sleep(0.05)
    snap = sale.snapshot()
    assert snap.phase == Phase.WAITING and not snap.order.waiting
    assert "cannot be written" in snap.message.text and "Resume waiting" in snap.message.text
    assert journal.get(snap.sale_id).state == SaleState.ORDER_CREATED     # kept, not lost
    read_only(journal, on=False)
    sale.resume_waiting()
    snap = await asyncio.wait_for(sale.wait_for_payment(), 10)
    assert snap.phase == Phase.PAID and snap.confirmation.order_key == key
    assert journal.get(snap.sale_id).state == SaleState.PAID


@pytest.mark.asyncio
async def test_an_entry_refused_after_its_request_offers_no_try_again_and_sends_nothing_twice(
        sim, sale, journal):
    """The tickets were added at VoordeMensen, then the disk refused the entry that records them:
    "Try again" would add them a second time, so it is not offered; the cart is read back before
    the next change, and the sale pays for exactly what VoordeMensen holds."""
    ga = sim.catalog.find("ga")
    sale.remember_performance(perf_info(sim, ga))
    await sale.prepare()
    await sale.payment_methods()
    price_id = sim.catalog.production_of(ga).ticket_types[0].price_id
    public = sale.client.public
    real_add = public.add_tickets

    async def add_then_full(*args, **kwargs):
        cart = await real_add(*args, **kwargs)
        fill_journal(journal)                  # the answer is in; its journal entry cannot be
        return cart

    public.add_tickets = add_then_full
    try:
        with pytest.raises(SaleError) as refused:
            await sale.add_general_admission(ga.event_id, 2, price_id)
    finally:
        public.add_tickets = real_add
    message = refused.value.message
    assert message.action != Action.TRY_AGAIN                # a retry would add 2 more tickets
    assert "the disk is full" in message.text and "No payment was started" in message.text
    assert "Try again" not in message.text and "try again" not in message.text
    cart_id = sale.snapshot().cart_id
    adds = len(api_requests(sim, "POST", f"/cart/{cart_id}"))
    assert adds == 1 and len(sim.state.cart_seat_ids(cart_id)) == 2

    room_again(journal)
    sale.select_payment_method(method_id(sim, "Credit card"))
    snap = await sale.pay()                   # read back first: the 2 tickets VoordeMensen holds
    assert snap.phase == Phase.WAITING and snap.order is not None
    assert len(snap.lines) == 2
    assert len(api_requests(sim, "POST", f"/cart/{cart_id}")) == adds    # never added again
    assert len(api_requests(sim, "POST", "/order/create")) == 1


@pytest.mark.asyncio
async def test_an_entry_refused_after_a_failed_request_offers_try_again(sim, sale, journal):
    """The add was refused by VoordeMensen (500, nothing added), then the disk refused the entry
    recording that failure: the cashier reads that they can try again, never that VoordeMensen
    made the change (found in review: every refused after-entry was taken as a request done)."""
    ga = sim.catalog.find("ga")
    sale.remember_performance(perf_info(sim, ga))
    await sale.prepare()
    price_id = sim.catalog.production_of(ga).ticket_types[0].price_id
    public = sale.client.public
    real_add = public.add_tickets

    async def refused_then_full(*args, **kwargs):
        fill_journal(journal)
        raise errors.ServerError("HTTP 500", status=500, endpoint="POST /cart/x")

    public.add_tickets = refused_then_full
    try:
        with pytest.raises(SaleError) as refused:
            await sale.add_general_admission(ga.event_id, 2, price_id)
    finally:
        public.add_tickets = real_add
    message = refused.value.message
    assert "made the change" not in message.text and message.action == Action.TRY_AGAIN
    assert "the disk is full" in message.text
    room_again(journal)
    result = await sale.add_general_admission(ga.event_id, 2, price_id)   # trying again works
    assert result.ok and len(sim.state.cart_seat_ids(sale.snapshot().cart_id)) == 2


@pytest.mark.asyncio
async def test_a_refused_entry_after_the_caller_has_gone_never_leaves_the_sale_ordering(
        sim, sale, journal):
    """Pay's caller is cancelled (the window closing, a task torn down) while the order request
    is out; the step runs on (shielded), VoordeMensen answers, and the disk refuses the entry.
    Nobody awaits the step any more, yet the sale is moved on as for a caller still there: being
    checked, with the order kept, never stuck "ordering" (found in review)."""
    await _held(sale, sim)
    public = sale.client.public
    real_create = public.create_order
    sent, go_on = asyncio.Event(), asyncio.Event()

    async def create_then_wait(*args, **kwargs):
        created = await real_create(*args, **kwargs)
        sent.set()
        await go_on.wait()
        read_only(journal)
        return created

    public.create_order = create_then_wait
    try:
        paying = asyncio.ensure_future(sale.pay())
        await asyncio.wait_for(sent.wait(), 10)
        paying.cancel()
        with pytest.raises(asyncio.CancelledError):
            await paying
        assert sale.snapshot().phase == Phase.ORDERING
        go_on.set()
        for _ in range(200):
            if sale.snapshot().phase != Phase.ORDERING:
                break
            await asyncio.sleep(0.02)
    finally:
        public.create_order = real_create
    snap = sale.snapshot()
    assert snap.phase == Phase.ATTENTION and snap.busy is None
    assert snap.message is not None and "VoordeMensen made the order" in snap.message.text
    read_only(journal, on=False)
    snap = await sale.recheck()
    assert snap.phase == Phase.WAITING and snap.order is not None
    assert len(api_requests(sim, "POST", "/order/create")) == 1


@pytest.mark.asyncio
async def test_an_insecure_link_refused_is_still_told_when_the_order_is_recorded_late(
        sim, sale, journal):
    """The payment link VoordeMensen sent is refused as not secure, and the order's entry is
    refused by the disk: once the entry is written, the cashier still reads why there is no
    link (found in review: the warning was dropped)."""
    strict = SaleService(sale.client, journal, demo=False)   # loopback http is not allowed
    try:
        await _held(strict, sim)
        public = strict.client.public
        real_create = public.create_order

        async def create_then_read_only(*args, **kwargs):
            created = await real_create(*args, **kwargs)
            read_only(journal)
            return created

        public.create_order = create_then_read_only
        try:
            with pytest.raises(SaleError):
                await strict.pay()
        finally:
            public.create_order = real_create
        read_only(journal, on=False)
        snap = await strict.recheck()
        assert snap.phase == Phase.WAITING and snap.order.payment_url is None
        assert snap.message is not None and "not secure" in snap.message.text
    finally:
        await strict.aclose()
