"""Typed, validated DTOs of the VdM API (pydantic v2): public (snake_case) and peppered (camelCase).

Import the submodule you need (``models.public`` / ``models.peppered``) or take names from here; the
names are resolved on first use so that the public models can load without the (larger) peppered set.
"""
from __future__ import annotations

import importlib
from typing import Any

from . import public as _public
from ._types import to_money_keeping_subcents
from .public import *  # noqa: F401,F403 - the public models are needed at start-up anyway

_PEPPERED = "boxoffice.api.models.peppered"


def __getattr__(name: str) -> Any:
    peppered = importlib.import_module(_PEPPERED)
    if name in peppered.__all__:
        value = getattr(peppered, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    peppered = importlib.import_module(_PEPPERED)
    return sorted({*globals(), *peppered.__all__})


__all__ = [*_public.__all__, "to_money_keeping_subcents"]
