"""What went wrong with a file on disk, in one of a few plain words (issue 13, disk trouble).

Owns :func:`disk_trouble`: an ``OSError`` or a ``sqlite3`` error turned into a :class:`DiskTrouble`
(the disk is full, the folder or disk is read-only, another program holds the file, the file is
damaged, or something else). The stores use it to decide what to do (only a damaged file is ever
set aside) and the messages use it to tell the cashier what to do; the technical text stays in the
log.
"""
from __future__ import annotations

import errno
import sqlite3
from enum import Enum


class DiskTrouble(str, Enum):
    FULL = "full"              # SQLITE_FULL, ENOSPC, EDQUOT
    READ_ONLY = "read_only"    # SQLITE_READONLY, SQLITE_CANTOPEN, EROFS, EACCES, EPERM
    LOCKED = "locked"          # SQLITE_BUSY / SQLITE_LOCKED after the busy timeout
    DAMAGED = "damaged"        # SQLITE_CORRUPT, SQLITE_NOTADB
    OTHER = "other"            # an I/O error or anything else


_SQLITE: tuple[tuple[str, DiskTrouble], ...] = (
    ("SQLITE_FULL", DiskTrouble.FULL),
    ("SQLITE_READONLY", DiskTrouble.READ_ONLY),
    ("SQLITE_CANTOPEN", DiskTrouble.READ_ONLY),
    ("SQLITE_PERM", DiskTrouble.READ_ONLY),
    ("SQLITE_BUSY", DiskTrouble.LOCKED),
    ("SQLITE_LOCKED", DiskTrouble.LOCKED),
    ("SQLITE_CORRUPT", DiskTrouble.DAMAGED),
    ("SQLITE_NOTADB", DiskTrouble.DAMAGED),
)
_ERRNO: dict[int, DiskTrouble] = {
    errno.ENOSPC: DiskTrouble.FULL,
    errno.EROFS: DiskTrouble.READ_ONLY,
    errno.EACCES: DiskTrouble.READ_ONLY,
    errno.EPERM: DiskTrouble.READ_ONLY,
}
if hasattr(errno, "EDQUOT"):
    _ERRNO[errno.EDQUOT] = DiskTrouble.FULL


def sqlite_code_is(exc: BaseException, code: str) -> bool:
    """True when *exc* carries SQLite result *code* (its extended codes included)."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return name == code or name.startswith(code + "_")


def disk_trouble(exc: BaseException) -> DiskTrouble:
    """The kind of trouble behind *exc* (an ``OSError`` or a ``sqlite3.Error``)."""
    if isinstance(exc, sqlite3.Error):
        for code, trouble in _SQLITE:
            if sqlite_code_is(exc, code):
                return trouble
        return DiskTrouble.OTHER
    if isinstance(exc, OSError):
        return _ERRNO.get(exc.errno or 0, DiskTrouble.OTHER)
    return DiskTrouble.OTHER
