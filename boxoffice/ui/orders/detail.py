"""``OrderDetailPane``: one order as the cashier needs it at the counter.

Owns the right-hand side of the order desk: the buyer and e-mail, the status in plain words (a
cancelled or deleted order says so in red, with a line that its tickets are not valid), the
actions (print the tickets, the receipt, copy the order key), the facts (order key and number,
channel, when ordered, payment label, amount, fee and donation), each performance with its seats
(section, row, seat, ticket type, price) and a button to show them on the seat map, and the
seats deleted from the order. A wide pane (the order under the list, on a counter laptop) shows
the seats beside the summary, so they are in view without scrolling. What the actions do is the
desk controller's (``boxoffice.ui.orders.controller``); this only shows and asks.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.clock import venue_now
from boxoffice.domain.orders import DeskEvent, DeskOrder, DeskSeat, channel_words, status_words
from boxoffice.i18n import _, format_datetime, format_money, ngettext
from boxoffice.ui.orders.results import performance_words

DASH = "\u2014"


def _selectable(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SeatsTable(QTableWidget):
    """Section, row, seat, ticket type and price of some seats; as high as its rows (the pane
    scrolls, never the table)."""

    def __init__(self, seats: Sequence[DeskSeat], parent: QWidget | None = None, *,
                 struck: bool = False) -> None:
        super().__init__(len(seats), 5, parent)
        self.setObjectName("orderSeats")
        self.setHorizontalHeaderLabels([_("Section"), _("Row"), _("Seat"), _("Ticket type"),
                                        _("Price")])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for r, seat in enumerate(seats):
            values = (seat.section or DASH, seat.row or DASH, seat.seat or DASH,
                      seat.ticket_type or DASH, format_money(seat.price))
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c in (1, 2, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if struck:
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                self.setItem(r, c, item)
        self.resizeRowsToContents()
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(len(seats)))
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def row_texts(self) -> list[tuple[str, ...]]:
        return [tuple(self._text(r, c) for c in range(5)) for r in range(self.rowCount())]

    def _text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text() if item is not None else ""


class OrderDetailPane(QScrollArea):
    print_requested = Signal(object)            # DeskOrder
    receipt_requested = Signal(object)          # DeskOrder
    copy_key_requested = Signal(object)         # DeskOrder
    seat_map_requested = Signal(object, object)  # DeskOrder, event id

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], dt.datetime] = venue_now) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPane")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.clock = clock
        self.order: DeskOrder | None = None
        self.seat_tables: dict[str, SeatsTable] = {}
        self.deleted_table: SeatsTable | None = None
        self.map_buttons: dict[str, QPushButton] = {}

        body = QWidget()
        body.setObjectName("detailsBody")
        col = QVBoxLayout(body)
        col.setContentsMargins(20, 16, 20, 16)
        col.setSpacing(8)
        self.placeholder = QLabel(_("Choose an order to see its seats and payment."))
        self.placeholder.setObjectName("detailsPlaceholder")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        col.addWidget(self.placeholder)

        # the order's summary (who, status, actions, facts) and its seats: side by side when the
        # pane is wide (the order desk's list above the order, a counter laptop), else one column
        self.content = QWidget()
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.content)
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.columns.setSpacing(8)
        summary = QWidget()
        summary.setObjectName("orderSummary")
        content = QVBoxLayout(summary)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(8)
        self.title = _selectable(QLabel())
        self.title.setObjectName("detailsTitle")
        self.title.setWordWrap(True)
        self.email = _selectable(QLabel())
        self.email.setObjectName("detailsSubtitle")
        self.status = QLabel()
        self.status.setObjectName("orderStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.void_warning = QLabel()
        self.void_warning.setObjectName("orderVoidWarning")
        self.void_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.void_warning.setWordWrap(True)
        for w in (self.title, self.email, self.status, self.void_warning):
            content.addWidget(w)

        self.action_grid = QGridLayout()
        self.action_grid.setSpacing(8)
        self.print_button = QPushButton(_("Open && print tickets"))
        self.print_button.setObjectName("printTicketsButton")
        self.print_button.setToolTip(_("Open the tickets in the web browser, to print them "
                                       "(Ctrl+P)"))
        self.print_button.setShortcut("Ctrl+P")
        self.receipt_button = QPushButton(_("Receipt"))
        self.receipt_button.setObjectName("receiptButton")
        self.receipt_button.setToolTip(_("Open the order's receipt in the web browser"))
        self.copy_button = QPushButton(_("Copy order key"))
        self.copy_button.setObjectName("copyKeyButton")
        self.copy_button.setToolTip(_("Copy the order key, to paste it elsewhere"))
        self.print_button.clicked.connect(lambda: self._emit(self.print_requested))
        self.receipt_button.clicked.connect(lambda: self._emit(self.receipt_requested))
        self.copy_button.clicked.connect(lambda: self._emit(self.copy_key_requested))
        self._arrange_actions(wide=False)
        content.addLayout(self.action_grid)
        self.message = QLabel()
        self.message.setObjectName("orderMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.hide()
        content.addWidget(self.message)

        # the facts two by two in one column (short values, the seats stay close below), one by
        # one beside the seats
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(12)
        self.facts.setVerticalSpacing(4)
        self.fact_labels: dict[str, QLabel] = {}
        self._fact_pairs: list[tuple[QLabel, QLabel]] = []
        for key, caption in (
                ("key", _("Order key")), ("id", _("Order number")),
                ("payment", _("Payment")), ("created", _("Ordered")),
                ("amount", _("Amount")), ("channel", _("Channel")),
                ("fee", _("Fee")), ("donation", _("Donation"))):
            name = QLabel(caption + ":")
            name.setObjectName("orderFactName")
            value = _selectable(QLabel())
            value.setObjectName("orderFact")
            value.setWordWrap(True)
            self.fact_labels[key] = value
            self._fact_pairs.append((name, value))
        self._facts_per_row = 0
        self._arrange_facts(2)
        content.addLayout(self.facts)
        content.addStretch(1)
        self.columns.addWidget(summary)

        seats = QWidget()
        seats.setObjectName("orderSeatsColumn")
        seats_column = QVBoxLayout(seats)
        seats_column.setContentsMargins(0, 0, 0, 0)
        self.performances = QVBoxLayout()
        self.performances.setSpacing(6)
        seats_column.addLayout(self.performances)
        seats_column.addStretch(1)
        self.columns.addWidget(seats)
        col.addWidget(self.content)
        self.content.hide()
        self.setWidget(body)

    # --- layout -------------------------------------------------------------------------------
    #: from this width on the seats stand beside the summary (at the top, without scrolling)
    TWO_COLUMNS_MIN = 760

    @property
    def side_by_side(self) -> bool:
        return self.columns.direction() == QBoxLayout.Direction.LeftToRight

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        wide = self.viewport().width() >= self.TWO_COLUMNS_MIN
        if wide != self.side_by_side:
            self.columns.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                      else QBoxLayout.Direction.TopToBottom)
            self.columns.setStretch(0, 2 if wide else 0)
            self.columns.setStretch(1, 3 if wide else 0)
            self.columns.setSpacing(20 if wide else 8)
            self._arrange_facts(1 if wide else 2)
            self._arrange_actions(wide)

    def _arrange_actions(self, wide: bool) -> None:
        """The buttons in a row; beside the seats, printing on a row of its own (a narrow
        column)."""
        buttons = (self.print_button, self.receipt_button, self.copy_button)
        for b in buttons:
            self.action_grid.removeWidget(b)
        if wide:
            self.action_grid.addWidget(self.print_button, 0, 0, 1, 2)
            self.action_grid.addWidget(self.receipt_button, 1, 0)
            self.action_grid.addWidget(self.copy_button, 1, 1)
        else:
            for n, b in enumerate(buttons):
                self.action_grid.addWidget(b, 0, n)
        self.action_grid.setColumnStretch(3, 0 if wide else 1)

    def _arrange_facts(self, per_row: int) -> None:
        """The fact captions and values in *per_row* pairs a row."""
        if per_row == self._facts_per_row:
            return
        for name, value in self._fact_pairs:
            self.facts.removeWidget(name)
            self.facts.removeWidget(value)
        for column in range(4):
            self.facts.setColumnStretch(column, 0)
        for n, (name, value) in enumerate(self._fact_pairs):
            fact_row, fact_col = divmod(n, per_row)
            self.facts.addWidget(name, fact_row, fact_col * 2)
            self.facts.addWidget(value, fact_row, fact_col * 2 + 1)
        for pair in range(per_row):
            self.facts.setColumnStretch(pair * 2 + 1, 1)
        self._facts_per_row = per_row

    # --- showing ------------------------------------------------------------------------------
    def clear(self) -> None:
        self.order = None
        self.content.hide()
        self.placeholder.show()

    def show_order(self, order: DeskOrder) -> None:
        same = self.order is not None and self.order.order_key == order.order_key
        self.order = order
        now = self.clock()
        if not same:
            self.show_message("")
        self.title.setText(order.name or _("(no name)"))
        self.email.setText(order.email or _("no e-mail address"))
        self.status.setText(status_words(order, now))
        self.status.setProperty("void", "yes" if order.is_void else "no")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        if order.is_void:
            self.void_warning.setText(
                _("This order is cancelled: its tickets are not valid. Do not print or hand them "
                  "out.") if order.status == "cancel" else
                _("This order was deleted: its tickets are not valid. Do not print or hand them "
                  "out."))
        self.void_warning.setVisible(order.is_void)
        self.print_button.setText(_("Print anyway\u2026") if order.is_void
                                  else _("Open && print tickets"))
        self.print_button.setProperty("void", "yes" if order.is_void else "no")
        self.print_button.style().unpolish(self.print_button)
        self.print_button.style().polish(self.print_button)
        self.copy_button.setEnabled(bool(order.order_key))
        self.print_button.setEnabled(bool(order.order_key))
        self.receipt_button.setEnabled(bool(order.order_key))

        f = self.fact_labels
        f["key"].setText(order.order_key or DASH)
        f["id"].setText(str(order.order_id) if order.order_id not in (None, "") else DASH)
        f["channel"].setText(channel_words(order) if order.channel or order.order_id else DASH)
        f["created"].setText(format_datetime(order.created_at, "short")
                             if order.created_at is not None else DASH)
        f["payment"].setText(order.payment_label or DASH)
        f["amount"].setText(format_money(order.amount))
        f["fee"].setText(format_money(order.fee))
        f["donation"].setText(format_money(order.donation))
        self._show_performances(order, now)
        self.placeholder.hide()
        self.content.show()

    def _emit(self, signal: Any) -> None:
        if self.order is not None:
            signal.emit(self.order)

    def _clear_performances(self) -> None:
        while self.performances.count():
            item = self.performances.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.seat_tables.clear()
        self.map_buttons.clear()
        self.deleted_table = None

    def _event_list(self, order: DeskOrder) -> list[DeskEvent]:
        events = list(order.events)
        known = {str(e.event_id) for e in events}
        for seat in order.seats:
            if str(seat.event_id) not in known:
                known.add(str(seat.event_id))
                events.append(DeskEvent(seat.event_id, "", None))
        return events

    def _show_performances(self, order: DeskOrder, now: dt.datetime) -> None:
        self._clear_performances()
        for event in self._event_list(order):
            seats = order.seats_for(event.event_id)
            block = QWidget()
            block.setObjectName("orderPerformance")
            lay = QVBoxLayout(block)
            lay.setContentsMargins(0, 8, 0, 0)
            lay.setSpacing(4)
            title = QLabel(performance_words(event, now))
            title.setObjectName("sectionHeader")
            title.setTextFormat(Qt.TextFormat.PlainText)
            title.setWordWrap(True)
            lay.addWidget(title)
            head = QHBoxLayout()
            count = QLabel(ngettext("{count} seat", "{count} seats", len(seats))
                           .format(count=len(seats)))
            count.setObjectName("orderSeatCount")
            head.addWidget(count, 1)
            button = QPushButton(_("Show on seat map"))
            button.setObjectName("seatMapButton")
            button.setToolTip(_("Show this order's seats on the performance's seat map"))
            button.setEnabled(bool(seats))
            button.clicked.connect(lambda _c=False, eid=event.event_id: self._map(eid))
            head.addWidget(button)
            lay.addLayout(head)
            if seats:
                table = SeatsTable(seats)
                table.setAccessibleName(_("Seats: {performance}").format(
                    performance=title.text()))
                lay.addWidget(table)
                self.seat_tables[str(event.event_id)] = table
            self.map_buttons[str(event.event_id)] = button
            self.performances.addWidget(block)
        if not order.seats and not order.events:
            none = QLabel(_("No seats are known for this order here."))
            none.setObjectName("detailsPlaceholder")
            none.setWordWrap(True)
            self.performances.addWidget(none)
        if order.deleted_seats:
            block = QWidget()
            lay = QVBoxLayout(block)
            lay.setContentsMargins(0, 8, 0, 0)
            lay.setSpacing(4)
            caption = QLabel(ngettext("{count} seat deleted from this order",
                                      "{count} seats deleted from this order",
                                      len(order.deleted_seats)).format(
                                          count=len(order.deleted_seats)))
            caption.setObjectName("sectionHeader")
            lay.addWidget(caption)
            self.deleted_table = SeatsTable(order.deleted_seats, struck=True)
            self.deleted_table.setObjectName("orderDeletedSeats")
            self.deleted_table.setAccessibleName(caption.text())
            lay.addWidget(self.deleted_table)
            self.performances.addWidget(block)

    def _map(self, event_id: Any) -> None:
        if self.order is not None:
            self.seat_map_requested.emit(self.order, event_id)

    # --- feedback -----------------------------------------------------------------------------
    def show_message(self, text: str, *, warning: bool = False) -> None:
        """A line under the actions: what an action did, or why it could not (plain words)."""
        self.message.setText(text)
        self.message.setProperty("warning", "yes" if warning else "no")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    def money_texts(self) -> dict[str, str]:
        return {k: self.fact_labels[k].text() for k in ("amount", "fee", "donation")}
