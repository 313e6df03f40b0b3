"""``EventTreeModel``: a read-only QAbstractItemModel adapter over production/performance rows.

Two levels: productions (top) and their performances (children). The model holds only the
immutable rows of :mod:`boxoffice.ui.events.rows`; a refresh replaces them in one reset. Statuses
(on sale / past …) are recomputed in place each minute without disturbing the selection.

The 'Left' column: with the key, the peppered count ("12 left" / "Few left: 3" / "Sold out"); a
count that is not live (read before a failure, saved offline) is greyed and in italics, and its
tooltip says "as of HH:MM". Without a count, the public per-order maximum ("max 10/order").
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from boxoffice.domain.availability import Availability, Level, is_live, per_order_limit
from boxoffice.domain.performance import PerformanceStatus, opaque_id, performance_status
from boxoffice.i18n import _, format_date, format_time, format_when, ngettext, weekday
from boxoffice.ui.events.rows import PerformanceRow, ProductionRow, build_rows

COL_WHAT, COL_WEEKDAY, COL_TIME, COL_HALL, COL_STATUS, COL_LEFT = range(6)
COLUMN_COUNT = 6

RowRole = Qt.ItemDataRole.UserRole + 1        # the PerformanceRow / ProductionRow
StatusRole = Qt.ItemDataRole.UserRole + 2     # PerformanceStatus (performances only)
KindRole = Qt.ItemDataRole.UserRole + 3       # "production" | "performance"
LevelRole = Qt.ItemDataRole.UserRole + 4      # availability Level, or "per_order" / None

_TOP = 0  # internalId of top-level indexes; children carry production row + 1

Index = QModelIndex | QPersistentModelIndex


def status_text(status: PerformanceStatus) -> str:
    return status.label()


def availability_text(availability: Availability) -> str:
    """What is left, from peppered counts: "12 left", "Few left: 3", "Sold out"."""
    level = availability.level
    if level is Level.SOLD_OUT:
        return _("Sold out")
    if level is Level.FEW:
        return _("Few left: {count}").format(count=availability.left)
    return _("{count} left").format(count=availability.left)


def as_of_text(text: str, moment: dt.datetime | None, today: dt.date | None) -> str:
    """A count that is not live, with when it was read: "12 left (as of 14:05)" (the date too
    when it was not today)."""
    if moment is None:
        return _("{left} (not live)").format(left=text)
    return _("{left} (as of {time})").format(left=text, time=format_when(moment, today))


def per_order_text(limit: int) -> str:
    """Without the key: the public ``event_free``, the most one order may hold (not a capacity)."""
    return _("max {count}/order").format(count=limit)


def availability_samples() -> list[str]:
    """The longest texts the availability column shows (for its width)."""
    return [availability_text(Availability(1999, 2000)), availability_text(Availability(20, 2000)),
            availability_text(Availability(0)), per_order_text(99)]


class EventTreeModel(QAbstractItemModel):
    """Productions → performances, five columns: what/date, weekday, time, hall, status."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._productions: list[ProductionRow] = []
        self._statuses: dict[int | str, PerformanceStatus] = {}
        self._bold: QFont | None = None
        self._italic_font: QFont | None = None
        self._texts: dict[int | str, tuple[str, str, str]] = {}  # event_id -> (date, weekday, time)
        self._today: dt.date | None = None
        self._availability: dict[int | str, Availability] = {}
        self._live_since: dt.datetime | None = None

    # --- data in ------------------------------------------------------------------------------
    def set_events(self, events: Iterable[Any], now: dt.datetime) -> None:
        self.beginResetModel()
        self._productions = build_rows(events, now)
        self._texts = {}
        self._today = now.date()
        self._statuses = {p.event_id: p.status for prod in self._productions for p in prod.performances}
        self.endResetModel()

    def refresh_statuses(self, now: dt.datetime) -> None:
        if now.date() != self._today:  # after midnight "Today"/"Tomorrow" move on
            self._today = now.date()
            self._texts = {}
            if self._productions:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._productions) - 1, 0))
        for r, prod in enumerate(self._productions):
            changed = False
            for perf in prod.performances:
                status = performance_status(perf.source, now)
                if self._statuses.get(perf.event_id) is not status:
                    self._statuses[perf.event_id] = status
                    changed = True
            if changed:
                parent = self.index(r, 0)
                last = len(prod.performances) - 1
                self.dataChanged.emit(self.index(0, 0, parent), self.index(last, COLUMN_COUNT - 1, parent))

    def set_availability(self, availability: Mapping[Any, Availability],
                         live_since: dt.datetime | None = None) -> None:
        """What is left per performance (peppered counts, keyed by event id); the rows change in
        place (selection and scroll position stay). ``live_since``: when the latest round of
        reads began (a count read before it is not live); None: none is live (offline, or only
        the saved counts known)."""
        new = {opaque_id(k): v for k, v in availability.items()}
        if new == self._availability and live_since == self._live_since:
            return
        self._availability, self._live_since = new, live_since
        for r, prod in enumerate(self._productions):
            if prod.performances:
                parent = self.index(r, 0)
                last = len(prod.performances) - 1
                self.dataChanged.emit(self.index(0, COL_LEFT, parent),
                                      self.index(last, COL_LEFT, parent))

    def availability_of(self, perf: PerformanceRow) -> Availability | None:
        return self._availability.get(perf.event_id)

    def is_stale(self, perf: PerformanceRow) -> bool:
        """The count shown for *perf* is not live (read before the latest round, or offline)."""
        known = self._availability.get(perf.event_id)
        return known is not None and not is_live(known, self._live_since) \
            and self.left_text(perf)[1] is not None

    def _left_described(self, perf: PerformanceRow) -> str:
        """The column's text for tooltips and screen readers: "as of" when not live."""
        text = self.left_text(perf)[0]
        if text and self.is_stale(perf):
            known = self._availability[perf.event_id]
            return as_of_text(text, known.as_of, self._today)
        return text

    def left_text(self, perf: PerformanceRow) -> tuple[str, object]:
        """The availability column: its text and its kind (a Level, "per_order" or None)."""
        status = self.status_of(perf)
        if status in (PerformanceStatus.PAST, PerformanceStatus.NOT_ON_SALE):
            return "", None
        known = self._availability.get(perf.event_id)
        sold_out = status is PerformanceStatus.SOLD_OUT
        if known is not None and not (sold_out and known.level is Level.SOLD_OUT):
            return availability_text(known), known.level   # (a count newer than the list's too)
        if sold_out:
            return "", None   # the status says it (once is enough)
        limit = per_order_limit(getattr(perf.source, "event_free", None))
        return (per_order_text(limit), "per_order") if limit else ("", None)

    def productions(self) -> list[ProductionRow]:
        return list(self._productions)

    def performance_count(self) -> int:
        return sum(len(p.performances) for p in self._productions)

    def status_of(self, perf: PerformanceRow) -> PerformanceStatus:
        return self._statuses.get(perf.event_id, perf.status)

    def find_performance(self, event_id: int | str) -> QModelIndex:
        for r, prod in enumerate(self._productions):
            for c, perf in enumerate(prod.performances):
                if perf.event_id == event_id:
                    return self.index(c, 0, self.index(r, 0))
        return QModelIndex()

    def row_at(self, index: Index) -> PerformanceRow | ProductionRow | None:
        if not index.isValid():
            return None
        parent_id = index.internalId()
        if parent_id == _TOP:
            return self._productions[index.row()] if index.row() < len(self._productions) else None
        prod = self._productions[parent_id - 1]
        return prod.performances[index.row()] if index.row() < len(prod.performances) else None

    # --- structure ----------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= COLUMN_COUNT or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._productions):
                return QModelIndex()
            return self.createIndex(row, column, _TOP)
        if parent.internalId() != _TOP:
            return QModelIndex()
        prod_row = parent.row()
        if prod_row >= len(self._productions) or row >= len(self._productions[prod_row].performances):
            return QModelIndex()
        return self.createIndex(row, column, prod_row + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent_id = index.internalId()
        if parent_id == _TOP:
            return QModelIndex()
        return self.createIndex(parent_id - 1, 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        if not parent.isValid():
            return len(self._productions)
        if parent.internalId() != _TOP or parent.column() != 0:
            return 0
        return len(self._productions[parent.row()].performances)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return COLUMN_COUNT

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Date"), _("Day"), _("Time"), _("Hall"), _("Status"), _("Left"))[section]

    # --- data out -----------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        col = index.column()
        if role == RowRole:
            return row
        if isinstance(row, ProductionRow):
            return self._production_data(row, col, role)
        return self._performance_data(row, col, role)

    def _production_data(self, prod: ProductionRow, col: int, role: int) -> Any:
        if role == KindRole:
            return "production"
        if role == Qt.ItemDataRole.DisplayRole and col == COL_WHAT:
            count = len(prod.performances)
            text = prod.name
            if prod.subtitle:
                text += f" \u2014 {prod.subtitle}"
            return text + "  " + ngettext("({count} performance)", "({count} performances)",
                                         count).format(count=count)
        if role == Qt.ItemDataRole.FontRole:
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return prod.name
        return None

    def _italic(self) -> QFont:
        if self._italic_font is None:
            self._italic_font = QFont()
            self._italic_font.setItalic(True)
        return self._italic_font

    def _when_texts(self, perf: PerformanceRow) -> tuple[str, str, str]:
        """Formatted once per row (Babel is slow enough to matter while scrolling)."""
        texts = self._texts.get(perf.event_id)
        if texts is None:
            day = perf.starts_at.date()
            if day == self._today:
                day_text = _("Today")
            elif self._today is not None and day == self._today + dt.timedelta(days=1):
                day_text = _("Tomorrow")
            else:
                day_text = weekday(day)
            texts = (format_date(day, "medium"), day_text, format_time(perf.starts_at.time()))
            self._texts[perf.event_id] = texts
        return texts

    def _performance_data(self, perf: PerformanceRow, col: int, role: int) -> Any:
        status = self.status_of(perf)
        if role == KindRole:
            return "performance"
        if role == StatusRole:
            return status
        if role == LevelRole:
            return self.left_text(perf)[1]
        if role == Qt.ItemDataRole.AccessibleTextRole and col == COL_LEFT:
            return self._left_described(perf)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col in (COL_WHAT, COL_WEEKDAY, COL_TIME):
                return self._when_texts(perf)[col]
            if col == COL_HALL:
                return perf.hall
            if col == COL_STATUS:
                return status_text(status)
            if col == COL_LEFT:
                return self.left_text(perf)[0]
        if role == Qt.ItemDataRole.ToolTipRole:
            left = self._left_described(perf)
            return f"{perf.name} \u00b7 {format_date(perf.starts_at.date(), 'full')} " \
                   f"{format_time(perf.starts_at.time())} \u00b7 {perf.hall} \u00b7 {status_text(status)}" \
                   + (f" \u00b7 {left}" if left else "")
        if col == COL_LEFT and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole) \
                and self.is_stale(perf):      # not live: grey and italic, whatever it says
            return QColor("#6b6b6b") if role == Qt.ItemDataRole.ForegroundRole else self._italic()
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_LEFT:
            level = self.left_text(perf)[1]
            if level is Level.FEW:
                return QColor("#8a4b00")
            if level is Level.SOLD_OUT:
                return QColor("#a4262c")
            if level == "per_order":
                return QColor("#555555")
        if role == Qt.ItemDataRole.FontRole and col == COL_LEFT \
                and self.left_text(perf)[1] in (Level.FEW, Level.SOLD_OUT):
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and status is PerformanceStatus.PAST and col != COL_STATUS:
            return QColor("#6b6b6b")
        if role == Qt.ItemDataRole.FontRole and col == COL_WEEKDAY and perf.starts_at.date() == self._today:
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        return None
