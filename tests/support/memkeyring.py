"""A file-less keyring backend for tests (the OS keychain is the one thing we replace).

``MemoryKeyring`` keeps passwords in a dict. ``EnvKeyring`` starts from the JSON in the
``VDM_TEST_KEYRING`` environment variable (``{"service": {"user": "password"}}``), so a child
process (``python main.py``) can be given a key without any file: select it with
``PYTHON_KEYRING_BACKEND=tests.support.memkeyring.EnvKeyring`` and the project root on
``PYTHONPATH``. The conftest fixtures ``memory_keyring`` install a ``MemoryKeyring`` per test.
"""
from __future__ import annotations

import json
import os
import sys
import threading

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A keychain that lives in a dict (``store``), never on disk."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        #: (operation, thread) of every call: a test can prove the keychain is kept off a thread
        self.calls: list[tuple[str, threading.Thread]] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append(("get", threading.current_thread()))
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append(("set", threading.current_thread()))
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append(("delete", threading.current_thread()))
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class EnvKeyring(MemoryKeyring):
    """With ``VDM_TEST_KEYRING_TRACE=1`` every read is reported on stderr (service and user, never
    the password), so a test can prove the app really fetched the key."""

    def get_password(self, service: str, username: str) -> str | None:
        value = super().get_password(service, username)
        if os.environ.get("VDM_TEST_KEYRING_TRACE"):
            print(f"memkeyring: read {service}/{username} -> {'found' if value else 'none'}",
                  file=sys.stderr, flush=True)
        return value

    def __init__(self) -> None:
        super().__init__()
        raw = os.environ.get("VDM_TEST_KEYRING")
        if raw:
            for service, users in json.loads(raw).items():
                for user, password in users.items():
                    self.store[(service, user)] = password
