"""``SeatLegend``: what the colours and markers of the seat map mean, with each rank's price.

Owns the legend only: one swatch per rank (best first, named after its full-price level, with
that price through ``format_money``) and one per seat state (not available, selected, in this cart,
suggested). The entries flow (``FlowLayout``): when the window is narrow (long Dutch texts, many
ranks) they wrap onto a second line instead of widening the window. Rebuilt when another hall is
shown.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from boxoffice.domain.layout import HallLayout
from boxoffice.i18n import _, format_money
from boxoffice.ui.seating import palette as P
from boxoffice.ui.seating.flow import FlowLayout
from boxoffice.ui.seating.state import full_prices, ordered_ranks, rank_names

SWATCH = 16


def swatch(kind: str, colour: str | None = None) -> QPixmap:
    """A small picture of one seat look, as the map draws it when zoomed in."""
    pm = QPixmap(SWATCH, SWATCH)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = QPointF(SWATCH / 2, SWATCH / 2)
    r = SWATCH / 2 - 1.5
    if kind == "rank":
        p.setPen(QPen(QColor(0, 0, 0, 60), 1))
        p.setBrush(QColor(colour))
        p.drawEllipse(c, r, r)
    elif kind == "unavailable":
        p.setPen(QPen(QColor(P.UNAVAILABLE_RING), 1))
        p.setBrush(QColor(P.UNAVAILABLE))
        p.drawEllipse(c, r * 0.55, r * 0.55)
    elif kind == "selected":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(P.SELECTED))
        p.drawEllipse(c, r, r)
        pen = QPen(QColor(P.SELECTED_MARK), 2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        path = QPainterPath(QPointF(c.x() - 3.5, c.y()))
        path.lineTo(c.x() - 1, c.y() + 3)
        path.lineTo(c.x() + 4, c.y() - 3)
        p.drawPath(path)
    elif kind == "cart":
        p.setPen(QPen(QColor(P.IN_CART), 2))
        p.setBrush(QColor("#FFFFFF"))
        p.drawEllipse(c, r - 1, r - 1)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(P.IN_CART))
        p.drawEllipse(c, 2.2, 2.2)
    elif kind == "suggested":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(P.SUGGESTED_HALO))
        p.drawEllipse(QRectF(0, 0, SWATCH, SWATCH))
        p.setPen(QPen(QColor(P.SUGGESTED), 2))
        p.setBrush(QColor(colour or P.RANK_COLOURS[0]))
        p.drawEllipse(c, r - 1.5, r - 1.5)
    p.end()
    return pm


class SeatLegend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatLegend")
        self._outer = QHBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._box: QWidget | None = None
        self._row: FlowLayout | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.entries: list[str] = []   # the texts shown, in order (tests read them)

    def _add(self, pixmap: QPixmap, text: str) -> None:
        icon = QLabel()
        icon.setPixmap(pixmap)
        icon.setFixedSize(QSize(SWATCH, SWATCH))
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        entry = QWidget()
        box = QHBoxLayout(entry)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(5)
        box.addWidget(icon)
        box.addWidget(label)
        assert self._row is not None   # made before the entries are added
        self._row.addWidget(entry)
        self.entries.append(text)

    def set_layout(self, layout: HallLayout) -> None:
        if self._box is not None:  # a fresh container per hall: no stale swatches left behind
            self._outer.removeWidget(self._box)
            self._box.hide()
            self._box.deleteLater()
        self._box = QWidget(self)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self._box.setSizePolicy(policy)
        self._row = FlowLayout(self._box, h_spacing=14, v_spacing=4)
        self._outer.addWidget(self._box)
        self.entries = []
        prices, names = full_prices(layout), rank_names(layout)
        present = layout.ranks_present
        for slot, rank in enumerate(ordered_ranks(layout)):
            if rank not in present:
                continue
            name = names.get(rank) or _("Rank {id}").format(id=rank)
            price = prices.get(rank)
            text = f"{name}  {format_money(price)}" if price is not None else name
            self._add(swatch("rank", P.RANK_COLOURS[slot % len(P.RANK_COLOURS)]), text)
        self._add(swatch("unavailable"), _("Not available"))
        self._add(swatch("selected"), _("Selected"))
        self._add(swatch("cart"), _("In this cart"))
        self._add(swatch("suggested"), _("Suggested"))
