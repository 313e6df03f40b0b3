"""Local rows of one section (rules 1–3 of docs/hall-layout.md): numbering gaps, aisles, curves,
and the ``_Block`` a section is while it is being placed."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from operator import le

from boxoffice.domain.hall_file import HallFileError, SectionSpec
from boxoffice.domain.layout.geometry import (
    MIN_CURVE_RADIUS,
    ROW_PITCH,
    SEAT_PITCH,
    SECTION_LABEL_SPACE,
    SECTION_PAD,
    Rect,
    _cos_sin,
    _transform,
)
from boxoffice.domain.layout.packing import _packed_longs
from boxoffice.domain.layout.sections import SectionKind
from boxoffice.domain.seatplan import PlanSection
from boxoffice.i18n import N_


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
