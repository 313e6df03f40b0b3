"""Seats left per performance (issue 12) against the real simulator over loopback: with the key the
counts agree with the simulator's seats; without it nothing is counted; one odd or failing answer
keeps its last known count and never hides the others; the counts are saved for offline use."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import httpx
import pytest
import pytest_asyncio

from boxoffice.api.client import VdmClient
from boxoffice.api.retry import RetryPolicy
from boxoffice.api.secrets import ApiKey
from boxoffice.demo import behaviour as B
from boxoffice.domain.availability import Availability, Level, is_live
from boxoffice.services.availability import AvailabilityService, counted_performances
from boxoffice.services.catalog import CatalogService
from boxoffice.services.connectivity import Connectivity
from boxoffice.store.cache import OfflineCache

EVENT_PATH = "/v1/demo/peppered/event/"
SEATING_PATH = "/v1/demo/peppered/seating/"


class CountingTransport(httpx.AsyncBaseTransport):
    """A real loopback transport that remembers how many requests were in flight at most."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.in_flight = 0
        self.most = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            return response
        finally:
            self.in_flight -= 1

    async def aclose(self) -> None:
        await self.inner.aclose()


class Rig:
    def __init__(self, sim, tmp_path, *, key=True, timeout=3.0, transport=None, follow=False,
                 **service_kw):
        self.sim = sim
        self.client = VdmClient(sim.base_url, "demo", ApiKey(sim.api_key) if key else None,
                                timeout=timeout, retry=RetryPolicy.never(), transport=transport)
        self.cache = OfflineCache.open(tmp_path / "cache.sqlite3")
        self.connectivity = Connectivity(lambda: self.client.public.payment_methods(), (0.05,))
        self.catalog = CatalogService(self.client, self.cache, self.connectivity)
        # follow: rounds start by themselves with every list the catalog publishes (as in the
        # app); else only refresh() starts one, so a test can count the requests of one round
        self.service = AvailabilityService(self.client, self.cache,
                                           self.catalog if follow else None, **service_kw)

    async def events(self):
        return (await self.catalog.refresh_events()).events

    async def aclose(self):
        await self.service.aclose()
        await self.catalog.aclose()
        await self.client.aclose()
        self.cache.close()


@pytest_asyncio.fixture
async def rig(sim, tmp_path):
    made = []

    def make(**kw):
        made.append(Rig(sim, tmp_path, **kw))
        return made[-1]

    yield make
    for r in made:
        await r.aclose()


def free_seats(sim, event_id) -> int:
    return sim.state.free_seats(int(event_id))


def capacity(sim, event_id) -> int:
    return len(sim.state.seats(sim.catalog.performances[int(event_id)]).status)


def peppered_paths(sim, prefix=EVENT_PATH) -> list[str]:
    return [r.path for r in sim.requests() if r.path.startswith(prefix)]


async def take_seats(client, event_id, quantity) -> None:
    """A sale at another till: *quantity* tickets of *event_id* held in a public cart."""
    cart_id = await client.public.create_cart()
    types = await client.public.ticket_types(event_id)
    await client.public.add_tickets(cart_id, event_id, quantity, types[0].discount_id)


