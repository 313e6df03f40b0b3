"""The optional buyer at checkout: e-mail lookup (prefills), or a new customer record.

Owns :class:`CustomerBox` (no network: it emits ``lookupRequested(email)`` and
``createRequested(...)``; the sale controller answers with :meth:`CustomerBox.prefill` /
:meth:`CustomerBox.set_status`). The two GDPR opt-ins ("may be e-mailed about this venue",
"newsletter") start unticked for every sale and are only ever ticked by the cashier.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.services.sale import CustomerInfo


class CustomerBox(QWidget):
    lookupRequested = Signal(str)
    createRequested = Signal(str, str, str, str)   # email, first, last, phone

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerBox")
        self.customer_id: int | None = None
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.toggle = QToolButton()
        self.toggle.setObjectName("customerToggle")
        self.toggle.setText(_("Customer (optional)"))
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.toggled.connect(self._toggled)
        col.addWidget(self.toggle)

        self.body = QWidget()
        form = QFormLayout(self.body)
        form.setContentsMargins(8, 0, 0, 0)
        self.email = QLineEdit()
        self.email.setObjectName("customerEmail")
        self.email.setPlaceholderText(_("name@example.org"))
        self.email.returnPressed.connect(self._lookup)
        self.lookup_button = QPushButton(_("Look up"))
        self.lookup_button.setObjectName("customerLookup")
        self.lookup_button.clicked.connect(self._lookup)
        email_row = QHBoxLayout()
        email_row.addWidget(self.email, 1)
        email_row.addWidget(self.lookup_button)
        form.addRow(_("E-mail:"), email_row)
        self.first_name = QLineEdit()
        self.first_name.setObjectName("customerFirstName")
        self.last_name = QLineEdit()
        self.last_name.setObjectName("customerLastName")
        self.phone = QLineEdit()
        self.phone.setObjectName("customerPhone")
        form.addRow(_("First name:"), self.first_name)
        form.addRow(_("Last name:"), self.last_name)
        form.addRow(_("Phone:"), self.phone)
        self.optin = QCheckBox(_("May be e-mailed about this venue"))
        self.optin.setObjectName("avgOptin")
        self.mailinglist = QCheckBox(_("Subscribe to the newsletter"))
        self.mailinglist.setObjectName("avgMailinglist")
        form.addRow(self.optin)
        form.addRow(self.mailinglist)
        self.create_button = QPushButton(_("Save as new customer"))
        self.create_button.setObjectName("customerCreate")
        self.create_button.clicked.connect(self._create)
        self.status = QLabel()
        self.status.setObjectName("customerStatus")
        self.status.setWordWrap(True)
        form.addRow(self.create_button)
        form.addRow(self.status)
        for edit in (self.email, self.first_name, self.last_name):
            edit.textEdited.connect(self._edited)
        col.addWidget(self.body)
        self.body.hide()

    # --- owner API ---------------------------------------------------------------------------
    def reset(self) -> None:
        """A new sale: empty fields, opt-ins unticked, collapsed."""
        for edit in (self.email, self.first_name, self.last_name, self.phone):
            edit.clear()
        self.optin.setChecked(False)
        self.mailinglist.setChecked(False)
        self.customer_id = None
        self.status.clear()
        self.toggle.setChecked(False)

    def set_can_look_up(self, can: bool, reason: str = "") -> None:
        for w in (self.lookup_button, self.create_button):
            w.setEnabled(can)
            w.setToolTip("" if can else reason)

    def prefill(self, customer: CustomerInfo | None, *, email: str = "") -> None:
        if customer is None:
            self.customer_id = None
            self.set_status(_("No customer with {email} yet: fill in the name to save one, or "
                              "just pay.").format(email=email or self.email.text().strip()))
            return
        self.customer_id = customer.customer_id
        self.email.setText(customer.email)
        self.first_name.setText(customer.first_name or "")
        self.last_name.setText(customer.last_name or "")
        self.phone.setText(customer.phone or "")
        name = " ".join(p for p in (customer.first_name, customer.last_name) if p)
        self.set_status(_("Customer found: {name}").format(name=name or customer.email))

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def customer(self) -> CustomerInfo | None:
        """The buyer to attach, or None when no e-mail address was given."""
        email = self.email.text().strip()
        if not email:
            return None
        return CustomerInfo(email, self.first_name.text().strip() or None,
                            self.last_name.text().strip() or None,
                            self.phone.text().strip() or None, self.customer_id)

    def valid(self) -> bool:
        email = self.email.text().strip()
        return not email or ("@" in email and "." in email.rsplit("@", 1)[-1])

    # --- internals ---------------------------------------------------------------------------
    def _toggled(self, on: bool) -> None:
        self.body.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        if on:
            self.email.setFocus()

    def _edited(self, *_a: object) -> None:
        if self.sender() is self.email:
            self.customer_id = None

    def _lookup(self) -> None:
        email = self.email.text().strip()
        if not self.valid() or not email:
            self.set_status(_("Type a complete e-mail address."))
            return
        self.lookupRequested.emit(email)

    def _create(self) -> None:
        email = self.email.text().strip()
        if not email or not self.valid():
            self.set_status(_("Type a complete e-mail address."))
            return
        if not self.first_name.text().strip() or not self.last_name.text().strip():
            self.set_status(_("Fill in the first and last name to save a customer."))
            return
        self.createRequested.emit(email, self.first_name.text().strip(),
                                  self.last_name.text().strip(), self.phone.text().strip())
