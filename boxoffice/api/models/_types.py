"""Field types shared by the DTOs: money as Decimal, and the per-endpoint date types.

Money: public money arrives as strings (``"24.50"``), peppered money as JSON numbers which the
client parses straight into Decimal (never float). Amounts with at most two decimals are normalised
to exactly two (``24.5`` -> ``Decimal("24.50")``); amounts with finer precision are kept as sent
(never silently rounded). Floats, booleans, NaN and infinities are refused.
"""
from __future__ import annotations

import contextvars
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Annotated, Any, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WrapValidator,
)
from pydantic.alias_generators import to_camel

from .. import dates
from ..secrets import _KNOWN_VALUES  # the keys this process holds (a light module)

CENT = Decimal("0.01")


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"invalid amount {value!r}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"invalid amount {value!r}") from None
    else:
        raise ValueError(f"invalid amount {value!r}")
    if not d.is_finite():
        raise ValueError(f"invalid amount {value!r}")
    return d


#: No box office amount comes near this; larger values are refused rather than rounded.
MAX_MONEY = Decimal("1e12")


def to_money_keeping_subcents(value: Any) -> Decimal:
    """An amount as VdM sent it: whole cents are written with two decimals, a finer value
    (e.g. ``"2.505"``) is kept as is, never rounded here (unlike ``domain.money.to_money``, which
    rounds to cents for the sale's arithmetic). Floats and booleans are refused."""
    d = to_decimal(value)
    if not d.is_finite() or abs(d) >= MAX_MONEY:
        raise ValueError("invalid amount")
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        return d.quantize(CENT)
    return d


def _optional(fn):
    def wrapped(value: Any):
        return None if value is None else fn(value)
    return wrapped


Money = Annotated[Decimal, BeforeValidator(to_money_keeping_subcents)]
OptionalMoney = Annotated[Decimal | None, BeforeValidator(_optional(to_money_keeping_subcents))]
Number = Annotated[Decimal, BeforeValidator(to_decimal)]  # a non-money decimal, e.g. a percentage

EventDate = Annotated[date, BeforeValidator(dates.parse_event_date)]
EventTime = Annotated[time, BeforeValidator(dates.parse_event_time)]
EventEnd = Annotated[time | None, BeforeValidator(dates.parse_event_end)]
EventViewEnd = Annotated[datetime | None, BeforeValidator(dates.parse_event_view_end)]
CartDate = Annotated[date, BeforeValidator(dates.parse_cart_date)]
CartTime = Annotated[time, BeforeValidator(dates.parse_cart_time)]
CartViewEnd = Annotated[date | None, BeforeValidator(dates.parse_cart_view_end)]
IsoDateTime = Annotated[datetime, BeforeValidator(dates.parse_iso_datetime)]
OptionalIsoDateTime = Annotated[datetime | None, BeforeValidator(dates.parse_optional_iso_datetime)]


# --------------------------------------------------------------------------- tolerant reading
# While ``base.validate`` runs, the validators below report what they accepted in another shape
# (a number as text, a seat id as a number ...) and which list items they left out, through this
# context variable; ``validate`` hands it to the client's DriftLog. Outside it (e.g. a model read
# back from the offline cache) nothing is recorded.
_RECORDER: contextvars.ContextVar[list | None] = contextvars.ContextVar("drift_recorder", default=None)


def start_recording() -> tuple[list, contextvars.Token]:
    events: list = []
    return events, _RECORDER.set(events)


def stop_recording(token: contextvars.Token) -> None:
    _RECORDER.reset(token)


def _note(kind: str, *args: Any) -> None:
    events = _RECORDER.get()
    if events is not None:
        events.append((kind, *args))


def note_coerced(field: str | None, from_type: str) -> None:
    _note("coerced", field or "?", from_type)


def note_note(text: str) -> None:
    _note("note", text)


class SecretEcho(Exception):
    """A value the server sent holds the API key (an echo of the Authorization header). Not a
    ValueError: pydantic lets it through, and ``base.validate`` turns the whole read into a
    BadResponse: such a value is never kept (an id or an unknown field is stored in the cache)."""


def holds_secret(value: Any) -> bool:
    if not _KNOWN_VALUES:
        return False
    text = value if isinstance(value, str) else repr(value)
    return any(key and key in text for key in _KNOWN_VALUES)


def _no_secret(text: str) -> str:
    if _KNOWN_VALUES and any(key and key in text for key in _KNOWN_VALUES):
        raise SecretEcho()
    return text


def _field(info: ValidationInfo | None) -> str | None:
    return getattr(info, "field_name", None) if info is not None else None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "number"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else type(value).__name__


