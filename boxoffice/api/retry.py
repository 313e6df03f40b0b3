"""Retry policy for safe (read-only) requests: bounded exponential backoff with full jitter.

Used for GETs and read-only POSTs (customer lookup, order export). State-changing requests are never
retried here; they are reconciled by reading back (see ``reconcile.py``).

Retry on: connection errors, timeouts, 429, 5xx and an unparsable (invalid JSON) body. The delay before
attempt ``n+1`` is ``random() * min(max_delay, base_delay * 2**(n-1))`` (full jitter), or the server's
Retry-After (seconds or HTTP date) capped at ``retry_after_cap``. Attempts are bounded by
``max_attempts`` and the sum of all delays by ``max_total_delay``. ``sleep`` and ``random`` are
injectable so tests run instantly and deterministically.
"""
from __future__ import annotations

import asyncio
import random as _random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Awaitable, Callable

from boxoffice.domain.clock import utc_now

from . import errors


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 0.25
    max_delay: float = 4.0
    max_total_delay: float = 10.0
    retry_after_cap: float = 10.0
    sleep: Callable[[float], Awaitable[object]] | None = field(default=None, compare=False)
    random: Callable[[], float] = field(default=_random.random, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")

    @classmethod
    def never(cls) -> RetryPolicy:
        return cls(max_attempts=1)

    async def pause(self, seconds: float) -> None:
        if seconds <= 0:
            return
        await (self.sleep or asyncio.sleep)(seconds)

    def backoff(self, attempt: int) -> float:
        """Full-jitter delay after failed attempt number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return max(0.0, self.random() * ceiling)

    def delay_for(self, error: errors.VdmError, attempt: int) -> float:
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_cap)
        return self.backoff(attempt)


def is_retryable(error: BaseException) -> bool:
    """Whether a failed *read* may simply be tried again."""
    if isinstance(error, (errors.TransportError, errors.RateLimited, errors.ServerError)):
        return True
    # Invalid JSON (no field) is a transport-level corruption; a wrong field is not retried.
    return isinstance(error, errors.BadResponse) and error.field is None


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: ``"3"`` or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or utc_now())).total_seconds()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN / inf
        return None
    return max(0.0, seconds)
