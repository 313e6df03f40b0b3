"""``DayReportDialog``: the venue's sales of one day, across all counters and the web shop.

Owns the day report window (non-modal, ``show()``-n; never ``exec()``): a day picker (default
today in venue time), how fresh the orders are ("Orders as of 20:14"), the total, and tables per
channel (online / counter) and per payment method, all from :meth:`OrderDesk.day_report` (the
local order index; no network). "Print…" opens the system print dialog (``open()``) and prints an
HTML rendering through ``QTextDocument.print_``; "Export CSV…" writes the figures as UTF-8 with
a byte order mark (Excel). It looks like the shift report (``boxoffice.ui.report``), which stays
per counter and from this counter's journal.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.clock import venue_now
from boxoffice.i18n import _, format_date, format_money, ngettext
from boxoffice.ui.orders.door_list import (
    FileChooser,
    ask_save_file,
    desk_moved,
    finish_buttons,
    repolish,
    show_as_of,
    watch_desk,
    write_private,
)
from boxoffice.ui.orders.door_list_print import as_of_text
from boxoffice.ui.widgets.date_box import use_app_date_format

log = logging.getLogger(__name__)

DAY_STYLE = """
QLabel#dayTotal { font-size: 20pt; font-weight: bold; color: #1b4d2e; }
QLabel#dayFigure { font-size: 13pt; }
QLabel#dayAsOf { font-size: 11pt; color: #1b4d2e; font-weight: bold; }
QLabel#dayAsOf[stale="yes"] { color: #8a4b00; }
QLabel#dayNote, QLabel#daySaved { color: #555555; }
QLabel#sectionHeader { font-weight: bold; font-size: 12pt; margin-top: 8px; color: #222222; }
QTableWidget#dayChannels, QTableWidget#dayMethods { background: #ffffff;
    border: 1px solid #e0e0dc; gridline-color: #eeeeea; font-size: 11pt; }
