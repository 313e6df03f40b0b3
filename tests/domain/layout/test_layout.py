"""Automatic hall layout: invariants on synthetic halls and the documented placement rules."""
from __future__ import annotations

import math
from decimal import Decimal

from boxoffice.domain.layout import (
    ROW_PITCH,
    SectionKind,
    build_layout,
    classify_section,
    numbering_gaps,
)
from boxoffice.domain.seatplan import from_api, rank_order


def _section(layout, name):
    return next(s for s in layout.sections if s.name == name)


def _row_seats(layout, row):
    return range(row.first, row.first + row.count)


def _stage_distance(layout, i):
    st = layout.stage
    x, y = layout.xs[i], layout.ys[i]
    dx = max(st.left - x, 0.0, x - st.right)
    dy = max(st.top - y, 0.0, y - st.bottom)
    return math.hypot(dx, dy)


def test_synthetic_halls_satisfy_invariants(synthetic_plan, invariants):
    name, plan = synthetic_plan
    layout = build_layout(plan)
    invariants(layout, plan)
    assert layout.mode == {"empty": "empty", "arena": "arena"}.get(name, "theatre")


def test_layout_is_deterministic(halls):
    a = build_layout(halls["theatre"]())
    b = build_layout(halls["theatre"]())
    assert list(a.xs) == list(b.xs) and list(a.ys) == list(b.ys)
    assert a.rows == b.rows and a.sections == b.sections and a.stage == b.stage


def test_main_floor_is_nearest_the_stage_and_centred(halls):
    for name in ("theatre", "concert", "arena"):
        layout = build_layout(halls[name]())
        main = layout.sections[0]  # Parket / Parterre / Vloer are first in these plans
        assert main.kind is SectionKind.FLOOR
        assert main.origin == (0.0, 0.0)
        assert math.isclose(layout.stage.center[0], 0.0, abs_tol=1e-9)
        main_d = min(_stage_distance(layout, i) for i in range(main.first_seat, main.first_seat + main.seat_count))
        for sec in layout.sections[1:]:
            if sec.kind is SectionKind.BEHIND:
                continue
            d = min(_stage_distance(layout, i) for i in range(sec.first_seat, sec.first_seat + sec.seat_count))
            assert d > main_d, (name, sec.name)


def test_main_floor_choice_prefers_floor_names_then_size(builder, helpers):
    b = builder()
    b.section(1, "Balkon")
    for r in range(1, 10):
        b.row(r, helpers["straight"](30))
    b.section(2, "Zaal")
    for r in range(1, 4):
        b.row(r, helpers["straight"](10))
    layout = build_layout(b.build())
    assert _section(layout, "Zaal").origin == (0.0, 0.0)
    assert min(layout.ys) == layout.ys[_section(layout, "Zaal").first_seat]
    # no floor-like name: the largest section is the main one
    b = builder()
    b.section(1, "Vak A")
    b.row(1, helpers["straight"](5))
    b.section(2, "Vak B")
    for r in range(1, 4):
        b.row(r, helpers["straight"](8))
    layout = build_layout(b.build())
    assert _section(layout, "Vak B").origin == (0.0, 0.0)


def test_rows_are_centred_and_fan_out(halls):
    layout = build_layout(halls["theatre"]())
    for sec in layout.sections:
        centres = []
        for row in layout.rows[sec.first_row:sec.first_row + sec.row_count]:
            centres.append((layout.xs[row.first] + layout.xs[row.first + row.count - 1]) / 2)
        assert max(centres) - min(centres) < 1e-9, sec.name
    parket = _section(layout, "Parket")
    first, last = layout.rows[parket.first_row], layout.rows[parket.first_row + parket.row_count - 1]
    assert last.count > first.count
    assert layout.xs[last.first] < layout.xs[first.first]  # the longer back row sticks out on the left
    assert layout.xs[last.first + last.count - 1] > layout.xs[first.first + first.count - 1]  # and right


