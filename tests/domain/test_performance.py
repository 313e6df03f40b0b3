"""Can this performance be sold now? And how a ticket type's discount reads."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from boxoffice.api.models import MainEvent, SubEvent, TicketType
from boxoffice.domain.performance import PerformanceStatus, performance_rows, performance_status
from boxoffice.domain.ticket_types import describe_discount, ticket_type_label
from boxoffice.i18n import set_language

AMS = ZoneInfo("Europe/Amsterdam")
BEFORE = datetime(2026, 4, 1, 12, 0, tzinfo=AMS)  # the day of the 20:30 performance


def perf(event_id=95, date="2026-04-01", time="20:30:00", free=10, status="pub", end="22:30:00",
         view_end="0000-00-00 00:00:00") -> SubEvent:
    return SubEvent.model_validate({
        "event_id": event_id, "event_main_id": 94, "event_name": "Demo", "event_date": date,
        "event_time": time, "event_end": end, "event_view_end": view_end, "event_rep": "sub",
        "event_free": free, "event_status": status, "location_id": 1,
        "location_name": "Grote Zaal",
    })


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def test_on_sale():
    assert performance_status(perf(), BEFORE) is PerformanceStatus.ON_SALE
    assert PerformanceStatus.ON_SALE.sellable


def test_event_free_is_only_compared_with_zero():
    # event_free is the per-order maximum, not seats left: 1 is still "on sale"
    assert performance_status(perf(free=1), BEFORE) is PerformanceStatus.ON_SALE
    assert performance_status(perf(free=0), BEFORE) is PerformanceStatus.SOLD_OUT
    assert not PerformanceStatus.SOLD_OUT.sellable


@pytest.mark.parametrize("status", ["nosal", "unpub", "arch", "trash"])
def test_not_on_sale(status):
    assert performance_status(perf(status=status), BEFORE) is PerformanceStatus.NOT_ON_SALE
    # the API reports event_free 0 for those too: "not on sale" wins over "sold out"
    assert performance_status(perf(status=status, free=0), BEFORE) is PerformanceStatus.NOT_ON_SALE


def test_past_once_started():
    start = datetime(2026, 4, 1, 20, 30, tzinfo=AMS)
    p = perf()
    assert performance_status(p, start - timedelta(seconds=1)) is PerformanceStatus.ON_SALE
    assert performance_status(p, start) is PerformanceStatus.PAST
    assert performance_status(p, start + timedelta(days=3)) is PerformanceStatus.PAST
    # "past" wins over everything else
    assert performance_status(perf(status="nosal", free=0), start) is PerformanceStatus.PAST


def test_start_is_amsterdam_time_whatever_the_zone_of_now():
    in_utc = datetime(2026, 4, 1, 18, 29, tzinfo=timezone.utc)  # 20:29 in Amsterdam (CEST)
    assert performance_status(perf(), in_utc) is PerformanceStatus.ON_SALE
    assert performance_status(perf(), in_utc + timedelta(minutes=1)) is PerformanceStatus.PAST


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        performance_status(perf(), datetime(2026, 4, 1, 12, 0))


def test_labels_are_translated():
    assert PerformanceStatus.SOLD_OUT.label() == "Sold out"
    set_language("nl")
    assert PerformanceStatus.SOLD_OUT.label() == "Uitverkocht"
    assert PerformanceStatus.NOT_ON_SALE.label() == "Niet te koop"


def test_rows_sorted_soonest_first_without_past():
    show_a = MainEvent(event_id=1, event_name="Zebra", sub_events=[
        perf(10, "2026-04-03"), perf(11, "2026-03-01")])
    show_b = MainEvent(event_id=2, event_name="Aap", sub_events=[perf(20, "2026-04-02", free=0)])
    empty = MainEvent(event_id=3, event_name="Nog niets", sub_events=[])
    rows = performance_rows([show_a, show_b, empty], BEFORE)
    assert [r.event_id for r in rows] == [20, 10]
    assert rows[0].status is PerformanceStatus.SOLD_OUT and rows[0].show.event_name == "Aap"
    all_rows = performance_rows([show_a, show_b], BEFORE, include_past=True)
    assert [r.event_id for r in all_rows] == [11, 20, 10]
    assert all_rows[0].status is PerformanceStatus.PAST


def tt(name, kind, value, price="24.50", paid="24.50") -> TicketType:
    return TicketType.model_validate({
        "discount_id": "x" * 10, "discount_name": name, "base_price": price,
        "discount_type": kind, "discount_value": value, "discounted_price": paid,
    })


def test_discount_descriptions_english():
    assert ticket_type_label(tt("CJP", "\u20ac", "1.00", paid="23.50")) == "CJP €1.00 off"
    assert ticket_type_label(tt("stadspas", "%", "25.00", paid="18.38")) == "Stadspas 25% off"
    assert ticket_type_label(tt("Uitflits", "=", "2.00", paid="2.00")) == "Uitflits fixed price €2.00"
    assert ticket_type_label(tt("Standaard", "\u20ac", "0.00")) == "Standaard"
    assert describe_discount(tt("Standaard", "\u20ac", "0.00")) == ""


def test_discount_descriptions_dutch():
    set_language("nl")
    nbsp = lambda s: s.replace("\xa0", " ")  # noqa: E731
    assert nbsp(ticket_type_label(tt("CJP", "\u20ac", "1.00"))) == "CJP € 1,00 korting"
    assert ticket_type_label(tt("stadspas", "%", "25.00")) == "Stadspas 25% korting"
    assert ticket_type_label(tt("Senior", "%", "12.5")) == "Senior 12,5% korting"
    assert nbsp(ticket_type_label(tt("Uitflits", "=", "2.00"))) == "Uitflits vaste prijs € 2,00"
    assert describe_discount(tt("x", "%", Decimal("0"))) == ""
