"""A restart resumes unfinished sales from the journal: nothing lost, never a second order."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest

from boxoffice.services.recovery import Recovery
from boxoffice.services.sale import CustomerInfo, Phase, SaleService, line_to_dict
from boxoffice.store.journal import OrderAlreadyRequested, SaleJournal, SaleState, journal_path
from tests.support.salekit import api_requests, free_seats, make_client, method_id, perf_info


async def _sale_with_seats(sim, client, journal, n=2):
    sale = SaleService(client, journal, demo=True)
    perf = sim.catalog.find("seated")
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id)
    seats = free_seats(plan, n)
    assert (await sale.add_seats(perf.event_id, seats)).ok
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "PIN"))
    return sale, perf, seats


@pytest.mark.asyncio
async def test_restart_resumes_a_sale_waiting_for_payment(sim, data_dir):
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    sale, perf, seats = await _sale_with_seats(sim, client, journal)
    snap = await sale.pay()
    key = snap.order.order_key
    await sale.aclose()          # the app stops while waiting
    await client.aclose()
    journal.close()
    sim.settle(key, "paid")      # the customer paid meanwhile

    client2 = make_client(sim)
    journal2 = SaleJournal.open(journal_path(data_dir))
    try:
        unfinished = journal2.unfinished()
        assert [s.order_key for s in unfinished] == [key]
        outcomes = await Recovery(client2, journal2, demo=True).resume_all()
        assert [(o.order_key, o.after) for o in outcomes] == [(key, SaleState.PAID)]
        rec = journal2.get(snap.sale_id)
        assert rec.state == SaleState.PAID and rec.tickets_url and rec.tickets_nr == 2
        assert journal2.unfinished() == []
    finally:
        await client2.aclose()
        journal2.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("buyer", ["anna@example.org", None], ids=["with-e-mail", "anonymous"])
async def test_restart_finds_the_order_whose_key_was_lost(sim, data_dir, buyer):
    """order_requested without a key: the answer was lost and there was no key to look it up.
    A general-admission order is taken at the restart by the buyer's e-mail on it; an anonymous
    one fits by its ticket counts only (another sale's could too), so it is named for a person."""
    keyless = make_client(sim, key=False)
    journal = SaleJournal.open(journal_path(data_dir))
    sale = SaleService(keyless, journal, demo=True)
    perf = sim.catalog.find("ga")
    tt = sim.catalog.production_of(perf).ticket_types[0]
    await sale.prepare()
    assert (await sale.add_general_admission(perf.event_id, 2, tt.price_id)).ok
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "Cash"))
    if buyer:
        sale.set_customer(CustomerInfo(buyer, "Anna", "de Vries"))
    before = set(sim.state.order_keys())
    sim.faults.inject("drop_after", method="POST", path="/order/create")
    snap = await sale.pay()
    assert snap.phase == Phase.ATTENTION
    [key] = set(sim.state.order_keys()) - before
    rec = journal.get(snap.sale_id)
    assert rec.state == SaleState.NEEDS_ATTENTION and rec.order_key is None
    await sale.aclose()
    await keyless.aclose()
    journal.close()
    sim.settle(key, "paid")

    client = make_client(sim)  # after the restart the venue's key is available
    journal2 = SaleJournal.open(journal_path(data_dir))
    try:
        outcomes = await Recovery(client, journal2, demo=True).resume_all()
        if buyer:
            assert [(o.order_key, o.after) for o in outcomes] == [(key, SaleState.PAID)]
            assert journal2.get(snap.sale_id).order_key == key
        else:
            [outcome] = outcomes
            assert (outcome.order_key, outcome.after) == (None, SaleState.NEEDS_ATTENTION)
            assert journal2.get(snap.sale_id).order_key is None
            assert key in outcome.message.text  # the order to check is named
        assert set(sim.state.order_keys()) - before == {key}       # never a second order
        assert len(api_requests(sim, "POST", "/order/create")) == 1
    finally:
        await client.aclose()
        journal2.close()


@pytest.mark.asyncio
async def test_restart_after_a_crash_before_the_order_was_sent_releases_the_seats(sim, data_dir):
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    sale, perf, seats = await _sale_with_seats(sim, client, journal)
    snap = sale.snapshot()
    # the "before" entry is committed, then the app dies before the request leaves
    journal.request_order(snap.sale_id, payment_method_id=method_id(sim, "PIN"),
                          payment_method_name="PIN", surcharge=Decimal("0.00"),
                          lines=[line_to_dict(ln) for ln in snap.lines], total=snap.total)
    await sale.aclose()
    before = set(sim.state.order_keys())
    recovery = Recovery(client, journal, demo=True)
    outcomes = await recovery.resume_all()
    assert [o.after for o in outcomes] == [SaleState.RELEASED]
    assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"free"}
    assert set(sim.state.order_keys()) == before
    assert api_requests(sim, "POST", "/order/create") == []
    # and that cart can never be ordered again from this journal
    with pytest.raises(OrderAlreadyRequested):
        journal.request_order(snap.sale_id, payment_method_id=1, payment_method_name="x",
                              surcharge=None, lines=[], total=Decimal("0"))
    await client.aclose()
    journal.close()


