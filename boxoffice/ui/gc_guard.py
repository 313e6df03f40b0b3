"""Run Python's cyclic garbage collector on the GUI thread only.

The app has other Python threads (the embedded simulator's server and worker threads, httpx's
resolver). Python runs a cyclic collection on whichever thread happens to allocate when a threshold
is reached; if that collection frees a Qt object that sat in a reference cycle, its C++ destructor
runs on the wrong thread. Qt then cannot unregister the object's timers, and a later timer event is
delivered to freed memory: a segmentation fault inside ``QTimerInfoList::activateTimers``. We saw
exactly that in the test suite.

The cure is the classic one for Python Qt apps: switch automatic collection off and collect from a
QTimer on the GUI thread, generation by generation, as the thresholds say.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadGarbageCollector(QObject):
    """Owns a timer that performs the collections automatic GC would have done, on this thread."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                break

    def stop(self) -> None:
        """Stop the timer and give collection back to the interpreter."""
        self._timer.stop()
        gc.collect()
        gc.enable()
