"""``QuantityPicker``: how many tickets of each ticket type, for general admission (or any
performance when there is no seat map, e.g. a venue profile without an API key).

Owns the counting only: one spin box per ticket type with its price and discount, a total line
("3 tickets, € 61,50"), the per-order maximum (the performance's ``event_free``: at most that
many tickets in one order, over all ticket types together; it is not the capacity) and an
"Add to cart" button (Enter). It emits ``quantitiesChosen({discount_id: n})``; the cart side
does the adding. Read-only (offline, sold out, not on sale) shows the prices with the reason.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.ticket_types import describe_discount, display_name
from boxoffice.i18n import _, format_money, ngettext

NO_LIMIT = 99  # per spin box when the per-order maximum is not known
MAX_WIDTH = 640


class QuantityPicker(QWidget):
    quantitiesChosen = Signal(dict)   # {discount_id: count}, counts > 0 only

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quantityPicker")
        self._types: list[Any] = []
        self._spins: dict[str, QSpinBox] = {}
        self._maximum: int | None = None
        self._read_only = False
        self._reason = ""
        self._adjusting = False

        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        content = QWidget()
        content.setMaximumWidth(MAX_WIDTH)  # name, price and count stay close together
        outer.addWidget(content, 1)
        outer.addStretch(0)
        col = QVBoxLayout(content)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        self.heading = QLabel(_("Tickets"))
        self.heading.setObjectName("sectionHeader")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        col.addWidget(self.heading)
        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(8)
        col.addWidget(self.grid_holder)
        self.skipped_label = QLabel()
        self.skipped_label.setObjectName("ticketTypesSkipped")
        self.skipped_label.setTextFormat(Qt.TextFormat.PlainText)
        self.skipped_label.setWordWrap(True)
        self.skipped_label.setVisible(False)
        col.addWidget(self.skipped_label)

        self.total_label = QLabel()
        self.total_label.setObjectName("quantityTotal")
        self.total_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.total_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.total_label.setFont(font)
        self.limit_label = QLabel()
        self.limit_label.setObjectName("quantityLimit")
        self.limit_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label = QLabel()
        self.message_label.setObjectName("pricesNote")
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.add_button = QPushButton(_("Add to cart"))
        self.add_button.setObjectName("addToCartButton")
        self.add_button.setToolTip(_("Add these tickets to the cart (Enter)"))
        self.add_button.clicked.connect(self.request_add)

        bottom = QHBoxLayout()
        bottom.addWidget(self.total_label, 1)
        bottom.addWidget(self.add_button)
        col.addLayout(bottom)
        col.addWidget(self.limit_label)
        col.addWidget(self.message_label)
        col.addStretch(1)
        self._update()

    # --- owner API ------------------------------------------------------------------------------
    def set_ticket_types(self, ticket_types: Sequence[Any] | None, error: str | None = None) -> None:
        """``None`` = loading; a list = one row each; ``error`` = could not load them. A list's
        ``skipped`` (as the API client gives it): ticket types that could not be read and are not
        offered; the counter says how many."""
        skipped = max(int(getattr(ticket_types, "skipped", 0) or 0), 0)
        if skipped:
            self.skipped_label.setText(ngettext(
                "{count} ticket type could not be read and is not offered.",
                "{count} ticket types could not be read and are not offered.",
                skipped).format(count=skipped))
        self.skipped_label.setVisible(bool(skipped))
        self._clear_grid()
        self._types = list(ticket_types or [])
        if error:
            self.show_message(error)
        elif ticket_types is None:
            self.show_message(_("Loading prices\u2026"))
        elif not self._types:
            self.show_message(_("No ticket types are available for this performance."))
        else:
            self.show_message(self._reason if self._read_only else "")
        for r, tt in enumerate(self._types):
            name = QLabel(display_name(tt))
            name.setTextFormat(Qt.TextFormat.PlainText)
            discount = QLabel(describe_discount(tt))
            discount.setTextFormat(Qt.TextFormat.PlainText)
            discount.setObjectName("quantityDiscount")
            price = QLabel(format_money(Decimal(tt.discounted_price)))
            price.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            spin = QSpinBox()
            spin.setObjectName("quantitySpin")
            spin.setRange(0, NO_LIMIT)
            spin.setMinimumWidth(90)
            spin.setAccessibleName(_("Number of tickets: {name}").format(name=display_name(tt)))
            spin.valueChanged.connect(self._changed)
            name.setBuddy(spin)
            self.grid.addWidget(name, r, 0)
            self.grid.addWidget(discount, r, 1)
            self.grid.addWidget(price, r, 2)
            self.grid.addWidget(spin, r, 3)
            self._spins[str(tt.discount_id)] = spin
        self.grid.setColumnStretch(1, 1)
        self._apply_limits()
        self._update()

    def set_heading(self, text: str) -> None:
        self.heading.setText(text)

    def set_maximum(self, maximum: int | None) -> None:
        """The per-order maximum over all ticket types together (``event_free``); None = unknown."""
        self._maximum = None if maximum is None else max(int(maximum), 0)
        self._apply_limits()
        self._update()

    @property
    def maximum(self) -> int | None:
        return self._maximum

    def set_read_only(self, read_only: bool, reason: str = "") -> None:
        self._read_only = read_only
        self._reason = reason if read_only else ""
        if read_only:
            self.clear()
        self.show_message(self._reason)
        self._apply_limits()
        self._update()

    @property
    def read_only(self) -> bool:
        return self._read_only

    def quantities(self) -> dict[str, int]:
        return {tid: spin.value() for tid, spin in self._spins.items() if spin.value() > 0}

    def count(self) -> int:
        return sum(spin.value() for spin in self._spins.values())

    def total(self) -> Decimal:
        prices = {str(tt.discount_id): Decimal(tt.discounted_price) for tt in self._types}
        return sum((prices[tid] * n for tid, n in self.quantities().items()), Decimal("0"))

    def spin_for(self, discount_id: str) -> QSpinBox | None:
        return self._spins.get(str(discount_id))

    def spins(self) -> list[QSpinBox]:
        return list(self._spins.values())

    def clear(self) -> None:
        self._adjusting = True
        try:
            for spin in self._spins.values():
                spin.setValue(0)
        finally:
            self._adjusting = False
        self._apply_limits()
        self._update()

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    @property
    def message_text(self) -> str:
        return self.message_label.text()

    def focus_first(self) -> None:
        spins = self.spins()
        if spins and spins[0].isEnabled():
            # as by Tab: the spin box selects its text itself, so a typed count replaces the 0
            # (a selectAll() here was lost, and "2" typed before the 0 made "20", refused)
            spins[0].setFocus(Qt.FocusReason.TabFocusReason)
            spins[0].selectAll()
            # limits applied right after (setMaximum) drop the selection: select once more then
            QTimer.singleShot(0, spins[0], spins[0].selectAll)
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def request_add(self) -> None:
        """Emit the chosen quantities (and start over); says why when there is nothing to add."""
        if self._read_only:
            self.show_message(self._reason)
            return
        chosen = self.quantities()
        if not chosen:
            self.show_message(_("Choose how many tickets first."))
            return
        self.show_message("")
        self.quantitiesChosen.emit(chosen)
        self.clear()

    # --- internals ------------------------------------------------------------------------------
    def _clear_grid(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self._spins.clear()

    def _changed(self, _value: int) -> None:
        if self._adjusting:
            return
        self._apply_limits()
        self._update()
        if self.message_label.text() == _("Choose how many tickets first."):
            self.show_message("")

    def _apply_limits(self) -> None:
        """Each spin box may go up to what is left of the per-order maximum."""
        self._adjusting = True
        try:
            left = None if self._maximum is None else self._maximum - self.count()
            for spin in self._spins.values():
                spin.setEnabled(not self._read_only and self._maximum != 0)
                top = NO_LIMIT if left is None else max(spin.value() + left, spin.value())
                spin.setMaximum(min(top, NO_LIMIT))
        finally:
            self._adjusting = False

    def _update(self) -> None:
        n = self.count()
        self.total_label.setText(ngettext("{count} ticket, {total}", "{count} tickets, {total}", n)
                                 .format(count=n, total=format_money(self.total())))
        if self._maximum is None:
            self.limit_label.setText("")
        elif self._maximum == 0:
            self.limit_label.setText(_("No tickets can be ordered for this performance right now."))
        else:
            self.limit_label.setText(ngettext("At most {count} ticket per order.",
                                              "At most {count} tickets per order.",
                                              self._maximum).format(count=self._maximum))
        self.add_button.setEnabled(n > 0 and not self._read_only)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.request_add()
            event.accept()
            return
        super().keyPressEvent(event)
