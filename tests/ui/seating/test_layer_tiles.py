"""The seat layer's bulk geometry: tile bounds taken from the layout's per-row bounds, colour buckets
cut from 16-byte seat records, colour slots by ``bytes.translate`` — each equal to what the seats
themselves say, for turned, curved and gapped rows and for rank ids that do not fit a byte."""
from __future__ import annotations

import random
from dataclasses import replace

from PySide6.QtCore import QRectF

import pytest

from boxoffice.domain.hall_file import AisleSpec, HallFile, SectionSpec
from boxoffice.domain.layout import build_layout
from boxoffice.domain.seatplan import PlanInput, PlanRow, PlanSection
from boxoffice.ui.seating import seat_layer as sl
from boxoffice.ui.seating.seat_layer import SeatLayer
from boxoffice.ui.seating.state import SeatMapState
from tests.support.layerkit import buckets, expected_buckets

TURNED = HallFile(sections=(
    SectionSpec(section_id=1, curve=40.0, aisles=(AisleSpec(5, None, 1.5),)),
    SectionSpec(section_id=100, rotation=33.0),
    SectionSpec(section_id=101, rotation=-100.0, curve=25.0),
))


def _plan(plans, seed: int, ranks=None) -> PlanInput:
    rng = random.Random(seed)
    rows = {r: "".join("." if rng.random() < 0.6 else "x" for _ in range(14 + r)) for r in range(1, 9)}
    plan = plans.make(rows, extra_sections=3, seats_per_row=40, n_rows=20)
    taken = {s.seat_id for sec in plan.sections for row in sec.rows for s in row.seats if rng.random() < 0.4}
    plan = plans.with_taken(plan, taken)
    if ranks is not None:   # rank ids from ``ranks`` by row number
        plan = replace(plan, sections=tuple(
            PlanSection(sec.section_id, sec.name, tuple(
                PlanRow(row.row_nr, tuple(replace(s, rank_id=ranks[row.row_nr % len(ranks)]) for s in row.seats))
                for row in sec.rows))
            for sec in plan.sections))
    return plan


@pytest.mark.parametrize("hall_file", [None, TURNED], ids=["upright", "turned-and-curved"])
@pytest.mark.parametrize("ranks", [None, (1, 2, 700, -3)], ids=["byte-ranks", "wide-ranks"])
def test_tiles_and_buckets_equal_the_seats(qtbot, plans, hall_file, ranks):
    lay = build_layout(_plan(plans, 5, ranks), hall_file)
    assert (lay.rank_bytes is None) == (ranks is not None)
    layer = SeatLayer(SeatMapState(lay))
    assert len(layer._tile_start) > 4
    h = lay.seat_size
    covered = []
    for k, (a, b) in enumerate(zip(layer._tile_start, layer._tile_end)):
        covered.extend(range(a, b))
        xs, ys = lay.xs[a:b], lay.ys[a:b]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        assert layer._tile_rects[k] == QRectF(x0 - h, y0 - h, x1 - x0 + 2 * h, y1 - y0 + 2 * h), k
        assert set(layer._tile_of[a:b]) == {k}
    assert covered == list(range(lay.seat_count))
    slots = [layer.rank_slot[r] for r in lay.rank_ids]
    assert list(layer._slot_bytes) == slots
    assert list(layer.seat_key) == [s if lay.available[i] else sl.UNAVAILABLE_KEY for i, s in enumerate(slots)]
    assert buckets(layer) == expected_buckets(layer)
    # an availability change re-cuts the buckets from the records the same way
    rng = random.Random(9)
    for i in range(lay.seat_count):
        if rng.random() < 0.3:
            lay.set_available(i, not lay.available[i])
    layer.availability_changed(list(range(lay.seat_count)))
    assert buckets(layer) == expected_buckets(layer)
