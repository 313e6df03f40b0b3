"""First contact with a venue's API: read every GET endpoint the app uses and report each deviation.

Owns :func:`first_contact`, the walk behind ``python -m boxoffice check`` and the Settings
connection test. It is **read-only**: it never creates a cart, never writes (the order export is a
POST, but a read). Per endpoint it records what happened (:class:`Outcome`), and from the client's
:class:`~boxoffice.api.drift.DriftLog` what the server did differently from what the app expects:
unknown fields, values in another type, items left out, envelopes. A route that answers 404 where
no id is involved is *missing* (the venue's API does not offer it); a 404 for an id is reported as
such. A refused key (401/403) stops the key-protected part.

The report is meant to be sent to support by a venue's IT person: technical and in English, with
the server's texts sanitised (printable, bounded) and never containing the API key (every text
passes :func:`~boxoffice.api.secrets.redact_known`, and the rendered report once more).
"""
from __future__ import annotations

import enum
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from boxoffice.api import errors
from boxoffice.api.drift import DriftReport, EndpointDrift, endpoint_template
from boxoffice.api.secrets import redact_known
from boxoffice.domain.clock import VENUE_ZONE, utc_now
from boxoffice.services.messages import server_text

PUBLIC, PEPPERED = "public", "peppered"
#: How many performances are tried for a seating plan (general admission has none).
SEATING_TRIES = 3
#: The order list and export are read for changes since this long ago.
RECENT = timedelta(days=2)


class Outcome(str, enum.Enum):
    OK = "ok"
    MISSING = "missing"                # 404 on a route without ids: not offered by this API
    NOT_FOUND = "not_found"            # 404 for the id that was tried
    REFUSED = "refused"                # 401/403: the key was refused
    NOT_UNDERSTOOD = "not_understood"  # the answer could not be read
    FAILED = "failed"                  # unreachable, server error, busy, ...
    NOT_TRIED = "not_tried"

    @property
    def is_failure(self) -> bool:
        return self in (Outcome.MISSING, Outcome.REFUSED, Outcome.NOT_UNDERSTOOD, Outcome.FAILED)


@dataclass(frozen=True)
class Probe:
    """One endpoint read (or deliberately not read)."""

    group: str                  # PUBLIC or PEPPERED
    endpoint: str               # the endpoint template, e.g. "GET /tickettypes/{id}"
    outcome: Outcome
    detail: str = ""
    items: int | None = None
    drift: EndpointDrift | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"group": self.group, "endpoint": self.endpoint,
                               "outcome": self.outcome.value, "detail": self.detail}
        if self.items is not None:
            out["items"] = self.items
        if self.drift is not None and not self.drift.is_empty:
            out["drift"] = self.drift.as_dict()
        return out


