"""Whether the VdM API can be reached, and noticing when it comes back.

Owns the online/offline state of one session. Any service that talks to the API reports
transport failures and 5xx answers (:meth:`Connectivity.report_failure`) and successes
(:meth:`Connectivity.report_success`). While offline, :meth:`Connectivity.run` probes the API
with a cheap read, waiting longer between tries (``backoff``), and announces the way back.
Subscribers are plain callables ``callback(online: bool)``, called on the event loop thread when
the state changes (the Qt shell wraps them in signals). No Qt here.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from boxoffice.api import errors
from boxoffice.domain.clock import utc_now
from boxoffice.services.listeners import Listeners

log = logging.getLogger(__name__)

Probe = Callable[[], Awaitable[object]]
DEFAULT_BACKOFF: tuple[float, ...] = (1, 2, 5, 10, 30)


def is_offline_error(exc: BaseException) -> bool:
    """True for errors that mean "the API cannot be used right now": no connection, a timeout,
    or a server failure (5xx). Answers such as 404 or 422 prove the API is reachable."""
    return isinstance(exc, (errors.TransportError, errors.ServerError))


class Connectivity:
    """Online/offline state with a probing loop while offline."""

    def __init__(self, probe: Probe, backoff: Sequence[float] = DEFAULT_BACKOFF) -> None:
        if not backoff:
            raise ValueError("backoff needs at least one delay")
        self._probe = probe
        self.backoff = tuple(float(b) for b in backoff)
        self.online: bool | None = None       # None until the first request tells us
        self.last_ok: datetime | None = None
        self.last_error: BaseException | None = None
        self.attempts = 0                      # failed probes since going offline
        self._subscribers: Listeners[bool] = Listeners(log, "connectivity")
        self._wake = asyncio.Event()

    # ------------------------------------------------------------------ subscribers

    def subscribe(self, callback: Callable[[bool], None]) -> Callable[[], None]:
        """Call *callback(online)* on every change; returns an unsubscribe function."""
        return self._subscribers.add(callback)

    def _set(self, online: bool) -> None:
        changed = self.online is not online
        self.online = online
        if not changed:
            return
        log.info("API %s", "reachable" if online else "unreachable")
        self._subscribers.publish(online)

    # ------------------------------------------------------------------ reports

    def report_success(self) -> None:
        """A request got an answer from the API."""
        self.last_ok = utc_now()
        self.last_error = None
        self.attempts = 0
        self._set(True)

    def report_failure(self, exc: BaseException) -> bool:
        """A request failed. Returns True when *exc* means offline (state set, probing starts);
        other errors (the API answered, just not with success) count as reachable."""
        if not is_offline_error(exc):
            self.report_success()
            return False
        self.last_error = exc
        was_online = self.online is not False
        self._set(False)
        if was_online:
            self.attempts = 0
        self._wake.set()
        return True

    def check_now(self) -> None:
        """Probe at once instead of waiting for the next backoff step (a "Retry" button)."""
        self._wake.set()

    @property
    def next_delay(self) -> float:
        return self.backoff[min(self.attempts, len(self.backoff) - 1)]

    # ------------------------------------------------------------------ probing

    async def probe_once(self) -> bool:
        """Run the probe now and record the outcome; True when the API answered."""
        try:
            await self._probe()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure is a probe outcome
            if self.report_failure(exc):
                self.attempts += 1
                log.debug("probe failed (%s); next in %.1f s", type(exc).__name__, self.next_delay)
                return False
            return True
        self.report_success()
        return True

    async def run(self) -> None:
        """Probe while offline (with backoff) until cancelled. Idle while online."""
        while True:
            if self.online is False:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.next_delay)
                except TimeoutError:
                    pass
                if self.online is False:
                    await self.probe_once()
            else:
                self._wake.clear()
                await self._wake.wait()
