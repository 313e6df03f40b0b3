"""Every seated hall of the real simulator, fetched through the real client over loopback, lays
out cleanly and best-available picks free seats from it."""
from __future__ import annotations

import pytest
import pytest_asyncio

from boxoffice.api import ApiKey, VdmClient
from boxoffice.demo import SimulatorServer
from boxoffice.domain.best_available import Outcome, best_available
from boxoffice.domain.layout import build_layout
from boxoffice.domain.seatplan import from_api


@pytest.fixture(scope="module")
def sim():
    server = SimulatorServer(seed=1)
    server.start()
    yield server
    server.stop()


@pytest_asyncio.fixture
async def client(sim):
    async with VdmClient(sim.base_url, sim.client_name, api_key=ApiKey(sim.api_key), timeout=10.0) as c:
        yield c


@pytest.mark.asyncio
async def test_every_simulator_hall_lays_out(sim, client, invariants):
    seated_halls = [h for h in sim.catalog.halls.values() if not h.is_ga]
    assert len(seated_halls) >= 4  # studio, theatre, concert hall, arena
    seen = set()
    for hall in seated_halls:
        perf = min((p for p in sim.catalog.performances.values() if p.hall_id == hall.hall_id),
                   key=lambda p: p.event_id)
        plan = from_api(await client.peppered.seating(perf.event_id))
        assert plan.hall_id == hall.hall_id and plan.seat_count == hall.layout().capacity
        layout = build_layout(plan)
        invariants(layout, plan)
        seen.add(layout.mode)
        free = {seat.seat_id for sec in plan.sections for row in sec.rows for seat in row.seats if seat.available}
        for n in (1, 2, 4):
            res = best_available(layout, n)
            if len(free) < n:
                assert res.outcome is Outcome.NOT_ENOUGH
                continue
            assert res.outcome in (Outcome.TOGETHER, Outcome.SPLIT)
            assert set(res.seat_ids(layout)) <= free and len(res.seats) == n
    assert {"theatre", "arena"} <= seen
