"""The composition root of one counter: what a profile's till is made of, opened in one place.

Owns :class:`Counter` — for one venue session and profile: the sale journal
(``<profile data>/sales.sqlite3``), the :class:`~boxoffice.services.sale.SaleService` that writes
it, the start-up :class:`~boxoffice.services.recovery.Recovery` that reads it, and the
:class:`ShiftBook` the shift report reads it through — and :func:`peek_saved_events`, the quick
look into the profile's offline cache before any session exists. The UI asks for these; it never
opens the journal or the cache itself. Qt-free; imports services, store, api and domain only.
"""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boxoffice.config import DEFAULT_DAY_START
from boxoffice.services.shift_report import (
    ShiftReport,
    build_shift_report,
    close_shift,
    current_shift,
    last_shift,
)
from boxoffice.store.journal import JournalSale, JournalWriteFailed, SaleJournal, journal_path

if TYPE_CHECKING:   # (imported when a counter opens: the quick look at the cache stays light)
    from boxoffice.services.order_desk import OrderDesk
    from boxoffice.services.recovery import Recovery, RecoveryOutcome
    from boxoffice.services.sale import SaleService

log = logging.getLogger("boxoffice.sale")


def _empty_not_closed(closing: concurrent.futures.Future[list[str]]) -> None:
    exc = None if closing.cancelled() else closing.exception()
    if isinstance(exc, JournalWriteFailed):   # closed at a later start; they hold nothing
        log.warning("empty sales not closed now: the journal cannot be written")
    elif exc is not None:
        log.error("empty sales not closed", exc_info=exc)


class ShiftBook:
    """The shift report's view of one journal: the open and the last closed shift, closing a
    shift, and the report of a period (``boxoffice.services.shift_report`` on this journal)."""

    def __init__(self, journal: SaleJournal) -> None:
        self._journal = journal

    def current(self, now: dt.datetime, day_start: dt.time = DEFAULT_DAY_START
                ) -> tuple[dt.datetime, dt.datetime]:
        return current_shift(self._journal, now, day_start)

    def last(self, day_start: dt.time = DEFAULT_DAY_START) -> tuple[dt.datetime, dt.datetime] | None:
        return last_shift(self._journal, day_start)

    def close(self, now: dt.datetime, day_start: dt.time = DEFAULT_DAY_START
              ) -> tuple[dt.datetime, dt.datetime]:
        return close_shift(self._journal, now, day_start)

    def report(self, start: dt.datetime, end: dt.datetime) -> ShiftReport:
        return build_shift_report(self._journal, start, end)


class Counter:
    """One profile's till: journal, sale service, recovery and shift book, opened together and
    closed together (the sale and the recovery finish their writes before the journal closes)."""

    def __init__(self, journal: SaleJournal, service: SaleService, recovery: Recovery) -> None:
        self.journal = journal
        self.service = service
        self.recovery = recovery
        self.shift_book = ShiftBook(journal)

    @classmethod
    def open(cls, client: Any, data_dir: Path | str, *, demo: bool = False,
             fresh_journal: bool = False, hold_seconds: float | None = None,
             on_recovered: Callable[[RecoveryOutcome], None] | None = None) -> Counter:
        """Open the counter of the profile whose data folder is *data_dir*.

        ``fresh_journal``: start a new journal, keeping the previous one aside as
        ``sales.sqlite3.previous`` (the built-in simulator starts afresh with every session, so its
        journal does too)."""
        from boxoffice.services.recovery import Recovery
        from boxoffice.services.sale import SaleService

        path = journal_path(Path(data_dir))
        if fresh_journal:
            SaleJournal.set_aside(path)
        journal = SaleJournal.open(path)
        kwargs: dict[str, Any] = {} if hold_seconds is None else {"hold_seconds": hold_seconds}
        service = SaleService(client, journal, demo=demo, **kwargs)
        recovery = Recovery(client, journal, demo=demo, on_update=on_recovered)
        return cls(journal, service, recovery)

    # --- the journal's unfinished sales ----------------------------------------------------------
    def unfinished(self, current: set[str]) -> list[JournalSale]:
        """The unfinished sales to resume at start, besides *current*. A sale that never held
        anything (a cart made ahead, then a crash) is nothing to report: it is left out, and
        closed on the journal's writer thread, so the start never waits for the disk (nor for
        another program's lock on the journal)."""
        sales = [s for s in self.recovery.unfinished(current) if not self.journal.is_empty(s.sale_id)]
        closing = self.journal.writer.submit(self.journal.close_empty, current)
        closing.add_done_callback(_empty_not_closed)
        return sales

    def sale(self, sale_id: str) -> JournalSale | None:
        return self.journal.get(sale_id)

    async def resume(self, sale_id: str) -> RecoveryOutcome:
        """Check one handed-over sale (an order still waiting when the cashier went on)."""
        return await self.recovery.resume(self.journal.get(sale_id), wait=False)

    async def aclose(self) -> None:
        await self.service.aclose()
        await self.recovery.aclose()
        self.journal.close()


def open_order_desk(client: Any, data_dir: Path | str, *,
                    now: Callable[[], dt.datetime] | None = None) -> OrderDesk:
    """The order desk of the profile whose data folder is *data_dir*: its order index
    (``orders.sqlite3`` there; a damaged one is set aside, ``OrderDesk.notice`` says so) over
    *client*. The caller closes it with ``await desk.aclose()``."""
    from boxoffice.services.order_desk import OrderDesk, order_index_path

    return OrderDesk(client, order_index_path(data_dir), now=now)


def peek_saved_events(data_dir: Path | str, *,
                      notice: Callable[[str], None] | None = None) -> Any:
    """The saved event list of a profile, read straight from its offline cache file: as the list
    shows it, without the API models (their import alone would delay the first paint); a cache
    written before that form existed gives its models. None when there is none or it cannot be
    read (never let the quick look block the start).

    Opening the cache also recovers a damaged file (moved aside; *notice* gets the text once)."""
    from boxoffice.store.cache import OfflineCache, cache_path

    try:
        cache = OfflineCache.open(cache_path(Path(data_dir)))
    except Exception:  # never let the quick look block the start
        log.warning("could not read the offline cache", exc_info=True)
        return None
    try:
        if cache.recovered_notice and notice is not None:
            notice(cache.recovered_notice)
        return cache.load_listed_events() or cache.load_events()
    finally:
        cache.close()
