"""JSON in and out without floats.

``loads`` parses JSON numbers with a fraction as Decimal (``parse_float=Decimal``), so peppered money
(``24.50``) never passes through float. ``dumps`` writes Decimal values as exact JSON numbers.
"""
from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON constant {name}")


def loads(data: bytes | str) -> Any:
    """Parse JSON; floats become Decimal; NaN/Infinity are refused. Raises ValueError."""
    try:
        return json.loads(data, parse_float=Decimal, parse_constant=_reject_constant)
    except RecursionError:  # hostile nesting must end as a typed "unreadable answer", not a crash
        raise ValueError("JSON nested too deeply") from None


def dumps(obj: Any) -> bytes:
    """Serialise to UTF-8 JSON, writing Decimal values as exact numbers (``5.00``)."""
    marks: dict[str, str] = {}
    token = uuid.uuid4().hex

    def convert(value: Any) -> Any:
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError("non-finite Decimal")
            mark = f"@@{token}:{len(marks)}@@"
            marks[mark] = format(value, "f")
            return mark
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        if isinstance(value, float):
            raise TypeError("floats are not sent; use Decimal")
        return value

    text = json.dumps(convert(obj), ensure_ascii=False, separators=(",", ":"))
    for mark, number in marks.items():
        text = text.replace(f'"{mark}"', number)
    return text.encode("utf-8")
