"""The sale journal: atomic steps, survives a crash mid-write, private file, one order per cart."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest

from boxoffice.store.journal import (
    JournalError,
    OrderAlreadyRequested,
    SaleJournal,
    SaleState,
    journal_path,
)

LINES = [{"line_id": "abc", "event_id": 1, "price": "10.00", "status": "held"}]


def _requested(j: SaleJournal, cart: str = "CART1"):
    sale = j.start_sale(cart)
    j.after(sale.sale_id, "add", SaleState.LINES_ADDED, lines=LINES, total=Decimal("10.00"))
    return j.request_order(sale.sale_id, payment_method_id=31, payment_method_name="Cash",
                           surcharge=Decimal("0.00"), lines=LINES, total=Decimal("10.00"))


def test_file_and_folder_are_private(data_dir):
    path = journal_path(data_dir)
    j = SaleJournal.open(path)
    _requested(j)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    for suffix in ("-wal", "-shm"):
        extra = str(path) + suffix
        if os.path.exists(extra):
            assert stat.S_IMODE(os.stat(extra).st_mode) & 0o077 == 0
    mode = j._db.execute("PRAGMA journal_mode").fetchone()[0]
    sync = j._db.execute("PRAGMA synchronous").fetchone()[0]
    assert mode == "wal" and sync == 2  # FULL
    j.close()


def test_failure_inside_a_step_leaves_the_previous_state(journal, monkeypatch):
    sale = journal.start_sale("CART1")
    journal.after(sale.sale_id, "add", SaleState.LINES_ADDED, lines=LINES, total=Decimal("10.00"))
    before = journal.get(sale.sale_id)
    steps_before = journal.steps(sale.sale_id)

    def broken(*args, **kwargs):
        raise RuntimeError("disk pulled out")

    # the step row is written after the sales row, inside the same transaction
    monkeypatch.setattr(journal, "_step_row", broken)
    with pytest.raises(RuntimeError):
        journal.after(sale.sale_id, "status", SaleState.PAID, order_key="K-1")
    with pytest.raises(RuntimeError):
        journal.request_order(sale.sale_id, payment_method_id=31, payment_method_name="Cash",
                              surcharge=None, lines=LINES, total=Decimal("10.00"))
    monkeypatch.undo()
    after = journal.get(sale.sale_id)
    assert after == before
    assert after.state == SaleState.LINES_ADDED and after.order_key is None
    assert journal.steps(sale.sale_id) == steps_before
    assert not journal.has_order_request("CART1")  # the refused request left nothing behind


def test_a_process_killed_mid_transaction_leaves_the_previous_state(data_dir):
    path = journal_path(data_dir)
    j = SaleJournal.open(path)
    sale = j.start_sale("CART9")
    j.after(sale.sale_id, "add", SaleState.LINES_ADDED, lines=LINES, total=Decimal("10.00"))
    j.close()
    code = textwrap.dedent(f"""
        import os
        from boxoffice.store.journal import SaleJournal
        j = SaleJournal.open({str(path)!r})
        db = j._db
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE sales SET state = 'paid', order_key = 'HALF' WHERE sale_id = ?",
                   ({sale.sale_id!r},))
        os._exit(9)   # power cut: no commit, no rollback, no close
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    j2 = SaleJournal.open(path)
    again = j2.get(sale.sale_id)
    assert again.state == SaleState.LINES_ADDED and again.order_key is None
    assert [s.sale_id for s in j2.unfinished()] == [sale.sale_id]
    j2.close()


def test_one_cart_never_gets_a_second_order_request(journal):
    first = _requested(journal)
    assert first.state == SaleState.ORDER_REQUESTED
    assert journal.has_order_request("CART1")
    with pytest.raises(OrderAlreadyRequested):
        journal.request_order(first.sale_id, payment_method_id=32, payment_method_name="PIN",
                              surcharge=None, lines=LINES, total=Decimal("10.00"))
    other = journal.start_sale("CART1")  # even through another sale record of the same cart
    with pytest.raises(OrderAlreadyRequested):
        journal.request_order(other.sale_id, payment_method_id=32, payment_method_name="PIN",
                              surcharge=None, lines=LINES, total=Decimal("10.00"))
    journal.after(first.sale_id, "create_order", SaleState.ORDER_CREATED, order_key="K")
    with pytest.raises(JournalError):
        journal.order_refused(first.sale_id, "x")  # an order exists: cannot be withdrawn


def test_a_refused_order_can_be_requested_again(journal):
    sale = _requested(journal)
    back = journal.order_refused(sale.sale_id, "ValidationError")
    assert back.state == SaleState.LINES_ADDED and back.order_requested_at is None
    again = journal.request_order(sale.sale_id, payment_method_id=32, payment_method_name="PIN",
                                  surcharge=None, lines=LINES, total=Decimal("10.00"))
    assert again.state == SaleState.ORDER_REQUESTED


def test_before_and_after_entries_are_kept(journal):
    sale = journal.start_sale("C")
    journal.before(sale.sale_id, "add_seats", {"seats": ["a"]})
    journal.after(sale.sale_id, "add_seats", SaleState.LINES_ADDED, lines=LINES,
                  total=Decimal("10.00"))
    steps = journal.steps(sale.sale_id)
    assert [(s.phase, s.step) for s in steps] == [
        ("after", "create_cart"), ("before", "add_seats"), ("after", "add_seats")]


def test_prefs_persist(data_dir):
    j = SaleJournal.open(journal_path(data_dir))
    j.set_pref("last_payment_method_id", "33")
    j.close()
    j = SaleJournal.open(journal_path(data_dir))
    assert j.get_pref("last_payment_method_id") == "33"
    j.close()


def test_damaged_journal_is_set_aside(data_dir):
    path = journal_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not sqlite" * 100)
    j = SaleJournal.open(path)
    assert j.recovered_notice
    assert j.unfinished() == []
    assert any(p.name.startswith("sales.sqlite3.corrupt-") for p in path.parent.iterdir())
    j.close()
