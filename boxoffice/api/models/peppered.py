"""DTOs of the peppered (API-key, camelCase) VdM API.

Attributes are snake_case; the wire names are camelCase aliases (generated, or explicit where the
Python name is shorter, e.g. ``Customer.first_name`` <- ``customerFirstName``).
Shapes follow vdm-api.md §4 plus the simulator contract (checkout returns an order with
``paymentUrl``; cart items' ``itemId`` equals the seating plan ``seatId``).
"""
from __future__ import annotations

from collections import Counter

from decimal import Decimal
from typing import Any

from pydantic import Field

from ._types import IsoDateTime, Money, OptionalIsoDateTime, OptionalMoney, PepperedModel


# --------------------------------------------------------------------------- halls & seating
class Hall(PepperedModel):
    hall_id: int
    hall_name: str
    hall_address: str | None = None
    hall_zip: str | None = None
    hall_city: str | None = None
    hall_phone: str | None = None
    hall_url: str | None = None


class PriceLevel(PepperedModel):
    price_id: str
    rank_id: int
    name: str | None = None
    amount: Money


class Seat(PepperedModel):
    seat_id: str
    seat_nr: int
    rank_id: int
    available: bool


class SeatRow(PepperedModel):
    row_nr: int
    seats: list[Seat] = Field(default_factory=list)


class Section(PepperedModel):
    section_id: int
    section_name: str | None = None
    rows: list[SeatRow] = Field(default_factory=list)


class SeatPlan(PepperedModel):
    """Seating plan with per-seat availability of one performance."""

    event_id: int
    hall_id: int | None = None
    price_levels: list[PriceLevel] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    available: int | None = None

    def seats(self) -> list[tuple[Section, SeatRow, Seat]]:
        return [(s, r, seat) for s in self.sections for r in s.rows for seat in r.seats]

    def seat(self, seat_id: str) -> Seat | None:
        return next((seat for _, _, seat in self.seats() if seat.seat_id == seat_id), None)


# --------------------------------------------------------------------------- performances
class EventPrice(PepperedModel):
    rank_id: int | None = None
    amount: Money
    price_id: str | None = None
    name: str | None = None


class BlockAvailability(PepperedModel):
    block_type: str
    block_name: str | None = None
    count: int | None = None   # field name undocumented; kept when present


class Performance(PepperedModel):
    """Peppered ``EventResource`` (a performance; = public sub-event)."""

    event_id: int
    production_id: int | None = None
    event_name: str
    event_type: Any = None
    event_tags: Any = None
    start: IsoDateTime
    end: OptionalIsoDateTime = None
    hall_id: int | None = None
    prices: list[EventPrice] = Field(default_factory=list)
    availability: Any = None
    block_availability: list[BlockAvailability] = Field(default_factory=list)


# --------------------------------------------------------------------------- cart
class CartSummary(PepperedModel):
    cart_id: str
    time_out: OptionalIsoDateTime = None
    number_of_items: int
    amount: Money


class CartItem(PepperedModel):
    item_type: str = "ticket"
    item_id: str
    event_id: int | None = None
    price_id: str | None = None
    price_name: str | None = None
    rank_id: int | None = None
    description: str | None = None
    amount: OptionalMoney = None
    number_of_tickets: int | None = None


class PepperedCart(PepperedModel):
    """Peppered ``CartResource``."""

    cart_id: str
    time_out: OptionalIsoDateTime = None
    number_of_items: int
    amount: Money
    cart_items: list[CartItem] = Field(default_factory=list)

    def item_ids(self) -> set[str]:
        return {item.item_id for item in self.cart_items}

    def ticket_counts(self) -> Counter:
        """Tickets per (event_id, price_id)."""
        counts: Counter = Counter()
        for item in self.cart_items:
            counts[(item.event_id, item.price_id)] += item.number_of_tickets or 1
        return counts


