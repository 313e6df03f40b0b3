"""The calm start-up notice: sales left unfinished last time, and how each one ended.

Owns :class:`RecoveryNotice`, a non-modal strip at the top of the sale area that lists every
unfinished sale found in the journal ("Sale of 20:14, 2 tickets, € 45,00: checking…") and
replaces each line with its outcome as recovery resolves it ("Order XXXX… was paid",
"Cart released"). A Dismiss button hides it; nothing waits for it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from boxoffice.i18n import _, format_money, format_time, ngettext
from boxoffice.store.journal import JournalSale, SaleState


def short_key(key: str | None) -> str:
    if not key:
        return ""
    return key if len(key) <= 11 else key[:11] + "\u2026"


def sale_caption(sale: JournalSale) -> str:
    tickets = len([ln for ln in sale.lines if ln.get("status", "held") == "held"])
    when = format_time(sale.created_at)
    if sale.order_key:
        return _("Order {key} ({time})").format(key=short_key(sale.order_key), time=when)
    return ngettext("Sale of {time}, {count} ticket, {amount}",
                    "Sale of {time}, {count} tickets, {amount}", tickets).format(
        time=when, count=tickets, amount=format_money(sale.total))


def outcome_text(caption: str, state: SaleState, order_key: str | None) -> str:
    key = short_key(order_key)
    if state == SaleState.PAID:
        return _("Order {key} was paid.").format(key=key)
    if state == SaleState.RELEASED:
        return _("{sale}: not paid; the cart was released.").format(sale=caption)
    if state in (SaleState.CANCELLED, SaleState.FAILED, SaleState.EXPIRED):
        word = {SaleState.CANCELLED: _("cancelled"), SaleState.FAILED: _("failed"),
                SaleState.EXPIRED: _("expired")}[state]
        return _("Order {key} was not paid ({status}); the seats were released.").format(
            key=key, status=word)
    if state == SaleState.ORDER_CREATED:
        return _("Order {key}: waiting for the payment\u2026").format(key=key)
    if state == SaleState.NEEDS_ATTENTION:
        return _("{sale}: could not be confirmed; checked again at the next start. Check the "
                 "VoordeMensen dashboard.").format(sale=caption)
    return _("{sale}: checking\u2026").format(sale=caption)


class RecoveryNotice(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryNotice")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.rows: dict[str, QLabel] = {}
        self.captions: dict[str, str] = {}
        col = QVBoxLayout(self)
        col.setContentsMargins(10, 6, 6, 6)
        head = QHBoxLayout()
        self.title = QLabel(_("Unfinished sales from before"))
        self.title.setObjectName("recoveryTitle")
        self.title.setWordWrap(True)   # the Dutch title is long: wrap within the ~340 px pane
        head.addWidget(self.title, 1)
        close = QToolButton()
        close.setText(_("Dismiss"))
        close.clicked.connect(self.hide)
        head.addWidget(close)
        col.addLayout(head)
        self.body = QVBoxLayout()
        self.body.setSpacing(2)
        col.addLayout(self.body)
        self.hide()

    def add_sale(self, sale: JournalSale, title: str | None = None) -> None:
        if title:
            self.title.setText(title)
        caption = sale_caption(sale)
        self.captions[sale.sale_id] = caption
        label = self.rows.get(sale.sale_id)
        if label is None:
            label = QLabel()
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            self.body.addWidget(label)
            self.rows[sale.sale_id] = label
        label.setText("\u2022 " + outcome_text(caption, SaleState.LINES_ADDED, sale.order_key))
        self.show()

    def update_sale(self, sale_id: str, state: SaleState, order_key: str | None) -> None:
        label = self.rows.get(sale_id)
        if label is None:
            return
        label.setText("\u2022 " + outcome_text(self.captions.get(sale_id, ""), state, order_key))

    def texts(self) -> list[str]:
        return [label.text() for label in self.rows.values()]
