"""A cashier's evening (issue 16), at the service level: each defect reproduced first.

The real simulator over loopback, the real client and a real SQLite journal."""
from __future__ import annotations

from decimal import Decimal

import pytest

from boxoffice.services.sale import Phase, SaleService
from boxoffice.store.journal import SaleJournal, SaleState, journal_path
from tests.support.salekit import free_seats, perf_info


async def _open(sale, sim, kind="seated"):
    perf = sim.catalog.find(kind)
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id) if kind != "ga" else None
    return perf, plan


# ---------------------------------------------------------------- 8: no empty "unfinished" sale
@pytest.mark.asyncio
async def test_a_cart_made_ahead_and_left_empty_is_not_an_unfinished_sale(sim, client, data_dir):
    journal = SaleJournal.open(journal_path(data_dir))
    sale = SaleService(client, journal, demo=True)
    try:
        await _open(sale, sim)                     # the cart made ahead, nothing added
        first = sale.snapshot().sale_id
        sale.new_sale()                            # F2 on an empty sale
        assert journal.get(first).state == SaleState.RELEASED
        await sale.prepare()
        second = sale.snapshot().sale_id
        assert second != first
    finally:
        await sale.aclose()                        # the app closes with an empty cart open
    try:
        assert journal.get(second).state == SaleState.RELEASED
        assert journal.unfinished() == []
    finally:
        journal.close()


@pytest.mark.asyncio
async def test_after_a_crash_only_sales_that_may_hold_something_are_unfinished(sim, client,
                                                                               data_dir):
    """No clean close (kill -9): at the next start the journal closes the sales that never held
    anything, and keeps those with lines, an order request or a write whose answer never came."""
    journal = SaleJournal.open(journal_path(data_dir))
    try:
        empty = journal.start_sale("C-EMPTY").sale_id
        emptied = journal.start_sale("C-EMPTIED").sale_id       # added, then all removed
        journal.before(emptied, "add_seats", {"seats": ["s1"]})
        journal.after(emptied, "add_seats", SaleState.LINES_ADDED, lines=[{"line_id": "s1"}],
                      total=Decimal("10.00"))
        journal.before(emptied, "remove_all", {"lines": 1})
        journal.after(emptied, "remove_all", SaleState.CART_CREATED, lines=[], total=Decimal(0))
        pending = journal.start_sale("C-PENDING").sale_id      # add sent, no answer recorded
        journal.before(pending, "add_seats", {"seats": ["s2"]})
        unknown = journal.start_sale("C-UNKNOWN").sale_id      # add answered "outcome unknown"
        journal.before(unknown, "add_tickets", {"event_id": 1})
        journal.after(unknown, "add_tickets", None, {"failed": "Timeout", "unknown": True})
        held = journal.start_sale("C-HELD").sale_id
        journal.after(held, "add_seats", SaleState.LINES_ADDED, lines=[{"line_id": "s3"}],
                      total=Decimal("10.00"))
        assert journal.is_empty(empty) and journal.is_empty(emptied)
        assert not journal.is_empty(pending) and not journal.is_empty(unknown)
        assert not journal.is_empty(held)
        assert sorted(journal.close_empty()) == sorted([empty, emptied])
        assert {s.sale_id for s in journal.unfinished()} == {pending, unknown, held}
        assert journal.get(empty).state == SaleState.RELEASED
        # the sale open at this counter is never touched
        current = journal.start_sale("C-CURRENT").sale_id
        assert journal.close_empty(exclude={current}) == []
        assert journal.get(current).state == SaleState.CART_CREATED
    finally:
        journal.close()


# ---------------------------------------------------------------- 7: a cart id is not a cart
LINES = [{"line_id": "abc", "event_id": 1, "price": "10.00", "status": "held"}]


def _request(journal, sale_id):
    return journal.request_order(sale_id, payment_method_id=31, payment_method_name="Cash",
                                 surcharge=None, lines=LINES, total=Decimal("10.00"))


