"""What went wrong with a file on disk, in one of a few plain words (issue 13, disk trouble).

Owns :func:`disk_trouble`: an ``OSError`` or a ``sqlite3`` error turned into a :class:`DiskTrouble`
(the disk is full, the folder or disk is read-only, another program holds the file, the file is
damaged, or something else). The stores use it to decide what to do (only a damaged file is ever
set aside). :func:`trouble_reason` and :func:`trouble_fix` say it to the cashier in plain words
(translated), with what to do; the technical text stays in the log.
"""
from __future__ import annotations

import errno
import sqlite3
from enum import Enum

from boxoffice.i18n import _


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


def trouble_reason(trouble: DiskTrouble) -> str:
    """Why a file of the box office cannot be written, in a few plain words (for a
    sentence's parentheses)."""
    if trouble == DiskTrouble.FULL:
        return _("the disk is full")
    if trouble == DiskTrouble.READ_ONLY:
        return _("the disk or its folder is read-only")
    if trouble == DiskTrouble.LOCKED:
        return _("another program is using it, such as a backup or a second box office window")
    if trouble == DiskTrouble.DAMAGED:
        return _("the file is damaged")
    return _("the disk reported an error")


def trouble_fix(trouble: DiskTrouble) -> str:
    """What the cashier (or whoever looks after the computer) can do about it (a sentence
    that the caller ends)."""
    if trouble == DiskTrouble.FULL:
        return _("Free space on the disk")
    if trouble == DiskTrouble.READ_ONLY:
        return _("Ask whoever looks after this computer to make the box office's folder writable")
    if trouble == DiskTrouble.LOCKED:
        return _("Close the other box office window or wait for the backup to finish")
    return _("Check the disk")
