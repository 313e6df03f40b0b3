"""Helpers for the sale UI tests: choosing seats on the map, holding seats elsewhere, the payment
method buttons, a cart with seats in it, checkout, the app's own look and window size, and the
requests sent."""
from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest

from boxoffice.api import ApiKey, VdmClient, models
from boxoffice.api.retry import RetryPolicy
from tests.support.seats import free_seats


async def open_from_browser(controller, event_id: int, wait) -> object:
    """Select *event_id* in the list, press Enter, wait until its page has loaded."""
    from boxoffice.ui.events.filter import DateFilter

    window = controller.window
    await wait(lambda: window.browser.model.performance_count() > 0)
    window.browser.set_filter(DateFilter.ALL)
    window.browser.flush()
    assert window.browser.select_performance(event_id), event_id
    QTest.keyClick(window.browser.tree, Qt.Key.Key_Return)
    panel = window.performance_panel
    assert panel.event_id == event_id
    await wait(lambda: panel.mode in ("seated", "quantity", "message"))
    return panel


async def choose_seats(panel, seat_ids: list[str]) -> None:
    """Select seats on the map and press Enter (what the cashier does)."""
    view = panel.seating.view
    assert view.select_seats(seat_ids) == seat_ids
    QTest.keyClick(view, Qt.Key.Key_Return)


async def hold_elsewhere(sim, event_id: int, seat_ids: list[str]) -> str:
    """Another counter holds these seats in its own cart; returns that cart id."""
    async with VdmClient(sim.base_url, sim.client_name, api_key=ApiKey(sim.api_key), timeout=5.0,
                         retry=RetryPolicy.never()) as client:
        plan = await client.peppered.seating(event_id)
        items = []
        for seat_id in seat_ids:
            seat = plan.seat(seat_id)
            level = next(pl for pl in plan.price_levels if pl.rank_id == seat.rank_id)
            items.append(models.CartItemRequest(price_id=level.price_id, rank_id=level.rank_id,
                                                event_id=event_id, seat_id=seat_id))
        cart_id = await client.public.create_cart()
        await client.peppered.add_items(cart_id, items)
        return cart_id


def method_button(controller, name: str):
    methods = controller.sale.methods or []
    mid = next(m.method_id for m in methods if m.name == name)
    return controller.sale.area.checkout.method_buttons[mid]


async def seats_in_cart(controller, wait, open_performance, n: int = 1, kind: str = "theatre"):
    """Open a seated performance of *kind*, hold *n* free seats next to each other through
    the map; returns (performance, seat ids)."""
    from boxoffice.services.sale import Phase

    sale = controller.sale
    sim = controller.session.simulator
    perf = sim.catalog.find(kind)
    panel = await open_performance(controller, perf.event_id, wait)
    await wait(lambda: sale.snapshot.phase == Phase.OPEN)
    plan = await controller.session.client.peppered.seating(perf.event_id)
    seats = free_seats(plan, n)
    await choose_seats(panel, seats)
    await wait(lambda: len(sale.snapshot.held_lines) == n)
    return perf, seats


async def checkout_with(controller, wait, method: str) -> None:
    """F9 → checkout, then choose the payment method *method* (by its API name)."""
    sale, area = controller.sale, controller.sale.area
    sale.checkout_action.trigger()
    await wait(lambda: sale.methods is not None and area.checkout.method_buttons)
    method_button(controller, method).click()
    assert sale.snapshot.payment_method.name == method
    await wait(area.checkout.pay_button.isEnabled)


async def ga_tickets_to_checkout(controller, wait, open_performance, n: int, method: str) -> None:
    """Open the general-admission performance, add *n* tickets with the picker, press the cart's
    checkout button and choose the payment method *method* (by its API name)."""
    sale, area = controller.sale, controller.sale.area
    perf = controller.session.simulator.catalog.find("ga")
    panel = await open_performance(controller, perf.event_id, wait)
    await wait(lambda: panel.picker.spins())
    panel.picker.spins()[0].setValue(n)
    panel.picker.request_add()
    await wait(lambda: len(sale.snapshot.held_lines) == n)
    area.cart.checkout_button.click()
    await wait(lambda: sale.methods is not None and area.checkout.method_buttons)
    method_button(controller, method).click()


async def start_sized(controller, wait, width: int = 1280, height: int = 720):
    """Start the AppController and show its window at *width*×*height*; returns the window."""
    assert await controller.start()
    window = controller.window
    window.showNormal()
    window.resize(width, height)
    await wait(lambda: window.width() == width and window.height() == height)
    return window


@contextlib.contextmanager
def app_look_applied(qapp):
    """The font and style sheet main() gives the application, restored afterwards."""
    from boxoffice.ui.resources import load_style_sheet

    font, sheet = QFont(qapp.font()), qapp.styleSheet()
    big = QFont(font)
    big.setPointSizeF(max(big.pointSizeF(), 11.0))
    qapp.setFont(big)
    qapp.setStyleSheet(load_style_sheet())
    try:
        yield
    finally:
        qapp.setFont(font)
        qapp.setStyleSheet(sheet)


@contextlib.asynccontextmanager
async def running(controller):
    """Start an AppController and always shut it down: ``(controller, sale, area, simulator)``."""
    try:
        assert await controller.start()
        yield controller, controller.sale, controller.sale.area, controller.session.simulator
    finally:
        await controller.shutdown()


def api_posts(sim, contains: str) -> list:
    return [r for r in sim.requests() if r.method == "POST" and contains in r.path
            and "/_sim" not in r.path]
