"""Section kinds from section names (rule 4 of docs/hall-layout.md)."""
from __future__ import annotations

from enum import Enum


class SectionKind(str, Enum):
    FLOOR = "floor"
    BALCONY = "balcony"
    SIDE = "side"
    BEHIND = "behind"
    OTHER = "other"


_BEHIND_WORDS = ("koor", "choir", "podium", "behind")
_FLOOR_WORDS = ("parkett", "parket", "zaal", "stalls", "floor", "vloer", "parterre", "orchestra", "arena")
_BALCONY_WORDS = ("balkon", "balcony", "rang", "gallery", "galerij", "circle", "mezzanine", "tribune")
_SIDE_WORDS = ("loge", "box", "side", "zij", "links", "rechts", "left", "right")
_LEFT_WORDS = ("links", "left")
_RIGHT_WORDS = ("rechts", "right")


def classify_section(name: str) -> SectionKind:
    """Section kind from its name (rule 4 of docs/hall-layout.md)."""
    low = name.casefold()
    if any(w in low for w in _BEHIND_WORDS):
        return SectionKind.BEHIND
    is_floor = any(w in low for w in _FLOOR_WORDS)
    is_balcony = any(w in low for w in _BALCONY_WORDS)
    if "achter" in low and not (is_floor or is_balcony):
        return SectionKind.BEHIND
    if is_floor:
        return SectionKind.FLOOR
    if any(w in low for w in _SIDE_WORDS):
        return SectionKind.SIDE
    if is_balcony:
        return SectionKind.BALCONY
    return SectionKind.OTHER


def _side_of(name: str) -> str | None:
    low = name.casefold()
    if any(w in low for w in _LEFT_WORDS):
        return "left"
    if any(w in low for w in _RIGHT_WORDS):
        return "right"
    return None
