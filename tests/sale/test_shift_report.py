"""The shift report: totals per payment method and performance, cash in the drawer, attempts."""
from __future__ import annotations

import asyncio
import csv
import io
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from boxoffice.i18n import set_language
from boxoffice.services.sale import Phase, SaleService
from boxoffice.services.shift_report import build_shift_report, to_csv, to_html, to_text

sys.path.insert(0, str(Path(__file__).parent))
from salekit import free_seats, method_id, perf_info  # noqa: E402


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
