"""The venue's clock: its time zone and "now", one place for the whole client.

VoordeMensen's public local times carry no zone: they are the venue's, Europe/Amsterdam. A leaf
module (imports nothing of ``boxoffice``), so api, i18n and store can use it too.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

#: The venue's time zone (all VdM local times, the day boundaries of reports and filters).
VENUE_ZONE = ZoneInfo("Europe/Amsterdam")


def venue_now() -> datetime:
    """Now, aware, in the venue's zone."""
    return datetime.now(VENUE_ZONE)


def utc_now() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(timezone.utc)
