"""What the customer-facing display may show of a sale: a restricted view built from a
:class:`~boxoffice.services.sale.SaleSnapshot` (Qt-free).

Owns :class:`CustomerView` and :func:`customer_view`. The display turned towards the customer
takes only this view, never the snapshot: it holds the sale's lines (performance, place, ticket
type, price), the amounts, the payment link (only when the link policy allows it), the cash
handed over and the change, and the tickets link after payment. Nothing else of the sale can
reach the customer's screen: no cashier message, no error or its details, no customer record
(name, e-mail), no order or API key, no other sale. A stage that is not the customer's business
(an order being checked, a payment that did not go through) is one neutral stage with no reason.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import Enum

from boxoffice.domain.cash import change_due
from boxoffice.domain.money import ZERO
from boxoffice.services.sale.model import PaymentChoice, Phase, SaleLine, SaleSnapshot
from boxoffice.services.shift_report import CASH_NAMES


class CustomerStage(str, Enum):
    IDLE = "idle"            # no sale: the venue's welcome
    CART = "cart"            # the lines and the total
    PAYING = "paying"        # scan to pay (the payment link as a QR code) and the amount
    CASH = "cash"            # paying cash: the amount, what was handed over and the change
    PAID = "paid"            # paid: enjoy the show, and the tickets link
    ONE_MOMENT = "moment"    # anything the cashier sorts out (no reason is shown)


@dataclass(frozen=True)
class CustomerLine:
    """One ticket as the customer reads it (the place is put into words by the display)."""

    performance: str
    starts_at: datetime | None
    section: str | None
    row: int | str | None
    seat: int | str | None
    general_admission: bool
    ticket_type: str
    price: Decimal


@dataclass(frozen=True)
class CustomerView:
    """Everything the customer display may show; nothing else (see the module's docstring)."""

    stage: CustomerStage
    lines: tuple[CustomerLine, ...] = ()
    total: Decimal = ZERO
    surcharge: Decimal = ZERO
    amount_due: Decimal = ZERO
    #: the payment page (PAYING), only a link the app's link policy allows
    payment_url: str | None = None
    #: cash: what the customer handed over and the change (None: not typed)
    cash_given: Decimal | None = None
    cash_change: Decimal | None = None
    cash_short: Decimal | None = None
    amount_paid: Decimal | None = None
    #: the e-tickets (PAID), only a link the app's link policy allows
    tickets_url: str | None = None
    #: which sale this is (the app's own local id: tells one paid sale from the next)
    sale: str | None = None


IDLE_VIEW = CustomerView(CustomerStage.IDLE)


def is_cash_method(method: PaymentChoice | str | None) -> bool:
    name = method.name if isinstance(method, PaymentChoice) else method
    return bool(name) and str(name).strip().lower() in CASH_NAMES


def _lines(lines: Iterable[SaleLine]) -> tuple[CustomerLine, ...]:
    return tuple(CustomerLine(ln.performance, ln.starts_at, ln.section, ln.row, ln.seat,
                              ln.general_admission, ln.ticket_type, ln.price) for ln in lines)


def customer_view(snapshot: SaleSnapshot, *, tendered: Decimal | None = None,
                  link_allowed: Callable[[str], bool] | None = None) -> CustomerView:
    """The customer's view of *snapshot*. ``tendered``: the cash the cashier typed as handed
    over (used only when the sale is paid in cash); ``link_allowed``: the app's link policy
    (a link it refuses is not shown; without a policy no link is shown)."""

    def allowed(url: str | None) -> str | None:
        return url if url and link_allowed is not None and link_allowed(url) else None

    phase = snapshot.phase
    sale = snapshot.sale_id
    if phase == Phase.PAID and snapshot.confirmation is not None:
        conf = snapshot.confirmation
        given = change = None
        if tendered is not None and is_cash_method(conf.payment_method):
            cash = change_due(conf.amount_paid, tendered)
            if cash.enough:
                given, change = cash.tendered, cash.change
        return CustomerView(CustomerStage.PAID, _lines(conf.lines), conf.total, conf.surcharge,
                            conf.amount_paid, amount_paid=conf.amount_paid,
                            tickets_url=allowed(conf.tickets_url), cash_given=given,
                            cash_change=change, sale=sale)
    if phase in (Phase.NOT_PAID, Phase.ATTENTION, Phase.PAID):   # PAID here: not confirmed
        return CustomerView(CustomerStage.ONE_MOMENT, sale=sale)
    held = snapshot.held_lines
    if phase == Phase.WAITING and snapshot.order is not None:
        order = snapshot.order
        lines = _lines(held)
        total = sum((ln.price for ln in lines), ZERO)
        fee = max(order.amount_due - total, ZERO)
        if is_cash_method(order.method):
            return _with_cash(CustomerView(CustomerStage.CASH, lines, total, fee,
                                           order.amount_due, sale=sale), tendered)
        return CustomerView(CustomerStage.PAYING, lines, total, fee, order.amount_due,
                            payment_url=allowed(order.payment_url), sale=sale)
    if phase in (Phase.OPEN, Phase.ORDERING) and held:
        method = snapshot.payment_method
        view = CustomerView(CustomerStage.CART, _lines(held), snapshot.total, snapshot.surcharge,
                            snapshot.amount_due, sale=sale)
        return _with_cash(view, tendered) if is_cash_method(method) else view
    return CustomerView(CustomerStage.IDLE, sale=sale)


def _with_cash(view: CustomerView, tendered: Decimal | None) -> CustomerView:
    if tendered is None:
        return view
    cash = change_due(view.amount_due, tendered)
    return replace(view, cash_given=cash.tendered, cash_change=cash.change if cash.enough else None,
                   cash_short=None if cash.enough else cash.short)
