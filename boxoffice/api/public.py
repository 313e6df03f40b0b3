"""``client.public``: the unauthenticated VdM endpoints (events, ticket types, payment methods,
cart, order), returning typed DTOs. Writes are sent once and reconciled by reading back.

Tolerant reading (vdm-api.md §9.13): list answers are read item by item (an item that cannot be
understood is left out, counted in the list's ``skipped`` and recorded on ``client.drift``);
ids arrive as numbers or text; unknown fields are kept. A list wrapped as ``{"data": [...]}`` is
unwrapped like the peppered resources; any other object where an array is documented is a
BadResponse, never an empty list. The public cart is the exception: its lines are money, so a
line that cannot be read fails the read (BadResponse naming the field).

Envelopes handled here: array elements lacking ``event_id`` are dropped (vdm-api.md §3.1);
``/events/<sub id>`` may answer with a flat sub-event; the cart is an array with a trailing
``{"totalprice": ...}`` (``[{"cart": 0}]`` when empty); ``order/create`` answers a one-element array.
"""
from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from . import errors, reconcile
from .base import BaseClient, ItemList, expect_array, seg, validate, validate_items
from .drift import DriftLog
from .group import EndpointGroup
from .models import public as m
from .order_lookup import OrderSource, attempt_ended, begin_order_lookup, order_check
from .retry import RetryPolicy

log = logging.getLogger("boxoffice.api")


def _elements(endpoint: str, data: Any, drift: DriftLog | None = None) -> list[tuple[int, dict]]:
    """(index, element) of a JSON array, dropping elements that are not objects with ``event_id``
    (the "object errors" client code filters, vdm-api.md §3.1; dropped ones are recorded).

    A single event object where an array is documented is taken as a one-element array; a
    ``{"data": [...]}`` wrapper is unwrapped (see ``base.expect_array``); any other object is a
    BadResponse naming the envelope, never an empty list."""
    if isinstance(data, dict) and data.get("event_id") is not None:
        data = [data]
    data = expect_array(endpoint, data, drift=drift, empty_ok=False)
    kept = []
    for i, item in enumerate(data):
        if isinstance(item, dict) and item.get("event_id") is not None:
            kept.append((i, item))
        elif drift is not None:
            drift.record_skipped(endpoint, i, "not an event (no event_id)")
        else:
            log.debug("%s: dropped element [%d] without event_id", endpoint, i)
    return kept


def _is_sub_event(item: dict) -> bool:
    return "sub_events" not in item and (
        item.get("event_rep") == "sub" or "event_date" in item or "event_main_id" in item
    )


def _clean_main(item: dict) -> dict:
    """A sub-event without a name takes the show's name. (Sub-events without an id are left out
    and counted by ``MainEvent.sub_events``.)"""
    subs = item.get("sub_events")
    if isinstance(subs, list):
        name = item.get("event_name")
        cleaned = []
        for s in subs:
            if isinstance(s, dict) and s.get("event_name") is None and isinstance(name, str):
                s = {**s, "event_name": name}
            cleaned.append(s)
        item = {**item, "sub_events": cleaned}
    return item


def _performances_in(item: Any) -> int:
    subs = item.get("sub_events") if isinstance(item, dict) else None
    return max(len(subs), 1) if isinstance(subs, list) else 1


def parse_events(endpoint: str, data: Any, drift: DriftLog | None = None) -> ItemList:
    """Main events with their performances, each read on its own: a performance (or a whole
    show) that cannot be read is left out and counted in the result's ``skipped`` (performances),
    never the whole list."""
    out = ItemList()
    for i, item in _elements(endpoint, data, drift):
        local = drift if drift is not None else DriftLog()
        before = local.skipped_count(endpoint)
        try:
            event = validate(endpoint, m.MainEvent, _clean_main(item), (i,), drift=local)
        except errors.BadResponse as exc:
            if getattr(exc, "secret_echo", False):
                raise
            lost = _performances_in(item)
            out.skipped += lost
            local.record_skipped(endpoint, i, f"{exc.field}: {exc.detail}" if exc.field else exc.detail)
            continue
        out.skipped += local.skipped_count(endpoint) - before
        out.append(event)
    return out


