"""When things go wrong at the counter: holds that run out (released lines, one-click re-add),
a seat sold elsewhere between choosing and adding, lost answers and 5xx after a write (never a
second line or order), and a restart that resumes unfinished sales from the journal."""
from __future__ import annotations

import pytest

from boxoffice.services.sale import Phase
from boxoffice.store.journal import SaleState
from tests.support.salehelpers import api_posts, choose_seats, free_seats, hold_elsewhere, method_button, running


def _label(plan, seat_id):
    for section in plan.sections:
        for row in section.rows:
            for seat in row.seats:
                if seat.seat_id == seat_id:
                    return row.row_nr, seat.seat_nr
    raise KeyError(seat_id)


@pytest.mark.asyncio
async def test_hold_expiry_releases_lines_and_readd_reports_seats_gone(demo_app, wait, browser,
                                                                       open_performance):
    async with running(demo_app(hold_seconds=3)) as (controller, sale, area, sim):
        perf = sim.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        plan = await controller.session.client.peppered.seating(perf.event_id)
        seats = free_seats(plan, 2)
        await choose_seats(panel, seats)
        await wait(lambda: len(sale.snapshot.held_lines) == 2)
        # under two minutes left: the countdown warns (amber)
        assert area.countdown.state == "warning"
        # the hold runs out: the lines show as released, the countdown says so
        await wait(lambda: len(sale.snapshot.released_lines) == 2, timeout=8)
        assert area.countdown.state == "expired"
        assert area.countdown.text() == "Hold expired: seats released"
        assert area.cart.released_box.isVisible() and area.cart.readd_button.isEnabled()
        assert "(released)" in area.cart.line_item(seats[0]).text(0)
        assert not area.cart.checkout_button.isEnabled()
        assert area.message.text == "The cart expired after 0 minutes: the seats were released." \
            or "expired" in area.message.text
        assert panel.seating.view.state.in_cart == set()

        # meanwhile another counter takes one of them; Re-add puts back the other one
        await hold_elsewhere(sim, perf.event_id, [seats[0]])
        area.cart.readd_button.click()
        await wait(lambda: len(sale.snapshot.held_lines) == 1)
        assert [ln.line_id for ln in sale.snapshot.held_lines] == [seats[1]]
        row, nr = _label(plan, seats[0])
        assert area.message.isVisible()
        assert f"Row {row}, seat {nr}" in area.message.text
        assert area.message.text.startswith("These could not be put back")
        assert area.message.action_button.text() == "Pick another seat"
        assert sim.state.holds(perf.event_id)[seats[1]] == sale.snapshot.cart_id


@pytest.mark.asyncio
async def test_a_seat_sold_elsewhere_before_the_add_names_row_and_seat(demo_app, wait, browser,
                                                                       open_performance):
    async with running(demo_app()) as (controller, sale, area, sim):
        perf = sim.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        await wait(lambda: sale.snapshot.phase == Phase.OPEN)
        plan = await controller.session.client.peppered.seating(perf.event_id)
        seats = free_seats(plan, 2)
        await hold_elsewhere(sim, perf.event_id, [seats[1]])   # the map has not caught up yet
        await choose_seats(panel, seats)
        await wait(lambda: area.message.isVisible())
        row, nr = _label(plan, seats[1])
        assert area.message.text == (f"Seat {nr} in row {row} was just sold at another counter: "
                                     "pick another seat.")
        assert area.message.property("severity") == "error"
        assert sale.snapshot.lines == () and area.cart.line_ids() == []
        assert sim.state.cart_seat_ids(sale.snapshot.cart_id) == []
        # the map is refreshed: the seat shows as taken
        lay = panel.seating.view.layout_
        await wait(lambda: not lay.available[lay.index_of(seats[1])])
        # "Pick another seat" puts the cashier back on the map
        area.message.action_button.click()
        assert not area.message.isVisible()
        assert panel.seating.view.hasFocus()


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["drop_after", "5xx_after"])
async def test_lost_answers_after_writes_never_double_a_line_or_an_order(
        demo_app, wait, browser, open_performance, kind):
    async with running(demo_app()) as (controller, sale, area, sim):
        perf = sim.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        await wait(lambda: sale.snapshot.phase == Phase.OPEN)
        cart_id = sale.snapshot.cart_id
        plan = await controller.session.client.peppered.seating(perf.event_id)
        seats = free_seats(plan, 2)

        # the add is applied, then the answer is lost (or a 5xx comes back)
        sim.faults.inject(kind, method="POST", path="*/peppered/cart/*")
        await choose_seats(panel, seats)
        await wait(lambda: len(area.cart.line_ids()) == 2 and not sale.snapshot.busy)
        assert sorted(area.cart.line_ids()) == sorted(seats)
        assert sorted(sim.state.cart_seat_ids(cart_id)) == sorted(seats)
        assert len(api_posts(sim, f"/peppered/cart/{cart_id}")) == 1   # read back, not re-sent

        # the order is created, then the answer is lost: found by reading back, never twice
        orders_before = set(sim.state.order_keys())
        sale.checkout_action.trigger()
        await wait(lambda: sale.methods is not None and area.checkout.method_buttons)
        method_button(controller, "iDEAL").click()
        await wait(area.checkout.pay_button.isEnabled)
        sim.faults.inject(kind, method="POST", path="/order/create")
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase in (Phase.WAITING, Phase.ATTENTION), timeout=15)
        new = set(sim.state.order_keys()) - orders_before
        assert len(new) == 1
        assert len(api_posts(sim, "/order/create")) == 1
        assert sale.snapshot.phase == Phase.WAITING
        assert sale.snapshot.order.order_key == next(iter(new))
        url = sale.snapshot.order.payment_url
        if url:     # the link came back with the answer
            assert browser.opened == [url] and area.checkout.qr.text() == url
        else:       # the answer was lost: the order was found by reading back, without its link
            assert browser.opened == [] and area.checkout.no_link_label.isVisible()


