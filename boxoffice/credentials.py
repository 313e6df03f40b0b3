"""The API keys of the venue profiles, kept in the OS keychain — the only module touching keyring.

Owns storing, reading and deleting one key per profile id under the service name
``vdm-boxoffice``. Keys are returned as :class:`boxoffice.api.secrets.ApiKey`, which never
shows its value in a repr, log or message. When the computer has no usable keychain
(keyring's "fail" or "null" backend, or a plaintext backend such as keyrings.alt, which this
app refuses to use), every operation raises :class:`KeyringUnavailable` with a plain message
for the cashier, and :meth:`CredentialStore.available` is False.
"""
from __future__ import annotations

import logging
from types import ModuleType

from boxoffice.api.secrets import ApiKey
from boxoffice.i18n import _

log = logging.getLogger(__name__)

SERVICE = "vdm-boxoffice"
# Backends that are no keychain at all, or that would write the key to disk in plain text.
_REFUSED_MODULE_PREFIXES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class KeyringUnavailable(Exception):
    """No secure keychain can be used; ``str(exc)`` is a translated message for the cashier."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or unavailable_message())


def unavailable_message() -> str:
    return _(
        "This computer has no secure password store (keychain) that the box office can use, "
        "so the API key cannot be saved or read. The box office works without it, but without "
        "seat maps. Ask your IT support to enable the system keychain."
    )


def _keyring() -> ModuleType:
    """The keyring package, imported on first use: not needed to paint the saved event list."""
    import keyring
    import keyring.errors  # noqa: F401 - the except clauses below read keyring.errors

    return keyring


def _backend_refused(backend: object) -> bool:
    backends = getattr(backend, "backends", None)  # keyring's ChainerBackend
    if backends is not None:
        return not backends or all(_backend_refused(b) for b in backends)
    module = type(backend).__module__
    return module.startswith(_REFUSED_MODULE_PREFIXES)


class CredentialStore:
    """Profile id → API key in the OS keychain."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def available(self) -> bool:
        """True when a secure keychain backend is active."""
        try:
            return not _backend_refused(_keyring().get_keyring())
        except Exception:  # keyring's backend discovery itself failed
            log.warning("keyring backend discovery failed", exc_info=True)
            return False

    def _require(self) -> None:
        if not self.available():
            raise KeyringUnavailable()

    def get(self, profile_id: str) -> ApiKey | None:
        """The saved key of *profile_id*, or None when there is none."""
        self._require()
        keyring = _keyring()
        try:
            value = keyring.get_password(self.service, profile_id)
        except keyring.errors.KeyringError as exc:
            log.warning("keychain read failed: %s", type(exc).__name__)
            raise KeyringUnavailable() from None
        if not value:
            return None
        try:
            return ApiKey(value)
        except (TypeError, ValueError):
            log.warning("the keychain entry of profile %s is not a usable key", profile_id)
            return None

    def has_key(self, profile_id: str) -> bool:
        """True when a key is saved (False, not an error, when there is no keychain)."""
        try:
            return self.get(profile_id) is not None
        except KeyringUnavailable:
            return False

    def set(self, profile_id: str, key: ApiKey) -> None:
        """Save (or replace) the key of *profile_id*."""
        if not isinstance(key, ApiKey):
            raise TypeError("CredentialStore.set needs an ApiKey")
        self._require()
        keyring = _keyring()
        try:
            keyring.set_password(self.service, profile_id, key.reveal())
        except keyring.errors.KeyringError as exc:
            log.warning("keychain write failed: %s", type(exc).__name__)
            raise KeyringUnavailable() from None

    def delete(self, profile_id: str) -> None:
        """Remove the key of *profile_id* (no error when there was none)."""
        self._require()
        keyring = _keyring()
        try:
            keyring.delete_password(self.service, profile_id)
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as exc:
            log.warning("keychain delete failed: %s", type(exc).__name__)
            raise KeyringUnavailable() from None
