"""The order desk: find and serve any order of the venue from a local order index.

Owns :class:`OrderDesk` — the sync of the profile's order index (``orders.sqlite3`` in the
profile's data folder) from the peppered exports (full first, then by ``changedSince``), the
one-box search, the door list, the venue day report, and the public look-up by order key.

Qt-free; imports store, api and domain only. The UI calls :meth:`OrderDesk.search` and the
other readers synchronously (they read the local index); :meth:`OrderDesk.sync` runs on the
event loop and does its JSON reading and SQLite writes off it (a worker thread), so the loop
stays free while 100,000 orders are stored.

Sync (vdm-api.md §4.6; the format of ``changedSince`` is undocumented): the first sync (and one
after a rebuild) reads the whole export; each later one asks for what changed since the server
time the last complete window began, less :data:`OVERLAP` (a window that overlaps a little;
upsert by ``orderId`` keeps each order once). The cursor moves only after the orders and
customers of a window are all stored, so an interrupted sync (a dropped connection, a 5xx, a
timeout) is simply repeated: no gaps, no doubles. An order that cannot be read is skipped,
logged and counted; it never stops the sync.
"""
from __future__ import annotations

import asyncio
import contextlib
import contextvars
import csv
import gc
import io
import logging
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from boxoffice.api import errors
from boxoffice.api.models import peppered as p
from boxoffice.domain.clock import VENUE_ZONE, venue_now
from boxoffice.domain.orders import (
    ZERO,
    DayReport,
    DeskEvent,
    DeskOrder,
    DeskSeat,
    DoorList,
    SyncProgress,
    SyncResult,
    build_day_report,
    build_door_list,
    day_bounds,
    seat_words,
)
from boxoffice.i18n import _
from boxoffice.store.order_index import (
    CustomerRecord,
    IndexCorrupt,
    OrderIndex,
    email_token,
    is_corruption,
    key_norm,
    seat_token,
    words,
)

log = logging.getLogger("boxoffice.orders")

INDEX_FILE = "orders.sqlite3"
#: each delta window starts this long before the last one began (clock skew, late commits)
OVERLAP = timedelta(minutes=5)
#: orders stored per transaction (and per progress report)
BATCH = 2000
#: customers read one by one (``GET /customer/{id}``) per sync, at most
MISSING_CUSTOMERS_PER_SYNC = 25
#: performances read one by one (``GET /event/{id}``) per sync, at most
MISSING_EVENTS_PER_SYNC = 25

T = TypeVar("T")


def order_index_path(data_dir: Path | str) -> Path:
    """Where a profile keeps its order index: ``<profile data folder>/orders.sqlite3``."""
    return Path(data_dir) / INDEX_FILE


# --------------------------------------------------------------------------- API -> desk
def _label(value: object) -> str:
    return "" if value is None else str(value).strip()


def desk_seat(s: p.ExportSeat) -> DeskSeat:
    extra = s.model_extra or {}
    section = extra.get("sectionName") or extra.get("section") or ""
    return DeskSeat(event_id=s.event_id, seat_id=str(s.seat_id), section=_label(section),
                    row=_label(s.row_nr), seat=_label(s.seat_nr),
                    ticket_type=s.price_name or "", price=s.amount if s.amount is not None else ZERO)


def desk_order(o: p.OrderExport) -> DeskOrder:
    """An exported order as the desk keeps it (statuses and channel as given)."""
    user = o.user
    customer_id = o.customer_id if o.customer_id is not None else (
        user.customer_id if user is not None else None)
    return DeskOrder(
        order_id=o.order_id, order_key=o.order_key, status=o.order_status or "",
        payment_status=o.order_payment_status or "", amount=o.amount, fee=o.fee or ZERO,
        donation=o.donation or ZERO, payment_label=o.handling_text_payment or "",
        channel=o.order_channel or "", created_at=o.order_date, changed_at=o.last_changed,
        reserved_until=o.time_out, customer_id=customer_id,
        first_name=(user.first_name if user else None) or "",
        infix=(user.preposition if user else None) or "",
        last_name=(user.last_name if user else None) or "",
        email=(user.email if user else None) or "",
        seats=tuple(desk_seat(s) for s in o.seats),
        deleted_seats=tuple(desk_seat(s) for s in o.deleted_seats),
        extra=dict(o.model_extra or {}),
    )


class _Unusual(Exception):
    """An item the fast reader does not take as is (read through the tolerant models)."""


