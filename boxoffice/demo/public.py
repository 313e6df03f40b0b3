"""Public (unauthenticated) endpoints: events, ticket types, payment methods, cart, order.

snake_case fields, money as 2-decimal strings, "/events" dates YYYY-MM-DD + HH:MM:SS, cart
dates DD-MM-YYYY + HH:MM, as in the VdM documentation.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

from . import behaviour as B
from .catalog import Performance, Production, local_start
from .clock import AMSTERDAM
from .server import HttpRequest, HttpResponse
from .state import Cart, Order, SimError, SimState


def money(value: Decimal) -> str:
    return f"{value:.2f}"


class PublicApi:
    """Renders public endpoints from SimState. ``urls`` builds absolute simulator URLs."""

    def __init__(self, state: SimState, urls: Any) -> None:
        self.state = state
        self.urls = urls

    # --- events -----------------------------------------------------------------------------------
    def _sub_event(self, perf: Performance, now: Any) -> dict[str, Any]:
        prod = self.state.catalog.production_of(perf)
        hall = self.state.catalog.hall_of(perf)
        start = local_start(perf)
        end = perf.end.astimezone(AMSTERDAM)
        view_end = (perf.view_end.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M:%S")
                    if perf.view_end else B.EVENTS_VIEW_END_SENTINEL)
        return {
            "event_id": perf.event_id, "event_name": prod.name, "event_text": prod.text,
            "event_short_text": prod.short_text, "event_url": None, "event_image": prod.image,
            "event_date": start.strftime("%Y-%m-%d"), "event_time": start.strftime("%H:%M:%S"),
            "event_end": end.strftime("%H:%M:%S"), "event_view_end": view_end,
            "event_rep": "sub", "event_main_id": prod.production_id,
            "event_free": self.state.event_free(perf, now), "event_status": perf.status,
            "location_id": hall.hall_id, "location_name": hall.name,
            "event_type": [prod.event_type],
        }

    def _main_event(self, prod: Production, subs: list[dict[str, Any]]) -> dict[str, Any]:
        return {"event_id": prod.production_id, "event_name": prod.name, "event_text": prod.text,
                "event_short_text": prod.short_text, "event_image": prod.image,
                "event_type": [prod.event_type], "sub_events": subs}

    def events(self, which: str | None) -> HttpResponse:
        st = self.state
        cat = st.catalog
        with st.lock:
            now = st.sweep()
            if which is None or which == "upcoming":
                out = []
                for prod in sorted(cat.productions.values(), key=lambda p: p.production_id):
                    perfs = [p for p in cat.performances_of(prod.production_id)
                             if p.status != "unpub"]
                    if which == "upcoming":
                        perfs = [p for p in perfs if (p.view_end or p.end) > now]
                        if not perfs:
                            continue
                    out.append(self._main_event(prod, [self._sub_event(p, now) for p in perfs]))
                return HttpResponse.json(200, out)
            eid = int(which) if which.isdigit() else None
            if eid in cat.productions:
                prod = cat.productions[eid]
                perfs = [p for p in cat.performances_of(eid) if p.status != "unpub"]
                return HttpResponse.json(200, [self._main_event(
                    prod, [self._sub_event(p, now) for p in perfs])])
            if eid in cat.performances:
                return HttpResponse.json(200, [self._sub_event(cat.performances[eid], now)])
            raise SimError(404, B.MSG_EVENT_NOT_FOUND)

    def ticket_types(self, which: str) -> HttpResponse:
        st = self.state
        perf = st.catalog.performances.get(int(which)) if which.isdigit() else None
        if perf is None:
            raise SimError(404, B.MSG_SUB_EVENT_NOT_FOUND)
        with st.lock:
            st.sweep()
            prod = st.catalog.production_of(perf)
            hall = st.catalog.hall_of(perf)
            base = prod.rank_prices[hall.ranks[0].rank_id]
            out = []
            for tt in prod.ticket_types:
                if not st.ticket_type_available(perf, tt, 1):
                    continue
                out.append({"discount_id": tt.price_id, "discount_name": tt.name,
                            "base_price": money(base), "discount_type": tt.kind,
                            "discount_value": money(tt.value),
                            "discounted_price": money(tt.apply(base))})
            return HttpResponse.json(200, out)

    def payment_methods(self) -> HttpResponse:
        return HttpResponse.json(200, [
            {"payment_id": m.payment_id, "payment_desc": m.name, "payment_cost": money(m.fee)}
            for m in self.state.catalog.payment_methods.values()])

    # --- cart ---------------------------------------------------------------------------------------
    def cart_body(self, cart: Cart) -> list[dict[str, Any]]:
        st = self.state
        lines = []
        total = Decimal("0.00")
        for ln in cart.lines:
            if ln.item_type != "ticket":
                continue
            assert ln.event_id is not None and ln.seat_index is not None
            perf = st.catalog.performances[ln.event_id]
            prod = st.catalog.production_of(perf)
            hall = st.catalog.hall_of(perf)
            start = local_start(perf)
            row_nr, seat_nr = st.seat_position(perf, ln.seat_index)
            rank_name = next((r.name for r in hall.ranks if r.rank_id == ln.rank_id), "")
            lines.append({
                "seat_id": ln.item_id, "seat_row_nr": str(row_nr), "seat_nr": str(seat_nr),
                "pmp_name": None, "event_id": ln.event_id, "event_name": prod.name,
                "location_name": hall.name, "event_date": start.strftime("%d-%m-%Y"),
                "event_time": start.strftime("%H:%M"),
                "event_view_end": (perf.view_end.astimezone(AMSTERDAM).strftime("%d-%m-%Y")
                                   if perf.view_end else B.CART_VIEW_END_SENTINEL),
                "numberoftickets": 1, "seat_price": money(ln.amount),
                "category_name": rank_name, "discount_id": ln.price_id,
                "discount_name": ln.price_name,
            })
            total += ln.amount
        if not lines:
            return [{"cart": 0}]
        return [*lines, {"totalprice": money(total)}]

    def create_cart(self) -> HttpResponse:
        cart = self.state.create_cart()
        return HttpResponse.json(201, {"cart_id": cart.cart_id},
                                 [("Location", self.urls.cart(cart.cart_id))])

    def get_cart(self, cart_id: str) -> HttpResponse:
        with self.state.lock:
            return HttpResponse.json(200, self.cart_body(self.state.cart(cart_id)))

    def add(self, cart_id: str, request: HttpRequest) -> HttpResponse:
        body = parse_body(request)
        with self.state.lock:
            cart = self.state.public_add(cart_id, body.get("event_id"), body.get("numberoftickets"),
                                         body.get("discount_id"))
            return HttpResponse.json(200, self.cart_body(cart))

    def remove(self, cart_id: str, seat_id: str) -> HttpResponse:
        with self.state.lock:
            cart = self.state.remove_line(cart_id, seat_id, public=True)
            return HttpResponse.json(200, self.cart_body(cart))

    # --- order ----------------------------------------------------------------------------------------
    def create_order(self, request: HttpRequest) -> HttpResponse:
        body = parse_body(request)
        cart_id = body.get("cart_id")
        if not isinstance(cart_id, str) or not cart_id:
            raise SimError(422, "cart_id is required")
        buyer = {k: body.get(k) for k in ("email", "firstname", "lastname", "phone", "address",
                                           "city", "zip", "avg_optin", "avg_mailinglist")
                 if body.get(k) is not None}
        order = self.state.checkout(cart_id, body.get("payment_id"),
                                    redirect_url=body.get("redirectURL"), buyer=buyer)
        return HttpResponse.json(200, [{"url": self.urls.pay(order.order_key),
                                        "order_key": order.order_key}])

    def order_status(self, key: str) -> HttpResponse:
        with self.state.lock:
            order = self.state.order(key)
            return HttpResponse.json(200, self.status_body(order))

    def status_body(self, order: Order) -> dict[str, Any]:
        cat = self.state.catalog
        return {
            "order_payment_status": order.payment_status,
            "order_tickets_nr": len(order.tickets),
            "order_tickets_url": self.urls.tickets(order.order_key),
            "order_receipt_url": self.urls.receipt(order.order_key),
            "seats": [{"seat_id": t.ticket_id,
                       "event_name": cat.production_of(cat.performances[t.event_id]).name,
                       "event_type": None} for t in order.tickets],
        }


def parse_body(request: HttpRequest) -> dict[str, Any]:
    """JSON object body, or a form body (behaviour 1). Empty body -> {}."""
    ctype = (request.header("content-type") or "").lower()
    if not request.body.strip():
        return {}
    if "application/x-www-form-urlencoded" in ctype:
        try:
            form = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise SimError(400, "Bad request") from None
        return {k: v[-1] for k, v in form.items()}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise SimError(400, "Malformed JSON body") from None
    if not isinstance(data, dict):
        raise SimError(422, "A JSON object is required")
    return data