@pytest.mark.asyncio
async def test_restart_releases_carts_that_never_became_orders(sim, data_dir):
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    sale, perf, seats = await _sale_with_seats(sim, client, journal)
    cart_id = sale.snapshot().cart_id
    ga_sale = SaleService(make_client(sim, key=False), journal, demo=True)
    ga = sim.catalog.find("ga")
    await ga_sale.prepare()
    assert (await ga_sale.add_general_admission(
        ga.event_id, 2, sim.catalog.production_of(ga).ticket_types[0].price_id)).ok
    ga_cart = ga_sale.snapshot().cart_id
    empty = SaleService(client, journal, demo=True)
    await empty.prepare()
    empty_id = empty.snapshot().sale_id
    for s in (sale, ga_sale, empty):
        await s.aclose()
    await ga_sale.client.aclose()
    # the cart made ahead and never used held nothing: closed at shutdown, nothing to resume
    assert journal.get(empty_id).state == SaleState.RELEASED

    keyless = make_client(sim, key=False)  # a public-only restart deletes lines one by one
    outcomes = await Recovery(keyless, journal, demo=True).resume_all()
    assert [o.after for o in outcomes] == [SaleState.RELEASED] * 2
    assert empty_id not in {o.sale_id for o in outcomes}
    assert sim.state.cart_seat_ids(cart_id) == [] and sim.state.cart_seat_ids(ga_cart) == []
    assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"free"}
    assert journal.unfinished() == []
    await keyless.aclose()
    await client.aclose()
    journal.close()


@pytest.mark.asyncio
async def test_one_cart_never_produces_a_second_order(sim, client, journal):
    sale, perf, seats = await _sale_with_seats(sim, client, journal)
    snap = await sale.pay()
    sale.stop_waiting()
    # a second attempt on the same cart (e.g. a double click that slipped through, or another
    # service instance that still holds this cart) is refused by the journal
    other = SaleService(client, journal, demo=True)
    draft = other._draft
    draft.cart_id, draft.sale_id, draft.phase = snap.cart_id, snap.sale_id, Phase.OPEN
    draft.lines = {ln.line_id: ln for ln in snap.lines}
    await other.payment_methods()
    other.select_payment_method(method_id(sim, "PIN"))
    result = await other.pay()
    assert result.phase == Phase.ATTENTION and "already" in result.message.text
    assert len(api_requests(sim, "POST", "/order/create")) == 1
    await other.aclose()
    await sale.aclose()


@pytest.mark.asyncio
async def test_restart_after_a_crash_while_the_order_was_being_created(sim, data_dir):
    """State order_requested, no key: the request reached VdM, the app died before the answer."""
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    sale, perf, seats = await _sale_with_seats(sim, client, journal)
    snap = sale.snapshot()
    journal.request_order(snap.sale_id, payment_method_id=method_id(sim, "PIN"),
                          payment_method_name="PIN", surcharge=Decimal("0.00"),
                          lines=[line_to_dict(ln) for ln in snap.lines], total=snap.total)
    created = await client.public.create_order(snap.cart_id, method_id(sim, "PIN"))
    await sale.aclose()
    journal.close()
    sim.settle(created.order_key, "paid")

    journal2 = SaleJournal.open(journal_path(data_dir))
    assert journal2.get(snap.sale_id).state == SaleState.ORDER_REQUESTED
    outcomes = await Recovery(client, journal2, demo=True).resume_all()
    assert [(o.order_key, o.after) for o in outcomes] == [(created.order_key, SaleState.PAID)]
    assert len(api_requests(sim, "POST", "/order/create")) == 1
    await client.aclose()
    journal2.close()


