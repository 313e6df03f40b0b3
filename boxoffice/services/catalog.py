"""The event catalog a cashier browses: cache first, then the network, and still there offline.

Owns reading performances, ticket types, halls, seat plans and show images for one session.
:meth:`CatalogService.cached_events` answers synchronously from the offline cache (what the
shell paints at start-up); :meth:`CatalogService.refresh_events` fetches, saves and notifies.
Network failures are reported to :class:`~boxoffice.services.connectivity.Connectivity`; when it
announces the way back, the event list is refreshed automatically. Subscribers are plain
callables ``callback(CachedEvents)``. No Qt here.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import httpx

from boxoffice.api import errors
from boxoffice.api.models import Hall, SeatPlan, TicketType
from boxoffice.api.urls import host_is_loopback
from boxoffice.domain.clock import utc_now
from boxoffice.domain.seatplan import is_general_admission  # noqa: F401 (part of this API)
from boxoffice.services.connectivity import Connectivity
from boxoffice.services.listeners import Listeners
from boxoffice.store.cache import CachedEvents, OfflineCache

if TYPE_CHECKING:
    from boxoffice.api import VdmClient

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_IMAGE_BYTES = 5 * 1024 * 1024
DEFAULT_REFRESH_INTERVAL = 300.0  # the API asks clients to cache event lists for a few minutes


def _forget_task(tasks: set[asyncio.Task]) -> Callable[[asyncio.Task], None]:
    def done(task: asyncio.Task) -> None:
        tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: the callers that awaited it got it already

    return done


def image_url_allowed(url: str) -> bool:
    """Images are fetched over https, or plain http from this computer (the demo simulator)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    return bool(parts.hostname) and (
        scheme == "https" or (scheme == "http" and host_is_loopback(parts.hostname))
    )


