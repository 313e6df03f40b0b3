"""A cashier's sale against the real simulator over loopback, through the real client."""
from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from boxoffice.api.models import CartItemRequest
from boxoffice.demo import SimulatorServer
from boxoffice.services.messages import Action
from boxoffice.services.sale import LineStatus, Phase, SaleService
from boxoffice.store.journal import SaleJournal, SaleState, journal_path
from tests.support.salekit import api_requests, free_seats, make_client, method_id, perf_info


async def _open(sale, sim, kind="seated", nth=0):
    perf = sim.catalog.find(kind, nth=nth)
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id) if kind != "ga" else None
    return perf, plan


@pytest.mark.asyncio
async def test_full_seated_sale(sim, sale, journal):
    seen = []
    sale.subscribe(seen.append)
    orders_before = set(sim.state.order_keys())
    perf, plan = await _open(sale, sim)
    seats = free_seats(plan, 2)
    sim.clear_requests()
    result = await sale.add_seats(perf.event_id, seats)
    assert result.ok and len(result.added) == 2
    # with the cart created ahead, adding is the only round trip
    assert [(r.method, r.outcome) for r in api_requests(sim)] == [("POST", "200")]
    assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"held"}
    snap = sale.snapshot()
    assert snap.phase == Phase.OPEN
    assert [ln.row for ln in snap.lines][0] is not None and not snap.lines[0].general_admission
    assert snap.total == sum((ln.price for ln in snap.lines), Decimal("0"))
    assert snap.hold is not None and not snap.hold.estimated and 850 < snap.hold.seconds_remaining <= 900
    assert not snap.hold.warning
    assert len(snap.groups) == 1 and snap.groups[0].subtotal == snap.total

    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "Credit card"))
    snap = sale.snapshot()
    assert snap.surcharge == Decimal("1.50") and snap.amount_due == snap.total + Decimal("1.50")
    snap = await sale.pay()
    assert snap.phase == Phase.WAITING and snap.order is not None
    assert snap.order.payment_url.startswith(sim.origin)
    assert journal.get(snap.sale_id).state == SaleState.ORDER_CREATED
    sim.settle(snap.order.order_key, "paid")
    snap = await asyncio.wait_for(sale.wait_for_payment(), 5)
    assert snap.phase == Phase.PAID
    conf = snap.confirmation
    assert conf.order_key == snap.order.order_key and conf.tickets_nr == 2
    assert conf.total == sum((ln.price for ln in conf.lines), Decimal("0"))
    assert conf.amount_paid == conf.total + Decimal("1.50") and conf.payment_method == "Credit card"
    assert len(conf.seats) == 2 and "Row" in conf.seats[0]
    pdf = await sale.download_tickets()
    assert pdf.content.startswith(b"%PDF")
    rec = journal.get(snap.sale_id)
    assert rec.state == SaleState.PAID and rec.tickets_url == conf.tickets_url
    assert any(s.phase == Phase.WAITING for s in seen)  # listeners saw every phase
    assert set(sim.state.order_keys()) - orders_before == {conf.order_key}


@pytest.mark.asyncio
async def test_general_admission_sale_with_auto_pay(tmp_path, cart_after_order):
    with SimulatorServer(seed=1, auto_pay_after=0.5, cart_after_order=cart_after_order) as sim:
        client = make_client(sim)
        journal = SaleJournal.open(journal_path(tmp_path))
        sale = SaleService(client, journal, demo=True)
        try:
            perf = sim.catalog.find("ga")
            sale.remember_performance(perf_info(sim, perf))
            await sale.prepare()
            tt = sim.catalog.production_of(perf).ticket_types[0]
            sim.clear_requests()
            result = await sale.add_general_admission(perf.event_id, 3, tt.price_id)
            assert result.ok and len(result.added) == 3
            # the fresh cart is known empty: no read-before; the add is the only request the
            # cashier waited for
            assert [(r.method, r.path.rsplit("/", 2)[-2]) for r in api_requests(sim)] \
                == [("POST", "cart")]
            snap = sale.snapshot()
            assert all(ln.general_admission and ln.place == "General admission" for ln in snap.lines)
            assert snap.hold.estimated  # public cart: local estimate, said so...
            # ...until the exact deadline, read in the background from the peppered summary
            for _ in range(100):
                if not sale.snapshot().hold.estimated:
                    break
                await asyncio.sleep(0.02)
            with sim.state.lock:
                server_deadline = sim.state.carts[snap.cart_id].time_out
            hold = sale.snapshot().hold
            assert not hold.estimated
            assert abs((hold.expires_at - server_deadline).total_seconds()) < 1
            assert [r.path.endswith("/summary") for r in api_requests(sim, "GET")] == [True]
            await sale.payment_methods()
            sale.select_payment_method(method_id(sim, "Cash"))
            change = sale.cash_change(Decimal("50"))
            assert change.change == Decimal("50") - snap.amount_due
            assert sale.quick_amounts()[0] == snap.amount_due
            snap = await asyncio.wait_for(sale.pay(wait=True), 10)
            assert snap.phase == Phase.PAID and snap.confirmation.tickets_nr == 3
            # the last method is remembered for this profile
            again = SaleService(client, journal, demo=True)
            assert again.snapshot().payment_method.name == "Cash"
        finally:
            await sale.aclose()
            await client.aclose()
            journal.close()


