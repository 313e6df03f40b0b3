"""Fixtures for the desktop shell tests: offscreen Qt, a qasync loop for async tests, an in-memory
keychain, a private BOXOFFICE_HOME per test, and helpers to drive the real app controller against
the real simulator over loopback."""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

import asyncio
import functools
import gc
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

import keyring
import pytest
import qasync

from boxoffice import i18n
from boxoffice.config import AppPaths, SettingsStore, app_paths
from tests.support.memkeyring import MemoryKeyring


def pytest_asyncio_loop_factories(config, item):  # noqa: ARG001 - pytest-asyncio hook
    """Async tests in tests/ui run on a qasync loop over the (single) QApplication."""
    return {"qasync": lambda: qasync.QEventLoop(QApplication.instance() or QApplication([]))}


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def app_look(qapp):
    """The font and style sheet main() gives the application (restored afterwards)."""
    from tests.support.salehelpers import app_look_applied

    with app_look_applied(qapp):
        yield


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring) -> AppPaths:
    monkeypatch.setenv("BOXOFFICE_HOME", str(tmp_path / "home"))
    return app_paths().ensure()


@pytest.fixture
def app_factory(home: AppPaths):
    """Build AppControllers on the running qasync loop; every one is shut down at the end."""
    from boxoffice.api.retry import RetryPolicy
    from boxoffice.credentials import CredentialStore
    from boxoffice.services.session import BoxOfficeSession, SessionOptions
    from boxoffice.ui.controller import AppController
    from boxoffice.ui.errors import ExceptionReporter

    made: list = []

    def make(*, demo_server_factory: Callable | None = None, force_demo: bool = False,
             profile_id: str | None = None, backoff=(0.2,), timeout: float = 3.0):
        options = SessionOptions(timeout=timeout, retry=RetryPolicy.never(), backoff=tuple(backoff),
                                 refresh_interval=3600)
        opener = functools.partial(BoxOfficeSession.open, options=options)
        reporter = ExceptionReporter()
        controller = AppController(paths=home, settings_store=SettingsStore.for_paths(home),
                                   credentials=CredentialStore(), reporter=reporter,
                                   profile_id=profile_id, force_demo=force_demo,
                                   session_opener=opener, demo_server_factory=demo_server_factory)
        made.append(controller)
        return controller

    yield make
    for controller in made:  # tests shut their controllers down; this only frees the widgets
        assert controller._closed, "a test left an AppController running"
        controller.window.deleteLater()


@pytest.fixture
def live_profile(home: AppPaths):
    """Save a live venue profile pointing at a simulator (and its key in the memory keychain)."""
    from boxoffice.api.secrets import ApiKey
    from boxoffice.config import Profile
    from boxoffice.credentials import CredentialStore

    def make(sim, name: str = "Stadsschouwburg Test", active: bool = True) -> Profile:
        store = SettingsStore.for_paths(home)
        settings = store.load()
        profile = Profile.new(name, sim.client_name, sim.base_url)
        settings.upsert_profile(profile)
        if active:
            settings.active_profile_id = profile.id
        store.save(settings)
        CredentialStore().set(profile.id, ApiKey(sim.api_key))
        return profile

    return make


@pytest.fixture
def simulator():
    """A real simulator on loopback, stopped at the end (restartable on the same port)."""
    from boxoffice.demo import SimulatorServer

    started: list = []

    def start(port: int = 0, **kwargs):
        sim = SimulatorServer(seed=kwargs.pop("seed", 1), port=port, **kwargs)
        sim.start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


async def wait_for(predicate: Callable[[], object], timeout: float = 10.0, step: float = 0.02) -> None:
    """Poll on the qasync loop (never qtbot.waitUntil inside an async test)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s: {predicate}")
        await asyncio.sleep(step)


@pytest.fixture
def wait():
    return wait_for


@pytest.fixture
def events_factory():
    return make_events


def make_events(today, count_per_show: int = 3):
    """Hand-made public API events around ``today`` (a date), as the client parses them."""
    import datetime as dt

    from boxoffice.api.models import MainEvent

    def sub(event_id, main_id, name, day, time="20:00:00", hall="Grote Zaal", status="pub", free=10):
        return {"event_id": event_id, "event_main_id": main_id, "event_name": name,
                "event_date": day.isoformat(), "event_time": time, "event_end": "22:00:00",
                "event_view_end": "0000-00-00 00:00:00", "event_rep": "sub", "event_free": free,
                "event_status": status, "location_id": 1, "location_name": hall}

    d = lambda n: today + dt.timedelta(days=n)  # noqa: E731
    raw = [
        {"event_id": 100, "event_name": "Hamlet", "event_short_text": "Toneelgroep Noord",
         "event_text": "<p>Shakespeare's <b>classic</b>.<script>alert(1)</script></p>",
         "sub_events": [sub(101, 100, "Hamlet", d(0)), sub(102, 100, "Hamlet", d(1), free=0),
                        sub(103, 100, "Hamlet", d(-2))]},
        {"event_id": 200, "event_name": "Café Chantant", "event_short_text": "Cabaret",
         "event_text": "Plain text\nwith lines",
         "sub_events": [sub(201, 200, "Café Chantant", d(1), "14:30:00", hall="Kleine Zaal"),
                        sub(202, 200, "Café Chantant", d(9), hall="Kleine Zaal", status="nosal")]},
        {"event_id": 300, "event_name": "Nieuwjaarsconcert", "event_short_text": "",
         "sub_events": [sub(301, 300, "Nieuwjaarsconcert", d(40), hall="Concertzaal")]},
        {"event_id": 400, "event_name": "Empty production", "sub_events": []},
    ]
    return [MainEvent.model_validate(e) for e in raw]


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread():
    """Collect cyclic garbage only here, on the GUI thread (see boxoffice/ui/gc_guard.py).

    Without it a collection triggered on a simulator thread can destroy a Qt object there; a later
    timer event then hits freed memory and the test process dies with a segmentation fault.
    """
    gc.disable()
    yield
    gc.collect()
    gc.enable()


@pytest.fixture
def browser(monkeypatch):
    """The system browser replaced: ``browser.opened`` lists what the app asked it to open."""
    from PySide6.QtGui import QDesktopServices

    from tests.support.browser import Browser

    fake = Browser()
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake))
    return fake


@pytest.fixture
def demo_app(app_factory):
    """``make(**simulator_kwargs)`` → an AppController on the demo profile whose embedded
    simulator takes these settings (auto_pay_after, hold_seconds, ...; no automatic payment
    unless asked)."""
    from boxoffice.demo import SimulatorServer

    def make(**sim_kwargs):
        sim_kwargs.setdefault("auto_pay_after", None)
        return app_factory(demo_server_factory=lambda: SimulatorServer(
            seed=1, client_name="demo", **sim_kwargs))

    return make
