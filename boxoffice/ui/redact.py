"""Redaction of secrets from text that leaves the app (logs, error details, the clipboard).

One :class:`Redactor` per process knows the API keys of the open profiles and masks them, plus
anything that looks like an ``Authorization`` header value, wherever text is written out.
"""
from __future__ import annotations

import re
import threading

MASK = "[redacted]"

# "Authorization: Basic abc", "'authorization': 'xyz'", "api_key=abc" ...
_HEADER_RE = re.compile(
    r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:basic|bearer)?\s*)([^\s'\",}]+)"
)
_KEY_FIELD_RE = re.compile(r"(?i)((?:api[_-]?key|apikey|password|secret)['\"]?\s*[:=]\s*['\"]?)([^\s'\",}]+)")


class Redactor:
    """Masks registered secrets and credential-looking fields in text."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add_secret(self, secret: str | None) -> None:
        """Remember a secret (and its Basic-auth encoding) so it is masked from now on."""
        if not secret or len(secret) < 4:
            return
        import base64

        encoded = base64.b64encode(f"{secret}:".encode()).decode("ascii")
        with self._lock:
            self._secrets.add(secret)
            self._secrets.add(encoded)

    def redact(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, MASK)
        text = _HEADER_RE.sub(lambda m: m.group(1) + MASK, text)
        text = _KEY_FIELD_RE.sub(lambda m: m.group(1) + MASK, text)
        return text


#: The process-wide redactor used by logging and the error dialog.
REDACTOR = Redactor()
