"""Every date/time format the VdM API uses, parsed (and formatted) in this one module.

Per endpoint (see vdm-api.md §2.4):

* ``/events`` sub-events: ``event_date`` ``YYYY-MM-DD``; ``event_time``/``event_end`` ``HH:MM:SS``
  (``event_end`` ``"00:00:00"`` means "no end"); ``event_view_end`` ``YYYY-MM-DD HH:MM:SS`` with
  the zero sentinel ``"0000-00-00 00:00:00"`` meaning "not set".
* public cart lines: ``event_date`` ``DD-MM-YYYY``; ``event_time`` ``HH:MM``; ``event_view_end``
  ``DD-MM-YYYY`` with sentinel ``"00-00-0000"``.
* peppered: ISO 8601 with offset (``2026-04-22T13:08:55+02:00``); query dates ``YYYY-MM-DD``.

Public local times carry no zone: they are Europe/Amsterdam. Every datetime returned is aware.
On the nights the clocks change a local time may never come or come twice; :func:`local` says
how each is read (deterministically, one form per instant).
Parsers raise ``ValueError("invalid date 'x'")`` style messages, which the client turns into
BadResponse naming the endpoint and field.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from boxoffice.domain.clock import VENUE_ZONE

_ZERO_DATETIME = {"0000-00-00 00:00:00", "0000-00-00", "0000-00-00T00:00:00"}
_ZERO_CART_DATE = {"00-00-0000", "00-00-0000 00:00", "00-00-0000 00:00:00"}

_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY = re.compile(r"(\d{2})-(\d{2})-(\d{4})")
_HMS = re.compile(r"(\d{2}):(\d{2}):(\d{2})")
#: a UTC offset (or Z) at the end of a date-time: ``+01:00``, ``-0500``, ``Z``
_OFFSET = re.compile(r"\d(?:[+-]\d{2}:?\d{2}|[Zz])$")
_HM = re.compile(r"(\d{2}):(\d{2})(?::(\d{2}))?")


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"invalid {what} {value!r}")
    return value.strip()


def _mk_date(y: str, m: str, d: str, raw: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise ValueError(f"invalid date {raw!r}") from None


def _mk_time(h: str, m: str, s: str | None, raw: str) -> time:
    try:
        return time(int(h), int(m), int(s or 0))
    except ValueError:
        raise ValueError(f"invalid time {raw!r}") from None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else local(value.date(), value.time())


# --------------------------------------------------------------------------- /events
def parse_event_date(value: object) -> date:
    """``YYYY-MM-DD`` (``/events`` ``event_date``)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raw = _text(value, "date")
    m = _YMD.fullmatch(raw)
    if not m:
        raise ValueError(f"invalid date {raw!r}")
    return _mk_date(m.group(1), m.group(2), m.group(3), raw)


def parse_event_time(value: object) -> time:
    """``HH:MM:SS`` (``/events`` ``event_time``); ``HH:MM`` tolerated."""
    if isinstance(value, time):
        return value
    raw = _text(value, "time")
    m = _HMS.fullmatch(raw) or _HM.fullmatch(raw)
    if not m:
        raise ValueError(f"invalid time {raw!r}")
    return _mk_time(m.group(1), m.group(2), m.group(3), raw)


def parse_event_end(value: object) -> time | None:
    """``HH:MM:SS`` (``/events`` ``event_end``); ``"00:00:00"``, empty or null -> None."""
    if isinstance(value, time):
        return None if value == time(0, 0, 0) else value
    if value is None or value == "":
        return None
    t = parse_event_time(value)
    return None if t == time(0, 0, 0) else t


