"""Fixtures for the order desk: one simulator per module, its orders synced once into a template
index, and a fresh copy of that index (and a real client) for each test."""
from __future__ import annotations

import asyncio
import shutil

import pytest
import pytest_asyncio

from boxoffice.services.order_desk import OrderDesk, order_index_path
from tests.support.salekit import make_client


@pytest.fixture(scope="module")
def sim():
    from boxoffice.demo import SimulatorServer

    with SimulatorServer(seed=1) as server:
        yield server


@pytest.fixture(autouse=True)
def clean_faults(sim):
    yield
    sim.faults.clear()


@pytest.fixture(scope="module")
def template(sim, tmp_path_factory):
    """An index holding every order of the module's simulator (one full sync)."""
    path = order_index_path(tmp_path_factory.mktemp("template"))

    async def fill():
        client = make_client(sim)
        desk = OrderDesk(client, path)
        try:
            await desk.sync()
        finally:
            await desk.aclose()
            await client.aclose()

    asyncio.run(fill())
    return path


@pytest_asyncio.fixture
async def client(sim):
    c = make_client(sim)
    yield c
    await c.aclose()


@pytest_asyncio.fixture
async def desk(template, client, tmp_path):
    """A desk over a copy of the synced template (its next sync is a delta)."""
    path = order_index_path(tmp_path / "profile")
    path.parent.mkdir(parents=True)
    shutil.copy2(template, path)
    d = OrderDesk(client, path)
    yield d
    await d.aclose()


@pytest_asyncio.fixture
async def fresh_desk(client, tmp_path):
    """A desk over an empty index (its first sync is a full one)."""
    d = OrderDesk(client, order_index_path(tmp_path / "fresh"))
    yield d
    await d.aclose()

