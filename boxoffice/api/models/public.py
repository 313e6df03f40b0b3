"""DTOs of the public (unauthenticated, snake_case) VdM API.

Shapes follow vdm-api.md §3. Parsing of the odd envelopes (cart arrays with a trailing
``totalprice`` element, one-element order arrays, flat sub-event arrays) lives in
``boxoffice.api.public``; these classes describe the elements.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from .. import dates
from ._types import (
    CartDate,
    CartTime,
    CartViewEnd,
    Count,
    EventDate,
    EventEnd,
    EventTime,
    EventViewEnd,
    Id,
    Money,
    Names,
    Number,
    OptionalCount,
    OptionalId,
    PublicModel,
    RequestModel,
    StrId,
    TextId,
    TextLabel,
    items_of,
    known_value,
    lenient,
)

ON_SALE_STATUS = "pub"
#: ``event_status`` values the docs and client code know (§7); others are kept and noted.
EVENT_STATUSES = frozenset({"pub", "unpub", "nosal", "arch", "trash"})


class SubEvent(PublicModel):
    """One performance (public sub-event; = peppered ``eventId``).

    Tolerant reading: ``event_free`` null or missing -> None (per-order maximum unknown: not
    sellable); ``event_status`` missing -> None (status unknown: not sellable); ``event_type`` as
    a single text -> a one-element list. Only a performance without a readable id, date or start
    time cannot be placed in the list (it is left out and counted).
    """

    event_id: Id
    event_main_id: OptionalId = None
    event_name: str = ""
    event_text: str | None = None
    event_short_text: str | None = None
    event_url: str | None = None
    event_image: str | None = None
    event_date: EventDate
    event_time: EventTime
    event_end: lenient(EventEnd) = None            # "00:00:00" -> None; unreadable -> None
    event_view_end: lenient(EventViewEnd) = None   # "0000-00-00 00:00:00" -> None
    event_rep: str | None = None
    event_free: OptionalCount = None      # per-order maximum, NOT seats left; None: unknown
    # None: not given (status unknown)
    event_status: Annotated[str | None, AfterValidator(known_value("event_status", EVENT_STATUSES))] = None
    location_id: OptionalId = None
    location_name: str | None = None
    event_type: Names = None

    @property
    def starts_at(self) -> datetime:
        """Aware Europe/Amsterdam start."""
        return dates.local(self.event_date, self.event_time)

    @property
    def ends_at(self) -> datetime | None:
        """``event_view_end`` when set; else ``event_end`` (next day if before the start); None."""
        return dates.performance_end(
            self.event_date, self.event_time, self.event_end, self.event_view_end
        )

    @property
    def is_published(self) -> bool:
        return self.event_status == ON_SALE_STATUS

    @property
    def is_on_sale(self) -> bool:
        """Published and at least one ticket may be ordered (``event_free > 0``)."""
        return self.is_published and (self.event_free or 0) > 0

    @property
    def max_per_order(self) -> int:
        return max(self.event_free or 0, 0)


class MainEvent(PublicModel):
    """A show with its performances (public main event; = peppered ``productionId``).

    ``sub_events`` are read one by one: a performance that cannot be read is left out (and
    counted by the client), never the whole list."""

    event_id: Id
    event_name: str                 # a show without a name is left out (its performances counted)
    event_text: str | None = None
    event_short_text: str | None = None
    event_image: str | None = None
    event_type: Names = None
    sub_events: items_of(SubEvent, "sub_events") = Field(default_factory=list)


class TicketType(PublicModel):
    """A purchasable ticket type ("discount") of one performance."""

    discount_id: StrId
    discount_name: str
    base_price: Money
    discount_type: str          # "€" fixed off, "%" percentage off, "=" fixed price
    discount_value: Number      # amount / percentage / price depending on discount_type
    discounted_price: Money     # what the buyer pays


class PaymentMethod(PublicModel):
    """A public payment method (``payment_id`` shares its id space with peppered methods)."""

    payment_id: Id
    payment_desc: str
    payment_cost: Money = Decimal("0.00")   # charged at the provider, not in the cart total


class CartLine(PublicModel):
    """One seat/ticket line of a public cart.

    Tolerant where it is only shown: ``seat_row_nr``/``seat_nr`` as numbers or labels ("12a",
    "A"), dates in another form or missing (-> None, ``starts_at`` None), ``discount_id`` missing
    (-> ""). Strict where money and holds depend on it: a line without a readable ``seat_id``
    (needed to remove it), ``event_id`` or ``seat_price`` makes the cart read fail with a
    BadResponse naming the field (a line left out would make lines and total disagree).
    """

    seat_id: StrId
    seat_row_nr: TextLabel = "0"
    seat_nr: TextLabel = "0"
    pmp_name: str | None = None
    event_id: Id
    event_name: str | None = None
    location_name: str | None = None
    event_date: lenient(CartDate) = None
    event_time: lenient(CartTime) = None
    event_view_end: lenient(CartViewEnd) = None
    numberoftickets: Count = 1
    seat_price: Money
    category_name: str | None = None
    discount_id: TextId = ""
    discount_name: str | None = None
    recommand: Any = None

    @property
    def starts_at(self) -> datetime | None:
        if self.event_date is None or self.event_time is None:
            return None
        return dates.local(self.event_date, self.event_time)

    @property
    def is_general_admission(self) -> bool:
        """Row and seat ``"0"``: an unnumbered (general admission) place."""
        return self.seat_row_nr.strip() in ("", "0") and self.seat_nr.strip() in ("", "0")


class Cart(PublicModel):
    """A public cart: its lines and the server's total (payment surcharges not included)."""

    lines: list[CartLine] = Field(default_factory=list)
    total: Money = Decimal("0.00")

    @property
    def item_count(self) -> int:
        """Number of lines (the plugins' ``length - 1``)."""
        return len(self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    def tickets_for(self, event_id: int | str, discount_id: str) -> int:
        """How many tickets of (performance, ticket type) the cart holds."""
        return sum(
            line.numberoftickets
            for line in self.lines
            if line.event_id == event_id and line.discount_id == discount_id
        )

    def seat_ids(self) -> set[str]:
        return {line.seat_id for line in self.lines}

    def seat_signature(self) -> Counter:
        """Multiset of (event_id, row, seat) used to recognise an order made from this cart."""
        sig: Counter = Counter()
        for line in self.lines:
            sig[(line.event_id, _norm(line.seat_row_nr), _norm(line.seat_nr))] += max(
                line.numberoftickets, 1
            )
        return sig

    def price_signature(self) -> Counter | None:
        """Multiset of (event_id, discount_id): the ticket types, as an exported order shows them
        (its seats' ``priceId``); None when a line's ticket type is not known."""
        sig: Counter = Counter()
        for line in self.lines:
            if not line.discount_id:
                return None
            sig[(line.event_id, line.discount_id)] += max(line.numberoftickets, 1)
        return sig


def _norm(value: object) -> str:
    text = str(value).strip()
    return str(int(text)) if text.isdigit() else text


class OrderCustomer(RequestModel):
    """Buyer details sent with ``POST /order/create`` (all optional per the docs)."""

    email: str | None = None
    firstname: str | None = None
    lastname: str | None = None
    phone: str | None = None
    address: str | None = None
    city: str | None = None
    zip: str | None = None
    avg_optin: bool | None = None
    avg_mailinglist: bool | None = None

    def to_body(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class OrderCreated(PublicModel):
    """Result of creating an order.

    ``url`` is the payment URL. It is None only when the order was recovered after its answer
    was lost (found through the peppered export, which does not carry the payment URL);
    ``recovered`` is then True and the caller should follow up with ``order_status``.
    """

    order_key: str
    url: str | None = None
    recovered: bool = False


class OrderSeat(PublicModel):
    seat_id: Id
    event_name: str | None = None
    event_type: Any = None


class OrderStatus(PublicModel):
    """``GET /order/:order_key``."""

    order_payment_status: str
    order_tickets_nr: OptionalCount = None
    order_tickets_url: str | None = None
    order_receipt_url: str | None = None
    seats: items_of(OrderSeat, "seats") = Field(default_factory=list)

    @property
    def is_paid(self) -> bool:
        return self.order_payment_status == "paid"

    @property
    def is_final(self) -> bool:
        """Paid, cancelled, failed or expired: the status will not change by waiting."""
        return self.order_payment_status in {"paid", "cancelled", "failed", "expired"}


__all__ = [
    "SubEvent", "MainEvent", "TicketType", "PaymentMethod", "CartLine", "Cart", "OrderCustomer",
    "OrderCreated", "OrderSeat", "OrderStatus",
]
