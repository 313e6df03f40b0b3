"""Plain, display-ready rows built from the core's event models (no Qt here).

This is the only module that reads attribute names of ``boxoffice.api.models`` events, so a change
in the client's models is absorbed in one place. Rows are immutable snapshots; the tree model and the
filter only ever see rows.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from boxoffice.domain.performance import (
    PerformanceStatus,
    id_order,
    opaque_id,
    performance_status,
)


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for searching ("Café" matches "cafe")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class PerformanceRow:
    event_id: int | str          # opaque (issue 15): an int when numeric, else its text
    production_id: int | str
    name: str
    subtitle: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    hall: str
    status: PerformanceStatus
    search_text: str
    source: Any = field(compare=False, repr=False)

    @property
    def date(self) -> dt.date:
        return self.starts_at.date()


@dataclass(frozen=True)
class ProductionRow:
    event_id: int | str
    name: str
    subtitle: str
    performances: tuple[PerformanceRow, ...]
    source: Any = field(compare=False, repr=False)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def build_rows(events: Iterable[Any], now: dt.datetime) -> list[ProductionRow]:
    """Productions ordered by their next performance (past-only ones last), performances by start."""
    productions: list[ProductionRow] = []
    for main in events:
        main_name = _text(getattr(main, "event_name", "")) or "?"
        main_subtitle = _text(getattr(main, "event_short_text", ""))
        performances = []
        for sub in getattr(main, "sub_events", None) or ():
            starts = sub.starts_at  # aware, venue time (the client's one date rule)
            name = _text(getattr(sub, "event_name", "")) or main_name
            subtitle = _text(getattr(sub, "event_short_text", "")) or main_subtitle
            hall = _text(getattr(sub, "location_name", ""))
            performances.append(PerformanceRow(
                event_id=opaque_id(sub.event_id),
                production_id=opaque_id(main.event_id),
                name=name,
                subtitle=subtitle,
                starts_at=starts,
                ends_at=sub.ends_at,
                hall=hall,
                status=performance_status(sub, now),
                search_text=fold(" ".join((main_name, main_subtitle, name, subtitle, hall))),
                source=sub,
            ))
        if not performances:
            continue  # nothing to sell: hide empty productions
        performances.sort(key=lambda p: (p.starts_at, id_order(p.event_id)))
        productions.append(ProductionRow(
            event_id=opaque_id(main.event_id),
            name=main_name,
            subtitle=main_subtitle,
            performances=tuple(performances),
            source=main,
        ))

    def order(p: ProductionRow) -> tuple[int, dt.datetime, str]:
        upcoming = [r.starts_at for r in p.performances if r.status is not PerformanceStatus.PAST]
        if upcoming:
            return (0, min(upcoming), fold(p.name))
        return (1, -_as_ordinal(max(r.starts_at for r in p.performances)), fold(p.name))

    productions.sort(key=order)
    return productions


def _as_ordinal(moment: dt.datetime) -> Any:
    # For past-only productions: most recent first. A timedelta sorts like a number.
    return moment - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
