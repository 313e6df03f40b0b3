"""The bulk code paths of the layout engine give exactly what the straightforward code gives.

``_materialise`` fills preallocated arrays block by block (shared rotated terms, ``struct.pack_into``,
row/section bounds from the end seats of straight rows, seat numbers packed by ``_local_rows``); the
reference below is the row-by-row version it replaced, run on the very same placed blocks. The arena
ring skips sampling the arc while a cheap upper bound already says it is too short; the layout must
be the one the unskipped search finds. Rank bytes / present ranks must equal ``rank_ids``.
"""
from __future__ import annotations

import math
import random
from array import array
from decimal import Decimal
from itertools import chain
from operator import truth

import pytest

from boxoffice.domain import layout as L
from boxoffice.domain.hall_file import AisleSpec, HallFile, SectionSpec
from boxoffice.domain.layout import (
    ROW_LABEL_OFFSET,
    SEAT_SIZE,
    SECTION_LABEL_SPACE,
    SECTION_PAD,
    HallLayout,
    Rect,
    RowInfo,
    SectionInfo,
    build_layout,
)
from boxoffice.domain.layout import arena as layout_arena
from boxoffice.domain.layout import build as layout_build
from boxoffice.domain.seatplan import PlanInput, PlanPriceLevel, PlanRow, PlanSeat, PlanSection


# --- plans ----------------------------------------------------------------------------------------
def _plan(sections, *, rng=None, avail=None, rank=None) -> PlanInput:
    """sections: (id, name, {row_nr: [seat numbers]}); availability random (or ``avail(k)``)."""
    rng = rng or random.Random(1)
    out, k = [], 0
    for sid, name, rows in sections:
        prow = []
        for row_nr, nrs in sorted(rows.items()):
            seats = []
            for nr in nrs:
                k += 1
                seats.append(PlanSeat(f"s{k}", nr, rank(row_nr) if rank else 1 + row_nr % 3,
                                      avail(k) if avail else rng.random() < 0.6))
            prow.append(PlanRow(row_nr, tuple(seats)))
        out.append(PlanSection(sid, name, tuple(prow)))
    levels = tuple(PlanPriceLevel(f"p{r}", r, f"R{r}", Decimal(50 - r)) for r in (1, 2, 3))
    return PlanInput(tuple(out), levels, hall_id=1, event_id=2)


