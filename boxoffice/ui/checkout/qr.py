"""The payment link as a QR code the customer scans with a phone, drawn from segno's matrix.

Owns :func:`qr_matrix` (segno, medium error correction, with the 4-module quiet zone),
:func:`qr_image` (a crisp black-on-white ``QImage``, whole pixels per module, no Pillow) and
:class:`QrCodeWidget`, which draws the code as large as its space allows at an integer module
size so it stays sharp and scannable.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

import segno

QUIET_ZONE = 4


def qr_matrix(text: str) -> list[list[bool]]:
    """Rows of modules (True = dark), quiet zone included."""
    code = segno.make(text, error="m", micro=False)
    n = len(code.matrix)
    width = n + 2 * QUIET_ZONE
    blank = [False] * width
    rows = [list(blank) for _ in range(QUIET_ZONE)]
    for row in code.matrix:
        rows.append([False] * QUIET_ZONE + [bool(v) for v in row] + [False] * QUIET_ZONE)
    rows += [list(blank) for _ in range(QUIET_ZONE)]
    return rows


def qr_image(text: str, module_px: int = 8) -> QImage:
    """The QR code of ``text`` as an image, ``module_px`` pixels per module."""
    matrix = qr_matrix(text)
    size = len(matrix) * module_px
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    _paint(painter, matrix, 0, 0, module_px)
    painter.end()
    return image


def _paint(painter: QPainter, matrix: list[list[bool]], x0: int, y0: int, px: int) -> None:
    black = QColor("black")
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                painter.fillRect(QRect(x0 + start * px, y0 + y * px, (x - start) * px, px), black)
            else:
                x += 1


class QrCodeWidget(QWidget):
    """Shows one text as a QR code, centred, as big as fits (integer module size)."""

    def __init__(self, parent: QWidget | None = None, *, minimum: int = 180) -> None:
        super().__init__(parent)
        self.setObjectName("paymentQr")
        self._text = ""
        self._matrix: list[list[bool]] = []
        self._minimum = minimum
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(minimum, minimum)

    def set_text(self, text: str | None) -> None:
        self._text = text or ""
        self._matrix = qr_matrix(self._text) if self._text else []
        self.setAccessibleName(self._text)
        self.update()

    def text(self) -> str:
        return self._text

    def module_size(self) -> int:
        if not self._matrix:
            return 0
        return max(1, min(self.width(), self.height()) // len(self._matrix))

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, 320)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if not self._matrix:
            return
        px = self.module_size()
        side = px * len(self._matrix)
        x0 = (self.width() - side) // 2
        y0 = (self.height() - side) // 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(QRect(x0, y0, side, side), QColor("white"))
        _paint(painter, self._matrix, x0, y0, px)
        painter.end()
