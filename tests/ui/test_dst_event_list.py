"""The event list on the nights the clocks change, against the simulator's "Klokkennacht":
02:30 on 2026-10-25 (comes twice: the first, summer time), 02:30 and 03:00 on 2027-03-28 (02:30
never comes: it is 03:30, AFTER the 03:00 show). Shown in venue time and in the right order,
fresh from the API, from the offline cache's full list and from its saved rows alike, on a
computer in any zone (tests/timezone runs this file under New York and Tokyo time too)."""
from __future__ import annotations

import asyncio
import datetime as dt
import threading

import pytest

from boxoffice.demo import SimulatorServer
from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.store.cache import OfflineCache
from boxoffice.ui.events.browser import EventBrowser
from boxoffice.ui.events.filter import DateFilter
from tests.support.salekit import make_client

NOW = dt.datetime(2026, 10, 20, 12, 0, tzinfo=VENUE_ZONE)
SHOW = "Klokkennacht"
#: (date, weekday, time) as the cashier reads them, in start order
EXPECTED = [("25 Oct 2026", "Sunday", "02:30"), ("28 Mar 2027", "Sunday", "03:00"),
            ("28 Mar 2027", "Sunday", "03:30")]


def _fetch_events():
    """The public event list from a simulator whose today is NOW (its own loop, in a thread:
    the Qt tests' loop is left alone)."""
    out: dict = {}

    def run() -> None:
        async def fetch():
            client = make_client(sim)
            try:
                return await client.public.events()
            finally:
                await client.aclose()
        out["events"] = asyncio.run(fetch())

    with SimulatorServer(seed=1, today=NOW.date()) as sim:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join(30)
        gap, twice = sim.catalog.find("dst_gap"), sim.catalog.find("dst_twice")
        ids = [twice.event_id, next(p.event_id for p in sim.catalog.performances.values()
                                    if p.entered is not None and p.entered.hour == 3),
               gap.event_id]
    return out["events"], ids


@pytest.fixture(scope="module")
def fetched():
    return _fetch_events()


def _cached_full(events):
    cache = OfflineCache.in_memory()
    cache.save_events(list(events))
    return cache.load_events().events


def _cached_rows(events):
    cache = OfflineCache.in_memory()
    cache.save_events(list(events))
    return cache.load_listed_events().events


@pytest.mark.parametrize("source", ["fresh", "cached", "cached rows"])
def test_the_change_nights_are_shown_in_venue_time_and_in_order(qtbot, fetched, source):
    events, ids = fetched
    events = {"fresh": list, "cached": _cached_full, "cached rows": _cached_rows}[source](events)
    browser = EventBrowser(clock=lambda: NOW)
    qtbot.addWidget(browser)
    browser.set_events(events)
    browser.set_filter(DateFilter.ALL)
    browser.flush()
    show = next(browser.proxy.index(r, 0) for r in range(browser.proxy.rowCount())
                if browser.proxy.index(r, 0).data().startswith(SHOW + " "))
    rows = [tuple(browser.proxy.index(c, col, show).data() for col in range(3))
            for c in range(browser.proxy.rowCount(show))]
    assert rows == EXPECTED
    shown = [p.event_id for p in browser.visible_performances() if p.event_id in ids]
    assert shown == ids
