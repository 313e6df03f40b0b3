"""Remembers window geometry and splitter positions per user (an ini file in the config folder)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter


class WindowState:
    """Saves and restores a main window and its named splitters."""

    def __init__(self, config_dir: Path) -> None:
        config_dir.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(config_dir / "window-state.ini"), QSettings.Format.IniFormat)

    def restore(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> bool:
        geometry = self._settings.value("window/geometry")
        restored = False
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            restored = window.restoreGeometry(geometry)
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            window.restoreState(state)
        for name, splitter in splitters.items():
            value = self._settings.value(f"splitter/{name}")
            if isinstance(value, QByteArray) and not value.isEmpty():
                splitter.restoreState(value)
        return restored

    def save(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
        self._settings.setValue("window/geometry", window.saveGeometry())
        self._settings.setValue("window/state", window.saveState())
        for name, splitter in splitters.items():
            self._settings.setValue(f"splitter/{name}", splitter.saveState())
        self._settings.sync()