@pytest.mark.asyncio
async def test_several_performances_share_one_cart_and_lines_can_be_removed(sim, sale):
    perf, plan = await _open(sale, sim)
    ga = sim.catalog.find("ga")
    seats = free_seats(plan, 2)
    assert (await sale.add_seats(perf.event_id, seats)).ok
    tt = sim.catalog.production_of(ga).ticket_types[0]
    assert (await sale.add_general_admission(ga.event_id, 2, tt.price_id)).ok
    snap = sale.snapshot()
    assert len(snap.lines) == 4 and len(snap.groups) == 2
    assert {g.event_id for g in snap.groups} == {perf.event_id, ga.event_id}
    assert sorted(sim.state.cart_seat_ids(snap.cart_id)) == sorted(ln.line_id for ln in snap.lines)
    assert await sale.remove_line(seats[0])
    assert sim.state.seat_status(perf.event_id, seats[0]) == "free"
    assert len(sale.snapshot().lines) == 3
    ga_line = next(ln for ln in sale.snapshot().lines if ln.general_admission)
    assert await sale.remove_line(ga_line.line_id)
    assert len(sim.state.cart_seat_ids(snap.cart_id)) == 2
    assert await sale.remove_all()
    assert sim.state.cart_seat_ids(snap.cart_id) == [] and sale.snapshot().lines == ()


@pytest.mark.asyncio
async def test_change_ticket_type_of_a_line(sim, sale):
    perf, plan = await _open(sale, sim)
    seat = free_seats(plan, 1)[0]
    assert (await sale.add_seats(perf.event_id, [seat])).ok
    options = sale.ticket_types_for(seat)
    assert len(options) >= 2
    line = sale.snapshot().lines[0]
    other = next(o for o in options if o.price_id != line.price_id)
    result = await sale.change_ticket_type(seat, other.price_id)
    assert result.ok
    line2 = sale.snapshot().lines[0]
    assert line2.line_id == seat and line2.price_id == other.price_id
    assert line2.price == other.price
    assert sim.state.seat_status(perf.event_id, seat) == "held"


@pytest.mark.asyncio
async def test_change_ticket_type_when_the_seat_is_taken_in_between(sim, sale, client, monkeypatch):
    perf, plan = await _open(sale, sim)
    seat = free_seats(plan, 1)[0]
    assert (await sale.add_seats(perf.event_id, [seat])).ok
    line = sale.snapshot().lines[0]
    other = next(o for o in sale.ticket_types_for(seat) if o.price_id != line.price_id)
    rival = await client.public.create_cart()
    real_remove = client.peppered.remove_item

    async def remove_then_rival_grabs(cart_id, item_id):
        out = await real_remove(cart_id, item_id)
        await client.peppered.add_items(rival, [CartItemRequest(
            price_id=line.price_id, rank_id=line.rank_id, event_id=perf.event_id, seat_id=seat)])
        return out

    monkeypatch.setattr(client.peppered, "remove_item", remove_then_rival_grabs)
    result = await sale.change_ticket_type(seat, other.price_id)
    assert not result.ok and result.taken_seat_ids == (seat,)
    assert f"row {line.row}" in result.message.text and str(line.seat) in result.message.text
    assert sale.snapshot().lines == ()


