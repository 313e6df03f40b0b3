"""Order lookup: did an order attempt make an order? Shared by ``public.create_order``,
``peppered.checkout`` and recovery.

Typed against small protocols (:class:`OrderSource`, :class:`ApiGroup`), not against the resource
groups, so ``api.public`` and ``api.peppered`` both use it without importing each other. The
client (``api/client.py``) composes them: the public group gets the peppered group as its order
source.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Protocol

from boxoffice.domain.clock import monotonic

from . import errors, reconcile
from .base import BaseClient
from .models import peppered as p
from .models import public as m

log = logging.getLogger("boxoffice.api")


class OrderSource(Protocol):
    """What the order lookup reads (the peppered group, with an API key): the order export and a
    cart's summary (its hold deadline)."""

    async def export_orders(
        self, changed_since: date | datetime | None = None, *, skip_unreadable: bool = False,
    ) -> list[p.OrderExport]: ...

    async def cart_summary(self, cart_id: str) -> p.CartSummary: ...


class CartReader(Protocol):
    """The public read of a cart (``client.public.cart``)."""

    def __call__(self, cart_id: str) -> Awaitable[m.Cart]: ...


class ApiGroup(Protocol):
    """A resource group on the shared client core (``client.public``, ``client.peppered``)."""

    @property
    def base(self) -> BaseClient: ...


def late_apply_timing(base: BaseClient, override: float | None) -> dict[str, Any]:
    """The settle delay and sleep for ``reconcile.write_once_reconciled``: ``override`` or a bounded
    fraction of the request timeout, slept through the client's retry policy (tests inject it)."""
    if override is None:
        timeout = getattr(getattr(getattr(base, "_http", None), "timeout", None), "read", None)
        override = reconcile.settle_delay(timeout)
    return {"settle": override, "pause": base.retry.pause}


def attempt_ended(lookup: reconcile.OrderLookup, base: BaseClient,
                  answered: bool) -> reconcile.OrderLookup:
    """The lookup once the attempt failed: it ended now (as far as an answer goes). Whether it
    was ``answered`` only decides whether the export read next may be its fence: without an
    answer the request may still be queued, so an empty fence is never recorded (see
    :func:`order_check`), and a later look-up can still find it in the window up to ``ended``
    (plus ``WINDOW_TOLERANCE``)."""
    del answered  # the end is recorded either way; see order_check for the fence
    return replace(lookup, ended=base.server_now(), seen_keys=None)


async def begin_order_lookup(
    base: BaseClient, orders: OrderSource | None, snapshot: m.Cart, cart_id: str | None = None,
    *, hold_until: datetime | None = None,
) -> reconcile.OrderLookup:
    """The start of an order attempt: the server clock now and, with an API key, the keys of the
    orders that exist already (see :func:`export_keys_before`) and the cart's hold deadline
    (see :func:`hold_deadline`). The two reads are independent and run side by side, so they
    cost one round trip of waiting, not two."""
    started = base.server_now()
    if hold_until is None:
        known, hold_until = await asyncio.gather(
            export_keys_before(base, orders, snapshot, started),
            hold_deadline(base, orders, snapshot, cart_id, started=started))
    else:
        known = await export_keys_before(base, orders, snapshot, started)
    return reconcile.OrderLookup(started=started,
                                 known_keys=None if known is None else frozenset(known),
                                 hold_until=hold_until)


async def hold_deadline(
    base: BaseClient, orders: OrderSource | None, snapshot: m.Cart, cart_id: str | None,
    *, started: datetime | None = None,
) -> datetime | None:
    """The cart's hold deadline (peppered summary ``timeOut``), read just before ordering (only
    with an API key). An order dated after it cannot have come from this cart: it keeps a cart
    that expired during the attempt (it then reads empty, like a consumed one) from being matched
    with another sale's order for the same general-admission count. Failure never blocks the sale.
    """
    if orders is None or not base.has_api_key or snapshot.is_empty or not cart_id:
        return None
    try:
        summary = await orders.cart_summary(cart_id)
    except errors.VdmError as exc:
        log.info("could not read the hold deadline before ordering (%s)", type(exc).__name__)
        return None
    if not summary.number_of_items and summary.time_out is None:
        # The cart holds nothing and no hold any more, read before this attempt's request is
        # sent: nothing this attempt makes can come from it, whenever another sale's order of
        # the same count is dated. So the deadline lies before every order the look-up could
        # take for this attempt (its window starts EXPORT_WINDOW before the start). "Now" was
        # not enough: orders are dated in whole seconds, and on a loaded machine another
        # counter's order made in the second of this read, or before it, passed as ours
        # (tests/api/test_late_apply.py::test_cart_lapsed_before_the_attempt_never_claims_...).
        start = started if started is not None else base.server_now()
        return start - reconcile.EXPORT_WINDOW - reconcile.WINDOW_TOLERANCE
    # timeOut missing on a cart that still counts items: nothing is known about its hold (a
    # deadline guessed here could hide our own order, or "prove" a lapse that did not happen)
    return summary.time_out