def test_an_order_request_is_matched_on_venue_cart_id_and_creation(data_dir):
    from datetime import datetime, timedelta, timezone

    from boxoffice.store.journal import OrderAlreadyRequested
    journal = SaleJournal.open(journal_path(data_dir))
    t0 = datetime(2026, 12, 4, 19, 0, tzinfo=timezone.utc)
    try:
        old = journal.start_sale("CART1", venue="https://a/v1/x", cart_created_at=t0).sale_id
        _request(journal, old)
        # the server handed out the same id again, for a new cart (created later)
        new = journal.start_sale("CART1", venue="https://a/v1/x",
                                 cart_created_at=t0 + timedelta(hours=1)).sale_id
        assert _request(journal, new).state == SaleState.ORDER_REQUESTED
        # the same id at another venue is another cart too
        elsewhere = journal.start_sale("CART1", venue="https://b/v1/y", cart_created_at=t0)
        assert _request(journal, elsewhere.sale_id).state == SaleState.ORDER_REQUESTED
        assert journal.get(new).venue == "https://a/v1/x"
        assert journal.get(new).cart_created_at == t0 + timedelta(hours=1)
        # the same cart (venue, id and creation) never gets a second order request
        same = journal.start_sale("CART1", venue="https://a/v1/x", cart_created_at=t0).sale_id
        with pytest.raises(OrderAlreadyRequested):
            _request(journal, same)
        # an unknown creation or venue is taken as the same cart (the cautious way)
        unknown = journal.start_sale("CART1").sale_id
        with pytest.raises(OrderAlreadyRequested):
            _request(journal, unknown)
    finally:
        journal.close()


@pytest.mark.asyncio
async def test_a_cart_id_the_journal_holds_from_an_earlier_cart_does_not_refuse_the_sale(
        sim, client, data_dir):
    """The journal holds an order request for cart id X from an earlier run of the server; the
    server now hands out X for a new cart: that sale is paid normally (it was refused with "An
    order was already made from this cart")."""
    from datetime import timedelta

    from tests.support.salekit import method_id
    journal = SaleJournal.open(journal_path(data_dir))
    sale = SaleService(client, journal, demo=True)
    try:
        perf, plan = await _open(sale, sim)
        cart_id = sale.snapshot().cart_id
        # what the journal kept from the earlier run: the same id, a cart made yesterday
        earlier = journal.start_sale(cart_id, venue=client.base_url,
                                     cart_created_at=client.server_now() - timedelta(days=1))
        _request(journal, earlier.sale_id)
        assert (await sale.add_seats(perf.event_id, free_seats(plan, 2))).ok
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "PIN"))
        snap = await sale.pay()
        assert snap.phase == Phase.WAITING and snap.order is not None, snap.message
        rec = journal.get(snap.sale_id)
        assert rec.venue == client.base_url and rec.cart_created_at is not None
    finally:
        await sale.aclose()
        journal.close()


# ---------------------------------------------------------------- 5: change the type in place
@pytest.mark.asyncio
async def test_changing_a_seats_type_keeps_its_place_in_the_cart(sim, sale):
    """No update-item endpoint exists: the seat is removed and added back at once, and the line
    stays where it was in the cart (it jumped to the bottom)."""
    perf, plan = await _open(sale, sim)
    seats = free_seats(plan, 3)
    assert (await sale.add_seats(perf.event_id, seats)).ok
    middle = sale.snapshot().lines[1]
    other = next(o for o in sale.ticket_types_for(middle.line_id) if o.price_id != middle.price_id)
    assert (await sale.change_ticket_type(middle.line_id, other.price_id)).ok
    lines = sale.snapshot().lines
    assert [ln.line_id for ln in lines] == seats
    assert lines[1].price_id == other.price_id and lines[1].held
    assert sim.state.holds(perf.event_id)[middle.line_id] == sale.snapshot().cart_id


