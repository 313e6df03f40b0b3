"""A one-sale driver run as a child process by tests/reliability/test_kill9.py (not a test module;
run from the project root).

    python -m tests.support.sale_driver --api-root URL --data-dir DIR --event-id N --kind seated|ga --stop-at STEP

The API key comes from the ``VDM_DRIVER_KEY`` environment variable. The driver sells through the
real SaleService and journal on ``DIR`` and prints ``STEP <name> <detail>`` after each step; at
``--stop-at`` it stops moving (the parent kills it with SIGKILL there):

  cart_created   the cart exists (journal: cart_created)
  lines_added    seats/tickets held (journal: lines_added)
  ordering       about to press "Pay"; the parent makes the answer to order/create hang and kills
                 the driver once the order exists at VdM but its key is not yet journaled
  order_created  the order exists and its key is journaled; waiting for the payment
  polling        the status has been polled at least once
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from boxoffice.api import ApiKey, RetryPolicy, VdmClient
from boxoffice.services.sale import CustomerInfo, PerformanceInfo, Phase, SaleService
from boxoffice.store.journal import SaleJournal, journal_path
from tests.support.seats import free_seats


def say(*parts: object) -> None:
    print("STEP", *parts, flush=True)


async def park() -> None:
    """Stop here until killed (never returns on its own)."""
    await asyncio.Event().wait()


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-root", required=True)
    parser.add_argument("--client", default="demo")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--event-id", type=int, required=True)
    parser.add_argument("--kind", choices=("seated", "ga"), default="seated")
    parser.add_argument("--price-id", default=None)
    parser.add_argument("--stop-at", required=True)
    parser.add_argument("--email", default=None, help="the buyer's e-mail (default: anonymous)")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)

    client = VdmClient(args.api_root, args.client, ApiKey(os.environ["VDM_DRIVER_KEY"]),
                       timeout=args.timeout, retry=RetryPolicy(max_attempts=2, base_delay=0.01))
    journal = SaleJournal.open(journal_path(Path(args.data_dir)))
    sale = SaleService(client, journal, demo=True)
    sale.remember_performance(PerformanceInfo(args.event_id, "Kill test"))
    cart_id = await sale.prepare()
    say("cart_created", cart_id)
    if args.stop_at == "cart_created":
        await park()
    if args.kind == "seated":
        plan = await sale.load_seat_plan(args.event_id)
        result = await sale.add_seats(args.event_id, free_seats(plan, 2))
    else:
        result = await sale.add_general_admission(args.event_id, 2, args.price_id)
    if not result.ok:
        say("error", result.message.text if result.message else "add failed")
        return 1
    say("lines_added", " ".join(ln.line_id for ln in result.added))
    if args.stop_at == "lines_added":
        await park()
    methods = await sale.payment_methods()
    sale.select_payment_method(methods[0].method_id)
    if args.email:
        sale.set_customer(CustomerInfo(args.email))
    if args.stop_at == "ordering":
        say("ordering")
    snap = await sale.pay()
    if snap.phase != Phase.WAITING or snap.order is None:
        say("error", f"pay ended in {snap.phase.value}")
        return 1
    say("order_created", snap.order.order_key)
    if args.stop_at == "order_created":
        await park()
    while sale.snapshot().order is not None and sale.snapshot().order.polls < 1:
        await asyncio.sleep(0.05)
    say("polling", sale.snapshot().order.polls)
    await park()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
