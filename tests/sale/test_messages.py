"""Every API error becomes a short, translated sentence for the cashier, with what to do next."""
from __future__ import annotations

import logging

import pytest

from boxoffice.api import errors
from boxoffice.i18n import set_language
from boxoffice.services.messages import Action, SeatLabel, cart_expired, message_for


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


def test_expired_cart():
    assert cart_expired(15).text == "The cart expired after 15 minutes: the seats were released."


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