def parse_event(endpoint: str, data: Any, drift: DriftLog | None = None) -> m.MainEvent | m.SubEvent:
    items = _elements(endpoint, data, drift)
    if not items:
        raise errors.BadResponse("no event in the answer", endpoint=endpoint)
    i, item = items[0]
    if _is_sub_event(item):
        return validate(endpoint, m.SubEvent, item, (i,), drift=drift)
    return validate(endpoint, m.MainEvent, _clean_main(item), (i,), drift=drift)


def parse_cart(endpoint: str, data: Any, *, ambiguous: bool = False,
               drift: DriftLog | None = None) -> m.Cart:
    """The cart array: lines + trailing ``{"totalprice"}``; ``[{"cart": 0}]`` is empty.

    Every line is kept or the read fails: a line that cannot be understood (no seat id, event
    or price) is a BadResponse naming the line and field, because a cart shown without one of
    its lines would disagree with its total and hide held tickets (money). What can be read
    tolerantly is: ids as numbers or text, row/seat labels, dates in other forms (see
    ``models.public.CartLine``)."""
    if isinstance(data, dict):
        data = expect_array(endpoint, data, drift=drift, empty_ok=False, ambiguous=ambiguous)
    if not isinstance(data, list):
        raise errors.BadResponse(
            f"expected a cart array, got {type(data).__name__}", endpoint=endpoint, ambiguous=ambiguous
        )
    lines: list[m.CartLine] = []
    total: Any = None
    total_index = -1
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise errors.BadResponse(
                f"expected an object, got {type(item).__name__}", endpoint=endpoint, field=f"[{i}]",
                ambiguous=ambiguous,
            )
        if "totalprice" in item and "seat_id" not in item:
            total = item["totalprice"]
            total_index = i
        elif "cart" in item and "seat_id" not in item:
            continue  # the empty-cart marker
        else:
            lines.append(validate(endpoint, m.CartLine, item, (i,), ambiguous=ambiguous, drift=drift))
    if total is None:
        if lines:
            raise errors.BadResponse(
                "missing", endpoint=endpoint, field="totalprice", ambiguous=ambiguous
            )
        return m.Cart(lines=[], total=Decimal("0.00"))
    amount = validate(endpoint, m.Money, total, (total_index, "totalprice"), ambiguous=ambiguous)
    return m.Cart(lines=lines, total=amount)


