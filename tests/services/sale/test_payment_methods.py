"""Payment methods and surcharges come from VoordeMensen's current answer at every checkout: the
saved list (journal preferences) only fills the screen until then. A fee the venue changes
between two sales is what the second sale charges: amount due, cash change, the journal's record
and the shift report's cash figure."""
from __future__ import annotations

import asyncio
from decimal import Decimal as D

import httpx
import pytest

from boxoffice.services.sale import Phase, SaleService
from boxoffice.services.shift_report import build_shift_report
from boxoffice.store.journal import SaleJournal, journal_path
from tests.support.salekit import api_requests, free_seats, method_id, perf_info


async def _fill(sim, sale, n=2):
    perf = sim.catalog.find("seated")
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id)
    assert (await sale.add_seats(perf.event_id, free_seats(plan, n))).ok


async def _set_fee(sim, pid: int, fee: str) -> None:
    """The venue changes a fee (the simulator's control API)."""
    async with httpx.AsyncClient() as raw:
        answer = await raw.post(f"{sim.base_url}/_sim/paymentmethods/{pid}", json={"fee": fee})
    assert answer.status_code == 200


@pytest.mark.asyncio
async def test_a_fee_changed_between_two_sales_is_charged_as_the_server_says_now(sim, sale, journal):
    card = method_id(sim, "Credit card")
    # sale 1 at the fee the venue has now (1.50)
    await _fill(sim, sale)
    await sale.payment_methods()
    sale.select_payment_method(card)
    first = await sale.pay()
    assert first.phase == Phase.WAITING and first.surcharge == D("1.50")
    sim.settle(first.order.order_key, "paid")
    assert (await asyncio.wait_for(sale.wait_for_payment(), 5)).phase == Phase.PAID
    sale.new_sale()

    await _set_fee(sim, card, "2.75")
    # sale 2: the screen still shows the saved fee until VoordeMensen is asked again
    await _fill(sim, sale)
    sale.select_payment_method(card)
    assert sale.snapshot().surcharge == D("1.50")
    creates = len(api_requests(sim, "POST", "/order/create"))
    snap = await sale.pay()
    # "Pay" asked VoordeMensen: the new fee is shown, and nothing is ordered on the old amount
    assert snap.phase == Phase.OPEN and snap.order is None
    assert len(api_requests(sim, "POST", "/order/create")) == creates
    assert snap.surcharge == D("2.75") and snap.amount_due == snap.total + D("2.75")
    assert "2.75" in snap.message.text
    assert sale.cash_change(D("100")).change == D("100") - snap.amount_due
    snap = await sale.pay()
    assert snap.phase == Phase.WAITING and snap.order.amount_due == snap.total + D("2.75")
    assert journal.get(snap.sale_id).surcharge == D("2.75")
    assert sim.state.order(snap.order.order_key).fee == D("2.75")
    sim.settle(snap.order.order_key, "paid")
    assert (await asyncio.wait_for(sale.wait_for_payment(), 5)).phase == Phase.PAID
    # the shift report's figure for the method is what was charged each time
    report = build_shift_report(journal, cash_method_ids=[card])
    assert report.cash_expected == (first.total + D("1.50")) + (snap.total + D("2.75"))


@pytest.mark.asyncio
async def test_a_method_the_venue_no_longer_offers_is_never_ordered_with(sim, sale):
    card = method_id(sim, "Credit card")
    await _fill(sim, sale, 1)
    await sale.payment_methods()
    sale.select_payment_method(card)
    del sim.catalog.payment_methods[card]
    snap = await sale.pay()
    assert snap.phase == Phase.OPEN and snap.order is None and snap.payment_method is None
    assert "Credit card" in snap.message.text
    assert api_requests(sim, "POST", "/order/create") == []


@pytest.mark.asyncio
async def test_methods_are_read_again_with_the_event_list(sim, sale):
    card = method_id(sim, "Credit card")
    await sale.payment_methods()
    sale.select_payment_method(card)
    await _set_fee(sim, card, "0.95")
    await sale.refresh_payment_methods()
    assert sale.snapshot().payment_method.surcharge == D("0.95")
    assert {m.method_id: m.surcharge for m in await sale.payment_methods()}[card] == D("0.95")


@pytest.mark.asyncio
async def test_the_saved_list_is_only_a_start(sim, data_dir):
    """A new session shows the saved methods at once, but "Pay" never charges from them."""
    from tests.support.salekit import make_client

    card = method_id(sim, "Credit card")
    journal = SaleJournal.open(journal_path(data_dir))
    client = make_client(sim)
    first = SaleService(client, journal, demo=True)
    await first.payment_methods()
    await first.aclose()
    await _set_fee(sim, card, "3.10")
    second = SaleService(client, journal, demo=True)
    try:
        second.select_payment_method(card)              # from the saved list: 1.50
        await _fill(sim, second, 1)
        snap = await second.pay()
        assert snap.phase == Phase.OPEN and snap.surcharge == D("3.10")
        snap = await second.pay()
        assert snap.phase == Phase.WAITING and journal.get(snap.sale_id).surcharge == D("3.10")
    finally:
        await second.aclose()
        await client.aclose()
        journal.close()


def test_saved_methods_keep_text_ids(journal, client):
    """Payment method ids are opaque: a saved list with text ids (and numeric ones) comes back
    from the journal's preferences whole, each id as it was, never silently dropped."""
    import json

    from boxoffice.services.sale import PREF_METHODS

    journal.set_pref(PREF_METHODS, json.dumps([
        {"id": "ideal-nl", "name": "iDEAL", "fee": "0.35"},
        {"id": 7, "name": "Cash", "fee": "0"}]))
    sale = SaleService(client, journal, demo=True)
    assert sale.payment_methods_known
    methods = {m.method_id: (m.name, m.surcharge) for m in sale._checkout.cached_methods()}
    assert methods == {"ideal-nl": ("iDEAL", D("0.35")), 7: ("Cash", D("0"))}
    assert sale.select_payment_method("ideal-nl").surcharge == D("0.35")
    journal.set_pref(PREF_METHODS, json.dumps([{"id": None, "name": "x", "fee": "0"}]))
    assert SaleService(client, journal, demo=True)._checkout.cached_methods() is None


@pytest.mark.asyncio
async def test_a_timeout_around_waiting_for_the_payment_times_out(sim, sale):
    """Issue 13: wait_for_payment swallowed its caller's cancellation, so asyncio.wait_for around
    it returned a snapshot instead of timing out. The poll itself goes on: the sale still waits."""
    await _fill(sim, sale)
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "Credit card"))
    waiting = await sale.pay()
    assert waiting.phase == Phase.WAITING
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(sale.wait_for_payment(), 0.3)
    assert sale.snapshot().phase == Phase.WAITING       # nothing was given up by the timeout
    sim.settle(waiting.order.order_key, "paid")
    assert (await asyncio.wait_for(sale.wait_for_payment(), 5)).phase == Phase.PAID
