"""The simulator's clock: real time plus an offset that tests move forward."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class SimClock:
    """Real time + offset. ``today`` (an Amsterdam date) shifts the clock to that day."""

    def __init__(self, today: date | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        if today is not None:
            real_today = datetime.now(AMSTERDAM).date()
            self._offset = timedelta(days=(today - real_today).days)

    def now(self) -> datetime:
        """The current simulated time (aware, UTC)."""
        with self._lock:
            offset = self._offset
        return datetime.now(timezone.utc) + offset

    def local_now(self) -> datetime:
        return self.now().astimezone(AMSTERDAM)

    def today(self) -> date:
        return self.local_now().date()

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the simulated clock only moves forward")
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()