@dataclass(frozen=True)
class FirstContactReport:
    api_url: str
    client: str
    key_given: bool
    key_source: str
    probes: tuple[Probe, ...]
    drift: DriftReport = field(default_factory=DriftReport)

    # ------------------------------------------------------------------ verdicts
    def _group(self, group: str) -> list[Probe]:
        return [p for p in self.probes if p.group == group]

    @property
    def public_ok(self) -> bool:
        probes = self._group(PUBLIC)
        return bool(probes) and probes[0].outcome is Outcome.OK and not any(
            p.outcome.is_failure for p in probes)

    @property
    def unknown_client(self) -> bool:
        probes = self._group(PUBLIC)
        return bool(probes) and probes[0].outcome in (Outcome.MISSING, Outcome.NOT_FOUND)

    @property
    def key_refused(self) -> bool:
        return any(p.outcome is Outcome.REFUSED for p in self._group(PEPPERED))

    @property
    def peppered_tried(self) -> bool:
        return any(p.outcome is not Outcome.NOT_TRIED for p in self._group(PEPPERED))

    @property
    def peppered_ok(self) -> bool:
        return self.peppered_tried and not any(p.outcome.is_failure for p in self._group(PEPPERED))

    @property
    def missing(self) -> list[str]:
        return [p.endpoint for p in self.probes if p.outcome is Outcome.MISSING]

    @property
    def failures(self) -> list[Probe]:
        return [p for p in self.probes if p.outcome.is_failure]

    @property
    def deviations(self) -> int:
        """How many (endpoint, deviation) findings the drift log holds."""
        count = 0
        for entry in self.drift.entries:
            count += len(entry.unknown_fields) + len(entry.coerced) + len(entry.notes)
            count += 1 if entry.skipped else 0
        return count

    @property
    def ok(self) -> bool:
        """Every endpoint that was tried could be read (deviations are tolerated; without a key
        the key-protected part is simply not tried)."""
        return not self.failures

    # ------------------------------------------------------------------ rendering
    def parts(self) -> dict[str, dict[str, Any]]:
        """The three headline findings: public access, the key, key-protected access."""
        first = next(iter(self._group(PUBLIC)), None)
        if self.public_ok:
            public = {"ok": True, "detail": "reachable, every public read understood"}
        elif self.unknown_client:
            public = {"ok": False, "detail": f"unknown client '{self.client}'"
                      + (f" ({first.detail})" if first and first.detail else "")}
        else:
            bad = [p for p in self._group(PUBLIC) if p.outcome.is_failure]
            public = {"ok": False, "detail": "; ".join(f"{p.endpoint}: {p.outcome.value}"
                                                       + (f" ({p.detail})" if p.detail else "")
                                                       for p in bad) or "not reachable"}
        if self.key_given:
            key = {"ok": True, "detail": f"from {self.key_source}"}
        else:
            key = {"ok": False, "detail": "no key given (set BOXOFFICE_API_KEY or save one in "
                                          "the app's settings); selling works without seat maps"}
        if not self.key_given:
            peppered = {"ok": False, "detail": "not tried: no key"}
        elif self.key_refused:
            refused = next(p for p in self._group(PEPPERED) if p.outcome is Outcome.REFUSED)
            peppered = {"ok": False, "detail": "key refused"
                        + (f" ({refused.detail})" if refused.detail else "")}
        elif not self.peppered_tried:
            peppered = {"ok": False, "detail": "not tried: public access failed"}
        elif self.peppered_ok:
            peppered = {"ok": True, "detail": "key accepted, every key-protected read understood"}
        else:
            bad = [p for p in self._group(PEPPERED) if p.outcome.is_failure]
            peppered = {"ok": False, "detail": "key accepted, but: " + "; ".join(
                f"{p.endpoint}: {p.outcome.value}" for p in bad)}
        return {"public": public, "key": key, "peppered": peppered}

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"api_url": self.api_url, "client": self.client}
        out.update(self.parts())
        out["ok"] = self.ok
        out["missing_endpoints"] = self.missing
        out["endpoints"] = [p.as_dict() for p in self.probes]
        out["drift"] = self.drift.as_dict()
        return _scrubbed(out)

    def to_json(self) -> str:
        return redact_known(json.dumps(self.as_dict(), ensure_ascii=False, indent=2))

    def lines(self) -> list[str]:
        parts = self.parts()
        out = [f"VoordeMensen first-contact check: {self.api_url}, client '{self.client}'", ""]
        for name in ("public", "key", "peppered"):
            part = parts[name]
            if part["ok"]:
                mark = "ok"
            elif not self.key_given and name in ("key", "peppered"):
                mark = "--"   # a limit, not a failure: no key was given
            else:
                mark = "FAIL"
            out.append(f"{name:<9} {mark:<4}  {part['detail']}")
        out += ["", "Endpoints read (read-only; nothing was written):"]
        for p in self.probes:
            what = p.outcome.value.replace("_", " ")
            extra = [] if p.items is None else [f"{p.items} item{'s' if p.items != 1 else ''}"]
            if p.detail:
                extra.append(p.detail)
            out.append(f"  {what:<14} {p.endpoint:<34} {'; '.join(extra)}".rstrip())
        out.append("")
        if self.drift.is_empty:
            out.append("Deviations from what the box office expects: none found.")
        else:
            out.append("Deviations from what the box office expects (it copes with these; "
                       "please send this report to support):")
            for entry in self.drift.entries:
                if entry.is_empty:
                    continue
                out.append(f"  {entry.endpoint}")
                if entry.unknown_fields:
                    out.append("    unknown fields (kept): " + ", ".join(entry.unknown_fields))
                for name, types in entry.coerced:
                    out.append(f"    {name} arrived as {', '.join(types)} (accepted)")
                if entry.skipped:
                    out.append(f"    {entry.skipped} item{'s' if entry.skipped != 1 else ''} "
                               "left out:")
                    for skip in entry.skips[:10]:
                        out.append(f"      [{skip.index}] {skip.reason}")
                for note in entry.notes:
                    out.append(f"    {note}")
        if self.missing:
            out.append("Not offered by this API (404 on the route): " + ", ".join(self.missing))
        out.append("")
        out.append("Result: " + ("OK" if self.ok else "PROBLEMS FOUND")
                   + ("" if self.key_given else " (public part only: no key given)"))
        return [redact_known(line) for line in out]

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return redact_known(value)
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    return value


