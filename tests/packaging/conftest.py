"""Fixtures for the packaging tests: offscreen Qt, English, the project root and a helper that runs
``main.py`` / the frozen executable in a child process with a private, empty set of user folders
(so a test can prove the self-test never touches the user's data)."""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

from pathlib import Path

import pytest

from boxoffice import i18n


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def user_dirs(tmp_path: Path) -> dict[str, str]:
    """Environment for a child process whose every user folder is an empty temp folder."""
    env = {k: v for k, v in os.environ.items() if k != "BOXOFFICE_HOME"}
    for var in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                "APPDATA", "LOCALAPPDATA"):
        folder = tmp_path / "user" / var.lower()
        folder.mkdir(parents=True)
        env[var] = str(folder)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["TMPDIR"] = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    return env
