"""Whether a performance can be sold right now, and the list of performances a cashier browses.

Pure functions over the public API models. The rules (vdm-api.md §3.1, §7):

* ``PAST``: the performance has started (sales close at the start, as the API does) or ended.
* ``NOT_ON_SALE``: ``event_status`` is anything but ``"pub"`` (``nosal``, ``unpub``, ``arch``…).
* ``SOLD_OUT``: published but ``event_free == 0``. ``event_free`` is the per-order maximum, never a
  capacity or a count of seats left: it is only ever compared with zero.
* ``ON_SALE``: otherwise.

Read tolerantly (issue 15): a performance whose ``event_status`` is missing or whose
``event_free`` is null is listed but ``NOT_ON_SALE`` (its status or maximum is unknown, so it is
not offered for sale); it is never hidden.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only read by attribute: the stand-ins below pass for them
    from boxoffice.api.models import MainEvent, SubEvent
from boxoffice.domain.ticket_types import describe_discount, ticket_type_label  # noqa: F401 (re-export)
from boxoffice.i18n import _

PUBLISHED = "pub"


class PerformanceStatus(enum.Enum):
    ON_SALE = "on_sale"
    NOT_ON_SALE = "not_on_sale"
    SOLD_OUT = "sold_out"
    PAST = "past"

    @property
    def sellable(self) -> bool:
        return self is PerformanceStatus.ON_SALE

    def label(self) -> str:
        """Short translated text for the event list."""
        return {
            PerformanceStatus.ON_SALE: _("On sale"),
            PerformanceStatus.NOT_ON_SALE: _("Not on sale"),
            PerformanceStatus.SOLD_OUT: _("Sold out"),
            PerformanceStatus.PAST: _("Past"),
        }[self]


def has_started(sub_event: SubEvent, now: datetime) -> bool:
    """True once the performance's start time (Europe/Amsterdam) has been reached."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if sub_event.starts_at <= now:
        return True
    end = sub_event.ends_at
    return end is not None and end <= now


def performance_status(sub_event: SubEvent, now: datetime) -> PerformanceStatus:
    """The sale status of *sub_event* at the aware moment *now*."""
    if has_started(sub_event, now):
        return PerformanceStatus.PAST
    if sub_event.event_status != PUBLISHED:
        return PerformanceStatus.NOT_ON_SALE   # (also when the status is not given)
    if sub_event.event_free is None:
        return PerformanceStatus.NOT_ON_SALE   # per-order maximum unknown: not sold blind
    if sub_event.event_free <= 0:
        return PerformanceStatus.SOLD_OUT
    return PerformanceStatus.ON_SALE


@dataclass(frozen=True)
class PerformanceRow:
    """One line of the event browser: a performance with its show and status."""

    show: MainEvent
    performance: SubEvent
    status: PerformanceStatus

    @property
    def event_id(self) -> int | str:
        return self.performance.event_id

    @property
    def starts_at(self) -> datetime:
        return self.performance.starts_at


def performance_rows(
    events: Iterable[MainEvent], now: datetime, *, include_past: bool = False
) -> list[PerformanceRow]:
    """Every performance of *events*, soonest first, with its status (past ones left out
    unless *include_past*)."""
    rows = []
    for show in events:
        for performance in show.sub_events:
            status = performance_status(performance, now)
            if status is PerformanceStatus.PAST and not include_past:
                continue
            rows.append(PerformanceRow(show, performance, status))
    rows.sort(key=lambda r: (r.performance.starts_at, (r.show.event_name or "").casefold(),
                             _id_order(r.event_id)))
    return rows


# --------------------------------------------------------------------------- the saved list
#: What a list row shows of a performance (see boxoffice/ui/events/rows.py) and the status needs.
_LISTED_SHOW = ("event_id", "event_name", "event_short_text")
_LISTED_PERFORMANCE = ("event_id", "event_name", "event_short_text", "location_name",
                       "event_status", "event_free")


def list_snapshot(events: Iterable[MainEvent]) -> list[dict[str, Any]]:
    """The event list reduced to what its rows show, as plain JSON data (offline cache)."""
    def performance(sub: SubEvent) -> dict[str, Any]:
        data = {name: getattr(sub, name) for name in _LISTED_PERFORMANCE}
        data["starts_at"] = sub.starts_at.isoformat()
        data["ends_at"] = sub.ends_at.isoformat() if sub.ends_at is not None else None
        return data

    return [{**{name: getattr(show, name) for name in _LISTED_SHOW},
             "sub_events": [performance(sub) for sub in show.sub_events]} for show in events]


#: The other fields of the public MainEvent/SubEvent models: None on a stand-in.
_NOT_LISTED = frozenset({
    "event_main_id", "event_text", "event_url", "event_image", "event_date", "event_time",
    "event_end", "event_view_end", "event_rep", "location_id", "event_type", "sub_events",
})


class Listed:
    """Stands in for a MainEvent or SubEvent read from :func:`list_snapshot` data: the fields a
    list row shows, ``starts_at``/``ends_at`` as aware datetimes, and None for anything else
    (description, image…), which the real models bring a moment later."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.__dict__.update(fields)

    def __getattr__(self, name: str) -> Any:  # only for fields the snapshot does not carry
        if name in _NOT_LISTED:
            return None
        raise AttributeError(name)


def listed_events(data: Any) -> list[Listed]:
    """Stand-ins from :func:`list_snapshot` data; ValueError/KeyError/TypeError if malformed."""
    if not isinstance(data, list):
        raise ValueError("expected a JSON array")
    shows = []
    for show in data:
        subs = []
        for sub in show["sub_events"]:
            fields = {name: sub[name] for name in _LISTED_PERFORMANCE}
            fields["event_id"] = _saved_id(sub["event_id"])
            fields["event_free"] = None if sub["event_free"] is None else int(sub["event_free"])
            fields["starts_at"] = _aware(sub["starts_at"])
            fields["ends_at"] = None if sub["ends_at"] is None else _aware(sub["ends_at"])
            subs.append(Listed(fields))
        fields = {name: show[name] for name in _LISTED_SHOW}
        fields["event_id"] = _saved_id(show["event_id"])
        shows.append(Listed({**fields, "sub_events": subs}))
    return shows


def id_order(value: Any) -> tuple[int, int, str]:
    """Sort key for opaque ids (ints first, by value; then texts)."""
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))


def opaque_id(value: Any) -> int | str:
    """An id as the app holds it (issue 15: ids are opaque): an int stays an int, a numeric text
    (``"95"``) becomes one, any other text stays text. ValueError for anything else (a boolean,
    an empty text, null)."""
    if isinstance(value, bool):
        raise ValueError("invalid id")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip():
        text = value.strip()
        return int(text) if text.isascii() and text.isdigit() and str(int(text)) == text else text
    raise ValueError("invalid id")


_id_order = id_order
_saved_id = opaque_id


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a saved time without its offset")
    return moment
