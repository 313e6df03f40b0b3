"""Every stored datetime survives the nights the clocks change (Hypothesis round-trips).

Moments are drawn around 2026-10-25 00:00-04:00 UTC (02:00-03:00 local comes twice) and
2027-03-28 00:00-03:00 UTC (02:00-03:00 local never comes), in the forms the app holds them: UTC,
Amsterdam (with the fold of its instant), a fixed offset (as the peppered API writes) and an
Amsterdam wall time with either fold. Each goes through a store and must come back as the same
instant AND with the same venue offset, so the cashier reads the same time and zone: the offline
cache (its payloads through store/codec.py and its fetch stamps), the sale journal (its stamps,
time columns, the sale's lines and the shift-close mark) and the order index.
"""
from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from boxoffice.api.models import peppered as p
from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.domain.orders import DeskEvent, DeskOrder
from boxoffice.i18n.formatting import format_datetime
from boxoffice.services.sale.model import LineStatus, SaleLine, line_from_dict, line_to_dict
from boxoffice.services.shift_report import SHIFT_CLOSED_PREF, _pref_time
from boxoffice.store.cache import OfflineCache
from boxoffice.store.codec import dumps_models, loads_models
from boxoffice.store.journal import SaleJournal
from boxoffice.store.order_index import OrderIndex

WINDOWS = ((datetime(2026, 10, 25, 0, 0), datetime(2026, 10, 25, 4, 0)),
           (datetime(2027, 3, 28, 0, 0), datetime(2027, 3, 28, 3, 0)))
FORMS = ("utc", "venue", "offset", "wall")
RUNS = settings(max_examples=150, deadline=None)

instants = st.one_of(*(st.datetimes(min_value=a, max_value=b, timezones=st.just(timezone.utc))
                       for a, b in WINDOWS))


@st.composite
def moments(draw) -> datetime:
    instant = draw(instants)
    venue = instant.astimezone(VENUE_ZONE)
    form = draw(st.sampled_from(FORMS))
    if form == "utc":
        return instant
    if form == "venue":
        return venue
    if form == "offset":
        return venue.astimezone(timezone(venue.utcoffset()))
    # a venue wall time with a fold drawn: for 02:xx on 2026-10-25 the fold picks the instant
    return venue.replace(fold=draw(st.integers(0, 1)))


def same_for_the_cashier(loaded: datetime | None, original: datetime) -> None:
    assert loaded is not None and loaded.tzinfo is not None, loaded
    # compared in UTC: Python never finds a time of the hour that comes twice equal to one of
    # another zone (PEP 495)
    assert loaded.astimezone(timezone.utc) == original.astimezone(timezone.utc), (loaded, original)
    shown, expected = loaded.astimezone(VENUE_ZONE), original.astimezone(VENUE_ZONE)
    assert shown.utcoffset() == expected.utcoffset(), (loaded, original)
    assert format_datetime(shown) == format_datetime(expected)


def test_the_strategy_reaches_both_nights_and_both_folds():
    seen: set[tuple[int, timedelta]] = set()

    @given(moments())
    @settings(max_examples=300, deadline=None)
    def collect(moment: datetime) -> None:
        venue = moment.astimezone(VENUE_ZONE)
        if venue.hour == 2 or venue.hour == 3:
            seen.add((venue.month, venue.utcoffset()))

    collect()
    assert {(10, timedelta(hours=2)), (10, timedelta(hours=1)), (3, timedelta(hours=2))} <= seen


@given(moments(), moments())
@RUNS
def test_cache_payloads_keep_instant_and_offset(start: datetime, time_out: datetime):
    perf = p.Performance.model_validate({"eventId": 7, "start": start, "end": time_out})
    cart = p.CartSummary.model_validate({"cartId": "c" * 32, "timeOut": time_out,
                                         "numberOfItems": 1, "amount": 15})
    [back] = loads_models(p.Performance, dumps_models([perf]))
    [cart_back] = loads_models(p.CartSummary, dumps_models([cart]))
    same_for_the_cashier(back.start, start)
    same_for_the_cashier(back.end, time_out)
    same_for_the_cashier(cart_back.time_out, time_out)


def test_cache_fetch_stamps_keep_instant_and_offset():
    cache = OfflineCache.in_memory()

    @given(moments())
    @RUNS
    def check(fetched_at: datetime) -> None:
        cache.save_events([], fetched_at=fetched_at)
        same_for_the_cashier(cache.load_events().fetched_at, fetched_at)
        cache.save_halls([], fetched_at=fetched_at)
        same_for_the_cashier(cache.load_halls().fetched_at, fetched_at)

    try:
        check()
    finally:
        cache.close()


def test_journal_times_keep_instant_and_offset():
    clock: list[datetime] = []
    journal = SaleJournal.in_memory(now=lambda: clock[-1])
    ids = itertools.count()

    @given(moments(), moments(), moments())
    @RUNS
    def check(now: datetime, created: datetime, starts: datetime) -> None:
        clock.append(now)
        sale = journal.start_sale(f"cart{next(ids):028d}", cart_created_at=created)
        line = SaleLine("seat1", 7, "Klokkennacht", starts, "Zaal", 1, 2, False, "std",
                        "Standaard", 21, Decimal("15.00"), LineStatus.HELD)
        journal.after(sale.sale_id, "add", lines=[line_to_dict(line)],
                      order_requested_at=created)
        back = journal.get(sale.sale_id)
        same_for_the_cashier(back.created_at, now)
        same_for_the_cashier(back.updated_at, now)
        same_for_the_cashier(back.cart_created_at, created)
        same_for_the_cashier(back.order_requested_at, created)
        [stored] = back.lines
        same_for_the_cashier(line_from_dict(json.loads(json.dumps(stored))).starts_at, starts)
        # the shift-close mark (shift report) is a journal preference
        journal.set_pref(SHIFT_CLOSED_PREF, now.isoformat())
        same_for_the_cashier(_pref_time(journal, SHIFT_CLOSED_PREF), now)

    try:
        check()
    finally:
        journal.close()


def test_order_index_times_keep_instant_and_offset(tmp_path):
    index = OrderIndex.open(tmp_path / "orders.sqlite")
    ids = itertools.count(1)

    @given(moments(), moments(), moments(), moments())
    @RUNS
    def check(created: datetime, changed: datetime, until: datetime, starts: datetime) -> None:
        n = next(ids)
        order = DeskOrder(n, f"KEY{n:06d}", "complete", "paid", Decimal("15.00"), Decimal("0"),
                          Decimal("0"), "Pin", "box office", created, changed, until, None,
                          "Anna", "de", "Vries", "anna@example.org")
        index.upsert_orders([order], changed)
        index.upsert_events([DeskEvent(7000 + n, "Klokkennacht", starts)], changed)
        back = index.by_key(order.order_key)
        assert back is not None
        same_for_the_cashier(back.created_at, created)
        same_for_the_cashier(back.changed_at, changed)
        same_for_the_cashier(back.reserved_until, until)
        same_for_the_cashier(index.events()[str(7000 + n)].starts_at, starts)

    try:
        check()
    finally:
        index.close()
