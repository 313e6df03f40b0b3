"""Public endpoints: shapes and quirks exactly as the VdM documentation shows them."""
from __future__ import annotations

import re
from datetime import datetime

import httpx

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^\d{2}:\d{2}:\d{2}$")
MONEY = re.compile(r"^\d+\.\d{2}$")


def test_events_list_shape(sim, api):
    r = api.get("/events")
    assert r.status_code == 200
    mains = r.json()
    assert isinstance(mains, list) and len(mains) >= 12
    subs = [s for m in mains for s in m["sub_events"]]
    assert len(subs) >= 40
    assert any(m["sub_events"] == [] for m in mains)  # announced production, no dates yet
    for m in mains:
        assert set(m) >= {"event_id", "event_name", "event_text", "event_short_text",
                          "event_image", "sub_events"}
    for s in subs:
        assert DATE.match(s["event_date"]) and TIME.match(s["event_time"])
        assert TIME.match(s["event_end"])
        assert s["event_rep"] == "sub" and isinstance(s["event_free"], int)
        assert s["event_status"] in ("pub", "nosal")
        assert s["event_view_end"] == "0000-00-00 00:00:00" or \
            datetime.strptime(s["event_view_end"], "%Y-%m-%d %H:%M:%S")
        assert isinstance(s["location_id"], int) and s["location_name"]
    assert {s["event_main_id"] for s in subs} <= {m["event_id"] for m in mains}


def test_event_free_is_censored_max_per_order(sim, api):
    subs = {s["event_id"]: s for m in api.get("/events").json() for s in m["sub_events"]}
    assert subs[sim.catalog.find("soldout").event_id]["event_free"] == 0
    assert subs[sim.catalog.find("nosal").event_id]["event_free"] == 0
    assert subs[sim.catalog.find("past").event_id]["event_free"] == 0
    assert subs[sim.catalog.find("empty").event_id]["event_free"] == 10


def test_after_midnight_performance(sim, api):
    perf = sim.catalog.find("after_midnight")
    [sub] = api.get(f"/events/{perf.event_id}").json()
    assert sub["event_end"] < sub["event_time"]
    assert sub["event_view_end"] != "0000-00-00 00:00:00"


def test_upcoming_drops_past(sim, api):
    past = sim.catalog.find("past").event_id
    everything = [s["event_id"] for m in api.get("/events").json() for s in m["sub_events"]]
    upcoming = [s["event_id"] for m in api.get("/events/upcoming").json() for s in m["sub_events"]]
    assert past in everything and past not in upcoming
    assert all(m["sub_events"] for m in api.get("/events/upcoming").json())


def test_event_by_main_and_sub_id(sim, api):
    perf = sim.catalog.find("seated")
    [main] = api.get(f"/events/{perf.production_id}").json()
    assert main["event_id"] == perf.production_id
    assert perf.event_id in [s["event_id"] for s in main["sub_events"]]
    [sub] = api.get(f"/events/{perf.event_id}").json()
    assert sub["event_id"] == perf.event_id and "sub_events" not in sub
    assert sub["event_main_id"] == perf.production_id
    r = api.get("/events/999999")
    assert r.status_code == 404 and r.json() == {"message": "Event not found"}


def test_ticket_types_and_rounding(sim, api):
    perf = sim.catalog.find("theatre", production="Hamlet")
    r = api.get(f"/tickettypes/{perf.event_id}")
    assert r.status_code == 200
    assert b'"discount_type": "\\u20ac"' in r.content  # euro sign JSON-escaped on the wire
    types = {t["discount_name"]: t for t in r.json()}
    assert types["Standaard"]["base_price"] == "24.50"
    assert types["Stadspas"] == {**types["Stadspas"], "discount_type": "%",
                                 "discount_value": "25.00", "discounted_price": "18.38"}
    assert types["CJP"]["discount_type"] == "€" and types["CJP"]["discounted_price"] == "23.50"
    assert types["Uitflits"]["discount_type"] == "=" and types["Uitflits"]["discounted_price"] == "2.00"
    for t in types.values():
        assert len(t["discount_id"]) == 10
        for k in ("base_price", "discount_value", "discounted_price"):
            assert MONEY.match(t[k])
    r = api.get(f"/tickettypes/{perf.production_id}")  # a main-event id fails
    assert r.status_code == 404 and r.json() == {"message": "sub_event not found"}


