#!/usr/bin/env python3
"""The order desk's figures: initial and delta sync, type-ahead search, index size, loop lag.

    python benchmarks/orders.py [--json] [--orders 100000] [--in-process]

The simulator (``SimulatorServer(order_volume=N)``) runs in a subprocess (``python -m
boxoffice.demo --order-volume N``) by default, so that building its 60 MB export answer does not
hold this process's interpreter: the loop lag measured is the desk's own. ``--in-process`` runs
it in a thread of this process instead (the loop lag then includes the simulator's).

Reported:
  orders            orders in the index after the initial sync
  initial_sync_s    first (full) sync of an empty index, loopback
  delta_sync_ms     {"none": a delta sync with nothing changed, "ten": after 10 new orders}
  search_p50_ms     type-ahead search (prefixes of names, e-mails, keys, ids, titles, seats)
  search_p99_ms
  index_mb          the index file (with its WAL)
  loop_lag_max_ms   the longest the event loop was held during the syncs (a 5 ms ticker)
Goals (issue 11): p99 <= 30 ms, delta <= 300 ms, initial <= 60 s, loop lag <= 50 ms.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from boxoffice.api import ApiKey, VdmClient  # noqa: E402
from boxoffice.services.order_desk import OrderDesk, order_index_path  # noqa: E402


class LoopLag:
    """A ticker that wakes every 5 ms and records how late it woke."""

    def __init__(self, period: float = 0.005) -> None:
        self.period = period
        self.worst = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(self.period)
            self.worst = max(self.worst, time.perf_counter() - start - self.period)

    def __enter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SubprocessSim:
    def __init__(self, orders: int) -> None:
        self.port = _free_port()
        self.api_key = secrets.token_urlsafe(24)
        self.client_name = "demo"
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "boxoffice.demo", "--port", str(self.port), "--api-key",
             self.api_key, "--order-volume", str(orders)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env)
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if "running" in line:
                break
        else:
            raise SystemExit("the simulator did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


class ThreadSim:
    def __init__(self, orders: int) -> None:
        from boxoffice.demo import SimulatorServer

        self.sim = SimulatorServer(seed=1, order_volume=orders)
        self.sim.start()
        self.api_key = self.sim.api_key
        self.client_name = self.sim.client_name
        self.base_url = self.sim.base_url

    def stop(self) -> None:
        self.sim.stop()


def ten_sales(base_url: str, client_name: str) -> None:
    """Ten orders through the public API (general admission, 1 ticket each)."""
    with httpx.Client(base_url=f"{base_url}/{client_name}", timeout=30) as api:
        events = api.get("/events", params={"upcoming": "1"}).json()
        pm = api.get("/paymentmethods").json()[0]["payment_id"]
        made = 0
        for main in events:
            for sub in main.get("sub_events") or []:
                if made >= 10:
                    return
                types = api.get(f"/tickettypes/{sub['event_id']}")
                if types.status_code != 200 or not types.json():
                    continue
                cart = api.post("/cart/").json()["cart_id"]
                added = api.post(f"/cart/{cart}", json={
                    "event_id": sub["event_id"], "numberoftickets": 1,
                    "discount_id": types.json()[0]["discount_id"]})
                if added.status_code != 200:
                    continue
                order = api.post("/order/create", json={
                    "cart_id": cart, "payment_id": pm, "email": f"bench{made}@example.org",
                    "firstname": "Bench", "lastname": f"Mark{made}"})
                if order.status_code == 200:
                    made += 1


QUERIES = [
    "a", "an", "ann", "anna", "anna d", "anna de", "anna de v", "anna de vries", "de vries",
    "zo", "zoe", "zoë j", "celik", "jan van der", "berg", "van", "sanne van den broek",
    "example", "anna.devries@", "anna.devries@example.org", "row 5 seat 12", "rij 3 stoel 7",
    "row 12", "hamlet", "4-12", "2027-01-04", "jazz", "kelder", "maarten 't hooft", "müller",
    "renee de la croix", "fleur ter horst",
]


async def run(args: argparse.Namespace) -> dict:
    sim = ThreadSim(args.orders) if args.in_process else SubprocessSim(args.orders)
    folder = Path(tempfile.mkdtemp(prefix="orders-bench-"))
    client = VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key), timeout=300)
    desk = OrderDesk(client, order_index_path(folder))
    try:
        with LoopLag() as lag:
            t0 = time.perf_counter()
            await desk.sync()
            initial = time.perf_counter() - t0
            t0 = time.perf_counter()
            await desk.sync()
            delta_none = time.perf_counter() - t0
        await asyncio.to_thread(ten_sales, sim.base_url, sim.client_name)
        with LoopLag() as lag2:
            t0 = time.perf_counter()
            result = await desk.sync()
            delta_ten = time.perf_counter() - t0
        # type-ahead: every query as typed, key and id prefixes too
        some = desk.search("van", limit=200)
        typed: list[str] = []
        for q in QUERIES:
            typed += [q[:n] for n in range(1, len(q) + 1)]
        for o in some[::20]:
            typed += [o.order_key[:n] for n in (3, 5, 8, 11, 23)] + [str(o.order_id)]
            typed.append(f"{o.order_key} ")
        times = []
        for q in typed * 2:
            t0 = time.perf_counter()
            desk.search(q)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        return {
            "orders": desk.count,
            "initial_sync_s": round(initial, 2),
            "delta_sync_ms": {"none": round(delta_none * 1000, 1),
                              "ten": round(delta_ten * 1000, 1),
                              "ten_added": result.added, "ten_updated": result.updated},
            "search_p50_ms": round(statistics.median(times), 2),
            "search_p99_ms": round(p99, 2),
            "searches": len(times),
            "index_mb": round(desk.index.size_bytes() / 1e6, 1),
            "loop_lag_max_ms": round(max(lag.worst, lag2.worst) * 1000, 1),
            "simulator": "in-process" if args.in_process else "subprocess",
        }
    finally:
        await desk.aclose()
        await client.aclose()
        sim.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--in-process", action="store_true",
                        help="run the simulator in a thread of this process")
    args = parser.parse_args()
    figures = asyncio.run(run(args))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for name, value in figures.items():
            print(f"{name:>16}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
