"""The customer display through whole sales (issue 12): real widgets offscreen, the real app
controller against the simulator; the order is settled by the simulator (no timing).

What the customer reads, step by step: the welcome → the lines and the total → "Scan to pay"
with the payment link as a QR code and the amount (card) or the amount, what was handed over
and the change (cash) → "Paid — enjoy the show" with the tickets' QR code → the welcome again."""
from __future__ import annotations

from decimal import Decimal

import pytest

from boxoffice import i18n
from boxoffice.services.customer_view import CustomerStage as S
from boxoffice.services.sale import Phase
from boxoffice.ui.customer_display import DisplayLanguage
from tests.support.salehelpers import (
    checkout_with,
    ga_tickets_to_checkout,
    hold_elsewhere,
    running,
    seats_in_cart,
)
from tests.ui.customer_display.conftest import DisplayRecorder

NL = DisplayLanguage("nl")


def turn_on(sale) -> DisplayRecorder:
    control = sale.customer_display
    assert not control.is_on
    control.action.trigger()           # the cashier's toolbar button
    assert control.is_on and control.action.isChecked()
    recorder = DisplayRecorder(control.display)
    control.refresh()
    return recorder


async def back_to_the_welcome(control, wait) -> None:
    """The "Paid" screen's timer, run out now instead of after its seconds."""
    assert control.paid_timer.isActive()
    assert control.paid_timer.interval() == int(control.paid_seconds * 1000) > 3000
    control.paid_timer.start(1)
    await wait(lambda: control.display.page() == S.IDLE)


