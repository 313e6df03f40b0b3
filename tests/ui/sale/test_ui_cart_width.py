"""The sale pane stays narrow: at a 1280×800 window, with the app's own font and style sheet, in
English and in (longer) Dutch, the cart, checkout (card with the customer details open, cash with
the change), waiting, not-paid and confirmation pages need no more than 360 px — and at that
narrowest width no text is cut off: labels wrap, button rows stack, nothing pokes out of the
pane, and the checkout page does not scroll sideways."""
from __future__ import annotations

import asyncio

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QScrollArea,
    QWidget,
)

import pytest

from boxoffice import i18n
from boxoffice.services.messages import Action, CashierMessage, Severity
from boxoffice.services.sale import Phase
from boxoffice.ui.cart.message_line import action_text
from tests.support.salehelpers import app_look_applied, checkout_with, method_button, seats_in_cart

MAX_PANE = 360


@pytest.fixture
def app_look(qapp):
    """The font and style sheet main() gives the application (restored afterwards)."""
    with app_look_applied(qapp):
        yield


def _cut_off(area: QWidget) -> list[str]:
    """Visible texts that do not fit where the layout put them."""
    problems = []
    in_views = {id(c) for v in area.findChildren(QAbstractItemView) for c in v.findChildren(QWidget)}
    for w in area.findChildren(QWidget):
        # the cart lines' own cells (type combo, remove button) are sized by the list's columns
        if not w.isVisibleTo(area) or id(w) in in_views:
            continue
        if isinstance(w, QLabel) and w.text():
            if w.wordWrap():
                if w.height() < w.heightForWidth(w.width()):
                    problems.append(f"label {w.objectName()!r} {w.text()!r}: too low")
            elif w.width() < w.minimumSizeHint().width():
                problems.append(f"label {w.objectName()!r} {w.text()!r}: {w.width()} px")
        elif isinstance(w, QAbstractButton) and w.text():
            if w.width() < w.minimumSizeHint().width():
                problems.append(f"button {w.objectName()!r} {w.text()!r}: {w.width()} px")
        else:
            continue
        left = w.mapTo(area, QPoint(0, 0)).x()
        clip = w.parentWidget()
        while clip is not None and clip is not area and not isinstance(clip, QScrollArea):
            clip = clip.parentWidget()
        if clip is area and (left < 0 or left + w.width() > area.width()):
            problems.append(f"{w.objectName()!r} {w.text()!r} sticks out of the pane")
    for scroll in area.findChildren(QScrollArea):
        if scroll.isVisibleTo(area) and scroll.horizontalScrollBar().maximum() > 0:
            problems.append(f"{scroll.objectName()!r} scrolls sideways")
    return problems


def _headings_fit(cart) -> bool:
    """Each performance's heading in the cart ("Hamlet · date, time · subtotal") wraps rather
    than losing its end."""
    tree = cart.tree
    for i in range(tree.topLevelItemCount()):
        head = tree.topLevelItem(i)
        fm = QFontMetrics(head.font(0))
        need = fm.boundingRect(QRect(0, 0, tree.viewport().width() - 12, 10_000),
                               int(Qt.TextFlag.TextWordWrap), head.text(0)).height()
        if tree.visualItemRect(head).height() < need:
            return False
    return True


async def _narrowest(controller, wait, page: str, check=None) -> None:
    """The pane needs at most MAX_PANE px; squeezed to its minimum, nothing is cut off."""
    window = controller.window
    area = controller.sale.area
    splitter = window.content_splitter
    await asyncio.sleep(0.05)          # pending layout requests run (as between any two clicks)
    await wait(lambda: window.cart_area.minimumSizeHint().width()
               == area.minimumSizeHint().width(), timeout=2)
    need = area.minimumSizeHint().width()
    assert need <= MAX_PANE, (page, need)
    assert window.cart_area.minimumSizeHint().width() <= MAX_PANE, page
    sizes = splitter.sizes()
    splitter.setSizes([sum(sizes), 0])               # as narrow as the pane allows
    await wait(lambda: window.cart_area.width() == splitter.sizes()[1] <= MAX_PANE)
    assert splitter.sizes()[1] >= need - 1          # never narrower than its content
    try:
        await wait(lambda: not _cut_off(area), timeout=2)
    except AssertionError:
        raise AssertionError((page, splitter.sizes(), _cut_off(area))) from None
    if check is not None:
        await wait(check, timeout=2)
    splitter.setSizes(sizes)
    await wait(lambda: splitter.sizes() == sizes, timeout=2)


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_the_sale_pane_needs_at_most_360_px_and_cuts_no_text_off(
        demo_app, wait, browser, open_performance, app_look, lang):
    i18n.set_language(lang)
    controller = demo_app()
    try:
        assert await controller.start()
        window = controller.window
        window.showNormal()
        window.resize(1280, 800)
        await wait(lambda: window.width() == 1280)
        sale, area = controller.sale, controller.sale.area
        await seats_in_cart(controller, wait, open_performance, 2)
        await wait(lambda: len(area.cart.type_combos) == 2)
        assert area.page == "cart" and area.countdown.isVisible()
        await _narrowest(controller, wait, "cart", lambda: _headings_fit(area.cart))

        await checkout_with(controller, wait, "Credit card")
        area.checkout.customer.toggle.click()
        assert area.checkout.customer.optin.isVisible()
        await _narrowest(controller, wait, "checkout card")
        # every message the line can show, with its action button
        for action in (a for a in Action if action_text(a)):
            area.message.show_message(CashierMessage(
                "VoordeMensen did not answer in time; nothing was changed.", action,
                Severity.WARNING))
            await _narrowest(controller, wait, f"message {action}")
        area.message.clear()

        method_button(controller, "Cash").click()
        cash = area.checkout.cash
        await wait(lambda: cash.isVisible() and cash.quick_buttons)
        cash.quick_buttons[-1].click()
        assert cash.change is not None and cash.change.enough
        await _narrowest(controller, wait, "checkout cash")

        method_button(controller, "iDEAL").click()
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        assert area.checkout.qr.isVisible()
        await _narrowest(controller, wait, "waiting")
        controller.session.simulator.settle(sale.snapshot.order.order_key, "cancelled")
        await wait(lambda: sale.snapshot.phase == Phase.NOT_PAID, timeout=10)
        await _narrowest(controller, wait, "not paid")

        area.checkout.other_method_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.OPEN and len(sale.snapshot.held_lines) == 2
                   and not sale.snapshot.busy)
        method_button(controller, "Credit card").click()
        await wait(area.checkout.pay_button.isEnabled)
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        controller.session.simulator.settle(sale.snapshot.order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        assert area.page == "confirmation" and area.confirmation.amount_label.text()
        await _narrowest(controller, wait, "confirmation")
    finally:
        await controller.shutdown()
