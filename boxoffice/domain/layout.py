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
       the section with the most seats. Its front row's centre is at (0, 0); the stage is centred
       on x = 0 just above it (width 80 % of its widest row, at least 8).
    6. Theatre mode (fewer than ``ARENA_MIN_SECTIONS`` sections that are neither side nor
       behind-stage): other floor sections whose name says left/links or right/rechts sit beside
       the main floor (front aligned), side sections stack in a column outside them (named
       left/right go there; the others alternate left, right in plan order); then, centred on the
       axis and stacked behind everything placed so far in this order: remaining floor sections,
       balconies, other sections (each group in plan order). Behind-stage sections sit side by
       side above the stage, turned 180° to face it.
    7. Arena mode (``ARENA_MIN_SECTIONS`` or more such sections): the main floor in the middle
       below the stage; the other non-behind sections, in plan order, form a U around it going
       clockwise: k down the right side (turned to face the floor), the middle ones along the
       bottom (right to left), k up the left side (turned to face the floor), with k chosen so
       that the whole is as compact as possible (smallest max(width, height); fewest on the sides
       on ties); behind-stage sections as in 6.
    8. Sections never overlap in the automatic layout: each occupies its seats' bounding box plus
       ``SECTION_PAD`` (room for row numbers and the section name) and footprints keep
       ``SECTION_GAP`` apart.
    9. Labels: row numbers at both ends of each row, ``ROW_LABEL_OFFSET`` beyond the end seats
       along the row; the section name centred above its seats, in a band of
       ``SECTION_LABEL_SPACE`` reserved above the section's footprint; seat numbers (``seat_nrs``)
       are drawn on the seats themselves when zoomed in.
   10. A hall file (``boxoffice.domain.hall_file``) may set, per section, position (where the
       front row's centre goes), rotation, curve and aisles, and may set the stage. Fields it
       leaves out keep the automatic value. Problems with the file are reported in ``notes``.
"""
from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from boxoffice.domain.hall_file import HallFile, HallFileError, SectionSpec
from boxoffice.domain.seatgrid import SeatGrid
from boxoffice.domain.seatplan import PlanInput, PlanPriceLevel, PlanSection
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
    ``stage``/``stage_label`` and ``bounds``. Availability is the only mutable part
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
    grid: SeatGrid = field(init=False, repr=False)
    _index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.grid = SeatGrid(self.xs, self.ys, GRID_CELL)
        self._index = {sid: i for i, sid in enumerate(self.seat_ids)}

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

    # --- availability ---------------------------------------------------------------------
    def set_available(self, i: int, available: bool) -> None:
        self.available[i] = 1 if available else 0

    def update_availability(self, plan: PlanInput) -> list[int]:
        """Take availability from a fresh plan of the same hall; returns indices that changed."""
        changed = []
        index, avail = self._index, self.available
        for sec in plan.sections:
            for row in sec.rows:
                for seat in row.seats:
                    i = index.get(seat.seat_id)
                    if i is not None and avail[i] != seat.available:
                        avail[i] = 1 if seat.available else 0
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
    ones = sum(1 for d in steps if abs(d) == 1)
    twos = sum(1 for d in steps if abs(d) == 2)
    odd_even = twos > ones
    for j, d in enumerate(steps, start=1):
        if odd_even:
            gaps[j] = (seat_nrs[j] - seat_nrs[j - 1]) % 2 == 0 and abs(d) > 2
        else:
            gaps[j] = abs(d) > 1
    return gaps


@dataclass
class _Block:
    """One section being laid out: local geometry (front row centre at the origin, facing up)."""

    section: PlanSection
    kind: SectionKind
    spec: SectionSpec | None
    curve: float
    rows: list  # (row_nr, [local x], [local y], [break flags], [seat objects], (tx_l, ty_l), (tx_r, ty_r))
    rotation: float = 0.0
    origin: tuple[float, float] = (0.0, 0.0)
    placed: bool = False
    _fp_cache: tuple | None = None

    def local_points(self) -> Iterable[tuple[float, float]]:
        for row in self.rows:
            yield from zip(row[1], row[2])

    def rel_footprint(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the rotated footprint relative to the origin."""
        cached = self._fp_cache
        if cached is not None and cached[0] == self.rotation:
            return cached[1]
        c, s = _cos_sin(self.rotation)
        # the rotated extremes of a point set are reached on its convex hull; the row ends and
        # (for curved rows) every point may be extremal, so take all row end points plus, when
        # curved, all points — straight rows only need their two ends.
        pts = []
        for row in self.rows:
            lxs, lys = row[1], row[2]
            if self.curve:
                pts.extend(zip(lxs, lys))
            else:
                pts.append((lxs[0], lys[0]))
                pts.append((lxs[-1], lys[-1]))
        xs = [lx * c - ly * s for lx, ly in pts]
        ys = [lx * s + ly * c for lx, ly in pts]
        value = (min(xs) - SECTION_PAD, min(ys) - SECTION_PAD - SECTION_LABEL_SPACE,
                 max(xs) + SECTION_PAD, max(ys) + SECTION_PAD)
        self._fp_cache = (self.rotation, value)
        return value

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


def _cos_sin(degrees: float) -> tuple[float, float]:
    quarter = degrees % 360.0
    exact = {0.0: (1.0, 0.0), 90.0: (0.0, 1.0), 180.0: (-1.0, 0.0), 270.0: (0.0, -1.0)}
    if quarter in exact:
        return exact[quarter]
    rad = math.radians(degrees)
    return math.cos(rad), math.sin(rad)


def _local_rows(section: PlanSection, spec: SectionSpec | None) -> tuple[list, float, list[HallFileError]]:
    notes: list[HallFileError] = []
    aisles = spec.aisles if spec is not None else ()
    used_aisles: set[int] = set()
    rows = []
    depth = 0.0
    for row in section.rows:
        if not row.seats:
            continue
        nrs = [s.seat_nr for s in row.seats]
        gaps = numbering_gaps(nrs)
        s_pos = []
        breaks = []
        pos = 0.0
        for j, seat in enumerate(row.seats):
            brk = j == 0
            if j:
                pos += SEAT_PITCH
                if gaps[j]:
                    pos += SEAT_PITCH
                    brk = True
                prev = nrs[j - 1]
                for k, aisle in enumerate(aisles):
                    if aisle.after_seat == prev and aisle.applies_to(row.row_nr):
                        pos += aisle.width
                        brk = True
                        used_aisles.add(k)
            s_pos.append(pos)
            breaks.append(brk)
        half = pos / 2
        rows.append([row.row_nr, [p - half for p in s_pos], depth, breaks, row.seats])
        depth += ROW_PITCH
    for k, aisle in enumerate(aisles):
        if k not in used_aisles:
            notes.append(HallFileError(
                N_("hall file: section \"{section}\" has no seat {seat} followed by another seat, "
                   "so that aisle was ignored"), section=section.name, seat=aisle.after_seat))
    curve = spec.curve if spec is not None and spec.curve else 0.0
    out = []
    if curve > 0 and rows:
        half_angle = math.radians(curve) / 2
        r0 = max(MIN_CURVE_RADIUS, max((max(abs(v) for v in r[1]) / half_angle - r[2]) for r in rows))
        for row_nr, svals, d, breaks, seats in rows:
            radius = r0 + d
            lx, ly = [], []
            for sv in svals:
                phi = sv / radius
                lx.append(radius * math.sin(phi))
                ly.append(-r0 + radius * math.cos(phi))
            phi_l, phi_r = svals[0] / radius, svals[-1] / radius
            out.append((row_nr, lx, ly, breaks, seats,
                        (math.cos(phi_l), -math.sin(phi_l)), (math.cos(phi_r), -math.sin(phi_r))))
    else:
        for row_nr, svals, d, breaks, seats in rows:
            out.append((row_nr, svals, [d] * len(svals), breaks, seats, (1.0, 0.0), (1.0, 0.0)))
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
        if sec.seat_count == 0:
            empty.append(sec.section_id)
            continue
        rows, curve, row_notes = _local_rows(sec, spec)
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
    if blocks:
        stage, mode = _auto_place(blocks)

    for b in blocks:
        if b.spec is not None and b.spec.position is not None:
            b.origin = b.spec.position
    stage_label = None
    if hall_file is not None and hall_file.stage is not None:
        st = hall_file.stage
        stage = Rect(st.x, st.y, st.width, st.height)
        stage_label = st.label

    layout = _materialise(plan, blocks, stage, stage_label, mode, hall_file is not None, notes, empty)
    return layout


def _auto_place(blocks: list[_Block]) -> tuple[Rect, str]:
    main = None
    floors = [b for b in blocks if b.kind is SectionKind.FLOOR]
    for b in floors or blocks:
        if main is None or b.section.seat_count > main.section.seat_count:
            main = b
    assert main is not None
    behind = [b for b in blocks if b is not main and b.kind is SectionKind.BEHIND]
    rest = [b for b in blocks if b is not main and b.kind is not SectionKind.BEHIND]
    main.origin = (0.0, 0.0)
    main.placed = True
    mfp = main.footprint()

    widest = max(max(r[1]) - min(r[1]) for r in main.rows) + SEAT_SIZE
    stage_w = max(MIN_STAGE_WIDTH, 0.8 * widest)
    stage = Rect(-stage_w / 2, mfp.top - STAGE_GAP - STAGE_DEPTH, stage_w, STAGE_DEPTH)

    arena = sum(1 for b in rest if b.kind is not SectionKind.SIDE) >= ARENA_MIN_SECTIONS
    if arena:
        _place_arena(main, rest)
        mode = "arena"
    else:
        _place_theatre(main, rest)
        mode = "theatre"

    # behind-stage sections: side by side above the stage, facing it
    if behind:
        for b in behind:
            if b.spec is None or b.spec.rotation is None:
                b.rotation = 180.0
        widths = [b.footprint().width for b in behind]
        total = sum(widths) + SECTION_GAP * (len(behind) - 1)
        x = -total / 2
        for b, w in zip(behind, widths):
            b.place(left=x, bottom=stage.top - STAGE_GAP)
            x += w + SECTION_GAP
    return stage, mode


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
    left_edge, right_edge = mfp.left, mfp.right
    for b in beside["left"]:
        b.place(right=left_edge - SECTION_GAP, top=mfp.top)
        left_edge = b.footprint().left
        placed.append(b.footprint())
    for b in beside["right"]:
        b.place(left=right_edge + SECTION_GAP, top=mfp.top)
        right_edge = b.footprint().right
        placed.append(b.footprint())
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


def _place_arena(main: _Block, rest: list[_Block]) -> None:
    mfp = main.footprint()
    n = len(rest)
    # choose how many sections go up each side so the whole is as compact as possible
    for b in rest:
        b.rotation = b.rotation if (b.spec is not None and b.spec.rotation is not None) else 90.0
    side_len = [b.footprint().height for b in rest]
    side_w = [b.footprint().width for b in rest]
    for b in rest:
        if b.spec is None or b.spec.rotation is None:
            b.rotation = 0.0
    bottom_len = [b.footprint().width for b in rest]
    bottom_h = [b.footprint().height for b in rest]
    best = None
    for k in range(0, n // 2 + 1):
        sides = list(range(k)) + list(range(n - k, n))
        mid = range(k, n - k)
        col_h = max(sum(side_len[i] + SECTION_GAP for i in range(k)),
                    sum(side_len[i] + SECTION_GAP for i in range(n - k, n)))
        col_w = max([side_w[i] for i in sides], default=0.0)
        width = max(sum(bottom_len[i] + SECTION_GAP for i in mid), mfp.width + 2 * (col_w + SECTION_GAP))
        height = max(mfp.height, col_h) + max([bottom_h[i] for i in mid], default=0.0)
        size = max(width, height)
        if best is None or size < best[0] - 1e-9:
            best = (size, k)
    n_side = best[1]
    right_col = rest[:n_side]
    bottom = rest[n_side:n - n_side]
    left_col = rest[n - n_side:]
    placed = [mfp]
    y = mfp.top
    for b in right_col:  # top → bottom, facing left (toward the floor)
        if b.spec is None or b.spec.rotation is None:
            b.rotation = 270.0
        b.place(left=mfp.right + SECTION_GAP, top=y)
        fp = b.footprint()
        placed.append(fp)
        y = fp.bottom + SECTION_GAP
    y = mfp.top
    for b in reversed(left_col):  # clockwise order runs bottom → top on the left
        if b.spec is None or b.spec.rotation is None:
            b.rotation = 90.0
    for b in reversed(left_col):
        b.place(right=mfp.left - SECTION_GAP, top=y)
        fp = b.footprint()
        placed.append(fp)
        y = fp.bottom + SECTION_GAP
    top = max(r.bottom for r in placed) + SECTION_GAP
    widths = [b.footprint().width for b in bottom]
    total = sum(widths) + SECTION_GAP * max(0, len(bottom) - 1)
    x = total / 2
    for b, w in zip(bottom, widths):  # right → left
        b.place(right=x, top=top)
        x -= w + SECTION_GAP


def _materialise(plan: PlanInput, blocks: list[_Block], stage: Rect, stage_label: str | None, mode: str,
                 hall_file_used: bool, notes: list[HallFileError], empty: list[int]) -> HallLayout:
    xs, ys = array("d"), array("d")
    seat_ids: list[str] = []
    seat_nrs, rank_ids = array("l"), array("l")
    section_of, row_of = array("l"), array("l")
    break_before, available = bytearray(), bytearray()
    rows: list[RowInfo] = []
    sections: list[SectionInfo] = []
    footprints: list[tuple[str, Rect]] = []
    for si, b in enumerate(blocks):
        c, s = _cos_sin(b.rotation)
        ox, oy = b.origin
        first_row, first_seat = len(rows), len(seat_ids)
        for row_nr, lxs, lys, breaks, seats, tl, tr in b.rows:
            first = len(seat_ids)
            for lx, ly in zip(lxs, lys):
                xs.append(ox + lx * c - ly * s)
                ys.append(oy + lx * s + ly * c)
            for seat in seats:
                seat_ids.append(seat.seat_id)
                seat_nrs.append(seat.seat_nr)
                rank_ids.append(seat.rank_id)
                available.append(1 if seat.available else 0)
            break_before.extend(1 if f else 0 for f in breaks)
            k = len(seats)
            section_of.extend([si] * k)
            row_of.extend([len(rows)] * k)
            tlx, tly = tl[0] * c - tl[1] * s, tl[0] * s + tl[1] * c
            trx, try_ = tr[0] * c - tr[1] * s, tr[0] * s + tr[1] * c
            last = first + k - 1
            rows.append(RowInfo(
                section_index=si, row_nr=row_nr, first=first, count=k,
                left_label=(xs[first] - tlx * ROW_LABEL_OFFSET, ys[first] - tly * ROW_LABEL_OFFSET),
                right_label=(xs[last] + trx * ROW_LABEL_OFFSET, ys[last] + try_ * ROW_LABEL_OFFSET),
                angle=math.degrees(math.atan2(ys[last] - ys[first], xs[last] - xs[first])) if k > 1
                else b.rotation % 360.0,
            ))
        n_seats = len(seat_ids) - first_seat
        sx = xs[first_seat:]
        sy = ys[first_seat:]
        half = SEAT_SIZE / 2
        bounds = Rect(min(sx) - half, min(sy) - half, max(sx) - min(sx) + SEAT_SIZE, max(sy) - min(sy) + SEAT_SIZE)
        sections.append(SectionInfo(
            section_id=b.section.section_id, name=b.section.name, kind=b.kind,
            first_row=first_row, row_count=len(rows) - first_row,
            first_seat=first_seat, seat_count=n_seats, bounds=bounds,
            label=(bounds.center[0], bounds.top + half - SECTION_PAD - SECTION_LABEL_SPACE / 2),
            origin=b.origin, rotation=b.rotation % 360.0, curve=b.curve,
            from_hall_file=b.spec is not None,
        ))
        fp = bounds.adjusted(SECTION_PAD - half)
        footprints.append((b.section.name, Rect(fp.x, fp.y - SECTION_LABEL_SPACE, fp.width,
                                                fp.height + SECTION_LABEL_SPACE)))
    if hall_file_used:
        for a in range(len(footprints)):
            for z in range(a + 1, len(footprints)):
                if footprints[a][1].intersects(footprints[z][1]):
                    notes.append(HallFileError(N_("hall file: sections \"{first}\" and \"{second}\" overlap"),
                                               first=footprints[a][0], second=footprints[z][0]))
    bounds = Rect.union([stage] + [fp for _, fp in footprints])
    assert bounds is not None
    return HallLayout(
        xs=xs, ys=ys, seat_ids=seat_ids, seat_nrs=seat_nrs, rank_ids=rank_ids,
        section_of=section_of, row_of=row_of, break_before=break_before, available=available,
        rows=tuple(rows), sections=tuple(sections), stage=stage, stage_label=stage_label, bounds=bounds,
        price_levels=plan.price_levels, mode=mode, hall_file_used=hall_file_used, notes=tuple(notes),
        empty_section_ids=tuple(empty), hall_id=plan.hall_id, event_id=plan.event_id,
    )
