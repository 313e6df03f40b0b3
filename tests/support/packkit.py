"""Helpers shared by the packaging tests."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def files_under(path: Path) -> list[str]:
    """Every file below *path*, as sorted relative POSIX paths."""
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
