"""The hold countdown: how long the seats in the cart stay reserved, always in view.

Owns :class:`HoldCountdown`, a label refreshed every second from the sale service's
``hold_info()`` (``mm:ss``; "about" when the time is a local estimate). It turns amber at the
2-minute warning and says "released" at expiry. No network: the service reads the cart back
when the hold runs out.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from boxoffice.i18n import _
from boxoffice.services.sale import HoldInfo

HoldSource = Callable[[], HoldInfo | None]


def mm_ss(seconds: int) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class HoldCountdown(QLabel):
    def __init__(self, hold_source: HoldSource | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("holdCountdown")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.hold_source = hold_source
        self.state = "none"
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.tick()

    def tick(self) -> None:
        hold = self.hold_source() if self.hold_source is not None else None
        if hold is None:
            self._set("", "none")
            self.setToolTip("")
            return
        if hold.expired:
            self._set(_("Hold expired: seats released"), "expired")
            self.setToolTip(_("The seats were let go. Use Re-add to put back those still free."))
            return
        time = mm_ss(hold.seconds_remaining)
        text = (_("Seats held about {time}") if hold.estimated else _("Seats held {time}")).format(time=time)
        self._set(text, "warning" if hold.warning else "ok")
        self.setToolTip(_("Time left before VoordeMensen releases the seats in this cart.")
                        + ("\n" + _("Estimated: this cart does not report its exact time.")
                           if hold.estimated else ""))

    def _set(self, text: str, state: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))
        if state != self.state:
            self.state = state
            self.setProperty("hold", state)
            self.style().unpolish(self)
            self.style().polish(self)
