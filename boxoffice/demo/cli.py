"""Standalone runner: `python -m boxoffice demo-server ...` calls ``run_server(argv)``."""
from __future__ import annotations

import argparse
import sys
import threading
from datetime import date
from typing import Sequence, TextIO

from . import behaviour as B


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="boxoffice demo-server",
                                description="Run the VdM simulator on loopback until Ctrl+C.")
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    p.add_argument("--port", type=int, default=8787, help="port (0 = any free port)")
    p.add_argument("--seed", type=int, default=1, help="demo-data seed")
    p.add_argument("--client", default="demo", help="client name in the URL")
    p.add_argument("--api-key", default=None, help="peppered API key (default: random)")
    p.add_argument("--today", type=date.fromisoformat, default=None,
                   help="pretend today is this date (YYYY-MM-DD)")
    p.add_argument("--hold-seconds", type=float, default=B.HOLD_SECONDS)
    p.add_argument("--payment-timeout", type=float, default=B.PAYMENT_TIMEOUT_SECONDS)
    p.add_argument("--auto-pay-after", type=float, default=None,
                   help="settle unpaid orders as paid after this many seconds")
    p.add_argument("--cart-after-order", choices=B.CART_AFTER_ORDER_MODES, default=None,
                   help="what a cart looks like after its order: emptied (default, or "
                        "$VDM_SIM_CART_AFTER_ORDER) or kept (the docs do not say)")
    p.add_argument("--order-volume", type=int, default=None, metavar="N",
                   help="about N orders in all (past performances are added; for benchmarks)")
    p.add_argument("--latency-ms", type=float, default=0.0)
    p.add_argument("--jitter-ms", type=float, default=0.0)
    for name in ("error-rate", "rate-limit-rate", "drop-before-rate", "drop-after-rate",
                 "malformed-rate", "timeout-rate"):
        p.add_argument(f"--{name}", type=float, default=0.0, help="probability 0..1")
    return p


def run_server(argv: Sequence[str] | None = None, *, stop: threading.Event | None = None,
               out: TextIO | None = None) -> int:
    """Start the simulator, print how to reach it, and serve until Ctrl+C (or ``stop`` is set)."""
    from .simulator import SimulatorServer

    args = build_parser().parse_args(list(argv) if argv is not None else None)
    out = out or sys.stdout
    try:
        sim = SimulatorServer(seed=args.seed, client_name=args.client,
                              hold_seconds=args.hold_seconds, auto_pay_after=args.auto_pay_after,
                              api_key=args.api_key, port=args.port, host=args.host,
                              today=args.today, payment_timeout=args.payment_timeout,
                              cart_after_order=args.cart_after_order,
                              order_volume=args.order_volume)
        sim.faults.set(latency_ms=args.latency_ms, jitter_ms=args.jitter_ms,
                       error_rate=args.error_rate, rate_limit_rate=args.rate_limit_rate,
                       drop_before_rate=args.drop_before_rate,
                       drop_after_rate=args.drop_after_rate,
                       malformed_rate=args.malformed_rate, timeout_rate=args.timeout_rate)
        sim.start()
    except (OSError, ValueError) as exc:
        print(f"demo-server: {exc}", file=sys.stderr)
        return 2
    stop = stop or threading.Event()
    try:
        print(f"VdM simulator running\n  API root:    {sim.base_url}\n"
              f"  client name: {sim.client_name}\n  API key:     {sim.api_key}\n"
              "Press Ctrl+C to stop.", file=out, flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    print("VdM simulator stopped.", file=out, flush=True)
    return 0
