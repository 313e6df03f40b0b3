"""``OrderResultsModel`` and ``OrderResultsView``: the order desk's list of found orders.

Owns one row per :class:`~boxoffice.domain.orders.DeskOrder` in the order the desk's search
gives them (tonight's performances first, then upcoming, then past): the buyer's name, the order
key, the performance and its date, the number of seats and the status in plain words. A void
(cancelled or deleted) order's row is greyed and says so in the status column. The view opens the
chosen order with Enter or a double click; Up from the first row goes back to the search box.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from boxoffice.domain.clock import VENUE_ZONE, venue_now
from boxoffice.domain.orders import DeskEvent, DeskOrder, status_words
from boxoffice.i18n import _, format_date, format_time, ngettext, weekday

COL_NAME, COL_KEY, COL_PERFORMANCE, COL_SEATS, COL_STATUS = range(5)
ORDER_ROLE = int(Qt.ItemDataRole.UserRole) + 1

_VOID_TEXT = QColor("#8a8a8a")
_VOID_STATUS = QColor("#a4262c")

ModelIndex = QModelIndex | QPersistentModelIndex


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(VENUE_ZONE) if moment.tzinfo else moment


def when_words(starts_at: dt.datetime | None, now: dt.datetime) -> str:
    """``"tonight 20:00"``, ``"today 14:30"``, ``"tomorrow 20:00"`` or ``"Sat 12 Dec 2026 20:00"``."""
    if starts_at is None:
        return ""
    local = _local(starts_at)
    today = _local(now).date()
    clock = format_time(local)
    if local.date() == today:
        return (_("tonight {time}") if local.hour >= 17 else _("today {time}")).format(time=clock)
    if local.date() == today + dt.timedelta(days=1):
        return _("tomorrow {time}").format(time=clock)
    return _("{weekday} {date} {time}").format(weekday=weekday(local.date(), "abbreviated"),
                                               date=format_date(local.date()), time=clock)


def performance_words(event: DeskEvent, now: dt.datetime) -> str:
    """``"Hamlet — tonight 20:00"`` (the title alone when the date is unknown)."""
    title = event.title or _("Performance {id}").format(id=event.event_id)
    when = when_words(event.starts_at, now)
    return _("{title} \u2014 {when}").format(title=title, when=when) if when else title


def order_performances(order: DeskOrder, now: dt.datetime) -> str:
    """The order's performance(s) in one line: the first, and how many more."""
    events = list(order.events)
    if not events:
        ids: list[Any] = []
        for seat in order.seats:
            if seat.event_id not in ids:
                ids.append(seat.event_id)
        events = [DeskEvent(i, "", None) for i in ids]
    if not events:
        return ""
    text = performance_words(events[0], now)
    if len(events) > 1:
        more = len(events) - 1
        text += " " + ngettext("(+{count} more)", "(+{count} more)", more).format(count=more)
    return text


class OrderResultsModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], dt.datetime] = venue_now) -> None:
        super().__init__(parent)
        self.clock = clock
        self._orders: list[DeskOrder] = []
        self._now = clock()

    # --- data in ------------------------------------------------------------------------------
    def set_orders(self, orders: Sequence[DeskOrder]) -> None:
        self.beginResetModel()
        self._orders = list(orders)
        self._now = self.clock()
        self.endResetModel()

    def order_at(self, row: int) -> DeskOrder | None:
        return self._orders[row] if 0 <= row < len(self._orders) else None

    def row_of(self, order: DeskOrder) -> int:
        key = str(order.order_id)
        return next((i for i, o in enumerate(self._orders) if str(o.order_id) == key), -1)

    @property
    def orders(self) -> list[DeskOrder]:
        return list(self._orders)

    # --- Qt model -----------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._orders)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Name"), _("Order key"), _("Performance"), _("Seats"), _("Status"))[section]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        order = self.order_at(index.row()) if index.isValid() else None
        if order is None:
            return None
        col = index.column()
        if role == ORDER_ROLE:
            return order
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(order, col)
        if role == Qt.ItemDataRole.ForegroundRole and order.is_void:
            return QBrush(_VOID_STATUS if col == COL_STATUS else _VOID_TEXT)
        if role == Qt.ItemDataRole.FontRole and col == COL_KEY:
            font = QFont("monospace")
            font.setStyleHint(QFont.StyleHint.Monospace)
            return font
        if role == Qt.ItemDataRole.FontRole and col == COL_STATUS and order.is_void:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_SEATS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, order: DeskOrder, col: int) -> str:
        if col == COL_NAME:
            return order.name or order.email or _("(no name)")
        if col == COL_KEY:
            return order.order_key
        if col == COL_PERFORMANCE:
            return order_performances(order, self._now)
        if col == COL_SEATS:
            return str(len(order.seats))
        return status_words(order, self._now)


class OrderResultsView(QTableView):
    """The results table: Enter or a double click opens the current order; Up on the first row
    gives the focus back to the search box."""

    open_requested = Signal(object)   # DeskOrder
    leave_up = Signal()

    def __init__(self, model: OrderResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderResults")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_PERFORMANCE, QHeaderView.ResizeMode.Stretch)
        em = self.fontMetrics().averageCharWidth()
        self.setColumnWidth(COL_NAME, em * 19)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.setColumnWidth(COL_KEY, QFontMetrics(mono).horizontalAdvance("W" * 23) + 16)
        self.setColumnWidth(COL_SEATS, max(em * 6, self.fontMetrics().horizontalAdvance(
            model.headerData(COL_SEATS, Qt.Orientation.Horizontal)) + 24))
        self.setColumnWidth(COL_STATUS, em * 21)
        self.setAccessibleName(_("Orders found"))
        self.doubleClicked.connect(self._open_index)

    @property
    def results(self) -> OrderResultsModel:
        model = self.model()
        assert isinstance(model, OrderResultsModel)
        return model

    def current_order(self) -> DeskOrder | None:
        index = self.currentIndex()
        return self.results.order_at(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        if 0 <= row < self.results.rowCount():
            self.setCurrentIndex(self.results.index(row, COL_NAME))

    def _open_index(self, index: QModelIndex) -> None:
        order = self.results.order_at(index.row())
        if order is not None:
            self.open_requested.emit(order)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self._open_index(index)
                event.accept()
                return
        if event.key() == Qt.Key.Key_Up and self.currentIndex().row() <= 0:
            self.leave_up.emit()
            event.accept()
            return
        super().keyPressEvent(event)
