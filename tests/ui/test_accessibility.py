"""Every control a cashier meets has a name for screen readers and a tooltip that names its key
(issue 12), in English and Dutch.

The real app on the demo venue (its simulator over loopback) is walked through the screens of an
evening: the event list and the details, a seated performance with its seat map, the cart, a
general-admission performance, checkout by cash and by card, the payment and its confirmation,
the order desk (Ctrl+O) with an order, the settings dialog and the shift report. On each screen
every visible control is checked:

- its name as a screen reader gets it (Qt's accessibility interface: the accessible name, else
  a button's own text, else the label that is a field's buddy) is there and has a word in it
  (a bare "+" or "×" is not a name);
- a button with a shortcut, a toolbar button of an action with a shortcut, and the controls
  that answer a known key (Ctrl+F, F9, F5, Del, Esc) show that key in their tooltip.

All gaps are collected and reported together.
"""
from __future__ import annotations

import asyncio

from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGraphicsView,
    QHeaderView,
    QLineEdit,
    QSlider,
    QToolButton,
    QWidget,
)

import pytest

from boxoffice import i18n
from boxoffice.services.sale import Phase
from tests.support.deskkit import sim_order, type_search
from tests.support.salehelpers import (
    checkout_with,
    method_button,
    open_from_browser,
    seats_in_cart,
    start_sized,
)

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QSlider,
            QGraphicsView)
#: parts of a compound control (a combo's or a spin box's editor, a field's clear button, a
#: table's corner button, a toolbar's overflow arrow): the compound one is named instead
PARTS = (QComboBox, QAbstractSpinBox, QLineEdit)
INNER = {"QTableCornerButton", "QLineEditIconButton"}

#: controls that answer a key of their own (a QShortcut or a key handler) by object name
KNOWN_KEYS = {
    "eventSearch": "Ctrl+F",
    "checkoutButton": "F9",
    "newSaleButton": "F2",
    "checkoutBack": "Esc",
    "syncOrdersButton": "F5",
    "removeLineButton": "Del",
    "backButton": "Esc",
}


def _name(widget: QWidget) -> str:
    face = QAccessible.queryAccessibleInterface(widget)
    return face.text(QAccessible.Text.Name) if face is not None else ""


def _is_part(widget: QWidget) -> bool:
    if widget.metaObject().className() in INNER or widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, PARTS):
            return True
        parent = parent.parentWidget()
    return False


def visible_controls(roots) -> list[QWidget]:
    found: list[QWidget] = []
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            if (isinstance(widget, CONTROLS) and not isinstance(widget, QHeaderView)
                    and widget.isVisible() and not _is_part(widget) and widget not in found):
                found.append(widget)
    return found


def _keys_of(widget: QWidget) -> list[str]:
    keys: list[QKeySequence] = []
    if isinstance(widget, QAbstractButton) and not widget.shortcut().isEmpty():
        keys.append(widget.shortcut())
    if isinstance(widget, QToolButton) and widget.defaultAction() is not None:
        keys.extend(s for s in widget.defaultAction().shortcuts()[:1] if not s.isEmpty())
    texts = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys]
    known = KNOWN_KEYS.get(widget.objectName())
    if known is not None:
        texts.append(known)
    return texts


def _describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return f"{type(widget).__name__}#{widget.objectName() or '?'} {text!r}"


def audit(screen: str, roots, problems: list[str]) -> int:
    """Check the visible controls under *roots*; adds what is missing to *problems*."""
    controls = visible_controls(roots)
    for widget in controls:
        name = _name(widget)
        if not any(ch.isalpha() for ch in name):
            problems.append(f"{screen}: {_describe(widget)} has no accessible name ({name!r})")
        tip = widget.toolTip()
        if isinstance(widget, QToolButton) and widget.defaultAction() is not None:
            tip = widget.defaultAction().toolTip()
        for key in _keys_of(widget):
            if key not in tip:
                problems.append(f"{screen}: {_describe(widget)}: tooltip {tip!r} lacks {key}")
    return len(controls)


async def _settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0.02)


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_every_control_has_a_name_and_its_key_in_the_tooltip(demo_app, wait, browser,
                                                                     app_look, lang):
    i18n.set_language(lang)
    controller = demo_app()
    problems: list[str] = []
    checked: dict[str, int] = {}

    async def look(screen: str, *roots) -> None:
        await _settle()
        checked[screen] = audit(screen, roots or (window,), problems)

    try:
        window = await start_sized(controller, wait, 1280, 800)
        await wait(lambda: window.browser.model.performance_count() > 0)
        sale, area = controller.sale, controller.sale.area
        sim = controller.session.simulator
        await look("event list")
        window.browser.select_performance(sim.catalog.find("theatre").event_id)
        if not window.details.isVisible():
            window.browser.details_toggle.click()
            await wait(window.details.isVisible)
        await wait(lambda: window.details.prices.isVisible())
        await look("event list with details")

        await seats_in_cart(controller, wait, open_from_browser, 2)
        await look("seat map with a cart")

        panel = await open_from_browser(controller, sim.catalog.find("ga").event_id, wait)
        await wait(lambda: panel.picker.spins())
        await look("general admission")

        await checkout_with(controller, wait, "Cash")
        await look("checkout: cash")
        method_button(controller, "Credit card").click()
        await wait(area.checkout.pay_button.isEnabled)
        await look("checkout: card")
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        await look("waiting for the payment")
        sim.settle(sale.snapshot.order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        await look("paid")
        sale.actions.new_sale.trigger()

        await wait(lambda: controller.orders is not None)
        orders = controller.orders
        orders.action.trigger()
        await wait(lambda: orders.desk.as_of is not None and not orders.desk.syncing, timeout=120)
        desk = orders.panel
        type_search(desk, sim_order(sim, min_seats=2)["user"]["customerLastName"])
        await wait(lambda: desk.model.rowCount() > 0)
        desk.results.select_row(0)
        await wait(lambda: desk.detail.order is not None)
        await look("order desk")

        controller.open_settings()
        settings = controller._settings_dialog
        await wait(settings.isVisible)
        await look("settings", settings)
        settings.reject()

        report = sale.open_shift_report()
        await wait(report.isVisible)
        await look("shift report", report)
        report.close()
    finally:
        await controller.shutdown()
    assert all(checked.values()), checked   # every screen was there, with controls on it
    assert not problems, "\n".join(problems)


def test_a_nameless_control_and_a_tooltip_without_its_key_are_found(qapp):
    """The audit itself: an icon-only button without a name, a field without a label, and a
    button whose tooltip does not show its shortcut are reported; named ones are not."""
    from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

    page = QWidget()
    lay = QVBoxLayout(page)
    bare, named, field, labelled = QPushButton("\u00d7"), QPushButton("\u00d7"), QLineEdit(), \
        QLineEdit()
    named.setAccessibleName("Close")
    caption = QLabel("Name:")
    caption.setBuddy(labelled)
    keyed = QPushButton("Pay")
    keyed.setShortcut(QKeySequence("F9"))
    keyed.setToolTip("Pay now")
    for w in (bare, named, field, caption, labelled, keyed):
        lay.addWidget(w)
    page.show()
    problems: list[str] = []
    assert audit("test", [page], problems) == 5
    page.close()
    assert len(problems) == 3, problems
    assert "'\u00d7' has no accessible name" in problems[0]
    assert "QLineEdit" in problems[1]
    assert "lacks F9" in problems[2]
    assert QApplication.instance() is qapp
