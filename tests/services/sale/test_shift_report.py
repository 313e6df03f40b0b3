"""The shift report: totals per payment method and performance, cash in the drawer, attempts."""
from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from boxoffice.i18n import set_language
from boxoffice.services.sale import Phase
from boxoffice.services.shift_report import build_shift_report, to_csv, to_html, to_text
from tests.support.salekit import free_seats, method_id, perf_info


async def _sell(sim, sale, perf, n, method, outcome):
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    if sim.catalog.hall_of(perf).is_ga:
        tt = sim.catalog.production_of(perf).ticket_types[0]
        assert (await sale.add_general_admission(perf.event_id, n, tt.price_id)).ok
    else:
        plan = await sale.load_seat_plan(perf.event_id)
        assert (await sale.add_seats(perf.event_id, free_seats(plan, n))).ok
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, method))
    snap = await sale.pay()
    sim.settle(snap.order.order_key, outcome)
    snap = await asyncio.wait_for(sale.wait_for_payment(), 5)
    sale.new_sale()
    return snap


@pytest.mark.asyncio
async def test_shift_totals(sim, sale, journal):
    seated = sim.catalog.find("seated")
    ga = sim.catalog.find("ga")
    s1 = await _sell(sim, sale, seated, 2, "Cash", "paid")
    s2 = await _sell(sim, sale, ga, 3, "Credit card", "paid")
    s3 = await _sell(sim, sale, seated, 1, "Cash", "paid")
    s4 = await _sell(sim, sale, ga, 1, "iDEAL", "cancelled")
    await sale.prepare()  # an open cart that never became an order is not a sale
    assert [s.phase for s in (s1, s2, s3, s4)] == [Phase.PAID] * 3 + [Phase.NOT_PAID]

    report = build_shift_report(journal)  # today
    cash = s1.confirmation.amount_paid + s3.confirmation.amount_paid
    card = s2.confirmation.amount_paid
    assert s2.confirmation.surcharge == Decimal("1.50")
    assert report.cash_expected == cash
    assert report.amount == cash + card and report.surcharges == Decimal("1.50")
    assert report.tickets == 6 and len(report.paid) == 3
    by_method = {m.name: m for m in report.by_method}
    assert set(by_method) == {"Cash", "Credit card"}
    assert by_method["Cash"].sales == 2 and by_method["Cash"].amount == cash
    assert by_method["Credit card"].amount == card and by_method["Credit card"].total == card - Decimal("1.50")
    by_perf = {p.event_id: p for p in report.by_performance}
    assert by_perf[seated.event_id].tickets == 3
    assert by_perf[seated.event_id].amount == s1.confirmation.total + s3.confirmation.total
    assert by_perf[ga.event_id].tickets == 3 and by_perf[ga.event_id].amount == s2.confirmation.total
    assert [r.order_key for r in report.not_paid] == [s4.order.order_key]
    assert report.open == ()
    # explicit cash ids override the names
    assert build_shift_report(journal, cash_method_ids=[method_id(sim, "Credit card")]
                              ).cash_expected == card
    # another day has nothing
    far = datetime.now(timezone.utc) + timedelta(days=3)
    assert build_shift_report(journal, far, far + timedelta(days=1)).paid == ()

    rows = list(csv.reader(io.StringIO(to_csv(report))))
    assert rows[0][0] == "Time" and len(rows) == 5
    assert sorted(r[2] for r in rows[1:]) == ["cancelled", "paid", "paid", "paid"]
    assert sum(Decimal(r[7]) for r in rows[1:] if r[2] == "paid") == report.amount
    text = to_text(report)
    assert "Cash expected in the drawer" in text and "Credit card" in text
    page = to_html(report)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    set_language("nl")
    assert "Verwacht contant geld in de kassa" in to_text(report)


# --- shifts and business days -----------------------------------------------------------------
# A late shift (19:00–01:00) is one shift and lies in one business day (from 06:00 by default);
# only money actually taken counts as charged. The journal keeps the times (its clock is set).

def _record(journal, clock, at, state, amount, method_name, method_id_, key):
    from boxoffice.store.journal import SaleState

    clock[0] = at
    sale = journal.start_sale(f"cart-{key}")
    journal.request_order(sale.sale_id, payment_method_id=method_id_, payment_method_name=method_name,
                          surcharge=Decimal("0"), total=Decimal(amount),
                          lines=[{"event_id": 7, "performance": "Show", "price": amount,
                                  "status": "held"}])
    journal.after(sale.sale_id, "payment", SaleState(state), order_key=key)


