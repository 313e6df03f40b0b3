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

from pydantic import Field, PrivateAttr, StrictBool, StrictInt

from ._types import (
    Count,
    Id,
    IsoDateTime,
    Label,
    Money,
    OptionalCount,
    OptionalId,
    OptionalIsoDateTime,
    OptionalLabel,
    OptionalMoney,
    OptionalStrId,
    PepperedModel,
    PepperedRequestModel,
    StrId,
    items_of,
    lenient,
    named,
    to_bool,
    to_id,
    to_label,
    to_str_id,
)


# --------------------------------------------------------------------------- halls & seating
class Hall(PepperedModel):
    hall_id: Id
    hall_name: str = ""
    hall_address: str | None = None
    hall_zip: str | None = None
    hall_city: str | None = None
    hall_phone: str | None = None
    hall_url: str | None = None


class PriceLevel(PepperedModel):
    price_id: StrId
    rank_id: Id
    name: str | None = None
    amount: Money


class Seat(PepperedModel):
    """One seat. ``seat_id`` is always text (an integer id becomes its text); ``seat_nr`` is an
    int when numeric, else its label (``"12a"``)."""

    # (validators with a fixed field name: a plan has thousands of seats; see _types.named)
    seat_id: named(to_str_id, "seat_id", str)
    seat_nr: named(to_label, "seat_nr", int | str, usual=StrictInt)
    rank_id: named(to_id, "rank_id", int | str, usual=StrictInt)
    available: named(to_bool, "available", bool, usual=StrictBool) = False


class SeatRow(PepperedModel):
    """A row: ``row_nr`` an int when numeric, else its label (``"A"``). Seats are read one by
    one (an unreadable seat is left out and counted)."""

    row_nr: Label
    seats: items_of(Seat, "seats") = Field(default_factory=list)


class Section(PepperedModel):
    section_id: Id
    section_name: str | None = None
    rows: items_of(SeatRow, "rows") = Field(default_factory=list)


class SeatPlan(PepperedModel):
    """Seating plan with per-seat availability of one performance.

    Sections, rows, seats and price levels are read one by one. A plan without any seat (no
    sections, or sections without seats) is a general-admission performance, like a 404 from
    ``/seating``: see :attr:`is_general_admission`."""

    event_id: Id
    hall_id: OptionalId = None
    price_levels: items_of(PriceLevel, "priceLevels") = Field(default_factory=list)
    sections: items_of(Section, "sections") = Field(default_factory=list)
    available: lenient(Count) = None
    #: parts of the answer (seats, rows, sections, price levels) that could not be read and were
    #: left out; set by the client (not part of the resource, not saved in the offline copy)
    _skipped: int = PrivateAttr(0)

    @property
    def skipped(self) -> int:
        return self._skipped

    def seats(self) -> list[tuple[Section, SeatRow, Seat]]:
        return [(s, r, seat) for s in self.sections for r in s.rows for seat in r.seats]

    def seat(self, seat_id: str) -> Seat | None:
        return next((seat for _, _, seat in self.seats() if seat.seat_id == seat_id), None)

    @property
    def is_general_admission(self) -> bool:
        """No seat at all: nothing to pick on a map, sold by quantity (the ticket counter)."""
        return not any(row.seats for section in self.sections for row in section.rows)


# --------------------------------------------------------------------------- performances
class EventPrice(PepperedModel):
    rank_id: OptionalId = None
    amount: Money
    price_id: OptionalStrId = None
    name: str | None = None


class BlockAvailability(PepperedModel):
    block_type: str
    block_name: str | None = None
    count: lenient(Count) = None   # field name undocumented; kept when present


class Performance(PepperedModel):
    """Peppered ``EventResource`` (a performance; = public sub-event)."""

    event_id: Id
    production_id: OptionalId = None
    event_name: str = ""
    event_type: Any = None
    event_tags: Any = None
    start: IsoDateTime
    end: lenient(OptionalIsoDateTime) = None
    hall_id: OptionalId = None
    prices: items_of(EventPrice, "prices") = Field(default_factory=list)
    availability: Any = None
    block_availability: items_of(BlockAvailability, "blockAvailability") = Field(default_factory=list)


# --------------------------------------------------------------------------- cart
class CartSummary(PepperedModel):
    cart_id: StrId
    time_out: OptionalIsoDateTime = None
    number_of_items: Count
    amount: Money


