"""The one-line message of the sale area: what just went wrong (or right) and what to do next.

Owns :class:`MessageLine`: shows a :class:`~boxoffice.services.messages.CashierMessage` in a strip
coloured by its severity (the words say it too), with the matching action button ("Pick another
seat", "Try again", "Re-add", …) when one applies, and a dismiss button. Never modal. The
technical detail of a message (class, endpoint, status, server text: ``CashierMessage.details``)
is never in the main text; a small "Details" button shows it on request.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from boxoffice.i18n import _
from boxoffice.services.messages import Action, CashierMessage
from boxoffice.ui.cart.button_row import ButtonRow


def action_text(action: Action) -> str | None:
    """The button text for an action (None: no button)."""
    return {
        Action.PICK_ANOTHER_SEAT: _("Pick another seat"),
        Action.TRY_AGAIN: _("Try again"),
        Action.OTHER_METHOD: _("Choose another method"),
        Action.RELEASE: _("Release the seats"),
        Action.CHECK_SETTINGS: _("Open Settings"),
        Action.READD: _("Re-add"),
    }.get(action)


class MessageLine(QWidget):
    """Severity-coloured text + optional action button; ``actionRequested(Action)``."""

    actionRequested = Signal(object)
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saleMessage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.message: CashierMessage | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 6, 6)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        self.label = QLabel()
        self.label.setObjectName("saleMessageText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # the action button beside the text when both fit, under it in a narrow pane
        self.body = ButtonRow()
        self.body.addWidget(self.label, 1)
        self.action_button = QPushButton()
        self.action_button.setObjectName("saleMessageAction")
        self.action_button.clicked.connect(self._action)
        self.body.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignLeft)
        row.addWidget(self.body, 1)
        self.details_button = QToolButton()
        self.details_button.setObjectName("saleMessageDetailsToggle")
        self.details_button.setText(_("Details"))
        self.details_button.setCheckable(True)
        self.details_button.setToolTip(_("Show the technical details (for support)"))
        self.details_button.toggled.connect(self._toggle_details)
        row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        self.close_button = QToolButton()
        self.close_button.setText("\u00d7")
        self.close_button.setToolTip(_("Dismiss"))
        self.close_button.setAccessibleName(_("Dismiss"))
        self.close_button.clicked.connect(self.clear)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.details_label = QLabel()
        self.details_label.setObjectName("saleMessageDetails")
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.hide()
        column.addWidget(self.details_label)
        self.hide()

    def show_message(self, message: CashierMessage | None) -> None:
        self.message = message
        if message is None:
            self.hide()
            return
        self.label.setText(message.text)
        details = getattr(message, "details", "") or ""
        self.details_label.setText(details)
        self.details_button.setChecked(False)
        self.details_button.setVisible(bool(details))
        self.setProperty("severity", message.severity.value)
        self.style().unpolish(self)
        self.style().polish(self)
        text = action_text(message.action)
        self.action_button.setVisible(text is not None)
        self.action_button.setText(text or "")
        self.show()

    def clear(self) -> None:
        was = self.message is not None
        self.show_message(None)
        if was:
            self.dismissed.emit()

    def _toggle_details(self, shown: bool) -> None:
        self.details_label.setVisible(shown and bool(self.details_label.text()))

    @property
    def details(self) -> str:
        """The technical detail of the shown message ('' when none)."""
        return self.details_label.text() if self.message is not None else ""

    @property
    def text(self) -> str:
        return self.label.text() if self.message is not None else ""

    def _action(self) -> None:
        if self.message is not None:
            self.actionRequested.emit(self.message.action)
