"""Reconciliation of state-changing requests whose outcome is ambiguous.

A POST/PUT/DELETE is sent exactly once. If it fails ambiguously (timeout or dropped connection after
the request may have been sent, 5xx, malformed answer), the client reads the affected resource back
and decides:

* applied      -> return what the read-back shows (the effect is there; nothing is repeated);
* not applied  -> the request is sent once more (a *verified* resend, never a blind retry), and if that
                  is ambiguous too, reconciled once more;
* undecidable  -> :class:`errors.OutcomeUnknown` (nothing was repeated; the journal takes over).

A failed read-back also gives OutcomeUnknown. Unambiguous failures (4xx, connect errors before
anything was sent) are raised unchanged.

Also here: finding an order whose creation answer was lost, through the peppered order export,
by matching the cart's seats (event + row + seat; general admission by count). Never a second order.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable, Generic, TypeVar

from . import errors

log = logging.getLogger("boxoffice.api")

T = TypeVar("T")

APPLIED = "applied"
NOT_APPLIED = "not_applied"
UNKNOWN = "unknown"

#: How far before the attempt (server clock, from its Date header) an order may be dated and still
#: be the one just created. Small on purpose: a general-admission order is matched by count only.
EXPORT_WINDOW = timedelta(minutes=5)
#: Order statuses that cannot be the order just created.
_DEAD_STATUSES = {"cancel", "trash"}
_DEAD_PAYMENTS = {"cancelled", "failed", "expired"}


@dataclass(frozen=True)
class Outcome(Generic[T]):
    state: str
    value: T | None = None
    why: str = ""


def applied(value: T) -> Outcome[T]:
    return Outcome(APPLIED, value)


def not_applied() -> Outcome[Any]:
    return Outcome(NOT_APPLIED)


def unknown(why: str) -> Outcome[Any]:
    return Outcome(UNKNOWN, why=why)


async def write_once_reconciled(
    endpoint: str,
    attempt: Callable[[], Awaitable[T]],
    check: Callable[[], Awaitable[Outcome[T]]],
) -> T:
    """Run ``attempt``; on an ambiguous failure decide through ``check`` (see module doc)."""
    try:
        return await attempt()
    except errors.VdmError as exc:
        if not exc.ambiguous:
            raise
        first: errors.VdmError = exc
    log.warning("%s: ambiguous failure (%s); reading back", endpoint, type(first).__name__)
    outcome = await _check(endpoint, check, first)
    if outcome.state == APPLIED:
        log.info("%s: read-back shows the request was applied", endpoint)
        return outcome.value  # type: ignore[return-value]
    if outcome.state == UNKNOWN:
        raise errors.OutcomeUnknown(outcome.why, endpoint=endpoint, cause=first) from first

    log.info("%s: read-back shows the request was not applied; sending it once more", endpoint)
    try:
        return await attempt()
    except errors.VdmError as exc:
        if not exc.ambiguous:
            raise
        second: errors.VdmError = exc
    log.warning("%s: resend failed ambiguously (%s); reading back", endpoint, type(second).__name__)
    outcome = await _check(endpoint, check, second)
    if outcome.state == APPLIED:
        return outcome.value  # type: ignore[return-value]
    if outcome.state == NOT_APPLIED:
        # Established: nothing was applied. Raise the transport/server error, no longer ambiguous.
        second.ambiguous = False
        raise second
    raise errors.OutcomeUnknown(outcome.why, endpoint=endpoint, cause=second) from second


async def _check(
    endpoint: str, check: Callable[[], Awaitable[Outcome[T]]], cause: errors.VdmError
) -> Outcome[T]:
    try:
        return await check()
    except errors.OutcomeUnknown:
        raise
    except errors.VdmError as exc:
        raise errors.OutcomeUnknown(
            f"read-back failed ({type(exc).__name__}: {exc})", endpoint=endpoint, cause=cause
        ) from cause


def pick_lost_order(
    orders: list, signature, started: datetime | None, known_keys: set[str] | None = None
) -> list:
    """Export orders that can be the one whose creation answer was lost: seats equal to
    ``signature`` (a Counter of (event, row, seat)), alive, and either absent from ``known_keys``
    (the export taken just before the attempt) or, without that, dated no earlier than
    ``started - EXPORT_WINDOW``."""
    found = []
    for order in orders:
        if order.order_status in _DEAD_STATUSES or order.order_payment_status in _DEAD_PAYMENTS:
            continue
        if known_keys is not None:
            if order.order_key in known_keys:
                continue
        elif started is not None and order.order_date is not None:
            if order.order_date < started - EXPORT_WINDOW:
                continue
        if order.seat_signature() == signature:
            found.append(order)
    return found
