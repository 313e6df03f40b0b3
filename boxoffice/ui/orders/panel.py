"""``OrderDeskPanel``: the order desk page of the main window — one search box, the orders found,
and the chosen order.

Owns the page's widgets and the keyboard: the search box searches as the cashier types (after a
short pause, ``SEARCH_DELAY_MS``; the desk's search reads the local index and is fast), Enter
in it opens the order at once (what a barcode scanner sends: the order key or the tickets URL,
then Enter), Down moves into the list, Escape clears the box (an empty box: back to the
performances). It shows how fresh the orders are ("Orders as of 20:14"), the first sync's
progress, a plain notice (no API key, a rebuilt index, a failed update), and the door list and
day report buttons. What the search and the actions do is the desk controller's
(``boxoffice.ui.orders.controller``); this page only shows and asks.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.clock import venue_now
from boxoffice.domain.orders import DeskOrder
from boxoffice.i18n import _
from boxoffice.ui.orders.detail import OrderDetailPane
from boxoffice.ui.orders.results import OrderResultsModel, OrderResultsView

#: the pause after the last key before the list follows the search box
SEARCH_DELAY_MS = 120

ORDER_DESK_STYLE = """
QLineEdit#orderSearch { min-height: 34px; padding: 2px 10px; font-size: 13pt; }
QLabel#orderFreshness { color: #333333; font-size: 11pt; padding: 0 6px; }
QLabel#orderFreshness[stale="yes"] { color: #8a4b00; font-weight: bold; }
QLabel#orderNotice { background: #fff4d6; border: 1px solid #e6cf8f; color: #4d3800;
                     padding: 6px 10px; }
QLabel#orderNotice[kind="error"] { background: #fbe9e9; border: 1px solid #e0b4b4;
                                   color: #5a1a1a; }
QLabel#orderNotice[kind="info"] { background: #e8f0fb; border: 1px solid #b9cbe6;
                                  color: #1f3556; }
QTableView#orderResults { background: #ffffff; alternate-background-color: #f3f5f8;
                          border: 1px solid #d6d6d2; }
QTableView#orderResults:focus { border: 2px solid #00399e; margin: 0px; }
QTableView#orderResults::item:selected { background: #cfe0f7; color: #0d1b2a; }
QLabel#orderStatus { font-size: 14pt; font-weight: bold; color: #1b4d2e; }
QLabel#orderStatus[void="yes"] { color: #a4262c; }
QLabel#orderVoidWarning { background: #a4262c; color: #ffffff; font-weight: bold;
                          padding: 6px 10px; border-radius: 3px; }
QPushButton#printTicketsButton { padding: 6px 16px; font-weight: bold; background: #1b6e3a;
                                 color: white; border-radius: 4px; }
QPushButton#printTicketsButton[void="yes"] { background: #ffffff; color: #a4262c;
                                             border: 1px solid #a4262c; }
QPushButton#printTicketsButton:focus { border: 2px solid #000000; margin: 0px; }
QPushButton#printTicketsButton:disabled { background: #c9c9c5; color: #555555; }
QLabel#orderMessage { color: #1f3556; }
QLabel#orderMessage[warning="yes"] { color: #8a4b00; font-weight: bold; }
QLabel#orderSeatCount { color: #555555; }
QTableWidget#orderSeats, QTableWidget#orderDeletedSeats { border: 1px solid #e0e0dc;
                                                          gridline-color: #eeeeea; }