def _describe(exc: errors.VdmError) -> str:
    """A short technical line for IT: status, the server's text, the field; never a key."""
    parts: list[str] = []
    status = getattr(exc, "status", None)
    if isinstance(status, int):
        parts.append(f"HTTP {status}")
    elif isinstance(exc, errors.TransportError):
        parts.append("no answer" if not isinstance(exc, errors.RequestTimeout) else "timed out")
    said = server_text(exc, 160)
    if said:
        parts.append(f"server: \u201c{said}\u201d")
    if isinstance(exc, errors.BadResponse):
        if exc.field:
            parts.append(f"field {exc.field}")
        if exc.detail:
            parts.append(exc.detail[:160])
    return redact_known("; ".join(parts))


def _count(value: Any) -> int | None:
    return len(value) if isinstance(value, (list, tuple)) else None


def _sub_events(events: list[Any]) -> list[Any]:
    subs = [sub for main in events or () for sub in getattr(main, "sub_events", None) or ()]
    on_sale = [s for s in subs if str(getattr(s, "event_status", "")) == "pub"]
    return on_sale + [s for s in subs if s not in on_sale]


async def first_contact(
    client: Any,
    *,
    api_url: str,
    client_name: str,
    key_source: str = "",
    now: datetime | None = None,
    seating_tries: int = SEATING_TRIES,
    cart_id: str | None = None,
) -> FirstContactReport:
    """Read every GET endpoint the box office uses (and the order export), never writing.

    ``client`` is a :class:`~boxoffice.api.client.VdmClient`; with an API key the key-protected
    endpoints are read too. ``cart_id``: an existing cart to read as well (public and, with a key,
    box-office view and summary); without one no cart is read, as none is ever made. Never raises
    for what the server does."""
    probes: list[Probe] = []
    now = now or utc_now()

    async def probe(group: str, endpoint: str, call: Callable[[], Awaitable[Any]], *,
                    has_id: bool) -> tuple[Outcome, Any]:
        try:
            result = await call()
        except (errors.AuthError, errors.NoApiKey) as exc:
            outcome, detail, result = Outcome.REFUSED, _describe(exc), None
        except errors.NotFound as exc:
            outcome = Outcome.NOT_FOUND if has_id else Outcome.MISSING
            detail, result = _describe(exc), None
        except errors.BadResponse as exc:
            outcome, detail, result = Outcome.NOT_UNDERSTOOD, _describe(exc), None
        except errors.VdmError as exc:
            outcome, detail, result = Outcome.FAILED, _describe(exc), None
        else:
            outcome, detail = Outcome.OK, ""
        probes.append(Probe(group, endpoint_template(endpoint), outcome, detail, _count(result)))
        return outcome, result

    def skip(group: str, endpoint: str, why: str) -> None:
        probes.append(Probe(group, endpoint_template(endpoint), Outcome.NOT_TRIED, why))

    pub, pep = client.public, client.peppered
    # ---------------------------------------------------------------- public
    outcome, events = await probe(PUBLIC, "GET /events", lambda: pub.events(upcoming=False),
                                  has_id=False)
    public_reachable = not (outcome is Outcome.MISSING or (
        outcome is Outcome.FAILED and probes[-1].detail.startswith(("no answer", "timed out"))))
    peppered_endpoints = ["GET /peppered/paymentmethods", "GET /peppered/hall",
                          "GET /peppered/event", "GET /peppered/event/{id}",
                          "GET /peppered/seating/{id}", "GET /peppered/order",
                          "POST /peppered/export/orders"]
    if not public_reachable:
        why = ("the client name is unknown" if outcome is Outcome.MISSING
               else "the server did not answer")
        for endpoint in ("GET /events/upcoming", "GET /events/{id}", "GET /tickettypes/{id}",
                         "GET /paymentmethods"):
            skip(PUBLIC, endpoint, why)
        for endpoint in peppered_endpoints:
            skip(PEPPERED, endpoint, why)
        return _finish(client, probes, api_url, client_name, key_source)

    _o, upcoming = await probe(PUBLIC, "GET /events/upcoming", lambda: pub.events(upcoming=True),
                               has_id=False)
    subs = _sub_events(upcoming or []) or _sub_events(events or [])
    sub_id = getattr(subs[0], "event_id", None) if subs else None
    if sub_id is None:
        for endpoint in ("GET /events/{id}", "GET /tickettypes/{id}"):
            skip(PUBLIC, endpoint, "no performance listed")
    else:
        await probe(PUBLIC, f"GET /events/{sub_id}", lambda: pub.event(sub_id), has_id=True)
        await probe(PUBLIC, f"GET /tickettypes/{sub_id}", lambda: pub.ticket_types(sub_id),
                    has_id=True)
    await probe(PUBLIC, "GET /paymentmethods", pub.payment_methods, has_id=False)
    if cart_id:
        await probe(PUBLIC, f"GET /cart/{cart_id}", lambda: pub.cart(cart_id), has_id=True)
    else:
        skip(PUBLIC, "GET /cart/{id}", "the check creates no cart (--cart ID reads one)")

    # ---------------------------------------------------------------- peppered (with a key)
    if not client.has_api_key:
        for endpoint in peppered_endpoints:
            skip(PEPPERED, endpoint, "no key given")
        return _finish(client, probes, api_url, client_name, key_source)

    outcome, _r = await probe(PEPPERED, "GET /peppered/paymentmethods", pep.payment_methods,
                              has_id=False)
    if outcome is Outcome.REFUSED:
        for endpoint in peppered_endpoints[1:]:
            skip(PEPPERED, endpoint, "the key was refused")
        return _finish(client, probes, api_url, client_name, key_source)
    await probe(PEPPERED, "GET /peppered/hall", pep.halls, has_id=False)
    today = now.astimezone(VENUE_ZONE).date()   # the venue's day, not the computer's
    _o, performances = await probe(PEPPERED, "GET /peppered/event",
                                   lambda: pep.events(start_date=today), has_id=False)
    candidates: list[Any] = []
    for perf in performances or []:
        eid = getattr(perf, "event_id", None)
        if eid is not None and getattr(perf, "hall_id", None) is not None:
            candidates.append(eid)
    for sub in subs:
        eid = getattr(sub, "event_id", None)
        if eid is not None and eid not in candidates:
            candidates.append(eid)
    if not candidates:
        skip(PEPPERED, "GET /peppered/event/{id}", "no performance listed")
        skip(PEPPERED, "GET /peppered/seating/{id}", "no performance listed")
    else:
        first = candidates[0]
        await probe(PEPPERED, f"GET /peppered/event/{first}", lambda: pep.event(first),
                    has_id=True)
        await _seating(probe, probes, pep, candidates[:max(1, seating_tries)])
    since = now - RECENT
    await probe(PEPPERED, "GET /peppered/order", lambda: pep.orders(changed_since=since),
                has_id=False)
    await probe(PEPPERED, "POST /peppered/export/orders",
                lambda: pep.export_orders(changed_since=since), has_id=False)
    if cart_id:
        await probe(PEPPERED, f"GET /peppered/cart/{cart_id}", lambda: pep.cart(cart_id),
                    has_id=True)
        await probe(PEPPERED, f"GET /peppered/cart/{cart_id}/summary",
                    lambda: pep.cart_summary(cart_id), has_id=True)
    else:
        skip(PEPPERED, "GET /peppered/cart/{id}", "the check creates no cart")
        skip(PEPPERED, "GET /peppered/cart/{id}/summary", "the check creates no cart")
    return _finish(client, probes, api_url, client_name, key_source)