class CartItem(PepperedModel):
    """A cart item. Strict on ``itemId`` (needed to remove it): an item without one makes the
    cart read fail naming the field, never a cart that silently holds less than it shows."""

    item_type: str = "ticket"
    item_id: StrId
    event_id: OptionalId = None
    price_id: OptionalStrId = None
    price_name: str | None = None
    rank_id: OptionalId = None
    description: str | None = None
    amount: OptionalMoney = None
    number_of_tickets: OptionalCount = None


class PepperedCart(PepperedModel):
    """Peppered ``CartResource``."""

    cart_id: StrId
    time_out: OptionalIsoDateTime = None
    number_of_items: Count
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


class CartItemRequest(PepperedRequestModel):
    """One element of the peppered add-to-cart body.

    ``seat_id`` picks a specific seat (reserved seating); without it ``number_of_tickets``
    places are added. ``amount`` is for donations.
    """

    price_id: str
    rank_id: Id                  # an int when numeric (documented integer), else as received
    event_id: OptionalId = None
    number_of_tickets: int | None = None
    seat_id: OptionalStrId = None
    amount: OptionalMoney = None

    def to_body(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


# --------------------------------------------------------------------------- orders
class Order(PepperedModel):
    """Peppered ``OrderResource`` (checkout adds ``paymentUrl``).

    ``payment_url`` is None when the order came from a list/detail call, or when a checkout was
    recovered through the export after its answer was lost (then ``recovered`` is True).
    """

    order_id: Id
    order_key: str
    customer_id: OptionalId = None
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
    seat_id: Id
    event_id: Id
    rank_id: OptionalId = None
    row_nr: OptionalLabel = None
    seat_nr: OptionalLabel = None
    amount: OptionalMoney = None
    price_id: OptionalStrId = None
    price_name: str | None = None


class ExportUser(PepperedModel):
    """The buyer inlined in an order export: ``customerId`` and ``email`` documented; the name
    fields (``UserResource`` shape, if sent) only shown: an unreadable one becomes None."""

    customer_id: OptionalId = None
    email: str | None = None
    first_name: lenient(str) = Field(default=None, alias="customerFirstName")
    preposition: lenient(str) = Field(default=None, alias="customerPreposition")
    last_name: lenient(str) = Field(default=None, alias="customerLastName")


class OrderExport(PepperedModel):
    """Peppered ``OrderExportResource``: an order with its seats and customer inlined."""

    order_id: Id
    order_key: str
    customer_id: OptionalId = None
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

    customer_id: Id
    email: str


class ExportCustomer(PepperedModel):
    """A customer of ``POST /export/customers`` (``UserResource``) as the order desk reads it:
    the id is needed; e-mail and name parts are only shown (an unreadable one becomes None)."""

    customer_id: Id
    email: lenient(str) = None
    first_name: lenient(str) = Field(default=None, alias="customerFirstName")
    preposition: lenient(str) = Field(default=None, alias="customerPreposition")
    last_name: lenient(str) = Field(default=None, alias="customerLastName")


class CustomerCreate(_CustomerFields):
    """Body of ``POST /peppered/customer`` (email, first and last name required)."""

    model_config = PepperedRequestModel.model_config

    email: str
    first_name: str = Field(alias="customerFirstName")
    last_name: str = Field(alias="customerLastName")

    def to_body(self) -> dict[str, Any]:
        return _customer_body(self.model_dump(by_alias=True, exclude_none=True))


class CustomerUpdate(_CustomerFields):
    """Body of ``PUT /peppered/customer/{id}``: only the fields given are sent."""

    model_config = PepperedRequestModel.model_config

    email: str | None = None

    def to_body(self) -> dict[str, Any]:
        # strict writing: a field given as None is left out, never sent as an explicit null
        return _customer_body(self.model_dump(by_alias=True, exclude_unset=True,
                                              exclude_none=True))


def _customer_body(body: dict[str, Any]) -> dict[str, Any]:
    # customerCredit is documented as a decimal string ("25.50").
    if isinstance(body.get("customerCredit"), Decimal):
        body["customerCredit"] = str(body["customerCredit"])
    return body


# --------------------------------------------------------------------------- payment methods
class PepperedPaymentMethod(PepperedModel):
    payment_method_id: Id
    name: str
    fee: Money = Decimal("0.00")


__all__ = [
    "Hall", "PriceLevel", "Seat", "SeatRow", "Section", "SeatPlan", "EventPrice",
    "BlockAvailability", "Performance", "CartSummary", "CartItem", "PepperedCart",
    "CartItemRequest", "Order", "ExportSeat", "ExportUser", "OrderExport", "Customer",
    "ExportCustomer",
    "CustomerCreate", "CustomerUpdate", "PepperedPaymentMethod",
]

