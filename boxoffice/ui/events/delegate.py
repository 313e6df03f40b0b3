"""Paints the status column as a badge: a coloured pill that always carries its word.

Colour is never the only signal: the text says "On sale", "Sold out" … and the colours were chosen
with enough contrast (WCAG AA for the text) to read at a glance on a busy evening.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from boxoffice.domain.performance import PerformanceStatus
from boxoffice.ui.events.model import StatusRole

# (background, text)
BADGE_COLOURS: dict[PerformanceStatus, tuple[str, str]] = {
    PerformanceStatus.ON_SALE: ("#1b6e3a", "#ffffff"),
    PerformanceStatus.NOT_ON_SALE: ("#ffe3a3", "#5c3d00"),
    PerformanceStatus.SOLD_OUT: ("#a4262c", "#ffffff"),
    PerformanceStatus.PAST: ("#e4e4e4", "#4a4a4a"),
}


class StatusBadgeDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        status = index.data(StatusRole)
        if not isinstance(status, PerformanceStatus):
            super().paint(painter, option, index)
            return
        # Selection/hover background from the style, then our pill on top.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        background, foreground = BADGE_COLOURS[status]
        font = opt.font
        font.setBold(True)
        metrics = QFontMetrics(font)
        rect = option.rect.adjusted(4, 3, -4, -3)
        width = min(rect.width(), metrics.horizontalAdvance(text) + 20)
        pill = QRectF(rect.left(), rect.top(), width, rect.height())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        radius = pill.height() / 2
        painter.drawRoundedRect(pill, radius, radius)
        painter.setPen(QColor(foreground))
        painter.setFont(font)
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        font = option.font
        font.setBold(True)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        width = QFontMetrics(font).horizontalAdvance(text) + 28
        return QSize(max(size.width(), width), max(size.height(), QFontMetrics(font).height() + 12))
