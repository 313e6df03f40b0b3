"""API errors turned into short sentences a cashier understands, plus what to do next.

Owns the mapping ``VdmError`` (and the journal's refusal) → :class:`CashierMessage`. Every text
goes through ``_()`` (Dutch + English) and is plain: error class names, field paths, endpoints and
status codes never reach it. They go to the log ``boxoffice.sale`` and to
:attr:`CashierMessage.details` (the "Details" toggle of the message line). When the server said
something we do not recognise, its own words are quoted (:func:`server_text`: printable, bounded,
never containing an API key) instead of a bare "something went wrong".
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from enum import Enum

from boxoffice.api import errors
from boxoffice.api.secrets import redact_known
from boxoffice.i18n import _
from boxoffice.store.disk import DiskTrouble, trouble_fix, trouble_reason
from boxoffice.store.journal import JournalWriteFailed, OrderAlreadyRequested

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
    #: technical detail for the "Details" toggle and support (class, endpoint, status, field,
    #: server text); never part of ``text``
    details: str = field(default="", compare=False)


#: The longest server text quoted to a cashier.
MAX_SERVER_TEXT = 200


def _clean(text: str, limit: int) -> str:
    text = redact_known(text)
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return text


def server_text(exc: BaseException | None, limit: int = MAX_SERVER_TEXT) -> str | None:
    """The server's own error text (the JSON ``message``), fit to show: printable characters only
    (no control or direction characters), whitespace collapsed, at most ``limit`` characters, and
    never containing an API key this process knows. None when the server said nothing."""
    message = getattr(exc, "message", None)
    if not isinstance(message, str):
        return None
    return _clean(message, limit) or None


def technical_details(exc: BaseException) -> str:
    """One line for the log, the "Details" toggle and support: class, endpoint, status, field and
    the server's text. Scrubbed of keys; bounded."""
    parts = [type(exc).__name__]
    endpoint = getattr(exc, "endpoint", None)
    if endpoint:
        parts.append(str(endpoint))
    status = getattr(exc, "status", None)
    if isinstance(status, int):
        parts.append(f"HTTP {status}")
    field_path = getattr(exc, "field", None)
    if field_path:
        parts.append(f"field {field_path}")
    detail = getattr(exc, "detail", None)
    if isinstance(detail, str) and detail and detail not in parts:
        parts.append(detail)
    said = server_text(exc)
    if said:
        parts.append(f"server: \u201c{said}\u201d")
    elif not isinstance(exc, errors.VdmError):
        text = str(exc)
        if text:
            parts.append(text)
    return _clean("; ".join(parts), 600)


def reason_text(exc: BaseException) -> str:
    """A short plain reason for a status line ("… could not be loaded: {reason}"): the server's own
    words when it gave some, else a translated phrase; never a class name or a status code."""
    said = server_text(exc)
    if said:
        return _("VoordeMensen says \u201c{message}\u201d").format(message=said)
    if isinstance(exc, (errors.AuthError, errors.NoApiKey)):
        return _("VoordeMensen refused the API key")
    if isinstance(exc, errors.NotFound):
        return _("VoordeMensen does not know it")
    if isinstance(exc, errors.RateLimited):
        return _("VoordeMensen is busy")
    if isinstance(exc, errors.BadResponse):
        return _("VoordeMensen sent an answer we could not read")
    if isinstance(exc, errors.ServerError):
        return _("VoordeMensen had a problem")
    if isinstance(exc, errors.TransportError):
        return _("VoordeMensen is not answering")
    return _("something went wrong talking to VoordeMensen")


@dataclass(frozen=True)
class SeatLabel:
    """How a seat is named to a cashier (from the seating plan)."""

    row: int | str
    seat: int | str
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


def not_answering(retrying: bool = True) -> CashierMessage:
    if retrying:
        return CashierMessage(_("VoordeMensen is not answering: retrying…"), Action.WAIT,
                              Severity.WARNING, retrying=True)
    return CashierMessage(_("VoordeMensen is not answering. Check the connection and try again."),
                          Action.TRY_AGAIN)


def cart_route_missing() -> CashierMessage:
    """The box-office (peppered) cart answered 404 while the cart itself exists (the public cart
    reads it): the venue's API does not offer that route. Re-adding cannot help."""
    return CashierMessage(
        _("This venue's VoordeMensen connection does not offer choosing seats in the cart. "
          "Nothing was added. Open the performance again to sell its tickets by number; ask the "
          "venue's IT contact to run the connection test under Settings."), Action.NONE)


