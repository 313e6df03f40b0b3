"""Where the app keeps its files, and the venue profiles and settings saved there.

Owns :class:`AppPaths` (platformdirs folders, overridable with ``BOXOFFICE_HOME`` for tests and
portable installs), :class:`Profile` (one venue: name, client name, API root; never the key,
which lives only in the OS keychain via :mod:`boxoffice.credentials`), :class:`Settings` and
:class:`SettingsStore` (a small JSON file, written atomically with mode 0600). The shift report's
business-day start (:data:`DEFAULT_DAY_START`, 06:00) is a setting of its own in the same file,
read and written with :meth:`SettingsStore.day_start` / :meth:`SettingsStore.set_day_start`
and kept when the rest of the settings is saved.

The built-in :data:`DEMO_PROFILE` (an embedded simulator) is used when no live profile is
configured; it is always offered but never written to the settings file.
"""
from __future__ import annotations

import json
import logging
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import time as clock_time
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import PlatformDirs

from boxoffice.api.urls import host_is_loopback
from boxoffice.i18n import _
from boxoffice.store.files import aside_stamp, atomic_write_text, ensure_private_dir

log = logging.getLogger(__name__)

APP_NAME = "vdm-boxoffice"
HOME_ENV = "BOXOFFICE_HOME"
DEFAULT_API_ROOT = "https://api.voordemensen.nl/v1"
SETTINGS_FILE = "settings.json"
SETTINGS_VERSION = 1

#: when a business day starts for the shift report (a late shift 19:00–01:00 stays in one day)
DEFAULT_DAY_START = clock_time(6, 0)
DAY_START_KEY = "day_start"
#: the screen the customer display opens on (its name, as the system calls it)
CUSTOMER_SCREEN_KEY = "customer_display_screen"
_DAY_START = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")

_PROFILE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
_CLIENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


# --------------------------------------------------------------------------- paths

