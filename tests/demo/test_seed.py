"""Demo data: deterministic per seed, halls of the required sizes, the kinds tests rely on."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from boxoffice.demo import SimulatorServer
from boxoffice.demo.clock import AMSTERDAM
from boxoffice.demo.seed import build_catalog

TODAY = date(2026, 11, 27)


def _snapshot(sim: SimulatorServer) -> tuple:
    perfs = [(p.event_id, p.production_id, p.hall_id, p.start.isoformat(), p.status, p.fill)
             for p in sim.catalog.performances.values()]
    types = sorted(sim.catalog.ticket_types)
    event = sim.catalog.find("theatre")
    seats = bytes(sim.state.seats(event).status)
    return perfs, types, seats


def test_same_seed_same_data():
    a = SimulatorServer(seed=7, today=TODAY)
    b = SimulatorServer(seed=7, today=TODAY)
    c = SimulatorServer(seed=8, today=TODAY)
    assert _snapshot(a) == _snapshot(b)
    assert _snapshot(a) != _snapshot(c)
    perf = a.catalog.find("seated")
    assert a.state.seat_id(perf.event_id, 5) == b.state.seat_id(perf.event_id, 5)


def test_hall_sizes():
    cat = SimulatorServer(seed=1, today=TODAY).catalog
    by_name = {h.hall_id: h for h in cat.halls.values()}
    assert len(by_name) >= 5
    studio, theatre, concert, arena, ga = (by_name[i] for i in (2, 1, 3, 4, 5))
    assert studio.capacity == 120 and len(studio.layout().sections) == 1
    assert 850 <= theatre.capacity <= 950 and len(theatre.layout().sections) >= 3
    assert 1900 <= concert.capacity <= 2100
    assert any("Koorbalkon" in s.name for s in concert.layout().sections)
    assert arena.capacity == 20_000 and len(arena.layout().sections) >= 12
    assert ga.is_ga and ga.capacity == 300 and ga.layout() is None


def test_schedule_requirements():
    sim = SimulatorServer(seed=1, today=TODAY)
    cat = sim.catalog
    now = sim.now()
    perfs = list(cat.performances.values())
    future = [p for p in perfs if now < p.start <= now + timedelta(days=90)]
    assert len([p for p in cat.productions.values() if cat.performances_of(p.production_id)]) >= 12
    assert len(future) >= 40
    assert len([p for p in perfs if p.start < now]) >= 2
    for kind in ("seated", "ga", "soldout", "soldout_ga", "nosal", "past", "after_midnight",
                 "arena", "studio", "theatre", "concert", "empty"):
        cat.find(kind)
    assert all(p.start.tzinfo is AMSTERDAM for p in perfs)
    assert sim.state.free_seats(cat.find("soldout").event_id) == 0
    partly = sim.state.free_seats(cat.find("theatre").event_id)
    assert 0 < partly < cat.halls[1].capacity
    with pytest.raises(LookupError):
        cat.find("seated", nth=10_000)


def test_dates_follow_today():
    a = build_catalog(1, TODAY, SimulatorServer(seed=1, today=TODAY).now())
    b = build_catalog(1, TODAY + timedelta(days=3), SimulatorServer(seed=1, today=TODAY).now())
    pa, pb = a.performances[min(a.performances)], b.performances[min(b.performances)]
    assert pb.start.date() - pa.start.date() == timedelta(days=3)
