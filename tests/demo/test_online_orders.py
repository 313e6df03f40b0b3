"""The venue's online orders in the simulator (issue 11): named customers (infixes, accents), every
order status, the seed's sold seats owned by live orders, changedSince on /order and both exports,
the test hooks, the counter's own sales in the export, and the volume seed."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import httpx
import pytest

from boxoffice.demo import SimulatorServer
from boxoffice.demo import behaviour as B
from boxoffice.demo.state import BLOCKED, ORDERED, SOLD

# The sold set of the default seed (seed 1, per performance: 1 for a sold/ordered seat), taken
# from the simulator before the online orders existed (commit 588aef6).
SOLD_SET_BEFORE = "570327f031863fb1502257d2b99ed5a8bcec3b97b0665112b402dfc9f92e2948"
LIVE = set(B.LIVE_ORDER_STATUSES)


def export(pep: httpx.Client, since: str | None = None, what: str = "orders") -> list[dict]:
    r = pep.post(f"/export/{what}", json={} if since is None else {"changedSince": since})
    assert r.status_code == 200, r.text
    return r.json()


def by_name(orders: list[dict], first: str, infix: str | None, last: str) -> list[dict]:
    return [o for o in orders if o["user"] and o["user"]["customerFirstName"] == first
            and o["user"]["customerPreposition"] == infix and o["user"]["customerLastName"] == last]


def sold_digest(sim: SimulatorServer) -> str:
    st = sim.state
    h = hashlib.sha256()
    with st.lock:
        for eid, perf in sorted(st.catalog.performances.items()):
            if perf.entered is not None:   # "Klokkennacht" (the DST nights) came later
                continue
            es = st.seats(perf)
            h.update(f"{eid}:".encode()
                     + bytes(1 if s in (SOLD, ORDERED) else 0 for s in es.status))
    return h.hexdigest()


def test_the_default_seed_sells_the_same_seats_as_before_the_orders_existed(sim, pep):
    export(pep)  # the online orders are built now
    assert len(sim.state.orders_by_id) > 1000
    assert sold_digest(sim) == SOLD_SET_BEFORE


def test_seeded_orders_by_named_customers_with_infixes_and_accents(pep):
    orders = export(pep)
    www = [o for o in orders if o["orderChannel"] == "www"]
    assert len(www) > 1000
    for first, infix, last in [("Anna", "de", "Vries"), ("Jan", "van der", "Berg"),
                               ("Pieter", "van 't", "Hek"), ("Zoë", None, "Jansen"),
                               ("Emre", None, "Çelik"), ("Léa", None, "Dubois"),
                               ("Thomas", None, "Müller")]:
        mine = by_name(www, first, infix, last)
        assert mine, (first, infix, last)
        user = mine[0]["user"]
        assert user["customerId"] == mine[0]["customerId"] and "@" in user["email"]
    # Anna de Vries is the seed's customer 867, who also bought at the counter
    anna = by_name(orders, "Anna", "de", "Vries")
    assert {o["customerId"] for o in anna} == {867}
    assert {o["orderChannel"] for o in anna} == {"www", B.COUNTER_CHANNEL}
    # every status of the docs is there, each with its payment status
    statuses = {o["orderStatus"] for o in www}
    assert statuses == {"ord", "res", "pros", "cancel", "reemit", "reissue", "trash"}
    for o in www:
        paid = {"ord": "paid", "reemit": "paid", "reissue": "paid", "res": "none", "pros": "none"}
        if o["orderStatus"] in paid:
            assert o["orderPaymentStatus"] == paid[o["orderStatus"]], o
    # the customers export has them, with the same fields
    customers = {c["customerId"]: c for c in export(pep, what="customers")}
    for o in www[:200]:
        assert customers[o["customerId"]] == o["user"]


def test_reservations_have_a_timeout_in_the_future_and_paid_orders_none(sim, pep):
    orders = export(pep)
    now = sim.now()
    res = [o for o in orders if o["orderStatus"] == "res"]
    assert res
    for o in res:
        assert o["orderPaymentStatus"] == "none"
        assert datetime.fromisoformat(o["timeOut"]) > now
        assert datetime.fromisoformat(o["timeOut"]) > datetime.fromisoformat(o["lastChanged"])
    assert all(o["timeOut"] is None for o in orders if o["orderPaymentStatus"] == "paid")
    # and GET /order/{id} says the same
    one = pep.get(f"/order/{res[0]['orderId']}").json()
    assert (one["orderStatus"], one["timeOut"]) == ("res", res[0]["timeOut"])


def test_cancelled_and_trashed_orders_hold_no_seats_and_their_seats_are_free(sim, pep, shop):
    orders = export(pep)
    freed = [o for o in orders if o["orderStatus"] in ("cancel", "trash")]
    assert {o["orderStatus"] for o in freed} == {"cancel", "trash"}
    checked = 0
    for o in freed:
        assert o["seats"] == [] and o["deletedSeats"], o
        assert o["amount"] == pytest.approx(sum(s["amount"] for s in o["deletedSeats"])
                                            + o["donation"])
        order = sim.state.orders_by_id[o["orderId"]]
        eid = o["deletedSeats"][0]["eventId"]
        if checked < 3 and not sim.catalog.hall_of(sim.catalog.performances[eid]).is_ga:
            free = {s["seatId"] for s in shop.seats(eid, available=True)}
            assert {t.seat_id for t in order.deleted_tickets} <= free
            checked += 1
    assert checked == 3


@pytest.mark.parametrize("kind", ["theatre", "studio", "concert", "arena", "soldout", "past"])
def test_the_seats_sold_on_the_map_are_the_seats_of_the_live_orders(sim, pep, shop, kind):
    perf = sim.catalog.find(kind)
    eid = perf.event_id
    live = [o for o in export(pep) if o["orderStatus"] in LIVE]
    exported = [s for o in live for s in o["seats"] if s["eventId"] == eid]
    owned = {t.seat_id for o in live for t in sim.state.orders_by_id[o["orderId"]].tickets
             if t.event_id == eid}
    assert len(owned) == len(exported) > 0  # no seat in two live orders
    taken = {s["seatId"] for s in shop.seats(eid, available=False)}
    blocked = {s for s in taken if sim.state.seat_status(eid, s) == "blocked"}
    assert taken - blocked == owned
    # and in the per-rank counts of the event
    event = pep.get(f"/event/{eid}").json()
    total = sum(a["total"] for a in event["availability"])
    free = sum(a["available"] for a in event["availability"])
    assert total - free == len(exported) + len(blocked)


@pytest.mark.parametrize("kind", ["ga", "soldout_ga"])
def test_general_admission_counts_agree_with_the_orders(sim, pep, api, kind):
    perf = sim.catalog.find(kind)
    eid = perf.event_id
    live = [o for o in export(pep) if o["orderStatus"] in LIVE]
    tickets = [s for o in live for s in o["seats"] if s["eventId"] == eid]
    assert tickets and all((s["rowNr"], s["seatNr"]) == (0, 0) for s in tickets)
    event = pep.get(f"/event/{eid}").json()
    [rank] = event["availability"]
    assert rank["total"] - rank["available"] == len(tickets)
    event_free = api.get(f"/events/{eid}").json()[0]["event_free"]
    assert event_free == min(B.PER_ORDER_MAX, rank["available"])


def _since(orders: list[dict]) -> datetime:
    changed = sorted(datetime.fromisoformat(o["lastChanged"]) for o in orders)
    return changed[len(changed) // 2]


def test_changed_since_filters_the_order_list_and_both_exports(sim, pep):
    orders = export(pep)
    mid = _since(orders)
    expected = {o["orderId"] for o in orders if datetime.fromisoformat(o["lastChanged"]) >= mid}
    assert 0 < len(expected) < len(orders)
    stamp = mid.isoformat()
    assert {o["orderId"] for o in export(pep, stamp)} == expected
    listed = pep.get("/order", params={"changedSince": stamp})
    assert listed.status_code == 200
    assert {o["orderId"] for o in listed.json()} == expected
    # a date: from that day's (Amsterdam) midnight, a superset
    day = mid.date().isoformat()
    by_day = {o["orderId"] for o in export(pep, day)}
    assert expected < by_day < {o["orderId"] for o in orders}
    customers = export(pep, what="customers")
    changed = sorted(c.last_changed for c in sim.state.customers.values())
    cmid = changed[len(changed) // 2]
    newer = {c["customerId"] for c in export(pep, cmid.isoformat(), "customers")}
    assert 0 < len(newer) < len(customers)
    assert newer == {c.customer_id for c in sim.state.customers.values()
                     if c.last_changed >= cmid}


def test_the_hooks_show_up_in_a_delta_export(sim, pep, shop):
    export(pep)
    seeded = next(o for o in sim.online_orders() if o["orderStatus"] == "ord" and any(
        not sim.catalog.hall_of(sim.catalog.performances[s["eventId"]]).is_ga
        for s in o["seats"]))
    sim.advance_clock(60)
    mark = sim.now()
    sim.advance_clock(1)
    perf = sim.catalog.find("theatre")
    free_before = sim.state.free_seats(perf.event_id)
    new_ids = sim.add_online_orders(2, perf.event_id)
    sim.set_order_status(seeded["orderId"], "cancel")
    delta = export(pep, mark.isoformat())
    assert {o["orderId"] for o in delta} == {*new_ids, seeded["orderId"]}
    new = [o for o in delta if o["orderId"] in new_ids]
    assert all(o["orderChannel"] == "www" and o["orderStatus"] == "ord" and o["seats"]
               and o["user"]["customerLastName"] for o in new)
    taken = sum(len(o["seats"]) for o in new)
    assert sim.state.free_seats(perf.event_id) == free_before - taken
    cancelled = next(o for o in delta if o["orderId"] == seeded["orderId"])
    assert cancelled["orderStatus"] == "cancel" and cancelled["seats"] == []
    assert [s["seatId"] for s in cancelled["deletedSeats"]] == \
        [s["seatId"] for s in seeded["seats"]]
    order = sim.state.orders_by_id[seeded["orderId"]]
    eid = order.deleted_tickets[0].event_id
    free = {s["seatId"] for s in shop.seats(eid, available=True)}
    assert {t.seat_id for t in order.deleted_tickets if t.event_id == eid} <= free
    # the new buyers are new customers: in the customers delta, and GET /customer/{id}
    customers = {c["customerId"] for c in export(pep, mark.isoformat(), "customers")}
    assert {o["customerId"] for o in new} <= customers
    for o in new:
        assert pep.get(f"/customer/{o['customerId']}").json()["email"] == o["user"]["email"]
    # the order list agrees
    listed = pep.get("/order", params={"changedSince": mark.isoformat()}).json()
    assert {o["orderId"] for o in listed} == {*new_ids, seeded["orderId"]}
    # and the online list the tests read
    assert set(new_ids) <= {o["orderId"] for o in sim.online_orders()}


def test_a_cancelled_order_made_live_again_takes_its_seats_back(sim, pep):
    [oid] = sim.add_online_orders(1)
    sim.set_order_status(oid, "cancel")
    seat_ids = [t.seat_id for t in sim.state.orders_by_id[oid].deleted_tickets]
    eid = sim.state.orders_by_id[oid].deleted_tickets[0].event_id
    assert {sim.state.seat_status(eid, s) for s in seat_ids} == {"free"}
    sim.set_order_status(oid, "reissue")
    one = pep.get(f"/order/{oid}").json()
    assert (one["orderStatus"], one["orderPaymentStatus"]) == ("reissue", "paid")
    assert {sim.state.seat_status(eid, s) for s in seat_ids} == {"ordered"}
    sim.set_order_status(oid, "res")
    assert pep.get(f"/order/{oid}").json()["timeOut"] is not None
    with pytest.raises(ValueError):
        sim.set_order_status(oid, "gone")


def test_the_counters_own_sale_is_in_the_export_with_its_channel_and_customer(sim, pep, shop):
    perf = sim.catalog.find("seated")
    key = shop.order(perf.event_id, 2, email="zoe.counter@example.org", firstname="Zoë",
                     lastname="Çelik")
    sim.settle(key, "paid")
    [mine] = [o for o in export(pep) if o["orderKey"] == key]
    assert mine["orderChannel"] == B.COUNTER_CHANNEL != "www"
    assert mine["user"]["email"] == "zoe.counter@example.org"
    assert mine["user"]["customerFirstName"] == "Zoë"
    assert len(mine["seats"]) == 2


def test_public_order_status_answers_for_seeded_online_orders(sim, pep, api):
    orders = export(pep)
    paid = next(o for o in orders if o["orderChannel"] == "www" and o["orderStatus"] == "ord")
    r = api.get(f"/order/{paid['orderKey']}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["order_payment_status"] == "paid"
    assert body["order_tickets_nr"] == len(paid["seats"])
    assert [s["seat_id"] for s in body["seats"]] == [s["seatId"] for s in paid["seats"]]
    assert httpx.get(body["order_tickets_url"]).status_code == 200
    res = next(o for o in orders if o["orderStatus"] == "res")
    assert api.get(f"/order/{res['orderKey']}").json()["order_payment_status"] == "none"


def test_seeded_orders_stay_out_of_a_sales_recent_window(sim, pep):
    """A sale's recovery reads the orders of the last minutes: the seeded ones are older."""
    since = (sim.now() - timedelta(minutes=10)).isoformat()
    assert export(pep, since) == []


