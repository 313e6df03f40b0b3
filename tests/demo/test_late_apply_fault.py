"""The "late_apply" fault: the request is queued without an answer and applied only later, after
``late_apply_seconds`` or just before the next request with the same method and path."""
from __future__ import annotations

import threading
import time

import httpx
import pytest

from boxoffice.demo import FAULT_KINDS


def _lines(api, cart_id: str) -> int:
    data = api.get(f"/cart/{cart_id}").json()
    return sum(1 for item in data if "seat_id" in item)


def _add(client: httpx.Client, cart_id: str, event_id: int, tid: str, n: int) -> httpx.Response:
    return client.post(f"/cart/{cart_id}", json={"event_id": event_id, "numberoftickets": n,
                                                 "discount_id": tid})


def test_late_apply_is_a_known_kind_with_settable_delay(sim):
    assert "late_apply" in FAULT_KINDS
    sim.faults.set(late_apply_seconds=0.25, late_apply_rate=0.1)
    snap = sim.faults.snapshot()
    assert snap["late_apply_seconds"] == 0.25 and snap["late_apply_rate"] == 0.1
    sim.faults.clear()
    assert sim.faults.snapshot()["late_apply_rate"] == 0.0
    assert sim.faults.snapshot()["late_apply_seconds"] == 1.5


def test_stalls_then_applies_after_the_delay(sim, api, shop):
    """Behaviour only: queued, then applied by itself with no resend. When it is applied (not
    before ``late_apply_seconds``) is measured by benchmarks/late_apply.py (no timed asserts)."""
    perf = sim.catalog.find("ga")
    cart = shop.new_cart()
    tid = shop.ticket_type_id(perf.event_id)
    sim.faults.set(late_apply_seconds=1.0)
    sim.faults.inject("late_apply", method="POST", path=f"/cart/{cart}")
    with httpx.Client(base_url=sim.client_url, timeout=0.2) as c:
        with pytest.raises(httpx.ReadTimeout):
            _add(c, cart, perf.event_id, tid, 2)
    assert _lines(api, cart) == 0  # a read-back now sees nothing: the request is still queued
    assert [e.outcome for e in sim.requests() if e.method == "POST"][-1] != "late_apply"
    deadline = time.monotonic() + 10
    while _lines(api, cart) == 0 and time.monotonic() < deadline:  # reads only: no resend
        time.sleep(0.05)
    assert _lines(api, cart) == 2
    posts = [e.outcome for e in sim.requests() if e.method == "POST"]
    assert posts[-1] == "late_apply" and posts.count("late_apply") == 1


def test_applied_before_the_next_request_with_the_same_method_and_path(sim, api, shop):
    perf = sim.catalog.find("ga")
    cart = shop.new_cart()
    tid = shop.ticket_type_id(perf.event_id)
    sim.faults.set(late_apply_seconds=30)
    sim.faults.inject("late_apply", method="POST", path=f"/cart/{cart}")
    with httpx.Client(base_url=sim.client_url, timeout=0.2) as c:
        with pytest.raises(httpx.ReadTimeout):
            _add(c, cart, perf.event_id, tid, 2)
    time.sleep(0.2)
    assert _lines(api, cart) == 0  # a GET of the same path does not release it
    # the "resend": the queued add goes first, at once (a client that gives up long before the 30 s
    # delay still gets its answer; no wall-clock assert)
    with httpx.Client(base_url=sim.client_url, timeout=10) as c:
        resend = _add(c, cart, perf.event_id, tid, 1)
    assert resend.status_code == 200
    assert _lines(api, cart) == 3
    # the queued request was applied (and logged) before the resend was handled
    outcomes = [e.outcome for e in sim.requests() if e.method == "POST" and e.path.endswith(cart)]
    assert outcomes == ["late_apply", "200"]


def test_late_order_create_makes_the_resend_see_an_empty_cart(sim, api, shop):
    cart = shop.new_cart()
    assert shop.add(cart, sim.catalog.find("seated").event_id, 1).status_code == 200
    orders = len(sim.state.order_keys())
    sim.faults.set(late_apply_seconds=30)
    sim.faults.inject("late_apply", method="POST", path="/order/create")
    body = {"cart_id": cart, "payment_id": 33}
    with httpx.Client(base_url=sim.client_url, timeout=0.2) as c:
        with pytest.raises(httpx.ReadTimeout):
            c.post("/order/create", json=body)
    assert len(sim.state.order_keys()) == orders and _lines(api, cart) == 1
    again = api.post("/order/create", json=body)
    assert again.status_code == 422 and again.json() == {"message": "Cart is empty"}
    assert len(sim.state.order_keys()) == orders + 1


def _stops_without_waiting_out(sim, stall_seconds: float) -> bool:
    """``sim.stop()`` returns long before the stalled request's delay (joined with a third of it)."""
    stopper = threading.Thread(target=sim.stop, daemon=True)
    stopper.start()
    stopper.join(timeout=stall_seconds / 3)
    return not stopper.is_alive()


def test_stop_does_not_wait_for_a_queued_request(sim, shop):
    cart = shop.new_cart()
    sim.faults.set(late_apply_seconds=30)
    sim.faults.inject("late_apply", method="POST", path="/cart/")
    with httpx.Client(base_url=sim.client_url, timeout=0.2) as c:
        with pytest.raises(httpx.ReadTimeout):
            c.post("/cart/")
    assert cart
    assert _stops_without_waiting_out(sim, stall_seconds=30)
