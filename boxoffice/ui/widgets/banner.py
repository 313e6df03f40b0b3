"""A full-width strip above the content: demo mode, offline, one-off notices."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from boxoffice.i18n import _


class Banner(QWidget):
    """Text on a coloured strip; ``kind`` selects the style (demo, offline, notice, warning)."""

    dismissed = Signal()

    def __init__(self, kind: str, text: str = "", dismissable: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{kind}Banner")
        self.setProperty("bannerKind", kind)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        self.label = QLabel(text)
        self.label.setObjectName("bannerText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.close_button: QToolButton | None = None
        if dismissable:
            self.close_button = QToolButton()
            self.close_button.setText(_("Dismiss"))
            self.close_button.clicked.connect(self._dismiss)
            layout.addWidget(self.close_button)

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802
        self.label.setText(text)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