async def _seating(probe: Any, probes: list[Probe], pep: Any, candidates: list[Any]) -> None:
    """Seating plans of up to a few performances: general admission has none (404), so one
    plan read is enough; only the last answer stays in the report."""
    tried: list[str] = []
    for eid in candidates:
        outcome, _plan = await probe(PEPPERED, f"GET /peppered/seating/{eid}",
                                     lambda eid=eid: pep.seating(eid), has_id=True)
        last = probes.pop()
        tried.append(str(eid))
        if outcome is not Outcome.NOT_FOUND:
            probes.append(last)
            return
    probes.append(Probe(last.group, last.endpoint, Outcome.NOT_FOUND,
                        f"no seating plan for performance(s) {', '.join(tried)}: general "
                        "admission, or this API does not offer seat maps"
                        + (f" ({last.detail})" if last.detail else "")))


def _finish(client: Any, probes: list[Probe], api_url: str, client_name: str,
            key_source: str) -> FirstContactReport:
    drift_log = getattr(client, "drift", None)
    drift = drift_log.snapshot() if drift_log is not None else DriftReport()
    with_drift = tuple(
        Probe(p.group, p.endpoint, p.outcome, p.detail, p.items, drift.get(p.endpoint))
        for p in probes)
    return FirstContactReport(api_url=api_url, client=client_name,
                              key_given=bool(getattr(client, "has_api_key", False)),
                              key_source=key_source, probes=with_drift, drift=drift)
