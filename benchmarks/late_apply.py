#!/usr/bin/env python3
"""When the simulator's "late_apply" fault applies a queued write on its own (no resend).

    python benchmarks/late_apply.py [--json] [--delay 0.6] [--runs 3]

A cart add is queued by the fault (the client times out after 0.2 s without an answer), a read-back
right after the timeout sees no line yet, and the simulator applies the add by itself after
``late_apply_seconds``. Wall-clock figures live here rather than in the tests (no timed asserts):
tests/demo/test_late_apply_fault.py checks the behaviour, this script the timing.

Reported (per run, and the worst over the runs):
  readback_s      request sent -> read-back that still saw no line (must be < delay)
  applied_s       request sent -> the simulator logged the late apply (must be >= delay)
  ok              every run read back before the delay and applied no earlier than the delay
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from boxoffice.demo import SimulatorServer  # noqa: E402


def _lines(api: httpx.Client, cart_id: str) -> int:
    return sum(1 for item in api.get(f"/cart/{cart_id}").json() if "seat_id" in item)


def one_run(delay: float) -> dict:
    with SimulatorServer(seed=1) as sim, httpx.Client(base_url=sim.client_url, timeout=10) as api:
        perf = sim.catalog.find("ga")
        cart = api.post("/cart/").json()["cart_id"]
        tid = next(tt["discount_id"] for tt in api.get(f"/tickettypes/{perf.event_id}").json()
                   if tt["discount_name"] == "Standaard")
        sim.faults.set(late_apply_seconds=delay)
        sim.faults.inject("late_apply", method="POST", path=f"/cart/{cart}")
        t0 = time.monotonic()
        with httpx.Client(base_url=sim.client_url, timeout=0.2) as short:
            try:
                short.post(f"/cart/{cart}", json={"event_id": perf.event_id, "numberoftickets": 2,
                                                  "discount_id": tid})
            except httpx.ReadTimeout:
                pass
        seen = _lines(api, cart)
        readback = time.monotonic() - t0
        deadline = time.monotonic() + delay + 10
        while _lines(api, cart) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        applied = [e.answered for e in sim.requests() if e.outcome == "late_apply"]
        applied_s = applied[-1] - t0 if applied else None
        ok = (seen == 0 and readback < delay and applied_s is not None and applied_s >= delay
              and _lines(api, cart) == 2)
        return {"readback_s": round(readback, 3),
                "applied_s": None if applied_s is None else round(applied_s, 3), "ok": ok}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--delay", type=float, default=0.6, help="late_apply_seconds")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.delay) for _ in range(args.runs)]
    result = {
        "delay_s": args.delay,
        "readback_s_max": max(r["readback_s"] for r in runs),
        "applied_s_min": min((r["applied_s"] for r in runs if r["applied_s"] is not None),
                             default=None),
        "ok": all(r["ok"] for r in runs),
        "runs": runs,
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:16} {value}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
