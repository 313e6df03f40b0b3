"""Fixtures for the sale tests: the real simulator on loopback, the real client, a real journal."""
from __future__ import annotations

import pytest
import pytest_asyncio

import sys
from pathlib import Path

from boxoffice.i18n import set_language
from boxoffice.services.sale import SaleService
from boxoffice.store.journal import SaleJournal, journal_path

sys.path.insert(0, str(Path(__file__).parent))
from salekit import make_client  # noqa: E402


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


