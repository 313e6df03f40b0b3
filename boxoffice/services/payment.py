"""Waiting for a payment: order-status polling with back-off, and the payment/ticket URL policy.

Owns:

* :func:`poll_interval` — the polling schedule: every second for the first 20 s, then every 2 s
  up to one minute, then every 5 s. Never faster than once a second (:data:`MIN_INTERVAL`,
  measured between the starts of two requests, also when a poll failed).
* :class:`PaymentPoller` — polls ``GET /order/:key`` until the status is final (paid, cancelled,
  failed, expired). Cancelling the task that runs it just stops waiting; nothing is lost (the
  sale journal keeps the order, :mod:`boxoffice.services.recovery` resumes it).
* :func:`check_document_url` / :func:`fetch_document` — only https, or loopback in demo mode
  (``boxoffice.api.urls.host_is_loopback``); anything else is refused before any traffic.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from boxoffice.api import errors
from boxoffice.api.models import OrderStatus
from boxoffice.api.retry import RetryPolicy
from boxoffice.api.urls import host_is_loopback
from boxoffice.domain.clock import monotonic

log = logging.getLogger("boxoffice.sale")

MIN_INTERVAL = 1.0
FINAL_STATUSES = frozenset({"paid", "cancelled", "failed", "expired"})


def poll_interval(elapsed: float) -> float:
    """Seconds to wait before the next status poll, ``elapsed`` seconds after waiting began."""
    if elapsed < 20:
        return 1.0
    if elapsed < 60:
        return 2.0
    return 5.0


def check_document_url(url: str, *, demo: bool) -> str:
    """``url`` if it may be opened/fetched: https, or http(s) to loopback in demo mode."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        raise errors.InsecureURL("not a valid URL") from None
    if not host:
        raise errors.InsecureURL("URL without host")
    scheme = parts.scheme.lower()
    if scheme == "https":
        return url.strip()
    if scheme == "http" and demo and host_is_loopback(host):
        return url.strip()
    raise errors.InsecureURL(f"refused {scheme or 'no'}-scheme URL to {host!r}")


@dataclass(frozen=True)
class Document:
    url: str
    content: bytes
    content_type: str | None


async def fetch_document(url: str, *, demo: bool, timeout: float = 20.0,
                         transport: httpx.AsyncBaseTransport | None = None) -> Document:
    """GET a ticket PDF / receipt under the URL policy (no redirects, no proxies from env)."""
    url = check_document_url(url, demo=demo)
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False,
                                     transport=transport) as http:
            response = await http.get(url)
    except httpx.TimeoutException:
        raise errors.RequestTimeout("document download timed out", endpoint="GET document") from None
    except httpx.DecodingError as exc:
        raise errors.BadResponse(f"document that cannot be decoded ({type(exc).__name__})",
                                 endpoint="GET document") from None
    except Exception as exc:  # noqa: BLE001 - any other transport failure is a typed error too
        raise errors.ConnectionFailed(f"document download failed ({type(exc).__name__})",
                                      endpoint="GET document") from None
    if response.status_code != 200:
        cls = errors.status_error_class(response.status_code)
        raise cls(f"HTTP {response.status_code}", status=response.status_code,
                  endpoint="GET document")
    return Document(url, response.content, response.headers.get("Content-Type"))


async def order_status_once(client, order_key: str) -> OrderStatus:
    """One ``GET /order/:key`` without the client's quick read retries (they could poll faster
    than once a second); the poller's own schedule is the retry."""
    return await client.public.order_status(order_key, retry=RetryPolicy.never())


class PaymentPoller:
    """Polls one order until its payment status is final.

    ``on_status(status)`` is called after every successful poll, ``on_error(exc)`` after a
    failed one (transport errors, 5xx, 429, unreadable answers are retried on the schedule;
    404 and auth errors stop the poller by raising).
    """

    def __init__(
        self,
        client,
        order_key: str,
        *,
        on_status: Callable[[OrderStatus], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        schedule: Callable[[float], float] = poll_interval,
        clock: Callable[[], float] = monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        fetch: Callable[[str], Awaitable[OrderStatus]] | None = None,
    ) -> None:
        self.client = client
        self.order_key = order_key
        self._on_status = on_status
        self._on_error = on_error
        self._schedule = schedule
        self._clock = clock
        self._sleep = sleep
        self._fetch = fetch or (lambda key: order_status_once(client, key))
        self.polls = 0
        self.request_starts: list[float] = []
        self._last_start: float | None = None
        self._wake = asyncio.Event()

    def poke(self) -> None:
        """Poll as soon as the once-a-second rule allows (e.g. the cashier pressed "Check")."""
        self._wake.set()

    async def run(self, *, first_delay: float | None = None) -> OrderStatus:
        started = self._clock()
        delay = self._schedule(0.0) if first_delay is None else first_delay
        while True:
            await self._wait(delay)
            self._last_start = self._clock()
            self.request_starts.append(self._last_start)
            self.polls += 1
            try:
                status = await self._fetch(self.order_key)
            except (errors.NotFound, errors.AuthError, errors.NoApiKey):
                raise
            except Exception as exc:  # noqa: BLE001
                if not isinstance(exc, errors.VdmError):
                    # the client maps every transport failure onto errors; anything else that
                    # escapes a poll is logged and the poll is tried again on the schedule (the
                    # order is in the journal; waiting is never stuck on one bad answer)
                    log.warning("status poll of an order failed unexpectedly (%s)",
                                type(exc).__name__, exc_info=True)
                    exc = errors.ConnectionFailed(
                        f"status poll failed ({type(exc).__name__})", endpoint="GET /order")
                log.info("status poll of an order failed (%s); trying again", type(exc).__name__)
                if self._on_error is not None:
                    self._on_error(exc)
                delay = self._schedule(self._clock() - started)
                retry_after = getattr(exc, "retry_after", None)
                if retry_after:
                    delay = max(delay, min(float(retry_after), 30.0))
                continue
            if self._on_status is not None:
                self._on_status(status)
            if status.order_payment_status in FINAL_STATUSES:
                return status
            delay = self._schedule(self._clock() - started)

    async def _wait(self, delay: float) -> None:
        """Sleep ``delay`` (cut short by :meth:`poke`), but never closer than MIN_INTERVAL to the
        previous request's start."""
        if delay > 0:
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            except asyncio.TimeoutError:
                pass
        if self._last_start is not None:
            gap = MIN_INTERVAL - (self._clock() - self._last_start)
            if gap > 0:
                await self._sleep(gap)
