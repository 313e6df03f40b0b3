"""Fixtures for the reliability and security proofs (tests/reliability).

Everything here is real: the simulator on loopback, the real client over real sockets, real SQLite
journals in temporary data folders, real child processes killed with SIGKILL. Only the OS keychain
(``tests/support/memkeyring.py``) and the system browser (``QDesktopServices.openUrl``) are replaced.

``network_audit`` records, through a Python audit hook, every socket connect / name lookup the
process attempts, so a test can prove that nothing but loopback was ever contacted.
"""
from __future__ import annotations

import ipaddress
import sys
import threading

import pytest

from boxoffice.demo import SimulatorServer


class _NetworkAudit:
    """Collects non-loopback connection attempts while ``active``."""

    def __init__(self) -> None:
        self.active = False
        self.attempts: list[tuple[str, object]] = []
        self.lock = threading.Lock()

    @staticmethod
    def _loopback(host: object) -> bool:
        if host is None:
            return True
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        host = str(host).strip("[]").lower()
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
        except ValueError:
            return False

    def hook(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        host = None
        if event == "socket.getaddrinfo":
            host = args[0]
        elif event == "socket.connect":
            address = args[1]
            if isinstance(address, tuple) and address:
                host = address[0]
            else:
                return  # unix sockets
        else:
            return
        if not self._loopback(host):
            with self.lock:
                self.attempts.append((event, host))


_AUDIT = _NetworkAudit()
sys.addaudithook(_AUDIT.hook)


@pytest.fixture
def network_audit():
    """Yields the audit; the test fails if anything but loopback was contacted."""
    _AUDIT.attempts.clear()
    _AUDIT.active = True
    try:
        yield _AUDIT
    finally:
        _AUDIT.active = False
    assert _AUDIT.attempts == [], f"non-loopback traffic attempted: {_AUDIT.attempts}"


@pytest.fixture
def sim():
    with SimulatorServer(seed=1) as server:
        yield server
