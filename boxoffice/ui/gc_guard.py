"""Run Python's cyclic garbage collector on the GUI thread only.

The app has other Python threads (the embedded simulator's server and worker threads, httpx's
resolver). Python runs a cyclic collection on whichever thread happens to allocate when a threshold
is reached; if that collection frees a Qt object that sat in a reference cycle, its C++ destructor
runs on the wrong thread. Qt then cannot unregister the object's timers, and a later timer event is
delivered to freed memory: a segmentation fault inside ``QTimerInfoList::activateTimers``. We saw
exactly that in the test suite.

The cure is the classic one for Python Qt apps: switch automatic collection off and collect from a
QTimer on the GUI thread, generation by generation, as the thresholds say.

A full collection (generation 2) walks every object the app holds, the seats of the seating plans
included: 50-200 ms on the GUI thread, a freeze the cashier feels. CPython spaces full collections
by how many objects survived since the last one; going by the thresholds alone made one every few
seconds over an evening (issue 13). Here one runs at most every ``FULL_EVERY`` seconds; in between
the younger generations are collected as usual (nothing is lost, cyclic garbage that reached the
oldest generation is only freed a little later).
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

#: seconds between two full (generation 2) collections at the least
FULL_EVERY = 30.0


class GuiThreadGarbageCollector(QObject):
    """Owns a timer that performs the collections automatic GC would have done, on this thread."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self._last_full = clock()
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                if generation == 2:
                    if self._clock() - self._last_full < FULL_EVERY:
                        generation = 1   # not yet: the younger ones only
                    else:
                        self._last_full = self._clock()
                gc.collect(generation)
                break

    def stop(self) -> None:
        """Stop the timer and give collection back to the interpreter."""
        self._timer.stop()
        gc.collect()
        gc.enable()
