"""What the cashier reads is venue time on THIS computer, whatever its zone. Run as part of the
suite in the machine's zone, and by tests/timezone/test_any_zone.py under New York and Tokyo time (it sets
BOXOFFICE_TEST_TZ beside TZ, and the first test checks that Python and Qt both follow it)."""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import time

import pytest

from boxoffice.domain.clock import VENUE_ZONE, AppClock, use_clock, venue_now

#: 21:15 in Amsterdam (20:15 UTC; 15:15 in New York, 05:15 the next day in Tokyo)
MOMENT = dt.datetime(2026, 12, 5, 20, 15, tzinfo=dt.timezone.utc)


class FixedWall(AppClock):
    def wall(self) -> dt.datetime:
        return MOMENT


@pytest.mark.skipif(not os.environ.get("BOXOFFICE_TEST_TZ"), reason="run by tests/timezone/test_any_zone.py")
def test_python_and_qt_are_in_the_zone_asked(qapp):
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QDateTime

    zone = ZoneInfo(os.environ["BOXOFFICE_TEST_TZ"])
    expected = int(dt.datetime.now(zone).utcoffset().total_seconds())
    assert time.localtime().tm_gmtoff == expected
    assert dt.datetime.now().astimezone().utcoffset().total_seconds() == expected
    assert QDateTime.currentDateTime().offsetFromUtc() == expected
    assert expected != venue_now().utcoffset().total_seconds()   # the test means something


def test_venue_now_is_amsterdam_whatever_the_zone():
    with use_clock(FixedWall()):
        now = venue_now()
    assert now.tzinfo is VENUE_ZONE and (now.hour, now.minute) == (21, 15)


def test_order_desk_says_tonight_in_venue_time():
    from boxoffice.ui.orders.results import when_words

    starts = dt.datetime(2026, 12, 5, 19, 30, tzinfo=dt.timezone.utc)   # 20:30 in Amsterdam
    assert when_words(starts, MOMENT) == "tonight 20:30"


def test_the_expired_hold_names_its_end_in_venue_time():
    from boxoffice.services.sale.hold import HoldClock
    from boxoffice.services.sale.model import Phase
    from boxoffice.services.sale.state import SaleContext
    from boxoffice.store.journal import SaleJournal

    ctx = SaleContext(client=None, journal=SaleJournal.in_memory(), notify=lambda: None,
                      snapshot=lambda: None)
    ctx.draft.phase = Phase.OPEN
    ctx.draft.hold_deadline = MOMENT        # 21:15 in Amsterdam
    ctx.draft.hold_estimated = False
    text = HoldClock(ctx, on_expired=lambda: asyncio.sleep(0)).cart_expired_message().text
    assert "until 21:15" in text, text


@pytest.mark.asyncio
async def test_the_seat_map_says_when_it_was_last_refreshed_in_venue_time(qtbot, sim):
    from boxoffice.ui.seating import SeatingPanel
    from tests.support.salekit import make_client

    perf = sim.catalog.find("studio")
    client = make_client(sim)
    try:
        plan = await client.peppered.seating(perf.event_id)
        fail = True

        async def fetch():
            if fail:
                raise OSError("the network is down")
            return plan

        panel = SeatingPanel(fetch_plan=fetch, refresh_interval_ms=60_000)
        qtbot.addWidget(panel)
        with use_clock(FixedWall()):
            panel.set_plan(plan)
        await panel.refresh()
        assert panel.message_text == ("Could not refresh seat availability; showing the state "
                                      "of 21:15.")
    finally:
        await client.aclose()


def test_cart_headings_and_recovered_sales_read_in_venue_time():
    """The cart's performance heading (format_datetime) and a recovered sale's time
    (format_time) of an aware moment are Amsterdam's."""
    from boxoffice.i18n import format_datetime, format_time

    assert format_datetime(MOMENT, "short") == "5 Dec 2026, 21:15"
    assert format_time(MOMENT) == "21:15"