async def wait_for(condition, timeout=10.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_with_the_key_the_counts_agree_with_the_simulators_seats(sim, rig):
    transport = CountingTransport()
    r = rig(transport=transport)
    events = await r.events()
    sim.clear_requests()
    board = await r.service.refresh(events)

    wanted = counted_performances(events, r.service.clock())
    assert len(wanted) > 20
    assert set(board.counts) == set(wanted)
    for event_id, count in board.counts.items():
        assert count.left == free_seats(sim, event_id), event_id
        assert count.capacity == capacity(sim, event_id)
        assert is_live(count, board.checked_at)
    # one detail per counted performance, nothing else, never more than four at a time
    assert sorted(peppered_paths(sim)) == sorted(f"{EVENT_PATH}{i}" for i in wanted)
    assert len(sim.requests()) == len(wanted)
    assert 1 < transport.most <= 4
    # the simulator's sold-out performance reads as sold out, a nearly full one as few left
    sold_out = sim.catalog.find("soldout")
    assert board.counts[sold_out.event_id].level is Level.SOLD_OUT


@pytest.mark.asyncio
async def test_only_upcoming_performances_on_sale_are_read_soonest_first_up_to_the_cap(sim, rig):
    r = rig(limit=5)
    events = await r.events()
    sim.clear_requests()
    board = await r.service.refresh(events)
    assert len(board.counts) == 5
    now = r.service.clock()
    upcoming = sorted((p for p in sim.catalog.performances.values()
                       if p.start > now and p.status == "pub"), key=lambda p: p.start)
    assert list(board.counts) == [p.event_id for p in upcoming[:5]]
    assert len(peppered_paths(sim)) == 5
    past, nosal = sim.catalog.find("past"), sim.catalog.find("nosal")
    all_ids = counted_performances(events, now, limit=1000)
    assert past.event_id not in all_ids and nosal.event_id not in all_ids


@pytest.mark.asyncio
async def test_without_the_key_nothing_is_counted_and_nothing_peppered_is_asked(sim, rig):
    r = rig(key=False)
    events = await r.events()
    sim.clear_requests()
    board = await r.service.refresh(events)
    assert board.counts == {} and board.checked_at is None
    assert r.service.current().counts == {}
    assert [q for q in sim.requests() if "/peppered/" in q.path] == []
    # an earlier keyed session's saved counts are never shown without the key
    r.cache.save_availability({events[0].sub_events[0].event_id: Availability(7, 100)})
    assert r.service.current().counts == {}


@pytest.mark.asyncio
async def test_a_new_event_list_from_the_catalog_reads_the_counts_again(sim, rig):
    r = rig(follow=True)
    seen = []
    r.service.subscribe(seen.append)
    await r.events()                          # the catalog publishes: a round starts by itself
    await wait_for(lambda: seen and seen[-1].counts)
    perf = sim.catalog.find("seated")
    before = seen[-1].counts[perf.event_id].left
    await take_seats(r.client, perf.event_id, 2)
    count = len(seen)
    await r.catalog.refresh_events()          # F5 / the periodic refresh
    await wait_for(lambda: len(seen) > count)
    assert seen[-1].counts[perf.event_id].left == before - 2 == free_seats(sim, perf.event_id)


@pytest.mark.asyncio
async def test_one_malformed_answer_keeps_its_last_known_count_and_hides_no_other(sim, rig):
    r = rig()
    events = await r.events()
    a, b = sim.catalog.find("seated"), sim.catalog.find("seated", nth=1)
    sim.faults.inject("malformed", method="GET", path=f"{EVENT_PATH}{a.event_id}")
    first = await r.service.refresh(events)
    assert a.event_id not in first.counts                  # never read: not counted
    assert first.counts[b.event_id].left == free_seats(sim, b.event_id)
    assert len(first.counts) == len(counted_performances(events, r.service.clock())) - 1

    second = await r.service.refresh(events)
    assert second.counts[a.event_id].left == free_seats(sim, a.event_id)
    known = second.counts[a.event_id]
    await take_seats(r.client, a.event_id, 3)
    await take_seats(r.client, b.event_id, 1)
    sim.faults.inject("malformed", method="GET", path=f"{EVENT_PATH}{a.event_id}")
    third = await r.service.refresh(events)
    assert third.counts[a.event_id] == known               # last known, as of its own read
    assert not is_live(third.counts[a.event_id], third.checked_at)
    assert third.counts[b.event_id].left == free_seats(sim, b.event_id)
    assert is_live(third.counts[b.event_id], third.checked_at)


@pytest.mark.asyncio
async def test_a_5xx_or_a_timeout_keeps_the_last_known_count(sim, rig):
    r = rig(timeout=0.5)
    sim.faults.set(timeout_seconds=2.0)
    events = await r.events()
    first = await r.service.refresh(events)
    a, b, c = (sim.catalog.find("seated", nth=n) for n in range(3))
    for perf in (a, b, c):
        await take_seats(r.client, perf.event_id, 2)
    sim.faults.inject("5xx", method="GET", path=f"{EVENT_PATH}{a.event_id}")
    sim.faults.inject("timeout", method="GET", path=f"{EVENT_PATH}{b.event_id}")
    second = await r.service.refresh(events)
    for perf in (a, b):
        assert second.counts[perf.event_id] == first.counts[perf.event_id]
        assert not is_live(second.counts[perf.event_id], second.checked_at)
    assert second.counts[c.event_id].left == first.counts[c.event_id].left - 2
    assert is_live(second.counts[c.event_id], second.checked_at)
    assert r.connectivity.online is True      # one failing count never switches to offline


@pytest.mark.asyncio
async def test_a_server_without_counts_in_the_detail_is_read_from_the_seating_plans(
        sim, rig, monkeypatch):
    monkeypatch.setattr(B, "EVENT_AVAILABILITY", "not_loaded")
    r = rig()
    events = await r.events()
    sim.clear_requests()
    board = await r.service.refresh(events)
    seated = sim.catalog.find("seated")
    ga = sim.catalog.find("ga")
    assert board.counts[seated.event_id].left == free_seats(sim, seated.event_id)
    assert board.counts[seated.event_id].capacity == capacity(sim, seated.event_id)
    assert ga.event_id not in board.counts        # no plan, no count: the per-order text shows
    # learnt from the first detail: plans only (the details already in flight aside)
    assert 1 <= len(peppered_paths(sim)) <= 4
    assert len(peppered_paths(sim, SEATING_PATH)) == len(
        counted_performances(events, r.service.clock()))


@pytest.mark.asyncio
async def test_a_sale_made_here_reads_its_performance_again(sim, rig):
    r = rig()
    seen = []
    r.service.subscribe(seen.append)
    board = await r.service.refresh(await r.events())
    perf = sim.catalog.find("seated")
    await take_seats(r.client, perf.event_id, 4)
    sim.clear_requests()
    r.service.sold([perf.event_id, str(perf.event_id), "unknown"])
    await wait_for(lambda: seen and seen[-1].counts[perf.event_id].left
                   == board.counts[perf.event_id].left - 4)
    assert peppered_paths(sim) == [f"{EVENT_PATH}{perf.event_id}"]
    assert is_live(seen[-1].counts[perf.event_id], seen[-1].checked_at)


@pytest.mark.asyncio
async def test_the_counts_are_saved_and_shown_offline_as_not_live(sim, rig, tmp_path):
    r = rig()
    board = await r.service.refresh(await r.events())
    await r.aclose()
    base_url = sim.base_url
    sim.stop()

    client = VdmClient(base_url, "demo", ApiKey("k"), timeout=1.0, retry=RetryPolicy.never())
    cache = OfflineCache.open(tmp_path / "cache.sqlite3")
    service = AvailabilityService(client, cache)
    try:
        saved = service.current()
        assert saved.counts == board.counts                # the same counts, each with its as_of
        assert saved.checked_at is None
        assert not any(is_live(c, saved.checked_at) for c in saved.counts.values())
        assert all(isinstance(c.as_of, datetime) and c.as_of.tzinfo is not None
                   for c in saved.counts.values())
    finally:
        await service.aclose()
        await client.aclose()
        cache.close()


def test_is_live_only_for_counts_of_the_latest_round():
    t0 = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
    t1 = datetime(2026, 12, 5, 12, 5, tzinfo=timezone.utc)
    count = Availability(12, 120).read_at(t0)
    assert is_live(count, t0) and not is_live(count, t1) and not is_live(count, None)
    assert not is_live(Availability(12, 120), t0)
    assert Availability.from_json(count.to_json()) == count
