"""Hall layout engine: turns a coordinate-free seating plan into seat positions for drawing.

Owns: ``build_layout(plan, hall_file=None) -> HallLayout`` and the ``HallLayout`` it returns —
flat parallel arrays meant to be painted by ONE custom graphics item, plus label anchors, the
stage, bounds, a spatial index (``seat_at``, ``seats_in_rect``) and keyboard neighbour
navigation (``neighbour``). Pure Python, no Qt.

Coordinates
    Seat units: one seat pitch along a row is 1.0, rows are ``ROW_PITCH`` (1.1) apart, a seat is
    drawn ``SEAT_SIZE`` (0.8) wide centred on (x, y). y grows downwards (as on screen). The hall
    axis is x = 0; the stage is above the audience (smaller y).

Layout rules (deterministic; the same plan always gives the same layout)
    1. Order. Rows are sorted by rowNr; the lowest rowNr is the front row (nearest the stage).
       The array order of the seats in a row is their physical left→right order as seen from the
       stage-facing audience, so odd/even numbering from the centre (7 5 3 1 2 4 6 8) comes out
       right by keeping array order. Empty rows and sections without seats are left out
       (``HallLayout.empty_section_ids`` lists such sections).
    2. Gaps in numbering. A row whose consecutive numbers mostly step by 2 is odd/even numbered;
       otherwise sequential. Between two consecutive seats a gap of one seat pitch is inserted when
       the numbers jump: sequential rows — a step of more than 1 (…9 10 | 15 16…); odd/even rows —
       a step of more than 2 between numbers of the same parity (…5 3 | 11 13…; the crossing in the
       middle, e.g. 1 → 2, is never a gap). Hall-file aisles add their width after the given seat.
       A gap or aisle breaks adjacency (best-available never spans it): ``break_before``.
    3. Rows are centred on the section's centre line, so longer rows fan out on both sides. With
       a hall-file ``curve`` the rows become concentric arcs (centre in front of the section), the
       widest-spanning row covering at most ``curve`` degrees.
    4. Section kinds by name (case-insensitive substrings): behind-stage (koor, choir, podium,
       behind; or "achter" when no floor/balcony word is present) — floor (parkett, parket, zaal,
       stalls, floor, vloer, parterre, orchestra, arena) — side (loge, box, side, zij, links,
       rechts, left, right; so "Zijbalkon links" is a side section) — balcony (balkon, balcony,
       rang, gallery, galerij, circle, mezzanine, tribune) — otherwise other. The first match in
       this order wins.
    5. Main floor: the floor-kind section with the most seats (first in plan order on ties), else
       the section with the most seats. In theatre mode, and in arena mode when it is a floor-kind
       section, its front row's centre is at (0, 0) and the stage is centred on x = 0 just above
       it (width 80 % of its widest row, at least 8).
    6. Theatre mode (fewer than ``ARENA_MIN_SECTIONS`` sections that are neither side nor
       behind-stage): other floor sections whose name says left/links or right/rechts sit beside
       the main floor (front aligned), side sections stack in a column outside them (named
       left/right go there; the others alternate left, right in plan order); then, centred on the
       axis and stacked behind everything placed so far in this order: remaining floor sections,
       balconies, other sections (each group in plan order). Behind-stage sections sit side by
       side above the stage, turned 180° to face it.
    7. Arena mode (``ARENA_MIN_SECTIONS`` or more such sections besides the main floor): an open
       floor inside a ring of stands. The floor holds the main floor (if it is floor-kind) with
       the other floor-kind sections beside it (left/right names) or behind it, as in 6; when no
       section is floor-kind the floor stays empty and the stage is ``ARENA_STAGE_WIDTH`` of the
       oval wide. The floor is an oval ``ARENA_ASPECT`` times as tall as wide (``floor_oval``)
       with the stage at its top end: the floor content is pushed as high as the oval allows,
       ``ARENA_FLOOR_MARGIN`` inside it. Every other non-behind section is a stand on the ring,
       in (sectionId, name) order, clockwise on screen starting right of the stage and ending
       left of it (the arc straight behind the stage stays open). Each stand is turned to face
       the floor — the middle of its front edge (label band included) touches the oval and its
       rows run along the oval's tangent — and the stands share the spare length of the ring
       evenly. Starting from the smallest oval whose length could hold the stands, the oval
       grows by ``ARENA_GROWTH`` until the floor content fits and no stand overlaps another
       stand, the stage or the floor content (footprints as turned rectangles). A stand's name
       sits in its label band, between the stand and the floor. Behind-stage sections as in 6,
       moved above the ring if its ends are in the way.
    8. Sections never overlap in the automatic layout: each occupies its seats' box in its own
       (turned) frame plus ``SECTION_PAD`` (room for row numbers and the section name) and a
       ``SECTION_LABEL_SPACE`` band in front; footprints keep ``SECTION_GAP`` apart. A hall file
       that makes two such turned footprints overlap gets a note.
    9. Labels: row numbers at both ends of each row, ``ROW_LABEL_OFFSET`` beyond the end seats
       along the row; the section name centred above its seats, in a band of
       ``SECTION_LABEL_SPACE`` reserved above the section's footprint; seat numbers (``seat_nrs``)
       are drawn on the seats themselves when zoomed in.
   10. A hall file (``boxoffice.domain.hall_file``) may set, per section, position (where the
       front row's centre goes), rotation, curve and aisles, and may set the stage. Fields it
       leaves out keep the automatic value. Problems with the file are reported in ``notes``.

Speed: building is linear in the seats and does no per-seat statement or Python function call in
its hot path: per seat only list comprehensions over a whole block (section) — one for the seat
numbers (read while checking the numbering), one per coordinate, one per remaining seat field —
and C-level packing (``struct.pack_into``) straight into arrays allocated once. Rows of one length
and plain numbering share their local positions, break flags and packed seat numbers, and within a
turned block their rotated terms, so a seat coordinate costs one addition; row, section and tile
bounds come from the end seats of straight rows (``row_bounds``). The arena ring skips sampling the
oval while a closed-form upper bound on its length already says it is too short.
``update_availability`` of the same hall in the same seat order is a few C-level passes. The
spatial index (``grid``) and the seatId map are built lazily on first use. About 8 ms for 20,000
and 50 ms for 100,000 seats on this 2-core machine when it is quiet (index: another ~70 ms for
100,000, on the first hit test or zoomed-in paint).
"""
from __future__ import annotations

import math
import struct
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from itertools import accumulate, chain, compress, islice
from operator import le, ne, sub, truth
from typing import Any

from boxoffice.domain.hall_file import HallFile, HallFileError, SectionSpec
from boxoffice.domain.seatgrid import SeatGrid
from boxoffice.domain.seatplan import PlanInput, PlanPriceLevel, PlanSection, from_api
from boxoffice.i18n import N_