@dataclass(frozen=True)
class AppPaths:
    """The app's folders. Create them with :meth:`ensure` before writing."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    cache_dir: Path

    def ensure(self) -> AppPaths:
        for folder in (self.config_dir, self.data_dir, self.log_dir, self.cache_dir):
            ensure_private_dir(folder)
        return self

    @property
    def settings_file(self) -> Path:
        return self.config_dir / SETTINGS_FILE


def app_paths(home: str | os.PathLike[str] | None = None) -> AppPaths:
    """The platform folders, or four subfolders of *home* / ``$BOXOFFICE_HOME`` when set."""
    root = home if home is not None else os.environ.get(HOME_ENV)
    if root:
        base = Path(root).expanduser().resolve()
        return AppPaths(base / "config", base / "data", base / "logs", base / "cache")
    dirs = PlatformDirs(APP_NAME, appauthor=False)
    return AppPaths(
        Path(dirs.user_config_dir),
        Path(dirs.user_data_dir),
        Path(dirs.user_log_dir),
        Path(dirs.user_cache_dir),
    )


def parse_day_start(text: str) -> clock_time:
    """``"06:00"`` → 06:00; ValueError when it is not a time of day (HH:MM)."""
    match = _DAY_START.match(str(text).strip())
    if match is None:
        raise ValueError("not a time of day")
    return clock_time(int(match.group(1)), int(match.group(2)))


def format_day_start(value: clock_time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


# --------------------------------------------------------------------------- profiles

class ProfileError(ValueError):
    """A profile field is invalid; ``str(exc)`` is a translated message for the cashier."""


def normalize_api_root(url: str) -> str:
    """Check and tidy an API root: https (or http to this computer only), no trailing slash."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host, parts = None, None
    if parts is None or not host or parts.scheme.lower() not in ("http", "https"):
        raise ProfileError(_("The API address must be a web address starting with https://."))
    if parts.scheme.lower() == "http" and not host_is_loopback(host):
        raise ProfileError(
            _("The API address must use https:// (plain http is only allowed on this computer).")
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ProfileError(_("The API address must not contain a query, fragment or login."))
    return url.rstrip("/")


def normalize_client_name(name: str) -> str:
    """Check the VdM client name (the organisation's short name in the API path)."""
    name = (name or "").strip()
    if not _CLIENT_NAME.match(name):
        raise ProfileError(
            _("The client name may only contain letters, digits, dots, dashes and underscores.")
        )
    return name


@dataclass(frozen=True)
class Profile:
    """One venue the box office can sell for. Holds no secret."""

    id: str
    name: str
    client_name: str
    api_root: str
    demo: bool = False

    def __post_init__(self) -> None:
        if not _PROFILE_ID.match(self.id):
            raise ProfileError(f"invalid profile id {self.id!r}")

    @classmethod
    def new(cls, name: str, client_name: str, api_root: str = DEFAULT_API_ROOT) -> Profile:
        """A new live profile with a fresh id; fields are validated (raises ProfileError)."""
        name = (name or "").strip()
        client_name = normalize_client_name(client_name)
        api_root = normalize_api_root(api_root)
        if not name:
            name = client_name
        slug = re.sub(r"[^a-z0-9]+", "-", client_name.lower()).strip("-")[:30] or "venue"
        return cls(f"{slug}-{uuid.uuid4().hex[:8]}", name, client_name, api_root, False)

    def edited(self, *, name: str | None = None, client_name: str | None = None,
               api_root: str | None = None) -> Profile:
        """A copy with changed fields (validated); the id stays, so the keychain entry does too."""
        if self.demo:
            raise ProfileError(_("The demo profile cannot be changed."))
        return Profile(
            self.id,
            (name if name is not None else self.name).strip() or self.name,
            normalize_client_name(client_name) if client_name is not None else self.client_name,
            normalize_api_root(api_root) if api_root is not None else self.api_root,
            False,
        )

    def data_dir(self, paths: AppPaths) -> Path:
        """This profile's private data folder (offline cache, sale journal)."""
        return paths.data_dir / "profiles" / self.id

    def display_name(self) -> str:
        """The name to show (translated for the demo profile)."""
        return _("Demo venue (simulator)") if self.demo else self.name


#: Built in; its API root is filled in by the session once the embedded simulator listens.
DEMO_PROFILE = Profile(id="demo", name="Demo", client_name="demo", api_root="", demo=True)


# --------------------------------------------------------------------------- settings

@dataclass
class Settings:
    """The saved preferences: live profiles, which one is active, and the UI language."""

    profiles: list[Profile] = field(default_factory=list)
    active_profile_id: str | None = None
    language: str | None = None  # None = follow the OS

    def all_profiles(self) -> list[Profile]:
        """Every profile the cashier can choose: the live ones, then the demo."""
        return [*self.profiles, DEMO_PROFILE]

    def profile(self, profile_id: str | None) -> Profile | None:
        return next((p for p in self.all_profiles() if p.id == profile_id), None)

    def active_profile(self) -> Profile:
        """The chosen profile; the first live one when the choice is gone; else the demo."""
        chosen = self.profile(self.active_profile_id)
        if chosen is not None:
            return chosen
        return self.profiles[0] if self.profiles else DEMO_PROFILE

    def upsert_profile(self, profile: Profile) -> None:
        """Add *profile*, or replace the one with the same id."""
        if profile.demo:
            raise ProfileError(_("The demo profile cannot be changed."))
        for index, existing in enumerate(self.profiles):
            if existing.id == profile.id:
                self.profiles[index] = profile
                return
        self.profiles.append(profile)

    def remove_profile(self, profile_id: str) -> None:
        """Forget a live profile (the caller also deletes its key from the keychain)."""
        self.profiles = [p for p in self.profiles if p.id != profile_id]
        if self.active_profile_id == profile_id:
            self.active_profile_id = None


def _settings_to_json(settings: Settings, extra: dict | None = None) -> str:
    data = {**(extra or {}),
        "version": SETTINGS_VERSION,
        "active_profile_id": settings.active_profile_id,
        "language": settings.language,
        "profiles": [
            {"id": p.id, "name": p.name, "client_name": p.client_name, "api_root": p.api_root}
            for p in settings.profiles
            if not p.demo
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _settings_from_json(text: str) -> Settings:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("settings is not an object")
    if int(data.get("version", SETTINGS_VERSION)) > SETTINGS_VERSION:
        raise ValueError("settings written by a newer version")
    profiles: list[Profile] = []
    for raw in data.get("profiles") or []:
        try:
            profile = Profile(
                str(raw["id"]),
                str(raw["name"]),
                normalize_client_name(str(raw["client_name"])),
                normalize_api_root(str(raw["api_root"])),
                False,
            )
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("skipping an invalid profile in the settings: %s", type(exc).__name__)
            continue
        if profile.id != DEMO_PROFILE.id and all(p.id != profile.id for p in profiles):
            profiles.append(profile)
    active = data.get("active_profile_id")
    language = data.get("language")
    return Settings(
        profiles=profiles,
        active_profile_id=active if isinstance(active, str) else None,
        language=language if isinstance(language, str) and language else None,
    )


class SettingsStore:
    """Reads and writes :class:`Settings` as JSON at *path* (atomic, 0600, no secrets)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        #: set by :meth:`load` when an unreadable file was moved aside (translated text)
        self.recovered_notice: str | None = None

    @classmethod
    def for_paths(cls, paths: AppPaths) -> SettingsStore:
        return cls(paths.settings_file)

    def load(self) -> Settings:
        """The saved settings; defaults when there is no file; a damaged file is moved aside."""
        self.recovered_notice = None
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        except (OSError, UnicodeDecodeError) as exc:
            return self._recover(exc)
        try:
            return _settings_from_json(text)
        except (ValueError, TypeError) as exc:
            return self._recover(exc)

    def save(self, settings: Settings) -> None:
        """Write *settings*; the day start already saved in the file is kept."""
        atomic_write_text(self.path, _settings_to_json(settings, self._own_keys()))

    def _raw(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _own_keys(self) -> dict:
        raw = self._raw()
        return {k: raw[k] for k in (DAY_START_KEY, CUSTOMER_SCREEN_KEY) if isinstance(raw.get(k), str)}

    def customer_screen(self) -> str | None:
        """The name of the screen the customer display opens on; None: not chosen yet."""
        value = self._raw().get(CUSTOMER_SCREEN_KEY)
        return value if isinstance(value, str) and value else None

    def set_customer_screen(self, name: str) -> None:
        """Remember the customer display's screen, keeping everything else in the file."""
        data = self._raw() or json.loads(_settings_to_json(self.load()))
        data[CUSTOMER_SCREEN_KEY] = name
        atomic_write_text(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def day_start(self) -> clock_time:
        """When a business day starts (the shift report); 06:00 unless set."""
        try:
            return parse_day_start(self._raw().get(DAY_START_KEY) or "")
        except ValueError:
            return DEFAULT_DAY_START

    def set_day_start(self, value: clock_time) -> None:
        """Save the day start, keeping everything else in the file as it is."""
        data = self._raw() or json.loads(_settings_to_json(self.load()))
        data[DAY_START_KEY] = format_day_start(value)
        atomic_write_text(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def _recover(self, exc: BaseException) -> Settings:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{aside_stamp()}")
        try:
            os.replace(self.path, aside)
        except OSError:
            aside = self.path
        log.warning("settings file unreadable (%s); moved to %s", type(exc).__name__, aside.name)
        self.recovered_notice = _(
            "The settings file could not be read and was set aside as {file}. "
            "Venue profiles may need to be added again."
        ).format(file=aside.name)
        return Settings()
