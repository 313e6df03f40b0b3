"""Helpers shared by the reliability tests (imported by path; pytest runs in importlib mode)."""
from __future__ import annotations

import asyncio
import collections
import queue
import subprocess
import threading
import time

from boxoffice.api import ApiKey, RetryPolicy, VdmClient
from boxoffice.services.payment import PaymentPoller, poll_interval


def make_client(sim, *, key: bool = True, timeout: float = 3.0, **kwargs) -> VdmClient:
    return VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key) if key else None,
                     timeout=timeout,
                     retry=RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05), **kwargs)


def fast_poller(scale: float = 20.0):
    """The real PaymentPoller on a clock ``scale`` times faster than the wall clock."""

    def make(client, order_key, **kwargs):
        t0 = time.monotonic()
        return PaymentPoller(client, order_key,
                             schedule=lambda elapsed: poll_interval(elapsed) / scale,
                             clock=lambda: t0 + (time.monotonic() - t0) * scale,
                             sleep=lambda s: asyncio.sleep(s / scale), **kwargs)

    return make


class OrderLedger:
    """cart id -> order keys, recorded inside the simulator as orders are created (wraps the
    simulator's own order-creation function; it still runs)."""

    def __init__(self, sim) -> None:
        self.by_cart: dict[str, list[str]] = collections.defaultdict(list)
        original = sim.state._order_from_cart

        def recording(cart, *args, **kwargs):
            order = original(cart, *args, **kwargs)
            self.by_cart[cart.cart_id].append(order.order_key)
            return order

        sim.state._order_from_cart = recording


def api_requests(sim, method: str | None = None, suffix: str | None = None) -> list:
    return [r for r in sim.requests()
            if "/_sim" not in r.path and (method is None or r.method == method)
            and (suffix is None or r.path.endswith(suffix))]


class LineReader:
    """Reads a child's stdout lines on a thread, so the test can wait with a timeout."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._q: queue.Queue[str | None] = queue.Queue()
        self._t = threading.Thread(target=self._pump, daemon=True)
        self._t.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self._q.put(raw.rstrip("\n"))
        self._q.put(None)

    def wait_for(self, prefix: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no line starting with {prefix!r}; got {self.lines}")
            try:
                line = self._q.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise EOFError(f"child ended before {prefix!r}; got {self.lines}")
            self.lines.append(line)
            if line.startswith(prefix):
                return line