def theatre():
    return _plan([
        (1, "Parket", {r: list(range(1, 25 + r // 2)) for r in range(1, 21)}),
        (2, "Balkon", {r: [*range(2 * r + 13, 0, -2), *range(2, 2 * r + 14, 2)] for r in range(1, 9)}),
        (3, "Loge links", {1: [1, 2, 3, 4, 9, 10], 2: [1, 2, 3]}),
        (4, "Loge rechts", {1: [5, 4, 3, 2, 1], 2: [1, 2, 7, 8]}),
        (5, "Koor", {1: list(range(1, 31)), 2: list(range(1, 29))}),
        (6, "Leeg", {}),
    ])


def arena():
    secs = [(100, "Vloer", {r: list(range(1, 41)) for r in range(1, 21)})]
    secs += [(101 + k, f"Vak {101 + k}", {r: list(range(1, 31 + k % 4)) for r in range(1, 16)}) for k in range(14)]
    return _plan(secs)


def arena_without_floor():
    return _plan([(10 + k, f"Tribune {k}", {r: list(range(1, 21)) for r in range(1, 9)}) for k in range(9)])


HALL_FILE = HallFile(sections=(
    SectionSpec(section_id=1, curve=35.0, aisles=(AisleSpec(6, None, 1.5), AisleSpec(12, frozenset({2, 3}), 0.5))),
    SectionSpec(section_id=2, rotation=33.0, curve=20.0),
    SectionSpec(section_id=3, position=(-40.0, 5.0), rotation=90.0),
    SectionSpec(section_id=4, position=(40.0, 5.0), rotation=-71.5, aisles=(AisleSpec(2, None, 2.0),)),
    # a negative aisle (a file parser refuses one; built by hand it still lays out): not monotone
    SectionSpec(section_id=5, rotation=12.0, aisles=(AisleSpec(10, None, -3.0),)),
))

CASES = {
    "theatre": (theatre, None),
    "arena": (arena, None),
    "arena_without_floor": (arena_without_floor, None),
    "theatre_with_hall_file": (theatre, HALL_FILE),
    "arena_with_hall_file": (arena, HallFile(sections=(SectionSpec(section_id=103, curve=15.0),
                                                       SectionSpec(section_id=100, rotation=5.0)))),
    "empty": (lambda: _plan([]), None),
}


# --- the reference: the row-by-row materialise the bulk one replaced -----------------------------
def reference_materialise(plan, blocks, stage, stage_label, mode, hall_file_used, notes, empty, oval):
    all_x, all_y = [], []
    done = 0
    section_of, row_of = array("l"), array("l")
    break_before = bytearray()
    rows, sections, extents = [], [], [stage]
    half = SEAT_SIZE / 2
    for si, b in enumerate(blocks):
        c, s = L._cos_sin(b.rotation)
        ox, oy = b.origin
        upright = c == 1.0 and s == 0.0
        first_row, first_seat = len(rows), done
        sec_x, sec_y = [], []
        for row_nr, lxs, lys, breaks, seats, tl, tr in (r[:7] for r in b.rows):
            k = len(lxs)
            if isinstance(lys, float):
                if upright:
                    rx = [ox + v for v in lxs]
                    ry = [oy + lys] * k
                else:
                    bx, by = ox - lys * s, oy + lys * c
                    rx = [bx + v * c for v in lxs]
                    ry = [by + v * s for v in lxs]
            elif upright:
                rx = [ox + v for v in lxs]
                ry = [oy + v for v in lys]
            else:
                rx = [ox + u * c - v * s for u, v in zip(lxs, lys)]
                ry = [oy + u * s + v * c for u, v in zip(lxs, lys)]
            first = done
            done += k
            break_before += breaks
            row_of.extend(array("l", [len(rows)]) * k)
            sec_x.extend(rx)
            sec_y.extend(ry)
            tlx, tly = tl[0] * c - tl[1] * s, tl[0] * s + tl[1] * c
            trx, try_ = tr[0] * c - tr[1] * s, tr[0] * s + tr[1] * c
            x0, y0, x1, y1 = rx[0], ry[0], rx[-1], ry[-1]
            rows.append(RowInfo(
                section_index=si, row_nr=row_nr, first=first, count=k,
                left_label=(x0 - tlx * ROW_LABEL_OFFSET, y0 - tly * ROW_LABEL_OFFSET),
                right_label=(x1 + trx * ROW_LABEL_OFFSET, y1 + try_ * ROW_LABEL_OFFSET),
                angle=math.degrees(math.atan2(y1 - y0, x1 - x0)) if k > 1 else b.rotation % 360.0,
            ))
        n_seats = done - first_seat
        section_of.extend(array("l", [si]) * n_seats)
        all_x += sec_x
        all_y += sec_y
        min_x, max_x, min_y, max_y = min(sec_x), max(sec_x), min(sec_y), max(sec_y)
        bounds = Rect(min_x - half, min_y - half, max_x - min_x + SEAT_SIZE, max_y - min_y + SEAT_SIZE)
        if b.front_label:
            l, t, r, _ = b.local_box()
            (label,) = L._transform([((l + r) / 2, t + SECTION_LABEL_SPACE / 2)], b.rotation, b.origin)
        else:
            label = (bounds.center[0], bounds.top + half - SECTION_PAD - SECTION_LABEL_SPACE / 2)
        sections.append(SectionInfo(
            section_id=b.section.section_id, name=b.section.name, kind=b.kind,
            first_row=first_row, row_count=len(rows) - first_row, first_seat=first_seat, seat_count=n_seats,
            bounds=bounds, label=label, origin=b.origin, rotation=b.rotation % 360.0, curve=b.curve,
            from_hall_file=b.spec is not None))
        fp = bounds.adjusted(SECTION_PAD - half)
        extents.append(Rect(fp.x, fp.y - SECTION_LABEL_SPACE, fp.width, fp.height + SECTION_LABEL_SPACE))
    seats = list(chain.from_iterable(row[4] for b in blocks for row in b.rows))
    return HallLayout(
        xs=array("d", all_x), ys=array("d", all_y), seat_ids=[p.seat_id for p in seats],
        seat_nrs=array("l", [p.seat_nr for p in seats]), rank_ids=array("l", [p.rank_id for p in seats]),
        section_of=section_of, row_of=row_of, break_before=break_before,
        available=bytearray(map(truth, [p.available for p in seats])),
        rows=tuple(rows), sections=tuple(sections), stage=stage, stage_label=stage_label,
        bounds=Rect.union(extents), price_levels=plan.price_levels, mode=mode, hall_file_used=hall_file_used,
        notes=tuple(notes), empty_section_ids=tuple(empty), hall_id=plan.hall_id, event_id=plan.event_id,
        floor_oval=oval)


_ARRAYS = ("xs", "ys", "seat_nrs", "rank_ids", "section_of", "row_of")
_PLAIN = ("seat_ids", "break_before", "available", "rows", "sections", "stage", "stage_label", "bounds",
          "price_levels", "mode", "hall_file_used", "notes", "empty_section_ids", "hall_id", "event_id",
          "floor_oval")


def assert_same_layout(got: HallLayout, want: HallLayout) -> None:
    for name in _ARRAYS:   # same type code, same bytes (so -0.0 and 0.0 would differ too)
        a, b = getattr(got, name), getattr(want, name)
        assert (a.typecode, a.tobytes()) == (b.typecode, b.tobytes()), name
    for name in _PLAIN:
        a, b = getattr(got, name), getattr(want, name)
        assert type(a) is type(b) and a == b and repr(a) == repr(b), name


def _built_and_reference(plan, hall_file, monkeypatch):
    captured = {}
    real = L._materialise

    def capture(*args):
        captured["args"] = args
        return real(*args)

    monkeypatch.setattr(layout_build, "_materialise", capture)   # where build_layout looks it up
    got = build_layout(plan, hall_file)
    monkeypatch.undo()
    return got, reference_materialise(*captured["args"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_bulk_materialise_equals_the_row_by_row_reference(name, monkeypatch):
    make, hall_file = CASES[name]
    got, want = _built_and_reference(make(), hall_file, monkeypatch)
    assert_same_layout(got, want)
    if name == "theatre_with_hall_file":   # all the kinds of row the fast paths tell apart are here
        kinds = {(isinstance(r[2], float), r[8]) for b in captured_blocks(make(), hall_file) for r in b.rows}
        assert {(True, True), (False, False), (True, False)} <= kinds


def captured_blocks(plan, hall_file):
    out = []
    real = L._materialise

    def capture(plan_, blocks, *rest):
        out.extend(blocks)
        return real(plan_, blocks, *rest)

    layout_build._materialise = capture
    try:
        build_layout(plan, hall_file)
    finally:
        layout_build._materialise = real
    return out


def test_odd_values_take_the_item_by_item_paths(monkeypatch):
    """Availability that is not a bool, seat numbers and rank ids beyond a byte or negative."""
    base = theatre()
    odd = PlanInput(tuple(
        PlanSection(sec.section_id, sec.name, tuple(
            PlanRow(row.row_nr, tuple(PlanSeat(s.seat_id, s.seat_nr + 1000 * (row.row_nr == 2),
                                               (-5, 300, 70000)[k % 3], (0, 2, None, "x", 0.0, 7)[k % 6])
                                      for k, s in enumerate(row.seats)))
            for row in sec.rows))
        for sec in base.sections), base.price_levels, base.hall_id, base.event_id)
    got, want = _built_and_reference(odd, None, monkeypatch)
    assert_same_layout(got, want)
    assert got.rank_bytes is None and got.ranks_present == frozenset(want.rank_ids) == {-5, 300, 70000}


def test_bad_seat_numbers_fail_as_before():
    plan = _plan([(1, "Zaal", {1: [1, 2, 3]})])
    sec = plan.sections[0]
    bad = PlanSeat("x", 2 ** 70, 1, True)
    plan = PlanInput((PlanSection(1, "Zaal", (PlanRow(1, sec.rows[0].seats + (bad,)),)),))
    with pytest.raises(OverflowError):
        build_layout(plan)


@pytest.mark.parametrize("name", sorted(CASES))
def test_row_bounds_are_each_rows_extremes(name):
    make, hall_file = CASES[name]
    lay = build_layout(make(), hall_file)
    assert len(lay.row_bounds) == 4 * len(lay.rows)
    for k, row in enumerate(lay.rows):
        xs = lay.xs[row.first:row.first + row.count]
        ys = lay.ys[row.first:row.first + row.count]
        assert tuple(lay.row_bounds[4 * k:4 * k + 4]) == (min(xs), min(ys), max(xs), max(ys)), (name, k)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rank_bytes_and_present_ranks(name):
    make, hall_file = CASES[name]
    lay = build_layout(make(), hall_file)
    assert lay.rank_bytes == bytes(list(lay.rank_ids))
    assert lay.ranks_present == frozenset(lay.rank_ids)


def test_low_bytes_refuses_what_does_not_fit_a_byte():
    assert L._low_bytes(array("l", [0, 7, 255])) == bytes([0, 7, 255])
    for values in ([256], [-1], [1, 2 ** 40], [0, -256]):
        assert L._low_bytes(array("l", values)) is None, values
    assert L._low_bytes(array("b", [1, -1])) is None and L._low_bytes([1, 2]) is None
    assert L._distinct(bytes([3, 1, 3, 3, 2, 1])) == {1, 2, 3} and L._distinct(b"") == set()


# --- the arena ring: skipping arcs that cannot be long enough changes nothing ---------------------
def test_arc_bound_is_never_below_the_sampled_arc():
    rng = random.Random(17)
    for _ in range(400):
        a = rng.uniform(1.0, 2000.0)
        b = a * rng.uniform(0.3, 3.0)
        t0 = rng.uniform(0.0, math.pi / 2)
        _ts, lengths = L._oval_arc(a, b, t0)
        assert lengths[-1] <= L._arc_upper_bound(a, b, t0), (a, b, t0)


@pytest.mark.parametrize("name", ["arena", "arena_without_floor", "arena_with_hall_file"])
def test_arena_layout_is_the_one_the_unskipped_search_finds(name, monkeypatch):
    make, hall_file = CASES[name]
    plan = make()
    fast = build_layout(plan, hall_file)
    calls = []
    real_arc = L._oval_arc
    monkeypatch.setattr(layout_arena, "_oval_arc", lambda *a, **k: calls.append(a) or real_arc(*a, **k))
    monkeypatch.setattr(layout_arena, "_arc_upper_bound", lambda a, b, t0: math.inf)   # never skip
    slow = build_layout(plan, hall_file)
    assert fast.mode == "arena" and len(calls) > 1   # the search did grow the oval here
    assert_same_layout(fast, slow)
