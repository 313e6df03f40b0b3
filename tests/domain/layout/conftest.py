"""Synthetic seating plans for the layout / best-available tests, and layout invariant checks."""
from __future__ import annotations

import math
from decimal import Decimal

import pytest

from boxoffice.domain.layout import SEAT_SIZE, HallLayout, SectionKind, quads_overlap
from boxoffice.domain.seatplan import PlanInput, PlanPriceLevel, PlanRow, PlanSeat, PlanSection


class PlanBuilder:
    """Build a ``PlanInput``: ``section(id, name)`` then ``row(nr, seat_nrs, rank=, taken=)``."""

    def __init__(self) -> None:
        self.sections: list[tuple[int, str, list[PlanRow]]] = []
        self.levels: list[PlanPriceLevel] = []
        self._n = 0

    def price(self, rank_id: int, amount: str, price_id: str | None = None) -> PlanBuilder:
        self.levels.append(PlanPriceLevel(price_id or f"p{rank_id}-{len(self.levels)}", rank_id,
                                          f"Rang {rank_id}", Decimal(amount)))
        return self

    def section(self, section_id: int, name: str) -> PlanBuilder:
        self.sections.append((section_id, name, []))
        return self

    def row(self, row_nr: int, seat_nrs, rank: int = 1, taken=()) -> PlanBuilder:
        seats = []
        taken = set(taken)
        for nr in seat_nrs:
            self._n += 1
            seats.append(PlanSeat(f"S{self._n:07d}", nr, rank, nr not in taken))
        self.sections[-1][2].append(PlanRow(row_nr, tuple(seats)))
        return self

    def build(self, hall_id: int | None = 1) -> PlanInput:
        if not self.levels:
            self.price(1, "30.00")
        return PlanInput(
            sections=tuple(PlanSection(sid, name, tuple(sorted(rows, key=lambda r: r.row_nr)))
                           for sid, name, rows in self.sections),
            price_levels=tuple(self.levels), hall_id=hall_id, event_id=7)


def straight(n: int, start: int = 1) -> list[int]:
    return list(range(start, start + n))


def odd_even(n: int) -> list[int]:
    odds = list(range(1, n + 1, 2))
    evens = list(range(2, n + 1, 2))
    return list(reversed(odds)) + evens


def studio() -> PlanInput:
    b = PlanBuilder().price(1, "15.00")
    b.section(1, "Studio")
    for r in range(1, 11):
        b.row(r, straight(12))
    return b.build()


