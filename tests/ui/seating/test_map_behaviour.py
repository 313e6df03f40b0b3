"""Best available, live availability, level of detail and the minimap."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication

from boxoffice.domain.best_available import Outcome


def _orphans(layout, seats):
    """Seats left alone: one free seat between the group and a taken seat / row end / aisle."""
    bad = []
    avail = bytearray(layout.available)
    for i in seats:
        avail[i] = 0
    for i in seats:
        row = layout.rows[layout.row_of[i]]
        for j, k in ((i - 1, i - 2), (i + 1, i + 2)):
            if row.first <= j < row.first + row.count and avail[j]:
                beyond_free = row.first <= k < row.first + row.count and avail[k] and not (
                    layout.break_before[max(j, k)])
                if not beyond_free:
                    bad.append(j)
    return bad


def test_best_available_has_no_orphan_is_highlighted_and_enter_takes_it(panel, driver, qtbot):
    view = panel.view
    panel.best_count.setValue(3)
    panel.best_button.click()
    sug = view.state.suggestion
    assert sug is not None and sug.outcome is Outcome.TOGETHER and len(sug.seats) == 3
    assert _orphans(view.layout_, sug.seats) == []
    assert all(view.layout_.available[i] for i in sug.seats)
    assert panel.take_button.isVisible() and panel.take_button.text() == "Take these seats"
    assert panel.message_text.startswith("Suggested: Parket row ")
    # the suggestion is drawn with its own look: the vermillion ring around each suggested seat
    QApplication.processEvents()
    img = view.viewport().grab().toImage()
    centre = view.seat_view_pos(sug.seats[0])
    ring_px = int(view.seat_px() * 0.5)
    ring = img.pixelColor(centre.x() + ring_px, centre.y())
    assert (ring.red(), ring.green(), ring.blue()) != img.pixelColor(centre).getRgb()[:3]
    assert ring.red() > 150 and ring.green() < 120, ring.name()
    assert view.selected_seat_ids() == []
    with qtbot.waitSignal(panel.selectionChanged, timeout=1000):
        driver.key(Qt.Key.Key_Return)
    assert sorted(view.selected_seat_ids()) == sorted(view.layout_.seat_ids[i] for i in sug.seats)
    assert view.state.suggestion is None and not panel.take_button.isVisible()


def test_no_block_together_offers_the_best_split(qtbot, plans):
    from boxoffice.ui.seating import SeatingPanel

    p = SeatingPanel()
    qtbot.addWidget(p)
    p.resize(900, 600)
    p.set_plan(plans.make({1: "..x..x..", 2: "x..x..x."}))
    p.best_count.setValue(4)
    result = p.suggest_best()
    assert result.outcome is Outcome.SPLIT and sum(len(g) for g in result.groups) == 4
    assert p.message_text.startswith("No 4 seats together; best split 2 + 2: ")
    assert p.take_button.text() == "Take split" and not p.take_button.isHidden()
    p.take_button.click()
    assert len(p.selected_seat_ids()) == 4
    p.best_count.setValue(10)           # 10 free seats but 4 are now selected: still offered
    assert p.suggest_best().outcome is Outcome.SPLIT
    p.set_in_cart(p.selected_seat_ids())   # in the cart: never offered again
    assert p.suggest_best().outcome is Outcome.NOT_ENOUGH
    assert p.message_text == "Only 7 seats are free."   # 11 free, 4 of them in the cart


def test_refresh_keeps_zoom_and_scroll_and_drops_a_seat_taken_meanwhile(panel, driver, plans, qtbot):
    view = panel.view
    small_plan = plans.make(plans.SMALL_ROWS, extra_sections=2, seats_per_row=30, n_rows=12)
    panel.set_plan(small_plan)
    driver.click("s1-3-5")
    driver.click("s1-3-6")
    view.zoom_by(6, QPointF(view.seat_view_pos(driver.index("s1-3-5"))))
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 7)
    QApplication.processEvents()
    before = (view.transform(), view.horizontalScrollBar().value(), view.verticalScrollBar().value())
    assert view.horizontalScrollBar().maximum() > 0
    with qtbot.waitSignal(panel.seatsTaken, timeout=1000) as sig:
        panel.update_plan(plans.with_taken(small_plan, {"s1-3-6", "s1-1-1"}))
    assert sig.args == [["s1-3-6"], "Parket row 3 seat 6 was just taken at another counter."]
    assert panel.message_text == "Parket row 3 seat 6 was just taken at another counter."
    assert view.selected_seat_ids() == ["s1-3-5"]
    assert panel.status_text == "Parket row 3: seat 5 \u00b7 1 seat selected, €30.00"
    assert (view.transform(), view.horizontalScrollBar().value(), view.verticalScrollBar().value()) == before
    assert not view.layout_.available[driver.index("s1-1-1")]
    # the new availability is drawn: the taken seat's colour bucket moved to the grey one
    assert view.layer.seat_key[driver.index("s1-1-1")] == 255


def test_a_plan_of_another_performance_rebuilds_the_map(panel, plans):
    panel.view.select_seats(["s1-1-1"])
    panel.update_plan(plans.make({1: "....", 2: "...."}, event_id=99))
    assert panel.view.layout_.event_id == 99 and panel.selected_seat_ids() == []


def test_wheel_zooms_around_the_cursor(panel, driver, plans):
    view = panel.view
    panel.set_plan(plans.make(plans.SMALL_ROWS, extra_sections=2, seats_per_row=30, n_rows=12))
    fit_px = view.seat_px()
    view.zoom_by(5, QPointF(driver.pos("s1-2-8")))
    anchor = driver.pos("s1-2-8")
    assert view.horizontalScrollBar().maximum() > 0
    scene_before = view.mapToScene(anchor)
    px = view.seat_px()
    ev = QWheelEvent(QPointF(anchor), QPointF(view.viewport().mapToGlobal(anchor)), QPoint(0, 0),
                     QPoint(0, 240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                     Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), ev)
    zoomed = view.seat_px()
    assert zoomed > px * 1.4
    after = view.mapToScene(anchor)
    assert abs(after.x() - scene_before.x()) < 0.2 and abs(after.y() - scene_before.y()) < 0.2
    driver.key(Qt.Key.Key_Minus)
    assert abs(view.seat_px() - zoomed / 1.25) < 0.01
    driver.key(Qt.Key.Key_0)
    assert abs(view.seat_px() - fit_px) < 0.01


def _render(view, scale: float):
    """Paint the scene into an image at ``scale`` px per seat unit; returns the layer's report."""
    lay = view.layout_
    b = view.layer.boundingRect()
    img = QImage(int(b.width() * scale) + 2, int(b.height() * scale) + 2, QImage.Format.Format_ARGB32)
    img.fill(0xFFFFFFFF)
    p = QPainter(img)
    view.scene().render(p, img.rect().toRectF(), b)
    p.end()
    return view.layer.last_paint, img


