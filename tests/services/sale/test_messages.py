"""Every API error becomes a short, translated sentence for the cashier, with what to do next."""
from __future__ import annotations

import logging

import pytest

from boxoffice.api import errors
from boxoffice.i18n import set_language
from boxoffice.services.messages import Action, SeatLabel, message_for


def test_seat_conflict_names_row_and_seat():
    exc = errors.Conflict("HTTP 409", status=409, message="Seat 5-12 is not available")
    msg = message_for(exc, operation="add")
    assert msg.text == "Seat 12 in row 5 was just sold at another counter: pick another seat."
    assert msg.action == Action.PICK_ANOTHER_SEAT
    msg = message_for(errors.Conflict("", status=409), operation="add", seat=SeatLabel(3, 7))
    assert "Seat 7 in row 3" in msg.text


@pytest.mark.parametrize("exc, words, action", [
    (errors.ConnectionFailed("x"), "not answering", Action.TRY_AGAIN),
    (errors.RateLimited("x", status=429, retry_after=2), "slow down", Action.WAIT),
    (errors.AuthError("x", status=401), "API key", Action.CHECK_SETTINGS),
    (errors.BadResponse("x"), "could not read", Action.TRY_AGAIN),
    (errors.ServerError("x", status=500), "problem", Action.TRY_AGAIN),
    (errors.OutcomeUnknown("x"), "kept in the journal and checked again", Action.WAIT),
    (errors.ValidationError("x", status=422, message="Cart is empty"), "expired", Action.READD),
])
def test_error_kinds(exc, words, action):
    msg = message_for(exc, operation="order")
    assert words in msg.text and msg.action == action


def test_polling_says_it_retries():
    msg = message_for(errors.RequestTimeout("x"), operation="status")
    assert msg.text == "VoordeMensen is not answering: retrying…" and msg.retrying


def test_dutch():
    set_language("nl")
    exc = errors.Conflict("HTTP 409", status=409, message="Seat 5-12 is not available")
    assert message_for(exc, operation="add").text == (
        "Stoel 12 in rij 5 is net aan een andere kassa verkocht: kies een andere stoel.")
    assert "opnieuw" in message_for(errors.OutcomeUnknown("x"), operation="order").text


def test_technical_detail_goes_to_the_log_not_the_message(caplog):
    caplog.set_level(logging.INFO, logger="boxoffice.sale")
    exc = errors.ServerError("HTTP 500 Internal Server Error", status=500,
                             endpoint="POST /order/create")
    msg = message_for(exc, operation="order")
    assert "500" not in msg.text and "/order/create" not in msg.text
    assert "POST /order/create" in caplog.text


# --------------------------------------------------------------------------- plain text (issue 15)
PLAIN_CASES = [
    errors.BadResponse("expected an array, got dict", endpoint="GET /events",
                       field="sub_events[0].event_date"),
    errors.AuthError("HTTP 401", status=401, endpoint="GET /peppered/seating/95",
                     message="Unauthorized"),
    errors.ServerError("HTTP 503", status=503, endpoint="POST /order/create"),
    errors.StatusError("HTTP 400", status=400, endpoint="POST /cart/abc"),
    errors.NotFound("HTTP 404", status=404, endpoint="POST /peppered/cart/abc"),
    errors.ConnectionFailed("connection reset", endpoint="GET /events"),
]


