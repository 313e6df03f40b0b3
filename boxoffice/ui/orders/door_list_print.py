"""The door list on paper: a clean, paginated table painted onto a printer or a PDF file.

Owns the texts a door list shows per buyer (seats grouped by section and row, the status mark)
and the paper layout: on every page a header with the performance, its date and time, the time
the orders were read ("orders as of 20:14") and the totals, the column headings again, and the
performance and "page 2 of 5" at the foot; rows never split over two pages; a tick box per buyer
for the door; orders not paid (a reservation, an offer) in bold with their status. Cancelled
orders are not on the list (:func:`boxoffice.domain.orders.build_door_list` leaves them out).
Painted with ``QPainter`` on any ``QPagedPaintDevice`` (``QPrinter`` from the print dialog,
``QPdfWriter`` for "Save as PDF").
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.i18n import _, format_date, format_datetime, format_time, ngettext


def _plain_statuses() -> tuple[str, ...]:
    """The status words (:func:`boxoffice.domain.orders.status_words`, current language) of an
    order that is fine at the door."""
    return (_("paid"), _("re-issued"), _("reservation, paid"))


def status_mark(status: str | None) -> str:
    """What the note column says: nothing for a paid order, else the status in words."""
    text = (status or "").strip()
    return "" if text == _("paid") else text


def is_unpaid(status: str | None) -> bool:
    """The order needs a look at the door (a reservation not paid, an offer, a failed payment
    ...): anything but paid or re-issued."""
    return bool((status or "").strip()) and (status or "").strip() not in _plain_statuses()


def _natural(label: Any) -> tuple[int, int | str]:
    text = str(label or "")
    return (0, int(text)) if text.isdigit() else (1, text)


def seat_lines(seats: Iterable[Any]) -> list[str]:
    """Seats grouped by section and row: ``Stalls, row 5: 12, 13`` (one line per row); seats
    without a row or seat number (free seating) as ``Balcony: 2 tickets``."""
    groups: dict[tuple[str, str], list[str]] = {}
    free: dict[str, int] = {}
    for seat in seats:
        section = str(getattr(seat, "section", "") or "").strip()
        row = str(getattr(seat, "row", "") or "").strip()
        number = str(getattr(seat, "seat", "") or "").strip()
        if not row and not number:
            free[section] = free.get(section, 0) + 1
            continue
        groups.setdefault((section, row), []).append(number)
    lines = []
    for (section, row), numbers in sorted(groups.items(),
                                          key=lambda g: (g[0][0], _natural(g[0][1]))):
        numbers = sorted(numbers, key=_natural)
        seats_text = ", ".join(n for n in numbers if n) or "?"
        if row:
            text = _("row {row}: {seats}").format(row=row, seats=seats_text)
        else:
            text = _("seats {seats}").format(seats=seats_text)
        lines.append(f"{section}, {text}" if section else text)
    for section, count in sorted(free.items()):
        tickets = ngettext("{count} ticket", "{count} tickets", count).format(count=count)
        lines.append(f"{section}: {tickets}" if section else
                     _("Free seating: {tickets}").format(tickets=tickets))
    return lines


def performance_when(event: Any) -> str:
    """``Friday 4 December 2026 · 20:00`` (empty when the performance has no known start)."""
    starts = getattr(event, "starts_at", None)
    if starts is None:
        return ""
    return format_date(starts, "full") + " \u00b7 " + format_time(starts)


def as_of_text(as_of: dt.datetime | None, today: dt.date | None = None) -> str:
    """``Orders as of 20:14`` (with the date when it is not today); never synced: say so."""
    if as_of is None:
        return _("Orders not read yet: this list may be incomplete")
    local = as_of.astimezone(VENUE_ZONE) if as_of.tzinfo is not None else as_of
    if today is not None and local.date() == today:
        return _("Orders as of {time}").format(time=format_time(as_of))
    return _("Orders as of {moment}").format(moment=format_datetime(as_of, "medium"))


def counted(entries: Sequence[Any]) -> tuple[int, int]:
    """(buyers, tickets) on the list (cancelled orders are not on it)."""
    return len(entries), sum(int(getattr(e, "tickets", 0) or 0) for e in entries)


@dataclass(frozen=True)
class PaperRow:
    name: str
    tickets: str
    seats: tuple[str, ...]
    mark: str
    unpaid: bool


def paper_rows(entries: Iterable[Any]) -> list[PaperRow]:
    rows = []
    for entry in entries:
        status = getattr(entry, "status", None)
        rows.append(PaperRow(
            name=str(getattr(entry, "name", "") or getattr(entry, "email", "") or "\u2014"),
            tickets=str(int(getattr(entry, "tickets", 0) or 0)),
            seats=tuple(seat_lines(getattr(entry, "seats", ()) or ())),
            mark=status_mark(status), unpaid=is_unpaid(status)))
    return rows


# column widths as parts of the page width: tick box, name, (tickets: measured), seats, note
_BOX, _NAME, _NOTE = 0.05, 0.29, 0.24
_BODY_PT, _HEAD_PT, _TITLE_PT, _SMALL_PT = 10.0, 9.0, 15.0, 8.5


class DoorListPaper:
    """Lays a door list out on pages and paints it (``paint``); ``pages`` says which rows went on
    which page after painting (or after ``layout`` for a device)."""

    def __init__(self, door_list: Any, *, printed_at: dt.datetime,
                 font_family: str | None = None) -> None:
        self.door_list = door_list
        self.printed_at = printed_at
        self.rows = paper_rows(door_list.entries)
        self.family = font_family or QGuiApplication.font().family()
        self.pages: list[list[int]] = []

    # --- fonts and measures (device pixels) ----------------------------------------------------
    def _font(self, points: float, bold: bool = False, italic: bool = False) -> QFont:
        font = QFont(self.family)
        font.setPointSizeF(points)
        font.setBold(bold)
        font.setItalic(italic)
        return font

    @staticmethod
    def _pt(device: QPagedPaintDevice, points: float) -> float:
        return points * device.logicalDpiY() / 72.0

    def _metrics(self, device: QPagedPaintDevice) -> dict[str, Any]:
        body = QFontMetricsF(self._font(_BODY_PT), device)
        bold = QFontMetricsF(self._font(_BODY_PT, bold=True), device)
        head = QFontMetricsF(self._font(_HEAD_PT, bold=True), device)
        title = QFontMetricsF(self._font(_TITLE_PT, bold=True), device)
        small = QFontMetricsF(self._font(_SMALL_PT), device)
        pad = self._pt(device, 3)
        width = float(device.width())
        tickets = max(head.horizontalAdvance(_("Tickets")), body.horizontalAdvance("9999")) + 3 * pad
        widths = [width * _BOX, width * _NAME, tickets, 0.0, width * _NOTE]
        widths[3] = width - sum(widths)
        x = 0.0
        columns = []
        for w in widths:
            columns.append((x, w))
            x += w
        header_h = title.height() + small.height() * 2 + pad * 4
        return {"body": body, "bold": bold, "head": head, "title": title, "small": small,
                "pad": pad, "width": width, "height": float(device.height()), "columns": columns,
                "header_h": header_h, "table_head_h": head.height() + 2 * pad,
                "footer_h": small.height() + 2 * pad}

    def _wrap(self, metrics: QFontMetricsF, text: str, width: float) -> list[str]:
        """Word-wrap ``text`` to ``width`` (long words are cut)."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current = ""
            for word in paragraph.split(" "):
                trial = f"{current} {word}" if current else word
                if metrics.horizontalAdvance(trial) <= width:
                    current = trial
                    continue
                if current:
                    lines.append(current)
                while metrics.horizontalAdvance(word) > width and len(word) > 1:
                    cut = len(word)
                    while cut > 1 and metrics.horizontalAdvance(word[:cut]) > width:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                current = word
            lines.append(current)
        return lines

    def _cells(self, m: dict[str, Any], row: PaperRow) -> list[list[str]]:
        pad = m["pad"]
        widths = [w - 2 * pad for _x, w in m["columns"]]
        name_font = m["bold"] if row.unpaid else m["body"]
        seats: list[str] = []
        for line in row.seats or ("\u2014",):
            seats.extend(self._wrap(m["body"], line, widths[3]))
        return [[], self._wrap(name_font, row.name, widths[1]), [row.tickets], seats,
                self._wrap(m["bold"] if row.unpaid else m["body"], row.mark, widths[4])]

    def _row_height(self, m: dict[str, Any], row: PaperRow) -> float:
        lines = max(1, *(len(c) for c in self._cells(m, row)))
        return lines * m["body"].height() + 2 * m["pad"]

    # --- layout ---------------------------------------------------------------------------------
    def layout(self, device: QPagedPaintDevice) -> list[list[int]]:
        """Which rows go on which page (a row is never split; a page holds at least one row)."""
        m = self._metrics(device)
        room = m["height"] - m["header_h"] - m["table_head_h"] - m["footer_h"]
        pages: list[list[int]] = [[]]
        used = 0.0
        for index, row in enumerate(self.rows):
            h = self._row_height(m, row)
            if pages[-1] and used + h > room:
                pages.append([])
                used = 0.0
            pages[-1].append(index)
            used += h
        self.pages = pages
        return pages

    # --- painting -------------------------------------------------------------------------------
    def paint(self, device: QPagedPaintDevice) -> int:
        """Paint every page on ``device`` (a printer or a PDF writer); returns the page count
        (0 when the device could not be opened: no printer, a file that cannot be written)."""
        pages = self.layout(device)
        m = self._metrics(device)
        painter = QPainter()
        if not painter.begin(device):
            return 0             # the printer or file could not be opened
        try:
            for number, rows in enumerate(pages, start=1):
                if number > 1:
                    device.newPage()
                self._paint_page(painter, m, number, len(pages), rows)
        finally:
            painter.end()
        return len(pages)

    def _paint_page(self, painter: QPainter, m: dict[str, Any], number: int, total: int,
                    rows: list[int]) -> None:
        pad, width = m["pad"], m["width"]
        ink, grey, rule = QColor("#111111"), QColor("#6a6a6a"), QColor("#9a9a96")
        event = self.door_list.event
        y = 0.0
        painter.setPen(ink)
        painter.setFont(self._font(_TITLE_PT, bold=True))
        title = _("Door list: {title}").format(title=getattr(event, "title", "") or "")
        title = m["title"].elidedText(title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QPointF(0, y + m["title"].ascent()), title)
        y += m["title"].height() + pad
        painter.setFont(self._font(_SMALL_PT))
        today = self.printed_at.date()
        line = performance_when(event)
        as_of = as_of_text(self.door_list.as_of, today)
        painter.drawText(QPointF(0, y + m["small"].ascent()),
                         " \u00b7 ".join(t for t in (line, as_of) if t))
        y += m["small"].height() + pad
        # the totals (on every page: a page on its own still says what it is part of)
        buyers, tickets = counted(self.door_list.entries)
        painter.setPen(grey)
        painter.drawText(QPointF(0, y + m["small"].ascent()), m["small"].elidedText(
            totals_text(buyers, tickets, self.door_list.entries) + " \u00b7 "
            + _("Printed {moment}").format(moment=format_datetime(self.printed_at, "medium")),
            Qt.TextElideMode.ElideRight, width))
        y = m["header_h"]

        # column headings, on every page
        headings = ["", _("Name"), _("Tickets"), _("Seats"), _("Note")]
        painter.fillRect(QRectF(0, y, width, m["table_head_h"]), QColor("#eceae6"))
        painter.setPen(ink)
        painter.setFont(self._font(_HEAD_PT, bold=True))
        for (x, w), text, col in zip(m["columns"], headings, range(5), strict=True):
            align = Qt.AlignmentFlag.AlignRight if col == 2 else Qt.AlignmentFlag.AlignLeft
            painter.drawText(QRectF(x + pad, y, w - 2 * pad, m["table_head_h"]),
                             int(align | Qt.AlignmentFlag.AlignVCenter), text)
        y += m["table_head_h"]

        line_h = m["body"].height()
        for position, index in enumerate(rows):
            row = self.rows[index]
            cells = self._cells(m, row)
            h = self._row_height(m, row)
            if position % 2:
                painter.fillRect(QRectF(0, y, width, h), QColor("#f1f1ef"))
            painter.setPen(QPen(rule, 0))
            painter.drawLine(QPointF(0, y + h), QPointF(width, y + h))
            # the tick box for the door
            box = min(line_h * 0.8, m["columns"][0][1] - 2 * pad)
            bx = m["columns"][0][0] + (m["columns"][0][1] - box) / 2
            painter.setPen(QPen(QColor("#444444"), max(1.0, line_h / 18)))
            painter.drawRect(QRectF(bx, y + pad + (line_h - box) / 2, box, box))
            for col, lines in enumerate(cells):
                if not lines:
                    continue
                x, w = m["columns"][col]
                bold = row.unpaid and col in (1, 4)
                painter.setFont(self._font(_BODY_PT, bold=bold))
                painter.setPen(QColor("#8a4b00") if row.unpaid and col == 4 else ink)
                for i, text in enumerate(lines):
                    align = Qt.AlignmentFlag.AlignRight if col == 2 else Qt.AlignmentFlag.AlignLeft
                    painter.drawText(QRectF(x + pad, y + pad + i * line_h, w - 2 * pad, line_h),
                                     int(align | Qt.AlignmentFlag.AlignVCenter), text)
            y += h

        # the foot: the performance and the page number
        painter.setFont(self._font(_SMALL_PT))
        painter.setPen(grey)
        foot_y = m["height"] - m["small"].height()
        painter.drawText(QRectF(0, foot_y, width, m["small"].height()),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         _("Page {page} of {pages}").format(page=number, pages=total))
        foot = " \u00b7 ".join(t for t in (getattr(event, "title", "") or "", line) if t)
        painter.drawText(QRectF(0, foot_y, width * 0.75, m["small"].height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         m["small"].elidedText(foot, Qt.TextElideMode.ElideRight, width * 0.75))


def totals_text(buyers: int, tickets: int, entries: Sequence[Any]) -> str:
    """``42 buyers, 97 tickets · 3 not paid`` (cancelled orders are not on the list)."""
    text = ngettext("{count} buyer", "{count} buyers", buyers).format(count=buyers) + ", " + \
        ngettext("{count} ticket", "{count} tickets", tickets).format(count=tickets)
    unpaid = sum(1 for e in entries if is_unpaid(getattr(e, "status", None)))
    if unpaid:
        text += " \u00b7 " + ngettext("{count} order not paid", "{count} orders not paid",
                                      unpaid).format(count=unpaid)
    return text


def pdf_writer(path: str) -> QPdfWriter:
    """An A4 portrait PDF writer with 15 mm margins, titled for the file's metadata."""
    writer = QPdfWriter(path)
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setCreator("VdM Box Office")
    return writer
