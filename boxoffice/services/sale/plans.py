"""What the sale knows of the performances it sells: their names, seating plans (with an index of
every seat) and ticket type names. A cache that lasts the counter's session (in the
:class:`~boxoffice.services.sale.state.SaleContext`); it sends no request and writes no journal.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from boxoffice.api.models import SeatPlan
from boxoffice.services.messages import SeatLabel
from boxoffice.services.sale.model import PerformanceInfo, PriceOption, SaleLine, _SeatMeta


class SeatPlans:
    """The performances, seat plans and ticket type names given to the sale."""

    def __init__(self) -> None:
        self.plans: dict[int | str, SeatPlan] = {}
        self.type_names: dict[int | str, dict[str, str]] = {}
        #: seat id -> (its performance, where it is)
        self.seat_index: dict[str, tuple[int | str, _SeatMeta]] = {}
        self.performances: dict[int | str, PerformanceInfo] = {}

    def remember_performance(self, info: PerformanceInfo | Any) -> None:
        """Names for the cart lines; accepts a PerformanceInfo or a public SubEvent."""
        if not isinstance(info, PerformanceInfo):
            info = PerformanceInfo(info.event_id, info.event_name,
                                   getattr(info, "starts_at", None), getattr(info, "location_name", None))
        self.performances[info.event_id] = info

    def use_seat_plan(self, plan: SeatPlan) -> None:
        """Give the service a seating plan (e.g. from the offline cache or the seat map)."""
        self.plans[plan.event_id] = plan
        for section, row, seat in plan.seats():
            self.seat_index[seat.seat_id] = (plan.event_id, _SeatMeta(
                section.section_name, row.row_nr, seat.seat_nr, seat.rank_id))

    def seat_label(self, seat_id: str) -> SeatLabel | None:
        found = self.seat_index.get(seat_id)
        if found is None:
            return None
        meta = found[1]
        return SeatLabel(row=meta.row, seat=meta.seat, section=meta.section)

    def ticket_types_for(self, line: SaleLine) -> list[PriceOption]:
        """Ticket types valid for this line (a seat: those of its rank in the seating plan)."""
        plan = self.plans.get(line.event_id)
        if plan is None:
            return []
        rank = line.rank_id
        # priceLevels name the rank ("Rang 1"); the ticket type's own name comes from tickettypes
        # (same id space: priceId == discount_id) when the UI has given it.
        names = self.type_names.get(line.event_id, {})
        return [PriceOption(pl.price_id, names.get(pl.price_id) or pl.name or pl.price_id, pl.amount)
                for pl in plan.price_levels if rank is None or pl.rank_id == rank]

    def use_ticket_type_names(self, event_id: int | str, names: dict[str, str]) -> None:
        """Ticket type names per id (public ``discount_id`` = peppered ``priceId``) for the lines'
        type choices."""
        self.type_names[event_id] = dict(names)

    def perf_name(self, event_id: int | str, fallback: str | None = None) -> tuple[str, datetime | None]:
        info = self.performances.get(event_id)
        if info is not None:
            return info.name, info.starts_at
        return fallback or str(event_id), None
