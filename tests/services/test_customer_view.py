"""The customer display's view of a sale: only what the customer may see (issue 12).

The display takes this view, never the snapshot; so what is not a field here cannot reach the
customer's screen: no cashier message or its details, no customer record, no key."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from decimal import Decimal

from boxoffice.domain.money import ZERO
from boxoffice.services.customer_view import (
    CustomerLine,
    CustomerStage,
    CustomerView,
    customer_view,
)
from boxoffice.services.messages import Action, CashierMessage, Severity
from boxoffice.services.sale import (
    Confirmation,
    CustomerInfo,
    NotPaid,
    OrderInfo,
    PaymentChoice,
    Phase,
    SaleLine,
    SaleSnapshot,
)

CARD = PaymentChoice(2, "Credit card", Decimal("0.50"))
CASH = PaymentChoice(1, "Cash")
SECRET = "sk_live_THE_API_KEY_123"
ERROR = CashierMessage("VoordeMensen refused the cart (HTTP 500)", Action.TRY_AGAIN, Severity.ERROR,
                       details=f"POST /cart/abc key={SECRET} Traceback ...")
BUYER = CustomerInfo("anna@example.org", "Anna", "de Vries", "0612345678", 77)


def line(n: int, price: str = "24.50") -> SaleLine:
    return SaleLine(line_id=f"s{n}", event_id=5, performance="Hamlet",
                    starts_at=datetime(2026, 12, 5, 19, 30, tzinfo=timezone.utc), section="Parket",
                    row=3, seat=n, general_admission=False, price_id="p1", ticket_type="Regular",
                    rank_id=1, price=Decimal(price))


def snap(phase: Phase, lines=(), *, method=None, order=None, confirmation=None,
         message=None, customer=None, not_paid=None) -> SaleSnapshot:
    lines = tuple(lines)
    total = sum((ln.price for ln in lines), ZERO)
    fee = method.surcharge if method is not None and lines else ZERO
    return SaleSnapshot(phase=phase, sale_id="sale-1", cart_id="cart-secret-9", lines=lines,
                        groups=(), total=total, payment_method=method, surcharge=fee,
                        amount_due=total + fee, hold=None, busy=None, order=order,
                        confirmation=confirmation, not_paid=not_paid, message=message,
                        customer=customer, avg_optin=False, avg_mailinglist=False)


def everything_shown(view: CustomerView) -> str:
    return repr(view)


def test_the_view_has_no_field_for_messages_details_keys_or_the_customer_record():
    names = {f.name for f in dataclasses.fields(CustomerView)} | {
        f.name for f in dataclasses.fields(CustomerLine)}
    for forbidden in ("message", "details", "key", "customer", "email", "phone", "cart",
                      "order", "error", "busy", "not_paid"):
        assert not [n for n in names if forbidden in n], forbidden


def test_an_error_during_the_sale_shows_nothing_of_it():
    s = snap(Phase.OPEN, [line(1)], method=CARD, message=ERROR, customer=BUYER)
    view = customer_view(s, link_allowed=lambda url: True)
    assert view.stage == CustomerStage.CART
    shown = everything_shown(view)
    for secret in (SECRET, "HTTP 500", "Traceback", "refused", "anna@example.org", "de Vries",
                   "0612345678", "cart-secret-9"):
        assert secret not in shown


def test_idle_without_lines():
    assert customer_view(snap(Phase.IDLE)).stage == CustomerStage.IDLE
    assert customer_view(snap(Phase.OPEN)).stage == CustomerStage.IDLE


def test_the_cart_shows_lines_and_total_with_the_surcharge():
    view = customer_view(snap(Phase.OPEN, [line(1), line(2)], method=CARD))
    assert view.stage == CustomerStage.CART
    assert [ln.seat for ln in view.lines] == [1, 2]
    assert view.lines[0].ticket_type == "Regular" and view.lines[0].section == "Parket"
    assert view.total == Decimal("49.00") and view.amount_due == Decimal("49.50")


def _order(method: PaymentChoice, due: str, url: str | None = "https://pay.example/o/1"):
    return OrderInfo("ORDER-KEY-1", url, "pending", method, Decimal(due), True)


def test_paying_shows_the_link_only_when_the_policy_allows_it():
    s = snap(Phase.WAITING, [line(1)], method=CARD, order=_order(CARD, "25.00"))
    view = customer_view(s, link_allowed=lambda url: url.startswith("https://"))
    assert view.stage == CustomerStage.PAYING
    assert view.payment_url == "https://pay.example/o/1" and view.amount_due == Decimal("25.00")
    assert "ORDER-KEY-1" not in everything_shown(view)
    refused = customer_view(s, link_allowed=lambda url: False)
    assert refused.stage == CustomerStage.PAYING and refused.payment_url is None
    assert customer_view(s).payment_url is None     # no policy: no link


def test_cash_shows_the_amount_given_and_the_change():
    s = snap(Phase.WAITING, [line(1)], method=CASH, order=_order(CASH, "24.50"))
    view = customer_view(s, tendered=Decimal("50"))
    assert view.stage == CustomerStage.CASH
    assert (view.amount_due, view.cash_given, view.cash_change) == (
        Decimal("24.50"), Decimal("50"), Decimal("25.50"))
    assert customer_view(s).cash_given is None
    short = customer_view(s, tendered=Decimal("20"))
    assert short.cash_change is None and short.cash_short == Decimal("4.50")


def test_a_typed_amount_counts_only_for_cash():
    s = snap(Phase.OPEN, [line(1)], method=CARD)
    assert customer_view(s, tendered=Decimal("50")).cash_given is None
    cash = customer_view(snap(Phase.OPEN, [line(1)], method=CASH), tendered=Decimal("50"))
    assert cash.cash_change == Decimal("25.50")


def test_paid_shows_the_tickets_link_and_the_change():
    conf = Confirmation("ORDER-KEY-1", 1, (line(1),), Decimal("24.50"), ZERO, Decimal("24.50"),
                        "Cash", "https://tickets.example/ORDER-KEY-1/ticket", "https://r.example")
    s = snap(Phase.PAID, [line(1)], method=CASH, confirmation=conf, customer=BUYER)
    view = customer_view(s, tendered=Decimal("30"), link_allowed=lambda url: True)
    assert view.stage == CustomerStage.PAID
    assert view.tickets_url == "https://tickets.example/ORDER-KEY-1/ticket"
    assert (view.amount_paid, view.cash_given, view.cash_change) == (
        Decimal("24.50"), Decimal("30"), Decimal("5.50"))
    assert "anna@" not in everything_shown(view) and "r.example" not in everything_shown(view)


def test_trouble_is_one_neutral_stage_without_a_reason():
    for phase, extra in ((Phase.NOT_PAID, {"not_paid": NotPaid("failed", "The payment failed "
                                                                "(card declined 05)", ())}),
                         (Phase.ATTENTION, {"message": ERROR})):
        view = customer_view(snap(phase, [line(1)], method=CARD, **extra))
        assert view == CustomerView(CustomerStage.ONE_MOMENT, sale="sale-1")