def test_front_row_is_lowest_row_number_and_rows_stack_backwards(halls):
    layout = build_layout(halls["theatre"]())
    parket = _section(layout, "Parket")
    ys = [layout.ys[layout.rows[k].first] for k in range(parket.first_row, parket.first_row + parket.row_count)]
    assert [layout.rows[k].row_nr for k in range(parket.first_row, parket.first_row + parket.row_count)] == list(range(1, 21))
    assert all(math.isclose(b - a, ROW_PITCH) for a, b in zip(ys, ys[1:]))


def test_theatre_arrangement(halls):
    layout = build_layout(halls["theatre"]())
    parket, balkon = _section(layout, "Parket"), _section(layout, "Balkon")
    left, right = _section(layout, "Loge links"), _section(layout, "Loge rechts")
    assert balkon.bounds.top > parket.bounds.bottom  # balcony behind the stalls
    assert left.bounds.right < parket.bounds.left and right.bounds.left > parket.bounds.right
    assert math.isclose(left.bounds.top, parket.bounds.top) and math.isclose(right.bounds.top, parket.bounds.top)
    # section labels sit above their seats, row labels left and right of each row
    for sec in layout.sections:
        assert sec.label[1] < sec.bounds.top
        assert sec.bounds.left <= sec.label[0] <= sec.bounds.right
    for row in layout.rows:
        assert row.left_label[0] < layout.xs[row.first] < layout.xs[row.first + row.count - 1] < row.right_label[0] \
            or row.count == 1


def test_concert_hall_choir_behind_stage_faces_it(halls):
    layout = build_layout(halls["concert"]())
    koor = _section(layout, "Koorbalkon")
    assert koor.kind is SectionKind.BEHIND and koor.rotation == 180.0
    assert koor.bounds.bottom < layout.stage.top
    rows = layout.rows[koor.first_row:koor.first_row + koor.row_count]
    assert rows[0].row_nr == 1
    # row 1 nearest the stage, i.e. lowest on screen; rows go upwards
    assert layout.ys[rows[0].first] > layout.ys[rows[1].first] > layout.ys[rows[-1].first]
    # turned around: seat 1 (physically leftmost for them) is on the right as seen from the hall
    assert layout.xs[rows[0].first] > layout.xs[rows[0].first + rows[0].count - 1]
    zl, zr = _section(layout, "Zijbalkon links"), _section(layout, "Zijbalkon rechts")
    parterre = _section(layout, "Parterre")
    assert zl.kind is SectionKind.SIDE and zl.bounds.right < parterre.bounds.left
    assert zr.bounds.left > parterre.bounds.right


def test_arena_ring_around_the_floor(halls, ring_check):
    layout = build_layout(halls["arena"]())
    assert layout.mode == "arena" and len(layout.sections) == 15
    floor = layout.sections[0]
    assert floor.kind is SectionKind.FLOOR and floor.rotation == 0.0 and floor.origin == (0.0, 0.0)
    cx, cy, rx, ry = layout.floor_oval
    assert all(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1 for x, y in (
        (floor.bounds.left, floor.bounds.top), (floor.bounds.right, floor.bounds.bottom)))
    assert floor.bounds.top > layout.stage.bottom
    ring_check(layout, layout.sections[1:])
    rotations = {s.rotation for s in layout.sections[1:]}
    assert len(rotations) >= 10  # really a ring, not three orientations
    assert layout.seat_count == 20 * 40 + 14 * 25 * 53


def test_arena_without_a_floor_section_rings_every_stand(builder, helpers, invariants, ring_check):
    """Like the simulator's arena: only stands. The floor is left open, the stage at its top end;
    the ring order follows sectionId whatever the plan order."""
    b = builder().price(1, "80").price(2, "60")
    for k in (5, 1, 16, 3, 9, 2, 12, 4, 7, 15, 6, 10, 8, 14, 11, 13):
        b.section(100 + k, f"Vak {100 + k}")
        for r in range(1, 11):
            b.row(r, helpers["straight"](20 + k), rank=1 if r <= 4 else 2)
    plan = b.build()
    layout = build_layout(plan)
    invariants(layout, plan)
    assert layout.mode == "arena" and layout.floor_oval is not None
    assert all(s.kind is not SectionKind.FLOOR for s in layout.sections)
    ring_check(layout, layout.sections)
    # deterministic
    again = build_layout(plan)
    assert list(again.xs) == list(layout.xs) and again.sections == layout.sections


