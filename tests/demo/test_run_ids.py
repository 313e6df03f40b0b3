"""The ids a simulator run hands out are its own (issue 16 item 7): a journal that still holds
the carts and orders of an earlier run (a restart, a venue switch back to the demo) must never
meet the same cart id, order key or order id again. The catalog stays the seed's."""
from __future__ import annotations

from boxoffice.demo import SimulatorServer
from boxoffice.demo.state import run_order_base

TODAY = None  # today as the simulator sees it


def _one_sale(sim: SimulatorServer) -> tuple[str, str, int]:
    state = sim.state
    perf = sim.catalog.find("seated")
    tt = sim.catalog.production_of(perf).ticket_types[0]
    cart = state.create_cart()
    state.public_add(cart.cart_id, perf.event_id, 1, tt.price_id)
    method = next(iter(sim.catalog.payment_methods.values())).payment_id
    order = state.checkout(cart.cart_id, method)
    return cart.cart_id, order.order_key, order.order_id


def test_two_runs_of_the_same_seed_hand_out_different_ids():
    first, second = SimulatorServer(seed=1, today=TODAY), SimulatorServer(seed=1, today=TODAY)
    # the same venue: same performances and seat ids
    perf = first.catalog.find("seated")
    assert perf.event_id == second.catalog.find("seated").event_id
    assert first.state.codec.encode(perf.event_id, 0) == second.state.codec.encode(perf.event_id, 0)
    cart1, key1, oid1 = _one_sale(first)
    cart2, key2, oid2 = _one_sale(second)
    assert cart1 != cart2 and key1 != key2
    assert len(cart1) == len(cart2)
    assert oid2 >= oid1      # (the same when both runs start in the same second)
    assert first.state.run != second.state.run
    # a run given its salt repeats itself (for tests that want it)
    from boxoffice.demo.state import SimState
    again = [SimState(first.catalog, first.clock, first.tunables, 1, run="x") for _ in range(2)]
    assert again[0].create_cart().cart_id == again[1].create_cart().cart_id


def test_order_ids_of_a_later_run_start_above_the_earlier_runs():
    """A run that made fewer than 10 orders a second of its life never reaches the next run's
    first order id."""
    start = 1_790_000_000.0
    assert run_order_base(start + 1) == run_order_base(start) + 10
    assert run_order_base(start + 3600) == run_order_base(start) + 36_000
    assert run_order_base(0) == 0
    assert run_order_base(start) + 12345 < 2**31   # stays a 32-bit id for years
