"""Pinch zoom on the hall map, delivered as Qt delivers it: a trackpad pinch as ``QNativeGestureEvent``
(ZoomNativeGesture) and a touch-screen pinch as real touch points that Qt's gesture recogniser turns
into a ``QPinchGesture``. Both zoom around the fingers, in the right direction, clamped exactly like
the wheel; a touch pinch selects nothing (its first finger also arrives as a mouse press and drag)."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QNativeGestureEvent, QPointingDevice, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from boxoffice.ui.seating.view import MAX_SEAT_PX


def _big_map(panel, plans):
    panel.set_plan(plans.make(plans.SMALL_ROWS, extra_sections=2, seats_per_row=30, n_rows=12))
    QApplication.processEvents()
    return panel.view


def _trackpad() -> QPointingDevice:
    return QPointingDevice("test trackpad", 4711, QInputDevice.DeviceType.TouchPad,
                           QPointingDevice.PointerType.Finger, QInputDevice.Capability.Position, 5, 0)


def _native(view, device, kind, value: float, pos: QPoint) -> bool:
    vp = view.viewport()
    ev = QNativeGestureEvent(kind, device, 2, QPointF(pos), QPointF(pos), QPointF(vp.mapToGlobal(pos)),
                             value, QPointF(0, 0))
    return QApplication.sendEvent(vp, ev)


def _wheel(view, pos: QPoint, delta: int) -> None:
    vp = view.viewport()
    ev = QWheelEvent(QPointF(pos), QPointF(vp.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, delta),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, ev)


def _wheel_limits(view, pos: QPoint) -> tuple[float, float]:
    """The smallest and largest seat size the wheel reaches from the fitted view."""
    view.fit_to_hall()
    for _ in range(40):
        _wheel(view, pos, -240)
    low = view.seat_px()
    for _ in range(60):
        _wheel(view, pos, 240)
    high = view.seat_px()
    view.fit_to_hall()
    return low, high


def test_trackpad_pinch_zooms_around_the_cursor_and_stops_where_the_wheel_stops(panel, driver, plans):
    view = _big_map(panel, plans)
    pad = _trackpad()
    fit_px = view.seat_px()
    anchor_id = "s1-2-8"
    low, high = _wheel_limits(view, driver.pos(anchor_id))
    assert abs(high - MAX_SEAT_PX) < 1e-6 and 0.45 * fit_px < low < 0.55 * fit_px   # about half the fit

    # zoomed in far enough to scroll both ways, so the point under the fingers can stay put
    view.zoom_by(5, QPointF(driver.pos(anchor_id)))
    anchor = driver.pos(anchor_id)
    assert view.horizontalScrollBar().maximum() > 0 and view.verticalScrollBar().maximum() > 0
    scene_before = view.mapToScene(anchor)
    px = view.seat_px()
    assert _native(view, pad, Qt.NativeGestureType.BeginNativeGesture, 0.0, anchor) in (True, False)
    assert _native(view, pad, Qt.NativeGestureType.ZoomNativeGesture, 0.25, anchor)   # accepted
    assert abs(view.seat_px() - px * 1.25) < 1e-6                                      # fingers apart: in
    after = view.mapToScene(anchor)
    assert abs(after.x() - scene_before.x()) < 0.2 and abs(after.y() - scene_before.y()) < 0.2
    px = view.seat_px()
    assert _native(view, pad, Qt.NativeGestureType.ZoomNativeGesture, -0.2, anchor)
    assert abs(view.seat_px() - px * 0.8) < 1e-6                                       # together: out
    after = view.mapToScene(anchor)
    assert abs(after.x() - scene_before.x()) < 0.2 and abs(after.y() - scene_before.y()) < 0.2

    # clamped like the wheel: never bigger than MAX_SEAT_PX, never smaller than half the fitted size
    for _ in range(40):
        _native(view, pad, Qt.NativeGestureType.ZoomNativeGesture, 0.6, anchor)
    assert abs(view.seat_px() - high) < 1e-6
    for _ in range(60):
        _native(view, pad, Qt.NativeGestureType.ZoomNativeGesture, -0.4, anchor)
    assert abs(view.seat_px() - low) < 1e-6
    _native(view, pad, Qt.NativeGestureType.EndNativeGesture, 0.0, anchor)
    assert view.selected_seat_ids() == []
    # fit-to-hall still brings the whole hall back
    driver.key(Qt.Key.Key_0)
    assert abs(view.seat_px() - fit_px) < 1e-6


def _pinch(view, device, centre: QPoint, start: int, end: int, steps: int = 8) -> None:
    """Two fingers on the viewport, ``start`` px either side of ``centre``, moved to ``end`` px."""
    vp = view.viewport()

    def at(d: int) -> tuple[QPoint, QPoint]:
        return centre - QPoint(d, d // 3), centre + QPoint(d, d // 3)

    a, b = at(start)
    QTest.touchEvent(vp, device).press(0, a, vp).press(1, b, vp).commit()
    for k in range(1, steps + 1):
        a, b = at(start + (end - start) * k // steps)
        QTest.touchEvent(vp, device).move(0, a, vp).move(1, b, vp).commit()
    QTest.touchEvent(vp, device).release(0, a, vp).release(1, b, vp).commit()
    QApplication.processEvents()


def test_touch_pinch_zooms_around_the_fingers_and_selects_nothing(panel, driver, plans):
    view = _big_map(panel, plans)
    screen = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    low, high = _wheel_limits(view, driver.pos("s1-2-8"))
    view.zoom_by(3, QPointF(driver.pos("s1-2-8")))
    centre = driver.pos("s1-2-8")
    scene_before = view.mapToScene(centre)
    px = view.seat_px()

    _pinch(view, screen, centre, 40, 100)                 # fingers apart: zoom in
    spread = view.seat_px()
    assert spread > px * 1.5
    after = view.mapToScene(centre)                       # the seat between the fingers stays there
    assert abs(after.x() - scene_before.x()) < 0.5 and abs(after.y() - scene_before.y()) < 0.5
    assert view.selected_seat_ids() == [] and not view._band.isVisible()

    _pinch(view, screen, centre, 100, 40)                 # fingers together: zoom out
    assert view.seat_px() < spread / 1.5
    assert view.selected_seat_ids() == [] and not view._band.isVisible()

    for _ in range(8):                                    # clamped like the wheel, both ways
        _pinch(view, screen, centre, 20, 200)
    assert abs(view.seat_px() - high) < 1e-6
    for _ in range(12):
        _pinch(view, screen, centre, 200, 20)
    assert abs(view.seat_px() - low) < 1e-6
    assert view.selected_seat_ids() == []


def test_one_finger_tap_still_selects_a_seat(panel, driver, plans):
    view = _big_map(panel, plans)
    screen = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    _pinch(view, screen, driver.pos("s1-2-8"), 40, 90)    # a pinch first: it must not stick
    vp = view.viewport()
    pos = driver.pos("s1-1-4")
    QTest.touchEvent(vp, screen).press(0, pos, vp).commit()
    QTest.touchEvent(vp, screen).release(0, pos, vp).commit()
    QApplication.processEvents()
    assert view.selected_seat_ids() == ["s1-1-4"]
