"""Error mapping: HTTP statuses, transport failures, bad responses, URL and key guards."""
from __future__ import annotations

import httpx
import pytest

from boxoffice.api import VdmClient, errors
from boxoffice.api.urls import check_secure_url, is_loopback

STATUS_CASES = [
    (401, errors.AuthError, {"message": "Unauthenticated."}),
    (403, errors.AuthError, {"message": "Forbidden"}),
    (404, errors.NotFound, {"message": "sub_event not found"}),
    (409, errors.Conflict, {"message": "Not enough seats available"}),
    (422, errors.ValidationError, {"message": "Maximum number of tickets per order exceeded"}),
    (429, errors.RateLimited, {"message": "Too many requests"}),
    (500, errors.ServerError, {"message": "Internal server error"}),
    (503, errors.ServerError, {"message": "Service unavailable"}),
]


@pytest.mark.asyncio
@pytest.mark.parametrize("status,cls,body", STATUS_CASES)
async def test_status_maps_to_error_class_with_message(make_client, api, status, cls, body):
    headers = {"Retry-After": "2"} if status == 429 else {}
    api.on("GET", "/tickettypes/1", httpx.Response(status, json=body, headers=headers))
    from boxoffice.api import RetryPolicy
    async with make_client(retry=RetryPolicy.never()) as client:
        with pytest.raises(cls) as info:
            await client.public.ticket_types(1)
    err = info.value
    assert isinstance(err, errors.StatusError) and isinstance(err, errors.VdmError)
    assert err.status == status
    assert err.message == body["message"]
    assert err.endpoint == "GET /tickettypes/1"
    assert body["message"] in str(err) and str(status) in str(err)
    if status == 429:
        assert err.retry_after == 2.0


@pytest.mark.asyncio
async def test_status_without_json_body_falls_back(client, api):
    api.on("GET", "/order/K", httpx.Response(404, content=b"<html>nope</html>"))
    with pytest.raises(errors.NotFound) as info:
        await client.public.order_status("K")
    assert info.value.message is None and "404" in str(info.value)


@pytest.mark.asyncio
async def test_422_keeps_field_errors(client, api):
    api.on("POST", "/peppered/customer", httpx.Response(
        422, json={"message": "The email has already been taken.", "errors": {"email": ["taken"]}}))
    from boxoffice.api.models import CustomerCreate
    with pytest.raises(errors.ValidationError) as info:
        await client.peppered.create_customer(CustomerCreate(email="a@b.nl", first_name="A", last_name="B"))
    assert info.value.errors == {"email": ["taken"]}
    assert api.calls("POST", "/peppered/customer") == 1


@pytest.mark.asyncio
async def test_bad_response_names_endpoint_and_field(client, api, raw):
    broken = raw("cart").replace(b'"event_date": "01-04-2026",', b'').replace(
        b'"seat_price": "24.50"', b'"seat_price": "x"')
    api.on("GET", "/cart/c", broken)
    with pytest.raises(errors.BadResponse) as info:
        await client.public.cart("c")
    err = info.value
    assert err.endpoint == "GET /cart/c"
    assert err.field == "[0].seat_price"
    assert str(err) == "GET /cart/c: [0].seat_price: invalid amount 'x'"


@pytest.mark.asyncio
async def test_an_unreadable_performance_is_left_out_and_named(client, api, raw):
    # Before issue 15 one bad date made the whole list a BadResponse; now only that
    # performance is left out, counted, and the drift log names it and its field.
    broken = raw("events").replace(b'"event_date": "2026-04-01"', b'"event_date": "x"')
    api.on("GET", "/events", broken)
    events = await client.public.events()
    assert [e.event_id for e in events] == [94] and events[0].sub_events == []
    assert events.skipped == 1
    skip = client.drift.snapshot().get("GET /events").skips[0]
    assert skip.index == "[0].sub_events[0]" and skip.reason == "event_date: invalid date 'x'"


@pytest.mark.asyncio
async def test_a_ticket_type_with_a_missing_field_is_left_out(client, api, raw):
    api.on("GET", "/tickettypes/95", raw("tickettypes").replace(b'"discounted_price": "18.38"', b'"x": 1'))
    types = await client.public.ticket_types(95)
    assert [t.discount_name for t in types] == ["Standaard", "CJP", "Uitflits"]
    assert types.skipped == 1
    skip = client.drift.snapshot().get("GET /tickettypes/95").skips[0]
    assert skip.index == 3 and skip.reason == "[3].discounted_price: missing"


@pytest.mark.asyncio
async def test_bad_response_wrong_type_peppered_uses_wire_name(client, api):
    api.on("GET", "/peppered/cart/c", b'{"cartId": "c", "numberOfItems": 1, "amount": 1,'
                                      b' "cartItems": [{"itemType": "ticket", "itemId": true}]}')
    with pytest.raises(errors.BadResponse) as info:
        await client.peppered.cart("c")
    assert info.value.field == "cartItems[0].itemId"
    assert info.value.endpoint == "GET /peppered/cart/c"
    assert "True" in str(info.value)


