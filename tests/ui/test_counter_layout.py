"""The window fits a counter laptop (issue 12): at 1280x800, in English and Dutch, the event list
shows date, time and hall without scrolling sideways, nothing in the sale pane is cut off, the
details pane gives way when the window is narrow, and a seat map opens with the hall filling the
view (a 120-seat studio is not a small patch in a large empty area)."""
from __future__ import annotations

import asyncio

from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

import pytest

from boxoffice import i18n



async def _settle(rounds: int = 10) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0.02)


async def _start(app_factory, wait, lang: str, width: int = 1280, height: int = 800):
    from boxoffice.ui.events.filter import DateFilter

    i18n.set_language(lang)
    controller = app_factory(force_demo=True)
    assert await controller.start()
    window = controller.window
    window.showNormal()
    window.resize(width, height)
    await wait(lambda: window.browser.model.performance_count() > 0
               and window.cart_widget is not None)
    await wait(lambda: window.width() == width and window.height() == height)
    window.browser.set_filter(DateFilter.ALL)
    await _settle()
    return controller, window


def _text_width(view, index) -> int:
    return view.fontMetrics().horizontalAdvance(str(index.data() or ""))


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_event_list_shows_date_time_and_hall_without_scrolling(app_factory, wait, app_look,
                                                                     lang, size):
    from boxoffice.ui.events.model import COL_HALL, COL_TIME, COL_WEEKDAY, COL_WHAT

    controller, window = await _start(app_factory, wait, lang, *size)
    try:
        tree = window.browser.tree
        header = tree.header()
        assert not tree.horizontalScrollBar().isVisible()
        assert tree.horizontalScrollBar().maximum() == 0
        # every column ends inside the list
        last = max(range(header.count()), key=header.sectionViewportPosition)
        right = header.sectionViewportPosition(last) + header.sectionSize(last)
        assert right <= tree.viewport().width(), (right, tree.viewport().width())
        proxy = window.browser.proxy
        checked = 0
        for r in range(proxy.rowCount()):
            parent = proxy.index(r, 0)
            for c in range(proxy.rowCount(parent)):
                for col in (COL_WHAT, COL_WEEKDAY, COL_TIME, COL_HALL):
                    index = proxy.index(c, col, parent)
                    # the cell's text fits its column (the first one is indented under its title)
                    room = tree.visualRect(index).width() - 8
                    assert _text_width(tree, index) <= room, (col, index.data(), room)
                    if col == COL_HALL:   # a longer one is elided: the tooltip has it whole
                        assert str(index.data()) in str(index.data(Qt.ItemDataRole.ToolTipRole))
                    checked += 1
        assert checked > 40
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_details_pane_collapses_when_the_window_is_narrow(app_factory, wait, app_look, lang):
    controller, window = await _start(app_factory, wait, lang, 1280, 800)
    try:
        assert not window.details.isVisible()
        assert window.browser.details_toggle.isVisible()
        # wide: the details are back beside the list, and their price table fits sideways
        window.resize(1920, 1080)
        await wait(lambda: window.width() == 1920)
        await _settle()
        assert window.details.isVisible()
        perf = window.browser.visible_performances()[0]
        assert window.browser.select_performance(perf.event_id)
        await wait(lambda: window.details.performance is perf)
        await wait(lambda: window.details.prices.isVisible(), timeout=10)
        await _settle()
        assert window.details.prices.horizontalScrollBar().maximum() == 0
        # narrow again: collapsed; the cashier can still open them (the toggle, or its key)
        window.resize(1280, 800)
        await wait(lambda: window.width() == 1280)
        await _settle()
        assert not window.details.isVisible()
        window.browser.details_toggle.click()
        await _settle()
        assert window.details.isVisible()
        assert window.browser.tree.horizontalScrollBar().maximum() == 0
    finally:
        await controller.shutdown()


