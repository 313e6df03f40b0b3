"""Peppered (API-key) endpoints: halls, seating, events, cart, orders, customers, exports.

camelCase fields, money as JSON numbers, date-times ISO 8601 with the Amsterdam offset.
"""
from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from . import behaviour as B
from .catalog import Hall, Performance, entered_in_amsterdam
from .clock import AMSTERDAM
from .server import HttpRequest, HttpResponse
from .state import BLOCKED, FREE, Cart, Customer, Order, SimError, SimState, Ticket


def num(value: Decimal) -> float:
    return float(value)


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(AMSTERDAM).isoformat(timespec="seconds")


def start_iso(perf: Performance) -> str | None:
    """A performance's start; on the nights the clocks change in the form behaviour.py says."""
    if perf.entered is not None and B.DST_PEPPERED_FORM == "as_entered":
        return entered_in_amsterdam(perf.entered, B.DST_AMBIGUOUS_FOLD).isoformat(timespec="seconds")
    return iso(perf.start)


def parse_since(value: Any) -> datetime | None:
    """changedSince: YYYY-MM-DD (Amsterdam midnight) or ISO 8601 date-time; None when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise SimError(422, "changedSince must be a date or date-time string")
    kind = "date" if len(value) == 10 else "datetime"
    if kind not in B.CHANGED_SINCE_FORMATS:
        raise SimError(422, "changedSince is not a valid date")
    try:
        if kind == "date":
            return datetime.combine(date.fromisoformat(value), time(0), tzinfo=AMSTERDAM)
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SimError(422, "changedSince is not a valid date") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=AMSTERDAM)


def changed_since(changed: datetime, since: datetime | None) -> bool:
    """Whether a record last changed at ``changed`` is listed for ``changedSince`` (behaviour)."""
    if since is None:
        return True
    return changed >= since if B.CHANGED_SINCE_INCLUSIVE else changed > since


def json_body(request: HttpRequest) -> Any:
    if not request.body.strip():
        return None
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise SimError(400, "Malformed JSON body") from None


class PepperedApi:
    def __init__(self, state: SimState, urls: Any) -> None:
        self.state = state
        self.urls = urls
        self._export_cache: dict[int, tuple[tuple[Any, ...], bytes]] = {}

    # --- halls & seating --------------------------------------------------------------------------
    @staticmethod
    def _hall(h: Hall) -> dict[str, Any]:
        return {"hallId": h.hall_id, "hallName": h.name, "hallAddress": h.address,
                "hallZip": h.zip, "hallCity": h.city, "hallPhone": h.phone, "hallUrl": h.url}

    def halls(self) -> HttpResponse:
        return HttpResponse.json(200, [self._hall(h) for h in self.state.catalog.halls.values()])

    def hall(self, hall_id: str) -> HttpResponse:
        h = self.state.catalog.halls.get(int(hall_id)) if hall_id.isdigit() else None
        if h is None:
            raise SimError(404, "Hall not found")
        return HttpResponse.json(200, self._hall(h))

    def _perf(self, event_id: str) -> Performance:
        perf = self.state.catalog.performances.get(int(event_id)) if event_id.isdigit() else None
        if perf is None:
            raise SimError(404, B.MSG_EVENT_NOT_FOUND)
        return perf

    def _price_levels(self, perf: Performance) -> list[dict[str, Any]]:
        st = self.state
        prod = st.catalog.production_of(perf)
        hall = st.catalog.hall_of(perf)
        return [{"priceId": tt.price_id, "rankId": r.rank_id, "name": r.name,
                 "amount": num(tt.apply(prod.rank_prices[r.rank_id]))}
                for r in hall.ranks for tt in prod.ticket_types]

    def seating(self, event_id: str) -> HttpResponse:
        st = self.state
        perf = self._perf(event_id)
        hall = st.catalog.hall_of(perf)
        layout = hall.layout()
        if layout is None:
            raise SimError(404, B.MSG_NO_SEATING)
        with st.lock:
            st.sweep()
            es = st.seats(perf)
            status = bytes(es.status)
            free = es.free
        encode = st.codec.encode
        eid = perf.event_id
        sections = []
        for sec in layout.sections:
            rows = []
            for row in sec.rows:
                seats = [{"seatId": encode(eid, i), "seatNr": layout.seat_nr[i],
                          "rankId": layout.rank_id[i], "available": status[i] == FREE}
                         for i in range(row.start, row.start + row.length)]
                rows.append({"rowNr": row.row_nr, "seats": seats})
            sections.append({"sectionId": sec.section_id, "sectionName": sec.name, "rows": rows})
        return HttpResponse.json(200, {"eventId": eid, "hallId": hall.hall_id,
                                       "priceLevels": self._price_levels(perf),
                                       "sections": sections, "available": free})

    # --- events -----------------------------------------------------------------------------------
    def _event(self, perf: Performance) -> dict[str, Any]:
        prod = self.state.catalog.production_of(perf)
        hall = self.state.catalog.hall_of(perf)
        return {"eventId": perf.event_id, "productionId": prod.production_id,
                "eventName": prod.name, "eventType": prod.event_type, "eventTags": None,
                "start": start_iso(perf), "end": iso(perf.end), "hallId": hall.hall_id,
                "prices": [{"rankId": r.rank_id, "amount": num(prod.rank_prices[r.rank_id])}
                           for r in hall.ranks]}

    def events(self, request: HttpRequest) -> HttpResponse:
        def day(name: str) -> date | None:
            raw = request.query.get(name, [None])[-1]
            if raw in (None, ""):
                return None
            try:
                return date.fromisoformat(raw)
            except ValueError:
                raise SimError(422, f"{name} must be YYYY-MM-DD") from None

        lo, hi = day("startDate"), day("endDate")
        perfs = sorted(self.state.catalog.performances.values(), key=lambda p: (p.start, p.event_id))
        out = []
        for p in perfs:
            d = p.start.astimezone(AMSTERDAM).date()
            if (lo is None or d >= lo) and (hi is None or d <= hi):
                out.append(self._event(p))
        return HttpResponse.json(200, out)

    def event(self, event_id: str) -> HttpResponse:
        st = self.state
        perf = self._perf(event_id)
        body = self._event(perf)
        prod = st.catalog.production_of(perf)
        hall = st.catalog.hall_of(perf)
        body["prices"] = [{"rankId": r.rank_id, "priceId": tt.price_id, "priceName": tt.name,
                           "amount": num(tt.apply(prod.rank_prices[r.rank_id]))}
                          for r in hall.ranks for tt in prod.ticket_types]
        with st.lock:
            st.sweep()
            es = st.seats(perf)
            layout = hall.layout()
            per_rank = {r.rank_id: [0, 0] for r in hall.ranks}
            for i, s in enumerate(es.status):
                rank = layout.rank_id[i] if layout else hall.ranks[0].rank_id
                per_rank[rank][1] += 1
                if s == FREE:
                    per_rank[rank][0] += 1
            counts: dict[str, int] = {}
            for i, btype in es.block.items():
                if es.status[i] == BLOCKED:
                    counts[btype] = counts.get(btype, 0) + 1
        if B.EVENT_AVAILABILITY == "per_rank":   # else "not_loaded": left out (behaviour.py)
            body["availability"] = [{"rankId": r, "available": a, "total": t}
                                    for r, (a, t) in per_rank.items()]
        body["blockAvailability"] = [{"blockType": bt, "blockName": name, "count": counts.get(bt, 0)}
                                     for bt, name in B.BLOCK_TYPES]
        return HttpResponse.json(200, body)

    def production(self, production_id: str) -> HttpResponse:
        cat = self.state.catalog
        prod = cat.productions.get(int(production_id)) if production_id.isdigit() else None
        if prod is None:
            raise SimError(404, "Production not found")
        return HttpResponse.json(200, {
            "productionId": prod.production_id, "productionName": prod.name,
            "events": [self._event(p) for p in cat.performances_of(prod.production_id)]})

    # --- cart ---------------------------------------------------------------------------------------
    def cart_body(self, cart: Cart) -> dict[str, Any]:
        cat = self.state.catalog
        items = []
        for ln in cart.lines:
            if ln.item_type == "donation":
                items.append({"itemType": "donation", "itemId": ln.item_id, "eventId": None,
                              "priceId": "donation", "priceName": ln.price_name,
                              "description": "Donatie", "amount": num(ln.amount)})
                continue
            assert ln.event_id is not None
            perf = cat.performances[ln.event_id]
            items.append({"itemType": "ticket", "itemId": ln.item_id, "eventId": ln.event_id,
                          "priceId": ln.price_id, "priceName": ln.price_name,
                          "description": f"{cat.production_of(perf).name} — {cat.hall_of(perf).name}",
                          "amount": num(ln.amount)})
        return {"cartId": cart.cart_id, "timeOut": iso(cart.time_out),
                "numberOfItems": len(items), "amount": num(cart.total()), "cartItems": items}

    def cart(self, cart_id: str) -> HttpResponse:
        with self.state.lock:
            return HttpResponse.json(200, self.cart_body(self.state.cart(cart_id)))

    def cart_summary(self, cart_id: str) -> HttpResponse:
        with self.state.lock:
            body = self.cart_body(self.state.cart(cart_id))
        body.pop("cartItems")
        return HttpResponse.json(200, body)

    def cart_add(self, cart_id: str, request: HttpRequest) -> HttpResponse:
        items = json_body(request)
        with self.state.lock:
            return HttpResponse.json(200, self.cart_body(self.state.peppered_add(cart_id, items)))

    def cart_remove(self, cart_id: str, item_id: str) -> HttpResponse:
        with self.state.lock:
            cart = self.state.remove_line(cart_id, item_id, public=False)
            return HttpResponse.json(200, self.cart_body(cart))

    def cart_clear(self, cart_id: str) -> HttpResponse:
        with self.state.lock:
            return HttpResponse.json(200, self.cart_body(self.state.clear_cart(cart_id)))

    def checkout(self, cart_id: str, request: HttpRequest) -> HttpResponse:
        body = json_body(request) or {}
        if not isinstance(body, dict):
            raise SimError(422, "A JSON object is required")
        if "paymentMethodId" not in body:
            raise SimError(422, B.MSG_VALIDATION,
                           errors={"paymentMethodId": ["The paymentMethodId field is required."]})
        pm = body.get("paymentMethodId")
        if isinstance(pm, str):  # peppered is strict: an integer is required
            raise SimError(422, B.MSG_INVALID_PAYMENT)
        with self.state.lock:
            order = self.state.checkout(cart_id, pm, customer_id=body.get("customerId"),
                                        redirect_url=body.get("redirectUrl"))
            out = self.order_body(order)
        out["paymentUrl"] = self.urls.pay(order.order_key)
        return HttpResponse.json(200, out)

    # --- orders -------------------------------------------------------------------------------------
    def order_body(self, o: Order) -> dict[str, Any]:
        method = self.state.catalog.payment_methods[o.payment_method_id]
        return {"orderId": o.order_id, "orderKey": o.order_key, "customerId": o.customer_id,
                "orderStatus": o.order_status, "orderPaymentStatus": o.payment_status,
                "orderDate": iso(o.order_date), "timeOut": iso(o.time_out),
                "amount": num(o.amount), "orderDonation": num(o.donation),
                "lastChanged": iso(o.last_changed), "handlingTextPayment": method.name,
                "discountName": None}

    def orders(self, request: HttpRequest) -> HttpResponse:
        since = parse_since(request.query.get("changedSince", [None])[-1])
        with self.state.lock:
            return HttpResponse.json(200, [self.order_body(o)
                                           for o in self.state.orders_changed_since(since)])

    def order(self, order_id: str) -> HttpResponse:
        if not order_id.isdigit():
            raise SimError(404, "Order not found")
        with self.state.lock:
            return HttpResponse.json(200, self.order_body(self.state.order_by_id(int(order_id))))

    def _seat(self, t: Ticket) -> dict[str, Any]:
        return {"seatId": t.ticket_id, "eventId": t.event_id, "rankId": t.rank_id,
                "rowNr": t.row_nr, "seatNr": t.seat_nr, "amount": num(t.amount),
                "priceId": t.price_id, "priceName": t.price_name}

    def export_orders(self, request: HttpRequest) -> HttpResponse:
        body = json_body(request) or {}
        since = parse_since(body.get("changedSince") if isinstance(body, dict) else None)
        with self.state.lock:
            parts = [self.export_json(o) for o in self.state.orders_changed_since(since)]
        return HttpResponse(200, b"[" + b", ".join(parts) + b"]", "application/json")

    def export_json(self, o: Order) -> bytes:
        """export_body(o) as JSON, kept until the order (or its customer) changes: the volume
        seed's export of 100,000 orders is then a join, not 100,000 renderings."""
        cust = self.state.customers.get(o.customer_id) if o.customer_id is not None else None
        key = (o.last_changed, o.order_status, o.payment_status, len(o.tickets),
               len(o.deleted_tickets), o.reserved_until, o.customer_id,
               cust.last_changed if cust else None, B.EXPORT_USER)
        hit = self._export_cache.get(o.order_id)
        if hit is not None and hit[0] == key:
            return hit[1]
        data = json.dumps(self.export_body(o)).encode("ascii")
        self._export_cache[o.order_id] = (key, data)
        return data

    def warm_export(self) -> None:
        """Render every order's export JSON now (the volume seed, at start-up)."""
        with self.state.lock:
            for o in self.state.orders_by_id.values():
                self.export_json(o)

    def export_body(self, o: Order) -> dict[str, Any]:
        """One OrderExportResource (also SimulatorServer.online_orders())."""
        st = self.state
        method = st.catalog.payment_methods[o.payment_method_id]
        cust = st.customers.get(o.customer_id) if o.customer_id is not None else None
        user: dict[str, Any] | None = None
        if cust is not None:
            user = (self.customer_body(cust) if B.EXPORT_USER == "full"
                    else {"customerId": cust.customer_id, "email": cust.email})
        return {
            "orderId": o.order_id, "orderKey": o.order_key, "customerId": o.customer_id,
            "orderStatus": o.order_status, "orderPaymentStatus": o.payment_status,
            "orderChannel": o.channel, "orderDate": iso(o.order_date),
            "timeOut": iso(o.time_out), "lastChanged": iso(o.last_changed),
            "amount": num(o.amount), "fee": num(o.fee), "donation": num(o.donation),
            "handlingTextPayment": method.name, "discountName": None,
            "seats": [self._seat(t) for t in o.tickets],
            "deletedSeats": [self._seat(t) for t in o.deleted_tickets],
            "user": user,
        }

    # --- customers ----------------------------------------------------------------------------------
    @staticmethod
    def customer_body(c: Customer) -> dict[str, Any]:
        return {"customerId": c.customer_id, "email": c.email, **c.fields}

    def create_customer(self, request: HttpRequest) -> HttpResponse:
        c = self.state.create_customer(json_body(request))
        return HttpResponse.json(201, self.customer_body(c))

    def find_customer(self, request: HttpRequest) -> HttpResponse:
        body = json_body(request)
        email = body.get("email") if isinstance(body, dict) else None
        return HttpResponse.json(200, self.customer_body(self.state.find_customer(email)))

    def customer(self, customer_id: str) -> HttpResponse:
        if not customer_id.isdigit():
            raise SimError(404, B.MSG_CUSTOMER_NOT_FOUND)
        return HttpResponse.json(200, self.customer_body(self.state.customer(int(customer_id))))

    def update_customer(self, customer_id: str, request: HttpRequest) -> HttpResponse:
        if not customer_id.isdigit():
            raise SimError(404, B.MSG_CUSTOMER_NOT_FOUND)
        c = self.state.update_customer(int(customer_id), json_body(request))
        return HttpResponse.json(200, self.customer_body(c))

    def export_customers(self, request: HttpRequest) -> HttpResponse:
        body = json_body(request) or {}
        since = parse_since(body.get("changedSince") if isinstance(body, dict) else None)
        with self.state.lock:
            self.state.ensure_orders()
            out = [self.customer_body(c) for c in sorted(self.state.customers.values(),
                                                          key=lambda c: c.customer_id)
                   if changed_since(c.last_changed, since)]
        return HttpResponse.json(200, out)

    def payment_methods(self) -> HttpResponse:
        return HttpResponse.json(200, [
            {"paymentMethodId": m.payment_id, "name": m.name, "fee": num(m.fee)}
            for m in self.state.catalog.payment_methods.values()])