QTableWidget#orderDeletedSeats { color: #777777; }
"""


class OrderDeskPanel(QWidget):
    search_changed = Signal(str)      # the text to search for (after the pause)
    enter_pressed = Signal(str)       # Enter in the search box (a scanner ends with it)
    order_chosen = Signal(object)     # DeskOrder: show it
    sync_requested = Signal()
    door_list_requested = Signal(object)   # event id
    day_report_requested = Signal()
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], dt.datetime] = venue_now) -> None:
        super().__init__(parent)
        self.setObjectName("orderDeskPanel")
        self.setStyleSheet(ORDER_DESK_STYLE)
        self.clock = clock
        self._searched = ""
        self._quiet = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 6)
        outer.setSpacing(8)

        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.back_button = QPushButton(_("\u2190 Performances"))
        self.back_button.setObjectName("backButton")
        self.back_button.setToolTip(_("Back to the list of performances (Esc)"))
        self.back_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back_button.clicked.connect(self.back_requested.emit)
        bar.addWidget(self.back_button)
        self.freshness = QLabel()
        self.freshness.setObjectName("orderFreshness")
        self.freshness.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.freshness)
        self.sync_button = QPushButton(_("Update now"))
        self.sync_button.setObjectName("syncOrdersButton")
        self.sync_button.setToolTip(_("Fetch the orders changed since the last update (F5)"))
        self.sync_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.sync_button.clicked.connect(self.sync_requested.emit)
        bar.addWidget(self.sync_button)
        bar.addStretch(1)
        self.door_list_button = QToolButton()
        self.door_list_button.setObjectName("doorListButton")
        self.door_list_button.setText(_("Door list"))
        self.door_list_button.setToolTip(_("Who bought what for a performance: print or export"))
        self.door_list_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.door_list_menu = QMenu(self.door_list_button)
        self.door_list_button.setMenu(self.door_list_menu)
        self.door_list_button.hide()
        bar.addWidget(self.door_list_button)
        self.day_report_button = QPushButton(_("Day report"))
        self.day_report_button.setObjectName("dayReportButton")
        self.day_report_button.setToolTip(_("The venue's sales of a day, online and at the "
                                            "counters"))
        self.day_report_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.day_report_button.clicked.connect(self.day_report_requested.emit)
        self.day_report_button.hide()
        bar.addWidget(self.day_report_button)
        outer.addLayout(bar)

        # the search box has a row of its own: the widest thing on the page, never squeezed
        self.search = QLineEdit()
        self.search.setObjectName("orderSearch")
        self.search.setPlaceholderText(_("Name, order key, e-mail, performance or seat \u2014 "
                                         "or scan the tickets"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Find an order"))
        self.search.textChanged.connect(self._text_changed)
        self.search.returnPressed.connect(self._return_pressed)
        self.search.installEventFilter(self)
        outer.addWidget(self.search)

        self.progress = QProgressBar()
        self.progress.setObjectName("orderSyncProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(True)
        self.progress.hide()
        outer.addWidget(self.progress)
        self.notice = QLabel()
        self.notice.setObjectName("orderNotice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.hide()
        outer.addWidget(self.notice)

        self.model = OrderResultsModel(self, clock=clock)
        self.results = OrderResultsView(self.model)
        self.results.open_requested.connect(self._open)
        self.results.leave_up.connect(self.focus_search)
        self.results.selectionModel().currentRowChanged.connect(self._current_changed)
        self.empty = QLabel()
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.empty)
        self.list_stack.addWidget(self.results)
        self.detail = OrderDetailPane(clock=clock)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("orderSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        outer.addWidget(self.splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.set_hint(_("Type a name, an order key, an e-mail address, a performance or a seat "
                        "(\u201crow 5 seat 12\u201d). A scanned ticket opens its order."))

    # --- layout -------------------------------------------------------------------------------
    #: below this page width the list sits above the order (side by side both get too narrow)
    SIDE_BY_SIDE_MIN = 1100

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        wanted = (Qt.Orientation.Horizontal if self.width() >= self.SIDE_BY_SIDE_MIN
                  else Qt.Orientation.Vertical)
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)
            # above each other the order gets the larger share of what the window gains
            vertical = wanted == Qt.Orientation.Vertical
            self.splitter.setStretchFactor(0, 2 if vertical else 3)
            self.splitter.setStretchFactor(1, 3 if vertical else 2)
            total = max(sum(self.splitter.sizes()), 1)
            first = total * 55 // 100 if wanted == Qt.Orientation.Horizontal else total * 7 // 20
            self.splitter.setSizes([first, total - first])

    # --- searching ----------------------------------------------------------------------------
    def _text_changed(self, _text: str) -> None:
        self._timer.start()

    def flush(self) -> None:
        """Search now for what the box says (the pause is over, or Enter came first)."""
        self._timer.stop()
        text = self.search.text().strip()
        self._searched = text
        self.search_changed.emit(text)

    @property
    def searched(self) -> str:
        return self._searched

    def _return_pressed(self) -> None:
        self.flush()
        self.enter_pressed.emit(self.search.text().strip())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Down and self.model.rowCount() > 0:
                self.flush()
                self.results.setFocus()
                if not self.results.currentIndex().isValid():
                    self.results.select_row(0)
                return True
            if key == Qt.Key.Key_Escape:
                if self.search.text():
                    self.search.clear()
                    self.flush()
                else:
                    self.back_requested.emit()
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.focus_search()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- results ------------------------------------------------------------------------------
    def set_hint(self, text: str) -> None:
        """The text shown where the list would be (nothing searched yet, nothing found)."""
        self.empty.setText(text)
        if self.model.rowCount() == 0:
            self.list_stack.setCurrentWidget(self.empty)

    def set_results(self, orders: Sequence[DeskOrder], empty_text: str = "") -> None:
        shown = self.detail.order
        self.model.set_orders(orders)
        if orders:
            self.list_stack.setCurrentWidget(self.results)
            row = self.model.row_of(shown) if shown is not None else -1
            if row >= 0:
                self.results.select_row(row)
        else:
            self.empty.setText(empty_text)
            self.list_stack.setCurrentWidget(self.empty)

    def _current_changed(self, current, _previous) -> None:  # noqa: ANN001 - Qt's indexes
        order = self.model.order_at(current.row()) if current.isValid() else None
        if order is not None and not self._quiet:
            self.order_chosen.emit(order)

    def _open(self, order: DeskOrder) -> None:
        self.order_chosen.emit(order)
        self.detail.print_button.setFocus()

    def show_order(self, order: DeskOrder) -> None:
        self.detail.show_order(order)
        row = self.model.row_of(order)
        if row >= 0 and self.results.currentIndex().row() != row:
            self._quiet = True
            try:
                self.results.select_row(row)
            finally:
                self._quiet = False

    # --- state --------------------------------------------------------------------------------
    def set_freshness(self, text: str, *, stale: bool = False, tip: str = "") -> None:
        self.freshness.setText(text)
        self.freshness.setToolTip(tip)
        self.freshness.setProperty("stale", "yes" if stale else "no")
        self.freshness.style().unpolish(self.freshness)
        self.freshness.style().polish(self.freshness)

    def set_progress(self, text: str | None) -> None:
        """The first sync's progress (None hides it); the bar runs, the text says how far."""
        if text is None:
            self.progress.hide()
            return
        self.progress.setFormat(text)
        self.progress.show()

    def set_notice(self, text: str | None, kind: str = "warning") -> None:
        """A plain notice over the list: no API key, a rebuilt index, an update that failed."""
        self.notice.setText(text or "")
        self.notice.setProperty("kind", kind)
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.setVisible(bool(text))

    def set_syncing(self, syncing: bool) -> None:
        self.sync_button.setEnabled(not syncing)

    def set_door_list_entries(self, entries: Sequence[tuple[str, object]]) -> None:
        """The door list button's menu: (performance words, event id), tonight first."""
        self.door_list_menu.clear()
        for text, event_id in entries:
            act = self.door_list_menu.addAction(text)
            act.triggered.connect(lambda _c=False, eid=event_id: self.door_list_requested.emit(eid))
        self.door_list_button.setEnabled(bool(entries))
