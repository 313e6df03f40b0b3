"""``SeatLayer``: the ONE graphics item that paints a whole hall from the layout's flat arrays.

Owns drawing and level of detail, nothing about selection rules (those live in ``state.py``).

How it stays fast for 100,000 seats
    * Seats are bucketed once into tiles (consecutive rows of one section; bounds from the
      layout's ``row_bounds``); per tile and per colour (rank while free, grey while unavailable) a
      ``QPolygonF`` of seat centres is kept. A colour's seats are picked out of the tile as 16-byte
      records (x, y doubles: one ``struct`` unpack per tile, ``itertools.compress`` by a
      ``bytes.translate`` mask, ``bytes.join``) and copied into the polygon's raw buffer
      (``_polygon_xy``): no ``QPointF`` or float object per seat. An availability change rebuilds
      only the tiles it touches.
    * Low zoom (a seat smaller than ``CIRCLE_MIN_PX`` on screen): per colour one cosmetic pen and
      one ``drawPoints`` per visible tile — squares of the seat's screen size.
    * High zoom: only the seats in the exposed rectangle (via the layout's grid) are drawn as
      circles; seat numbers only from ``NUMBER_MIN_PX``; row numbers when legible — at both row
      ends and, smaller, in every aisle/gap inside a row (``break_before``), so each block of a
      curved row carries its own number. The aisle anchors are computed once per layout (by the
      first paint zoomed in far enough to show them) and culled by the exposed rectangle.
    * All text is drawn in device pixels (crisp, constant cost), seat numbers as cached
      ``QStaticText``.
``last_paint`` reports what the latest paint drew (mode, seats, numbers, labels) for tests and
benchmarks.
"""
from __future__ import annotations

import math
import struct
from array import array
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from typing import Any, cast

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from boxoffice.domain.layout import HallLayout
from boxoffice.i18n import _
from boxoffice.ui.seating import palette as P
from boxoffice.ui.seating.state import SeatMapState, ordered_ranks

TILE_SEATS = 600     # a tile: consecutive rows of one section, about this many seats
UNAVAILABLE_KEY = 255
LABEL_MARGIN = 3.0   # scene units around the layout bounds (row numbers, rings)
SUGGESTION_MARK_MIN_PX = 16.0   # the smallest outline around a suggested group (low zoom)

# (typed Any: its stubs give VoidPtr only an int address, the binding also takes an object + size)
_shiboken: Any
try:  # raw-buffer fill of a QPolygonF; verified below, with a slow fallback
    import shiboken6
    _shiboken = shiboken6
except ImportError:  # pragma: no cover
    _shiboken = None


def _fast_polygon(xs: array, ys: array) -> QPolygonF:
    n = len(xs)
    poly = QPolygonF()
    poly.resize(n)
    if n:
        inter = array("d", bytes(16 * n))
        inter[0::2] = xs
        inter[1::2] = ys
        buf = _shiboken.VoidPtr(poly.data(), 16 * n, True)
        memoryview(buf).cast("B").cast("d")[:] = inter
    return poly


def _slow_polygon(xs: array, ys: array) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in zip(xs, ys)])


def _fast_polygon_xy(xy) -> QPolygonF:
    """A polygon from interleaved x, y doubles (an ``array("d")`` or their raw bytes; one copy)."""
    raw = memoryview(xy).cast("B")
    n = len(raw) // 16
    poly = QPolygonF()
    poly.resize(n)
    if n:
        buf = _shiboken.VoidPtr(poly.data(), 16 * n, True)
        memoryview(buf).cast("B")[:] = raw[:16 * n]
    return poly


def _slow_polygon_xy(xy) -> QPolygonF:
    xy = array("d", memoryview(xy).cast("B").tobytes())
    return QPolygonF([QPointF(x, y) for x, y in zip(xy[0::2], xy[1::2])])


def _xy_pairs(poly: QPolygonF) -> list[tuple[float, float]]:
    points = cast("Iterable[QPointF]", poly)   # PySide6 stubs: QPolygonF iterates its points
    return [(p.x(), p.y()) for p in points]


def _check_fast_path() -> bool:
    if _shiboken is None:
        return False
    try:
        xs, ys = array("d", [1.5, -2.0, 3.25]), array("d", [4.0, 5.5, -6.0])
        poly = _fast_polygon(xs, ys)
        xy = array("d", [1.5, 4.0, -2.0, 5.5, 3.25, -6.0])
        want = list(zip(xs, ys))
        return (_xy_pairs(poly) == want
                and _xy_pairs(_fast_polygon_xy(xy)) == want
                and _xy_pairs(_fast_polygon_xy(xy.tobytes())) == want)
    except Exception:  # noqa: BLE001 - any binding difference → use the plain path
        return False


