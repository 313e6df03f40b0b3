"""The door list window (issue 11): per performance, the buyers in alphabetical order with their
seats and ticket counts, unpaid reservations marked, cancelled orders left out, the as-of time
always shown; printed (print dialog or PDF, paginated) and exported as CSV (UTF-8 with BOM)."""
from __future__ import annotations

import datetime as dt
import math
import re
import stat

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

import pytest

from boxoffice import i18n
from boxoffice.domain.clock import VENUE_ZONE
from tests.support.doorkit import AS_OF, ListDesk, evening_orders, many_orders

TONIGHT = dt.datetime(2026, 12, 4, 20, 16, tzinfo=VENUE_ZONE)

TEXTS = {
    "en": {"as_of": "Orders as of 20:14", "unpaid": "reservation, unpaid until 19:45",
           "totals": "6 buyers, 10 tickets \u00b7 1 order not paid", "seats": "Stalls, row 5: 12, 13",
           "two_rows": "Balcony, row 1: 2\nStalls, row 10: 4", "title": "Door list: Hamlet",
           "stale": "Orders as of 20:14 \u2014 30 minutes ago \u2014 newer orders may be missing",
           "never": "Orders not read yet: this list may be incomplete"},
    "nl": {"as_of": "Bestellingen bijgewerkt om 20:14",
           "unpaid": None,    # the domain's status words (its own Dutch)
           "totals": "6 kopers, 10 kaartjes \u00b7 1 bestelling niet betaald",
           "seats": "Stalls, rij 5: 12, 13", "two_rows": "Balcony, rij 1: 2\nStalls, rij 10: 4",
           "title": "Deurlijst: Hamlet",
           "stale": "Bestellingen bijgewerkt om 20:14 \u2014 30 minuten geleden \u2014 nieuwere "
                    "bestellingen kunnen ontbreken",
           "never": "Bestellingen nog niet gelezen: deze lijst kan onvolledig zijn"},
}


