"""A payment that does not go through (cancelled, expired, failed at the payment provider):
the checkout says why in plain words and offers the three next steps — try again, another
method, release the seats — each doing exactly that at the simulator: a new cart and one new
order per attempt (never a second order for a cart), the seats free again when released."""
from __future__ import annotations

import pytest

from boxoffice.services.sale import Phase
from boxoffice.store.journal import SaleState
from tests.support.salehelpers import api_posts, checkout_with, hold_elsewhere, method_button, running, seats_in_cart

REASONS = {
    "cancelled": "The payment was cancelled. The seats were released: try again, choose another "
                 "payment method, or end the sale.",
    "expired": "The payment took too long and expired. The seats were released: try again, "
               "choose another payment method, or end the sale.",
    "failed": "The payment failed. The seats were released: try again, choose another payment "
              "method, or end the sale.",
}


def _order(sim, key: str):
    with sim.state.lock:
        return sim.state.orders[key]


async def _settle_and_see_not_paid(controller, wait, key: str, status: str) -> None:
    sale, area = controller.sale, controller.sale.area
    controller.session.simulator.settle(key, status)
    await wait(lambda: sale.snapshot.phase == Phase.NOT_PAID, timeout=10)
    co = area.checkout
    assert area.page == "checkout" and co.page == "not_paid"
    assert co.not_paid_label.text() == REASONS[status]
    for button, text in ((co.try_again_button, "Try again"),
                         (co.other_method_button, "Another method"),
                         (co.release_button, "Release the seats")):
        assert button.isVisible() and button.isEnabled() and button.text() == text


