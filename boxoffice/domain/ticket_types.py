"""How a ticket type's discount is described to a cashier ("CJP €1.00 off").

Pure functions over :class:`boxoffice.api.models.TicketType`. ``discount_type`` is ``€`` (a fixed
amount off), ``%`` (a percentage off) or ``=`` (the price is replaced by a fixed price);
``discount_value`` holds the amount, percentage or price (vdm-api.md §3.2).
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boxoffice.api.models import TicketType
from boxoffice.i18n import _, format_money, format_percent

AMOUNT_OFF = "€"
PERCENT_OFF = "%"
FIXED_PRICE = "="


def describe_discount(ticket_type: TicketType) -> str:
    """``€1.00 off`` / ``€ 1,00 korting``, ``25% off``, ``fixed price €2.00``; ``""`` when the
    type gives no discount (or an unknown kind)."""
    kind = (ticket_type.discount_type or "").strip()
    value = Decimal(ticket_type.discount_value)
    if kind == FIXED_PRICE:
        return _("fixed price {amount}").format(amount=format_money(value))
    if value == 0:
        return ""
    if kind in (AMOUNT_OFF, "\\u20ac", "EUR"):
        return _("{amount} off").format(amount=format_money(value))
    if kind == PERCENT_OFF:
        return _("{percent} off").format(percent=format_percent(value))
    return ""


def display_name(ticket_type: TicketType) -> str:
    """The ticket type's name with a capital first letter (``stadspas`` → ``Stadspas``)."""
    name = ticket_type.discount_name.strip()
    return name[:1].upper() + name[1:]


def ticket_type_label(ticket_type: TicketType) -> str:
    """Name plus discount: ``Stadspas 25% off``; just the name when there is no discount."""
    description = describe_discount(ticket_type)
    name = display_name(ticket_type)
    return f"{name} {description}" if description else name
