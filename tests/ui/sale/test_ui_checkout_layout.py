"""The checkout pane on a small screen (issue 16, items 10 and 11): Pay and Back are a fixed
footer that is always in view (cash with change, the open customer section, a message and a
window banner at 1280×720 used to push them out of sight), and nothing that appears — a message,
the busy bar, a window banner — moves the payment-method buttons or Pay under the cursor. The
method remembered from the last sale is pre-selected only visibly: its button is highlighted and
the Pay button names it."""
from __future__ import annotations

import asyncio

from PySide6.QtCore import QPoint, QRect

import pytest

from boxoffice import i18n
from boxoffice.services.messages import Action, CashierMessage, Severity
from boxoffice.services.sale import Phase
from tests.support.salehelpers import (
    app_look_applied,
    checkout_with,
    method_button,
    seats_in_cart,
    start_sized,
)


@pytest.fixture
def app_look(qapp):
    """The font and style sheet main() gives the application (restored afterwards)."""
    with app_look_applied(qapp):
        yield


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0.02)


def in_view(widget, window) -> bool:
    """The whole widget can be seen: not scrolled away, not clipped, inside the window."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    if not window.rect().contains(QRect(top_left, widget.size())):
        return False
    return widget.visibleRegion().boundingRect() == widget.rect()


def where(widget, window) -> QPoint:
    return widget.mapTo(window, QPoint(0, 0))


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_pay_and_back_stay_in_view_and_nothing_moves_under_the_cursor(
        demo_app, wait, browser, open_performance, app_look, lang):
    i18n.set_language(lang)
    controller = demo_app()
    try:
        window = await start_sized(controller, wait, 1280, 720)
        area = controller.sale.area
        checkout = area.checkout
        await seats_in_cart(controller, wait, open_performance, 2)
        await checkout_with(controller, wait, "Cash")
        cash = checkout.cash
        await wait(lambda: cash.isVisible() and cash.quick_buttons)
        cash.quick_buttons[-1].click()
        assert cash.change is not None and cash.change.enough
        checkout.customer.toggle.click()
        await settle()
        assert in_view(checkout.pay_button, window) and in_view(checkout.back_button, window)

        card = method_button(controller, "Credit card")
        before = {"card": where(card, window), "pay": where(checkout.pay_button, window),
                  "back": where(checkout.back_button, window)}
        # a message with an action, the busy bar, and a window banner appear
        area.message.show_message(CashierMessage(
            "VoordeMensen did not answer in time; nothing was changed. " * 3, Action.TRY_AGAIN,
            Severity.WARNING))
        area.set_busy("Loading the payment methods\u2026")
        window.show_notice("The saved performances could not be read; they are fetched again. " * 2)
        window.set_offline(True, "Offline: VoordeMensen cannot be reached.", "offline")
        await settle()
        after = {"card": where(card, window), "pay": where(checkout.pay_button, window),
                 "back": where(checkout.back_button, window)}
        assert after == before
        assert in_view(checkout.pay_button, window) and in_view(checkout.back_button, window)
        assert area.message.isVisible() and window.notice_banner.isVisible()
        window.set_offline(False)
        area.set_busy(None)
        area.message.clear()
        await settle()
        assert {"card": where(card, window), "pay": where(checkout.pay_button, window),
                "back": where(checkout.back_button, window)} == before
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_the_remembered_method_is_preselected_visibly(demo_app, wait, browser,
                                                           open_performance, app_look):
    controller = demo_app()
    try:
        assert await controller.start()
        window = controller.window
        window.showNormal()
        window.resize(1280, 800)
        sale, area = controller.sale, controller.sale.area
        checkout = area.checkout
        await seats_in_cart(controller, wait, open_performance, 1)
        sale.checkout_action.trigger()
        await wait(lambda: sale.methods is not None and checkout.method_buttons)
        method_button(controller, "Cash").click()
        await wait(checkout.pay_button.isEnabled)
        cash_name = sale.snapshot.payment_method.name
        checkout.cash.quick_buttons[0].click()
        checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        controller.session.simulator.settle(sale.snapshot.order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        sale.new_sale_action.trigger()
        await wait(lambda: sale.snapshot.phase == Phase.OPEN)

        await seats_in_cart(controller, wait, open_performance, 1)
        sale.checkout_action.trigger()
        await wait(lambda: sale.methods is not None and checkout.method_buttons)
        chosen = sale.snapshot.payment_method
        if chosen is None:      # no preselection at all is the other honest answer
            assert not any(b.isChecked() for b in checkout.method_buttons.values())
            assert not checkout.pay_button.isEnabled()
            return
        assert chosen.name == cash_name
        button = method_button(controller, cash_name)
        other = method_button(controller, "Credit card")
        assert button.isChecked() and not other.isChecked()
        await settle()
        # highlighted: the checked button does not look like the others
        mid = QPoint(6, button.height() // 2)
        assert button.grab().toImage().pixelColor(mid) != other.grab().toImage().pixelColor(mid)
        # and Pay says which method it is going to use
        assert cash_name in checkout.pay_button.text()
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_the_waiting_page_fits_at_1280x720_without_overlaps(demo_app, wait, open_performance,
                                                                  app_look, monkeypatch, lang):
    """Cash, no browser opened (its message on top), QR, link, change and the buttons: at
    1280×720 nothing is drawn over anything else (the QR code ran under the link) and the
    buttons stay in view; the rest scrolls."""
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    i18n.set_language(lang)
    controller = demo_app()
    try:
        window = await start_sized(controller, wait, 1280, 720)
        sale, area = controller.sale, controller.sale.area
        checkout = area.checkout
        await seats_in_cart(controller, wait, open_performance, 4)
        await checkout_with(controller, wait, "Cash")
        checkout.cash.quick_buttons[-1].click()
        checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        await settle()
        page = checkout.waiting_page
        found = page.findChildren(QLabel) + page.findChildren(QAbstractButton) \
            + page.findChildren(QLineEdit) + [checkout.qr]
        shown = [w for w in found if w.isVisibleTo(page) and w.window() is window]
        for w in shown:
            assert w.height() >= w.minimumSizeHint().height() or w is checkout.qr, w.objectName()
        assert checkout.qr.height() >= checkout.qr.minimumHeight()
        # what can be seen of each (a scrolled-away part is clipped, not drawn over anything)
        rects = {w: w.visibleRegion().boundingRect().translated(w.mapTo(window, QPoint(0, 0)))
                 for w in shown}
        for a in shown:
            for b in shown:
                if a is not b and not a.isAncestorOf(b) and not b.isAncestorOf(a):
                    assert not rects[a].intersects(rects[b]), (a.objectName(), b.objectName())
        for button in (checkout.check_button, checkout.stop_button):
            assert in_view(button, window), button.objectName()
        # the change for a cash sale is in view without scrolling, and so is the QR code
        assert in_view(checkout.cash_change_label, window)
        assert checkout.qr.visibleRegion().boundingRect().height() >= checkout.qr.minimumHeight()
    finally:
        await controller.shutdown()
