"""Fast paths of the seat map's update: the bulk recolouring of ``SeatLayer.availability_changed``
(many changed seats) must give exactly the keys and colour buckets a fresh layer builds, and
``update_plan`` must take the API client's ``SeatPlan`` model as it is (no ``from_api``)."""
from __future__ import annotations

import random

from boxoffice.api.models.peppered import SeatPlan
from boxoffice.domain.layout import build_layout
from boxoffice.ui.seating import seat_layer as sl
from boxoffice.ui.seating.seat_layer import SeatLayer
from boxoffice.ui.seating.state import SeatMapState
from boxoffice.ui.seating.view import SeatMapView
from tests.support.layerkit import buckets, expected_buckets


def _big_plan(plans):
    return plans.make({1: ".x..x.", 2: "xx....", 5: "......"}, extra_sections=3, seats_per_row=40, n_rows=12)


def test_bulk_recolour_matches_a_fresh_layer(qtbot, plans):
    plan = _big_plan(plans)
    lay = build_layout(plan)
    layer = SeatLayer(SeatMapState(lay))
    key_obj = layer.seat_key
    rng = random.Random(3)
    taken = {sid for sid in lay.seat_ids if rng.random() < 0.5}
    changed = lay.update_availability(plans.with_taken(plan, taken))
    assert len(changed) >= sl.BULK_UPDATE_MIN
    calls = []
    bulk = layer._bulk_keys
    layer._bulk_keys = lambda: calls.append(1) or bulk()
    layer.availability_changed(changed)
    assert calls == [1]                                # the bulk path ran
    fresh = SeatLayer(SeatMapState(lay))
    assert layer.seat_key is key_obj                   # updated in place
    assert bytes(layer.seat_key) == bytes(fresh.seat_key)
    assert all(layer.seat_key[i] == sl.UNAVAILABLE_KEY for i in range(lay.seat_count) if not lay.available[i])
    assert all(layer.seat_key[i] != sl.UNAVAILABLE_KEY for i in range(lay.seat_count) if lay.available[i])
    assert buckets(layer) == buckets(fresh) == expected_buckets(layer)


def test_few_changes_use_the_per_seat_path_with_the_same_result(qtbot, plans):
    plan = _big_plan(plans)
    lay = build_layout(plan)
    layer = SeatLayer(SeatMapState(lay))
    taken = set(lay.seat_ids[:3])
    changed = lay.update_availability(plans.with_taken(plan, taken))
    assert 0 < len(changed) < sl.BULK_UPDATE_MIN
    layer._bulk_keys = lambda: (_ for _ in ()).throw(AssertionError("bulk path for 3 seats"))
    layer.availability_changed(changed)
    fresh = SeatLayer(SeatMapState(lay))
    assert bytes(layer.seat_key) == bytes(fresh.seat_key)
    assert buckets(layer) == buckets(fresh) == expected_buckets(layer)


def _as_api_model(plan) -> SeatPlan:
    return SeatPlan.model_validate({
        "event_id": plan.event_id, "hall_id": plan.hall_id, "price_levels": [],
        "sections": [{"section_id": sec.section_id, "section_name": sec.name,
                      "rows": [{"row_nr": row.row_nr,
                                "seats": [{"seat_id": s.seat_id, "seat_nr": s.seat_nr, "rank_id": s.rank_id,
                                           "available": s.available} for s in row.seats]}
                               for row in sec.rows]}
                     for sec in plan.sections]})


def test_update_plan_takes_the_api_model_directly(qtbot, plans, monkeypatch):
    plan = _big_plan(plans)
    view = SeatMapView()
    qtbot.addWidget(view)
    view.set_plan(plan)
    layer = view.layer
    taken = set(view.layout_.seat_ids[::2])
    model = _as_api_model(plans.with_taken(plan, taken))
    import boxoffice.ui.seating.view as view_mod

    def no_conversion(_plan):
        raise AssertionError("from_api must not run for a model of the same hall")

    monkeypatch.setattr(view_mod, "from_api", no_conversion)
    update = view.update_plan(model)
    assert update is not None and view.layer is layer   # updated, not rebuilt
    lay = view.layout_
    assert {lay.seat_ids[i] for i in range(lay.seat_count) if not lay.available[i]} == taken | {
        s.seat_id for sec in plan.sections for row in sec.rows for s in row.seats if not s.available}
    assert bytes(layer.seat_key) == bytes(SeatLayer(SeatMapState(lay)).seat_key)


def test_update_plan_with_a_model_of_another_event_rebuilds(qtbot, plans):
    plan = _big_plan(plans)
    view = SeatMapView()
    qtbot.addWidget(view)
    view.set_plan(plan)
    other = _as_api_model(plan).model_copy(update={"event_id": plan.event_id + 1})
    assert view.update_plan(other) is None
    assert view.layout_.event_id == plan.event_id + 1
