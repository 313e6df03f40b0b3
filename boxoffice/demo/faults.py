"""Fault knobs: latency, random failure rates (seeded) and deterministic one-shot injections.

Fault kinds (what the server in server.py does with a request that draws one):

* ``5xx`` / ``429``: canned answer, nothing applied; ``5xx_after``: applied, then a 500.
* ``drop_before``: the connection is closed without applying the request.
* ``drop_after``: the request is applied, then the connection is closed without an answer.
* ``malformed``: applied; 200 with a truncated JSON body.
* ``bad_encoding``: applied; 200 whose header says ``Content-Encoding: gzip`` over a body that is
  not gzip (the client cannot decode it: httpx raises DecodingError).
* ``timeout``: applied at once; the answer is held ``timeout_seconds`` (past the client's timeout).
* ``late_apply``: the request is *queued*: the connection stalls without ever answering (the
  client times out, or sees the connection close) and the request is applied only later, namely
  after ``late_apply_seconds`` (default 1.5 s) or, if sooner, just before the next request with
  the same method and path is handled (a server that works through one resource's requests in
  arrival order: the queued request goes first). So a client that reads back before that sees
  "not applied", and its verified resend lands *after* the late first attempt, deterministically:
  the race where a write is applied later than the read-back. Once applied, the connection is
  closed without an answer; the request log records ``late_apply`` at that moment.

Drift (issue 15): not a fault of one request but a way of answering, as an independent server
built from the documentation might: ``set(drift=[...])`` (or ``{"drift": [...]}`` to
``POST /v1/_sim/faults``) turns on any of :data:`DRIFT_VARIANTS`; every API answer is then
rewritten by :func:`drift_response`, and requests carrying drifted ids are mapped back by
:func:`undrift_request`, so that the sale still works end to end. ``clear()`` turns drift off.
"""
from __future__ import annotations

import fnmatch
import json
import random
import re
import threading
from dataclasses import dataclass, replace
from typing import Any

from . import behaviour as B

KINDS = ("5xx", "429", "drop_before", "drop_after", "malformed", "timeout", "5xx_after",
         "late_apply", "bad_encoding")
# Rate knob -> fault kind, in the order the random draw checks them.
_RATES = (
    ("drop_before_rate", "drop_before"), ("error_rate", "5xx"), ("rate_limit_rate", "429"),
    ("drop_after_rate", "drop_after"), ("malformed_rate", "malformed"),
    ("timeout_rate", "timeout"), ("late_apply_rate", "late_apply"),
)
_SETTABLE = ({"latency_ms", "jitter_ms", "retry_after", "timeout_seconds", "late_apply_seconds"}
             | {r for r, _ in _RATES})
#: "late_apply": a queued request is applied this long after it arrived (unless a later request
#: with the same method and path comes first). Settable via ``set(late_apply_seconds=...)``.
LATE_APPLY_SECONDS = 1.5


@dataclass
class _Injection:
    kind: str
    method: str | None
    path: str | None
    count: int

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.path is None:
            return True
        if any(c in self.path for c in "*?["):
            return fnmatch.fnmatchcase(path, self.path)
        return path == self.path or path.endswith(self.path)


@dataclass(frozen=True)
class Decision:
    kind: str | None
    delay: float  # seconds of latency before handling


#: Drift variants (see :func:`drift_response`).
DRIFT_VARIANTS = (
    "string_ids",         # every integer id as text ("95")
    "int_seat_ids",       # seat / cart item ids as JSON integers (mapped back on requests)
    "lettered_rows",      # row numbers as letters: seating rowNr 1 -> "A", cart seat_row_nr "A"
    "labelled_seats",     # seat numbers as labels: seatNr 5 -> "5a", cart seat_nr "5a"
    "numeric_cart_rows",  # public cart seat_row_nr / seat_nr as JSON numbers
    "null_event_free",    # the first performance of an event list: event_free null
    "no_event_status",    # the second performance of an event list: no event_status
    "text_event_type",    # event_type as one text instead of an array
    "bad_date",           # the third performance of an event list: event_date "soon"
    "wrapped_lists",      # every array a GET answers wrapped as {"data": [...]}
    "extra_fields",       # an undocumented field on every object
    "empty_seating",      # seating plans without sections (general admission)
    "unreadable_ticket_type",      # the first ticket type of each answer: no discount_id
    "unreadable_payment_method",   # the first payment method: a fee that is not an amount
    "unreadable_seat",             # the first seat of each seating plan: no seatId
)