class CatalogService:
    """Cache-first access to the catalog of one venue profile."""

    def __init__(
        self,
        client: VdmClient,
        cache: OfflineCache,
        connectivity: Connectivity,
        *,
        image_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client = client
        self.cache = cache
        self.connectivity = connectivity
        self._subscribers: Listeners[CachedEvents] = Listeners(log, "catalog")
        self._current: CachedEvents | None = None
        self._loaded_from_cache = False
        self._refresh_task: asyncio.Task[CachedEvents] | None = None
        self._tasks: set[asyncio.Task] = set()
        self._images_in_flight: dict[str, asyncio.Task[bytes | None]] = {}
        self._image_failures: set[str] = set()
        self._image_transport = image_transport
        self._image_http: httpx.AsyncClient | None = None
        self._closed = False
        self._unsubscribe = connectivity.subscribe(self._on_connectivity)

    # ------------------------------------------------------------------ events

    def subscribe(self, callback: Callable[[CachedEvents], None]) -> Callable[[], None]:
        """Call *callback(events)* after every successful refresh; returns an unsubscribe function."""
        return self._subscribers.add(callback)

    def cached_events(self) -> CachedEvents | None:
        """The newest event list known, without touching the network (None on a first start)."""
        if self._current is None and not self._loaded_from_cache:
            self._loaded_from_cache = True
            self._current = self.cache.load_events()
        return self._current

    async def refresh_events(self) -> CachedEvents:
        """Fetch the upcoming events, save them offline and notify subscribers.

        Concurrent callers share one request, which runs in its own task: cancelling one caller
        (e.g. the view that asked) does not cancel it for the others. Raises the client's error
        on failure (offline errors also switch :attr:`connectivity` to offline).
        """
        task = self._refresh_task
        if task is None or task.done():
            task = self._refresh_task = self._spawn(self._fetch_events())
        return await asyncio.shield(task)

    async def _fetch_events(self) -> CachedEvents:
        try:
            events = await self.client.public.events(upcoming=True)
        except errors.VdmError as exc:
            self.connectivity.report_failure(exc)
            raise
        self.connectivity.report_success()
        # (the client's list keeps ``skipped``: how many performances could not be read; the
        # event list says so, see EventBrowser.set_events)
        skipped = int(getattr(events, "skipped", 0) or 0)
        shown = events if isinstance(events, list) else list(events)
        fetched = CachedEvents(shown, utc_now(), skipped)
        self.cache.in_background(self.cache.save_events, list(fetched.events), fetched.fetched_at)
        self._current = fetched
        self._loaded_from_cache = True
        self._subscribers.publish(fetched)
        return fetched

    def _on_connectivity(self, online: bool) -> None:
        if online and not self._closed and (self._refresh_task is None or self._refresh_task.done()):
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # reported from outside the event loop: nothing to schedule
                return
            self._spawn(self._quiet_refresh())

    async def _quiet_refresh(self) -> None:
        try:
            await self.refresh_events()
        except errors.VdmError as exc:
            log.info("event refresh failed: %s", type(exc).__name__)

    def _spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(_forget_task(self._tasks))
        return task

    async def run(self, interval: float = DEFAULT_REFRESH_INTERVAL) -> None:
        """Refresh now, then every *interval* seconds while online, until cancelled."""
        while True:
            if self.connectivity.online is not False:
                await self._quiet_refresh()
            await asyncio.sleep(interval)

    # ------------------------------------------------------------------ cached reads

    async def _network_first(
        self,
        fetch: Callable[[], Awaitable[T]],
        save: Callable[[T], None],
        load: Callable[[], object],
    ) -> tuple[T, bool]:
        try:
            value = await fetch()
        except errors.VdmError as exc:
            offline = self.connectivity.report_failure(exc)
            cached = load() if offline else None
            if cached is not None:
                return cached.value, True  # type: ignore[attr-defined]
            raise
        self.connectivity.report_success()
        self.cache.in_background(save, value)   # saved off the event loop
        return value, False

    async def ticket_types(self, event_id: int) -> tuple[list[TicketType], bool]:
        """Ticket types of a performance: fresh when online, else the saved ones.

        Returns ``(ticket_types, from_cache)``; raises the client's error when offline with
        nothing saved (or on any other failure, such as an unknown performance).
        """
        return await self._network_first(
            lambda: self.client.public.ticket_types(event_id),
            lambda value: self.cache.save_ticket_types(event_id, value),
            lambda: self.cache.load_ticket_types(event_id),
        )

    async def halls(self) -> tuple[list[Hall], bool]:
        """The venue's halls (needs the API key): ``(halls, from_cache)``."""
        return await self._network_first(
            lambda: self.client.peppered.halls(),
            lambda value: self.cache.save_halls(value),
            lambda: self.cache.load_halls(),
        )

    async def seat_plan(self, event_id: int) -> tuple[SeatPlan, bool]:
        """A performance's seating plan (needs the API key): ``(plan, from_cache)``.

        A plan without seats means general admission (:func:`is_general_admission`), as a 404
        does (:meth:`seating_or_general_admission` folds both into one answer)."""
        return await self._network_first(
            lambda: self.client.peppered.seating(event_id),
            lambda value: self.cache.save_seat_plan(event_id, value),
            lambda: self.cache.load_seat_plan(event_id),
        )

    async def seating_or_general_admission(self, event_id: int) -> tuple[SeatPlan | None, bool]:
        """``(plan, from_cache)``, with ``plan`` None for a general-admission performance: the
        API has no seating plan for it (404) or one without any seat (no sections, or sections
        without seats). Other failures raise the client's error."""
        try:
            plan, from_cache = await self.seat_plan(event_id)
        except errors.NotFound:
            return None, False
        return (None if is_general_admission(plan) else plan), from_cache

    # ------------------------------------------------------------------ images

    async def image(self, url: str | None) -> bytes | None:
        """A show image: from the cache, else fetched once and saved. None when there is no
        usable image (bad address, not an image, too big, or unreachable)."""
        if not url:
            return None
        cached = self.cache.load_image(url)
        if cached is not None:
            return cached
        if url in self._image_failures or not image_url_allowed(url) or self._closed:
            return None
        task = self._images_in_flight.get(url)
        if task is None:
            task = self._images_in_flight[url] = self._spawn(self._fetch_image(url))
        return await asyncio.shield(task)

    async def _fetch_image(self, url: str) -> bytes | None:
        try:
            data = await self._download_image(url)
            if data is None:
                self._image_failures.add(url)
            else:
                self.cache.in_background(self.cache.save_image, url, data)
            return data
        finally:
            self._images_in_flight.pop(url, None)

    def _image_client(self) -> httpx.AsyncClient:
        if self._image_http is None:
            async def only_safe_urls(request: httpx.Request) -> None:
                if not image_url_allowed(str(request.url)):
                    raise httpx.UnsupportedProtocol(f"refused image URL scheme/host: {request.url.host}")

            self._image_http = httpx.AsyncClient(
                timeout=httpx.Timeout(10.0, connect=5.0),
                transport=self._image_transport,
                follow_redirects=True,
                max_redirects=3,
                trust_env=False,
                headers={"User-Agent": "vdm-boxoffice", "Accept": "image/*"},
                event_hooks={"request": [only_safe_urls]},
            )
        return self._image_http

    async def _download_image(self, url: str) -> bytes | None:
        try:
            async with self._image_client().stream("GET", url) as response:
                if response.status_code != 200:
                    log.info("image %s: HTTP %s", urlsplit(url).path, response.status_code)
                    return None
                ctype = response.headers.get("content-type", "")
                if not ctype.lower().startswith("image/"):
                    log.info("image %s: not an image (%s)", urlsplit(url).path, ctype)
                    return None
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > MAX_IMAGE_BYTES:
                    return None
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_IMAGE_BYTES:
                        return None
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.HTTPError as exc:
            log.info("image %s: %s", urlsplit(url).path, type(exc).__name__)
            return None

    # ------------------------------------------------------------------ shutdown

    async def aclose(self) -> None:
        """Stop background refreshes and close the image connection pool."""
        self._closed = True
        self._unsubscribe()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        if self._image_http is not None:
            await self._image_http.aclose()
            self._image_http = None
