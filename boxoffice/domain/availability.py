"""How much is left of a performance, as the event list says it at a glance (issue 12).

Two honest sources, never mixed up:

* with the API key, peppered counts: ``GET /event/{id}`` (its ``availability``, where it carries
  numbers) or the seating plan's ``available`` and its seats. These give :class:`Availability`
  (seats left, and the capacity when known), shown as "N left" / "few left" / "sold out";
* without a key, only the public ``event_free``, which is the most one order may hold — never a
  capacity nor a count of what is left (vdm-api.md §3.1). Shown as "max N per order"
  (:func:`per_order_limit`), never as seats left.

Each count carries ``as_of``: when it was read from the server. A count is *live* only while it
came from the latest successful round of reads (:func:`is_live`); an older one (read before a
failure, or saved offline) is shown for what it is, "as of HH:MM".

Pure data, no I/O.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any

#: at most this many left counts as "few" (a small hall: a tenth of its seats, at least FEW_MIN)
FEW_MAX = 20
FEW_MIN = 4


class Level(Enum):
    LEFT = "left"
    FEW = "few"
    SOLD_OUT = "sold_out"


@dataclass(frozen=True)
class Availability:
    """Seats (or general-admission places) left of one performance, from peppered counts."""

    left: int
    capacity: int | None = None
    #: when the server gave this count (aware); None when not known
    as_of: datetime | None = None

    @property
    def level(self) -> Level:
        if self.left <= 0:
            return Level.SOLD_OUT
        return Level.FEW if self.left <= few_threshold(self.capacity) else Level.LEFT

    def read_at(self, moment: datetime) -> Availability:
        """The same count, read from the server at *moment*."""
        return replace(self, as_of=moment)

    def to_json(self) -> dict[str, Any]:
        return {"left": self.left, "capacity": self.capacity,
                "as_of": None if self.as_of is None else self.as_of.isoformat()}

    @classmethod
    def from_json(cls, data: Any) -> Availability | None:
        if not isinstance(data, Mapping):
            return None
        left, capacity = _count(data.get("left")), _count(data.get("capacity"))
        return None if left is None else cls(left, capacity, _moment(data.get("as_of")))


def is_live(availability: Availability, checked_at: datetime | None) -> bool:
    """Whether *availability* came from the latest round of reads, which started at
    *checked_at* (None: no round has finished in this session, e.g. offline: nothing is live)."""
    if checked_at is None or availability.as_of is None:
        return False
    return availability.as_of >= checked_at


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def few_threshold(capacity: int | None) -> int:
    """"Few left" from this many down: a tenth of the hall, between FEW_MIN and FEW_MAX."""
    if capacity is None or capacity <= 0:
        return FEW_MIN * 2
    return max(FEW_MIN, min(FEW_MAX, capacity // 10))


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, float) and value.is_integer():
        return max(int(value), 0)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def from_event_availability(items: Any) -> Availability | None:
    """The peppered event's ``availability`` (its shape is not documented): a list of per-rank
    items; counted only when every item carries a whole ``available`` (and ``total`` for the
    capacity). Anything else: None (the caller tries the seating plan)."""
    if not isinstance(items, list) or not items:
        return None
    left, capacity = 0, 0
    for item in items:
        if not isinstance(item, Mapping):
            return None
        available = _count(item.get("available"))
        if available is None:
            return None
        left += available
        total = _count(item.get("total"))
        capacity = -1 if capacity < 0 or total is None else capacity + total
    return Availability(left, capacity if capacity >= 0 else None)


def from_seat_plan(available: int | None, seats: Iterable[Any]) -> Availability | None:
    """A seating plan's count: its ``available`` (else its free seats counted), out of its seats."""
    flags = [bool(getattr(seat, "available", False)) for seat in seats]
    if not flags and available is None:
        return None
    left = available if available is not None else sum(flags)
    return Availability(max(left, 0), len(flags) or None)


def per_order_limit(event_free: Any) -> int | None:
    """The public list's ``event_free``: the most tickets one order may hold (None when unknown
    or zero: a zero shows as sold out by the status, not as a limit)."""
    value = _count(event_free)
    return value if value else None