class FaultSettings:
    """Thread-safe fault configuration consulted once per API request.

    ``inject(kind, method=None, path=None, count=1)`` queues deterministic one-shot faults: the
    next ``count`` requests matching ``method`` (e.g. "POST") and ``path`` get ``kind``. ``path``
    matches the request path (without query) exactly, as a suffix (so "/order/create" matches
    "/v1/demo/order/create"), or as a glob when it contains * ? or [.
    """

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(f"faults:{seed}")
        self._injections: list[_Injection] = []
        self.latency_ms = 0.0
        self.jitter_ms = 0.0
        self.retry_after = B.RETRY_AFTER_SECONDS
        self.timeout_seconds = B.FAULT_TIMEOUT_SECONDS
        self.error_rate = self.rate_limit_rate = self.drop_before_rate = 0.0
        self.drop_after_rate = self.malformed_rate = self.timeout_rate = 0.0
        self.late_apply_rate = 0.0
        self.late_apply_seconds = LATE_APPLY_SECONDS
        self.drift: frozenset[str] = frozenset()

    def set(self, **knobs: Any) -> FaultSettings:
        if "drift" in knobs:
            variants = knobs.pop("drift")
            if isinstance(variants, str):
                variants = [variants]
            if not isinstance(variants, (list, tuple, set, frozenset)):
                raise ValueError("drift: a list of variants is required")
            unknown_variants = set(variants) - set(DRIFT_VARIANTS)
            if unknown_variants:
                raise ValueError(f"unknown drift variant(s): {sorted(unknown_variants)}; "
                                 f"variants: {DRIFT_VARIANTS}")
            with self._lock:
                self.drift = frozenset(variants)
        unknown = set(knobs) - _SETTABLE
        if unknown:
            raise ValueError(f"unknown fault setting(s): {sorted(unknown)}")
        with self._lock:
            for name, value in knobs.items():
                value = float(value)
                if value < 0 or (name.endswith("_rate") and value > 1):
                    raise ValueError(f"{name} out of range: {value}")
                setattr(self, name, int(value) if name == "retry_after" else value)
        return self

    def inject(self, kind: str, method: str | None = None, path: str | None = None,
               count: int = 1) -> FaultSettings:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; kinds: {KINDS}")
        if count < 1:
            raise ValueError("count must be >= 1")
        with self._lock:
            self._injections.append(
                _Injection(kind, method.upper() if method else None, path, int(count)))
        return self

    def clear(self) -> FaultSettings:
        with self._lock:
            self._injections.clear()
            self.latency_ms = self.jitter_ms = 0.0
            self.error_rate = self.rate_limit_rate = self.drop_before_rate = 0.0
            self.drop_after_rate = self.malformed_rate = self.timeout_rate = 0.0
            self.late_apply_rate = 0.0
            self.late_apply_seconds = LATE_APPLY_SECONDS
            self.retry_after = B.RETRY_AFTER_SECONDS
            self.timeout_seconds = B.FAULT_TIMEOUT_SECONDS
            self.drift = frozenset()
        return self

    def drift_variants(self) -> frozenset[str]:
        with self._lock:
            return self.drift

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [vars(i).copy() for i in self._injections]

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            out: dict[str, Any] = {name: getattr(self, name) for name in sorted(_SETTABLE)}
            out["pending"] = [vars(i).copy() for i in self._injections]
            out["drift"] = sorted(self.drift)
        return out

    def decide(self, method: str, path: str) -> Decision:
        with self._lock:
            delay = self.latency_ms / 1000.0
            if self.jitter_ms:
                delay += self._rng.uniform(0, self.jitter_ms) / 1000.0
            for inj in self._injections:
                if inj.matches(method, path):
                    inj.count -= 1
                    if inj.count <= 0:
                        self._injections.remove(inj)
                    return Decision(inj.kind, delay)
            if any(getattr(self, r) for r, _ in _RATES):
                u = self._rng.random()
                acc = 0.0
                for rate, kind in _RATES:
                    acc += getattr(self, rate)
                    if u < acc:
                        return Decision(kind, delay)
            return Decision(None, delay)


# --------------------------------------------------------------------------- drift
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B62_ID = re.compile(r"[0-9A-Za-z]{10}")
_INT_ID_KEYS = frozenset({
    "event_id", "event_main_id", "location_id", "payment_id", "eventId", "productionId",
    "hallId", "sectionId", "rankId", "orderId", "customerId", "paymentMethodId",
})
_SEAT_ID_KEYS = frozenset({"seatId", "itemId", "seat_id"})
_SEAT_PATH = re.compile(r"(/cart/[^/]+/)([0-9]+)/?$")


def _seat_int(seat_id: str) -> int:
    n = 0
    for ch in seat_id:
        n = n * 62 + _B62.index(ch)
    return n


def _seat_text(number: int) -> str:
    out = []
    for _ in range(10):
        number, r = divmod(number, 62)
        out.append(_B62[r])
    return "".join(reversed(out))


