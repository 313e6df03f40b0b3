"""Fixtures for the simulator tests: a running SimulatorServer and httpx clients on loopback."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from boxoffice.demo import SimulatorServer

TODAY = date(2026, 11, 27)


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(seed=1, today=TODAY) as server:
        yield server


@pytest.fixture
def api(sim: SimulatorServer) -> Iterator[httpx.Client]:
    """Public API client rooted at /v1/<client>."""
    with httpx.Client(base_url=sim.client_url, timeout=10) as client:
        yield client


@pytest.fixture
def pep(sim: SimulatorServer) -> Iterator[httpx.Client]:
    """Peppered API client (raw key in Authorization)."""
    with httpx.Client(base_url=f"{sim.client_url}/peppered", timeout=10,
                      headers={"Authorization": sim.api_key}) as client:
        yield client


class Shop:
    """Small helpers over the public and peppered clients (a fixture, as importlib mode
    cannot import conftest by name)."""

    def __init__(self, api: httpx.Client, pep: httpx.Client) -> None:
        self.api = api
        self.pep = pep

    def ticket_type_id(self, event_id: int, name: str = "Standaard") -> str:
        for tt in self.api.get(f"/tickettypes/{event_id}").json():
            if tt["discount_name"] == name:
                return tt["discount_id"]
        raise LookupError(name)

    def new_cart(self) -> str:
        r = self.api.post("/cart/")
        assert r.status_code == 201
        return r.json()["cart_id"]

    def add(self, cart_id: str, event_id: int, n: int, name: str = "Standaard") -> httpx.Response:
        return self.api.post(f"/cart/{cart_id}", json={
            "event_id": event_id, "numberoftickets": n,
            "discount_id": self.ticket_type_id(event_id, name)})

    def plan(self, event_id: int) -> dict:
        r = self.pep.get(f"/seating/{event_id}")
        assert r.status_code == 200, r.text
        return r.json()

    def seats(self, event_id: int, available: bool | None = True) -> list[dict]:
        return [s for sec in self.plan(event_id)["sections"] for row in sec["rows"]
                for s in row["seats"] if available is None or s["available"] is available]

    def order(self, event_id: int, n: int = 2, payment_id: int = 33, **extra) -> str:
        cart = self.new_cart()
        assert self.add(cart, event_id, n).status_code == 200
        r = self.api.post("/order/create", json={"cart_id": cart, "payment_id": payment_id, **extra})
        assert r.status_code == 200, r.text
        return r.json()[0]["order_key"]


@pytest.fixture
def shop(api: httpx.Client, pep: httpx.Client) -> Shop:
    return Shop(api, pep)
