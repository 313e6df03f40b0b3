"""``client.peppered``: the API-key endpoints under ``/peppered`` (halls, seating, performances,
rich cart, orders, customers, exports, payment methods), returning typed camelCase-aliased DTOs.

The key goes raw into the Authorization header (no "Bearer"); without a key every call raises
NoApiKey before any network traffic. Writes are sent once and reconciled by reading back.
Read-only POSTs (findByEmail, export/orders) are retried like GETs.
"""
from __future__ import annotations

import codecs
import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

from boxoffice.domain.clock import VENUE_ZONE

from . import dates, errors, jsonio, reconcile
from .base import BaseClient, ItemList, expect_array, seg, validate, validate_items
from .group import EndpointGroup
from .models import peppered as p
from .models import public as pub
from .order_lookup import CartReader, attempt_ended, begin_order_lookup, order_check
from .secrets import _KNOWN_VALUES

log = logging.getLogger("boxoffice.api")
P = "/peppered"


def _unwrap(data: Any) -> Any:
    """Tolerate a Laravel-style ``{"data": ...}`` resource wrapper (its only key).

    The same rule holds for the public lists (``base.expect_array``). Anything else where an
    array is documented (e.g. a paginated ``{"data", "links", "meta"}``) is a BadResponse that
    says which envelope came: list reads go through ``expect_array``, never to an empty list."""
    if isinstance(data, dict) and set(data) == {"data"}:
        return data["data"]
    return data


