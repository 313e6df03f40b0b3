"""The "Test connection" check of the Settings dialog: can this venue be reached, and is the key good?

Owns one function, :func:`check_connection` (also importable as ``test_connection``), that tries
the public API and the key-protected ("peppered") API separately and reports precisely what
failed, in words a cashier can act on: the server cannot be reached, the client name is unknown,
the key was refused, or there is no key. When the venue answers, it then reads every endpoint the
box office uses (:func:`~boxoffice.services.first_contact.first_contact`, read-only) and says in one
sentence whether anything is missing or answered differently; the full report (technical, for
support, never containing the key) is :attr:`ConnectionReport.details`. Nothing is written
anywhere; the key is never shown.
"""
from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import Any

from boxoffice.api import errors
from boxoffice.api.client import VdmClient
from boxoffice.api.retry import RetryPolicy
from boxoffice.api.secrets import ApiKey
from boxoffice.config import ProfileError, normalize_api_root, normalize_client_name
from boxoffice.i18n import _

log = logging.getLogger(__name__)


class Check(enum.Enum):
    OK = "ok"
    NOT_TESTED = "not_tested"      # skipped (no key, or the server was not reachable)
    NO_KEY = "no_key"
    INVALID_INPUT = "invalid_input"
    UNREACHABLE = "unreachable"
    UNKNOWN_CLIENT = "unknown_client"
    KEY_REFUSED = "key_refused"
    SERVER_ERROR = "server_error"
    BUSY = "busy"
    NOT_UNDERSTOOD = "not_understood"


@dataclass(frozen=True)
class ConnectionReport:
    """Outcome of a connection test; ``messages`` are translated sentences, one per finding."""

    public: Check
    peppered: Check
    messages: tuple[str, ...]
    #: the first-contact walk (every endpoint the app reads), when the venue answered
    first_contact: Any = None

    @property
    def details(self) -> str:
        """The technical report for support (English, no key), or '' when there is none."""
        return self.first_contact.text() if self.first_contact is not None else ""

    @property
    def public_ok(self) -> bool:
        return self.public is Check.OK

    @property
    def ok(self) -> bool:
        """Selling works: the public API answered (a missing key only costs the seat maps)."""
        return self.public_ok and self.peppered in (Check.OK, Check.NO_KEY)

    @property
    def summary(self) -> str:
        return "\n".join(self.messages)


def _failure(exc: errors.VdmError, api_root: str, client_name: str) -> tuple[Check, str]:
    if isinstance(exc, errors.TransportError):
        return Check.UNREACHABLE, _(
            "The server at {address} could not be reached. Check the address and the internet "
            "connection."
        ).format(address=api_root)
    if isinstance(exc, errors.RateLimited):
        return Check.BUSY, _("The server is busy (too many requests). Try again in a minute.")
    if isinstance(exc, errors.ServerError):
        return Check.SERVER_ERROR, _(
            "The server reported an error (HTTP {status}). Try again later."
        ).format(status=exc.status)
    if isinstance(exc, errors.InsecureURL):
        return Check.INVALID_INPUT, _(
            "The API address must use https:// (plain http is only allowed on this computer)."
        )
    return Check.NOT_UNDERSTOOD, _(
        "The server's answer was not understood. Is {address} the VoordeMensen API address?"
    ).format(address=api_root)


async def check_connection(
    api_root: str,
    client_name: str,
    api_key: ApiKey | str | None,
    *,
    timeout: float = 8.0,
    transport=None,
) -> ConnectionReport:
    """Test the public and the peppered API of a venue; never raises for connection problems."""
    try:
        api_root = normalize_api_root(api_root)
        client_name = normalize_client_name(client_name)
    except ProfileError as exc:
        return ConnectionReport(Check.INVALID_INPUT, Check.NOT_TESTED, (str(exc),))
    if isinstance(api_key, str):
        try:
            api_key = ApiKey(api_key) if api_key.strip() else None
        except ValueError:
            return ConnectionReport(
                Check.NOT_TESTED, Check.INVALID_INPUT,
                (_("The API key contains characters that are not allowed. Paste it again."),),
            )

    messages: list[str] = []
    client = VdmClient(api_root=api_root, client_name=client_name, api_key=api_key,
                       timeout=timeout, retry=RetryPolicy.never(), transport=transport)
    try:
        try:
            await client.public.events(upcoming=True)
        except errors.NotFound:
            public = Check.UNKNOWN_CLIENT
            messages.append(_(
                "The server does not know the client name \u201c{client}\u201d. Check the spelling "
                "with VoordeMensen."
            ).format(client=client_name))
        except errors.VdmError as exc:
            public, text = _failure(exc, api_root, client_name)
            messages.append(text)
        else:
            public = Check.OK
            messages.append(_("The venue's events can be read."))

        if api_key is None:
            peppered = Check.NO_KEY
            messages.append(_("No API key given: the box office can sell, but without seat maps."))
        elif public in (Check.UNREACHABLE, Check.UNKNOWN_CLIENT, Check.INVALID_INPUT):
            peppered = Check.NOT_TESTED
        else:
            try:
                await client.peppered.halls()
            except errors.AuthError:
                peppered = Check.KEY_REFUSED
                messages.append(_(
                    "The API key was refused. Check that it belongs to this venue and was copied "
                    "completely."
                ))
            except errors.VdmError as exc:
                peppered, text = _failure(exc, api_root, client_name)
                if text not in messages:
                    messages.append(text)
            else:
                peppered = Check.OK
                messages.append(_("The API key was accepted: seat maps are available."))
        walk = None
        if public is Check.OK:
            walk = await _first_contact(client, api_root, client_name)
            if walk is not None:
                messages.extend(_walk_findings(walk))
    finally:
        await client.aclose()
    return ConnectionReport(public, peppered, tuple(messages), walk)


async def _first_contact(client: VdmClient, api_root: str, client_name: str) -> Any:
    from boxoffice.services.first_contact import first_contact

    try:
        return await first_contact(client, api_url=api_root, client_name=client_name,
                                   key_source="Settings")
    except Exception:  # noqa: BLE001 - the report is extra; the test itself has answered
        log.warning("first-contact walk failed", exc_info=True)
        return None


def _walk_findings(walk: Any) -> list[str]:
    """At most two plain sentences about the walk; the endpoints are in the details."""
    found: list[str] = []
    # a refused key is said above already; the walk adds what else could not be read
    problems = len([p for p in walk.failures if p.outcome.value != "refused"])
    if problems:
        found.append(_(
            "{count} of the venue's answers could not be read or are not offered. The box office "
            "may miss features; the details list them for support."
        ).format(count=problems))
    if walk.deviations:
        found.append(_(
            "The venue's server answers differently than expected in {count} places. The box "
            "office copes with this; the details list them for support."
        ).format(count=walk.deviations))
    elif not problems:
        found.append(_("Every answer the box office uses was read and understood."))
    return found


# The Settings dialog calls it "test connection". Keep pytest from collecting it as a test.
test_connection = check_connection
check_connection.__test__ = False  # type: ignore[attr-defined]
