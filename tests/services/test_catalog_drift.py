"""Issue 15 at the catalog: a seat plan without seats is general admission (like a 404), and an
event list with unreadable performances still lists the others and says how many were left out.
Against the real simulator with its drift knob."""
from __future__ import annotations

import pytest

from boxoffice.api.client import VdmClient
from boxoffice.api.retry import RetryPolicy
from boxoffice.api.secrets import ApiKey
from boxoffice.demo import SimulatorServer
from boxoffice.domain.seatplan import from_api
from boxoffice.services.catalog import CatalogService, is_general_admission
from boxoffice.services.connectivity import Connectivity
from boxoffice.store.cache import OfflineCache


def make(sim, tmp_path):
    client = VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key), timeout=3.0,
                       retry=RetryPolicy.never())
    cache = OfflineCache.open(tmp_path / "cache.sqlite3")
    connectivity = Connectivity(lambda: client.public.payment_methods(), (0.02, 0.05))
    return client, cache, CatalogService(client, cache, connectivity)


@pytest.mark.asyncio
async def test_an_empty_plan_and_a_404_are_both_general_admission(tmp_path):
    with SimulatorServer(seed=1) as sim:
        client, cache, catalog = make(sim, tmp_path)
        try:
            seated, ga = sim.catalog.find("seated"), sim.catalog.find("ga")
            plan, _ = await catalog.seating_or_general_admission(seated.event_id)
            assert plan is not None and not is_general_admission(plan)
            assert (await catalog.seating_or_general_admission(ga.event_id))[0] is None  # 404
            sim.faults.set(drift=["empty_seating"])
            plan, _ = await catalog.seat_plan(seated.event_id)
            assert plan.sections == [] and plan.is_general_admission and is_general_admission(plan)
            assert is_general_admission(from_api(plan))           # the layout's view agrees
            assert (await catalog.seating_or_general_admission(seated.event_id))[0] is None
            notes = client.drift.snapshot().get(f"GET /peppered/seating/{seated.event_id}").notes
            assert any("general admission" in n for n in notes)
        finally:
            await catalog.aclose()
            cache.close()
            await client.aclose()


def test_sections_without_seats_are_general_admission():
    assert is_general_admission({"sections": []})
    assert is_general_admission({"sections": [{"sectionId": 1, "rows": [{"rowNr": 1, "seats": []}]}]})
    assert not is_general_admission({"sections": [{"sectionId": 1, "rows": [
        {"rowNr": 1, "seats": [{"seatId": "a", "seatNr": 1, "rankId": 1, "available": True}]}]}]})
    assert is_general_admission(None)


@pytest.mark.asyncio
async def test_unreadable_performances_are_counted_not_blanking_the_list(tmp_path):
    with SimulatorServer(seed=1) as sim:
        client, cache, catalog = make(sim, tmp_path)
        try:
            clean = await catalog.refresh_events()
            count = sum(len(e.sub_events) for e in clean.events)
            assert clean.skipped == 0
            sim.faults.set(drift=["bad_date", "null_event_free", "no_event_status",
                                  "text_event_type", "string_ids", "wrapped_lists"])
            fetched = await catalog.refresh_events()
            assert fetched.skipped == 1                      # the performance dated "soon"
            assert sum(len(e.sub_events) for e in fetched.events) == count - 1
            assert fetched.events.skipped == 1               # the list itself says it too
            subs = [s for e in fetched.events for s in e.sub_events]
            assert any(s.event_free is None for s in subs)
            assert any(s.event_status is None for s in subs)
            assert all(isinstance(s.event_id, int) for s in subs)   # "95" -> 95
        finally:
            await catalog.aclose()
            cache.close()
            await client.aclose()