@pytest.mark.asyncio
async def test_changing_a_general_admission_lines_type_adds_before_it_removes(sim, sale):
    """General admission: the new ticket is added before the old one is let go, so the cart never
    holds fewer tickets (another counter cannot take the place in between), and the line keeps
    its place."""
    from tests.support.salekit import api_requests
    ga = sim.catalog.find("ga")
    sale.remember_performance(perf_info(sim, ga))
    await sale.prepare()
    types = sim.catalog.production_of(ga).ticket_types
    assert len(types) >= 2
    assert (await sale.add_general_admission(ga.event_id, 3, types[0].price_id)).ok
    before = [ln.line_id for ln in sale.snapshot().lines]
    sim.clear_requests()
    result = await sale.change_ticket_type(before[0], types[1].price_id)
    assert result.ok, result.message
    writes = [(r.method, r.path) for r in api_requests(sim) if r.method in ("POST", "DELETE")]
    assert [m for m, _ in writes] == ["POST", "DELETE"], writes
    lines = sale.snapshot().lines
    assert len(lines) == 3 and all(ln.held for ln in lines)
    assert lines[0].price_id == types[1].price_id          # the changed line, where it was
    assert [ln.line_id for ln in lines[1:]] == before[1:]
    assert len(sim.state.cart_seat_ids(sale.snapshot().cart_id)) == 3


# ---------------------------------------------------------------- 2: a sale being checked settles
async def _pay_into_a_network_drop(sim, sale):
    """Seats held, PIN chosen; the network drops the moment Pay goes out: the order is made but
    its answer is lost, and nothing can be read back. Returns the order the server made."""
    from tests.support.salekit import method_id
    perf, plan = await _open(sale, sim)
    assert (await sale.add_seats(perf.event_id, free_seats(plan, 2))).ok
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "PIN"))
    before = set(sim.state.order_keys())
    sim.faults.inject("drop_after", method="POST", path="/order/create")
    # from here on the network is down: nothing can be read back (cart, order, export)
    for method, path in (("GET", "*/cart/*"), ("GET", "*/order*"), ("POST", "*/export/*")):
        sim.faults.inject("drop_before", method=method, path=path, count=100_000)
    snap = await sale.pay()
    assert snap.phase == Phase.ATTENTION, snap
    [key] = set(sim.state.order_keys()) - before
    return key


@pytest.mark.asyncio
async def test_a_sale_being_checked_settles_once_the_network_is_back(sim, client, data_dir):
    from tests.support.salekit import api_requests
    journal = SaleJournal.open(journal_path(data_dir))
    sale = SaleService(client, journal, demo=True)
    try:
        key = await _pay_into_a_network_drop(sim, sale)
        snap = await sale.recheck()                    # still down: still being checked
        assert snap.phase == Phase.ATTENTION and snap.order is None
        assert snap.message is not None
        sim.faults.clear()                             # the connection is back
        snap = await sale.recheck()
        assert snap.phase == Phase.WAITING and snap.order is not None
        assert snap.order.order_key == key
        assert journal.get(snap.sale_id).order_key == key
        sim.settle(key, "paid")
        snap = await sale.wait_for_payment()
        assert snap.phase == Phase.PAID and snap.confirmation.order_key == key
        assert len(snap.confirmation.lines) == 2
        # reading only: one order request in all
        assert len(api_requests(sim, "POST", "/order/create")) == 1
    finally:
        await sale.aclose()
        journal.close()


