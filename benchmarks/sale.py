#!/usr/bin/env python3
"""Sales through the services against the simulator with 100 ms injected latency per request.

    python benchmarks/sale.py [--json] [--sales 6] [--latency-ms 100]

Each sale: the performance is opened ahead (cart created, seat plan and payment methods loaded),
then the measured part starts when the cashier confirms: add the seats (or general-admission
tickets) and press Pay until the order exists. The payment is then settled in the simulator at a
random moment and the time until the confirmation is available is measured.

Reported:
  sequential_round_trips  requests on the critical path from "cashier confirms" to "order
                          created" (status polls excluded); max over the sales, per kind too.
                          Requests the app sends side by side count once: it is the longest
                          chain of requests each sent after the previous one was answered, from
                          the simulator's own log of when it received and answered each request
  requests                all requests over that path (max over the sales), for comparison
  app_wait_ms             time the cashier waits on the app over that path (median, max)
  loop_lag_max_ms         worst event-loop stall seen by a 10 ms ticker during all sales
  paid_detect_ms          payment settled -> confirmation available (median, max)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from boxoffice.api import ApiKey, VdmClient  # noqa: E402
from boxoffice.demo import SimulatorServer  # noqa: E402
from boxoffice.services.sale import PerformanceInfo, Phase, SaleService  # noqa: E402
from boxoffice.store.journal import SaleJournal, journal_path  # noqa: E402
from tests.support.seats import free_seats  # noqa: E402  (one copy, shared with the tests)


async def ticker(stop: asyncio.Event, worst: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        before = loop.time()
        await asyncio.sleep(0.01)
        lag = loop.time() - before - 0.01
        worst[0] = max(worst[0], lag)


def critical_requests(sim) -> list:
    return [r for r in sim.requests()
            if "/_sim" not in r.path and not (r.method == "GET" and "/order/" in r.path)]


def sequential_depth(entries: list) -> int:
    """Length of the longest chain of requests where each was received after the previous one
    was answered: requests in flight at the same time do not add to the cashier's wait."""
    ordered = sorted(entries, key=lambda e: e.received)
    depth: list[int] = []
    for i, entry in enumerate(ordered):
        before = [depth[j] for j in range(i) if ordered[j].answered <= entry.received]
        depth.append(1 + max(before, default=0))
    return max(depth, default=0)


async def run(n_sales: int, latency_ms: float) -> dict:
    rng = random.Random(7)
    results = {"seated": [], "ga": []}
    with SimulatorServer(seed=1) as sim, tempfile.TemporaryDirectory() as tmp:
        sim.prepare_orders()  # as the demo does at start: not inside the first measured sale
        client = VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key), timeout=10)
        journal = SaleJournal.open(journal_path(Path(tmp)))
        sale = SaleService(client, journal, demo=True)
        sim.faults.set(latency_ms=latency_ms)
        stop = asyncio.Event()
        worst = [0.0]
        tick = asyncio.get_running_loop().create_task(ticker(stop, worst))
        methods = await sale.payment_methods()
        sale.select_payment_method(methods[0].method_id)
        try:
            for i in range(n_sales):
                kind = "seated" if i % 2 == 0 else "ga"
                perf = sim.catalog.find(kind, nth=i // 2 % 2)
                prod = sim.catalog.production_of(perf)
                sale.remember_performance(PerformanceInfo(perf.event_id, prod.name, perf.start))
                # opened ahead: cart, seat plan (and methods, cached)
                await sale.prepare()
                plan = await sale.load_seat_plan(perf.event_id) if kind == "seated" else None
                await asyncio.sleep(0.05)
                sim.clear_requests()
                t0 = time.monotonic()
                if kind == "seated":
                    res = await sale.add_seats(perf.event_id, free_seats(plan, 2))
                else:
                    res = await sale.add_general_admission(
                        perf.event_id, 2, prod.ticket_types[0].price_id)
                assert res.ok, res.message
                snap = await sale.pay()
                t1 = time.monotonic()
                assert snap.phase == Phase.WAITING, snap.message
                critical = critical_requests(sim)
                trips = sequential_depth(critical)
                delay = rng.uniform(0.2, 2.5)
                await asyncio.sleep(delay)
                settled_at = time.monotonic()
                await asyncio.to_thread(sim.settle, snap.order.order_key, "paid")
                snap = await sale.wait_for_payment()
                assert snap.phase == Phase.PAID
                detect = (sale.paid_seen_at or time.monotonic()) - settled_at
                results[kind].append({"round_trips": trips, "requests": len(critical),
                                      "app_wait_ms": (t1 - t0) * 1000,
                                      "paid_detect_ms": detect * 1000})
                sale.new_sale()
        finally:
            stop.set()
            await tick
            await sale.aclose()
            await client.aclose()
            journal.close()
    every = results["seated"] + results["ga"]
    waits = [r["app_wait_ms"] for r in every]
    detects = [r["paid_detect_ms"] for r in every]
    return {
        "latency_ms": latency_ms,
        "sales": len(every),
        "sequential_round_trips": max(r["round_trips"] for r in every),
        "requests": max(r["requests"] for r in every),
        "sequential_round_trips_by_kind": {
            k: max((r["round_trips"] for r in v), default=None) for k, v in results.items()},
        "app_wait_ms": {"median": round(statistics.median(waits), 1), "max": round(max(waits), 1)},
        "loop_lag_max_ms": round(worst[0] * 1000, 1),
        "paid_detect_ms": {"median": round(statistics.median(detects), 1),
                           "max": round(max(detects), 1)},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sales", type=int, default=6)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    args = parser.parse_args()
    figures = asyncio.run(run(args.sales, args.latency_ms))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
