"""The sale's value classes (lines, snapshot, results, order and confirmation) and the pure helpers
around them (journal line records, the texts of an expired hold and of an unpaid order).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from boxoffice.api.models import Cart, CartLine
from boxoffice.domain.clock import utc_now
from boxoffice.domain.money import ZERO
from boxoffice.i18n import _
from boxoffice.i18n.formatting import format_money, format_time
from boxoffice.services.messages import Action, CashierMessage, Severity

#: The hold length assumed for a local estimate when the server's ``timeOut`` is not known. The
#: docs do not give it (vdm-api.md §10): every text built on it says "about".
ASSUMED_HOLD_SECONDS = 900
HOLD_WARNING_SECONDS = 120
PREF_LAST_METHOD = "last_payment_method_id"
PREF_METHODS = "payment_methods"


# ====================================================================== value objects
class LineStatus(str, Enum):
    HELD = "held"
    RELEASED = "released"


@dataclass(frozen=True)
class SeatRequest:
    """A seat picked on the map; ``price_id`` None = the first ticket type of its rank."""

    seat_id: str
    price_id: str | None = None


@dataclass(frozen=True)
class PerformanceInfo:
    event_id: int | str
    name: str
    starts_at: datetime | None = None
    hall: str | None = None


@dataclass(frozen=True)
class PriceOption:
    """A ticket type valid for a line (for a seat: those of its rank)."""

    price_id: str
    name: str
    price: Decimal | None = None


@dataclass(frozen=True)
class SaleLine:
    line_id: str                 # seatId / cart item id / public seat_id
    event_id: int | str          # an opaque id (issue 15: ids may be text)
    performance: str
    starts_at: datetime | None
    section: str | None
    row: int | str | None        # a label ("A", "12a") stays text, numbers are ints
    seat: int | str | None
    general_admission: bool
    price_id: str
    ticket_type: str
    rank_id: int | None
    price: Decimal
    status: LineStatus = LineStatus.HELD

    @property
    def held(self) -> bool:
        return self.status == LineStatus.HELD

    @property
    def place(self) -> str:
        """``Parket, row 5, seat 12`` or ``General admission`` (translated)."""
        if self.general_admission or self.row is None or self.seat is None:
            return _("General admission")
        text = _("Row {row}, seat {seat}").format(row=self.row, seat=self.seat)
        return f"{self.section}, {text}" if self.section else text


@dataclass(frozen=True)
class PerformanceGroup:
    event_id: int | str
    performance: str
    starts_at: datetime | None
    lines: tuple[SaleLine, ...]
    subtotal: Decimal


@dataclass(frozen=True)
class HoldInfo:
    expires_at: datetime
    seconds_remaining: int
    warning: bool
    expired: bool
    estimated: bool      # True: local estimate (last add + documented hold), not the server's


@dataclass(frozen=True)
class PaymentChoice:
    method_id: int | str     # opaque (vdm-api.md: ids may be numbers or text)
    name: str
    surcharge: Decimal = ZERO


@dataclass(frozen=True)
class CustomerInfo:
    email: str
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    customer_id: int | None = None


class Phase(str, Enum):
    IDLE = "idle"              # no cart yet
    OPEN = "open"              # building the cart
    ORDERING = "ordering"      # order being created
    WAITING = "waiting"        # order created, waiting for the payment
    PAID = "paid"
    NOT_PAID = "not_paid"      # cancelled / failed / expired
    ATTENTION = "attention"    # outcome unknown: kept in the journal, checked again


@dataclass(frozen=True)
class OrderInfo:
    order_key: str
    payment_url: str | None
    status: str
    method: PaymentChoice
    amount_due: Decimal
    waiting: bool          # the app is polling the status right now
    polls: int = 0


@dataclass(frozen=True)
class Confirmation:
    order_key: str
    tickets_nr: int
    lines: tuple[SaleLine, ...]
    total: Decimal
    surcharge: Decimal
    amount_paid: Decimal
    payment_method: str
    tickets_url: str | None
    receipt_url: str | None

    @property
    def seats(self) -> tuple[str, ...]:
        return tuple(f"{ln.performance}: {ln.place}" for ln in self.lines)


@dataclass(frozen=True)
class NotPaid:
    status: str
    text: str
    next_steps: tuple[Action, ...]


@dataclass(frozen=True)
class AddResult:
    ok: bool
    added: tuple[SaleLine, ...] = ()
    message: CashierMessage | None = None
    taken_seat_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReaddResult:
    readded: tuple[SaleLine, ...]
    not_readded: tuple[SaleLine, ...]
    message: CashierMessage | None = None


@dataclass(frozen=True)
class SaleSnapshot:
    phase: Phase
    sale_id: str | None
    cart_id: str | None
    lines: tuple[SaleLine, ...]
    groups: tuple[PerformanceGroup, ...]
    total: Decimal
    payment_method: PaymentChoice | None
    surcharge: Decimal
    amount_due: Decimal
    hold: HoldInfo | None
    busy: str | None
    order: OrderInfo | None
    confirmation: Confirmation | None
    not_paid: NotPaid | None
    message: CashierMessage | None
    customer: CustomerInfo | None
    avg_optin: bool
    avg_mailinglist: bool

    @property
    def held_lines(self) -> tuple[SaleLine, ...]:
        return tuple(ln for ln in self.lines if ln.held)

    @property
    def released_lines(self) -> tuple[SaleLine, ...]:
        return tuple(ln for ln in self.lines if not ln.held)


class SaleError(Exception):
    """A sale operation could not run; ``message`` is what to show the cashier."""

    def __init__(self, message: CashierMessage) -> None:
        super().__init__(message.text)
        self.message = message


Listener = Callable[[SaleSnapshot], None]


def _utcnow() -> datetime:
    return utc_now()


def line_to_dict(line: SaleLine) -> dict[str, Any]:
    return {
        "line_id": line.line_id, "event_id": line.event_id, "performance": line.performance,
        "starts_at": line.starts_at.isoformat() if line.starts_at else None,
        "section": line.section, "row": line.row, "seat": line.seat,
        "general_admission": line.general_admission, "price_id": line.price_id,
        "ticket_type": line.ticket_type, "rank_id": line.rank_id, "price": str(line.price),
        "status": line.status.value,
    }


def line_from_dict(d: dict[str, Any]) -> SaleLine:
    from boxoffice.domain.performance import opaque_id  # (issue 15: ids may be text)

    return SaleLine(
        line_id=d["line_id"], event_id=opaque_id(d["event_id"]), performance=d.get("performance") or "",
        starts_at=datetime.fromisoformat(d["starts_at"]) if d.get("starts_at") else None,
        section=d.get("section"), row=d.get("row"), seat=d.get("seat"),
        general_admission=bool(d.get("general_admission")), price_id=d.get("price_id") or "",
        ticket_type=d.get("ticket_type") or "", rank_id=d.get("rank_id"),
        price=Decimal(d.get("price") or "0"), status=LineStatus(d.get("status", "held")),
    )


def snapshot_cart(lines: Iterable[SaleLine]) -> Cart:
    """A public-cart view of held lines (what ``create_order(known_cart=)`` matches against)."""
    out = []
    for ln in lines:
        if not ln.held:
            continue
        out.append(CartLine.model_construct(
            seat_id=ln.line_id, event_id=ln.event_id,
            seat_row_nr="0" if ln.general_admission else str(ln.row),
            seat_nr="0" if ln.general_admission else str(ln.seat),
            numberoftickets=1, seat_price=ln.price, discount_id=ln.price_id,
            discount_name=ln.ticket_type, event_name=ln.performance,
        ))
    return Cart.model_construct(lines=out, total=sum((ln.price for ln in lines if ln.held), ZERO))


@dataclass
class _SeatMeta:
    section: str | None
    row: int | str
    seat: int | str
    rank_id: int


def cart_expired_about(minutes: int) -> CashierMessage:
    """The hold ran out and only a local estimate of its length is known (the docs do not give
    it): "about", never presented as documented."""
    return CashierMessage(
        _("The cart expired after about {minutes} minutes: the seats were released.").format(
            minutes=max(1, minutes)), Action.READD, Severity.WARNING)


#: at most this many places are named in a message (the rest as "and N more")
_PLACES_NAMED = 6


def order_needs_checking(lines: Iterable[SaleLine], *, method_name: str | None,
                         amount: Decimal | None, requested_at: datetime | None,
                         order_keys: Iterable[str] = ()) -> CashierMessage:
    """What the cashier must check when nothing the docs support shows whether an order was made
    (the answer to the order request was lost and the venue's order list could not settle it).
    No second order is ever made for the cart; the sale stays "needs attention" in the journal
    and is checked again at the next start. Names the order keys when known (the candidates the
    order list showed), the payment page, and the venue's order list (when, what)."""
    lines = list(lines)
    keys = [k for k in order_keys if k]
    places = ", ".join(f"{ln.performance}: {ln.place}" for ln in lines[:_PLACES_NAMED])
    if len(lines) > _PLACES_NAMED:
        places += " " + _("and {count} more").format(count=len(lines) - _PLACES_NAMED)
    checks = []
    if len(keys) == 1:
        checks.append(_("order {key} in VoordeMensen: it may be this sale's").format(key=keys[0]))
    elif keys:
        checks.append(_("orders {keys} in VoordeMensen: one of them may be this sale's").format(
            keys=", ".join(keys)))
    if amount is not None and method_name:
        checks.append(_("the payment page or terminal: did the customer pay {amount} by "
                        "{method}?").format(amount=format_money(amount), method=method_name))
    else:
        checks.append(_("the payment page or terminal: did the customer pay?"))
    when = format_time(requested_at) if requested_at is not None else None
    if when:
        checks.append(_("the venue's order list in VoordeMensen: an order made at about {time} "
                        "for {places}").format(time=when, places=places))
    else:
        checks.append(_("the venue's order list in VoordeMensen: an order for {places}").format(
            places=places))
    text = _("We could not confirm whether VoordeMensen made the order. No second order is made "
             "for this cart. Before selling these tickets again, check:") + "\n" + "\n".join(
        "• " + c for c in checks) + "\n" + _(
        "The sale is kept in the journal and checked again at the next start.")
    return CashierMessage(text, Action.NONE, Severity.WARNING)


def not_paid_reason(status: str) -> NotPaid:
    """Plain words for a payment that did not go through, with the next steps to offer."""
    steps = (Action.TRY_AGAIN, Action.OTHER_METHOD, Action.RELEASE)
    if status == "cancelled":
        text = _("The payment was cancelled. The seats were released: try again, choose another "
                 "payment method, or end the sale.")
    elif status == "failed":
        text = _("The payment failed. The seats were released: try again, choose another payment "
                 "method, or end the sale.")
    elif status == "expired":
        text = _("The payment took too long and expired. The seats were released: try again, "
                 "choose another payment method, or end the sale.")
    else:
        text = _("The payment did not go through.")
    return NotPaid(status, text, steps)
