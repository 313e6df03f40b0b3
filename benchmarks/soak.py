#!/usr/bin/env python3
"""Soak: many complete sales at several counters at once, under network faults; then reconcile.

    python benchmarks/soak.py --sales 1000 --counters 2 [--json] [--seed 1] [--no-faults]
                              [--cart-after-order emptied|kept]

K counters (each its own VdmClient, SaleService and sale journal in its own data folder) sell
concurrently from the same performances (seats picked from the map through the peppered cart,
and general admission through the public cart) against the real simulator on loopback, with the
fault knobs on: 10 % 5xx, 5 % connections dropped after the write was applied, 2 % timeouts
(the simulator holds the answer a bit longer than the client waits), 1 % "late_apply" (no answer,
and the request is applied only later: after the client's read-back, just before its verified
resend), 2 % 429 with Retry-After, latency jitter, and short cart holds (the simulated clock jumps past the hold every now and then,
expiring every cart in progress at every counter). A "payment terminal" settles most orders as
paid, some as cancelled or failed, and a few customers walk away (the order is left to expire).

``--cart-after-order`` (default: $VDM_SIM_CART_AFTER_ORDER, else "emptied") chooses what the
simulator does with a cart after its order: empty it, or keep its lines (the docs do not say; the
figures must be all zeros both ways, see docs/simulator-guesses.md).

Afterwards the network heals, the clock moves past every hold and payment timeout, each counter
runs its start-up recovery (``boxoffice.services.recovery``), and the simulator's state is
reconciled with every journal. Figures:

  sales           sales attempted
  paid            sales the journal records as paid (the simulator agrees: checked)
  failed_cleanly  sales that ended unpaid with nothing left held or ordered
  unresolved      sales still unfinished after recovery (no money involved; checked again later)
  lost            a sale the journal does not account for: an order at VdM that no journal entry
                  knows, a journal "paid" the simulator does not confirm, or the reverse
  ambiguous_orders orders a journal knows only as one of the recorded candidates of a sale left
                  for a person ("needs attention": its answer was lost and two orders fit it
                  equally, e.g. two counters ordering the same count of the same ticket type
                  with the same method in the same moment). Accounted for, never guessed; also
                  counted in "unresolved"
  ended_unpaid_orders orders a sale ended without a person names as maybe its own: its hold had
                  lapsed and every order that might be its own had ended unpaid (nothing paid,
                  nothing can be). Accounted for; the sale is counted in "failed_cleanly"
  duplicate_lines a ticket that ended in an order twice or more than the journal says
  double_orders   a cart that became more than one order
  oversold_seats  a seat in two live orders
  leaked_holds    seats still held in a cart after everything was settled/released
  crashes         unhandled exceptions (anything but the API's typed errors and SaleError)

Order polling runs on a time-compressed clock (``--time-scale``, default 25x: the real poller with
its real schedule and once-a-second rule, in scaled time) so a thousand sales fit in minutes.
The order→cart link used for "double_orders" is recorded by wrapping the simulator's own
order-creation function (instrumentation only; it still runs).
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import json
import logging
import random
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from boxoffice.api import ApiKey, RetryPolicy, VdmClient, errors  # noqa: E402
from boxoffice.demo import SimulatorServer  # noqa: E402
from boxoffice.demo.state import HELD, SimError  # noqa: E402
from boxoffice.services.payment import PaymentPoller, poll_interval  # noqa: E402
from boxoffice.services.recovery import Recovery  # noqa: E402
from boxoffice.services.sale import (  # noqa: E402
    CustomerInfo,
    PerformanceInfo,
    Phase,
    SaleError,
    SaleService,
    SeatRequest,
)
from boxoffice.store.journal import SaleJournal, SaleState, journal_path  # noqa: E402

log = logging.getLogger("soak")

HOLD_SECONDS = 60.0        # simulated seconds a cart holds its seats
PAYMENT_TIMEOUT = 900.0


@dataclass
class SoakConfig:
    sales: int = 100
    counters: int = 2
    seed: int = 1
    faults: bool = True
    error_rate: float = 0.10
    drop_after_rate: float = 0.05
    timeout_rate: float = 0.02
    late_apply_rate: float = 0.01
    late_apply_seconds: float = 1.5  # a queued request lands this long after it was sent (or sooner)
    rate_limit_rate: float = 0.02
    malformed_rate: float = 0.0
    jitter_ms: float = 20.0
    client_timeout: float = 0.6
    sim_timeout: float = 0.8       # the simulator holds a "timeout" answer this long
    expiry_rate: float = 0.06      # chance per sale that the clock jumps past every hold
    walkaway_rate: float = 0.02    # customer leaves: order not settled, left to expire
    cancel_rate: float = 0.04
    fail_rate: float = 0.03
    ga_share: float = 0.3
    #: share of sales whose buyer gives an e-mail (the rest are anonymous, as at most counters);
    #: only the e-mail tells a general-admission order whose answer was lost from another sale's
    #: of the same tickets (boxoffice/api/reconcile.py GA_COUNT_ONLY)
    buyer_share: float = 0.3
    time_scale: float = 25.0
    data_root: str | None = None
    per_sale_timeout: float = 60.0
    cart_after_order: str | None = None  # None: $VDM_SIM_CART_AFTER_ORDER, else "emptied"


@dataclass
class CounterStats:
    attempted: int = 0
    crashes: list[str] = field(default_factory=list)
    gave_up: int = 0


def _retry_policy() -> RetryPolicy:
    return RetryPolicy(max_attempts=8, base_delay=0.02, max_delay=0.25, max_total_delay=4.0,
                       retry_after_cap=0.2)


def fast_poller_factory(scale: float):
    """The real PaymentPoller on a clock that runs ``scale`` times faster than the wall clock."""

    def make(client, order_key, **kwargs):
        t0 = time.monotonic()

        def clock() -> float:
            return t0 + (time.monotonic() - t0) * scale

        return PaymentPoller(client, order_key,
                             schedule=lambda elapsed: poll_interval(elapsed) / scale,
                             clock=clock, sleep=lambda s: asyncio.sleep(s / scale), **kwargs)

    return make


class OrderLedger:
    """cart id -> order keys, recorded inside the simulator as orders are created."""

    def __init__(self, sim: SimulatorServer) -> None:
        self.by_cart: dict[str, list[str]] = collections.defaultdict(list)
        state = sim.state
        original = state._order_from_cart

        def recording(cart, *args, **kwargs):
            order = original(cart, *args, **kwargs)
            self.by_cart[cart.cart_id].append(order.order_key)
            return order

        state._order_from_cart = recording  # type: ignore[method-assign]


class Counter:
    """One box-office counter: its own client, journal (own data folder) and SaleService."""

    def __init__(self, index: int, sim: SimulatorServer, cfg: SoakConfig, data_dir: Path,
                 rng: random.Random, performances: dict[str, list]) -> None:
        self.index = index
        self.sim = sim
        self.cfg = cfg
        self.rng = rng
        # a stream of its own, so the sale mix is the same whatever this share is
        self.buyers = random.Random(rng.random())
        self.data_dir = data_dir
        self.performances = performances
        self.client = VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key),
                                timeout=cfg.client_timeout, connect_timeout=cfg.client_timeout,
                                retry=_retry_policy())
        self.journal = SaleJournal.open(journal_path(data_dir))
        self.poller_factory = fast_poller_factory(cfg.time_scale)
        self.sale = SaleService(self.client, self.journal, demo=True, hold_seconds=HOLD_SECONDS,
                                poller_factory=self.poller_factory)
        self.stats = CounterStats()
        self.plans: dict[int, Any] = {}
        self.used: set[str] = set()

    async def aclose(self) -> None:
        await self.sale.aclose()
        await self.client.aclose()
        self.journal.close()

    # ------------------------------------------------------------------ picking
    async def _plan(self, event_id: int, reload: bool = False):
        if reload or event_id not in self.plans:
            plan = await self.sale.load_seat_plan(event_id)
            self.plans[event_id] = plan
        return self.plans[event_id]

    def _pick(self, plan, n: int) -> list[str]:
        free = [s.seat_id for _, _, s in plan.seats() if s.available and s.seat_id not in self.used]
        # Both counters look at the front of the same map: collisions are the point.
        window = free[: max(n, 24)]
        if len(window) < n:
            return []
        return self.rng.sample(window, n)

    # ------------------------------------------------------------------ one sale
    async def sell_one(self) -> None:
        cfg, sale, rng = self.cfg, self.sale, self.rng
        self.stats.attempted += 1
        ga = rng.random() < cfg.ga_share
        perf = rng.choice(self.performances["ga" if ga else "seated"])
        sale.remember_performance(PerformanceInfo(perf.event_id, f"perf {perf.event_id}", perf.start))
        n = rng.randint(1, 4)
        try:
            await sale.prepare()
        except errors.VdmError:
            return  # no cart: nothing held, nothing to account for
        added = False
        for _attempt in range(4):
            if ga:
                tt = self.sim.catalog.production_of(perf).ticket_types[0]
                result = await sale.add_general_admission(perf.event_id, n, tt.price_id)
            else:
                try:
                    plan = await self._plan(perf.event_id, reload=_attempt > 0)
                except errors.VdmError:
                    continue
                seats = self._pick(plan, n)
                if not seats:
                    break
                result = await sale.add_seats(perf.event_id, [SeatRequest(s) for s in seats])
                if not result.ok:
                    self.used.update(result.taken_seat_ids)
                else:
                    self.used.update(seats)
            if result.ok:
                added = True
                break
        if not added:
            await self._abandon()
            return
        if self.buyers.random() < cfg.buyer_share:
            sale.set_customer(CustomerInfo(
                f"buyer{self.index}-{self.stats.attempted}@example.org", "Soak", "Buyer"))
        if rng.random() < cfg.expiry_rate:
            # every cart in progress, at every counter, loses its hold
            self.sim.advance_clock(HOLD_SECONDS + 1)
        await self._pay_and_settle()

    async def _ensure_method(self) -> bool:
        try:
            methods = await self.sale.payment_methods()
        except errors.VdmError:
            return False
        if self.sale.snapshot().payment_method is None:
            self.sale.select_payment_method(self.rng.choice(methods).method_id)
        return True

    async def _pay_and_settle(self) -> None:
        sale, rng, cfg = self.sale, self.rng, self.cfg
        for _attempt in range(3):
            if not await self._ensure_method():
                continue
            snap = await sale.pay()
            if snap.phase == Phase.WAITING:
                break
            if snap.phase == Phase.OPEN:
                # refused (e.g. the hold expired): read back, put back what is free, try again
                try:
                    await sale.refresh()
                except errors.VdmError:
                    pass
                snap = sale.snapshot()
                if snap.released_lines:
                    await sale.readd_released()
                if not sale.snapshot().held_lines:
                    await self._abandon()
                    return
                continue
            # ATTENTION (outcome unknown) or anything else: recovery takes it from here
            sale.new_sale()
            return
        else:
            await self._abandon()
            return
        order = snap.order
        assert order is not None
        u = rng.random()
        if u < cfg.walkaway_rate:
            sale.stop_waiting()
            sale.new_sale()
            return
        outcome = "paid"
        if u < cfg.walkaway_rate + cfg.cancel_rate:
            outcome = "cancelled"
        elif u < cfg.walkaway_rate + cfg.cancel_rate + cfg.fail_rate:
            outcome = "failed"
        try:
            self.sim.settle(order.order_key, outcome)
        except SimError:
            pass  # already final (e.g. expired by a clock jump)
        try:
            snap = await asyncio.wait_for(sale.wait_for_payment(), cfg.per_sale_timeout)
        except asyncio.TimeoutError:
            sale.stop_waiting()
        sale.new_sale()

    async def _abandon(self) -> None:
        sale = self.sale
        snap = sale.snapshot()
        if snap.phase in (Phase.IDLE,):
            return
        if snap.phase == Phase.OPEN:
            for _ in range(3):
                try:
                    if await sale.cancel_sale():
                        return
                except SaleError:
                    break
        self.stats.gave_up += 1
        sale.new_sale()  # the journal keeps it unfinished; recovery releases it

    async def run(self, n: int) -> None:
        for _ in range(n):
            try:
                await self.sell_one()
            except (errors.VdmError, SaleError):
                # a typed failure surfaced to the caller: the sale is left to the journal
                try:
                    snap = self.sale.snapshot()
                    if snap.phase == Phase.OPEN:
                        await self._abandon()
                    else:
                        self.sale.new_sale()
                except (errors.VdmError, SaleError):
                    self.sale.new_sale()
            except Exception:  # noqa: BLE001 - counted: this is what the soak looks for
                self.stats.crashes.append(traceback.format_exc(limit=8))
                try:
                    self.sale.new_sale()
                except Exception:  # noqa: BLE001
                    pass


# ====================================================================== reconciliation
def reconcile(sim: SimulatorServer, ledger: OrderLedger, journals: list[SaleJournal]) -> dict:
    state = sim.state
    figures = collections.Counter()
    problems: list[str] = []
    known_keys: collections.Counter = collections.Counter()
    sales = [s for j in journals for s in j.all()]
    journal_carts = {s.cart_id for s in sales}
    candidate_keys: set[str] = set()  # orders a sale left for a person names as maybe its own
    # orders a sale ended without a person names as maybe its own, all ended unpaid
    ended_keys: set[str] = set()
    steps = {s.sale_id: j.steps(s.sale_id) for j in journals for s in j.all()
             if s.state in (SaleState.RELEASED, SaleState.NEEDS_ATTENTION)}
    for s in sales:
        if s.order_key:
            known_keys[s.order_key] += 1
        elif s.state == SaleState.NEEDS_ATTENTION:
            # named for a person: the live look-up's fence, or the candidates a later check
            # (re-check, recovery) recorded in its step
            if s.order_lookup:
                candidate_keys.update(s.order_lookup.get("seen_keys") or ())
            for step in steps.get(s.sale_id, ()):
                candidate_keys.update((step.detail or {}).get("candidates") or ())
        if s.state == SaleState.RELEASED:
            for step in steps.get(s.sale_id, ()):
                ended_keys.update((step.detail or {}).get("ended_unpaid") or ())
    for key, n in known_keys.items():
        if n > 1:
            figures["double_orders"] += n - 1
            problems.append(f"order {key} recorded by {n} journal sales")

    def order(key: str):
        with state.lock:
            return state.orders.get(key)

    for s in sales:
        keys = ledger.by_cart.get(s.cart_id or "", [])
        if len(keys) > 1:
            figures["double_orders"] += len(keys) - 1
            problems.append(f"cart {s.cart_id} became {len(keys)} orders")
        held_lines = [ln for ln in s.lines if ln.get("status", "held") == "held"]
        ids = [ln["line_id"] for ln in s.lines]
        if len(ids) != len(set(ids)):
            figures["duplicate_lines"] += len(ids) - len(set(ids))
            problems.append(f"sale {s.sale_id}: a line twice in the journal")
        if s.state == SaleState.PAID:
            figures["paid"] += 1
            o = order(s.order_key) if s.order_key else None
            if o is None or s.order_key not in keys or o.payment_status != "paid":
                figures["lost"] += 1
                problems.append(f"sale {s.sale_id}: journal paid, simulator "
                                f"{'no order' if o is None else o.payment_status}")
                continue
            seat_ids = [t.seat_id for t in o.tickets]
            dup = len(seat_ids) - len(set(seat_ids))
            extra = max(0, len(o.tickets) - len(held_lines))
            if dup or extra:
                figures["duplicate_lines"] += dup + extra
                problems.append(f"sale {s.sale_id}: order has {len(o.tickets)} tickets, "
                                f"journal {len(held_lines)}")
            if len(o.tickets) < len(held_lines):
                figures["lost"] += 1
                problems.append(f"sale {s.sale_id}: order has fewer tickets than the journal")
        elif s.state in (SaleState.CANCELLED, SaleState.FAILED, SaleState.EXPIRED,
                         SaleState.RELEASED):
            live = [k for k in keys if order(k) is not None
                    and order(k).payment_status in ("paid", "none")]
            if live:
                figures["lost"] += 1
                problems.append(f"sale {s.sale_id}: journal {s.state.value} but order(s) "
                                f"{[(k, order(k).payment_status) for k in live]}")
            else:
                figures["failed_cleanly"] += 1
            with state.lock:
                held = _held_by_cart(state, s.cart_id)
                if held:
                    figures["leaked_holds"] += held
                    problems.append(f"sale {s.sale_id}: cart still holds {held} seats")
        else:
            figures["unresolved"] += 1
            live = [k for k in keys if order(k) is not None and order(k).payment_status == "paid"]
            if live:
                figures["lost"] += 1
                problems.append(f"sale {s.sale_id}: unfinished in the journal, order paid")
    # orders nobody's journal accounts for
    for cart_id, keys in ledger.by_cart.items():
        for key in keys:
            if key not in known_keys and key in candidate_keys:
                figures["ambiguous_orders"] += 1
                problems.append(f"order {key} (cart {cart_id}) is one of the candidates of a sale "
                                f"left for a person (needs attention)")
            elif (key not in known_keys and key in ended_keys and order(key) is not None
                  and order(key).payment_status in ("cancelled", "failed", "expired")):
                # a sale ended it without a person: whichever sale's it was, nothing was paid
                figures["ended_unpaid_orders"] += 1
            elif key not in known_keys:
                o = order(key)
                figures["lost"] += 1
                problems.append(f"order {key} (cart {cart_id}, "
                                f"{o.payment_status if o else '?'}) is in no journal"
                                + ("" if cart_id in journal_carts else " (cart unknown)"))
    # a seat in two live orders
    seen: collections.Counter = collections.Counter()
    with state.lock:
        for o in state.orders.values():
            if o.payment_status in ("paid", "none"):
                for t in o.tickets:
                    seen[(t.event_id, t.seat_index)] += 1
    figures["oversold_seats"] = sum(n - 1 for n in seen.values() if n > 1)
    return {"figures": figures, "problems": problems, "journal_sales": len(sales)}


def _held_by_cart(state, cart_id: str | None) -> int:
    """Seats a cart still holds. A cart the simulator keeps after its order ("kept") still lists
    its lines, but their seats belong to the order: those are not holds."""
    cart = state.carts.get(cart_id or "")
    if cart is None:
        return 0
    n = 0
    for line in cart.lines:
        if line.item_type != "ticket" or line.seat_index is None:
            continue
        es = state._seats.get(line.event_id)
        if es is not None and es.status[line.seat_index] == HELD \
                and es.owner.get(line.seat_index) == cart.cart_id:
            n += 1
    return n


# ====================================================================== driver
async def _run(cfg: SoakConfig, data_root: Path) -> dict[str, Any]:
    crashes_from_loop: list[str] = []
    loop = asyncio.get_running_loop()

    def on_loop_error(_loop, context):
        exc = context.get("exception")
        text = context.get("message", "")
        if exc is not None:
            text += "\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        crashes_from_loop.append(text)

    loop.set_exception_handler(on_loop_error)
    sim = SimulatorServer(seed=cfg.seed, hold_seconds=HOLD_SECONDS, auto_pay_after=None,
                          payment_timeout=PAYMENT_TIMEOUT, cart_after_order=cfg.cart_after_order)
    await asyncio.to_thread(sim.start)
    ledger = OrderLedger(sim)
    counters: list[Counter] = []
    started = time.perf_counter()
    try:
        performances = {
            "seated": [sim.catalog.find("theatre", nth=i) for i in range(4)],
            "ga": [sim.catalog.find("ga", nth=i) for i in range(3)],
        }
        master = random.Random(f"soak:{cfg.seed}")
        for k in range(cfg.counters):
            counters.append(Counter(k, sim, cfg, data_root / f"counter-{k}",
                                    random.Random(master.random()), performances))
        if cfg.faults:
            sim.faults.set(error_rate=cfg.error_rate, drop_after_rate=cfg.drop_after_rate,
                           timeout_rate=cfg.timeout_rate, rate_limit_rate=cfg.rate_limit_rate,
                           malformed_rate=cfg.malformed_rate, jitter_ms=cfg.jitter_ms,
                           timeout_seconds=cfg.sim_timeout, retry_after=1,
                           late_apply_rate=cfg.late_apply_rate,
                           late_apply_seconds=cfg.late_apply_seconds)
        shares = [cfg.sales // cfg.counters + (1 if k < cfg.sales % cfg.counters else 0)
                  for k in range(cfg.counters)]
        await asyncio.gather(*(c.run(n) for c, n in zip(counters, shares)))
        selling = time.perf_counter() - started

        # The network heals; every hold and payment window passes; each counter recovers.
        sim.faults.clear()
        sim.advance_clock(PAYMENT_TIMEOUT + HOLD_SECONDS + 1)
        recovery_stats = collections.Counter()
        for c in counters:
            rec = Recovery(c.client, c.journal, demo=True, poller_factory=c.poller_factory)
            try:
                outcomes = await asyncio.wait_for(rec.resume_all(wait=True), 120)
            except Exception:  # noqa: BLE001
                c.stats.crashes.append("recovery: " + traceback.format_exc(limit=8))
                outcomes = []
            for o in outcomes:
                recovery_stats[o.after.value] += 1
            await rec.aclose()
        rec_result = reconcile(sim, ledger, [c.journal for c in counters])
        figures = rec_result["figures"]
        crashes = [t for c in counters for t in c.stats.crashes] + crashes_from_loop
        requests = sim.requests()
        outcomes = collections.Counter(r.outcome for r in requests)
        result = {
            "sales": sum(c.stats.attempted for c in counters),
            "paid": figures["paid"],
            "failed_cleanly": figures["failed_cleanly"],
            "unresolved": figures["unresolved"],
            "lost": figures["lost"],
            "ambiguous_orders": figures["ambiguous_orders"],
            "ended_unpaid_orders": figures["ended_unpaid_orders"],
            "duplicate_lines": figures["duplicate_lines"],
            "double_orders": figures["double_orders"],
            "oversold_seats": figures["oversold_seats"],
            "leaked_holds": figures["leaked_holds"],
            "crashes": len(crashes),
            "counters": cfg.counters,
            "cart_after_order": sim.tunables.cart_after_order,
            "journal_sales": rec_result["journal_sales"],
            "recovered": dict(recovery_stats),
            "requests": len(requests),
            "faults_seen": {k: v for k, v in outcomes.items() if not k.isdigit()},
            "http_statuses": {k: v for k, v in sorted(outcomes.items()) if k.isdigit()},
            "selling_seconds": round(selling, 2),
            "wall_seconds": round(time.perf_counter() - started, 2),
            "problem_count": len(rec_result["problems"]),
            "problems": rec_result["problems"][:50],
            "crash_reports": crashes[:5],
        }
        return result
    finally:
        for c in counters:
            try:
                await c.aclose()
            except Exception:  # noqa: BLE001
                pass
        await asyncio.to_thread(sim.stop)


def run_soak(cfg: SoakConfig | None = None, **overrides: Any) -> dict[str, Any]:
    """Run the soak (blocking; own event loop) and return the figures as a dict."""
    cfg = cfg or SoakConfig()
    for name, value in overrides.items():
        setattr(cfg, name, value)
    if cfg.data_root:
        root = Path(cfg.data_root)
        root.mkdir(parents=True, exist_ok=True)
        return asyncio.run(_run(cfg, root))
    with tempfile.TemporaryDirectory(prefix="vdm-soak-") as tmp:
        return asyncio.run(_run(cfg, Path(tmp)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--counters", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--malformed-rate", type=float, default=0.0)
    parser.add_argument("--time-scale", type=float, default=25.0)
    parser.add_argument("--data-root", default=None, help="keep the journals here")
    parser.add_argument("--cart-after-order", choices=("emptied", "kept"), default=None,
                        help="the simulator empties a cart after its order, or keeps its lines "
                             "(default: $VDM_SIM_CART_AFTER_ORDER, else emptied)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.CRITICAL)
    cfg = SoakConfig(sales=args.sales, counters=args.counters, seed=args.seed,
                     faults=not args.no_faults, malformed_rate=args.malformed_rate,
                     time_scale=args.time_scale, data_root=args.data_root,
                     cart_after_order=args.cart_after_order)
    result = run_soak(cfg)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print(f"{'cart_after_order':>16}: {result['cart_after_order']}")
        for key in ("sales", "paid", "failed_cleanly", "unresolved", "lost", "ambiguous_orders",
                    "duplicate_lines",
                    "double_orders", "oversold_seats", "leaked_holds", "crashes", "wall_seconds"):
            print(f"{key:>16}: {result[key]}")
        for p in result["problems"]:
            print("  problem:", p)
    bad = any(result[k] for k in ("lost", "duplicate_lines", "double_orders", "oversold_seats",
                                  "crashes"))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
