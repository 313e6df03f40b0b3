"""Sale amounts as exact Decimals: cart totals, payment-method surcharges, amount due.

Owns the money arithmetic of a sale (never floats). The VdM cart total excludes the payment
method's surcharge (``payment_cost`` / ``fee``, vdm-api.md §3.4 and §9.9): the surcharge is shown
separately and added only to the amount the customer pays.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value: object) -> Decimal:
    """A Decimal rounded to cents (half up). Floats and booleans are refused."""
    if isinstance(value, (bool, float)):
        raise TypeError(f"money must not be a {type(value).__name__}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, (int, str)):
        try:
            d = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"not an amount: {value!r}") from None
    else:
        raise TypeError(f"not an amount: {value!r}")
    if not d.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """Exact sum of line prices, in cents."""
    return sum((to_money(a) for a in amounts), ZERO)


def surcharge(fee: Decimal | None) -> Decimal:
    """The payment method's fixed surcharge (``None`` → 0)."""
    return ZERO if fee is None else to_money(fee)


def amount_due(cart_total: Decimal, fee: Decimal | None = None) -> Decimal:
    """What the customer pays: the VdM cart total plus the method's surcharge."""
    return to_money(cart_total) + surcharge(fee)
