"""The one exception tree of the VdM API client.

Owns every error the client raises. Callers catch these, never httpx exceptions::

    VdmError (.message = server message or None, .endpoint = "METHOD /path")
    ├─ TransportError ─ ConnectionFailed, RequestTimeout
    ├─ StatusError(.status) ─ AuthError(401/403), NotFound(404), Conflict(409),
    │                         ValidationError(422), RateLimited(429, .retry_after), ServerError(5xx)
    ├─ BadResponse(.endpoint, .field)
    ├─ InsecureURL
    ├─ NoApiKey
    └─ OutcomeUnknown

Texts are technical (for logs and support), never contain the API key (server messages are
scrubbed by the client before they get here) and are not shown to cashiers verbatim.

``ambiguous`` tells whether a state-changing request may have been applied by the server even
though it failed (the request may have been sent; the answer was lost, a 5xx or a malformed body).
The client reconciles those by reading back; nothing is ever repeated blindly.
"""
from __future__ import annotations

from typing import Any

from .secrets import redact_known

#: Server messages are quoted in error texts, logs and dialogs: keep them to a readable length.
MAX_MESSAGE_CHARS = 300


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


class VdmError(Exception):
    """Base of all client errors."""

    def __init__(
        self,
        detail: str = "",
        *,
        endpoint: str | None = None,
        message: str | None = None,
        ambiguous: bool = False,
    ) -> None:
        self.detail = redact_known(_bounded(detail))
        self.endpoint = endpoint
        self.message = None if message is None else redact_known(_bounded(message))
        self.ambiguous = ambiguous
        super().__init__(self._text())

    def _text(self) -> str:
        parts = [p for p in (self.endpoint, self.detail) if p]
        text = ": ".join(parts)
        if self.message and self.message not in text:
            text = f"{text} ({self.message})" if text else self.message
        return text or type(self).__name__

    def __str__(self) -> str:
        return self._text()


# --------------------------------------------------------------------------- transport
class TransportError(VdmError):
    """No usable HTTP answer: the connection failed or timed out."""


class ConnectionFailed(TransportError):
    """Could not connect, or the connection broke (``ambiguous`` once the request may have been sent)."""


class RequestTimeout(TransportError):
    """Connect/read/write timeout (``ambiguous`` unless it happened before anything was sent)."""


# --------------------------------------------------------------------------- HTTP status
class StatusError(VdmError):
    """The server answered with an error status."""

    def __init__(
        self,
        detail: str = "",
        *,
        status: int,
        endpoint: str | None = None,
        message: str | None = None,
        ambiguous: bool = False,
        errors: Any = None,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.errors = errors
        self.retry_after = retry_after  # seconds, from Retry-After (429, also 503)
        super().__init__(detail, endpoint=endpoint, message=message, ambiguous=ambiguous)


class AuthError(StatusError):
    """401/403: missing or wrong API key, or no permission."""


class NotFound(StatusError):
    """404: unknown event, cart, order, customer ..."""


class Conflict(StatusError):
    """409: e.g. a seat is no longer available."""


class ValidationError(StatusError):
    """422: the server refused the request's content (``errors`` holds field errors when given)."""


class RateLimited(StatusError):
    """429: too many requests; ``retry_after`` in seconds when the server said so."""


class ServerError(StatusError):
    """5xx: the server failed (a write may or may not have been applied)."""


# --------------------------------------------------------------------------- others
class BadResponse(VdmError):
    """The answer could not be understood: invalid JSON, a missing field or a wrong type.

    ``field`` is the path of the offending field (``sub_events[0].event_date``) or None.
    """

    #: set on the error that refuses an answer holding the API key (``base._secret_echo``)
    secret_echo: bool = False

    def __init__(
        self,
        detail: str,
        *,
        endpoint: str | None = None,
        field: str | None = None,
        ambiguous: bool = False,
    ) -> None:
        self.field = field
        super().__init__(detail, endpoint=endpoint, ambiguous=ambiguous)

    def _text(self) -> str:
        parts = [p for p in (self.endpoint, self.field, self.detail) if p]
        return ": ".join(parts)


class InsecureURL(VdmError):
    """Plain http:// (or another scheme) to a host that is not loopback."""


class NoApiKey(VdmError):
    """A peppered call was attempted without an API key (raised before any network traffic)."""


class HoldLapsed(VdmError):
    """Established by reading back: the cart's hold lapsed before any order was made from it.

    There is no order, and the server has released the seats. Not ambiguous: the sale may go on
    (re-add the tickets) without any risk of a second order."""


class OutcomeUnknown(VdmError):
    """A write's result could not be established by reading back; nothing was repeated.

    ``cause`` is the error that made the write ambiguous (also chained as ``__cause__``).
    ``candidates``: for an order, the keys of the orders that may be the one it made (none
    known: empty), so the cashier can be told which orders to check.
    """

    def __init__(
        self,
        detail: str,
        *,
        endpoint: str | None = None,
        cause: BaseException | None = None,
        candidates: tuple[str, ...] | list[str] = (),
    ) -> None:
        self.cause = cause
        self.candidates = tuple(candidates)
        super().__init__(detail, endpoint=endpoint, ambiguous=True)


STATUS_CLASSES: dict[int, type[StatusError]] = {
    401: AuthError,
    403: AuthError,
    404: NotFound,
    409: Conflict,
    422: ValidationError,
    429: RateLimited,
}


def status_error_class(status: int) -> type[StatusError]:
    """The StatusError subclass for an HTTP status."""
    if status >= 500:
        return ServerError
    return STATUS_CLASSES.get(status, StatusError)


__all__ = [
    "VdmError", "TransportError", "ConnectionFailed", "RequestTimeout", "StatusError", "AuthError",
    "NotFound", "Conflict", "ValidationError", "RateLimited", "ServerError", "BadResponse",
    "InsecureURL", "NoApiKey", "HoldLapsed", "OutcomeUnknown", "status_error_class",
]