class PepperedAPI(EndpointGroup):
    def __init__(self, base: BaseClient, read_cart: CartReader) -> None:
        super().__init__(base)
        #: The public read of a cart (``client.public.cart``): the seats an order is matched by.
        self._read_cart = read_cart

    async def _get(self, path: str, tp: Any, params: dict | None = None) -> Any:
        path = P + path
        endpoint = self._b.endpoint("GET", path)
        reply = await self._b.read("GET", path, params=params)
        data = reply.data
        if isinstance(data, dict) and set(data) == {"data"}:
            self._b.drift.record_note(endpoint, 'the answer came wrapped in {"data": ...} (unwrapped)')
        data = _unwrap(data)
        return validate(endpoint, tp, data, drift=self._b.drift)

    async def _get_list(self, path: str, tp: Any, params: dict | None = None) -> ItemList:
        """A documented array, read item by item (``skipped`` counts the items left out)."""
        path = P + path
        endpoint = self._b.endpoint("GET", path)
        reply = await self._b.read("GET", path, params=params)
        data = expect_array(endpoint, reply.data, drift=self._b.drift)
        return validate_items(endpoint, tp, data, drift=self._b.drift)

    # ------------------------------------------------------------------ halls & seating
    async def halls(self) -> ItemList:
        return await self._get_list("/hall", p.Hall)

    async def hall(self, hall_id: int | str) -> p.Hall:
        return await self._get(f"/hall/{seg(hall_id)}", p.Hall)

    async def seating(self, event_id: int | str) -> p.SeatPlan:
        """The seating plan; sections, rows, seats and price levels are read one by one (an
        unreadable seat is left out and recorded on ``drift``). A plan without seats means
        general admission (``SeatPlan.is_general_admission``), as a 404 does."""
        path = f"{P}/seating/{seg(event_id)}"
        endpoint = self._b.endpoint("GET", path)
        reply = await self._b.read("GET", path)
        data = reply.data
        if isinstance(data, dict) and set(data) == {"data"}:
            self._b.drift.record_note(endpoint, 'the answer came wrapped in {"data": ...} (unwrapped)')
        # (no await between the two counts: the parts of this plan left out, nothing else's)
        before = self._b.drift.skipped_count(endpoint)
        plan = validate(endpoint, p.SeatPlan, _unwrap(data), drift=self._b.drift)
        plan._skipped = max(self._b.drift.skipped_count(endpoint) - before, 0)
        if plan.is_general_admission:
            self._b.drift.record_note(self._b.endpoint("GET", f"{P}/seating/{seg(event_id)}"),
                                      "a plan without seats (read as general admission)")
        return plan

    # ------------------------------------------------------------------ performances
    async def events(
        self, start_date: date | None = None, end_date: date | None = None
    ) -> ItemList:
        params = {}
        if start_date is not None:
            params["startDate"] = dates.format_query_date(start_date)
        if end_date is not None:
            params["endDate"] = dates.format_query_date(end_date)
        return await self._get_list("/event", p.Performance, params or None)

    async def event(self, event_id: int | str) -> p.Performance:
        return await self._get(f"/event/{seg(event_id)}", p.Performance)

    # ------------------------------------------------------------------ cart
    async def cart(self, cart_id: str) -> p.PepperedCart:
        return await self._get(f"/cart/{seg(cart_id)}", p.PepperedCart)

    async def cart_summary(self, cart_id: str) -> p.CartSummary:
        return await self._get(f"/cart/{seg(cart_id)}/summary", p.CartSummary)

    async def add_items(
        self,
        cart_id: str,
        items: Iterable[p.CartItemRequest],
        *,
        known_cart: p.PepperedCart | None = None,
    ) -> p.PepperedCart:
        """Add items (specific seats via ``seat_id``, or counted places); all-or-nothing.

        Reconciling: requested seats are recognised in the read-back cart by ``itemId == seatId``;
        counted items by the growth of tickets per (event, price) against the cart before (read first
        unless ``known_cart`` is given). All present -> applied; none -> sent once more; partial ->
        OutcomeUnknown.

        A first attempt that timed out (or dropped) may be applied *after* the read-back. For seats
        the resend is then refused (409: the seat is held, by this very cart) and the read-back
        shows the seats: applied. Counted items would be doubled: after the verified resend the
        cart is read back once more and the surplus removed (:meth:`_remove_surplus`: the newest
        items of that performance and price go), with a warning in the log; if that cleanup fails
        -> OutcomeUnknown naming it.
        """
        items = list(items)
        if not items:
            raise ValueError("no items to add")
        path = f"{P}/cart/{seg(cart_id)}"
        endpoint = self._b.endpoint("POST", path)
        seat_ids = {i.seat_id for i in items if i.seat_id}
        expected: Counter = Counter()
        for i in items:
            if not i.seat_id:
                expected[(i.event_id, i.price_id)] += i.number_of_tickets or 1
        before = None
        if expected:
            before = known_cart if known_cart is not None else await self.cart(cart_id)
        body = [i.to_body() for i in items]
        sends = 0

        async def attempt() -> p.PepperedCart:
            nonlocal sends
            sends += 1
            reply = await self._b.send("POST", path, json=body)
            if reply.data is None:
                return await self.cart(cart_id)
            return validate(endpoint, p.PepperedCart, _unwrap(reply.data), ambiguous=True)

        async def check() -> reconcile.Outcome[p.PepperedCart]:
            after = await self.cart(cart_id)
            states = set()
            present = after.item_ids()
            for sid in seat_ids:
                states.add(sid in present)
            if expected:
                grown = _counts_without(after, seat_ids)
                grown.subtract(_counts_without(before, seat_ids))
                for key, n in expected.items():
                    if grown[key] == n or (sends > 1 and grown[key] == 2 * n):
                        # (twice: the late first attempt and the resend; verify removes one)
                        states.add(True)
                    elif grown[key] == 0:
                        states.add(False)
                    else:
                        return reconcile.unknown(f"cart grew by {grown[key]} for {key}, expected {n}")
            if states == {True}:
                return reconcile.applied(after)
            if states == {False}:
                return reconcile.not_applied()
            return reconcile.unknown("only part of the requested items are in the cart")

        async def verify(_resent: p.PepperedCart) -> p.PepperedCart:
            after = await self.cart(cart_id)
            return await self._remove_surplus(endpoint, cart_id, after, before, expected, seat_ids)

        return await reconcile.write_once_reconciled(
            endpoint, attempt, check, verify=verify if expected else None, **self._late())

    async def _remove_surplus(
        self,
        endpoint: str,
        cart_id: str,
        after: p.PepperedCart,
        before: p.PepperedCart | None,
        expected: Counter,
        seat_ids: set[str],
    ) -> p.PepperedCart:
        """After a verified resend of counted items: each (event, price) must have grown by exactly
        what was asked. More means the late first attempt landed too; the surplus is removed:
        among the items of that (event, price) that were not in the cart before, the *newest*
        (last in the cart's order, the order they were added in) go, until exactly the surplus
        is gone. Each removal is a reconciled DELETE; any failure, or a cart that is not then
        exactly right, raises OutcomeUnknown."""

        def growth(cart: p.PepperedCart) -> Counter:
            grown = _counts_without(cart, seat_ids)
            grown.subtract(_counts_without(before, seat_ids))
            return grown

        grown = growth(after)
        short = {k: grown[k] for k, n in expected.items() if grown[k] < n}
        if short:
            raise errors.OutcomeUnknown(
                f"after the resend the cart grew by {short} (event, price), expected {dict(expected)}",
                endpoint=endpoint,
            )
        surplus = {k: grown[k] - n for k, n in expected.items() if grown[k] > n}
        if not surplus:
            return after
        log.warning("%s: the first attempt was applied late as well as the resend; removing the "
                    "newest surplus items %s", endpoint, surplus)
        old = before.item_ids() if before is not None else set()
        doomed: list[p.CartItem] = []
        for key, extra in surplus.items():
            count = 0
            for item in reversed(after.cart_items):
                if count >= extra:
                    break
                if (item.event_id, item.price_id) == key and item.item_id not in old \
                        and item.item_id not in seat_ids:
                    doomed.append(item)
                    count += item.number_of_tickets or 1
            if count != extra:
                raise errors.OutcomeUnknown(
                    f"the cart holds {extra} surplus tickets for {key} (a late first attempt and "
                    f"the resend both applied) that cannot be removed item by item",
                    endpoint=endpoint,
                )
        for item in doomed:
            try:
                after = await self.remove_item(cart_id, item.item_id)
            except errors.VdmError as exc:
                raise errors.OutcomeUnknown(
                    f"removing surplus item {item.item_id} (a late first attempt and the resend "
                    f"both applied) failed: {type(exc).__name__}: {exc}",
                    endpoint=endpoint, cause=exc,
                ) from exc
        grown = growth(after)
        wrong = {k: grown[k] for k, n in expected.items() if grown[k] != n}
        if wrong:
            raise errors.OutcomeUnknown(
                f"after removing the surplus the cart grew by {wrong} (event, price), "
                f"expected {dict(expected)}", endpoint=endpoint,
            )
        return after

    async def remove_item(self, cart_id: str, item_id: str) -> p.PepperedCart:
        """Remove one item; reconciled (the item is gone either way)."""
        path = f"{P}/cart/{seg(cart_id)}/{seg(item_id)}"
        endpoint = self._b.endpoint("DELETE", path)

        async def attempt() -> p.PepperedCart:
            return await self._delete_returning_cart(path, endpoint, cart_id)

        async def check() -> reconcile.Outcome[p.PepperedCart]:
            after = await self.cart(cart_id)
            if item_id in after.item_ids():
                return reconcile.not_applied()
            return reconcile.applied(after)

        return await reconcile.write_once_reconciled(endpoint, attempt, check, **self._late())

    async def clear_cart(self, cart_id: str) -> p.PepperedCart:
        """Empty the cart; reconciled (it is empty either way)."""
        path = f"{P}/cart/{seg(cart_id)}"
        endpoint = self._b.endpoint("DELETE", path)

        async def attempt() -> p.PepperedCart:
            return await self._delete_returning_cart(path, endpoint, cart_id)

        async def check() -> reconcile.Outcome[p.PepperedCart]:
            after = await self.cart(cart_id)
            if after.cart_items or after.number_of_items:
                return reconcile.not_applied()
            return reconcile.applied(after)

        return await reconcile.write_once_reconciled(endpoint, attempt, check, **self._late())

    async def _delete_returning_cart(self, path: str, endpoint: str, cart_id: str) -> p.PepperedCart:
        reply = await self._b.send("DELETE", path)
        data = _unwrap(reply.data)
        if not isinstance(data, dict) or "cartId" not in data:
            return await self.cart(cart_id)
        return validate(endpoint, p.PepperedCart, data, ambiguous=True)

    async def checkout(
        self,
        cart_id: str,
        payment_method_id: int,
        customer_id: int | None = None,
        redirect_url: str | None = None,
        *,
        known_cart: pub.Cart | None = None,
    ) -> p.Order:
        """Turn the cart into an order (``Order.payment_url`` set from ``paymentUrl``).

        Sent exactly once, never again for this cart: decided like ``public.create_order`` after
        an ambiguous failure, from the order export only (``order_check``; the public read of
        the same cart, taken *before*, gives the seats to match). A recovered order has
        ``payment_url=None, recovered=True``.
        """
        path = f"{P}/cart/{seg(cart_id)}/checkout"
        endpoint = self._b.endpoint("POST", path)
        snapshot = known_cart if known_cart is not None else await self._read_cart(cart_id)
        # strict writing: an anonymous checkout (no customer) or one without a redirect leaves
        # the field out; never an explicit null
        body: dict[str, Any] = {"paymentMethodId": payment_method_id}
        if customer_id is not None:
            body["customerId"] = customer_id
        if redirect_url is not None:
            body["redirectUrl"] = redirect_url
        lookup = await begin_order_lookup(self._b, self, snapshot, cart_id)

        failures: list[errors.VdmError] = []

        async def attempt() -> p.Order:
            try:
                reply = await self._b.send("POST", path, json=body)
                return validate(endpoint, p.Order, _unwrap(reply.data), ambiguous=True)
            except errors.VdmError as exc:
                failures.append(exc)
                raise

        async def check() -> reconcile.Outcome[p.Order]:
            answered = not (failures and reconcile.may_land_late(failures[-1]))
            live = attempt_ended(lookup, self._b, answered)
            outcome, _seen = await order_check(self, self, cart_id, snapshot, live,
                                               live=True)
            if outcome.state == reconcile.APPLIED:
                return reconcile.applied(outcome.applied_value().to_order(recovered=True))
            return outcome

        return await reconcile.write_once_reconciled(endpoint, attempt, check, resend=False,
                                                     **self._late())

    # ------------------------------------------------------------------ orders
    async def orders(self, changed_since: date | datetime | None = None) -> ItemList:
        """Orders, each read on its own (``skipped`` counts those left out). For deciding whether
        an order was made, use :meth:`export_orders`, which never leaves one out."""
        params = None
        if changed_since is not None:
            params = {"changedSince": dates.format_changed_since(changed_since)}
        return await self._get_list("/order", p.Order, params)

    async def order(self, order_id: int | str) -> p.Order:
        return await self._get(f"/order/{seg(order_id)}", p.Order)

    async def _read_export(self, path: str, changed_since: date | datetime | None, *,
                           raw: bool = False) -> Any:
        """``POST`` an export (read-only, so retried like a GET) with ``changedSince``.

        [I] the format of changedSince is not documented: a server that refuses a date-time
        (422) gets the day it falls on (Amsterdam), a wider window; the callers filter or
        upsert themselves."""
        endpoint = self._b.endpoint("POST", path)
        body: dict[str, Any] = {}
        if changed_since is not None:
            body["changedSince"] = dates.format_changed_since(changed_since)
        try:
            return await self._b.read("POST", path, json=body, raw=raw)
        except errors.ValidationError:
            if not isinstance(changed_since, datetime):
                raise
            local = changed_since if changed_since.tzinfo else changed_since.replace(
                tzinfo=VENUE_ZONE)
            day = local.astimezone(VENUE_ZONE).date()
            log.info("%s: changedSince as a date-time refused; asking for the day", endpoint)
            return await self._b.read("POST", path, json={
                "changedSince": dates.format_changed_since(day)}, raw=raw)

    async def export_orders(
        self, changed_since: date | datetime | None = None, *, skip_unreadable: bool = False,
    ) -> list[p.OrderExport]:
        """``POST /export/orders`` (read-only, so retried like a GET).

        Every order is read tolerantly (ids as numbers or text, row/seat labels, unknown fields
        kept). An order that still cannot be read makes the call fail with a BadResponse naming
        it, because this list decides whether a lost order exists: leaving one out could lead to
        a second order. ``skip_unreadable=True`` (reports such as ``check``) leaves it out and
        counts it instead."""
        path = f"{P}/export/orders"
        endpoint = self._b.endpoint("POST", path)
        reply = await self._read_export(path, changed_since)
        data = expect_array(endpoint, reply.data, drift=self._b.drift)
        if skip_unreadable:
            return validate_items(endpoint, p.OrderExport, data, drift=self._b.drift)
        return validate(endpoint, list[p.OrderExport], data, drift=self._b.drift)

    async def export_orders_raw(self, changed_since: date | datetime | None = None) -> RawArray:
        """``POST /export/orders`` kept undecoded: the order desk reads a large export item by
        item off the event loop (:meth:`RawArray.read`, each order on its own)."""
        path = f"{P}/export/orders"
        reply = await self._read_export(path, changed_since, raw=True)
        return RawArray(self._b.endpoint("POST", path), reply.data)

    async def export_customers(self, changed_since: date | datetime | None = None) -> ItemList:
        """``POST /export/customers``: every customer read on its own
        (:class:`~boxoffice.api.models.peppered.ExportCustomer`; ``skipped`` counts those left
        out)."""
        path = f"{P}/export/customers"
        endpoint = self._b.endpoint("POST", path)
        reply = await self._read_export(path, changed_since)
        data = expect_array(endpoint, reply.data, drift=self._b.drift)
        return validate_items(endpoint, p.ExportCustomer, data, drift=self._b.drift)

    async def export_customers_raw(self, changed_since: date | datetime | None = None
                                   ) -> RawArray:
        """``POST /export/customers`` kept undecoded (see :meth:`export_orders_raw`)."""
        path = f"{P}/export/customers"
        reply = await self._read_export(path, changed_since, raw=True)
        return RawArray(self._b.endpoint("POST", path), reply.data)

    # ------------------------------------------------------------------ customers
    async def create_customer(self, customer: p.CustomerCreate) -> p.Customer:
        """Create a customer; after an ambiguous failure it is looked up by e-mail (read-back)."""
        path = f"{P}/customer"
        endpoint = self._b.endpoint("POST", path)
        body = customer.to_body()

        async def attempt() -> p.Customer:
            reply = await self._b.send("POST", path, json=body)
            return validate(endpoint, p.Customer, _unwrap(reply.data), ambiguous=True)

        async def check() -> reconcile.Outcome[p.Customer]:
            found = await self.find_customer_by_email(customer.email)
            return reconcile.applied(found) if found is not None else reconcile.not_applied()

        return await reconcile.write_once_reconciled(endpoint, attempt, check, **self._late())

    async def find_customer_by_email(self, email: str) -> p.Customer | None:
        """The customer with this e-mail, or None (404). Read-only POST, retried like a GET."""
        path = f"{P}/customer/findByEmail"
        try:
            reply = await self._b.read("POST", path, json={"email": email})
        except errors.NotFound:
            return None
        return validate(self._b.endpoint("POST", path), p.Customer, _unwrap(reply.data),
                        drift=self._b.drift)

    async def customer(self, customer_id: int | str) -> p.Customer:
        return await self._get(f"/customer/{seg(customer_id)}", p.Customer)

    async def update_customer(self, customer_id: int, **fields: Any) -> p.Customer:
        """Partial update with snake_case field names (``first_name=...``, ``city=...``).

        Reconciled: after an ambiguous failure the customer is read back; when every given field
        has the new value it applied, otherwise it is sent once more (a PUT of the same values is
        idempotent in effect, so this is never a double effect).
        """
        update = p.CustomerUpdate(**fields)
        body = update.to_body()
        if not body:
            raise ValueError("no fields to update")
        path = f"{P}/customer/{seg(customer_id)}"
        endpoint = self._b.endpoint("PUT", path)

        async def attempt() -> p.Customer:
            reply = await self._b.send("PUT", path, json=body)
            return validate(endpoint, p.Customer, _unwrap(reply.data), ambiguous=True)

        async def check() -> reconcile.Outcome[p.Customer]:
            current = await self.customer(customer_id)
            same = [getattr(current, name) == getattr(update, name) for name in update.model_fields_set]
            if all(same):
                return reconcile.applied(current)
            return reconcile.not_applied()

        return await reconcile.write_once_reconciled(endpoint, attempt, check, **self._late())

    # ------------------------------------------------------------------ payment methods
    async def payment_methods(self) -> ItemList:
        """Payment methods, each read on its own (one whose fee cannot be read is left out)."""
        return await self._get_list("/paymentmethods", p.PepperedPaymentMethod)


