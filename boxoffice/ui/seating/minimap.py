"""``Minimap``: a small overview of a big hall with the visible part outlined; click to move there.

Owns only the overview picture (rendered from the same scene, re-rendered lazily after a change)
and turning a click/drag into "centre the map on this scene point" (``centreRequested``). The map
view decides when it is shown (halls over ``MINIMAP_MIN_SEATS`` seats).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QWidget

from boxoffice.i18n import _

if TYPE_CHECKING:
    from boxoffice.ui.seating.seat_layer import SeatLayer


class Minimap(QWidget):
    centreRequested = Signal(QPointF)

    WIDTH = 220

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatMinimap")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(_("Overview: click or drag to move the map"))
        self._layer: SeatLayer | None = None
        self._scene: QGraphicsScene | None = None
        self._image: QImage | None = None
        self._visible = QRectF()
        self._source = QRectF()
        self._target = QRectF()

    def set_layer(self, layer: SeatLayer, scene: QGraphicsScene) -> None:
        self._layer = layer
        self._scene = scene
        self._source = layer.boundingRect()
        self._image = None
        self.updateGeometry()
        self.update()

    def invalidate(self) -> None:
        self._image = None
        if self.isVisible():
            self.update()

    def set_visible_rect(self, rect: QRectF) -> None:
        if rect != self._visible:
            self._visible = rect
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        src = self._source
        if src.isEmpty():
            return QSize(self.WIDTH, 140)
        h = int(self.WIDTH * src.height() / src.width()) + 8
        return QSize(self.WIDTH, max(60, min(h, 220)))

    def _render(self) -> QImage:
        size = self.size()
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(255, 255, 255, 235))
        src = self._source
        s = min((size.width() - 8) / src.width(), (size.height() - 8) / src.height())
        w, h = src.width() * s, src.height() * s
        self._target = QRectF((size.width() - w) / 2, (size.height() - h) / 2, w, h)
        if self._scene is not None and self._layer is not None:   # set together
            p = QPainter(image)
            self._layer.overview = True
            try:
                self._scene.render(p, self._target, src)
            finally:
                self._layer.overview = False
            p.end()
        self._image = image
        return image

    def paintEvent(self, event) -> None:  # noqa: N802
        if self._layer is None:
            return
        image = self._image
        if image is None or image.size() != self.size():
            image = self._render()
        p = QPainter(self)
        p.drawImage(0, 0, image)
        p.setPen(QPen(QColor("#888888"), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        if not self._visible.isEmpty():
            r = self._to_widget(self._visible).intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1))
            p.setPen(QPen(QColor("#CC3311"), 2))
            p.setBrush(QColor(204, 51, 17, 30))
            p.drawRect(r)
        p.end()

    def _to_widget(self, r: QRectF) -> QRectF:
        src, tgt = self._source, self._target
        s = tgt.width() / src.width() if src.width() else 1.0
        return QRectF(tgt.left() + (r.left() - src.left()) * s, tgt.top() + (r.top() - src.top()) * s,
                      r.width() * s, r.height() * s)

    def to_scene(self, x: float, y: float) -> QPointF:
        src, tgt = self._source, self._target
        if tgt.isEmpty():
            self._render()
            tgt = self._target
        s = tgt.width() / src.width() if src.width() else 1.0
        return QPointF(src.left() + (x - tgt.left()) / s, src.top() + (y - tgt.top()) / s)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            pos = event.position()
            self.centreRequested.emit(self.to_scene(pos.x(), pos.y()))
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            pos = event.position()
            self.centreRequested.emit(self.to_scene(pos.x(), pos.y()))
            event.accept()