"""

REPORT_TABLE_CSS = ("th, td { padding: 3px 18px 3px 0px; } th { text-align: left; } "
                    "td.n { text-align: right; }")


def _headings() -> list[str]:
    return [_("Orders"), _("Tickets"), _("Amount")]


def to_html(report: Any) -> str:
    """The day report as a printable page (title, day, as-of, both tables with totals)."""
    def table(title: str, first: str, lines: Sequence[Any]) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(line.label)}</td><td class='n'>{line.orders}</td>"
            f"<td class='n'>{line.tickets}</td><td class='n'>{html.escape(format_money(line.amount))}"
            "</td></tr>" for line in lines)
        total = report.total
        rows += (f"<tr><td><b>{html.escape(total.label)}</b></td><td class='n'><b>{total.orders}"
                 f"</b></td><td class='n'><b>{total.tickets}</b></td><td class='n'><b>"
                 f"{html.escape(format_money(total.amount))}</b></td></tr>")
        heads = "".join(f"<th>{html.escape(h)}</th>" for h in [first, *_headings()])
        return (f"<h3>{html.escape(title)}</h3><table cellspacing='0'><thead><tr>{heads}</tr>"
                f"</thead>{rows}</table>")

    title = _("Venue day report") + ": " + format_date(report.day, "full")
    scope = _("All counters and the web shop; paid orders by order date.")
    return (f"<h2>{html.escape(title)}</h2>"
            f"<p>{html.escape(as_of_text(report.as_of))}<br>{html.escape(scope)}</p>"
            + table(_("Per channel"), _("Channel"), report.by_channel)
            + table(_("Per payment method"), _("Payment method"), report.by_method))


def to_csv(report: Any) -> str:
    """``part;label;orders;tickets;amount`` rows (amounts as plain decimals, ``49.00``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Day"), _("Part"), _("Label"), *_headings()])
    day = report.day.isoformat()
    for part, lines in ((_("Channel"), report.by_channel),
                        (_("Payment method"), report.by_method)):
        for line in lines:
            writer.writerow([day, part, line.label, line.orders, line.tickets, f"{line.amount:.2f}"])
    total = report.total
    writer.writerow([day, _("Total"), total.label, total.orders, total.tickets,
                     f"{total.amount:.2f}"])
    return out.getvalue()


class DayReportDialog(QDialog):
    def __init__(self, desk: Any, parent: QWidget | None = None, *, today: dt.date | None = None,
                 now: Callable[[], dt.datetime] = venue_now,
                 choose_file: FileChooser | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayReportDialog")
        self.setWindowTitle(_("Venue day report"))
        self.setModal(False)
        self.setStyleSheet(DAY_STYLE)
        self.desk = desk
        self._now = now
        self.choose_file = choose_file or ask_save_file
        self.report: Any = None
        self.error: str | None = None
        self.last_export: Path | None = None
        self._keep: list[Any] = []
        self.resize(720, 620)

        col = QVBoxLayout(self)
        bar = QHBoxLayout()
        day_label = QLabel(_("Day:"))
        bar.addWidget(day_label)
        self.day_edit = QDateEdit()
        self.day_edit.setObjectName("dayPicker")
        self.day_edit.setCalendarPopup(True)
        use_app_date_format(self.day_edit)
        first = today or self.now().date()
        self.day_edit.setDate(QDate(first.year, first.month, first.day))
        self.day_edit.dateChanged.connect(self.refresh)
        day_label.setBuddy(self.day_edit)
        bar.addWidget(self.day_edit)
        self.today_button = QPushButton(_("Today"))
        self.today_button.clicked.connect(self.show_today)
        bar.addWidget(self.today_button)
        bar.addStretch(1)
        col.addLayout(bar)

        self.as_of_label = QLabel()
        self.as_of_label.setObjectName("dayAsOf")
        self.as_of_label.setWordWrap(True)
        col.addWidget(self.as_of_label)
        self.total_label = QLabel()
        self.total_label.setObjectName("dayTotal")
        col.addWidget(self.total_label)
        self.count_label = QLabel()
        self.count_label.setObjectName("dayFigure")
        col.addWidget(self.count_label)
        self.note = QLabel(_("All counters and the web shop, from the local order index: paid "
                             "orders by order date. The shift report shows this counter's own "
                             "sales."))
        self.note.setObjectName("dayNote")
        self.note.setWordWrap(True)
        col.addWidget(self.note)

        self.channel_header = QLabel(_("Per channel"))
        self.channel_header.setObjectName("sectionHeader")
        col.addWidget(self.channel_header)
        self.channels = self._table("dayChannels", _("Channel"))
        col.addWidget(self.channels)
        self.method_header = QLabel(_("Per payment method"))
        self.method_header.setObjectName("sectionHeader")
        col.addWidget(self.method_header)
        self.methods = self._table("dayMethods", _("Payment method"))
        col.addWidget(self.methods, 1)

        self.saved_label = QLabel()
        self.saved_label.setObjectName("daySaved")
        self.saved_label.setTextFormat(Qt.TextFormat.PlainText)
        self.saved_label.setWordWrap(True)
        self.saved_label.hide()
        col.addWidget(self.saved_label)

        buttons = QHBoxLayout()
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.print_button = QPushButton(_("Print\u2026"))
        self.print_button.clicked.connect(self.print_report)
        self.csv_button = QPushButton(_("Export CSV\u2026"))
        self.csv_button.clicked.connect(self.choose_csv_file)
        self.today_button.setAutoDefault(False)    # Enter in the day box presses no button
        finish_buttons(self, col, buttons, (self.refresh_button, self.print_button, self.csv_button))
        self._watch = watch_desk(self, self._follow_desk)
        self.refresh()

    @staticmethod
    def _table(name: str, first: str) -> QTableWidget:
        table = QTableWidget(0, 4)
        table.setObjectName(name)
        table.setHorizontalHeaderLabels([first, *_headings()])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for c in range(4):   # headings over their figures: the label left, numbers right
            item = table.horizontalHeaderItem(c)
            if item is not None:
                item.setTextAlignment((Qt.AlignmentFlag.AlignLeft if c == 0
                                       else Qt.AlignmentFlag.AlignRight)
                                      | Qt.AlignmentFlag.AlignVCenter)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        return table

    # --- day ----------------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return self._now()

    def day(self) -> dt.date:
        return cast(dt.date, self.day_edit.date().toPython())   # PySide6 stubs say object

    def show_today(self) -> None:
        today = self.now().date()
        self.day_edit.setDate(QDate(today.year, today.month, today.day))   # refreshes

    # --- content ------------------------------------------------------------------------------
    def refresh(self, *_args: Any) -> Any:
        try:
            report = self.desk.day_report(self.day())
        except Exception as exc:   # noqa: BLE001 - a broken index must not kill the window
            log.warning("day report could not be read: %s", exc)
            self.error = _("The day report could not be read from the local order index.")
            self.as_of_label.setText(self.error)
            self.as_of_label.setProperty("stale", "yes")
            self._repolish()
            return self.report
        self.error = None
        self.report = report
        self._show_as_of()
        total = report.total
        self.total_label.setText(_("Total sales: {amount}").format(
            amount=format_money(total.amount)))
        self.count_label.setText(
            ngettext("{count} order", "{count} orders", total.orders).format(count=total.orders)
            + ", " + ngettext("{count} ticket", "{count} tickets", total.tickets).format(
                count=total.tickets))
        self._fill(self.channels, report.by_channel, total)
        self._fill(self.methods, report.by_method, total)
        return report

    def _fill(self, table: QTableWidget, lines: Sequence[Any], total: Any) -> None:
        table.setRowCount(0)
        rows = [*lines, total]
        table.setRowCount(len(rows))
        for r, line in enumerate(rows):
            texts = [line.label, str(line.orders), str(line.tickets), format_money(line.amount)]
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                align = Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight
                item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
                if line is total:
                    font = QFont(table.font())
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(r, c, item)
        table.resizeRowsToContents()
        height = table.horizontalHeader().height() + sum(
            table.rowHeight(r) for r in range(table.rowCount())) + 2 * table.frameWidth()
        table.setFixedHeight(height)

    def _follow_desk(self) -> None:
        if desk_moved(self.desk, self.report):
            self.refresh()
        elif self.error is None:
            self._show_as_of()

    def _show_as_of(self) -> None:
        show_as_of(self.as_of_label, getattr(self.report, "as_of", None), self.now(), minutes_ago=False)

    def _repolish(self) -> None:
        repolish(self.as_of_label)

    # --- export / print -----------------------------------------------------------------------
    def choose_csv_file(self) -> Any:
        chooser = self.choose_file(self, _("Export the day report"), _("CSV files (*.csv)"),
                                   f"day-report-{self.day().isoformat()}.csv", self.export_csv)
        self._keep.append(chooser)
        return chooser

    def export_csv(self, path: str | Path) -> Path | None:
        """Write the figures as CSV, UTF-8 with a byte order mark (Excel reads accents right)."""
        report = self.report if self.report is not None else self.refresh()
        target = Path(path)
        try:
            write_private(target, to_csv(report).encode("utf-8-sig"))
        except OSError as exc:
            log.warning("day report CSV not written: %s", exc)
            self.saved_label.setText(_("The file could not be written to {path}.").format(
                path=str(target)))
            self.saved_label.show()
            return None
        self.last_export = target
        self.saved_label.setText(_("Saved: {path}").format(path=str(target)))
        self.saved_label.show()
        return target

    def document(self) -> QTextDocument:
        doc = QTextDocument(self)
        doc.setDefaultStyleSheet(REPORT_TABLE_CSS)
        doc.setHtml(to_html(self.report if self.report is not None else self.refresh()))
        return doc

    def print_report(self) -> Any:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the day report"))
        dialog.accepted.connect(lambda: self.document().print_(printer))
        self._keep.append((dialog, printer))
        QDialog.open(dialog)   # QPrintDialog.open() in PySide6 wants (receiver, member)
        return dialog
