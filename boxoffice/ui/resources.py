"""Where the app's style sheet and icons live: the top-level ``resources/`` folder.

The one place that knows the path, shared by ``boxoffice.app`` and ``boxoffice.ui.selftest``.
Qt-free on purpose (paths and text only), so it can be imported before PySide6.
"""
from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent.parent / "resources"


def resources_root() -> Path:
    """The top-level ``resources/`` folder (icons, styles, translations tooling)."""
    return _ROOT


def resource_path(*parts: str) -> Path:
    """A file or folder inside :func:`resources_root`, e.g. ``resource_path("icons", "x.svg")``."""
    return resources_root().joinpath(*parts)


def load_style_sheet() -> str:
    """The application style sheet, or ``""`` when it is missing (the app still runs)."""
    try:
        return resource_path("styles", "boxoffice.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
