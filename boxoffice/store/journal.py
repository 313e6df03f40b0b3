"""The sale journal: a crash-safe record of every sale, so no sale is ever lost or doubled.

Owns one SQLite file per profile (``<profile data dir>/sales.sqlite3``, mode 0600, WAL with
``synchronous=FULL``). Every step of a sale is written in its own transaction: the step's
"before" entry is committed before the request goes out and its "after" entry (with the new
state) once the answer is in, so after a crash or power cut the file shows the last complete
step and recovery (``boxoffice.services.recovery``) knows what may have happened since.

States of a sale (``SaleState``)::

    cart_created -> lines_added -> order_requested -> order_created -> paid
                                                      (or cancelled / failed / expired)
    any unfinished state -> released (the cart was emptied, no order)
    any unfinished state -> needs_attention (outcome could not be established; checked again)

One cart never produces a second order: :meth:`SaleJournal.request_order` refuses (raises
:class:`OrderAlreadyRequested`) when the cart already has an order request, enforced by a
primary key on ``order_requests.cart_id``.

Each order attempt also records what identifies its order (``order_lookup``: the attempt's window
on the server clock, the order keys that existed before it, the candidates seen right after it),
written before the request goes out, so recovery never takes another sale's order for this one.

The schema is versioned (``PRAGMA user_version``); journals already on disk are migrated in place
(``_MIGRATIONS``) when opened. Also stores small per-profile preferences (e.g. the last payment
method used).
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import uuid
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from boxoffice.api import reconcile
from boxoffice.domain.clock import utc_now
from boxoffice.store.disk import DiskTrouble, disk_trouble
from boxoffice.store.files import FILE_MODE, ensure_private_dir, make_private
from boxoffice.store.writer import ConnectionLock, StoreWriter, serialised

log = logging.getLogger("boxoffice.sale")

JOURNAL_FILE = "sales.sqlite3"
#: A damaged journal is moved to ``<name>.corrupt-<unix time>`` (never deleted).
SET_ASIDE_MARK = ".corrupt-"
SCHEMA_VERSION = 3


class SaleState(str, Enum):
    CART_CREATED = "cart_created"
    LINES_ADDED = "lines_added"
    ORDER_REQUESTED = "order_requested"
    ORDER_CREATED = "order_created"
    PAID = "paid"
    CANCELLED = "cancelled"
    FAILED = "failed"
    EXPIRED = "expired"
    RELEASED = "released"
    NEEDS_ATTENTION = "needs_attention"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES


FINAL_STATES = frozenset({SaleState.PAID, SaleState.CANCELLED, SaleState.FAILED,
                          SaleState.EXPIRED, SaleState.RELEASED})
#: payment status (public ``order_payment_status``) -> final sale state
PAYMENT_FINAL = {"paid": SaleState.PAID, "cancelled": SaleState.CANCELLED,
                 "failed": SaleState.FAILED, "expired": SaleState.EXPIRED}


class JournalError(Exception):
    """The journal could not be used (technical; logged, not shown verbatim)."""


class JournalTooNew(JournalError):
    """The journal was written by a newer version of the app (its schema is newer than this one
    knows). The file is left exactly as it is: a newer app reads it again after an upgrade."""

    def __init__(self, version: int) -> None:
        super().__init__(f"sale journal schema {version} is newer than {SCHEMA_VERSION}")
        self.version = version


class JournalUnavailable(JournalError):
    """The journal could not be opened for a reason other than damage (the disk, a lock, the
    permissions): nothing is moved or rewritten, the next start tries again. ``trouble`` says
    which (:class:`~boxoffice.store.disk.DiskTrouble`) for the cashier's message."""

    def __init__(self, detail: str, trouble: DiskTrouble = DiskTrouble.OTHER) -> None:
        super().__init__(detail)
        self.trouble = trouble


class JournalWriteFailed(JournalUnavailable):
    """A step could not be written (the disk is full, read-only, the file is held by another
    program, …). Nothing of the step was recorded (its transaction was rolled back) and nothing
    recorded before is touched; the same write works again once the disk is fine."""

    #: set by the sale (``SaleContext.record``) when the refused entry records a request that was
    #: already answered: running the step again would send that request twice
    after_request: bool = False