def test_payment_methods(api):
    methods = {m["payment_desc"]: m for m in api.get("/paymentmethods").json()}
    assert set(methods) == {"Cash", "PIN", "iDEAL", "Credit card"}
    assert methods["Credit card"]["payment_cost"] == "1.50"
    assert all(isinstance(m["payment_id"], int) for m in methods.values())


def test_cart_create_add_get_delete(sim, api, shop):
    r = api.post("/cart/")
    assert r.status_code == 201
    cart_id = r.json()["cart_id"]
    assert re.fullmatch(r"[A-Za-z0-9]{32}", cart_id)
    assert r.headers["location"] == f"{sim.client_url}/cart/{cart_id}"
    assert api.get(f"/cart/{cart_id}").json() == [{"cart": 0}]

    perf = sim.catalog.find("seated")
    r = shop.add(cart_id, perf.event_id, 3, "Stadspas")
    assert r.status_code == 200
    body = r.json()
    assert body == api.get(f"/cart/{cart_id}").json()
    lines, total = body[:-1], body[-1]
    assert len(lines) == 3 and set(total) == {"totalprice"}
    for ln in lines:
        assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", ln["event_date"])
        assert re.fullmatch(r"\d{2}:\d{2}", ln["event_time"])
        assert isinstance(ln["seat_row_nr"], str) and isinstance(ln["seat_nr"], str)
        assert MONEY.match(ln["seat_price"]) and ln["numberoftickets"] == 1
        assert ln["event_id"] == perf.event_id and len(ln["seat_id"]) == 10
    # adjacent: one row, consecutive seat numbers (straight-numbered hall)
    assert len({ln["seat_row_nr"] for ln in lines}) == 1
    nrs = sorted(int(ln["seat_nr"]) for ln in lines)
    assert nrs == list(range(nrs[0], nrs[0] + 3))
    from decimal import Decimal
    assert Decimal(total["totalprice"]) == sum(Decimal(ln["seat_price"]) for ln in lines)

    r = api.delete(f"/cart/{cart_id}/{lines[0]['seat_id']}")
    assert r.status_code == 200 and len(r.json()) == 3
    r = api.delete(f"/cart/{cart_id}/{lines[0]['seat_id']}")
    assert r.status_code == 404 and "message" in r.json()
    r = api.get("/cart/NoSuchCartNoSuchCartNoSuchCart12")
    assert r.status_code == 404 and r.json() == {"message": "Cart not found"}


def test_form_encoded_add(sim, api, shop):
    cart = shop.new_cart()
    perf = sim.catalog.find("seated")
    r = api.post(f"/cart/{cart}", data={"event_id": str(perf.event_id), "numberoftickets": "2",
                                        "discount_id": shop.ticket_type_id(perf.event_id)})
    assert r.status_code == 200 and len(r.json()) == 3


def test_general_admission_lines_have_zero_row_and_seat(sim, shop):
    cart = shop.new_cart()
    perf = sim.catalog.find("ga")
    lines = shop.add(cart, perf.event_id, 2).json()[:-1]
    assert [(ln["seat_row_nr"], ln["seat_nr"]) for ln in lines] == [("0", "0")] * 2
    assert len({ln["seat_id"] for ln in lines}) == 2