async def export_keys_before(
    base: BaseClient, orders: OrderSource | None, snapshot: m.Cart, started: datetime
) -> set[str] | None:
    """Keys of recent orders, taken just before creating an order (only with an API key).

    A lost order is recognised by its seats; for general admission only by its ticket counts,
    which other sales may share, and a seated order's seats may have been in an earlier order
    that has been cancelled since. The orders that already existed before the attempt are
    excluded with this snapshot. Failure to take it never blocks the sale.
    """
    if orders is None or not base.has_api_key or snapshot.is_empty:
        return None
    try:
        exported = await orders.export_orders(changed_since=started - reconcile.EXPORT_WINDOW)
    except errors.VdmError as exc:
        log.info("could not take the order snapshot before ordering (%s)", type(exc).__name__)
        return None
    return {o.order_key for o in exported}


async def order_check(
    group: ApiGroup,
    source: OrderSource | None,
    cart_id: str,
    snapshot: m.Cart,
    lookup: reconcile.OrderLookup,
    *,
    live: bool = False,
    exclude_keys: Iterable[str] = (),
) -> tuple[reconcile.Outcome, reconcile.OrderLookup]:
    """Did the order attempt ``lookup`` describes create an order? Shared by public create_order
    and peppered checkout and by recovery.

    Decided only from what the docs support: the peppered order export (with an API key), in
    the attempt's window, matched to the cart's seats, ticket types and amount. The cart is
    *not* read: the docs do not say whether making an order empties the cart or keeps its
    lines (docs/simulator-guesses.md), so neither a full nor an empty cart proves anything.

    * exactly one exported order fits (:func:`reconcile.pick_lost_order`) -> applied;
    * no exported order could be this attempt's, even on the loosest reading
      (:func:`reconcile.no_order_shown`) -> lapsed when read after the hold deadline
      (:func:`reconcile.hold_lapsed_unordered`), else not applied *so far* (the caller decides
      whether the attempt can still land: ``write_once_reconciled(resend=False)``);
    * later (not ``live``), the hold lapsed and every order that might be the attempt's ended
      unpaid (:func:`reconcile.whatever_it_made_ended_unpaid`) -> ended unpaid: which one was
      ours stays unknown, but nothing was paid for the sale and nothing can be;
    * anything else, or no API key -> unknown (with the candidates' keys, for the cashier).

    ``live``: right after the attempt; the export read here is then the upper fence (orders made
    later are not in it) and its candidates, if any, are returned in the lookup (``seen_keys``)
    to be kept.
    Later (recovery) the recorded fence or, without one, the attempt window bounds the search, and
    ``exclude_keys`` (orders the journal holds already) are never taken.
    """
    if snapshot.is_empty:
        # nothing to order: nothing can have been made from it
        return reconcile.not_applied("the cart held nothing"), lookup
    if source is None or not group.base.has_api_key:
        return reconcile.unknown(
            "no API key: the venue's order list cannot be read, and nothing else shows whether "
            "the order was made"), lookup
    since = lookup.started - reconcile.EXPORT_WINDOW
    sent = monotonic()
    orders = await source.export_orders(changed_since=since)
    # when the export was read, on the server clock, as a lower bound: the clock as its answer
    # set it (Date header, truncated to seconds), less the time the request took
    read_at = group.base.server_now() - timedelta(seconds=monotonic() - sent)
    signature = snapshot.seat_signature()
    total = snapshot.total if snapshot.lines else None
    found, doubt = reconcile.pick_lost_order(
        orders, signature, lookup, exclude_keys=exclude_keys, upper_bound=not live,
        prices=snapshot.price_signature(), total=total,
    )
    if live and found:
        # the fence: a later look-up takes only these (an empty fence is never recorded: an
        # attempt that got no answer may still land, and must stay findable)
        lookup = replace(lookup, seen_keys=frozenset(o.order_key for o in found))
    if doubt is None and len(found) == 1:
        log.info("recovered lost order %s from the export", found[0].order_key)
        return reconcile.applied(found[0]), lookup
    if not found and doubt is None:
        if reconcile.hold_lapsed_unordered(orders, signature, lookup, read_at,
                                           exclude_keys=exclude_keys):
            return reconcile.lapsed(
                "the cart's hold lapsed before any order was made from it"), lookup
        if reconcile.no_order_shown(orders, signature, lookup, exclude_keys=exclude_keys):
            return reconcile.not_applied("the venue's order list shows no order from it"), lookup
    maybe = reconcile.orders_that_may_be_ours(orders, signature, lookup,
                                              exclude_keys=exclude_keys)
    keys = [o.order_key for o in (found or maybe)][:5]
    if not live and reconcile.whatever_it_made_ended_unpaid(orders, signature, lookup, read_at,
                                                            exclude_keys=exclude_keys):
        return reconcile.ended(
            "the hold has lapsed and every order that might be this sale's ended unpaid",
            keys), lookup
    why = doubt or (f"{len(found)} exported orders match the cart" if found else
                    f"no exported order matches the cart exactly, but {len(maybe)} might be "
                    f"its order")
    return reconcile.unknown(why, keys), lookup
