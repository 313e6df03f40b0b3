"""The seat map fits a narrow window in Dutch, labels every block of a row, and names the selection."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QLabel

import pytest

from boxoffice import i18n
from boxoffice.domain.seatplan import PlanInput, PlanPriceLevel, PlanRow, PlanSeat, PlanSection

THREE_RANKS = (PlanPriceLevel("p1", 1, "Rang 1", Decimal("39.50")),
               PlanPriceLevel("p2", 2, "Rang 2", Decimal("32.50")),
               PlanPriceLevel("p3", 3, "Rang 3", Decimal("25.00")))


def _plan(numbers: list[int], n_rows: int = 6) -> PlanInput:
    """Rows numbered 1..n_rows with these seat numbers (a jump in numbering = an aisle)."""
    rows = tuple(PlanRow(r, tuple(PlanSeat(f"s{r}-{k}", k, 1 + (r - 1) // 2, True) for k in numbers))
                 for r in range(1, n_rows + 1))
    return PlanInput((PlanSection(1, "Parket", rows),), THREE_RANKS, hall_id=1, event_id=1)


@pytest.fixture
def dutch():
    i18n.set_language("nl")
    yield
    i18n.set_language("en")


def test_dutch_legend_wraps_so_the_panel_fits_a_narrow_window(qtbot, dutch):
    from boxoffice.ui.seating import SeatingPanel

    p = SeatingPanel()
    qtbot.addWidget(p)
    p.set_plan(_plan(list(range(1, 11))))
    assert "Niet beschikbaar" in p.legend.entries and len(p.legend.entries) == 7
    one_line = p.legend.sizeHint().width()     # all entries side by side
    assert p.minimumSizeHint().width() <= 900
    assert p.minimumSizeHint().width() < one_line
    p.resize(700, 600)
    p.show()
    qtbot.waitExposed(p)
    # at 700 px the legend takes more than one line, and every entry stays inside the panel
    assert p.legend.height() > p.legend.sizeHint().height()
    right = p.mapFromGlobal(p.legend.mapToGlobal(p.legend.rect().topRight())).x()
    assert right <= p.width()
    labels = [w for w in p.legend.findChildren(QLabel) if w.text() in p.legend.entries]
    assert len(labels) == 7
    for lab in labels:
        assert p.legend.rect().contains(lab.mapTo(p.legend, lab.rect().bottomRight()))


def _render(view, scale: float):
    b = view.layer.boundingRect()
    img = QImage(int(b.width() * scale) + 2, int(b.height() * scale) + 2, QImage.Format.Format_ARGB32)
    img.fill(0xFFFFFFFF)
    p = QPainter(img)
    view.scene().render(p, img.rect().toRectF(), b)
    p.end()
    return view.layer.last_paint


def test_row_numbers_are_drawn_in_the_aisles_when_zoomed_in_only(qtbot):
    from boxoffice.ui.seating import SeatingPanel

    p = SeatingPanel()
    qtbot.addWidget(p)
    p.set_plan(_plan([1, 2, 3, 4, 7, 8, 9, 10, 13, 14, 15]))   # two aisles in every row
    lay = p.view.layout_
    assert sum(lay.break_before[j] for r in lay.rows for j in range(r.first + 1, r.first + r.count)) \
        == 2 * len(lay.rows)
    whole = _render(p.view, 5.0)                # whole-hall zoom: a seat is 4 px
    assert whole.row_labels_drawn == 0 and whole.aisle_labels_drawn == 0
    high = _render(p.view, 25.0)
    assert high.row_labels_drawn == 2 * len(lay.rows)
    assert high.aisle_labels_drawn == 2 * len(lay.rows)


def test_aisle_labels_are_culled_by_the_exposed_rectangle(qtbot):
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    from boxoffice.ui.seating import SeatingPanel

    p = SeatingPanel()
    qtbot.addWidget(p)
    p.resize(600, 500)
    p.set_plan(_plan([1, 2, 3, 4, 7, 8, 9, 10, 13, 14, 15], n_rows=30))
    p.show()
    qtbot.waitExposed(p)
    view = p.view
    i = view.layout_.index_of("s1-1")
    view.zoom_by(8, QPointF(view.seat_view_pos(i)))
    view.ensure_visible([i])
    QApplication.processEvents()
    view.viewport().repaint()
    report = view.layer.last_paint
    assert 0 < report.aisle_labels_drawn < 2 * len(view.layout_.rows)


def test_status_names_the_seats_when_few_and_counts_when_many(qtbot, small_plan):
    from boxoffice.ui.seating import SeatingPanel

    p = SeatingPanel()
    qtbot.addWidget(p)
    p.set_plan(small_plan)
    p.view.select_seats(["s1-3-6", "s1-3-7", "s1-3-8"])
    assert p.status_text == "Parket row 3: seats 6\u20138 \u00b7 3 seats selected, €90.00"
    p.clear_selection()
    p.view.select_seats(["s1-1-1", "s1-3-1", "s1-5-1"])     # three rows: the count only
    assert p.status_text == "3 seats selected, €80.00"
    i18n.set_language("nl")
    try:
        p.clear_selection()
        p.view.select_seats(["s1-3-6", "s1-3-7", "s1-3-8"])
        text = p.view.status_text()
        assert text == "Parket rij 3: stoelen 6\u20138 \u00b7 3 stoelen gekozen, €\u00a090,00"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("look", ["plain", "app"])
def test_cart_place_is_readable_in_a_340px_pane_in_dutch(qtbot, dutch, request, look):
    """Beside the map: the cart's place column wraps instead of cutting "Parket, Rij 6, …" off,
    with Qt's own look and with the app's font and style sheet (taller rows)."""
    if look == "app":
        request.getfixturevalue("app_look")
    from types import SimpleNamespace

    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFontMetrics

    from boxoffice.services.sale import PriceOption, SaleLine
    from boxoffice.ui.cart.panel import COL_PLACE, COL_REMOVE, CartPanel

    lines = tuple(SaleLine(f"seat{k}", 7, "De Notenkraker", None, section, 6, k, False, "p1", "Rang 1", 1,
                           Decimal("39.50"))
                  for k, section in ((11, "Parket"), (12, "Parket"), (13, "Tweede balkon zijvak links")))
    group = SimpleNamespace(performance="De Notenkraker", starts_at=None, subtotal=Decimal("118.50"),
                            lines=lines)
    snap = SimpleNamespace(lines=lines, busy=None, groups=(group,), held_lines=lines, released_lines=(),
                           total=Decimal("118.50"), payment_method=None, surcharge=Decimal(0),
                           amount_due=Decimal("118.50"))
    options = [PriceOption("p1", "Rang 1", Decimal("39.50")), PriceOption("p1c", "CJP", Decimal("25.00"))]
    cart = CartPanel()
    qtbot.addWidget(cart)
    cart.resize(340, 500)
    cart.show_sale(snap, lambda line: options)
    cart.show()
    qtbot.waitExposed(cart)
    tree = cart.tree
    assert tree.horizontalScrollBar().maximum() == 0
    assert sum(tree.columnWidth(c) for c in range(COL_REMOVE + 1)) <= tree.viewport().width()
    fm = QFontMetrics(tree.font())
    for line in lines:
        item = cart.line_item(line.line_id)
        assert item.text(COL_PLACE) == line.place == f"{line.section}, Rij 6, stoel {line.seat}"
        width = tree.columnWidth(COL_PLACE)
        # every comma-separated part fits the column, and the row is high enough for the wrapped text
        assert all(fm.horizontalAdvance(part) < width for part in line.place.split(", ")[1:])
        needed = fm.boundingRect(QRect(0, 0, width - 12, 10_000), int(Qt.TextFlag.TextWordWrap),
                                 line.place.replace("Rij ", "Rij\u00a0").replace("stoel ", "stoel\u00a0")).height()
        assert tree.visualItemRect(item).height() >= needed
    # the long one takes more than two lines: its row is taller than a row with a combo alone
    long_item, short_item = cart.line_item("seat13"), cart.line_item("seat11")
    assert tree.visualItemRect(long_item).height() > tree.visualItemRect(short_item).height()


def test_hold_countdown_is_never_cut_off_in_a_narrow_sale_pane(qtbot, dutch):
    from boxoffice.ui.cart.area import SaleArea

    area = SaleArea()
    qtbot.addWidget(area)
    area.countdown.timer.stop()
    area.countdown._set("Stoelen vast nog 14:59", "ok")
    for width in (340, 600):
        area.resize(width, 700)
        area.show()
        qtbot.waitExposed(area)
        qtbot.wait(10)
        cd = area.countdown
        assert cd.width() >= cd.sizeHint().width(), width
        assert area.rect().contains(cd.geometry()), width
        # side by side when there is room, the countdown under the title when not
        beside = cd.geometry().top() < area.title.geometry().bottom()
        assert beside == (width == 600)