class CartItemRequest(PepperedModel):
    """One element of the peppered add-to-cart body.

    ``seat_id`` picks a specific seat (reserved seating); without it ``number_of_tickets``
    places are added. ``amount`` is for donations.
    """

    price_id: str
    rank_id: int
    event_id: int | None = None
    number_of_tickets: int | None = None
    seat_id: str | None = None
    amount: OptionalMoney = None

    def to_body(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


# --------------------------------------------------------------------------- orders
class Order(PepperedModel):
    """Peppered ``OrderResource`` (checkout adds ``paymentUrl``).

    ``payment_url`` is None when the order came from a list/detail call, or when a checkout was
    recovered through the export after its answer was lost (then ``recovered`` is True).
    """

    order_id: int
    order_key: str
    customer_id: int | None = None
    order_status: str | None = None
    order_payment_status: str | None = None
    order_date: OptionalIsoDateTime = None
    time_out: OptionalIsoDateTime = None
    amount: Money
    order_donation: OptionalMoney = None
    last_changed: OptionalIsoDateTime = None
    handling_text_payment: str | None = None
    discount_name: str | None = None
    payment_url: str | None = None
    recovered: bool = Field(default=False, exclude=True)


class ExportSeat(PepperedModel):
    seat_id: int | str
    event_id: int
    rank_id: int | None = None
    row_nr: int | str | None = None
    seat_nr: int | str | None = None
    amount: OptionalMoney = None
    price_id: str | None = None
    price_name: str | None = None


class ExportUser(PepperedModel):
    customer_id: int | None = None
    email: str | None = None


class OrderExport(PepperedModel):
    """Peppered ``OrderExportResource``: an order with its seats and customer inlined."""

    order_id: int
    order_key: str
    customer_id: int | None = None
    order_status: str | None = None
    order_payment_status: str | None = None
    order_channel: str | None = None
    order_date: OptionalIsoDateTime = None
    time_out: OptionalIsoDateTime = None
    last_changed: OptionalIsoDateTime = None
    amount: Money
    fee: OptionalMoney = None
    donation: OptionalMoney = None
    handling_text_payment: str | None = None
    discount_name: str | None = None
    seats: list[ExportSeat] = Field(default_factory=list)
    deleted_seats: list[ExportSeat] = Field(default_factory=list)
    user: ExportUser | None = None

    def seat_signature(self) -> Counter:
        """Multiset of (event_id, row, seat) — comparable with ``Cart.seat_signature``."""
        sig: Counter = Counter()
        for seat in self.seats:
            sig[(seat.event_id, _norm(seat.row_nr), _norm(seat.seat_nr))] += 1
        return sig

    def to_order(self, *, recovered: bool = False) -> Order:
        return Order(
            order_id=self.order_id, order_key=self.order_key, customer_id=self.customer_id,
            order_status=self.order_status, order_payment_status=self.order_payment_status,
            order_date=self.order_date, time_out=self.time_out, amount=self.amount,
            order_donation=self.donation, last_changed=self.last_changed,
            handling_text_payment=self.handling_text_payment, discount_name=self.discount_name,
            payment_url=None, recovered=recovered,
        )


def _norm(value: object) -> str:
    text = "0" if value is None else str(value).strip()
    return str(int(text)) if text.isdigit() else text


# --------------------------------------------------------------------------- customers
class _CustomerFields(PepperedModel):
    salutation: str | None = Field(default=None, alias="customerSalutation")
    first_name: str | None = Field(default=None, alias="customerFirstName")
    preposition: str | None = Field(default=None, alias="customerPreposition")
    last_name: str | None = Field(default=None, alias="customerLastName")
    address: str | None = Field(default=None, alias="customerAddress")
    house_nr: str | None = Field(default=None, alias="customerHouseNr")
    zip: str | None = Field(default=None, alias="customerZip")
    city: str | None = Field(default=None, alias="customerCity")
    country: str | None = Field(default=None, alias="customerCountry")
    phone: str | None = Field(default=None, alias="customerPhone")
    credit: OptionalMoney = Field(default=None, alias="customerCredit")


class Customer(_CustomerFields):
    """Peppered ``UserResource``."""

    customer_id: int
    email: str


class CustomerCreate(_CustomerFields):
    """Body of ``POST /peppered/customer`` (email, first and last name required)."""

    email: str
    first_name: str = Field(alias="customerFirstName")
    last_name: str = Field(alias="customerLastName")

    def to_body(self) -> dict[str, Any]:
        return _customer_body(self.model_dump(by_alias=True, exclude_none=True))


class CustomerUpdate(_CustomerFields):
    """Body of ``PUT /peppered/customer/{id}``: only the fields given are sent."""

    email: str | None = None

    def to_body(self) -> dict[str, Any]:
        return _customer_body(self.model_dump(by_alias=True, exclude_unset=True))


def _customer_body(body: dict[str, Any]) -> dict[str, Any]:
    # customerCredit is documented as a decimal string ("25.50").
    if isinstance(body.get("customerCredit"), Decimal):
        body["customerCredit"] = str(body["customerCredit"])
    return body


# --------------------------------------------------------------------------- payment methods
class PepperedPaymentMethod(PepperedModel):
    payment_method_id: int
    name: str
    fee: Money = Decimal("0.00")


__all__ = [
    "Hall", "PriceLevel", "Seat", "SeatRow", "Section", "SeatPlan", "EventPrice",
    "BlockAvailability", "Performance", "CartSummary", "CartItem", "PepperedCart",
    "CartItemRequest", "Order", "ExportSeat", "ExportUser", "OrderExport", "Customer",
    "CustomerCreate", "CustomerUpdate", "PepperedPaymentMethod",
]

