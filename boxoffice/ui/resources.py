"""Where the app's style sheet and icons live: ``boxoffice/resources`` in an installed wheel, else
the top-level ``resources/`` folder (a checkout, an editable install, the PyInstaller bundle).

The one place that knows the path, shared by ``boxoffice.app`` and ``boxoffice.ui.selftest``.
The wheel gets ``resources/styles`` and ``resources/icons`` mapped into the package at build time
(``setup.py``); they are found through :mod:`importlib.resources`. Qt-free on purpose (paths and
text only), so it can be imported before PySide6.
"""
from __future__ import annotations

from functools import cache
from importlib import resources as _importlib_resources
from pathlib import Path

# A checkout (and the frozen bundle, packaging/boxoffice.spec) keeps resources/ beside the package.
_CHECKOUT = Path(__file__).resolve().parent.parent.parent / "resources"


@cache
def resources_root() -> Path:
    """The folder holding ``styles/`` and ``icons/``: the installed package's ``resources``
    data when it ships (a wheel install), else the top-level ``resources/`` folder."""
    try:
        shipped = _importlib_resources.files("boxoffice") / "resources"
    except (ImportError, TypeError, OSError):  # a loader without resource support
        return _CHECKOUT
    if isinstance(shipped, Path) and shipped.is_dir():
        return shipped
    return _CHECKOUT


def resource_path(*parts: str) -> Path:
    """A file or folder inside :func:`resources_root`, e.g. ``resource_path("icons", "x.svg")``."""
    return resources_root().joinpath(*parts)


def load_style_sheet() -> str:
    """The application style sheet, or ``""`` when it is missing (the app still runs)."""
    try:
        return resource_path("styles", "boxoffice.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