# ----------------------------------------------------------------------------- lost orders
async def _lost_ga_order(sim, client, journal, perf, tt, buyer="anna@example.org"):
    """A GA sale whose order is created at VdM but only after its answer was lost and the
    venue's order list was read (the request was queued): the sale needs attention. The buyer
    gave an e-mail (without it, counts alone never settle a general-admission order)."""
    sale = SaleService(client, journal, demo=True)
    cart_id = await sale.prepare()
    assert (await sale.add_general_admission(perf.event_id, 2, tt.price_id)).ok
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "PIN"))
    if buyer:
        sale.set_customer(CustomerInfo(buyer, "Anna", "de Vries"))
    before = set(sim.state.order_keys())
    # the request is queued at VdM with no answer, and not made yet when the order list is read
    sim.faults.set(late_apply_seconds=60)
    sim.faults.inject("late_apply", method="POST", path="/order/create")
    snap = await sale.pay()
    assert snap.phase == Phase.ATTENTION
    assert set(sim.state.order_keys()) == before
    # it lands now: VdM works through it just before the next order request it gets
    async with httpx.AsyncClient() as raw:
        await raw.post(f"{sim.client_url}/order/create", json={"cart_id": "x" * 32,
                                                               "payment_id": 1})
    sim.faults.clear()
    await sale.aclose()
    [key] = set(sim.state.order_keys()) - before
    assert sim.state.carts[cart_id].orders == [key]
    return snap.sale_id, key


@pytest.mark.asyncio
async def test_a_lost_order_that_expired_is_recorded_as_this_sales_expired_order(sim, data_dir):
    """The own order expired; another sale then ordered the same count (paid). Recovery takes the
    sale's own order (expired), never the other one."""
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    other_journal = SaleJournal.open(journal_path(data_dir.parent / "other"))
    try:
        perf = sim.catalog.find("ga")
        tt = sim.catalog.production_of(perf).ticket_types[0]
        sale_id, ours = await _lost_ga_order(sim, client, journal, perf, tt)
        rec = journal.get(sale_id)
        lookup = rec.order_lookup
        assert lookup and lookup["started"] and lookup["ended"] and lookup["known_keys"] is not None
        sim.advance_clock(901)
        other = SaleService(client, other_journal, demo=True)
        await other.prepare()
        assert (await other.add_general_admission(perf.event_id, 2, tt.price_id)).ok
        await other.payment_methods()
        other.select_payment_method(method_id(sim, "PIN"))
        theirs = (await other.pay()).order.order_key
        other.stop_waiting()
        sim.settle(theirs, "paid")
        await other.aclose()

        outcomes = await Recovery(client, journal, demo=True).resume_all()
        assert [(o.order_key, o.after) for o in outcomes] == [(ours, SaleState.EXPIRED)]
        after = journal.get(sale_id)
        assert after.order_key == ours and after.state == SaleState.EXPIRED
    finally:
        await client.aclose()
        journal.close()
        other_journal.close()


@pytest.mark.asyncio
async def test_two_candidates_for_a_lost_order_leave_the_sale_for_attention(sim, data_dir):
    """Without the snapshot of earlier orders (the attempt predates it), two equal GA orders in
    the window cannot be told apart: needs attention, no guess."""
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    try:
        perf = sim.catalog.find("ga")
        tt = sim.catalog.production_of(perf).ticket_types[0]
        sale_id, ours = await _lost_ga_order(sim, client, journal, perf, tt)
        rec = journal.get(sale_id)
        lookup = dict(rec.order_lookup, known_keys=None, seen_keys=None)
        journal.after(sale_id, "test", None, order_lookup=lookup)
        cart = sim.state.create_cart()  # someone else's equal order within the window
        sim.state.public_add(cart.cart_id, perf.event_id, 2, tt.price_id)
        sim.state.checkout(cart.cart_id, method_id(sim, "PIN"))
        outcomes = await Recovery(client, journal, demo=True).resume_all()
        assert [o.after for o in outcomes] == [SaleState.NEEDS_ATTENTION]
        assert journal.get(sale_id).order_key is None
        assert "2 exported orders" in journal.get(sale_id).note
    finally:
        await client.aclose()
        journal.close()


@pytest.mark.asyncio
async def test_a_lapsed_hold_is_read_back_before_ordering(sim, data_dir):
    """Pay after the hold deadline: the cart is read first; the expired lines are shown as
    released with the cashier message and no order is attempted on the expired cart."""
    from datetime import datetime, timedelta, timezone
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    shift = [timedelta(0)]
    sale = SaleService(client, journal, demo=True,
                       now=lambda: datetime.now(timezone.utc) + shift[0])
    try:
        perf = sim.catalog.find("seated")
        await sale.prepare()
        plan = await sale.load_seat_plan(perf.event_id)
        assert (await sale.add_seats(perf.event_id, free_seats(plan, 2))).ok
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "PIN"))
        sim.advance_clock(901)
        shift[0] = timedelta(seconds=901)
        snap = await sale.pay()
        assert snap.phase == Phase.OPEN and snap.order is None
        assert len(snap.released_lines) == 2 and not snap.held_lines
        assert snap.message is not None and "expired" in snap.message.text
        assert api_requests(sim, "POST", "/order/create") == []
        assert journal.get(snap.sale_id).state == SaleState.LINES_ADDED
    finally:
        await sale.aclose()
        await client.aclose()
        journal.close()