SEAT_PITCH = 1.0
ROW_PITCH = 1.1
SEAT_SIZE = 0.8
ROW_LABEL_OFFSET = 1.1
SECTION_PAD = 1.6
SECTION_GAP = 1.0
BALCONY_GAP = 2.0
STAGE_GAP = 1.0
STAGE_DEPTH = 5.0
MIN_STAGE_WIDTH = 8.0
SECTION_LABEL_SPACE = 1.4
ARENA_MIN_SECTIONS = 8
MIN_CURVE_RADIUS = 2.0
GRID_CELL = 2.0
ARENA_ASPECT = 1.15        # inner oval: height / width (stage at the top end)
ARENA_FLOOR_MARGIN = 2.0   # floor content keeps this far inside the oval
ARENA_STAGE_WIDTH = 0.35   # without a floor section: stage width / oval width
ARENA_STAGE_DEPTH = 0.08   # ... and stage depth / oval height
ARENA_GROWTH = 1.02        # the oval grows by this factor until the ring fits without overlaps


class SectionKind(str, Enum):
    FLOOR = "floor"
    BALCONY = "balcony"
    SIDE = "side"
    BEHIND = "behind"
    OTHER = "other"


_BEHIND_WORDS = ("koor", "choir", "podium", "behind")
_FLOOR_WORDS = ("parkett", "parket", "zaal", "stalls", "floor", "vloer", "parterre", "orchestra", "arena")
_BALCONY_WORDS = ("balkon", "balcony", "rang", "gallery", "galerij", "circle", "mezzanine", "tribune")
_SIDE_WORDS = ("loge", "box", "side", "zij", "links", "rechts", "left", "right")
_LEFT_WORDS = ("links", "left")
_RIGHT_WORDS = ("rechts", "right")


def classify_section(name: str) -> SectionKind:
    """Section kind from its name (rule 4 of the module docstring)."""
    low = name.casefold()
    if any(w in low for w in _BEHIND_WORDS):
        return SectionKind.BEHIND
    is_floor = any(w in low for w in _FLOOR_WORDS)
    is_balcony = any(w in low for w in _BALCONY_WORDS)
    if "achter" in low and not (is_floor or is_balcony):
        return SectionKind.BEHIND
    if is_floor:
        return SectionKind.FLOOR
    if any(w in low for w in _SIDE_WORDS):
        return SectionKind.SIDE
    if is_balcony:
        return SectionKind.BALCONY
    return SectionKind.OTHER


def _side_of(name: str) -> str | None:
    low = name.casefold()
    if any(w in low for w in _LEFT_WORDS):
        return "left"
    if any(w in low for w in _RIGHT_WORDS):
        return "right"
    return None


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x

    @property
    def top(self) -> float:
        return self.y

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def intersects(self, other: Rect) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom

    def adjusted(self, d: float) -> Rect:
        return Rect(self.x - d, self.y - d, self.width + 2 * d, self.height + 2 * d)

    @staticmethod
    def union(rects: Iterable[Rect]) -> Rect | None:
        rects = list(rects)
        if not rects:
            return None
        left = min(r.left for r in rects)
        top = min(r.top for r in rects)
        return Rect(left, top, max(r.right for r in rects) - left, max(r.bottom for r in rects) - top)


@dataclass(frozen=True, slots=True)
class RowInfo:
    section_index: int
    row_nr: int
    first: int          # index of the row's leftmost seat in the seat arrays
    count: int          # seats first .. first+count-1, in physical left→right order
    left_label: tuple[float, float]   # where to draw the row number before the first seat
    right_label: tuple[float, float]  # ... and after the last seat
    angle: float        # direction of the row (degrees, clockwise from +x) for rotated labels


def _row_info_maker():
    """A constructor for ``RowInfo`` that takes the fields in order, as the dataclass ``__init__``
    does, and builds the same object about four times faster: it stores each field through its slot
    directly, where the frozen ``__init__`` goes through ``object.__setattr__`` field by field (a
    layout makes one per row). ``RowInfo`` has no defaults and no ``__post_init__`` to run."""
    new = object.__new__
    setters = [getattr(RowInfo, f.name).__set__ for f in fields(RowInfo)]
    assert len(setters) == 7 and not hasattr(RowInfo, "__post_init__")
    s0, s1, s2, s3, s4, s5, s6 = setters

    def make(section_index, row_nr, first, count, left_label, right_label, angle):
        r = new(RowInfo)
        s0(r, section_index)
        s1(r, row_nr)
        s2(r, first)
        s3(r, count)
        s4(r, left_label)
        s5(r, right_label)
        s6(r, angle)
        return r
    return make


_new_row_info = _row_info_maker()


@dataclass(frozen=True, slots=True)
class SectionInfo:
    section_id: int
    name: str
    kind: SectionKind
    first_row: int      # rows[first_row : first_row+row_count]
    row_count: int
    first_seat: int     # seats first_seat .. first_seat+seat_count-1
    seat_count: int
    bounds: Rect        # the seats (centres ± half a seat)
    label: tuple[float, float]   # centre of the section name
    origin: tuple[float, float]  # where the front row's centre is (hall-file "position")
    rotation: float
    curve: float
    from_hall_file: bool


