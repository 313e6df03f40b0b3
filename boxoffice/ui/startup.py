"""Start-up of a venue session's window: the saved event list is painted before anything else.

Owns :class:`FirstPaintWatcher` (the moment the event list is first painted with rows in it) and
:func:`wait_for_first_paint`, which the app controller awaits before it opens the session
(simulator, HTTP client), the cart pane and the performance page, so the cashier sees the list
at once. The saved list itself comes from the counter (``boxoffice.services.counter``).
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer

log = logging.getLogger("boxoffice.ui.controller")


class FirstPaintWatcher(QObject):
    """Calls ``callback`` once, right after the event list is first painted with rows in it.

    ``painted_at`` is the wall-clock time of that paint event, taken as it arrives (the paint
    itself follows in the same call); the callback runs on a later turn of the event loop."""

    def __init__(self, controller: Any, callback: Callable[[], None]) -> None:
        super().__init__()
        self.controller = controller
        self.callback = callback
        self.fired = False
        self.painted_at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (not self.fired and event.type() == QEvent.Type.Paint
                and self.controller.window.browser.proxy.rowCount() > 0):
            self.fired = True
            self.painted_at = time.time()
            QTimer.singleShot(0, self.callback)
        return False


async def wait_for_first_paint(controller: Any, timeout: float = 0.5) -> None:
    """Return once the event list has been painted (or after *timeout*: hidden, minimised)."""
    if not controller.window.isVisible():
        return
    painted = asyncio.get_running_loop().create_future()

    def done() -> None:
        if not painted.done():
            painted.set_result(None)

    watcher = FirstPaintWatcher(controller, done)
    viewport = controller.window.browser.tree.viewport()
    viewport.installEventFilter(watcher)
    try:
        await asyncio.wait_for(painted, timeout)
    except asyncio.TimeoutError:
        log.debug("event list not painted within %.1f s; going on", timeout)
    finally:
        viewport.removeEventFilter(watcher)