_ORDER_FIELDS = frozenset({
    "orderId", "orderKey", "customerId", "orderStatus", "orderPaymentStatus", "orderChannel",
    "orderDate", "timeOut", "lastChanged", "amount", "fee", "donation", "handlingTextPayment",
    "discountName", "seats", "deletedSeats", "user"})
_SEAT_FIELDS = frozenset({"seatId", "eventId", "rankId", "rowNr", "seatNr", "amount", "priceId",
                          "priceName"})
_CENT = Decimal("0.01")


def _f_id(v: Any) -> int | str:
    if type(v) is int and v >= 0:
        return v
    raise _Unusual


_MONEY_SEEN: dict[Any, Decimal] = {}


def _f_money(v: Any) -> Decimal:
    if type(v) is Decimal or type(v) is int:
        known = _MONEY_SEEN.get(v)   # (equal values: 18.0 and 18 both are 18.00)
        if known is not None:
            return known
        d = Decimal(v)
        exp = d.as_tuple().exponent
        if d.is_finite() and isinstance(exp, int) and exp >= -2 and abs(d) < 10 ** 12:
            money = d.quantize(_CENT)
            if len(_MONEY_SEEN) < 10_000:
                _MONEY_SEEN[v] = money
            return money
    raise _Unusual


def _f_text(v: Any) -> str:
    if v is None:
        return ""
    if type(v) is str:
        return v
    raise _Unusual


def _f_when(v: Any) -> datetime | None:
    if v is None or v == "":
        return None
    if type(v) is not str or v.startswith("0000"):
        raise _Unusual
    try:
        moment = datetime.fromisoformat(v)
    except ValueError:
        raise _Unusual from None
    return moment if moment.tzinfo else moment.replace(tzinfo=VENUE_ZONE)


def _f_label(v: Any) -> str:
    if type(v) is int:
        return str(v)
    if type(v) is str and v.strip():
        return v.strip()
    raise _Unusual


def _f_seat(v: Any) -> DeskSeat:
    if type(v) is not dict or not _SEAT_FIELDS.issuperset(v):
        raise _Unusual
    seat_id = v.get("seatId")
    if type(seat_id) is not int and type(seat_id) is not str:
        raise _Unusual
    amount = v.get("amount")
    return DeskSeat(event_id=_f_id(v.get("eventId")), seat_id=str(seat_id), section="",
                    row=_f_label(v["rowNr"]) if v.get("rowNr") is not None else "",
                    seat=_f_label(v["seatNr"]) if v.get("seatNr") is not None else "",
                    ticket_type=_f_text(v.get("priceName")),
                    price=ZERO if amount is None else _f_money(amount))


def fast_desk_order(v: Any) -> DeskOrder:
    """The usual exported order (documented shape and types) read straight into a DeskOrder,
    about ten times faster than the models; anything unusual raises :class:`_Unusual` and goes
    through the tolerant models instead (:func:`desk_order`)."""
    if type(v) is not dict or not _ORDER_FIELDS.issuperset(v):
        raise _Unusual
    key = v.get("orderKey")
    if type(key) is not str or not key:
        raise _Unusual
    user = v.get("user")
    first = infix = last = email = ""
    user_id = None
    if user is not None:
        if type(user) is not dict:
            raise _Unusual
        email = _f_text(user.get("email"))
        first = _f_text(user.get("customerFirstName"))
        infix = _f_text(user.get("customerPreposition"))
        last = _f_text(user.get("customerLastName"))
        if user.get("customerId") is not None:
            user_id = _f_id(user["customerId"])
    cid = v.get("customerId")
    seats = v.get("seats")
    deleted = v.get("deletedSeats")
    if (seats is not None and type(seats) is not list) or (
            deleted is not None and type(deleted) is not list):
        raise _Unusual
    return DeskOrder(
        order_id=_f_id(v.get("orderId")), order_key=key, status=_f_text(v.get("orderStatus")),
        payment_status=_f_text(v.get("orderPaymentStatus")), amount=_f_money(v.get("amount")),
        fee=ZERO if v.get("fee") is None else _f_money(v["fee"]),
        donation=ZERO if v.get("donation") is None else _f_money(v["donation"]),
        payment_label=_f_text(v.get("handlingTextPayment")),
        channel=_f_text(v.get("orderChannel")), created_at=_f_when(v.get("orderDate")),
        changed_at=_f_when(v.get("lastChanged")), reserved_until=_f_when(v.get("timeOut")),
        customer_id=_f_id(cid) if cid is not None else user_id, first_name=first, infix=infix,
        last_name=last, email=email, seats=tuple(_f_seat(x) for x in seats or ()),
        deleted_seats=tuple(_f_seat(x) for x in deleted or ()),
        extra={"discountName": v["discountName"]} if v.get("discountName") else {},
    )