def theatre() -> PlanInput:
    b = PlanBuilder().price(1, "39.50").price(2, "29.50").price(3, "19.50")
    b.section(1, "Parket")
    for r in range(1, 21):
        b.row(r, straight(24 + (r - 1) // 2), rank=1 if r <= 10 else 2 if r <= 16 else 3)
    b.section(2, "Balkon")
    for r in range(1, 9):
        b.row(r, odd_even(28 + 2 * r), rank=2 if r <= 3 else 3)
    b.section(3, "Loge links")
    for r in range(1, 4):
        b.row(r, straight(6))
    b.section(4, "Loge rechts")
    for r in range(1, 4):
        b.row(r, straight(6))
    return b.build()


def concert_hall() -> PlanInput:
    b = PlanBuilder().price(1, "55").price(2, "45").price(3, "35").price(4, "25")
    b.section(1, "Parterre")
    for r in range(1, 27):
        b.row(r, straight(36 + r // 3), rank=1 if r <= 14 else 2)
    b.section(2, "Balkon")
    for r in range(1, 11):
        b.row(r, straight(50 + r % 2), rank=2 if r <= 4 else 3)
    b.section(3, "Zijbalkon links")
    for r in range(1, 6):
        b.row(r, straight(25), rank=3)
    b.section(4, "Zijbalkon rechts")
    for r in range(1, 6):
        b.row(r, straight(25), rank=3)
    b.section(5, "Koorbalkon")
    for r in range(1, 9):
        b.row(r, straight(32), rank=4)
    return b.build()


def arena() -> PlanInput:
    b = PlanBuilder().price(1, "80").price(2, "60").price(3, "40")
    b.section(100, "Vloer")
    for r in range(1, 21):
        b.row(r, straight(40), rank=1)
    for k in range(14):
        b.section(101 + k, f"Vak {101 + k}")
        for r in range(1, 26):
            b.row(r, straight(53), rank=1 if r <= 8 else 2 if r <= 17 else 3)
    return b.build()


def empty_plan() -> PlanInput:
    return PlanInput(sections=(), price_levels=())


SYNTHETIC = {"studio": studio, "theatre": theatre, "concert": concert_hall, "arena": arena,
             "empty": empty_plan}


@pytest.fixture
def builder():
    return PlanBuilder


@pytest.fixture(params=sorted(SYNTHETIC))
def synthetic_plan(request):
    return request.param, SYNTHETIC[request.param]()


@pytest.fixture
def halls():
    """The builder functions by name (studio, theatre, concert, arena, empty)."""
    return SYNTHETIC


@pytest.fixture
def helpers():
    return {"straight": straight, "odd_even": odd_even}


# --- invariants ---------------------------------------------------------------------------------

def overlapping_pairs(layout: HallLayout, min_distance: float = SEAT_SIZE) -> list[tuple[int, int]]:
    """Pairs of seats whose centres are closer than ``min_distance`` (uses the layout's grid)."""
    out = []
    xs, ys = layout.xs, layout.ys
    for i in range(layout.seat_count):
        for j in layout.grid.within(xs[i], ys[i], min_distance - 1e-9):
            if j > i:
                out.append((i, j))
    return out


def check_invariants(layout: HallLayout, plan: PlanInput) -> None:
    assert layout.seat_count == plan.seat_count
    n = layout.seat_count
    for arr in (layout.xs, layout.ys, layout.seat_nrs, layout.rank_ids, layout.section_of,
                layout.row_of, layout.break_before, layout.available):
        assert len(arr) == n
    assert overlapping_pairs(layout) == []
    b = layout.bounds
    assert all(b.contains(x, y) for x, y in zip(layout.xs, layout.ys))
    st = layout.stage
    assert b.left <= st.left and st.right <= b.right and b.top <= st.top and st.bottom <= b.bottom
    # theatre: the stage is at the top — every seat below it except behind-stage sections, which
    # are above. Arena: the stage is at the top end of the floor — the floor sections are below it,
    # the stands of the ring may flank it, but no section overlaps it.
    for k, sec in enumerate(layout.sections):
        ys = layout.ys[sec.first_seat:sec.first_seat + sec.seat_count]
        if sec.kind is SectionKind.BEHIND:
            assert max(ys) < st.top, sec.name
        elif layout.mode != "arena" or sec.kind is SectionKind.FLOOR:
            assert min(ys) > st.bottom, sec.name
        else:
            assert not quads_overlap(section_box(layout, sec), _rect_corners(st)), sec.name
        assert all(layout.section_of[i] == k for i in range(sec.first_seat, sec.first_seat + sec.seat_count))
    # rows are contiguous, cover every seat once and label anchors sit beyond both row ends
    covered = 0
    for ri, row in enumerate(layout.rows):
        assert row.count > 0
        assert row.first == covered
        covered += row.count
        assert all(layout.row_of[i] == ri for i in range(row.first, row.first + row.count))
        assert layout.break_before[row.first] == 1
        first, last = row.first, row.first + row.count - 1
        for (lx, ly), seat in ((row.left_label, first), (row.right_label, last)):
            assert math.isclose(math.hypot(lx - layout.xs[seat], ly - layout.ys[seat]), 1.1, abs_tol=1e-6)
            assert layout.seat_at(lx, ly) is None
    assert covered == n
    # no two sections overlap: each section's seats, boxed in the section's own (rotated) frame.
    # For sections turned by a multiple of 90° this is exactly their axis-aligned bounds.
    secs = layout.sections
    boxes = [section_box(layout, sec) for sec in secs]
    for a in range(len(secs)):
        for z in range(a + 1, len(secs)):
            assert not quads_overlap(boxes[a], boxes[z]), (secs[a].name, secs[z].name)
            if secs[a].rotation % 90 == 0 and secs[z].rotation % 90 == 0:
                assert not secs[a].bounds.intersects(secs[z].bounds), (secs[a].name, secs[z].name)


def _rect_corners(r):
    return [(r.left, r.top), (r.right, r.top), (r.right, r.bottom), (r.left, r.bottom)]


def section_box(layout: HallLayout, sec) -> list[tuple[float, float]]:
    """Corners of the smallest box around a section's seat squares, aligned with its rotation."""
    rad = math.radians(sec.rotation)
    c, s = math.cos(rad), math.sin(rad)
    idx = range(sec.first_seat, sec.first_seat + sec.seat_count)
    us = [layout.xs[i] * c + layout.ys[i] * s for i in idx]      # along the rows
    vs = [-layout.xs[i] * s + layout.ys[i] * c for i in idx]     # front → back
    h = SEAT_SIZE / 2
    u0, u1, v0, v1 = min(us) - h, max(us) + h, min(vs) - h, max(vs) + h
    return [(u * c - v * s, u * s + v * c) for u, v in ((u0, v0), (u1, v0), (u1, v1), (u0, v1))]


@pytest.fixture
def invariants():
    return check_invariants


@pytest.fixture
def overlaps():
    return overlapping_pairs


def _clockwise_from_top(x, y, cx, cy):
    return math.atan2(x - cx, -(y - cy)) % (2 * math.pi)


def check_ring(layout: HallLayout, stands) -> None:
    """Arena mode: the stands ring the open floor, face it, and follow sectionId clockwise."""
    cx, cy, rx, ry = layout.floor_oval
    st = layout.stage
    # the stage sits at the top end of the floor: inside the oval, in its upper part, centred
    assert math.isclose(st.center[0], 0.0, abs_tol=1e-9) and math.isclose(cx, 0.0, abs_tol=1e-9)
    assert cy - ry < st.top and st.bottom < cy - 0.5 * ry
    angles = []
    for sec in stands:
        rows = layout.rows[sec.first_row:sec.first_row + sec.row_count]
        idx = range(sec.first_seat, sec.first_seat + sec.seat_count)
        # every stand lies outside the open floor
        assert all(((layout.xs[i] - cx) / rx) ** 2 + ((layout.ys[i] - cy) / ry) ** 2 > 1 for i in idx), sec.name

        def mid(row):
            k = row.first + row.count // 2
            return layout.xs[k], layout.ys[k]

        (fx, fy), (bx, by) = mid(rows[0]), mid(rows[-1])
        # front row toward the floor, and the section turned to face the floor's centre
        assert math.hypot(fx - cx, fy - cy) < math.hypot(bx - cx, by - cy), sec.name
        rad = math.radians(sec.rotation)
        facing = (math.sin(rad), -math.cos(rad))
        to_centre = (cx - fx, cy - fy)
        cos = (facing[0] * to_centre[0] + facing[1] * to_centre[1]) / math.hypot(*to_centre)
        assert cos > 0.9, (sec.name, sec.rotation)
        angles.append(_clockwise_from_top(fx, fy, cx, cy))
    # around the ring clockwise from the stage, in sectionId order, none behind the stage
    ids = [sec.section_id for sec in stands]
    by_angle = [i for _, i in sorted(zip(angles, ids))]
    assert by_angle == sorted(ids)
    b = layout.bounds
    assert 0.7 < b.height / b.width < 1.5  # round-ish, not a tall narrow U


@pytest.fixture
def ring_check():
    return check_ring
