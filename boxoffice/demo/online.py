"""Online orders (channel "www") by named customers, and the order test hooks.

The seed marks seats sold (state.py ``_materialize``) without saying who bought them; here those
seats are handed out to online orders, so the maps and the order list agree: every seat the seed
sells is in exactly one live order (ord/res/pros/reemit/reissue), and the sold set stays exactly
the seed's. Cancelled and trashed orders are added beside them on seats that are free (their
``deletedSeats``). Dates are spread over the weeks before the seed time, so ``changedSince`` gives
a meaningful incremental sync.

Built on first use (``SimState.ensure_orders``), not at start-up: most tests never look at the
venue's order list. ``order_volume`` (the benchmark) adds past performances until about that many
orders exist, built at once.
"""
from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from . import behaviour as B
from .catalog import Performance, Production, TicketType
from .customers import Customer
from .ids import ALPHABET
from .state import BLOCKED, FREE, HELD, ORDERED, SOLD, Order, SimError, SimState, Ticket

ONLINE_METHODS = ((33, 8), (34, 2))  # (paymentMethodId, weight): iDEAL, credit card
DONATIONS = (Decimal("2.50"), Decimal("5.00"))

# The customers every seed has (tests look for them by name); the first is the seed's own
# customer 867 (same e-mail), the rest are new.
FEATURED: tuple[tuple[str, str | None, str], ...] = (
    ("Anna", "de", "Vries"), ("Jan", "van der", "Berg"), ("Pieter", "van 't", "Hek"),
    ("Zoë", None, "Jansen"), ("Emre", None, "Çelik"), ("Léa", None, "Dubois"),
    ("Thomas", None, "Müller"), ("Sanne", "van den", "Broek"), ("Daan", "de", "Jong"),
    ("Fleur", "ter", "Horst"), ("Noor", "el", "Amrani"), ("Joris", "van", "Dijk"),
    ("Chloé", "d'", "Hondt"), ("Björn", None, "Åström"), ("Renée", "de la", "Croix"),
    ("Maarten", "'t", "Hooft"),
)
FEATURED_EMAILS = {0: "anna.devries@example.org"}
FIRST = ("Anna", "Jan", "Pieter", "Zoë", "Emre", "Léa", "Thomas", "Sanne", "Daan", "Fleur",
         "Noor", "Joris", "Eva", "Lars", "Sophie", "Ruben", "Iris", "Bram", "Femke", "Sem",
         "Lotte", "Mees", "Julia", "Thijs", "Anouk", "Finn", "Mila", "Luuk", "Saar", "Jesse",
         "Fatma", "Mohamed", "Aylin", "Youssef", "Hélène", "François", "Jürgen", "Agnès",
         "Inès", "Jörg", "Chloé", "Maël", "Zoë", "Noël", "Kübra", "Siân")
INFIX = (None, None, None, None, "de", "van", "van der", "van den", "van de", "ter", "te",
         "van 't", "'t", "in 't", "den", "op de", "el")
LAST = ("Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos",
        "Peters", "Hendriks", "Dekker", "Brouwer", "Berg", "Dijk", "Broek", "Hek", "Hoek",
        "Veen", "Wal", "Leeuw", "Graaf", "Kok", "Jong", "Horst", "Çelik", "Yılmaz", "Müller",
        "Dubois", "Lefèvre", "Šimić", "Nguyễn", "Østergaard", "Gómez", "Żak", "El Idrissi",
        "Öztürk", "Brandt", "Willems", "Maes")
CITIES = ("Amsterdam", "Utrecht", "Haarlem", "Amersfoort", "Zaandam", "Hilversum", "Leiden")


def ascii_fold(text: str) -> str:
    """"Zoë Çelik" -> "Zoe Celik" (for e-mail addresses)."""
    special = {"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "ß": "ss", "đ": "d"}
    text = "".join(special.get(ch, ch) for ch in text)
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))


def email_of(first: str, infix: str | None, last: str, n: int | None) -> str:
    name = ascii_fold(f"{first}.{infix or ''}{last}").lower()
    name = "".join(ch for ch in name if ch.isalnum() or ch == ".")
    return f"{name}{'' if n is None else n}@example.net"


