"""The order desk's values: any order of the venue as the desk shows it, and the labels for it.

Owns :class:`DeskOrder` (an order from the peppered order export with its seats, deleted seats,
performances and buyer), :class:`DeskSeat`, :class:`DeskEvent`, the door list
(:class:`DoorList`, :func:`build_door_list`), the venue day report (:class:`DayReport`,
:func:`build_day_report`), the sync's :class:`SyncProgress` / :class:`SyncResult`, and the plain
words a cashier reads for a status (:func:`status_words`) and a channel (:func:`channel_words`).

Statuses stay exactly as the API gives them (``ord``, ``res``, ``cancel``, ``reemit``,
``reissue``, ``pros``, ``trash``; the payment status as given); only the words are derived.
Money is ``Decimal``. Pure and Qt-free: imports only ``domain.clock`` and ``i18n``.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.i18n import _

ZERO = Decimal("0.00")

#: ``orderStatus`` values (vdm-api.md §7), stored and compared as given.
ORDERED, RESERVED, CANCELLED, REEMITTED, REISSUED, PROSPECT, TRASHED = (
    "ord", "res", "cancel", "reemit", "reissue", "pros", "trash")
#: an order in one of these statuses holds no valid ticket (shown as such, never printed
#: without a warning, not on the door list, not in the day report)
VOID_STATUSES = frozenset({CANCELLED, TRASHED})
#: statuses of a sale that counts in the day report (when paid)
SALE_STATUSES = frozenset({ORDERED, REEMITTED, REISSUED})
#: ``orderChannel`` values that mean the web shop. The docs show only ``www``; any other
#: non-empty channel (``box``, ``kassa``, ``pos``, ``counter`` ...) is read as a counter sale,
#: and an order without a channel as online (the documented default).
ONLINE_CHANNELS = frozenset({"", "www", "web", "online", "shop", "webshop", "internet", "widget",
                             "app"})


@dataclass(frozen=True)
class DeskSeat:
    """One ticket of an order: its seat (row/seat labels as text), ticket type and price."""

    event_id: int | str
    seat_id: str
    section: str
    row: str
    seat: str
    ticket_type: str
    price: Decimal


@dataclass(frozen=True)
class DeskEvent:
    """A performance an order has tickets for (title and start as far as known)."""

    event_id: int | str
    title: str
    starts_at: datetime | None


@dataclass(frozen=True)
class DeskOrder:
    """An order as the order desk knows it (from the index, or a public lookup by key)."""

    order_id: int | str
    order_key: str
    status: str                 # API orderStatus as given
    payment_status: str         # API orderPaymentStatus as given
    amount: Decimal
    fee: Decimal
    donation: Decimal
    payment_label: str          # handlingTextPayment
    channel: str                # orderChannel as given; counter vs online: channel_words
    created_at: datetime | None
    changed_at: datetime | None
    reserved_until: datetime | None
    customer_id: int | str | None
    first_name: str
    infix: str
    last_name: str
    email: str
    seats: tuple[DeskSeat, ...] = ()
    deleted_seats: tuple[DeskSeat, ...] = ()
    events: tuple[DeskEvent, ...] = ()
    #: fields of the export the desk does not know, kept as sent
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        """``"Anna de Vries"``: first name, infix and last name (empty parts left out)."""
        return " ".join(part.strip() for part in (self.first_name, self.infix, self.last_name)
                        if part and part.strip())

    @property
    def is_void(self) -> bool:
        """Cancelled or deleted: no valid tickets."""
        return self.status in VOID_STATUSES

    @property
    def is_counter(self) -> bool:
        return is_counter_channel(self.channel)

    @property
    def tickets(self) -> int:
        return len(self.seats)

    def event(self, event_id: int | str) -> DeskEvent | None:
        key = str(event_id)
        return next((e for e in self.events if str(e.event_id) == key), None)

    def seats_for(self, event_id: int | str) -> tuple[DeskSeat, ...]:
        key = str(event_id)
        return tuple(s for s in self.seats if str(s.event_id) == key)


def is_counter_channel(channel: str | None) -> bool:
    return (channel or "").strip().lower() not in ONLINE_CHANNELS


def channel_words(order: DeskOrder) -> str:
    """``"online"`` or ``"counter"`` (translated)."""
    return _("counter") if order.is_counter else _("online")


def _clock(moment: datetime) -> str:
    local = moment.astimezone(VENUE_ZONE) if moment.tzinfo else moment
    return f"{local.hour:02d}:{local.minute:02d}"


def _until(moment: datetime, now: datetime | None) -> str:
    """``19:45`` when it is today (venue time), else ``4-12 19:45``."""
    local = moment.astimezone(VENUE_ZONE) if moment.tzinfo else moment.replace(tzinfo=VENUE_ZONE)
    today = (now or datetime.now(VENUE_ZONE)).astimezone(VENUE_ZONE).date()
    if local.date() == today:
        return _clock(local)
    return f"{local.day}-{local.month} {_clock(local)}"


def status_words(order: DeskOrder, now: datetime | None = None) -> str:
    """The status in plain words: ``"paid"``, ``"reservation, unpaid until 19:45"`` (venue
    time), ``"cancelled"``, ``"re-issued"``, ... (translated). An unknown status is shown as
    the API gave it."""
    status = (order.status or "").strip().lower()
    paid = (order.payment_status or "").strip().lower() == "paid"
    if status == CANCELLED:
        return _("cancelled")
    if status == TRASHED:
        return _("deleted")
    if status == RESERVED:
        if paid:
            return _("reservation, paid")
        if order.reserved_until is not None:
            return _("reservation, unpaid until {time}").format(
                time=_until(order.reserved_until, now))
        return _("reservation, unpaid")
    if status == PROSPECT:
        return _("offer, not confirmed")
    if status in (REEMITTED, REISSUED):
        return _("re-issued") if paid or not order.payment_status else _("re-issued, unpaid")
    if status == ORDERED or not status:
        return _payment_words(order, now)
    return order.status


def _payment_words(order: DeskOrder, now: datetime | None) -> str:
    payment = (order.payment_status or "").strip().lower()
    if payment == "paid":
        return _("paid")
    if payment in ("", "none"):
        if order.reserved_until is not None:
            return _("awaiting payment until {time}").format(
                time=_until(order.reserved_until, now))
        return _("not paid yet")
    if payment == "cancelled":
        return _("payment cancelled")
    if payment == "failed":
        return _("payment failed")
    if payment == "expired":
        return _("payment expired")
    return order.payment_status


# --------------------------------------------------------------------------- text folding
def fold(text: str) -> str:
    """Lower case without accents (``"Zoë Çelik"`` -> ``"zoe celik"``): how names compare."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_sort_key(last_name: str, first_name: str, infix: str = "") -> tuple[str, str, str]:
    """Alphabetical by last name, then first name (the Dutch way: "de Vries" under V)."""
    return (fold(last_name).strip(), fold(first_name).strip(), fold(infix).strip())


