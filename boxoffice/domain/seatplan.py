"""The seating plan as the layout engine sees it: small frozen value objects, no geometry.

Owns: ``PlanSeat`` / ``PlanRow`` / ``PlanSection`` / ``PlanPriceLevel`` / ``PlanInput`` and the
adapters that build them from whatever the rest of the app holds:

* ``from_api(plan)`` takes any object with the snake_case attribute names of the API
  client's models (``sections[].section_id/section_name/rows[].row_nr/seats[].seat_id/seat_nr/
  rank_id/available``, ``price_levels[].price_id/rank_id/name/amount``, optional ``hall_id`` and
  ``event_id``). Mappings are accepted too, with snake_case or the API's camelCase keys
  (``sectionId``, ``rowNr``, ``priceLevels`` ...), so a cached JSON plan works as well.
* ``rank_order(price_levels)`` defines which rank is "best": the highest price among the
  rank's price levels first; ties go to the lower ``rankId``.

Row and seat numbers may be labels (``"12a"``, ``"A"``; vdm-api.md §10 leaves it open): a row or
seat then keeps its text in ``label`` and gets a numeric ``row_nr``/``seat_nr`` to sort and lay
out by (see :func:`number_key`). Section ids may be text. ``PlanInput.labelled`` says whether any
label is present (the layout only then builds its label tables).

Nothing here says where a seat is; see ``boxoffice.domain.layout``.
"""
from __future__ import annotations

import contextvars
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import attrgetter, itemgetter
from typing import Any


@dataclass(frozen=True, slots=True)
class PlanSeat:
    seat_id: str
    seat_nr: int          # the number, or for a label the number to lay out by (number_key)
    rank_id: int
    available: bool
    label: str | None = None   # the seat's own text when it is not just ``seat_nr``

    @property
    def text(self) -> str:
        return self.label if self.label is not None else str(self.seat_nr)


@dataclass(frozen=True, slots=True)
class PlanRow:
    row_nr: int
    seats: tuple[PlanSeat, ...]
    label: str | None = None   # the row's own text when it is not just ``row_nr``

    @property
    def text(self) -> str:
        return self.label if self.label is not None else str(self.row_nr)


@dataclass(frozen=True, slots=True)
class PlanSection:
    section_id: int | str
    name: str
    rows: tuple[PlanRow, ...]

    @property
    def seat_count(self) -> int:
        return sum(len(r.seats) for r in self.rows)


@dataclass(frozen=True, slots=True)
class PlanPriceLevel:
    price_id: str
    rank_id: int
    name: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PlanInput:
    sections: tuple[PlanSection, ...]
    price_levels: tuple[PlanPriceLevel, ...] = ()
    hall_id: int | str | None = None
    event_id: int | str | None = None
    labelled: bool = False     # some row or seat has a label (text, not a number)

    @property
    def seat_count(self) -> int:
        return sum(s.seat_count for s in self.sections)

    @property
    def is_general_admission(self) -> bool:
        """No seat at all (no sections, or sections without seats): sold by quantity."""
        return self.seat_count == 0


_CAMEL = {
    "section_id": "sectionId",
    "section_name": "sectionName",
    "row_nr": "rowNr",
    "seat_id": "seatId",
    "seat_nr": "seatNr",
    "rank_id": "rankId",
    "price_levels": "priceLevels",
    "price_id": "priceId",
    "hall_id": "hallId",
    "event_id": "eventId",
}

_MISSING = object()


def _get(obj: Any, name: str, default: Any = _MISSING) -> Any:
    if isinstance(obj, Mapping):
        if name in obj:
            return obj[name]
        camel = _CAMEL.get(name)
        if camel is not None and camel in obj:
            return obj[camel]
    else:
        value = getattr(obj, name, _MISSING)
        if value is not _MISSING:
            return value
    if default is _MISSING:
        raise ValueError(f"seating plan: missing field {name!r} on {type(obj).__name__}")
    return default


def _as_int(value: Any, field: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"seating plan: {field} must be an integer, got a boolean")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"seating plan: {field} must be an integer, got {value!r}") from None


