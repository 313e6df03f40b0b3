"""The computer's wall clock jumps an hour forward and back in the middle of a seated sale (NTP
catching up, a cashier fixing the time, a machine on the wrong zone). Hold countdowns and payment
polling run on the monotonic clock and the server's clock, so the cashier sees nothing change:
the countdown goes on as the simulator's own clock says, the hold is neither released early nor
extended, the payment is polled on its usual schedule and the sale completes.

The jump goes through the app clock (boxoffice.domain.clock.use_clock); the simulator keeps its
own clock, as a real server would. A countdown that read the wall clock shows "Hold expired"
after the +1 h jump (and reads the cart back), and over an hour after the -1 h jump."""
from __future__ import annotations

import asyncio
import re

import pytest

from boxoffice.domain.clock import use_clock
from boxoffice.services.sale import Phase
from boxoffice.store.journal import SaleState
from tests.support.clock import JumpingClock
from tests.support.salehelpers import choose_seats, free_seats, method_button

#: the countdown shows whole seconds, rounded up, from a Date header of 1 s resolution
TOLERANCE_S = 2


def shown_seconds(text: str) -> int:
    match = re.search(r"(\d+):(\d{2})$", text)
    assert match, f"no mm:ss in the countdown: {text!r}"
    return int(match.group(1)) * 60 + int(match.group(2))


@pytest.mark.asyncio
async def test_a_wall_clock_jump_mid_sale_changes_nothing_the_cashier_sees(
        demo_app, wait, browser, open_performance):
    clock = JumpingClock()
    with use_clock(clock):
        controller = demo_app()
        try:
            assert await controller.start()
            sale = controller.sale
            area = sale.area
            sim = controller.session.simulator
            perf = sim.catalog.find("theatre")
            panel = await open_performance(controller, perf.event_id, wait)
            await wait(lambda: sale.snapshot.phase == Phase.OPEN)
            plan = await controller.session.client.peppered.seating(perf.event_id)
            seats = free_seats(plan, 2)
            await choose_seats(panel, seats)
            await wait(lambda: len(sale.snapshot.held_lines) == 2)
            hold = sale.service.hold_info()
            assert hold is not None and not hold.estimated
            deadline = hold.expires_at
            cart = sim.state.carts[sale.snapshot.cart_id]
            server_deadline = cart.time_out
            countdown = area.countdown

            def sees_the_hold_as_the_server_does(when: str) -> None:
                countdown.tick()
                assert countdown.state == "ok", (when, countdown.text())
                left = (server_deadline - sim.state.now()).total_seconds()
                assert left > 60, "the hold is long enough for this test"
                assert abs(shown_seconds(countdown.text()) - left) <= TOLERANCE_S, \
                    (when, countdown.text(), left)
                now_hold = sale.service.hold_info()
                assert now_hold is not None and not now_hold.expired, when
                assert now_hold.expires_at == deadline, f"{when}: the hold was moved"
                assert cart.time_out == server_deadline, f"{when}: the hold was extended"
                assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"held"}
                assert sorted(ln.line_id for ln in sale.snapshot.held_lines) == sorted(seats)

            sees_the_hold_as_the_server_does("before the jump")
            sim.clear_requests()
            for hours, when in ((+1, "an hour ahead"), (-2, "an hour behind")):
                clock.jump(hours)
                sees_the_hold_as_the_server_does(when)
                # let the countdown's timer, the hold expiry and any read-back run
                await asyncio.sleep(1.3)
                sees_the_hold_as_the_server_does(f"{when}, a second later")
                # a fresh server answer (its Date header) changes nothing either
                await controller.session.client.peppered.seating(perf.event_id)
                sees_the_hold_as_the_server_does(f"{when}, after a server answer")
            # nothing was read back or written because of the jumps
            assert [r for r in sim.requests() if "/cart" in r.path] == []
            clock.jump(+1)

            # pay by card: the payment is polled on its schedule through two more jumps
            sale.checkout_action.trigger()
            await wait(lambda: sale.methods is not None and area.checkout.method_buttons)
            method_button(controller, "Credit card").click()
            await wait(area.checkout.pay_button.isEnabled)
            area.checkout.pay_button.click()
            await wait(lambda: sale.snapshot.phase == Phase.WAITING)
            poller = sale.service._watch.poller
            assert poller is not None
            await wait(lambda: poller.polls >= 2)
            clock.jump(+1)
            await wait(lambda: poller.polls >= 4)
            clock.jump(-2)
            await wait(lambda: poller.polls >= 6)
            assert sale.snapshot.phase == Phase.WAITING and area.checkout.page == "waiting"
            order = sale.snapshot.order
            sim.settle(order.order_key, "paid")
            await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
            assert area.page == "confirmation"
            assert sale.journal.get(sale.snapshot.sale_id).state == SaleState.PAID
            # the poller's clock (it times its schedule: every second for the first 20 s) never
            # saw the jumps: no gap of an hour, none negative, never closer than a second
            gaps = [b - a for a, b in zip(poller.request_starts, poller.request_starts[1:])]
            assert gaps and all(0.9 <= g < 60 for g in gaps), gaps
        finally:
            await controller.shutdown()
