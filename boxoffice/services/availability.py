"""Seats left per performance, for the event list at a glance (issue 12). No Qt here.

Owns reading the peppered counts of the listed performances, keeping the last known ones and
saving them offline. Only with the API key: without it the service knows nothing and says so
(an empty :class:`AvailabilityBoard`; the list then shows the public ``event_free`` as "max N per
order", never a count).

A *round* reads the upcoming performances of an event list (on sale or sold out, soonest
first, at most :data:`MAX_PERFORMANCES`), at most :data:`MAX_CONCURRENT` requests at a time:
``GET /peppered/event/{id}`` (its ``availability``, where it carries counts), else the seating
plan's ``available`` (``boxoffice.domain.availability``). Each performance is read on its own: an
odd answer, a 5xx or a timeout leaves that one at its last known count (with its older
``as_of``) and never hides the others. A refused key ends the round (nothing more is asked).

Rounds follow the catalog: every event list it publishes (the periodic refresh, F5, the way back
online) starts one; lists that arrive during a round are folded into one more round after it.
:meth:`AvailabilityService.sold` reads again the performances of a sale just made. Subscribers
get the whole board after every change. A round never reports to the connectivity state: a
count is extra information, and one failing read must not switch the counter to offline.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from boxoffice.api import errors
from boxoffice.domain.availability import Availability, from_event_availability, from_seat_plan
from boxoffice.domain.clock import utc_now
from boxoffice.domain.performance import PerformanceStatus, opaque_id, performance_rows
from boxoffice.services.listeners import Listeners
from boxoffice.services.tasks import await_ended

if TYPE_CHECKING:
    from boxoffice.api import VdmClient
    from boxoffice.services.catalog import CatalogService
    from boxoffice.store.cache import CachedEvents, OfflineCache

log = logging.getLogger(__name__)

#: requests in flight at once during a round
MAX_CONCURRENT = 4
#: performances read per round (the soonest ones); later ones show the per-order maximum
MAX_PERFORMANCES = 60
_COUNTED = (PerformanceStatus.ON_SALE, PerformanceStatus.SOLD_OUT)

EventId = int | str


@dataclass(frozen=True)
class AvailabilityBoard:
    """What the service knows: event id -> :class:`Availability` (each with its ``as_of``).

    ``checked_at``: when the latest round of this session began; a count read before it is not
    live (``domain.availability.is_live``). None while only the saved copy is known."""

    counts: Mapping[EventId, Availability] = field(default_factory=dict)
    checked_at: datetime | None = None


EMPTY = AvailabilityBoard()


def counted_performances(events: Iterable[Any], now: datetime,
                         limit: int = MAX_PERFORMANCES) -> list[EventId]:
    """The ids a round reads: upcoming performances on sale or sold out, soonest first."""
    ids: list[EventId] = []
    for row in performance_rows(events, now):
        if row.status not in _COUNTED:
            continue
        try:
            event_id = opaque_id(row.event_id)
        except ValueError:
            continue
        if event_id not in ids:
            ids.append(event_id)
        if len(ids) >= limit:
            break
    return ids


class AvailabilityService:
    """Peppered counts of the listed performances, kept, saved and published."""

    def __init__(self, client: VdmClient, cache: OfflineCache,
                 catalog: CatalogService | None = None, *,
                 clock: Callable[[], datetime] = utc_now,
                 concurrency: int = MAX_CONCURRENT, limit: int = MAX_PERFORMANCES) -> None:
        if concurrency < 1 or limit < 0:
            raise ValueError("concurrency must be at least 1 and limit not negative")
        self.client = client
        self.cache = cache
        self.clock = clock
        self.concurrency = concurrency
        self.limit = limit
        self._counts: dict[EventId, Availability] = {}
        self._checked_at: datetime | None = None
        self._loaded = False
        self._subscribers: Listeners[AvailabilityBoard] = Listeners(log, "availability")
        self._wanted: list[Any] | None = None       # the newest list not yet read
        self._runner: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task] = set()
        #: False once a performance's detail came without counts: the plan is read first then
        self._details_count = True
        self._closed = False
        self._unsubscribe = catalog.subscribe(self._events_listed) if catalog is not None \
            else (lambda: None)

    # ------------------------------------------------------------------ reading the board

    @property
    def keyed(self) -> bool:
        return bool(self.client.has_api_key)

    def current(self) -> AvailabilityBoard:
        """The board now, without the network: on first use the saved counts (none live)."""
        if not self.keyed:
            return EMPTY
        if not self._loaded:
            self._loaded = True
            saved = self.cache.load_availability()
            if saved is not None and not self._counts:
                self._counts = dict(saved.value)
        return AvailabilityBoard(dict(self._counts), self._checked_at)

    def subscribe(self, callback: Callable[[AvailabilityBoard], None]) -> Callable[[], None]:
        """Call *callback(board)* after every round and every read after a sale."""
        return self._subscribers.add(callback)

    def _publish(self) -> AvailabilityBoard:
        board = self.current()
        self._subscribers.publish(board)
        return board

    # ------------------------------------------------------------------ rounds

    async def refresh(self, events: Iterable[Any]) -> AvailabilityBoard:
        """Read the counts of *events*' performances (shared with a round under way: the newest
        list is read once more after it) and return the board."""
        self._want(events)
        runner = self._runner
        if runner is not None:
            await asyncio.shield(runner)
        return self.current()

    def _events_listed(self, cached: CachedEvents) -> None:
        if self._closed:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:   # published outside the event loop: nothing to schedule
            return
        self._want(cached.events)

    def _want(self, events: Iterable[Any]) -> None:
        self._wanted = list(events)
        if self._closed:
            return
        if self._runner is None or self._runner.done():
            self._runner = self._spawn(self._run())

    async def _run(self) -> None:
        while self._wanted is not None and not self._closed:
            events, self._wanted = self._wanted, None
            await self._round(events)

    async def _round(self, events: list[Any]) -> None:
        if not self.keyed:   # keyless (or the key was refused): nothing to count
            if self._counts or self._checked_at is not None:
                self._counts, self._checked_at = {}, None
            self._publish()
            return
        self.current()       # the saved counts are the last known ones
        started = self.clock()
        ids = counted_performances(events, started, self.limit)
        fresh = await self._read_all(ids)
        kept = {i: fresh.get(i) or self._counts[i] for i in ids
                if i in fresh or i in self._counts}   # soonest first, as read
        self._counts, self._checked_at = kept, started
        self.cache.in_background(self.cache.save_availability, dict(kept), started)
        failed = len(ids) - len(fresh)
        if failed:
            log.info("seats left: %d of %d performances not read (last known kept)",
                     failed, len(ids))
        self._publish()

    async def _read_all(self, ids: list[EventId]) -> dict[EventId, Availability]:
        gate = asyncio.Semaphore(self.concurrency)
        refused = False
        fresh: dict[EventId, Availability] = {}

        async def one(event_id: EventId) -> None:
            nonlocal refused
            async with gate:
                if refused or self._closed:
                    return
                try:
                    count = await self._read(event_id)
                except errors.AuthError:
                    refused = True
                    log.warning("seats left: the API key was refused; counts not read")
                    return
                except errors.VdmError as exc:
                    log.info("seats left of %s not read: %s", event_id, type(exc).__name__)
                    return
                except Exception:   # an answer the readers did not foresee: this one only
                    log.exception("seats left of %s not read", event_id)
                    return
                if count is not None:
                    fresh[event_id] = count.read_at(self.clock())

        await asyncio.gather(*(one(i) for i in ids))
        return fresh

    async def _read(self, event_id: EventId) -> Availability | None:
        """One performance's count: its detail's ``availability``, else its seating plan's."""
        peppered = self.client.peppered
        if self._details_count:
            detail = await peppered.event(event_id)
            count = from_event_availability(detail.availability)
            if count is not None:
                return count
            self._details_count = False   # this server's details carry none: plans first
            log.info("seats left: the performance detail has no counts; reading seating plans")
        try:
            plan = await peppered.seating(event_id)
        except errors.NotFound:           # general admission without a plan: no count known
            return None
        return from_seat_plan(plan.available, (seat for _, _, seat in plan.seats()))

    # ------------------------------------------------------------------ after a sale

    def sold(self, event_ids: Iterable[Any]) -> None:
        """A sale of these performances was made here: read their counts again (in the
        background; only those already on the board)."""
        if self._closed or not self.keyed:
            return
        wanted = []
        for value in event_ids:
            try:
                event_id = opaque_id(value)
            except ValueError:
                continue
            if event_id in self._counts and event_id not in wanted:
                wanted.append(event_id)
        if wanted:
            self._spawn(self._read_again(wanted))

    async def _read_again(self, ids: list[EventId]) -> None:
        fresh = await self._read_all(ids)
        if not fresh or self._closed:
            return
        self._counts.update({i: c for i, c in fresh.items() if i in self._counts})
        self.cache.in_background(self.cache.save_availability, dict(self._counts),
                                 self._checked_at or self.clock())
        self._publish()

    # ------------------------------------------------------------------ tasks

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._ended)
        return task

    def _ended(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("seats left: a read ended with an error", exc_info=task.exception())

    async def aclose(self) -> None:
        """Stop reading (rounds under way are cancelled and awaited)."""
        self._closed = True
        self._unsubscribe()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await await_ended(tasks)
