"""The event catalog against a real simulator: cache first, refresh, offline, and back online."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from boxoffice.api import errors
from boxoffice.api.client import VdmClient
from boxoffice.api.models import MainEvent
from boxoffice.api.retry import RetryPolicy
from boxoffice.api.secrets import ApiKey
from boxoffice.demo import SimulatorServer
from boxoffice.services.catalog import CatalogService, image_url_allowed
from boxoffice.services.connectivity import Connectivity
from boxoffice.store.cache import OfflineCache

OLD = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
OLD_SHOW = MainEvent.model_validate({
    "event_id": 1, "event_name": "Yesterday's list", "sub_events": [{
        "event_id": 2, "event_main_id": 1, "event_name": "Old", "event_date": "2030-01-01",
        "event_time": "20:00:00", "event_end": "22:00:00", "event_view_end": "0000-00-00 00:00:00",
        "event_free": 5, "event_status": "pub"}],
})


def make(sim_or_url, tmp_path, key=None, backoff=(0.02, 0.05)):
    root = sim_or_url if isinstance(sim_or_url, str) else sim_or_url.base_url
    client = VdmClient(root, "demo", ApiKey(key) if key else None, timeout=3.0,
                       retry=RetryPolicy.never())
    cache = OfflineCache.open(tmp_path / "cache.sqlite3")
    connectivity = Connectivity(lambda: client.public.payment_methods(), backoff)
    return client, cache, connectivity, CatalogService(client, cache, connectivity)


async def wait_for(condition, timeout=5.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_cached_list_first_then_the_fresh_one(sim, tmp_path):
    client, cache, connectivity, catalog = make(sim, tmp_path)
    cache.save_events([OLD_SHOW], OLD)
    sim.clear_requests()
    received = []
    catalog.subscribe(received.append)
    try:
        first = catalog.cached_events()
        assert first.events == [OLD_SHOW] and first.fetched_at == OLD
        assert sim.requests() == []  # painted without touching the network

        fresh = await catalog.refresh_events()
        assert len(fresh.events) > 5 and fresh.events != [OLD_SHOW]
        assert fresh.fetched_at > OLD
        assert received == [fresh]
        assert catalog.cached_events() is fresh
        assert connectivity.online is True
        assert [r.path for r in sim.requests()] == ["/v1/demo/events/upcoming"]
        # a restart would paint the fresh list from the cache
        assert cache.load_events().events == fresh.events
    finally:
        await catalog.aclose()
        await client.aclose()
        cache.close()


@pytest.mark.asyncio
async def test_concurrent_refreshes_share_one_request(sim, tmp_path):
    client, cache, _connectivity, catalog = make(sim, tmp_path)
    sim.clear_requests()
    try:
        a, b, c = await asyncio.gather(*(catalog.refresh_events() for _ in range(3)))
        assert a is b is c
        assert len(sim.requests()) == 1
    finally:
        await catalog.aclose()
        await client.aclose()
        cache.close()


@pytest.mark.asyncio
async def test_stopped_server_means_offline_with_the_saved_data(tmp_path):
    sim = SimulatorServer(seed=1).start()
    client, cache, connectivity, catalog = make(sim, tmp_path)
    try:
        events = (await catalog.refresh_events()).events
        performance = next(s for e in events for s in e.sub_events if s.event_free > 0)
        types, from_cache = await catalog.ticket_types(performance.event_id)
        assert types and from_cache is False

        sim.stop()
        with pytest.raises(errors.TransportError):
            await catalog.refresh_events()
        assert connectivity.online is False
        assert catalog.cached_events().events == events  # still browsable
        offline_types, from_cache = await catalog.ticket_types(performance.event_id)
        assert offline_types == types and from_cache is True
        other = next(s for e in events for s in e.sub_events if s.event_id != performance.event_id)
        with pytest.raises(errors.TransportError):  # never fetched: nothing to show
            await catalog.ticket_types(other.event_id)
    finally:
        sim.stop()
        await catalog.aclose()
        await client.aclose()
        cache.close()


@pytest.mark.asyncio
async def test_back_online_after_server_errors_refreshes_by_itself(sim, tmp_path):
    client, cache, connectivity, catalog = make(sim, tmp_path)
    received = []
    catalog.subscribe(received.append)
    probing = asyncio.create_task(connectivity.run())
    try:
        sim.faults.set(error_rate=1.0)  # every API request answers 500
        with pytest.raises(errors.ServerError):
            await catalog.refresh_events()
        assert connectivity.online is False and received == []
        await asyncio.sleep(0.1)  # a few failed probes
        assert connectivity.attempts >= 1
        sim.faults.clear()
        await wait_for(lambda: received)
        assert connectivity.online is True
        assert len(received[0].events) > 5
    finally:
        probing.cancel()
        await asyncio.gather(probing, return_exceptions=True)
        await catalog.aclose()
        await client.aclose()
        cache.close()


@pytest.mark.asyncio
async def test_server_restarted_on_the_same_port_is_noticed(tmp_path):
    first = SimulatorServer(seed=1).start()
    port, key = first.port, first.api_key
    client, cache, connectivity, catalog = make(first, tmp_path)
    received = []
    catalog.subscribe(received.append)
    probing = asyncio.create_task(connectivity.run())
    second = None
    try:
        await catalog.refresh_events()
        first.stop()
        with pytest.raises(errors.TransportError):
            await catalog.refresh_events()
        assert connectivity.online is False
        second = SimulatorServer(seed=1, port=port, api_key=key).start()
        await wait_for(lambda: len(received) == 2)
        assert connectivity.online is True
    finally:
        first.stop()
        if second is not None:
            second.stop()
        probing.cancel()
        await asyncio.gather(probing, return_exceptions=True)
        await catalog.aclose()
        await client.aclose()
        cache.close()


@pytest.mark.asyncio
async def test_images_are_fetched_once_and_kept(sim, tmp_path, image_server):
    client, cache, _connectivity, catalog = make(sim, tmp_path)
    url = f"{image_server.url}/img/hamlet.png"
    try:
        first, second = await asyncio.gather(catalog.image(url), catalog.image(url))
        assert first == second and first.startswith(b"\x89PNG")
        assert await catalog.image(url) == first
        assert image_server.hits == ["/img/hamlet.png"]
        assert cache.load_image(url) == first

        assert await catalog.image(f"{image_server.url}/page.html") is None  # not an image
        assert await catalog.image(f"{image_server.url}/missing.png") is None
        assert await catalog.image(f"{image_server.url}/missing.png") is None  # not retried
        assert image_server.hits.count("/missing.png") == 1
        assert await catalog.image(None) is None
    finally:
        await catalog.aclose()
        await client.aclose()
        cache.close()


def test_only_https_or_loopback_images():
    assert image_url_allowed("https://cdn.example.nl/a.jpg")
    assert image_url_allowed("http://127.0.0.1:9999/a.jpg")
    assert not image_url_allowed("http://cdn.example.nl/a.jpg")
    assert not image_url_allowed("file:///etc/passwd")
    assert not image_url_allowed("ftp://cdn.example.nl/a.jpg")


@pytest.mark.asyncio
async def test_statuses_of_the_simulators_performances(sim, tmp_path):
    """The status rules agree with what the simulator serves for each kind of performance."""
    from boxoffice.domain.performance import PerformanceStatus, performance_status

    client, cache, _connectivity, catalog = make(sim, tmp_path)
    try:
        all_events = await client.public.events(upcoming=False)
        by_id = {s.event_id: s for e in all_events for s in e.sub_events}
        now = sim.now()
        expected = {
            "seated": PerformanceStatus.ON_SALE,
            "ga": PerformanceStatus.ON_SALE,
            "soldout": PerformanceStatus.SOLD_OUT,
            "nosal": PerformanceStatus.NOT_ON_SALE,
            "past": PerformanceStatus.PAST,
        }
        for kind, status in expected.items():
            performance = by_id[sim.catalog.find(kind).event_id]
            assert performance_status(performance, now) is status, kind
    finally:
        await catalog.aclose()
        await client.aclose()
        cache.close()


@pytest.mark.asyncio
async def test_a_cancelled_caller_does_not_cancel_the_shared_refresh(sim, tmp_path):
    client, cache, _connectivity, catalog = make(sim, tmp_path)
    sim.faults.set(latency_ms=200)
    try:
        impatient = asyncio.create_task(catalog.refresh_events())
        patient = asyncio.create_task(catalog.refresh_events())
        await asyncio.sleep(0.05)
        impatient.cancel()
        result = await patient
        assert result.events and impatient.cancelled()
        assert cache.load_events() is not None
    finally:
        sim.faults.clear()
        await catalog.aclose()
        await client.aclose()
        cache.close()


@pytest.mark.asyncio
async def test_the_offline_copy_is_saved_off_the_event_loop_and_read_back_at_once(sim, tmp_path):
    """Encoding and writing a seating plan (a megabyte of JSON for 100,000 seats) froze the
    window when done on the event loop (issue 13): the saves run on the cache's writer thread;
    a read asked right after still finds what was fetched."""
    import threading

    client, cache, _connectivity, catalog = make(sim, tmp_path, key=sim.api_key)
    loop_thread = threading.get_ident()
    writes: list[tuple[int, str]] = []

    def trace(statement: str) -> None:   # called on the thread that runs the statement
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append((threading.get_ident(), statement.split("(")[0]))

    cache._db.set_trace_callback(trace)
    try:
        events = (await catalog.refresh_events()).events
        perf = sim.catalog.find("seated")
        plan, from_cache = await catalog.seat_plan(perf.event_id)
        types, _ = await catalog.ticket_types(perf.event_id)
        assert from_cache is False
        # read back at once (a direct read waits for the saves asked before it)
        assert cache.load_events().events == events
        assert cache.load_seat_plan(perf.event_id).value == plan
        assert cache.load_ticket_types(perf.event_id).value == types
        assert len(writes) >= 3
        assert [sql for ident, sql in writes if ident == loop_thread] == []
    finally:
        cache._db.set_trace_callback(None)
        await catalog.aclose()
        await client.aclose()
        cache.close()
