"""A restart resumes unfinished sales from the journal: nothing lost, never a second order."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from boxoffice.services.recovery import Recovery
from boxoffice.services.sale import Phase, SaleService, line_to_dict
from boxoffice.store.journal import OrderAlreadyRequested, SaleJournal, SaleState, journal_path

sys.path.insert(0, str(Path(__file__).parent))
from salekit import api_requests, free_seats, make_client, method_id, perf_info  # noqa: E402


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
async def test_restart_finds_the_order_whose_key_was_lost(sim, data_dir):
    """order_requested without a key: the answer was lost and there was no key to look it up."""
    keyless = make_client(sim, key=False)
    journal = SaleJournal.open(journal_path(data_dir))
    sale = SaleService(keyless, journal, demo=True)
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
        assert [(o.order_key, o.after) for o in outcomes] == [(key, SaleState.PAID)]
        assert journal2.get(snap.sale_id).order_key == key
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
    for s in (sale, ga_sale, empty):
        await s.aclose()
    await ga_sale.client.aclose()

    keyless = make_client(sim, key=False)  # a public-only restart deletes lines one by one
    outcomes = await Recovery(keyless, journal, demo=True).resume_all()
    assert [o.after for o in outcomes] == [SaleState.RELEASED] * 3
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
    other._cart_id, other._sale_id, other._phase = snap.cart_id, snap.sale_id, Phase.OPEN
    other._lines = {ln.line_id: ln for ln in snap.lines}
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
