"""Journal steps leave the event loop (the GUI thread) and stay durable before money moves.

Every journal commit fsyncs; on the event loop that froze the window for as long as the disk
took (issue 13). The sale's steps now run on the journal's writer thread, and the sale awaits
each one before the request it precedes: the simulator, reading the journal file through a
connection of its own, finds the order intent committed when ``order/create`` arrives, and the
order (with its payment page) committed before the cashier is shown the page.
"""
from __future__ import annotations

import asyncio
import sqlite3
import threading
from decimal import Decimal

import pytest

from boxoffice.services.sale import Phase
from boxoffice.store.journal import SaleState, journal_path
from boxoffice.store.writer import THREAD_NAME
from tests.support.salekit import free_seats, method_id, perf_info

WRITES = ("BEGIN", "INSERT", "UPDATE", "DELETE", "COMMIT")


def _read_from_outside(path) -> dict:
    """What another process would find on disk now: committed rows only."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        sales = db.execute("SELECT sale_id, state, order_key, payment_url FROM sales").fetchall()
        steps = db.execute("SELECT sale_id, phase, step FROM steps ORDER BY id").fetchall()
    finally:
        db.close()
    return {"sales": {s[0]: s[1:] for s in sales}, "steps": steps}


async def _card_sale(sim, sale):
    perf = sim.catalog.find("seated")
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id)
    assert (await sale.add_seats(perf.event_id, free_seats(plan, 2))).ok
    await sale.payment_methods()
    sale.select_payment_method(method_id(sim, "Credit card"))
    return await sale.pay()


@pytest.mark.asyncio
async def test_journal_steps_are_written_off_the_event_loop_thread(sim, sale, journal):
    loop_thread = threading.get_ident()
    statements: list[tuple[int, str, str]] = []

    def trace(statement: str) -> None:   # called on the thread that runs the statement
        statements.append((threading.get_ident(), threading.current_thread().name, statement))

    journal._db.set_trace_callback(trace)
    snap = await _card_sale(sim, sale)
    assert snap.phase == Phase.WAITING
    sim.settle(snap.order.order_key, "paid")
    snap = await asyncio.wait_for(sale.wait_for_payment(), 5)
    assert snap.phase == Phase.PAID
    journal._db.set_trace_callback(None)

    writes = [(ident, name, sql) for ident, name, sql in statements
              if sql.lstrip().upper().startswith(WRITES)]
    # the sale's start, its add (before/after), the order intent, the attempt, the order, paid
    assert sum(1 for _i, _n, sql in writes if sql.upper().startswith("COMMIT")) >= 7
    on_loop = [sql for ident, _n, sql in writes if ident == loop_thread]
    assert on_loop == [], f"journal writes on the event loop thread: {on_loop[:3]}"
    assert {name for _i, name, _s in writes} == {f"{THREAD_NAME}_0"}   # one writer: in order
    assert journal.get(snap.sale_id).state == SaleState.PAID


@pytest.mark.asyncio
async def test_the_order_intent_is_on_disk_before_order_create_is_received(sim, sale, journal,
                                                                            data_dir):
    path = journal_path(data_dir)
    seen_at_order: list[dict] = []
    checkout = sim.state.checkout

    def observed_checkout(*args, **kwargs):   # the simulator, as order/create arrives
        seen_at_order.append(_read_from_outside(path))
        return checkout(*args, **kwargs)

    sim.state.checkout = observed_checkout
    snap = await _card_sale(sim, sale)
    assert snap.phase == Phase.WAITING and len(seen_at_order) == 1
    on_disk = seen_at_order[0]
    state, order_key, _url = on_disk["sales"][snap.sale_id]
    assert state == SaleState.ORDER_REQUESTED.value and order_key is None
    steps = [(phase, step) for sale_id, phase, step in on_disk["steps"] if sale_id == snap.sale_id]
    assert steps[-2:] == [("before", "create_order"), ("after", "order_lookup")]
    # the payment page is shown from here on: the order and its page are on disk already
    state, order_key, url = _read_from_outside(path)["sales"][snap.sale_id]
    assert state == SaleState.ORDER_CREATED.value
    assert order_key == snap.order.order_key and url == snap.order.payment_url


@pytest.mark.asyncio
async def test_at_start_empty_sales_are_left_out_and_closed_on_the_writer_thread(client, data_dir):
    """The start lists the unfinished sales without writing on the event loop (a journal held
    by another program made the start wait up to its busy timeout): the empty ones (a cart made
    ahead, then a crash) are left out and closed on the writer thread."""
    from boxoffice.services.counter import Counter

    counter = Counter.open(client, data_dir, demo=True)
    journal = counter.journal
    try:
        empty = journal.start_sale("C-EMPTY").sale_id
        held = journal.start_sale("C-HELD").sale_id
        journal.after(held, "add_seats", SaleState.LINES_ADDED, lines=[{"line_id": "s1"}],
                      total=Decimal("10.00"))
        loop_thread = threading.get_ident()
        on_loop: list[str] = []

        def trace(statement: str) -> None:
            if threading.get_ident() == loop_thread and statement.upper().startswith(WRITES):
                on_loop.append(statement)

        journal._db.set_trace_callback(trace)
        assert [s.sale_id for s in counter.unfinished(set())] == [held]
        assert journal.get(empty).state == SaleState.RELEASED   # (a read waits for the close)
        journal._db.set_trace_callback(None)
        assert on_loop == []
    finally:
        await counter.aclose()
