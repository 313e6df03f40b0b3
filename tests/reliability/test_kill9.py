"""Kill -9 in the middle of a sale, at every step in turn; the next start loses and doubles nothing.

A child process sells through the real SaleService and journal on a data folder, against a
simulator running in this test process (real loopback HTTP). At each step the child prints a
marker and stops; the test kills it with SIGKILL (no cleanup, no atexit, no flush beyond what the
journal committed). Then recovery runs on the same data folder and must bring every sale to a
final state: an unfinished cart is released (emptied, seats free again), a known order is polled to
its final status, and an order whose creation answer was lost is found (never created twice).
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from boxoffice.demo import SimulatorServer
from boxoffice.services.recovery import Recovery
from boxoffice.store.journal import SaleJournal, SaleState, journal_path
from tests.support.relkit import LineReader, OrderLedger, api_requests, fast_poller, make_client

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX SIGKILL needed")

ROOT = Path(__file__).resolve().parents[2]
DRIVER = "tests.support.sale_driver"   # run as a module from the project root


def _start_driver(sim, data_dir: Path, event_id: int, kind: str, stop_at: str,
                  price_id: str | None = None, email: str | None = None,
                  ) -> tuple[subprocess.Popen, LineReader]:
    env = dict(os.environ, VDM_DRIVER_KEY=sim.api_key, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", DRIVER, "--api-root", sim.base_url, "--data-dir", str(data_dir),
           "--event-id", str(event_id), "--kind", kind, "--stop-at", stop_at]
    if price_id:
        cmd += ["--price-id", price_id]
    if email:
        cmd += ["--email", email]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=ROOT)
    return proc, LineReader(proc)


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL


async def _recover(sim, data_dir: Path):
    client = make_client(sim)
    journal = SaleJournal.open(journal_path(data_dir))
    try:
        rec = Recovery(client, journal, demo=True, poller_factory=fast_poller())
        outcomes = await asyncio.wait_for(rec.resume_all(wait=True), 30)
        await rec.aclose()
        return outcomes, journal.all(), journal.unfinished()
    finally:
        await client.aclose()
        journal.close()


CASES = [
    # (stop_at, kind, expected final state, what the simulator does with a cart after its order)
    ("cart_created", "seated", SaleState.RELEASED, "emptied"),
    ("lines_added", "seated", SaleState.RELEASED, "emptied"),
    ("lines_added", "ga", SaleState.RELEASED, "emptied"),
    ("ordering", "seated", SaleState.PAID, "emptied"),
    ("ordering", "ga", SaleState.PAID, "emptied"),
    ("order_created", "seated", SaleState.PAID, "emptied"),
    ("polling", "seated", SaleState.PAID, "emptied"),
    # the docs do not say whether an order empties the cart: where an order exists, both ways
    ("lines_added", "ga", SaleState.RELEASED, "kept"),
    ("ordering", "seated", SaleState.PAID, "kept"),
    ("ordering", "ga", SaleState.PAID, "kept"),
    # an anonymous general-admission order is recognised by its ticket counts only, which another
    # sale's could share: it is named for a person to check, never taken (and never made twice)
    ("ordering", "ga-anonymous", SaleState.NEEDS_ATTENTION, "emptied"),
    ("ordering", "ga-anonymous", SaleState.NEEDS_ATTENTION, "kept"),
    ("order_created", "seated", SaleState.PAID, "kept"),
    ("polling", "seated", SaleState.PAID, "kept"),
]


@pytest.mark.slow
@pytest.mark.timeout(90)
@pytest.mark.parametrize("stop_at,kind,expected,cart_after_order", CASES,
                         ids=[f"{s}-{k}-{m}" for s, k, _, m in CASES])
def test_sigkill_at_each_step_is_recovered_without_a_second_order(tmp_path, stop_at, kind, expected,
                                                                  cart_after_order):
    data_dir = tmp_path / "profiles" / "venue"
    with SimulatorServer(seed=1, cart_after_order=cart_after_order) as sim:
        ledger = OrderLedger(sim)
        anonymous = kind == "ga-anonymous"
        kind = "ga" if anonymous else kind
        perf = sim.catalog.find("theatre" if kind == "seated" else "ga")
        price_id = sim.catalog.production_of(perf).ticket_types[0].price_id
        free_before = sim.state.free_seats(perf.event_id)
        if stop_at == "ordering":
            # order/create is applied, but its answer hangs: the key never reaches the journal
            sim.faults.set(timeout_seconds=30)
            sim.faults.inject("timeout", method="POST", path="/order/create")
        email = None if anonymous or kind == "seated" else "kill9@example.org"
        proc, out = _start_driver(sim, data_dir, perf.event_id, kind, stop_at, price_id, email)
        try:
            marker = out.wait_for("STEP cart_created")
            cart_id = marker.split()[2]
            if stop_at != "cart_created":
                marker = out.wait_for(f"STEP {stop_at}")
            if stop_at == "ordering":
                deadline = time.monotonic() + 20
                while not ledger.by_cart.get(cart_id):
                    assert time.monotonic() < deadline, "the order was never created"
                    time.sleep(0.02)
                # the journal holds the request but not the key: the worst moment to die
                j = SaleJournal.open(journal_path(data_dir))
                try:
                    (sale,) = j.all()
                    assert sale.state == SaleState.ORDER_REQUESTED and sale.order_key is None
                finally:
                    j.close()
            _kill(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        stderr = proc.stderr.read() if proc.stderr else ""
        assert "Traceback" not in stderr, stderr

        sim.faults.clear()
        orders = ledger.by_cart.get(cart_id, [])
        if expected in (SaleState.PAID, SaleState.NEEDS_ATTENTION):
            assert len(orders) == 1
            sim.settle(orders[0], "paid")  # the customer paid while the till was down
        creates_before = len(api_requests(sim, "POST", "/order/create"))

        outcomes, sales, unfinished = asyncio.run(_recover(sim, data_dir))

        if expected == SaleState.NEEDS_ATTENTION:
            (sale,) = unfinished
            assert sale.order_key is None and sale.state == expected
            (outcome,) = outcomes
            assert outcome.after == expected and orders[0] in outcome.message.text
            assert len(api_requests(sim, "POST", "/order/create")) == creates_before
            assert len(ledger.by_cart.get(cart_id, [])) == 1
            return
        assert unfinished == [], [(s.state, s.note) for s in unfinished]
        (sale,) = sales
        assert sale.cart_id == cart_id
        assert sale.state == expected, (sale.state, sale.note, marker)
        # never a second order: recovery sent no order/create and the cart made at most one order
        assert len(api_requests(sim, "POST", "/order/create")) == creates_before
        assert not api_requests(sim, "POST", "/checkout")
        assert len(ledger.by_cart.get(cart_id, [])) == (1 if expected == SaleState.PAID else 0)
        if expected == SaleState.RELEASED:
            assert sim.state.cart_seat_ids(cart_id) == []
            assert sim.state.free_seats(perf.event_id) == free_before
        else:
            assert sale.order_key == orders[0]
            assert sim.state.order_snapshot(orders[0])["payment_status"] == "paid"
            assert len(sim.state.order_snapshot(orders[0])["seat_ids"]) == 2
        assert [o.after for o in outcomes] == [expected]


@pytest.mark.timeout(60)
def test_recovery_in_a_fresh_process_after_sigkill(tmp_path):
    """The same data folder opened by a new process (not this one) finishes the sale: the real
    restart path, with the journal's WAL left behind by the killed process."""
    data_dir = tmp_path / "profiles" / "venue"
    with SimulatorServer(seed=1) as sim:
        perf = sim.catalog.find("theatre")
        proc, out = _start_driver(sim, data_dir, perf.event_id, "seated", "lines_added")
        try:
            cart_id = out.wait_for("STEP cart_created").split()[2]
            seats = out.wait_for("STEP lines_added").split()[2:]
            assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"held"}
            _kill(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        code = (
            "import asyncio, os, sys\n"
            "from pathlib import Path\n"
            "from boxoffice.api import ApiKey, VdmClient\n"
            "from boxoffice.services.recovery import Recovery\n"
            "from boxoffice.store.journal import SaleJournal, journal_path\n"
            "async def main():\n"
            "    c = VdmClient(sys.argv[1], 'demo', ApiKey(os.environ['VDM_DRIVER_KEY']))\n"
            "    j = SaleJournal.open(journal_path(Path(sys.argv[2])))\n"
            "    out = await Recovery(c, j, demo=True).resume_all(wait=True)\n"
            "    print('RECOVERED', ' '.join(o.after.value for o in out))\n"
            "    await c.aclose(); j.close()\n"
            "asyncio.run(main())\n"
        )
        env = dict(os.environ, VDM_DRIVER_KEY=sim.api_key)
        done = subprocess.run([sys.executable, "-c", code, sim.base_url, str(data_dir)],
                              capture_output=True, text=True, env=env, timeout=40,
                              cwd=str(Path(__file__).resolve().parents[2]))
        assert done.returncode == 0, done.stderr
        assert "RECOVERED released" in done.stdout
        assert sim.state.cart_seat_ids(cart_id) == []
        assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"free"}
