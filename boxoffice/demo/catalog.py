"""The static demo catalogue: halls, productions, performances, ticket types, payment methods.

Built once by seed.py and never mutated afterwards (seat state lives in state.py). ``find``
gives tests a stable way to pick a performance of a given kind without hard-coding ids.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from .clock import AMSTERDAM
from .halls import HallLayout, Rank

CENT = Decimal("0.01")


@dataclass
class Hall:
    hall_id: int
    name: str
    address: str
    zip: str
    city: str
    phone: str
    url: str
    ranks: list[Rank]
    ga_capacity: int | None = None  # general admission (no seating plan) when set
    builder: Callable[[list[Rank]], HallLayout] | None = None
    _layout: HallLayout | None = field(default=None, repr=False)

    @property
    def is_ga(self) -> bool:
        return self.ga_capacity is not None

    def layout(self) -> HallLayout | None:
        """The seat layout, built on first use (keeps start-up fast for the arena)."""
        if self.is_ga:
            return None
        if self._layout is None:
            assert self.builder is not None
            self._layout = self.builder(self.ranks)
        return self._layout

    @property
    def capacity(self) -> int:
        if self.is_ga:
            return int(self.ga_capacity or 0)
        return self.layout().capacity  # type: ignore[union-attr]


@dataclass(frozen=True)
class TicketType:
    price_id: str  # = public discount_id
    name: str
    kind: str  # "€" amount off, "%" percentage off, "=" fixed price
    value: Decimal
    quota: int | None = None  # per performance; omitted from /tickettypes when used up

    def apply(self, base: Decimal) -> Decimal:
        if self.kind == "€":
            price = base - self.value
        elif self.kind == "%":
            price = base - base * self.value / Decimal(100)
        else:
            price = self.value
        return max(price, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Production:
    production_id: int  # = public main event id
    name: str
    text: str
    short_text: str
    event_type: str
    hall_id: int
    rank_prices: dict[int, Decimal]  # rankId -> base price
    ticket_types: list[TicketType]
    image: str | None = None


@dataclass
class Performance:
    event_id: int  # = public sub-event id = peppered eventId
    production_id: int
    hall_id: int
    start: datetime  # aware
    end: datetime  # aware; may be after midnight
    status: str  # pub | nosal | unpub
    view_end: datetime | None = None
    fill: float = 0.0  # fraction pre-sold by the seed
    sold_out: bool = False
    blocks: dict[str, int] = field(default_factory=dict)  # blockType -> seats to block
    #: the local time as entered in the back office (naive, Amsterdam), for the performances on
    #: the nights the clocks change (behaviour.py: DST_STARTS); ``start`` is its instant
    entered: datetime | None = None


def local_start(perf: Performance) -> datetime:
    """The start as the public API writes it: the local time as entered, else the start in
    Amsterdam."""
    return perf.entered if perf.entered is not None else perf.start.astimezone(AMSTERDAM)


def entered_in_amsterdam(entered: datetime, ambiguous_fold: int) -> datetime:
    """A local time as entered, in Amsterdam, with ``ambiguous_fold`` for the hour that comes
    twice (autumn); a time that never comes (spring) keeps fold 0: the offset before the change."""
    return entered.replace(tzinfo=AMSTERDAM, fold=ambiguous_fold if entered.month > 6 else 0)


@dataclass(frozen=True)
class PaymentMethod:
    payment_id: int
    name: str
    fee: Decimal


@dataclass
class Catalog:
    halls: dict[int, Hall]
    productions: dict[int, Production]
    performances: dict[int, Performance]
    payment_methods: dict[int, PaymentMethod]
    ticket_types: dict[str, TicketType]
    now: datetime  # seed time, used by find()

    def hall_of(self, perf: Performance) -> Hall:
        return self.halls[perf.hall_id]

    def production_of(self, perf: Performance) -> Production:
        return self.productions[perf.production_id]

    def performances_of(self, production_id: int) -> list[Performance]:
        return sorted((p for p in self.performances.values() if p.production_id == production_id),
                      key=lambda p: (p.start, p.event_id))

    def find(self, kind: str = "seated", *, nth: int = 0, production: str | None = None,
             now: datetime | None = None) -> Performance:
        """A performance of the given kind, in start order (``nth`` picks a later one).

        Kinds: "seated" (on sale, reserved seating, not sold out), "ga" (on sale, general
        admission), "soldout" (seated, no free seat), "soldout_ga", "nosal", "past",
        "after_midnight", "arena" (on sale, 20,000 seats), "studio", "theatre", "concert",
        "empty" (on sale, seated, nothing pre-sold). ``production`` limits to one production
        name (e.g. "Hamlet"). ``now`` defaults to the seed time. "dst_twice" (02:30 on
        2026-10-25) and "dst_gap" (02:30 on 2027-03-28), past or not, are the performances on
        the nights the clocks change; no other kind finds them.
        """
        if kind in ("dst_twice", "dst_gap"):
            month = 10 if kind == "dst_twice" else 3
            return next(p for p in self.performances.values() if p.entered is not None
                        and p.entered.month == month and p.entered.hour == 2)
        now = now or self.now
        pool = [p for p in self.performances.values() if p.entered is None
                and (production is None or self.productions[p.production_id].name == production)]
        upcoming = sorted((p for p in pool if p.start > now), key=lambda p: (p.start, p.event_id))

        def on_sale(p: Performance) -> bool:
            return p.status == "pub" and not p.sold_out

        hall_kind = {1: "theatre", 2: "studio", 3: "concert", 4: "arena", 5: "ga"}
        tests: dict[str, Callable[[Performance], bool]] = {
            "seated": lambda p: on_sale(p) and not self.halls[p.hall_id].is_ga,
            "ga": lambda p: on_sale(p) and self.halls[p.hall_id].is_ga,
            "soldout": lambda p: p.sold_out and not self.halls[p.hall_id].is_ga,
            "soldout_ga": lambda p: p.sold_out and self.halls[p.hall_id].is_ga,
            "nosal": lambda p: p.status == "nosal",
            "after_midnight": lambda p: p.end.date() > p.start.date(),
            "empty": lambda p: on_sale(p) and p.fill == 0 and not self.halls[p.hall_id].is_ga
            and not p.blocks,
        }
        for hid, name in hall_kind.items():
            if name != "ga":
                tests[name] = (lambda h: lambda p: on_sale(p) and p.hall_id == h)(hid)
        if kind == "past":
            found = sorted((p for p in pool if p.start <= now),
                           key=lambda p: (p.start, p.event_id))
        elif kind in tests:
            found = [p for p in upcoming if tests[kind](p)]
        else:
            raise ValueError(f"unknown kind {kind!r}")
        if len(found) <= nth:
            raise LookupError(f"no {kind!r} performance #{nth}")
        return found[nth]