@pytest.mark.parametrize("exc", PLAIN_CASES, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("operation", ["add", "order", "load", "cart", "status"])
def test_no_class_names_fields_or_status_codes_in_the_text(exc, operation):
    msg = message_for(exc, operation=operation)
    for technical in (type(exc).__name__, "HTTP", "/events", "/peppered", "/order/create",
                      "sub_events", str(getattr(exc, "status", "HTTP"))):
        assert technical not in msg.text, (technical, msg.text)
    # ... they are in the details instead (the "Details" toggle and the log)
    assert type(exc).__name__ in msg.details
    assert exc.endpoint in msg.details


def test_the_servers_own_text_is_shown_when_we_do_not_recognise_it():
    for exc in (errors.ValidationError("x", status=422, message="Voorstelling is gesloten"),
                errors.StatusError("x", status=400, message="Voorstelling is gesloten"),
                errors.Conflict("x", status=409, message="Voorstelling is gesloten"),
                errors.ServerError("x", status=500, message="Voorstelling is gesloten")):
        msg = message_for(exc, operation="order")
        assert "\u201cVoorstelling is gesloten\u201d" in msg.text, msg.text
        assert "Something went wrong" not in msg.text
    # without a server text, the plain fallback stays
    assert "\u201c" not in message_for(errors.StatusError("x", status=400), operation="order").text


def test_server_text_is_sanitised_bounded_and_never_holds_the_key():
    from boxoffice.api.secrets import ApiKey
    from boxoffice.services.messages import MAX_SERVER_TEXT, server_text

    key = ApiKey("SeCrEt-KeY-4711-xyz")
    hostile = ("Bad \x1b[31mred\x1b[0m\u202e value\r\nfor SeCrEt-KeY-4711-xyz\x00 " + "x" * 500)
    exc = errors.ValidationError("x", status=422, message=hostile)
    text = server_text(exc)
    assert text is not None and len(text) <= MAX_SERVER_TEXT
    assert "SeCrEt-KeY-4711-xyz" not in text
    assert all(ch.isprintable() for ch in text)
    msg = message_for(exc, operation="order")
    assert "SeCrEt-KeY-4711-xyz" not in msg.text + msg.details
    assert all(ch.isprintable() for ch in msg.text)
    assert key.reveal() not in msg.details
    assert server_text(errors.ValidationError("x", status=422, message=" \x00\x07 ")) is None


def test_a_peppered_cart_404_offers_re_add_only_when_it_can_help():
    def nf(endpoint, route_missing=None):
        exc = errors.NotFound("HTTP 404", status=404, endpoint=endpoint)
        if route_missing is not None:
            exc.route_missing = route_missing
        return exc

    # the venue's API does not offer the box-office cart: re-adding cannot help
    msg = message_for(nf("POST /peppered/cart/abc", route_missing=True), operation="add")
    assert msg.action == Action.NONE and "does not offer" in msg.text
    assert "no longer exists" not in msg.text
    # the cart itself is gone (established): a new cart helps
    msg = message_for(nf("POST /peppered/cart/abc", route_missing=False), operation="add")
    assert msg.action == Action.READD and "no longer exists" in msg.text
    # a public cart 404 is the cart (the route is documented)
    assert message_for(nf("POST /cart/abc"), operation="add").action == Action.READD
    # nothing established: no Re-add offered on a guess
    msg = message_for(nf("POST /peppered/cart/abc"), operation="add")
    assert msg.action == Action.NONE


# --------------------------------------------------------------------------- a 404 from the cart
def _without_peppered_cart_add(sim) -> None:
    """Make the running simulator a venue whose API does not offer POST /peppered/cart/{id}."""
    app = sim._app
    cart_route = next(r[1].pattern for r in app._peppered
                      if r[0] == "POST" and r[1].pattern.startswith("/cart/")
                      and "checkout" not in r[1].pattern)
    app._peppered = [r for r in app._peppered if r[1].pattern != cart_route]


async def _seated_sale(sim, sale):

    from tests.support.salekit import free_seats, perf_info

    perf = sim.catalog.find("seated")
    sale.remember_performance(perf_info(sim, perf))
    await sale.prepare()
    plan = await sale.load_seat_plan(perf.event_id)
    return perf, free_seats(plan, 1)


@pytest.mark.asyncio
async def test_a_missing_box_office_cart_route_is_said_and_re_add_is_not_offered(sim, sale):
    perf, seats = await _seated_sale(sim, sale)
    _without_peppered_cart_add(sim)
    result = await sale.add_seats(perf.event_id, seats)
    assert not result.ok
    assert result.message.action == Action.NONE
    assert "does not offer choosing seats" in result.message.text
    assert "no longer exists" not in result.message.text
    assert "404" not in result.message.text and "404" in result.message.details


@pytest.mark.asyncio
async def test_an_unknown_cart_is_said_as_gone_with_re_add(sim, sale):
    perf, seats = await _seated_sale(sim, sale)
    sale._draft.cart_id = "NoSuchCart000000000000000000000"  # VdM does not know this cart (any more)
    result = await sale.add_seats(perf.event_id, seats)
    assert not result.ok
    assert result.message.action == Action.READD
    assert "no longer exists" in result.message.text


@pytest.mark.asyncio
async def test_reading_back_a_cart_whose_box_office_route_is_missing_offers_no_re_add(sim, sale):
    from boxoffice.api import errors as api_errors

    perf, seats = await _seated_sale(sim, sale)
    assert (await sale.add_seats(perf.event_id, seats)).ok
    _without_peppered_cart_add(sim)   # GET/POST/DELETE /peppered/cart/{id} now answer 404
    with pytest.raises(api_errors.NotFound):
        await sale.refresh()
    message = sale.snapshot().message
    assert message.action == Action.NONE
    assert "does not offer choosing seats in the cart" in message.text   # established, not a guess