def test_changed_since_can_play_a_date_only_or_strict_server(pep, monkeypatch):
    orders = export(pep)
    stamp = orders[-1]["lastChanged"]
    assert orders[-1]["orderId"] in {o["orderId"] for o in export(pep, stamp)}
    monkeypatch.setattr(B, "CHANGED_SINCE_INCLUSIVE", False)
    assert orders[-1]["orderId"] not in {o["orderId"] for o in export(pep, stamp)}
    monkeypatch.setattr(B, "CHANGED_SINCE_FORMATS", ("date",))
    assert pep.post("/export/orders", json={"changedSince": stamp}).status_code == 422
    assert pep.post("/export/orders", json={"changedSince": stamp[:10]}).status_code == 200


def test_a_volume_seed_builds_and_exports_about_that_many_orders():
    with SimulatorServer(seed=1, today=date(2026, 11, 27), order_volume=5000) as sim:
        with httpx.Client(base_url=f"{sim.client_url}/peppered", timeout=60,
                          headers={"Authorization": sim.api_key}) as pep:
            orders = export(pep)
        assert 4900 <= len(orders) <= 5300
        assert len({o["orderId"] for o in orders}) == len(orders)
        assert len({o["orderKey"] for o in orders}) == len(orders)
        # the sold seats of every performance still belong to live orders, one order a seat
        live = [o for o in orders if o["orderStatus"] in LIVE]
        per_event: dict[int, int] = {}
        for o in live:
            for s in o["seats"]:
                per_event[s["eventId"]] = per_event.get(s["eventId"], 0) + 1
        st = sim.state
        for eid, perf in st.catalog.performances.items():
            es = st.seats(perf)
            sold = sum(1 for s in es.status if s in (SOLD, ORDERED))
            assert per_event.get(eid, 0) == sold, eid
            assert all(s != BLOCKED or i in es.block for i, s in enumerate(es.status))


