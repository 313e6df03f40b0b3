"""``DetailsPane``: what the cashier needs to know about the selected production or performance.

Passive view: the main window feeds it rows, ticket types and image bytes. The description is
rendered through :class:`~boxoffice.ui.widgets.safe_text.SafeTextBrowser` (sanitised, loads nothing,
https links open in the system browser).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.performance import PerformanceStatus
from boxoffice.domain.ticket_types import describe_discount as discount_text
from boxoffice.i18n import _, format_date, format_money, format_time
from boxoffice.ui.cart.button_row import ButtonRow
from boxoffice.ui.events.model import status_text
from boxoffice.ui.events.rows import PerformanceRow, ProductionRow
from boxoffice.ui.widgets.safe_text import SafeTextBrowser

IMAGE_WIDTH = 320


def when_text(perf: PerformanceRow) -> str:
    text = format_date(perf.starts_at.date(), "full") + " \u00b7 " + format_time(perf.starts_at)
    if perf.ends_at is not None:
        text += "\u2013" + format_time(perf.ends_at)
    return text


class StatusBadge(QLabel):
    """The same badge as in the list, as a label (styled per status in the style sheet)."""

    def set_status(self, status: PerformanceStatus | None) -> None:
        if status is None:
            self.hide()
            return
        self.setText(status_text(status))
        self.setProperty("status", status.name.lower())
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()


class DetailsPane(QScrollArea):
    open_requested = Signal(object)  # PerformanceRow
    door_list_requested = Signal(object)  # PerformanceRow: its door list (issue 11)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPane")
        self.setWidgetResizable(True)
        self.performance: PerformanceRow | None = None
        self.production: ProductionRow | None = None

        body = QWidget()
        body.setObjectName("detailsBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)

        self.placeholder = QLabel(_("Choose a performance on the left to see its details."))
        self.placeholder.setObjectName("detailsPlaceholder")
        self.placeholder.setWordWrap(True)
        layout.addWidget(self.placeholder)

        self.title = QLabel()
        self.title.setObjectName("detailsTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.title)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("detailsSubtitle")
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.subtitle)
        self.when = QLabel()
        self.when.setObjectName("detailsWhen")
        self.when.setWordWrap(True)
        self.when.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.when)
        self.hall = QLabel()
        self.hall.setObjectName("detailsHall")
        self.hall.setTextFormat(Qt.TextFormat.PlainText)
        self.hall.setWordWrap(True)
        layout.addWidget(self.hall)

        # badge and "Sell tickets…" side by side while they fit, else one under the other
        row = ButtonRow()
        self.badge = StatusBadge()
        self.badge.setObjectName("statusBadge")
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignLeft)
        row.addStretch(1)
        self.open_button = QPushButton(_("Sell tickets\u2026"))
        self.open_button.setObjectName("openSaleButton")
        self.open_button.setToolTip(_("Open this performance for sale (Enter)"))
        self.open_button.clicked.connect(self._open)
        # the door list of this performance (shown when the venue has an order desk)
        self.door_list_button = QPushButton(_("Door list\u2026"))
        self.door_list_button.setObjectName("doorListButton")
        self.door_list_button.setToolTip(_("Who bought what for this performance: print or export"))
        self.door_list_button.clicked.connect(self._door_list)
        self._door_list_available = False
        row.addWidget(self.open_button)
        layout.addWidget(row)
        # on a line of its own: the badge and "Sell tickets…" keep their row in a narrow pane
        layout.addWidget(self.door_list_button, 0, Qt.AlignmentFlag.AlignRight)

        self.image = QLabel()
        self.image.setObjectName("detailsImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.image.hide()
        layout.addWidget(self.image)

        self.prices_header = QLabel(_("Ticket types"))
        self.prices_header.setObjectName("sectionHeader")
        layout.addWidget(self.prices_header)
        # a hall with several price levels (ranks): each ticket type's price per level, best first
        self.levels_label = QLabel()
        self.levels_label.setObjectName("priceLevels")
        self.levels_label.setWordWrap(True)
        self.levels_label.hide()
        layout.addWidget(self.levels_label)
        self.prices = QTableWidget(0, 3)
        self.prices.setObjectName("ticketTypes")
        self.prices.setAccessibleName(_("Ticket types"))
        self.prices.setHorizontalHeaderLabels([_("Ticket type"), _("Price"), _("Discount")])
        self.prices.verticalHeader().hide()
        self.prices.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.prices.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.prices.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.prices.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.prices)
        self.prices_note = QLabel()
        self.prices_note.setObjectName("pricesNote")
        self.prices_note.setWordWrap(True)
        layout.addWidget(self.prices_note)

        self.description_header = QLabel(_("About this show"))
        self.description_header.setObjectName("sectionHeader")
        layout.addWidget(self.description_header)
        self.description = SafeTextBrowser()
        self.description.setObjectName("detailsDescription")
        self.description.setMinimumHeight(120)
        layout.addWidget(self.description, 1)
        self.setWidget(body)
        # texts wrap at the pane's width: it never scrolls sideways (nor gets narrower than
        # its narrowest content, see minimumSizeHint)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.clear()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        body = self.widget()
        assert body is not None   # set in __init__
        return QSize(body.minimumSizeHint().width() + bar + 2 * self.frameWidth(),
                     hint.height())

    # --- content ------------------------------------------------------------------------------
    def _set_visible(self, visible: bool) -> None:
        for widget in (self.title, self.subtitle, self.when, self.hall, self.badge, self.open_button,
                       self.prices_header, self.prices, self.prices_note, self.description_header,
                       self.description):
            widget.setVisible(visible)
        self.door_list_button.setVisible(visible and self._door_list_available
                                         and self.performance is not None)
        self.placeholder.setVisible(not visible)

    def clear(self) -> None:
        self.performance = None
        self.production = None
        self._set_visible(False)
        self.levels_label.hide()
        self.image.hide()
        self.image.clear()

    def show_production(self, prod: ProductionRow) -> None:
        self.performance = None
        self.production = prod
        self._set_visible(True)
        self.title.setText(prod.name)
        self.subtitle.setText(prod.subtitle)
        self.subtitle.setVisible(bool(prod.subtitle))
        count = len(prod.performances)
        self.when.setText(_("{count} performances, choose one to sell tickets.").format(count=count)
                          if count != 1 else _("1 performance, choose it to sell tickets."))
        self.hall.setText("")
        self.hall.hide()
        self.badge.set_status(None)
        self.open_button.hide()
        self.door_list_button.hide()
        self.prices_header.hide()
        self.levels_label.hide()
        self.prices.hide()
        self.prices_note.hide()
        self.description.setSafeHtml(getattr(prod.source, "event_text", None))
        self.description_header.setVisible(bool(getattr(prod.source, "event_text", None)))

    def show_performance(self, perf: PerformanceRow, status: PerformanceStatus,
                         main_event: Any = None) -> None:
        self.performance = perf
        self._set_visible(True)
        self.title.setText(perf.name)
        self.subtitle.setText(perf.subtitle)
        self.subtitle.setVisible(bool(perf.subtitle))
        self.when.setText(when_text(perf))
        self.hall.setText(perf.hall)
        self.hall.setVisible(bool(perf.hall))
        self.badge.set_status(status)
        self.set_ticket_types(None)
        text = getattr(perf.source, "event_text", None) or getattr(main_event, "event_text", None)
        self.description.setSafeHtml(text)
        self.description_header.setVisible(bool(text))
        self.description.setVisible(bool(text))

    def set_ticket_types(self, ticket_types: Sequence[Any] | None, from_cache: bool = False,
                         error: str | None = None,
                         level_prices: Mapping[str, Sequence[Decimal]] | None = None) -> None:
        """``None`` = loading; a list = show it; ``error`` = could not load (nothing cached).

        ``level_prices``: per ticket type (``discount_id``) its price at each price level of the
        hall (the public list gives one price only; the venue's performance resource gives them
        all). A type with several shows them all, highest (best seats) first: "€79.50 / €59.50 /
        €39.50"."""
        self.prices.setRowCount(0)
        self.levels_label.hide()
        self.prices_note.setVisible(True)
        if error is not None:
            self.prices_note.setText(error)
            self.prices.hide()
            return
        if ticket_types is None:
            self.prices_note.setText(_("Loading prices\u2026"))
            self.prices.hide()
            return
        if not ticket_types:
            self.prices_note.setText(_("No ticket types are available for this performance."))
            self.prices.hide()
            return
        self.prices.show()
        most_levels = 1
        for tt in ticket_types:
            r = self.prices.rowCount()
            self.prices.insertRow(r)
            self.prices.setItem(r, 0, QTableWidgetItem(tt.discount_name))
            amounts = sorted(set((level_prices or {}).get(str(tt.discount_id), ())), reverse=True)
            most_levels = max(most_levels, len(amounts))
            text = (" / ".join(format_money(a) for a in amounts) if len(amounts) > 1
                    else format_money(tt.discounted_price))
            price = QTableWidgetItem(text)
            price.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.prices.setItem(r, 1, price)
            self.prices.setItem(r, 2, QTableWidgetItem(discount_text(tt)))
        self.prices.resizeRowsToContents()
        height = self.prices.horizontalHeader().height() + sum(
            self.prices.rowHeight(r) for r in range(self.prices.rowCount())) + 4
        self.prices.setFixedHeight(height)
        if most_levels > 1:
            self.levels_label.setText(_("{count} price levels (best seats first)").format(
                count=most_levels))
            self.levels_label.show()
        if from_cache:
            self.prices_note.setText(_("Prices from the offline copy; they may have changed."))
        else:
            self.prices_note.setVisible(False)

    def set_image(self, data: bytes | None) -> None:
        if not data:
            self.image.hide()
            return
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            self.image.hide()
            return
        if pixmap.width() > IMAGE_WIDTH:
            pixmap = pixmap.scaledToWidth(IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(pixmap)
        self.image.show()

    def set_sale_available(self, available: bool, reason: str = "") -> None:
        self.open_button.setEnabled(available)
        self.open_button.setToolTip(_("Open this performance for sale (Enter)") if available else reason)

    def _open(self) -> None:
        if self.performance is not None:
            self.open_requested.emit(self.performance)

    def set_door_list_available(self, available: bool) -> None:
        """Offer "Door list…" for a shown performance (when the venue has an order desk)."""
        self._door_list_available = available
        self.door_list_button.setVisible(available and self.performance is not None)

    def _door_list(self) -> None:
        if self.performance is not None:
            self.door_list_requested.emit(self.performance)
