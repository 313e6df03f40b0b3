"""Refuses a second running instance for the same venue profile (a lock file in its data folder).

A data folder where the lock file cannot be written at all (read-only, full) is not taken for
another instance (issue 13): the box office opens, and the sales record and the offline copy,
which cannot be written either, say so themselves (selling off, browsing on)."""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile

log = logging.getLogger(__name__)


class InstanceLock:
    """A ``QLockFile`` named after the profile; stale locks of crashed processes are taken over."""

    def __init__(self, data_dir: Path) -> None:
        with contextlib.suppress(OSError):   # a folder that cannot be made: see acquire()
            data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "boxoffice.lock"
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # only a dead owner process makes a lock stale
        #: the lock file could not be written (not held by anyone): running without it
        self.unwritable = False

    def acquire(self) -> bool:
        """True when this process may run for the profile: it holds the lock, or the lock file
        cannot be written at all (then no other instance can write anything there either)."""
        if self._lock.tryLock(200):
            return True
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            return False   # another running instance holds it
        log.warning("the instance lock %s cannot be written (%s); running without it",
                    self.path, self._lock.error().name)
        self.unwritable = True
        return True

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()
