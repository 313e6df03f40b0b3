"""The order index: every order of a venue in one SQLite file, searchable as you type.

Owns :class:`OrderIndex` — ``orders.sqlite3`` in the profile's data folder (0600, WAL): the orders
of the peppered export (as :class:`~boxoffice.domain.orders.DeskOrder`, money as exact decimal
text, statuses as given), the customers (names, e-mail), the performances (title, start), the
sync's bookkeeping (``meta``), and an FTS5 index over names, e-mail, performance titles and
dates, and seats. Upserts go by ``orderId``: the same order read twice is stored once.

Threads: one writer connection (``check_same_thread=False``; the service calls the writers from
one worker thread at a time) and one reader connection for the readers on the caller's thread;
WAL lets them work at the same time. A file that is not a database, or is damaged, raises
:class:`IndexCorrupt` at open (the service sets it aside and rebuilds from the API).
Imports domain only.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.domain.orders import DeskEvent, DeskOrder, DeskSeat, fold
from boxoffice.store.files import FILE_MODE, ensure_private_dir, make_private, move_aside

log = logging.getLogger("boxoffice.orders")

SCHEMA_VERSION = 1
#: sqlite error codes of a damaged file
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS orders (
    rowid INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    order_key TEXT NOT NULL,
    key_norm TEXT NOT NULL,
    customer_id TEXT,
    created_epoch INTEGER,
    rank_start INTEGER,
    fts_rowid INTEGER NOT NULL UNIQUE,
    nameless INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_nameless ON orders (customer_id) WHERE nameless = 1;
CREATE INDEX IF NOT EXISTS orders_key ON orders (key_norm);
CREATE INDEX IF NOT EXISTS orders_customer ON orders (customer_id);
CREATE INDEX IF NOT EXISTS orders_created ON orders (created_epoch);
CREATE TABLE IF NOT EXISTS order_events (
    event_id TEXT NOT NULL,
    order_rowid INTEGER NOT NULL,
    PRIMARY KEY (event_id, order_rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS order_events_order ON order_events (order_rowid);
CREATE TABLE IF NOT EXISTS customers (
    customer_id TEXT PRIMARY KEY,
    first_name TEXT NOT NULL DEFAULT '',
    infix TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    found INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    raw_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    starts_at TEXT,
    start_epoch INTEGER
);
CREATE VIRTUAL TABLE IF NOT EXISTS orders_fts USING fts5 (
    name, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);
"""


class IndexCorrupt(Exception):
    """The index file is not a database or is damaged (set it aside and rebuild)."""


def is_corruption(exc: BaseException) -> bool:
    """A sqlite error that means the file is damaged (SQLITE_CORRUPT / SQLITE_NOTADB)."""
    if isinstance(exc, IndexCorrupt):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _CORRUPT_CODES:
        return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


@dataclass(frozen=True)
class CustomerRecord:
    customer_id: str
    first_name: str
    infix: str
    last_name: str
    email: str
    found: bool = True


