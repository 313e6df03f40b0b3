"""The order desk's words and lists: status words, channel, door list order, day report sums."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.domain.orders import (
    DeskEvent,
    DeskOrder,
    DeskSeat,
    build_day_report,
    build_door_list,
    channel_words,
    fold,
    status_words,
)
from boxoffice.i18n import set_language

EVENT = DeskEvent(95, "Hamlet", datetime(2026, 12, 4, 20, 0, tzinfo=VENUE_ZONE))
NOW = datetime(2026, 12, 4, 18, 0, tzinfo=VENUE_ZONE)


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def seat(row: str, number: str, event_id: int | str = 95, price: str = "24.50") -> DeskSeat:
    return DeskSeat(event_id, f"{row}-{number}", "Zaal", row, number, "Standard", Decimal(price))


def order(n: int = 1, *, status: str = "ord", payment: str = "paid", channel: str = "www",
          first: str = "Anna", infix: str = "de", last: str = "Vries", seats=None,
          created: datetime | None = None, until: datetime | None = None,
          amount: str = "49.00", label: str = "iDEAL") -> DeskOrder:
    return DeskOrder(
        order_id=n, order_key=f"AAAAA-BBBBB-CCCCC-{n:05d}", status=status,
        payment_status=payment, amount=Decimal(amount), fee=Decimal("0.00"),
        donation=Decimal("0.00"), payment_label=label, channel=channel,
        created_at=created or datetime(2026, 12, 4, 12, 0, tzinfo=VENUE_ZONE), changed_at=None,
        reserved_until=until, customer_id=n, first_name=first, infix=infix, last_name=last,
        email=f"{first.lower()}@example.org",
        seats=tuple(seats if seats is not None else (seat("5", "12"), seat("5", "13"))),
        events=(EVENT,))


def test_the_name_reads_first_infix_last():
    assert order().name == "Anna de Vries"
    assert order(infix="").name == "Anna Vries"


@pytest.mark.parametrize("status,payment,until,words", [
    ("ord", "paid", None, "paid"),
    ("res", "none", datetime(2026, 12, 4, 19, 45, tzinfo=VENUE_ZONE),
     "reservation, unpaid until 19:45"),
    ("cancel", "cancelled", None, "cancelled"),
    ("reemit", "paid", None, "re-issued"),
    ("reissue", "paid", None, "re-issued"),
    ("trash", "none", None, "deleted"),
    ("pros", "none", None, "offer, not confirmed"),
    ("ord", "none", None, "not paid yet"),
    ("weird", "paid", None, "weird"),
])
def test_status_words(status, payment, until, words):
    assert status_words(order(status=status, payment=payment, until=until), NOW) == words


def test_a_reservation_deadline_is_told_in_venue_time():
    # 18:45 UTC is 19:45 in Amsterdam in December
    from datetime import timezone
    until = datetime(2026, 12, 4, 18, 45, tzinfo=timezone.utc)
    assert status_words(order(status="res", payment="none", until=until), NOW) == \
        "reservation, unpaid until 19:45"


def test_status_words_in_dutch():
    set_language("nl")
    assert status_words(order(), NOW) == "betaald"
    assert status_words(order(status="cancel", payment="cancelled"), NOW) == "geannuleerd"
    assert channel_words(order(channel="kassa")) == "kassa"


def test_channel_www_is_online_and_anything_else_a_counter():
    assert channel_words(order(channel="www")) == "online"
    assert channel_words(order(channel="")) == "online"
    assert order(channel="kassa").is_counter
    assert channel_words(order(channel="kassa")) == "counter"


def test_void_orders():
    assert order(status="cancel").is_void and order(status="trash").is_void
    assert not order(status="res").is_void


def test_folding_ignores_case_and_accents():
    assert fold("Zoë Çelik") == "zoe celik"
    assert fold("Åström") == "astrom"


def test_the_door_list_is_alphabetical_by_last_name_then_first_and_leaves_void_orders_out():
    orders = [
        order(1, first="Zoë", infix="", last="Jansen"),
        order(2, first="Anna", infix="de", last="Vries"),
        order(3, first="Emre", infix="", last="Çelik"),
        order(4, first="Bram", infix="", last="Jansen"),
        order(5, first="Cas", infix="", last="Aal", status="cancel", payment="cancelled"),
        order(6, first="Dirk", infix="", last="Berg", seats=[seat("1", "1", event_id=96)]),
    ]
    door = build_door_list(EVENT, orders, NOW, NOW)
    assert [e.name for e in door.entries] == ["Emre Çelik", "Bram Jansen", "Zoë Jansen",
                                              "Anna de Vries"]
    assert [e.tickets for e in door.entries] == [2, 2, 2, 2]
    assert door.tickets == 8
    assert door.as_of == NOW


def test_the_day_report_sums_paid_sales_of_that_day_per_channel_and_method():
    day = date(2026, 12, 4)
    before_midnight = datetime(2026, 12, 4, 23, 59, tzinfo=VENUE_ZONE)
    next_day = datetime(2026, 12, 5, 0, 1, tzinfo=VENUE_ZONE)
    orders = [
        order(1, channel="www", amount="49.00", label="iDEAL"),
        order(2, channel="kassa", amount="20.00", label="Cash", seats=[seat("1", "1")]),
        order(3, channel="kassa", amount="10.50", label="PIN", seats=[seat("1", "2")],
              created=before_midnight),
        order(4, channel="www", amount="99.00", created=next_day),
        order(5, channel="www", amount="30.00", status="cancel", payment="cancelled"),
        order(6, channel="www", amount="30.00", status="res", payment="none"),
    ]
    report = build_day_report(day, orders, NOW)
    online, counter = report.by_channel
    assert (online.label, online.orders, online.tickets, online.amount) == \
        ("Online", 1, 2, Decimal("49.00"))
    assert (counter.label, counter.orders, counter.tickets, counter.amount) == \
        ("Counter", 2, 2, Decimal("30.50"))
    assert {line.label: line.amount for line in report.by_method} == {
        "Cash": Decimal("20.00"), "iDEAL": Decimal("49.00"), "PIN": Decimal("10.50")}
    assert report.total.amount == Decimal("79.50") and report.total.orders == 3
