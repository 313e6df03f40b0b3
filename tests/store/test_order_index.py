"""The order index file: private, upserts by orderId, damaged files refused, words found."""
from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.domain.orders import DeskEvent, DeskOrder, DeskSeat
from boxoffice.store.order_index import CustomerRecord, IndexCorrupt, OrderIndex

NOW = datetime(2026, 12, 4, 18, 0, tzinfo=VENUE_ZONE)


def make(n: int, *, first="Anna", infix="de", last="Vries", status="ord", event_id=95,
         amount="49.00", customer_id: int | None = None, row="5", seat_no="12") -> DeskOrder:
    return DeskOrder(
        order_id=n, order_key=f"XgFca-QmBxG-9WhAj-{n:05d}", status=status, payment_status="paid",
        amount=Decimal(amount), fee=Decimal("0.50"), donation=Decimal("0.00"),
        payment_label="iDEAL", channel="www", created_at=NOW - timedelta(days=1),
        changed_at=NOW, reserved_until=None, customer_id=customer_id, first_name=first,
        infix=infix, last_name=last, email=f"{first.lower()}@example.org",
        seats=(DeskSeat(event_id, f"s{n}", "", row, seat_no, "Standard", Decimal("24.50")),),
        extra={"somethingNew": [1, "x"]})


@pytest.fixture
def index(tmp_path):
    idx = OrderIndex.open(tmp_path / "p" / "orders.sqlite3")
    idx.upsert_events([DeskEvent(95, "Hamlet", NOW + timedelta(hours=2))], NOW)
    yield idx
    idx.close()


def search(idx: OrderIndex, fts: str) -> list[DeskOrder]:
    return idx.search(fts=fts, key_prefix=None, exact_ids=[], exact_key=None, now=NOW, limit=50)


def test_the_index_file_and_its_wal_are_private(index):
    index.upsert_orders([make(1)], NOW)
    for suffix in ("", "-wal"):
        path = index.path.with_name(index.path.name + suffix)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, suffix


def test_an_order_read_twice_is_stored_once_with_its_latest_state(index):
    assert index.upsert_orders([make(1), make(2)], NOW) == (2, 0)
    assert index.upsert_orders([make(1, status="cancel")], NOW) == (0, 1)
    assert index.count() == 2
    got = index.order(1)
    assert got is not None and got.status == "cancel"
    assert len(search(index, '"vries"*')) == 2   # the search words too: no double


def test_money_and_unknown_fields_come_back_exactly(index):
    index.upsert_orders([make(7, amount="49.005")], NOW)
    got = index.order(7)
    assert got.amount == Decimal("49.005") and str(got.fee) == "0.50"
    assert got.extra == {"somethingNew": [1, "x"]}
    assert got.events == (DeskEvent(95, "Hamlet", NOW + timedelta(hours=2)),)


def test_names_from_the_customer_export_are_searchable(index):
    index.upsert_orders([make(3, first="", infix="", last="", customer_id=42)], NOW)
    assert search(index, '"celik"*') == []
    assert index.customers_without_name(10) == ["42"]
    index.upsert_customers([CustomerRecord("42", "Emre", "", "Çelik", "emre@example.org")], NOW)
    found = search(index, '"celik"*')
    assert [o.name for o in found] == ["Emre Çelik"]
    assert index.customers_without_name(10) == []


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "orders.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(IndexCorrupt):
        OrderIndex.open(path)
    aside = OrderIndex.set_aside(path)
    assert aside is not None and aside.exists() and not path.exists()
    OrderIndex.open(path).close()
