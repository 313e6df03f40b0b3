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