def _canonical_int(text: str) -> int | None:
    """``"95"`` -> 95; ``"095"``, ``"+5"``, ``" 5"``, ``"٥"`` -> None (not canonical: kept as text)."""
    if text.isascii() and text.isdigit() and (text == "0" or not text.startswith("0")):
        return int(text)
    return None


def to_id(value: Any, info: ValidationInfo) -> int | str:
    """An opaque id: an int, or a canonical digit string (-> int), or any other non-empty text
    (kept as text). ``"95"`` and ``95`` are the same id. Booleans, floats, null are refused."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"invalid id {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer() and value >= 0:
            note_coerced(_field(info), "number with decimals")
            return int(value)
        raise ValueError(f"invalid id {value!r}")
    if isinstance(value, str):
        text = _no_secret(value.strip())
        if not text:
            raise ValueError("empty id")
        number = _canonical_int(text)
        if number is not None:
            note_coerced(_field(info), "text")
            return number
        return text
    raise ValueError(f"invalid id {_json_type(value)}")


def to_str_id(value: Any, info: ValidationInfo) -> str:
    """An opaque id that is text on the wire (seat ids, ticket type ids): a number becomes its
    text (``12`` -> ``"12"``)."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"invalid id {value!r}")
    if isinstance(value, int):
        note_coerced(_field(info), "number")
        return str(value)
    if isinstance(value, str):
        text = _no_secret(value.strip())
        if not text:
            raise ValueError("empty id")
        return text
    raise ValueError(f"invalid id {_json_type(value)}")


def to_label(value: Any, info: ValidationInfo) -> int | str:
    """A row or seat number: an int, a canonical digit string (-> int) or a label such as
    ``"12a"`` or ``"A"`` (kept as text)."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"invalid number {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        note_coerced(_field(info), "number with decimals")
        return int(value)
    if isinstance(value, str):
        text = _no_secret(value.strip())
        if not text:
            raise ValueError("empty label")
        number = _canonical_int(text)
        note_coerced(_field(info), "text" if number is not None else "label")
        return number if number is not None else text
    raise ValueError(f"invalid number {_json_type(value)}")


def to_text_label(value: Any, info: ValidationInfo) -> str:
    """A row or seat number documented as text (public cart lines): a number becomes its text."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"invalid number {value!r}")
    if isinstance(value, int):
        note_coerced(_field(info), "number")
        return str(value)
    if isinstance(value, str):
        return _no_secret(value.strip())
    raise ValueError(f"invalid number {_json_type(value)}")


