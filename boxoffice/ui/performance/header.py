"""``PerformanceHeader``: the strip on top of an opened performance.

Owns what tells the cashier where they are: a way back to the list (also Esc / Alt+Left), the
performance's name, date and time, hall and status badge (the same badge as in the list).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from boxoffice.domain.performance import PerformanceStatus
from boxoffice.i18n import _
from boxoffice.ui.events.details import StatusBadge, when_text
from boxoffice.ui.events.rows import PerformanceRow


class PerformanceHeader(QWidget):
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("performanceHeader")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 4)
        row.setSpacing(16)
        self.back_button = QPushButton(_("\u2190 Back to performances"))
        self.back_button.setObjectName("backButton")
        self.back_button.setToolTip(_("Back to the list (Esc or Alt+Left)"))
        self.back_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back_button.clicked.connect(self.back_requested.emit)
        row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)

        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.title = QLabel()
        self.title.setObjectName("detailsTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.when = QLabel()
        self.when.setObjectName("detailsWhen")
        self.when.setTextFormat(Qt.TextFormat.PlainText)
        # Long names and Dutch dates wrap instead of widening the whole window.
        for label in (self.title, self.when):
            label.setWordWrap(True)
            label.setMinimumWidth(200)
        texts.addWidget(self.title)
        texts.addWidget(self.when)
        row.addLayout(texts, 1)
        self.badge = StatusBadge()
        self.badge.setObjectName("statusBadge")
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)

    def show_performance(self, perf: PerformanceRow, status: PerformanceStatus | None) -> None:
        self.title.setText(perf.name)
        text = when_text(perf)
        if perf.hall:
            text += " \u00b7 " + perf.hall
        self.when.setText(text)
        self.badge.set_status(status)
