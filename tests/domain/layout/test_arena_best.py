"""Best seats in an arena (the simulator's 16 stands around an open floor, stage at its top end):
seats that face the stage, close and central, never a side-stage corner (seen from the side or
from behind the stage's front) ahead of better ones."""
from __future__ import annotations

import math

import pytest
import pytest_asyncio

from boxoffice.api import ApiKey, VdmClient
from boxoffice.demo import SimulatorServer
from boxoffice.domain.best_available import best_available
from boxoffice.domain.layout import build_layout
from boxoffice.domain.seatplan import from_api, rank_order


@pytest.fixture(scope="module")
def sim():
    server = SimulatorServer(seed=1)
    server.start()
    yield server
    server.stop()


@pytest_asyncio.fixture
async def arena(sim):
    hall = max((h for h in sim.catalog.halls.values() if not h.is_ga),
               key=lambda h: h.layout().capacity)
    perf = min((p for p in sim.catalog.performances.values() if p.hall_id == hall.hall_id),
               key=lambda p: p.event_id)
    async with VdmClient(sim.base_url, sim.client_name, api_key=ApiKey(sim.api_key), timeout=10.0) as c:
        plan = from_api(await c.peppered.seating(perf.event_id))
    layout = build_layout(plan)
    assert layout.mode == "arena"
    return layout


def _view(layout, seats):
    """(angle off the stage's axis in degrees, distance to the stage's front centre) of a block."""
    st = layout.stage
    cx = sum(layout.xs[i] for i in seats) / len(seats)
    cy = sum(layout.ys[i] for i in seats) / len(seats)
    dx, dy = cx - st.center[0], cy - (st.y + st.height)
    return abs(math.degrees(math.atan2(dx, dy))), math.hypot(dx, dy)


@pytest.mark.asyncio
@pytest.mark.parametrize("n", [2, 4, 6])
async def test_arena_best_seats_face_the_stage(arena, n):
    layout = arena
    res = best_available(layout, n)
    assert len(res.seats) == n and res.together
    angle, dist = _view(layout, res.seats)
    assert angle <= 45.0, (layout.sections[layout.section_of[res.seats[0]]].name, angle, dist)
    # the best rank that has a free block
    order = rank_order(layout.price_levels, set(layout.rank_ids))
    best_rank = min(order[layout.rank_ids[i]] for i in range(layout.seat_count) if layout.available[i])
    assert max(order[layout.rank_ids[i]] for i in res.seats) == best_rank
    # no free block of that rank is both more frontal and closer
    for row in layout.rows:
        for s in range(row.first, row.first + row.count - n + 1):
            block = range(s, s + n)
            if not all(layout.available[i] and (i == s or not layout.break_before[i]) for i in block):
                continue
            if max(order[layout.rank_ids[i]] for i in block) != best_rank:
                continue
            a, d = _view(layout, block)
            assert not (a < angle - 1 and d < dist - 1), (a, d, angle, dist)
