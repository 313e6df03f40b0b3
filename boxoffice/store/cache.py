"""The per-profile offline cache: the last event list, ticket types, halls, seat plans, images
and the seats left per performance.

Owns one SQLite file per profile (``<profile data dir>/cache.sqlite3``, mode 0600). The schema is
versioned with ``PRAGMA user_version`` and brought up to date by the ordered :data:`MIGRATIONS`.
A file that is not a database, is damaged, or was written by a newer app version is moved aside
as ``<name>.corrupt-<timestamp>`` and a fresh cache is started; :attr:`OfflineCache.recovered_notice`
then holds a translated sentence for the cashier. A disk that is full or read-only, or a file
another program holds, never sets the file aside: it is left as it is and a cache in memory stands
in (issue 13). A cache problem never stops the box office: unreadable rows are treated as missing
and a write that fails is logged.

Values are stored as the API models' JSON (see :mod:`boxoffice.store.codec`) and rebuilt into
models on load. The event list is one row, so a warm start reads it with one query.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Generic, ParamSpec, TypeVar

from boxoffice.domain.availability import Availability
from boxoffice.domain.clock import utc_now
from boxoffice.domain.performance import list_snapshot, listed_events, opaque_id
from boxoffice.i18n import _
from boxoffice.store.codec import dumps_models, loads_model, loads_models
from boxoffice.store.disk import DiskTrouble, disk_trouble, trouble_reason
from boxoffice.store.files import FILE_MODE, ensure_private_dir, make_private, move_aside
from boxoffice.store.writer import ConnectionLock, StoreWriter, serialised

if TYPE_CHECKING:  # the models (pydantic) load on first use: the saved list paints without them
    from boxoffice.api.models import Hall, MainEvent, SeatPlan, TicketType

log = logging.getLogger(__name__)

CACHE_FILE = "cache.sqlite3"
T = TypeVar("T")
_P = ParamSpec("_P")


def _v1(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE event_list (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            payload TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        );
        CREATE TABLE ticket_types (
            event_id INTEGER PRIMARY KEY,
            payload TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        );
        CREATE TABLE halls (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            payload TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        );
        CREATE TABLE seat_plans (
            event_id INTEGER PRIMARY KEY,
            payload TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        );
        """
    )


def _v2(db: sqlite3.Connection) -> None:
    # Show images, fetched once and kept for offline browsing.
    db.executescript(
        """
        CREATE TABLE images (
            url TEXT PRIMARY KEY,
            data BLOB NOT NULL,
            fetched_at TEXT NOT NULL
        );
        """
    )


def _v3(db: sqlite3.Connection) -> None:
    # The event list as the browser shows it (plain JSON, no models): a cold start paints it
    # before the API models are even imported. Written with event_list, from the same events.
    db.executescript(
        """
        CREATE TABLE event_rows (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            payload TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        );
        """
    )


def _v4(db: sqlite3.Connection) -> None:
    # Seats left per performance (peppered counts, issue 12), as the event list last showed
    # them: one row, a JSON list of {"event_id", "left", "capacity", "as_of"}. A cache of v3
    # gains the empty table; its other rows stay as they were.
    db.executescript(
        """
        CREATE TABLE availability (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            payload TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        );
        """
    )


#: MIGRATIONS[i] brings a cache from user_version i to i + 1. Append only; never edit a shipped one.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2, _v3, _v4)
SCHEMA_VERSION = len(MIGRATIONS)
_TABLES = {"event_list", "ticket_types", "halls", "seat_plans", "images", "event_rows",
           "availability"}


class CacheUnusable(Exception):
    """The cache file cannot be used as it is (not a database, damaged, or too new)."""

    def __init__(self, reason: str, newer: bool = False) -> None:
        super().__init__(reason)
        self.newer = newer


def _to_set_aside(exc: BaseException) -> bool:
    """Whether the file itself is the trouble (damaged, of a newer app, not the cache), so it is
    moved aside; a full or read-only disk, a lock, a folder that cannot be made: left alone."""
    if isinstance(exc, CacheUnusable):
        return True
    return isinstance(exc, sqlite3.DatabaseError) and disk_trouble(exc) in (
        DiskTrouble.DAMAGED, DiskTrouble.OTHER)


@dataclass(frozen=True)
class CachedEvents:
    """The event list as last fetched, and when."""

    events: list[MainEvent]
    fetched_at: datetime
    #: performances the server sent that could not be read (left out of ``events``; issue 15)
    skipped: int = 0


@dataclass(frozen=True)
class Cached(Generic[T]):
    """A cached value and when it was fetched."""

    value: T
    fetched_at: datetime



