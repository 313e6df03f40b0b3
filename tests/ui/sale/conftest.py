"""Fixtures for the sale UI: the real app controller with its embedded (or an external)
simulator, real client and real SQLite journal; only the system browser is replaced.

Composes with tests/ui/conftest.py (offscreen Qt, qasync loop, memory keychain, private
BOXOFFICE_HOME, ``app_factory``, ``simulator``, ``live_profile``, ``wait``)."""
from __future__ import annotations

import pytest

from tests.support.salehelpers import open_from_browser


@pytest.fixture
def open_performance():
    return open_from_browser