def cart_gone() -> CashierMessage:
    """The cart is unknown to VoordeMensen (expired or removed): a new cart can help."""
    return CashierMessage(
        _("The cart no longer exists at VoordeMensen (it expired or was removed): re-add the "
          "tickets to a new cart."), Action.READD, Severity.WARNING)


def cart_route_missing_for_seat_maps() -> str:
    """The note of a performance page once the venue's API turned out not to offer the
    box-office cart (a 404 on its route while the cart itself exists)."""
    return _("This venue's VoordeMensen connection does not offer choosing seats in the cart, so "
             "tickets are sold by number. Ask the venue's IT contact to run the connection test "
             "under Settings.")


def key_refused_for_seat_maps() -> str:
    """The note of a performance page after VoordeMensen refused the venue's API key."""
    return _("VoordeMensen refused this venue's API key, so seat maps are not available. Tickets "
             "can still be sold by number; check the key under Settings.")


def message_for(exc: BaseException, *, operation: str = "",
                seat: SeatLabel | None = None) -> CashierMessage:
    """The cashier's message for ``exc`` raised during ``operation``
    ("add", "remove", "order", "status", "release", "customer", "download", "load").

    The text is plain and translated; :attr:`CashierMessage.details` carries the technical line."""
    details = technical_details(exc)
    log.warning("%s failed: %s", operation or "request", details)
    return replace(_message_for(exc, operation, seat), details=details)


def _quoting(exc: BaseException, plain: str, quoted: str) -> str:
    """``quoted`` (with ``{message}``) when the server gave a text, else ``plain``."""
    said = server_text(exc)
    return quoted.format(message=said) if said else plain


def _message_for(exc: BaseException, operation: str, seat: SeatLabel | None) -> CashierMessage:
    if isinstance(exc, JournalWriteFailed):
        return journal_not_recorded(exc)
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
        return CashierMessage(_quoting(
            exc, _("Someone else changed this at the same time. Try again."),
            _("VoordeMensen refused this: \u201c{message}\u201d. Try again.")), Action.TRY_AGAIN)
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
        return CashierMessage(_quoting(
            exc, _("VoordeMensen refused this request. Check the details and try again."),
            _("VoordeMensen refused this request: \u201c{message}\u201d.")), Action.TRY_AGAIN)
    if isinstance(exc, errors.NotFound):
        if operation in ("add", "remove", "release", "cart"):
            route_missing = getattr(exc, "route_missing", None)
            if route_missing is True:
                return cart_route_missing()
            if route_missing is False or "/peppered" not in (exc.endpoint or ""):
                return cart_gone()  # the public cart route is documented: a 404 is the cart
            # a box-office (peppered) cart 404 that nothing explained: the cart may be gone, or
            # the venue's API may not offer the route; a Re-add is not offered on a guess
            return CashierMessage(
                _("VoordeMensen did not find this cart: it may have expired, or this venue's "
                  "connection does not offer choosing seats. Start a new sale; if this happens "
                  "again, ask the venue's IT contact to run the connection test under Settings."),
                Action.NONE)
        if operation == "status":
            return CashierMessage(
                _("VoordeMensen does not know this order. It is kept in the journal; check it in "
                  "the VoordeMensen dashboard."), Action.NONE)
        return CashierMessage(_quoting(
            exc, _("VoordeMensen could not find this any more."),
            _("VoordeMensen could not find this any more: \u201c{message}\u201d.")),
            Action.TRY_AGAIN)
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
        return CashierMessage(_quoting(
            exc, _("VoordeMensen had a problem handling this. Try again in a moment."),
            _("VoordeMensen had a problem handling this (\u201c{message}\u201d). Try again in a "
              "moment.")), Action.TRY_AGAIN)
    if isinstance(exc, errors.TransportError):
        return not_answering(retrying=operation == "status")
    if isinstance(exc, errors.InsecureURL):
        return CashierMessage(
            _("This link is not secure (not https), so it was not opened."), Action.NONE)
    if isinstance(exc, errors.VdmError):
        return CashierMessage(_quoting(
            exc, _("Something went wrong talking to VoordeMensen. Try again."),
            _("VoordeMensen answered: \u201c{message}\u201d. Try again.")), Action.TRY_AGAIN)
    return CashierMessage(_("Something went wrong. Try again; the sale is kept in the journal."),
                          Action.TRY_AGAIN)


