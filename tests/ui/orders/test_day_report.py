"""The venue day report window (issue 11): sales per channel (online / counter) and per payment
method for a chosen day, across all counters, from the order index, with its as-of time."""
from __future__ import annotations

import datetime as dt
import stat
from decimal import Decimal

import pytest

from boxoffice import i18n
from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.i18n import format_money
from tests.support.doorkit import AS_OF, ListDesk, evening_orders

TONIGHT = dt.datetime(2026, 12, 4, 20, 16, tzinfo=VENUE_ZONE)

TEXTS = {
    "en": {"online": "Online", "counter": "Counter", "total": "Total", "count": "5 orders, 9 tickets",
           "sales": "Total sales: {amount}", "as_of": "Orders as of 20:14",
           "headers": ["Channel", "Orders", "Tickets", "Amount"], "title": "Venue day report"},
    "nl": {"online": None, "counter": None, "total": "Totaal",   # channels: the domain's words
           "count": "5 bestellingen, 9 kaartjes", "sales": "Totale verkoop: {amount}",
           "as_of": "Bestellingen bijgewerkt om 20:14",
           "headers": ["Kanaal", "Bestellingen", "Kaartjes", "Bedrag"],
           "title": "Dagrapport van de zaal"},
}


def _dialog(qtbot, desk, *, today=dt.date(2026, 12, 4), **kwargs):
    from boxoffice.ui.orders.day_report import DayReportDialog

    dialog = DayReportDialog(desk, None, today=today, now=lambda: TONIGHT, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def _rows(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def _money(text: str) -> str:
    return format_money(Decimal(text))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_sales_per_channel_and_method_match_the_orders(qtbot, lang):
    i18n.set_language(lang)
    texts = TEXTS[lang]
    dialog = _dialog(qtbot, ListDesk(evening_orders()))
    # 4 Dec, paid sales only: online Anna (2, €49.00, iDEAL) and Zoë (1, €24.50, Bancontact);
    # counter Mehmet (3, €73.50, cash), Jan (2, €56.50, pin), Ingrid (1, €24.50, cash, another
    # performance). Not: Els's unpaid reservation, Piet's cancelled order, 3 Dec's sale.
    assert _rows(dialog.channels) == [
        [texts["online"] or i18n._("Online"), "2", "3", _money("73.50")],
        [texts["counter"] or i18n._("Counter"), "3", "6", _money("154.50")],
        [texts["total"], "5", "9", _money("228.00")],
    ]
    assert _rows(dialog.methods) == [
        ["Bancontact", "1", "1", _money("24.50")],
        ["Cash", "2", "4", _money("98.00")],
        ["iDEAL", "1", "2", _money("49.00")],
        ["Pin", "1", "2", _money("56.50")],
        [texts["total"], "5", "9", _money("228.00")],
    ]
    headers = [dialog.channels.horizontalHeaderItem(c).text() for c in range(4)]
    assert headers == texts["headers"]
    assert dialog.total_label.text() == texts["sales"].format(amount=_money("228.00"))
    assert dialog.count_label.text() == texts["count"]
    assert dialog.as_of_label.text() == texts["as_of"]
    assert dialog.windowTitle() == texts["title"]
    assert dialog.day_edit.text() == i18n.format_date(dt.date(2026, 12, 4), "medium")


def test_another_day_is_chosen_with_the_picker_and_today_comes_back(qtbot):
    dialog = _dialog(qtbot, ListDesk(evening_orders()), today=None)
    assert dialog.day() == dt.date(2026, 12, 4)            # today in venue time
    dialog.day_edit.setDate(dt.date(2026, 12, 3))
    assert _rows(dialog.channels)[0] == ["Online", "1", "1", _money("24.50")]
    assert dialog.total_label.text() == f"Total sales: {_money('24.50')}"
    dialog.day_edit.setDate(dt.date(2026, 12, 5))
    assert _rows(dialog.channels)[-1] == ["Total", "0", "0", _money("0.00")]
    assert _rows(dialog.methods) == [["Total", "0", "0", _money("0.00")]]
    dialog.today_button.click()
    assert dialog.day() == dt.date(2026, 12, 4)
    assert dialog.count_label.text() == "5 orders, 9 tickets"


def test_follows_the_desk_and_flags_old_figures(qtbot):
    from tests.support.doorkit import order, seat

    desk = ListDesk(evening_orders())
    dialog = _dialog(qtbot, desk)
    desk.orders.append(order(50, "Noor", "", "de Wit", [seat("6", "6")], channel="box",
                             method="Cash"))
    desk.as_of = AS_OF + dt.timedelta(minutes=1)
    dialog._follow_desk()
    assert _rows(dialog.channels)[1] == ["Counter", "4", "7", _money("179.00")]
    assert dialog.as_of_label.text() == "Orders as of 20:15"
    desk.as_of = AS_OF - dt.timedelta(hours=2)
    dialog.refresh()
    assert dialog.as_of_label.text() == "Orders as of 18:14 \u2014 newer orders may be missing"
    assert dialog.as_of_label.property("stale") == "yes"


def test_csv_export_with_bom(qtbot, tmp_path):
    asked = []

    def choose(parent, title, name_filter, suggested, on_chosen):
        asked.append(suggested)
        on_chosen(str(tmp_path / suggested))

    dialog = _dialog(qtbot, ListDesk(evening_orders()), choose_file=choose)
    dialog.csv_button.click()
    assert asked == ["day-report-2026-12-04.csv"]
    target = tmp_path / "day-report-2026-12-04.csv"
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Day,Part,Label,Orders,Tickets,Amount"
    assert "2026-12-04,Channel,Counter,3,6,154.50" in lines
    assert "2026-12-04,Payment method,Cash,2,4,98.00" in lines
    assert lines[-1] == "2026-12-04,Total,Total,5,9,228.00"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert dialog.saved_label.text() == f"Saved: {target}"


def test_print_renders_the_report(qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QDialog

    dialog = _dialog(qtbot, ListDesk(evening_orders()))
    dialog.print_button.click()
    printing, printer = dialog._keep[-1]
    assert printing.isVisible()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "day.pdf"))
    printing.done(QDialog.DialogCode.Accepted)
    assert (tmp_path / "day.pdf").read_bytes().startswith(b"%PDF")
    text = dialog.document().toPlainText()
    assert "Venue day report" in text and "Bancontact" in text and _money("228.00") in text


# --- against the real order desk: the simulator's orders and a sale at this counter ------------
def _online_truth(sim, day):
    """Paid online sales (ordered or re-issued) made on ``day`` (venue time), per method."""
    lines: dict[str, list] = {}
    for o in sim.online_orders():
        made = dt.datetime.fromisoformat(o["orderDate"]).astimezone(VENUE_ZONE).date()
        if made != day or o["orderPaymentStatus"] != "paid" \
                or o["orderStatus"] not in ("ord", "reemit", "reissue"):
            continue
        lines.setdefault(o["handlingTextPayment"], []).append(o)
    return lines


def _line(orders):
    return [str(len(orders)), str(sum(len(o["seats"]) for o in orders)),
            _money(str(sum(Decimal(str(o["amount"])) for o in orders)))]


@pytest.mark.asyncio
async def test_the_day_report_of_the_real_desk_counts_online_and_counter_sales(
        qtbot, simulator, tmp_path):
    from boxoffice.domain.clock import venue_now
    from boxoffice.services.counter import open_order_desk
    from boxoffice.services.sale import SaleService
    from boxoffice.store.journal import SaleJournal
    from boxoffice.ui.orders.day_report import DayReportDialog
    from tests.support.salekit import free_seats, make_client, method_id, perf_info

    sim = simulator()
    client = make_client(sim, timeout=30.0)
    journal = SaleJournal.open(tmp_path / "journal.sqlite")
    sale = SaleService(client, journal, demo=True)
    desk = open_order_desk(client, tmp_path)
    try:
        sim.add_online_orders(3)                         # bought online today
        await desk.sync()
        today = venue_now().date()
        dialog = DayReportDialog(desk, None)
        qtbot.addWidget(dialog)
        assert dialog.day() == today                     # today in venue time, by default
        online = _online_truth(sim, today)
        everything = [o for group in online.values() for o in group]
        assert len(everything) >= 3
        assert _rows(dialog.channels)[0] == ["Online", *_line(everything)]
        assert _rows(dialog.channels)[1] == ["Counter", "0", "0", _money("0.00")]
        assert sorted(r[0] for r in _rows(dialog.methods)[:-1]) == sorted(online)
        for row in _rows(dialog.methods)[:-1]:
            assert row[1:] == _line(online[row[0]])

        # a cash sale here: after the next sync it is a counter sale of the day
        perf = sim.catalog.find("seated")
        sale.remember_performance(perf_info(sim, perf))
        await sale.prepare()
        plan = await sale.load_seat_plan(perf.event_id)
        assert (await sale.add_seats(perf.event_id, free_seats(plan, 2))).ok
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "Cash"))
        snap = await sale.pay()
        sim.settle(snap.order.order_key, "paid")
        snap = await sale.wait_for_payment()
        charged = snap.confirmation.amount_paid
        await desk.sync()
        dialog._follow_desk()                            # the window follows the desk's sync
        assert _rows(dialog.channels)[1] == ["Counter", "1", "2", format_money(charged)]
        cash = next(r for r in _rows(dialog.methods) if r[0] == "Cash")
        online_cash = online.get("Cash", [])
        assert cash[1] == str(len(online_cash) + 1)
        total = sum((Decimal(str(o["amount"])) for o in everything), Decimal("0")) + charged
        assert dialog.total_label.text() == f"Total sales: {format_money(total)}"
    finally:
        await sale.aclose()
        await desk.aclose()
        await client.aclose()
        journal.close()
