"""Fault injection: each kind, whether the request was applied, targeting and rates."""
from __future__ import annotations

import json
import threading
import time

import httpx
import pytest


def carts(sim) -> int:
    return sim.state.summary()["carts"]


def test_drop_before_is_not_applied(sim, api):
    before = carts(sim)
    sim.faults.inject("drop_before", method="POST", path="/cart/")
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/cart/")
    assert carts(sim) == before
    assert api.post("/cart/").status_code == 201  # one-shot: the next one works
    assert carts(sim) == before + 1
    assert sim.requests()[-2].outcome == "drop_before"


def test_drop_after_is_applied_without_answer(sim, api, shop):
    perf = sim.catalog.find("seated")
    cart = shop.new_cart()
    tid = shop.ticket_type_id(perf.event_id)
    sim.faults.inject("drop_after", method="POST", path=f"/cart/{cart}")
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(f"/cart/{cart}", json={"event_id": perf.event_id, "numberoftickets": 2,
                                        "discount_id": tid})
    assert len(api.get(f"/cart/{cart}").json()) == 3  # the add happened


def test_drop_after_on_order_create(sim, api, shop):
    cart = shop.new_cart()
    shop.add(cart, sim.catalog.find("seated").event_id, 1)
    orders = len(sim.state.order_keys())
    sim.faults.inject("drop_after", path="/order/create")
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/order/create", json={"cart_id": cart, "payment_id": 33})
    assert len(sim.state.order_keys()) == orders + 1
    assert api.get(f"/cart/{cart}").json() == [{"cart": 0}]


def test_malformed_json(sim, api):
    sim.faults.inject("malformed", method="GET", path="/events")
    r = api.get("/events")
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        r.json()
    api.get("/events").json()


def test_5xx_not_applied(sim, api):
    before = carts(sim)
    sim.faults.inject("5xx", method="POST")
    r = api.post("/cart/")
    assert r.status_code == 500 and r.json() == {"message": "Internal server error"}
    assert carts(sim) == before


def test_5xx_after_is_applied(sim, api):
    before = carts(sim)
    sim.faults.inject("5xx_after", method="POST")
    assert api.post("/cart/").status_code == 500
    assert carts(sim) == before + 1


def test_429_with_retry_after(sim, api):
    sim.faults.set(retry_after=7)
    sim.faults.inject("429", path="/paymentmethods", count=2)
    for _ in range(2):
        r = api.get("/paymentmethods")
        assert r.status_code == 429 and r.headers["retry-after"] == "7"
        assert r.json() == {"message": "Too many requests"}
    assert api.get("/paymentmethods").status_code == 200


def test_timeout_applies_then_stalls(sim, shop):
    sim.faults.set(timeout_seconds=30)
    sim.faults.inject("timeout", method="POST", path="/cart/")
    before = carts(sim)
    with httpx.Client(base_url=sim.client_url, timeout=0.3) as c:
        with pytest.raises(httpx.ReadTimeout):
            c.post("/cart/")
    assert carts(sim) == before + 1
    # a stalled answer must not hold up shutdown: stop() returns long before the 30 s stall ends
    stopper = threading.Thread(target=sim.stop, daemon=True)
    stopper.start()
    stopper.join(timeout=10)
    assert not stopper.is_alive()


def test_injection_targets_method_and_path(sim, api, pep):
    sim.faults.inject("5xx", method="GET", path="*/peppered/hall")
    assert api.get("/events").status_code == 200
    assert pep.get("/event").status_code == 200
    assert pep.get("/hall").status_code == 500
    assert pep.get("/hall").status_code == 200
    assert sim.faults.pending() == []


def test_rates_and_clear(sim, api):
    sim.faults.set(error_rate=1.0)
    assert all(api.get("/paymentmethods").status_code == 500 for _ in range(3))
    # control endpoints, payment pages and tickets are never faulted
    assert httpx.get(f"{sim.base_url}/_sim/state").status_code == 200
    sim.faults.clear()
    assert api.get("/paymentmethods").status_code == 200
    sim.faults.set(malformed_rate=0.5)
    outcomes = set()
    for _ in range(30):
        try:
            api.get("/paymentmethods").json()
            outcomes.add("ok")
        except json.JSONDecodeError:
            outcomes.add("bad")
    assert outcomes == {"ok", "bad"}


def test_latency(sim, api):
    sim.faults.set(latency_ms=150)
    t0 = time.monotonic()
    api.get("/paymentmethods")
    assert time.monotonic() - t0 >= 0.15


