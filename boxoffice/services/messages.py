"""API errors turned into short sentences a cashier understands, plus what to do next.

Owns the mapping ``VdmError`` (and the journal's refusal) → :class:`CashierMessage`. Every text
goes through ``_()`` (Dutch + English). Technical detail (endpoint, status, server message) goes
to the log ``boxoffice.sale``; the client already scrubs the API key from everything it raises,
and nothing here adds request data to a message.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import Enum

from boxoffice.api import errors
from boxoffice.i18n import _
from boxoffice.store.journal import OrderAlreadyRequested

log = logging.getLogger("boxoffice.sale")

_SEAT_IN_MESSAGE = re.compile(r"Seat\s+(\d+)-(\d+)")


class Action(str, Enum):
    """What the UI should offer next."""

    NONE = "none"
    PICK_ANOTHER_SEAT = "pick_another_seat"
    TRY_AGAIN = "try_again"
    WAIT = "wait"                      # the app keeps retrying/checking by itself
    OTHER_METHOD = "other_method"
    RELEASE = "release"
    CHECK_SETTINGS = "check_settings"
    READD = "readd"


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class CashierMessage:
    text: str
    action: Action = Action.NONE
    severity: Severity = Severity.ERROR
    retrying: bool = False   # True when the app is already trying again by itself


@dataclass(frozen=True)
class SeatLabel:
    """How a seat is named to a cashier (from the seating plan)."""

    row: int
    seat: int
    section: str | None = None


def seat_from_server_message(message: str | None) -> tuple[int, int] | None:
    """(row, seat) from the simulator/API text ``Seat <row>-<nr> is not available``."""
    if not message:
        return None
    m = _SEAT_IN_MESSAGE.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else None


def seat_taken(label: SeatLabel | None) -> CashierMessage:
    if label is None:
        text = _("One of the chosen seats was just sold at another counter: pick another seat.")
    else:
        text = _("Seat {seat} in row {row} was just sold at another counter: pick another seat."
                 ).format(seat=label.seat, row=label.row)
    return CashierMessage(text, Action.PICK_ANOTHER_SEAT)


def cart_expired(minutes: int) -> CashierMessage:
    return CashierMessage(
        _("The cart expired after {minutes} minutes: the seats were released.").format(
            minutes=minutes),
        Action.READD, Severity.WARNING)


def not_answering(retrying: bool = True) -> CashierMessage:
    if retrying:
        return CashierMessage(_("VoordeMensen is not answering: retrying…"), Action.WAIT,
                              Severity.WARNING, retrying=True)
    return CashierMessage(_("VoordeMensen is not answering. Check the connection and try again."),
                          Action.TRY_AGAIN)


def message_for(exc: BaseException, *, operation: str = "",
                seat: SeatLabel | None = None) -> CashierMessage:
    """The cashier's message for ``exc`` raised during ``operation``
    ("add", "remove", "order", "status", "release", "customer", "download", "load")."""
    log.warning("%s failed: %s: %s", operation or "request", type(exc).__name__, exc)
    if isinstance(exc, OrderAlreadyRequested):
        return CashierMessage(
            _("An order was already made from this cart. It is being checked; no second order "
              "is made."), Action.WAIT, Severity.WARNING)
    if isinstance(exc, errors.OutcomeUnknown):
        what = {
            "add": _("the tickets were added"),
            "remove": _("the ticket was removed"),
            "order": _("the order was created"),
            "release": _("the seats were released"),
            "customer": _("the customer was saved"),
        }.get(operation, _("the last step went through"))
        return CashierMessage(
            _("We could not confirm whether {what}; it is kept in the journal and checked again."
              ).format(what=what), Action.WAIT, Severity.WARNING)
    if isinstance(exc, errors.HoldLapsed):
        return CashierMessage(
            _("The cart expired before the order was made: no order exists and the seats were "
              "released. Add the tickets again."), Action.READD, Severity.WARNING)
    if isinstance(exc, errors.Conflict):
        if operation == "add":
            if seat is None:
                pos = seat_from_server_message(exc.message)
                if pos is not None:
                    seat = SeatLabel(row=pos[0], seat=pos[1])
            if seat is not None or seat_from_server_message(exc.message) is not None:
                return seat_taken(seat)
            return CashierMessage(
                _("There are not enough seats left for this: choose fewer tickets or another "
                  "performance."), Action.PICK_ANOTHER_SEAT)
        return CashierMessage(_("Someone else changed this at the same time. Try again."),
                              Action.TRY_AGAIN)
    if isinstance(exc, errors.ValidationError):
        text = (exc.message or "").lower()
        if "cart is empty" in text:
            return CashierMessage(
                _("The cart is empty or has expired: add the tickets again."), Action.READD)
        if "maximum number of tickets" in text:
            return CashierMessage(
                _("That is more tickets than one order may hold for this performance."),
                Action.NONE)
        if "not on sale" in text:
            return CashierMessage(_("This performance is not on sale (any more)."), Action.NONE)
        if "ticket type not available" in text:
            return CashierMessage(
                _("This ticket type is sold out or no longer available: choose another type."),
                Action.NONE)
        if "payment method" in text:
            return CashierMessage(
                _("VoordeMensen refused this payment method: choose another one."),
                Action.OTHER_METHOD)
        if "rank" in text or "price" in text:
            return CashierMessage(
                _("This ticket type is not valid for that seat: choose another type."),
                Action.NONE)
        return CashierMessage(_("VoordeMensen refused this request. Check the details and try "
                                "again."), Action.TRY_AGAIN)
    if isinstance(exc, errors.NotFound):
        if operation in ("add", "remove", "release", "cart"):
            return CashierMessage(
                _("The cart no longer exists at VoordeMensen: start a new sale."), Action.READD)
        if operation == "status":
            return CashierMessage(
                _("VoordeMensen does not know this order. It is kept in the journal; check it in "
                  "the VoordeMensen dashboard."), Action.NONE)
        return CashierMessage(_("VoordeMensen could not find this any more."), Action.TRY_AGAIN)
    if isinstance(exc, (errors.AuthError, errors.NoApiKey)):
        return CashierMessage(
            _("VoordeMensen refused the API key. Check the key under Settings."),
            Action.CHECK_SETTINGS)
    if isinstance(exc, errors.RateLimited):
        return CashierMessage(_("VoordeMensen asks us to slow down: trying again in a moment…"),
                              Action.WAIT, Severity.WARNING, retrying=True)
    if isinstance(exc, errors.BadResponse):
        return CashierMessage(
            _("VoordeMensen sent an answer we could not read. Try again; if it keeps happening, "
              "call support."), Action.TRY_AGAIN)
    if isinstance(exc, errors.ServerError):
        return CashierMessage(_("VoordeMensen had a problem handling this. Try again in a moment."),
                              Action.TRY_AGAIN)
    if isinstance(exc, errors.TransportError):
        return not_answering(retrying=operation == "status")
    if isinstance(exc, errors.InsecureURL):
        return CashierMessage(
            _("This link is not secure (not https), so it was not opened."), Action.NONE)
    if isinstance(exc, errors.VdmError):
        return CashierMessage(_("Something went wrong talking to VoordeMensen. Try again."),
                              Action.TRY_AGAIN)
    return CashierMessage(_("Something went wrong. Try again; the sale is kept in the journal."),
                          Action.TRY_AGAIN)
