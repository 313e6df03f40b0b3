"""ApiKey: the peppered API key wrapped so it cannot leak by accident, and the one redactor.

``repr``/``str``/``format`` give ``ApiKey('****')``; only :meth:`ApiKey.reveal` returns the value,
and the client calls it in exactly one place: building the peppered Authorization header.
The wrapper refuses pickling, so it is never written to a file through pickle/shelve.

Redaction (one implementation, :func:`mask_values`): :func:`redact` and :func:`redact_known` scrub
error texts in the core; :class:`Redactor` (the process-wide :data:`REDACTOR`) scrubs what leaves
the app (log lines, error details, the clipboard), including credential-looking fields.
"""
from __future__ import annotations

import base64
import hmac
import re
import threading
from collections.abc import Iterable
from typing import NoReturn

_MASK = "ApiKey('****')"
#: Every key value this process has wrapped, so that error texts can be scrubbed of any of them
#: (see :func:`redact_known`) and answers echoing one refused; kept in memory only, like the keys
#: themselves. Only values of at least ``MIN_KNOWN_LENGTH`` characters are remembered: a short
#: value typed by mistake in Settings ("test", "key") would otherwise censor ordinary words in
#: every text and make every answer containing them unreadable. Real keys are long random tokens
#: (an assumption: the docs do not give their length); a short key is still redacted where the
#: client knows it (:func:`redact`).
MIN_KNOWN_LENGTH = 12
_KNOWN_VALUES: set[str] = set()


class ApiKey:
    """An opaque secret. Compare with ``==``; read with :meth:`reveal` only to send it."""

    __slots__ = ("__value",)

    def __init__(self, value: str) -> None:
        if isinstance(value, ApiKey):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("ApiKey needs a str")
        value = value.strip()
        if not value:
            raise ValueError("ApiKey is empty")
        # The key goes into an HTTP header: refuse anything that is not visible ASCII.
        if not all(33 <= ord(c) <= 126 for c in value):
            raise ValueError("ApiKey contains characters that are not allowed in a header")
        self.__value = value
        if len(value) >= MIN_KNOWN_LENGTH:
            _KNOWN_VALUES.add(value)

    def reveal(self) -> str:
        """The raw key. Use only for the Authorization header."""
        return self.__value

    def __repr__(self) -> str:
        return _MASK

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ApiKey):
            return NotImplemented
        return hmac.compare_digest(self.__value.encode(), other.__value.encode())

    def __hash__(self) -> int:
        return hash((ApiKey, len(self.__value)))

    def __reduce__(self) -> NoReturn:
        raise TypeError("ApiKey cannot be pickled")

    def __copy__(self) -> ApiKey:
        return self

    def __deepcopy__(self, memo: dict) -> ApiKey:
        return self


def mask_values(text: str, values: Iterable[str], mask: str) -> str:
    """``text`` with every occurrence of each of ``values`` replaced by ``mask``, the longest
    value first (so a secret that contains another is masked whole)."""
    for value in sorted(values, key=len, reverse=True):
        if value and value in text:
            text = text.replace(value, mask)
    return text


def redact(text: str, key: ApiKey | None) -> str:
    """Replace every occurrence of the key in ``text`` (e.g. a server message echoing it)."""
    if key is None or not text:
        return text
    return mask_values(text, (key.reveal(),), "****")


def redact_known(text: str) -> str:
    """Replace every key this process knows in ``text``: the last line of defence for error texts
    that quote server data (a server could echo the Authorization value in any field)."""
    return mask_values(text, _KNOWN_VALUES, "****")


REDACTED = "[redacted]"

# "Authorization: Basic abc", "'authorization': 'xyz'", "api_key=abc" ...
_HEADER_RE = re.compile(
    r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:basic|bearer)?\s*)([^\s'\",}]+)"
)
_KEY_FIELD_RE = re.compile(r"(?i)((?:api[_-]?key|apikey|password|secret)['\"]?\s*[:=]\s*['\"]?)([^\s'\",}]+)")


class Redactor:
    """Masks registered secrets and credential-looking fields in text that leaves the app.

    One per process (:data:`REDACTOR`): it knows the API keys of the open profiles (the UI
    registers them) and masks them, plus anything that looks like an ``Authorization`` header
    value, wherever text is written out (logging, the error dialog, the clipboard)."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add_secret(self, secret: str | None) -> None:
        """Remember a secret (and its Basic-auth encoding) so it is masked from now on."""
        if not secret or len(secret) < 4:
            return
        encoded = base64.b64encode(f"{secret}:".encode()).decode("ascii")
        with self._lock:
            self._secrets.add(secret)
            self._secrets.add(encoded)

    def redact(self, text: str) -> str:
        with self._lock:
            secrets = list(self._secrets)
        text = mask_values(text, secrets, REDACTED)
        text = _HEADER_RE.sub(lambda m: m.group(1) + REDACTED, text)
        text = _KEY_FIELD_RE.sub(lambda m: m.group(1) + REDACTED, text)
        return text


#: The process-wide redactor used by logging and the error dialog.
REDACTOR = Redactor()