def test_seat_numbers_are_drawn_only_when_zoomed_in(panel):
    view = panel.view
    low, _img = _render(view, 5.0)            # a seat is 4 px
    assert low.mode == "blocks" and low.numbers_drawn == 0 and low.seats_drawn == view.layout_.seat_count
    assert low.row_labels_drawn == 0
    mid, _img = _render(view, 13.0)           # 10.4 px: circles, still no numbers
    assert mid.mode == "circles" and mid.numbers_drawn == 0
    high, _img = _render(view, 25.0)          # 20 px: every seat gets its number
    assert high.mode == "circles" and high.numbers_drawn == view.layout_.seat_count
    assert high.row_labels_drawn == 2 * len(view.layout_.rows)


def test_zoomed_in_view_draws_only_what_is_exposed(panel, driver):
    view = panel.view
    view.zoom_by(6, QPointF(driver.pos("s1-1-1")))
    view.viewport().repaint()
    report = view.layer.last_paint
    assert report.numbers_drawn > 0
    assert report.seats_drawn < view.layout_.seat_count


def test_minimap_only_for_big_halls_and_only_when_zoomed_in(qtbot, plans, panel):
    from boxoffice.ui.seating import SeatingPanel

    assert not panel.view.minimap_enabled
    panel.view.zoom_by(4)
    QApplication.processEvents()
    assert panel.minimap.isHidden()

    big = SeatingPanel()
    qtbot.addWidget(big)
    big.resize(1000, 700)
    big.set_plan(plans.make(extra_sections=3, seats_per_row=30, n_rows=20))   # 1,800 seats
    big.show()
    qtbot.waitExposed(big)
    view = big.view
    assert view.minimap_enabled
    QApplication.processEvents()
    assert big.minimap.isHidden()              # the whole hall is on screen: nothing to navigate
    view.zoom_by(5)
    QApplication.processEvents()
    assert big.minimap.isVisible()
    # clicking the minimap moves the map there
    centre_before = view.mapToScene(view.viewport().rect().center())
    mm = big.minimap
    from PySide6.QtTest import QTest
    QTest.mouseClick(mm, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(8, mm.height() - 8))
    centre_after = view.mapToScene(view.viewport().rect().center())
    assert centre_after.x() < centre_before.x() - 5 or centre_after.y() > centre_before.y() + 5