@pytest.mark.asyncio
async def test_restart_resumes_unfinished_sales_and_refuses_an_insecure_payment_link(
        app_factory, simulator, live_profile, wait, browser, open_performance):
    sim = simulator()
    live_profile(sim)          # a live venue (not demo): http payment links are not opened
    perf = sim.catalog.find("theatre")
    first = app_factory()
    try:
        assert await first.start()
        assert not first.profile.demo
        sale, area = first.sale, first.sale.area
        panel = await open_performance(first, perf.event_id, wait)
        plan = await first.session.client.peppered.seating(perf.event_id)
        seats = free_seats(plan, 4)
        await choose_seats(panel, seats[:2])
        await wait(lambda: len(sale.snapshot.held_lines) == 2)
        sale.open_checkout()
        await wait(lambda: sale.methods is not None and area.checkout.method_buttons)
        method_button(first, "PIN").click()
        await wait(area.checkout.pay_button.isEnabled)
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        key = sale.snapshot.order.order_key
        # the simulator's link is plain http: never opened, no QR, the cashier is told
        assert sale.snapshot.order.payment_url is None
        assert browser.opened == []
        assert not area.checkout.qr.isVisible() and area.checkout.no_link_label.isVisible()
        assert "not secure" in area.message.text
        # next customer: the order is kept and checked in the background
        area.checkout.stop_button.click()
        assert area.checkout.resume_button.isVisible()
        sale.new_sale_action.trigger()
        assert area.recovery.isVisible()
        await wait(lambda: any("waiting for the payment" in t for t in area.recovery.texts()))
        await wait(lambda: sale.snapshot.phase == Phase.OPEN)
        await choose_seats(panel, seats[2:])
        await wait(lambda: len(sale.snapshot.held_lines) == 2)
        second_sale = sale.snapshot.sale_id
    finally:
        await first.shutdown()             # the app stops with an order unpaid and a cart open

    sim.settle(key, "paid")                # the customer paid meanwhile
    again = app_factory()
    try:
        assert await again.start()
        notice = again.sale.area.recovery
        assert notice.isVisible() and len(notice.rows) == 2
        await wait(lambda: any("was paid" in t for t in notice.texts())
                   and any("the cart was released" in t for t in notice.texts()), timeout=10)
        assert any(f"Order {key[:11]}" in t and "was paid" in t for t in notice.texts())
        journal = again.sale.journal
        assert journal.get(second_sale).state == SaleState.RELEASED
        assert [s for s in journal.unfinished()] == []
        assert all(sim.state.seat_status(perf.event_id, s) == "free" for s in seats[2:])
        assert sim.state.order_snapshot(key)["payment_status"] == "paid"
    finally:
        await again.shutdown()


@pytest.mark.asyncio
async def test_a_browser_that_does_not_open_points_to_the_qr_code_until_the_sale_is_paid(
        demo_app, wait, open_performance, monkeypatch):
    """The payment link is fine but the system browser fails to open: the cashier is told to let
    the customer scan the QR code (not that the link is insecure), and the note goes once paid."""
    from PySide6.QtGui import QDesktopServices

    from tests.support.salehelpers import checkout_with, seats_in_cart

    browser_fails = []

    def refuse(url):  # this computer's browser does not start
        browser_fails.append(url.toString())
        return False

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(refuse))
    async with running(demo_app()) as (controller, sale, area, sim):
        await seats_in_cart(controller, wait, open_performance, 1)
        await checkout_with(controller, wait, "Credit card")
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        assert not sale.open_payment_page()
        assert browser_fails and browser_fails[-1] == sale.snapshot.order.payment_url
        assert area.message.message is not None
        assert "QR code" in area.message.text and "not secure" not in area.message.text
        assert area.checkout.qr.isVisible()
        sim.settle(sale.snapshot.order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        assert area.message.message is None
        # the receipt link is fine too: the note says the browser failed, nothing about safety
        assert not sale.open_receipt()
        assert browser_fails[-1] == sale.snapshot.confirmation.receipt_url
        assert "receipt" in area.message.text and "not secure" not in area.message.text