@pytest.mark.asyncio
async def test_a_seated_card_sale_from_welcome_to_paid_and_back(demo_app, wait, browser,
                                                                open_performance):
    async with running(demo_app()) as (controller, sale, area, sim):
        rec = turn_on(sale)
        display = sale.customer_display.display
        assert display.page() == S.IDLE
        assert "Welkom" in display.shown_texts() and "Demo-zaal" in display.shown_texts()
        perf, seats = await seats_in_cart(controller, wait, open_performance, n=2)
        assert display.page() == S.CART
        cart = display.shown_texts()
        held = sale.snapshot.held_lines
        assert any(held[0].performance in t for t in cart)
        for line in held:
            assert f"Rij {line.row}, stoel {line.seat}" in " ".join(cart)
            assert line.ticket_type in cart
        assert "Totaal" in cart and NL.money(sale.snapshot.total) in cart

        await checkout_with(controller, wait, "Credit card")
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING, timeout=10)
        url = sale.snapshot.order.payment_url
        assert display.page() == S.PAYING
        assert display.pay_qr.isVisibleTo(display) and display.pay_qr.text() == url
        assert "Scan om te betalen" in display.shown_texts()
        assert NL.money(sale.snapshot.order.amount_due) in display.shown_texts()
        # the cashier's own code stays, and says the customer has it on the display too
        co = area.checkout
        assert co.qr.isVisibleTo(co) and co.qr.text() == url
        assert "customer display" in co.qr_caption.text()

        sim.settle(sale.snapshot.order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        assert display.page() == S.PAID
        tickets = sale.snapshot.confirmation.tickets_url
        assert tickets and display.tickets_qr.isVisibleTo(display)
        assert display.tickets_qr.text() == tickets
        assert "Betaald \u2014 veel plezier bij de voorstelling!" in display.shown_texts()

        display.language_buttons["en"].click()    # this customer reads English
        assert "Paid \u2014 enjoy the show!" in display.shown_texts()
        await back_to_the_welcome(sale.customer_display, wait)
        assert area.page == "confirmation"      # the cashier's screen keeps the confirmation
        # the next customer is welcomed in the display's own language again
        assert display.language == "nl" and "Welkom" in display.shown_texts()
        assert rec.stages() == [S.IDLE, S.CART, S.PAYING, S.PAID, S.IDLE]


@pytest.mark.asyncio
async def test_a_cash_sale_shows_the_amount_given_and_the_change(demo_app, wait, browser,
                                                                 open_performance):
    async with running(demo_app()) as (controller, sale, area, sim):
        rec = turn_on(sale)
        display = sale.customer_display.display
        await ga_tickets_to_checkout(controller, wait, open_performance, 2, "Cash")
        due = sale.snapshot.amount_due
        change = Decimal("100") - due
        area.checkout.cash.tendered.setText("100")
        assert display.page() == S.CART
        assert f"Gegeven: {NL.money(Decimal('100'))}" in display.cart_cash.text()
        assert f"Wisselgeld: {NL.money(change)}" in display.cart_cash.text()
        await wait(area.checkout.pay_button.isEnabled)
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING, timeout=10)
        assert display.page() == S.CASH
        texts = display.shown_texts()
        assert [NL.money(due), NL.money(Decimal("100")), NL.money(change)] == [
            display.cash_due.text(), display.cash_given.text(), display.cash_change.text()]
        assert "Wisselgeld" in texts and "Gegeven" in texts
        sim.settle(sale.snapshot.order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        assert display.page() == S.PAID
        assert display.paid_change.isVisibleTo(display)
        assert NL.money(change) in display.paid_change.text()
        await back_to_the_welcome(sale.customer_display, wait)
        assert rec.stages() == [S.IDLE, S.CART, S.CASH, S.PAID, S.IDLE]
        # the next sale starts from the welcome, also on the display
        sale.new_sale_action.trigger()
        await wait(lambda: sale.snapshot.phase in (Phase.IDLE, Phase.OPEN))
        assert display.page() == S.IDLE


@pytest.mark.asyncio
async def test_the_customer_switches_the_display_language_and_the_cashier_keeps_hers(
        demo_app, wait, browser, open_performance):
    i18n.set_language("nl")
    async with running(demo_app()) as (controller, sale, area, sim):
        rec = turn_on(sale)
        display = sale.customer_display.display
        await seats_in_cart(controller, wait, open_performance, n=1)
        assert "Totaal" in display.shown_texts()
        checkout_text = sale.checkout_action.text()
        display.language_buttons["en"].click()
        assert display.language == "en"
        assert "Total" in display.shown_texts() and "Totaal" not in display.shown_texts()
        assert any("Row " in t for t in display.shown_texts())
        # the cashier's screen is still in Dutch
        assert i18n.current_language() == "nl"
        assert sale.checkout_action.text() == checkout_text == "Afrekenen"
        assert "Rij " in sale.snapshot.held_lines[0].place
        display.language_buttons["nl"].click()
        assert "Totaal" in display.shown_texts()
        assert rec.shown[-1].stage == S.CART


@pytest.mark.asyncio
async def test_an_error_during_the_sale_shows_nothing_of_it_on_the_display(
        demo_app, wait, browser, open_performance):
    from tests.support.salehelpers import choose_seats
    from tests.support.seats import free_seats

    async with running(demo_app()) as (controller, sale, area, sim):
        rec = turn_on(sale)
        perf, seats = await seats_in_cart(controller, wait, open_performance, n=1)
        plan = await controller.session.client.peppered.seating(perf.event_id)
        taken = [s for s in free_seats(plan, 3) if s not in seats][:1]
        await hold_elsewhere(sim, perf.event_id, taken)
        await choose_seats(controller.window.performance_panel, taken)
        await wait(lambda: bool(area.message.text), timeout=10)
        cashier_reads = area.message.text + " " + area.message.details
        assert area.message.text
        assert len(sale.snapshot.held_lines) == 1
        sale.customer_display.refresh()       # the display's next render, after the error
        shown = " ".join(rec.texts() + sale.customer_display.display.shown_texts())
        for word in {w for w in cashier_reads.split() if len(w) > 5}:
            assert word not in shown, word
        for secret in (sim.api_key, sale.snapshot.cart_id or "-", "Details"):
            assert secret not in shown
        assert sale.customer_display.display.page() == S.CART


@pytest.mark.asyncio
async def test_off_the_cashier_keeps_the_code_and_the_display_closes_with_the_session(
        demo_app, wait, browser, open_performance):
    async with running(demo_app()) as (controller, sale, area, sim):
        control = sale.customer_display
        await seats_in_cart(controller, wait, open_performance, n=1)
        await checkout_with(controller, wait, "Credit card")
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING, timeout=10)
        co = area.checkout
        assert co.qr.isVisibleTo(co)
        assert co.qr_caption.text() == "Customer: scan this code with your phone to pay."
        control.action.trigger()
        display = control.display
        assert display.page() == S.PAYING
        assert "customer display" in co.qr_caption.text() and co.qr.isVisibleTo(co)
        display.close()                       # closed on its own window
        assert not control.is_on and not control.action.isChecked()
        assert co.qr_caption.text() == "Customer: scan this code with your phone to pay."
        control.action.trigger()
        assert control.is_on
    assert not control.is_on
    assert control.action not in controller.window.toolbar.actions()
