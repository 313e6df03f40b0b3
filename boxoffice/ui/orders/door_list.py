"""``DoorListDialog``: who bought what for one performance, for the door, from the local index.

Owns the door list window (non-modal, ``show()``-n; never ``exec()``): the performance, its date
and time and how fresh the orders are ("Orders as of 20:14", highlighted when older than a few
minutes), a find box (name, e-mail, order key or seat, ignoring case and accents), the buyers in
alphabetical order (as :meth:`OrderDesk.door_list` gives them) with their seats and ticket
counts; orders not paid (a reservation, an offer) marked in bold with their status. Cancelled
orders are not on the list.
It reads only the local order index (works offline) and re-reads it when the desk has synced.

"Print…" opens the system print dialog (``QPrintDialog.open()``) and "Save as PDF…" writes an A4
PDF; both paint :class:`~boxoffice.ui.orders.door_list_print.DoorListPaper`. "Export CSV…" writes
:meth:`OrderDesk.door_list_csv` as UTF-8 with a byte order mark, so that Excel shows "Zoë" and
"Çelik" right. Files are chosen through ``choose_file`` (default: a ``QFileDialog`` opened with
``open()``), which tests replace.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.clock import venue_now
from boxoffice.domain.orders import fold
from boxoffice.i18n import _, ngettext
from boxoffice.ui.orders.door_list_print import (
    DoorListPaper,
    as_of_text,
    counted,
    is_unpaid,
    pdf_writer,
    performance_when,
    seat_lines,
    status_mark,
    totals_text,
)

log = logging.getLogger(__name__)

#: Orders read longer ago than this are shown as possibly out of date.
STALE_AFTER = dt.timedelta(minutes=5)


def desk_moved(desk: Any, shown: Any) -> bool:
    """The desk synced since *shown* (a door list or day report) was read."""
    as_of = getattr(shown, "as_of", None)
    return getattr(desk, "as_of", as_of) != as_of


def finish_buttons(dialog: QDialog, col: QVBoxLayout, row: QHBoxLayout,
                   buttons: tuple[QPushButton, ...]) -> None:
    """The dialog's button row: *buttons*, then Close at the right; Enter presses none of them
    (it belongs to the find or day box)."""
    close = QPushButton(_("Close"))
    close.clicked.connect(dialog.close)
    for button in (*buttons, close):
        button.setAutoDefault(False)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    row.addWidget(close)
    col.addLayout(row)


def watch_desk(dialog: QDialog, follow: Any) -> QTimer:
    """Re-read when the desk has synced (the index is local: cheap); the age ticks meanwhile."""
    timer = QTimer(dialog)
    timer.setInterval(15_000)
    timer.timeout.connect(follow)
    timer.start()
    return timer


def repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def show_as_of(label: QLabel, as_of: dt.datetime | None, now: dt.datetime, *, minutes_ago: bool) -> None:
    """"Orders as of 20:14" on *label*, flagged (property ``stale``) when old or never read."""
    text = as_of_text(as_of, now.date())
    stale = as_of is None or now - as_of > STALE_AFTER
    if as_of is not None and stale:
        minutes = int((now - as_of).total_seconds() // 60)
        if minutes_ago and minutes < 120:
            text += " \u2014 " + ngettext("{count} minute ago", "{count} minutes ago",
                                           minutes).format(count=minutes)
        text += " \u2014 " + _("newer orders may be missing")
    label.setText(text)
    label.setProperty("stale", "yes" if stale else "no")
    repolish(label)

COL_NAME, COL_TICKETS, COL_SEATS, COL_NOTE, COL_KEY = range(5)

DOOR_STYLE = """
QLabel#doorTitle { font-size: 16pt; font-weight: bold; color: #111111; }
QLabel#doorWhen { font-size: 12pt; color: #222222; }
QLabel#doorAsOf { font-size: 11pt; color: #1b4d2e; font-weight: bold; }
QLabel#doorAsOf[stale="yes"] { color: #8a4b00; }
QLabel#doorTotals { font-size: 12pt; }
QLabel#doorSaved { color: #555555; }
QLabel#doorFound { font-size: 12pt; font-weight: bold; color: #1f3556; }
QLineEdit#doorFind { min-height: 28px; padding: 2px 8px; font-size: 12pt; }
QTableWidget#doorTable { background: #ffffff; alternate-background-color: #f3f5f8;
                         border: 1px solid #d6d6d2; font-size: 11pt; }
