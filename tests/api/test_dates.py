"""The one date module: each endpoint's format, sentinels, zone."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from boxoffice.api import dates
from boxoffice.domain.clock import VENUE_ZONE


def test_formats_and_sentinels():
    assert dates.parse_event_date("2026-04-01") == date(2026, 4, 1)
    assert dates.parse_event_time("20:30:00") == time(20, 30)
    assert dates.parse_event_end("00:00:00") is None
    assert dates.parse_event_view_end("0000-00-00 00:00:00") is None
    v = dates.parse_event_view_end("2026-01-10 23:00:00")
    assert v.utcoffset() == timedelta(hours=1) and v.tzinfo is VENUE_ZONE
    assert dates.parse_cart_date("01-04-2026") == date(2026, 4, 1)
    assert dates.parse_cart_time("20:30") == time(20, 30)
    assert dates.parse_cart_view_end("00-00-0000") is None
    iso = dates.parse_iso_datetime("2026-04-22T13:08:55+02:00")
    assert iso == datetime(2026, 4, 22, 11, 8, 55, tzinfo=timezone.utc)
    assert dates.parse_iso_datetime("2026-04-22T11:08:55Z") == iso
    assert dates.parse_iso_datetime("2026-04-22T13:08:55").tzinfo is VENUE_ZONE
    assert dates.parse_optional_iso_datetime(None) is None


@pytest.mark.parametrize("fn,value", [
    (dates.parse_event_date, "01-04-2026"), (dates.parse_event_date, "2026-02-30"),
    (dates.parse_cart_date, "2026-04-01"), (dates.parse_event_time, "25:00:00"),
    (dates.parse_cart_time, "x"), (dates.parse_iso_datetime, "yesterday"),
    (dates.parse_event_date, 20260401),
])
def test_wrong_format_is_refused_with_the_value(fn, value):
    with pytest.raises(ValueError) as info:
        fn(value)
    assert repr(value) in str(info.value)


def test_query_formats():
    assert dates.format_query_date(date(2026, 4, 1)) == "2026-04-01"
    assert dates.format_changed_since(datetime(2026, 4, 1, 10, 0, tzinfo=timezone.utc)) == \
        "2026-04-01T12:00:00+02:00"


@pytest.mark.asyncio
async def test_an_impossible_date_header_is_no_server_clock():
    """'Fri, 31 Dec 9999 23:59:59 GMT' parses, but the clock's arithmetic on it overflowed out of
    the request (found by tests/reliability/test_fuzz.py); such a header is ignored."""
    from boxoffice.api.base import BaseClient

    client = BaseClient("http://127.0.0.1:9/v1", "demo")
    try:
        client._note_server_date("Fri, 31 Dec 9999 23:59:59 GMT")
        assert client._server_anchor is None
        client._note_server_date("Sat, 05 Dec 2026 10:00:00 GMT")
        assert client.server_now() >= datetime(2026, 12, 5, 10, tzinfo=timezone.utc)
        client._note_server_date("Fri, 31 Dec 9999 23:59:59 GMT")
        assert client.server_now() < datetime(2026, 12, 5, 11, tzinfo=timezone.utc)
    finally:
        await client.aclose()