def test_a_journal_from_schema_1_is_migrated_and_keeps_its_sales(data_dir):
    import sqlite3

    from boxoffice.store import journal as jmod
    path = journal_path(data_dir)
    path.parent.mkdir(parents=True)
    old_schema = jmod._SCHEMA.replace(",\n    order_lookup TEXT\n", "\n")
    assert "order_lookup" not in old_schema
    db = sqlite3.connect(str(path))
    db.executescript(old_schema)
    db.execute("INSERT INTO sales (sale_id, created_at, updated_at, state, cart_id, "
               "order_requested_at) VALUES ('s1', '2026-11-27T19:00:00+00:00', "
               "'2026-11-27T19:00:00+00:00', 'order_requested', 'cart1', "
               "'2026-11-27T19:00:00+00:00')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()

    journal = SaleJournal.open(path)
    try:
        sale = journal.get("s1")
        assert sale.state == SaleState.ORDER_REQUESTED and sale.order_lookup is None
        assert journal._db.execute("PRAGMA user_version").fetchone()[0] == jmod.SCHEMA_VERSION
        journal.after("s1", "order_lookup", None, order_lookup={"started": "x"})
        assert journal.get("s1").order_lookup == {"started": "x"}
        assert sale.order_attempt().started.isoformat() == "2026-11-27T19:00:00+00:00"
    finally:
        journal.close()
    reopened = SaleJournal.open(path)
    try:
        assert reopened.get("s1").order_lookup == {"started": "x"}
    finally:
        reopened.close()


# ---------------------------------------------------------------- a cart id alone ties nothing
async def _other_counters_cart(sim):
    """Another counter's cart holding two seats right now: (its client, sale, cart id, seats)."""
    other = make_client(sim)
    sale, perf, seats = await _sale_with_seats(sim, other, SaleJournal.in_memory())
    return other, sale, sale.snapshot().cart_id, perf, seats


def _journal_a_sale_on(journal, cart_id, *, venue, created, lines):
    rec = journal.start_sale(cart_id, venue=venue, cart_created_at=created)
    journal.after(rec.sale_id, "add_seats", SaleState.LINES_ADDED, lines=lines,
                  total=Decimal("10.00"))
    return rec.sale_id


async def _assert_left_for_a_person(sim, journal, sale_id, cart_id, perf, seats, client):
    sent_before = len(api_requests(sim))
    outcomes = await Recovery(client, journal, demo=True).resume_all()
    assert [(o.sale_id, o.after) for o in outcomes] == [(sale_id, SaleState.NEEDS_ATTENTION)]
    assert outcomes[0].message is not None and not outcomes[0].postponed
    # the other counter's seats are untouched: no clear, no line removed, no order looked up
    writes = [r for r in api_requests(sim)[sent_before:] if r.method != "GET"]
    assert writes == []
    assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"held"}
    assert len(sim.state.cart_seat_ids(cart_id)) == len(seats)
    assert journal.get(sale_id).state == SaleState.NEEDS_ATTENTION
    assert [s.sale_id for s in journal.unfinished()] == [sale_id]  # checked again later
    return api_requests(sim)[sent_before:]


@pytest.mark.asyncio
async def test_a_journal_sale_of_another_venue_is_never_reconciled_with_a_cart_of_that_id(
        sim, data_dir):
    other, other_sale, cart_id, perf, seats = await _other_counters_cart(sim)
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    held = [{"line_id": ln.seat_id} for ln in (await client.public.cart(cart_id)).lines]
    sale_id = _journal_a_sale_on(journal, cart_id, venue="https://elsewhere.example/v1/venue2",
                                 created=client.server_now(), lines=held)
    try:
        sent = await _assert_left_for_a_person(sim, journal, sale_id, cart_id, perf, seats,
                                               client)
        assert sent == []  # not even read: the venue this till talks to is not the sale's
    finally:
        await other_sale.aclose()
        await other.aclose()
        await client.aclose()
        journal.close()


