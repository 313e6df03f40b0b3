"""Fixtures shared by every test folder.

The OS keychain is the one thing the tests stand in for (besides the system browser): an
in-memory keyring backend (tests/support/memkeyring.py), installed per test and removed afterwards.
"""
from __future__ import annotations

import keyring
import pytest

from tests.support.memkeyring import MemoryKeyring


@pytest.fixture
def use_keyring():
    """Install a keyring backend for one test; the previous one is restored afterwards."""
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(use_keyring) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_keyring(backend)
    return backend


@pytest.fixture
def paths(tmp_path, monkeypatch):
    """A private app home (BOXOFFICE_HOME) for one test, with its folders created."""
    from boxoffice.config import app_paths

    monkeypatch.setenv("BOXOFFICE_HOME", str(tmp_path / "home"))
    return app_paths().ensure()


@pytest.fixture
def sim():
    """A fresh seeded simulator on loopback for one test (folders may override the scope)."""
    from boxoffice.demo import SimulatorServer

    with SimulatorServer(seed=1) as server:
        yield server
