"""Qt and event-loop set-up shared by the desktop app (``boxoffice.app``) and the self-test.

Order matters: PySide6 before qasync, the QApplication before the ``QEventLoop``. PySide6 and
qasync are imported inside the functions, so importing this module stays cheap.
"""
from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any

from boxoffice.ui.resources import load_style_sheet, resource_path

if TYPE_CHECKING:
    import qasync


def qt_application(argv: list[str]) -> Any:
    """The running QApplication, or a new one for *argv* (Qt options after the program name)."""
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0], *argv])


def style_application(app: Any) -> None:
    """Names, quit policy, font floor, style sheet and window icon of the desktop app."""
    from PySide6.QtGui import QFont, QIcon

    app.setApplicationName("VdM Box Office")
    app.setOrganizationName("vdm-boxoffice")
    app.setQuitOnLastWindowClosed(False)  # the controller ends the loop after cleanup
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 11.0))
    app.setFont(font)
    app.setStyleSheet(load_style_sheet())
    icon = resource_path("icons", "boxoffice.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))


def install_event_loop(app: Any) -> qasync.QEventLoop:
    """A qasync loop on *app*, set as the current asyncio event loop."""
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    return loop