# --------------------------------------------------------------------------- door list
@dataclass(frozen=True)
class DoorListEntry:
    name: str
    email: str
    order_key: str
    status: str                 # plain words (status_words)
    seats: tuple[DeskSeat, ...]
    tickets: int


@dataclass(frozen=True)
class DoorList:
    """Who bought what for one performance, alphabetical by last name, then first name."""

    event: DeskEvent
    as_of: datetime | None
    entries: tuple[DoorListEntry, ...]

    @property
    def tickets(self) -> int:
        return sum(e.tickets for e in self.entries)


def _seat_key(seat: DeskSeat) -> tuple:
    def part(text: str) -> tuple[int, int, str]:
        t = (text or "").strip()
        return (0, int(t), "") if t.isdigit() else (1, 0, t)
    return (seat.section, part(seat.row), part(seat.seat))


def build_door_list(event: DeskEvent, orders: Iterable[DeskOrder], as_of: datetime | None,
                    now: datetime | None = None) -> DoorList:
    """The door list of *event* from the orders that hold tickets for it (void orders and
    orders without seats for it are left out)."""
    rows: list[tuple[tuple, DoorListEntry]] = []
    for order in orders:
        if order.is_void:
            continue
        seats = tuple(sorted(order.seats_for(event.event_id), key=_seat_key))
        if not seats:
            continue
        entry = DoorListEntry(
            name=order.name or order.email or order.order_key, email=order.email,
            order_key=order.order_key, status=status_words(order, now), seats=seats,
            tickets=len(seats))
        last = order.last_name or order.name or order.email or order.order_key
        rows.append((name_sort_key(last, order.first_name, order.infix) + (order.order_key,),
                     entry))
    rows.sort(key=lambda r: r[0])
    return DoorList(event=event, as_of=as_of, entries=tuple(e for _k, e in rows))