def parse_event_view_end(value: object) -> datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` local time (with a UTC offset also accepted: the offline cache
    writes one); the zero sentinel, empty or null -> None."""
    if isinstance(value, datetime):
        return _aware(value)
    if value is None:
        return None
    raw = _text(value, "datetime")
    if raw == "" or raw in _ZERO_DATETIME:
        return None
    if _OFFSET.search(raw):   # read tolerantly: a time with its UTC offset keeps its instant
        return parse_iso_datetime(raw)
    date_part, _, time_part = raw.replace("T", " ").partition(" ")
    d = parse_event_date(date_part) if _YMD.fullmatch(date_part) else None
    if d is None:
        raise ValueError(f"invalid datetime {raw!r}")
    t = parse_event_time(time_part) if time_part else time(0, 0)
    return local(d, t)


# --------------------------------------------------------------------------- public cart
def parse_cart_date(value: object) -> date:
    """``DD-MM-YYYY`` (cart line ``event_date``)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raw = _text(value, "date")
    m = _DMY.fullmatch(raw)
    if not m:
        raise ValueError(f"invalid date {raw!r}")
    d, mo, y = m.groups()
    return _mk_date(y, mo, d, raw)


def parse_cart_time(value: object) -> time:
    """``HH:MM`` (cart line ``event_time``); ``HH:MM:SS`` tolerated."""
    if isinstance(value, time):
        return value
    raw = _text(value, "time")
    m = _HM.fullmatch(raw)
    if not m:
        raise ValueError(f"invalid time {raw!r}")
    return _mk_time(m.group(1), m.group(2), m.group(3), raw)


def parse_cart_view_end(value: object) -> date | None:
    """``DD-MM-YYYY`` (cart line ``event_view_end``, D2); sentinel ``00-00-0000``/null -> None.

    A trailing time part is tolerated and ignored.
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if value is None:
        return None
    raw = _text(value, "date")
    if raw == "" or raw in _ZERO_CART_DATE:
        return None
    return parse_cart_date(raw.split(" ", 1)[0])


# --------------------------------------------------------------------------- peppered
def parse_iso_datetime(value: object) -> datetime:
    """ISO 8601; a value without offset is taken as Europe/Amsterdam local time."""
    if isinstance(value, datetime):
        return _aware(value)
    raw = _text(value, "datetime")
    if raw in _ZERO_DATETIME:
        raise ValueError(f"invalid datetime {raw!r}")
    text = raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"invalid datetime {raw!r}") from None
    return _aware(dt)


def parse_optional_iso_datetime(value: object) -> datetime | None:
    """Like :func:`parse_iso_datetime`; null, empty and zero sentinels -> None."""
    if value is None or value == "" or value in _ZERO_DATETIME:
        return None
    return parse_iso_datetime(value)


# --------------------------------------------------------------------------- combining / formatting
def local(d: date, t: time) -> datetime:
    """Aware Europe/Amsterdam datetime from a local date and time without an offset (public).

    The result is normalised (through UTC), so equal instants have equal forms and comparing,
    sorting and showing agree; Python compares two datetimes of the same zone by their wall time,
    which for the two nights below would put them in the wrong order. Those nights:

    * A time that never comes (02:30 on 2027-03-28: at 02:00 the clocks go to 03:00) is read
      with the offset from before the change, zoneinfo's ``fold=0`` rule, and so moves forward
      by the hour skipped: 02:30 is ``03:30+02:00`` (01:30 UTC), shown as 03:30, the time the
      clock reads then. It is the instant the server's peppered start gives (behaviour.py).
    * A time that comes twice (02:30 on 2026-10-25) is the first, still in summer time
      (``fold=0``): ``02:30+02:00`` (00:30 UTC). A public time cannot say which; the first is
      zoneinfo's default, and a sale or a door list is then never too late for the second.
      Peppered times carry their offset and keep which one.
    """
    wall = datetime.combine(d, t, tzinfo=VENUE_ZONE)   # fold=0
    return wall.astimezone(timezone.utc).astimezone(VENUE_ZONE)


def performance_end(
    d: date, start: time, end: time | None, view_end: datetime | None
) -> datetime | None:
    """A performance's end: ``view_end`` when set; else ``end`` on the start date, or on the
    next day when it is earlier than the start (runs past midnight); None when unknown."""
    if view_end is not None:
        return view_end
    if end is None:
        return None
    end_date = d + timedelta(days=1) if end < start else d
    return local(end_date, end)


def format_query_date(value: date | datetime) -> str:
    """``YYYY-MM-DD`` for peppered ``startDate``/``endDate`` (a datetime is taken in Amsterdam)."""
    if isinstance(value, datetime):
        aware = _aware(value)
        value = aware.astimezone(VENUE_ZONE).date()
    return value.strftime("%Y-%m-%d")


def format_changed_since(value: date | datetime) -> str:
    """``changedSince`` (format undocumented): ISO 8601 with offset for a datetime (naive ->
    Amsterdam), ``YYYY-MM-DD`` for a date."""
    if isinstance(value, datetime):
        aware = _aware(value)
        return aware.astimezone(VENUE_ZONE).isoformat(timespec="seconds")
    return value.strftime("%Y-%m-%d")

