"""Local times on the nights the clocks change, as the client reads them (boxoffice/api/dates.py):
02:30 on 2027-03-28 never comes (at 02:00 the clocks go to 03:00); 02:30 on 2026-10-25 comes twice.
Each is read one way, whatever the computer's zone, in one form per instant, so that showing,
comparing and sorting agree."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from boxoffice.api import dates
from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.i18n.formatting import format_time

GAP, TWICE = date(2027, 3, 28), date(2026, 10, 25)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def instant(moment: datetime) -> datetime:
    """In UTC: Python never finds a time of the hour that comes twice equal to one of another
    zone (PEP 495), and subtracts two times of one zone by their wall clocks."""
    return moment.astimezone(timezone.utc)


def test_a_time_that_never_comes_moves_forward_by_the_hour_skipped():
    start = dates.local(GAP, time(2, 30))
    assert instant(start) == utc(2027, 3, 28, 1, 30)
    assert start.utcoffset() == timedelta(hours=2)
    assert (start.hour, start.minute) == (3, 30) and format_time(start) == "03:30"
    assert format_time(start.time()) == "03:30"       # the wall time it carries agrees
    # the same instant as the server's peppered start, in either form it may write
    for peppered in ("2027-03-28T03:30:00+02:00", "2027-03-28T02:30:00+01:00"):
        assert instant(dates.parse_iso_datetime(peppered)) == instant(start)
    # and as a datetime without offset (the offline cache before offsets, changedSince)
    assert instant(dates.parse_iso_datetime("2027-03-28T02:30:00")) == instant(start)
    assert instant(dates.parse_event_view_end("2027-03-28 02:30:00")) == instant(start)


def test_a_time_that_comes_twice_is_the_first_in_summer_time():
    start = dates.local(TWICE, time(2, 30))
    assert instant(start) == utc(2026, 10, 25, 0, 30)
    assert start.utcoffset() == timedelta(hours=2) and start.fold == 0
    assert format_time(start) == "02:30"
    assert instant(dates.parse_iso_datetime("2026-10-25T02:30:00")) == instant(start)
    # a peppered time says which: the second 02:30 keeps its instant and shows as 02:30 too
    second = dates.parse_iso_datetime("2026-10-25T02:30:00+01:00")
    assert instant(second) == utc(2026, 10, 25, 1, 30) and format_time(second) == "02:30"
    assert instant(second) - instant(start) == timedelta(hours=1)


def test_public_times_on_the_change_nights_sort_by_their_instant():
    # 03:00 really comes before the 02:30 that never comes (which is 03:30)
    gap, three = dates.local(GAP, time(2, 30)), dates.local(GAP, time(3, 0))
    assert three < gap and sorted([gap, three]) == [three, gap]
    assert sorted([gap, three], key=lambda d: d.astimezone(timezone.utc)) == [three, gap]
    # around the hour that comes twice: 01:59 summer time < 02:30 (first) < 03:00 winter time
    before = dates.local(TWICE, time(1, 59))
    twice = dates.local(TWICE, time(2, 30))
    after = dates.local(TWICE, time(3, 0))
    assert before < twice < after
    assert instant(after) - instant(twice) == timedelta(hours=1, minutes=30)
    # mixed with peppered (fixed offset) forms, the order is the instant's
    second = dates.parse_iso_datetime("2026-10-25T02:30:00+01:00")
    assert sorted([after, second, twice]) == [twice, second, after]


def test_every_reading_is_normalised_one_form_per_instant():
    for d, t in ((GAP, time(2, 30)), (GAP, time(2, 0)), (TWICE, time(2, 30)), (TWICE, time(2, 0)),
                 (date(2026, 12, 5), time(20, 15))):
        start = dates.local(d, t)
        assert start.tzinfo is VENUE_ZONE
        again = start.astimezone(timezone.utc).astimezone(VENUE_ZONE)
        assert (start.replace(tzinfo=None), start.fold) == (again.replace(tzinfo=None), again.fold)
