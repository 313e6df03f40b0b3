"""Issue 13, disk trouble without loss: a journal step the disk refuses (full, read-only, held by
another program) fails as ``JournalWriteFailed`` saying which, records nothing of the step, loses
nothing recorded before, and the same step works again once the disk is fine, without reopening.

The failures are SQLite's own on the real file: ``PRAGMA max_page_count`` for a full disk,
``PRAGMA query_only`` for a read-only one, a second connection's write lock for another program."""
from __future__ import annotations

import errno
import os
import sqlite3

import pytest

from boxoffice.store.disk import DiskTrouble, disk_trouble
from boxoffice.store.journal import (
    JournalUnavailable,
    JournalWriteFailed,
    SaleJournal,
    SaleState,
    journal_path,
)
from tests.support.disk import fill_journal, hold_write_lock, read_only, room_again


@pytest.fixture
def journal(tmp_path):
    j = SaleJournal.open(journal_path(tmp_path / "profile"))
    yield j
    j.close()


def _evening(j: SaleJournal) -> list:
    paid = j.start_sale("cart-paid", venue="demo")
    j.after(paid.sale_id, "add_seats", SaleState.LINES_ADDED, lines=[{"line_id": "a"}])
    j.after(paid.sale_id, "status", SaleState.PAID, payment_status="paid")
    open_sale = j.start_sale("cart-open", venue="demo")
    j.before(open_sale.sale_id, "add_seats", {"seats": ["1-1"]})
    return j.all()


def _record(j: SaleJournal) -> tuple:
    return [(s.sale_id, s.state, s.updated_at) for s in j.all()], [
        (st.phase, st.step) for s in j.all() for st in j.steps(s.sale_id)]


def test_a_full_disk_fails_the_step_loses_nothing_and_the_next_try_works(journal):
    _evening(journal)
    open_sale = journal.unfinished()[0]
    fill_journal(journal)
    before = _record(journal)
    with pytest.raises(JournalWriteFailed) as refused:
        journal.before(open_sale.sale_id, "create_order")
    assert refused.value.trouble == DiskTrouble.FULL
    with pytest.raises(JournalWriteFailed):
        journal.start_sale("cart-new", venue="demo")
    assert _record(journal) == before                   # nothing of the steps, nothing lost
    room_again(journal)                                 # space freed: no restart needed
    journal.before(open_sale.sale_id, "create_order")
    assert [st.step for st in journal.steps(open_sale.sale_id)][-1] == "create_order"
    assert journal.start_sale("cart-new", venue="demo").state == SaleState.CART_CREATED


def test_a_read_only_disk_fails_the_order_request_and_then_works_again(journal):
    _evening(journal)
    open_sale = journal.unfinished()[0]
    before = _record(journal)
    read_only(journal)                                  # the disk turned read-only
    with pytest.raises(JournalWriteFailed) as refused:
        journal.request_order(open_sale.sale_id, payment_method_id=1, payment_method_name="Cash",
                              surcharge=None, lines=[], total=0)
    assert refused.value.trouble == DiskTrouble.READ_ONLY
    assert _record(journal) == before
    assert not journal.has_order_request("cart-open")
    read_only(journal, on=False)
    journal.request_order(open_sale.sale_id, payment_method_id=1, payment_method_name="Cash",
                          surcharge=None, lines=[], total=0)
    assert journal.has_order_request("cart-open")


def test_a_journal_held_by_another_program_fails_the_step_and_is_never_set_aside(journal, monkeypatch):
    monkeypatch.setattr(SaleJournal, "busy_timeout", 0.05)
    _evening(journal)
    open_sale = journal.unfinished()[0]
    assert journal.path is not None
    with hold_write_lock(journal.path):                 # a backup tool, a second app
        with pytest.raises(JournalWriteFailed) as refused:
            journal.after(open_sale.sale_id, "add_seats", SaleState.LINES_ADDED)
        assert refused.value.trouble == DiskTrouble.LOCKED
        assert journal.unfinished()[0].state == SaleState.CART_CREATED   # reading goes on
    journal.after(open_sale.sale_id, "add_seats", SaleState.LINES_ADDED)
    assert journal.get(open_sale.sale_id).state == SaleState.LINES_ADDED
    assert SaleJournal.set_aside_files(journal.path) == []


@pytest.mark.parametrize(("code", "trouble"), [(errno.ENOSPC, DiskTrouble.FULL),
                                               (errno.EROFS, DiskTrouble.READ_ONLY),
                                               (errno.EACCES, DiskTrouble.READ_ONLY)])
def test_a_data_folder_that_cannot_be_written_is_refused_at_open_not_crashed(tmp_path, monkeypatch,
                                                                          code, trouble):
    # the tests run as root, who ignores folder permissions: the OS's answer is injected
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if str(path).endswith("sales.sqlite3") and flags & os.O_CREAT:
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    path = journal_path(tmp_path / "profile")
    with pytest.raises(JournalUnavailable) as refused:
        SaleJournal.open(path)
    assert refused.value.trouble == trouble
    assert not path.exists() and SaleJournal.set_aside_files(path) == []


def test_the_kinds_of_disk_trouble():
    def coded(name: str) -> sqlite3.OperationalError:
        exc = sqlite3.OperationalError(name)
        exc.sqlite_errorname = name   # type: ignore[attr-defined]
        return exc

    assert disk_trouble(coded("SQLITE_FULL")) == DiskTrouble.FULL
    assert disk_trouble(coded("SQLITE_READONLY_DBMOVED")) == DiskTrouble.READ_ONLY
    assert disk_trouble(coded("SQLITE_BUSY_SNAPSHOT")) == DiskTrouble.LOCKED
    assert disk_trouble(coded("SQLITE_CORRUPT_INDEX")) == DiskTrouble.DAMAGED
    assert disk_trouble(coded("SQLITE_IOERR_WRITE")) == DiskTrouble.OTHER
    assert disk_trouble(OSError(errno.ENOSPC, "full")) == DiskTrouble.FULL
    assert disk_trouble(PermissionError(errno.EACCES, "denied")) == DiskTrouble.READ_ONLY
    assert disk_trouble(OSError(errno.EIO, "io")) == DiskTrouble.OTHER
