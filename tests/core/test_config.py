"""Venue profiles and settings: saved atomically, owner-only, and never holding a key."""
from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from boxoffice.api.secrets import ApiKey
from boxoffice.config import (
    DEMO_PROFILE,
    Profile,
    ProfileError,
    Settings,
    SettingsStore,
    app_paths,
    normalize_api_root,
)
from boxoffice.credentials import CredentialStore
from boxoffice.store import files
from boxoffice.store.cache import OfflineCache, cache_path

POSIX = sys.platform != "win32"
SECRET = "pk_live_7f3a9c1e5b2d4068a1c3e5f7b9d1f3a5"


def _two_venues() -> Settings:
    a = Profile.new("Stadsschouwburg", "schouwburg", "https://api.voordemensen.nl/v1")
    b = Profile.new("Kleine Zaal", "kleinezaal", "https://tickets.example.nl/v1/")
    return Settings(profiles=[a, b], active_profile_id=b.id, language="nl")


def test_boxoffice_home_overrides_every_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("BOXOFFICE_HOME", str(tmp_path))
    p = app_paths()
    for folder in (p.config_dir, p.data_dir, p.log_dir, p.cache_dir):
        assert folder.parent == tmp_path.resolve()
    assert len({p.config_dir, p.data_dir, p.log_dir, p.cache_dir}) == 4


def test_settings_roundtrip(paths):
    store = SettingsStore.for_paths(paths)
    settings = _two_venues()
    store.save(settings)
    loaded = SettingsStore.for_paths(paths).load()
    assert loaded == settings
    assert loaded.active_profile().name == "Kleine Zaal"
    assert loaded.active_profile().api_root == "https://tickets.example.nl/v1"  # trailing / dropped
    assert loaded.language == "nl"


def test_missing_file_gives_the_demo(paths):
    settings = SettingsStore.for_paths(paths).load()
    assert settings.profiles == []
    assert settings.active_profile() is DEMO_PROFILE
    assert settings.language is None


def test_demo_is_offered_but_never_saved(paths):
    store = SettingsStore.for_paths(paths)
    settings = _two_venues()
    settings.active_profile_id = "demo"
    store.save(settings)
    raw = json.loads(paths.settings_file.read_text())
    assert [p["id"] for p in raw["profiles"]] == [p.id for p in settings.profiles]
    loaded = store.load()
    assert loaded.active_profile() is DEMO_PROFILE
    assert [p.id for p in loaded.all_profiles()][-1] == "demo"
    with pytest.raises(ProfileError):
        loaded.upsert_profile(DEMO_PROFILE)


def test_removed_active_profile_falls_back_to_first_venue(paths):
    settings = _two_venues()
    first, second = settings.profiles
    settings.remove_profile(second.id)
    assert settings.active_profile_id is None
    assert settings.active_profile() == first
    settings.remove_profile(first.id)
    assert settings.active_profile() is DEMO_PROFILE


def test_no_secret_in_any_file(paths, memory_keyring):
    settings = _two_venues()
    profile = settings.profiles[0]
    credentials = CredentialStore()
    credentials.set(profile.id, ApiKey(SECRET))
    SettingsStore.for_paths(paths).save(settings)
    with OfflineCache.open(cache_path(profile.data_dir(paths))):
        pass
    assert credentials.get(profile.id) == ApiKey(SECRET)  # it is in the keychain...

    hits = 0
    scanned = 0
    for root in (paths.config_dir, paths.data_dir, paths.cache_dir, paths.log_dir):
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                scanned += 1
                hits += open(os.path.join(dirpath, name), "rb").read().count(SECRET.encode())
    assert scanned >= 2  # settings.json and the cache were really written
    assert hits == 0  # ...and nowhere on disk


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_settings_file_is_owner_only(paths):
    SettingsStore.for_paths(paths).save(_two_venues())
    assert stat.S_IMODE(paths.settings_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.config_dir.stat().st_mode) == 0o700


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_an_existing_world_readable_file_becomes_private(paths):
    paths.settings_file.write_text("{}")
    os.chmod(paths.settings_file, 0o644)
    SettingsStore.for_paths(paths).save(_two_venues())
    assert stat.S_IMODE(paths.settings_file.stat().st_mode) == 0o600


def test_write_is_atomic(paths, monkeypatch):
    store = SettingsStore.for_paths(paths)
    store.save(_two_venues())
    before = paths.settings_file.read_bytes()

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", crash)
    changed = _two_venues()
    with pytest.raises(OSError):
        store.save(changed)
    assert paths.settings_file.read_bytes() == before  # old file intact
    assert [p.name for p in paths.config_dir.iterdir()] == ["settings.json"]  # temp file removed


def test_damaged_settings_are_set_aside(paths):
    paths.settings_file.write_text('{"profiles": [ this is not json')
    store = SettingsStore.for_paths(paths)
    settings = store.load()
    assert settings == Settings()
    assert store.recovered_notice and "settings.json.corrupt-" in store.recovered_notice
    assert any(p.name.startswith("settings.json.corrupt-") for p in paths.config_dir.iterdir())
    assert not paths.settings_file.exists()


def test_invalid_profile_entries_are_skipped(paths):
    good = Profile.new("Zaal", "zaal")
    paths.settings_file.write_text(json.dumps({
        "version": 1,
        "profiles": [
            {"id": good.id, "name": "Zaal", "client_name": "zaal", "api_root": good.api_root},
            {"id": "evil", "name": "x", "client_name": "x", "api_root": "http://example.com/v1"},
            {"id": "../../etc", "name": "x", "client_name": "x", "api_root": "https://a.nl"},
        ],
    }))
    settings = SettingsStore.for_paths(paths).load()
    assert [p.id for p in settings.profiles] == [good.id]


@pytest.mark.parametrize("url", ["http://api.example.nl/v1", "ftp://x/v1", "api.example.nl", "",
                                 "https://user:pw@api.example.nl/v1"])
def test_unsafe_api_roots_are_refused(url):
    with pytest.raises(ProfileError):
        normalize_api_root(url)


@pytest.mark.parametrize("url", ["https://api.voordemensen.nl/v1/", "http://127.0.0.1:8787/v1",
                                 "http://localhost:1/v1"])
def test_safe_api_roots_are_accepted(url):
    assert normalize_api_root(url) == url.rstrip("/")


def test_profile_data_dirs_are_separate(paths):
    a, b = _two_venues().profiles
    assert a.data_dir(paths) != b.data_dir(paths)
    assert a.data_dir(paths).parent == paths.data_dir / "profiles"
    assert DEMO_PROFILE.data_dir(paths).name == "demo"


def test_profile_repr_holds_no_key_field():
    fields = set(Profile.__dataclass_fields__)
    assert fields == {"id", "name", "client_name", "api_root", "demo"}
