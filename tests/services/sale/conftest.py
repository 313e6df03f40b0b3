"""Fixtures for the sale tests: the real simulator on loopback, the real client, a real journal."""
from __future__ import annotations

import os

import pytest
import pytest_asyncio

from boxoffice.i18n import set_language
from boxoffice.services.sale import SaleService
from boxoffice.store.journal import SaleJournal, journal_path
from tests.support.salekit import make_client

#: modules whose sales reach an order run against both simulator answers to "what does a cart look
#: like after its order" (the docs do not say): "emptied" and "kept" (behaviour.py item 7)
BOTH_CART_MODES = {"test_faults", "test_recovery", "test_sale_flow", "test_cash"}


def pytest_generate_tests(metafunc):
    if "cart_after_order" not in metafunc.fixturenames:
        return
    chosen = os.environ.get("VDM_SIM_CART_AFTER_ORDER")
    if chosen:
        modes = [chosen]
    elif metafunc.module.__name__.rsplit(".", 1)[-1] in BOTH_CART_MODES:
        modes = ["emptied", "kept"]
    else:
        modes = ["emptied"]
    metafunc.parametrize("cart_after_order", modes)


@pytest.fixture
def sim(cart_after_order):
    """The simulator, emptying the cart after an order or keeping its lines (see above)."""
    from boxoffice.demo import SimulatorServer

    with SimulatorServer(seed=1, cart_after_order=cart_after_order) as server:
        yield server


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "profiles" / "demo"


@pytest_asyncio.fixture
async def client(sim):
    c = make_client(sim)
    yield c
    await c.aclose()


@pytest.fixture
def journal(data_dir):
    j = SaleJournal.open(journal_path(data_dir))
    yield j
    j.close()


@pytest_asyncio.fixture
async def sale(client, journal):
    s = SaleService(client, journal, demo=True)
    yield s
    await s.aclose()