class PublicAPI(EndpointGroup):
    """Public endpoints under ``{api_root}/{client_name}``."""

    def __init__(self, base: BaseClient, orders: OrderSource | None = None) -> None:
        super().__init__(base)
        #: Where a lost order is looked up (the peppered group; ``api/order_lookup.py``).
        self._orders = orders

    # ------------------------------------------------------------------ events
    async def events(self, upcoming: bool = False) -> ItemList:
        """All main events with their performances (``upcoming=True``: future ones only).

        Read item by item: the result's ``skipped`` counts the performances that could not be
        read (left out; recorded on ``client.drift``)."""
        path = "/events/upcoming" if upcoming else "/events"
        reply = await self._b.read("GET", path)
        return parse_events(self._b.endpoint("GET", path), reply.data, self._b.drift)

    async def event(self, event_id: int | str) -> m.MainEvent | m.SubEvent:
        """A main event (with sub-events) or, for a sub-event id, the flat sub-event."""
        path = f"/events/{seg(event_id)}"
        reply = await self._b.read("GET", path)
        return parse_event(self._b.endpoint("GET", path), reply.data, self._b.drift)

    async def ticket_types(self, sub_event_id: int | str) -> ItemList:
        """Ticket types of a performance, each read on its own (an unreadable one is left out:
        it is not offered; ``skipped`` counts them)."""
        path = f"/tickettypes/{seg(sub_event_id)}"
        endpoint = self._b.endpoint("GET", path)
        reply = await self._b.read("GET", path)
        data = expect_array(endpoint, reply.data, drift=self._b.drift)
        return validate_items(endpoint, m.TicketType, data, drift=self._b.drift)

    async def payment_methods(self) -> ItemList:
        """Payment methods, each read on its own (one whose fee cannot be read is left out: its
        surcharge could not be priced; ``skipped`` counts them)."""
        path = "/paymentmethods"
        endpoint = self._b.endpoint("GET", path)
        reply = await self._b.read("GET", path)
        data = expect_array(endpoint, reply.data, drift=self._b.drift)
        return validate_items(endpoint, m.PaymentMethod, data, drift=self._b.drift)

    # ------------------------------------------------------------------ cart
    async def create_cart(self) -> str:
        """A new cart id.

        Retried like a read on ambiguous failures: an empty cart holds nothing, so a cart created by
        an attempt whose answer was lost is harmless (it is simply never used).
        """
        path = "/cart/"
        endpoint = self._b.endpoint("POST", path)
        reply = await self._b.read("POST", path)
        data = reply.data
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        if not isinstance(data, dict):
            raise errors.BadResponse("expected an object", endpoint=endpoint)
        cart_id = data.get("cart_id")
        if not isinstance(cart_id, str) or not cart_id:
            raise errors.BadResponse(
                f"invalid cart id {cart_id!r}" if "cart_id" in data else "missing",
                endpoint=endpoint, field="cart_id",
            )
        return cart_id

    async def cart(self, cart_id: str) -> m.Cart:
        path = f"/cart/{seg(cart_id)}"
        reply = await self._b.read("GET", path)
        return parse_cart(self._b.endpoint("GET", path), reply.data, drift=self._b.drift)

    async def add_tickets(
        self,
        cart_id: str,
        event_id: int,
        quantity: int,
        discount_id: str,
        *,
        known_cart: m.Cart | None = None,
    ) -> m.Cart:
        """Add ``quantity`` tickets of a ticket type for a performance; the server picks seats.

        Reconciling: the cart is read before (unless ``known_cart``, the caller's last read, is
        given) and, after an ambiguous failure, after. Grown by ``quantity`` -> applied; unchanged ->
        sent once more; anything else -> OutcomeUnknown.

        A first attempt that timed out (or dropped) may be applied by the server *after* the
        read-back and so land next to the verified resend: the cart is then read back once more and
        the surplus is removed (see :meth:`_remove_surplus`: the newest lines of this ticket type
        go), with a warning in the log. If that cleanup fails -> OutcomeUnknown naming it.
        """
        if quantity < 1:
            raise ValueError("quantity must be at least 1")
        path = f"/cart/{seg(cart_id)}"
        endpoint = self._b.endpoint("POST", path)
        before = known_cart if known_cart is not None else await self.cart(cart_id)
        had = before.tickets_for(event_id, discount_id)
        body: dict[str, Any] = {"event_id": event_id, "numberoftickets": quantity}
        if discount_id is not None:              # strict writing: never an explicit null
            body["discount_id"] = discount_id
        sends = 0

        async def attempt() -> m.Cart:
            nonlocal sends
            sends += 1
            reply = await self._b.send("POST", path, json=body)
            if reply.data is None:
                return await self.cart(cart_id)
            return parse_cart(endpoint, reply.data, ambiguous=True)

        async def check() -> reconcile.Outcome[m.Cart]:
            after = await self.cart(cart_id)
            grown = after.tickets_for(event_id, discount_id) - had
            if grown == quantity:
                return reconcile.applied(after)
            if grown == 0:
                return reconcile.not_applied()
            if sends > 1 and grown == 2 * quantity:
                # the late first attempt and the resend both landed: verify removes one set
                return reconcile.applied(after)
            return reconcile.unknown(
                f"cart holds {grown:+d} tickets of event {event_id}/{discount_id}, expected +{quantity} or 0"
            )

        async def verify(_resent: m.Cart) -> m.Cart:
            after = await self.cart(cart_id)
            return await self._remove_surplus(
                endpoint, cart_id, after, before, event_id, discount_id, quantity)

        return await reconcile.write_once_reconciled(
            endpoint, attempt, check, verify=verify, **self._late())

    async def _remove_surplus(
        self,
        endpoint: str,
        cart_id: str,
        after: m.Cart,
        before: m.Cart,
        event_id: int,
        discount_id: str,
        quantity: int,
    ) -> m.Cart:
        """After a verified resend: the cart must have grown by exactly ``quantity`` tickets of
        (event, ticket type). More means the late first attempt landed too; the surplus is removed.

        Which lines go: among the lines of this ticket type that were not in the cart before, the
        *newest* ones (the last in the cart's order, which is the order they were added in), until
        exactly the surplus is removed. For a seated performance the two attempts each got their
        own block of adjacent seats, so one whole block stays. Each removal is a reconciled
        DELETE; any failure, or a cart that is not then exactly right, raises OutcomeUnknown.
        """
        had = before.tickets_for(event_id, discount_id)
        grown = after.tickets_for(event_id, discount_id) - had
        what = f"event {event_id}/{discount_id}"
        if grown == quantity:
            return after
        if grown < quantity:
            raise errors.OutcomeUnknown(
                f"after the resend the cart holds {grown:+d} tickets of {what}, expected +{quantity}",
                endpoint=endpoint,
            )
        surplus = grown - quantity
        log.warning("%s: the first attempt was applied late as well as the resend (%+d tickets of "
                    "%s, %d asked); removing the %d newest", endpoint, grown, what, quantity, surplus)
        old = before.seat_ids()
        added = [ln for ln in after.lines
                 if ln.event_id == event_id and ln.discount_id == discount_id
                 and ln.seat_id not in old]
        doomed: list[m.CartLine] = []
        count = 0
        for line in reversed(added):
            if count >= surplus:
                break
            doomed.append(line)
            count += line.numberoftickets
        if count != surplus:
            raise errors.OutcomeUnknown(
                f"the cart holds {surplus} surplus tickets of {what} (a late first attempt and the "
                f"resend both applied) that cannot be removed line by line", endpoint=endpoint,
            )
        for line in doomed:
            try:
                after = await self.remove_line(cart_id, line.seat_id)
            except errors.VdmError as exc:
                raise errors.OutcomeUnknown(
                    f"removing surplus line {line.seat_id} of {what} (a late first attempt and the "
                    f"resend both applied) failed: {type(exc).__name__}: {exc}",
                    endpoint=endpoint, cause=exc,
                ) from exc
        grown = after.tickets_for(event_id, discount_id) - had
        if grown != quantity:
            raise errors.OutcomeUnknown(
                f"after removing the surplus the cart holds {grown:+d} tickets of {what}, "
                f"expected +{quantity}", endpoint=endpoint,
            )
        return after

    async def remove_line(self, cart_id: str, seat_id: str) -> m.Cart:
        """Remove one cart line; reconciled (the line is gone either way)."""
        path = f"/cart/{seg(cart_id)}/{seg(seat_id)}"
        endpoint = self._b.endpoint("DELETE", path)

        async def attempt() -> m.Cart:
            reply = await self._b.send("DELETE", path)
            if reply.data is None or isinstance(reply.data, dict):
                return await self.cart(cart_id)
            return parse_cart(endpoint, reply.data, ambiguous=True)

        async def check() -> reconcile.Outcome[m.Cart]:
            after = await self.cart(cart_id)
            if seat_id in after.seat_ids():
                return reconcile.not_applied()
            return reconcile.applied(after)

        return await reconcile.write_once_reconciled(endpoint, attempt, check, **self._late())

    # ------------------------------------------------------------------ order
    async def create_order(
        self,
        cart_id: str,
        payment_id: int,
        redirect_url: str | None = None,
        customer: m.OrderCustomer | None = None,
        *,
        known_cart: m.Cart | None = None,
        on_lookup: Callable[[reconcile.OrderLookup], Awaitable[None] | None] | None = None,
        hold_until: datetime | None = None,
        payment_label: str | None = None,
        prepared: reconcile.OrderLookup | None = None,
    ) -> m.OrderCreated:
        """Turn the cart into an order; returns the payment URL and order key.

        Sent exactly once, never again for this cart (not even after a read-back). After an
        ambiguous failure the outcome is decided by :func:`order_check`, from the peppered order
        export only (a cart that still holds its lines, or reads empty, proves nothing): the
        order found -> returned with ``url=None, recovered=True``; provably none made after an
        attempt that got an answer -> the server's error, no longer ambiguous; the hold lapsed
        with no order -> HoldLapsed; anything else (no API key, several candidates, an attempt
        without an answer that may still land) -> OutcomeUnknown naming the candidates.

        ``on_lookup`` is called with what identifies the attempt (:class:`reconcile.OrderLookup`)
        before the request goes out and whenever more is known, so the caller can journal it and
        recovery can still tell this order apart from other sales' orders later (a coroutine
        function is awaited, so the request waits until it has journaled the attempt). ``hold_until``
        is the cart's hold deadline when the caller knows it from the server (a peppered cart's
        ``timeOut``); it saves reading the cart again before ordering. ``payment_label`` is the
        chosen method's label (``payment_desc``): with the buyer's e-mail it helps tell a lost
        order from other sales' orders (:func:`reconcile.consistent`). ``prepared``: the start of
        the attempt as :meth:`prepare_order` took it just before (so the caller can take it side
        by side with its own last reads); None: taken here.
        """
        path = "/order/create"
        endpoint = self._b.endpoint("POST", path)
        snapshot = known_cart if known_cart is not None else await self.cart(cart_id)
        body: dict[str, Any] = {"cart_id": cart_id, "payment_id": payment_id}
        if redirect_url is not None:
            body["redirectURL"] = redirect_url
        if customer is not None:
            body.update(customer.to_body())
        if prepared is None:
            prepared = await begin_order_lookup(self._b, self._orders, snapshot, cart_id,
                                                hold_until=hold_until)
        lookup = replace(prepared, payment_label=payment_label,
                         email=customer.email if customer is not None else None)
        await _tell(on_lookup, lookup)

        failures: list[errors.VdmError] = []

        async def attempt() -> m.OrderCreated:
            try:
                reply = await self._b.send("POST", path, json=body)
                return parse_order_created(endpoint, reply.data)
            except errors.VdmError as exc:
                failures.append(exc)
                raise

        async def check() -> reconcile.Outcome[m.OrderCreated]:
            nonlocal lookup
            answered = not (failures and reconcile.may_land_late(failures[-1]))
            lookup = attempt_ended(lookup, self._b, answered)
            await _tell(on_lookup, lookup)
            outcome, lookup = await order_check(
                self, self._orders, cart_id, snapshot, lookup, live=True
            )
            await _tell(on_lookup, lookup)
            if outcome.state == reconcile.APPLIED:
                found = outcome.applied_value()
                return reconcile.applied(
                    m.OrderCreated(order_key=found.order_key, url=None, recovered=True)
                )
            return outcome

        return await reconcile.write_once_reconciled(endpoint, attempt, check, resend=False,
                                                     **self._late())

    async def prepare_order(self, cart_id: str, known_cart: m.Cart, *,
                            hold_until: datetime | None = None) -> reconcile.OrderLookup:
        """The start of an order attempt about to be made (:func:`begin_order_lookup`): the
        server clock, the existing orders' keys and the hold deadline, read now. Pass it to
        :meth:`create_order` as ``prepared`` right after (nothing else may order this cart in
        between)."""
        return await begin_order_lookup(self._b, self._orders, known_cart, cart_id,
                                        hold_until=hold_until)

    async def order_status(self, order_key: str, *, retry: RetryPolicy | None = None) -> m.OrderStatus:
        """The order's payment status. A poller passes ``retry=RetryPolicy.never()``: its own
        schedule is the retry, so the quick read retries must not poll faster than it does."""
        path = f"/order/{seg(order_key)}"
        reply = await self._b.read("GET", path, retry=retry)
        data = reply.data
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        return validate(self._b.endpoint("GET", path), m.OrderStatus, data, drift=self._b.drift)


