"""Locale-aware display of money, dates, times and weekdays (Babel), in the current language.

Owns the one place where amounts and dates become text for a cashier. English formats use
British conventions (24-hour clock, day before month) because the venues are in the
Netherlands; Dutch uses ``nl_NL``. Babel's output is kept as is, including the non-breaking
space in ``€ 24,50`` so the amount never wraps.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_currency, format_decimal

from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.i18n.translator import current_language

_BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale used for formatting in *language* (default: the current language)."""
    return Locale.parse(_BABEL_LOCALES.get(language or current_language(), "en_GB"))


def format_money(amount: Decimal, currency: str = "EUR") -> str:
    """``€ 24,50`` (Dutch, with a non-breaking space) or ``€24.50`` (English)."""
    if not isinstance(amount, Decimal):
        amount = Decimal(str(amount))
    return format_currency(amount, currency, locale=babel_locale())


def format_percent(value: Decimal) -> str:
    """A percentage value such as ``25`` or ``12.5`` → ``25%`` / ``12,5%``."""
    return format_decimal(value, format="#,##0.##", locale=babel_locale()) + "%"


def _venue_local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(VENUE_ZONE) if moment.tzinfo else moment


def locale_name(language: str | None = None) -> str:
    """``nl_NL`` / ``en_GB``: the locale a toolkit should format dates in (date boxes)."""
    return str(babel_locale(language))


def format_date(day: dt.date, format: str = "medium") -> str:  # noqa: A002 - Babel's name
    """``woensdag 1 april 2026`` / ``Wednesday, 1 April 2026`` (full), ``1 apr 2026`` (medium),
    ``01-04-2026`` (short: for files and forms only; a cashier reads the medium form)."""
    if isinstance(day, dt.datetime):
        day = _venue_local(day).date()
    return _babel_date(day, format, locale=babel_locale())


def format_time(moment: dt.time | dt.datetime, format: str = "short") -> str:  # noqa: A002
    """``20:30`` in both languages (short); aware datetimes are shown in venue time."""
    if isinstance(moment, dt.datetime):
        moment = _venue_local(moment).time()
    return _babel_time(moment, format, locale=babel_locale())


def format_datetime(moment: dt.datetime, format: str = "medium") -> str:  # noqa: A002
    """Date in *format* plus the short time, joined the way the locale joins them. "short" has
    the medium date too: one date format everywhere a cashier looks (``04/12/2026, 20:15`` beside
    ``4 Dec 2026`` in the same window was confusing)."""
    if format == "short":
        format = "medium"  # noqa: A001
    local = _venue_local(moment)
    loc = babel_locale()
    pattern = str(loc.datetime_formats.get(format, "{1} {0}"))
    return pattern.replace("{1}", format_date(local.date(), format)).replace(
        "{0}", format_time(local.time(), "short")
    )


def format_when(moment: dt.datetime, today: dt.date | None) -> str:
    """When something was read, as short as is clear: ``20:14`` on *today* (venue time), else
    the date with it (``4 dec 2026, 20:14``)."""
    same_day = today is not None and _venue_local(moment).date() == today
    return format_time(moment) if same_day else format_datetime(moment, "short")


def weekday(day: dt.date, width: str = "wide") -> str:
    """The weekday name: ``woensdag`` / ``Wednesday`` (wide) or ``wo`` / ``Wed`` (abbreviated)."""
    if isinstance(day, dt.datetime):
        day = _venue_local(day).date()
    pattern = {"wide": "EEEE", "abbreviated": "EEE", "short": "EEEEEE"}.get(width, "EEEE")
    return _babel_date(day, pattern, locale=babel_locale())
