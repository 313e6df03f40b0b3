"""``ConfirmationPanel``: the sale is paid — what was sold, and the tickets.

Owns the paid view: the order key (large), number of tickets, the seats per performance, the
amount paid and the payment method, the change to give back for cash (it stays until the next
sale: the cashier counts it out after the payment is confirmed), and the buttons "Print tickets"
(the tickets PDF is opened in the computer's PDF viewer, which prints it: this app has no PDF renderer of its own),
"Open receipt" and "New sale" (F2 / Ctrl+N).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from boxoffice.domain.cash import Change
from boxoffice.i18n import _, format_money, ngettext
from boxoffice.services.sale import Confirmation
from boxoffice.services.shift_report import CASH_NAMES
from boxoffice.ui.cart.button_row import ButtonRow


class ConfirmationPanel(QWidget):
    printRequested = Signal()
    receiptRequested = Signal()
    newSaleRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmationPanel")
        self.confirmation: Confirmation | None = None
        #: what the cash widget computed as change (the sale area connects it); None: no change
        self.change_source: Callable[[], Change | None] | None = None
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(_("Paid"))
        self.title.setObjectName("paidTitle")
        self.title.setWordWrap(True)
        col.addWidget(self.title)
        self.key_label = QLabel()
        self.key_label.setObjectName("confirmedKey")
        self.key_label.setWordWrap(True)   # the key goes under "Order" in a narrow pane
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.key_label)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("confirmedSummary")
        self.summary_label.setWordWrap(True)
        col.addWidget(self.summary_label)
        self.seats = QListWidget()
        self.seats.setObjectName("confirmedSeats")
        self.seats.setAccessibleName(_("Seats in this order"))
        self.seats.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        col.addWidget(self.seats, 1)
        self.amount_label = QLabel()
        self.amount_label.setObjectName("confirmedAmount")
        self.amount_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount_label.setWordWrap(True)
        col.addWidget(self.amount_label)
        self.change_label = QLabel()
        self.change_label.setObjectName("changeDue")
        self.change_label.setProperty("kind", "ok")
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.change_label.setWordWrap(True)
        self.change_label.hide()
        col.addWidget(self.change_label)
        self.note_label = QLabel()
        self.note_label.setObjectName("confirmedNote")
        self.note_label.setWordWrap(True)
        col.addWidget(self.note_label)
        row = ButtonRow()
        self.print_button = QPushButton(_("Print tickets"))
        self.print_button.setObjectName("printTickets")
        self.print_button.setToolTip(_("Opens the tickets (PDF) in this computer's PDF viewer; "
                                       "print them from there."))
        self.print_button.clicked.connect(self.printRequested.emit)
        self.receipt_button = QPushButton(_("Open receipt"))
        self.receipt_button.setObjectName("openReceipt")
        self.receipt_button.clicked.connect(self.receiptRequested.emit)
        row.addWidget(self.print_button, 1)
        row.addWidget(self.receipt_button, 1)
        col.addWidget(row)
        self.new_button = QPushButton(_("New sale (F2)"))
        self.new_button.setObjectName("newSaleButton")
        self.new_button.setToolTip(_("Clear everything for the next customer (F2)"))
        self.new_button.setMinimumHeight(40)
        self.new_button.clicked.connect(self.newSaleRequested.emit)
        col.addWidget(self.new_button)

    def refresh_change(self) -> None:
        """Show the change of a cash sale (hidden for other methods and once it is cleared)."""
        conf = self.confirmation
        change = None
        if conf is not None and self.change_source is not None \
                and conf.payment_method.strip().lower() in CASH_NAMES:
            change = self.change_source()
        if change is not None and change.enough:
            self.change_label.setText(_("Change: {amount}").format(amount=format_money(change.change)))
            self.change_label.show()
        else:
            self.change_label.setText("")
            self.change_label.hide()

    def show_confirmation(self, conf: Confirmation | None, *, busy: bool = False) -> None:
        self.confirmation = conf
        self.refresh_change()
        if conf is None:
            return
        self.key_label.setText(_("Order {key}").format(key=conf.order_key))
        self.summary_label.setText(ngettext("{count} ticket", "{count} tickets", conf.tickets_nr)
                                   .format(count=conf.tickets_nr))
        self.seats.clear()
        for text in conf.seats:
            self.seats.addItem(text)
        paid = _("Paid {amount} by {method}").format(amount=format_money(conf.amount_paid),
                                                    method=conf.payment_method)
        if conf.surcharge:
            paid += "\n" + _("(tickets {total} + surcharge {fee})").format(
                total=format_money(conf.total), fee=format_money(conf.surcharge))
        self.amount_label.setText(paid)
        self.print_button.setEnabled(bool(conf.tickets_url) and not busy)
        self.receipt_button.setEnabled(bool(conf.receipt_url) and not busy)
        if not conf.tickets_url:
            self.note_label.setText(_("VoordeMensen has not sent the tickets link (or it was not "
                                      "secure); the tickets are in the VoordeMensen dashboard."))
        else:
            self.note_label.setText("")
        self.note_label.setVisible(bool(self.note_label.text()))
