"""Typed, validated DTOs of the VdM API (pydantic v2): public (snake_case) and peppered (camelCase)."""
from __future__ import annotations

from .peppered import *  # noqa: F401,F403
from .peppered import __all__ as _peppered_all
from .public import *  # noqa: F401,F403
from .public import __all__ as _public_all
from ._types import to_money

__all__ = [*_public_all, *_peppered_all, "to_money"]
