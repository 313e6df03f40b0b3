"""``SeatMapView``: the interactive hall map (zoom, pan, select, keyboard, tooltips).

Owns input handling over one ``SeatLayer``; the rules of what may be selected are in
``SeatMapState``. Documented behaviour (also shown in the panel's help tooltip):

Mouse
    click a seat — toggle it (Ctrl+click: the same; Shift+click: add, never removes);
    drag a rectangle — add every free seat inside it (Ctrl+drag: toggle each of them);
    wheel — zoom around the cursor; pinch — zoom; middle-drag or Space+drag — pan;
    scroll bars pan as well. Unavailable seats are never selected.
Keyboard
    arrows — move the focus seat (``HallLayout.neighbour``); Space — toggle the focus seat;
    Enter — take a pending best-available suggestion, otherwise ask to add the selection to the
    cart (``addToCartRequested``); Esc — drop a pending suggestion; + / − — zoom; 0 or Home — fit.
Live data
    ``set_plan`` builds the map (first load / another performance), ``update_plan`` takes new
    availability keeping zoom, scroll position and selection; selected seats taken meanwhile leave
    the selection and ``seatsTaken`` says which.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGestureEvent,
    QGraphicsScene,
    QGraphicsView,
    QPinchGesture,
    QRubberBand,
    QToolTip,
    QWidget,
)

from boxoffice.domain.best_available import BestAvailable
from boxoffice.domain.hall_file import HallFile
from boxoffice.domain.layout import HallLayout, build_layout
from boxoffice.domain.seatplan import PlanInput, from_api
from boxoffice.i18n import _
from boxoffice.ui.seating import palette as P
from boxoffice.ui.seating.minimap import Minimap
from boxoffice.ui.seating.seat_layer import LABEL_MARGIN, SeatLayer
from boxoffice.ui.seating.state import PlanUpdate, PriceResolver, SeatMapState

MINIMAP_MIN_SEATS = 1500
MAX_SEAT_PX = 90.0     # zoom in at most until a seat is this big on screen
ZOOM_STEP = 1.25


def _fit_rect(layout: HallLayout) -> QRectF:
    """What "the whole hall" shows: the stage and the seats, with room for the row numbers at
    the sides (LABEL_MARGIN) and a seat's ring above and below. Not the layer's full margin all
    round: in scene units that is as wide as three seats, and a small studio, zoomed to fit, came
    out as a patch in the middle of an empty map (issue 12)."""
    b = layout.bounds
    ring = layout.seat_size * 0.6
    return QRectF(b.x - LABEL_MARGIN, b.y - ring, b.width + 2 * LABEL_MARGIN, b.height + 2 * ring)


def as_plan_input(plan: Any) -> PlanInput:
    """Accept a ``PlanInput``, an API ``SeatPlan`` model or a (cached) JSON mapping."""
    return plan if isinstance(plan, PlanInput) else from_api(plan)


class SeatMapView(QGraphicsView):
    """The hall map. Signals carry seat ids (strings, as in the seating plan)."""

    selectionChanged = Signal(list)        # selected seat ids, hall order
    addToCartRequested = Signal(list)      # seat ids the cashier wants in the cart (Enter)
    seatsTaken = Signal(list, str)         # seat ids dropped from the selection, one-line message
    suggestionChanged = Signal(object)     # BestAvailable | None
    focusSeatChanged = Signal(str)         # seat id ('' = none)
    message = Signal(str)                  # a one-line note for the cashier
    zoomChanged = Signal(float)            # seat size on screen, pixels

    def __init__(self, parent: QWidget | None = None, *, price_resolver: PriceResolver | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatMapView")
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setBackgroundBrush(QColor(P.BACKGROUND))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.price_resolver = price_resolver
        self.layout_: HallLayout | None = None
        self.state: SeatMapState | None = None
        self.layer: SeatLayer | None = None
        self._auto_fit = True
        self._hall_rect = QRectF()
        self._press: tuple[QPoint, Qt.MouseButton, Qt.KeyboardModifier] | None = None
        self._press_seat: int | None = None
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, self.viewport())
        self._banding = False
        self._panning: QPoint | None = None
        self._space_down = False
        self._space_panned = False
        self._pinching = False   # a two-finger touch pinch is in progress
        self.minimap_enabled = False   # big halls only (MINIMAP_MIN_SEATS)
        self.minimap = Minimap(self)
        self.minimap.hide()
        self.minimap.centreRequested.connect(self.centre_on)
        self.horizontalScrollBar().valueChanged.connect(self._view_moved)
        self.verticalScrollBar().valueChanged.connect(self._view_moved)

    # --- owner API: data ----------------------------------------------------------------------
    def set_plan(self, plan: Any, hall_file: HallFile | None = None) -> HallLayout:
        """Show a performance's plan (first load): new layout, empty selection, fit to the hall."""
        layout = build_layout(as_plan_input(plan), hall_file)
        self.set_layout(layout)
        return layout

    def set_layout(self, layout: HallLayout) -> None:
        """Show an already built layout (e.g. one built off the GUI path)."""
        old = self.state
        self._scene.clear()
        self.layout_ = layout
        self.state = SeatMapState(layout, self.price_resolver)
        if old is not None and old.read_only:
            self.state.set_read_only(True, old.read_only_reason)
        self.layer = SeatLayer(self.state)
        self._scene.addItem(self.layer)
        self._hall_rect = _fit_rect(layout)
        self._scene.setSceneRect(self._hall_rect)
        self.minimap.set_layer(self.layer, self._scene)
        self.minimap_enabled = layout.seat_count > MINIMAP_MIN_SEATS
        self._place_minimap()
        self._auto_fit = True
        self.fit_to_hall()
        self._auto_fit = True
        self.selectionChanged.emit([])
        self.suggestionChanged.emit(None)

    def update_plan(self, plan: Any) -> PlanUpdate | None:
        """New availability for the shown hall; zoom, scroll position and selection stay.

        A plan of another hall/performance (or a different seat set) is shown as a new map.
        Returns what changed (None when the map was rebuilt).
        """
        if isinstance(plan, Mapping) or not hasattr(plan, "sections"):
            plan = as_plan_input(plan)
        # else: a PlanInput or the API client's SeatPlan model, which update_availability reads as
        # it is (converting every seat with from_api first would cost more than the update itself)
        lay = self.layout_
        if lay is None or not self._same_hall(lay, plan):
            self.set_plan(plan)
            return None
        st, layer = self.state, self.layer
        assert st is not None and layer is not None   # set with layout_ (set_layout)
        before = st.selected_ids()
        update = st.apply_plan(plan)
        layer.availability_changed(update.changed)
        self.minimap.invalidate()
        if update.dropped:
            ids = [lay.seat_ids[i] for i in update.dropped]
            text = st.taken_message(update.dropped)
            self.seatsTaken.emit(ids, text)
            self.message.emit(text)
        if update.suggestion_dropped:
            self.suggestionChanged.emit(None)
            self.message.emit(_("Seat availability changed; ask for the best seats again."))
        if st.selected_ids() != before:
            self.selectionChanged.emit(st.selected_ids())
        layer.update()
        return update

    @staticmethod
    def _same_hall(lay: HallLayout, plan: Any) -> bool:
        event_id = getattr(plan, "event_id", None)
        if event_id is not None and lay.event_id is not None and event_id != lay.event_id:
            return False
        if isinstance(plan, PlanInput):
            count = plan.seat_count
        else:
            count = sum(len(row.seats) for sec in plan.sections for row in sec.rows)
        if count != lay.seat_count:
            return False
        return all(lay.index_of(seat.seat_id) is not None
                   for sec in plan.sections[:1] for row in sec.rows[:1] for seat in row.seats)

    def set_in_cart(self, seat_ids: Iterable[str]) -> None:
        """Seats held by this sale's cart (shown with their own marker; never selectable)."""
        if self.state is None:
            return
        before = self.state.selected_ids()
        self.state.set_in_cart(seat_ids)
        if self.state.selected_ids() != before:
            self.selectionChanged.emit(self.state.selected_ids())
        self._repaint()

    def set_highlighted(self, seat_ids: Iterable[str], label: str) -> list[str]:
        """A read-only map's marked seats (an order's seats on the order desk): drawn with the
        cart's marker, *label* in their tooltip. Returns the ids found on this map."""
        if self.state is None:
            return []
        self.state.in_cart_label = label
        self.set_in_cart(seat_ids)
        return [self.state.layout.seat_ids[i] for i in sorted(self.state.in_cart)]

    def set_read_only(self, read_only: bool, reason: str = "") -> None:
        """Offline or not on sale: nothing can be selected; tooltips say ``reason``."""
        if self.state is None:
            return
        had = bool(self.state.selected) or self.state.suggestion is not None
        self.state.set_read_only(read_only, reason)
        if had and read_only:
            self.selectionChanged.emit([])
            self.suggestionChanged.emit(None)
        self._repaint()

    @property
    def read_only(self) -> bool:
        return self.state is not None and self.state.read_only

    # --- owner API: selection -----------------------------------------------------------------
    def selected_seat_ids(self) -> list[str]:
        return self.state.selected_ids() if self.state is not None else []

    def select_seats(self, seat_ids: Iterable[str]) -> list[str]:
        """Add these seats to the selection (those that may be selected); returns the ones added."""
        if self.state is None:
            return []
        lay = self.state.layout   # the shown layout (layout_)
        idx = [lay.index_of(s) for s in seat_ids]
        added = self.state.add(i for i in idx if i is not None)
        self._selection_changed(bool(added))
        return [lay.seat_ids[i] for i in added]

    def clear_selection(self) -> None:
        if self.state is not None and self.state.clear():
            self._selection_changed(True)

    def status_text(self) -> str:
        return self.state.status_text() if self.state is not None else ""

    def suggest_best(self, n: int) -> BestAvailable | None:
        """Ask for the ``n`` best seats; the result is highlighted until confirmed or dismissed."""
        if self.state is None or self.state.read_only:
            return None
        result = self.state.suggest(n)
        self.suggestionChanged.emit(self.state.suggestion)
        if self.state.suggestion is not None:
            self.ensure_visible(self.state.suggestion.seats)
        self._repaint()
        return result

    def confirm_suggestion(self) -> list[str]:
        if self.state is None or self.state.suggestion is None:
            return []
        seats = self.state.confirm_suggestion()
        self.suggestionChanged.emit(None)
        self._selection_changed(True)
        return [self.state.layout.seat_ids[i] for i in seats]

    def dismiss_suggestion(self) -> None:
        if self.state is not None and self.state.dismiss_suggestion():
            self.suggestionChanged.emit(None)
            self._repaint()

    def request_add_to_cart(self) -> None:
        ids = self.selected_seat_ids()
        if ids:
            self.addToCartRequested.emit(ids)
        elif self.state is not None:
            self.message.emit(_("Select seats first."))

    def tooltip_text(self, index: int) -> str:
        return self.state.tooltip(index) if self.state is not None else ""

    def _selection_changed(self, changed: bool) -> None:
        if changed:
            assert self.state is not None   # only a shown map's selection changes
            self.selectionChanged.emit(self.state.selected_ids())
            self._repaint()

    def _repaint(self) -> None:
        if self.layer is not None:
            self.layer.update()
        self.minimap.invalidate()

    # --- geometry helpers ---------------------------------------------------------------------
    def seat_at_view(self, pos: QPoint | QPointF) -> int | None:
        if self.layout_ is None:
            return None
        p = self.mapToScene(pos.toPoint() if isinstance(pos, QPointF) else pos)
        return self.layout_.seat_at(p.x(), p.y())

    def seat_view_pos(self, index: int) -> QPoint:
        """Viewport coordinates of a seat's centre (for tests and for placing popups)."""
        lay = self.layout_
        assert lay is not None   # a seat index means a map is shown
        return self.mapFromScene(QPointF(lay.xs[index], lay.ys[index]))

    def seat_px(self) -> float:
        """Size of one seat on screen, in pixels."""
        if self.layout_ is None:
            return 0.0
        return self.layout_.seat_size * self.transform().m11()

    def ensure_visible(self, indices: Iterable[int]) -> None:
        lay = self.layout_
        idx = list(indices)
        if not idx or lay is None:
            return
        xs = [lay.xs[i] for i in idx]
        ys = [lay.ys[i] for i in idx]
        rect = QRectF(min(xs) - 1, min(ys) - 1, max(xs) - min(xs) + 2, max(ys) - min(ys) + 2)
        self.ensureVisible(rect, 40, 40)

    # --- zoom ---------------------------------------------------------------------------------
    def fit_to_hall(self) -> None:
        if self.layer is None:
            return
        self._scene.setSceneRect(self._hall_rect)
        self.fitInView(self._hall_rect, Qt.AspectRatioMode.KeepAspectRatio)
        self._auto_fit = True
        self.viewport().update()
        self.zoomChanged.emit(self.seat_px())

    def _scroll_margins(self, scale: float) -> None:
        """Zoomed in past the whole hall, the map can be scrolled half a view (at least the
        minimap's size) beyond each edge of the hall: every seat can be brought out from under
        the minimap, and a wheel zoom at the hall's edge keeps that edge under the cursor."""
        hall = self._hall_rect
        if hall.isEmpty():
            return
        if scale <= self._fit_scale() * 1.0001:
            rect = hall
        else:
            vp = self.viewport().rect()
            mm = self.minimap.sizeHint()
            mx = max(vp.width() / 2, mm.width() + 24) / scale
            my = max(vp.height() / 2, mm.height() + 24) / scale
            rect = hall.adjusted(-mx, -my, mx, my)
        if rect != self._scene.sceneRect():
            h, v = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
            self._scene.setSceneRect(rect)
            self.horizontalScrollBar().setValue(h)   # a new scroll range must not move the map
            self.verticalScrollBar().setValue(v)

    def _fit_scale(self) -> float:
        if self.layer is None:
            return 1.0
        r = self._hall_rect
        vp = self.viewport().rect()
        return max(1e-6, min(vp.width() / max(r.width(), 1e-6), vp.height() / max(r.height(), 1e-6)))

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point under ``anchor`` (viewport px) in place."""
        if self.layout_ is None or factor <= 0:
            return
        current = self.transform().m11()
        lo = self._fit_scale() * 0.5
        hi = MAX_SEAT_PX / self.layout_.seat_size
        target = min(max(current * factor, lo), max(hi, lo))
        factor = target / current
        if abs(factor - 1.0) < 1e-9:
            return
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        before = self.mapToScene(anchor.toPoint())
        self._scroll_margins(max(target, current))   # room to keep the anchor where it is
        self.scale(factor, factor)
        # move the scroll bars so the scene point stays under the anchor
        now = self.mapFromScene(before)
        d = now - anchor.toPoint()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + d.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + d.y())
        self._scroll_margins(target)
        self._auto_fit = False
        # the whole map is drawn again at the new size: no part may keep the old zoom's pixels
        self.viewport().update()
        self.zoomChanged.emit(self.seat_px())

    def centre_on(self, point: QPointF) -> None:
        """Scroll so the scene ``point`` is in the middle (the minimap's clicks)."""
        self.centerOn(point)
        self._auto_fit = False

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    # --- Qt events ----------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit_to_hall()
        else:
            self._scroll_margins(self.transform().m11())
        self._place_minimap()

    def _place_minimap(self) -> None:
        vp = self.viewport().geometry()
        size = self.minimap.sizeHint()
        self.minimap.setGeometry(QRect(vp.right() - size.width() - 8, vp.bottom() - size.height() - 8,
                                       size.width(), size.height()))
        self.minimap.raise_()

    def _view_moved(self) -> None:
        """Keep the minimap's outline current; show it only while part of a big hall is hidden."""
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        want = self.minimap_enabled and not visible.contains(self._hall_rect.adjusted(4, 4, -4, -4))
        if want == self.minimap.isHidden():
            self.minimap.setVisible(want)
            if want:
                self._place_minimap()
        if want:
            self.minimap.set_visible_rect(visible)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        self._view_moved()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if not delta:
            return super().wheelEvent(event)
        self.zoom_by(ZOOM_STEP ** (delta / 120.0), event.position())
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        et = event.type()
        if et == QEvent.Type.ToolTip:
            help_event = cast(QHelpEvent, event)   # PySide6 hands the base class type
            i = self.seat_at_view(help_event.pos())
            if i is None:
                QToolTip.hideText()
                if self.state is not None and self.state.read_only and self.state.read_only_reason:
                    QToolTip.showText(help_event.globalPos(), self.state.read_only_reason,
                                      self.viewport())
            else:
                QToolTip.showText(help_event.globalPos(), self.tooltip_text(i), self.viewport())
            return True
        if et == QEvent.Type.Gesture:
            gesture_event = cast(QGestureEvent, event)
            pinch = gesture_event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                # touch screen: the first finger also arrives as a (synthesised) mouse press and
                # drag; once two fingers pinch, that is not a click or a rubber band any more
                state = pinch.state()
                self._pinching = state in (Qt.GestureState.GestureStarted, Qt.GestureState.GestureUpdated)
                self._cancel_press()
                if pinch.changeFlags() & QPinchGesture.ChangeFlag.ScaleFactorChanged:
                    # scaleFactor: this step's change (totalScaleFactor is since the start)
                    centre = self.viewport().mapFromGlobal(pinch.centerPoint())
                    self.zoom_by(pinch.scaleFactor(), centre)
                gesture_event.accept(pinch)
                return True
        if et == QEvent.Type.NativeGesture:   # trackpad pinch (macOS, Wayland/X11 touchpads)
            native = cast(QNativeGestureEvent, event)
            if native.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self.zoom_by(1.0 + native.value(), native.position())   # value: this step's scale change
                native.accept()
                return True
        return super().viewportEvent(event)

    def _cancel_press(self) -> None:
        """Forget a pending click / rubber band (a pinch took over the touch)."""
        self._press = None
        self._press_seat = None
        if self._banding:
            self._banding = False
            self._band.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        if event.button() == Qt.MouseButton.MiddleButton or (
                event.button() == Qt.MouseButton.LeftButton and self._space_down):
            self._panning = pos
            self._space_panned = self._space_down
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            if self._pinching:   # a finger of a pinch, synthesised as a mouse press: not a click
                event.accept()
                return
            self._press = (pos, event.button(), event.modifiers())
            self._press_seat = self.seat_at_view(pos)
            self._banding = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        if self._panning is not None:
            d = pos - self._panning
            self._panning = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - d.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - d.y())
            self._auto_fit = False
            return
        if self._press is not None:
            start = self._press[0]
            if not self._banding and (pos - start).manhattanLength() >= QApplication.startDragDistance():
                self._banding = True
                self._band.show()
            if self._banding:
                self._band.setGeometry(QRect(start, pos).normalized())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        if self._panning is not None and event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton):
            self._panning = None
            self.viewport().unsetCursor()
            return
        if self._press is not None and event.button() == Qt.MouseButton.LeftButton:
            start, _button, mods = self._press
            self._press = None
            if self._banding:
                self._banding = False
                self._band.hide()
                self._select_rect(start, pos, mods)
            else:
                self._click(pos, mods)
            return
        super().mouseReleaseEvent(event)

    def _click(self, pos: QPoint, mods: Qt.KeyboardModifier) -> None:
        st = self.state
        i = self.seat_at_view(pos)
        if st is None or i is None:
            return
        self._set_focus_seat(i, scroll=False)
        if st.read_only:
            self.message.emit(st.read_only_reason or _("Seats cannot be selected right now."))
            return
        if mods & Qt.KeyboardModifier.ShiftModifier:
            changed = bool(st.add([i]))
        else:
            changed = st.toggle(i)
        if not changed and i not in st.selected:
            if i in st.in_cart:
                self.message.emit(_("This seat is already in the cart."))
            else:
                self.message.emit(_("{seat} is not available.").format(seat=self._seat_name(i)))
        self._selection_changed(changed)
        self._repaint()

    def _seat_name(self, i: int) -> str:
        from boxoffice.ui.seating.state import seat_words
        lay = self.layout_
        assert lay is not None   # a seat index means a map is shown
        return seat_words(lay, i)

    def _select_rect(self, a: QPoint, b: QPoint, mods: Qt.KeyboardModifier) -> None:
        st = self.state
        if st is None:
            return
        if st.read_only:
            self.message.emit(st.read_only_reason or _("Seats cannot be selected right now."))
            return
        p0, p1 = self.mapToScene(a), self.mapToScene(b)
        inside = st.layout.seats_in_rect(p0.x(), p0.y(), p1.x(), p1.y(), touching=True)
        if mods & Qt.KeyboardModifier.ControlModifier:
            changed = bool(st.toggle_many([i for i in inside if i in st.selected or st.selectable(i)]))
        else:
            changed = bool(st.add(inside))
        self._selection_changed(changed)

    def _set_focus_seat(self, i: int | None, scroll: bool = True) -> None:
        st = self.state
        if st is None or st.focus == i:
            return
        st.focus = i
        if i is not None and scroll:
            self.ensure_visible([i])
        self.focusSeatChanged.emit(st.layout.seat_ids[i] if i is not None else "")
        self._repaint()

    def _start_focus(self) -> int | None:
        """Focus for the first arrow press: the free seat nearest the middle of what is shown."""
        lay = self.layout_
        if lay is None or lay.seat_count == 0:
            return None
        c = self.mapToScene(self.viewport().rect().center())
        best, best_d = None, None
        r = self.mapToScene(self.viewport().rect()).boundingRect()
        cand = lay.seats_in_rect(r.left(), r.top(), r.right(), r.bottom()) or range(lay.seat_count)
        for i in cand:
            d = (lay.xs[i] - c.x()) ** 2 + (lay.ys[i] - c.y()) ** 2 + (0 if lay.available[i] else 1e6)
            if best_d is None or d < best_d:
                best, best_d = i, d
        return best

    def focus_seat_id(self) -> str | None:
        if self.state is None or self.state.focus is None:
            return None
        return self.state.layout.seat_ids[self.state.focus]

    _ARROWS: dict[int, str] = {Qt.Key.Key_Left: "left", Qt.Key.Key_Right: "right",
                               Qt.Key.Key_Up: "up", Qt.Key.Key_Down: "down"}

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        st = self.state
        if key in self._ARROWS and st is not None:
            if st.focus is None:
                self._set_focus_seat(self._start_focus())
            else:
                j = st.layout.neighbour(st.focus, self._ARROWS[key])
                if j is not None:
                    self._set_focus_seat(j)
            event.accept()
            return
        if key == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_down = True
                self._space_panned = False
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and st is not None:
            if st.suggestion is not None:
                self.confirm_suggestion()
            else:
                self.request_add_to_cart()
            event.accept()
            return
        if key == Qt.Key.Key_Escape and st is not None and st.suggestion is not None:
            self.dismiss_suggestion()
            event.accept()
            return
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
            event.accept()
            return
        if key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
            event.accept()
            return
        if key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self.fit_to_hall()
            event.accept()
            return
        event.ignore()
        QWidget.keyPressEvent(self, event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            if not self._space_panned:
                self._toggle_focus_seat()
            self._space_panned = False
            event.accept()
            return
        super().keyReleaseEvent(event)

    def _toggle_focus_seat(self) -> None:
        st = self.state
        if st is None:
            return
        if st.focus is None:
            self._set_focus_seat(self._start_focus())
            return
        if st.read_only:
            self.message.emit(st.read_only_reason or _("Seats cannot be selected right now."))
            return
        i = st.focus
        changed = st.toggle(i)
        if not changed:
            self.message.emit(_("{seat} is not available.").format(seat=self._seat_name(i)))
        self._selection_changed(changed)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        self._space_down = False
        super().focusOutEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, 600)

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        painter.fillRect(rect, QColor(P.BACKGROUND))
