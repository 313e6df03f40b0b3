"""The placeholder guard: a translation must use exactly the ``{placeholders}`` of its source.

Modelled on Electrum's i18n helper. A translation that drops, renames or adds a
``str.format`` field would raise ``KeyError`` (or silently show the wrong number) at the
cashier's desk, so such a translation is rejected and the English source is used instead.
"""
from __future__ import annotations

import string
from collections import Counter

_FORMATTER = string.Formatter()


class BadPlaceholders(ValueError):
    """The text is not a valid ``str.format`` template."""


def placeholders(text: str) -> Counter[str]:
    """The ``str.format`` field names used in *text* (``{{`` and ``}}`` are literals)."""
    fields: Counter[str] = Counter()
    try:
        for _literal, field, spec, _conv in _FORMATTER.parse(text):
            if field is None:
                continue
            fields[field] += 1
            if spec:
                fields.update(placeholders(spec))
    except ValueError as exc:  # unbalanced braces
        raise BadPlaceholders(str(exc)) from None
    return fields


def _names(text: str) -> set[str]:
    return set(placeholders(text))


def translation_is_safe(source: str, translation: str, plural_source: str | None = None) -> bool:
    """True when *translation* may replace *source*.

    For a singular message the set of field names must be equal. For a plural form, the
    translation may use any field of the singular or plural source but nothing else (a Dutch
    singular "Eén kaartje" legitimately drops ``{count}``).
    """
    try:
        got = _names(translation)
        if plural_source is None:
            return got == _names(source)
        return got <= (_names(source) | _names(plural_source))
    except BadPlaceholders:
        return False