def test_the_volume_option_reaches_the_command_line():
    from boxoffice.demo.cli import build_parser

    assert build_parser().parse_args(["--order-volume", "100000"]).order_volume == 100000
    assert build_parser().parse_args([]).order_volume is None


def test_a_seeded_reservation_paid_or_cancelled_on_the_payment_page(sim, pep):
    res = [o for o in export(pep) if o["orderStatus"] == "res" and o["seats"]]
    paid, dropped = res[0], res[1]
    sim.settle(paid["orderKey"], "paid")
    one = pep.get(f"/order/{paid['orderId']}").json()
    assert (one["orderStatus"], one["orderPaymentStatus"], one["timeOut"]) == ("ord", "paid", None)
    sim.settle(dropped["orderKey"], "cancelled")
    order = sim.state.orders_by_id[dropped["orderId"]]
    assert order.order_status == "cancel" and order.tickets == []
    eid = order.deleted_tickets[0].event_id
    assert {sim.state.seat_status(eid, t.seat_id) for t in order.deleted_tickets} == {"free"}


def test_the_export_shows_a_customer_changed_after_an_earlier_export(sim, pep):
    first = next(o for o in export(pep) if o["orderChannel"] == "www")
    cid = first["customerId"]
    r = pep.put(f"/customer/{cid}", json={"customerFirstName": "Zoë-Renée"})
    assert r.status_code == 200, r.text
    again = next(o for o in export(pep) if o["orderId"] == first["orderId"])
    assert again["user"]["customerFirstName"] == "Zoë-Renée"


def test_a_volume_seed_below_the_seeds_own_count_makes_bigger_orders():
    with SimulatorServer(seed=1, today=date(2026, 11, 27), order_volume=600) as sim:
        orders = sim.online_orders()
        assert 500 <= len(orders) + 3 <= 700
        assert sold_digest(sim) == SOLD_SET_BEFORE