def journal_not_recorded(exc: BaseException, *, order_may_exist: bool = False,
                         request_done: bool = False, order_made: bool = False) -> CashierMessage:
    """A step of the sale could not be written to the sales record in the middle of the evening
    (issue 13): nothing was sent after it, so no payment was started, and nothing recorded before
    is lost. The same step works again once the disk is fine, without a restart; a damaged file
    needs one (the next start keeps it aside and starts afresh). *order_may_exist*: the order
    request was recorded, so the sale is checked with VoordeMensen before anything else.
    *request_done*: the refused entry records a request VoordeMensen already carried out (seats
    added, a line removed): no "Try again", which would send it a second time; the cart is read
    back from VoordeMensen before its next change. *order_made*: VoordeMensen answered the order
    request (its key and payment link are kept); only its entry was refused, and the sale goes on
    to the payment by itself once the entry is written."""
    trouble = getattr(exc, "trouble", DiskTrouble.OTHER)
    reason = trouble_reason(trouble)
    if trouble == DiskTrouble.DAMAGED:
        text = _("The sales record cannot be written ({reason}). No payment was started. Close "
                 "the box office and start it again: it keeps the damaged file aside and starts "
                 "a new one.").format(reason=reason)
        return CashierMessage(text, Action.NONE, details=technical_details(exc))
    if order_made:
        text = _("VoordeMensen made the order, but the sales record cannot be written "
                 "({reason}). The payment has not started yet. {fix}: the order is then recorded "
                 "and the payment starts by itself.").format(reason=reason,
                                                             fix=trouble_fix(trouble))
        return CashierMessage(text, Action.WAIT, Severity.WARNING, retrying=True,
                              details=technical_details(exc))
    if order_may_exist:
        text = _("The order may have been made, but the sales record cannot be written "
                 "({reason}). No payment was started. {fix}: the sale is then checked with "
                 "VoordeMensen by itself.").format(reason=reason, fix=trouble_fix(trouble))
        return CashierMessage(text, Action.WAIT, Severity.WARNING, retrying=True,
                              details=technical_details(exc))
    if request_done:
        text = _("VoordeMensen made the change, but the sales record cannot be written "
                 "({reason}). No payment was started. {fix}; the cart is read again from "
                 "VoordeMensen before its next change.").format(reason=reason,
                                                              fix=trouble_fix(trouble))
        return CashierMessage(text, Action.NONE, Severity.WARNING, details=technical_details(exc))
    text = _("The sales record cannot be written ({reason}). No payment was started. {fix}, "
             "then try again.").format(reason=reason, fix=trouble_fix(trouble))
    return CashierMessage(text, Action.TRY_AGAIN, details=technical_details(exc))


def payment_not_recorded(exc: BaseException) -> CashierMessage:
    """The payment's outcome came in from VoordeMensen, but the disk refused to record it: the
    order stays in the sales record, and "Resume waiting" reads and records the outcome again."""
    trouble = getattr(exc, "trouble", DiskTrouble.OTHER)
    text = _("The payment's outcome came in, but the sales record cannot be written ({reason}). "
             "{fix}, then press \u201cResume waiting\u201d to record it.").format(
        reason=trouble_reason(trouble), fix=trouble_fix(trouble))
    return CashierMessage(text, Action.NONE, Severity.WARNING, details=technical_details(exc))


def journal_write_trouble(exc: BaseException) -> str:
    """A journal entry the disk refused outside a step the cashier took (a background check, a
    payment status coming in): what was recorded before is kept, and what is unfinished is
    checked again at the next start."""
    trouble = getattr(exc, "trouble", DiskTrouble.OTHER)
    return _("The sales record cannot be written ({reason}). What was recorded before is kept. "
             "{fix}; unfinished sales are checked again at the next start.").format(
        reason=trouble_reason(trouble), fix=trouble_fix(trouble))


def journal_refused(exc: BaseException) -> str:
    """Why selling is off when the sale journal cannot be opened (issue 13): the file was written
    by a newer app (left untouched for it), or it cannot be reached right now (left as it is):
    the disk is full, read-only, or another program holds the file."""
    from boxoffice.store.journal import JournalTooNew

    if isinstance(exc, JournalTooNew):
        return _("This computer's sales record was written by a newer version of the box office. "
                 "Selling is off so that nothing in it is lost: install that newer version again. "
                 "Browsing performances still works.")
    trouble = getattr(exc, "trouble", DiskTrouble.OTHER)
    if trouble in (DiskTrouble.FULL, DiskTrouble.READ_ONLY, DiskTrouble.LOCKED):
        return _("This computer's sales record cannot be opened right now ({reason}). Selling is "
                 "off so that no sale goes unrecorded. {fix}, then start the box office again. "
                 "Browsing performances still works.").format(reason=trouble_reason(trouble),
                                                              fix=trouble_fix(trouble))
    return _("This computer's sales record cannot be opened right now (the disk or another box "
             "office window holds it). Selling is off so that no sale goes unrecorded: close other "
             "box office windows, then start the box office again. Browsing performances still works.")