def _array(data: Any) -> Any:
    return data if data is not None else []


def parse_order_created(endpoint: str, data: Any) -> m.OrderCreated:
    """``[{"url", "order_key"}]`` (a bare object is tolerated).

    An answer the model rejects but that carries an order key (a text) is the server's own word
    that the order exists: its key is kept (``url=None, recovered=True``: the status is then
    read) rather than losing a known order to an ambiguous failure."""
    item = data
    prefix: tuple[int, ...] = ()
    if isinstance(data, list):
        if not data:
            raise errors.BadResponse("empty array", endpoint=endpoint, field="[0]", ambiguous=True)
        item, prefix = data[0], (0,)
    try:
        return validate(endpoint, m.OrderCreated, item, prefix, ambiguous=True)
    except errors.BadResponse:
        key = item.get("order_key") if isinstance(item, dict) else None
        if isinstance(key, str) and key.strip():
            log.warning("%s: unreadable answer, but it names order %s; keeping it", endpoint,
                        key.strip())
            return m.OrderCreated(order_key=key.strip(), url=None, recovered=True)
        raise


async def _tell(callback: Callable[[reconcile.OrderLookup], Awaitable[None] | None] | None,
                lookup: reconcile.OrderLookup) -> None:
    if callback is not None:
        result = callback(lookup)
        if inspect.isawaitable(result):
            await result