@pytest.mark.asyncio
async def test_an_order_attempt_of_another_venue_is_not_matched_in_this_venues_order_list(
        sim, data_dir):
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    sale, perf, seats = await _sale_with_seats(sim, client, journal)
    snap = await sale.pay()   # an order exists at this venue, for these very seats
    key = snap.order.order_key
    await sale.aclose()
    # the same journal entry, as if it had been made at another venue with the same cart id
    rec = journal.get(snap.sale_id)
    journal.after(rec.sale_id, "test", SaleState.ORDER_REQUESTED, order_key=None,
                  venue="https://elsewhere.example/v1/venue2")
    try:
        sent_before = len(api_requests(sim))
        recovery = Recovery(client, journal, demo=True)
        [outcome] = await recovery.resume_all(wait=False)
        await recovery.aclose()
        assert outcome.after == SaleState.NEEDS_ATTENTION and outcome.order_key is None
        assert journal.get(snap.sale_id).order_key is None  # order `key` is not taken as its
        assert api_requests(sim)[sent_before:] == []
        assert key  # (the order this venue made stays its own)
    finally:
        await client.aclose()
        journal.close()


@pytest.mark.asyncio
async def test_a_cart_id_handed_out_again_after_an_earlier_run_is_not_released(sim, data_dir):
    """A simulator (or server) hands out an id this journal already holds from a sale two days
    ago, and even the same line ids: the seats it holds now cannot be that old sale's hold."""
    other, other_sale, cart_id, perf, seats = await _other_counters_cart(sim)
    client = make_client(sim)
    long_ago = datetime.now(timezone.utc) - timedelta(days=2)
    old = SaleJournal.open(journal_path(data_dir), now=lambda: long_ago)
    same_lines = [{"line_id": ln.seat_id} for ln in (await client.public.cart(cart_id)).lines]
    sale_id = _journal_a_sale_on(old, cart_id, venue=client.base_url, created=long_ago,
                                 lines=same_lines)
    old.close()
    journal = SaleJournal.open(journal_path(data_dir))
    try:
        await _assert_left_for_a_person(sim, journal, sale_id, cart_id, perf, seats, client)
        # once that cart holds nothing any more, the old sale is closed without a write
        await other.peppered.clear_cart(cart_id)
        sent_before = len(api_requests(sim))
        [outcome] = await Recovery(client, journal, demo=True).resume_all()
        assert outcome.after == SaleState.RELEASED
        assert [r for r in api_requests(sim)[sent_before:] if r.method != "GET"] == []
    finally:
        await other_sale.aclose()
        await other.aclose()
        await client.aclose()
        journal.close()


@pytest.mark.asyncio
async def test_a_cart_holding_lines_the_sale_never_recorded_is_not_released(sim, data_dir):
    other, other_sale, cart_id, perf, seats = await _other_counters_cart(sim)
    client = make_client(sim, key=False)
    journal = SaleJournal.open(journal_path(data_dir))
    sale_id = _journal_a_sale_on(journal, cart_id, venue=client.base_url,
                                 created=client.server_now(), lines=[{"line_id": "ours123456"}])
    try:
        await _assert_left_for_a_person(sim, journal, sale_id, cart_id, perf, seats, client)
    finally:
        await other_sale.aclose()
        await other.aclose()
        await client.aclose()
        journal.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("its_end,after", [("expired", SaleState.RELEASED),
                                           ("paid", SaleState.NEEDS_ATTENTION)])
async def test_an_anonymous_lost_ga_order_that_ended_unpaid_ends_the_sale_without_a_person(
        sim, data_dir, its_end, after):
    """An anonymous general-admission order whose answer was lost is left for a person (its
    counts could be another sale's). Once the hold has lapsed and every order that might be it
    has ended unpaid, nothing was paid for the sale and nothing can be: the next check ends it
    (released, no order recorded as its own). A paid one keeps it for a person."""
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    try:
        perf = sim.catalog.find("ga")
        tt = sim.catalog.production_of(perf).ticket_types[0]
        sale_id, key = await _lost_ga_order(sim, client, journal, perf, tt, buyer=None)
        creates = len(api_requests(sim, "POST", "/order/create"))
        [first] = await Recovery(client, journal, demo=True).resume_all(wait=False)
        assert first.after == SaleState.NEEDS_ATTENTION and key in first.message.text
        sim.settle(key, its_end)
        sim.advance_clock(901)                       # past the hold
        recovery = Recovery(client, journal, demo=True)
        try:
            [again] = await recovery.resume_all(wait=False)
        finally:
            await recovery.aclose()
        assert again.after == after
        record = journal.get(sale_id)
        assert record.order_key is None and record.state == after
        assert len(api_requests(sim, "POST", "/order/create")) == creates   # never ordered again
    finally:
        await client.aclose()
        journal.close()
