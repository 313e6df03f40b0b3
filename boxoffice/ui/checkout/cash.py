"""Cash at the counter: the amount handed over, quick buttons, and the change shown large.

Owns :class:`CashWidget` (no network): the cashier types what the customer handed over (``20``,
``20,50`` or ``20.50``) or presses a quick button (exact, then the round amounts from
``boxoffice.domain.cash.quick_amounts``); the change to give back is shown in large type, a
shortfall in red words, and ``ready_to_pay`` is False then (the checkout keeps Pay disabled).
Arithmetic is ``boxoffice.domain.cash.change_due`` (Decimal, exact).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.cash import Change, change_due, quick_amounts
from boxoffice.domain.money import ZERO
from boxoffice.i18n import _, current_language, format_money


def parse_amount(text: str) -> Decimal | None:
    """``"20"``, ``"20,5"``, ``"20.50"``, ``"€ 20,50"`` → Decimal; None when not an amount."""
    cleaned = text.strip().replace("€", "").replace("\xa0", "").replace(" ", "")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:   # 1.234,50 or 1,234.50: the last one is decimal
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0:
        return None
    exponent = value.as_tuple().exponent   # an int for a finite value
    if isinstance(exponent, int) and exponent < -2:
        return None
    return value


class CashWidget(QWidget):
    """Amount tendered → change due (large)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cashWidget")
        self._due = ZERO
        self._shown_due: Decimal | None = None   # the due the quick buttons were made for
        self.change: Change | None = None

        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        label = QLabel(_("Cash received:"))
        self.tendered = QLineEdit()
        self.tendered.setObjectName("cashTendered")
        self.tendered.setPlaceholderText(_("amount handed over"))
        self.tendered.setAccessibleName(_("Cash received"))
        self.tendered.textChanged.connect(self._recalculate)
        label.setBuddy(self.tendered)
        row.addWidget(label)
        row.addWidget(self.tendered, 1)
        col.addLayout(row)
        self.quick_row = QGridLayout()
        self.quick_row.setSpacing(4)
        col.addLayout(self.quick_row)
        self.quick_buttons: list[QPushButton] = []
        self.change_label = QLabel()
        self.change_label.setObjectName("changeDue")
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.change_label.setWordWrap(True)
        col.addWidget(self.change_label)
        self._recalculate()

    # --- owner API ---------------------------------------------------------------------------
    def set_due(self, due: Decimal) -> None:
        # nothing changed, nothing to announce: the owner re-renders on ``changed`` and sets the
        # due again (a due of zero has no quick buttons, so "no buttons yet" is no test for it)
        if due == self._shown_due:
            return
        self._shown_due = due
        self._due = due
        for button in self.quick_buttons:
            self.quick_row.removeWidget(button)
            button.deleteLater()
        self.quick_buttons = []
        for i, amount in enumerate(quick_amounts(due) if due > ZERO else []):
            text = (_("Exact {amount}") if i == 0 else "{amount}").format(amount=format_money(amount))
            button = QPushButton(text)
            button.setObjectName("quickAmount")
            if i > 0:   # a bare amount is no name for a screen reader
                button.setAccessibleName(_("Cash received: {amount}").format(
                    amount=format_money(amount)))
            button.setProperty("amount", str(amount))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _c=False, a=amount: self.set_tendered(a))
            self.quick_row.addWidget(button, i // 3, i % 3)
            self.quick_buttons.append(button)
        self._recalculate()

    @property
    def due(self) -> Decimal:
        return self._due

    def set_tendered(self, amount: Decimal) -> None:
        sep = "," if current_language() == "nl" else "."
        self.tendered.setText(f"{amount:.2f}".replace(".", sep))

    def clear(self) -> None:
        self.tendered.clear()

    @property
    def change_text(self) -> str:
        return self.change_label.text()

    @property
    def ready_to_pay(self) -> bool:
        """Whether a cash sale may be paid: nothing typed (the cashier takes the exact amount
        without counting it here), or an amount that covers what is due. A shortfall or text that
        is not an amount keeps Pay disabled."""
        if not self.tendered.text().strip():
            return True
        return self.change is not None and self.change.enough

    # --- internals ---------------------------------------------------------------------------
    def _recalculate(self, *_args: object) -> None:
        amount = parse_amount(self.tendered.text())
        if self.tendered.text().strip() and amount is None:
            self.change = None
            self._show(_("Not an amount: type e.g. 20 or 20,50"), "error")
        elif amount is None:
            self.change = None
            self._show(_("Type the cash received to see the change."), "idle")
        else:
            self.change = change_due(self._due, amount)
            if self.change.enough:
                self._show(_("Change: {amount}").format(amount=format_money(self.change.change)), "ok")
            else:
                self._show(_("Still to pay: {amount}").format(amount=format_money(self.change.short)),
                           "error")
        self.changed.emit()

    def _show(self, text: str, kind: str) -> None:
        self.change_label.setText(text)
        self.change_label.setProperty("kind", kind)
        self.change_label.style().unpolish(self.change_label)
        self.change_label.style().polish(self.change_label)