def _dialog(qtbot, desk, *, now=TONIGHT, event_id=101, **kwargs):
    from boxoffice.ui.orders.door_list import DoorListDialog

    dialog = DoorListDialog(desk, event_id, None, now=lambda: now, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def _row(dialog, name):
    for r in range(dialog.table.rowCount()):
        if dialog.table.item(r, 0).text() == name:
            return [dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
    raise AssertionError(f"{name} not on the door list")


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF (Qt writes the object dictionaries uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_buyers_alphabetical_with_seats_counts_marks_and_as_of(qtbot, lang):
    i18n.set_language(lang)
    texts = TEXTS[lang]
    dialog = _dialog(qtbot, ListDesk(evening_orders()))
    # by last name, the Dutch way ("van den Berg" under B, "de Vries" under V, "Çelik" under C);
    # the cancelled order (Aalbers) and the other performance's buyer (Smit) are not on it
    assert dialog.visible_names() == ["Zoë Bakker", "Jan van den Berg", "Mehmet Çelik",
                                      "Els Jansen", "Old Sale", "Anna de Vries"]
    assert _row(dialog, "Anna de Vries")[:4] == ["Anna de Vries", "2", texts["seats"], ""]
    assert _row(dialog, "Jan van den Berg")[1:3] == ["2", texts["two_rows"]]
    assert _row(dialog, "Mehmet Çelik")[1] == "3"
    assert _row(dialog, "Els Jansen")[3] == (
        texts["unpaid"] or i18n._("reservation, unpaid until {time}").format(time="19:45"))
    assert _row(dialog, "Anna de Vries")[4] == "K0001-ABCDE-FGHIJ"
    # the unpaid reservation stands out; a paid order does not
    unpaid = next(r for r in range(dialog.table.rowCount())
                  if dialog.table.item(r, 0).text() == "Els Jansen")
    assert dialog.table.item(unpaid, 0).font().bold()
    assert not dialog.table.item(0, 0).font().bold()
    assert dialog.as_of_label.text() == texts["as_of"]
    assert dialog.as_of_label.property("stale") == "no"
    assert dialog.totals_label.text() == texts["totals"]
    assert dialog.windowTitle() == texts["title"]
    assert dialog.title_label.text() == "Hamlet"
    assert dialog.when_label.text() == (i18n.format_date(dt.date(2026, 12, 4), "full")
                                        + " \u00b7 20:00")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_an_old_or_missing_as_of_is_flagged(qtbot, lang):
    i18n.set_language(lang)
    late = _dialog(qtbot, ListDesk(evening_orders()), now=AS_OF + dt.timedelta(minutes=30))
    assert late.as_of_label.text() == TEXTS[lang]["stale"]
    assert late.as_of_label.property("stale") == "yes"
    never = _dialog(qtbot, ListDesk(evening_orders(), as_of=None))
    assert never.as_of_label.text() == TEXTS[lang]["never"]
    assert never.as_of_label.property("stale") == "yes"


def test_find_box_matches_names_without_accents_and_seats(qtbot):
    dialog = _dialog(qtbot, ListDesk(evening_orders()))
    dialog.find_box.setText("zoe")
    assert dialog.visible_names() == ["Zoë Bakker"]
    dialog.find_box.setText("CELIK")
    assert dialog.visible_names() == ["Mehmet Çelik"]
    dialog.find_box.setText("berg jan")
    assert dialog.visible_names() == ["Jan van den Berg"]
    dialog.find_box.setText("row 5")
    assert dialog.visible_names() == ["Anna de Vries"]
    dialog.find_box.setText("K0003")
    assert dialog.visible_names() == ["Mehmet Çelik"]
    assert dialog.found_label.text() == "1 found" and dialog.found_label.isVisibleTo(dialog)
    # the words as typed first: "de v" is Anna de Vries, not Jan van den Berg
    dialog.find_box.setText("de v")
    assert dialog.visible_names() == ["Anna de Vries"]
    dialog.find_box.setText("nobody")
    assert dialog.visible_names() == [] and dialog.found_label.text() == "No buyer matches."
    dialog.find_box.clear()
    assert len(dialog.visible_names()) == 6
    assert not dialog.found_label.isVisibleTo(dialog)


def test_escape_clears_the_find_box_before_it_closes_the_window(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    class Counting(ListDesk):
        reads = 0

        def door_list(self, event_id):
            self.reads += 1
            return super().door_list(event_id)

    desk = Counting(evening_orders())
    dialog = _dialog(qtbot, desk)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.find_box      # a name can be typed straight away
    QTest.keyClicks(dialog.find_box, "zoe")
    assert dialog.visible_names() == ["Zoë Bakker"]
    QTest.keyClick(dialog.find_box, Qt.Key.Key_Return)  # Enter presses no button
    assert desk.reads == 1 and dialog.isVisible() and dialog.find_box.text() == "zoe"
    QTest.keyClick(dialog.find_box, Qt.Key.Key_Escape)
    assert dialog.find_box.text() == "" and dialog.isVisible()
    assert len(dialog.visible_names()) == 6
    QTest.keyClick(dialog.find_box, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_refreshes_when_the_desk_has_synced(qtbot):
    from tests.support.doorkit import order, seat

    desk = ListDesk(evening_orders())
    dialog = _dialog(qtbot, desk)
    dialog.find_box.setText("vries")
    desk.orders.append(order(40, "Noor", "", "de Wit", [seat("6", "6")]))
    dialog._follow_desk()                # the desk did not sync: nothing read again
    assert "Noor de Wit" not in _names(dialog)
    desk.as_of = AS_OF + dt.timedelta(minutes=1)
    dialog._follow_desk()                # it did: the list is read again, the find text kept
    assert "Noor de Wit" in _names(dialog)
    assert dialog.visible_names() == ["Anna de Vries"]
    assert dialog.as_of_label.text() == "Orders as of 20:15"


def _names(dialog):
    return [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]


def test_an_unreadable_index_is_said_plainly(qtbot):
    class Broken(ListDesk):
        def door_list(self, event_id):
            raise OSError("database disk image is malformed")

    dialog = _dialog(qtbot, Broken([]))
    assert dialog.as_of_label.text() == "The door list could not be read from the local order index."
    assert not dialog.print_button.isEnabled() and not dialog.csv_button.isEnabled()


def test_csv_export_writes_utf8_with_bom(qtbot, tmp_path):
    asked = []

    def choose(parent, title, name_filter, suggested, on_chosen):
        asked.append((title, name_filter, suggested))
        on_chosen(str(tmp_path / suggested))

    desk = ListDesk(evening_orders())
    dialog = _dialog(qtbot, desk, choose_file=choose)
    dialog.csv_button.click()
    assert asked == [("Export the door list", "CSV files (*.csv)",
                      "door-list-2026-12-04-hamlet.csv")]
    target = tmp_path / "door-list-2026-12-04-hamlet.csv"
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")            # Excel reads "Zoë" and "Çelik" right
    assert data[3:].decode("utf-8") == desk.door_list_csv(desk.door_list(101))
    assert "Zoë Bakker" in data.decode("utf-8-sig") and "Çelik" in data.decode("utf-8-sig")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # names and e-mail addresses
    assert dialog.saved_label.text() == f"Saved: {target}"
    assert dialog.last_saved == target


def test_csv_to_a_folder_that_cannot_be_written_says_so(qtbot, tmp_path):
    dialog = _dialog(qtbot, ListDesk(evening_orders()))
    missing = tmp_path / "gone" / "list.csv"
    assert dialog.export_csv(missing) is None
    assert dialog.saved_label.text() == f"The file could not be written to {missing}."


def test_pdf_of_a_long_list_is_paginated(qtbot, tmp_path):
    from boxoffice.ui.orders.door_list_print import pdf_writer

    chosen = []
    buyers = many_orders(120) + evening_orders()
    dialog = _dialog(qtbot, ListDesk(buyers),
                     choose_file=lambda _p, _t, _f, name, done: chosen.append(name) or done(
                         str(tmp_path / name)))
    dialog.pdf_button.click()
    assert chosen == ["door-list-2026-12-04-hamlet.pdf"]
    target = tmp_path / "door-list-2026-12-04-hamlet.pdf"
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    # A4 with 10 pt rows holds about 38 one-line buyers a page: 126 buyers take 4 pages
    paper = dialog.paper()
    pages = paper.layout(pdf_writer(str(tmp_path / "probe.pdf")))
    per_page = len(pages[0])
    assert 30 <= per_page <= 45
    assert len(pages) == math.ceil(126 / per_page) == 4
    assert dialog.last_pages == len(pages) == pdf_pages(data)
    # every buyer once, in the list's order, none split off
    assert [i for page in pages for i in page] == list(range(126))
    assert all(len(page) == per_page for page in pages[:-1])
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    # a list that fills its pages exactly takes no extra page (the totals are in the header)
    full = _dialog(qtbot, ListDesk(many_orders(2 * per_page)))
    assert full.save_pdf(tmp_path / "full.pdf") == 2
    assert all(full.paper().layout(_writer(tmp_path)))

    short = _dialog(qtbot, ListDesk(evening_orders()))
    assert short.save_pdf(tmp_path / "short.pdf") == 1
    assert pdf_pages((tmp_path / "short.pdf").read_bytes()) == 1


def test_long_names_and_many_seats_wrap_inside_their_row(qtbot, tmp_path):
    from tests.support.doorkit import order, seat

    crowd = [order(1, "Maximiliaan Alexander Frederik", "van der", "Hoeven-Lankhorst",
                   [seat(str(r), str(s)) for r in range(1, 6) for s in range(1, 9)])]
    dialog = _dialog(qtbot, ListDesk(crowd + many_orders(60)))
    assert dialog.save_pdf(tmp_path / "wrap.pdf") >= 2
    paper = dialog.paper()
    writer = _writer(tmp_path)
    metrics = paper._metrics(writer)
    row = next(r for r in paper.rows if r.name.startswith("Maximiliaan"))
    name, seats = paper._cells(metrics, row)[1:4:2]
    # wrapped at spaces, nothing lost, every line inside its column
    assert " ".join(name) == row.name and len(name) >= 2
    assert " ".join(seats) == " ".join(row.seats) and len(seats) > len(row.seats) == 5
    for lines, col in ((name, 1), (seats, 3)):
        width = metrics["columns"][col][1] - 2 * metrics["pad"]
        assert all(metrics["body"].horizontalAdvance(line) <= width for line in lines)


def _writer(tmp_path):
    from boxoffice.ui.orders.door_list_print import pdf_writer
    return pdf_writer(str(tmp_path / "probe.pdf"))


def test_print_dialog_prints_the_list_when_accepted(qtbot, tmp_path):
    dialog = _dialog(qtbot, ListDesk(many_orders(50)))
    dialog.print_button.click()
    printing, _printer = dialog._keep[-1]
    assert printing.isVisible()                     # opened with open(), not exec()
    assert dialog.last_pages == 0                   # nothing printed before "Print"
    printer = printing.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printing.done(QDialog.DialogCode.Accepted)      # "Print" (without the widget's settings)
    assert dialog.last_pages == 2
    assert pdf_pages((tmp_path / "printed.pdf").read_bytes()) == 2
    assert dialog.saved_label.text() == "Sent to the printer: 2 pages."


def test_a_printer_that_cannot_start_is_said(qtbot):
    dialog = _dialog(qtbot, ListDesk(evening_orders()))
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName("")                  # nothing to print to
    assert dialog.print_to(printer) == 0
    assert dialog.saved_label.text() == ("The printer could not be started. Try \u201cSave as PDF"
                                         "\u201d instead.")


def test_the_paper_shows_bold_unpaid_rows(qtbot):
    dialog = _dialog(qtbot, ListDesk(evening_orders()))
    rows = {r.name: r for r in dialog.paper().rows}
    assert rows["Els Jansen"].unpaid and rows["Els Jansen"].mark == "reservation, unpaid until 19:45"
    assert not rows["Anna de Vries"].unpaid and rows["Anna de Vries"].mark == ""
    assert rows["Jan van den Berg"].seats == ("Balcony, row 1: 2", "Stalls, row 10: 4")


def test_the_details_pane_offers_the_door_list_of_the_shown_performance(qtbot, events_factory):
    from boxoffice.domain.performance import PerformanceStatus
    from boxoffice.ui.events.details import DetailsPane
    from boxoffice.ui.events.model import EventTreeModel, RowRole

    model = EventTreeModel()
    model.set_events(events_factory(dt.date(2026, 12, 4)), TONIGHT)
    perf = model.index(0, 0, model.index(0, 0)).data(RowRole)
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.show()
    pane.show_performance(perf, PerformanceStatus.ON_SALE)
    assert not pane.door_list_button.isVisible()        # no order desk: not offered
    pane.set_door_list_available(True)
    assert pane.door_list_button.isVisible()
    assert pane.door_list_button.text() == "Door list\u2026"
    with qtbot.waitSignal(pane.door_list_requested) as asked:
        pane.door_list_button.click()
    assert asked.args == [perf]
    pane.show_production(model.index(0, 0).data(RowRole))
    assert not pane.door_list_button.isVisible()         # a production has no door list
    pane.show_performance(perf, PerformanceStatus.ON_SALE)
    assert pane.door_list_button.isVisible()
    pane.clear()
    assert not pane.door_list_button.isVisible()


# --- against the real order desk: the simulator's online orders, synced into SQLite -----------
def _fold(text):
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", text or "")
                   if not unicodedata.combining(c)).casefold().strip()


def _truth(sim, event_id):
    """The door list as the simulator's order export says it should be: every order with seats
    for the performance that is not cancelled or deleted, by last name, first name, infix."""
    rows = []
    for o in sim.online_orders():
        seats = [s for s in o["seats"] if str(s["eventId"]) == str(event_id)]
        if o["orderStatus"] in ("cancel", "trash") or not seats:
            continue
        user = o.get("user") or {}
        first, infix, last = (user.get("customerFirstName") or "",
                              user.get("customerPreposition") or "",
                              user.get("customerLastName") or "")
        name = " ".join(p for p in (first, infix, last) if p)
        rows.append(((_fold(last), _fold(first), _fold(infix), o["orderKey"]),
                     (name, str(len(seats))), o, seats))
    rows.sort(key=lambda r: r[0])
    return rows


@pytest.mark.asyncio
async def test_the_door_list_of_the_real_desk_matches_the_simulator(qtbot, simulator, tmp_path):
    from boxoffice.i18n import format_time
    from boxoffice.services.counter import open_order_desk
    from boxoffice.ui.orders.door_list import DoorListDialog
    from tests.support.salekit import make_client

    sim = simulator()
    client = make_client(sim, timeout=30.0)
    desk = open_order_desk(client, tmp_path)
    try:
        await desk.sync()
        # a seated performance with an unpaid reservation among more buyers than fit a page
        event_id, truth = next(
            (perf.event_id, rows) for perf in sorted(sim.catalog.performances.values(),
                                                     key=lambda p: p.event_id)
            if not sim.catalog.hall_of(perf).is_ga
            and len(rows := _truth(sim, perf.event_id)) > 100
            and any(t[2]["orderStatus"] == "res" for t in rows))
        title = sim.catalog.production_of(sim.catalog.performances[event_id]).name
        saved = []
        dialog = DoorListDialog(desk, event_id, None, choose_file=lambda _p, _t, _f, name, done: (
            saved.append(name), done(str(tmp_path / name))))
        qtbot.addWidget(dialog)
        shown = [(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text())
                 for r in range(dialog.table.rowCount())]
        assert shown == [t[1] for t in truth]            # alphabetical, with the ticket counts
        assert dialog.title_label.text() == title
        assert dialog.as_of_label.text() == f"Orders as of {format_time(desk.as_of)}"
        # one buyer's seats, as the export has them; an unpaid reservation is marked
        _key, (name, _n), order, seats = truth[0]
        r = 0
        rows = {}
        for s in seats:
            rows.setdefault(str(s["rowNr"]), []).append(s["seatNr"])
        expected = "\n".join(f"row {row}: " + ", ".join(str(n) for n in sorted(ns))
                             for row, ns in sorted(rows.items(), key=lambda kv: int(kv[0])))
        assert dialog.table.item(r, 2).text() == expected
        reserved = next(i for i, t in enumerate(truth) if t[2]["orderStatus"] == "res")
        assert dialog.table.item(reserved, 3).text().startswith("reservation, unpaid")
        assert dialog.table.item(reserved, 0).font().bold()
        paid = next(i for i, t in enumerate(truth) if t[2]["orderStatus"] == "ord")
        assert dialog.table.item(paid, 3).text() == ""

        dialog.csv_button.click()
        data = (tmp_path / saved[-1]).read_bytes()
        assert saved[-1].startswith("door-list-") and saved[-1].endswith(".csv")
        assert data.startswith(b"\xef\xbb\xbf")
        assert len(data.decode("utf-8-sig").splitlines()) == len(truth) + 1   # and a heading
        dialog.pdf_button.click()
        pdf = (tmp_path / saved[-1]).read_bytes()
        assert pdf.startswith(b"%PDF") and dialog.last_pages == pdf_pages(pdf)
        assert dialog.last_pages >= math.ceil(len(truth) / 45) and dialog.last_pages > 2
    finally:
        await desk.aclose()
        await client.aclose()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_performance_without_orders_says_so(qtbot, lang):
    i18n.set_language(lang)
    dialog = _dialog(qtbot, ListDesk([o for o in evening_orders() if not o.seats_for(101)]))
    dialog.show()
    assert not dialog.table.isVisible() and dialog.empty_label.isVisible()
    assert dialog.empty_label.text() == {
        "en": "No orders for this performance in the local order index.",
        "nl": "Geen bestellingen voor deze voorstelling in de lokale bestellingenindex."}[lang]
    assert dialog.totals_label.text() == {"en": "0 buyers, 0 tickets",
                                          "nl": "0 kopers, 0 kaartjes"}[lang]
