"""One open venue: a profile turned into live objects (client, cache, connectivity, catalog,
seats left per performance).

Owns building and tearing down everything a profile needs. For the demo profile an embedded
simulator is started on loopback (seeded, paying orders automatically after a few seconds) and
the client points at it with the simulator's key. For a live profile the key is read from the
keychain; without a key, or without a keychain, the session is public-only: selling works but
there are no seat maps, and :attr:`BoxOfficeSession.public_only_reason` says why (translated).
:meth:`BoxOfficeSession.aclose` cancels the background loops, closes the client and the cache
and stops the simulator, in that order.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from boxoffice.api.client import VdmClient
from boxoffice.api.retry import RetryPolicy
from boxoffice.api.secrets import ApiKey
from boxoffice.config import AppPaths, Profile
from boxoffice.credentials import CredentialStore, KeyringUnavailable
from boxoffice.i18n import _
from boxoffice.services.availability import AvailabilityService
from boxoffice.services.catalog import DEFAULT_REFRESH_INTERVAL, CatalogService
from boxoffice.services.connectivity import DEFAULT_BACKOFF, Connectivity
from boxoffice.services.tasks import await_ended
from boxoffice.store.cache import OfflineCache, cache_path

log = logging.getLogger(__name__)

DEMO_SEED = 1
DEMO_AUTO_PAY_AFTER = 5.0


class DemoServer(Protocol):
    """What the session needs of :class:`boxoffice.demo.SimulatorServer`."""

    @property
    def base_url(self) -> str: ...
    client_name: str
    api_key: str

    def start(self) -> Any: ...
    def stop(self) -> Any: ...


DemoServerFactory = Callable[[], DemoServer]


def _start_demo(simulator: Any) -> None:
    """Start the built-in simulator and build its seeded online orders (worker thread), so the
    first sale is not the one that waits for them."""
    simulator.start()
    prepare = getattr(simulator, "prepare_orders", None)
    if prepare is not None:
        prepare()


def default_demo_server() -> DemoServer:
    """The built-in simulator for the demo profile (imported only when the demo is used)."""
    from boxoffice.demo import SimulatorServer

    return SimulatorServer(seed=DEMO_SEED, client_name="demo", auto_pay_after=DEMO_AUTO_PAY_AFTER)


@dataclass
class SessionOptions:
    """Knobs for tests and tuning; the defaults suit the desktop app."""

    timeout: float = 10.0
    retry: RetryPolicy | None = None
    backoff: tuple[float, ...] = DEFAULT_BACKOFF
    refresh_interval: float = DEFAULT_REFRESH_INTERVAL
    start_background: bool = True
    client_kwargs: dict[str, Any] = field(default_factory=dict)


class BoxOfficeSession:
    """The live objects of one profile. Create with ``await BoxOfficeSession.open(...)``."""

    def __init__(
        self,
        profile: Profile,
        client: VdmClient,
        cache: OfflineCache,
        connectivity: Connectivity,
        catalog: CatalogService,
        *,
        has_seat_maps: bool,
        public_only_reason: str | None,
        simulator: DemoServer | None,
        api_key: ApiKey | None = None,
        availability: AvailabilityService | None = None,
    ) -> None:
        self.profile = profile
        self.client = client
        self.cache = cache
        self.connectivity = connectivity
        self.catalog = catalog
        #: seats left per performance (peppered counts; empty without the key), read with every
        #: event list the catalog publishes
        self.availability = availability or AvailabilityService(client, cache, catalog)
        #: True when an API key is available (peppered calls: seat maps, halls, box-office cart)
        self.has_seat_maps = has_seat_maps
        #: translated explanation when the session is public-only, else None
        self.public_only_reason = public_only_reason
        self.simulator = simulator
        self._api_key = api_key
        self._tasks: list[asyncio.Task] = []
        self._closed = False

    def key_refused(self) -> bool:
        """VoordeMensen refused the venue's API key (401/403 on a peppered read): go on
        public-only for the rest of this session, so every performance stays sellable by number
        (public cart) instead of failing on each peppered call. True when this changed anything."""
        if not self.has_seat_maps and not self.client.has_api_key:
            return False
        from boxoffice.services.messages import key_refused_for_seat_maps

        log.warning("VoordeMensen refused the API key: the session goes on public-only")
        self.has_seat_maps = False
        self.public_only_reason = key_refused_for_seat_maps()
        self.client.forget_api_key()
        return True

    def cart_route_missing(self) -> bool:
        """The venue's API does not offer the box-office (peppered) cart route (a 404 on it while
        the cart itself exists): seats cannot be chosen on a map, so the session goes on selling
        by number (public cart) for the rest of the session, with its own note. Unlike a refused
        key, the key is kept: its reads still work (the order export decides a lost order). True
        when this changed anything."""
        if not self.has_seat_maps:
            return False
        from boxoffice.services.messages import cart_route_missing_for_seat_maps

        log.warning("the venue's API has no box-office cart route: the session sells by number")
        self.has_seat_maps = False
        self.public_only_reason = cart_route_missing_for_seat_maps()
        return True

    # ------------------------------------------------------------------ opening

    @classmethod
    async def open(
        cls,
        profile: Profile,
        paths: AppPaths,
        credentials: CredentialStore,
        demo_server_factory: DemoServerFactory | None = None,
        options: SessionOptions | None = None,
    ) -> BoxOfficeSession:
        """Build the session for *profile* and start its background loops.

        Opening never needs the network: a live venue that cannot be reached opens offline
        with its cached events. Raises only for programming errors or a simulator that will
        not start.
        """
        options = options or SessionOptions()
        cache = OfflineCache.open(cache_path(profile.data_dir(paths)))
        simulator: DemoServer | None = None
        key: ApiKey | None = None
        reason: str | None = None
        try:
            if profile.demo:
                simulator = (demo_server_factory or default_demo_server)()
                await asyncio.to_thread(_start_demo, simulator)
                api_root, client_name = simulator.base_url, simulator.client_name
                key = ApiKey(simulator.api_key)
            else:
                api_root, client_name = profile.api_root, profile.client_name
                try:
                    # off the event loop: a keychain that asks to be unlocked can take many seconds
                    key = await asyncio.to_thread(credentials.get, profile.id)
                except KeyringUnavailable as exc:
                    reason = str(exc)
                else:
                    if key is None:
                        reason = _(
                            "No API key is saved for this venue, so seat maps are not available. "
                            "Add the key under Settings."
                        )
            client = VdmClient(
                api_root=api_root,
                client_name=client_name,
                api_key=key,
                timeout=options.timeout,
                retry=options.retry,
                **options.client_kwargs,
            )
        except BaseException:
            cache.close()
            if simulator is not None:
                await asyncio.to_thread(simulator.stop)
            raise

        connectivity = Connectivity(lambda: client.public.payment_methods(), options.backoff)
        catalog = CatalogService(client, cache, connectivity)
        session = cls(
            profile, client, cache, connectivity, catalog,
            has_seat_maps=key is not None, public_only_reason=reason, simulator=simulator,
            api_key=key,
        )
        if options.start_background:
            session.start_background(options.refresh_interval)
        return session

    def start_background(self, refresh_interval: float = DEFAULT_REFRESH_INTERVAL) -> None:
        """Start the probing loop and the periodic event refresh (needs a running loop)."""
        if self._tasks:
            return
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self.connectivity.run(), name="connectivity"),
            loop.create_task(self.catalog.run(refresh_interval), name="catalog-refresh"),
        ]

    @property
    def api_key(self) -> ApiKey | None:
        """The key in use (masked in every repr), e.g. for a log redactor; None if public-only."""
        return self._api_key

    # ------------------------------------------------------------------ closing

    async def aclose(self) -> None:
        """Cancel background work, close the client and the cache, stop the simulator."""
        if self._closed:
            return
        self._closed = True
        for task in self._tasks:
            task.cancel()
        await await_ended(self._tasks)
        self._tasks.clear()
        with contextlib.suppress(Exception):
            await self.availability.aclose()
        with contextlib.suppress(Exception):
            await self.catalog.aclose()
        try:
            await self.client.aclose()
        finally:
            self.cache.close()
            if self.simulator is not None:
                await asyncio.to_thread(self.simulator.stop)

    async def __aenter__(self) -> BoxOfficeSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
