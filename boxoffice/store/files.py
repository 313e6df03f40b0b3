"""Private files on disk: owner-only permissions and atomic replacement.

Owns the two rules every file the app writes follows: it is readable by the user only
(0600, folders 0700, where the OS supports POSIX modes) and it is replaced atomically
(write a temporary file in the same folder, fsync, ``os.replace``), so a crash or power
cut leaves either the old or the new file, never half of one.
"""
from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from boxoffice.domain.clock import venue_now

log = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> Path:
    """Create *path* (and parents) if needed; the leaf folder gets mode 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    with contextlib.suppress(OSError, NotImplementedError):
        os.chmod(path, DIR_MODE)
    return path


def make_private(path: Path) -> None:
    """Set an existing file to 0600 (a no-op where the OS has no POSIX modes)."""
    with contextlib.suppress(OSError, NotImplementedError):
        os.chmod(path, FILE_MODE)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace *path* with *data* atomically; the file is created 0600."""
    path = Path(path)
    ensure_private_dir(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        make_private(Path(tmp_name))  # mkstemp already uses 0600; be explicit
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Replace *path* with UTF-8 *text* atomically (0600)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def aside_stamp() -> str:
    """``20261205-221530``: the venue's time, for the name of a file set aside."""
    return venue_now().strftime("%Y%m%d-%H%M%S")


def move_aside(path: Path, what: str) -> Path | None:
    """Rename a damaged SQLite file (and drop its -journal/-wal/-shm) to
    ``<name>.corrupt-<timestamp>``, never overwriting an earlier one; returns where it went (None:
    it was gone, or could not be moved and was deleted so a fresh one can start). *what* names
    the file in the log."""
    stamp = aside_stamp()
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    moved: Path | None = aside
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        moved = None
    except OSError:
        log.exception("could not move the damaged %s aside; deleting it", what)
        with contextlib.suppress(OSError):
            path.unlink()
        moved = None
    for suffix in ("-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()
    return moved