@pytest.mark.asyncio
async def test_a_text_hall_id_is_an_opaque_id(client, api):
    api.on("GET", "/peppered/hall", b'[{"hallId": "one", "hallName": "Zaal"}]')
    [hall] = await client.peppered.halls()
    assert hall.hall_id == "one"


@pytest.mark.asyncio
async def test_money_as_float_like_garbage_is_refused(client, api):
    api.on("GET", "/cart/c", b'[{"seat_id": "a", "event_id": 95, "seat_price": "abc"},'
                             b' {"totalprice": "1.00"}]')
    with pytest.raises(errors.BadResponse) as info:
        await client.public.cart("c")
    assert str(info.value) == "GET /cart/c: [0].seat_price: invalid amount 'abc'"
    # a payment method whose fee cannot be read is left out (its surcharge cannot be priced)
    api.on("GET", "/paymentmethods", b'[{"payment_id": 1, "payment_desc": "Cash", "payment_cost": "abc"},'
                                     b' {"payment_id": 2, "payment_desc": "Pin"}]')
    methods = await client.public.payment_methods()
    assert [m.payment_id for m in methods] == [2] and methods.skipped == 1


@pytest.mark.asyncio
async def test_cart_without_totalprice_is_bad(client, api, raw):
    api.on("GET", "/cart/c", raw("cart").replace(b'{ "totalprice": "24.50" }', b'{"other": 1}'))
    with pytest.raises(errors.BadResponse) as info:
        await client.public.cart("c")
    assert info.value.field is not None


@pytest.mark.asyncio
async def test_invalid_json_is_bad_response(make_client, api):
    from boxoffice.api import RetryPolicy
    api.on("GET", "/events", b'[{"event_id": 94, "event_na')
    async with make_client(retry=RetryPolicy.never()) as client:
        with pytest.raises(errors.BadResponse) as info:
            await client.public.events()
    assert info.value.endpoint == "GET /events" and "invalid JSON" in str(info.value)
    assert info.value.field is None


@pytest.mark.asyncio
@pytest.mark.parametrize("exc,cls,ambiguous", [
    (httpx.ConnectError("refused"), errors.ConnectionFailed, False),
    (httpx.ConnectTimeout("slow connect"), errors.RequestTimeout, False),
    (httpx.ReadTimeout("slow read"), errors.RequestTimeout, True),
    (httpx.RemoteProtocolError("Server disconnected"), errors.ConnectionFailed, True),
    (httpx.ReadError("reset"), errors.ConnectionFailed, True),
])
async def test_transport_errors_map_and_say_if_ambiguous(make_client, api, exc, cls, ambiguous):
    from boxoffice.api import RetryPolicy
    api.on("DELETE", "/peppered/cart/c", exc)
    api.on("GET", "/peppered/cart/c", httpx.Response(503, json={"message": "down"}))
    async with make_client(retry=RetryPolicy.never()) as client:
        with pytest.raises(errors.VdmError) as info:
            await client.peppered.clear_cart("c")
    err = info.value
    if ambiguous:  # read-back failed -> outcome unknown, with the transport error as cause
        assert isinstance(err, errors.OutcomeUnknown) and isinstance(err.cause, cls)
    else:
        assert type(err) is cls and not err.ambiguous
        assert isinstance(err, errors.TransportError)


def test_insecure_url_refused_unless_loopback():
    with pytest.raises(errors.InsecureURL):
        VdmClient("http://api.voordemensen.nl/v1", "demo")
    with pytest.raises(errors.InsecureURL):
        VdmClient("ftp://127.0.0.1/v1", "demo")
    for ok in ("http://127.0.0.1:8787/v1", "http://127.3.4.5/v1", "http://[::1]:80/v1",
               "http://localhost:1/v1", "https://api.voordemensen.nl/v1"):
        assert check_secure_url(ok) == ok
    assert is_loopback("http://127.0.0.1:9/pay/x") and is_loopback("http://LOCALHOST/")
    assert is_loopback("http://[::1]/") and is_loopback("http://[::ffff:127.0.0.1]/")
    assert not is_loopback("http://128.0.0.1/") and not is_loopback("http://localhost.evil.com/")
    assert not is_loopback("http://10.0.0.1/") and not is_loopback("not a url")


@pytest.mark.asyncio
async def test_peppered_without_key_raises_before_network(make_client, api):
    async with make_client(key=None) as client:
        with pytest.raises(errors.NoApiKey):
            await client.peppered.halls()
        with pytest.raises(errors.NoApiKey):
            await client.peppered.export_orders()
    assert api.requests == []


@pytest.mark.asyncio
async def test_path_segments_are_quoted(client, api):
    api.on("GET", "/cart/../peppered/hall", b"[{\"cart\":0}]")  # route keys use the decoded path
    await client.public.cart("../peppered/hall")
    assert api.requests[-1].url.raw_path == b"/v1/demo/cart/..%2Fpeppered%2Fhall"
    assert "authorization" not in api.requests[-1].headers