def test_odd_even_row_keeps_array_order(builder, helpers):
    b = builder()
    b.section(1, "Balkon")
    b.row(1, [7, 5, 3, 1, 2, 4, 6, 8])
    layout = build_layout(b.build())
    xs = list(layout.xs)
    assert xs == sorted(xs)
    assert all(math.isclose(b - a, 1.0) for a, b in zip(xs, xs[1:]))  # no gaps
    assert list(layout.seat_nrs) == [7, 5, 3, 1, 2, 4, 6, 8]
    assert list(layout.break_before) == [1, 0, 0, 0, 0, 0, 0, 0]


def test_numbering_gaps_become_visual_gaps(builder):
    b = builder()
    b.section(1, "Zaal")
    b.row(1, list(range(1, 11)) + list(range(15, 21)))
    b.row(2, [9, 7, 3, 1, 2, 4, 6, 10])  # odd/even with 5 and 8 missing
    layout = build_layout(b.build())
    r1, r2 = layout.rows
    xs = layout.xs
    steps1 = [round(xs[i + 1] - xs[i], 9) for i in range(r1.first, r1.first + r1.count - 1)]
    assert steps1 == [1.0] * 9 + [2.0] + [1.0] * 5
    assert [layout.break_before[i] for i in range(r1.first, r1.first + r1.count)] == [1] + [0] * 9 + [1] + [0] * 5
    steps2 = [round(xs[i + 1] - xs[i], 9) for i in range(r2.first, r2.first + r2.count - 1)]
    assert steps2 == [1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 2.0]
    assert numbering_gaps([1, 2, 3]) == [False, False, False]
    assert numbering_gaps([5, 3, 1, 2, 4, 6]) == [False] * 6
    assert numbering_gaps([1, 2, 4]) == [False, False, True]


def test_edge_cases_one_seat_empty_sections_and_unsorted_rows(invariants):
    plan = from_api({
        "eventId": 1, "hallId": 9,
        "priceLevels": [{"priceId": "a", "rankId": 3, "name": "R", "amount": 10}],
        "sections": [
            {"sectionId": 1, "sectionName": "Leeg", "rows": []},
            {"sectionId": 2, "sectionName": "Ook leeg", "rows": [{"rowNr": 1, "seats": []}]},
            {"sectionId": 3, "sectionName": "Zaal", "rows": [
                {"rowNr": 3, "seats": [{"seatId": "c1", "seatNr": 1, "rankId": 3, "available": True}]},
                {"rowNr": 1, "seats": [{"seatId": "a1", "seatNr": 1, "rankId": 3, "available": False}]},
                {"rowNr": 2, "seats": [{"seatId": "b1", "seatNr": 1, "rankId": 3, "available": True}]},
            ]},
        ],
    })
    layout = build_layout(plan)
    invariants(layout, plan)
    assert layout.empty_section_ids == (1, 2)
    assert [s.name for s in layout.sections] == ["Zaal"]
    assert [r.row_nr for r in layout.rows] == [1, 2, 3]
    assert layout.seat_ids == ["a1", "b1", "c1"]
    assert layout.ys[0] < layout.ys[1] < layout.ys[2]
    assert list(layout.available) == [0, 1, 1]

    one = from_api({"sections": [{"sectionId": 1, "sectionName": "X", "rows": [
        {"rowNr": 4, "seats": [{"seatId": "z", "seatNr": 9, "rankId": 1, "available": True}]}]}]})
    layout = build_layout(one)
    invariants(layout, one)
    assert layout.seat_at(layout.xs[0], layout.ys[0]) == 0


def test_empty_plan():
    layout = build_layout(from_api({"sections": [], "priceLevels": []}))
    assert layout.seat_count == 0 and layout.rows == () and layout.sections == ()
    assert layout.bounds == layout.stage
    assert layout.seat_at(0, 0) is None and layout.seats_in_rect(-100, -100, 100, 100) == []