def test_add_errors(sim, api, shop):
    cart = shop.new_cart()
    perf = sim.catalog.find("seated")
    r = shop.add(cart, perf.event_id, 11)
    assert r.status_code == 422 and r.json() == {"message": "Maximum number of tickets per order exceeded"}
    assert shop.add(cart, perf.event_id, 6).status_code == 200
    assert shop.add(cart, perf.event_id, 5).status_code == 422  # 6 + 5 > 10 for one order
    nosal = sim.catalog.find("nosal")
    r = shop.add(cart, nosal.event_id, 1)
    assert r.status_code == 422 and r.json() == {"message": "Event is not on sale"}
    soldout = sim.catalog.find("soldout")
    r = shop.add(cart, soldout.event_id, 1)
    assert r.status_code == 409 and r.json() == {"message": "Not enough seats available"}
    r = api.post(f"/cart/{cart}", json={"event_id": perf.event_id, "numberoftickets": 1,
                                        "discount_id": "nope"})
    assert r.status_code == 422


def test_order_create_and_status(sim, api, shop):
    cart = shop.new_cart()
    perf = sim.catalog.find("seated")
    shop.add(cart, perf.event_id, 2)
    r = api.post("/order/create", json={"cart_id": cart, "payment_id": 34,
                                        "redirectURL": "https://shop.example/done",
                                        "email": "kees@example.org", "firstname": "Kees",
                                        "lastname": "Smit", "avg_optin": False})
    assert r.status_code == 200
    [created] = r.json()
    assert set(created) == {"url", "order_key"}
    assert re.fullmatch(r"([A-Za-z0-9]{5}-){3}[A-Za-z0-9]{5}", created["order_key"])
    assert created["url"].startswith(sim.origin + "/")
    assert api.get(f"/cart/{cart}").json() == [{"cart": 0}]  # the order consumed the cart
    r = api.post("/order/create", json={"cart_id": cart, "payment_id": 34})
    assert r.status_code == 422 and r.json() == {"message": "Cart is empty"}

    status = api.get(f"/order/{created['order_key']}").json()
    assert status["order_payment_status"] == "none"
    assert status["order_tickets_nr"] == 2
    assert all(isinstance(s["seat_id"], int) for s in status["seats"])
    assert status["order_tickets_url"].startswith("http://127.0.0.1:")
    assert status["order_receipt_url"].startswith("http://127.0.0.1:")
    r = api.get("/order/AAAAA-BBBBB-CCCCC-DDDDD")
    assert r.status_code == 404 and "message" in r.json()


def test_order_create_rejects_bad_payment_id(sim, api, shop):
    cart = shop.new_cart()
    shop.add(cart, sim.catalog.find("seated").event_id, 1)
    r = api.post("/order/create", json={"cart_id": cart, "payment_id": 999})
    assert r.status_code == 422
    assert len(api.get(f"/cart/{cart}").json()) == 2  # nothing consumed


def test_unknown_client_and_path(sim):
    r = httpx.get(f"{sim.base_url}/nosuchclient/events")
    assert r.status_code == 404 and r.json() == {"message": "Client not found"}
    r = httpx.get(f"{sim.client_url}/nothing-here")
    assert r.status_code == 404 and "message" in r.json()


def test_ticket_type_quota_used_up_is_omitted(sim, api, shop):
    perf = sim.catalog.find("theatre", production="Hamlet")
    names = lambda: {t["discount_name"] for t in api.get(f"/tickettypes/{perf.event_id}").json()}  # noqa: E731
    assert "Uitflits" in names()
    cart = shop.new_cart()
    assert shop.add(cart, perf.event_id, 4, "Uitflits").status_code == 200  # quota is 4
    assert "Uitflits" not in names()
    tid = next(tt.price_id for tt in sim.catalog.ticket_types.values() if tt.name == "Uitflits")
    r = api.post(f"/cart/{shop.new_cart()}", json={"event_id": perf.event_id,
                                                    "numberoftickets": 1, "discount_id": tid})
    assert r.status_code == 422 and "message" in r.json()
    api.delete(f"/cart/{cart}/{api.get(f'/cart/{cart}').json()[0]['seat_id']}")
    assert "Uitflits" in names()  # released again


def test_wrong_method_is_405(api):
    r = api.put("/events")
    assert r.status_code == 405 and "message" in r.json()
