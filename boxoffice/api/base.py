"""The HTTP layer under both resource groups: one shared httpx.AsyncClient, error mapping,
retries for reads, JSON/DTO parsing with precise BadResponse errors, safe logging.

Owns: URL building (every path segment quoted), the Authorization header (peppered only, raw key,
never logged), mapping httpx exceptions and HTTP statuses onto ``errors``, and the retry loop for
read-only requests. State-changing requests go through :meth:`BaseClient.send` exactly once.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, Mapping
from urllib.parse import quote

import httpx
import pydantic

from boxoffice.domain.clock import monotonic, utc_now

from . import errors, jsonio
from .drift import DriftLog
from .models import _types
from .retry import RetryPolicy, is_retryable, parse_retry_after
from .secrets import ApiKey, redact
from .urls import check_secure_url

log = logging.getLogger("boxoffice.api")

DEFAULT_TIMEOUT = 10.0
DEFAULT_CONNECT_TIMEOUT = 5.0
PEPPERED = "/peppered"
#: how far (s) our estimate of the server clock may run ahead of its Date header before we
#: take the header again (it was stamped before we read it, so some lead is normal)
SERVER_CLOCK_SLACK = 5.0
#: a Date header outside these years is not taken for the server's clock (a broken or hostile
#: header; 9999-12-31 would overflow the clock's arithmetic)
PLAUSIBLE_SERVER_YEARS = (2000, 2999)

# httpx exceptions raised before any byte of the request can have reached the server.
_NOT_SENT = (
    httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol,
    httpx.LocalProtocolError, httpx.ProxyError,
)


def seg(value: object) -> str:
    """One URL path segment, fully quoted (no ``/`` or ``..`` tricks through ids)."""
    text = str(value)
    if text in ("", ".", ".."):
        raise ValueError(f"invalid path segment {text!r}")
    return quote(text, safe="")


async def _close_quietly(response: httpx.Response) -> None:
    try:
        await response.aclose()
    except Exception:  # noqa: BLE001 - closing a broken stream must not hide the answer
        pass


@dataclass(frozen=True)
class Reply:
    status: int
    data: Any
    headers: httpx.Headers


@lru_cache(maxsize=None)
def _adapter(tp: Any) -> pydantic.TypeAdapter:
    return pydantic.TypeAdapter(tp)


def _loc_text(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _error_text(err: Mapping[str, Any]) -> str:
    msg = str(err.get("msg", "invalid"))
    if msg.startswith("Value error, "):
        return msg[len("Value error, "):]
    if err.get("type") == "missing":
        return "missing"
    value = err.get("input")
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{msg} (got {shown})"


def bad_response(endpoint: str, exc: pydantic.ValidationError, prefix: tuple = (),
                 *, ambiguous: bool = False) -> errors.BadResponse:
    first = exc.errors(include_url=False)[0]
    field = _loc_text(tuple(prefix) + tuple(first.get("loc", ())))
    detail = _error_text(first)
    more = exc.error_count() - 1
    if more:
        detail += f" (+{more} more)"
    return errors.BadResponse(detail, endpoint=endpoint, field=field or None, ambiguous=ambiguous)


def validate(endpoint: str, tp: Any, data: Any, prefix: tuple = (), *, ambiguous: bool = False,
             drift: DriftLog | None = None) -> Any:
    """Validate ``data`` as ``tp``; BadResponse naming endpoint and field on failure.

    With ``drift`` (the client's :class:`DriftLog`), what was read tolerantly is recorded there:
    unknown fields (kept on the models), values accepted in another JSON type, list items left
    out (see ``models._types.items_of``) and undocumented values."""
    if drift is None:
        try:
            return _adapter(tp).validate_python(data)
        except pydantic.ValidationError as exc:
            raise bad_response(endpoint, exc, prefix, ambiguous=ambiguous) from None
        except _types.SecretEcho:
            raise _secret_echo(endpoint, ambiguous) from None
    events, token = _types.start_recording()
    try:
        value = _adapter(tp).validate_python(data)
        record_unknown_fields(drift, endpoint, value, _loc_text(tuple(prefix)))
    except pydantic.ValidationError as exc:
        raise bad_response(endpoint, exc, prefix, ambiguous=ambiguous) from None
    except _types.SecretEcho:
        raise _secret_echo(endpoint, ambiguous) from None
    finally:
        _types.stop_recording(token)
    _report(drift, endpoint, prefix, events)
    return value


def _secret_echo(endpoint: str, ambiguous: bool) -> errors.BadResponse:
    """The answer holds the API key: refused as a whole (never left out item by item, never
    kept), and the error says so without quoting it."""
    exc = errors.BadResponse("the answer holds the API key", endpoint=endpoint, ambiguous=ambiguous)
    exc.secret_echo = True
    return exc


def _report(drift: DriftLog, endpoint: str, prefix: tuple, events: list) -> None:
    where = _loc_text(tuple(prefix))
    for kind, *args in events:
        if kind == "coerced":
            drift.record_coerced(endpoint, args[0], args[1])
        elif kind == "skipped":
            drift.record_skipped(endpoint, f"{where}.{args[0]}" if where else args[0], args[1])
        elif kind == "note":
            drift.record_note(endpoint, args[0])


def _containers(cls: type[pydantic.BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, wire name) of the fields of a model class that may hold models (computed once
    per class): the only ones :func:`record_unknown_fields` needs to look into."""
    found = _CONTAINERS.get(cls)
    if found is None:
        def holds_model(tp: Any) -> bool:
            if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
                return True
            return any(holds_model(arg) for arg in getattr(tp, "__args__", ()) or ()
                       if arg is not tp) or any(
                holds_model(m) for m in getattr(tp, "__metadata__", ()) if isinstance(m, type))
        found = tuple((attr, info.alias or attr) for attr, info in cls.model_fields.items()
                      if holds_model(info.annotation))
        _CONTAINERS[cls] = found
    return found


_CONTAINERS: dict[type, tuple[tuple[str, str], ...]] = {}


def record_unknown_fields(drift: DriftLog, endpoint: str, value: Any, where: str = "") -> None:
    """Record every unknown field kept on ``value`` (a model, or a list of models, nested),
    named by its path with list indexes left out (``sub_events[].event_colour``). A kept value
    holding the API key raises ``SecretEcho`` (it must never be kept)."""
    seen: set[str] = set()

    def extras(obj: pydantic.BaseModel, path: str) -> None:
        for key, kept in (obj.__pydantic_extra__ or {}).items():    # callers check it is set
            if _types.holds_secret(key) or _types.holds_secret(kept):
                raise _types.SecretEcho()    # never kept (it would reach the cache)
            name = f"{path}{key}"
            if name not in seen:
                seen.add(name)
                drift.record_unknown(endpoint, name)

    def walk(obj: Any, path: str) -> None:
        if isinstance(obj, list):
            items = [item for item in obj if isinstance(item, pydantic.BaseModel)]
            if not items:
                return
            for item in items:
                if item.__pydantic_extra__:
                    extras(item, path)
            nested = _containers(type(items[0]))
            if nested:
                for item in items:
                    for attr, wire in _containers(type(item)):
                        child = getattr(item, attr, None)
                        if child is not None:
                            walk(child, f"{path}{wire}" + ("[]." if isinstance(child, list) else "."))
            return
        if isinstance(obj, pydantic.BaseModel):
            if obj.__pydantic_extra__:
                extras(obj, path)
            for attr, wire in _containers(type(obj)):
                child = getattr(obj, attr, None)
                if child is not None:
                    walk(child, f"{path}{wire}" + ("[]." if isinstance(child, list) else "."))

    walk(value, "")


class ItemList(list):
    """A list read item by item; ``skipped``: how many items of the answer were left out."""

    skipped: int = 0


def validate_items(endpoint: str, tp: Any, data: Any, *, drift: DriftLog | None = None,
                   ambiguous: bool = False) -> ItemList:
    """Each element of the JSON array ``data`` validated as ``tp`` on its own: an element that
    cannot be understood is left out, counted (``.skipped``) and recorded on ``drift`` with its
    index and the field that failed; the others are kept (vdm-api.md §9.13)."""
    if not isinstance(data, list):
        raise errors.BadResponse(f"expected an array, got {_types._json_type(data)}",
                                 endpoint=endpoint, ambiguous=ambiguous)
    out = ItemList()
    for i, item in enumerate(data):
        try:
            out.append(validate(endpoint, tp, item, (i,), ambiguous=ambiguous, drift=drift))
        except errors.BadResponse as exc:
            if getattr(exc, "secret_echo", False):
                raise
            out.skipped += 1
            reason = f"{exc.field}: {exc.detail}" if exc.field else exc.detail
            if drift is not None:
                drift.record_skipped(endpoint, i, reason)
            else:
                log.warning("%s: item [%d] left out: %s", endpoint, i, reason)
    return out


def expect_array(endpoint: str, data: Any, *, drift: DriftLog | None = None,
                 empty_ok: bool = True, ambiguous: bool = False) -> list:
    """The JSON array a list endpoint documents. ``{"data": [...]}`` (the peppered resource
    wrapper, its only key) is unwrapped, as ``peppered._unwrap`` does, and noted on ``drift``;
    any other object (a paginated ``{"data", "links", "meta"}``, an error object ...) is a
    BadResponse saying which envelope came, never an empty list. An empty body is an empty list
    (``empty_ok``)."""
    if data is None and empty_ok:
        return []
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and set(data) == {"data"} and isinstance(data["data"], list):
        if drift is not None:
            drift.record_note(endpoint, 'the array came wrapped in {"data": [...]} (unwrapped)')
        return data["data"]
    if isinstance(data, dict):
        keys = ", ".join(sorted(str(k) for k in data)[:6])
        raise errors.BadResponse(
            f"expected an array, got an object with keys {{{keys}}}", endpoint=endpoint,
            ambiguous=ambiguous)
    raise errors.BadResponse(f"expected an array, got {_types._json_type(data)}",
                             endpoint=endpoint, ambiguous=ambiguous)


class BaseClient:
    """Shared by ``client.public`` and ``client.peppered``; use via :class:`VdmClient`."""

    def __init__(
        self,
        api_root: str,
        client_name: str,
        api_key: ApiKey | str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        check_secure_url(api_root)
        if not client_name or "/" in client_name or client_name in (".", ".."):
            raise ValueError(f"invalid client name {client_name!r}")
        self.api_root = api_root.rstrip("/")
        self.client_name = client_name
        self.api_key = ApiKey(api_key) if isinstance(api_key, str) else api_key
        self.retry = retry or RetryPolicy()
        self.base_url = f"{self.api_root}/{seg(client_name)}"
        #: the server's clock as last read (its Date header) and the monotonic time then
        self._server_anchor: tuple[datetime, float] | None = None
        #: Deviations of the server's answers from what the client expects (see ``drift``).
        self.drift = DriftLog()
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(connect_timeout, timeout)),
            transport=transport,
            follow_redirects=False,  # a redirect could carry the key elsewhere
            trust_env=False,         # no proxies from the environment
            headers={"Accept": "application/json", "User-Agent": "vdm-boxoffice"},
        )

    # ------------------------------------------------------------------ lifecycle
    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    @property
    def has_api_key(self) -> bool:
        return self.api_key is not None

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def endpoint(method: str, path: str) -> str:
        return f"{method} {path}"

    def _scrub(self, text: str | None) -> str | None:
        return None if text is None else redact(text, self.api_key)

    def _headers(self, endpoint: str, path: str, has_body: bool) -> dict[str, str]:
        headers: dict[str, str] = {}
        if path.startswith(PEPPERED + "/") or path == PEPPERED:
            if self.api_key is None:
                raise errors.NoApiKey("peppered call without an API key", endpoint=endpoint)
            headers["Authorization"] = self.api_key.reveal()
        if has_body:
            headers["Content-Type"] = "application/json"
        return headers

    # ------------------------------------------------------------------ one attempt
    async def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        raw: bool = False,
    ) -> Reply:
        """Send one request, exactly once. Maps every failure onto ``errors``. ``raw``: a 2xx
        answer's body is handed over undecoded, as the list of pieces it came in (a large
        export is read off the loop)."""
        endpoint = self.endpoint(method, path)
        has_body = json is not None
        headers = self._headers(endpoint, path, has_body)  # NoApiKey before any network
        content = jsonio.dumps(json) if has_body else None
        url = self.base_url + path
        write = method not in ("GET", "HEAD")
        started = time.perf_counter()
        try:
            request = self._http.build_request(
                method, url, content=content, params=params, headers=headers)
            response = await self._http.send(request, stream=True)
        except Exception as exc:
            raise self._transport_error(exc, method, path, started, write,
                                        sent=False) from None
        parts: list[bytes] = []
        try:
            if raw:   # (kept in pieces: joining 100 MB would hold the event loop)
                parts = [part async for part in response.aiter_bytes()]
                body = b"" if 200 <= response.status_code < 300 else b"".join(parts)
            else:
                body = await response.aread()
        except Exception as exc:
            if isinstance(exc, httpx.DecodingError):
                # The server answered (its status is known) but the body cannot be decoded
                # (e.g. "Content-Encoding: gzip" over a body that is not gzip).
                self._log_failure(method, path, started, type(exc).__name__)
                self._note_server_date(response.headers.get("Date"))
                status = response.status_code
                if 200 <= status < 300:
                    raise errors.BadResponse(
                        f"HTTP {status} with a body that cannot be decoded ({type(exc).__name__})",
                        endpoint=endpoint, ambiguous=write) from None
                raise self._status_error(endpoint, response, b"", write) from None
            raise self._transport_error(exc, method, path, started, write, sent=True) from None
        finally:
            await _close_quietly(response)
        elapsed_ms = (time.perf_counter() - started) * 1000
        self._note_server_date(response.headers.get("Date"))
        status = response.status_code
        log.debug("%s %s -> %s in %.0f ms", method, path, status, elapsed_ms)
        if 200 <= status < 300:
            if raw:
                return Reply(status, parts, response.headers)
            return Reply(status, self._decode(endpoint, body, ambiguous=write), response.headers)
        raise self._status_error(endpoint, response, body, write)

    def _transport_error(self, exc: BaseException, method: str, path: str, started: float,
                         write: bool, *, sent: bool) -> errors.VdmError:
        """The typed client error for a request that got no usable answer. Every httpx failure
        (and anything else the transport raises) becomes one: callers never see httpx.
        ``sent``: the request had been sent completely (the failure came while reading the
        answer). Cancellation (a BaseException) is never caught, so it passes unchanged."""
        endpoint = self.endpoint(method, path)
        name = type(exc).__name__
        self._log_failure(method, path, started, name)
        not_sent = not sent and isinstance(exc, _NOT_SENT)
        ambiguous = write and not not_sent
        if isinstance(exc, httpx.TimeoutException):
            return errors.RequestTimeout(f"timed out ({name})", endpoint=endpoint,
                                         ambiguous=ambiguous)
        if isinstance(exc, httpx.DecodingError):
            return errors.BadResponse(f"an answer that cannot be decoded ({name})",
                                      endpoint=endpoint, ambiguous=write)
        if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)) and not sent:
            return errors.ConnectionFailed(f"request not sent ({name})", endpoint=endpoint)
        if not isinstance(exc, (httpx.HTTPError, httpx.StreamError, OSError)):
            log.warning("%s %s: unexpected failure in the transport (%s)", method, path, name,
                        exc_info=(type(exc), exc, exc.__traceback__))
        return errors.ConnectionFailed(f"connection failed ({name})", endpoint=endpoint,
                                       ambiguous=ambiguous)

    def _note_server_date(self, value: str | None) -> None:
        if not value:
            return
        try:
            server = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return
        if server is None:
            return
        if server.tzinfo is None:
            server = server.replace(tzinfo=timezone.utc)
        if not PLAUSIBLE_SERVER_YEARS[0] <= server.year <= PLAUSIBLE_SERVER_YEARS[1]:
            # "Fri, 31 Dec 9999 23:59:59 GMT" parses, but no arithmetic on it does (the fuzz
            # test's answer raised OverflowError out of the request); such a header is no clock
            return
        self._anchor_server_clock(server)

    def _anchor_server_clock(self, server: datetime) -> None:
        """Keep the server's clock as (its time, our monotonic time then). The header has 1 s
        resolution and was stamped before we read it: the server's time is at least ``server``.
        The estimate moves forward to it when it lagged, and back only when it ran more than
        :data:`SERVER_CLOCK_SLACK` seconds ahead (the server's clock was set back); so the
        countdown does not flicker with the header's truncation, and our wall clock never enters."""
        mono = monotonic()
        anchor = self._server_anchor
        if anchor is not None:
            estimate = anchor[0] + timedelta(seconds=mono - anchor[1])
            if server <= estimate <= server + timedelta(seconds=SERVER_CLOCK_SLACK):
                return
        self._server_anchor = (server, mono)

    def server_now(self) -> datetime:
        """Our best idea of the server's clock: its last Date header plus the monotonic time
        since (a jump of our wall clock changes nothing); before any answer, our wall clock."""
        anchor = self._server_anchor
        if anchor is None:
            return utc_now()
        return anchor[0] + timedelta(seconds=monotonic() - anchor[1])

    def _log_failure(self, method: str, path: str, started: float, what: str) -> None:
        log.info(
            "%s %s -> %s after %.0f ms", method, path, what, (time.perf_counter() - started) * 1000
        )

    def _decode(self, endpoint: str, body: bytes, *, ambiguous: bool) -> Any:
        if not body.strip():
            return None
        try:
            return jsonio.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            detail = str(exc)[:80]
            raise errors.BadResponse(
                f"invalid JSON ({detail})", endpoint=endpoint, ambiguous=ambiguous
            ) from None

    def _status_error(
        self, endpoint: str, response: httpx.Response, body: bytes, write: bool
    ) -> errors.StatusError:
        status = response.status_code
        message: str | None = None
        field_errors: Any = None
        try:
            data = jsonio.loads(body) if body.strip() else None
        except (ValueError, UnicodeDecodeError):
            data = None
        if isinstance(data, dict):
            if isinstance(data.get("message"), str):
                message = self._scrub(data["message"])
            field_errors = data.get("errors")
        cls = errors.status_error_class(status)
        detail = f"HTTP {status} {response.reason_phrase}".rstrip()
        return cls(
            detail, status=status, endpoint=endpoint, message=message, errors=field_errors,
            ambiguous=write and status >= 500,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )

    # ------------------------------------------------------------------ reads with retries
    async def read(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        retry: RetryPolicy | None = None,
        raw: bool = False,
    ) -> Reply:
        """A request without side effects (GET, or a read-only POST), retried per the policy."""
        policy = retry or self.retry
        waited = 0.0
        attempt = 1
        while True:
            try:
                return await self.send(method, path, json=json, params=params, raw=raw)
            except errors.VdmError as exc:
                if not is_retryable(exc) or attempt >= policy.max_attempts:
                    raise
                delay = policy.delay_for(exc, attempt)
                if waited + delay > policy.max_total_delay:
                    log.info("%s %s: giving up retrying (total delay bound)", method, path)
                    raise
                log.warning(
                    "%s %s: attempt %d failed (%s); retrying in %.2f s",
                    method, path, attempt, type(exc).__name__, delay,
                )
                await policy.pause(delay)
                waited += delay
                attempt += 1
