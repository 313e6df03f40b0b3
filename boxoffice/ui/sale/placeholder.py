"""``SalePanel``: the page shown when a performance is opened; for now it lists the ticket types.

Seat maps, the cart and payment arrive with the seating/sale issue; this panel already has the
shape they will fill: a header naming the performance, the price list and a way back (Escape).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, format_money
from boxoffice.ui.events.details import when_text
from boxoffice.domain.ticket_types import describe_discount as discount_text
from boxoffice.ui.events.rows import PerformanceRow


class SalePanel(QWidget):
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("salePanel")
        self.performance: PerformanceRow | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)

        top = QHBoxLayout()
        self.back_button = QPushButton(_("\u2190 Back to performances"))
        self.back_button.setObjectName("backButton")
        self.back_button.setToolTip(_("Back to the list (Esc)"))
        self.back_button.clicked.connect(self.back_requested.emit)
        top.addWidget(self.back_button)
        top.addStretch(1)
        layout.addLayout(top)

        self.title = QLabel()
        self.title.setObjectName("detailsTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.when = QLabel()
        self.when.setObjectName("detailsWhen")
        self.when.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.when)

        header = QLabel(_("Ticket types"))
        header.setObjectName("sectionHeader")
        layout.addWidget(header)
        self.ticket_types = QListWidget()
        self.ticket_types.setObjectName("saleTicketTypes")
        layout.addWidget(self.ticket_types, 1)
        self.note = QLabel(_("Choosing seats and taking payment will be available here soon."))
        self.note.setObjectName("pricesNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_requested.emit)

    def show_performance(self, perf: PerformanceRow) -> None:
        self.performance = perf
        self.title.setText(perf.name)
        self.when.setText(when_text(perf) + (f" \u00b7 {perf.hall}" if perf.hall else ""))
        self.set_ticket_types(None)

    def set_ticket_types(self, ticket_types: Sequence[Any] | None, error: str | None = None) -> None:
        self.ticket_types.clear()
        if error:
            self.ticket_types.addItem(QListWidgetItem(error))
            return
        if ticket_types is None:
            self.ticket_types.addItem(QListWidgetItem(_("Loading prices\u2026")))
            return
        if not ticket_types:
            self.ticket_types.addItem(QListWidgetItem(_("No ticket types are available for this performance.")))
            return
        for tt in ticket_types:
            text = f"{tt.discount_name}   {format_money(tt.discounted_price)}"
            extra = discount_text(tt)
            if extra:
                text += f"   ({extra})"
            self.ticket_types.addItem(QListWidgetItem(text))
