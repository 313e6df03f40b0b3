"""Disk trouble for the sale journal, made by SQLite itself on the real file (issue 13): a full
disk (``PRAGMA max_page_count`` at the file's size, its last free bytes taken), a read-only one
(``PRAGMA query_only``) and another program holding the write lock (a second connection in
``BEGIN IMMEDIATE``). The first two are settings of the journal's own connection, so they are
made under the journal's lock when it has one (its writer thread uses the same connection)."""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: the sale id of the filler rows that take the journal's last free bytes
FILLER = "disk-full-filler"


def _locked(journal: Any) -> Any:
    return getattr(journal, "_lock", None) or contextlib.nullcontext()


def fill_journal(journal: Any) -> None:
    """The disk is full: the journal cannot grow, and the free bytes left in its pages are taken
    (filler steps of a sale that does not exist), so the next step fails with SQLITE_FULL."""
    with _locked(journal):
        db: sqlite3.Connection = journal._db
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages:d}")
        for size in (2000, 400, 80, 16, 1):
            while True:
                try:
                    db.execute("INSERT INTO steps (sale_id, at, phase, step, detail) "
                               "VALUES (?, '', '', '', ?)", (FILLER, "x" * size))
                except sqlite3.OperationalError as exc:
                    assert exc.sqlite_errorname == "SQLITE_FULL", exc
                    break


def room_again(journal: Any) -> None:
    """Space was freed: the journal may grow again."""
    with _locked(journal):
        journal._db.execute("PRAGMA max_page_count = 1073741823")


def read_only(journal: Any, on: bool = True) -> None:
    """The disk turned read-only (or back)."""
    with _locked(journal):
        journal._db.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


@contextlib.contextmanager
def hold_write_lock(path: Path | str, *, exclusive: bool = False) -> Iterator[sqlite3.Connection]:
    """Another program (a backup tool, a second app) holds the file's write lock; *exclusive*:
    an exclusive lock (in a rollback-journal file it keeps readers out too)."""
    holder = sqlite3.connect(str(path), isolation_level=None, timeout=0)
    try:
        holder.execute("BEGIN EXCLUSIVE" if exclusive else "BEGIN IMMEDIATE")
        yield holder
        holder.execute("ROLLBACK")
    finally:
        holder.close()
