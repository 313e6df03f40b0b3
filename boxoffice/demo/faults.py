"""Fault knobs: latency, random failure rates (seeded) and deterministic one-shot injections.

Fault kinds (what the server in server.py does with a request that draws one):

* ``5xx`` / ``429``: canned answer, nothing applied; ``5xx_after``: applied, then a 500.
* ``drop_before``: the connection is closed without applying the request.
* ``drop_after``: the request is applied, then the connection is closed without an answer.
* ``malformed``: applied; 200 with a truncated JSON body.
* ``timeout``: applied at once; the answer is held ``timeout_seconds`` (past the client's timeout).
* ``late_apply``: the request is *queued*: the connection stalls without ever answering (the
  client times out, or sees the connection close) and the request is applied only later, namely
  after ``late_apply_seconds`` (default 1.5 s) or, if sooner, just before the next request with
  the same method and path is handled (a server that works through one resource's requests in
  arrival order: the queued request goes first). So a client that reads back before that sees
  "not applied", and its verified resend lands *after* the late first attempt, deterministically:
  the race where a write is applied later than the read-back. Once applied, the connection is
  closed without an answer; the request log records ``late_apply`` at that moment.
"""
from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass
from typing import Any

from . import behaviour as B

KINDS = ("5xx", "429", "drop_before", "drop_after", "malformed", "timeout", "5xx_after",
         "late_apply")
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

    def set(self, **knobs: Any) -> FaultSettings:
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
        return self

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [vars(i).copy() for i in self._injections]

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            out: dict[str, Any] = {name: getattr(self, name) for name in sorted(_SETTABLE)}
            out["pending"] = [vars(i).copy() for i in self._injections]
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