def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat()


def _unstamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


def migrate(db: sqlite3.Connection) -> int:
    """Apply pending migrations; returns the schema version reached."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise CacheUnusable(f"schema version {version} is newer than {SCHEMA_VERSION}", newer=True)
    while version < SCHEMA_VERSION:
        with db:  # one transaction per step, version bumped inside it
            MIGRATIONS[version](db)
            version += 1
            db.execute(f"PRAGMA user_version = {version:d}")
    return version


class OfflineCache:
    """Snapshot store for browsing without a connection. Open with :meth:`open`. Saves run on
    its writer thread (:meth:`in_background`); any thread may use it, one call at a time."""

    def __init__(self, db: sqlite3.Connection, path: Path | None, recovered_notice: str | None) -> None:
        self._db = db
        self._lock = ConnectionLock()
        self._writer = StoreWriter("cache-writer")   # (its thread starts with the first save)
        self.path = path
        #: translated text when a damaged/incompatible cache was set aside at open, else None
        self.recovered_notice = recovered_notice

    # ------------------------------------------------------------------ opening

    #: seconds opening waits for another program's lock on the file before using a cache in memory
    busy_timeout: float = 5.0

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> OfflineCache:
        """Open (creating or migrating) the cache at *path*; never raises for a bad file or disk.

        A damaged file, or one of a newer app, is set aside and a fresh one started. When the
        disk is full or read-only, or another program holds the file, the file is left exactly as
        it is and a cache in memory stands in for this session (browsing works while connected);
        :attr:`recovered_notice` says which, in plain words."""
        path = Path(path)
        try:
            ensure_private_dir(path.parent)
            return cls(cls._connect(path), path, None)
        except (CacheUnusable, sqlite3.DatabaseError, OSError) as exc:
            if not _to_set_aside(exc):
                return cls._unusable_now(exc)
            newer = isinstance(exc, CacheUnusable) and exc.newer
            aside = move_aside(path, "offline cache")
            log.warning("offline cache unusable (%s); moved to %s", exc, aside.name if aside else "-")
            if newer:
                notice = _(
                    "The offline copy of the event list was made by a newer version of the box "
                    "office. It was set aside and a new one is started."
                )
            else:
                notice = _(
                    "The offline copy of the event list was damaged. It was set aside and a new "
                    "one is started; it fills again as soon as the connection works."
                )
            try:
                return cls(cls._connect(path), path, notice)
            except (CacheUnusable, sqlite3.DatabaseError, OSError) as again:
                return cls._unusable_now(again)

    @classmethod
    def _unusable_now(cls, exc: BaseException) -> OfflineCache:
        """The file cannot be used right now (full, read-only, held): left as it is; this
        session keeps its copy in memory."""
        trouble = disk_trouble(exc)
        log.warning("offline cache cannot be used now (%s); left as it is, kept in memory", exc)
        cache = cls.in_memory()
        cache.recovered_notice = _(
            "The offline copy of the event list cannot be used right now ({reason}). Browsing "
            "works while the connection does; the copy is left as it is for the next start."
        ).format(reason=trouble_reason(trouble))
        return cache

    @classmethod
    def in_memory(cls) -> OfflineCache:
        """A throw-away cache (tests, or when the data folder is not writable)."""
        db = sqlite3.connect(":memory:", check_same_thread=False)
        migrate(db)
        return cls(db, None, None)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
            os.close(fd)
        make_private(path)
        # the writer thread uses it too; every use holds the cache's lock (serialised)
        db = sqlite3.connect(path, timeout=OfflineCache.busy_timeout, check_same_thread=False)
        try:
            db.execute("PRAGMA synchronous = NORMAL")
            row = db.execute("PRAGMA quick_check").fetchone()
            if not row or row[0] != "ok":
                raise CacheUnusable(f"integrity check failed: {row[0] if row else '?'}")
            migrate(db)
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not _TABLES <= tables:
                raise CacheUnusable(f"tables missing: {sorted(_TABLES - tables)}")
        except BaseException:
            db.close()
            raise
        return db

    def in_background(self, save: Callable[_P, None], /, *args: _P.args, **kwargs: _P.kwargs) -> None:
        """Run a save on the cache's writer thread, off the event loop (encoding and writing a
        100,000-seat plan took some 0.4 s on the GUI thread), after the saves asked before it;
        not awaited: the copy is only for browsing offline. A read asked later sees it."""
        self._writer.submit(save, *args, **kwargs).add_done_callback(_save_failed)

    def close(self) -> None:
        """Finish the saves still queued, then close the file."""
        self._writer.close()
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._db.close()

    def __enter__(self) -> OfflineCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ helpers

    # (the connection is used under the cache's lock: only here, not while encoding or decoding)
    @serialised
    def _write(self, sql: str, params: tuple) -> None:
        try:
            with self._db:
                self._db.execute(sql, params)
        except sqlite3.Error:
            log.exception("offline cache write failed")

    @serialised
    def _read(self, sql: str, params: tuple, decode: Callable[[str], T], *, drop: tuple[str, tuple] | None):
        try:
            row = self._db.execute(sql, params).fetchone()
        except sqlite3.Error:
            log.exception("offline cache read failed")
            return None
        if row is None:
            return None
        try:
            return Cached(decode(row[0]), _unstamp(row[1]))
        except Exception as exc:  # a row the current models cannot read: forget it
            log.warning("dropping unreadable cache row (%s)", type(exc).__name__)
            if drop is not None:
                self._write(*drop)
            return None

    # ------------------------------------------------------------------ events

    def save_events(self, events: list[MainEvent], fetched_at: datetime | None = None) -> None:
        """Replace the cached event list; ticket types, seat plans and images of performances
        no longer listed are forgotten."""
        stamp = _stamp(fetched_at or utc_now())
        payload = dumps_models(list(events))
        rows = json.dumps(list_snapshot(events), separators=(",", ":"), ensure_ascii=False)
        ids = [_row_key(s.event_id) for e in events for s in e.sub_events]
        images = {u for e in events for u in (e.event_image, *(s.event_image for s in e.sub_events)) if u}
        self._replace_events(payload, rows, stamp, ids, images)

    @serialised
    def _replace_events(self, payload: str, rows: str, stamp: str, ids: list[int],
                        images: set[str]) -> None:
        try:
            with self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO event_list (id, payload, fetched_at) VALUES (1, ?, ?)",
                    (payload, stamp),
                )
                self._db.execute(
                    "INSERT OR REPLACE INTO event_rows (id, payload, fetched_at) VALUES (1, ?, ?)",
                    (rows, stamp),
                )
                marks = ",".join("?" * len(ids))
                for table in ("ticket_types", "seat_plans"):
                    self._db.execute(
                        f"DELETE FROM {table} WHERE event_id NOT IN ({marks})", tuple(ids)
                    )
                known = [r[0] for r in self._db.execute("SELECT url FROM images")]
                stale = [(u,) for u in known if u not in images]
                self._db.executemany("DELETE FROM images WHERE url = ?", stale)
        except sqlite3.Error:
            log.exception("offline cache write failed")

    def load_events(self) -> CachedEvents | None:
        """The cached event list, or None when there is none (or it cannot be read)."""
        from boxoffice.api.models import MainEvent

        cached = self._read(
            "SELECT payload, fetched_at FROM event_list WHERE id = 1",
            (),
            lambda text: loads_models(MainEvent, text),
            drop=("DELETE FROM event_list", ()),
        )
        return None if cached is None else CachedEvents(cached.value, cached.fetched_at)

    def load_listed_events(self) -> CachedEvents | None:
        """The cached event list as the browser lists it, without the API models: stand-ins
        (:class:`~boxoffice.domain.performance.Listed`) that carry only what a list row shows.
        For painting at once on a cold start; :meth:`load_events` gives the real models."""
        cached = self._read(
            "SELECT payload, fetched_at FROM event_rows WHERE id = 1",
            (),
            lambda text: listed_events(json.loads(text)),
            drop=("DELETE FROM event_rows", ()),
        )
        return None if cached is None else CachedEvents(cached.value, cached.fetched_at)

    # ------------------------------------------------------------------ ticket types

    def save_ticket_types(self, event_id: int, ticket_types: list[TicketType],
                          fetched_at: datetime | None = None) -> None:
        self._write(
            "INSERT OR REPLACE INTO ticket_types (event_id, payload, fetched_at) VALUES (?, ?, ?)",
            (_row_key(event_id), dumps_models(list(ticket_types)), _stamp(fetched_at or utc_now())),
        )

    def load_ticket_types(self, event_id: int) -> Cached[list[TicketType]] | None:
        from boxoffice.api.models import TicketType

        return self._read(
            "SELECT payload, fetched_at FROM ticket_types WHERE event_id = ?",
            (_row_key(event_id),),
            lambda text: loads_models(TicketType, text),
            drop=("DELETE FROM ticket_types WHERE event_id = ?", (_row_key(event_id),)),
        )

    # ------------------------------------------------------------------ halls and seat plans

    def save_halls(self, halls: list[Hall], fetched_at: datetime | None = None) -> None:
        self._write(
            "INSERT OR REPLACE INTO halls (id, payload, fetched_at) VALUES (1, ?, ?)",
            (dumps_models(list(halls)), _stamp(fetched_at or utc_now())),
        )

    def load_halls(self) -> Cached[list[Hall]] | None:
        from boxoffice.api.models import Hall

        return self._read(
            "SELECT payload, fetched_at FROM halls WHERE id = 1",
            (),
            lambda text: loads_models(Hall, text),
            drop=("DELETE FROM halls", ()),
        )

    def save_seat_plan(self, event_id: int, plan: SeatPlan, fetched_at: datetime | None = None) -> None:
        self._write(
            "INSERT OR REPLACE INTO seat_plans (event_id, payload, fetched_at) VALUES (?, ?, ?)",
            (_row_key(event_id), dumps_models(plan), _stamp(fetched_at or utc_now())),
        )

    def load_seat_plan(self, event_id: int) -> Cached[SeatPlan] | None:
        from boxoffice.api.models import SeatPlan

        return self._read(
            "SELECT payload, fetched_at FROM seat_plans WHERE event_id = ?",
            (_row_key(event_id),),
            lambda text: loads_model(SeatPlan, text),
            drop=("DELETE FROM seat_plans WHERE event_id = ?", (_row_key(event_id),)),
        )

    # ------------------------------------------------------------------ seats left

    def save_availability(self, counts: Mapping[int | str, Availability],
                          fetched_at: datetime | None = None) -> None:
        """Replace the saved counts (event id -> :class:`Availability`, each with its own
        ``as_of``); *fetched_at*: when the latest round of reads began."""
        rows = [{"event_id": event_id, **count.to_json()} for event_id, count in counts.items()]
        self._write(
            "INSERT OR REPLACE INTO availability (id, payload, fetched_at) VALUES (1, ?, ?)",
            (json.dumps(rows, separators=(",", ":")), _stamp(fetched_at or utc_now())),
        )

    def load_availability(self) -> Cached[dict[int | str, Availability]] | None:
        """The saved counts; an unreadable item is left out (the others stay)."""
        return self._read(
            "SELECT payload, fetched_at FROM availability WHERE id = 1",
            (),
            _availability_rows,
            drop=("DELETE FROM availability", ()),
        )

    # ------------------------------------------------------------------ images

    def save_image(self, url: str, data: bytes, fetched_at: datetime | None = None) -> None:
        self._write(
            "INSERT OR REPLACE INTO images (url, data, fetched_at) VALUES (?, ?, ?)",
            (url, sqlite3.Binary(bytes(data)), _stamp(fetched_at or utc_now())),
        )

    @serialised
    def load_image(self, url: str) -> bytes | None:
        try:
            row = self._db.execute("SELECT data FROM images WHERE url = ?", (url,)).fetchone()
        except sqlite3.Error:
            log.exception("offline cache read failed")
            return None
        return bytes(row[0]) if row else None

    @serialised
    def image_urls(self) -> set[str]:
        try:
            return {r[0] for r in self._db.execute("SELECT url FROM images")}
        except sqlite3.Error:
            return set()




def _save_failed(future: concurrent.futures.Future[None]) -> None:
    exc = None if future.cancelled() else future.exception()
    if exc is not None:
        log.error("offline cache save failed", exc_info=exc)


def _availability_rows(text: str) -> dict[int | str, Availability]:
    rows = json.loads(text)
    if not isinstance(rows, list):
        raise ValueError("saved counts: a list is expected")
    counts: dict[int | str, Availability] = {}
    for row in rows:
        if not isinstance(row, dict):
            continue
        try:
            event_id = opaque_id(row.get("event_id"))
        except ValueError:
            continue
        count = Availability.from_json(row)
        if count is not None:
            counts[event_id] = count
    return counts


def _row_key(event_id: int | str) -> int:
    """The table key of a performance id. Ids are opaque (issue 15): an int, or a numeric text,
    is that number (``"95"`` and ``95`` are one performance); any other text gets a stable
    negative 63-bit key from its SHA-256, so the INTEGER keys of the schema hold it too."""
    if isinstance(event_id, bool):
        raise ValueError("invalid performance id")
    if isinstance(event_id, int):
        return event_id
    text = str(event_id).strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if not text:
        raise ValueError("invalid performance id")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return -(int.from_bytes(digest[:7], "big") + 1)


def cache_path(profile_data_dir: Path) -> Path:
    return Path(profile_data_dir) / CACHE_FILE
