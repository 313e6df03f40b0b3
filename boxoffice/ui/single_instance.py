"""Refuses a second running instance for the same venue profile (a lock file in its data folder)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile


class InstanceLock:
    """A ``QLockFile`` named after the profile; stale locks of crashed processes are taken over."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "boxoffice.lock"
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # only a dead owner process makes a lock stale

    def acquire(self) -> bool:
        return self._lock.tryLock(200)

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()