# --------------------------------------------------------------------------- (de)serialising
def _dt(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_dt(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _seat_out(s: DeskSeat) -> list:
    return [s.event_id, s.seat_id, s.section, s.row, s.seat, s.ticket_type, str(s.price)]


def _seat_in(v: list) -> DeskSeat:
    return DeskSeat(v[0], str(v[1]), str(v[2]), str(v[3]), str(v[4]), str(v[5]), Decimal(v[6]))


def order_to_json(o: DeskOrder) -> str:
    return json.dumps({
        "order_id": o.order_id, "order_key": o.order_key, "status": o.status,
        "payment_status": o.payment_status, "amount": str(o.amount), "fee": str(o.fee),
        "donation": str(o.donation), "payment_label": o.payment_label, "channel": o.channel,
        "created_at": _dt(o.created_at), "changed_at": _dt(o.changed_at),
        "reserved_until": _dt(o.reserved_until), "customer_id": o.customer_id,
        "first_name": o.first_name, "infix": o.infix, "last_name": o.last_name,
        "email": o.email, "seats": [_seat_out(s) for s in o.seats],
        "deleted_seats": [_seat_out(s) for s in o.deleted_seats],
        "extra": _jsonable(o.extra),
    }, ensure_ascii=False, separators=(",", ":"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def order_from_json(text: str, customer: CustomerRecord | None,
                    events: dict[str, DeskEvent]) -> DeskOrder:
    d = json.loads(text)
    seats = tuple(_seat_in(v) for v in d.get("seats") or [])
    deleted = tuple(_seat_in(v) for v in d.get("deleted_seats") or [])
    first, infix, last, email = d["first_name"], d["infix"], d["last_name"], d["email"]
    if customer is not None and customer.found:
        if customer.first_name or customer.last_name:
            first, infix, last = customer.first_name, customer.infix, customer.last_name
        email = email or customer.email
    seen: list[str] = []
    order_events: list[DeskEvent] = []
    for s in seats + deleted:
        key = str(s.event_id)
        if key in seen:
            continue
        seen.append(key)
        order_events.append(events.get(key) or DeskEvent(s.event_id, "", None))
    return DeskOrder(
        order_id=d["order_id"], order_key=d["order_key"], status=d["status"],
        payment_status=d["payment_status"], amount=Decimal(d["amount"]), fee=Decimal(d["fee"]),
        donation=Decimal(d["donation"]), payment_label=d["payment_label"],
        channel=d["channel"], created_at=_parse_dt(d.get("created_at")),
        changed_at=_parse_dt(d.get("changed_at")),
        reserved_until=_parse_dt(d.get("reserved_until")), customer_id=d.get("customer_id"),
        first_name=first, infix=infix, last_name=last, email=email, seats=seats,
        deleted_seats=deleted,
        events=tuple(sorted(order_events, key=lambda e: (e.starts_at is None,
                                                         e.starts_at or datetime.min))),
        extra=d.get("extra") or {},
    )


# --------------------------------------------------------------------------- search text
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


def words(text: str) -> list[str]:
    """Folded words (lower case, no accents; letters and digits only)."""
    return list(_words(text or ""))


def key_norm(key: str) -> str:
    return "".join(c for c in key.lower() if c.isalnum())


def email_token(email: str) -> str:
    """The whole e-mail address as one word (``anna.devries@example.org`` ->
    ``mannadevriesexampleorg``): typed with its ``@`` it is found by its prefix."""
    return "m" + "".join(_words(email))


def email_words(email: str) -> list[str]:
    """The words of the part before the ``@`` and the whole address (the domain alone is no
    word: "example" or "gmail" would match half the orders)."""
    if not email:
        return []
    local = email.split("@", 1)[0]
    return [*_words(local), email_token(email)]


@lru_cache(maxsize=65536)
def seat_token(row: str, seat: str) -> str:
    return "r" + "".join(_words(str(row))) + "s" + "".join(_words(str(seat)))


def date_tokens(moment: datetime) -> list[str]:
    local = moment.astimezone(VENUE_ZONE)
    return [f"d{local:%Y%m%d}", f"dm{local:%d%m}"]


def search_body(order: DeskOrder) -> tuple[str, str]:
    """The words an order is found by: (its buyer's name, everything else: e-mail, titles,
    dates, seats). Order key and id are matched apart, by their columns."""
    return _body(order.first_name, order.infix, order.last_name, order.email, order.events,
                 order.seats)


@lru_cache(maxsize=4096)
def _event_words(event: DeskEvent) -> tuple[str, ...]:
    out = _words(event.title)
    if event.starts_at is not None:
        out += tuple(date_tokens(event.starts_at))
    return out


def _body(first: str, infix: str, last: str, email: str, events: Iterable[DeskEvent],
          seats: Iterable[DeskSeat]) -> tuple[str, str]:
    name: list[str] = []
    name += _words(first)
    name += _words(infix)
    name += _words(last)
    parts: list[str] = email_words(email)
    for event in events:
        parts += _event_words(event)
    for s in seats:
        if s.row or s.seat:
            parts.append(seat_token(s.row, s.seat))
    return " ".join(dict.fromkeys(name)), " ".join(dict.fromkeys(parts))


def _order_events(seats: Iterable[DeskSeat], events: dict[str, DeskEvent]) -> list[DeskEvent]:
    seen: dict[str, DeskEvent] = {}
    for s in seats:
        key = str(s.event_id)
        if key not in seen:
            seen[key] = events.get(key) or DeskEvent(s.event_id, "", None)
    return list(seen.values())


def _names(o: DeskOrder, customer: CustomerRecord | None) -> tuple[str, str, str, str]:
    first, infix, last, email = o.first_name, o.infix, o.last_name, o.email
    if customer is not None and customer.found:
        if customer.first_name or customer.last_name:
            first, infix, last = customer.first_name, customer.infix, customer.last_name
        email = email or customer.email
    return first, infix, last, email


#: the search rows are numbered by the order's first performance: (minute of its start) << 22,
#: plus the order's own row number, so FTS5 walks the matches in start order and stops at the
#: limit (tonight, upcoming soonest first, past latest first) without sorting every match
SEQ_BITS = 22
SEQ_MASK = (1 << SEQ_BITS) - 1


def rank_start(order: DeskOrder) -> int | None:
    """The start (epoch s) an order is ranked by: its first performance."""
    return _rank(order.events)


def _rank(events: Iterable[DeskEvent]) -> int | None:
    starts = [e.starts_at for e in events if e.starts_at is not None]
    return int(min(starts).timestamp()) if starts else None


def fts_rowid(start: int | None, rowid: int) -> int:
    minute = 0 if start is None else max(start // 60, 1)
    return (minute << SEQ_BITS) | (rowid & SEQ_MASK)


def today_bounds(now: datetime) -> tuple[int, int, datetime]:
    local = now.astimezone(VENUE_ZONE)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=1, hours=1)).replace(hour=0)
    return int(start.timestamp()), int(end.timestamp()), start


# --------------------------------------------------------------------------- the index
class OrderIndex:
    """One venue's order index file. Open with :meth:`open`; close with :meth:`close`."""

    def __init__(self, path: Path, writer: sqlite3.Connection, reader: sqlite3.Connection) -> None:
        self.path = path
        self._w = writer
        self._r = reader
        self._write_lock = threading.Lock()
        self._events: dict[str, DeskEvent] | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: Path | str) -> OrderIndex:
        """Open (creating) the index at *path* (0600, WAL). IndexCorrupt when the file is not a
        database or is damaged."""
        path = Path(path)
        ensure_private_dir(path.parent)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
            os.close(fd)
        make_private(path)
        writer = reader = None
        try:
            writer = sqlite3.connect(path, timeout=10.0, check_same_thread=False,
                                     isolation_level=None)
            writer.execute("PRAGMA journal_mode=WAL")
            writer.execute("PRAGMA synchronous=NORMAL")
            version = writer.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise IndexCorrupt("written by a newer version")
            writer.executescript(_SCHEMA)
            writer.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            writer.execute("SELECT count(*) FROM meta").fetchone()
            reader = sqlite3.connect(path, timeout=10.0, check_same_thread=False,
                                     isolation_level=None)
            reader.execute("PRAGMA query_only=1")
            reader.execute("SELECT count(*) FROM orders").fetchone()
        except sqlite3.DatabaseError as exc:
            for conn in (writer, reader):
                if conn is not None:
                    conn.close()
            raise IndexCorrupt(str(exc)) from exc
        except IndexCorrupt:
            for conn in (writer, reader):
                if conn is not None:
                    conn.close()
            raise
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                make_private(side)
        return cls(path, writer, reader)

    @staticmethod
    def set_aside(path: Path | str) -> Path | None:
        """Move a damaged index (and its WAL files) to ``<name>.corrupt-<timestamp>``."""
        return move_aside(Path(path), "order index")

    def close(self) -> None:
        for conn in (self._r, self._w):
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    # ------------------------------------------------------------------ meta
    def get_meta(self, key: str) -> str | None:
        row = self._r.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, values: dict[str, str | None]) -> None:
        with self._write_lock:
            w = self._w
            w.execute("BEGIN IMMEDIATE")
            try:
                for key, value in values.items():
                    if value is None:
                        w.execute("DELETE FROM meta WHERE key=?", (key,))
                    else:
                        w.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                                  "DO UPDATE SET value=excluded.value", (key, value))
                w.execute("COMMIT")
            except BaseException:
                w.execute("ROLLBACK")
                raise

    # ------------------------------------------------------------------ events
    def events(self) -> dict[str, DeskEvent]:
        if self._events is None:
            out: dict[str, DeskEvent] = {}
            for eid, raw_id, title, starts in self._r.execute(
                    "SELECT event_id, raw_id, title, starts_at FROM events"):
                raw: int | str = int(raw_id) if raw_id.isdigit() else raw_id
                out[eid] = DeskEvent(raw, title, _parse_dt(starts))
            self._events = out
        return self._events

    def event(self, event_id: int | str) -> DeskEvent | None:
        return self.events().get(str(event_id))

    def upsert_events(self, events: Iterable[DeskEvent], now: datetime) -> int:
        """Store performances; the orders of one whose title or start changed are re-indexed.
        Returns how many changed."""
        changed: list[str] = []
        with self._write_lock:
            w = self._w
            known = {r[0]: (r[1], r[2]) for r in w.execute(
                "SELECT event_id, title, starts_at FROM events")}
            w.execute("BEGIN IMMEDIATE")
            try:
                for e in events:
                    key = str(e.event_id)
                    value = (e.title, _dt(e.starts_at))
                    if known.get(key) == value:
                        continue
                    if key in known:
                        changed.append(key)
                    w.execute(
                        "INSERT INTO events (event_id, raw_id, title, starts_at, start_epoch) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(event_id) DO UPDATE SET "
                        "title=excluded.title, starts_at=excluded.starts_at, "
                        "start_epoch=excluded.start_epoch",
                        (key, str(e.event_id), e.title, _dt(e.starts_at),
                         None if e.starts_at is None else int(e.starts_at.timestamp())))
                w.execute("COMMIT")
            except BaseException:
                w.execute("ROLLBACK")
                raise
            self._events = None
            if changed:
                rowids = [r[0] for key in changed for r in w.execute(
                    "SELECT order_rowid FROM order_events WHERE event_id=?", (key,))]
                self._reindex_rowids(rowids, now)
        return len(changed)

    def missing_event_ids(self) -> list[str]:
        rows = self._r.execute(
            "SELECT DISTINCT event_id FROM order_events WHERE event_id NOT IN "
            "(SELECT event_id FROM events)").fetchall()
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ customers
    def _customers(self, conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, CustomerRecord]:
        out: dict[str, CustomerRecord] = {}
        ids = [i for i in dict.fromkeys(ids) if i]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                    "SELECT customer_id, first_name, infix, last_name, email, found FROM "
                    f"customers WHERE customer_id IN ({marks})", chunk):
                out[row[0]] = CustomerRecord(row[0], row[1], row[2], row[3], row[4], bool(row[5]))
        return out

    def upsert_customers(self, customers: Iterable[CustomerRecord], now: datetime) -> int:
        """Store customers; the orders of a customer whose name or e-mail changed are
        re-indexed. Returns how many changed."""
        customers = list(customers)
        with self._write_lock:
            w = self._w
            known = self._customers(w, (c.customer_id for c in customers))
            changed = [c for c in customers if known.get(c.customer_id) != c]
            if not changed:
                return 0
            w.execute("BEGIN IMMEDIATE")
            try:
                w.executemany(
                    "INSERT INTO customers (customer_id, first_name, infix, last_name, email, "
                    "found) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(customer_id) DO UPDATE SET "
                    "first_name=excluded.first_name, infix=excluded.infix, "
                    "last_name=excluded.last_name, email=excluded.email, found=excluded.found",
                    [(c.customer_id, c.first_name, c.infix, c.last_name, c.email, int(c.found))
                     for c in changed])
                w.execute("COMMIT")
            except BaseException:
                w.execute("ROLLBACK")
                raise
            ids = [c.customer_id for c in changed]
            rowids: list[int] = []
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                rowids += [r[0] for r in w.execute(
                    f"SELECT rowid FROM orders WHERE customer_id IN ({marks})", chunk)]
            self._reindex_rowids(rowids, now)
        return len(changed)

    def customers_without_name(self, limit: int) -> list[str]:
        """Customer ids of orders that show no name: neither inline nor from the customer export
        (nor tried before)."""
        rows = self._r.execute(
            "SELECT DISTINCT o.customer_id FROM orders o WHERE o.nameless = 1 AND NOT EXISTS "
            "(SELECT 1 FROM customers c WHERE c.customer_id = o.customer_id) LIMIT ?",
            (limit,)).fetchall()
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ orders (writing)
    def upsert_orders(self, orders: Iterable[DeskOrder], now: datetime) -> tuple[int, int]:
        """Store orders by ``orderId`` in one transaction: (added, updated). The same order twice
        in *orders*: the last one is kept."""
        latest: dict[str, DeskOrder] = {}
        for o in orders:
            latest[str(o.order_id)] = o
        if not latest:
            return 0, 0
        with self._write_lock:
            w = self._w
            events = self._writer_events()
            customers = self._customers(
                w, (str(o.customer_id) for o in latest.values() if o.customer_id is not None))
            ids = list(latest)
            w.execute("BEGIN IMMEDIATE")
            try:
                existing: dict[str, tuple[int, int]] = {}
                for start in range(0, len(ids), 500):
                    chunk = ids[start:start + 500]
                    marks = ",".join("?" * len(chunk))
                    for oid, rowid, old_fts in w.execute(
                            f"SELECT order_id, rowid, fts_rowid FROM orders WHERE order_id IN "
                            f"({marks})", chunk):
                        existing[oid] = (rowid, old_fts)
                next_rowid = (w.execute("SELECT max(rowid) FROM orders").fetchone()[0] or 0) + 1
                order_rows: list[tuple] = []
                fts_rows: list[tuple[int, str, str]] = []
                event_rows: list[tuple[str, int]] = []
                for oid, o in latest.items():
                    known = existing.get(oid)
                    if known is None:
                        rowid, next_rowid = next_rowid, next_rowid + 1
                    else:
                        rowid = known[0]
                    cust = customers.get(str(o.customer_id)) if o.customer_id is not None else None
                    first, infix, last, email = _names(o, cust)
                    evs = _order_events(o.seats + o.deleted_seats, events)
                    start_at = _rank(evs)
                    search_row = fts_rowid(start_at, rowid)
                    nameless = int(o.customer_id is not None and not (o.first_name or o.last_name))
                    order_rows.append((
                        rowid, oid, o.order_key, key_norm(o.order_key),
                        None if o.customer_id is None else str(o.customer_id),
                        None if o.created_at is None else int(o.created_at.timestamp()),
                        start_at, search_row, nameless, order_to_json(o)))
                    fts_rows.append((search_row, *_body(first, infix, last, email, evs, o.seats)))
                    event_rows += [(str(e.event_id), rowid) for e in evs]
                old_rows = [v[0] for v in existing.values()]
                old_fts = [v[1] for v in existing.values()]
                for start in range(0, len(old_rows), 500):
                    rowid_chunk = old_rows[start:start + 500]
                    fts_chunk = old_fts[start:start + 500]
                    marks = ",".join("?" * len(rowid_chunk))
                    w.execute(f"DELETE FROM orders_fts WHERE rowid IN ({marks})", fts_chunk)
                    w.execute(f"DELETE FROM order_events WHERE order_rowid IN ({marks})",
                              rowid_chunk)
                    w.execute(f"DELETE FROM orders WHERE rowid IN ({marks})", rowid_chunk)
                w.executemany(
                    "INSERT INTO orders (rowid, order_id, order_key, key_norm, customer_id, "
                    "created_epoch, rank_start, fts_rowid, nameless, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", order_rows)
                w.executemany("INSERT INTO orders_fts (rowid, name, body) VALUES (?, ?, ?)",
                              fts_rows)
                w.executemany("INSERT OR IGNORE INTO order_events (event_id, order_rowid) "
                              "VALUES (?, ?)", event_rows)
                w.execute("COMMIT")
            except BaseException:
                w.execute("ROLLBACK")
                raise
        return len(latest) - len(existing), len(existing)

    def _writer_events(self) -> dict[str, DeskEvent]:
        out: dict[str, DeskEvent] = {}
        for eid, raw_id, title, starts in self._w.execute(
                "SELECT event_id, raw_id, title, starts_at FROM events"):
            raw: int | str = int(raw_id) if raw_id.isdigit() else raw_id
            out[eid] = DeskEvent(raw, title, _parse_dt(starts))
        return out

    def _reindex_rowids(self, rowids: list[int], now: datetime) -> None:
        """Rebuild the search words and rank of these orders (a name or title changed)."""
        if not rowids:
            return
        w = self._w
        events = self._writer_events()
        for start in range(0, len(rowids), 500):
            chunk = rowids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = w.execute(f"SELECT rowid, customer_id, fts_rowid, data FROM orders WHERE "
                             f"rowid IN ({marks})", chunk).fetchall()
            customers = self._customers(w, (r[1] for r in rows if r[1]))
            w.execute("BEGIN IMMEDIATE")
            try:
                for rowid, cid, old_fts, data in rows:
                    merged = order_from_json(data, customers.get(cid) if cid else None, events)
                    start_at = _rank(merged.events)
                    search_row = fts_rowid(start_at, rowid)
                    w.execute("DELETE FROM orders_fts WHERE rowid=?", (old_fts,))
                    w.execute("UPDATE orders SET rank_start=?, fts_rowid=? WHERE rowid=?",
                              (start_at, search_row, rowid))
                    w.execute("INSERT INTO orders_fts (rowid, name, body) VALUES (?, ?, ?)",
                              (search_row, *search_body(merged)))
                w.execute("COMMIT")
            except BaseException:
                w.execute("ROLLBACK")
                raise

    # ------------------------------------------------------------------ orders (reading)
    def _load(self, rows: list[tuple[int, str | None, str]]) -> list[DeskOrder]:
        customers = self._customers(self._r, (r[1] for r in rows if r[1]))
        events = self.events()
        return [order_from_json(data, customers.get(cid) if cid else None, events)
                for _rowid, cid, data in rows]

    def count(self) -> int:
        return int(self._r.execute("SELECT count(*) FROM orders").fetchone()[0])

    def order(self, order_id: int | str) -> DeskOrder | None:
        rows = self._r.execute("SELECT rowid, customer_id, data FROM orders WHERE order_id=?",
                               (str(order_id),)).fetchall()
        found = self._load(rows)
        return found[0] if found else None

    def by_key(self, order_key: str) -> DeskOrder | None:
        rows = self._r.execute("SELECT rowid, customer_id, data FROM orders WHERE key_norm=?",
                               (key_norm(order_key),)).fetchall()
        found = self._load(rows)
        return found[0] if found else None

    def for_event(self, event_id: int | str) -> list[DeskOrder]:
        rows = self._r.execute(
            "SELECT o.rowid, o.customer_id, o.data FROM order_events oe JOIN orders o "
            "ON o.rowid = oe.order_rowid WHERE oe.event_id=? ORDER BY o.rowid",
            (str(event_id),)).fetchall()
        return self._load(rows)

    def created_between(self, start: datetime, end: datetime) -> Iterator[DeskOrder]:
        cur = self._r.execute(
            "SELECT rowid, customer_id, data FROM orders WHERE created_epoch >= ? "
            "AND created_epoch < ? ORDER BY created_epoch",
            (int(start.timestamp()), int(end.timestamp())))
        while True:
            rows = cur.fetchmany(1000)
            if not rows:
                return
            yield from self._load(rows)

    def search(self, *, fts: str | None, key_prefix: str | None, exact_ids: list[str],
               exact_key: str | None, now: datetime, limit: int,
               name_fts: str | None = None) -> list[DeskOrder]:
        """Orders matching any of: the exact key, the exact order ids, a key prefix (these
        first), the FTS5 query *name_fts* (meant for the name column: buyers whose name has
        every word), then the FTS5 query *fts* (all words, anywhere). Each part ranked:
        tonight, upcoming (soonest first), past (latest first), then without a date."""
        t0, t1, _start = today_bounds(now)
        r = self._r
        rows: list[tuple[int, str | None, str]] = []
        seen: set[int] = set()

        def take(found: list) -> None:
            for row in found:
                if row[0] not in seen and len(rows) < limit:
                    seen.add(row[0])
                    rows.append(row)

        if exact_key:
            take(r.execute("SELECT rowid, customer_id, data FROM orders WHERE key_norm=?",
                           (exact_key,)).fetchall())
        for oid in exact_ids:
            take(r.execute("SELECT rowid, customer_id, data FROM orders WHERE order_id=?",
                           (oid,)).fetchall())
        order_by = ("ORDER BY CASE WHEN o.rank_start >= :t0 AND o.rank_start < :t1 THEN 0 "
                    "WHEN o.rank_start >= :t1 THEN 1 WHEN o.rank_start IS NOT NULL THEN 2 "
                    "ELSE 3 END, CASE WHEN o.rank_start >= :t0 THEN o.rank_start "
                    "ELSE -o.rank_start END, o.rowid DESC LIMIT :limit")
        params: dict[str, Any] = {"t0": t0, "t1": t1, "limit": limit}
        if key_prefix and len(rows) < limit:
            take(r.execute(
                "SELECT o.rowid, o.customer_id, o.data FROM orders o WHERE o.key_norm >= :lo "
                "AND o.key_norm < :hi " + order_by,
                {**params, "lo": key_prefix, "hi": key_prefix + "{"}).fetchall())
        for query in (name_fts, fts):
            if query and len(rows) < limit:
                # (rows already taken are read again at most: ask for that many more)
                take(self._ranked_matches(query, t0, t1, limit))
        return self._load(rows)

    def _ranked_matches(self, query: str, t0: int, t1: int, limit: int) -> list[tuple]:
        """Orders matching the FTS5 *query*: tonight, upcoming (soonest first), past (latest
        first), without a date; each part read in search-row order, only as far as needed."""
        lo_tonight = (t0 // 60) << SEQ_BITS
        lo_later = (t1 // 60) << SEQ_BITS
        dated = 1 << SEQ_BITS
        parts = (
            ("rowid >= ? AND rowid < ? ORDER BY rowid", (lo_tonight, lo_later)),
            ("rowid >= ? ORDER BY rowid", (lo_later,)),
            ("rowid >= ? AND rowid < ? ORDER BY rowid DESC", (dated, lo_tonight)),
            ("rowid < ? ORDER BY rowid DESC", (dated,)),
        )
        found: list[int] = []
        for where, args in parts:
            if len(found) >= limit:
                break
            found += [row[0] for row in self._r.execute(
                f"SELECT rowid FROM orders_fts WHERE orders_fts MATCH ? AND {where} LIMIT ?",
                (query, *args, limit - len(found)))]
        if not found:
            return []
        out: list[tuple] = []
        for start in range(0, len(found), 500):
            chunk = found[start:start + 500]
            marks = ",".join("?" * len(chunk))
            by_row = {row[0]: row[1:] for row in self._r.execute(
                f"SELECT fts_rowid, rowid, customer_id, data FROM orders WHERE fts_rowid IN "
                f"({marks})", chunk)}
            out += [by_row[f] for f in chunk if f in by_row]
        return out

    def size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += self.path.with_name(self.path.name + suffix).stat().st_size
        return total


def venue_day(moment: datetime) -> date:
    return moment.astimezone(VENUE_ZONE).date()
