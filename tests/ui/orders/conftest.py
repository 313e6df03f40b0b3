"""Fixtures for the order desk UI: the real app controller on the demo profile (its embedded
simulator seeds online orders by named customers), the real OrderDesk over its SQLite index;
only the system browser is replaced.

Composes with tests/ui/conftest.py (offscreen Qt, qasync loop, memory keychain, private
BOXOFFICE_HOME, ``app_factory``, ``simulator``, ``live_profile``, ``wait``)."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

import pytest


@dataclass
class Browser:
    """Stands in for the system browser: records what it was asked to open."""

    opened: list[str] = field(default_factory=list)

    def __call__(self, url: QUrl) -> bool:
        self.opened.append(url.toString())
        return True


@pytest.fixture
def browser(monkeypatch) -> Browser:
    fake = Browser()
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake))
    return fake


@pytest.fixture
def desk_app(app_factory):
    """``make(**simulator_kwargs)`` → an AppController on the demo profile."""
    from boxoffice.demo import SimulatorServer

    def make(**sim_kwargs):
        sim_kwargs.setdefault("auto_pay_after", None)
        return app_factory(demo_server_factory=lambda: SimulatorServer(
            seed=1, client_name="demo", **sim_kwargs))

    return make
