"""The documentation's own example payloads parse, through the real client, to the right values."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from boxoffice.api import models

AMS = ZoneInfo("Europe/Amsterdam")
CART = "4DSMDACyPo8wLr8vFnTVUR6HzWC5tWGi"


@pytest.mark.asyncio
async def test_events_example(client, api, raw):
    api.on("GET", "/events", raw("events"))
    events = await client.public.events()
    assert len(events) == 1
    main = events[0]
    assert isinstance(main, models.MainEvent)
    assert (main.event_id, main.event_name, main.event_image) == (94, "VoordeMensen Demo Event", None)
    sub = main.sub_events[0]
    assert isinstance(sub, models.SubEvent)
    assert sub.event_id == 95 and sub.event_main_id == 94
    assert sub.event_date == date(2026, 4, 1)
    assert sub.event_time == time(20, 30)
    assert sub.event_view_end is None  # "0000-00-00 00:00:00" sentinel
    assert sub.starts_at == datetime(2026, 4, 1, 20, 30, tzinfo=AMS)
    assert sub.starts_at.utcoffset() == timedelta(hours=2)  # CEST on 1 April
    assert sub.ends_at == datetime(2026, 4, 1, 22, 30, tzinfo=AMS)
    assert sub.is_on_sale and sub.max_per_order == 10
    assert sub.location_name == "Bellevue Grote Zaal"


@pytest.mark.asyncio
async def test_upcoming_uses_its_path(client, api, raw):
    api.on("GET", "/events/upcoming", raw("events"))
    assert [e.event_id for e in await client.public.events(upcoming=True)] == [94]
    assert api.calls("GET", "/events/upcoming") == 1


@pytest.mark.asyncio
async def test_event_by_id_main_and_flat_sub(client, api, raw):
    import json

    doc = json.loads(raw("events"))
    api.on("GET", "/events/94", raw("events"))
    api.on("GET", "/events/95", json.dumps(doc[0]["sub_events"]).encode())
    main = await client.public.event(94)
    sub = await client.public.event(95)
    assert isinstance(main, models.MainEvent) and main.sub_events[0].event_id == 95
    assert isinstance(sub, models.SubEvent) and sub.event_id == 95 and sub.event_free == 10


@pytest.mark.asyncio
async def test_elements_without_event_id_are_dropped(client, api):
    api.on("GET", "/events", b'[{"object": "error"}, 7, {"event_id": 5, "event_name": "X",'
                             b' "sub_events": [{"junk": 1}]}]')
    events = await client.public.events()
    assert [e.event_id for e in events] == [5]
    assert events[0].sub_events == []


def _sub(**over):
    base = dict(event_id=1, event_name="n", event_date="2026-10-24", event_time="23:00:00",
                event_end="03:30:00", event_view_end="0000-00-00 00:00:00", event_free=0,
                event_status="nosal")
    base.update(over)
    return models.SubEvent.model_validate(base)


def test_sub_event_end_rules():
    # runs past midnight -> next day; DST ends 25 Oct 2026 03:00 (offset changes overnight)
    s = _sub()
    assert s.ends_at == datetime(2026, 10, 25, 3, 30, tzinfo=AMS)
    assert s.ends_at.utcoffset() == timedelta(hours=1)
    assert s.starts_at.utcoffset() == timedelta(hours=2)
    assert _sub(event_end="00:00:00").ends_at is None
    assert _sub(event_view_end="2026-10-25 04:00:00").ends_at == datetime(2026, 10, 25, 4, 0, tzinfo=AMS)
    assert not s.is_on_sale and not s.is_published
    assert not _sub(event_status="pub", event_free=0).is_on_sale
    assert _sub(event_status="pub", event_free=3).is_on_sale


@pytest.mark.asyncio
async def test_ticket_types_example(client, api, raw):
    api.on("GET", "/tickettypes/95", raw("tickettypes"))
    types = await client.public.ticket_types(95)
    assert [t.discount_id for t in types] == ["2ePdA8q3BN", "bo6dlyJGea", "GyPdxwZ3Zp", "AYDJK7JlkX"]
    assert types[0].discount_type == "€"
    assert types[3].discounted_price == Decimal("18.38")
    assert types[3].discount_type == "%" and types[3].discount_value == Decimal("25.00")
    assert all(isinstance(t.base_price, Decimal) for t in types)
    assert types[1].discounted_price == Decimal("23.50")


@pytest.mark.asyncio
async def test_payment_methods_example(client, api, raw):
    api.on("GET", "/paymentmethods", raw("paymentmethods"))
    methods = await client.public.payment_methods()
    assert [(m.payment_id, m.payment_desc) for m in methods][:2] == [(33, "iDEAL"), (34, "Credit card")]
    assert methods[1].payment_cost == Decimal("1.50")


@pytest.mark.asyncio
async def test_cart_example_and_empty_cart(client, api, raw):
    api.on("GET", f"/cart/{CART}", raw("cart"))
    cart = await client.public.cart(CART)
    assert cart.item_count == 1 and cart.total == Decimal("24.50")
    line = cart.lines[0]
    assert line.seat_id == "azL0bNZdD1"
    assert line.event_date == date(2026, 4, 1) and line.event_time == time(20, 30)
    assert line.starts_at == datetime(2026, 4, 1, 20, 30, tzinfo=AMS)
    assert line.seat_price == Decimal("24.50") and line.is_general_admission
    assert cart.tickets_for(95, "2ePdA8q3BN") == 1
    api.on("GET", f"/cart/{CART}", raw("cart_empty"))
    empty = await client.public.cart(CART)
    assert empty.lines == [] and empty.total == Decimal("0.00") and empty.item_count == 0


@pytest.mark.asyncio
async def test_cart_line_d2_fields(client, api):
    api.on("GET", "/cart/c", b'[{"seat_id":"x1","seat_row_nr":"3","seat_nr":"14","event_id":95,'
                             b'"event_date":"31-12-2026","event_time":"23:59","seat_price":"10.5",'
                             b'"discount_id":"d","event_view_end":"00-00-0000","recommand":[]},'
                             b'{"totalprice":"10.50"}]')
    cart = await client.public.cart("c")
    line = cart.lines[0]
    assert line.event_view_end is None and line.recommand == []
    assert line.seat_price == Decimal("10.50") and not line.is_general_admission
    assert line.event_date == date(2026, 12, 31)


@pytest.mark.asyncio
async def test_create_cart_and_order_examples(client, api, raw, body_of):
    api.on("POST", "/cart/", raw("cart_create"))
    assert await client.public.create_cart() == CART
    api.on("GET", f"/cart/{CART}", raw("cart"))
    api.on("POST", "/order/create", raw("order_create"))
    created = await client.public.create_order(
        CART, 33, "https://example.org/done",
        models.OrderCustomer(email="a@example.org", firstname="Anna", avg_optin=True),
    )
    assert created == models.OrderCreated(
        url="https://link-to-paymentprovider", order_key="unique-identifier-of-order"
    )
    sent = body_of(api.requests[-1])
    assert sent == {"cart_id": CART, "payment_id": 33, "redirectURL": "https://example.org/done",
                    "email": "a@example.org", "firstname": "Anna", "avg_optin": True}


@pytest.mark.asyncio
async def test_order_status_example(client, api, raw):
    api.on("GET", "/order/XgFca-QmBxG-9WhAj-Osszb", raw("order_status"))
    status = await client.public.order_status("XgFca-QmBxG-9WhAj-Osszb")
    assert status.is_paid and status.is_final and status.order_tickets_nr == 1
    assert status.seats[0].seat_id == 2904
    assert status.order_tickets_url.endswith("/ticket")


# ------------------------------------------------------------------------------- peppered
@pytest.mark.asyncio
async def test_peppered_examples(client, api, raw):
    api.on("GET", "/peppered/hall", raw("p_halls"))
    api.on("GET", "/peppered/hall/1", lambda r: raw("p_halls")[raw("p_halls").index(b"{"):raw("p_halls").rindex(b"}") + 1])
    api.on("GET", "/peppered/seating/95", raw("p_seating"))
    api.on("GET", "/peppered/event", raw("p_events"))
    api.on("GET", "/peppered/event/95", lambda r: raw("p_events")[raw("p_events").index(b"{"):raw("p_events").rindex(b"}") + 1])
    api.on("GET", f"/peppered/cart/{CART}", raw("p_cart"))
    api.on("GET", f"/peppered/cart/{CART}/summary", raw("p_cart_summary"))
    api.on("GET", "/peppered/order", b"[" + raw("p_order") + b"]")
    api.on("GET", "/peppered/order/12345", raw("p_order"))
    api.on("POST", "/peppered/export/orders", raw("p_export_orders"))
    api.on("GET", "/peppered/paymentmethods", raw("p_paymentmethods"))
    api.on("GET", "/peppered/customer/867", raw("p_customer"))

    halls = await client.peppered.halls()
    assert halls[0].hall_id == 1 and halls[0].hall_zip == "1017 PN"
    assert (await client.peppered.hall(1)).hall_name == "Bellevue Grote Zaal"

    plan = await client.peppered.seating(95)
    assert plan.price_levels[0].amount == Decimal("24.50") and plan.price_levels[0].rank_id == 42
    seats = plan.sections[0].rows[0].seats
    assert [(s.seat_id, s.seat_nr, s.available) for s in seats] == [("abc", 1, True), ("def", 2, False)]
    assert plan.available == 120 and plan.seat("def").rank_id == 42

    perf = (await client.peppered.events(start_date=date(2026, 4, 1), end_date=date(2026, 4, 30)))[0]
    req = api.requests[-1]
    assert req.url.params["startDate"] == "2026-04-01" and req.url.params["endDate"] == "2026-04-30"
    assert perf.start == datetime(2026, 4, 1, 20, 30, tzinfo=AMS)
    assert perf.start.utcoffset() == timedelta(hours=2)
    assert perf.prices[0].amount == Decimal("24.50") and perf.production_id == 94
    assert (await client.peppered.event(95)).hall_id == 1

    cart = await client.peppered.cart(CART)
    assert cart.amount == Decimal("49.00") and cart.number_of_items == 2
    assert cart.cart_items[0].item_id == "azL0bNZdD1" and cart.cart_items[0].amount == Decimal("24.50")
    assert cart.cart_items[0].description == "Hamlet — Grote Zaal"
    assert cart.time_out == datetime(2026, 4, 22, 14, 35, tzinfo=AMS)
    summary = await client.peppered.cart_summary(CART)
    assert summary.amount == Decimal("73.50") and summary.number_of_items == 3

    order = (await client.peppered.orders(changed_since=date(2026, 4, 1)))[0]
    assert api.requests[-1].url.params["changedSince"] == "2026-04-01"
    assert order.order_donation == Decimal("5.00") and order.time_out is None
    assert order.order_date.isoformat() == "2026-04-22T13:08:55+02:00"
    assert (await client.peppered.order(12345)).order_key == "XgFca-QmBxG-9WhAj-Osszb"

    export = (await client.peppered.export_orders())[0]
    assert export.fee == Decimal("0.50") and export.donation == Decimal("5.00")
    assert export.seats[0].seat_id == 2904 and export.seats[0].row_nr == 5
    assert export.user.email == "visitor@example.org"

    methods = await client.peppered.payment_methods()
    assert methods[2].fee == Decimal("2.50") and methods[1].name == "Cash"

    customer = await client.peppered.customer(867)
    assert customer.first_name == "Anna" and customer.credit == Decimal("25.50")


@pytest.mark.asyncio
async def test_peppered_money_never_goes_through_float(client, api):
    # 0.1 + 0.2 style values: exact only if parsed as Decimal from the raw JSON text
    api.on("GET", "/peppered/cart/c/summary",
           b'{"cartId":"c","timeOut":null,"numberOfItems":1,"amount":0.30000000000000004}')
    summary = await client.peppered.cart_summary("c")
    assert summary.amount == Decimal("0.30000000000000004")
    api.on("GET", "/peppered/cart/c/summary", b'{"cartId":"c","numberOfItems":1,"amount":12}')
    assert (await client.peppered.cart_summary("c")).amount == Decimal("12.00")


@pytest.mark.asyncio
async def test_unknown_extra_fields_are_tolerated(client, api):
    api.on("GET", "/peppered/hall", b'[{"hallId":2,"hallName":"Kleine Zaal","newThing":{"a":1}}]')
    assert (await client.peppered.halls())[0].hall_name == "Kleine Zaal"


@pytest.mark.asyncio
async def test_peppered_write_bodies(client, api, raw, body_of):
    api.on("POST", f"/peppered/cart/{CART}", raw("p_cart"))
    cart = await client.peppered.add_items(CART, [
        models.CartItemRequest(price_id="2ePdA8q3BN", rank_id=42, event_id=95, seat_id="azL0bNZdD1"),
        models.CartItemRequest(price_id="donation", rank_id=0, amount=Decimal("5.00"), number_of_tickets=None),
    ], known_cart=models.PepperedCart(cart_id=CART, number_of_items=0, amount=0))
    assert cart.number_of_items == 2
    assert api.requests[-1].content == (
        b'[{"priceId":"2ePdA8q3BN","rankId":42,"eventId":95,"seatId":"azL0bNZdD1"},'
        b'{"priceId":"donation","rankId":0,"amount":5.00}]'
    )
    api.on("POST", "/peppered/customer", lambda r: __import__("httpx").Response(201, content=raw("p_customer")))
    created = await client.peppered.create_customer(
        models.CustomerCreate(email="visitor@example.org", first_name="Anna", last_name="Jansen")
    )
    assert created.customer_id == 867
    assert body_of(api.requests[-1]) == {"email": "visitor@example.org",
                                         "customerFirstName": "Anna", "customerLastName": "Jansen"}
    api.on("PUT", "/peppered/customer/867", raw("p_customer"))
    await client.peppered.update_customer(867, city="Amsterdam")
    assert body_of(api.requests[-1]) == {"customerCity": "Amsterdam"}
    api.on("POST", "/peppered/customer/findByEmail", raw("p_customer"))
    assert (await client.peppered.find_customer_by_email("visitor@example.org")).customer_id == 867
    api.on("POST", "/peppered/customer/findByEmail", __import__("httpx").Response(404, json={"message": "Not found"}))
    assert await client.peppered.find_customer_by_email("nobody@example.org") is None
    api.on("POST", f"/peppered/cart/{CART}/checkout",
           raw("p_order")[:-2] + b', "paymentUrl": "http://127.0.0.1:9/pay/XgFca"}')
    api.on("GET", f"/cart/{CART}", raw("cart"))
    order = await client.peppered.checkout(CART, 2, customer_id=867)
    assert order.payment_url == "http://127.0.0.1:9/pay/XgFca" and not order.recovered
    # strict writing: no redirect given -> the field is left out, never an explicit null
    assert body_of(api.requests[-1]) == {"paymentMethodId": 2, "customerId": 867}