@dataclass(eq=False)
class HallLayout:
    """Seat geometry in flat parallel arrays (index i = one seat), plus labels and indexes.

    Draw from: ``xs``/``ys`` (centres), ``rank_ids`` (colour), ``available`` (1 = free),
    ``seat_nrs`` (text when zoomed in), ``rows`` (row-number anchors), ``sections`` (names),
    ``stage``/``stage_label``, ``bounds`` and, in arena mode, ``floor_oval`` (centre x, centre y,
    radius x, radius y: the open floor inside the ring of stands, worth a light fill). Availability is the only mutable part
    (``set_available`` / ``update_availability``); everything else is fixed once built.
    """

    xs: array
    ys: array
    seat_ids: list[str]
    seat_nrs: array
    rank_ids: array
    section_of: array
    row_of: array
    break_before: bytearray
    available: bytearray
    rows: tuple[RowInfo, ...]
    sections: tuple[SectionInfo, ...]
    stage: Rect
    stage_label: str | None
    bounds: Rect
    price_levels: tuple[PlanPriceLevel, ...] = ()
    mode: str = "empty"
    hall_file_used: bool = False
    notes: tuple[HallFileError, ...] = ()
    empty_section_ids: tuple[int, ...] = ()
    seat_size: float = SEAT_SIZE
    hall_id: int | None = None
    event_id: int | None = None
    floor_oval: tuple[float, float, float, float] | None = None
    row_bounds: array | None = None   # 4 per row: min x, min y, max x, max y of its seat centres
    #: Rows and seats whose number is a label ("A", "12a"): index -> text (empty when none is)
    row_labels: dict[int, str] = field(default_factory=dict)
    seat_labels: dict[int, str] = field(default_factory=dict)
    _grid: SeatGrid | None = field(default=None, init=False, repr=False)
    _index_map: dict[str, int] | None = field(default=None, init=False, repr=False)
    _ranks: tuple[bytes | None, frozenset[int]] | None = field(default=None, init=False, repr=False)

    # The spatial index and the seatId → index map are built on first use: a fitted-in view
    # paints from the arrays alone, so opening a big hall does not pay for them up front.
    @property
    def grid(self) -> SeatGrid:
        grid = self._grid
        if grid is None:
            grid = self._grid = SeatGrid(self.xs, self.ys, GRID_CELL)
        return grid

    @property
    def _index(self) -> dict[str, int]:
        index = self._index_map
        if index is None:
            index = self._index_map = dict(zip(self.seat_ids, range(len(self.seat_ids))))
        return index

    # --- ranks ----------------------------------------------------------------------------
    def _rank_info(self) -> tuple[bytes | None, frozenset[int]]:
        info = self._ranks
        if info is None:
            low = _low_bytes(self.rank_ids)
            info = self._ranks = (low, frozenset(_distinct(low) if low is not None else self.rank_ids))
        return info

    @property
    def rank_bytes(self) -> bytes | None:
        """``rank_ids`` as one byte per seat when every rankId is 0..255 (the usual case), else None:
        lets painters map ranks to colours with one ``bytes.translate``."""
        return self._rank_info()[0]

    @property
    def ranks_present(self) -> frozenset[int]:
        """The distinct rankIds of the seats (``set(rank_ids)``, computed once)."""
        return self._rank_info()[1]

    # --- identity -------------------------------------------------------------------------
    @property
    def seat_count(self) -> int:
        return len(self.seat_ids)

    def index_of(self, seat_id: str) -> int | None:
        return self._index.get(str(seat_id))

    def seat_key(self, i: int) -> tuple[int, int, int]:
        """(sectionId, rowNr, seatNr) of seat ``i``."""
        return (self.sections[self.section_of[i]].section_id, self.rows[self.row_of[i]].row_nr,
                self.seat_nrs[i])

    def section_name(self, i: int) -> str:
        return self.sections[self.section_of[i]].name

    def seat_text(self, i: int) -> str:
        """What seat ``i`` is called: its label ("12a") or its number."""
        label = self.seat_labels.get(i) if self.seat_labels else None
        return label if label is not None else str(self.seat_nrs[i])

    def row_text(self, ri: int) -> str:
        """What row ``ri`` (an index into ``rows``) is called: its label ("A") or its number."""
        label = self.row_labels.get(ri) if self.row_labels else None
        return label if label is not None else str(self.rows[ri].row_nr)

    # --- availability ---------------------------------------------------------------------
    def set_available(self, i: int, available: bool) -> None:
        self.available[i] = 1 if available else 0

    def update_availability(self, plan: PlanInput | Any) -> list[int]:
        """Take availability from a fresh plan of the same hall; returns indices that changed
        (ascending hall order when the plan lists the seats in hall order, else plan order).

        ``plan`` is a ``PlanInput`` or anything with the same attribute shape (``sections[].rows[]
        .seats[].seat_id/available``, e.g. the API client's ``SeatPlan``, so an update need not
        convert every seat first); a mapping goes through ``from_api``. Seat ids the layout does not
        know are ignored. ``available`` is updated in place (same bytearray object).

        Fast path: when the plan's seat ids, in order, are exactly this layout's ``seat_ids`` (the
        usual refresh of the same hall) the new flags are read in one C-level pass and the changed
        indices come from comparing the two bytearrays; otherwise seat by seat through the seatId map.
        """
        if isinstance(plan, Mapping):
            plan = from_api(plan)
        seats = list(chain.from_iterable(row.seats for sec in plan.sections for row in sec.rows))
        avail = self.available
        n = len(avail)
        index = self._index
        # (comprehensions, not map(attrgetter): 3.11's specialised attribute loads are faster)
        if len(seats) == n and len(index) == n and [s.seat_id for s in seats] == self.seat_ids:
            new = bytearray(map(truth, [s.available for s in seats]))
            changed = list(compress(range(n), map(ne, avail, new)))
            if changed:
                avail[:] = new
            return changed
        changed = []
        get = index.get
        for seat in seats:
            i = get(seat.seat_id)
            if i is not None:
                a = 1 if seat.available else 0
                if avail[i] != a:
                    avail[i] = a
                    changed.append(i)
        return changed

    # --- spatial queries ------------------------------------------------------------------
    def seat_at(self, x: float, y: float) -> int | None:
        """The seat drawn at point (x, y) (within half a seat of its centre), else None."""
        return self.grid.nearest(x, y, self.seat_size / 2)

    def seats_in_rect(self, x0: float, y0: float, x1: float, y1: float, *, touching: bool = False) -> list[int]:
        """Seats whose centre lies in the rectangle (``touching``: whose drawn square meets it)."""
        if touching:
            h = self.seat_size / 2
            x0, x1 = min(x0, x1) - h, max(x0, x1) + h
            y0, y1 = min(y0, y1) - h, max(y0, y1) + h
        return self.grid.in_rect(x0, y0, x1, y1)

    # --- keyboard navigation --------------------------------------------------------------
    _DIRS = {"left": (-1.0, 0.0), "right": (1.0, 0.0), "up": (0.0, -1.0), "down": (0.0, 1.0)}

    def neighbour(self, i: int, direction: str) -> int | None:
        """The seat focus moves to from seat ``i`` on an arrow key (screen directions).

        1. Along the row: the physically adjacent seat if it lies in that direction (within 45°).
        2. Across rows: the nearest seat of the previous/next row of the same section if it lies
           in that direction (within 60°).
        3. Otherwise the nearest seat anywhere (other sections too) within 45° of the direction,
           by distance along it plus twice the sideways distance. None if there is none.
        """
        dx, dy = self._DIRS[direction]
        xs, ys = self.xs, self.ys
        x, y = xs[i], ys[i]

        def toward(j: int, cos_min: float) -> bool:
            vx, vy = xs[j] - x, ys[j] - y
            d = math.hypot(vx, vy)
            return d > 1e-9 and (vx * dx + vy * dy) / d >= cos_min

        ri = self.row_of[i]
        row = self.rows[ri]
        for j in (i - 1, i + 1):
            if row.first <= j < row.first + row.count and toward(j, 0.7071):
                return j
        sec = self.sections[row.section_index]
        best, best_d = None, math.inf
        for rj in (ri - 1, ri + 1):
            if sec.first_row <= rj < sec.first_row + sec.row_count:
                other = self.rows[rj]
                j = min(range(other.first, other.first + other.count),
                        key=lambda k: (xs[k] - x) ** 2 + (ys[k] - y) ** 2)
                d = math.hypot(xs[j] - x, ys[j] - y)
                if toward(j, 0.5) and d < best_d:
                    best, best_d = j, d
        if best is not None:
            return best
        span = 8.0
        limit = max(self.bounds.width, self.bounds.height) + span
        while True:
            cand = self.grid.in_rect(x + dx * span - span, y + dy * span - span,
                                     x + dx * span + span, y + dy * span + span)
            best, best_cost = None, math.inf
            for j in cand:
                vx, vy = xs[j] - x, ys[j] - y
                along = vx * dx + vy * dy
                across = abs(vx * dy - vy * dx)
                if along <= 1e-9 or across > along:
                    continue
                cost = along + 2 * across
                if cost < best_cost or (cost == best_cost and j < best):
                    best, best_cost = j, cost
            if best is not None and best_cost <= span:
                return best
            if span > limit:
                return best
            span *= 4


# --- building -----------------------------------------------------------------------------------