def customer_record(c: p.ExportCustomer | p.Customer) -> CustomerRecord:
    return CustomerRecord(str(c.customer_id), (c.first_name or "").strip(),
                          (c.preposition or "").strip(), (c.last_name or "").strip(),
                          (c.email or "").strip())


# --------------------------------------------------------------------------- the search box
_KEY = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]{5}(?:-[A-Za-z0-9]{5}){3})(?![A-Za-z0-9])")
_SEAT = re.compile(r"\b(?:row|rij)\s*([^\s,]+?)\s*,?\s*(?:seat|stoel|plaats)\s*([^\s,]+)",
                   re.IGNORECASE)
_ROW = re.compile(r"\b(?:row|rij)\s*([^\s,]+)", re.IGNORECASE)
_YMD = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DMY = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_DM = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})\b")
_D_MONTH = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,})\b")
_MONTHS = {"jan": 1, "feb": 2, "mrt": 3, "mar": 3, "maa": 3, "apr": 4, "mei": 5, "may": 5,
           "jun": 6, "jul": 7, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12}
_KEYISH = re.compile(r"^[A-Za-z0-9-]{3,23}$")


@dataclass
class Query:
    """What one search box text asks for (see :func:`parse_query`)."""

    exact_key: str | None = None
    exact_ids: list[str] = field(default_factory=list)
    key_prefix: str | None = None
    terms: list[str] = field(default_factory=list)   # FTS5 phrases
    names: list[str] = field(default_factory=list)   # the words among them (no date, no seat)

    @property
    def fts(self) -> str | None:
        return " ".join(self.terms) if self.terms else None

    @property
    def name_fts(self) -> str | None:
        """Only words: buyers whose name holds every one (these go first)."""
        if not self.names or len(self.names) != len(self.terms):
            return None
        return " ".join(f"name : {term}" for term in self.names)

    @property
    def empty(self) -> bool:
        return not (self.exact_key or self.exact_ids or self.key_prefix or self.terms)


def _date_token(y: int, m: int, d: int) -> str | None:
    try:
        return f"d{date(y, m, d):%Y%m%d}"
    except ValueError:
        return None


