"""Strict writing (issue 15, docs §9.13): every body the app sends during a sale holds only
documented field names and never an explicit null. The bodies are captured on their way to the
real simulator by a recording transport (it passes every request through unchanged)."""
from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from boxoffice.api import ApiKey, RetryPolicy, VdmClient
from boxoffice.services.sale import CustomerInfo, Phase, SaleService
from tests.support.salekit import free_seats, method_id, perf_info

#: documented body fields per write (vdm-api.md §3.3, §3.5, §4.1, §4.3; checkout's own fields are
#: cut off in the docs: paymentMethodId from §4.7, customerId "probably", redirectUrl as guessed)
_CUSTOMER = {"email", "customerFirstName", "customerLastName", "customerSalutation",
             "customerPreposition", "customerAddress", "customerHouseNr", "customerZip",
             "customerCity", "customerCountry", "customerPhone", "customerCredit"}
DOCUMENTED = {
    ("POST", "public cart"): {"event_id", "numberoftickets", "discount_id"},
    ("POST", "order/create"): {"cart_id", "payment_id", "redirectURL", "email", "firstname",
                               "lastname", "phone", "address", "city", "zip", "avg_optin",
                               "avg_mailinglist"},
    ("POST", "peppered cart"): {"priceId", "rankId", "eventId", "numberOfTickets", "seatId",
                                "amount"},
    ("POST", "checkout"): {"paymentMethodId", "customerId", "redirectUrl"},
    ("POST", "customer"): _CUSTOMER,
    ("PUT", "customer"): _CUSTOMER,
    ("POST", "findByEmail"): {"email"},
    ("POST", "export"): {"changedSince"},
}


NO_BODY = object()


class Recording(httpx.AsyncBaseTransport):
    """Passes every request to the real transport; keeps (method, path, body) of each write."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.sent: list[tuple[str, str, object]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            body = json.loads(request.content) if request.content else NO_BODY
            self.sent.append((request.method, request.url.path, body))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _kind(method: str, path: str) -> tuple[str, str]:
    if path.endswith("/order/create"):
        return method, "order/create"
    if path.endswith("/checkout"):
        return method, "checkout"
    if path.endswith("/findByEmail"):
        return method, "findByEmail"
    if "/export/" in path:
        return method, "export"
    if "/peppered/customer" in path:
        return method, "customer"
    if "/peppered/cart/" in path:
        return method, "peppered cart"
    if "/cart/" in path:
        return method, "public cart"
    return method, path


def _nulls(value, where="body"):
    if value is None:
        yield where
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _nulls(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _nulls(v, f"{where}[{i}]")


def _fields(body) -> set[str]:
    items = body if isinstance(body, list) else [body]
    return {k for item in items if isinstance(item, dict) for k in item}


@pytest.mark.asyncio
async def test_a_full_sale_sends_no_nulls_and_only_documented_fields(sim, journal):
    rec = Recording()
    client = VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key), timeout=3.0,
                       transport=rec,
                       retry=RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05))
    sale = SaleService(client, journal, demo=True)
    try:
        # a sale: seats (peppered cart), tickets by number (public cart), a new customer, an order
        seated = sim.catalog.find("seated")
        sale.remember_performance(perf_info(sim, seated))
        await sale.prepare()
        plan = await sale.load_seat_plan(seated.event_id)
        assert (await sale.add_seats(seated.event_id, free_seats(plan, 2))).ok
        ga = sim.catalog.find("ga")
        sale.remember_performance(perf_info(sim, ga))
        tt = sim.catalog.production_of(ga).ticket_types[0]
        assert (await sale.add_general_admission(ga.event_id, 2, tt.price_id)).ok
        buyer = await sale.create_customer("anna@example.org", "Anna", "de Vries")  # no phone
        sale.set_customer(CustomerInfo(buyer.email, buyer.first_name, buyer.last_name))
        await sale.payment_methods()
        sale.select_payment_method(method_id(sim, "Cash"))
        snap = await sale.pay()
        assert snap.phase == Phase.WAITING
        sim.settle(snap.order.order_key, "paid")
        assert (await asyncio.wait_for(sale.wait_for_payment(), 5)).phase == Phase.PAID
        # the writes the sale does not make itself: a customer update, a peppered checkout
        # without a customer (anonymous) and without a redirect
        await client.peppered.update_customer(buyer.customer_id, city="Utrecht", phone=None)
        cart_id = await client.public.create_cart()
        plan = await client.peppered.seating(seated.event_id)
        seat = free_seats(plan, 1)[0]
        from boxoffice.api.models import CartItemRequest
        rank = next(s.rank_id for _sec, _row, s in plan.seats() if s.seat_id == seat)
        await client.peppered.add_items(cart_id, [CartItemRequest(
            price_id=tt.price_id, rank_id=rank, event_id=seated.event_id, seat_id=seat)])
        order = await client.peppered.checkout(cart_id, method_id(sim, "Cash"))
        assert order.order_key
    finally:
        await sale.aclose()
        await client.aclose()

    kinds = {_kind(m, p) for m, p, _b in rec.sent}
    for needed in [("POST", "public cart"), ("POST", "order/create"), ("POST", "peppered cart"),
                   ("POST", "checkout"), ("POST", "customer"), ("PUT", "customer")]:
        assert needed in kinds, needed
    for method, path, body in rec.sent:
        if body is NO_BODY:
            continue
        assert list(_nulls(body)) == [], (method, path, body)
        kind = _kind(method, path)
        assert kind in DOCUMENTED, (method, path, body)
        assert _fields(body) <= DOCUMENTED[kind], (method, path, _fields(body) - DOCUMENTED[kind])
    # an absent customer or redirect is left out, not sent as null
    [checkout] = [b for m, p, b in rec.sent if p.endswith("/checkout")]
    assert set(checkout) == {"paymentMethodId"}