FAST_POLYGONS = _check_fast_path()
# bytes.translate tables: key g → 1, every other key → 0 (a mask for itertools.compress)
_MASKS = [bytes(1 if k == g else 0 for k in range(256)) for g in range(256)]
# availability flag (0/1) → UNAVAILABLE_KEY where 0, else 0 (OR-ed onto the rank slots)
_UNAVAILABLE_OF = bytes([UNAVAILABLE_KEY]) + bytes(255)
_NO_RANK_TABLE = bytes(256)


@lru_cache(maxsize=128)
def _records(n: int) -> struct.Struct:
    """Unpacks ``n`` seat records (16 bytes: x, y as doubles) into a tuple of ``n`` bytes objects."""
    return struct.Struct("16s" * n)


BULK_UPDATE_MIN = 64   # from this many changed seats on, availability_changed recomputes all keys in bulk
_polygon = _fast_polygon if FAST_POLYGONS else _slow_polygon
_polygon_xy = _fast_polygon_xy if FAST_POLYGONS else _slow_polygon_xy


@dataclass
class PaintReport:
    """What one paint drew (for tests and the benchmark)."""

    mode: str = ""              # "blocks" (batched squares) or "circles"
    seat_px: float = 0.0        # size of one seat on screen
    seats_drawn: int = 0
    numbers_drawn: int = 0
    row_labels_drawn: int = 0   # at the row ends
    aisle_labels_drawn: int = 0  # in aisles/gaps inside rows
    section_labels_drawn: int = 0
    tiles_drawn: int = 0
    stage_text: str = ""        # the stage's label as drawn ("" when not drawn)
    stage_rect: QRectF = field(default_factory=QRectF)        # the stage, device px
    stage_text_rect: QRectF = field(default_factory=QRectF)   # its label, device px


STAGE_LABEL_MIN_PX = 8


def stage_font(label: str, box: QRectF) -> QFont | None:
    """The bold, letter-spaced font for the stage label: 40 % of the stage's height (at most
    30 px), made smaller until the label fits the stage's width ("PODIUM" over the narrow stage
    of a small hall); None when even the smallest size does not fit."""
    px = int(min(box.height() * 0.8, max(STAGE_LABEL_MIN_PX, min(box.height() * 0.4, 30))))
    font = QFont()
    font.setBold(True)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 115)
    room = box.width() - 6
    while px >= STAGE_LABEL_MIN_PX:
        font.setPixelSize(px)
        metrics = QFontMetrics(font)
        if metrics.horizontalAdvance(label) <= room and metrics.height() <= box.height():
            return font
        px -= 1
    return None


