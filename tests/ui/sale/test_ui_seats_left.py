"""Seats left at a glance in the event list (issue 12), in the real windows against the real
simulator: with the key the 'Left' column says "N left" / "Few left: N" / "Sold out" and follows
sales on refresh (at another till, and a sale paid here); offline or from the saved copy the counts
are greyed and say "as of HH:MM"; without the key only "max N/order", never a count."""
from __future__ import annotations

from PySide6.QtCore import Qt

import pytest

from boxoffice.credentials import CredentialStore
from boxoffice.services.sale import Phase
from boxoffice.ui.events.model import COL_LEFT
from tests.support.salehelpers import checkout_with, method_button, seats_in_cart


def studio_with_room(sim) -> int:
    """An upcoming Studio performance (120 seats: "few" from 12 down) with more than 20 free."""
    for nth in range(20):
        perf = sim.catalog.find("studio", nth=nth)
        if free(sim, perf.event_id) > 20:
            return perf.event_id
    raise LookupError("no Studio performance with room")


def cell(window, event_id, role=Qt.ItemDataRole.DisplayRole):
    model = window.browser.model
    index = model.find_performance(event_id)
    assert index.isValid(), event_id
    return model.data(index.siblingAtColumn(COL_LEFT), role)


def greyed(window, event_id) -> bool:
    font = cell(window, event_id, Qt.ItemDataRole.FontRole)
    return font is not None and font.italic()


def free(sim, event_id) -> int:
    return sim.state.free_seats(int(event_id))


async def take_elsewhere(client, event_id, quantity) -> None:
    """Another till sells: public carts of at most 10 tickets (the per-order maximum)."""
    types = await client.public.ticket_types(event_id)
    while quantity > 0:
        cart_id = await client.public.create_cart()
        n = min(quantity, 10)
        await client.public.add_tickets(cart_id, event_id, n, types[0].discount_id)
        quantity -= n


@pytest.mark.asyncio
async def test_with_the_key_the_list_says_what_is_left_and_follows_a_sale_on_refresh(
        app_factory, wait, simulator, live_profile):
    sim = simulator()
    live_profile(sim)
    STUDIO = studio_with_room(sim)  # noqa: N806
    sold_out = sim.catalog.find("soldout")
    big = sim.catalog.find("theatre")
    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        await wait(lambda: window.browser.model.performance_count() > 0
                   and cell(window, STUDIO) == f"{free(sim, STUDIO)} left")
        assert cell(window, big.event_id) == f"{free(sim, big.event_id)} left"
        assert cell(window, sold_out.event_id) == ""       # the status says it, once
        assert not greyed(window, STUDIO)
        assert cell(window, STUDIO, Qt.ItemDataRole.ToolTipRole).endswith(
            f"\u00b7 {free(sim, STUDIO)} left")
        assert "max" not in cell(window, STUDIO, Qt.ItemDataRole.ToolTipRole)

        # another till sells all but 8: F5 reads the list and the counts again
        shown = cell(window, STUDIO)
        await take_elsewhere(controller.session.client, STUDIO, free(sim, STUDIO) - 8)
        assert cell(window, STUDIO) == shown              # not before the refresh
        controller.refresh()
        await wait(lambda: cell(window, STUDIO) == "Few left: 8")
        assert not greyed(window, STUDIO)

        # the connection drops: the same counts, greyed, "as of" the time they were read
        sim.faults.inject("drop_before", count=1_000_000)
        controller.refresh()
        await wait(lambda: window.offline)
        assert cell(window, STUDIO) == "Few left: 8" and greyed(window, STUDIO)
        tip = cell(window, STUDIO, Qt.ItemDataRole.ToolTipRole)
        assert "Few left: 8 (as of " in tip
        assert cell(window, STUDIO, Qt.ItemDataRole.AccessibleTextRole).startswith(
            "Few left: 8 (as of ")
        # reported reachable again: still greyed, until the counts have been read again
        controller.session.connectivity.report_success()
        assert not window.offline and greyed(window, STUDIO)
        sim.faults.clear()
        controller.refresh()
        await wait(lambda: not window.offline, timeout=15)
        await wait(lambda: not greyed(window, STUDIO), timeout=15)
        assert cell(window, STUDIO) == "Few left: 8"

        # the last 8 go; the counts are read before the list (as after a sale here): the list
        # still says on sale, the column says sold out, until the list itself is read again
        await take_elsewhere(controller.session.client, STUDIO, 8)
        controller.session.availability.sold([STUDIO])
        await wait(lambda: cell(window, STUDIO) == "Sold out")
        studio = window.browser.model.find_performance(STUDIO)
        assert window.browser.model.status_of(window.browser.model.row_at(studio)).value == "on_sale"
        controller.refresh()
        await wait(lambda: window.browser.model.status_of(
            window.browser.model.row_at(window.browser.model.find_performance(STUDIO))
        ).value == "sold_out")
        assert cell(window, STUDIO) == ""
    finally:
        await controller.shutdown()

    # a restart while VoordeMensen cannot be reached: the saved counts, greyed, with their time
    sim.stop()
    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        await wait(lambda: controller.session is not None and window.browser.model.performance_count())
        big_left = f"{free(sim, big.event_id)} left"
        await wait(lambda: cell(window, big.event_id) == big_left)
        assert greyed(window, big.event_id)
        assert f"{big_left} (as of " in cell(window, big.event_id, Qt.ItemDataRole.ToolTipRole)
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_without_the_key_only_the_per_order_maximum_never_a_count(
        app_factory, wait, simulator, live_profile):
    sim = simulator()
    profile = live_profile(sim)
    CredentialStore().delete(profile.id)
    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        await wait(lambda: controller.fetched_at is not None)
        first = controller.fetched_at
        controller.refresh()                    # F5: the list again, and still no count
        await wait(lambda: controller.fetched_at != first)
        texts = {cell(window, p.event_id) for prod in window.browser.model.productions()
                 for p in prod.performances}
        assert "max 10/order" in texts
        assert not any("left" in t.lower() for t in texts if t)
        assert cell(window, sim.catalog.find("soldout").event_id) == ""   # the status says it
        assert not [r for r in sim.requests() if "/peppered/" in r.path]
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_a_sale_paid_here_lowers_the_count_without_a_refresh(
        demo_app, wait, browser, open_performance):
    controller = demo_app()
    try:
        assert await controller.start()
        window, sale = controller.window, controller.sale
        sim = controller.session.simulator
        perf = sim.catalog.find("theatre")
        before = free(sim, perf.event_id)
        await wait(lambda: window.browser.model.performance_count() > 0
                   and cell(window, perf.event_id) == f"{before} left")
        await seats_in_cart(controller, wait, open_performance, n=2)
        await checkout_with(controller, wait, "Credit card")
        assert method_button(controller, "Credit card").isChecked()
        sale.area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        sim.clear_requests()
        sim.settle(sale.snapshot.order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        await wait(lambda: cell(window, perf.event_id) == f"{before - 2} left")
        assert not greyed(window, perf.event_id)
        # only that performance was read again, not the list
        assert not [r for r in sim.requests() if r.path.endswith("/events/upcoming")]
        assert [r.path for r in sim.requests() if "/peppered/event/" in r.path] \
            == [f"/v1/demo/peppered/event/{perf.event_id}"]
    finally:
        await controller.shutdown()