@pytest.mark.asyncio
async def test_a_seat_taken_at_another_counter(sim, sale, client):
    perf, plan = await _open(sale, sim)
    seats = free_seats(plan, 2)
    other_cart = await client.public.create_cart()
    meta = {s.seat_id: (r, s) for _, r, s in plan.seats()}
    row, taken = meta[seats[1]]
    pl = next(p for p in plan.price_levels if p.rank_id == taken.rank_id)
    await client.peppered.add_items(other_cart, [CartItemRequest(
        price_id=pl.price_id, rank_id=taken.rank_id, event_id=perf.event_id, seat_id=taken.seat_id)])
    sim.clear_requests()
    result = await sale.add_seats(perf.event_id, seats)
    assert not result.ok
    assert result.message.text == (f"Seat {taken.seat_nr} in row {row.row_nr} was just sold at "
                                   "another counter: pick another seat.")
    assert result.message.action == Action.PICK_ANOTHER_SEAT
    assert result.taken_seat_ids == (taken.seat_id,)
    assert sim.state.cart_seat_ids(sale.snapshot().cart_id) == []  # nothing added
    assert sim.state.seat_status(perf.event_id, seats[0]) == "free"
    assert len(api_requests(sim, "POST")) == 1


@pytest.mark.asyncio
async def test_cart_expiry_releases_lines_and_readd_puts_back_the_free_ones(tmp_path):
    with SimulatorServer(seed=1, hold_seconds=1.5) as sim:
        client = make_client(sim)
        journal = SaleJournal.open(journal_path(tmp_path))
        sale = SaleService(client, journal, demo=True, hold_seconds=1.5)
        try:
            perf, plan = await _open(sale, sim)
            seats = free_seats(plan, 3)
            assert (await sale.add_seats(perf.event_id, seats)).ok
            hold = sale.snapshot().hold
            assert hold.warning and not hold.expired and not hold.estimated
            # the service notices the expiry by itself (reads the cart back at the deadline)
            for _ in range(60):
                await asyncio.sleep(0.1)
                if sale.snapshot().released_lines:
                    break
            snap = sale.snapshot()
            assert [ln.status for ln in snap.lines] == [LineStatus.RELEASED] * 3
            assert snap.total == Decimal("0.00")
            assert "expired" in snap.message.text and snap.message.action == Action.READD
            # the server's own timeOut was known: the time is named, no guessed length
            assert "about" not in snap.message.text and "minutes" not in snap.message.text
            # one of them is sold meanwhile
            rival = await client.public.create_cart()
            meta = {s.seat_id: s for _, _, s in plan.seats()}
            pl = next(p for p in plan.price_levels if p.rank_id == meta[seats[0]].rank_id)
            await client.peppered.add_items(rival, [CartItemRequest(
                price_id=pl.price_id, rank_id=meta[seats[0]].rank_id, event_id=perf.event_id,
                seat_id=seats[0])])
            result = await sale.readd_released()
            assert sorted(ln.line_id for ln in result.readded) == sorted(seats[1:])
            assert [ln.line_id for ln in result.not_readded] == [seats[0]]
            assert result.message is not None
            assert sorted(sim.state.cart_seat_ids(snap.cart_id)) == sorted(seats[1:])
        finally:
            await sale.aclose()
            await client.aclose()
            journal.close()


@pytest.mark.asyncio
async def test_expiry_through_the_simulator_clock(sim, sale):
    perf, plan = await _open(sale, sim)
    ga = sim.catalog.find("ga")
    tt = sim.catalog.production_of(ga).ticket_types[0]
    assert (await sale.add_seats(perf.event_id, free_seats(plan, 1))).ok
    assert (await sale.add_general_admission(ga.event_id, 2, tt.price_id)).ok
    sim.advance_clock(901)
    snap = await sale.refresh()
    assert all(ln.status == LineStatus.RELEASED for ln in snap.lines) and len(snap.lines) == 3
    assert "15 minutes" in snap.message.text
    result = await sale.readd_released()
    assert len(result.readded) == 3 and not result.not_readded
    assert len(sim.state.cart_seat_ids(snap.cart_id)) == 3
    assert all(ln.held for ln in sale.snapshot().lines)