def numbering_gaps(seat_nrs: Sequence[int]) -> list[bool]:
    """gap[j] for each seat: True when a numbering gap (rule 2) lies before seat j."""
    n = len(seat_nrs)
    gaps = [False] * n
    if n < 2:
        return gaps
    steps = [b - a for a, b in zip(seat_nrs, seat_nrs[1:])]
    ones = steps.count(1) + steps.count(-1)
    twos = steps.count(2) + steps.count(-2)
    if twos > ones:  # odd/even numbered
        for j, d in enumerate(steps, start=1):
            gaps[j] = d % 2 == 0 and abs(d) > 2
    else:
        for j, d in enumerate(steps, start=1):
            gaps[j] = abs(d) > 1
    return gaps


# A local row: (row_nr, [local x], local y — one float for a straight row, else [local y],
#               break flags (bytes), seats (tuple of PlanSeat), left end tangent, right end tangent,
#               seat numbers (the memory of their array("l")), monotone — True when the local x
#               never decreases along a straight row, so its end seats are its extremes however
#               the section is turned)
# Rows of one length and plain numbering share their [local x] list, break flags and numbers.
_Row = tuple


@dataclass
class _Block:
    """One section being laid out: local geometry (front row centre at the origin, facing up)."""

    section: PlanSection
    kind: SectionKind
    spec: SectionSpec | None
    curve: float
    rows: list[_Row]
    rotation: float = 0.0
    origin: tuple[float, float] = (0.0, 0.0)
    placed: bool = False
    front_label: bool = False   # section name in the reserved band in front of the seats (arena ring)
    _fp_cache: tuple | None = None
    _box_cache: tuple | None = None

    def local_points(self) -> list[tuple[float, float]]:
        """Points whose rotated extremes bound the section: all seats when curved, else row ends."""
        pts = []
        for row in self.rows:
            lxs, lys = row[1], row[2]
            if isinstance(lys, float):
                pts.append((lxs[0], lys))
                pts.append((lxs[-1], lys))
            else:
                pts.extend(zip(lxs, lys))
        return pts

    def rel_footprint(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the rotated footprint relative to the origin."""
        cached = self._fp_cache
        if cached is not None and cached[0] == self.rotation:
            return cached[1]
        c, s = _cos_sin(self.rotation)
        pts = self.local_points()
        xs = [lx * c - ly * s for lx, ly in pts]
        ys = [lx * s + ly * c for lx, ly in pts]
        value = (min(xs) - SECTION_PAD, min(ys) - SECTION_PAD - SECTION_LABEL_SPACE,
                 max(xs) + SECTION_PAD, max(ys) + SECTION_PAD)
        self._fp_cache = (self.rotation, value)
        return value

    def local_box(self) -> tuple[float, float, float, float]:
        """The unrotated footprint (left, top, right, bottom): seats + pad, label band in front."""
        if self._box_cache is None:
            pts = self.local_points()
            self._box_cache = (min(p[0] for p in pts) - SECTION_PAD,
                               min(p[1] for p in pts) - SECTION_PAD - SECTION_LABEL_SPACE,
                               max(p[0] for p in pts) + SECTION_PAD, max(p[1] for p in pts) + SECTION_PAD)
        return self._box_cache

    def quad(self) -> list[tuple[float, float]]:
        """The footprint as the section really lies: its local box, rotated, at the origin."""
        l, t, r, b = self.local_box()
        return _transform([(l, t), (r, t), (r, b), (l, b)], self.rotation, self.origin)

    def place(self, left: float | None = None, top: float | None = None,
              right: float | None = None, bottom: float | None = None,
              center_x: float | None = None) -> None:
        l, t, r, b = self.rel_footprint()
        ox = self.origin[0]
        oy = self.origin[1]
        if left is not None:
            ox = left - l
        elif right is not None:
            ox = right - r
        elif center_x is not None:
            ox = center_x - (l + r) / 2
        if top is not None:
            oy = top - t
        elif bottom is not None:
            oy = bottom - b
        self.origin = (ox, oy)
        self.placed = True

    def footprint(self) -> Rect:
        l, t, r, b = self.rel_footprint()
        return Rect(self.origin[0] + l, self.origin[1] + t, r - l, b - t)


def _id_order(value: Any) -> tuple[int, int, str]:
    """A sort key for ids that may be ints or texts (ints first, by value)."""
    if isinstance(value, int):
        return (0, value, "")
    return (1, 0, str(value))


def _cos_sin(degrees: float) -> tuple[float, float]:
    quarter = degrees % 360.0
    exact = {0.0: (1.0, 0.0), 90.0: (0.0, 1.0), 180.0: (-1.0, 0.0), 270.0: (0.0, -1.0)}
    if quarter in exact:
        return exact[quarter]
    rad = math.radians(degrees)
    return math.cos(rad), math.sin(rad)


def _transform(points: Iterable[tuple[float, float]], rotation: float,
               origin: tuple[float, float]) -> list[tuple[float, float]]:
    c, s = _cos_sin(rotation)
    ox, oy = origin
    return [(ox + x * c - y * s, oy + x * s + y * c) for x, y in points]


def _rect_quad(r: Rect) -> list[tuple[float, float]]:
    return [(r.left, r.top), (r.right, r.top), (r.right, r.bottom), (r.left, r.bottom)]


def quads_overlap(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> bool:
    """Whether two convex quadrilaterals (corners in order) overlap with a positive area
    (separating-axis test; touching edges do not count)."""
    for poly in (a, b):
        for k in range(len(poly)):
            x0, y0 = poly[k]
            x1, y1 = poly[(k + 1) % len(poly)]
            nx, ny = y0 - y1, x1 - x0
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            eps = 1e-9 * (abs(nx) + abs(ny))
            if max(pa) <= min(pb) + eps or max(pb) <= min(pa) + eps:
                return False
    return True


_FIRST_BREAK = b"\x01"


def _local_rows(section: PlanSection, spec: SectionSpec | None) -> tuple[list[_Row], float, list[HallFileError]]:
    notes: list[HallFileError] = []
    aisles = spec.aisles if spec is not None else ()
    used_aisles: set[int] = set()
    rows = []
    depth = 0.0
    # shared by the rows of one length / numbering (never mutated): centred positions, break
    # flags and the plain numbering first..first+n-1 a row is compared with
    centred: dict[int, list[float]] = {}
    plain_breaks: dict[int, bytes] = {}
    plain_nrs: dict[tuple[int, int], tuple[list[int], bytes]] = {}
    for row in section.rows:
        seats = row.seats
        n = len(seats)
        if not n:
            continue
        nrs = [s.seat_nr for s in seats]
        first = nrs[0]
        row_aisles = [(k, a) for k, a in enumerate(aisles) if a.applies_to(row.row_nr)] if aisles else ()
        plain = False
        if not row_aisles and nrs[-1] - first == n - 1:
            if n < 3:
                plain, packed = True, _packed_longs(nrs)
            else:
                expect = plain_nrs.get((first, n))
                if expect is None:
                    numbers = list(range(first, first + n))
                    expect = plain_nrs[(first, n)] = (numbers, _packed_longs(numbers))
                plain, packed = nrs == expect[0], expect[1]
        if plain:
            # the common case: numbered 1..n (or k..k+n-1) with nothing in between
            s_pos = centred.get(n)
            if s_pos is None:
                half = (n - 1) / 2
                s_pos = centred[n] = [(j - half) * SEAT_PITCH for j in range(n)]
                plain_breaks[n] = _FIRST_BREAK + bytes(n - 1)
            breaks = plain_breaks[n]
            monotone = True
        else:
            gaps = numbering_gaps(nrs)
            pos = 0.0
            s_pos = [0.0] * n
            flags = bytearray(n)
            flags[0] = 1
            for j in range(1, n):
                pos += SEAT_PITCH
                if gaps[j]:
                    pos += SEAT_PITCH
                    flags[j] = 1
                prev = nrs[j - 1]
                for k, aisle in row_aisles:
                    if aisle.after_seat == prev:
                        pos += aisle.width
                        flags[j] = 1
                        used_aisles.add(k)
                s_pos[j] = pos
            half = pos / 2
            s_pos = [p - half for p in s_pos]
            breaks = bytes(flags)
            monotone = all(map(le, s_pos, islice(s_pos, 1, None)))
            packed = _packed_longs(nrs)
        rows.append((row.row_nr, s_pos, depth, breaks, seats, packed, monotone))
        depth += ROW_PITCH
    for k, aisle in enumerate(aisles):
        if k not in used_aisles:
            notes.append(HallFileError(
                N_("hall file: section \"{section}\" has no seat {seat} followed by another seat, "
                   "so that aisle was ignored"), section=section.name, seat=aisle.after_seat))
    curve = spec.curve if spec is not None and spec.curve else 0.0
    out: list[_Row] = []
    if curve > 0 and rows:
        half_angle = math.radians(curve) / 2
        r0 = max(MIN_CURVE_RADIUS, max((max(abs(r[1][0]), abs(r[1][-1])) / half_angle - r[2]) for r in rows))
        sin, cos = math.sin, math.cos
        for row_nr, svals, d, breaks, seats, packed, _monotone in rows:
            radius = r0 + d
            inv = 1.0 / radius
            phis = [sv * inv for sv in svals]
            lx = [radius * sin(phi) for phi in phis]
            ly = [radius * cos(phi) - r0 for phi in phis]
            phi_l, phi_r = phis[0], phis[-1]
            out.append((row_nr, lx, ly, breaks, seats,
                        (cos(phi_l), -sin(phi_l)), (cos(phi_r), -sin(phi_r)), packed, False))
    else:
        for row_nr, svals, d, breaks, seats, packed, monotone in rows:
            out.append((row_nr, svals, d, breaks, seats, (1.0, 0.0), (1.0, 0.0), packed, monotone))
    return out, curve, notes


def build_layout(plan: PlanInput, hall_file: HallFile | None = None) -> HallLayout:
    """Lay out ``plan`` (rules in the module docstring); ``hall_file`` overrides where it says."""
    notes: list[HallFileError] = []
    blocks: list[_Block] = []
    empty: list[int] = []
    matched_specs: set[int] = set()
    for sec in plan.sections:
        spec = hall_file.spec_for(sec.section_id, sec.name) if hall_file is not None else None
        if spec is not None:
            matched_specs.add(id(spec))
        rows, curve, row_notes = _local_rows(sec, spec)
        if not rows:
            empty.append(sec.section_id)
            continue
        notes.extend(row_notes)
        blocks.append(_Block(section=sec, kind=classify_section(sec.name), spec=spec, curve=curve, rows=rows))
    if hall_file is not None:
        for spec in hall_file.sections:
            if id(spec) not in matched_specs:
                ref = spec.section_id if spec.section_id is not None else spec.section_name
                notes.append(HallFileError(N_("hall file: section {section} is not in this seating plan"),
                                           section=ref))

    for b in blocks:
        if b.spec is not None and b.spec.rotation is not None:
            b.rotation = b.spec.rotation

    mode = "empty"
    stage = Rect(-MIN_STAGE_WIDTH / 2, -STAGE_GAP - STAGE_DEPTH, MIN_STAGE_WIDTH, STAGE_DEPTH)
    oval = None
    if blocks:
        stage, mode, oval = _auto_place(blocks)

    for b in blocks:
        if b.spec is not None and b.spec.position is not None:
            b.origin = b.spec.position
    stage_label = None
    if hall_file is not None and hall_file.stage is not None:
        st = hall_file.stage
        stage = Rect(st.x, st.y, st.width, st.height)
        stage_label = st.label

    if hall_file is not None:
        quads = [b.quad() for b in blocks]
        for a in range(len(blocks)):
            for z in range(a + 1, len(blocks)):
                if quads_overlap(quads[a], quads[z]):
                    notes.append(HallFileError(N_("hall file: sections \"{first}\" and \"{second}\" overlap"),
                                               first=blocks[a].section.name, second=blocks[z].section.name))
    return _materialise(plan, blocks, stage, stage_label, mode, hall_file is not None, notes, empty, oval)


def _auto_place(blocks: list[_Block]) -> tuple[Rect, str, tuple[float, float, float, float] | None]:
    main = None
    floors = [b for b in blocks if b.kind is SectionKind.FLOOR]
    for b in floors or blocks:
        if main is None or b.section.seat_count > main.section.seat_count:
            main = b
    assert main is not None
    behind = [b for b in blocks if b is not main and b.kind is SectionKind.BEHIND]
    rest = [b for b in blocks if b is not main and b.kind is not SectionKind.BEHIND]

    oval = None
    arena = sum(1 for b in rest if b.kind is not SectionKind.SIDE) >= ARENA_MIN_SECTIONS
    if arena:
        stage, oval = _place_arena(main, rest)
        mode = "arena"
    else:
        stage = _place_main(main)
        _place_theatre(main, rest)
        mode = "theatre"

    # behind-stage sections: side by side above the stage, facing it
    if behind:
        for b in behind:
            if b.spec is None or b.spec.rotation is None:
                b.rotation = 180.0
        widths = [b.footprint().width for b in behind]
        total = sum(widths) + SECTION_GAP * (len(behind) - 1)
        bottom = stage.top - STAGE_GAP
        if arena:  # above the ring when the ring's ends would be in the way
            others = [b.quad() for b in blocks if b.placed and b not in behind]
            probe = Rect(-total / 2, bottom - max(b.footprint().height for b in behind), total,
                         max(b.footprint().height for b in behind))
            if any(quads_overlap(_rect_quad(probe), q) for q in others):
                bottom = min(y for q in others for _, y in q) - SECTION_GAP
        x = -total / 2
        for b, w in zip(behind, widths):
            b.place(left=x, bottom=bottom)
            x += w + SECTION_GAP
    return stage, mode, oval


def _place_main(main: _Block) -> Rect:
    """The main floor's front row centre at (0, 0); returns the stage centred above it."""
    main.origin = (0.0, 0.0)
    main.placed = True
    mfp = main.footprint()
    widest = max(r[1][-1] - r[1][0] for r in main.rows) + SEAT_SIZE
    stage_w = max(MIN_STAGE_WIDTH, 0.8 * widest)
    return Rect(-stage_w / 2, mfp.top - STAGE_GAP - STAGE_DEPTH, stage_w, STAGE_DEPTH)


def _place_theatre(main: _Block, rest: list[_Block]) -> None:
    mfp = main.footprint()
    beside = {"left": [], "right": []}
    column = {"left": [], "right": []}
    behind_floor, balconies, others = [], [], []
    toggle = 0
    for b in rest:
        side = _side_of(b.section.name)
        if b.kind is SectionKind.FLOOR:
            (beside[side] if side else behind_floor).append(b)
        elif b.kind is SectionKind.SIDE:
            if side is None:
                side = "left" if toggle % 2 == 0 else "right"
                toggle += 1
            column[side].append(b)
        elif b.kind is SectionKind.BALCONY:
            balconies.append(b)
        else:
            others.append(b)
    placed = [mfp]
    left_edge, right_edge = _place_beside(mfp, beside, placed)
    for side, edge in (("left", left_edge), ("right", right_edge)):
        y = mfp.top
        for b in column[side]:
            if side == "left":
                b.place(right=edge - SECTION_GAP, top=y)
            else:
                b.place(left=edge + SECTION_GAP, top=y)
            fp = b.footprint()
            placed.append(fp)
            y = fp.bottom + SECTION_GAP
    y = max(r.bottom for r in placed)
    for group, gap in ((behind_floor, SECTION_GAP), (balconies, BALCONY_GAP), (others, BALCONY_GAP)):
        for b in group:
            b.place(center_x=0.0, top=y + gap)
            y = b.footprint().bottom


def _place_beside(mfp: Rect, beside: dict[str, list[_Block]], placed: list[Rect]) -> tuple[float, float]:
    left_edge, right_edge = mfp.left, mfp.right
    for b in beside["left"]:
        b.place(right=left_edge - SECTION_GAP, top=mfp.top)
        left_edge = b.footprint().left
        placed.append(b.footprint())
    for b in beside["right"]:
        b.place(left=right_edge + SECTION_GAP, top=mfp.top)
        right_edge = b.footprint().right
        placed.append(b.footprint())
    return left_edge, right_edge


# --- arena ring -----------------------------------------------------------------------------------

def _oval_arc(a: float, b: float, t0: float, samples: int = 720) -> tuple[list[float], list[float]]:
    """Parameters t and cumulative arc lengths along the oval x = a sin t, y = -b cos t from
    t0 to 2π - t0 (clockwise on screen, starting right of the top)."""
    span = 2 * math.pi - 2 * t0
    ts = [t0 + span * k / samples for k in range(samples + 1)]
    # the same arithmetic as a point-by-point walk, in C-level maps (bit-identical lengths)
    sin, cos = math.sin, math.cos
    xs = [a * sin(t) for t in ts]
    ys = [-b * cos(t) for t in ts]
    steps = map(math.hypot, map(sub, islice(xs, 1, None), xs), map(sub, islice(ys, 1, None), ys))
    lengths = list(accumulate(steps, initial=0.0))
    return ts, lengths


def _arc_upper_bound(a: float, b: float, t0: float) -> float:
    """At least the length ``_oval_arc(a, b, t0)`` reports (so when this is too short, so is that).

    The sampled polyline is no longer than the arc from t0 to 2π - t0, which is the whole oval
    minus the arc across the top end, which is longer than its chord 2a·sin t0; the whole oval is at
    most π·√(2(a² + b²)) (Cauchy–Schwarz on the perimeter integral). The 1e-9 margin covers the
    rounding of both computations."""
    return (math.pi * math.sqrt(2.0 * (a * a + b * b)) - 2.0 * a * math.sin(t0)) * (1.0 + 1e-9) + 1e-9


def _t_at(ts: list[float], lengths: list[float], s: float) -> float:
    k = bisect_right(lengths, s) - 1
    k = max(0, min(k, len(ts) - 2))
    span = lengths[k + 1] - lengths[k]
    f = 0.0 if span <= 0 else (s - lengths[k]) / span
    return ts[k] + f * (ts[k + 1] - ts[k])


def _place_arena(main: _Block, rest: list[_Block]) -> tuple[Rect, tuple[float, float, float, float]]:
    # 1. the floor: the main floor with the other floor sections beside / behind it (as in a theatre)
    inner: list[_Block] = []
    if main.kind is SectionKind.FLOOR:
        stage = _place_main(main)
        mfp = main.footprint()
        placed = [mfp]
        beside = {"left": [], "right": []}
        behind_floor = []
        for b in rest:
            if b.kind is SectionKind.FLOOR:
                side = _side_of(b.section.name)
                (beside[side] if side else behind_floor).append(b)
        _place_beside(mfp, beside, placed)
        y = max(r.bottom for r in placed)
        for b in behind_floor:
            b.place(center_x=0.0, top=y + SECTION_GAP)
            y = b.footprint().bottom
        inner = [main] + beside["left"] + beside["right"] + behind_floor
        ring = [b for b in rest if b.kind is not SectionKind.FLOOR]
    else:
        stage = None
        ring = [main] + rest
    # (section ids may be text: numbers first, in order, then texts)
    ring.sort(key=lambda b: (_id_order(b.section.section_id), b.section.name))

    # 2. the ring: every stand, front edge on an oval around the floor, turned to face it
    for b in ring:
        if b.spec is None or b.spec.rotation is None:
            b.rotation = 0.0
    boxes = [b.local_box() for b in ring]
    widths = [r - l for l, _, r, _ in boxes]
    need = sum(widths) + SECTION_GAP * len(ring)
    margin = ARENA_FLOOR_MARGIN
    content = Rect.union([stage] + [b.footprint() for b in inner]) if stage is not None else None
    # start from the smallest oval whose length could hold the ring, then grow until all fits
    unit = math.pi * (3 * (1 + ARENA_ASPECT) - math.sqrt((3 + ARENA_ASPECT) * (1 + 3 * ARENA_ASPECT)))
    a = max(need / unit, 4 * MIN_STAGE_WIDTH)
    if content is not None:
        a = max(a, content.width / 2 + margin)
    for _attempt in range(2000):
        b_ = a * ARENA_ASPECT
        if content is None:
            sw = max(MIN_STAGE_WIDTH, ARENA_STAGE_WIDTH * 2 * a)
            sd = max(STAGE_DEPTH, ARENA_STAGE_DEPTH * 2 * b_)
            stage_rect = box = Rect(-sw / 2, -STAGE_GAP - sd, sw, sd)
        else:
            stage_rect, box = stage, content
        ai, bi = a - margin, b_ - margin
        half = stage_rect.width / 2
        # the floor content inside the (shrunk) oval, as high as it goes: stage at the top end
        lo = hi = None
        for x, y in _rect_quad(box):
            q = 1.0 - (x / ai) ** 2
            if q <= 0:
                lo, hi = 1.0, 0.0
                break
            h = bi * math.sqrt(q)
            lo = y - h if lo is None else max(lo, y - h)
            hi = y + h if hi is None else min(hi, y + h)
        if lo is None or hi is None or lo > hi:
            a *= ARENA_GROWTH
            continue
        cy = hi
        t0 = math.asin(min(1.0, (half + SECTION_GAP) / a))
        if _arc_upper_bound(a, b_, t0) < need:   # cannot hold the stands: grow without sampling the arc
            a *= ARENA_GROWTH
            continue
        ts, lengths = _oval_arc(a, b_, t0)
        spare = lengths[-1] - need
        if spare < 0:
            a *= ARENA_GROWTH
            continue
        extra = spare / len(ring)
        s = extra / 2
        for blk, (l, t, r, _b), w in zip(ring, boxes, widths):
            s += (w + SECTION_GAP) / 2
            t_k = _t_at(ts, lengths, s)
            s += (w + SECTION_GAP) / 2 + extra
            px, py = a * math.sin(t_k), cy - b_ * math.cos(t_k)
            tx, ty = a * math.cos(t_k), b_ * math.sin(t_k)
            norm = math.hypot(tx, ty)
            nx, ny = ty / norm, -tx / norm        # outward normal
            if blk.spec is None or blk.spec.rotation is None:
                blk.rotation = round(math.degrees(math.atan2(-nx, ny)), 3) % 360.0
            # the middle of the local box's front edge goes on the oval
            (fx, fy), = _transform([((l + r) / 2, t)], blk.rotation, (0.0, 0.0))
            blk.origin = (px - fx, py - fy)
            blk.placed = True
            blk.front_label = True
        quads = [blk.quad() for blk in ring]
        obstacles = [_rect_quad(stage_rect)] + [blk.quad() for blk in inner]
        # each quad's bounding box once (the same test as _near, without redoing min/max per pair)
        bbs = [_quad_bbox(q) for q in quads]
        nq = len(quads)
        if any(quads_overlap(quads[i], quads[j]) for i in range(nq) for j in range(i + 1, nq)
               if abs(i - j) in (1, nq - 1) or _bboxes_near(bbs[i], bbs[j])) \
                or any(quads_overlap(q, o) for q in quads for o in obstacles):
            a *= ARENA_GROWTH
            continue
        return stage_rect, (0.0, cy, a, b_)
    raise AssertionError("arena ring did not converge")  # pragma: no cover - 1.02**2000 is huge


def _quad_bbox(p: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of a polygon's corners."""
    xs = [x for x, _ in p]
    ys = [y for _, y in p]
    return min(xs), min(ys), max(xs), max(ys)


def _bboxes_near(p: tuple[float, float, float, float], q: tuple[float, float, float, float]) -> bool:
    """``_near`` on precomputed ``_quad_bbox``es: whether the two bounding boxes meet."""
    return not (p[2] < q[0] or q[2] < p[0] or p[3] < q[1] or q[3] < p[1])


def _near(p: Sequence[tuple[float, float]], q: Sequence[tuple[float, float]]) -> bool:
    return not (max(x for x, _ in p) < min(x for x, _ in q) or max(x for x, _ in q) < min(x for x, _ in p)
                or max(y for _, y in p) < min(y for _, y in q) or max(y for _, y in q) < min(y for _, y in p))


def _low_bytes(values: Any) -> bytes | None:
    """The values of an integer ``array`` as bytes (one per item) when all are 0..255, else None.

    C-level: the low byte of every item by a strided slice of the raw buffer; the items all fit
    when widening those bytes back gives the same buffer (all higher bytes zero: no negatives)."""
    if not isinstance(values, array) or values.typecode not in "BhHiIlLqQ":
        return None
    size = values.itemsize
    raw = values.tobytes()
    at = 0 if sys.byteorder == "little" else size - 1
    low = raw[at::size]
    if size > 1:
        wide = bytearray(len(raw))
        wide[at::size] = low
        if wide != raw:
            return None
    return low


def _distinct(data: bytes) -> set[int]:
    """``set(data)`` in one C-level pass per distinct value (a hall has a handful of ranks)."""
    out: set[int] = set()
    while data:
        v = data[0]
        out.add(v)
        data = data.translate(None, bytes((v,)))
    return out


_TRUTH = b"\x00" + b"\x01" * 255   # bytes.translate table: byte value → its truth (0/1)
_LONG = array("l").itemsize


def _packed_longs(values: list[int]) -> bytes:
    """The memory of ``array("l", values)`` (``struct`` in one C call; ``array`` for values it refuses,
    so bad input fails as ``array`` fails)."""
    try:
        return struct.pack(f"{len(values)}l", *values)
    except struct.error:
        return array("l", values).tobytes()


def _put(arr: array, start: int, values: list[Any]) -> None:
    """``arr[start:start + len(values)] = values`` in a preallocated array: ``struct`` packs the list
    straight into the array's memory in one C call (the same bytes ``array`` would store); values
    ``struct`` refuses go through ``array``, so bad input fails as ``array`` fails."""
    if values:
        try:
            struct.pack_into(f"{len(values)}{arr.typecode}", arr, start * arr.itemsize, *values)
        except struct.error:
            arr[start:start + len(values)] = array(arr.typecode, values)


def _flags(values: list[Any]) -> bytearray:
    """``bytearray(map(truth, values))``: for bools / small ints in one C pass (bytes of the values,
    then every non-zero byte to 1), else item by item."""
    try:
        return bytearray(values).translate(_TRUTH)
    except (TypeError, ValueError):   # not small integers (None, floats, big numbers ...)
        return bytearray(map(truth, values))


def _repeated(value: int, count: int) -> bytes:
    """The memory of ``array("l", [value]) * count``."""
    return value.to_bytes(_LONG, sys.byteorder, signed=True) * count


def _materialise(plan: PlanInput, blocks: list[_Block], stage: Rect, stage_label: str | None, mode: str,
                 hall_file_used: bool, notes: list[HallFileError], empty: list[int],
                 oval: tuple[float, float, float, float] | None) -> HallLayout:
    """The flat arrays, row and section records of the placed blocks.

    The per-seat arrays are allocated once and filled block by block: per seat only list
    comprehensions over a whole block, packed into the arrays by one ``struct.pack_into`` each (no
    per-seat statements, no growing of hall-sized lists). A block's rows that share their local x
    list (same length, plain numbering) share its rotated terms (x·cos, x·sin — or, unrotated, the
    whole row of x), so a seat costs one addition per coordinate; row and section bounds come from
    the end seats of straight rows (their coordinates change monotonically along the row), from
    every seat only for curved rows; ``row_of`` / ``section_of`` are repeated machine words."""
    n = sum(len(r[1]) for b in blocks for r in b.rows)
    xs, ys = array("d", bytes(8 * n)), array("d", bytes(8 * n))
    seat_nrs, rank_ids = array("l", bytes(_LONG * n)), array("l", bytes(_LONG * n))
    seat_ids: list[Any] = [None] * n
    nrs_mem = memoryview(seat_nrs).cast("B")
    available = bytearray(n)
    row_of_parts: list[bytes] = []
    section_of_parts: list[bytes] = []
    done = 0   # seats laid out so far
    break_before = bytearray()
    rows: list[RowInfo] = []
    row_bounds: list[float] = []   # per row: min x, min y, max x, max y of its seat centres
    sections: list[SectionInfo] = []
    extents: list[Rect] = [stage]
    half = SEAT_SIZE / 2
    degrees, atan2, new_row = math.degrees, math.atan2, _new_row_info
    for si, b in enumerate(blocks):
        c, s = _cos_sin(b.rotation)
        ox, oy = b.origin
        upright = c == 1.0 and s == 0.0
        first_row, first_seat = len(rows), done
        brows = b.rows
        shared: dict[int, Any] = {}   # id(local x list) → its x row (upright) or (x·c, x·s)
        turned = not upright and all(isinstance(r[2], float) for r in brows)
        if turned:
            # straight rows, turned: x = (ox - d·s) + lx·c, y = (oy + d·c) + lx·s for a row at depth d;
            # the lx·c, lx·s terms once per shared local x list, all coordinates in one pass per block
            for r in brows:
                if id(r[1]) not in shared:
                    shared[id(r[1])] = ([v * c for v in r[1]], [v * s for v in r[1]])
            terms = [shared[id(r[1])] for r in brows]
            block_x = [bx + u for bx, t in zip([ox - r[2] * s for r in brows], terms) for u in t[0]]
            block_y = [by + u for by, t in zip([oy + r[2] * c for r in brows], terms) for u in t[1]]
        else:
            block_x, block_y = [], []
        off = 0
        for row_nr, lxs, lys, breaks, seats, tl, tr, nrs, monotone in brows:
            k = len(lxs)
            if turned:
                end = off + k
                x0, y0, x1, y1 = block_x[off], block_y[off], block_x[end - 1], block_y[end - 1]
                if not monotone:
                    rx, ry = block_x[off:end], block_y[off:end]
                off = end
            else:
                if isinstance(lys, float):   # upright straight row: one x list per local x list
                    rx = shared.get(id(lxs))
                    if rx is None:
                        rx = shared[id(lxs)] = [ox + v for v in lxs]
                    ry = [oy + lys] * k
                elif upright:
                    rx = [ox + v for v in lxs]
                    ry = [oy + v for v in lys]
                else:
                    rx = [ox + u * c - v * s for u, v in zip(lxs, lys)]
                    ry = [oy + u * s + v * c for u, v in zip(lxs, lys)]
                block_x += rx
                block_y += ry
                x0, y0, x1, y1 = rx[0], ry[0], rx[-1], ry[-1]
            if monotone:
                row_bounds += ((x0, x1)[x1 < x0], (y0, y1)[y1 < y0], (x1, x0)[x1 < x0], (y1, y0)[y1 < y0])
            else:
                row_bounds += (min(rx), min(ry), max(rx), max(ry))
            first = done
            done += k
            break_before += breaks
            row_of_parts.append(_repeated(len(rows), k))
            tlx, tly = tl[0] * c - tl[1] * s, tl[0] * s + tl[1] * c
            trx, try_ = tr[0] * c - tr[1] * s, tr[0] * s + tr[1] * c
            rows.append(new_row(
                si, row_nr, first, k,
                (x0 - tlx * ROW_LABEL_OFFSET, y0 - tly * ROW_LABEL_OFFSET),
                (x1 + trx * ROW_LABEL_OFFSET, y1 + try_ * ROW_LABEL_OFFSET),
                degrees(atan2(y1 - y0, x1 - x0)) if k > 1 else b.rotation % 360.0,
            ))
        n_seats = done - first_seat
        # the block's per-seat fields, one comprehension each (on 3.11 the specialised attribute
        # loads in a comprehension beat map(attrgetter)); seat numbers were read by _local_rows
        _put(xs, first_seat, block_x)
        _put(ys, first_seat, block_y)
        nrs_mem[first_seat * _LONG:done * _LONG] = b"".join([r[7] for r in brows])
        bseats = list(chain.from_iterable(r[4] for r in brows))
        seat_ids[first_seat:done] = [p.seat_id for p in bseats]
        _put(rank_ids, first_seat, [p.rank_id for p in bseats])
        available[first_seat:done] = _flags([p.available for p in bseats])
        section_of_parts.append(_repeated(si, n_seats))
        rb = row_bounds[4 * first_row:]
        min_x, min_y, max_x, max_y = min(rb[0::4]), min(rb[1::4]), max(rb[2::4]), max(rb[3::4])
        bounds = Rect(min_x - half, min_y - half, max_x - min_x + SEAT_SIZE, max_y - min_y + SEAT_SIZE)
        if b.front_label:
            l, t, r, _ = b.local_box()
            (label,) = _transform([((l + r) / 2, t + SECTION_LABEL_SPACE / 2)], b.rotation, b.origin)
        else:
            label = (bounds.center[0], bounds.top + half - SECTION_PAD - SECTION_LABEL_SPACE / 2)
        sections.append(SectionInfo(
            section_id=b.section.section_id, name=b.section.name, kind=b.kind,
            first_row=first_row, row_count=len(rows) - first_row,
            first_seat=first_seat, seat_count=n_seats, bounds=bounds,
            label=label, origin=b.origin, rotation=b.rotation % 360.0, curve=b.curve,
            from_hall_file=b.spec is not None,
        ))
        fp = bounds.adjusted(SECTION_PAD - half)
        extents.append(Rect(fp.x, fp.y - SECTION_LABEL_SPACE, fp.width, fp.height + SECTION_LABEL_SPACE))
    bounds = Rect.union(extents)
    assert bounds is not None
    nrs_mem.release()
    row_of, section_of = array("l"), array("l")
    row_of.frombytes(b"".join(row_of_parts))
    section_of.frombytes(b"".join(section_of_parts))
    bounds_arr = array("d", bytes(8 * len(row_bounds)))
    _put(bounds_arr, 0, row_bounds)
    row_labels: dict[int, str] = {}
    seat_labels: dict[int, str] = {}
    if getattr(plan, "labelled", False):
        row_label_of: dict[str, str] = {}
        seat_label_of: dict[str, str] = {}
        for sec in plan.sections:
            for prow in sec.rows:
                for seat in prow.seats:
                    if prow.label is not None:
                        row_label_of[seat.seat_id] = prow.label
                    if seat.label is not None:
                        seat_label_of[seat.seat_id] = seat.label
        for ri, r in enumerate(rows):
            if r.count and seat_ids[r.first] in row_label_of:
                row_labels[ri] = row_label_of[seat_ids[r.first]]
        seat_labels = {i: seat_label_of[sid] for i, sid in enumerate(seat_ids) if sid in seat_label_of}
    return HallLayout(
        xs=xs, ys=ys, seat_ids=seat_ids, seat_nrs=seat_nrs,
        rank_ids=rank_ids, section_of=section_of, row_of=row_of, break_before=break_before,
        available=available,
        rows=tuple(rows), sections=tuple(sections), stage=stage, stage_label=stage_label, bounds=bounds,
        price_levels=plan.price_levels, mode=mode, hall_file_used=hall_file_used, notes=tuple(notes),
        empty_section_ids=tuple(empty), hall_id=plan.hall_id, event_id=plan.event_id,
        floor_oval=oval, row_bounds=bounds_arr, row_labels=row_labels, seat_labels=seat_labels,
    )
