"""The built layout and its queries: ``HallLayout`` (flat seat arrays, identity, availability,
spatial index, keyboard neighbours) with its ``RowInfo`` / ``SectionInfo`` records."""
from __future__ import annotations

import math
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from itertools import chain, compress
from operator import ne, truth
from typing import Any

from boxoffice.domain.hall_file import HallFileError
from boxoffice.domain.layout.geometry import GRID_CELL, SEAT_SIZE, Rect
from boxoffice.domain.layout.packing import _distinct, _low_bytes
from boxoffice.domain.layout.sections import SectionKind
from boxoffice.domain.seatgrid import SeatGrid
from boxoffice.domain.seatplan import PlanInput, PlanPriceLevel, from_api


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
    section_id: int | str
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
    radius x, radius y: the open floor inside the ring of stands, worth a light fill). Availability
    is the only mutable part (``set_available`` / ``update_availability``); everything else is fixed
    once built.
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
    empty_section_ids: tuple[int | str, ...] = ()
    seat_size: float = SEAT_SIZE
    hall_id: int | str | None = None
    event_id: int | str | None = None
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
                if cost < best_cost or (cost == best_cost and best is not None and j < best):
                    best, best_cost = j, cost
            if best is not None and best_cost <= span:
                return best
            if span > limit:
                return best
            span *= 4
