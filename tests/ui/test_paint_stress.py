"""Paint a few thousand performances many times over.

PySide6 6.12.0 on Python 3.11 decrements the refcount of ``None`` on every call to a method that
returns nothing; after a few thousand paints the process dies with ``Fatal Python error:
none_dealloc``. The pin in pyproject keeps 6.12.0 away on 3.11; this test catches a future bump.
It runs in a child process so a crash fails this test instead of killing the test run.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(r'''
    import os, sys, datetime as dt
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from boxoffice import i18n
    i18n.set_language("en")
    from boxoffice.api.models import MainEvent
    from boxoffice.domain.clock import VENUE_ZONE
    from boxoffice.ui.events.browser import EventBrowser
    from boxoffice.ui.events.filter import DateFilter
    now = dt.datetime(2026, 11, 26, 12, 0, tzinfo=VENUE_ZONE)
    events = []
    for m in range(300):
        subs = []
        for s in range(10):
            day = now.date() + dt.timedelta(days=(m + s) % 60 - 5)
            subs.append({"event_id": 10000 + m * 10 + s, "event_main_id": m, "event_name": f"Show {m}",
                         "event_date": day.isoformat(), "event_time": "20:00:00", "event_end": "22:00:00",
                         "event_view_end": "0000-00-00 00:00:00", "event_free": (m + s) % 4,
                         "event_status": "pub" if s % 5 else "nosal", "location_name": f"Zaal {s}"})
        events.append(MainEvent.model_validate({"event_id": m, "event_name": f"Show {m}", "sub_events": subs}))
    browser = EventBrowser(clock=lambda: now)
    browser.set_events(events)
    browser.set_filter(DateFilter.ALL)
    browser.resize(1200, 4000)
    browser.show()
    assert len(browser.visible_performances()) == 3000
    painted = 0
    for round_ in range(4):
        browser.tree.scrollToTop()
        for step in range(8):
            browser.tree.verticalScrollBar().setValue(step * browser.tree.verticalScrollBar().maximum() // 7)
            browser.tree.viewport().grab()
            painted += 1
        browser.search.setText("" if round_ % 2 else "Zaal")
        browser.flush()
    assert browser.tree.itemDelegateForColumn(4) is not None
    print("PAINTED", painted, flush=True)
''')


def test_painting_thousands_of_items_does_not_crash():
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "none_dealloc" not in result.stderr
    assert "PAINTED 32" in result.stdout
