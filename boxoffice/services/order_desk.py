"""The order desk: find and serve any order of the venue from a local order index.

Owns :class:`OrderDesk` — the sync of the profile's order index (``orders.sqlite3`` in the
profile's data folder) from the peppered exports (full first, then by ``changedSince``), the
one-box search, the door list, the venue day report, and the public look-up by order key.

Qt-free; imports store, api and domain only. The UI calls :meth:`OrderDesk.search` and the
other readers synchronously (they read the local index); :meth:`OrderDesk.sync` runs on the
event loop and does its SQLite writes and JSON reading off it (``asyncio.to_thread``).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from boxoffice.domain.orders import DayReport, DeskOrder, DoorList, SyncProgress, SyncResult

INDEX_FILE = "orders.sqlite3"


def order_index_path(data_dir: Path | str) -> Path:
    """Where a profile keeps its order index: ``<profile data folder>/orders.sqlite3``."""
    return Path(data_dir) / INDEX_FILE


class OrderDesk:
    """One venue profile's order desk over its local order index."""

    #: the peppered key is present (else the desk needs the venue's API key; the public look-up
    #: by order key still works)
    has_key: bool
    #: freshness: the time of the last complete sync (None: never synced)
    as_of: datetime | None
    #: plain text for the cashier, e.g. when a corrupt index was set aside and rebuilt
    notice: str | None
    #: a sync is running
    syncing: bool

    def __init__(self, client: Any, index_path: Path, *,
                 now: Callable[[], datetime] | None = None) -> None:
        raise NotImplementedError

    async def sync(self, progress: Callable[[SyncProgress], None] | None = None) -> SyncResult:
        """Bring the index up to date: a full export the first time (and after a rebuild), then
        the orders changed since the last complete window (overlapping a little; upsert by
        ``orderId``). Raises the typed api errors (``NoApiKey``, transport/status errors); the
        cursor only advances after a complete window is stored, so the next sync resumes."""
        raise NotImplementedError

    def search(self, text: str, limit: int = 50) -> list[DeskOrder]:
        """One box: order key (full, prefix, or a scanned tickets URL), order id, e-mail, name
        parts in any order (case and accents ignored), performance title or date, a seat
        ("row 5 seat 12", "rij 5 stoel 12"). Tonight's performances first, then upcoming, then
        past. Synchronous and fast (reads the local index only)."""
        raise NotImplementedError

    def order(self, order_id: int | str) -> DeskOrder | None:
        raise NotImplementedError

    def orders_for_event(self, event_id: int | str) -> list[DeskOrder]:
        raise NotImplementedError

    def door_list(self, event_id: int | str) -> DoorList:
        raise NotImplementedError

    def door_list_csv(self, door_list: DoorList) -> str:
        raise NotImplementedError

    def day_report(self, day: date) -> DayReport:
        raise NotImplementedError

    async def lookup_key(self, order_key: str) -> DeskOrder | None:
        """The order with this key: from the index when there, else through the public
        ``GET /order/:order_key`` (works without a key; few fields). None when unknown."""
        raise NotImplementedError

    async def tickets_url(self, order_key: str) -> str | None:
        """``order_tickets_url`` from the public ``GET /order/:order_key``."""
        raise NotImplementedError

    def receipt_url(self, order: DeskOrder) -> str | None:
        """``order_receipt_url`` of the order when a public look-up (``lookup_key`` /
        ``tickets_url``) has read it; else None."""
        raise NotImplementedError

    async def aclose(self) -> None:
        raise NotImplementedError
