"""Peppered endpoints: auth, camelCase shapes, numeric money, ISO dates, seat-level cart."""
from __future__ import annotations

import base64
import re
from datetime import datetime

import httpx

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$")


def test_auth_required_raw_and_basic(sim):
    url = f"{sim.client_url}/peppered/hall"
    r = httpx.get(url)
    assert r.status_code == 401 and r.json() == {"message": "Unauthenticated."}
    assert httpx.get(url, headers={"Authorization": "wrong"}).status_code == 401
    assert httpx.get(url, headers={"Authorization": f"Bearer {sim.api_key}"}).status_code == 401
    assert httpx.get(url, headers={"Authorization": sim.api_key}).status_code == 200
    basic = base64.b64encode(f"{sim.api_key}:".encode()).decode()
    assert httpx.get(url, headers={"Authorization": f"Basic {basic}"}).status_code == 200
    assert httpx.get(url, auth=(sim.api_key, "")).status_code == 200
    assert sim.api_key not in repr(sim)


def test_halls(sim, pep):
    halls = pep.get("/hall").json()
    assert len(halls) >= 5
    assert set(halls[0]) == {"hallId", "hallName", "hallAddress", "hallZip", "hallCity",
                             "hallPhone", "hallUrl"}
    one = pep.get(f"/hall/{halls[1]['hallId']}").json()
    assert one == halls[1]
    r = pep.get("/hall/999")
    assert r.status_code == 404 and "message" in r.json()


def test_seating_plan_shape(sim, pep, shop):
    perf = sim.catalog.find("theatre")
    plan = shop.plan(perf.event_id)
    assert plan["eventId"] == perf.event_id and plan["hallId"] == 1
    ranks = {s["rankId"] for sec in plan["sections"] for row in sec["rows"] for s in row["seats"]}
    n_types = len(sim.catalog.production_of(perf).ticket_types)
    assert len(plan["priceLevels"]) == len(ranks) * n_types  # one per (rank, ticket type)
    for lvl in plan["priceLevels"]:
        assert isinstance(lvl["amount"], (int, float)) and isinstance(lvl["priceId"], str)
    seats = [s for sec in plan["sections"] for row in sec["rows"] for s in row["seats"]]
    assert 850 <= len(seats) <= 950
    assert all(isinstance(s["seatId"], str) and len(s["seatId"]) == 10 for s in seats)
    assert len({s["seatId"] for s in seats}) == len(seats)
    assert plan["available"] == sum(s["available"] for s in seats)
    names = {sec["sectionName"] for sec in plan["sections"]}
    assert {"Parket", "Balkon"} <= names and len(names) >= 4
    row_lengths = {len(row["seats"]) for sec in plan["sections"] for row in sec["rows"]}
    assert len(row_lengths) > 3  # rows of different lengths


def test_balcony_numbered_odd_even_from_centre(sim, shop):
    plan = shop.plan(sim.catalog.find("theatre").event_id)
    balcony = next(sec for sec in plan["sections"] if sec["sectionName"] == "Balkon")
    nrs = [s["seatNr"] for s in balcony["rows"][0]["seats"]]
    i = nrs.index(1)
    assert nrs[i + 1] == 2 and nrs[i - 1] == 3 and nrs[i + 2] == 4
    assert nrs[0] % 2 == 1 and nrs[-1] % 2 == 0


def test_general_admission_has_no_seating(sim, pep):
    r = pep.get(f"/seating/{sim.catalog.find('ga').event_id}")
    assert r.status_code == 404 and r.json() == {"message": "No seating plan for this event"}
    r = pep.get("/seating/999999")
    assert r.status_code == 404 and r.json() == {"message": "Event not found"}


def test_events_list_and_detail(sim, pep):
    all_events = pep.get("/event").json()
    assert len(all_events) == len(sim.catalog.performances)
    for ev in all_events:
        assert ISO.match(ev["start"]) and ISO.match(ev["end"])
        assert all(isinstance(p["amount"], (int, float)) for p in ev["prices"])
    first = datetime.fromisoformat(all_events[5]["start"]).date().isoformat()
    window = pep.get("/event", params={"startDate": first, "endDate": first}).json()
    assert window and all(ev["start"].startswith(first) for ev in window)
    assert pep.get("/event", params={"startDate": "27-11-2026"}).status_code == 422

    perf = sim.catalog.find("theatre", production="Hamlet")
    ev = pep.get(f"/event/{perf.event_id}").json()
    assert ev["eventId"] == perf.event_id and ev["productionId"] == perf.production_id
    assert {"availability", "blockAvailability", "prices"} <= set(ev)
    assert {b["blockType"] for b in ev["blockAvailability"]} == {
        "block", "perf", "ext", "group", "press", "wheel", "tech", "theat", "sight"}
    assert next(b for b in ev["blockAvailability"] if b["blockType"] == "tech")["count"] == 4
    assert any(p["amount"] == 18.38 for p in ev["prices"])
    assert pep.get("/event/999999").status_code == 404


