"""Deterministic demo data: venues, productions and ~50 performances around "today".

Everything comes from ``random.Random(seed)`` plus the injectable ``today`` (an Amsterdam date),
so the same seed and day give the same catalogue. Seat layouts and pre-sold seats are built
lazily (see halls.py / state.py) so that start-up stays fast even with a 20,000-seat arena.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING

from . import behaviour as B
from . import halls as H
from .catalog import (
    Catalog,
    Hall,
    PaymentMethod,
    Performance,
    Production,
    TicketType,
    entered_in_amsterdam,
)
from .clock import AMSTERDAM
from .halls import Rank
from .ids import random_token

if TYPE_CHECKING:
    from .state import SimState

D = Decimal

# Hall ids (stable; tests and the Catalog.find helper rely on them).
THEATRE, STUDIO, CONCERT, ARENA, GA_ROOM = 1, 2, 3, 4, 5


def _halls() -> dict[int, Hall]:
    return {
        THEATRE: Hall(THEATRE, "Stadsschouwburg Grote Zaal", "Leidseplein 26", "1017 PT",
                      "Amsterdam", "020-6242311", "https://schouwburg.example",
                      [Rank(11, "Rang 1"), Rank(12, "Rang 2"), Rank(13, "Rang 3")],
                      builder=H.build_theatre),
        STUDIO: Hall(STUDIO, "Stadsschouwburg Studio", "Leidseplein 26", "1017 PT", "Amsterdam",
                     "020-6242311", "https://schouwburg.example/studio",
                     [Rank(21, "Rang 1")], builder=H.build_studio),
        CONCERT: Hall(CONCERT, "Muziekpaleis Grote Zaal", "Vredenburgplein 40", "3511 WM",
                      "Utrecht", "030-2314544", "https://muziekpaleis.example",
                      [Rank(31, "Rang 1"), Rank(32, "Rang 2"), Rank(33, "Rang 3"),
                       Rank(34, "Koorbalkon")], builder=H.build_concert_hall),
        ARENA: Hall(ARENA, "Arena Zuidoost", "Arena Boulevard 1", "1101 AX", "Amsterdam",
                    "020-3113333", "https://arena.example",
                    [Rank(41, "Categorie 1"), Rank(42, "Categorie 2"), Rank(43, "Categorie 3")],
                    builder=H.build_arena),
        GA_ROOM: Hall(GA_ROOM, "Podium De Kelder", "Oudegracht 245", "3511 NK", "Utrecht",
                      "030-2310990", "https://dekelder.example", [Rank(51, "Vrije plaats")],
                      ga_capacity=300),
    }


# name, hall, event type, duration (min), start time, base prices per rank, ticket-type keys,
# number of future performances, extra day offsets in the past, and special markers.
_PRODUCTIONS = [
    ("Hamlet", THEATRE, "Toneel", 165, "20:15", ["24.50", "19.50", "14.50"],
     ["std", "cjp", "stadspas", "uitflits", "vrienden"], 6, [-2], {"soldout": [0]}),
    ("De Gebroeders Karamazov", THEATRE, "Toneel", 180, "19:30", ["32.50", "27.50", "21.00"],
     ["std", "cjp", "stadspas", "vrienden"], 4, [], {}),
    ("Alles Komt Goed", THEATRE, "Cabaret", 120, "20:30", ["28.00", "24.00", "19.00"],
     ["std", "cjp", "stadspas"], 5, [], {"nosal": [4]}),
    ("De Notenkraker", THEATRE, "Dans", 130, "14:00", ["39.50", "32.50", "25.00"],
     ["std", "kind", "stadspas"], 4, [], {}),
    ("Kleine Komedie", STUDIO, "Toneel", 90, "20:30", ["18.00"],
     ["std", "cjp", "stadspas", "uitflits"], 5, [], {"soldout": [1], "empty": [4]}),
    ("De Gruffalo", STUDIO, "Jeugd", 60, "14:00", ["12.50"], ["std", "kind"], 4, [], {}),
    ("Het Witte Doek", STUDIO, "Solo", 75, "21:00", ["16.50"], ["std", "cjp"], 3, [],
     {"nosal": [2]}),
    ("Mahler 5", CONCERT, "Klassiek", 95, "20:15", ["45.00", "35.00", "25.00", "15.00"],
     ["std", "cjp", "vrienden"], 3, [], {}),
    ("Nieuwjaarsconcert", CONCERT, "Klassiek", 120, "15:00", ["55.00", "42.50", "30.00", "17.50"],
     ["std", "vrienden"], 2, [], {"soldout": [1]}),
    ("Koorfestival", CONCERT, "Koor", 150, "19:30", ["22.50", "19.00", "15.00", "10.00"],
     ["std", "kind", "stadspas"], 2, [], {}),
    ("Zomerlicht Tour", ARENA, "Pop", 150, "20:00", ["79.50", "59.50", "39.50"], ["std"], 2, [],
     {}),
    ("WK Dansen", ARENA, "Sport", 240, "13:00", ["45.00", "35.00", "25.00"], ["std", "kind"], 1,
     [], {}),
    ("Jazz in de Kelder", GA_ROOM, "Jazz", 150, "21:00", ["12.50"], ["std", "cjp"], 5, [-1],
     {"soldout": [2]}),
    ("Open Podium", GA_ROOM, "Muziek", 180, "20:00", ["5.00"], ["std"], 4, [], {}),
    ("Nachtfeest", GA_ROOM, "Feest", 240, "23:00", ["15.00"], ["std"], 1, [], {"view_end": [0]}),
]

_TEXTS = {
    "Toneel": "Een voorstelling vol spel en taal.",
    "Cabaret": "Avondvullend cabaret.",
    "Dans": "Dans voor het hele gezin.",
}


def _ticket_types(rng: random.Random) -> dict[str, TicketType]:
    def tid() -> str:
        return random_token(rng, 10)

    return {
        "std": TicketType(tid(), "Standaard", "€", D("0.00")),
        "cjp": TicketType(tid(), "CJP", "€", D("1.00")),
        "stadspas": TicketType(tid(), "Stadspas", "%", D("25.00")),
        "uitflits": TicketType(tid(), "Uitflits", "=", D("2.00"), quota=4),
        "vrienden": TicketType(tid(), "Vrienden", "%", D("10.00")),
        "kind": TicketType(tid(), "Kind t/m 12", "€", D("5.00")),
    }


def _local(day: date, hhmm: str) -> datetime:
    hh, mm = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hh, mm), tzinfo=AMSTERDAM)


def build_catalog(seed: int, today: date, now: datetime) -> Catalog:
    """The full demo catalogue for ``seed`` with dates relative to ``today``."""
    rng = random.Random(seed)
    halls = _halls()
    types = _ticket_types(rng)
    productions: dict[int, Production] = {}
    performances: dict[int, Performance] = {}
    next_id = 100
    for (name, hall_id, etype, minutes, hhmm, prices, type_keys, n_future, past, marks) in \
            _PRODUCTIONS:
        hall = halls[hall_id]
        pid = next_id
        next_id += 1
        productions[pid] = Production(
            production_id=pid, name=name,
            text=_TEXTS.get(etype, f"{name}: {etype.lower()} in {hall.name}."),
            short_text=f"{etype} — {hall.city}", event_type=etype, hall_id=hall_id,
            rank_prices={r.rank_id: D(p) for r, p in zip(hall.ranks, prices)},
            ticket_types=[types[k] for k in type_keys],
        )
        offsets = sorted(rng.sample(range(2, 90), n_future))
        days = sorted(past) + offsets
        for i, offset in enumerate(days):
            start = _local(today + timedelta(days=offset), hhmm)
            future_index = i - len(past)
            status = "nosal" if future_index in marks.get("nosal", []) else "pub"
            sold_out = future_index in marks.get("soldout", [])
            fill = 0.0 if future_index in marks.get("empty", []) else round(rng.uniform(0.05, 0.7), 3)
            if hall_id == ARENA:
                fill = round(rng.uniform(0.5, 0.8), 3)
            if offset < 0:
                fill = round(rng.uniform(0.6, 0.95), 3)
            blocks: dict[str, int] = {}
            if future_index not in marks.get("empty", []):
                if hall_id == THEATRE:
                    blocks = {"tech": 4, "wheel": 2, "perf": rng.choice([0, 2, 4])}
                    if i == len(past):
                        blocks["press"] = 6
                elif hall_id == CONCERT:
                    blocks = {"tech": 8, "theat": 4}
                elif hall_id == ARENA:
                    blocks = {"tech": 40, "press": 20, "sight": 30}
                elif hall_id == STUDIO:
                    blocks = {"wheel": 2}
            blocks = {k: v for k, v in blocks.items() if v}
            end = start + timedelta(minutes=minutes)
            view_end = end if future_index in marks.get("view_end", []) else None
            eid = next_id
            next_id += 1
            performances[eid] = Performance(
                event_id=eid, production_id=pid, hall_id=hall_id, start=start, end=end,
                status=status, view_end=view_end, fill=fill, sold_out=sold_out, blocks=blocks)
    # A production announced without performances: /events lists it with "sub_events": [].
    pid = next_id
    productions[pid] = Production(pid, "Nieuw seizoen: titel volgt", "Binnenkort meer.",
                                  "Aankondiging", "Toneel", THEATRE,
                                  {r.rank_id: D("25.00") for r in halls[THEATRE].ranks},
                                  [types["std"]])
    if B.DST_PERFORMANCES:
        _add_dst_night(productions, performances, pid + 1, types["std"])
    methods = {
        31: PaymentMethod(31, "Cash", D("0.00")),
        32: PaymentMethod(32, "PIN", D("0.00")),
        33: PaymentMethod(33, "iDEAL", D("0.00")),
        34: PaymentMethod(34, "Credit card", D("1.50")),
    }
    return Catalog(halls=halls, productions=productions, performances=performances,
                   payment_methods=methods,
                   ticket_types={t.price_id: t for t in types.values()}, now=now)


def _add_dst_night(productions: dict[int, Production], performances: dict[int, Performance],
                   pid: int, std: TicketType) -> None:
    """"Klokkennacht": performances at local times that come twice or never (behaviour.py,
    DST_STARTS), at fixed dates whatever "today" is; ids after every other."""
    productions[pid] = Production(pid, "Klokkennacht", "Een voorstelling als de klok verspringt.",
                                  "Toneel — Amsterdam", "Toneel", STUDIO, {21: D("15.00")}, [std])
    for k, entered in enumerate(B.DST_STARTS, start=1):
        start = entered_in_amsterdam(entered, B.DST_AMBIGUOUS_FOLD)
        start = start.astimezone(timezone.utc).astimezone(AMSTERDAM)   # one form per instant
        performances[pid + k] = Performance(
            event_id=pid + k, production_id=pid, hall_id=STUDIO, start=start,
            end=start + timedelta(minutes=60), status="pub", fill=0.1, entered=entered)


_CUSTOMERS = [
    ("anna.devries@example.org", "Anna", "de", "Vries", "0612345678"),
    ("bram.jansen@example.org", "Bram", None, "Jansen", "0687654321"),
    ("chloe.bakker@example.org", "Chloé", None, "Bakker", None),
]


def populate(state: SimState) -> None:
    """Seed customers and a few paid historical orders (visible in /order and exports)."""
    _td = timedelta
    cat = state.catalog
    with state.lock:
        for email, first, prep, last, phone in _CUSTOMERS:
            c = state._add_customer(email, {"customerFirstName": first, "customerPreposition": prep,
                                            "customerLastName": last, "customerPhone": phone,
                                            "customerCity": "Amsterdam"})
            c.last_changed = state.now() - _td(days=30)
        studio_show = cat.find("studio")
        theatre_show = cat.find("theatre", nth=1)
        plan = [(studio_show, 2, 867, 33), (theatre_show, 4, 868, 34), (theatre_show, 1, 869, 31)]
        for k, (perf, n, cid, method) in enumerate(plan):
            cart = state.create_cart()
            tt = cat.production_of(perf).ticket_types[0]
            state.public_add(cart.cart_id, perf.event_id, n, tt.price_id)
            order = state.checkout(cart.cart_id, method, customer_id=cid)
            when = state.now() - _td(days=10 - k)
            order.order_date = when
            state._settle(order, "paid", when + _td(minutes=3))
