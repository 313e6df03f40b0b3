"""``ButtonRow``: widgets side by side while they fit, stacked when they do not.

Owns only geometry, for the narrow sale pane: a row like "Back to cart … Pay € 80,50" (or the
Dutch "Terug naar het mandje … € 80,50 afrekenen"), or the title beside the hold countdown,
would otherwise make the whole pane as wide as its parts together and squeeze the performance
page. Its minimum width is the widest single part; the row turns into a column as soon as the
parts no longer fit side by side, so no text is ever cut off. Stacked, buttons take the full
width unless they were added with an alignment.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QBoxLayout, QWidget

ACROSS, STACKED = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom


class ButtonRow(QWidget):
    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6) -> None:
        super().__init__(parent)
        self.row = QBoxLayout(ACROSS, self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(spacing)

    # --- building ------------------------------------------------------------------------------
    def addWidget(self, widget: QWidget, stretch: int = 0,  # noqa: N802 - Qt style
                  alignment: Qt.AlignmentFlag | None = None) -> None:
        if alignment is None:
            self.row.addWidget(widget, stretch)
        else:
            self.row.addWidget(widget, stretch, alignment)

    def addStretch(self, stretch: int = 1) -> None:  # noqa: N802
        self.row.addStretch(stretch)

    @property
    def stacked(self) -> bool:
        return self.row.direction() == STACKED

    # --- geometry ------------------------------------------------------------------------------
    def _shown(self) -> list:
        items = (self.row.itemAt(i) for i in range(self.row.count()))
        return [it for it in items
                if it is not None and it.widget() is not None and not it.isEmpty()]

    def needed_width(self) -> int:
        """The width the buttons need side by side (hidden ones take none)."""
        shown = self._shown()
        m = self.row.contentsMargins()
        return (sum(it.sizeHint().width() for it in shown)
                + self.row.spacing() * max(0, len(shown) - 1) + m.left() + m.right())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - the widest button: the rest may stack
        m = self.row.contentsMargins()
        width = max((it.minimumSize().width() for it in self._shown()), default=0)
        return QSize(width + m.left() + m.right(), self.row.minimumSize().height())

    def _fit(self) -> None:
        direction = ACROSS if self.needed_width() <= self.width() else STACKED
        if self.row.direction() != direction:
            self.row.setDirection(direction)
            self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:   # a text or visibility changed
            self._fit()
        return super().event(event)