def is_damaged(exc: sqlite3.DatabaseError) -> bool:
    """True for SQLITE_CORRUPT / SQLITE_NOTADB (extended codes included): only these set a
    journal aside; any other error (I/O, busy, locked, read-only, full) leaves it."""
    return disk_trouble(exc) == DiskTrouble.DAMAGED


def _write_failed(exc: sqlite3.Error) -> JournalWriteFailed:
    trouble = disk_trouble(exc)
    log.error("sale journal write failed (%s, %s); nothing of this step was recorded",
              getattr(exc, "sqlite_errorname", None) or type(exc).__name__, exc)
    return JournalWriteFailed(str(exc), trouble)


class OrderAlreadyRequested(JournalError):
    """This cart already has an order request: a second order is refused."""

    def __init__(self, cart_id: str, sale_id: str) -> None:
        super().__init__(f"cart already has an order request (sale {sale_id})")
        self.cart_id = cart_id
        self.sale_id = sale_id


def journal_path(data_dir: Path) -> Path:
    return Path(data_dir) / JOURNAL_FILE


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _unstamp(text: str | None) -> datetime | None:
    return None if not text else datetime.fromisoformat(text)



def _dumps(value: Any) -> str:
    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        if isinstance(o, datetime):
            return _stamp(o)
        if isinstance(o, Enum):
            return o.value
        raise TypeError(f"not JSON serialisable: {type(o).__name__}")

    return json.dumps(value, default=default, ensure_ascii=False, sort_keys=True)


