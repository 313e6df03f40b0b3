"""The sale at one counter: cart, holds, checkout, payment and confirmation (Qt-free).

Owns :class:`SaleService`, one per session/counter. The UI drives it with async methods and
observes it through plain listeners that receive an immutable :class:`SaleSnapshot` after every
change (``subscribe``). Every step is journaled before and after (``boxoffice.store.journal``)
so a crash never loses or doubles a sale; ``boxoffice.services.recovery`` resumes what was left.

How the requests are used (fewest round trips while the cashier waits):

* ``prepare()`` creates the cart ahead (public ``POST /cart/``) when a performance opens, so
  adding is the only request when the cashier confirms.
* Seats chosen on the map go through the peppered cart (``seatId``, ``priceId``, ``rankId``) in
  one all-or-nothing request; general admission through the public cart (``event_id``,
  ``numberoftickets``, ``discount_id``). Several performances share one cart. The client
  reconciles every write by reading back; the service passes what it already knows
  (``known_cart``) so no extra read is needed on the happy path.
* "Pay" always uses the public ``POST /order/create``, also when a customer record is attached.
  Why this one path: it is the only order endpoint that carries the two GDPR opt-ins
  (``avg_optin``, ``avg_mailinglist``); it works for public-only sessions (no API key); the
  customer is linked by the e-mail address sent with it (the address of the record found or
  created); and one path means one reconciliation rule ("never a second order").
* The order status is polled (``boxoffice.services.payment``): 1 s for 20 s, then 2 s, then
  5 s, never faster than once a second. Stopping the wait is always safe.

Hold countdown: the exact ``timeOut`` of the peppered cart when the answer carries one,
otherwise a local estimate (last add + an assumed hold, ``HoldInfo.estimated``: the docs do not
give the hold's length, so the cashier reads "about"). At
:data:`HOLD_WARNING_SECONDS` the countdown warns; at expiry the cart is read back and lines the
server let go are shown as released; ``readd_released()`` puts back those still free.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

from boxoffice.api import errors
from boxoffice.api.models import (
    Cart,
    CartItemRequest,
    CartLine,
    CustomerCreate,
    OrderCustomer,
    OrderStatus,
    PepperedCart,
    SeatPlan,
)
from boxoffice.api.reconcile import OrderLookup
from boxoffice.domain.cash import Change, change_due, quick_amounts
from boxoffice.domain.money import ZERO, amount_due, surcharge
from boxoffice.i18n import _
from boxoffice.i18n.formatting import format_money, format_time
from boxoffice.services.messages import (
    Action,
    CashierMessage,
    SeatLabel,
    Severity,
    message_for,
    seat_from_server_message,
    seat_taken,
)
from boxoffice.services.payment import (
    Document,
    PaymentPoller,
    check_document_url,
    fetch_document,
)
from boxoffice.store.journal import (
    PAYMENT_FINAL,
    OrderAlreadyRequested,
    SaleJournal,
    SaleState,
)

log = logging.getLogger("boxoffice.sale")

#: The hold length assumed for a local estimate when the server's ``timeOut`` is not known. The
#: docs do not give it (vdm-api.md §10): every text built on it says "about".
ASSUMED_HOLD_SECONDS = 900
HOLD_WARNING_SECONDS = 120
PREF_LAST_METHOD = "last_payment_method_id"
PREF_METHODS = "payment_methods"


# ====================================================================== value objects
class LineStatus(str, Enum):
    HELD = "held"
    RELEASED = "released"


@dataclass(frozen=True)
class SeatRequest:
    """A seat picked on the map; ``price_id`` None = the first ticket type of its rank."""

    seat_id: str
    price_id: str | None = None


@dataclass(frozen=True)
class PerformanceInfo:
    event_id: int
    name: str
    starts_at: datetime | None = None
    hall: str | None = None


@dataclass(frozen=True)
class PriceOption:
    """A ticket type valid for a line (for a seat: those of its rank)."""

    price_id: str
    name: str
    price: Decimal | None = None


@dataclass(frozen=True)
class SaleLine:
    line_id: str                 # seatId / cart item id / public seat_id
    event_id: int
    performance: str
    starts_at: datetime | None
    section: str | None
    row: int | None
    seat: int | None
    general_admission: bool
    price_id: str
    ticket_type: str
    rank_id: int | None
    price: Decimal
    status: LineStatus = LineStatus.HELD

    @property
    def held(self) -> bool:
        return self.status == LineStatus.HELD

    @property
    def place(self) -> str:
        """``Parket, row 5, seat 12`` or ``General admission`` (translated)."""
        if self.general_admission or self.row is None or self.seat is None:
            return _("General admission")
        text = _("Row {row}, seat {seat}").format(row=self.row, seat=self.seat)
        return f"{self.section}, {text}" if self.section else text


@dataclass(frozen=True)
class PerformanceGroup:
    event_id: int
    performance: str
    starts_at: datetime | None
    lines: tuple[SaleLine, ...]
    subtotal: Decimal


@dataclass(frozen=True)
class HoldInfo:
    expires_at: datetime
    seconds_remaining: int
    warning: bool
    expired: bool
    estimated: bool      # True: local estimate (last add + documented hold), not the server's


@dataclass(frozen=True)
class PaymentChoice:
    method_id: int | str     # opaque (vdm-api.md: ids may be numbers or text)
    name: str
    surcharge: Decimal = ZERO


@dataclass(frozen=True)
class CustomerInfo:
    email: str
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    customer_id: int | None = None


class Phase(str, Enum):
    IDLE = "idle"              # no cart yet
    OPEN = "open"              # building the cart
    ORDERING = "ordering"      # order being created
    WAITING = "waiting"        # order created, waiting for the payment
    PAID = "paid"
    NOT_PAID = "not_paid"      # cancelled / failed / expired
    ATTENTION = "attention"    # outcome unknown: kept in the journal, checked again


@dataclass(frozen=True)
class OrderInfo:
    order_key: str
    payment_url: str | None
    status: str
    method: PaymentChoice
    amount_due: Decimal
    waiting: bool          # the app is polling the status right now
    polls: int = 0


@dataclass(frozen=True)
class Confirmation:
    order_key: str
    tickets_nr: int
    lines: tuple[SaleLine, ...]
    total: Decimal
    surcharge: Decimal
    amount_paid: Decimal
    payment_method: str
    tickets_url: str | None
    receipt_url: str | None

    @property
    def seats(self) -> tuple[str, ...]:
        return tuple(f"{ln.performance}: {ln.place}" for ln in self.lines)


@dataclass(frozen=True)
class NotPaid:
    status: str
    text: str
    next_steps: tuple[Action, ...]


@dataclass(frozen=True)
class AddResult:
    ok: bool
    added: tuple[SaleLine, ...] = ()
    message: CashierMessage | None = None
    taken_seat_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReaddResult:
    readded: tuple[SaleLine, ...]
    not_readded: tuple[SaleLine, ...]
    message: CashierMessage | None = None


@dataclass(frozen=True)
class SaleSnapshot:
    phase: Phase
    sale_id: str | None
    cart_id: str | None
    lines: tuple[SaleLine, ...]
    groups: tuple[PerformanceGroup, ...]
    total: Decimal
    payment_method: PaymentChoice | None
    surcharge: Decimal
    amount_due: Decimal
    hold: HoldInfo | None
    busy: str | None
    order: OrderInfo | None
    confirmation: Confirmation | None
    not_paid: NotPaid | None
    message: CashierMessage | None
    customer: CustomerInfo | None
    avg_optin: bool
    avg_mailinglist: bool

    @property
    def held_lines(self) -> tuple[SaleLine, ...]:
        return tuple(ln for ln in self.lines if ln.held)

    @property
    def released_lines(self) -> tuple[SaleLine, ...]:
        return tuple(ln for ln in self.lines if not ln.held)


class SaleError(Exception):
    """A sale operation could not run; ``message`` is what to show the cashier."""

    def __init__(self, message: CashierMessage) -> None:
        super().__init__(message.text)
        self.message = message


Listener = Callable[[SaleSnapshot], None]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def line_to_dict(line: SaleLine) -> dict[str, Any]:
    return {
        "line_id": line.line_id, "event_id": line.event_id, "performance": line.performance,
        "starts_at": line.starts_at.isoformat() if line.starts_at else None,
        "section": line.section, "row": line.row, "seat": line.seat,
        "general_admission": line.general_admission, "price_id": line.price_id,
        "ticket_type": line.ticket_type, "rank_id": line.rank_id, "price": str(line.price),
        "status": line.status.value,
    }


def line_from_dict(d: dict[str, Any]) -> SaleLine:
    from boxoffice.domain.performance import opaque_id  # (issue 15: ids may be text)

    return SaleLine(
        line_id=d["line_id"], event_id=opaque_id(d["event_id"]), performance=d.get("performance") or "",
        starts_at=datetime.fromisoformat(d["starts_at"]) if d.get("starts_at") else None,
        section=d.get("section"), row=d.get("row"), seat=d.get("seat"),
        general_admission=bool(d.get("general_admission")), price_id=d.get("price_id") or "",
        ticket_type=d.get("ticket_type") or "", rank_id=d.get("rank_id"),
        price=Decimal(d.get("price") or "0"), status=LineStatus(d.get("status", "held")),
    )


def snapshot_cart(lines: Iterable[SaleLine]) -> Cart:
    """A public-cart view of held lines (what ``create_order(known_cart=)`` matches against)."""
    out = []
    for ln in lines:
        if not ln.held:
            continue
        out.append(CartLine.model_construct(
            seat_id=ln.line_id, event_id=ln.event_id,
            seat_row_nr="0" if ln.general_admission else str(ln.row),
            seat_nr="0" if ln.general_admission else str(ln.seat),
            numberoftickets=1, seat_price=ln.price, discount_id=ln.price_id,
            discount_name=ln.ticket_type, event_name=ln.performance,
        ))
    return Cart.model_construct(lines=out, total=sum((ln.price for ln in lines if ln.held), ZERO))


@dataclass
class _SeatMeta:
    section: str | None
    row: int
    seat: int
    rank_id: int


# ====================================================================== the service
class SaleService:
    """One counter's sale. All methods run on the event loop that owns ``client``."""

    def __init__(
        self,
        client,
        journal: SaleJournal,
        *,
        demo: bool = False,
        hold_seconds: float = ASSUMED_HOLD_SECONDS,
        now: Callable[[], datetime] | None = None,
        poller_factory: Callable[..., PaymentPoller] = PaymentPoller,
    ) -> None:
        self.client = client
        self.journal = journal
        self.demo = demo
        self.hold_seconds = hold_seconds
        self._now_fn = now
        self._poller_factory = poller_factory
        self._listeners: list[Listener] = []
        self._lock = asyncio.Lock()
        self._inflight: set[asyncio.Task] = set()
        self._reset_sale()
        self._plans: dict[int, SeatPlan] = {}
        self._type_names: dict[int, dict[str, str]] = {}
        self._seat_index: dict[str, tuple[int, _SeatMeta]] = {}
        self._performances: dict[int, PerformanceInfo] = {}
        self._methods: list[PaymentChoice] | None = self._cached_methods()
        #: payment methods of VoordeMensen's last answer that could not be read (not offered)
        self._methods_skipped = 0
        #: called once it is established that the venue's API does not offer the box-office
        #: (peppered) cart route: the owner turns the session to selling by number (public cart)
        self.on_cart_route_missing: Callable[[], Any] | None = None
        self._method: PaymentChoice | None = None
        self._preselect_method()
        self._poll_task: asyncio.Task | None = None
        self._poller: PaymentPoller | None = None
        self._expiry_task: asyncio.Task | None = None
        self._hold_probe: asyncio.Task | None = None
        self._closed = False
        #: monotonic time the last order was seen paid (for benchmarks)
        self.paid_seen_at: float | None = None

    def _reset_sale(self) -> None:
        self._phase = Phase.IDLE
        self._sale_id: str | None = None
        self._cart_id: str | None = None
        self._lines: dict[str, SaleLine] = {}
        self._public_known: Cart | None = None
        self._stale = False
        self._hold_deadline: datetime | None = None
        self._hold_estimated = True
        self._busy: str | None = None
        self._order: OrderInfo | None = None
        self._ordered_lines: tuple[SaleLine, ...] = ()
        self._confirmation: Confirmation | None = None
        self._not_paid: NotPaid | None = None
        self._message: CashierMessage | None = None
        self._customer: CustomerInfo | None = None
        self._avg_optin = False
        self._avg_mailinglist = False

    # ------------------------------------------------------------------ observing
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(snapshot)`` after every change; returns an unsubscribe function."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self) -> None:
        snap = self.snapshot()
        for listener in list(self._listeners):
            try:
                listener(snap)
            except Exception:  # a broken view must not break the sale
                log.exception("sale listener failed")

    def snapshot(self) -> SaleSnapshot:
        lines = tuple(self._lines.values())
        held = [ln for ln in lines if ln.held]
        total = sum((ln.price for ln in held), ZERO)
        fee = surcharge(self._method.surcharge) if self._method and held else ZERO
        return SaleSnapshot(
            phase=self._phase, sale_id=self._sale_id, cart_id=self._cart_id, lines=lines,
            groups=self._groups(lines), total=total, payment_method=self._method,
            surcharge=fee, amount_due=amount_due(total, fee), hold=self.hold_info(),
            busy=self._busy, order=self._order, confirmation=self._confirmation,
            not_paid=self._not_paid, message=self._message, customer=self._customer,
            avg_optin=self._avg_optin, avg_mailinglist=self._avg_mailinglist,
        )

    @staticmethod
    def _groups(lines: tuple[SaleLine, ...]) -> tuple[PerformanceGroup, ...]:
        order: dict[int, list[SaleLine]] = {}
        for ln in lines:
            order.setdefault(ln.event_id, []).append(ln)
        return tuple(
            PerformanceGroup(eid, group[0].performance, group[0].starts_at, tuple(group),
                             sum((ln.price for ln in group if ln.held), ZERO))
            for eid, group in order.items()
        )

    # ------------------------------------------------------------------ clocks
    def _server_now(self) -> datetime:
        if self._now_fn is not None:
            return self._now_fn()
        return self.client.server_now()

    def hold_info(self) -> HoldInfo | None:
        if self._hold_deadline is None or not self._lines:
            return None
        if not any(ln.held for ln in self._lines.values()):
            return HoldInfo(self._hold_deadline, 0, True, True, self._hold_estimated)
        remaining = (self._hold_deadline - self._server_now()).total_seconds()
        secs = max(0, int(remaining + 0.999))
        return HoldInfo(self._hold_deadline, secs, remaining <= HOLD_WARNING_SECONDS,
                        remaining <= 0, self._hold_estimated)

    def _cart_expired_message(self) -> CashierMessage:
        """The hold ran out. Its length is the server's (its ``timeOut``) when known: then the
        time it ran to is named; otherwise only the local estimate is known ("about")."""
        if not self._hold_estimated and self._hold_deadline is not None:
            until = format_time(self._hold_deadline.astimezone())
            return CashierMessage(
                _("The cart expired: VoordeMensen held the seats until {time}, and they were "
                  "released.").format(time=until), Action.READD, Severity.WARNING)
        return cart_expired_about(int(round(self.hold_seconds / 60)))

    def _set_hold_exact(self, time_out: datetime | None) -> None:
        if time_out is not None:
            self._hold_deadline = time_out
            self._hold_estimated = False
        self._arm_expiry()

    def _set_hold_estimate(self) -> None:
        self._hold_deadline = self._server_now() + timedelta(seconds=self.hold_seconds)
        self._hold_estimated = True
        self._arm_expiry()
        self._probe_hold()

    def _probe_hold(self) -> None:
        """After a public (general-admission) add, fetch the exact hold deadline in the background.

        The public cart has no ``timeOut``; the peppered cart summary has. The read is off the
        cashier's path: the countdown shows the estimate until it answers, and "Pay" then needs
        no read of its own for the deadline. Nothing happens without an API key or on failure."""
        if not self.client.has_api_key or self._cart_id is None or self._closed:
            return
        if self._hold_probe is not None:
            self._hold_probe.cancel()
        cart_id, estimate = self._cart_id, self._hold_deadline
        self._hold_probe = asyncio.get_running_loop().create_task(
            self._read_hold(cart_id, estimate))

    async def _read_hold(self, cart_id: str, estimate: datetime | None) -> None:
        try:
            summary = await self.client.peppered.cart_summary(cart_id)
        except errors.VdmError as exc:
            log.info("exact hold deadline not read (%s); the estimate stays", type(exc).__name__)
            return
        # only if nothing changed the cart or its hold meanwhile
        if (self._cart_id != cart_id or self._hold_deadline != estimate or self._closed
                or self._phase != Phase.OPEN or not summary.number_of_items
                or summary.time_out is None):
            return
        self._set_hold_exact(summary.time_out)
        self._notify()

    def _arm_expiry(self) -> None:
        if self._expiry_task is not None:
            self._expiry_task.cancel()
            self._expiry_task = None
        if self._hold_deadline is None or self._closed:
            return
        delay = (self._hold_deadline - self._server_now()).total_seconds() + 0.5
        self._expiry_task = asyncio.get_running_loop().create_task(self._expire_after(delay))

    async def _expire_after(self, delay: float) -> None:
        await asyncio.sleep(max(0.0, delay))
        if self._phase == Phase.OPEN and any(ln.held for ln in self._lines.values()):
            with contextlib.suppress(errors.VdmError):
                await self.refresh()

    # ------------------------------------------------------------------ shielding
    async def _shielded(self, coro):
        """Run a write + its journal entries to completion even if the caller is cancelled."""
        task = asyncio.ensure_future(coro)
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)
        return await asyncio.shield(task)

    # ------------------------------------------------------------------ performances & plans
    def remember_performance(self, info: PerformanceInfo | Any) -> None:
        """Names for the cart lines; accepts a PerformanceInfo or a public SubEvent."""
        if not isinstance(info, PerformanceInfo):
            info = PerformanceInfo(info.event_id, info.event_name,
                                   getattr(info, "starts_at", None), getattr(info, "location_name", None))
        self._performances[info.event_id] = info

    def use_seat_plan(self, plan: SeatPlan) -> None:
        """Give the service a seating plan (e.g. from the offline cache or the seat map)."""
        self._plans[plan.event_id] = plan
        for section, row, seat in plan.seats():
            self._seat_index[seat.seat_id] = (plan.event_id, _SeatMeta(
                section.section_name, row.row_nr, seat.seat_nr, seat.rank_id))

    async def load_seat_plan(self, event_id: int) -> SeatPlan:
        plan = await self.client.peppered.seating(event_id)
        self.use_seat_plan(plan)
        return plan

    def seat_label(self, seat_id: str) -> SeatLabel | None:
        found = self._seat_index.get(seat_id)
        if found is None:
            return None
        meta = found[1]
        return SeatLabel(row=meta.row, seat=meta.seat, section=meta.section)

    def ticket_types_for(self, line_id: str) -> list[PriceOption]:
        """Ticket types valid for this line (a seat: those of its rank in the seating plan)."""
        line = self._lines.get(line_id)
        if line is None:
            return []
        plan = self._plans.get(line.event_id)
        if plan is None:
            return []
        rank = line.rank_id
        # priceLevels name the rank ("Rang 1"); the ticket type's own name comes from tickettypes
        # (same id space: priceId == discount_id) when the UI has given it.
        names = self._type_names.get(line.event_id, {})
        return [PriceOption(pl.price_id, names.get(pl.price_id) or pl.name or pl.price_id, pl.amount)
                for pl in plan.price_levels if rank is None or pl.rank_id == rank]

    def use_ticket_type_names(self, event_id: int, names: dict[str, str]) -> None:
        """Ticket type names per id (public ``discount_id`` = peppered ``priceId``) for the lines'
        type choices."""
        self._type_names[event_id] = dict(names)

    def _perf_name(self, event_id: int, fallback: str | None = None) -> tuple[str, datetime | None]:
        info = self._performances.get(event_id)
        if info is not None:
            return info.name, info.starts_at
        return fallback or str(event_id), None

    # ------------------------------------------------------------------ cart life
    async def prepare(self) -> str:
        """Create the cart ahead (one request), journaled; returns the cart id."""
        return await self._shielded(self._prepare())

    async def _prepare(self) -> str:
        async with self._lock:
            return await self._ensure_cart()

    async def _ensure_cart(self) -> str:
        if self._cart_id is not None and self._phase == Phase.OPEN:
            return self._cart_id
        if self._phase not in (Phase.IDLE, Phase.OPEN):
            raise SaleError(CashierMessage(_("Finish or close the current sale first."),
                                           Action.NONE, Severity.WARNING))
        cart_id = await self.client.public.create_cart()
        # the cart is known by venue, id and creation, never by its id alone (ids can recur)
        sale = self.journal.start_sale(cart_id, venue=getattr(self.client, "base_url", None),
                                       cart_created_at=self._server_now())
        self._sale_id = sale.sale_id
        self._cart_id = cart_id
        self._phase = Phase.OPEN
        self._public_known = Cart(lines=[], total=ZERO)  # a brand-new cart is empty
        self._notify()
        return cart_id

    def _journal_lines(self, step: str, detail: dict[str, Any] | None = None) -> None:
        assert self._sale_id is not None
        held = [ln for ln in self._lines.values() if ln.held]
        state = SaleState.LINES_ADDED if self._lines else SaleState.CART_CREATED
        self.journal.after(self._sale_id, step, state, detail,
                           lines=[line_to_dict(ln) for ln in self._lines.values()],
                           total=sum((ln.price for ln in held), ZERO))

    # -- applying server views of the cart
    def _drop_missing_lines(self, present: Container[str], removed: Container[str]) -> None:
        """Held lines the server's cart no longer has: gone if we removed them, else released."""
        for lid, ln in list(self._lines.items()):
            if ln.held and lid not in present:
                if lid in removed:
                    del self._lines[lid]
                else:
                    self._lines[lid] = replace(ln, status=LineStatus.RELEASED)

    def _apply_peppered(self, cart: PepperedCart, new_meta: dict[str, _SeatMeta],
                        removed: set[str] = frozenset()) -> list[SaleLine]:
        present = {i.item_id: i for i in cart.cart_items if i.item_type == "ticket"}
        added = []
        self._drop_missing_lines(present, removed)
        for item_id, item in present.items():
            old = self._lines.get(item_id)
            meta = new_meta.get(item_id)
            if meta is None and old is None:
                known = self._seat_index.get(item_id)
                meta = known[1] if known else None
            name, starts = self._perf_name(item.event_id or 0, item.description)
            if old is not None and old.held:
                self._lines[item_id] = replace(
                    old, price_id=item.price_id or old.price_id,
                    ticket_type=item.price_name or old.ticket_type,
                    price=item.amount if item.amount is not None else old.price)
                continue
            line = SaleLine(
                line_id=item_id, event_id=item.event_id or 0, performance=name, starts_at=starts,
                section=meta.section if meta else None, row=meta.row if meta else None,
                seat=meta.seat if meta else None, general_admission=meta is None,
                price_id=item.price_id or "", ticket_type=item.price_name or "",
                rank_id=meta.rank_id if meta else None,
                price=item.amount if item.amount is not None else ZERO)
            self._lines.pop(item_id, None)
            self._lines[item_id] = line
            added.append(line)
        self._public_known = None
        if present:
            self._set_hold_exact(cart.time_out)
        return added

    def _apply_public(self, cart: Cart, removed: set[str] = frozenset()) -> list[SaleLine]:
        from boxoffice.domain.seatplan import place_value  # (issue 15: rows may be labels)

        present = {ln.seat_id: ln for ln in cart.lines}
        added = []
        self._drop_missing_lines(present, removed)
        for seat_id, cl in present.items():
            old = self._lines.get(seat_id)
            if old is not None and old.held:
                self._lines[seat_id] = replace(
                    old, price_id=cl.discount_id, ticket_type=cl.discount_name or old.ticket_type,
                    price=cl.seat_price)
                continue
            ga = cl.is_general_admission
            known = self._seat_index.get(seat_id)
            name, starts = self._perf_name(cl.event_id, cl.event_name)
            line = SaleLine(
                line_id=seat_id, event_id=cl.event_id, performance=name,
                starts_at=starts or cl.starts_at,
                section=known[1].section if known else None,
                # a row/seat may be a label ("A", "12a"): kept as text, numbers as ints
                row=None if ga else place_value(cl.seat_row_nr),
                seat=None if ga else place_value(cl.seat_nr),
                general_admission=ga, price_id=cl.discount_id,
                ticket_type=cl.discount_name or "", rank_id=known[1].rank_id if known else None,
                price=cl.seat_price)
            self._lines.pop(seat_id, None)
            self._lines[seat_id] = line
            added.append(line)
        self._public_known = cart
        return added

    # -- adding
    async def add_seats(self, event_id: int, seats: Iterable[SeatRequest | str]) -> AddResult:
        """Hold specific seats from the map (peppered, one all-or-nothing request)."""
        requests = [s if isinstance(s, SeatRequest) else SeatRequest(s) for s in seats]
        return await self._shielded(self._add_seats(event_id, requests))

    def _seat_items(self, event_id: int, requests: list[SeatRequest]
                    ) -> tuple[list[CartItemRequest], dict[str, _SeatMeta]]:
        plan = self._plans.get(event_id)
        items, metas = [], {}
        for req in requests:
            found = self._seat_index.get(req.seat_id)
            if found is None or found[0] != event_id or plan is None:
                raise SaleError(CashierMessage(
                    _("This seat is not on the seating plan; reload the seat map."), Action.NONE))
            meta = found[1]
            price_id = req.price_id
            valid = [pl.price_id for pl in plan.price_levels if pl.rank_id == meta.rank_id]
            if price_id is None:
                if not valid:
                    raise SaleError(CashierMessage(_("This seat has no price; it cannot be sold."),
                                                   Action.PICK_ANOTHER_SEAT))
                price_id = valid[0]
            elif valid and price_id not in valid:
                raise SaleError(CashierMessage(
                    _("This ticket type is not valid for that seat: choose another type."),
                    Action.NONE))
            items.append(CartItemRequest(price_id=price_id, rank_id=meta.rank_id,
                                         event_id=event_id, seat_id=req.seat_id))
            metas[req.seat_id] = meta
        return items, metas

    async def _add_seats(self, event_id: int, requests: list[SeatRequest]) -> AddResult:
        async with self._lock:
            if not requests:
                return AddResult(True)
            try:
                items, metas = self._seat_items(event_id, requests)
            except SaleError as exc:
                return self._fail(exc.message)
            return await self._peppered_add(items, metas, "add_seats")

    async def _peppered_add(self, items: list[CartItemRequest], metas: dict[str, _SeatMeta],
                            step: str) -> AddResult:
        self._busy = "adding"
        try:
            await self._ensure_cart()
            await self._sync_if_stale()
            assert self._sale_id and self._cart_id
            self.journal.before(self._sale_id, step, {"seats": [i.seat_id for i in items],
                                                      "items": len(items)})
            try:
                cart = await self.client.peppered.add_items(self._cart_id, items)
            except errors.Conflict as exc:
                taken = self._taken_seat(exc, items)
                label = self.seat_label(taken) if taken else None
                self.journal.after(self._sale_id, step, None, {"refused": "conflict"})
                return self._fail(seat_taken(label), taken_seat_ids=(taken,) if taken else ())
            except errors.VdmError as exc:
                self._after_failed_write(exc, step)
                if isinstance(exc, errors.NotFound):
                    await self._explain_cart_404(exc)
                return self._fail(message_for(exc, operation="add"))
            added = self._apply_peppered(cart, metas)
            self._journal_lines(step, {"added": [ln.line_id for ln in added]})
            self._message = None
            return AddResult(True, tuple(added))
        finally:
            self._busy = None
            self._notify()

    async def _explain_cart_404(self, exc: errors.NotFound) -> None:
        """A box-office (peppered) cart answered 404: is the cart gone, or does the venue's API not
        offer that route? The public cart (a documented route) tells: when it still reads the
        cart, the route is missing (``exc.route_missing = True``: re-adding cannot help); when it
        answers 404 too, the cart is gone (False). Anything else leaves it unestablished."""
        if self._cart_id is None:
            return
        try:
            await self.client.public.cart(self._cart_id)
        except errors.NotFound:
            exc.route_missing = False  # type: ignore[attr-defined]
        except errors.VdmError:
            return
        else:
            exc.route_missing = True  # type: ignore[attr-defined]
            if self.on_cart_route_missing is not None:
                try:
                    self.on_cart_route_missing()
                except Exception:  # noqa: BLE001 - the sale's own message still stands
                    log.exception("switching to the sale by number failed")

    def _taken_seat(self, exc: errors.Conflict, items: list[CartItemRequest]) -> str | None:
        pos = seat_from_server_message(exc.message)
        seat_ids = [i.seat_id for i in items if i.seat_id]
        if pos is not None:
            for sid in seat_ids:
                found = self._seat_index.get(sid)
                if found and (found[1].row, found[1].seat) == pos:
                    return sid
        return seat_ids[0] if len(seat_ids) == 1 else None

    def _after_failed_write(self, exc: BaseException, step: str) -> None:
        """A write failed: if its outcome is unknown, the local view is stale (read back next)."""
        if self._sale_id is None:
            return
        if isinstance(exc, errors.OutcomeUnknown) or getattr(exc, "ambiguous", False):
            self._stale = True
        self.journal.after(self._sale_id, step, None,
                           {"failed": type(exc).__name__, "unknown": self._stale})

    def _fail(self, message: CashierMessage, *, taken_seat_ids: tuple[str, ...] = ()) -> AddResult:
        self._message = message
        return AddResult(False, (), message, taken_seat_ids)

    async def add_general_admission(self, event_id: int, quantity: int,
                                    discount_id: str) -> AddResult:
        """Add ``quantity`` general-admission tickets (public cart; the server picks places)."""
        return await self._shielded(self._add_ga(event_id, quantity, discount_id))

    async def _add_ga(self, event_id: int, quantity: int, discount_id: str) -> AddResult:
        async with self._lock:
            return await self._public_add(event_id, quantity, discount_id, "add_tickets")

    async def _public_add(self, event_id: int, quantity: int, discount_id: str,
                          step: str) -> AddResult:
        self._busy = "adding"
        try:
            await self._ensure_cart()
            await self._sync_if_stale()
            assert self._sale_id and self._cart_id
            self.journal.before(self._sale_id, step, {"event_id": event_id, "quantity": quantity,
                                                      "discount_id": discount_id})
            known = self._public_known if self._known_is_fresh() else None
            try:
                cart = await self.client.public.add_tickets(
                    self._cart_id, event_id, quantity, discount_id, known_cart=known)
            except errors.VdmError as exc:
                self._after_failed_write(exc, step)
                return self._fail(message_for(exc, operation="add"))
            added = self._apply_public(cart)
            if added:
                self._set_hold_estimate()
            self._journal_lines(step, {"added": [ln.line_id for ln in added]})
            self._message = None
            return AddResult(True, tuple(added))
        finally:
            self._busy = None
            self._notify()

    def _known_is_fresh(self) -> bool:
        """The last public cart view may stand in for a read-before only while nothing else
        changed the cart and its hold cannot have lapsed (with a safety margin)."""
        if self._public_known is None or self._stale:
            return False
        if not self._public_known.lines:
            return True
        if self._hold_deadline is None:
            return False
        return (self._hold_deadline - self._server_now()).total_seconds() > 60

    async def _sync_if_stale(self) -> None:
        if self._stale and self._cart_id:
            await self._read_cart()

    async def _read_cart(self) -> None:
        """Read the cart back (peppered when there is a key: it carries the exact timeOut)."""
        assert self._cart_id
        if self.client.has_api_key:
            pcart = await self.client.peppered.cart(self._cart_id)
            self._apply_peppered(pcart, {})
            # names/rows of GA lines come from the public view; keep what we had
        else:
            cart = await self.client.public.cart(self._cart_id)
            self._apply_public(cart)
        self._stale = False

    async def refresh(self) -> SaleSnapshot:
        """Read the cart back: detects expired holds (lines become released)."""
        return await self._shielded(self._refresh())

    async def _refresh(self) -> SaleSnapshot:
        async with self._lock:
            if self._cart_id is None or self._phase != Phase.OPEN:
                return self.snapshot()
            had_held = any(ln.held for ln in self._lines.values())
            try:
                await self._read_cart()
            except errors.VdmError as exc:
                if isinstance(exc, errors.NotFound) and self.client.has_api_key:
                    await self._explain_cart_404(exc)
                self._message = message_for(exc, operation="cart")
                self._notify()
                raise
            if had_held and not any(ln.held for ln in self._lines.values()):
                self._message = self._cart_expired_message()
            if self._sale_id and self._lines:
                self._journal_lines("refresh")
            self._notify()
            return self.snapshot()

    # -- removing
    async def remove_line(self, line_id: str) -> bool:
        return await self._shielded(self._remove(line_id))

    async def _remove(self, line_id: str) -> bool:
        async with self._lock:
            line = self._lines.get(line_id)
            if line is None:
                return False
            if not line.held:
                del self._lines[line_id]
                if self._sale_id:
                    self._journal_lines("forget_released")
                self._notify()
                return True
            ok = await self._remove_held(line, "remove_line")
            self._notify()
            return ok

    async def _remove_held(self, line: SaleLine, step: str) -> bool:
        assert self._sale_id and self._cart_id
        self._busy = "removing"
        self.journal.before(self._sale_id, step, {"line_id": line.line_id})
        try:
            if line.general_admission or not self.client.has_api_key:
                cart = await self.client.public.remove_line(self._cart_id, line.line_id)
                self._apply_public(cart, removed={line.line_id})
            else:
                pcart = await self.client.peppered.remove_item(self._cart_id, line.line_id)
                self._apply_peppered(pcart, {}, removed={line.line_id})
        except errors.NotFound:
            # already gone at the server (expired or removed): reflect that
            self._lines.pop(line.line_id, None)
        except errors.VdmError as exc:
            self._after_failed_write(exc, step)
            self._message = message_for(exc, operation="remove")
            self._busy = None
            return False
        self._busy = None
        self._journal_lines(step, {"removed": line.line_id})
        return True

    async def remove_all(self) -> bool:
        """Empty the cart (one request with a key; else one per line)."""
        return await self._shielded(self._remove_all())

    async def _remove_all(self) -> bool:
        async with self._lock:
            if not self._lines:
                return True
            if not any(ln.held for ln in self._lines.values()):
                self._lines.clear()
                if self._sale_id:
                    self._journal_lines("forget_released")
                self._notify()
                return True
            ok = await self._release_cart("remove_all")
            self._notify()
            return ok

    async def _release_cart(self, step: str) -> bool:
        assert self._sale_id and self._cart_id
        self._busy = "removing"
        self.journal.before(self._sale_id, step, {"lines": len(self._lines)})
        try:
            if self.client.has_api_key:
                await self.client.peppered.clear_cart(self._cart_id)
            else:
                for ln in [ln for ln in self._lines.values() if ln.held]:
                    with contextlib.suppress(errors.NotFound):
                        await self.client.public.remove_line(self._cart_id, ln.line_id)
        except errors.VdmError as exc:
            self._after_failed_write(exc, step)
            self._message = message_for(exc, operation="release")
            self._busy = None
            return False
        self._lines.clear()
        self._public_known = Cart(lines=[], total=ZERO)
        self._hold_deadline = None
        self._busy = None
        self._journal_lines(step)
        return True

    async def change_ticket_type(self, line_id: str, price_id: str) -> AddResult:
        """Another ticket type for one line. The API has no call to change a cart item, so:

        * general admission (or a cart without the API key): the new ticket is added first and
          the old line removed after, so the cart never holds fewer tickets; the new line takes
          the old one's place in the cart;
        * a chosen seat: a seat held by this cart cannot be added again, so it is removed and
          added back with the new type at once (nothing else runs in between: the sale's lock
          is held) and the line keeps its place. If another counter took the seat in that
          moment, the result says so and the line is gone."""
        return await self._shielded(self._change_type(line_id, price_id))

    def _put_line_at(self, line_id: str, index: int) -> None:
        """Move a line to ``index`` in the cart's display order."""
        line = self._lines.pop(line_id, None)
        if line is None:
            return
        items = list(self._lines.items())
        items.insert(min(index, len(items)), (line_id, line))
        self._lines = dict(items)

    async def _change_type(self, line_id: str, price_id: str) -> AddResult:
        async with self._lock:
            line = self._lines.get(line_id)
            if line is None or not line.held:
                return self._fail(CashierMessage(_("This line is no longer in the cart."),
                                                 Action.NONE))
            if line.price_id == price_id:
                return AddResult(True, (line,))
            if not line.general_admission:
                options = {o.price_id for o in self.ticket_types_for(line_id)}
                if options and price_id not in options:
                    return self._fail(CashierMessage(
                        _("This ticket type is not valid for that seat: choose another type."),
                        Action.NONE))
            position = list(self._lines).index(line_id)
            if line.general_admission or not self.client.has_api_key:
                return await self._change_type_add_first(line, price_id, position)
            if not await self._remove_held(line, "change_type_remove"):
                self._notify()
                return AddResult(False, (), self._message)
            meta = _SeatMeta(line.section, line.row or 0, line.seat or 0, line.rank_id or 0)
            item = CartItemRequest(price_id=price_id, rank_id=line.rank_id or 0,
                                   event_id=line.event_id, seat_id=line.line_id)
            result = await self._peppered_add([item], {line.line_id: meta}, "change_type_add")
            if result.ok:
                self._put_line_at(line.line_id, position)
                self._journal_lines("change_type_add", {"position": position})
                self._notify()
                return result
            if result.taken_seat_ids:
                label = self.seat_label(line.line_id)
                msg = CashierMessage(
                    _("Seat {seat} in row {row} was taken at another counter while its ticket "
                      "type was changed: it is no longer in the cart.").format(
                        seat=label.seat if label else line.seat, row=label.row if label else line.row),
                    Action.PICK_ANOTHER_SEAT)
                self._message = msg
                self._notify()
                return AddResult(False, (), msg, result.taken_seat_ids)
            return result

    async def _change_type_add_first(self, line: SaleLine, price_id: str,
                                     position: int) -> AddResult:
        """Add one ticket of the new type, then remove the old line; the new line takes the old
        one's place. A failed add leaves the old line as it was."""
        result = await self._public_add(line.event_id, 1, price_id, "change_type_add")
        if not result.ok:
            return result
        new_ids = [ln.line_id for ln in result.added]
        current = self._lines.get(line.line_id)
        if current is not None and current.held:
            if not await self._remove_held(current, "change_type_remove"):
                # both are in the cart now: the cashier sees both and the reason
                self._notify()
                return AddResult(False, result.added, self._message)
        for offset, new_id in enumerate(new_ids):
            self._put_line_at(new_id, position + offset)
        if self._sale_id:
            self._journal_lines("change_type", {"position": position})
        self._notify()
        return result

    # -- released lines
    async def readd_released(self) -> ReaddResult:
        """Put the released lines back, those still free, in one call per kind; report the rest."""
        return await self._shielded(self._readd())

    async def _readd(self) -> ReaddResult:
        async with self._lock:
            released = [ln for ln in self._lines.values() if not ln.held]
            if not released:
                return ReaddResult((), ())
            await self._ensure_cart()
            self._busy = "adding"
            try:
                return await self._readd_lines(released)
            finally:
                self._busy = None
                self._notify()

    async def _readd_lines(self, released: list[SaleLine]) -> ReaddResult:
        assert self._sale_id and self._cart_id
        seated = [ln for ln in released if not ln.general_admission]
        ga = [ln for ln in released if ln.general_admission]
        readded: list[SaleLine] = []
        missing: list[SaleLine] = []
        if seated:
            free: list[SaleLine] = []
            for eid in sorted({ln.event_id for ln in seated}):
                try:
                    plan = await self.load_seat_plan(eid)
                except errors.VdmError as exc:
                    self._message = message_for(exc, operation="load")
                    missing.extend(ln for ln in seated if ln.event_id == eid)
                    continue
                available = {s.seat_id for _, _, s in plan.seats() if s.available}
                for ln in seated:
                    if ln.event_id == eid:
                        (free if ln.line_id in available else missing).append(ln)
            for _attempt in range(3):
                if not free:
                    break
                items = [CartItemRequest(price_id=ln.price_id, rank_id=ln.rank_id or 0,
                                         event_id=ln.event_id, seat_id=ln.line_id) for ln in free]
                metas = {ln.line_id: _SeatMeta(ln.section, ln.row or 0, ln.seat or 0,
                                               ln.rank_id or 0) for ln in free}
                for ln in free:
                    self._lines.pop(ln.line_id, None)
                result = await self._peppered_add(items, metas, "readd_seats")
                if result.ok:
                    readded.extend(result.added)
                    break
                for ln in free:  # put them back as released
                    self._lines.setdefault(ln.line_id, ln)
                if not result.taken_seat_ids:
                    missing.extend(free)
                    break
                taken = set(result.taken_seat_ids)
                missing.extend(ln for ln in free if ln.line_id in taken)
                free = [ln for ln in free if ln.line_id not in taken]
        groups: dict[tuple[int, str], list[SaleLine]] = {}
        for ln in ga:
            groups.setdefault((ln.event_id, ln.price_id), []).append(ln)
        for (eid, price_id), lines in groups.items():
            for ln in lines:
                self._lines.pop(ln.line_id, None)
            result = await self._public_add(eid, len(lines), price_id, "readd_tickets")
            if result.ok:
                readded.extend(result.added)
            else:
                for ln in lines:
                    self._lines[ln.line_id] = ln
                missing.extend(lines)
        msg = None
        if missing:
            places = ", ".join(f"{ln.performance}: {ln.place}" for ln in missing)
            msg = CashierMessage(_("These could not be put back, they are no longer free: {places}"
                                   ).format(places=places), Action.PICK_ANOTHER_SEAT,
                                 Severity.WARNING)
        self._message = msg
        return ReaddResult(tuple(readded), tuple(missing), msg)

    # ------------------------------------------------------------------ checkout
    def _cached_methods(self) -> list[PaymentChoice] | None:
        raw = self.journal.get_pref(PREF_METHODS)
        if not raw:
            return None
        try:
            out = []
            for m in json.loads(raw):
                method_id = m["id"]      # opaque: a number or a text, kept as saved
                if isinstance(method_id, bool) or not isinstance(method_id, (int, str)) \
                        or method_id == "":
                    raise ValueError("payment method id")
                out.append(PaymentChoice(method_id, str(m["name"]), Decimal(m["fee"])))
            return out
        except (ValueError, KeyError, TypeError, ArithmeticError):
            return None

    def _preselect_method(self) -> None:
        last = self.journal.get_pref(PREF_LAST_METHOD)
        if last and self._methods:
            self._method = next((m for m in self._methods if str(m.method_id) == last), None)

    async def payment_methods(self, refresh: bool = False) -> list[PaymentChoice]:
        """The payment methods; the last used one is preselected. ``refresh``: read them from
        VoordeMensen again (the saved list, from the journal's preferences, is only what is shown
        until then: a venue may change a fee at any time). On a failed refresh the saved list is
        returned; a checkout never relies on it (:meth:`_confirm_method`)."""
        if self._methods is None or refresh:
            try:
                await self._fetch_methods()
            except errors.VdmError:
                if self._methods is not None:
                    return list(self._methods)
                raise
        from boxoffice.api.base import ItemList
        out = ItemList(self._methods or [])
        out.skipped = self._methods_skipped     # the screen says how many were left out
        return out

    @property
    def payment_methods_known(self) -> bool:
        """Whether a list of methods is there to show (saved or read)."""
        return self._methods is not None

    async def refresh_payment_methods(self) -> None:
        """Read the methods and fees again, quietly (with the event list): failures are logged
        and the list shown stays as it was."""
        try:
            await self._fetch_methods()
        except errors.VdmError as exc:
            log.info("payment methods not refreshed (%s)", type(exc).__name__)

    async def _fetch_methods(self) -> list[PaymentChoice]:
        """The server's current methods and fees; saved, and the selected method follows them
        (a method VoordeMensen no longer offers is deselected, except during a checkout, which
        says so itself)."""
        methods = await self.client.public.payment_methods()
        fresh = [PaymentChoice(m.payment_id, m.payment_desc, m.payment_cost) for m in methods]
        self._methods = fresh
        self._methods_skipped = int(getattr(methods, "skipped", 0) or 0)
        self.journal.set_pref(PREF_METHODS, json.dumps(
            [{"id": m.method_id, "name": m.name, "fee": str(m.surcharge)} for m in fresh]))
        if self._method is None:
            self._preselect_method()
        elif self._phase in (Phase.IDLE, Phase.OPEN):
            current = next((m for m in fresh if m.method_id == self._method.method_id), None)
            if current is not None:
                self._method = current
        self._notify()
        return fresh

    async def _confirm_method(self) -> bool:
        """Before an order: the selected method and its surcharge as VoordeMensen says *now*
        (never the saved list). False (with the cashier's message) when they cannot be read,
        the method is gone, or its surcharge differs from what was shown: then the amount due
        is shown anew and nothing is ordered until the cashier presses "Pay" again."""
        shown = self._method
        assert shown is not None
        try:
            methods = await self.client.public.payment_methods()
        except errors.VdmError as exc:
            log.warning("payment methods could not be read before the order (%s)",
                        type(exc).__name__)
            self._message = CashierMessage(
                _("The payment methods and surcharges could not be checked with VoordeMensen, "
                  "so the amount due is not certain. Nothing was ordered; try again."),
                Action.TRY_AGAIN)
            return False
        fresh = [PaymentChoice(m.payment_id, m.payment_desc, m.payment_cost) for m in methods]
        self._methods = fresh
        self._methods_skipped = int(getattr(methods, "skipped", 0) or 0)
        self.journal.set_pref(PREF_METHODS, json.dumps(
            [{"id": m.method_id, "name": m.name, "fee": str(m.surcharge)} for m in fresh]))
        current = next((m for m in fresh if m.method_id == shown.method_id), None)
        if current is None:
            self._method = None
            self._message = CashierMessage(
                _("VoordeMensen no longer offers {method}. Nothing was ordered; choose another "
                  "payment method.").format(method=shown.name), Action.OTHER_METHOD,
                Severity.WARNING)
            return False
        self._method = current
        if surcharge(current.surcharge) != surcharge(shown.surcharge):
            held = sum((ln.price for ln in self._lines.values() if ln.held), ZERO)
            self._message = CashierMessage(
                _("The surcharge for {method} is now {new} (was {old}): the amount due is "
                  "{due}. Nothing was ordered yet; check it with the customer and press Pay "
                  "again.").format(
                    method=current.name, new=format_money(surcharge(current.surcharge)),
                    old=format_money(surcharge(shown.surcharge)),
                    due=format_money(amount_due(held, surcharge(current.surcharge)))),
                Action.NONE, Severity.WARNING)
            return False
        return True

    def select_payment_method(self, method_id: int | str) -> PaymentChoice:
        if not self._methods:
            raise SaleError(CashierMessage(_("Payment methods are not loaded yet."), Action.WAIT))
        method = next((m for m in self._methods if m.method_id == method_id), None)
        if method is None:
            raise SaleError(CashierMessage(_("Unknown payment method."), Action.OTHER_METHOD))
        self._method = method
        self._notify()
        return method

    def set_customer(self, customer: CustomerInfo | None, *, avg_optin: bool = False,
                     avg_mailinglist: bool = False) -> None:
        """Attach (or clear) the buyer. The GDPR opt-ins are off unless the cashier ticks them."""
        self._customer = customer
        self._avg_optin = bool(avg_optin)
        self._avg_mailinglist = bool(avg_mailinglist)
        self._notify()

    async def find_customer(self, email: str) -> CustomerInfo | None:
        """Prefill from the venue's customer records (needs the API key); None if unknown."""
        if not self.client.has_api_key:
            return None
        c = await self.client.peppered.find_customer_by_email(email.strip())
        if c is None:
            return None
        # the Dutch infix ("de" in "Anna de Vries") belongs with the last name: the public order
        # has only firstname/lastname
        last = " ".join(p.strip() for p in (c.preposition, c.last_name) if p and p.strip())
        return CustomerInfo(c.email, c.first_name, last or None, c.phone, c.customer_id)

    async def create_customer(self, email: str, first_name: str, last_name: str,
                              phone: str | None = None) -> CustomerInfo:
        body = CustomerCreate(email=email.strip(), first_name=first_name.strip(),
                              last_name=last_name.strip(), phone=phone or None)
        c = await self._shielded(self.client.peppered.create_customer(body))
        # the Dutch infix ("de" in "Anna de Vries") belongs with the last name: the public order
        # has only firstname/lastname
        last = " ".join(p.strip() for p in (c.preposition, c.last_name) if p and p.strip())
        return CustomerInfo(c.email, c.first_name, last or None, c.phone, c.customer_id)

    def cash_change(self, tendered: Decimal) -> Change:
        return change_due(self.snapshot().amount_due, tendered)

    def quick_amounts(self) -> list[Decimal]:
        return quick_amounts(self.snapshot().amount_due)

    # ------------------------------------------------------------------ paying
    async def pay(self, *, wait: bool = False) -> SaleSnapshot:
        """Create the order for the held lines with the selected method, then wait for the
        payment in the background (``wait=True`` awaits the final status)."""
        snap = await self._shielded(self._pay())
        if wait and self._poll_task is not None:
            await self.wait_for_payment()
            return self.snapshot()
        return snap

    def _order_customer(self) -> OrderCustomer | None:
        c = self._customer
        if c is None:
            return None
        return OrderCustomer(email=c.email, firstname=c.first_name, lastname=c.last_name,
                             phone=c.phone, avg_optin=self._avg_optin,
                             avg_mailinglist=self._avg_mailinglist)

    async def _pay(self) -> SaleSnapshot:
        async with self._lock:
            if self._phase != Phase.OPEN or self._cart_id is None or self._sale_id is None:
                raise SaleError(CashierMessage(_("There is nothing to pay."), Action.NONE))
            if self._method is None:
                raise SaleError(CashierMessage(_("Choose a payment method first."),
                                               Action.OTHER_METHOD, Severity.WARNING))
            await self._sync_if_stale()
            if await self._hold_lapsed_before_pay():
                return self.snapshot()
            held = [ln for ln in self._lines.values() if ln.held]
            if not held:
                raise SaleError(CashierMessage(_("The cart is empty."), Action.NONE))
            # the methods' current fees and the start of the order attempt (existing orders, hold
            # deadline) are read side by side: one round trip of waiting, not two
            known = snapshot_cart(held)
            hold_until = None if self._hold_estimated else self._hold_deadline
            confirmed, prepared = await asyncio.gather(
                self._confirm_method(),
                self.client.public.prepare_order(self._cart_id, known, hold_until=hold_until),
                return_exceptions=True)
            if isinstance(confirmed, BaseException):
                raise confirmed
            if not confirmed:
                self._notify()
                return self.snapshot()
            if isinstance(prepared, BaseException):
                if not isinstance(prepared, errors.VdmError):
                    raise prepared
                log.info("order attempt not prepared ahead (%s)", type(prepared).__name__)
                prepared = None
            method = self._method
            assert method is not None
            total = sum((ln.price for ln in held), ZERO)
            fee = surcharge(method.surcharge)
            customer = self._customer
            try:
                self.journal.request_order(
                    self._sale_id, payment_method_id=method.method_id,
                    payment_method_name=method.name, surcharge=fee,
                    lines=[line_to_dict(ln) for ln in self._lines.values()], total=total,
                    customer=None if customer is None else {
                        "email": customer.email, "first_name": customer.first_name,
                        "last_name": customer.last_name, "customer_id": customer.customer_id,
                        "avg_optin": self._avg_optin, "avg_mailinglist": self._avg_mailinglist})
            except OrderAlreadyRequested as exc:
                self._message = message_for(exc, operation="order")
                self._phase = Phase.ATTENTION
                self._notify()
                return self.snapshot()
            self.journal.set_pref(PREF_LAST_METHOD, str(method.method_id))
            self._phase = Phase.ORDERING
            self._busy = "ordering"
            self._ordered_lines = tuple(held)
            self._notify()
            sale_id = self._sale_id

            def journal_lookup(lookup: OrderLookup) -> None:
                # what identifies this attempt, committed before the request goes out (and
                # updated after), so a lost order is never confused with another sale's
                self.journal.after(sale_id, "order_lookup", None, None,
                                   order_lookup=lookup.to_json())

            try:
                created = await self.client.public.create_order(
                    self._cart_id, method.method_id, None, self._order_customer(),
                    known_cart=known, on_lookup=journal_lookup,
                    # the server's own timeOut from the last add, when we have it
                    hold_until=hold_until, payment_label=method.name, prepared=prepared)
            except Exception as exc:  # noqa: BLE001 - no failure may leave the sale ORDERING
                self._busy = None
                if not isinstance(exc, errors.VdmError):
                    # the client maps every failure onto its errors; anything else is a defect,
                    # and the order's outcome is unknown: never left in ORDERING
                    log.error("order creation failed unexpectedly", exc_info=True)
                if (not isinstance(exc, errors.VdmError) or isinstance(exc, errors.OutcomeUnknown)
                        or exc.ambiguous):
                    self.journal.after(self._sale_id, "create_order", SaleState.NEEDS_ATTENTION,
                                       {"error": type(exc).__name__,
                                        "candidates": list(getattr(exc, "candidates", ()))},
                                       note="order outcome unknown")
                    self._phase = Phase.ATTENTION
                    log.warning("order outcome unknown: %s: %s", type(exc).__name__, exc)
                    self._message = order_needs_checking(
                        held, method_name=method.name, amount=amount_due(total, fee),
                        requested_at=_utcnow(), order_keys=getattr(exc, "candidates", ()))
                elif isinstance(exc, errors.HoldLapsed):
                    self._leave_lapsed_cart()
                    self._message = message_for(exc, operation="order")
                else:
                    # established: no order was made (the server refused it)
                    self.journal.order_refused(self._sale_id, type(exc).__name__)
                    self._phase = Phase.OPEN
                    self._message = message_for(exc, operation="order")
                    if isinstance(exc, errors.ValidationError):
                        self._stale = True
                self._notify()
                return self.snapshot()
            url = created.url
            url_message = None
            if url is not None:
                try:
                    url = check_document_url(url, demo=self.demo)
                except errors.InsecureURL as exc:
                    log.warning("payment URL refused: %s", exc)
                    url = None
                    url_message = CashierMessage(
                        _("VoordeMensen sent a payment link that is not secure; it was not "
                          "opened. The order is kept; the customer can pay another way."),
                        Action.OTHER_METHOD, Severity.WARNING)
            self.journal.after(self._sale_id, "create_order", SaleState.ORDER_CREATED,
                               {"recovered": created.recovered}, order_key=created.order_key,
                               payment_url=url, payment_status="none",
                               order_created_at=_utcnow())
            due = amount_due(total, fee)
            self._order = OrderInfo(created.order_key, url, "none", method, due, True)
            self._phase = Phase.WAITING
            self._busy = None
            self._lines = {ln.line_id: ln for ln in held}
            self._hold_deadline = None
            if self._expiry_task is not None:
                self._expiry_task.cancel()
            self._message = url_message
            self._start_polling()
            self._notify()
            return self.snapshot()

    def _leave_lapsed_cart(self) -> None:
        """The order attempt found the hold lapsed with no order made (HoldLapsed). The lines are
        released; the sale on this cart ends (RELEASED) with its order request kept, and the cart
        is never used again: an attempt that got no answer may still be queued at VoordeMensen,
        and landing on a cart we had refilled it would make an order nobody knows of. Re-adding
        starts a new cart (and journal sale) with the same lines."""
        assert self._sale_id is not None
        self._drop_missing_lines((), ())
        self._journal_lines("refresh", {"released_before_order": True})
        self.journal.after(self._sale_id, "create_order", SaleState.RELEASED,
                           {"hold_lapsed": True}, note="hold lapsed before any order; cart retired")
        self._sale_id = self._cart_id = None
        self._public_known = None
        self._hold_deadline = None
        self._hold_estimated = True
        self._ordered_lines = ()
        self._phase = Phase.OPEN

    async def _hold_lapsed_before_pay(self) -> bool:
        """If the hold deadline has passed, read the cart back before ordering: an expired cart
        reads empty just like one that became an order, so an order attempt on it could not be
        told apart from a created order if its answer were lost. Lines the server let go are
        shown as released with the cashier message; True means: do not order now."""
        if self._hold_deadline is None or self._server_now() < self._hold_deadline:
            return False
        had = {lid for lid, ln in self._lines.items() if ln.held}
        await self._read_cart()
        lost = [lid for lid in had if not (lid in self._lines and self._lines[lid].held)]
        if not lost:
            return False
        log.info("hold lapsed before the order: %d line(s) released", len(lost))
        self._message = self._cart_expired_message()
        if self._sale_id:
            self._journal_lines("refresh", {"released_before_order": len(lost)})
        self._notify()
        return True

    def _start_polling(self, first_delay: float | None = None) -> None:
        assert self._order is not None
        key = self._order.order_key
        self._poller = self._poller_factory(
            self.client, key, on_status=self._on_status, on_error=self._on_poll_error)
        self._poll_task = asyncio.get_running_loop().create_task(
            self._watch(self._poller, first_delay))

    async def _watch(self, poller: PaymentPoller, first_delay: float | None) -> None:
        try:
            status = await poller.run(first_delay=first_delay)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - waiting must never end without a way on
            if not isinstance(exc, errors.VdmError):
                log.error("waiting for the payment stopped unexpectedly", exc_info=True)
            self._message = message_for(exc, operation="status")
            if self._order is not None:
                self._order = replace(self._order, waiting=False)
            if isinstance(exc, errors.NotFound) and self._sale_id:
                self.journal.after(self._sale_id, "status", SaleState.NEEDS_ATTENTION,
                                   {"error": "NotFound"}, note="order not found")
                self._phase = Phase.ATTENTION
            self._notify()
            return
        self._finish(status)

    def _on_status(self, status: OrderStatus) -> None:
        if self._order is not None and self._poller is not None:
            self._order = replace(self._order, status=status.order_payment_status,
                                  polls=self._poller.polls)
            if status.order_payment_status not in PAYMENT_FINAL:
                if self._message is not None and self._message.retrying:
                    self._message = None
                self._notify()

    def _on_poll_error(self, exc: BaseException) -> None:
        self._message = message_for(exc, operation="status")
        self._notify()

    def _finish(self, status: OrderStatus) -> None:
        assert self._order is not None and self._sale_id is not None
        final = PAYMENT_FINAL[status.order_payment_status]
        tickets_url = receipt_url = None
        for url_name in ("order_tickets_url", "order_receipt_url"):
            value = getattr(status, url_name)
            if value:
                try:
                    value = check_document_url(value, demo=self.demo)
                except errors.InsecureURL:
                    log.warning("%s refused by the URL policy", url_name)
                    value = None
            if url_name == "order_tickets_url":
                tickets_url = value
            else:
                receipt_url = value
        self.journal.after(self._sale_id, "status", final, None,
                           payment_status=status.order_payment_status, tickets_url=tickets_url,
                           receipt_url=receipt_url, tickets_nr=status.order_tickets_nr)
        order = replace(self._order, status=status.order_payment_status, waiting=False)
        self._order = order
        if final == SaleState.PAID:
            import time as _time
            self.paid_seen_at = _time.monotonic()
            total = sum((ln.price for ln in self._ordered_lines), ZERO)
            self._confirmation = Confirmation(
                order_key=order.order_key,
                tickets_nr=status.order_tickets_nr if status.order_tickets_nr is not None
                else len(self._ordered_lines),
                lines=self._ordered_lines, total=total, surcharge=surcharge(order.method.surcharge),
                amount_paid=order.amount_due, payment_method=order.method.name,
                tickets_url=tickets_url, receipt_url=receipt_url)
            self._phase = Phase.PAID
            self._message = None
        else:
            self._not_paid = not_paid_reason(status.order_payment_status)
            self._phase = Phase.NOT_PAID
            self._message = None
            self._lines = {lid: replace(ln, status=LineStatus.RELEASED)
                           for lid, ln in self._lines.items()}
        self._notify()

    async def wait_for_payment(self) -> SaleSnapshot:
        """Await the running status poll (returns at a final status or when stopped)."""
        task = self._poll_task
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)
        return self.snapshot()

    def stop_waiting(self) -> None:
        """Stop polling; the order stays in the journal (resume later or at the next start)."""
        if self._poll_task is not None:
            self._poll_task.cancel()
            self._poll_task = None
        if self._order is not None:
            self._order = replace(self._order, waiting=False)
            self._message = CashierMessage(
                _("Stopped waiting for the payment. The order is kept and checked again later."),
                Action.NONE, Severity.INFO)
        self._notify()

    def resume_waiting(self) -> None:
        if self._order is None or self._phase != Phase.WAITING:
            return
        if self._poll_task is None or self._poll_task.done():
            self._order = replace(self._order, waiting=True)
            self._message = None
            self._start_polling(first_delay=0.0)
            self._notify()

    def check_now(self) -> None:
        """Poll as soon as allowed (never more than once a second)."""
        if self._poller is not None:
            self._poller.poke()

    # -- a sale being checked (outcome unknown)
    async def recheck(self) -> SaleSnapshot:
        """Find out again whether the order of a sale "being checked" was made, by reading only
        (the order status, the cart, the venue's order export: the recovery's rules), never by
        sending an order again. Found → the sale waits for its payment as usual; established
        that no order was made → the seats are let go and the cashier can re-add them; still
        unknown (or VoordeMensen cannot be reached) → it stays being checked."""
        return await self._shielded(self._recheck())

    async def _recheck(self) -> SaleSnapshot:
        from boxoffice.api import reconcile
        from boxoffice.api.order_lookup import order_check

        async with self._lock:
            if self._phase != Phase.ATTENTION or self._sale_id is None:
                return self.snapshot()
            sale_id = self._sale_id
            sale = self.journal.get(sale_id)
            key = sale.order_key
            status = sale.payment_status or "none"
            if key is None:
                if sale.order_requested_at is None or not sale.cart_id:
                    return self.snapshot()
                lines = list(self._ordered_lines) or [
                    line_from_dict(d) for d in sale.lines if d.get("status", "held") == "held"]
                self._busy = "checking"
                self._notify()
                try:
                    outcome, _seen = await order_check(
                        self.client.public, self.client.peppered, sale.cart_id,
                        snapshot_cart(lines), sale.order_attempt(),
                        exclude_keys=self.journal.order_keys())
                except errors.NotFound:
                    outcome = reconcile.unknown("the cart is unknown at VoordeMensen")
                except errors.VdmError as exc:
                    log.info("sale not checked yet (%s)", type(exc).__name__)
                    self._message = CashierMessage(
                        _("VoordeMensen cannot be reached yet, so this sale is still being "
                          "checked. It is checked again by itself as soon as the connection is "
                          "back."), Action.NONE, Severity.WARNING)
                    return self.snapshot()
                finally:
                    self._busy = None
                    self._notify()
                if outcome.state in (reconcile.LAPSED, reconcile.NOT_APPLIED):
                    return await self._no_order_was_made(outcome.state == reconcile.NOT_APPLIED,
                                                         lines)
                if outcome.state != reconcile.APPLIED:
                    log.info("sale still unconfirmed: %s", outcome.why)
                    self._message = CashierMessage(
                        _("It is still not certain whether the order was made; this sale is "
                          "checked again. Nothing is made twice."), Action.NONE,
                        Severity.WARNING)
                    self._notify()
                    return self.snapshot()
                found = outcome.value
                key = found.order_key
                status = found.order_payment_status or "none"
                self.journal.after(sale_id, "recheck", SaleState.ORDER_CREATED,
                                   {"recovered": True}, order_key=key, payment_status=status)
                self._ordered_lines = tuple(lines)
            elif sale.state != SaleState.ORDER_CREATED:
                self.journal.after(sale_id, "recheck", SaleState.ORDER_CREATED)
            if not self._ordered_lines:
                self._ordered_lines = tuple(
                    line_from_dict(d) for d in sale.lines if d.get("status", "held") == "held")
            method = self._method if (self._method is not None and self._method.method_id
                                      == sale.payment_method_id) else PaymentChoice(
                sale.payment_method_id or 0, sale.payment_method_name or "", ZERO)
            total = sum((ln.price for ln in self._ordered_lines), ZERO)
            self._order = OrderInfo(key, sale.payment_url, status, method,
                                    amount_due(total, sale.surcharge), True)
            self._lines = {ln.line_id: ln for ln in self._ordered_lines}
            self._phase = Phase.WAITING
            self._message = None
            self._start_polling(first_delay=0.0)
            self._notify()
            return self.snapshot()

    async def _no_order_was_made(self, still_held: bool, lines: list[SaleLine]) -> SaleSnapshot:
        """The re-check established that no order was made. The cart is never used again (a
        request still queued at VoordeMensen must not land on a refilled cart): its seats are
        let go (still held: the cart is emptied) and shown as released, so "Re-add" puts them
        back on a new cart."""
        assert self._sale_id is not None and self._cart_id is not None
        if still_held:
            try:
                if self.client.has_api_key:
                    await self.client.peppered.clear_cart(self._cart_id)
                else:
                    for ln in lines:
                        with contextlib.suppress(errors.NotFound):
                            await self.client.public.remove_line(self._cart_id, ln.line_id)
            except errors.NotFound:
                pass
            except errors.VdmError as exc:
                log.info("cart not released after the check (%s)", type(exc).__name__)
                self._message = message_for(exc, operation="release")
                self._notify()
                return self.snapshot()
        self._drop_missing_lines((), ())
        self.journal.after(self._sale_id, "recheck", SaleState.RELEASED, {"no_order": True},
                           lines=[line_to_dict(ln) for ln in self._lines.values()],
                           note="checked: no order was made; cart released")
        self._sale_id = self._cart_id = None
        self._public_known = None
        self._hold_deadline = None
        self._hold_estimated = True
        self._ordered_lines = ()
        self._phase = Phase.OPEN
        self._message = CashierMessage(
            _("Checked: no order was made and nothing was paid. The seats were let go; "
              "\"Re-add\" puts back those still free."), Action.READD, Severity.WARNING)
        self._notify()
        return self.snapshot()

    async def download_tickets(self) -> Document:
        if self._confirmation is None or not self._confirmation.tickets_url:
            raise SaleError(CashierMessage(_("There are no tickets to download yet."), Action.NONE))
        return await fetch_document(self._confirmation.tickets_url, demo=self.demo)

    # ------------------------------------------------------------------ after the payment
    async def start_again(self) -> ReaddResult:
        """After a payment that did not go through: a new cart with the same lines (those
        still free), ready for "Pay" again (with this or another method)."""
        return await self._shielded(self._start_again())

    async def _start_again(self) -> ReaddResult:
        async with self._lock:
            if self._phase != Phase.NOT_PAID:
                raise SaleError(CashierMessage(_("There is no failed payment to retry."),
                                               Action.NONE))
            lines = [replace(ln, status=LineStatus.RELEASED) for ln in self._lines.values()]
            customer, optin, mailing = self._customer, self._avg_optin, self._avg_mailinglist
            self._reset_sale()
            self._customer, self._avg_optin, self._avg_mailinglist = customer, optin, mailing
            await self._ensure_cart()
            self._lines = {ln.line_id: ln for ln in lines}
            self._busy = "adding"
            try:
                return await self._readd_lines(lines)
            finally:
                self._busy = None
                self._notify()

    async def cancel_sale(self) -> bool:
        """Abandon the sale: release the held seats and close the cart."""
        return await self._shielded(self._cancel_sale())

    async def _cancel_sale(self) -> bool:
        async with self._lock:
            if self._phase in (Phase.ORDERING, Phase.WAITING):
                raise SaleError(CashierMessage(
                    _("An order exists for this sale; wait for the payment or stop waiting."),
                    Action.NONE))
            if self._phase == Phase.OPEN and self._sale_id and any(
                    ln.held for ln in self._lines.values()):
                if not await self._release_cart("release"):
                    self._notify()
                    return False
            if self._phase == Phase.OPEN and self._sale_id:
                self.journal.after(self._sale_id, "release", SaleState.RELEASED)
            self._clear()
            return True

    def new_sale(self) -> None:
        """Close a finished sale (paid / not paid / needs attention) and start over."""
        if self._phase in (Phase.ORDERING,):
            raise SaleError(CashierMessage(_("The order is still being created."), Action.WAIT))
        if self._poll_task is not None:
            self._poll_task.cancel()
            self._poll_task = None
        self._close_if_empty()
        self._clear()

    def _close_if_empty(self) -> None:
        """An open sale that never held anything (the cart made ahead) ends as released, so it
        is never reported as an unfinished sale of 0 tickets."""
        if (self._phase == Phase.OPEN and self._sale_id and not self._lines
                and self.journal.is_empty(self._sale_id)):
            self.journal.after(self._sale_id, "close_empty", SaleState.RELEASED,
                               note="empty: nothing was held or ordered")

    def _clear(self) -> None:
        for task in (self._expiry_task, self._hold_probe):
            if task is not None:
                task.cancel()
        self._expiry_task = self._hold_probe = None
        method = self._method
        self._reset_sale()
        self._method = method
        self._poller = None
        self._notify()

    async def aclose(self) -> None:
        """Stop background work (polling, hold timer). Writes in flight finish first."""
        self._closed = True
        tasks = [t for t in (self._poll_task, self._expiry_task, self._hold_probe) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._inflight:
            await asyncio.gather(*self._inflight, return_exceptions=True)
        self._poll_task = self._expiry_task = self._hold_probe = None
        if not self._lock.locked():   # the writes have ended: an empty sale is closed
            try:
                self._close_if_empty()
            except Exception:  # the journal may be closed already; the next start closes it
                log.info("empty sale not closed at shutdown", exc_info=True)


def cart_expired_about(minutes: int) -> CashierMessage:
    """The hold ran out and only a local estimate of its length is known (the docs do not give
    it): "about", never presented as documented."""
    return CashierMessage(
        _("The cart expired after about {minutes} minutes: the seats were released.").format(
            minutes=max(1, minutes)), Action.READD, Severity.WARNING)


#: at most this many places are named in a message (the rest as "and N more")
_PLACES_NAMED = 6


def order_needs_checking(lines: Iterable[SaleLine], *, method_name: str | None,
                         amount: Decimal | None, requested_at: datetime | None,
                         order_keys: Iterable[str] = ()) -> CashierMessage:
    """What the cashier must check when nothing the docs support shows whether an order was made
    (the answer to the order request was lost and the venue's order list could not settle it).
    No second order is ever made for the cart; the sale stays "needs attention" in the journal
    and is checked again at the next start. Names the order keys when known (the candidates the
    order list showed), the payment page, and the venue's order list (when, what)."""
    lines = list(lines)
    keys = [k for k in order_keys if k]
    places = ", ".join(f"{ln.performance}: {ln.place}" for ln in lines[:_PLACES_NAMED])
    if len(lines) > _PLACES_NAMED:
        places += " " + _("and {count} more").format(count=len(lines) - _PLACES_NAMED)
    checks = []
    if len(keys) == 1:
        checks.append(_("order {key} in VoordeMensen: it may be this sale's").format(key=keys[0]))
    elif keys:
        checks.append(_("orders {keys} in VoordeMensen: one of them may be this sale's").format(
            keys=", ".join(keys)))
    if amount is not None and method_name:
        checks.append(_("the payment page or terminal: did the customer pay {amount} by "
                        "{method}?").format(amount=format_money(amount), method=method_name))
    else:
        checks.append(_("the payment page or terminal: did the customer pay?"))
    when = format_time(requested_at.astimezone()) if requested_at is not None else None
    if when:
        checks.append(_("the venue's order list in VoordeMensen: an order made at about {time} "
                        "for {places}").format(time=when, places=places))
    else:
        checks.append(_("the venue's order list in VoordeMensen: an order for {places}").format(
            places=places))
    text = _("We could not confirm whether VoordeMensen made the order. No second order is made "
             "for this cart. Before selling these tickets again, check:") + "\n" + "\n".join(
        "• " + c for c in checks) + "\n" + _(
        "The sale is kept in the journal and checked again at the next start.")
    return CashierMessage(text, Action.NONE, Severity.WARNING)


def not_paid_reason(status: str) -> NotPaid:
    """Plain words for a payment that did not go through, with the next steps to offer."""
    steps = (Action.TRY_AGAIN, Action.OTHER_METHOD, Action.RELEASE)
    if status == "cancelled":
        text = _("The payment was cancelled. The seats were released: try again, choose another "
                 "payment method, or end the sale.")
    elif status == "failed":
        text = _("The payment failed. The seats were released: try again, choose another payment "
                 "method, or end the sale.")
    elif status == "expired":
        text = _("The payment took too long and expired. The seats were released: try again, "
                 "choose another payment method, or end the sale.")
    else:
        text = _("The payment did not go through.")
    return NotPaid(status, text, steps)