@pytest.mark.asyncio
async def test_a_sale_being_checked_whose_order_never_arrived_lets_the_seats_go(sim, client,
                                                                               data_dir):
    from tests.support.salekit import api_requests, method_id
    journal = SaleJournal.open(journal_path(data_dir))
    sale = SaleService(client, journal, demo=True)
    try:
        perf, plan = await _open(sale, sim)
        seats = free_seats(plan, 2)
        assert (await sale.add_seats(perf.event_id, seats)).ok
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "PIN"))
        before = set(sim.state.order_keys())
        # the order request is lost on its way (never applied), and nothing can be read back
        sim.faults.inject("drop_before", method="POST", path="/order/create")
        for method, path in (("GET", "*/cart/*"), ("GET", "*/order*"), ("POST", "*/export/*")):
            sim.faults.inject("drop_before", method=method, path=path, count=100_000)
        snap = await sale.pay()
        if snap.phase != Phase.ATTENTION:
            pytest.skip(f"the order attempt was decided at once ({snap.phase})")
        old_cart = snap.cart_id
        sim.faults.clear()
        snap = await sale.recheck()
        assert set(sim.state.order_keys()) == before
        assert snap.phase == Phase.OPEN and snap.order is None
        assert len(snap.released_lines) == 2 and snap.message.action.value == "readd"
        assert sim.state.cart_seat_ids(old_cart) == []
        readd = await sale.readd_released()
        assert len(readd.readded) == 2 and sale.snapshot().cart_id != old_cart
        assert len(api_requests(sim, "POST", "/order/create")) == 1
    finally:
        await sale.aclose()
        journal.close()


def test_a_throw_away_journal_has_the_same_schema_as_one_on_disk(data_dir):
    on_disk = SaleJournal.open(journal_path(data_dir))
    memory = SaleJournal.in_memory()
    try:
        def columns(j, table):
            return [r[1] for r in j._db.execute(f"PRAGMA table_info({table})").fetchall()]
        for table in ("sales", "order_requests", "steps", "prefs"):
            assert columns(memory, table) == columns(on_disk, table), table
        sale = memory.start_sale("C1", venue="v", cart_created_at=None)
        assert memory.get(sale.sale_id).venue == "v"
    finally:
        on_disk.close()
        memory.close()


@pytest.mark.asyncio
async def test_a_re_check_looks_once_more_after_letting_the_cart_go(sim, client, data_dir):
    """An export that does not show an order yet proves nothing "so far": the re-check lets the
    cart go (so a request still queued finds nothing to order), then reads the order list once
    more, as recovery does. An order that shows up then is this sale's order: the sale waits for
    its payment and its seats are never offered for a second sale."""
    from tests.support.salekit import api_requests, method_id
    journal = SaleJournal.open(journal_path(data_dir))
    sale = SaleService(client, journal, demo=True)
    try:
        perf, plan = await _open(sale, sim)
        assert (await sale.add_seats(perf.event_id, free_seats(plan, 2))).ok
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "PIN"))
        before = set(sim.state.order_keys())
        # the order is made but its answer is lost, and nothing can be read back for now
        sim.faults.inject("drop_after", method="POST", path="/order/create")
        for method, path in (("GET", "*/cart/*"), ("GET", "*/order*"), ("POST", "*/export/*")):
            sim.faults.inject("drop_before", method=method, path=path, count=100_000)
        snap = await sale.pay()
        if snap.phase != Phase.ATTENTION:
            pytest.skip(f"the order attempt was decided at once ({snap.phase})")
        made = set(sim.state.order_keys()) - before
        assert len(made) == 1
        sim.faults.clear()
        # the venue's order list lags: its first read does not show the new order yet
        real_export = client.peppered.export_orders
        reads = []

        async def lagging_export(*args, **kwargs):
            orders = await real_export(*args, **kwargs)
            reads.append(len(orders))
            return [] if len(reads) == 1 else orders

        client.peppered.export_orders = lagging_export
        snap = await sale.recheck()
        assert len(reads) >= 2                         # looked once more after the release
        assert snap.phase == Phase.WAITING and snap.order is not None
        assert snap.order.order_key in made
        assert not snap.released_lines                 # nothing offered to sell again
        assert len(api_requests(sim, "POST", "/order/create")) == 1
    finally:
        await sale.aclose()
        journal.close()
