"""An app clock whose wall time a test moves (NTP, a cashier or a wrong zone setting would),
while its monotonic time runs on as it does: install it with ``boxoffice.domain.clock.use_clock``."""
from __future__ import annotations

from datetime import datetime, timedelta

from boxoffice.domain.clock import AppClock


class JumpingClock(AppClock):
    """The computer's clocks, with the wall clock off by ``offset`` (changed by :meth:`jump`)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def wall(self) -> datetime:
        return super().wall() + self.offset

    def jump(self, hours: float) -> None:
        """Set the wall clock forward (or back, when negative) by ``hours``."""
        self.offset += timedelta(hours=hours)
