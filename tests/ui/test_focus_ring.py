"""Focus is always visible (issue 12): with the app's own style sheet a focused button, field,
combo box and list get a ring of at least 2 px in a colour that stands out (contrast of at least
3:1, WCAG's rule for focus indicators) against both the unfocused look and the window behind,
and getting the focus moves nothing: the widget keeps its size and its size hint."""
from __future__ import annotations

import asyncio

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import pytest

from tests.support.salehelpers import start_sized


def _luminance(c: QColor) -> float:
    def chan(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * chan(c.redF()) + 0.7152 * chan(c.greenF()) + 0.0722 * chan(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _ring_points(img: QImage) -> list[QPoint]:
    """The middle of each edge, one and two pixels in from the outside (a 2 px ring)."""
    w, h = img.width(), img.height()
    points = []
    for depth in (0, 1):
        points += [QPoint(w // 2, depth), QPoint(w // 2, h - 1 - depth),
                   QPoint(depth, h // 2), QPoint(w - 1 - depth, h // 2)]
    return points


def _grab(widget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


@pytest.fixture
def page(qapp, app_look):
    window = QWidget()
    lay = QVBoxLayout(window)
    controls = {"button": QPushButton("Pay"), "field": QLineEdit("Anna"),
                "combo": QComboBox(), "list": QListWidget()}
    controls["combo"].addItems(["Standard", "Student"])
    controls["list"].addItems(["Hamlet", "Café Chantant"])
    controls["list"].setFixedHeight(80)
    elsewhere = QLineEdit()
    for w in (*controls.values(), elsewhere):
        lay.addWidget(w)
    window.resize(320, 300)
    window.show()
    window.activateWindow()
    QApplication.processEvents()
    yield window, controls, elsewhere
    window.close()
    window.deleteLater()


@pytest.mark.parametrize("kind", ["button", "field", "combo", "list"])
def test_a_focused_control_has_a_clear_ring_and_nothing_moves(page, kind):
    window, controls, elsewhere = page
    widget = controls[kind]
    elsewhere.setFocus()
    QApplication.processEvents()
    assert not widget.hasFocus()
    size, hint = widget.size(), widget.sizeHint()
    off = _grab(widget)
    background = window.grab().toImage().pixelColor(window.width() - 2, window.height() - 2)

    widget.setFocus()
    QApplication.processEvents()
    assert widget.hasFocus()
    on = _grab(widget)

    assert widget.size() == size and widget.sizeHint() == hint, "the focus moved the layout"
    for point in _ring_points(on):
        ring, before = on.pixelColor(point), off.pixelColor(point)
        assert contrast(ring, before) >= 3.0, (kind, point, ring.name(), before.name())
        assert contrast(ring, background) >= 3.0, (kind, point, ring.name(), background.name())


def test_contrast_is_measured_as_wcag_does():
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(QColor("#f7f7f5"), QColor("#ffffff")) < 1.1


async def _rings_while_tabbing(window, start, seen: list[str], steps: int = 30) -> list[str]:
    """Tab from *start* on; every control that takes the focus is grabbed with and without it.
    Returns the controls whose ring is missing (their names are added to *seen*)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tests.ui.test_accessibility import CONTROLS

    missing: list[str] = []
    start.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(steps):
        await asyncio.sleep(0.05)
        widget = QApplication.focusWidget()
        if isinstance(widget, CONTROLS) and widget.objectName() not in seen:
            seen.append(widget.objectName())
            on = widget.grab().toImage()
            widget.clearFocus()
            await asyncio.sleep(0.05)
            off = widget.grab().toImage()
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            await asyncio.sleep(0.02)
            if any(contrast(on.pixelColor(p), off.pixelColor(p)) < 3.0 for p in _ring_points(on)):
                missing.append(f"{type(widget).__name__}#{widget.objectName()}")
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    return missing


@pytest.mark.asyncio
async def test_tabbing_through_the_real_window_shows_the_ring_on_every_control(demo_app, wait,
                                                                               browser, app_look):
    """The real app: Tab from control to control on the event list, the seat map with a cart,
    checkout and the order desk; each control that takes the focus shows the ring (a style
    rule of its own must not hide it)."""
    from tests.support.salehelpers import checkout_with, open_from_browser, seats_in_cart

    controller = demo_app()
    missing: list[str] = []
    seen: list[str] = []
    try:
        window = await start_sized(controller, wait, 1280, 800)
        window.activateWindow()
        await wait(lambda: window.browser.model.performance_count() > 0)
        missing += await _rings_while_tabbing(window, window.browser.tree, seen)
        await seats_in_cart(controller, wait, open_from_browser, 2)
        missing += await _rings_while_tabbing(window, window.performance_panel.seating.view, seen)
        await checkout_with(controller, wait, "Cash")
        missing += await _rings_while_tabbing(window, controller.sale.area.checkout.pay_button,
                                              seen)
        await wait(lambda: controller.orders is not None)
        controller.orders.action.trigger()
        missing += await _rings_while_tabbing(window, controller.orders.panel.search, seen)
    finally:
        await controller.shutdown()
    assert len(seen) >= 10, seen
    assert not missing, (missing, seen)
