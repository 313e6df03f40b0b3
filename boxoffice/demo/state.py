"""The simulator's mutable state machine: seats, carts, holds, orders and customers (records and
validation in customers.py).

All access goes through one re-entrant lock (``SimState.lock``), so concurrent requests can
never give one seat to two carts. Time comes from the injected SimClock; every public entry
point first "sweeps" (expires carts and unpaid orders, applies auto-pay) at the current time.
Errors are raised as SimError(status, message) and rendered by the HTTP layer.
"""
from __future__ import annotations

import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from . import behaviour as B
from .catalog import Catalog, Performance, TicketType
from .clock import SimClock
from .customers import CUSTOMER_FIELDS, EMAIL_RE, Customer, validate_customer
from .ids import SeatIdCodec, order_key, random_token

FREE, SOLD, BLOCKED, HELD, ORDERED = 0, 1, 2, 3, 4
_STATUS_NAMES = {FREE: "free", SOLD: "sold", BLOCKED: "blocked", HELD: "held", ORDERED: "ordered"}


class SimError(Exception):
    """An API error answer: HTTP status + {"message": ...} (+ optional extra fields)."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"message": self.message, **self.extra}


class EventSeats:
    """Per-performance seat status (seat index -> FREE/SOLD/BLOCKED/HELD/ORDERED)."""

    def __init__(self, capacity: int) -> None:
        self.status = bytearray(capacity)
        self.owner: dict[int, str] = {}  # HELD -> cart id, ORDERED -> order key
        self.block: dict[int, str] = {}  # BLOCKED -> blockType
        self.price_counts: dict[str, int] = {}  # priceId -> tickets held or ordered
        self.free = capacity

    def is_free(self, index: int) -> bool:
        return self.status[index] == FREE


@dataclass
class CartLine:
    item_id: str
    item_type: str  # "ticket" | "donation"
    amount: Decimal
    event_id: int | None = None
    seat_index: int | None = None
    rank_id: int | None = None
    price_id: str | None = None
    price_name: str | None = None


@dataclass
class Cart:
    cart_id: str
    created: datetime
    lines: list[CartLine] = field(default_factory=list)
    last_add: datetime | None = None
    hold_seconds: float = B.HOLD_SECONDS
    #: keys of the orders made from this cart (more than one only in "kept" mode, when a
    #: client ordered the same cart twice)
    orders: list[str] = field(default_factory=list)

    @property
    def time_out(self) -> datetime | None:
        if not self.lines or self.last_add is None:
            return None
        return self.last_add + timedelta(seconds=self.hold_seconds)

    def total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), Decimal("0.00"))


@dataclass
class Ticket:
    ticket_id: int
    event_id: int
    seat_index: int
    seat_id: str
    rank_id: int
    row_nr: int
    seat_nr: int
    amount: Decimal
    price_id: str
    price_name: str


@dataclass
class Order:
    order_id: int
    order_key: str
    customer_id: int | None
    order_date: datetime
    last_changed: datetime
    payment_method_id: int
    fee: Decimal
    donation: Decimal
    tickets: list[Ticket]
    redirect_url: str | None = None
    buyer: dict[str, Any] = field(default_factory=dict)
    payment_status: str = "none"
    order_status: str = "ord"
    deleted_tickets: list[Ticket] = field(default_factory=list)
    payment_timeout: float = B.PAYMENT_TIMEOUT_SECONDS
    channel: str = B.COUNTER_CHANNEL
    #: an online reservation's own deadline (online.py); counter orders use payment_timeout
    reserved_until: datetime | None = None

    @property
    def time_out(self) -> datetime | None:
        if self.payment_status != "none":
            return None
        if self.reserved_until is not None:
            return self.reserved_until
        return self.order_date + timedelta(seconds=self.payment_timeout)

    @property
    def amount(self) -> Decimal:
        live = self.tickets or self.deleted_tickets
        return sum((t.amount for t in live), Decimal("0.00")) + self.donation


def run_order_base(now: float | None = None) -> int:
    """Where this run's order ids start above ``FIRST_ORDER_ID``: 10 ids per second since
    2026-01-01, so a run started later never hands out an order id of an earlier one (unless
    that one made more than 10 orders a second on average)."""
    seconds = int((time.time() if now is None else now) - 1_767_225_600)
    return max(0, seconds) * 10


class SimState:
    """Seats, carts, orders and customers of one simulator, guarded by ``lock``."""

    def __init__(self, catalog: Catalog, clock: SimClock, tunables: B.Tunables, seed: int,
                 run: str | None = None) -> None:
        self.lock = threading.RLock()
        self.catalog = catalog
        self.clock = clock
        self.tunables = tunables
        self.seed = seed
        self.codec = SeatIdCodec(seed)
        # The seed makes the catalog (events, halls, seat ids) the same in every run; the ids
        # this run hands out (cart ids, order keys, order ids) must differ from every earlier
        # run's, which a client's journal may still hold: ``run`` salts them (random unless
        # given, for a test that wants a repeatable run).
        self.run = run if run is not None else secrets.token_hex(8)
        self._rng = random.Random(f"runtime:{seed}:{self.run}")
        self._seats: dict[int, EventSeats] = {}
        self.carts: dict[str, Cart] = {}
        self.orders: dict[str, Order] = {}
        self.orders_by_id: dict[int, Order] = {}
        self.customers: dict[int, Customer] = {}
        self._active_carts: set[str] = set()
        self._pending_orders: set[str] = set()
        self._next_ticket = B.FIRST_TICKET_ID
        self._next_order = B.FIRST_ORDER_ID + (0 if run is not None else run_order_base())
        self._next_customer = B.FIRST_CUSTOMER_ID
        #: builds the seeded online orders on first use (online.py; keeps start-up fast)
        self.ensure_orders: Callable[[], None] = lambda: None

    # --- time -------------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def sweep(self) -> datetime:
        """Expire carts and unpaid orders and apply auto-pay, as of now. Returns now."""
        now = self.now()
        with self.lock:
            for cart_id in list(self._active_carts):
                cart = self.carts[cart_id]
                t_out = cart.time_out
                if t_out is None:
                    self._active_carts.discard(cart_id)
                elif t_out <= now:
                    self._empty_cart(cart)
            auto = self.tunables.auto_pay_after
            for key in list(self._pending_orders):
                order = self.orders[key]
                expires = order.order_date + timedelta(seconds=order.payment_timeout)
                pays = order.order_date + timedelta(seconds=auto) if auto is not None else None
                if pays is not None and pays <= now and pays <= expires:
                    self._settle(order, "paid", pays)
                elif expires <= now:
                    self._settle(order, "expired", expires)
        return now

    # --- seats ------------------------------------------------------------------------------------
    def performance(self, event_id: int) -> Performance:
        perf = self.catalog.performances.get(event_id)
        if perf is None:
            raise SimError(404, B.MSG_EVENT_NOT_FOUND)
        return perf

    def seats(self, perf: Performance) -> EventSeats:
        with self.lock:
            es = self._seats.get(perf.event_id)
            if es is None:
                es = self._materialize(perf)
                self._seats[perf.event_id] = es
            return es

    def _materialize(self, perf: Performance) -> EventSeats:
        hall = self.catalog.hall_of(perf)
        es = EventSeats(hall.capacity)
        rng = random.Random(f"{self.seed}:seats:{perf.event_id}")
        layout = hall.layout()
        if layout is not None:
            first = layout.sections[0]
            back = first.rows[-1]
            for btype, count in sorted(perf.blocks.items()):
                picks: range | list[int]
                if btype == "tech":
                    mid = back.start + back.length // 2 - count // 2
                    picks = range(mid, mid + count)
                elif btype == "wheel":
                    picks = [back.start + k for k in range(count // 2)] + \
                            [back.start + back.length - 1 - k for k in range(count - count // 2)]
                else:
                    picks = rng.sample(range(layout.capacity), count)
                for i in picks:
                    if es.status[i] == FREE:
                        es.status[i] = BLOCKED
                        es.block[i] = btype
                        es.free -= 1
            if perf.sold_out:
                for i in range(layout.capacity):
                    if es.status[i] == FREE:
                        es.status[i] = SOLD
                es.free = 0
            elif perf.fill > 0:
                n_rows = len(layout.rows)
                for r_index, row in enumerate(layout.rows):
                    # Front rows sell first: the sale chance falls towards the back.
                    p = min(0.97, perf.fill * (1.4 - 0.8 * r_index / max(1, n_rows - 1)))
                    i, end = row.start, row.start + row.length
                    while i < end:
                        group = rng.randint(1, 4)
                        if rng.random() < p:
                            for k in range(i, min(i + group, end)):
                                if es.status[k] == FREE:
                                    es.status[k] = SOLD
                                    es.free -= 1
                        i += group
        else:
            sold = es.free if perf.sold_out else int(len(es.status) * perf.fill)
            for i in range(sold):
                es.status[i] = SOLD
            es.free -= sold
        return es

    def seat_id(self, event_id: int, index: int) -> str:
        return self.codec.encode(event_id, index)

    def seat_position(self, perf: Performance, index: int) -> tuple[int, int]:
        """(rowNr, seatNr); (0, 0) for general admission."""
        layout = self.catalog.hall_of(perf).layout()
        if layout is None:
            return 0, 0
        return layout.row_nr_of(index), layout.seat_nr[index]

    def rank_of(self, perf: Performance, index: int) -> int:
        hall = self.catalog.hall_of(perf)
        layout = hall.layout()
        return hall.ranks[0].rank_id if layout is None else layout.rank_id[index]

    def on_sale(self, perf: Performance, now: datetime | None = None) -> bool:
        now = now or self.now()
        return perf.status == "pub" and perf.start > now

    def event_free(self, perf: Performance, now: datetime | None = None) -> int:
        if not self.on_sale(perf, now):
            return 0
        return min(self.tunables.per_order_max, self.seats(perf).free)

    def ticket_type_available(self, perf: Performance, tt: TicketType, extra: int = 0) -> bool:
        if tt.quota is None:
            return True
        return self.seats(perf).price_counts.get(tt.price_id, 0) + extra <= tt.quota

    def price(self, perf: Performance, rank_id: int, tt: TicketType) -> Decimal:
        return tt.apply(self.catalog.production_of(perf).rank_prices[rank_id])

    def _take(self, perf: Performance, es: EventSeats, index: int, owner: str, price_id: str,
              status: int = HELD) -> None:
        es.status[index] = status
        es.owner[index] = owner
        es.free -= 1
        es.price_counts[price_id] = es.price_counts.get(price_id, 0) + 1

    def _release(self, event_id: int, index: int, price_id: str | None,
                 owner: str | None = None) -> None:
        """Free a held or ordered seat; with ``owner``, only while that cart/order owns it (a
        cart kept after its order never frees the order's seats)."""
        es = self._seats[event_id]
        if owner is not None and es.owner.get(index) != owner:
            return
        if es.status[index] in (HELD, ORDERED):
            es.status[index] = FREE
            es.owner.pop(index, None)
            es.free += 1
            if price_id:
                es.price_counts[price_id] = max(0, es.price_counts.get(price_id, 0) - 1)

    def _pick(self, perf: Performance, es: EventSeats, n: int, rank_id: int | None
              ) -> list[int] | None:
        layout = self.catalog.hall_of(perf).layout()
        if layout is None:
            out = []
            for i, s in enumerate(es.status):
                if s == FREE:
                    out.append(i)
                    if len(out) == n:
                        return out
            return None
        return (layout.best_block(n, es.is_free, rank_id)
                or layout.best_scattered(n, es.is_free, rank_id))

    # --- carts ------------------------------------------------------------------------------------
    def create_cart(self) -> Cart:
        with self.lock:
            self.sweep()
            cart_id = random_token(self._rng, B.CART_ID_LENGTH)
            cart = Cart(cart_id, self.now(), hold_seconds=self.tunables.hold_seconds)
            self.carts[cart_id] = cart
            return cart

    def cart(self, cart_id: str) -> Cart:
        with self.lock:
            self.sweep()
            cart = self.carts.get(cart_id)
            if cart is None:
                raise SimError(404, B.MSG_CART_NOT_FOUND)
            return cart

    def _empty_cart(self, cart: Cart) -> None:
        for line in cart.lines:
            if line.item_type == "ticket" and line.seat_index is not None:
                assert line.event_id is not None
                self._release(line.event_id, line.seat_index, line.price_id, cart.cart_id)
        cart.lines = []
        cart.last_add = None
        self._active_carts.discard(cart.cart_id)

    def _ticket_type(self, perf: Performance, price_id: Any) -> TicketType | None:
        for tt in self.catalog.production_of(perf).ticket_types:
            if tt.price_id == price_id:
                return tt
        return None

    def _new_ticket_line(self, perf: Performance, es: EventSeats, index: int, cart: Cart,
                         tt: TicketType) -> CartLine:
        self._take(perf, es, index, cart.cart_id, tt.price_id)
        rank = self.rank_of(perf, index)
        return CartLine(self.seat_id(perf.event_id, index), "ticket", self.price(perf, rank, tt),
                        perf.event_id, index, rank, tt.price_id, tt.name)

    def public_add(self, cart_id: str, event_id: Any, quantity: Any, discount_id: Any) -> Cart:
        """Public POST /cart/:cart_id: best available adjacent seats, all or nothing."""
        with self.lock:
            cart = self.cart(cart_id)
            eid = _as_int(event_id)
            if eid is None:
                raise SimError(422, "event_id must be an integer")
            perf = self.catalog.performances.get(eid)
            if perf is None:
                raise SimError(404, B.MSG_EVENT_NOT_FOUND)
            n = _as_int(quantity)
            if n is None or n < 1:
                raise SimError(422, B.MSG_INVALID_QUANTITY)
            tt = self._ticket_type(perf, discount_id)
            if tt is None:
                raise SimError(422, B.MSG_INVALID_DISCOUNT)
            if not self.on_sale(perf):
                raise SimError(422, B.MSG_NOT_ON_SALE)
            in_cart = sum(1 for ln in cart.lines if ln.event_id == eid)
            if in_cart + n > self.tunables.per_order_max:
                raise SimError(422, B.MSG_MAX_PER_ORDER)
            if not self.ticket_type_available(perf, tt, n):
                raise SimError(422, B.MSG_TICKET_TYPE_UNAVAILABLE)
            es = self.seats(perf)
            picks = self._pick(perf, es, n, None) if es.free >= n else None
            if picks is None:
                raise SimError(409, B.MSG_NOT_ENOUGH_SEATS)
            for i in picks:
                cart.lines.append(self._new_ticket_line(perf, es, i, cart, tt))
            self._touch(cart)
            return cart

    def _touch(self, cart: Cart) -> None:
        cart.last_add = self.now()
        self._active_carts.add(cart.cart_id)

    def peppered_add(self, cart_id: str, items: Any) -> Cart:
        """Peppered POST /cart/{cartId}: array of items, optional seatId; all or nothing."""
        with self.lock:
            cart = self.cart(cart_id)
            if not isinstance(items, list) or not items:
                raise SimError(422, B.MSG_VALIDATION, errors={"items": ["An array of items is required."]})
            added: list[CartLine] = []
            try:
                for item in items:
                    added.extend(self._peppered_item(cart, item))
            except SimError:
                for line in added:
                    if line.item_type == "ticket" and line.seat_index is not None:
                        assert line.event_id is not None
                        self._release(line.event_id, line.seat_index, line.price_id,
                                      cart.cart_id)
                raise
            cart.lines.extend(added)
            self._touch(cart)
            return cart

    def _peppered_item(self, cart: Cart, item: Any) -> list[CartLine]:
        if not isinstance(item, dict):
            raise SimError(422, B.MSG_VALIDATION, errors={"items": ["Each item must be an object."]})
        price_id, rank_id = item.get("priceId"), item.get("rankId")
        errors = {}
        if not isinstance(price_id, str) or not price_id:
            errors["priceId"] = ["The priceId field is required."]
        if _as_int(rank_id, strict=True) is None:
            errors["rankId"] = ["The rankId field is required and must be an integer."]
        if errors:
            raise SimError(422, B.MSG_VALIDATION, errors=errors)
        if price_id == "donation":
            try:
                amount = Decimal(str(item.get("amount")))
            except (InvalidOperation, ValueError):
                amount = Decimal(0)
            if not amount.is_finite() or amount <= 0:
                raise SimError(422, "A donation needs a positive amount")
            return [CartLine(random_token(self._rng, B.SEAT_ID_LENGTH), "donation",
                             amount.quantize(Decimal("0.01")), price_name="Donatie")]
        eid = _as_int(item.get("eventId"), strict=True)
        if eid is None:
            raise SimError(422, B.MSG_VALIDATION, errors={"eventId": ["The eventId field is required for tickets."]})
        perf = self.catalog.performances.get(eid)
        if perf is None:
            raise SimError(422, f"Event {eid} not found")
        n = _as_int(item.get("numberOfTickets", 1), strict=True)
        if n is None or n < 1:
            raise SimError(422, B.MSG_VALIDATION, errors={"numberOfTickets": ["Must be a positive integer."]})
        hall = self.catalog.hall_of(perf)
        if rank_id not in {r.rank_id for r in hall.ranks}:
            raise SimError(422, f"Rank {rank_id} does not exist for event {eid}")
        tt = self._ticket_type(perf, price_id)
        if tt is None:
            raise SimError(422, f"Price {price_id} is not valid for rank {rank_id}")
        if not self.on_sale(perf):
            raise SimError(422, B.MSG_NOT_ON_SALE)
        if not self.ticket_type_available(perf, tt, n):
            raise SimError(422, B.MSG_TICKET_TYPE_UNAVAILABLE)
        es = self.seats(perf)
        seat_id = item.get("seatId")
        if seat_id is not None:
            if hall.is_ga:
                raise SimError(422, B.MSG_NO_SEATING)
            if n != 1:
                raise SimError(422, "numberOfTickets must be 1 when a seatId is given")
            decoded = self.codec.decode(seat_id) if isinstance(seat_id, str) else None
            if decoded is None or decoded[0] != eid or decoded[1] >= len(es.status):
                raise SimError(422, f"Seat {seat_id} not found for event {eid}")
            index = decoded[1]
            row_nr, seat_nr = self.seat_position(perf, index)
            seat_rank = self.rank_of(perf, index)
            if seat_rank != rank_id:
                raise SimError(422, f"Seat {row_nr}-{seat_nr} has rank {seat_rank}, not {rank_id}")
            if es.status[index] != FREE:
                raise SimError(409, B.MSG_SEAT_NOT_AVAILABLE.format(row=row_nr, nr=seat_nr))
            return [self._new_ticket_line(perf, es, index, cart, tt)]
        picks = self._pick(perf, es, n, None if hall.is_ga else rank_id)
        if picks is None:
            raise SimError(409, B.MSG_NOT_ENOUGH_SEATS)
        return [self._new_ticket_line(perf, es, i, cart, tt) for i in picks]

    def remove_line(self, cart_id: str, item_id: str, *, public: bool) -> Cart:
        with self.lock:
            cart = self.cart(cart_id)
            for k, line in enumerate(cart.lines):
                if line.item_id == item_id and (line.item_type == "ticket" or not public):
                    if line.item_type == "ticket" and line.seat_index is not None:
                        assert line.event_id is not None
                        self._release(line.event_id, line.seat_index, line.price_id, cart_id)
                    del cart.lines[k]
                    if not cart.lines:
                        cart.last_add = None
                        self._active_carts.discard(cart.cart_id)
                    return cart
            raise SimError(404, B.MSG_SEAT_NOT_IN_CART if public else B.MSG_ITEM_NOT_FOUND)

    def clear_cart(self, cart_id: str) -> Cart:
        with self.lock:
            cart = self.cart(cart_id)
            self._empty_cart(cart)
            return cart

    # --- payment methods --------------------------------------------------------------------------
    def set_payment_fee(self, payment_id: Any, fee: Any) -> None:
        """The venue changes a method's surcharge (control API ``POST /v1/_sim/paymentmethods/
        <id>`` with ``{"fee": "1.25"}``; tests). Orders made from then on carry the new fee."""
        from dataclasses import replace

        pid = _as_int(payment_id)
        try:
            amount = Decimal(str(fee)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise SimError(422, "fee must be a decimal amount") from None
        with self.lock:
            method = self.catalog.payment_methods.get(pid) if pid is not None else None
            if method is None or pid is None:
                raise SimError(404, B.MSG_INVALID_PAYMENT)
            if not amount.is_finite() or amount < 0:
                raise SimError(422, "fee must not be negative")
            self.catalog.payment_methods[pid] = replace(method, fee=amount)

    # --- orders -----------------------------------------------------------------------------------
    def checkout(self, cart_id: str, payment_id: Any, *, customer_id: Any = None,
                 redirect_url: Any = None, buyer: dict[str, Any] | None = None) -> Order:
        """Turn a cart into an unpaid order (public order/create and peppered checkout)."""
        with self.lock:
            cart = self.cart(cart_id)
            pid = _as_int(payment_id)
            method = self.catalog.payment_methods.get(pid) if pid is not None else None
            if method is None:
                raise SimError(422, B.MSG_INVALID_PAYMENT)
            cid = None
            if customer_id is not None:
                cid = _as_int(customer_id, strict=True)
                if cid is None or cid not in self.customers:
                    raise SimError(422, B.MSG_CUSTOMER_NOT_FOUND)
            if not cart.lines:
                raise SimError(422, B.MSG_CART_EMPTY)
            if redirect_url is not None and not isinstance(redirect_url, str):
                raise SimError(422, "redirectURL must be a string")
            buyer = buyer or {}
            if cid is None and isinstance(buyer.get("email"), str) and \
                    EMAIL_RE.match(buyer["email"]):
                existing = self._customer_by_email(buyer["email"])
                if existing is None:
                    fields = {"customerFirstName": buyer.get("firstname"),
                              "customerLastName": buyer.get("lastname"),
                              "customerPhone": buyer.get("phone"),
                              "customerAddress": buyer.get("address"),
                              "customerCity": buyer.get("city"), "customerZip": buyer.get("zip")}
                    existing = self._add_customer(buyer["email"], fields)
                cid = existing.customer_id
            return self._order_from_cart(cart, method.payment_id, method.fee, cid,
                                         redirect_url or None, buyer)

    def _order_from_cart(self, cart: Cart, payment_id: int, fee: Decimal, cid: int | None,
                         redirect_url: str | None, buyer: dict[str, Any]) -> Order:
        now = self.now()
        key = order_key(self._rng)
        while key in self.orders:
            key = order_key(self._rng)
        tickets = []
        donation = Decimal("0.00")
        for line in cart.lines:
            if line.item_type == "donation":
                donation += line.amount
                continue
            assert line.event_id is not None and line.seat_index is not None
            perf = self.catalog.performances[line.event_id]
            es = self._seats[line.event_id]
            es.status[line.seat_index] = ORDERED
            es.owner[line.seat_index] = key
            row_nr, seat_nr = self.seat_position(perf, line.seat_index)
            tickets.append(Ticket(self._next_ticket, line.event_id, line.seat_index, line.item_id,
                                  line.rank_id or 0, row_nr, seat_nr, line.amount,
                                  line.price_id or "", line.price_name or ""))
            self._next_ticket += 1
        order = Order(self._next_order, key, cid, now, now, payment_id, fee, donation, tickets,
                      redirect_url=redirect_url, buyer=dict(buyer),
                      payment_timeout=self.tunables.payment_timeout)
        self._next_order += 1
        self.orders[key] = order
        self.orders_by_id[order.order_id] = order
        self._pending_orders.add(key)
        cart.orders.append(key)
        if self.tunables.cart_after_order == "emptied":
            cart.lines = []
            cart.last_add = None
        # "kept": the lines stay (their seats now belong to the order) and no longer expire
        self._active_carts.discard(cart.cart_id)
        return order

    def order(self, key: str) -> Order:
        with self.lock:
            self.sweep()
            order = self.orders.get(key)
            if order is None:
                self.ensure_orders()
                order = self.orders.get(key)
            if order is None:
                raise SimError(404, "Order not found")
            return order

    def order_by_id(self, order_id: int) -> Order:
        with self.lock:
            self.sweep()
            order = self.orders_by_id.get(order_id)
            if order is None:
                self.ensure_orders()
                order = self.orders_by_id.get(order_id)
            if order is None:
                raise SimError(404, "Order not found")
            return order

    def settle(self, key: str, status: str) -> Order:
        """Move an unpaid order to paid/cancelled/failed/expired (payment page, tests)."""
        if status not in B.PAYMENT_STATUSES or status == "none":
            raise SimError(422, f"Unknown payment status {status!r}")
        with self.lock:
            order = self.order(key)
            if order.payment_status != "none":
                raise SimError(409, f"Order is already {order.payment_status}")
            self._settle(order, status, self.now())
            return order

    def _settle(self, order: Order, status: str, when: datetime) -> None:
        order.payment_status = status
        order.last_changed = when
        self._pending_orders.discard(order.order_key)
        if status == "paid" and order.order_status in ("res", "pros"):
            order.order_status = "ord"  # an online reservation paid on the payment page
        if status != "paid":
            order.order_status = "cancel"
            for t in order.tickets:
                es = self._seats[t.event_id]
                if es.status[t.seat_index] == SOLD:  # a seeded online order's seat (online.py)
                    es.status[t.seat_index] = FREE
                    es.free += 1
                self._release(t.event_id, t.seat_index, t.price_id, order.order_key)
            order.deleted_tickets.extend(order.tickets)
            order.tickets = []

    def orders_changed_since(self, since: datetime | None) -> list[Order]:
        with self.lock:
            self.ensure_orders()
            self.sweep()
            inclusive = B.CHANGED_SINCE_INCLUSIVE
            out = [o for o in self.orders_by_id.values()
                   if since is None or o.last_changed > since
                   or (inclusive and o.last_changed == since)]
            return sorted(out, key=lambda o: o.order_id)

    # --- customers --------------------------------------------------------------------------------
    def _customer_by_email(self, email: str) -> Customer | None:
        low = email.strip().lower()
        for c in self.customers.values():
            if c.email.lower() == low:
                return c
        return None

    def _add_customer(self, email: str, fields: dict[str, Any]) -> Customer:
        c = Customer(self._next_customer, email.strip(),
                     {k: fields.get(k) for k in CUSTOMER_FIELDS}, self.now())
        self._next_customer += 1
        self.customers[c.customer_id] = c
        return c

    def create_customer(self, body: Any) -> Customer:
        with self.lock:
            self.ensure_orders()
            if not isinstance(body, dict):
                raise SimError(422, B.MSG_VALIDATION, errors={"body": ["A JSON object is required."]})
            errors = self._validate_customer(body, creating=True, current=None)
            if errors:
                raise SimError(422, B.MSG_VALIDATION, errors=errors)
            return self._add_customer(body["email"], body)

    def update_customer(self, customer_id: int, body: Any) -> Customer:
        with self.lock:
            c = self.customer(customer_id)
            if not isinstance(body, dict):
                raise SimError(422, B.MSG_VALIDATION, errors={"body": ["A JSON object is required."]})
            errors = self._validate_customer(body, creating=False, current=c)
            if errors:
                raise SimError(422, B.MSG_VALIDATION, errors=errors)
            if "email" in body:
                c.email = body["email"].strip()
            for k in CUSTOMER_FIELDS:
                if k in body:
                    c.fields[k] = body[k]
            c.last_changed = self.now()
            return c

    def customer(self, customer_id: int) -> Customer:
        with self.lock:
            self.ensure_orders()
            c = self.customers.get(customer_id)
            if c is None:
                raise SimError(404, B.MSG_CUSTOMER_NOT_FOUND)
            return c

    def find_customer(self, email: Any) -> Customer:
        with self.lock:
            if not isinstance(email, str) or not email.strip():
                raise SimError(422, B.MSG_VALIDATION, errors={"email": ["The email field is required."]})
            self.ensure_orders()
            c = self._customer_by_email(email)
            if c is None:
                raise SimError(404, B.MSG_CUSTOMER_NOT_FOUND)
            return c

    def _validate_customer(self, body: dict[str, Any], *, creating: bool,
                           current: Customer | None) -> dict[str, list[str]]:
        return validate_customer(body, creating=creating, current=current,
                                 by_email=self._customer_by_email)

    # --- introspection for tests (thread-safe snapshots) --------------------------------------------
    def seat_status(self, event_id: int, seat_id: str) -> str:
        """"free" | "sold" | "blocked" | "held" | "ordered" for a seatId of a performance."""
        with self.lock:
            self.sweep()
            perf = self.performance(event_id)
            decoded = self.codec.decode(seat_id)
            if decoded is None or decoded[0] != event_id:
                raise KeyError(seat_id)
            return _STATUS_NAMES[self.seats(perf).status[decoded[1]]]

    def holds(self, event_id: int) -> dict[str, str]:
        """seatId -> cart id for every seat held in a cart for this performance."""
        with self.lock:
            self.sweep()
            es = self.seats(self.performance(event_id))
            return {self.seat_id(event_id, i): owner for i, owner in es.owner.items()
                    if es.status[i] == HELD}

    def cart_seat_ids(self, cart_id: str) -> list[str]:
        with self.lock:
            return [ln.item_id for ln in self.cart(cart_id).lines if ln.item_type == "ticket"]

    def free_seats(self, event_id: int) -> int:
        with self.lock:
            self.sweep()
            return self.seats(self.performance(event_id)).free

    def order_snapshot(self, key: str) -> dict[str, Any]:
        with self.lock:
            o = self.order(key)
            return {"order_id": o.order_id, "order_key": o.order_key,
                    "payment_status": o.payment_status, "order_status": o.order_status,
                    "customer_id": o.customer_id, "amount": o.amount,
                    "seat_ids": [t.seat_id for t in o.tickets],
                    "deleted_seat_ids": [t.seat_id for t in o.deleted_tickets]}

    def order_keys(self) -> list[str]:
        with self.lock:
            self.ensure_orders()
            self.sweep()
            return [o.order_key for o in sorted(self.orders.values(), key=lambda o: o.order_id)]

    def summary(self) -> dict[str, Any]:
        """Counts so far (the seeded online orders only once built: this never builds them)."""
        with self.lock:
            now = self.sweep()
            by_status: dict[str, int] = {}
            for o in self.orders.values():
                by_status[o.payment_status] = by_status.get(o.payment_status, 0) + 1
            held = sum(len(c.lines) for c in self.carts.values())
            return {"now": now.isoformat(timespec="seconds"), "carts": len(self.carts),
                    "active_carts": len(self._active_carts), "held_items": held,
                    "orders": len(self.orders), "orders_by_payment_status": by_status,
                    "customers": len(self.customers)}


def _as_int(value: Any, strict: bool = False) -> int | None:
    """An int from an int (or, unless strict, a digit string); None otherwise. Bools are refused."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not strict and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None
