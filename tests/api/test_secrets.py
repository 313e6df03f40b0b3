"""The API key never shows up in reprs, exception texts or log records; it is sent raw, and only
to peppered endpoints."""
from __future__ import annotations

import copy
import logging
import pickle

import httpx
import pytest

from boxoffice.api import ApiKey, RetryPolicy, VdmClient, errors

SECRET = "s3cr3t-KEY-do-not-leak-42"


def test_api_key_repr_str_format():
    key = ApiKey(SECRET)
    assert repr(key) == str(key) == f"{key}" == "ApiKey('****')"
    assert SECRET not in repr([key]) and SECRET not in repr({"k": key})
    assert key.reveal() == SECRET
    assert key == ApiKey(" " + SECRET + "\n") and key != ApiKey("other")
    assert copy.deepcopy(key) is key
    with pytest.raises(TypeError):
        pickle.dumps(key)
    assert not hasattr(key, "__dict__")
    with pytest.raises(ValueError) as info:
        ApiKey("bad\r\nInjected: 1")
    assert "Injected" not in str(info.value)
    with pytest.raises(ValueError):
        ApiKey("   ")


def test_client_repr_hides_key():
    client = VdmClient("http://127.0.0.1:1/v1", "demo", api_key=ApiKey(SECRET))
    assert SECRET not in repr(client) and "ApiKey('****')" in repr(client)
    assert SECRET not in repr(vars(client))


@pytest.mark.asyncio
async def test_authorization_raw_on_peppered_absent_on_public(client, api, raw):
    api.on("GET", "/peppered/hall", raw("p_halls"))
    api.on("GET", "/paymentmethods", raw("paymentmethods"))
    await client.peppered.halls()
    await client.public.payment_methods()
    peppered_req, public_req = api.requests
    assert peppered_req.headers["Authorization"] == SECRET  # raw, no "Bearer"
    assert "authorization" not in public_req.headers
    assert all(SECRET not in v for v in public_req.headers.values())
    assert SECRET not in repr(peppered_req.headers) and SECRET not in repr(peppered_req)


@pytest.mark.asyncio
async def test_errors_and_logs_never_contain_the_key(make_client, api, caplog, sleeps):
    caplog.set_level(logging.DEBUG)  # every logger, httpx/httpcore included
    echo = {"message": f"Invalid key {SECRET}"}
    api.on("GET", "/peppered/hall", httpx.Response(401, json=echo))
    api.on("GET", "/peppered/seating/95", httpx.ReadTimeout(f"timeout {SECRET}"),
           httpx.Response(500, json=echo))
    api.on("POST", "/peppered/cart/c", httpx.RemoteProtocolError("dropped"))
    api.on("GET", "/peppered/cart/c", httpx.Response(500, json=echo))
    texts = []
    async with make_client(retry=RetryPolicy(max_attempts=2, sleep=sleeps)) as client:
        for call in (
            client.peppered.halls(),
            client.peppered.seating(95),
            client.peppered.add_items("c", [__import__("boxoffice.api.models", fromlist=["x"])
                                            .CartItemRequest(price_id="p", rank_id=1, seat_id="s")]),
        ):
            with pytest.raises(errors.VdmError) as info:
                await call
            err = info.value
            texts += [str(err), repr(err), str(err.message), str(getattr(err, "cause", ""))]
    assert texts and all(SECRET not in t for t in texts), texts
    assert any("****" in t for t in texts)  # the echoed key was scrubbed, not just absent
    records = [r.getMessage() for r in caplog.records] + [repr(r.args) for r in caplog.records]
    assert any("GET /peppered/hall" in m for m in records)  # we do log requests
    assert all(SECRET not in m for m in records)


@pytest.mark.asyncio
async def test_request_log_line_has_method_path_status_elapsed(client, api, raw, caplog):
    caplog.set_level(logging.DEBUG, logger="boxoffice.api")
    api.on("GET", "/paymentmethods", raw("paymentmethods"))
    await client.public.payment_methods()
    lines = [r.getMessage() for r in caplog.records if r.name == "boxoffice.api"]
    assert any(line.startswith("GET /paymentmethods -> 200 in ") and line.endswith(" ms") for line in lines)


def test_a_short_typed_key_never_censors_ordinary_words_or_answers():
    """A cashier may type a short wrong key ("other", "key", "test") into Settings. The process
    remembers every key it wrapped, to scrub echoes of it; a short one must not make ordinary
    words in texts disappear, nor make every answer that contains such a word unreadable."""
    from boxoffice.api.base import validate
    from boxoffice.api.models import public as m
    from boxoffice.api.secrets import redact_known

    ApiKey("other")
    ApiKey("key")
    assert redact_known("no key given; the other part is fine") == (
        "no key given; the other part is fine")
    ticket = validate("GET /tickettypes/95", m.TicketType, {
        "discount_id": "other12345", "discount_name": "The other key", "base_price": "24.50",
        "discount_type": "=", "discount_value": "0.00", "discounted_price": "24.50"})
    assert ticket.discount_name == "The other key"
    # a real (long) key is still scrubbed wherever it shows up
    long_key = "s3cr3t-KEY-do-not-leak-43"
    ApiKey(long_key)
    assert long_key not in redact_known(f"server said: bad key {long_key}")
