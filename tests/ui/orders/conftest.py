"""Fixtures for the order desk UI: the real app controller on the demo profile (its embedded
simulator seeds online orders by named customers), the real OrderDesk over its SQLite index;
only the system browser is replaced.

Composes with tests/ui/conftest.py (offscreen Qt, qasync loop, memory keychain, private
BOXOFFICE_HOME, ``app_factory``, ``simulator``, ``live_profile``, ``wait``)."""
from __future__ import annotations

import pytest


@pytest.fixture
def desk_app(demo_app):
    """``make(**simulator_kwargs)`` → an AppController on the demo profile."""
    return demo_app
