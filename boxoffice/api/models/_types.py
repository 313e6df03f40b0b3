"""Field types shared by the DTOs: money as Decimal, and the per-endpoint date types.

Money: public money arrives as strings (``"24.50"``), peppered money as JSON numbers which the
client parses straight into Decimal (never float). Amounts with at most two decimals are normalised
to exactly two (``24.5`` -> ``Decimal("24.50")``); amounts with finer precision are kept as sent
(never silently rounded). Floats, booleans, NaN and infinities are refused.
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, BaseModel
from pydantic.alias_generators import to_camel

from .. import dates

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


def to_money(value: Any) -> Decimal:
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


Money = Annotated[Decimal, BeforeValidator(to_money)]
OptionalMoney = Annotated[Decimal | None, BeforeValidator(_optional(to_money))]
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


class PublicModel(BaseModel):
    """Base of public (snake_case) DTOs: immutable, unknown fields ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class PepperedModel(BaseModel):
    """Base of peppered DTOs: camelCase on the wire, snake_case attributes, unknown fields ignored."""

    model_config = ConfigDict(
        extra="ignore", frozen=True, alias_generator=to_camel, populate_by_name=True
    )
