"""The venue's clock: its time zone, and the ONE app clock (wall + monotonic) the client reads.

VoordeMensen's public local times carry no zone: they are the venue's, Europe/Amsterdam. Every time
a cashier reads is shown in that zone, whatever the computer's own zone is; nothing in the client
reads the machine's local zone (no naive ``datetime.now()``, ``.astimezone()`` without a zone,
``time.localtime`` or ``QDateTime.currentDateTime``: tests/timezone guards this).

:class:`AppClock` is the clock of the whole app: ``wall()`` (aware UTC, for what is stamped and
shown) and ``monotonic()`` (seconds, for how long something takes or lasts: hold countdowns,
payment polling, the server clock estimate between two answers). The module functions
:func:`utc_now`, :func:`venue_now` and :func:`monotonic` read the installed clock; a test installs
another with :func:`use_clock` (e.g. one whose wall clock jumps an hour). A leaf module (imports
nothing of ``boxoffice``), so api, i18n and store can use it too.
"""
from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

#: The venue's time zone (all VdM local times, the day boundaries of reports and filters).
VENUE_ZONE = ZoneInfo("Europe/Amsterdam")


class AppClock:
    """The computer's clocks: the wall clock (may jump: NTP, a cashier, DST on a badly set
    machine) and the monotonic clock (never jumps). Subclass to inject other times."""

    def wall(self) -> datetime:
        """Now, aware, in UTC, from the wall clock."""
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        """Seconds of a clock that never jumps and goes on while the computer sleeps (only
        differences mean anything): a hold runs out on the server during a suspend too."""
        return _steady()


def _steady_clock() -> Callable[[], float]:
    """A monotonic clock that counts a suspend: Linux CLOCK_BOOTTIME, macOS CLOCK_MONOTONIC
    (Python's ``time.monotonic`` stops while a Mac or Linux machine sleeps); on Windows
    ``time.monotonic`` already counts it."""
    for name in ("CLOCK_BOOTTIME", "CLOCK_MONOTONIC") if sys.platform != "win32" else ():
        clock_id = getattr(time, name, None)
        if clock_id is None:
            continue
        try:
            time.clock_gettime(clock_id)
        except OSError:
            continue
        return functools.partial(time.clock_gettime, clock_id)
    return time.monotonic


_steady = _steady_clock()
_clock: AppClock = AppClock()


def app_clock() -> AppClock:
    """The clock the app reads now."""
    return _clock


def set_app_clock(clock: AppClock) -> AppClock:
    """Install ``clock`` for the whole app; returns the one it replaces."""
    global _clock
    previous, _clock = _clock, clock
    return previous


@contextmanager
def use_clock(clock: AppClock) -> Iterator[AppClock]:
    """Install ``clock`` for the duration of a ``with`` block (tests)."""
    previous = set_app_clock(clock)
    try:
        yield clock
    finally:
        set_app_clock(previous)


def utc_now() -> datetime:
    """Now, aware, in UTC (the app clock's wall time)."""
    return _clock.wall()


def venue_now() -> datetime:
    """Now, aware, in the venue's zone (the app clock's wall time)."""
    return _clock.wall().astimezone(VENUE_ZONE)


def monotonic() -> float:
    """The app clock's monotonic seconds (for durations, never for what is shown as a time)."""
    return _clock.monotonic()