def test_faults_over_http(sim, api):
    r = httpx.post(f"{sim.base_url}/_sim/faults",
                   json={"inject": {"kind": "429", "path": "/paymentmethods"}, "retry_after": 3})
    assert r.status_code == 200 and r.json()["retry_after"] == 3
    assert len(r.json()["pending"]) == 1
    assert api.get("/paymentmethods").status_code == 429
    assert httpx.post(f"{sim.base_url}/_sim/faults", json={"inject": {"kind": "nope"}}
                      ).status_code == 422
    assert httpx.post(f"{sim.base_url}/_sim/faults", json={"clear": True}).json()["pending"] == []


def test_unknown_kind_rejected(sim):
    with pytest.raises(ValueError):
        sim.faults.inject("explode")
    with pytest.raises(ValueError):
        sim.faults.set(error_rate=2)


# --------------------------------------------------------------------------- drift (issue 15)
def test_drift_is_set_through_the_control_api_and_cleared(sim, api):
    r = httpx.post(f"{sim.base_url}/_sim/faults", json={"drift": ["string_ids", "wrapped_lists"]})
    assert r.status_code == 200 and r.json()["drift"] == ["string_ids", "wrapped_lists"]
    events = api.get("/events").json()
    assert set(events) == {"data"}
    sub = events["data"][0]["sub_events"][0]
    assert isinstance(sub["event_id"], str) and sub["event_id"].isdigit()
    assert httpx.post(f"{sim.base_url}/_sim/faults", json={"drift": ["nope"]}).status_code == 422
    assert httpx.post(f"{sim.base_url}/_sim/faults", json={"clear": True}).json()["drift"] == []
    assert isinstance(api.get("/events").json(), list)


def test_drift_variants_change_only_what_they_name(sim, api, pep, shop):
    perf = sim.catalog.find("seated")
    plain_events = api.get("/events").json()
    plain_plan = shop.plan(perf.event_id)
    sim.faults.set(drift=["null_event_free", "no_event_status", "bad_date", "text_event_type",
                          "lettered_rows", "labelled_seats", "extra_fields"])
    events = api.get("/events").json()
    subs = [s for e in events for s in e["sub_events"]]
    plain_subs = [s for e in plain_events for s in e["sub_events"]]
    assert subs[0]["event_free"] is None and "event_status" not in subs[1]
    assert subs[2]["event_date"] == "soon"
    assert all(isinstance(s["event_type"], str) for s in subs)
    assert [s["event_id"] for s in subs] == [s["event_id"] for s in plain_subs]
    assert all(s["x_drift_note"] for s in subs) and all(e["x_drift_note"] for e in events)
    plan = shop.plan(perf.event_id)
    row, plain_row = plan["sections"][0]["rows"][0], plain_plan["sections"][0]["rows"][0]
    assert row["rowNr"] == chr(ord("A") + plain_row["rowNr"] - 1)
    assert [s["seatNr"] for s in row["seats"]] == [f"{s['seatNr']}a" for s in plain_row["seats"]]
    assert [s["seatId"] for s in row["seats"]] == [s["seatId"] for s in plain_row["seats"]]


def test_int_seat_ids_are_served_and_taken_back(sim, api, pep, shop):
    perf = sim.catalog.find("seated")
    sim.faults.set(drift=["int_seat_ids", "numeric_cart_rows"])
    seat = next(s for sec in shop.plan(perf.event_id)["sections"] for row in sec["rows"]
                for s in row["seats"] if s["available"])
    assert isinstance(seat["seatId"], int)
    level = next(pl for pl in shop.plan(perf.event_id)["priceLevels"] if pl["rankId"] == seat["rankId"])
    cart = shop.new_cart()
    r = pep.post(f"/cart/{cart}", json=[{"priceId": level["priceId"], "rankId": seat["rankId"],
                                         "eventId": perf.event_id, "seatId": str(seat["seatId"])}])
    assert r.status_code == 200, r.text
    assert [i["itemId"] for i in r.json()["cartItems"]] == [seat["seatId"]]
    lines = api.get(f"/cart/{cart}").json()
    assert lines[0]["seat_id"] == seat["seatId"] and isinstance(lines[0]["seat_row_nr"], int)
    assert pep.delete(f"/cart/{cart}/{seat['seatId']}").status_code == 200
    assert api.get(f"/cart/{cart}").json() == [{"cart": 0}]


def test_empty_seating_and_wrapped_gets_only(sim, api, shop):
    perf = sim.catalog.find("seated")
    sim.faults.set(drift=["empty_seating", "wrapped_lists"])
    assert shop.plan(perf.event_id)["sections"] == []
    r = api.post("/cart/")                      # a POST answer is never wrapped
    assert r.status_code == 201 and "cart_id" in r.json()
    with pytest.raises(ValueError):
        sim.faults.set(drift="not-a-variant")
