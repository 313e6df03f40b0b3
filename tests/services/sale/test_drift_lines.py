"""Issue 15, item 8: a public cart line with a lettered row ("A") or a labelled seat ("5a") is a
sale line like any other: added, shown, journalled and read back, never an int() crash.

Driven through the real client against the simulator with its drift knob
(``faults.set(drift=[...])``), which serves the rows and seats as labels."""
from __future__ import annotations

import pytest

from boxoffice.services.sale import line_from_dict, line_to_dict, snapshot_cart
from tests.support.salekit import free_seats, perf_info


@pytest.mark.asyncio
@pytest.mark.parametrize("drift", [["lettered_rows", "labelled_seats"],
                                   ["numeric_cart_rows"],
                                   ["lettered_rows", "int_seat_ids", "string_ids"]])
async def test_public_lines_with_labels_are_sold_not_crashed(sim, sale, drift):
    sim.faults.set(drift=drift)
    perf = sim.catalog.find("seated")
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    tt = sim.catalog.production_of(perf).ticket_types[0]
    result = await sale.add_general_admission(perf.event_id, 2, tt.price_id)
    assert result.ok, sale.snapshot().message
    lines = sale.snapshot().lines
    assert len(lines) == 2
    with sim.state.lock:
        cart = sim.state.cart(sale.snapshot().cart_id)
        expected = {sim.state.seat_position(sim.catalog.performances[ln.event_id], ln.seat_index)
                    for ln in cart.lines}
    shown = {(str(ln.row), str(ln.seat)) for ln in lines}
    if "lettered_rows" in drift:
        letters = {(chr(ord("A") + r - 1), f"{s}a" if "labelled_seats" in drift else str(s))
                   for r, s in expected}
        assert shown == letters
        assert all(not str(ln.row).isdigit() for ln in lines)
    else:
        assert shown == {(str(r), str(s)) for r, s in expected}
    for ln in lines:
        assert f"seat {ln.seat}" in ln.place and f"Row {ln.row}" in ln.place
        assert line_from_dict(line_to_dict(ln)) == ln          # the journal round trip
    cart = snapshot_cart(lines)                                  # what create_order matches
    assert {(c.seat_row_nr, c.seat_nr) for c in cart.lines} == shown
    # the lines can be removed again (the ids go back to the server as it gave them)
    assert await sale.remove_all()
    assert sale.snapshot().lines == ()


@pytest.mark.asyncio
async def test_seat_map_lines_with_labels(sim, sale):
    sim.faults.set(drift=["lettered_rows", "labelled_seats", "int_seat_ids"])
    perf = sim.catalog.find("seated")
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id)
    seats = free_seats(plan, 2)
    assert all(s.isdigit() for s in seats)            # integer seat ids, as text
    assert (await sale.add_seats(perf.event_id, seats)).ok
    lines = sale.snapshot().lines
    assert sorted(ln.line_id for ln in lines) == sorted(seats)
    assert all(isinstance(ln.row, str) and str(ln.seat).endswith("a") for ln in lines)
    assert all(line_from_dict(line_to_dict(ln)) == ln for ln in lines)
    assert await sale.remove_line(seats[0])
    assert len(sale.snapshot().lines) == 1


def test_a_text_performance_id_survives_the_journal_and_the_shift_report(tmp_path):
    """Ids are opaque (issue 15): a performance id such as "voorstelling-7" goes through the
    journal's line round trip and the shift report's per-performance totals."""
    from datetime import datetime
    from decimal import Decimal

    from boxoffice.domain.clock import VENUE_ZONE
    from boxoffice.services.sale import LineStatus, SaleLine
    from boxoffice.services.shift_report import build_shift_report
    from boxoffice.store.journal import SaleJournal, SaleState

    line = SaleLine(line_id="4711", event_id="voorstelling-7", performance="Tekst",
                    starts_at=None, section=None, row="A", seat="12a", general_admission=False,
                    price_id="p", ticket_type="Standaard", rank_id="rang-1",
                    price=Decimal("10.00"), status=LineStatus.HELD)
    assert line_from_dict(line_to_dict(line)) == line
    numeric = line_from_dict({**line_to_dict(line), "event_id": "95"})
    assert numeric.event_id == 95
    at = datetime(2026, 12, 4, 20, 0, tzinfo=VENUE_ZONE)
    journal = SaleJournal.open(tmp_path / "journal.sqlite", now=lambda: at)
    try:
        for key, eid, method in (("K-1", "voorstelling-7", "m-cash"), ("K-2", 95, 31)):
            sale = journal.start_sale(f"cart-{key}")
            journal.request_order(sale.sale_id, payment_method_id=method, payment_method_name="Cash",
                                  surcharge=Decimal("0"), total=Decimal("10.00"),
                                  lines=[{"event_id": eid, "performance": "Show", "price": "10.00",
                                          "status": "held", "starts_at": at.isoformat()}])
            journal.after(sale.sale_id, "payment", SaleState.PAID, order_key=key)
        report = build_shift_report(journal, at.replace(hour=6), at.replace(hour=23))
        assert {p.event_id for p in report.by_performance} == {"voorstelling-7", 95}
        assert report.amount == Decimal("20.00")
    finally:
        journal.close()
