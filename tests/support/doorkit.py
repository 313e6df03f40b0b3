"""Orders for the door list and day report tests: named buyers (Dutch infixes, accents), a
reservation with a time-out, a cancelled order, an order for another performance, counter and
online sales with several payment methods; and ``ListDesk``, a desk over such a list that builds
its door list and day report with the domain's own ``build_door_list`` / ``build_day_report``."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.domain.orders import (
    DeskEvent,
    DeskOrder,
    DeskSeat,
    build_day_report,
    build_door_list,
)

TZ = VENUE_ZONE
EVENT = DeskEvent(event_id=101, title="Hamlet", starts_at=datetime(2026, 12, 4, 20, 0, tzinfo=TZ))
OTHER = DeskEvent(event_id=102, title="Café Chantant",
                  starts_at=datetime(2026, 12, 5, 14, 30, tzinfo=TZ))
AS_OF = datetime(2026, 12, 4, 20, 14, tzinfo=TZ)


def seat(row: str, number: str, *, event: DeskEvent = EVENT, section: str = "Stalls",
         ticket_type: str = "Regular", price: str = "24.50") -> DeskSeat:
    return DeskSeat(event_id=event.event_id, seat_id=f"{event.event_id}-{section}-{row}-{number}",
                    section=section, row=row, seat=number, ticket_type=ticket_type,
                    price=Decimal(price))


def order(order_id: int, first: str, infix: str, last: str, seats: list[DeskSeat], *,
          status: str = "ord", payment: str = "paid", channel: str = "www", method: str = "iDEAL",
          created: datetime | None = None, until: datetime | None = None,
          events: tuple[DeskEvent, ...] = (EVENT,), amount: str | None = None) -> DeskOrder:
    total = Decimal(amount) if amount is not None else sum((s.price for s in seats), Decimal("0"))
    email = f"{first}.{last}".lower().replace(" ", "") + "@example.org"
    return DeskOrder(order_id=order_id, order_key=f"K{order_id:04d}-ABCDE-FGHIJ", status=status,
                     payment_status=payment, amount=total, fee=Decimal("0.00"),
                     donation=Decimal("0.00"), payment_label=method, channel=channel,
                     created_at=created or datetime(2026, 12, 4, 11, order_id % 60, tzinfo=TZ),
                     changed_at=None, reserved_until=until, customer_id=order_id,
                     first_name=first, infix=infix, last_name=last, email=email,
                     seats=tuple(seats), events=events)


def evening_orders() -> list[DeskOrder]:
    """Tonight's Hamlet: five buyers on the list (one unpaid reservation), one cancelled order,
    one order for another performance only; sales on 4 Dec by the web shop and two counters."""
    return [
        order(1, "Anna", "de", "Vries", [seat("5", "12"), seat("5", "13")]),
        order(2, "Zoë", "", "Bakker", [seat("3", "1")], method="Bancontact"),
        order(3, "Mehmet", "", "Çelik", [seat("12", "7"), seat("12", "8"), seat("12", "9")],
              channel="box", method="Cash"),
        order(4, "Jan", "van den", "Berg", [seat("1", "2", section="Balcony", price="32.00"),
                                            seat("10", "4")], channel="kassa", method="Pin"),
        order(5, "Els", "", "Jansen", [seat("7", "3")], status="res", payment="",
              until=datetime(2026, 12, 4, 19, 45, tzinfo=TZ)),
        order(6, "Piet", "", "Aalbers", [seat("2", "2")], status="cancel", payment="paid"),
        order(7, "Ingrid", "", "Smit", [seat("4", "4", event=OTHER)], events=(OTHER,),
              method="Cash", channel="box"),
        order(8, "Old", "", "Sale", [seat("9", "9")], created=datetime(2026, 12, 3, 21, 0,
                                                                        tzinfo=TZ)),
    ]


def many_orders(count: int) -> list[DeskOrder]:
    """``count`` one-seat buyers for the long (several pages) door list."""
    return [order(1000 + i, f"Buyer{i:03d}", "", f"Achternaam{i:03d}",
                  [seat(str(1 + i // 20), str(1 + i % 20))]) for i in range(count)]


class ListDesk:
    """A desk over a list of orders (the index's reading side, without SQLite)."""

    def __init__(self, orders: list[DeskOrder], as_of: datetime | None = AS_OF,
                 events: tuple[DeskEvent, ...] = (EVENT, OTHER)) -> None:
        self.orders = orders
        self.as_of = as_of
        self.events = {str(e.event_id): e for e in events}
        self.now = as_of or datetime(2026, 12, 4, 20, 20, tzinfo=TZ)

    def orders_for_event(self, event_id):
        return [o for o in self.orders if o.seats_for(event_id)]

    def door_list(self, event_id):
        return build_door_list(self.events[str(event_id)], self.orders_for_event(event_id),
                               self.as_of, now=self.now)

    def door_list_csv(self, door_list) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["name", "email", "order_key", "status", "tickets", "seats"])
        for e in door_list.entries:
            writer.writerow([e.name, e.email, e.order_key, e.status, e.tickets,
                             " ".join(f"{s.row}/{s.seat}" for s in e.seats)])
        return out.getvalue()

    def day_report(self, day: date):
        return build_day_report(day, self.orders, self.as_of)
