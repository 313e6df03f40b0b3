"""Reliability-proof helpers: the real payment poller on a fast clock, a ledger of the orders the
simulator creates, and a thread that reads a child process's lines (``make_client`` and
``api_requests`` are :mod:`tests.support.salekit`'s, re-exported here)."""
from __future__ import annotations

import asyncio
import collections
import queue
import subprocess
import threading
import time

from boxoffice.services.payment import PaymentPoller, poll_interval
from tests.support.salekit import api_requests, make_client

__all__ = ["LineReader", "OrderLedger", "api_requests", "fast_poller", "make_client"]


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