def seat_words(seat: DeskSeat) -> str:
    """``"row 5 seat 12"`` (translated); general admission (no row/seat): the ticket type."""
    if seat.row or seat.seat:
        return _("row {row} seat {seat}").format(row=seat.row, seat=seat.seat)
    return seat.ticket_type or _("ticket")


# --------------------------------------------------------------------------- day report
@dataclass(frozen=True)
class ReportLine:
    label: str
    orders: int
    tickets: int
    amount: Decimal


@dataclass(frozen=True)
class DayReport:
    """The venue's sales of one day (venue time), per channel and per payment method."""

    day: date
    as_of: datetime | None
    by_channel: tuple[ReportLine, ...]
    by_method: tuple[ReportLine, ...]
    total: ReportLine


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Venue midnight to midnight (aware)."""
    start = datetime.combine(day, time(0), tzinfo=VENUE_ZONE)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=VENUE_ZONE)
    return start, end


def counts_as_sale(order: DeskOrder) -> bool:
    """A paid order that holds valid tickets (ordered or re-issued)."""
    return (order.status in SALE_STATUSES
            and (order.payment_status or "").strip().lower() == "paid")


def build_day_report(day: date, orders: Iterable[DeskOrder], as_of: datetime | None) -> DayReport:
    """Sales made on *day* (by order date, venue time), across all counters and the web shop:
    paid orders with valid tickets (:func:`counts_as_sale`)."""
    start, end = day_bounds(day)
    channels: dict[bool, list[DeskOrder]] = {False: [], True: []}
    methods: dict[str, list[DeskOrder]] = {}
    every: list[DeskOrder] = []
    for order in orders:
        if order.created_at is None or not (start <= order.created_at < end):
            continue
        if not counts_as_sale(order):
            continue
        every.append(order)
        channels[order.is_counter].append(order)
        methods.setdefault(order.payment_label or "", []).append(order)

    def line(label: str, group: list[DeskOrder]) -> ReportLine:
        return ReportLine(label, len(group), sum(o.tickets for o in group),
                          sum((o.amount for o in group), ZERO))

    by_channel = (line(_("Online"), channels[False]), line(_("Counter"), channels[True]))
    by_method = tuple(line(label or _("Unknown payment method"), group)
                      for label, group in sorted(methods.items(), key=lambda kv: fold(kv[0])))
    return DayReport(day=day, as_of=as_of, by_channel=by_channel, by_method=by_method,
                     total=line(_("Total"), every))


# --------------------------------------------------------------------------- sync
@dataclass(frozen=True)
class SyncProgress:
    fetched: int
    stored: int
    phase: str      # "orders" | "customers" | "done"


@dataclass(frozen=True)
class SyncResult:
    added: int
    updated: int
    skipped: int        # orders (and customers) that could not be read: left out, logged
    full: bool          # a full sync (the first, or after a rebuild)
    as_of: datetime


__all__ = [
    "DeskSeat", "DeskEvent", "DeskOrder", "status_words", "channel_words", "is_counter_channel",
    "DoorListEntry", "DoorList", "build_door_list", "seat_words", "ReportLine", "DayReport",
    "build_day_report", "day_bounds", "counts_as_sale", "SyncProgress", "SyncResult", "fold",
    "name_sort_key", "ONLINE_CHANNELS", "VOID_STATUSES",
]