_SCHEMA = """
CREATE TABLE sales (
    sale_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state TEXT NOT NULL,
    cart_id TEXT,
    lines TEXT NOT NULL DEFAULT '[]',
    total TEXT NOT NULL DEFAULT '0.00',
    payment_method_id INTEGER,
    payment_method_name TEXT,
    surcharge TEXT,
    customer TEXT,
    order_key TEXT,
    payment_url TEXT,
    payment_status TEXT,
    order_requested_at TEXT,
    order_created_at TEXT,
    finished_at TEXT,
    tickets_url TEXT,
    receipt_url TEXT,
    tickets_nr INTEGER,
    note TEXT,
    order_lookup TEXT
);
CREATE INDEX sales_state ON sales(state);
CREATE INDEX sales_created ON sales(created_at);
CREATE TABLE order_requests (
    cart_id TEXT PRIMARY KEY,
    sale_id TEXT NOT NULL,
    requested_at TEXT NOT NULL
);
CREATE TABLE steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id TEXT NOT NULL,
    at TEXT NOT NULL,
    phase TEXT NOT NULL,
    step TEXT NOT NULL,
    state TEXT,
    detail TEXT
);
CREATE INDEX steps_sale ON steps(sale_id);
CREATE TABLE prefs (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

#: schema migrations: version -> statements that bring version-1 to it (journals on disk keep working)
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    # 2: what identifies an order attempt (window, order-key snapshot, candidates seen), so a
    #    lost order is never confused with another sale's order (boxoffice.api.reconcile)
    2: ("ALTER TABLE sales ADD COLUMN order_lookup TEXT",),
    # 3: a cart is known by its venue, its id and its creation, never by the id alone (a server
    #    may hand out an id again: the demo simulator after a restart did): one order request
    #    per sale, matched to other sales' requests on all three
    3: ("ALTER TABLE sales ADD COLUMN venue TEXT",
        "ALTER TABLE sales ADD COLUMN cart_created_at TEXT",
        "CREATE TABLE order_requests_v3 (sale_id TEXT PRIMARY KEY, cart_id TEXT NOT NULL, "
        "venue TEXT, cart_created_at TEXT, requested_at TEXT NOT NULL)",
        "INSERT INTO order_requests_v3 (sale_id, cart_id, requested_at) "
        "SELECT sale_id, cart_id, requested_at FROM order_requests",
        "DROP TABLE order_requests",
        "ALTER TABLE order_requests_v3 RENAME TO order_requests",
        "CREATE INDEX order_requests_cart ON order_requests(cart_id)"),
}
#: the schema _SCHEMA creates (later versions are reached through _MIGRATIONS)
_BASE_VERSION = 2

_COLUMNS = (
    "cart_id", "lines", "total", "payment_method_id", "payment_method_name", "surcharge",
    "customer", "order_key", "payment_url", "payment_status", "order_requested_at",
    "order_created_at", "finished_at", "tickets_url", "receipt_url", "tickets_nr", "note",
    "order_lookup", "venue", "cart_created_at",
)


@dataclass(frozen=True)
class JournalSale:
    """One sale as the journal holds it."""

    sale_id: str
    created_at: datetime
    updated_at: datetime
    state: SaleState
    cart_id: str | None
    lines: list[dict[str, Any]] = field(default_factory=list)
    total: Decimal = Decimal("0.00")
    payment_method_id: int | None = None
    payment_method_name: str | None = None
    surcharge: Decimal | None = None
    customer: dict[str, Any] | None = None
    order_key: str | None = None
    payment_url: str | None = None
    payment_status: str | None = None
    order_requested_at: datetime | None = None
    order_created_at: datetime | None = None
    finished_at: datetime | None = None
    tickets_url: str | None = None
    receipt_url: str | None = None
    tickets_nr: int | None = None
    note: str | None = None
    #: the order attempt as ``boxoffice.api.reconcile.OrderLookup.to_json`` (None: not recorded)
    order_lookup: dict[str, Any] | None = None
    #: the venue the cart is at (API root and client name) and when the cart was created (by
    #: the server's clock as the app knew it): with the cart id, what identifies the cart
    venue: str | None = None
    cart_created_at: datetime | None = None

    @property
    def is_final(self) -> bool:
        return self.state.is_final

    def order_attempt(self) -> reconcile.OrderLookup:
        """The order attempt as journaled; a journal from before attempts were recorded (or a
        crash before the record was written) gives only the request time, an open-ended attempt."""
        if self.order_lookup:
            try:
                return reconcile.OrderLookup.from_json(self.order_lookup)
            except (TypeError, ValueError):
                log.warning("unreadable order attempt record; using the request time")
        assert self.order_requested_at is not None
        return reconcile.OrderLookup(started=self.order_requested_at.astimezone(timezone.utc))


@dataclass(frozen=True)
class JournalStep:
    sale_id: str
    at: datetime
    phase: str       # "before" | "after"
    step: str
    state: str | None
    detail: dict[str, Any] | None


class SaleJournal:
    """The per-profile sale journal. Open with :meth:`open`. The sale service and recovery run
    their steps on its writer thread (:attr:`writer`); any thread may use it, one call at a time
    (a lock serialises the shared connection: :func:`~boxoffice.store.writer.serialised`)."""

    #: seconds a write waits for another program's lock on the file (a backup, a second app)
    #: before it fails as :class:`JournalWriteFailed` (``DiskTrouble.LOCKED``)
    busy_timeout: float = 5.0

    def __init__(self, db: sqlite3.Connection, path: Path | None,
                 now: Callable[[], datetime] = utc_now,
                 recovered_notice: str | None = None) -> None:
        self._db = db
        self._lock = ConnectionLock()
        self._writer = StoreWriter()   # (its thread starts with the first call)
        self.path = path
        self._now = now
        #: set when a damaged journal file was set aside at open (technical text, logged)
        self.recovered_notice = recovered_notice

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: Path | str, *, now: Callable[[], datetime] = utc_now) -> SaleJournal:
        """Open (or create) the journal at ``path`` (0600, WAL, synchronous=FULL)."""
        path = Path(path)
        notice = None
        try:
            try:
                ensure_private_dir(path.parent)
                db = cls._connect(path)
            except sqlite3.DatabaseError as exc:
                if not is_damaged(exc):
                    raise
                aside = path.with_name(f"{path.name}{SET_ASIDE_MARK}{int(utc_now().timestamp())}")
                log.error("sale journal damaged (%s); kept aside as %s", exc, aside.name)
                os.replace(path, aside)
                for suffix in ("-wal", "-shm"):
                    with contextlib.suppress(OSError):
                        os.replace(str(path) + suffix, str(aside) + suffix)
                notice = f"journal set aside as {aside.name}"
                db = cls._connect(path)
        except JournalError:
            raise
        except (sqlite3.DatabaseError, OSError) as exc:
            # full, read-only, locked, I/O error…: the file may be perfectly fine; never move it
            log.error("sale journal could not be opened (%s); left as it is", exc)
            raise JournalUnavailable(str(exc), disk_trouble(exc)) from exc
        return cls(db, path, now, notice)

    @classmethod
    def open_read_only(cls, path: Path | str) -> SaleJournal:
        """Open a journal only to read it (a set-aside one): nothing is written, migrated or
        created; raises ``sqlite3.DatabaseError`` when it cannot be read at all."""
        uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
        db = sqlite3.connect(uri, uri=True, isolation_level=None)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise JournalTooNew(version)
            if version < SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"set-aside journal of schema {version}: not read")
            db.execute("SELECT count(*) FROM sales").fetchone()
        except BaseException:
            db.close()
            raise
        return cls(db, Path(path))

    @staticmethod
    def set_aside_files(path: Path | str) -> list[Path]:
        """The journals set aside as damaged next to the journal at *path*, oldest first."""
        path = Path(path)
        if not path.parent.is_dir():
            return []
        found = [p for p in path.parent.iterdir()
                 if p.name.startswith(path.name + SET_ASIDE_MARK) and p.name[-4:] not in ("-wal", "-shm")]
        return sorted(found, key=lambda p: p.name)

    @staticmethod
    def set_aside(path: Path | str) -> Path | None:
        """Move the journal at ``path`` (with its -wal/-shm) aside as ``<name>.previous``,
        replacing an older one, so the next :meth:`open` starts clean; returns where it went.
        For the demo: its simulator starts afresh with every session, and the sales of an
        earlier simulator mean nothing to the new one."""
        path = Path(path)
        if not path.exists():
            return None
        aside = path.with_name(path.name + ".previous")
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(str(aside) + suffix)
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.replace(str(path) + suffix, str(aside) + suffix)
        return aside

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE)
            os.close(fd)
        # the writer thread uses it too; every use holds the journal's lock (serialised)
        db = sqlite3.connect(str(path), isolation_level=None, timeout=SaleJournal.busy_timeout,
                             check_same_thread=False)
        try:
            # the version first: a newer app's journal is refused before anything is set or written
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise JournalTooNew(version)
            make_private(path)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            if version < SCHEMA_VERSION:
                db.execute("BEGIN IMMEDIATE")
                try:
                    if version == 0:
                        for statement in _SCHEMA.split(";"):
                            if statement.strip():
                                db.execute(statement)
                        version = _BASE_VERSION
                    if version < SCHEMA_VERSION:
                        for step in range(version + 1, SCHEMA_VERSION + 1):
                            for statement in _MIGRATIONS[step]:
                                db.execute(statement)
                        log.info("sale journal migrated from schema %d to %d",
                                 version, SCHEMA_VERSION)
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            db.execute("SELECT count(*) FROM sales").fetchone()
        except BaseException:
            db.close()
            raise
        for suffix in ("-wal", "-shm"):
            extra = Path(str(path) + suffix)
            if extra.exists():
                make_private(extra)
        return db

    @classmethod
    def in_memory(cls, *, now: Callable[[], datetime] = utc_now) -> SaleJournal:
        """A throw-away journal (tests, benchmarks without a profile)."""
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        db.executescript(_SCHEMA)
        for step in range(_BASE_VERSION + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS[step]:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        return cls(db, None, now)

    @property
    def writer(self) -> StoreWriter:
        """The thread this journal's steps are written on, off the event loop
        (:mod:`boxoffice.store.writer`)."""
        return self._writer

    def close(self) -> None:
        """Finish the steps still queued on the writer thread, then close the file."""
        self.writer.close()
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._db.close()

    # ------------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic step: everything inside commits together or not at all. A step the disk
        refuses (full, read-only, locked by another program, damaged) raises
        :class:`JournalWriteFailed` with nothing of it recorded, and leaves the connection ready
        for the next write (SQLite may already have rolled the transaction back itself)."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _write_failed(exc) from exc
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) or (
                    type(exc) is sqlite3.DatabaseError and is_damaged(exc)):
                raise _write_failed(exc) from exc
            raise

    def _step_row(self, db: sqlite3.Connection, sale_id: str, at: str, phase: str, step: str,
                  state: str | None, detail: dict[str, Any] | None) -> None:
        db.execute(
            "INSERT INTO steps (sale_id, at, phase, step, state, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (sale_id, at, phase, step, state, None if detail is None else _dumps(detail)),
        )

    @staticmethod
    def _encode(name: str, value: Any) -> Any:
        if value is None:
            return None
        if name in ("lines", "customer", "order_lookup"):
            return _dumps(value)
        if name in ("total", "surcharge"):
            return str(value)
        if name.endswith("_at"):
            return _stamp(value) if isinstance(value, datetime) else value
        if isinstance(value, Enum):
            return value.value
        return value

    # ------------------------------------------------------------------ writing
    @serialised
    def start_sale(self, cart_id: str, *, sale_id: str | None = None, venue: str | None = None,
                   cart_created_at: datetime | None = None) -> JournalSale:
        """A new sale whose cart was just created (state ``cart_created``). ``venue`` and
        ``cart_created_at`` identify the cart with its id (None: unknown, then the id alone
        must do, the cautious way: see :meth:`request_order`)."""
        sale_id = sale_id or uuid.uuid4().hex
        at = _stamp(self._now())
        created = None if cart_created_at is None else _stamp(cart_created_at)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO sales (sale_id, created_at, updated_at, state, cart_id, venue, "
                "cart_created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (sale_id, at, at, SaleState.CART_CREATED.value, cart_id, venue, created),
            )
            self._step_row(db, sale_id, at, "after", "create_cart", SaleState.CART_CREATED.value,
                           {"cart_id": cart_id, "venue": venue, "cart_created_at": created})
        return self.get(sale_id)

    @serialised
    def before(self, sale_id: str, step: str, detail: dict[str, Any] | None = None) -> None:
        """Record that ``step`` is about to be sent (committed before the request goes out)."""
        at = _stamp(self._now())
        with self.transaction() as db:
            self._require(db, sale_id)
            db.execute("UPDATE sales SET updated_at = ? WHERE sale_id = ?", (at, sale_id))
            self._step_row(db, sale_id, at, "before", step, None, detail)

    @serialised
    def after(self, sale_id: str, step: str, state: SaleState | None = None,
              detail: dict[str, Any] | None = None, **fields: Any) -> JournalSale:
        """Record the outcome of ``step``: new state and/or fields, plus a step entry."""
        unknown = set(fields) - set(_COLUMNS)
        if unknown:
            raise ValueError(f"unknown journal fields {sorted(unknown)}")
        at = _stamp(self._now())
        with self.transaction() as db:
            self._require(db, sale_id)
            sets = ["updated_at = ?"]
            values: list[Any] = [at]
            if state is not None:
                sets.append("state = ?")
                values.append(SaleState(state).value)
                if SaleState(state).is_final and "finished_at" not in fields:
                    sets.append("finished_at = ?")
                    values.append(at)
            for name, value in fields.items():
                sets.append(f"{name} = ?")
                values.append(self._encode(name, value))
            values.append(sale_id)
            db.execute(f"UPDATE sales SET {', '.join(sets)} WHERE sale_id = ?", values)
            self._step_row(db, sale_id, at, "after", step,
                           None if state is None else SaleState(state).value, detail)
        return self.get(sale_id)

    @serialised
    def request_order(self, sale_id: str, *, payment_method_id: int | str,
                      payment_method_name: str | None, surcharge: Decimal | None,
                      lines: list[dict[str, Any]], total: Decimal,
                      customer: dict[str, Any] | None = None) -> JournalSale:
        """The "before" of order creation. Refuses a second order request for the same cart:
        the same venue, cart id and creation (an unknown venue or creation counts as the same,
        so only a cart known to be another one with a reused id is let through)."""
        at = _stamp(self._now())
        with self.transaction() as db:
            row = self._require(db, sale_id)
            cart_id = row["cart_id"]
            if not cart_id:
                raise JournalError("sale has no cart")
            venue, created = row["venue"], row["cart_created_at"]
            for other_sale, other_venue, other_created in db.execute(
                    "SELECT sale_id, venue, cart_created_at FROM order_requests WHERE cart_id = ?",
                    (cart_id,)).fetchall():
                if other_sale == sale_id or (
                        (venue is None or other_venue is None or venue == other_venue)
                        and (created is None or other_created is None
                             or created == other_created)):
                    raise OrderAlreadyRequested(cart_id, other_sale)
            db.execute(
                "INSERT INTO order_requests (cart_id, sale_id, venue, cart_created_at, "
                "requested_at) VALUES (?, ?, ?, ?, ?)",
                (cart_id, sale_id, venue, created, at),
            )
            db.execute(
                "UPDATE sales SET state = ?, updated_at = ?, order_requested_at = ?, "
                "payment_method_id = ?, payment_method_name = ?, surcharge = ?, lines = ?, "
                "total = ?, customer = ? WHERE sale_id = ?",
                (SaleState.ORDER_REQUESTED.value, at, at, payment_method_id, payment_method_name,
                 None if surcharge is None else str(surcharge), _dumps(lines), str(total),
                 None if customer is None else _dumps(customer), sale_id),
            )
            self._step_row(db, sale_id, at, "before", "create_order",
                           SaleState.ORDER_REQUESTED.value,
                           {"payment_method_id": payment_method_id, "lines": len(lines),
                            "total": str(total)})
        return self.get(sale_id)

    @serialised
    def order_refused(self, sale_id: str, reason: str) -> JournalSale:
        """The server refused the order with a definite answer (no order exists): the request is
        withdrawn and the sale is back to ``lines_added``, so the cashier can fix and retry.
        Only for failures that established nothing was created, never for ambiguous ones."""
        at = _stamp(self._now())
        with self.transaction() as db:
            row = self._require(db, sale_id)
            if row["order_key"]:
                raise JournalError("sale already has an order")
            db.execute("DELETE FROM order_requests WHERE cart_id = ? AND sale_id = ?",
                       (row["cart_id"], sale_id))
            db.execute("UPDATE sales SET state = ?, updated_at = ?, order_requested_at = NULL "
                       "WHERE sale_id = ?", (SaleState.LINES_ADDED.value, at, sale_id))
            self._step_row(db, sale_id, at, "after", "create_order",
                           SaleState.LINES_ADDED.value, {"refused": reason})
        return self.get(sale_id)

    @serialised
    def has_order_request(self, cart_id: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM order_requests WHERE cart_id = ?", (cart_id,)).fetchone()
        return row is not None

    # ------------------------------------------------------------------ reading
    def _require(self, db: sqlite3.Connection, sale_id: str) -> sqlite3.Row:
        db.row_factory = sqlite3.Row
        try:
            row = db.execute("SELECT * FROM sales WHERE sale_id = ?", (sale_id,)).fetchone()
        finally:
            db.row_factory = None
        if row is None:
            raise JournalError(f"unknown sale {sale_id}")
        return row

    @staticmethod
    def _sale(row: sqlite3.Row) -> JournalSale:
        def dec(text: str | None) -> Decimal | None:
            return None if text is None else Decimal(text)

        return JournalSale(
            sale_id=row["sale_id"],
            created_at=_unstamp(row["created_at"]),  # type: ignore[arg-type]
            updated_at=_unstamp(row["updated_at"]),  # type: ignore[arg-type]
            state=SaleState(row["state"]),
            cart_id=row["cart_id"],
            lines=json.loads(row["lines"] or "[]"),
            total=Decimal(row["total"] or "0.00"),
            payment_method_id=row["payment_method_id"],
            payment_method_name=row["payment_method_name"],
            surcharge=dec(row["surcharge"]),
            customer=json.loads(row["customer"]) if row["customer"] else None,
            order_key=row["order_key"],
            payment_url=row["payment_url"],
            payment_status=row["payment_status"],
            order_requested_at=_unstamp(row["order_requested_at"]),
            order_created_at=_unstamp(row["order_created_at"]),
            finished_at=_unstamp(row["finished_at"]),
            tickets_url=row["tickets_url"],
            receipt_url=row["receipt_url"],
            tickets_nr=row["tickets_nr"],
            note=row["note"],
            order_lookup=json.loads(row["order_lookup"]) if row["order_lookup"] else None,
            venue=row["venue"],
            cart_created_at=_unstamp(row["cart_created_at"]),
        )

    def _query(self, sql: str, params: tuple = ()) -> list[JournalSale]:
        self._db.row_factory = sqlite3.Row
        try:
            return [self._sale(r) for r in self._db.execute(sql, params).fetchall()]
        finally:
            self._db.row_factory = None

    @serialised
    def get(self, sale_id: str) -> JournalSale:
        found = self._query("SELECT * FROM sales WHERE sale_id = ?", (sale_id,))
        if not found:
            raise JournalError(f"unknown sale {sale_id}")
        return found[0]

    @serialised
    def order_keys(self) -> set[str]:
        """Every order key any sale in this journal holds."""
        rows = self._db.execute("SELECT order_key FROM sales WHERE order_key IS NOT NULL")
        return {r[0] for r in rows.fetchall()}

    @serialised
    def unfinished(self) -> list[JournalSale]:
        """Sales not in a final state (needs_attention included: it is checked again)."""
        finals = tuple(s.value for s in FINAL_STATES)
        marks = ", ".join("?" for _ in finals)
        return self._query(
            f"SELECT * FROM sales WHERE state NOT IN ({marks}) ORDER BY created_at", finals)

    @serialised
    def is_empty(self, sale_id: str) -> bool:
        """Nothing is held or ordered on this sale as far as the journal can tell: still
        ``cart_created`` with no lines and no order request, and every write that went out was
        answered with a known outcome (a step sent without its answer, or answered "outcome
        unknown", may have held seats). Such a sale is nothing to resume or to report."""
        sale = self.get(sale_id)
        if (sale.state != SaleState.CART_CREATED or sale.lines or sale.order_key
                or sale.order_requested_at is not None):
            return False
        pending: set[str] = set()
        for step in self.steps(sale_id):
            if step.phase == "before":
                pending.add(step.step)
            else:
                pending.discard(step.step)
                if step.detail and step.detail.get("unknown"):
                    return False
        return not pending

    @serialised
    def close_empty(self, exclude: Container[str] = frozenset()) -> list[str]:
        """Close (``released``) the unfinished sales that are empty (:meth:`is_empty`), e.g. the
        cart made ahead when the app stopped without a clean close; returns their ids. The
        sales in ``exclude`` (the counter's open sale) are left alone."""
        closed = []
        for sale in self.unfinished():
            if sale.sale_id in exclude or not self.is_empty(sale.sale_id):
                continue
            self.after(sale.sale_id, "close_empty", SaleState.RELEASED,
                       note="empty: nothing was held or ordered")
            closed.append(sale.sale_id)
        return closed

    @serialised
    def between(self, start: datetime, end: datetime) -> list[JournalSale]:
        """Sales created in ``[start, end)`` (aware datetimes)."""
        return self._query(
            "SELECT * FROM sales WHERE created_at >= ? AND created_at < ? ORDER BY created_at",
            (_stamp(start), _stamp(end)))

    @serialised
    def all(self) -> list[JournalSale]:
        return self._query("SELECT * FROM sales ORDER BY created_at")

    @serialised
    def steps(self, sale_id: str) -> list[JournalStep]:
        rows = self._db.execute(
            "SELECT sale_id, at, phase, step, state, detail FROM steps WHERE sale_id = ? ORDER BY id",
            (sale_id,)).fetchall()
        return [JournalStep(r[0], _unstamp(r[1]), r[2], r[3], r[4],  # type: ignore[arg-type]
                            json.loads(r[5]) if r[5] else None) for r in rows]

    # ------------------------------------------------------------------ preferences
    @serialised
    def get_pref(self, key: str, default: str | None = None) -> str | None:
        row = self._db.execute("SELECT value FROM prefs WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    @serialised
    def set_pref(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO prefs (key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