def _cut_off(pane: QWidget) -> list[str]:
    """Visible widgets of *pane* that stick out of their parent, or are narrower than they need
    (a label that wraps or elides by itself is allowed to be narrow)."""
    problems = []
    for w in pane.findChildren(QWidget):
        if not w.isVisible() or w.width() == 0 or _inside_a_view(w, pane):
            continue
        parent = w.parentWidget()
        if parent is None:
            continue
        inside = QRect(QPoint(0, 0), parent.size())
        if not inside.contains(w.geometry()):
            problems.append(f"{type(w).__name__} {w.objectName()!r} {_text(w)!r} outside its parent: "
                            f"{w.geometry()} in {inside}")
        if isinstance(w, (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit)):
            if isinstance(w, QAbstractButton):   # its text (a fixed-width "+" needs no more)
                need = max(w.fontMetrics().horizontalAdvance(line) for line in w.text().split("\n"))
                need += 8 if w.text() else 0
            else:
                need = w.minimumSizeHint().width()
            if w.width() < need:
                problems.append(f"{type(w).__name__} {w.objectName()!r} {_text(w)!r} "
                                f"{w.width()} < {need}")
        elif isinstance(w, QLabel) and w.text() and not w.wordWrap() \
                and w.sizePolicy().horizontalPolicy().name != "Ignored" and w.pixmap().isNull():
            if w.width() < w.minimumSizeHint().width():
                problems.append(f"QLabel {w.objectName()!r} {w.text()!r} {w.width()} < "
                                f"{w.minimumSizeHint().width()}")
    return problems


def _text(w: QWidget) -> str:
    text = getattr(w, "text", None)
    return str(text()) if callable(text) else ""


def _inside_a_view(widget: QWidget, pane: QWidget) -> bool:
    """Part of a list or table of its own (those scroll by themselves); a page in a scroll area
    that is as wide as its view (the checkout's) is not."""
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None and parent is not pane:
        if isinstance(parent, QAbstractScrollArea) and not (
                isinstance(parent, QScrollArea) and parent.widgetResizable()):
            return True
        parent = parent.parentWidget()
    return False


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_nothing_in_the_sale_pane_is_cut_off_at_1280x800(app_factory, wait, app_look, lang):
    controller, window = await _start(app_factory, wait, lang, 1280, 800)
    try:
        sim = controller.session.simulator
        perf = sim.catalog.find("theatre")
        assert window.browser.select_performance(perf.event_id)
        window.browser.performance_opened.emit(window.browser.selected_performance())
        panel = window.performance_panel
        await wait(lambda: panel.mode == "seated")
        await _settle()
        assert _cut_off(panel) == []
        assert _cut_off(window.cart_area) == []
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["studio", "theatre", "concert"])
async def test_a_hall_opens_filling_the_map(app_factory, wait, app_look, kind):
    controller, window = await _start(app_factory, wait, "en", 1280, 800)
    try:
        perf = controller.session.simulator.catalog.find(kind)
        assert window.browser.select_performance(perf.event_id)
        window.browser.performance_opened.emit(window.browser.selected_performance())
        panel = window.performance_panel
        await wait(lambda: panel.mode == "seated")
        await _settle()
        view = panel.seating.view
        lay = view.layout_
        xs = [lay.xs[i] for i in range(lay.seat_count)]
        ys = [lay.ys[i] for i in range(lay.seat_count)]
        half = lay.seat_size / 2
        seats = QRectF(min(xs) - half, min(ys) - half, max(xs) - min(xs) + 2 * half,
                       max(ys) - min(ys) + 2 * half)
        b = lay.bounds   # the hall: its stage and its blocks of seats
        hall = view.mapFromScene(QRectF(b.x, b.y, b.width, b.height)).boundingRect()
        shown = view.mapFromScene(seats).boundingRect()
        vp = view.viewport().rect()
        assert vp.width() > 300 and vp.height() > 200
        cover = max(hall.width() / vp.width(), hall.height() / vp.height())
        assert cover >= 0.6, (kind, lay.seat_count, hall, vp, cover)
        # the seats themselves are no small patch either (the stage of a studio takes its room)
        seats_cover = max(shown.width() / vp.width(), shown.height() / vp.height())
        assert seats_cover >= 0.45, (kind, lay.seat_count, shown, vp, seats_cover)
        # and the whole hall is in view
        assert vp.adjusted(-2, -2, 2, 2).contains(hall), (hall, vp)
    finally:
        await controller.shutdown()