_LABELS_SEEN: contextvars.ContextVar[bool] = contextvars.ContextVar("plan_labels", default=False)
_LEADING_NUMBER = re.compile(r"\d+")


def number_key(value: Any, position: int) -> tuple[int, str | None]:
    """(number, label) of a row or seat number that may be a label.

    ``5`` / ``"5"`` -> ``(5, None)``; ``"12a"`` -> ``(12, "12a")`` (its leading number);
    ``"A"`` -> ``(1, "A")`` (a single letter counts A=1 … Z=26); anything else -> its 1-based
    ``position`` in the row or section, with the text as label. Booleans and empty text are
    refused (ValueError)."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"seating plan: invalid number {value!r}")
    if isinstance(value, int):
        return value, None
    text = str(value).strip()
    if not text:
        raise ValueError("seating plan: empty number")
    if text.isascii() and text.isdigit():
        number = int(text)
        return number, (None if str(number) == text else text)
    m = _LEADING_NUMBER.match(text)
    if m and text.isascii():
        return int(m.group()), text
    if len(text) == 1 and text.isascii() and text.isalpha():
        return ord(text.upper()) - ord("A") + 1, text
    return position, text


def place_value(value: Any) -> int | str:
    """A row or seat number as a sale line carries it: an int when it is a plain number
    (``"12"`` -> 12), else its text (``"A"``, ``"12a"``; issue 15). JSON keeps either as is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isascii() and text.isdigit() and str(int(text)) == text:
        return int(text)
    return text


