"""Cash at the counter: change due and the quick "amount tendered" buttons.

Pure Decimal arithmetic. ``change_due`` never rounds away a cent; a shortfall is reported, not
hidden. ``quick_amounts`` offers the exact amount plus the next round amounts a customer is
likely to hand over (next multiple of €5, €10, €20 and €50), only those that cover the amount.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from boxoffice.domain.money import ZERO, to_money

NOTES = (Decimal(5), Decimal(10), Decimal(20), Decimal(50))


@dataclass(frozen=True)
class Change:
    """Result of counting the cash handed over."""

    due: Decimal
    tendered: Decimal
    change: Decimal      # what to give back (0 when short)
    short: Decimal       # what is still missing (0 when enough)

    @property
    def enough(self) -> bool:
        return self.short == ZERO


def change_due(due: Decimal, tendered: Decimal) -> Change:
    """Change to give back for ``tendered`` against ``due`` (both exact to the cent)."""
    due_c = to_money(due)
    tendered_c = to_money(tendered)
    if due_c < ZERO or tendered_c < ZERO:
        raise ValueError("amounts cannot be negative")
    diff = tendered_c - due_c
    return Change(due_c, tendered_c, max(diff, ZERO), max(-diff, ZERO))


def round_up_to(amount: Decimal, step: Decimal) -> Decimal:
    """The smallest multiple of ``step`` that is >= ``amount``."""
    units = (to_money(amount) / step).to_integral_value(rounding=ROUND_CEILING)
    return to_money(units * step)


def quick_amounts(due: Decimal, limit: int = 5) -> list[Decimal]:
    """Exact, then the next multiples of €5/€10/€20/€50 above it (distinct, ascending)."""
    due_c = to_money(due)
    if due_c <= ZERO:
        return [ZERO]
    out = [due_c]
    for note in NOTES:
        candidate = round_up_to(due_c, note)
        if candidate > due_c and candidate not in out:
            out.append(candidate)
    return sorted(out)[:limit]
