"""Every seated hall of the real simulator, fetched through the real client over loopback, lays
out cleanly and best-available picks free seats from it; the simulator's shipped hall files fit
its real plans and install into a profile without overwriting anything."""
from __future__ import annotations

import json
import math

import pytest
import pytest_asyncio

from boxoffice.api import ApiKey, VdmClient
from boxoffice.demo import SimulatorServer
from boxoffice.demo.layouts import install_hall_files, shipped_hall_files
from boxoffice.domain.best_available import Outcome, best_available
from boxoffice.domain.hall_file import hall_file_path, load_hall_file
from boxoffice.domain.layout import SectionKind, build_layout
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
async def test_every_simulator_hall_lays_out(sim, client, invariants, ring_check):
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
        if layout.mode == "arena":  # the 16 stands ring an open floor, stage at its top end
            assert len(layout.sections) == 16 and layout.floor_oval is not None
            ring_check(layout, [s for s in layout.sections if s.kind is not SectionKind.FLOOR])
        free = {seat.seat_id for sec in plan.sections for row in sec.rows for seat in row.seats if seat.available}
        for n in (1, 2, 4):
            res = best_available(layout, n)
            if len(free) < n:
                assert res.outcome is Outcome.NOT_ENOUGH
                continue
            assert res.outcome in (Outcome.TOGETHER, Outcome.SPLIT)
            assert set(res.seat_ids(layout)) <= free and len(res.seats) == n
    assert {"theatre", "arena"} <= seen


async def _plan(sim, client, hall_id):
    perf = min((p for p in sim.catalog.performances.values() if p.hall_id == hall_id), key=lambda p: p.event_id)
    return from_api(await client.peppered.seating(perf.event_id))


def _seat(layout, section, row_nr, seat_nr):
    return next(i for i in range(layout.seat_count)
                if layout.section_name(i) == section and layout.rows[layout.row_of[i]].row_nr == row_nr
                and layout.seat_nrs[i] == seat_nr)


@pytest.mark.asyncio
async def test_shipped_theatre_file_fits_the_real_plan(sim, client, invariants, overlaps):
    files = shipped_hall_files()
    assert 1 in files and files[1].name == "hall-1.json"
    seated = {h.hall_id for h in sim.catalog.halls.values() if not h.is_ga}
    assert set(files) <= seated
    loaded = load_hall_file(files[1], hall_id=1)
    assert loaded.problem is None and loaded.hall_file is not None
    plan = await _plan(sim, client, 1)
    layout = build_layout(plan, loaded.hall_file)
    assert layout.hall_file_used and layout.notes == () and layout.mode == "theatre"
    invariants(layout, plan)
    assert overlaps(layout) == []
    secs = {s.name: s for s in layout.sections}
    assert set(secs) == {"Parket", "Balkon", "Loge links", "Loge rechts"}
    assert all(s.from_hall_file for s in layout.sections)
    parket, balkon = secs["Parket"], secs["Balkon"]
    st = layout.stage
    # curved Parket: in every row the end seats are nearer the stage than the middle one
    for row in layout.rows[parket.first_row:parket.first_row + parket.row_count]:
        first, last, mid = row.first, row.first + row.count - 1, row.first + row.count // 2
        assert layout.ys[first] < layout.ys[mid] and layout.ys[last] < layout.ys[mid]
    # two side aisles in every Parket row: six seats, an aisle, the middle, an aisle, six seats
    for row in layout.rows[parket.first_row:parket.first_row + parket.row_count]:
        breaks = [k for k in range(row.first + 1, row.first + row.count) if layout.break_before[k]]
        assert [layout.seat_nrs[k] for k in breaks] == [7, row.count - 5], row.row_nr
    # row 12, seats 5-8: found where drawn, split by the left aisle, all in the Parket
    r12 = [_seat(layout, "Parket", 12, n) for n in (5, 6, 7, 8)]
    assert [layout.seat_at(layout.xs[i], layout.ys[i]) for i in r12] == r12
    assert layout.break_before[r12[2]] == 1 and not layout.break_before[r12[1]]
    assert layout.xs[r12[0]] < layout.xs[r12[1]] < layout.xs[r12[2]] < layout.xs[r12[3]] < 0  # left of the axis
    # the balcony curves too and lies behind the Parket
    assert balkon.curve > 0 and balkon.bounds.top > parket.bounds.bottom
    # the boxes: one each side, angled toward the stage (not square to it), beside the Parket's front half
    left, right = secs["Loge links"], secs["Loge rechts"]
    assert left.bounds.right < parket.bounds.left and right.bounds.left > parket.bounds.right
    assert left.bounds.bottom < parket.bounds.center[1] and right.bounds.bottom < parket.bounds.center[1]
    for box in (left, right):
        assert box.rotation % 90 != 0
        rad = math.radians(box.rotation)
        facing = (math.sin(rad), -math.cos(rad))
        bx, by = box.bounds.center
        to_stage = (st.center[0] - bx, st.center[1] - by)
        cos = (facing[0] * to_stage[0] + facing[1] * to_stage[1]) / math.hypot(*to_stage)
        assert cos > 0.7, box.name
    # best available still works on the hand-made layout and never spans an aisle
    res = best_available(layout, 4)
    assert res.outcome is Outcome.TOGETHER
    assert not any(layout.break_before[i] for i in res.seats[1:])


def test_install_hall_files(tmp_path):
    data_dir = tmp_path / "profile"
    target = hall_file_path(data_dir, 1).parent
    written = install_hall_files(target)
    shipped = shipped_hall_files()
    assert sorted(p.name for p in written) == sorted(p.name for p in shipped.values()) and written
    for hall_id, source in shipped.items():
        dest = hall_file_path(data_dir, hall_id)
        assert dest.read_bytes() == source.read_bytes()
        assert load_hall_file(dest, hall_id=hall_id).problem is None
    # a second run writes nothing; a venue's own file is never replaced
    assert install_hall_files(target) == []
    own = json.dumps({"format": "vdm-boxoffice-hall-layout", "version": 1, "hallId": 1, "sections": []})
    hall_file_path(data_dir, 1).write_text(own, encoding="utf-8")
    assert install_hall_files(target) == []
    assert hall_file_path(data_dir, 1).read_text(encoding="utf-8") == own
    # a partly filled folder only gets what is missing
    fresh = tmp_path / "other" / "layouts"
    fresh.mkdir(parents=True)
    (fresh / "hall-1.json").write_text(own, encoding="utf-8")
    (fresh / "notes.txt").write_text("x", encoding="utf-8")
    assert [p.name for p in install_hall_files(fresh)] == [p.name for h, p in shipped.items() if h != 1]
    assert (fresh / "hall-1.json").read_text(encoding="utf-8") == own
