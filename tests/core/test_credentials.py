"""API keys live in the OS keychain only; without a keychain the cashier gets a plain message."""
from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked

from boxoffice.api.secrets import ApiKey
from boxoffice.credentials import SERVICE, CredentialStore, KeyringUnavailable
from boxoffice.i18n import set_language

KEY = "vdm_secret_0123456789abcdef"


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def test_set_get_delete(memory_keyring):
    store = CredentialStore()
    assert store.available()
    assert store.get("venue-1") is None
    store.set("venue-1", ApiKey(KEY))
    assert memory_keyring.store[(SERVICE, "venue-1")] == KEY
    got = store.get("venue-1")
    assert got == ApiKey(KEY)
    assert KEY not in repr(got) and KEY not in str(got)
    assert store.has_key("venue-1")
    store.set("venue-1", ApiKey(KEY + "2"))
    assert store.get("venue-1") == ApiKey(KEY + "2")
    store.delete("venue-1")
    assert store.get("venue-1") is None
    store.delete("venue-1")  # deleting twice is fine


def test_profiles_do_not_share_keys(memory_keyring):
    store = CredentialStore()
    store.set("a", ApiKey(KEY))
    assert store.get("b") is None


def test_only_api_keys_are_accepted(memory_keyring):
    with pytest.raises(TypeError):
        CredentialStore().set("a", KEY)  # type: ignore[arg-type]


def test_fail_backend_is_unavailable(use_keyring):
    use_keyring(fail.Keyring())
    store = CredentialStore()
    assert not store.available()
    assert not store.has_key("a")
    for call in (lambda: store.get("a"), lambda: store.set("a", ApiKey(KEY)),
                 lambda: store.delete("a")):
        with pytest.raises(KeyringUnavailable) as info:
            call()
        message = str(info.value)
        assert "keychain" in message
        assert "keyrings.alt" not in message and KEY not in message


def test_unavailable_message_is_translated(use_keyring):
    use_keyring(fail.Keyring())
    set_language("nl")
    with pytest.raises(KeyringUnavailable) as info:
        CredentialStore().get("a")
    assert "sleutelhanger" in str(info.value)


def test_null_backend_is_unavailable(use_keyring):
    use_keyring(null.Keyring())
    assert not CredentialStore().available()


def test_plaintext_backends_are_refused(use_keyring):
    class PlaintextKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            raise AssertionError("must never be called")

        def delete_password(self, service, username):
            pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    use_keyring(PlaintextKeyring())
    store = CredentialStore()
    assert not store.available()
    with pytest.raises(KeyringUnavailable):
        store.set("a", ApiKey(KEY))


def test_a_locked_keychain_is_reported_not_crashed(use_keyring):
    class LockedKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):
            raise KeyringLocked("locked")

        def set_password(self, service, username, password):
            raise KeyringLocked("locked")

        def delete_password(self, service, username):
            raise KeyringLocked("locked")

    use_keyring(LockedKeyring())
    store = CredentialStore()
    with pytest.raises(KeyringUnavailable):
        store.get("a")
    with pytest.raises(KeyringUnavailable):
        store.set("a", ApiKey(KEY))


def test_the_real_default_here_is_the_fail_backend_or_a_real_one():
    # Documents the environment: keyrings.alt is not installed, so no plaintext default.
    backend = keyring.get_keyring()
    assert not type(backend).__module__.startswith("keyrings.alt")