"""

#: ``choose_file(parent, title, name_filter, suggested_name, on_chosen)``
FileChooser = Callable[[QWidget, str, str, str, Callable[[str], Any]], Any]


def ask_save_file(parent: QWidget, title: str, name_filter: str, suggested: str,
                  on_chosen: Callable[[str], Any]) -> QFileDialog:
    """A save dialog opened with ``open()`` (no nested event loop under qasync)."""
    dialog = QFileDialog(parent, title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(name_filter)
    dialog.setDefaultSuffix(suggested.rsplit(".", 1)[-1])
    dialog.selectFile(suggested)
    dialog.fileSelected.connect(on_chosen)
    dialog.open()
    return dialog


def words_of(text: str) -> str:
    """The words of ``text`` folded (no case, no accents), each after a space: the find box
    matches the start of words ("row 5" is not "K0005", "vries" is "de Vries")."""
    return "".join(" " + w for w in re.findall(r"\w+", fold(text)))


def file_slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")
    return slug[:40] or "performance"


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (it holds names and e-mail addresses)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


class DoorListDialog(QDialog):
    def __init__(self, desk: Any, event_id: int | str, parent: QWidget | None = None, *,
                 choose_file: FileChooser | None = None,
                 now: Callable[[], dt.datetime] = venue_now) -> None:
        super().__init__(parent)
        self.setObjectName("doorListDialog")
        self.setModal(False)
        self.setStyleSheet(DOOR_STYLE)
        self.desk = desk
        self.event_id = event_id
        self.choose_file = choose_file or ask_save_file
        self._now = now
        self.door_list: Any = None
        self.error: str | None = None
        self.last_saved: Path | None = None
        self.last_pages = 0
        self._keep: list[Any] = []          # open file / print dialogs
        self.resize(900, 680)

        col = QVBoxLayout(self)
        self.title_label = QLabel()
        self.title_label.setObjectName("doorTitle")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)
        col.addWidget(self.title_label)
        self.when_label = QLabel()
        self.when_label.setObjectName("doorWhen")
        self.when_label.setTextFormat(Qt.TextFormat.PlainText)
        col.addWidget(self.when_label)
        self.as_of_label = QLabel()
        self.as_of_label.setObjectName("doorAsOf")
        self.as_of_label.setTextFormat(Qt.TextFormat.PlainText)
        self.as_of_label.setWordWrap(True)
        col.addWidget(self.as_of_label)

        bar = QHBoxLayout()
        self.find_box = QLineEdit()
        self.find_box.setObjectName("doorFind")
        self.find_box.setPlaceholderText(_("Find a name, e-mail, order key or seat"))
        self.find_box.setAccessibleName(_("Find in the door list"))
        self.find_box.setClearButtonEnabled(True)
        self.find_box.textChanged.connect(self._apply_find)
        bar.addWidget(self.find_box, 2)
        self.found_label = QLabel()
        self.found_label.setObjectName("doorFound")
        self.found_label.hide()
        bar.addWidget(self.found_label)
        self.totals_label = QLabel()
        self.totals_label.setObjectName("doorTotals")
        self.totals_label.setWordWrap(True)
        bar.addWidget(self.totals_label, 3)
        col.addLayout(bar)

        self.table = QTableWidget(0, 5)
        self.table.setObjectName("doorTable")
        self.table.setHorizontalHeaderLabels(
            [_("Name"), _("Tickets"), _("Seats"), _("Note"), _("Order key")])
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # the seats get the room; name, note and key keep a width from the font (the note and
        # the seats wrap, the rows grow: nothing is cut off)
        metrics = self.table.fontMetrics()
        for column in (COL_NAME, COL_NOTE, COL_KEY):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TICKETS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SEATS, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COL_NAME, metrics.horizontalAdvance("M" * 17))
        header.resizeSection(COL_NOTE, metrics.horizontalAdvance("M" * 13))
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(self.table.font().pointSizeF())
        header.resizeSection(COL_KEY, QFontMetrics(fixed).horizontalAdvance(
            "XgFca-QmBxG-9WhAj-Osszb") + 24)
        header.sectionResized.connect(self._refit_rows_later)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.table.resizeRowsToContents)
        col.addWidget(self.table, 1)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        col.addWidget(self.empty_label)

        self.saved_label = QLabel()
        self.saved_label.setObjectName("doorSaved")
        self.saved_label.setTextFormat(Qt.TextFormat.PlainText)
        self.saved_label.setWordWrap(True)
        self.saved_label.hide()
        col.addWidget(self.saved_label)

        buttons = QHBoxLayout()
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.setToolTip(_("Read the door list again from the local order index"))
        self.refresh_button.clicked.connect(self.refresh)
        self.print_button = QPushButton(_("Print\u2026"))
        self.print_button.clicked.connect(self.print_list)
        self.pdf_button = QPushButton(_("Save as PDF\u2026"))
        self.pdf_button.clicked.connect(self.choose_pdf_file)
        self.csv_button = QPushButton(_("Export CSV\u2026"))
        self.csv_button.setToolTip(_("A spreadsheet file (UTF-8, opens in Excel with accents intact)"))
        self.csv_button.clicked.connect(self.choose_csv_file)
        finish_buttons(self, col, buttons, (self.refresh_button, self.print_button, self.pdf_button,
                                            self.csv_button))
        self._watch = watch_desk(self, self._follow_desk)
        self.refresh()

    # --- content ----------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return self._now()

    def refresh(self, *_args: Any) -> Any:
        """Read the door list from the desk's index and show it (keeps the find text)."""
        try:
            door_list = self.desk.door_list(self.event_id)
        except Exception as exc:   # noqa: BLE001 - a broken index must not kill the window
            log.warning("door list for %s could not be read: %s", self.event_id, exc)
            self.error = _("The door list could not be read from the local order index.")
            self.as_of_label.setText(self.error)
            self.as_of_label.setProperty("stale", "yes")
            repolish(self.as_of_label)
            for button in (self.print_button, self.pdf_button, self.csv_button):
                button.setEnabled(self.door_list is not None)
            return self.door_list
        self.error = None
        self.door_list = door_list
        for button in (self.print_button, self.pdf_button, self.csv_button):
            button.setEnabled(True)
        event = door_list.event
        title = str(getattr(event, "title", "") or "")
        self.setWindowTitle(_("Door list: {title}").format(title=title) if title
                            else _("Door list"))
        self.title_label.setText(title or _("Door list"))
        when = performance_when(event)
        self.when_label.setText(when)
        self.when_label.setVisible(bool(when))
        self._show_as_of()
        self._fill(door_list.entries)
        buyers, tickets = counted(door_list.entries)
        self.totals_label.setText(totals_text(buyers, tickets, door_list.entries))
        self._apply_find()
        return door_list

    def _follow_desk(self) -> None:
        if desk_moved(self.desk, self.door_list):
            self.refresh()
        elif self.error is None:
            self._show_as_of()

    def _show_as_of(self) -> None:
        show_as_of(self.as_of_label, getattr(self.door_list, "as_of", None), self.now(), minutes_ago=True)

    def _fill(self, entries: Any) -> None:
        table = self.table
        table.setSortingEnabled(False)
        table.setRowCount(0)
        table.setRowCount(len(entries))
        amber = QColor("#8a4b00")
        key_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        key_font.setPointSizeF(table.font().pointSizeF())
        for r, entry in enumerate(entries):
            status = getattr(entry, "status", None)
            unpaid = is_unpaid(status)
            name = str(entry.name or entry.email or "\u2014")
            seats = seat_lines(entry.seats)
            texts = [name, str(entry.tickets), "\n".join(seats) or "\u2014",
                     status_mark(status), str(entry.order_key or "")]
            haystack = words_of(" ".join([name, str(entry.email or ""),
                                          str(entry.order_key or ""), " ".join(seats)]))
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c == COL_TICKETS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                if c == COL_KEY:
                    item.setFont(key_font)      # l, I and 1 told apart when reading a key out
                if c == COL_NAME:
                    item.setData(Qt.ItemDataRole.UserRole, haystack)
                    if entry.email:
                        item.setToolTip(str(entry.email))
                if unpaid and c in (COL_NAME, COL_NOTE):
                    font = QFont(table.font())
                    font.setBold(True)
                    item.setFont(font)
                    if c == COL_NOTE:
                        item.setForeground(amber)
                table.setItem(r, c, item)
        table.resizeRowsToContents()
        empty = not entries
        table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self.empty_label.setText(_("No orders for this performance in the local order index."))

    def _refit_rows_later(self, *_args: Any) -> None:
        self._refit.start()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt
        super().showEvent(event)
        self._refit.start()                 # the final column widths are known now
        self.find_box.setFocus(Qt.FocusReason.OtherFocusReason)   # type a name straight away

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt
        # Escape clears the find box first (the window closes on a second Escape)
        if event.key() == Qt.Key.Key_Escape and self.find_box.text():
            self.find_box.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    def _apply_find(self, *_args: Any) -> None:
        """Show the buyers the find box matches: the typed words as they stand ("de v" is "de
        Vries", not "van der Berg"); when no buyer has them so, each word at the start of a word,
        in any order ("berg jan")."""
        phrase = words_of(self.find_box.text())
        words = phrase.split()
        haystacks = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, COL_NAME)
            haystacks.append(item.data(Qt.ItemDataRole.UserRole) if item is not None else "")
        as_typed = bool(words) and any(phrase in h for h in haystacks)
        shown = 0
        for r, haystack in enumerate(haystacks):
            match = (phrase in haystack) if as_typed else all(" " + w in haystack for w in words)
            self.table.setRowHidden(r, not match)
            shown += match
        self.found_label.setVisible(bool(words))
        self.found_label.setText(ngettext("{count} found", "{count} found", shown)
                                 .format(count=shown) if shown else _("No buyer matches."))

    def visible_names(self) -> list[str]:
        """The names shown, top to bottom (what the door person sees)."""
        names = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, COL_NAME)
            if item is not None and not self.table.isRowHidden(r):
                names.append(item.text())
        return names

    # --- files --------------------------------------------------------------------------------
    def _suggested(self, suffix: str) -> str:
        event = getattr(self.door_list, "event", None)
        starts = getattr(event, "starts_at", None)
        day = starts.date().isoformat() if starts is not None else str(self.event_id)
        return f"door-list-{day}-{file_slug(str(getattr(event, 'title', '') or ''))}.{suffix}"

    def choose_csv_file(self) -> Any:
        chooser = self.choose_file(self, _("Export the door list"), _("CSV files (*.csv)"),
                                   self._suggested("csv"), self.export_csv)
        self._keep.append(chooser)
        return chooser

    def export_csv(self, path: str | Path) -> Path | None:
        """Write the door list as CSV: UTF-8 with a byte order mark (Excel reads accents right)."""
        door_list = self.door_list if self.door_list is not None else self.refresh()
        target = Path(path)
        try:
            write_private(target, self.desk.door_list_csv(door_list).encode("utf-8-sig"))
        except OSError as exc:
            log.warning("door list CSV not written: %s", exc)
            self._say(_("The file could not be written to {path}.").format(path=str(target)))
            return None
        self._saved(target)
        return target

    def choose_pdf_file(self) -> Any:
        chooser = self.choose_file(self, _("Save the door list as PDF"), _("PDF files (*.pdf)"),
                                   self._suggested("pdf"), self.save_pdf)
        self._keep.append(chooser)
        return chooser

    def paper(self) -> DoorListPaper:
        door_list = self.door_list if self.door_list is not None else self.refresh()
        return DoorListPaper(door_list, printed_at=self.now())

    def save_pdf(self, path: str | Path) -> int:
        """Write an A4 PDF of the door list; returns the number of pages."""
        target = Path(path)
        writer = pdf_writer(str(target))
        title = str(getattr(self.door_list.event, "title", "") or "")
        writer.setTitle(_("Door list: {title}").format(title=title))
        self.last_pages = self.paper().paint(writer)     # the file is complete when it returns
        del writer
        if not self.last_pages:
            self._say(_("The PDF could not be written to {path}.").format(path=str(target)))
            return 0
        try:
            os.chmod(target, 0o600)
        except OSError:
            pass
        self._saved(target)
        return self.last_pages

    def print_list(self) -> Any:
        """The system print dialog (``open()``); the list is printed when it is accepted."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        title = str(getattr(getattr(self.door_list, "event", None), "title", "") or "")
        printer.setDocName(_("Door list: {title}").format(title=title))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the door list"))
        dialog.accepted.connect(lambda: self.print_to(printer))
        self._keep.append((dialog, printer))
        QDialog.open(dialog)   # QPrintDialog.open() in PySide6 wants (receiver, member)
        return dialog

    def print_to(self, device: Any) -> int:
        self.last_pages = self.paper().paint(device)
        if self.last_pages:
            self._say(ngettext("Sent to the printer: {count} page.",
                               "Sent to the printer: {count} pages.",
                               self.last_pages).format(count=self.last_pages))
        else:
            self._say(_("The printer could not be started. Try \u201cSave as PDF\u201d instead."))
        return self.last_pages

    def _saved(self, target: Path) -> None:
        self.last_saved = target
        self._say(_("Saved: {path}").format(path=str(target)))

    def _say(self, text: str) -> None:
        self.saved_label.setText(text)
        self.saved_label.show()
