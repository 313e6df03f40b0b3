"""Holds, expiry, payment outcomes, auto-pay and concurrency (never one seat in two carts)."""
from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import httpx
import pytest

from boxoffice.demo import SimulatorServer


def test_hold_expires_after_hold_seconds(sim, api, pep, shop):
    perf = sim.catalog.find("seated")
    before = sim.state.free_seats(perf.event_id)
    cart = shop.new_cart()
    shop.add(cart, perf.event_id, 2)
    time_out = datetime.fromisoformat(pep.get(f"/cart/{cart}").json()["timeOut"])
    assert timedelta(seconds=890) < time_out - sim.now() <= timedelta(seconds=900)
    assert sim.state.free_seats(perf.event_id) == before - 2
    sim.advance_clock(880)
    assert len(api.get(f"/cart/{cart}").json()) == 3  # still held
    sim.advance_clock(30)
    assert api.get(f"/cart/{cart}").json() == [{"cart": 0}]
    summary = pep.get(f"/cart/{cart}/summary").json()
    assert summary["numberOfItems"] == 0 and summary["timeOut"] is None
    assert sim.state.free_seats(perf.event_id) == before
    r = api.post("/order/create", json={"cart_id": cart, "payment_id": 31})
    assert r.status_code == 422 and r.json() == {"message": "Cart is empty"}


def test_a_new_add_extends_the_hold(sim, api, shop):
    perf = sim.catalog.find("seated")
    cart = shop.new_cart()
    shop.add(cart, perf.event_id, 1)
    sim.advance_clock(600)
    shop.add(cart, perf.event_id, 1)
    sim.advance_clock(600)
    assert len(api.get(f"/cart/{cart}").json()) == 3


def test_configurable_hold_seconds():
    with SimulatorServer(seed=2, hold_seconds=60) as sim:
        with httpx.Client(base_url=sim.client_url) as api:
            perf = sim.catalog.find("seated")
            cart = api.post("/cart/").json()["cart_id"]
            tid = api.get(f"/tickettypes/{perf.event_id}").json()[0]["discount_id"]
            api.post(f"/cart/{cart}", json={"event_id": perf.event_id, "numberoftickets": 1,
                                            "discount_id": tid})
            sim.advance_clock(61)
            assert api.get(f"/cart/{cart}").json() == [{"cart": 0}]


@pytest.mark.parametrize("outcome", ["paid", "cancelled", "failed", "expired"])
def test_settle_outcomes(sim, api, shop, outcome):
    perf = sim.catalog.find("seated")
    before = sim.state.free_seats(perf.event_id)
    key = shop.order(perf.event_id, 2)
    assert sim.state.free_seats(perf.event_id) == before - 2
    sim.settle(key, outcome)
    status = api.get(f"/order/{key}").json()
    assert status["order_payment_status"] == outcome
    expected_free = before - 2 if outcome == "paid" else before
    assert sim.state.free_seats(perf.event_id) == expected_free
    assert status["order_tickets_nr"] == (2 if outcome == "paid" else 0)


def test_unpaid_order_expires(sim, api, shop):
    perf = sim.catalog.find("seated")
    before = sim.state.free_seats(perf.event_id)
    key = shop.order(perf.event_id, 1)
    sim.advance_clock(899)
    assert api.get(f"/order/{key}").json()["order_payment_status"] == "none"
    sim.advance_clock(2)
    assert api.get(f"/order/{key}").json()["order_payment_status"] == "expired"
    assert sim.state.free_seats(perf.event_id) == before


def test_settle_over_http_control(sim, api, shop):
    key = shop.order(sim.catalog.find("seated").event_id, 1)
    r = httpx.post(f"{sim.base_url}/_sim/settle/{key}", json={"status": "paid"})
    assert r.status_code == 200
    assert api.get(f"/order/{key}").json()["order_payment_status"] == "paid"
    assert httpx.post(f"{sim.base_url}/_sim/settle/{key}", json={"status": "paid"}).status_code == 409
    r = httpx.post(f"{sim.base_url}/_sim/clock", json={"advance": 10})
    assert r.status_code == 200 and "now" in r.json()
    assert httpx.get(f"{sim.base_url}/_sim/state").json()["orders"] >= 1


def test_auto_pay_after():
    with SimulatorServer(seed=1, auto_pay_after=30) as sim, \
            httpx.Client(base_url=sim.client_url) as api:
        perf = sim.catalog.find("seated")
        cart = api.post("/cart/").json()["cart_id"]
        tid = api.get(f"/tickettypes/{perf.event_id}").json()[0]["discount_id"]
        api.post(f"/cart/{cart}", json={"event_id": perf.event_id, "numberoftickets": 1,
                                        "discount_id": tid})
        key = api.post("/order/create", json={"cart_id": cart, "payment_id": 33}).json()[0]["order_key"]
        assert api.get(f"/order/{key}").json()["order_payment_status"] == "none"
        sim.advance_clock(31)
        assert api.get(f"/order/{key}").json()["order_payment_status"] == "paid"


def test_two_carts_never_share_a_seat_public(sim, shop):
    perf = sim.catalog.find("seated")
    seen: list[str] = []
    for _ in range(4):
        cart = shop.new_cart()
        seen += [ln["seat_id"] for ln in shop.add(cart, perf.event_id, 3).json()[:-1]]
    assert len(seen) == len(set(seen)) == 12


def test_concurrent_race_for_the_same_seats(sim, shop):
    """16 threads each try to put the same 5 seats in their own cart: each seat lands once."""
    perf = sim.catalog.find("theatre")
    targets = shop.seats(perf.event_id)[:5]
    price_id = shop.ticket_type_id(perf.event_id)
    carts = [shop.new_cart() for _ in range(16)]
    start = threading.Barrier(16)

    def race(cart: str) -> list[int]:
        codes = []
        with httpx.Client(base_url=f"{sim.client_url}/peppered",
                          headers={"Authorization": sim.api_key}) as c:
            start.wait()
            for seat in targets:
                r = c.post(f"/cart/{cart}", json=[{"priceId": price_id, "rankId": seat["rankId"],
                                                   "eventId": perf.event_id,
                                                   "seatId": seat["seatId"]}])
                codes.append(r.status_code)
        return codes

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(race, carts))
    codes = Counter(c for res in results for c in res)
    assert codes == {200: 5, 409: 16 * 5 - 5}
    holders = sim.state.holds(perf.event_id)
    assert set(holders) == {s["seatId"] for s in targets}
    owned = Counter(cid for cart in carts for cid in sim.state.cart_seat_ids(cart))
    assert all(n == 1 for n in owned.values()) and len(owned) == 5


def test_concurrent_public_adds_get_distinct_seats(sim):
    perf = sim.catalog.find("empty")
    total = sim.state.free_seats(perf.event_id)

    def buy(_: int) -> list[str]:
        with httpx.Client(base_url=sim.client_url) as c:
            cart = c.post("/cart/").json()["cart_id"]
            tid = c.get(f"/tickettypes/{perf.event_id}").json()[0]["discount_id"]
            r = c.post(f"/cart/{cart}", json={"event_id": perf.event_id, "numberoftickets": 4,
                                              "discount_id": tid})
            return [ln["seat_id"] for ln in r.json()[:-1]] if r.status_code == 200 else []

    with ThreadPoolExecutor(12) as pool:
        got = [s for seats in pool.map(buy, range(24)) for s in seats]
    assert len(got) == len(set(got)) == 96
    assert sim.state.free_seats(perf.event_id) == total - 96