def test_hundred_thousand_seats_build_without_overlap(builder, helpers, overlaps):
    b = builder().price(1, "50").price(2, "30")
    b.section(1, "Parkett")
    for r in range(1, 101):
        b.row(r, helpers["straight"](200))
    for k in range(8):
        b.section(10 + k, f"Tribune {k + 1}")
        for r in range(1, 51):
            b.row(r, helpers["straight"](200), rank=2)
    plan = b.build()
    layout = build_layout(plan)
    assert layout.seat_count == 100_000 == plan.seat_count
    assert overlaps(layout) == []
    bd = layout.bounds
    assert all(bd.contains(x, y) for x, y in zip(layout.xs, layout.ys))
    assert 200 < bd.width < 5_000 and 100 < bd.height < 5_000
    assert layout.mode == "arena"
    st = layout.stage
    assert layout.seats_in_rect(st.left, st.top, st.right, st.bottom, touching=True) == []
    parkett = layout.sections[0]
    assert parkett.name == "Parkett" and parkett.bounds.top > st.bottom


def test_classification_rules():
    assert classify_section("Koorbalkon") is SectionKind.BEHIND
    assert classify_section("Podiumplaatsen") is SectionKind.BEHIND
    assert classify_section("Achter") is SectionKind.BEHIND
    assert classify_section("Parket achter") is SectionKind.FLOOR
    assert classify_section("Stalls") is SectionKind.FLOOR
    assert classify_section("Zijbalkon links") is SectionKind.SIDE
    assert classify_section("Loge 3") is SectionKind.SIDE
    assert classify_section("1e Rang") is SectionKind.BALCONY
    assert classify_section("Gallery") is SectionKind.BALCONY
    assert classify_section("Vak 101") is SectionKind.OTHER


def test_from_api_accepts_the_client_models_and_rank_order():
    from boxoffice.api.models import peppered as p

    model = p.SeatPlan.model_validate({
        "eventId": 5, "hallId": 2,
        "priceLevels": [
            {"priceId": "x1", "rankId": 7, "name": "Rang 2", "amount": Decimal("20")},
            {"priceId": "x2", "rankId": 3, "name": "Rang 1", "amount": Decimal("35.50")},
            {"priceId": "x3", "rankId": 7, "name": "Rang 2 CJP", "amount": Decimal("12")},
            {"priceId": "x4", "rankId": 9, "name": "Rang 3", "amount": Decimal("35.50")},
        ],
        "sections": [{"sectionId": 1, "sectionName": "Parket", "rows": [
            {"rowNr": 2, "seats": [{"seatId": "b", "seatNr": 1, "rankId": 7, "available": True}]},
            {"rowNr": 1, "seats": [{"seatId": "a", "seatNr": 1, "rankId": 3, "available": False}]},
        ]}],
    })
    plan = from_api(model)
    assert plan.hall_id == 2 and plan.event_id == 5
    assert [r.row_nr for r in plan.sections[0].rows] == [1, 2]
    assert plan.sections[0].rows[0].seats[0].seat_id == "a"
    assert plan.price_levels[1].amount == Decimal("35.5")
    # highest price first; 3 and 9 tie at 35.50 → lower rankId first
    assert rank_order(plan.price_levels, [1]) == {3: 0, 9: 1, 7: 2, 1: 3}


def test_update_availability(halls):
    plan = halls["studio"]()
    layout = build_layout(plan)
    assert all(layout.available)
    from dataclasses import replace
    sec = plan.sections[0]
    row = sec.rows[0]
    seats = (replace(row.seats[0], available=False),) + row.seats[1:]
    plan2 = replace(plan, sections=(replace(sec, rows=(replace(row, seats=seats),) + sec.rows[1:]),))
    assert layout.update_availability(plan2) == [0]
    assert layout.available[0] == 0
    assert layout.index_of(row.seats[0].seat_id) == 0
    assert layout.seat_key(0) == (1, 1, 1)
