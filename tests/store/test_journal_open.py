"""Opening the sale journal: only a truly damaged file is set aside; a newer app's journal and a
journal that cannot be reached right now are refused and left exactly as they are (issue 13)."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest

from boxoffice.store.disk import DiskTrouble
from boxoffice.store.journal import (
    JournalTooNew,
    JournalUnavailable,
    JournalWriteFailed,
    SaleJournal,
    is_damaged,
    journal_path,
)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _with_unfinished_sale(path) -> str:
    j = SaleJournal.open(path)
    sale = j.start_sale("cart-1", venue="demo")
    j.close()
    return sale.sale_id


@pytest.fixture
def path(tmp_path):
    return journal_path(tmp_path / "profile")


def test_a_newer_schema_is_refused_and_the_file_is_left_alone(path):
    sale_id = _with_unfinished_sale(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    before = _digest(path), stat.S_IMODE(os.stat(path).st_mode)
    with pytest.raises(JournalTooNew) as caught:
        SaleJournal.open(path)
    assert caught.value.version == 99
    assert (_digest(path), stat.S_IMODE(os.stat(path).st_mode)) == before
    assert SaleJournal.set_aside_files(path) == []
    # the file still holds its unfinished sale for the newer app
    db = sqlite3.connect(path)
    assert db.execute("SELECT state FROM sales WHERE sale_id = ?", (sale_id,)).fetchone()[0] == "cart_created"
    db.close()


def test_a_locked_journal_is_not_set_aside(path):
    _with_unfinished_sale(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")   # a rollback journal: an exclusive lock blocks readers
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(JournalUnavailable) as refused:
            SaleJournal.open(path)
        assert refused.value.trouble == DiskTrouble.LOCKED
        assert SaleJournal.set_aside_files(path) == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    j = SaleJournal.open(path)
    assert len(j.unfinished()) == 1
    j.close()


def test_only_damage_codes_count_as_damage(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all " * 200)
    with pytest.raises(sqlite3.DatabaseError) as caught:
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()
    assert is_damaged(caught.value)
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorname = "SQLITE_BUSY"   # type: ignore[attr-defined]
    assert not is_damaged(busy)
    io = sqlite3.OperationalError("disk I/O error")
    io.sqlite_errorname = "SQLITE_IOERR_READ"   # type: ignore[attr-defined]
    assert not is_damaged(io)


def test_a_damaged_journal_is_set_aside_and_read_back_read_only(path):
    sale_id = _with_unfinished_sale(path)
    aside_copy = path.with_name("copy.sqlite3")
    aside_copy.write_bytes(path.read_bytes())
    path.write_bytes(b"\0garbage" * 512)           # the live file is destroyed
    j = SaleJournal.open(path)
    assert j.recovered_notice and j.unfinished() == []
    j.close()
    [aside] = SaleJournal.set_aside_files(path)
    # a set-aside journal that can still be read gives its unfinished sales, without a write
    os.replace(aside_copy, aside)
    before = _digest(aside)
    old = SaleJournal.open_read_only(aside)
    try:
        assert [s.sale_id for s in old.unfinished()] == [sale_id]
        with pytest.raises(JournalWriteFailed) as refused:
            old.set_pref("x", "1")
        assert refused.value.trouble == DiskTrouble.READ_ONLY
    finally:
        old.close()
    assert _digest(aside) == before
    assert not any(p.name.endswith(("-wal", "-shm")) for p in path.parent.iterdir() if p.name.startswith(aside.name))
