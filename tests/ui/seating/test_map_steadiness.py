"""The seat map under the cashier's hand (issue 16, items 12 and 14): it does not shift when the
selection summary wraps, a wheel zoom repaints the whole map at once and keeps the point under the
cursor in place (also at the hall's edge), every seat can be scrolled clear of the minimap, and
Enter in the count box takes the suggestion shown for that count (or asks for one)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QRegion, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def _wheel(view, pos: QPoint, steps: int = 1) -> None:
    ev = QWheelEvent(QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)), QPoint(0, 0),
                     QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                     Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), ev)


def test_a_wrapping_selection_summary_does_not_move_the_map(panel, driver):
    panel.resize(560, 600)
    QApplication.processEvents()
    view = panel.view
    before = view.geometry()
    one_line = panel.status_label.height()
    # seats in two rows: "Parket row 1: seats 1–3, row 3: … · 6 seats selected, €…" wraps
    view.select_seats(["s1-1-1", "s1-1-2", "s1-1-3", "s1-3-7", "s1-3-8", "s1-3-9"])
    QApplication.processEvents()
    fm = panel.status_label.fontMetrics()
    assert "row" in panel.status_text
    assert fm.horizontalAdvance(panel.status_text) > panel.status_label.width()  # it does wrap
    assert view.geometry() == before
    view.clear_selection()
    QApplication.processEvents()
    assert view.geometry() == before and panel.status_label.height() == one_line


class PaintLog(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.region = QRegion()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.region = self.region.united(event.region())
        return False


def test_a_wheel_zoom_repaints_the_whole_map(panel, driver):
    view = panel.view
    view.zoom_by(3, QPointF(driver.pos("s1-3-5")))
    view.viewport().repaint()
    log = PaintLog()
    view.viewport().installEventFilter(log)
    try:
        _wheel(view, driver.pos("s1-3-5"))
        QApplication.processEvents()
        QApplication.processEvents()
    finally:
        view.viewport().removeEventFilter(log)
    # no stale pixels of the old zoom anywhere: every part of the map was painted again
    assert log.region.boundingRect().contains(view.viewport().rect())
    assert QRegion(view.viewport().rect()).subtracted(log.region).isEmpty()


def test_wheel_zoom_at_the_edge_of_the_hall_keeps_the_seat_under_the_cursor(panel, driver, plans):
    view = panel.view
    panel.set_plan(plans.make(plans.SMALL_ROWS, extra_sections=2, seats_per_row=30, n_rows=12))
    QApplication.processEvents()
    for seat in ("s1-1-1", "s101-12-30"):      # the first and the last seat of the hall
        view.fit_to_hall()
        QApplication.processEvents()
        for _ in range(4):
            anchor = driver.pos(seat)
            scene = view.mapToScene(anchor)
            _wheel(view, anchor)
            after = view.mapToScene(anchor)
            assert abs(after.x() - scene.x()) < 0.3 and abs(after.y() - scene.y()) < 0.3, seat
            assert view.seat_at_view(anchor) == view.layout_.index_of(seat)


def test_every_seat_can_be_scrolled_clear_of_the_minimap(qtbot, plans):
    from boxoffice.ui.seating import SeatingPanel

    big = SeatingPanel()
    qtbot.addWidget(big)
    big.resize(1000, 700)
    big.set_plan(plans.make(extra_sections=3, seats_per_row=30, n_rows=20))   # 1,800 seats
    big.show()
    qtbot.waitExposed(big)
    view = big.view
    view.zoom_by(4)
    QApplication.processEvents()
    assert big.minimap.isVisible()
    lay = view.layout_
    corner = max(range(lay.seat_count), key=lambda i: lay.xs[i] + lay.ys[i])   # bottom right
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    QApplication.processEvents()
    seat = view.viewport().mapTo(view, view.seat_view_pos(corner))
    r = view.seat_px() / 2 + 1
    seat_rect = QRect(int(seat.x() - r), int(seat.y() - r), int(2 * r), int(2 * r))
    assert view.viewport().geometry().contains(seat_rect)
    assert big.minimap.isVisible() and not big.minimap.geometry().intersects(seat_rect)


def test_enter_in_the_count_box_takes_the_suggestion_for_that_count(panel):
    box = panel.best_count
    box.setValue(3)
    panel.best_button.click()
    assert panel.view.state.suggestion is not None
    assert "Press Enter" in panel.message_text
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert len(panel.selected_seat_ids()) == 3 and panel.view.state.suggestion is None
    # a changed count: Enter asks for a new suggestion (never takes the old one) ...
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, "4")
    QTest.keyClick(box, Qt.Key.Key_Return)
    sug = panel.view.state.suggestion
    assert sug is not None and len(sug.seats) == 4
    assert len(panel.selected_seat_ids()) == 3
    # ... and Enter again takes it
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert len(panel.selected_seat_ids()) == 4 and panel.view.state.suggestion is None