_WS = re.compile(r"[ \t\n\r]*")
_CHUNK = 1 << 20


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON constant {name}")


def _split(parts: list[bytes]) -> Iterator[bytes]:
    """The pieces, none longer than ``_CHUNK``."""
    for part in parts:
        for start in range(0, len(part), _CHUNK):
            yield part[start:start + _CHUNK] if len(part) > _CHUNK else part


class _Pieces:
    """A UTF-8 body decoded piece by piece: ``buf`` holds the text from ``idx`` on (what was
    read before is dropped when the next piece comes)."""

    def __init__(self, parts: list[bytes], endpoint: str) -> None:
        self.parts = iter(_split(parts))
        self.endpoint = endpoint
        self.buf = ""
        self.idx = 0
        self._done = False
        self._utf8 = codecs.getincrementaldecoder("utf-8")()

    def more(self) -> bool:
        """Append the next piece of the body; False at its end."""
        if self._done:
            return False
        try:
            part = next(self.parts, None)
            if part is None:
                self._done = True
                piece = self._utf8.decode(b"", final=True)
                if not piece:
                    return False
            else:
                piece = self._utf8.decode(part)
        except UnicodeDecodeError as exc:
            raise errors.BadResponse(f"invalid JSON ({str(exc)[:80]})",
                                     endpoint=self.endpoint) from None
        self.buf, self.idx = self.buf[self.idx:] + piece, 0
        return True

    def next_char(self) -> str:
        """The next character after blanks ("" at the end of the body)."""
        while True:
            self.idx = _WS.match(self.buf, self.idx).end()  # type: ignore[union-attr]
            if self.idx < len(self.buf):
                return self.buf[self.idx]
            if not self.more():
                return ""


