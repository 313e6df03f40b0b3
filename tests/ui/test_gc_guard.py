"""The GUI-thread garbage collector: full collections are spaced out (issue 13: a full collection
walks every object, seating plans included, and froze the window every few seconds)."""
from __future__ import annotations

import gc

from boxoffice.ui import gc_guard
from boxoffice.ui.gc_guard import GuiThreadGarbageCollector


def test_a_full_collection_runs_at_most_every_full_every_seconds(qapp, monkeypatch):
    now = [1000.0]
    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    collector = GuiThreadGarbageCollector(clock=lambda: now[0])
    try:
        threshold = collector._thresholds
        monkeypatch.setattr(gc, "get_count", lambda: (0, 0, threshold[2] + 1))
        collector.check()                    # just started: the younger generations only
        now[0] += gc_guard.FULL_EVERY - 1
        collector.check()
        assert collected == [1, 1]
        now[0] += 1
        collector.check()                    # the interval has passed: one full collection
        collector.check()                    # and not again right after it
        assert collected == [1, 1, 2, 1]
        monkeypatch.setattr(gc, "get_count", lambda: (threshold[0] + 1, 0, 0))
        collector.check()                    # the youngest as the thresholds say
        assert collected[-1] == 0
    finally:
        collector._timer.stop()
        monkeypatch.undo()
        collector.stop()
