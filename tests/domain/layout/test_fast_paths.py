"""The fast paths of the seat-map core give exactly the results of the plain seat-by-seat code.

Covers ``from_api`` (bulk row conversion vs. one seat at a time), ``HallLayout.update_availability``
(one pass when the plan lists the hall's seats in order, the seatId map otherwise, API models read
directly) and the arena ring's arc-length table (``_oval_arc``).
"""
from __future__ import annotations

import math
import random
from dataclasses import replace

import pytest

from boxoffice.api.models.peppered import SeatPlan
from boxoffice.domain import layout as layout_mod
from boxoffice.domain.layout import build_layout
from boxoffice.domain.seatplan import PlanInput, PlanSeat, _seat_slow, from_api


# --- references: the straightforward code the fast paths replaced ---------------------------------
def reference_update(layout, plan) -> list[int]:
    changed = []
    index = {sid: i for i, sid in enumerate(layout.seat_ids)}
    avail = layout.available
    for sec in plan.sections:
        for row in sec.rows:
            for seat in row.seats:
                i = index.get(seat.seat_id)
                if i is not None and avail[i] != seat.available:
                    avail[i] = 1 if seat.available else 0
                    changed.append(i)
    return changed


def reference_oval_arc(a, b, t0, samples=720):
    ts = [t0 + (2 * math.pi - 2 * t0) * k / samples for k in range(samples + 1)]
    lengths = [0.0]
    px, py = a * math.sin(ts[0]), -b * math.cos(ts[0])
    for t in ts[1:]:
        x, y = a * math.sin(t), -b * math.cos(t)
        lengths.append(lengths[-1] + math.hypot(x - px, y - py))
        px, py = x, y
    return ts, lengths


def with_availability(plan: PlanInput, rng: random.Random, p_flip: float) -> PlanInput:
    """The same plan with a random part of the seats flipped."""
    return replace(plan, sections=tuple(
        replace(sec, rows=tuple(
            replace(row, seats=tuple(replace(s, available=not s.available) if rng.random() < p_flip else s
                                     for s in row.seats))
            for row in sec.rows))
        for sec in plan.sections))


def as_mapping(plan: PlanInput, camel: bool = True) -> dict:
    k = (lambda snake, cam: cam) if camel else (lambda snake, cam: snake)
    return {
        k("event_id", "eventId"): plan.event_id, k("hall_id", "hallId"): plan.hall_id,
        k("price_levels", "priceLevels"): [
            {k("price_id", "priceId"): pl.price_id, k("rank_id", "rankId"): pl.rank_id, "name": pl.name,
             "amount": str(pl.amount)} for pl in plan.price_levels],
        "sections": [{k("section_id", "sectionId"): s.section_id, k("section_name", "sectionName"): s.name,
                      "rows": [{k("row_nr", "rowNr"): r.row_nr,
                                "seats": [{k("seat_id", "seatId"): x.seat_id, k("seat_nr", "seatNr"): x.seat_nr,
                                           k("rank_id", "rankId"): x.rank_id, "available": x.available}
                                          for x in r.seats]}
                               for r in s.rows]}
                     for s in plan.sections],
    }


def reference_from_api_seats(plan_like) -> list[PlanSeat]:
    """Every seat converted one at a time by the original per-seat code."""
    out = []
    for sec in plan_like["sections"]:
        for row in sec["rows"]:
            out.extend(_seat_slow(s) for s in row["seats"])
    return out


# --- from_api ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("camel", [True, False])
def test_from_api_bulk_rows_equal_seat_by_seat(halls, camel):
    rng = random.Random(5)
    for make in halls.values():
        plan = with_availability(make(), rng, 0.5)   # free and taken seats
        data = as_mapping(plan, camel=camel)
        got = from_api(data)
        assert got == plan
        assert [s for sec in got.sections for r in sec.rows for s in r.seats] == reference_from_api_seats(data)
        # the API client's pydantic model gives the same plan
        model = SeatPlan.model_validate(as_mapping(replace(plan, event_id=plan.event_id or 1)))
        assert from_api(model) == replace(plan, event_id=plan.event_id or 1)


def test_from_api_rows_that_need_converting_go_seat_by_seat():
    data = {"sections": [{"sectionId": 1, "sectionName": "Zaal", "rows": [
        {"rowNr": 1, "seats": [{"seatId": 11, "seatNr": "1", "rankId": 2, "available": 1},
                               {"seatId": "b", "seatNr": 2, "rankId": "2"}]},          # no 'available'
        {"rowNr": 2, "seats": [{"seat_id": "c", "seatNr": 1, "rank_id": 2, "available": True},  # mixed keys
                               {"seat_id": "d", "seat_nr": 2, "rank_id": 2, "available": 0}]},
    ]}]}
    rows = from_api(data).sections[0].rows
    assert rows[0].seats == (PlanSeat("11", 1, 2, True), PlanSeat("b", 2, 2, False))
    assert rows[1].seats == (PlanSeat("c", 1, 2, True), PlanSeat("d", 2, 2, False))
    assert [s for r in rows for s in r.seats] == reference_from_api_seats(data)