@pytest.mark.asyncio
async def test_not_paid_says_why_and_try_again_another_method_release_do_so(
        demo_app, wait, browser, open_performance):
    async with running(demo_app()) as (controller, sale, area, sim):
        journal = sale.journal
        perf, seats = await seats_in_cart(controller, wait, open_performance, 2)
        view = controller.window.performance_panel.seating.view
        lay = view.layout_
        await checkout_with(controller, wait, "iDEAL")
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        first_sale, first_cart = sale.snapshot.sale_id, sale.snapshot.cart_id
        first_key = sale.snapshot.order.order_key

        # 1. the customer cancels on the payment page
        await _settle_and_see_not_paid(controller, wait, first_key, "cancelled")
        assert journal.get(first_sale).state == SaleState.CANCELLED
        assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"free"}
        await wait(lambda: all(lay.available[lay.index_of(s)] for s in seats))
        assert view.state.in_cart == set()

        # "Try again": the same seats in a new cart, paid with the same method: one new order
        sim.clear_requests()
        co = area.checkout
        co.try_again_button.click()
        # while it runs the next steps are off: an impatient second click does nothing
        await wait(lambda: area.busy_text.text() != "", step=0.001)
        assert not any(b.isEnabled() for b in (co.try_again_button, co.other_method_button,
                                               co.release_button))
        co.try_again_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING and sale.snapshot.order is not None
                   and sale.snapshot.order.order_key != first_key)
        second_key = sale.snapshot.order.order_key
        second_sale, second_cart = sale.snapshot.sale_id, sale.snapshot.cart_id
        assert second_cart != first_cart and second_sale != first_sale
        assert len(api_posts(sim, "/order/create")) == 1
        second = _order(sim, second_key)
        assert sorted(t.seat_id for t in second.tickets) == sorted(seats)
        assert second.payment_method_id == sale.snapshot.order.method.method_id
        assert sale.snapshot.order.method.name == "iDEAL"
        assert _order(sim, first_key).payment_status == "cancelled"   # the first stays as it was
        assert browser.opened[-1] == sale.snapshot.order.payment_url
        assert area.checkout.page == "waiting"
        assert not area.message.isVisible(), area.message.text

        # 2. this one expires; "Another method": back to the choice, no order until Pay
        await _settle_and_see_not_paid(controller, wait, second_key, "expired")
        assert journal.get(second_sale).state == SaleState.EXPIRED
        sim.clear_requests()
        area.checkout.other_method_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.OPEN and len(sale.snapshot.held_lines) == 2
                   and not sale.snapshot.busy)
        await wait(lambda: area.checkout.page == "choose")
        assert area.page == "checkout" and area.checkout.pay_button.isVisible()
        assert api_posts(sim, "/order/create") == []
        third_cart = sale.snapshot.cart_id
        assert third_cart not in (first_cart, second_cart)
        assert sorted(sim.state.cart_seat_ids(third_cart)) == sorted(seats)
        pin = method_button(controller, "PIN")
        assert not pin.isChecked()
        pin.click()
        assert pin.isChecked() and sale.snapshot.payment_method.name == "PIN"
        await wait(area.checkout.pay_button.isEnabled)
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING
                   and sale.snapshot.order.order_key not in (first_key, second_key))
        third_key, third_sale = sale.snapshot.order.order_key, sale.snapshot.sale_id
        assert len(api_posts(sim, "/order/create")) == 1
        third = _order(sim, third_key)
        assert third.payment_method_id == next(m.method_id for m in sale.methods
                                               if m.name == "PIN")
        assert sorted(t.seat_id for t in third.tickets) == sorted(seats)

        # 3. this one fails; "Release the seats": the sale ends, the seats are free for anyone
        await _settle_and_see_not_paid(controller, wait, third_key, "failed")
        assert journal.get(third_sale).state == SaleState.FAILED
        sim.clear_requests()
        area.checkout.release_button.click()
        await wait(lambda: area.page == "cart")
        assert area.cart.line_ids() == [] and sale.snapshot.lines == ()
        assert sale.snapshot.order is None and sale.snapshot.not_paid is None
        assert api_posts(sim, "/order/create") == []
        assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"free"}
        assert not set(sim.state.holds(perf.event_id)) & set(seats)
        await wait(lambda: all(lay.available[lay.index_of(s)] for s in seats))
        assert view.state.in_cart == set()
        # every attempt ended, none left for recovery (only the next customer's cart, created
        # ahead, is open); three orders in all, one per cart
        await wait(lambda: sale.snapshot.phase == Phase.OPEN)
        assert [s.sale_id for s in journal.unfinished()] == [sale.snapshot.sale_id]
        assert sale.snapshot.sale_id not in (first_sale, second_sale, third_sale)
        keys = [k for k in sim.state.order_keys() if k in (first_key, second_key, third_key)]
        assert len(keys) == 3
        assert {_order(sim, k).payment_status for k in keys} == {"cancelled", "expired", "failed"}


@pytest.mark.asyncio
async def test_try_again_when_a_seat_was_taken_meanwhile_orders_nothing_and_says_so(
        demo_app, wait, browser, open_performance):
    async with running(demo_app()) as (controller, sale, area, sim):
        perf, seats = await seats_in_cart(controller, wait, open_performance, 2)
        await checkout_with(controller, wait, "iDEAL")
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        key = sale.snapshot.order.order_key
        await _settle_and_see_not_paid(controller, wait, key, "cancelled")
        # between the cancellation and "Try again" another counter takes one of the seats
        other_cart = await hold_elsewhere(sim, perf.event_id, [seats[0]])
        sim.clear_requests()
        area.checkout.try_again_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.OPEN and not sale.snapshot.busy
                   and len(sale.snapshot.held_lines) == 1)
        # the free seat is back in a new cart; no order was made for a cart the customer did
        # not agree to; the cashier is told which seat is gone and sees the checkout choice
        assert [ln.line_id for ln in sale.snapshot.held_lines] == [seats[1]]
        assert sim.state.cart_seat_ids(sale.snapshot.cart_id) == [seats[1]]
        assert sim.state.holds(perf.event_id)[seats[0]] == other_cart
        assert api_posts(sim, "/order/create") == []
        await wait(lambda: area.message.isVisible())
        assert area.message.text.startswith("These could not be put back")
        assert area.page == "checkout" and area.checkout.page == "choose"
        assert area.checkout.summary_label.text().startswith("1 ticket,")