def fast_key(rng: random.Random) -> str:
    """An order key like ids.order_key (4 groups of 5), from one random draw (volume seeds)."""
    n = rng.getrandbits(120)
    chars = []
    for _ in range(20):
        n, r = divmod(n, 62)
        chars.append(ALPHABET[r])
    s = "".join(chars)
    return f"{s[:5]}-{s[5:10]}-{s[10:15]}-{s[15:]}"


@dataclass
class _Seat:
    index: int
    row_nr: int
    seat_nr: int
    rank_id: int


class OnlineOrders:
    """The seeded online orders of one SimState, and the test hooks on them."""

    def __init__(self, state: SimState, order_volume: int | None = None) -> None:
        self.state = state
        self.order_volume = order_volume
        self.built = False
        self._rng = random.Random(f"{state.seed}:online")
        self._key_rng = random.Random(f"{state.seed}:online-keys:{state.run}")
        self._customers: list[Customer] = []
        self._by_email: dict[str, Customer] = {}
        self._seed_now = state.catalog.now
        self._prices: dict[tuple[int, int, str], Decimal] = {}
        self._mean: float | None = None  # seats per order when a volume needs bigger ones
        self._volume_prod = 0  # the production of the volume seed's performances
        self._dated: set[int] = set()  # customers whose last_changed is their first order's
        state.ensure_orders = self.ensure

    # --- building ---------------------------------------------------------------------------------
    def ensure(self) -> None:
        """Build the seeded orders once (under the state lock)."""
        if self.built:
            return
        st = self.state
        with st.lock:
            if self.built:
                return
            self.built = True
            self._build()

    def _build(self) -> None:
        st = self.state
        self._by_email = {c.email.lower(): c for c in st.customers.values()}
        perfs = sorted(st.catalog.performances.values(), key=lambda p: p.event_id)
        # expected order count: about one customer per three orders
        self._make_customers(len(FEATURED))
        featured_orders = 0
        volume = self.order_volume
        if volume is not None:
            # a volume below the seed's own orders: bigger orders (the sold set never changes)
            sold = sum(st.seats(p).status.count(SOLD) for p in perfs)
            mean = sold / max(1.0, volume * 0.93)
            self._mean = mean if mean > 3.2 else None
        for perf in perfs:
            featured_orders = self._attribute(perf, featured_orders)
        if volume is not None:
            k = 0
            while len(st.orders_by_id) < volume * 0.98:
                perf = self._volume_performance(k, volume - len(st.orders_by_id))
                self._attribute(perf, featured_orders)
                k += 1

    def _make_customers(self, n: int, changed: datetime | None = None) -> list[Customer]:
        """``n`` more named customers; last changed ``changed``, else (seed) well before the
        seed's orders (an order sets it to the customer's first order date)."""
        st = self.state
        rng = self._rng
        out = []
        for _ in range(n):
            k = len(self._customers)
            if k < len(FEATURED):
                first, infix, last = FEATURED[k]
                email = FEATURED_EMAILS.get(k) or email_of(first, infix, last, None)
            else:
                first, infix, last = rng.choice(FIRST), rng.choice(INFIX), rng.choice(LAST)
                email = email_of(first, infix, last, k)
            c = self._by_email.get(email.lower())
            if c is None:
                c = st._add_customer(email, {
                    "customerFirstName": first, "customerPreposition": infix,
                    "customerLastName": last, "customerCity": rng.choice(CITIES),
                    "customerCountry": "NL",
                    "customerPhone": f"06{rng.randrange(10**8):08d}"})
                c.last_changed = changed or self._seed_now - timedelta(days=60)
                self._by_email[email.lower()] = c
            if changed is not None:
                self._dated.add(c.customer_id)
            self._customers.append(c)
            out.append(c)
        return out

    def _customer(self, featured_orders: int) -> tuple[Customer, int]:
        """The next order's buyer: each featured customer first (once), then anyone."""
        if featured_orders < len(FEATURED):
            return self._customers[featured_orders], featured_orders + 1
        if self._rng.random() < 0.35:  # about three orders per customer
            return self._make_customers(1)[0], featured_orders
        return self._rng.choice(self._customers), featured_orders

    def _seats_of(self, perf: Performance, status: int, whole_rows: bool = False
                  ) -> list[list[_Seat]]:
        """Runs of seats with ``status``, row by row (GA: one run); ``whole_rows``: one list
        per row."""
        st = self.state
        es = st.seats(perf)
        hall = st.catalog.hall_of(perf)
        layout = hall.layout()
        if layout is None:
            rank = hall.ranks[0].rank_id
            run = [_Seat(i, 0, 0, rank) for i, s in enumerate(es.status) if s == status]
            return [run] if run else []
        runs: list[list[_Seat]] = []
        seat_nr, rank_id, status_of = layout.seat_nr, layout.rank_id, es.status
        for row in layout.rows:
            cur: list[_Seat] = []
            for i in range(row.start, row.start + row.length):
                if status_of[i] == status:
                    cur.append(_Seat(i, row.row_nr, seat_nr[i], rank_id[i]))
                elif cur and not whole_rows:
                    runs.append(cur)
                    cur = []
            if cur:
                runs.append(cur)
        return runs

    def _chunks(self, runs: list[list[_Seat]], big: bool) -> list[list[_Seat]]:
        rng = self._rng
        # big: group bookings (the arena's, in the default seed, keeping the order count sane)
        sizes = (20, 30, 40, 50) if big else (1, 2, 2, 2, 2, 3, 4, 4, 5, 6)
        out = []
        top = None if self._mean is None else max(1, round(2 * self._mean - 1))
        if top is not None:  # big orders may take seats of several rows
            runs = [[seat for run in runs for seat in run]]
        for run in runs:
            i = 0
            while i < len(run):
                n = rng.choice(sizes) if top is None else rng.randint(1, top)
                out.append(run[i:i + n])
                i += n
        return out

    def _attribute(self, perf: Performance, featured_orders: int) -> int:
        """Online orders for every seat the seed sold for ``perf``, plus a few cancelled and
        trashed ones on free seats. Returns the featured-customer counter."""
        st = self.state
        rng = self._rng
        big = st.catalog.hall_of(perf).capacity > 5000 and self.order_volume is None
        past = perf.start <= self._seed_now
        whole_rows = big or self._mean is not None
        for chunk in self._chunks(self._seats_of(perf, SOLD, whole_rows), big):
            cust, featured_orders = self._customer(featured_orders)
            roll = rng.random()
            status = "ord"
            if not past:
                status = ("res" if roll < 0.06 else "pros" if roll < 0.08 else
                          "reemit" if roll < 0.11 else "reissue" if roll < 0.13 else "ord")
            elif roll < 0.03:
                status = "reemit"
            self._seed_order(perf, chunk, cust, status)
        free_runs = self._seats_of(perf, FREE)
        free_chunks = self._chunks(free_runs, False) if free_runs else []
        rng.shuffle(free_chunks)
        n_freed = max(1, len(free_chunks) // 25) if free_chunks else 0
        for k, chunk in enumerate(free_chunks[:n_freed]):
            cust, featured_orders = self._customer(featured_orders)
            self._seed_order(perf, chunk, cust, "trash" if k % 5 == 4 else "cancel")
        return featured_orders

    def _price(self, perf: Performance, rank_id: int, tt: TicketType) -> Decimal:
        key = (perf.event_id, rank_id, tt.price_id)
        price = self._prices.get(key)
        if price is None:
            price = self._prices[key] = self.state.price(perf, rank_id, tt)
        return price

    def _ticket_types(self, prod: Production) -> list[TicketType]:
        # quota types (Uitflits) are left out: their per-performance count is the counter's
        return [tt for tt in prod.ticket_types if tt.quota is None]

    def _tickets(self, perf: Performance, seats: list[_Seat]) -> list[Ticket]:
        st = self.state
        rng = self._rng
        types = self._ticket_types(st.catalog.production_of(perf))
        out = []
        for s in seats:
            tt = types[0] if len(types) == 1 or rng.random() < 0.75 else rng.choice(types[1:])
            out.append(Ticket(st._next_ticket, perf.event_id, s.index,
                              st.seat_id(perf.event_id, s.index), s.rank_id, s.row_nr,
                              s.seat_nr, self._price(perf, s.rank_id, tt), tt.price_id,
                              tt.name))
            st._next_ticket += 1
        return out

    def _seed_order(self, perf: Performance, seats: list[_Seat], cust: Customer,
                    status: str) -> Order:
        rng = self._rng
        now = self._seed_now.replace(microsecond=0)
        latest = min(now - timedelta(minutes=30), perf.start - timedelta(hours=1))
        if status in ("res", "pros"):
            # a reservation or offer still open: made in the last days, open until after now
            if perf.start - timedelta(minutes=30) <= now + timedelta(hours=1):
                status = "ord"
            else:
                latest = now - timedelta(minutes=30)
        span = (5 if status in ("res", "pros") else 42) * 86400
        ordered = latest - timedelta(seconds=rng.randrange(span))
        changed = min(ordered + timedelta(seconds=rng.randrange(60, 600)), latest)
        if status in B.FREED_ORDER_STATUSES or status in ("reemit", "reissue"):
            changed = min(ordered + timedelta(seconds=rng.randrange(7200, 864000)), latest)
        order = self._new_order(perf, seats, cust, status, ordered, changed)
        if status in B.FREED_ORDER_STATUSES:
            order.deleted_tickets, order.tickets = order.tickets, []
        if cust.customer_id in self._dated:
            cust.last_changed = min(cust.last_changed, ordered)
        else:
            self._dated.add(cust.customer_id)
            cust.last_changed = ordered
        return order

    def _new_order(self, perf: Performance, seats: list[_Seat], cust: Customer, status: str,
                   ordered: datetime, changed: datetime) -> Order:
        st = self.state
        rng = self._rng
        method = 33 if rng.random() < 0.8 else 34
        fee = st.catalog.payment_methods[method].fee
        donation = rng.choice(DONATIONS) if rng.random() < 0.08 else B.ZERO
        key = fast_key(self._key_rng)
        while key in st.orders:
            key = fast_key(self._key_rng)
        order = Order(st._next_order, key, cust.customer_id, ordered, changed, method, fee,
                      donation, self._tickets(perf, seats), channel=B.ONLINE_CHANNEL,
                      order_status=status, payment_status=_payment_for(status, "none"))
        st._next_order += 1
        if status in ("res", "pros"):
            order.reserved_until = self._deadline(perf, changed)
        st.orders[key] = order
        st.orders_by_id[order.order_id] = order
        return order

    def _deadline(self, perf: Performance, changed: datetime) -> datetime:
        """A reservation's timeOut: a few days after now (the seed's or the hook's), at the
        latest half an hour before the performance."""
        base = max(changed, self._seed_now)
        until = base + timedelta(days=self._rng.randint(1, 7))
        return min(until, perf.start - timedelta(minutes=30)).replace(second=0, microsecond=0)

    def _volume_performance(self, k: int, missing: int) -> Performance:
        """A past performance for the volume seed: the arena (about 6,000 orders) while many
        are missing, then the theatre with just enough sold."""
        from .seed import ARENA, THEATRE

        cat = self.state.catalog
        prod_id = max(cat.productions) + 1 if k == 0 else self._volume_prod
        if k == 0:
            hall = cat.halls[THEATRE]
            self._volume_prod = prod_id
            cat.productions[prod_id] = Production(
                prod_id, "Archief: seizoen", "Voorstellingen van vorige seizoenen.",
                "Archief", "Toneel", THEATRE,
                {r.rank_id: Decimal("22.50") for r in hall.ranks} | {
                    r.rank_id: Decimal("35.00") for r in cat.halls[ARENA].ranks},
                [t for t in next(iter(cat.productions.values())).ticket_types
                 if t.quota is None])
        arena = missing > 3000
        hall_id = ARENA if arena else THEATRE
        capacity = cat.halls[hall_id].capacity
        # a row sells with chance ~fill (front more); orders hold ~3.3 seats on average
        fill = 0.8 if arena else min(0.7, math.ceil(missing * 3.3) / capacity)
        eid = max(cat.performances) + 1
        start = (self._seed_now - timedelta(days=3 + k)).replace(hour=19, minute=30, second=0,
                                                                 microsecond=0)
        perf = Performance(eid, prod_id, hall_id, start, start + timedelta(hours=2), "pub",
                           fill=fill)
        cat.performances[eid] = perf
        return perf

    # --- hooks --------------------------------------------------------------------------------------
    def add(self, count: int, event_id: int | None = None) -> list[int]:
        """``count`` new paid online orders (1-4 seats each, or GA tickets), each by a new named
        customer, made now, on free seats; returns their order ids."""
        st = self.state
        with st.lock:
            self.ensure()
            now = st.sweep()
            ids = []
            for _ in range(count):
                perf = (st.performance(event_id) if event_id is not None
                        else st.catalog.find("seated", now=now))
                es = st.seats(perf)
                n = min(self._rng.randint(1, 4), es.free)
                picks = st._pick(perf, es, n, None) if n else None
                if not picks:
                    raise SimError(409, B.MSG_NOT_ENOUGH_SEATS)
                seats = []
                for i in picks:
                    row_nr, seat_nr = st.seat_position(perf, i)
                    seats.append(_Seat(i, row_nr, seat_nr, st.rank_of(perf, i)))
                [cust] = self._make_customers(1, now)
                order = self._new_order(perf, seats, cust, "ord", now, now)
                for t in order.tickets:
                    st._take(perf, es, t.seat_index, order.order_key, t.price_id, ORDERED)
                ids.append(order.order_id)
            return ids

    def set_status(self, order_id: int, status: str) -> Order:
        """Move an order to ``status`` (any of behaviour.LIVE/FREED_ORDER_STATUSES), as the
        venue would in its back office; its lastChanged becomes now."""
        if status not in B.LIVE_ORDER_STATUSES + B.FREED_ORDER_STATUSES:
            raise ValueError(f"unknown order status {status!r}")
        st = self.state
        with st.lock:
            order = st.order_by_id(order_id)
            now = st.now()
            was_live = order.order_status in B.LIVE_ORDER_STATUSES
            if status in B.FREED_ORDER_STATUSES and was_live:
                for t in order.tickets:
                    self._free_seat(t, order.order_key)
                order.deleted_tickets.extend(order.tickets)
                order.tickets = []
            elif status in B.LIVE_ORDER_STATUSES and not was_live:
                self._retake(order)
            st._pending_orders.discard(order.order_key)
            order.order_status = status
            order.payment_status = _payment_for(status, order.payment_status)
            if status in ("res", "pros"):
                perf = st.performance((order.tickets or order.deleted_tickets)[0].event_id)
                order.reserved_until = self._deadline(perf, now)
            order.last_changed = now
            return order

    def _free_seat(self, t: Ticket, key: str) -> None:
        st = self.state
        es = st.seats(st.performance(t.event_id))
        if es.status[t.seat_index] == SOLD:  # a seed-sold seat (no owner recorded)
            es.status[t.seat_index] = FREE
            es.free += 1
        else:
            st._release(t.event_id, t.seat_index, t.price_id, key)

    def _retake(self, order: Order) -> None:
        st = self.state
        for t in order.deleted_tickets:
            es = st.seats(st.performance(t.event_id))
            if es.status[t.seat_index] != FREE:
                raise SimError(409, B.MSG_SEAT_NOT_AVAILABLE.format(row=t.row_nr, nr=t.seat_nr))
        for t in order.deleted_tickets:
            perf = st.performance(t.event_id)
            st._take(perf, st.seats(perf), t.seat_index, order.order_key, t.price_id, ORDERED)
        order.tickets, order.deleted_tickets = order.deleted_tickets, []

    def orders(self) -> list[Order]:
        st = self.state
        with st.lock:
            self.ensure()
            return sorted((o for o in st.orders_by_id.values()
                           if o.channel == B.ONLINE_CHANNEL), key=lambda o: o.order_id)


def _payment_for(status: str, current: str) -> str:
    if status in ("ord", "reemit", "reissue"):
        return "paid"
    if status in ("res", "pros"):
        return "none"
    if status == "cancel":
        return "paid" if current == "paid" else "cancelled"
    return current


def seat_owners(state: SimState, event_id: int) -> dict[int, Any]:
    """Seat index -> order for every seat a live order holds (tests, consistency checks)."""
    out: dict[int, Any] = {}
    with state.lock:
        for o in state.orders_by_id.values():
            for t in o.tickets:
                if t.event_id == event_id:
                    out[t.seat_index] = o
    return out


__all__ = ["BLOCKED", "HELD", "OnlineOrders", "ascii_fold", "seat_owners"]