def parse_query(text: str) -> Query:
    """The search box: a full order key anywhere (typed, scanned, or inside a tickets URL)
    finds that order alone; else digits are an order id, a key-like word a key prefix, and
    the words (names, e-mail, titles), dates ("4-12", "2026-12-04", "4 dec") and seats
    ("row 5 seat 12", "rij 5 stoel 12") must all match."""
    q = Query()
    text = (text or "").strip()
    if not text:
        return q
    found = _KEY.search(text)
    if found:
        q.exact_key = key_norm(found.group(1))
        return q
    if text.isdigit():
        q.exact_ids.append(text.lstrip("0") or "0")
    if _KEYISH.match(text) and any(c.isalpha() for c in text) and any(
            c.isdigit() or c.isupper() or c == "-" for c in text[1:]):
        q.key_prefix = key_norm(text)
    elif _KEYISH.match(text) and len(key_norm(text)) >= 5:
        q.key_prefix = key_norm(text)
    rest = text

    def cut(match: re.Match) -> str:
        return " "

    for m in _SEAT.finditer(rest):
        q.terms.append(f'"{seat_token(m.group(1), m.group(2))}"')
    rest = _SEAT.sub(cut, rest)
    for m in _ROW.finditer(rest):
        q.terms.append(f'"{seat_token(m.group(1), "")}"*')
    rest = _ROW.sub(cut, rest)
    for m in _YMD.finditer(rest):
        token = _date_token(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if token:
            q.terms.append(f'"{token}"')
    rest = _YMD.sub(cut, rest)
    for m in _DMY.finditer(rest):
        token = _date_token(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if token:
            q.terms.append(f'"{token}"')
    rest = _DMY.sub(cut, rest)
    if not text.replace("-", "").isdigit() or "-" in text or "/" in text or "." in text:
        for m in _DM.finditer(rest):
            day, month = int(m.group(1)), int(m.group(2))
            if 1 <= day <= 31 and 1 <= month <= 12:
                q.terms.append(f'"dm{day:02d}{month:02d}"')
        rest = _DM.sub(cut, rest)
    for m in _D_MONTH.finditer(rest):
        month_no = _MONTHS.get(m.group(2)[:3].lower())
        if month_no and 1 <= int(m.group(1)) <= 31:
            q.terms.append(f'"dm{int(m.group(1)):02d}{month_no:02d}"')
    rest = _D_MONTH.sub(lambda m: " " if _MONTHS.get(m.group(2)[:3].lower()) else m.group(0),
                        rest)
    if q.exact_ids and not q.terms:
        return q
    for address in [w for w in rest.split() if "@" in w]:
        q.terms.append(f'"{email_token(address)}"*')
        rest = rest.replace(address, " ")
    for word in words(rest):
        if len(word) >= 2:
            q.terms.append(f'"{word}"*')
            q.names.append(f'"{word}"*')
    return q


# --------------------------------------------------------------------------- the desk
_PAUSE = {"count": 0, "enabled": True}
_PAUSE_LOCK = threading.Lock()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic GC off while any order desk worker runs (counted: parallel workers); back
    to how it was after the last one."""
    with _PAUSE_LOCK:
        if _PAUSE["count"] == 0:
            _PAUSE["enabled"] = gc.isenabled()
            gc.disable()
        _PAUSE["count"] += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _PAUSE["count"] -= 1
            if _PAUSE["count"] == 0 and _PAUSE["enabled"]:
                gc.enable()



class DeskClosing(Exception):
    """Raised in a worker thread when the desk closes mid-sync (becomes CancelledError outside)."""

class OrderDesk:
    """One venue profile's order desk over its local order index."""

    def __init__(self, client: Any, index_path: Path, *,
                 now: Callable[[], datetime] | None = None) -> None:
        self._client = client
        self._path = Path(index_path)
        self._now = now or venue_now
        #: plain text for the cashier, e.g. when a corrupt index was set aside and rebuilt
        self.notice: str | None = None
        self.syncing = False
        self._lock = asyncio.Lock()
        self._closing = False
        self._workers: set[asyncio.Future] = set()
        self._urls: dict[str, tuple[str | None, str | None]] = {}
        self._index: OrderIndex | None = self._open()

    # ------------------------------------------------------------------ state
    def _open(self) -> OrderIndex:
        try:
            return OrderIndex.open(self._path)
        except IndexCorrupt as exc:
            return self._rebuild(exc)

    def _rebuild(self, exc: BaseException) -> OrderIndex:
        aside = OrderIndex.set_aside(self._path)
        log.warning("order index unusable (%s); moved to %s", exc, aside.name if aside else "-")
        self.notice = _(
            "The order list on this computer was damaged. It was set aside and is being "
            "rebuilt from VoordeMensen; until then, finding an order may miss some.")
        return OrderIndex.open(self._path)

    @property
    def index(self) -> OrderIndex:
        if self._index is None:
            raise RuntimeError("the order desk is closed")
        return self._index

    @property
    def has_key(self) -> bool:
        """The peppered key is present (else the desk needs the venue's API key; the public
        look-up by order key still works)."""
        return bool(getattr(self._client, "has_api_key", False))

    @property
    def as_of(self) -> datetime | None:
        """Freshness: the time of the last complete sync (None: never synced)."""
        if self._index is None:
            return None
        try:
            value = self._index.get_meta("as_of")
        except Exception as exc:  # noqa: BLE001 - a damaged file reads as "never"
            if is_corruption(exc):
                return None
            raise
        return datetime.fromisoformat(value) if value else None

    @property
    def count(self) -> int:
        return self.index.count() if self._index is not None else 0

    # ------------------------------------------------------------------ sync
    async def _off_loop(self, fn: Callable[..., T], *args: Any) -> T:
        """Run *fn* in a worker thread; a cancelled caller still lets it finish (the index is
        never closed under a write).

        While it runs, the cyclic garbage collector waits: a full collection over the app's
        heap, started by the worker's many short-lived objects, holds every thread (the event
        loop too) for 100 ms and more. Reference counting still frees them at once."""
        loop = asyncio.get_running_loop()
        ctx = contextvars.copy_context()

        def run() -> T:
            with _collector_paused():
                return ctx.run(fn, *args)

        fut = loop.run_in_executor(None, run)
        self._workers.add(fut)
        fut.add_done_callback(self._workers.discard)
        try:
            return await asyncio.shield(fut)
        except DeskClosing as exc:
            raise asyncio.CancelledError(str(exc)) from None

    async def sync(self, progress: Callable[[SyncProgress], None] | None = None) -> SyncResult:
        """Bring the index up to date: a full export the first time (and after a rebuild), then
        the orders changed since the last complete window (overlapping a little; upsert by
        ``orderId``). Raises the typed api errors (``NoApiKey``, transport/status errors); the
        cursor only advances after a complete window is stored, so the next sync resumes."""
        async with self._lock:
            if self._closing:
                raise RuntimeError("the order desk is closed")
            self.syncing = True
            try:
                try:
                    return await self._sync(progress)
                except Exception as exc:
                    if not is_corruption(exc):
                        raise
                    old, self._index = self._index, None
                    if old is not None:
                        old.close()
                    self._index = self._rebuild(exc)
                    return await self._sync(progress)
            finally:
                self.syncing = False

    async def _sync(self, progress: Callable[[SyncProgress], None] | None) -> SyncResult:
        index = self.index
        pep = self._client.peppered
        loop = asyncio.get_running_loop()
        now = self._now()
        cursor_text = index.get_meta("cursor")
        since = datetime.fromisoformat(cursor_text) if cursor_text else None
        full = since is None
        window_start = self._client.server_now()

        def tell(fetched: int, stored: int, phase: str) -> None:
            if progress is not None:
                loop.call_soon_threadsafe(progress, SyncProgress(fetched, stored, phase))

        tell(0, 0, "orders")
        # the two reads at once (each a round trip of its own); the performances are stored
        # first: their titles and dates go into the orders' search words
        performances, raw = await asyncio.gather(pep.events(), pep.export_orders_raw(since))
        await self._off_loop(index.upsert_events, [
            DeskEvent(perf.event_id, perf.event_name, perf.start) for perf in performances], now)

        seen_events: set[str] = set()

        def store_orders() -> tuple[int, int, int]:
            added = updated = fetched = 0
            batch: list[DeskOrder] = []
            fast = not raw.may_echo_secret
            for number, value in enumerate(raw.values()):
                fetched += 1
                order: DeskOrder | None = None
                if fast:
                    try:
                        order = fast_desk_order(value)
                    except _Unusual:
                        order = None
                if order is None:
                    item = raw.validate_one(p.OrderExport, value, number)
                    if item is not None:
                        order = desk_order(item)
                if order is not None:
                    batch.append(order)
                    for seat in order.seats + order.deleted_seats:
                        seen_events.add(str(seat.event_id))
                if len(batch) >= BATCH:
                    if self._closing:
                        # an Exception, not CancelledError: a BaseException escaping a worker
                        # thread never resolves its future (qasync's executor catches Exception),
                        # and aclose() would wait for it for ever
                        raise DeskClosing("the order desk is closing")
                    a, u = index.upsert_orders(batch, now)
                    added, updated, batch = added + a, updated + u, []
                    tell(fetched, added + updated, "orders")
            a, u = index.upsert_orders(batch, now)
            added, updated = added + a, updated + u
            tell(fetched, added + updated, "orders")
            return added, updated, fetched

        added, updated, fetched = await self._off_loop(store_orders)
        skipped = raw.skipped
        if raw.skipped:
            log.warning("order sync: %d order(s) could not be read and were left out",
                        raw.skipped)

        unknown = [e for e in sorted(seen_events) if index.event(e) is None]
        for event_id in unknown[:MISSING_EVENTS_PER_SYNC]:
            try:
                perf = await pep.event(event_id)
                event = DeskEvent(perf.event_id, perf.event_name, perf.start)
            except errors.NotFound:
                event = DeskEvent(int(event_id) if event_id.isdigit() else event_id, "", None)
            except errors.VdmError as exc:
                log.info("performance %s not read (%s)", event_id, type(exc).__name__)
                break
            await self._off_loop(index.upsert_events, [event], now)

        tell(fetched, added + updated, "customers")
        raw_customers = await pep.export_customers_raw(since)

        def store_customers() -> int:
            return index.upsert_customers(
                (customer_record(c) for c in raw_customers.read(p.ExportCustomer)), now)

        await self._off_loop(store_customers)
        skipped += raw_customers.skipped
        missing = await self._off_loop(index.customers_without_name, MISSING_CUSTOMERS_PER_SYNC)
        for customer_id in missing:
            try:
                record = customer_record(await pep.customer(customer_id))
            except errors.NotFound:
                record = CustomerRecord(customer_id, "", "", "", "", found=False)
            except errors.VdmError as exc:
                log.info("customer not read (%s)", type(exc).__name__)
                break
            await self._off_loop(index.upsert_customers, [record], now)

        cursor = window_start - OVERLAP
        await self._off_loop(index.set_meta, {
            "cursor": cursor.isoformat(), "as_of": now.isoformat()})
        if progress is not None:
            progress(SyncProgress(fetched, added + updated, "done"))
        log.info("order sync (%s): %d added, %d updated, %d skipped",
                 "full" if full else "delta", added, updated, skipped)
        return SyncResult(added=added, updated=updated, skipped=skipped, full=full, as_of=now)

    # ------------------------------------------------------------------ reading
    def search(self, text: str, limit: int = 50) -> list[DeskOrder]:
        """One box: order key (full, prefix, or a scanned tickets URL), order id, e-mail, name
        parts in any order (case and accents ignored), performance title or date, a seat
        ("row 5 seat 12", "rij 5 stoel 12"). Tonight's performances first, then upcoming, then
        past. Synchronous and fast (reads the local index only)."""
        if self._index is None:
            return []
        q = parse_query(text)
        if q.empty:
            return []
        return self._index.search(fts=q.fts, key_prefix=q.key_prefix, exact_ids=q.exact_ids,
                                  exact_key=q.exact_key, now=self._now(), limit=limit,
                                  name_fts=q.name_fts)

    def order(self, order_id: int | str) -> DeskOrder | None:
        return self.index.order(order_id) if self._index is not None else None

    def orders_for_event(self, event_id: int | str) -> list[DeskOrder]:
        return self.index.for_event(event_id) if self._index is not None else []

    def event(self, event_id: int | str) -> DeskEvent:
        known = self.index.event(event_id) if self._index is not None else None
        return known or DeskEvent(event_id, "", None)

    def door_list(self, event_id: int | str) -> DoorList:
        return build_door_list(self.event(event_id), self.orders_for_event(event_id),
                               self.as_of, self._now())

    def door_list_csv(self, door_list: DoorList) -> str:
        """The door list as CSV (one line per order; the seats in one column)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([_("Name"), _("E-mail"), _("Order key"), _("Status"), _("Tickets"),
                         _("Seats")])
        for entry in door_list.entries:
            writer.writerow([entry.name, entry.email, entry.order_key, entry.status,
                             entry.tickets, "; ".join(seat_words(s) for s in entry.seats)])
        return out.getvalue()

    def day_report(self, day: date) -> DayReport:
        start, end = day_bounds(day)
        orders = list(self.index.created_between(start, end)) if self._index is not None else []
        return build_day_report(day, orders, self.as_of)

    # ------------------------------------------------------------------ public look-ups
    async def _public(self, order_key: str) -> Any | None:
        try:
            status = await self._client.public.order_status(order_key)
        except errors.NotFound:
            return None
        self._urls[order_key] = (status.order_tickets_url, status.order_receipt_url)
        return status

    async def lookup_key(self, order_key: str) -> DeskOrder | None:
        """The order with this key: from the index when there, else through the public
        ``GET /order/:order_key`` (works without a key; few fields). None when unknown."""
        key = order_key.strip()
        found = _KEY.search(key)
        if found:
            key = found.group(1)
        if self._index is not None:
            known = self._index.by_key(key)
            if known is not None:
                return known
        status = await self._public(key)
        if status is None:
            return None
        seats = tuple(DeskSeat(event_id="", seat_id=str(s.seat_id), section="", row="", seat="",
                               ticket_type=getattr(s, "event_name", None) or "", price=ZERO)
                      for s in status.seats)
        return DeskOrder(order_id="", order_key=key, status="",
                         payment_status=status.order_payment_status, amount=Decimal("0.00"),
                         fee=ZERO, donation=ZERO, payment_label="", channel="", created_at=None,
                         changed_at=None, reserved_until=None, customer_id=None, first_name="",
                         infix="", last_name="", email="", seats=seats)

    async def tickets_url(self, order_key: str) -> str | None:
        """``order_tickets_url`` from the public ``GET /order/:order_key``."""
        status = await self._public(order_key)
        return None if status is None else status.order_tickets_url

    def receipt_url(self, order: DeskOrder) -> str | None:
        """``order_receipt_url`` of the order when a public look-up (``lookup_key`` /
        ``tickets_url``) has read it; else None."""
        return self._urls.get(order.order_key, (None, None))[1]

    async def aclose(self) -> None:
        """Stop: a running sync ends after its current batch; then the index is closed."""
        self._closing = True
        if self._workers:
            await asyncio.gather(*list(self._workers), return_exceptions=True)
        if self._index is not None:
            self._index.close()
            self._index = None
