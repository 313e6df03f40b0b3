"""Deviations of a server's answers from what the client expects ("drift"), recorded per endpoint.

The client reads tolerantly (vdm-api.md §9.13): unknown fields are kept, ids that arrive as numbers
or as text are both accepted, an item of a list that cannot be understood is left out (counted) or
kept with what is known. Each such deviation is recorded here, on the client's :class:`DriftLog`
(``VdmClient.drift`` / ``BaseClient.drift``), so that a first-contact report
(``python -m boxoffice check``) can list what a venue's server does differently.

API::

    drift = client.drift
    drift.record_unknown("GET /events", "sub_events[].event_colour")
    drift.record_coerced("GET /peppered/seating/{id}", "seat_id", "int")
    drift.record_skipped("GET /events", 3, "event_date: invalid date 'soon'")
    drift.record_note("GET /peppered/hall", "unwrapped a {\"data\": [...]} envelope")
    report = drift.snapshot()          # a DriftReport (immutable, plain data)
    report.is_empty, report.endpoints(), report.as_dict()

Endpoints are normalised to a template (``GET /tickettypes/95`` -> ``GET /tickettypes/{id}``),
so that one deviation is recorded (and logged) once per endpoint and field, not once per id.
Each new (endpoint, field) is logged once on the ``boxoffice.api`` logger (INFO). Nothing here
ever holds a key or a request body; reasons are bounded in length.

Qt-free and thread-safe (a lock guards the tables; the client itself runs on one loop).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("boxoffice.api")

#: Path segments that are part of an endpoint's route; every other segment is an id.
_ROUTE_WORDS = frozenset({
    "peppered", "events", "upcoming", "tickettypes", "paymentmethods", "cart", "order", "create",
    "hall", "seating", "event", "summary", "checkout", "export", "orders", "customer",
    "findByEmail",
})

#: Skipped items kept per endpoint (their count is always exact).
MAX_SKIPS_KEPT = 50
MAX_REASON = 160


def endpoint_template(endpoint: str) -> str:
    """``"GET /tickettypes/95"`` -> ``"GET /tickettypes/{id}"`` (route words kept, ids replaced)."""
    method, sep, path = endpoint.partition(" ")
    if not sep:
        method, path = "", endpoint
    path = path.split("?", 1)[0]
    parts = [p if (p == "" or p in _ROUTE_WORDS) else "{id}" for p in path.split("/")]
    out = "/".join(parts)
    return f"{method} {out}" if method else out


def _bounded(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 3] + "..."


@dataclass(frozen=True)
class Skip:
    """An item of a list that was left out: its index in the answer and why."""

    index: int | str
    reason: str


@dataclass(frozen=True)
class EndpointDrift:
    """What one endpoint (template) did differently."""

    endpoint: str
    unknown_fields: tuple[str, ...] = ()
    #: field -> the JSON types it arrived as, other than the expected one (e.g. ``("int",)``)
    coerced: tuple[tuple[str, tuple[str, ...]], ...] = ()
    skipped: int = 0
    skips: tuple[Skip, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.unknown_fields or self.coerced or self.skipped or self.notes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "unknown_fields": list(self.unknown_fields),
            "coerced": {name: list(types) for name, types in self.coerced},
            "skipped": self.skipped,
            "skips": [{"index": s.index, "reason": s.reason} for s in self.skips],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class DriftReport:
    """An immutable snapshot of a :class:`DriftLog`, sorted by endpoint."""

    entries: tuple[EndpointDrift, ...] = ()

    @property
    def is_empty(self) -> bool:
        return all(e.is_empty for e in self.entries)

    def endpoints(self) -> list[str]:
        return [e.endpoint for e in self.entries]

    def get(self, endpoint: str) -> EndpointDrift | None:
        key = endpoint_template(endpoint)
        return next((e for e in self.entries if e.endpoint == key), None)

    def as_dict(self) -> dict[str, Any]:
        return {"endpoints": [e.as_dict() for e in self.entries]}


@dataclass
class _Entry:
    unknown: dict[str, None] = field(default_factory=dict)            # ordered set
    coerced: dict[str, dict[str, None]] = field(default_factory=dict)
    skipped: int = 0
    skips: list[Skip] = field(default_factory=list)
    notes: dict[str, None] = field(default_factory=dict)


class DriftLog:
    """Records deviations per endpoint; each new (endpoint, field) is logged once."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._log = logger or log
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    def _entry(self, endpoint: str) -> tuple[str, _Entry]:
        key = endpoint_template(endpoint)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry()
        return key, entry

    # ------------------------------------------------------------------ recording
    def record_unknown(self, endpoint: str, field_name: str) -> bool:
        """A field the client does not know (kept on the item). True when new (then logged)."""
        with self._lock:
            key, entry = self._entry(endpoint)
            if field_name in entry.unknown:
                return False
            entry.unknown[field_name] = None
        self._log.info("%s: unknown field %r (kept)", key, field_name)
        return True

    def record_coerced(self, endpoint: str, field_name: str, from_type: str) -> bool:
        """A value accepted in another JSON type than expected (``"95"`` for a number, ``12`` for
        a seat id, ...). True when new for (endpoint, field, type) (then logged)."""
        with self._lock:
            key, entry = self._entry(endpoint)
            types = entry.coerced.setdefault(field_name, {})
            if from_type in types:
                return False
            types[from_type] = None
        self._log.info("%s: field %r arrived as %s (accepted)", key, field_name, from_type)
        return True

    def record_skipped(self, endpoint: str, index: int | str, reason: str) -> None:
        """An item of a list left out because it could not be understood. Always logged
        (WARNING): the screen shows fewer items than the server sent."""
        reason = _bounded(reason)
        with self._lock:
            key, entry = self._entry(endpoint)
            entry.skipped += 1
            if len(entry.skips) < MAX_SKIPS_KEPT:
                entry.skips.append(Skip(index, reason))
        where = f"[{index}]" if isinstance(index, int) else str(index)
        self._log.warning("%s: item %s left out: %s", key, where, reason)

    def record_note(self, endpoint: str, text: str) -> bool:
        """Any other deviation (an envelope unwrapped, an empty seat plan read as general
        admission, a missing field defaulted, ...). Logged once per (endpoint, text)."""
        text = _bounded(text)
        with self._lock:
            key, entry = self._entry(endpoint)
            if text in entry.notes:
                return False
            entry.notes[text] = None
        self._log.info("%s: %s", key, text)
        return True

    # ------------------------------------------------------------------ reading
    def snapshot(self) -> DriftReport:
        with self._lock:
            entries = tuple(
                EndpointDrift(
                    endpoint=key,
                    unknown_fields=tuple(e.unknown),
                    coerced=tuple((name, tuple(types)) for name, types in e.coerced.items()),
                    skipped=e.skipped,
                    skips=tuple(e.skips),
                    notes=tuple(e.notes),
                )
                for key, e in sorted(self._entries.items())
            )
        return DriftReport(entries)

    def skipped_count(self, endpoint: str) -> int:
        with self._lock:
            entry = self._entries.get(endpoint_template(endpoint))
            return entry.skipped if entry else 0

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __repr__(self) -> str:
        with self._lock:
            return f"DriftLog({len(self._entries)} endpoints)"