class RawArray:
    """A JSON array answer kept as bytes, to be read item by item, e.g. in a worker thread (a
    large export decoded at once would hold the event loop for a second).

    :meth:`read` yields each item validated as a model; an item that cannot be read is left out,
    logged and counted in :attr:`skipped` (the tolerant reader of the other lists). Numbers
    with a fraction are Decimal, never float (as ``jsonio.loads``)."""

    def __init__(self, endpoint: str, body: bytes | list[bytes] | None) -> None:
        self.endpoint = endpoint
        #: the answer as the pieces it came in
        self.parts: list[bytes] = [body] if isinstance(body, bytes) else list(body or [])
        self.skipped = 0

    @property
    def body(self) -> bytes:
        return b"".join(self.parts)

    def values(self) -> Iterator[Any]:
        """The raw items (decoded JSON values), one by one. BadResponse when the answer is not
        an array (a ``{"data": [...]}`` wrapper is unwrapped).

        The body is decoded a megabyte at a time (decoding 100 MB at once would hold the
        interpreter, and so the event loop, for a long moment)."""
        text = _Pieces(self.parts, self.endpoint)
        first = text.next_char()
        if not first:
            return
        if first != "[":
            try:
                data = jsonio.loads(self.body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise errors.BadResponse(f"invalid JSON ({str(exc)[:80]})",
                                         endpoint=self.endpoint) from None
            yield from expect_array(self.endpoint, data)
            return
        text.idx += 1
        decoder = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant)
        if text.next_char() == "]":
            return
        while True:
            try:
                value, end = decoder.raw_decode(text.buf, text.idx)
            except json.JSONDecodeError as exc:
                # (a piece may end inside a word or number: "tru", "-"; the error is then
                # within a few characters of its end, or an unterminated string)
                cut_short = exc.pos >= len(text.buf) - 64 or exc.msg.startswith("Unterminated")
                if cut_short and text.more():
                    continue
                raise errors.BadResponse(f"invalid JSON ({str(exc)[:80]})",
                                         endpoint=self.endpoint) from None
            except (ValueError, RecursionError) as exc:
                raise errors.BadResponse(f"invalid JSON ({str(exc)[:80]})",
                                         endpoint=self.endpoint) from None
            if end >= len(text.buf) and not isinstance(value, (dict, list)) and text.more():
                continue   # a number or word the piece may have cut: read it whole
            text.idx = end
            yield value
            sep = text.next_char()
            if sep == "]":
                return
            if sep != ",":
                raise errors.BadResponse("invalid JSON (an array that does not go on)",
                                         endpoint=self.endpoint)
            text.idx += 1
            text.next_char()

    @property
    def may_echo_secret(self) -> bool:
        """The answer contains a key this process holds (then every item must go through
        :meth:`validate_one`, which refuses such an answer). Looked for piece by piece."""
        keys = [key.encode("utf-8") for key in _KNOWN_VALUES if key]
        if not keys:
            return False
        overlap = max(len(k) for k in keys) - 1
        tail = b""
        for part in _split(self.parts):
            window = tail + part
            if any(k in window for k in keys):
                return True
            tail = window[-overlap:] if overlap else b""
        return False

    def read(self, tp: Any) -> Iterator[Any]:
        """Each item validated as *tp*; unreadable items are skipped, logged and counted."""
        for index, value in enumerate(self.values()):
            item = self.validate_one(tp, value, index)
            if item is not None:
                yield item

    def validate_one(self, tp: Any, value: Any, index: int) -> Any | None:
        """One raw item validated as *tp*; None (skipped, logged, counted) when unreadable."""
        try:
            return validate(self.endpoint, tp, value, (index,))
        except errors.BadResponse as exc:
            if getattr(exc, "secret_echo", False):
                raise
            self.skipped += 1
            reason = f"{exc.field}: {exc.detail}" if exc.field else exc.detail
            log.warning("%s: item [%d] left out: %s", self.endpoint, index, reason)
            return None


def _counts_without(cart: p.PepperedCart | None, seat_ids: set[str]) -> Counter:
    counts: Counter = Counter()
    if cart is None:
        return counts
    for item in cart.cart_items:
        if item.item_id not in seat_ids:
            counts[(item.event_id, item.price_id)] += item.number_of_tickets or 1
    return counts