def test_cart_add_specific_seat_and_conflict(sim, api, pep, shop):
    perf = sim.catalog.find("seated")
    seat = shop.seats(perf.event_id)[0]
    price_id = shop.ticket_type_id(perf.event_id)
    cart_a, cart_b = shop.new_cart(), shop.new_cart()
    item = {"priceId": price_id, "rankId": seat["rankId"], "eventId": perf.event_id,
            "seatId": seat["seatId"]}
    r = pep.post(f"/cart/{cart_a}", json=[item])
    assert r.status_code == 200
    cart = r.json()
    assert cart["numberOfItems"] == 1 and cart["cartItems"][0]["itemId"] == seat["seatId"]
    assert isinstance(cart["amount"], (int, float)) and ISO.match(cart["timeOut"])
    # the public cart line seat_id equals the seatId
    assert api.get(f"/cart/{cart_a}").json()[0]["seat_id"] == seat["seatId"]
    # the seat now reads unavailable, and a second cart gets 409 with a message
    assert seat["seatId"] not in {s["seatId"] for s in shop.seats(perf.event_id)}
    r = pep.post(f"/cart/{cart_b}", json=[item])
    assert r.status_code == 409
    assert re.fullmatch(r"Seat \d+-\d+ is not available", r.json()["message"])
    assert sim.state.seat_status(perf.event_id, seat["seatId"]) == "held"
    assert sim.state.holds(perf.event_id)[seat["seatId"]] == cart_a


def test_cart_add_is_all_or_nothing(sim, pep, shop):
    perf = sim.catalog.find("seated")
    free = shop.seats(perf.event_id)
    price_id = shop.ticket_type_id(perf.event_id)
    taker = shop.new_cart()
    pep.post(f"/cart/{taker}", json=[{"priceId": price_id, "rankId": free[1]["rankId"],
                                      "eventId": perf.event_id, "seatId": free[1]["seatId"]}])
    cart = shop.new_cart()
    items = [{"priceId": price_id, "rankId": s["rankId"], "eventId": perf.event_id,
              "seatId": s["seatId"]} for s in free[:3]]
    r = pep.post(f"/cart/{cart}", json=items)
    assert r.status_code == 409
    assert pep.get(f"/cart/{cart}").json()["numberOfItems"] == 0
    assert sim.state.seat_status(perf.event_id, free[0]["seatId"]) == "free"


def test_cart_add_validation(sim, pep, shop):
    perf = sim.catalog.find("theatre")
    plan = shop.plan(perf.event_id)
    seat = next(s for sec in plan["sections"] for row in sec["rows"] for s in row["seats"]
                if s["available"])
    other_rank = next(lvl["rankId"] for lvl in plan["priceLevels"] if lvl["rankId"] != seat["rankId"])
    cart = shop.new_cart()
    price_id = shop.ticket_type_id(perf.event_id)
    r = pep.post(f"/cart/{cart}", json=[{"priceId": price_id, "rankId": other_rank,
                                         "eventId": perf.event_id, "seatId": seat["seatId"]}])
    assert r.status_code == 422 and "message" in r.json()
    r = pep.post(f"/cart/{cart}", json=[{"priceId": "XXXXXXXXXX", "rankId": seat["rankId"],
                                         "eventId": perf.event_id, "seatId": seat["seatId"]}])
    assert r.status_code == 422
    r = pep.post(f"/cart/{cart}", json={"priceId": price_id})  # not an array
    assert r.status_code == 422
    # without seatId: best seats within the rank
    r = pep.post(f"/cart/{cart}", json=[{"priceId": price_id, "rankId": seat["rankId"],
                                         "eventId": perf.event_id, "numberOfTickets": 2},
                                        {"priceId": "donation", "rankId": 0, "amount": 5.0}])
    assert r.status_code == 200
    body = r.json()
    assert body["numberOfItems"] == 3
    assert sorted(i["itemType"] for i in body["cartItems"]) == ["donation", "ticket", "ticket"]


def test_cart_summary_delete_and_clear(sim, pep, shop):
    perf = sim.catalog.find("seated")
    cart = shop.new_cart()
    lines = shop.add(cart, perf.event_id, 3).json()[:-1]
    summary = pep.get(f"/cart/{cart}/summary").json()
    assert set(summary) == {"cartId", "timeOut", "numberOfItems", "amount"}
    assert summary["numberOfItems"] == 3
    r = pep.delete(f"/cart/{cart}/{lines[0]['seat_id']}")
    assert r.status_code == 200 and r.json()["numberOfItems"] == 2
    assert pep.delete(f"/cart/{cart}/{lines[0]['seat_id']}").status_code == 404
    r = pep.delete(f"/cart/{cart}")
    assert r.status_code == 200 and r.json()["numberOfItems"] == 0
    assert sim.state.holds(perf.event_id) == {}
    assert pep.get("/cart/unknownunknownunknownunknown1234").status_code == 404