@pytest.mark.asyncio
async def test_payment_not_paid_then_start_again(sim, sale):
    perf, plan = await _open(sale, sim)
    seats = free_seats(plan, 2)
    await sale.add_seats(perf.event_id, seats)
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "iDEAL"))
    snap = await sale.pay()
    sim.settle(snap.order.order_key, "cancelled")
    snap = await asyncio.wait_for(sale.wait_for_payment(), 5)
    assert snap.phase == Phase.NOT_PAID
    assert snap.not_paid.status == "cancelled" and "cancelled" in snap.not_paid.text
    assert set(snap.not_paid.next_steps) == {Action.TRY_AGAIN, Action.OTHER_METHOD, Action.RELEASE}
    old_cart = snap.cart_id
    result = await sale.start_again()
    assert sorted(ln.line_id for ln in result.readded) == sorted(seats)
    snap = sale.snapshot()
    assert snap.phase == Phase.OPEN and snap.cart_id != old_cart
    sale.select_payment_method(method_id(sim, "PIN"))
    snap = await sale.pay()
    sim.settle(snap.order.order_key, "paid")
    assert (await asyncio.wait_for(sale.wait_for_payment(), 5)).phase == Phase.PAID


@pytest.mark.asyncio
async def test_stop_waiting_keeps_the_order_and_resume_finds_it_paid(sim, sale, journal):
    perf, plan = await _open(sale, sim)
    await sale.add_seats(perf.event_id, free_seats(plan, 1))
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "PIN"))
    snap = await sale.pay()
    sale.stop_waiting()
    assert not sale.snapshot().order.waiting
    assert journal.get(snap.sale_id).state == SaleState.ORDER_CREATED
    sim.settle(snap.order.order_key, "paid")
    sale.resume_waiting()
    snap = await asyncio.wait_for(sale.wait_for_payment(), 5)
    assert snap.phase == Phase.PAID


@pytest.mark.asyncio
async def test_insecure_payment_url_is_refused(sim, client, journal):
    sale = SaleService(client, journal, demo=False)  # not demo: loopback http is not allowed
    try:
        perf, plan = await _open(sale, sim)
        await sale.add_seats(perf.event_id, free_seats(plan, 1))
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "iDEAL"))
        snap = await sale.pay()
        assert snap.order is not None and snap.order.payment_url is None
        assert "not secure" in snap.message.text
        assert journal.get(snap.sale_id).payment_url is None
    finally:
        await sale.aclose()


@pytest.mark.asyncio
async def test_customer_lookup_and_create(sim, sale):
    assert await sale.find_customer("nobody@example.org") is None
    created = await sale.create_customer("ann@example.org", "Ann", "Jansen")
    assert created.customer_id is not None
    found = await sale.find_customer("ANN@example.org")
    assert found.customer_id == created.customer_id and found.first_name == "Ann"
    sale.set_customer(found)
    snap = sale.snapshot()
    assert snap.customer == found and snap.avg_optin is False and snap.avg_mailinglist is False


@pytest.mark.asyncio
async def test_customer_lookup_keeps_the_dutch_name_infix_with_the_last_name(sim, sale):
    with sim.state.lock:
        record = next(c for c in sim.state.customers.values()
                      if c.fields.get("customerPreposition") and c.fields.get("customerLastName"))
        prep, last = record.fields["customerPreposition"], record.fields["customerLastName"]
    found = await sale.find_customer(record.email)
    assert found.last_name == f"{prep} {last}"  # "de Vries", never just "Vries"


@pytest.mark.asyncio
async def test_a_hold_whose_length_is_not_known_is_said_as_about(tmp_path):
    """Without a key the public cart gives no timeOut: the hold is a local estimate (the docs do
    not give its length), so the countdown and the expiry message say "about"."""
    with SimulatorServer(seed=1, hold_seconds=1.5) as sim:
        client = make_client(sim, key=False)
        journal = SaleJournal.open(journal_path(tmp_path))
        sale = SaleService(client, journal, demo=True, hold_seconds=1.5)
        try:
            perf = sim.catalog.find("ga")
            tt = sim.catalog.production_of(perf).ticket_types[0]
            await sale.prepare()
            assert (await sale.add_general_admission(perf.event_id, 2, tt.price_id)).ok
            assert sale.snapshot().hold.estimated
            for _ in range(60):
                await asyncio.sleep(0.1)
                if sale.snapshot().released_lines:
                    break
            snap = sale.snapshot()
            assert len(snap.released_lines) == 2
            assert "about" in snap.message.text
            assert snap.message.action == Action.READD
        finally:
            await sale.aclose()
            await client.aclose()
            journal.close()
