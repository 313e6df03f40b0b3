"""``ShiftReportDialog``: the sales of a shift from the journal, exported or printed.

Owns the report window (non-modal, ``show()``-n; never ``exec()``): the period (this shift —
from its first sale until now —, the last closed shift, this or the previous business day, or a
range of business days; a business day starts at the "day starts at" time, 06:00 by default,
saved with :meth:`boxoffice.config.SettingsStore.set_day_start`), "Close shift" (recorded in the
journal; the closed shift is then shown), the headline numbers (cash expected in the
drawer, total charged, paid sales and tickets), tables per payment method and per performance,
and the cancelled / failed / still open attempts — all from
:func:`boxoffice.services.shift_report.build_shift_report` (no network). "Export CSV" asks for a
file with a ``QFileDialog`` opened with ``open()``; "Print" opens a ``QPrintDialog`` with
``open()`` and prints the HTML rendering through ``QTextDocument.print_``; "Open as HTML" saves
that page and opens it in the system browser (useful where no printer is set up).
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QDate, QTime, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from boxoffice.config import SettingsStore, app_paths
from boxoffice.domain.clock import venue_now
from boxoffice.i18n import _, format_datetime, format_money
from boxoffice.services.counter import ShiftBook
from boxoffice.services.shift_report import (
    ShiftReport,
    business_day,
    business_day_range,
    to_csv,
    to_html,
)
from boxoffice.ui.widgets.date_box import use_app_date_format

SHIFT, LAST_SHIFT, DAY, PREVIOUS_DAY, RANGE = "shift", "last_shift", "day", "previous_day", "range"

REPORT_STYLE = """
QLabel#reportCash { font-size: 20pt; font-weight: bold; color: #1b4d2e; }
QLabel#reportFigure { font-size: 13pt; }
"""


REPORT_TABLE_CSS = "th, td { padding: 3px 18px 3px 0px; } th { text-align: left; }"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


class ShiftReportDialog(QDialog):
    def __init__(self, book: ShiftBook | Any, parent: QWidget | None = None, *,
                 today: dt.date | None = None, now: Callable[[], dt.datetime] | None = None,
                 settings_store: SettingsStore | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftReportDialog")
        self.setWindowTitle(_("Shift report"))
        self.setModal(False)
        self.setStyleSheet(REPORT_STYLE)
        # the counter's shift book (a journal is read through one of its own)
        self.book = book if isinstance(book, ShiftBook) else ShiftBook(book)
        self._today = today
        self._now = now
        self.settings_store = settings_store or SettingsStore.for_paths(app_paths())
        self.day_start = self.settings_store.day_start()
        self.report: ShiftReport | None = None
        self._file_dialog: QFileDialog | None = None
        self._print_dialog: Any = None
        self.last_export: Path | None = None
        self.resize(720, 640)

        col = QVBoxLayout(self)
        period = QHBoxLayout()
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("reportPeriod")
        self.period_combo.addItem(_("This shift"), SHIFT)
        self.period_combo.addItem(_("Last closed shift"), LAST_SHIFT)
        self.period_combo.addItem(_("This business day"), DAY)
        self.period_combo.addItem(_("Previous business day"), PREVIOUS_DAY)
        self.period_combo.addItem(_("Business days\u2026"), RANGE)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.from_date = QDateEdit()
        self.from_date.setObjectName("reportFrom")
        self.to_date = QDateEdit()
        self.to_date.setObjectName("reportTo")
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            use_app_date_format(edit)
            edit.setDate(self._qdate(self.today()))
            edit.dateChanged.connect(self.refresh)
        period.addWidget(QLabel(_("Period:")))
        period.addWidget(self.period_combo)
        self.from_label = QLabel(_("from"))
        self.to_label = QLabel(_("to"))
        period.addWidget(self.from_label)
        period.addWidget(self.from_date)
        period.addWidget(self.to_label)
        period.addWidget(self.to_date)
        period.addStretch(1)
        self.day_start_label = QLabel(_("Day starts at"))
        self.day_start_edit = QTimeEdit()
        self.day_start_edit.setObjectName("reportDayStart")
        self.day_start_edit.setDisplayFormat("HH:mm")
        self.day_start_edit.setTime(QTime(self.day_start.hour, self.day_start.minute))
        self.day_start_edit.setToolTip(_("When a business day begins: sales before this time count "
                                         "for the day before (a late shift stays in one day)"))
        self.day_start_label.setBuddy(self.day_start_edit)
        self.day_start_edit.timeChanged.connect(self._day_start_changed)
        period.addWidget(self.day_start_label)
        period.addWidget(self.day_start_edit)
        col.addLayout(period)
        self.period_label = QLabel()
        self.period_label.setObjectName("reportPeriodText")
        self.period_label.setWordWrap(True)
        col.addWidget(self.period_label)

        figures = QGridLayout()
        self.cash_label = QLabel()
        self.cash_label.setObjectName("reportCash")
        self.cash_label.setWordWrap(True)
        self.total_label = QLabel()
        self.total_label.setObjectName("reportFigure")
        self.count_label = QLabel()
        self.count_label.setObjectName("reportFigure")
        self.attempts_label = QLabel()
        self.attempts_label.setObjectName("reportFigure")
        figures.addWidget(self.cash_label, 0, 0, 1, 2)
        figures.addWidget(self.total_label, 1, 0)
        figures.addWidget(self.count_label, 1, 1)
        figures.addWidget(self.attempts_label, 2, 0, 1, 2)
        col.addLayout(figures)
        self.float_note = QLabel(_("Cash expected = cash sales of this period. The opening float, "
                                   "refunds and pay-outs are not recorded here: count them separately."))
        self.float_note.setWordWrap(True)
        col.addWidget(self.float_note)

        self.browser = QTextBrowser()
        self.browser.setObjectName("reportBody")
        # the columns stand apart (the Dutch headers ran together) on screen and on paper
        self.browser.document().setDefaultStyleSheet(REPORT_TABLE_CSS)
        self.browser.setOpenExternalLinks(False)
        col.addWidget(self.browser, 1)

        buttons = QHBoxLayout()
        self.export_button = QPushButton(_("Export CSV\u2026"))
        self.export_button.clicked.connect(self.choose_export_file)
        self.print_button = QPushButton(_("Print\u2026"))
        self.print_button.clicked.connect(self.print_report)
        self.html_button = QPushButton(_("Open as HTML"))
        self.html_button.setToolTip(_("Open the report in the web browser (to print or save it)"))
        self.html_button.clicked.connect(self.open_html)
        self.close_shift_button = QPushButton(_("Close shift"))
        self.close_shift_button.setObjectName("closeShift")
        self.close_shift_button.setToolTip(_("End this shift now: the next sale starts a new shift"))
        self.close_shift_button.clicked.connect(self.close_shift)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.close)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.html_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_shift_button)
        buttons.addWidget(close)
        col.addLayout(buttons)
        self._period_changed()

    # --- period ------------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return self._now() if self._now is not None else venue_now()

    def today(self) -> dt.date:
        """The current business day."""
        return self._today or business_day(self.now(), self.day_start)

    @staticmethod
    def _qdate(day: dt.date) -> QDate:
        return QDate(day.year, day.month, day.day)

    def period(self) -> tuple[dt.datetime, dt.datetime]:
        kind = self.period_combo.currentData()
        if kind == SHIFT:
            return self.book.current(self.now(), self.day_start)
        if kind == LAST_SHIFT:
            closed = self.book.last(self.day_start)
            if closed is not None:
                return closed
            now = self.now()
            return now, now                      # no shift was closed yet: nothing
        if kind == DAY:
            return business_day_range(self.today(), self.day_start)
        if kind == PREVIOUS_DAY:
            return business_day_range(self.today() - dt.timedelta(days=1), self.day_start)
        first = cast(dt.date, self.from_date.date().toPython())   # PySide6 stubs say object
        last = cast(dt.date, self.to_date.date().toPython())
        if last < first:
            first, last = last, first
        return (business_day_range(first, self.day_start)[0],
                business_day_range(last, self.day_start)[1])

    def _day_start_changed(self, value: QTime) -> None:
        self.day_start = dt.time(value.hour(), value.minute())
        try:
            self.settings_store.set_day_start(self.day_start)
        except OSError:
            pass   # still used for this window; the settings folder may be read-only
        self.refresh()

    def close_shift(self) -> ShiftReport:
        """Close the open shift now and show it (the next sale starts a new shift)."""
        self.book.close(self.now(), self.day_start)
        index = self.period_combo.findData(LAST_SHIFT)
        if self.period_combo.currentIndex() != index:
            self.period_combo.setCurrentIndex(index)   # refreshes
        return self.refresh()

    def _period_changed(self, *_args: Any) -> None:
        custom = self.period_combo.currentData() == RANGE
        for w in (self.from_label, self.from_date, self.to_label, self.to_date):
            w.setVisible(custom)
        self.refresh()

    # --- content -----------------------------------------------------------------------------
    def refresh(self, *_args: Any) -> ShiftReport:
        start, end = self.period()
        report = self.book.report(start, end)
        self.report = report
        kind = self.period_combo.currentData()
        if kind == LAST_SHIFT and self.book.last(self.day_start) is None:
            self.period_label.setText(_("No shift was closed yet."))
        elif kind in (SHIFT, LAST_SHIFT) and not (report.paid or report.not_paid or report.open):
            self.period_label.setText(_("No sales in this shift yet.") if kind == SHIFT
                                      else _("No sales in this shift."))
        else:
            self.period_label.setText(_("From {start} to {end}").format(
                start=format_datetime(start, "short"), end=format_datetime(end, "short")))
        self.cash_label.setText(_("Cash expected in the drawer: {amount}").format(
            amount=format_money(report.cash_expected)))
        self.total_label.setText(_("Total charged: {amount}").format(amount=format_money(report.amount)))
        self.count_label.setText(_("Paid sales: {count}, tickets: {tickets}").format(
            count=len(report.paid), tickets=report.tickets))
        self.attempts_label.setText(_("Not paid: {failed}; still open or to check: {open}").format(
            failed=len(report.not_paid), open=len(report.open)))
        self.browser.setHtml(to_html(report))
        return report

    # --- export / print ----------------------------------------------------------------------
    def choose_export_file(self) -> QFileDialog:
        start, _end = self.period()
        dialog = QFileDialog(self, _("Export the shift report"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(_("CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(f"shift-report-{start.date().isoformat()}.csv")
        dialog.fileSelected.connect(self.export_csv)
        self._file_dialog = dialog
        dialog.open()
        return dialog

    def export_csv(self, path: str | Path) -> Path:
        report = self.report or self.refresh()
        target = Path(path)
        _write_private(target, to_csv(report))
        self.last_export = target
        return target

    def document(self) -> QTextDocument:
        doc = QTextDocument(self)
        doc.setDefaultStyleSheet(REPORT_TABLE_CSS)
        doc.setHtml(to_html(self.report or self.refresh()))
        return doc

    def print_report(self) -> Any:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the shift report"))
        dialog.accepted.connect(lambda: self.document().print_(printer))
        self._print_dialog = (dialog, printer)
        QDialog.open(dialog)   # QPrintDialog.open() wants (receiver, member) in PySide6
        return dialog

    def open_html(self) -> Path:
        folder = Path(tempfile.mkdtemp(prefix="vdm-report-"))
        path = folder / "shift-report.html"
        _write_private(path, to_html(self.report or self.refresh()))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path