def _letters(n: int) -> str:
    """1 -> "A", 26 -> "Z", 27 -> "AA"."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def _walk(data: Any, fn) -> Any:
    if isinstance(data, list):
        return [_walk(v, fn) for v in data]
    if isinstance(data, dict):
        return fn({k: _walk(v, fn) for k, v in data.items()})
    return data


def drift_payload(variants: frozenset[str], method: str, path: str, data: Any) -> Any:
    """``data`` (an API answer) as a server with these drift variants would send it."""
    if "empty_seating" in variants and "/peppered/seating/" in path and isinstance(data, dict):
        data = {**data, "sections": []}
    if {"null_event_free", "no_event_status", "bad_date"} & variants and re.search(r"/events", path):
        subs = [s for e in (data if isinstance(data, list) else []) if isinstance(e, dict)
                for s in (e.get("sub_events") or []) if isinstance(s, dict)]
        if "null_event_free" in variants and len(subs) > 0:
            subs[0]["event_free"] = None
        if "no_event_status" in variants and len(subs) > 1:
            subs[1].pop("event_status", None)
        if "bad_date" in variants and len(subs) > 2:
            subs[2]["event_date"] = "soon"
    if "unreadable_ticket_type" in variants and "/tickettypes/" in path \
            and isinstance(data, list) and data and isinstance(data[0], dict):
        data = [{k: v for k, v in data[0].items() if k != "discount_id"}, *data[1:]]
    if "unreadable_payment_method" in variants and path.endswith("/paymentmethods") \
            and isinstance(data, list) and data and isinstance(data[0], dict):
        data = [{**data[0], "payment_cost": "ask at the desk"}, *data[1:]]
    if "unreadable_seat" in variants and "/peppered/seating/" in path and isinstance(data, dict):
        data = json.loads(json.dumps(data))
        first = next((seat for sec in data.get("sections") or [] for row in sec.get("rows") or []
                      for seat in row.get("seats") or []), None)
        if isinstance(first, dict):
            first.pop("seatId", None)
    is_cart = bool(re.search(r"/cart/[^/]+/?$", path)) and "/peppered/" not in path

    def one(obj: dict) -> dict:
        out = dict(obj)
        for key, value in obj.items():
            if "string_ids" in variants and key in _INT_ID_KEYS and type(value) is int:
                out[key] = str(value)
            elif "int_seat_ids" in variants and key in _SEAT_ID_KEYS and isinstance(value, str) \
                    and _B62_ID.fullmatch(value):
                out[key] = _seat_int(value)
            elif "lettered_rows" in variants and key == "rowNr" and type(value) is int and value > 0:
                out[key] = _letters(value)
            elif "lettered_rows" in variants and key == "seat_row_nr" and isinstance(value, str) \
                    and value.isdigit() and int(value) > 0:
                out[key] = _letters(int(value))
            elif "labelled_seats" in variants and key == "seatNr" and type(value) is int and value > 0:
                out[key] = f"{value}a"
            elif "labelled_seats" in variants and key == "seat_nr" and isinstance(value, str) \
                    and value.isdigit() and int(value) > 0:
                out[key] = f"{value}a"
            elif "text_event_type" in variants and key in ("event_type", "eventType") \
                    and isinstance(value, list) and value:
                out[key] = str(value[0])
        if "numeric_cart_rows" in variants and is_cart:
            for key in ("seat_row_nr", "seat_nr"):
                if isinstance(out.get(key), str) and out[key].isdigit():
                    out[key] = int(out[key])
        if "extra_fields" in variants:
            out["x_drift_note"] = "an undocumented field"
        return out

    if variants & {"string_ids", "int_seat_ids", "lettered_rows", "labelled_seats",
                   "text_event_type", "numeric_cart_rows", "extra_fields"}:
        data = _walk(data, one)
    if "wrapped_lists" in variants and method == "GET" and isinstance(data, list):
        data = {"data": data}
    return data


def drift_response(variants: frozenset[str], method: str, path: str, response: Any) -> Any:
    """The simulator's JSON ``response`` (server.HttpResponse) rewritten per the variants."""
    if not variants or response.content_type != "application/json" or not response.body:
        return response
    if not 200 <= response.status < 300:
        return response
    try:
        data = json.loads(response.body)
    except ValueError:
        return response
    drifted = drift_payload(variants, method, path, data)
    return replace(response, body=json.dumps(drifted).encode("ascii"))


def undrift_request(variants: frozenset[str], request: Any) -> Any:
    """A request that carries drifted ids (an integer seat id, a lettered row) mapped back to
    the simulator's own (server.HttpRequest)."""
    if "int_seat_ids" not in variants:
        return request
    path = request.path
    m = _SEAT_PATH.search(path)
    if m:
        path = path[:m.start()] + m.group(1) + _seat_text(int(m.group(2)))
    body = request.body
    if body.strip():
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if data is not None:
            def back(obj: dict) -> dict:
                out = dict(obj)
                for key in ("seatId", "seat_id"):
                    value = obj.get(key)
                    if type(value) is int or (isinstance(value, str) and value.isdigit()):
                        out[key] = _seat_text(int(value))
                return out
            body = json.dumps(_walk(data, back)).encode()
    if path == request.path and body == request.body:
        return request
    return replace(request, path=path, body=body)