@pytest.mark.parametrize("seat, message", [
    ({"seatId": "a", "seatNr": True, "rankId": 1, "available": True}, "seatNr must be an integer"),
    ({"seatId": "a", "seatNr": 1, "rankId": "x", "available": True}, "rankId must be an integer"),
    ({"seatNr": 1, "rankId": 1, "available": True}, "missing field 'seat_id'"),
])
def test_from_api_still_rejects_bad_seats(seat, message):
    good = {"seatId": "z", "seatNr": 2, "rankId": 1, "available": True}
    data = {"sections": [{"sectionId": 1, "rows": [{"rowNr": 1, "seats": [good, seat]}]}]}
    with pytest.raises(ValueError, match=message):
        from_api(data)


# --- update_availability -----------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_update_in_hall_order_equals_reference(halls, seed):
    rng = random.Random(seed)
    for name, make in halls.items():
        plan = make()
        fast, ref = build_layout(plan), build_layout(plan)
        buffer = fast.available
        for p_flip in (0.0, 0.1, 1.0, 0.5):
            fresh = with_availability(plan, rng, p_flip)
            expected = reference_update(ref, fresh)
            assert fast.update_availability(fresh) == expected, name
            assert fast.available == ref.available, name
            assert expected == sorted(expected)   # hall order
        assert fast.available is buffer   # updated in place: painters keep their reference


def test_update_with_another_seat_order_or_unknown_seats_equals_reference(halls):
    rng = random.Random(7)
    plan = halls["theatre"]()
    fast, ref = build_layout(plan), build_layout(plan)
    fresh = with_availability(plan, rng, 0.5)
    # rows listed back to front, one unknown seat added, one seat left out: the seatId-map path
    sec = fresh.sections[0]
    extra = PlanSeat("not-in-this-hall", 99, 1, False)
    rows = tuple(reversed(sec.rows))
    rows = (replace(rows[0], seats=rows[0].seats[1:] + (extra,)),) + rows[1:]
    odd = replace(fresh, sections=(replace(sec, rows=rows),) + fresh.sections[1:])
    expected = reference_update(ref, odd)
    assert expected
    assert fast.update_availability(odd) == expected
    assert fast.available == ref.available


def test_update_reads_the_api_model_and_mappings_directly(halls):
    rng = random.Random(11)
    plan = halls["concert"]()
    plan = replace(plan, event_id=plan.event_id or 1)   # the API model requires one
    fresh = with_availability(plan, rng, 0.4)
    ref = build_layout(plan)
    expected = reference_update(ref, fresh)
    for source in (SeatPlan.model_validate(as_mapping(fresh)), as_mapping(fresh), as_mapping(fresh, camel=False)):
        lay = build_layout(plan)
        assert lay.update_availability(source) == expected
        assert lay.available == ref.available


def test_update_with_duplicate_ids_in_the_layout_uses_the_map(builder):
    plan = builder().section(1, "Zaal").row(1, [1, 2, 3]).build()
    sec = plan.sections[0]
    row = sec.rows[0]
    dup = replace(row.seats[2], seat_id=row.seats[0].seat_id)
    plan = replace(plan, sections=(replace(sec, rows=(replace(row, seats=row.seats[:2] + (dup,)),)),))
    fast, ref = build_layout(plan), build_layout(plan)
    fresh = with_availability(plan, random.Random(3), 1.0)
    assert fast.update_availability(fresh) == reference_update(ref, fresh)
    assert fast.available == ref.available


# --- arena ring arc table -----------------------------------------------------------------------------
@pytest.mark.parametrize("a, b, t0", [(40.0, 46.0, 0.1), (123.4, 141.91, 0.37), (8.0, 9.2, 1.2)])
def test_oval_arc_is_bit_identical_to_the_walk(a, b, t0):
    assert layout_mod._oval_arc(a, b, t0) == reference_oval_arc(a, b, t0)


def test_ring_overlap_prefilter_matches_near():
    rng = random.Random(13)
    for _ in range(500):
        quads = []
        for _q in range(2):
            cx, cy, w, h, rot = (rng.uniform(-20, 20), rng.uniform(-20, 20), rng.uniform(0.5, 15),
                                 rng.uniform(0.5, 15), rng.uniform(0, 360))
            quads.append(layout_mod._transform([(0, 0), (w, 0), (w, h), (0, h)], rot, (cx, cy)))
        p, q = quads
        assert layout_mod._bboxes_near(layout_mod._quad_bbox(p), layout_mod._quad_bbox(q)) == layout_mod._near(p, q)
    # touching boxes count as near in both
    a = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    b = [(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0)]
    assert layout_mod._near(a, b) and layout_mod._bboxes_near(layout_mod._quad_bbox(a), layout_mod._quad_bbox(b))