class SeatLayer(QGraphicsItem):
    """Paints every seat, the stage, section names and row numbers of one ``HallLayout``."""

    def __init__(self, state: SeatMapState, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.state = state
        self.layout: HallLayout = state.layout
        self.last_paint = PaintReport()
        self.overview = False   # True while the minimap renders: seats and stage only, no text
        lay = self.layout
        b = lay.bounds
        self._bounds = QRectF(b.x - LABEL_MARGIN, b.y - LABEL_MARGIN,
                              b.width + 2 * LABEL_MARGIN, b.height + 2 * LABEL_MARGIN)
        ranks = ordered_ranks(lay)
        self.rank_slot = {r: k for k, r in enumerate(ranks)}
        self.keys = list(range(len(ranks))) + [UNAVAILABLE_KEY]
        self._pens_cache: dict[tuple[int, int], QPen] = {}
        self._static_cache: dict[tuple[int, int], QStaticText] = {}
        self._build_tiles()
        # the aisle row-number anchors are only drawn zoomed in: built by the first paint that needs them
        self._aisle_x: array | None = None

    # --- geometry caches ------------------------------------------------------------------------
    def _build_tiles(self) -> None:
        """Cut the seats into tiles of consecutive rows of one section (contiguous index ranges).

        Rows are contiguous in the layout arrays and a band of rows is compact on screen, so a tile
        is just ``[start, end)``; its bounds come from the layout's per-row bounds (a few numbers
        per row) and its colour buckets from ``bytes.translate`` + ``itertools.compress`` over
        16-byte seat records (no per-seat Python).
        """
        lay = self.layout
        xs, ys = lay.xs, lay.ys
        h = lay.seat_size
        starts: list[int] = []
        ends: list[int] = []
        row_ranges: list[tuple[int, int]] = []
        rows = lay.rows
        for sec in lay.sections:
            a: int | None = None
            ra = 0   # read only while a is set (both are set together)
            for ri in range(sec.first_row, sec.first_row + sec.row_count):
                row = rows[ri]
                if a is None:
                    a, ra = row.first, ri
                b = row.first + row.count
                if b - a >= TILE_SEATS:
                    starts.append(a)
                    ends.append(b)
                    row_ranges.append((ra, ri + 1))
                    a = None
            if a is not None:
                starts.append(a)
                ends.append(sec.first_seat + sec.seat_count)
                row_ranges.append((ra, sec.first_row + sec.row_count))
        self._tile_start, self._tile_end = starts, ends
        chunk_of = array("l")
        for k, (a, b) in enumerate(zip(starts, ends)):
            chunk_of.extend(array("l", [k]) * (b - a))
        self._tile_of = chunk_of
        # every seat centre as interleaved x, y doubles (QPolygonF's memory layout), hall order
        n = len(xs)
        xy = array("d", bytes(16 * n))
        xy[0::2] = xs
        xy[1::2] = ys
        self._xy = xy
        rb = lay.row_bounds
        rects = []
        for (a, b), (ra, rz) in zip(zip(starts, ends), row_ranges):
            if rb is not None:
                x0, y0 = min(rb[4 * ra:4 * rz:4]), min(rb[4 * ra + 1:4 * rz:4])
                x1, y1 = max(rb[4 * ra + 2:4 * rz:4]), max(rb[4 * ra + 3:4 * rz:4])
            else:
                sx, sy = xs[a:b], ys[a:b]
                x0, y0, x1, y1 = min(sx), min(sy), max(sx), max(sy)
            rects.append(QRectF(x0 - h, y0 - h, x1 - x0 + 2 * h, y1 - y0 + 2 * h))
        self._tile_rects = rects
        # the colour slot of every seat while free (fixed per layout), then the keys in bulk
        ranks = lay.rank_bytes
        if ranks is not None:
            table = bytearray(_NO_RANK_TABLE)
            for rank, slot in self.rank_slot.items():
                if 0 <= rank < 256:
                    table[rank] = slot
            self._slot_bytes = ranks.translate(table)
        else:
            self._slot_bytes = bytes(map(self.rank_slot.get, lay.rank_ids, repeat(0, len(lay.rank_ids))))
        self.seat_key = self._bulk_keys()
        self._tile_polys: list[dict[int, QPolygonF]] = [self._polys_for(k) for k in range(len(starts))]

    def _build_aisle_labels(self) -> None:
        """One anchor per gap inside a row: the middle between the seats either side of it.

        Kept as flat arrays (x, y, free width between the two seats, row index) so a paint only
        compares numbers; rows are laid out once, so this runs once per layout."""
        lay = self.layout
        xs, ys, brk, h = lay.xs, lay.ys, lay.break_before, lay.seat_size
        ax, ay, free, row_idx = array("d"), array("d"), array("d"), array("l")
        for ri, row in enumerate(lay.rows):
            for j in range(row.first + 1, row.first + row.count):
                if brk[j]:
                    x0, y0, x1, y1 = xs[j - 1], ys[j - 1], xs[j], ys[j]
                    ax.append((x0 + x1) / 2)
                    ay.append((y0 + y1) / 2)
                    free.append(math.hypot(x1 - x0, y1 - y0) - h)
                    row_idx.append(ri)
        self._aisle_x, self._aisle_y, self._aisle_free, self._aisle_row = ax, ay, free, row_idx

    def _polys_for(self, k: int) -> dict[int, QPolygonF]:
        """Per colour key the polygon of this tile's seat centres, in hall order: the tile's seats as
        16-byte records (one ``struct`` unpack), one ``compress`` by each key's mask (``translate``
        of the keys) and a ``join`` of the records into the polygon's memory."""
        a, b = self._tile_start[k], self._tile_end[k]
        keys = self.seat_key[a:b]
        present = [g for g in self.keys if g in keys]   # a memchr per colour, not a set of every seat
        if len(present) == 1:
            return {present[0]: _polygon_xy(memoryview(self._xy)[2 * a:2 * b])}
        recs = _records(b - a).unpack_from(self._xy, 16 * a)
        join = b"".join
        return {g: _polygon_xy(join(compress(recs, keys.translate(_MASKS[g])))) for g in present}

    def _bulk_keys(self) -> bytearray:
        """Every seat's colour key from the layout's availability, without a per-seat Python loop:
        ``slot | (255 if unavailable else 0)`` done as one big-integer OR over the byte strings
        (rank slots are < 255, so a free seat keeps its slot and an unavailable one becomes 255)."""
        slots = self._slot_bytes
        n = len(slots)
        if not n:
            return bytearray()
        grey = bytes(self.layout.available).translate(_UNAVAILABLE_OF)
        return bytearray((int.from_bytes(slots, "big") | int.from_bytes(grey, "big")).to_bytes(n, "big"))

    def availability_changed(self, indices: list[int] | tuple[int, ...]) -> None:
        """Refresh the colour buckets of the tiles holding these seats (after ``update_availability``).

        A few seats: seat by seat. Many (from ``BULK_UPDATE_MIN``): all keys recomputed in bulk and
        the dirty tiles found by comparing each tile's slice of old and new keys (C-level)."""
        if len(indices) >= BULK_UPDATE_MIN:
            old, new = self.seat_key, self._bulk_keys()
            dirty: Collection[int] = [k for k, (a, b) in enumerate(zip(self._tile_start, self._tile_end))
                                      if old[a:b] != new[a:b]]
            self.seat_key[:] = new   # same object (callers may hold it)
        else:
            lay = self.layout
            slot, key, avail, ranks, tile_of = self.rank_slot, self.seat_key, lay.available, lay.rank_ids, self._tile_of
            touched: set[int] = set()
            for i in indices:
                new_key = slot.get(ranks[i], 0) if avail[i] else UNAVAILABLE_KEY
                if key[i] != new_key:
                    key[i] = new_key
                    touched.add(tile_of[i])
            dirty = touched
        for k in dirty:
            self._tile_polys[k] = self._polys_for(k)
        if dirty:
            self.update()

    # --- QGraphicsItem ----------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,  # noqa: C901
              widget: QWidget | None = None) -> None:
        t = painter.worldTransform()
        scale = math.sqrt(abs(t.determinant())) or 1.0
        exposed = option.exposedRect if option is not None else self._bounds
        if exposed.isEmpty():
            exposed = self._bounds
        seat_px = self.layout.seat_size * scale
        report = PaintReport(seat_px=seat_px)
        self._paint_stage(painter, t, scale, report)
        if seat_px < P.CIRCLE_MIN_PX:
            report.mode = "blocks"
            self._paint_blocks(painter, exposed, seat_px, report)
        else:
            report.mode = "circles"
            self._paint_circles(painter, t, exposed, seat_px, report)
        if not self.overview:
            self._paint_labels(painter, t, exposed, scale, report)
        self.last_paint = report

    # --- parts ------------------------------------------------------------------------------------
    def _pen(self, colour: str | QColor, width: float, cap=Qt.PenCapStyle.SquareCap) -> QPen:
        pen = QPen(QColor(colour), width)
        pen.setCosmetic(True)
        pen.setCapStyle(cap)
        return pen

    def _visible_tiles(self, exposed: QRectF) -> list[int]:
        return [k for k, r in enumerate(self._tile_rects) if r.intersects(exposed)]

    def _overlay_points(self, indices, exposed: QRectF) -> QPolygonF | None:
        xs, ys = self.layout.xs, self.layout.ys
        left, top, right, bottom = exposed.left(), exposed.top(), exposed.right(), exposed.bottom()
        pts = [QPointF(xs[i], ys[i]) for i in indices if left <= xs[i] <= right and top <= ys[i] <= bottom]
        return QPolygonF(pts) if pts else None

    def _paint_blocks(self, painter: QPainter, exposed: QRectF, seat_px: float, report: PaintReport) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        st = self.state
        full = max(1.0, seat_px * 0.9)
        small = max(1.0, seat_px * 0.55)
        visible = self._visible_tiles(exposed)
        report.tiles_drawn = len(visible)
        polys = self._tile_polys
        drawn = 0
        for key in self.keys:
            if key == UNAVAILABLE_KEY:
                painter.setPen(self._pen(P.UNAVAILABLE, small))
            else:
                painter.setPen(self._pen(P.rank_colour(key), full))
            for k in visible:
                poly = polys[k].get(key)
                if poly is not None:
                    painter.drawPoints(poly)
                    drawn += poly.size()
        report.seats_drawn = drawn
        for indices, colour in ((st.in_cart, P.IN_CART), (st.selected, P.SELECTED)):
            if indices:
                poly = self._overlay_points(indices, exposed)
                if poly is not None:
                    painter.setPen(self._pen(colour, max(2.0, seat_px)))
                    painter.drawPoints(poly)
        if st.suggestion is not None:
            self._paint_suggestion_marks(painter, st.suggestion.groups, seat_px)
        if st.focus is not None:
            self._paint_focus(painter, st.focus, seat_px)

    def _paint_suggestion_marks(self, painter: QPainter, groups, seat_px: float) -> None:
        """Seats too small to carry a ring: each suggested group gets a vermillion outline (on a
        white one, for contrast) of at least ``SUGGESTION_MARK_MIN_PX`` on screen, drawn over the
        seats, and its seats vermillion dots — visible at any zoom, whole arena included."""
        xs, ys = self.layout.xs, self.layout.ys
        t = painter.worldTransform()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pad = max(3.0, seat_px)
        dots = QPolygonF()
        for group in groups:
            pts = [t.map(QPointF(xs[i], ys[i])) for i in group]
            for pt in pts:
                dots.append(pt)
            left = min(pt.x() for pt in pts) - pad
            right = max(pt.x() for pt in pts) + pad
            top = min(pt.y() for pt in pts) - pad
            bottom = max(pt.y() for pt in pts) + pad
            w = max(right - left, SUGGESTION_MARK_MIN_PX)
            h = max(bottom - top, SUGGESTION_MARK_MIN_PX)
            rect = QRectF((left + right - w) / 2, (top + bottom - h) / 2, w, h)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor("#FFFFFF"), 5.0))
            painter.drawRoundedRect(rect, 4.0, 4.0)
            painter.setPen(QPen(QColor(P.SUGGESTED), 3.0))
            painter.drawRoundedRect(rect, 4.0, 4.0)
        painter.setPen(self._pen(P.SUGGESTED, max(2.0, seat_px)))
        painter.drawPoints(dots)
        painter.restore()

    def _paint_circles(self, painter: QPainter, t: QTransform, exposed: QRectF, seat_px: float,
                       report: PaintReport) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        lay, st = self.layout, self.state
        xs, ys, key = lay.xs, lay.ys, self.seat_key
        h = lay.seat_size / 2
        visible = lay.seats_in_rect(exposed.left(), exposed.top(), exposed.right(), exposed.bottom(),
                                    touching=True)
        report.seats_drawn = len(visible)
        r = h * 0.95
        if st.suggestion is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(P.SUGGESTED_HALO))
            for i in st.suggestion.seats:
                painter.drawEllipse(QPointF(xs[i], ys[i]), h * 1.3, h * 1.3)
        groups: dict[int, list[int]] = {}
        for i in visible:
            groups.setdefault(key[i], []).append(i)
        special = st.selected | st.in_cart
        for g, idx in groups.items():
            if g == UNAVAILABLE_KEY:
                painter.setBrush(QColor(P.UNAVAILABLE))
                painter.setPen(QPen(QColor(P.UNAVAILABLE_RING), 0.06))
                ru = h * 0.55
                for i in idx:
                    if i not in special:
                        painter.drawEllipse(QPointF(xs[i], ys[i]), ru, ru)
            else:
                painter.setPen(QPen(QColor(0, 0, 0, 60), 0.04))
                painter.setBrush(P.rank_colour(g))
                for i in idx:
                    painter.drawEllipse(QPointF(xs[i], ys[i]), r, r)
        vis = set(visible)
        # in this cart: white seat, dark ring and centre dot
        cart = [i for i in st.in_cart if i in vis]
        if cart:
            painter.setPen(QPen(QColor(P.IN_CART), 0.14))
            painter.setBrush(QColor("#FFFFFF"))
            for i in cart:
                painter.drawEllipse(QPointF(xs[i], ys[i]), r * 0.92, r * 0.92)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(P.IN_CART))
            for i in cart:
                painter.drawEllipse(QPointF(xs[i], ys[i]), r * 0.3, r * 0.3)
        selected = [i for i in st.selected if i in vis]
        if selected:
            painter.setPen(QPen(QColor(P.SELECTED), 0.08))
            painter.setBrush(QColor(P.SELECTED))
            for i in selected:
                painter.drawEllipse(QPointF(xs[i], ys[i]), r, r)
        if st.suggestion is not None:
            pen = QPen(QColor(P.SUGGESTED), 0.14)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for i in st.suggestion.seats:
                if i in vis:
                    painter.drawEllipse(QPointF(xs[i], ys[i]), r + 0.04, r + 0.04)
        show_numbers = seat_px >= P.NUMBER_MIN_PX
        if selected:
            self._paint_checks(painter, selected, seat_px, show_numbers)
        if show_numbers:
            report.numbers_drawn = self._paint_numbers(painter, t, visible, special, seat_px)
        if st.focus is not None:
            self._paint_focus(painter, st.focus, seat_px)

    def _paint_checks(self, painter: QPainter, selected: list[int], seat_px: float, numbers: bool) -> None:
        """White check on selected seats (at the bottom of the seat when its number is shown)."""
        xs, ys = self.layout.xs, self.layout.ys
        h = self.layout.seat_size / 2
        pen = QPen(QColor(P.SELECTED_MARK), h * 0.22)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        k = 0.35 if numbers else 0.6
        dy = h * 0.45 if numbers else 0.0
        for i in selected:
            x, y = xs[i], ys[i] + dy
            path = QPainterPath(QPointF(x - h * k, y))
            path.lineTo(x - h * k * 0.2, y + h * k * 0.7)
            path.lineTo(x + h * k, y - h * k * 0.8)
            painter.drawPath(path)

    def _static(self, number: int, px: int) -> QStaticText:
        st = self._static_cache.get((number, px))
        if st is None:
            st = QStaticText(str(number))
            st.setTextFormat(Qt.TextFormat.PlainText)
            self._static_cache[(number, px)] = st
        return st

    def _paint_numbers(self, painter: QPainter, t: QTransform, visible: list[int], special: set[int],
                       seat_px: float) -> int:
        lay = self.layout
        xs, ys, nrs, avail = lay.xs, lay.ys, lay.seat_nrs, lay.available
        labels = lay.seat_labels   # seats numbered with a label ("12a"): their text (issue 15)
        px = max(7, min(int(seat_px * 0.5), 18))
        font = QFont()
        font.setPixelSize(px)
        painter.save()
        painter.resetTransform()
        painter.setFont(font)
        dark, light, grey = QColor(P.SEAT_TEXT), QColor(P.SELECTED_MARK), QColor("#777777")
        m11, m12, m21, m22, dx, dy = t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy()
        selected, cart = self.state.selected, self.state.in_cart
        lift = lay.seat_size * 0.12 if selected else 0.0
        count = 0
        current = None
        for i in visible:
            if i in selected:
                colour, y_off = light, -lift
            elif not avail[i] and i not in cart:
                colour, y_off = grey, 0.0
            else:
                colour, y_off = dark, 0.0
            if colour is not current:
                painter.setPen(colour)
                current = colour
            st = self._static(labels.get(i, nrs[i]) if labels else nrs[i], px)
            size = st.size()
            x, y = xs[i], ys[i] + y_off
            cx = x * m11 + y * m21 + dx
            cy = x * m12 + y * m22 + dy
            painter.drawStaticText(QPointF(cx - size.width() / 2, cy - size.height() / 2), st)
            count += 1
        painter.restore()
        return count

    def _paint_focus(self, painter: QPainter, i: int, seat_px: float) -> None:
        xs, ys = self.layout.xs, self.layout.ys
        t = painter.worldTransform()
        c = t.map(QPointF(xs[i], ys[i]))
        radius = max(7.0, seat_px * 0.72)
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(P.FOCUS_OUTER), 3.0))
        painter.drawEllipse(c, radius, radius)
        painter.setPen(QPen(QColor(P.FOCUS_INNER), 1.5))
        painter.drawEllipse(c, radius - 2.2, radius - 2.2)
        painter.restore()

    def _paint_stage(self, painter: QPainter, t: QTransform, scale: float,
                     report: PaintReport | None = None) -> None:
        s = self.layout.stage
        rect = QRectF(s.x, s.y, s.width, s.height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        oval = getattr(self.layout, "floor_oval", None)   # arena mode: the open floor, lightly filled
        if oval:
            cx, cy, rx, ry = oval
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(P.FLOOR_FILL))
            painter.drawEllipse(QPointF(cx, cy), rx, ry)
        painter.setPen(QPen(QColor(P.STAGE_BORDER), 0.15))
        painter.setBrush(QColor(P.STAGE_FILL))
        painter.drawRoundedRect(rect, 0.6, 0.6)
        if self.overview:
            return
        label = (self.layout.stage_label or _("Stage")).upper()
        dev = t.mapRect(rect)
        font = stage_font(label, dev)
        if font is None:            # too small to read: the stage's shape says it
            return
        painter.save()
        painter.resetTransform()
        painter.setFont(font)
        painter.setPen(QColor(P.STAGE_TEXT))
        flags = int(Qt.AlignmentFlag.AlignCenter)
        painter.drawText(dev, flags, label)
        if report is not None:
            report.stage_text = label
            report.stage_rect = QRectF(dev)
            report.stage_text_rect = painter.boundingRect(dev, flags, label)
        painter.restore()

    def _paint_labels(self, painter: QPainter, t: QTransform, exposed: QRectF, scale: float,
                      report: PaintReport) -> None:
        lay = self.layout
        painter.save()
        painter.resetTransform()
        # row numbers at both ends of every row, when legible
        row_px = P.ROW_LABEL_EM * scale
        if row_px >= P.ROW_LABEL_MIN_PX:
            font = QFont()
            font.setPixelSize(int(min(row_px, 16)))
            painter.setFont(font)
            painter.setPen(QColor(P.ROW_TEXT))
            box = 3.0 * row_px
            wide = exposed.adjusted(-2, -2, 2, 2)
            n = 0
            for ri, row in enumerate(lay.rows):
                text = lay.row_text(ri)    # its label ("A") or its number
                for (x, y) in (row.left_label, row.right_label):
                    if wide.contains(x, y):
                        c = t.map(QPointF(x, y))
                        painter.drawText(QRectF(c.x() - box / 2, c.y() - box / 2, box, box),
                                         Qt.AlignmentFlag.AlignCenter, text)
                        n += 1
            report.row_labels_drawn = n
        aisle_px = P.AISLE_LABEL_EM * scale
        if aisle_px >= P.AISLE_LABEL_MIN_PX and self._aisle_x is None:
            self._build_aisle_labels()
        if aisle_px >= P.AISLE_LABEL_MIN_PX and len(self._aisle_x or ()):   # built just above
            report.aisle_labels_drawn = self._paint_aisle_labels(painter, t, exposed, scale, aisle_px)
        # section names: always, at least 11 px
        font = QFont()
        font.setPixelSize(int(max(11, min(1.1 * scale, 26))))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(P.SECTION_TEXT))
        n = 0
        for sec in lay.sections:
            b = sec.bounds
            if not exposed.intersects(QRectF(b.x - 2, b.y - 4, b.width + 4, b.height + 6)):
                continue
            c = t.map(QPointF(*sec.label))
            w = max(200.0, b.width * scale)
            painter.drawText(QRectF(c.x() - w / 2, c.y() - 20, w, 40), Qt.AlignmentFlag.AlignCenter, sec.name)
            n += 1
        report.section_labels_drawn = n
        painter.restore()

    def _paint_aisle_labels(self, painter: QPainter, t: QTransform, exposed: QRectF, scale: float,
                            px: float) -> int:
        """The row number, small, in each exposed aisle/gap that is wide enough for it."""
        font = QFont()
        font.setPixelSize(int(min(px, 14)))
        painter.setFont(font)
        painter.setPen(QColor(P.ROW_TEXT))
        digit = painter.fontMetrics().horizontalAdvance("0")
        left, top, right, bottom = exposed.left(), exposed.top(), exposed.right(), exposed.bottom()
        box_h = 2.0 * px
        n = 0
        assert self._aisle_x is not None   # built before the first aisle paint
        for x, y, free, ri in zip(self._aisle_x, self._aisle_y, self._aisle_free, self._aisle_row):
            if not (left <= x <= right and top <= y <= bottom):
                continue
            text = self.layout.row_text(ri)
            width = digit * len(text) + 2
            if free * scale < width:   # a narrow gap: the number would touch the seats
                continue
            c = t.map(QPointF(x, y))
            painter.drawText(QRectF(c.x() - width, c.y() - box_h / 2, 2 * width, box_h),
                             Qt.AlignmentFlag.AlignCenter, text)
            n += 1
        return n