def test_checkout_orders_and_export(sim, pep, shop):
    perf = sim.catalog.find("theatre")
    free = shop.seats(perf.event_id)[:2]
    price_id = shop.ticket_type_id(perf.event_id)
    customer = pep.post("/customer", json={"email": "jan@example.org", "customerFirstName": "Jan",
                                           "customerLastName": "Klaassen"}).json()
    cart = shop.new_cart()
    pep.post(f"/cart/{cart}", json=[{"priceId": price_id, "rankId": s["rankId"],
                                     "eventId": perf.event_id, "seatId": s["seatId"]} for s in free])
    r = pep.post(f"/cart/{cart}/checkout", json={"paymentMethodId": 34,
                                                 "customerId": customer["customerId"],
                                                 "redirectUrl": None})
    assert r.status_code == 200, r.text
    order = r.json()
    assert order["paymentUrl"].startswith(sim.origin)
    assert order["orderPaymentStatus"] == "none" and order["orderStatus"] == "ord"
    assert order["customerId"] == customer["customerId"] and ISO.match(order["orderDate"])
    assert ISO.match(order["timeOut"]) and isinstance(order["amount"], (int, float))
    assert pep.get(f"/cart/{cart}").json()["numberOfItems"] == 0
    assert pep.post(f"/cart/{cart}/checkout", json={"paymentMethodId": 34}).status_code == 422

    assert pep.get(f"/order/{order['orderId']}").json()["orderKey"] == order["orderKey"]
    assert pep.get("/order/1").status_code == 404
    since = order["orderDate"]
    listed = pep.get("/order", params={"changedSince": since}).json()
    assert [o["orderId"] for o in listed] == [order["orderId"]]
    assert len(pep.get("/order").json()) > 1  # seeded history too

    sim.settle(order["orderKey"], "paid")
    exported = pep.post("/export/orders", json={"changedSince": since}).json()
    [ex] = exported
    assert ex["orderPaymentStatus"] == "paid" and ex["fee"] == 1.5
    assert ex["user"]["customerId"] == customer["customerId"]
    seats = ex["seats"]
    assert {(s["rowNr"], s["seatNr"]) for s in seats} == {
        sim.state.seat_position(perf, sim.state.codec.decode(s["seatId"])[1]) for s in free}
    for s in seats:
        assert isinstance(s["seatId"], int) and s["eventId"] == perf.event_id
        assert {"rankId", "amount", "priceId", "priceName"} <= set(s)
    assert ex["deletedSeats"] == []


def test_cancelled_order_moves_seats_to_deleted(sim, pep, shop):
    perf = sim.catalog.find("seated")
    key = shop.order(perf.event_id, 2)
    sim.settle(key, "cancelled")
    [ex] = [o for o in pep.post("/export/orders", json={}).json() if o["orderKey"] == key]
    assert ex["seats"] == [] and len(ex["deletedSeats"]) == 2 and ex["orderStatus"] == "cancel"


def test_customers(sim, pep):
    body = {"email": "Mia@Example.org", "customerFirstName": "Mia", "customerLastName": "Vos",
            "customerPhone": "0611122233", "customerCredit": "25.50"}
    r = pep.post("/customer", json=body)
    assert r.status_code == 201
    c = r.json()
    assert isinstance(c["customerId"], int) and c["email"] == "Mia@Example.org"
    dup = pep.post("/customer", json={**body, "email": "mia@example.org"})
    assert dup.status_code == 422 and "email" in dup.json()["errors"]
    bad = pep.post("/customer", json={"email": "not-an-email", "customerFirstName": "",
                                      "customerPhone": "06-123"})
    assert bad.status_code == 422
    assert {"email", "customerFirstName", "customerLastName", "customerPhone"} <= set(
        bad.json()["errors"])
    found = pep.post("/customer/findByEmail", json={"email": "mia@example.org"})
    assert found.status_code == 200 and found.json()["customerId"] == c["customerId"]
    r = pep.post("/customer/findByEmail", json={"email": "nobody@example.org"})
    assert r.status_code == 404 and "message" in r.json()
    assert pep.get(f"/customer/{c['customerId']}").json() == c
    r = pep.put(f"/customer/{c['customerId']}", json={"customerCity": "Utrecht"})
    assert r.status_code == 200 and r.json()["customerCity"] == "Utrecht"
    assert r.json()["customerLastName"] == "Vos"
    assert pep.put(f"/customer/{c['customerId']}", json={"customerZip": "x" * 11}).status_code == 422
    assert pep.get("/customer/424242").status_code == 404


def test_payment_methods_share_ids_with_public(sim, api, pep):
    public = {m["payment_id"]: m["payment_desc"] for m in api.get("/paymentmethods").json()}
    peppered = pep.get("/paymentmethods").json()
    assert {m["paymentMethodId"]: m["name"] for m in peppered} == public
    assert next(m for m in peppered if m["name"] == "Credit card")["fee"] == 1.5