def to_int(value: Any, info: ValidationInfo) -> int:
    """A count: an int or a canonical digit string (recorded)."""
    if isinstance(value, bool):
        raise ValueError(f"invalid number {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        sign = -1 if text.startswith("-") else 1
        number = _canonical_int(text.lstrip("-"))
        if number is not None:
            note_coerced(_field(info), "text")
            return sign * number
    raise ValueError(f"invalid number {value!r}")


def to_optional_int(value: Any, info: ValidationInfo) -> int | None:
    if value is None:
        return None
    return to_int(value, info)


def to_str_list(value: Any, info: ValidationInfo) -> list[str] | None:
    """An array of names (``event_type``); a single text becomes a one-element list; anything
    else that is not an array of texts -> None (recorded)."""
    if value is None:
        return None
    if isinstance(value, str):
        note_coerced(_field(info), "text")
        return [value] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    if isinstance(value, list):
        note_coerced(_field(info), "array of non-text")
        return [str(v) for v in value if isinstance(v, (str, int)) and not isinstance(v, bool)]
    note_coerced(_field(info), _json_type(value) + " (ignored)")
    return None


def to_bool(value: Any, info: ValidationInfo) -> bool:
    """A boolean; ``0``/``1`` and ``"true"``/``"false"``/``"0"``/``"1"`` accepted (recorded)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        note_coerced(_field(info), "number")
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("0", "1", "true", "false"):
        note_coerced(_field(info), "text")
        return value.strip().lower() in ("1", "true")
    raise ValueError(f"invalid boolean {value!r}")


def to_text_id(value: Any, info: ValidationInfo) -> str:
    """Like :func:`to_str_id`, but null or missing is ``""`` (not known)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return to_str_id(value, info)


def lenient(tp: Any):
    """A field only shown, never computed with: a value that cannot be read becomes None
    (recorded as coerced "unreadable") instead of failing its item."""
    def validate(value: Any, handler: Any, info: ValidationInfo) -> Any:
        if value is None:
            return None
        try:
            return handler(value)
        except ValidationError:
            note_coerced(_field(info), f"unreadable {_json_type(value)} (ignored)")
            return None
    return Annotated[tp | None, WrapValidator(validate)]


def known_value(field: str, known: frozenset[str]):
    """A text field with a documented vocabulary: any other value is kept (and noted)."""
    def check(value: Any) -> Any:
        if isinstance(value, str) and value not in known:
            note_note(f"{field}: undocumented value {value[:40]!r}")
        return value
    return check


def _optional_info(fn):
    def wrapped(value: Any, info: ValidationInfo):
        return None if value is None else fn(value, info)
    return wrapped


class _Named:
    """Stands in for ValidationInfo where the field name is fixed: validators without ``info``
    are much cheaper in pydantic-core (used for the thousands of seats of a seating plan)."""

    __slots__ = ("field_name",)

    def __init__(self, name: str) -> None:
        self.field_name = name


def named(fn: Any, name: str, tp: Any, *, usual: Any = None) -> Any:
    """``tp`` validated by ``fn(value, info)`` with a fixed field name and no ValidationInfo.
    ``usual``: a strict type (StrictInt, StrictBool) accepted natively, without any Python call;
    ``fn`` then only sees the other values."""
    info = _Named(name)
    converted = Annotated[tp, BeforeValidator(lambda value: fn(value, info))]
    if usual is None:
        return converted
    return Annotated[Union[usual, converted], Field(union_mode="left_to_right")]


Id = Annotated[int | str, BeforeValidator(to_id)]
OptionalId = Annotated[int | str | None, BeforeValidator(_optional_info(to_id))]
StrId = Annotated[str, BeforeValidator(to_str_id)]
TextId = Annotated[str, BeforeValidator(to_text_id)]
OptionalStrId = Annotated[str | None, BeforeValidator(_optional_info(to_str_id))]
Label = Annotated[int | str, BeforeValidator(to_label)]
OptionalLabel = Annotated[int | str | None, BeforeValidator(_optional_info(to_label))]
TextLabel = Annotated[str, BeforeValidator(to_text_label)]
Count = Annotated[int, BeforeValidator(to_int)]
OptionalCount = Annotated[int | None, BeforeValidator(to_optional_int)]
Names = Annotated[list[str] | None, BeforeValidator(to_str_list)]
Flag = Annotated[bool, BeforeValidator(to_bool)]


@lru_cache(maxsize=None)
def _item_adapter(tp: Any) -> TypeAdapter:
    return TypeAdapter(tp)


def first_error(exc: ValidationError) -> str:
    """``"event_date: invalid date 'x'"`` from a validation error (its first problem)."""
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err.get("loc", ()))
    msg = str(err.get("msg", "invalid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if err.get("type") == "missing":
        msg = "missing"
    more = exc.error_count() - 1
    text = f"{loc}: {msg}" if loc else msg
    return text + (f" (+{more} more)" if more else "")


def items_of(tp: Any, name: str):
    """A list field whose items are read one by one: an item that cannot be understood is left
    out (recorded as skipped, with its index and why), the others are kept. null -> []."""
    def validate(value: Any, handler: Any, info: ValidationInfo) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError(f"expected an array, got {_json_type(value)}")
        # the usual case first: the whole list in one pass (pydantic-core); only when some item
        # fails, item by item. (Notes recorded by a failed whole pass are dropped: the item by
        # item pass records them again.)
        events = _RECORDER.get()
        mark = len(events) if events is not None else 0
        try:
            return handler(value)
        except ValidationError:
            if events is not None:
                del events[mark:]
        adapter = _item_adapter(tp)
        out = []
        for i, item in enumerate(value):
            try:
                out.append(adapter.validate_python(item))
            except ValidationError as exc:
                _note("skipped", f"{info.field_name or name}[{i}]", first_error(exc))
        return out
    return Annotated[list[tp], WrapValidator(validate)]


class PublicModel(BaseModel):
    """Base of public (snake_case) DTOs: immutable; unknown fields are kept (``model_extra``)
    and reported once per endpoint and field by ``base.validate`` (vdm-api.md §9.13)."""

    model_config = ConfigDict(extra="allow", frozen=True)


class PepperedModel(BaseModel):
    """Base of peppered DTOs: camelCase on the wire, snake_case attributes; unknown fields are
    kept (``model_extra``, under their wire name) and reported like the public ones."""

    model_config = ConfigDict(
        extra="allow", frozen=True, alias_generator=to_camel, populate_by_name=True
    )


class RequestModel(BaseModel):
    """Base of bodies the client builds itself (strict writing): unknown keyword arguments are
    ignored, never sent."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class PepperedRequestModel(BaseModel):
    model_config = ConfigDict(
        extra="ignore", frozen=True, alias_generator=to_camel, populate_by_name=True
    )
