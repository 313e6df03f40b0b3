"""A full-width strip above the content: demo mode, offline, one-off notices; and
:class:`BannerOverlay`, which draws the window's banners over the page's top edge so they never
move it."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

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


class BannerOverlay(QWidget):
    """The window's banners, drawn over the top edge of ``host`` instead of in its layout, so
    one appearing or going (offline, a notice, a keychain warning) never moves the page below
    (the event list, the seat map) under the cashier's cursor.

    :attr:`slot` goes in the host's layout above the page: it always keeps the height of one
    one-line banner, shown or not, so a single short banner covers nothing. More banners, or a
    text that wraps, reach further down over the page's top edge; the page itself stays put.
    """

    def __init__(self, host: QWidget, banners: list[Banner]) -> None:
        super().__init__(host)
        self.setObjectName("bannerOverlay")
        self._host = host
        self.banners = list(banners)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for banner in self.banners:
            layout.addWidget(banner)
            banner.installEventFilter(self)
        # measures the height a one-line banner has with the window's style
        self._probe = Banner("notice", "X")
        self.slot = QWidget()
        self.slot.setObjectName("bannerSlot")
        self.slot.setFixedHeight(self._one_line_height())
        host.installEventFilter(self)
        self._place()

    def _one_line_height(self) -> int:
        self._probe.ensurePolished()
        self._probe.label.ensurePolished()
        return self._probe.sizeHint().height()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.ShowToParent,
                            QEvent.Type.HideToParent, QEvent.Type.Resize,
                            QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._place()
        return super().eventFilter(obj, event)

    def _place(self) -> None:
        width = self._host.width()
        shown = [b for b in self.banners if not b.isHidden()]
        if not shown or width <= 0:
            self.hide()
            return
        height = sum(b.heightForWidth(width) if b.hasHeightForWidth() else b.sizeHint().height()
                     for b in shown)
        self.setGeometry(0, 0, width, max(height, self.slot.height()))
        self.show()
        self.raise_()
