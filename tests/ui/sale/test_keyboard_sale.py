"""A whole sale without the mouse (issue 12): key events only, on whatever has the focus, from the
event list to a paid order; the number of keystrokes is counted. Goal: at most 12 from the event
list for 2 best-available seats paid by card. The payment itself is completed at the simulator
(the customer's side: the payment page), as the other sale tests do."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import pytest

from boxoffice.services.sale import Phase
from boxoffice.ui.events.filter import DateFilter
from tests.support.salehelpers import start_sized


class Keys:
    """Presses keys on the focused widget (the window when nothing has the focus) and counts them."""

    def __init__(self, window) -> None:
        self.window = window
        self.count = 0

    def press(self, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        target = QApplication.focusWidget() or self.window
        QTest.keyClick(target, key, modifier)
        self.count += 1

    def type(self, text: str) -> None:
        for ch in text:
            target = QApplication.focusWidget() or self.window
            QTest.keyClicks(target, ch)
            self.count += 1


async def _from_the_list(controller, wait, perf_kind: str):
    window = await start_sized(controller, wait, 1280, 800)
    window.activateWindow()
    browser = window.browser
    await wait(lambda: browser.model.performance_count() > 0)
    sim = controller.session.simulator
    target = sim.catalog.find(perf_kind)
    prod = sim.catalog.production_of(target)
    term = _search_term_for(browser, prod.name, target.event_id)
    browser.set_filter(DateFilter.UPCOMING)
    browser.tree.setFocus()
    await wait(lambda: QApplication.focusWidget() is browser.tree)
    return window, term, target


def _search_term_for(browser, name: str, event_id) -> str:
    """The shortest part of the title that lists the performance first (what a cashier types:
    "kom" for "Kleine Komedie")."""
    for n in range(1, len(name) + 1):
        for start in range(len(name) - n + 1):
            part = name[start:start + n]
            if not part.strip() or part != part.strip():
                continue
            browser.search.setText(part)
            browser.flush()
            shown = browser.visible_performances()
            if shown and shown[0].event_id == event_id:
                browser.search.clear()
                browser.flush()
                return part
    raise AssertionError(f"{name} never lists {event_id} first")


def _method_number(sale, name: str) -> str:
    names = [m.name for m in sale.methods]
    return str(names.index(name) + 1)


@pytest.mark.asyncio
async def test_seated_sale_of_two_best_seats_by_card_in_twelve_keys(demo_app, wait, browser):
    controller = demo_app()
    try:
        window, term, target = await _from_the_list(controller, wait, "theatre")
        sale, area = controller.sale, controller.sale.area
        keys = Keys(window)

        keys.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)   # Ctrl+F: the search
        assert QApplication.focusWidget() is window.browser.search
        keys.type(term)
        keys.press(Qt.Key.Key_Return)                # to the first performance found
        assert window.browser.selected_performance().event_id == target.event_id
        keys.press(Qt.Key.Key_Return)                # open it
        panel = window.performance_panel
        await wait(lambda: panel.mode == "seated" and sale.snapshot.phase == Phase.OPEN)
        view = panel.seating.view
        await wait(lambda: QApplication.focusWidget() is view)

        keys.type("2")                               # how many seats
        keys.press(Qt.Key.Key_Return)                # the best two are suggested
        assert view.state.suggestion is not None and view.state.suggestion_count == 2
        keys.press(Qt.Key.Key_Return)                # taken
        keys.press(Qt.Key.Key_Return)                # into the cart
        await wait(lambda: len(sale.snapshot.held_lines) == 2)

        keys.press(Qt.Key.Key_F9)                    # checkout
        await wait(lambda: sale.methods is not None and area.checkout.method_buttons)
        assert area.page == "checkout"
        keys.type(_method_number(sale, "Credit card"))   # the method by its number
        assert sale.snapshot.payment_method.name == "Credit card"
        await wait(area.checkout.pay_button.isEnabled)
        keys.press(Qt.Key.Key_Return)                # pay
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        assert keys.count <= 12, (keys.count, term)

        order = sale.snapshot.order
        assert browser.opened == [order.payment_url]   # the payment page, for the card
        controller.session.simulator.settle(order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        assert area.page == "confirmation"

        keys.press(Qt.Key.Key_F2)                    # the next customer
        assert area.page == "cart" and area.cart.line_ids() == []
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_general_admission_sale_by_card_with_keys_only(demo_app, wait, browser):
    controller = demo_app()
    try:
        window, term, target = await _from_the_list(controller, wait, "ga")
        sale, area = controller.sale, controller.sale.area
        keys = Keys(window)

        keys.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        keys.type(term)
        keys.press(Qt.Key.Key_Return)
        keys.press(Qt.Key.Key_Return)
        panel = window.performance_panel
        await wait(lambda: panel.mode == "quantity" and panel.picker.spins())
        await wait(lambda: QApplication.focusWidget() is panel.picker.spins()[0])

        keys.type("2")                               # two tickets of the first type
        keys.press(Qt.Key.Key_Return)                # into the cart
        await wait(lambda: len(sale.snapshot.held_lines) == 2)
        keys.press(Qt.Key.Key_F9)
        await wait(lambda: sale.methods is not None and area.checkout.method_buttons)
        keys.type(_method_number(sale, "Credit card"))
        await wait(area.checkout.pay_button.isEnabled)
        keys.press(Qt.Key.Key_Return)
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        assert keys.count <= 12, keys.count

        controller.session.simulator.settle(sale.snapshot.order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        keys.press(Qt.Key.Key_F2)
        assert area.page == "cart"
    finally:
        await controller.shutdown()