@pytest.fixture
def evening(tmp_path):
    """A morning sale, a closed morning shift, then a late shift 19:10–00:40 with one failed order."""
    from boxoffice.domain.clock import VENUE_ZONE
    from boxoffice.services.shift_report import close_shift
    from boxoffice.store.journal import SaleJournal

    tz = VENUE_ZONE
    clock = [datetime(2026, 12, 4, 9, 0, tzinfo=tz)]
    journal = SaleJournal.open(tmp_path / "journal.sqlite", now=lambda: clock[0])
    _record(journal, clock, datetime(2026, 12, 4, 10, 0, tzinfo=tz), "paid", "20.00", "Cash", 1, "K-MORNING")
    close_shift(journal, now=datetime(2026, 12, 4, 17, 0, tzinfo=tz))
    _record(journal, clock, datetime(2026, 12, 4, 19, 10, tzinfo=tz), "paid", "30.00", "Cash", 1, "K-1910")
    _record(journal, clock, datetime(2026, 12, 4, 21, 0, tzinfo=tz), "failed", "45.00", "Credit card", 2, "K-FAIL")
    _record(journal, clock, datetime(2026, 12, 4, 22, 0, tzinfo=tz), "cancelled", "12.00", "iDEAL", 3, "K-CANC")
    _record(journal, clock, datetime(2026, 12, 4, 23, 30, tzinfo=tz), "paid", "25.00", "Credit card", 2, "K-2330")
    _record(journal, clock, datetime(2026, 12, 5, 0, 40, tzinfo=tz), "paid", "15.00", "Cash", 1, "K-0040")
    yield journal, tz
    journal.close()


def test_a_late_shift_is_one_shift_and_one_business_day(evening):
    from datetime import time

    from boxoffice.services.shift_report import business_day, business_day_range, close_shift, current_shift, last_shift

    journal, tz = evening
    now = datetime(2026, 12, 5, 1, 5, tzinfo=tz)
    # the business day runs 06:00 to 06:00: 00:40 still belongs to Friday 4 December
    assert business_day(now, time(6)).isoformat() == "2026-12-04"
    start, end = business_day_range(business_day(now, time(6)), time(6))
    day = build_shift_report(journal, start, end)
    assert {r.order_key for r in day.paid} == {"K-MORNING", "K-1910", "K-2330", "K-0040"}
    assert day.amount == Decimal("90.00") and day.cash_expected == Decimal("65.00")
    assert {r.order_key for r in day.not_paid} == {"K-FAIL", "K-CANC"}
    # the same day report by date, with the default day start (06:00)
    assert build_shift_report(journal, day=business_day(now, time(6))).amount == Decimal("90.00")
    # a day start at midnight splits the late shift (the old behaviour, now a choice)
    assert build_shift_report(journal, day=business_day(now, time(0)),
                              day_start=time(0)).amount == Decimal("15.00")

    # this shift: from its first sale (after the morning shift was closed) until now
    start, end = current_shift(journal, now=now, day_start=time(6))
    assert start == datetime(2026, 12, 4, 19, 10, tzinfo=tz) and end == now
    shift = build_shift_report(journal, start, end)
    assert {r.order_key for r in shift.paid} == {"K-1910", "K-2330", "K-0040"}
    assert shift.amount == Decimal("70.00") and shift.cash_expected == Decimal("45.00")

    # closing it: it is the last closed shift, and a new shift has no sales yet
    closed_at = datetime(2026, 12, 5, 1, 10, tzinfo=tz)
    assert close_shift(journal, now=closed_at) == (start, closed_at)
    assert last_shift(journal, day_start=time(6)) == (start, closed_at)
    start2, end2 = current_shift(journal, now=closed_at + timedelta(minutes=5), day_start=time(6))
    assert build_shift_report(journal, start2, end2).paid == ()


def test_only_money_taken_is_charged(evening):
    journal, tz = evening
    report = build_shift_report(journal, datetime(2026, 12, 4, 6, 0, tzinfo=tz),
                                datetime(2026, 12, 5, 6, 0, tzinfo=tz))
    rows = list(csv.reader(io.StringIO(to_csv(report))))
    head = rows[0]
    charged = head.index("Amount charged")
    by_key = {r[1]: r for r in rows[1:]}
    assert by_key["K-FAIL"][charged] == "0.00" and by_key["K-CANC"][charged] == "0.00"
    assert by_key["K-1910"][charged] == "30.00"
    assert sum(Decimal(r[charged]) for r in rows[1:]) == report.amount == Decimal("90.00")
    # the attempt's amount is still there, in its own column
    assert by_key["K-FAIL"][head.index("Order amount")] == "45.00"
    page = to_html(report)
    not_paid = page.split("Not paid", 1)[1]
    assert "Amount charged" not in not_paid and "45.00" in not_paid
    text = to_text(report)
    fail_line = next(ln for ln in text.splitlines() if "K-FAIL" in ln)
    assert "not charged" in fail_line
