"""Logging: a rotating file in the user's log folder, every line passed through the redactor."""
from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from boxoffice.api.secrets import REDACTOR, Redactor

LOG_FILE_NAME = "boxoffice.log"


class RedactingFormatter(logging.Formatter):
    """Formats as usual (traceback included), then masks secrets in the whole record."""

    def __init__(self, fmt: str, redactor: Redactor) -> None:
        super().__init__(fmt)
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor.redact(super().format(record))


class OwnerOnlyRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that only its owner can read (0600), also after every rollover: logs
    name customers' e-mail addresses and order keys."""

    def _open(self):  # type: ignore[override]
        path = Path(self.baseFilename)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        if os.name == "posix":
            os.chmod(path, 0o600)
        return super()._open()


def configure_logging(log_dir: Path, level: int = logging.INFO,
                      redactor: Redactor = REDACTOR) -> logging.Handler:
    """Attach a rotating file handler (1 MB x 5) to the root logger; returns the handler."""
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = OwnerOnlyRotatingFileHandler(
        log_dir / LOG_FILE_NAME, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", redactor))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs request URLs at INFO; keep them, but never headers (httpx doesn't log headers).
    return handler


def remove_logging(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()