def _as_id(value: Any, field: str) -> int | str:
    """An opaque id (section, hall, event): an int when numeric, else its text."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"seating plan: invalid {field} {value!r}")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text:
        raise ValueError(f"seating plan: empty {field}")
    return int(text) if text.isascii() and text.isdigit() and str(int(text)) == text else text


def _as_decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"seating plan: amount must be a number, got {value!r}") from None


_SEAT_ATTRS = attrgetter("seat_id", "seat_nr", "rank_id", "available")
_SEAT_KEYS = itemgetter("seat_id", "seat_nr", "rank_id", "available")
_SEAT_KEYS_CAMEL = itemgetter("seatId", "seatNr", "rankId", "available")
_INT_ONLY = {int}


def _seat_slow(seat: Any, position: int = 1) -> PlanSeat:
    raw_nr = _get(seat, "seat_nr")
    if isinstance(raw_nr, str):
        nr, label = number_key(raw_nr, position)
    else:
        nr, label = _as_int(raw_nr, "seatNr"), None
    return PlanSeat(
        seat_id=str(_get(seat, "seat_id")),
        seat_nr=nr,
        rank_id=_as_int(_get(seat, "rank_id"), "rankId"),
        available=bool(_get(seat, "available", False)),
        label=label,
    )


def _row_seats(raw: Iterable[Any]) -> tuple[PlanSeat, ...]:
    """One row's seats as ``PlanSeat``s: the same result as ``_seat_slow`` seat by seat.

    Fast path (C-level ``attrgetter``/``itemgetter`` and ``map``, no per-seat Python call besides the
    ``PlanSeat`` constructor) when every seat is an object with all four attributes, or every seat a
    mapping with all four snake_case (or all four camelCase) keys, and the numbers are real ints.
    Anything else (a missing field, a numeric string, a boolean number ...) goes seat by seat, which
    converts or raises exactly as before.
    """
    raw = raw if isinstance(raw, (list, tuple)) else list(raw)
    if not raw:
        return ()
    vals = None
    if isinstance(raw[0], Mapping):
        for getter in (_SEAT_KEYS, _SEAT_KEYS_CAMEL):
            try:
                vals = list(map(getter, raw))
                break
            except (KeyError, TypeError):
                vals = None
    else:
        try:
            vals = list(map(_SEAT_ATTRS, raw))
        except AttributeError:
            vals = None
    if vals is not None:
        ids, nrs, ranks, avail = zip(*vals)
        if set(map(type, nrs)) == _INT_ONLY and set(map(type, ranks)) == _INT_ONLY:
            return tuple(map(PlanSeat, map(str, ids), nrs, ranks, map(bool, avail)))
    return _slow_seats(raw)


def _slow_seats(raw: list | tuple) -> tuple[PlanSeat, ...]:
    seats = tuple(_seat_slow(seat, k) for k, seat in enumerate(raw, start=1))
    if any(s.label is not None for s in seats):
        _LABELS_SEEN.set(True)
    return seats


def from_api(plan: Any) -> PlanInput:
    """Convert an API seating plan (model object or mapping) into a ``PlanInput``.

    Section and seat order are kept as given (seat array order is the physical left→right order);
    rows are sorted by ``row_nr`` (stable, so duplicate row numbers keep their order).
    Raises ``ValueError`` when a required field is missing or has the wrong type.
    """
    token = _LABELS_SEEN.set(False)   # set by _slow_seats: the fast path never makes labels
    try:
        return _from_api(plan, token)
    finally:
        _LABELS_SEEN.reset(token)


def _from_api(plan: Any, _token: Any) -> PlanInput:
    sections = []
    labelled = False
    for sec in _get(plan, "sections", ()) or ():
        rows = []
        for position, row in enumerate(_get(sec, "rows", ()) or (), start=1):
            seats = _row_seats(_get(row, "seats", ()) or ())
            raw_nr = _get(row, "row_nr")
            if isinstance(raw_nr, str):
                row_nr, label = number_key(raw_nr, position)
            else:
                row_nr, label = _as_int(raw_nr, "rowNr"), None
            labelled = labelled or label is not None
            rows.append(PlanRow(row_nr=row_nr, seats=seats, label=label))
        rows.sort(key=lambda r: r.row_nr)
        name = _get(sec, "section_name", None)
        if name is None:
            name = _get(sec, "name", "")
        sections.append(
            PlanSection(
                section_id=_as_id(_get(sec, "section_id"), "sectionId"),
                name=str(name or ""),
                rows=tuple(rows),
            )
        )
    levels = tuple(
        PlanPriceLevel(
            price_id=str(_get(pl, "price_id")),
            rank_id=_as_int(_get(pl, "rank_id"), "rankId"),
            name=str(_get(pl, "name", "") or ""),
            amount=_as_decimal(_get(pl, "amount")),
        )
        for pl in (_get(plan, "price_levels", ()) or ())
    )
    hall_id = _get(plan, "hall_id", None)
    event_id = _get(plan, "event_id", None)
    return PlanInput(
        sections=tuple(sections),
        price_levels=levels,
        hall_id=None if hall_id is None else _as_id(hall_id, "hallId"),
        event_id=None if event_id is None else _as_id(event_id, "eventId"),
        labelled=labelled or _LABELS_SEEN.get(),
    )


def is_general_admission(plan: Any) -> bool:
    """True for a seating plan without any seat: nothing to pick on a map, so the performance
    is sold by quantity (the ticket counter), exactly as when ``/seating`` answers 404.

    Accepts the API's SeatPlan, a ``domain.seatplan.PlanInput`` or a plain mapping (camelCase or
    snake_case keys) such as a saved plan. None (no plan) counts as general admission."""
    if plan is None:
        return True
    if isinstance(plan, dict):
        sections = plan.get("sections") or []
        return not any((row.get("seats") or []) for sec in sections if isinstance(sec, dict)
                       for row in (sec.get("rows") or []) if isinstance(row, dict))
    return not any(row.seats for sec in (getattr(plan, "sections", None) or ())
                   for row in (getattr(sec, "rows", None) or ()))


def rank_order(price_levels: Iterable[PlanPriceLevel], rank_ids: Iterable[int] = ()) -> dict[int, int]:
    """Map rankId → position (0 = best).

    Best = the highest ``amount`` among the rank's price levels; ties → lower rankId.
    Ranks in ``rank_ids`` that have no price level come last (by rankId).
    """
    best: dict[int, Decimal] = {}
    for pl in price_levels:
        if pl.rank_id not in best or pl.amount > best[pl.rank_id]:
            best[pl.rank_id] = pl.amount
    priced = sorted(best, key=lambda r: (-best[r], r))
    unpriced = sorted(set(rank_ids) - set(best))
    return {rank: i for i, rank in enumerate(priced + unpriced)}
