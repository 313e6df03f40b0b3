"""The API key never leaves the process: not in a file, a log, stdout/stderr, an error or a repr.

A recognisable key is used everywhere (the simulator is started with it). The desktop app runs as a
real child process (offscreen, ``--benchmark-startup`` quits after the first painted event list)
with a live profile whose key sits in a file-less test keyring (``tests.support.memkeyring.EnvKeyring``); the
command line runs in-process with ``BOXOFFICE_API_KEY``; a sale runs through the SaleService and
journal under the same ``BOXOFFICE_HOME``, with faults so the error paths log too. Afterwards every
file under ``BOXOFFICE_HOME`` and everything printed or logged (DEBUG level) is searched for the key
and its base64 forms (Basic-auth ``key:`` and any alignment of the key inside a base64 blob).
"""
from __future__ import annotations

import asyncio
import base64
import io
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from boxoffice import cli
from boxoffice.api import ApiKey, VdmClient, errors
from boxoffice.config import Profile, Settings, SettingsStore, app_paths
from boxoffice.demo import SimulatorServer
from boxoffice.services.sale import PerformanceInfo, Phase, SaleService
from boxoffice.store.journal import SaleJournal, journal_path
from tests.support.relkit import fast_poller

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROFILE_ID = "venue-test"


def make_key() -> str:
    return "VDMKEY" + secrets.token_hex(14)


def needles(key: str) -> dict[str, bytes]:
    raw = key.encode()
    found = {"key": raw, "basic": base64.b64encode(raw + b":"), "b64": base64.b64encode(raw)}
    for shift in range(3):  # the key inside any longer base64 blob, at each alignment
        enc = base64.b64encode(b"\0" * shift + raw)
        found[f"b64-core-{shift}"] = enc[4 if shift else 0:-4]
    found["urlsafe"] = base64.urlsafe_b64encode(raw + b":")
    return found


def leaks_in(data: bytes, key: str) -> list[str]:
    return [name for name, needle in needles(key).items() if needle in data]


def scan_tree(root: Path, key: str) -> dict[str, list[str]]:
    hits = {}
    for path in root.rglob("*"):
        if path.is_file():
            found = leaks_in(path.read_bytes(), key)
            if found:
                hits[str(path.relative_to(root))] = found
    return hits


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def key():
    return make_key()


@pytest.fixture
def debug_log():
    """Every log record of the process, formatted with tracebacks, at DEBUG."""
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield buf
    root.removeHandler(handler)
    root.setLevel(old)


def test_needles_find_a_planted_key(tmp_path, key):
    """The scanner itself can fail: a planted raw, Basic or embedded-base64 key is found."""
    (tmp_path / "a").write_bytes(b"x" + key.encode())
    (tmp_path / "b").write_bytes(b"Authorization: Basic " + base64.b64encode(key.encode() + b":"))
    (tmp_path / "c").write_bytes(base64.b64encode(b"header=" + key.encode() + b";rest"))
    (tmp_path / "d").write_bytes(b"nothing here")
    hits = scan_tree(tmp_path, key)
    assert set(hits) == {"a", "b", "c"}


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_desktop_app_with_a_live_profile_writes_and_prints_no_key(tmp_path, key):
    home = tmp_path / "home"
    with SimulatorServer(seed=1, api_key=key) as sim:
        paths = app_paths(home).ensure()
        profile = Profile(PROFILE_ID, "Test venue", sim.client_name, sim.base_url)
        SettingsStore.for_paths(paths).save(Settings([profile], PROFILE_ID, "en"))
        # error paths log too: the first event list requests fail once
        sim.faults.inject("5xx", method="GET", path="*/events*", count=1)
        env = dict(os.environ)
        env.pop("BOXOFFICE_API_KEY", None)
        env.update({
            "BOXOFFICE_HOME": str(home),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "tests.support.memkeyring.EnvKeyring",
            "VDM_TEST_KEYRING": json.dumps({"vdm-boxoffice": {PROFILE_ID: key}}),
            "VDM_TEST_KEYRING_TRACE": "1",
            "PYTHONPATH": str(ROOT),
        })
        done = subprocess.run(
            [sys.executable, "main.py", "--benchmark-startup", "--profile", PROFILE_ID],
            cwd=ROOT, env=env, capture_output=True, timeout=100)
        seen = sim.requests()
    out = done.stdout + done.stderr
    assert done.returncode == 0, out.decode(errors="replace")[-3000:]
    painted = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert painted["performances"] > 0  # it really ran the live profile against the simulator
    assert any("/events" in r.path for r in seen)
    # the app really read the key from the keyring (the trace names the entry, not the value)
    assert f"memkeyring: read vdm-boxoffice/{PROFILE_ID} -> found".encode() in done.stderr
    assert leaks_in(out, key) == []
    assert scan_tree(home, key) == {}, files_under(home)
    assert (home / "logs").exists() and any((home / "logs").iterdir())  # the log was written


@pytest.mark.timeout(60)
def test_command_line_prints_and_writes_no_key(tmp_path, key, capsys, monkeypatch, debug_log,
                                               network_audit):
    home = tmp_path / "home"
    monkeypatch.setenv("BOXOFFICE_HOME", str(home))
    monkeypatch.setenv("BOXOFFICE_API_KEY", key)
    with SimulatorServer(seed=1, api_key=key, auto_pay_after=0.2) as sim:
        common = ["--api-url", sim.base_url, "--client", sim.client_name, "--timeout", "3"]
        perf = sim.catalog.find("theatre")
        assert cli.main(["check", *common]) == 0
        first = capsys.readouterr()
        assert cli.main(["seating", str(perf.event_id), *common, "--json"]) == 0
        second = capsys.readouterr()
        plan = json.loads(second.out)
        seats = [s["seatId"] for sec in plan["sections"] for row in sec["rows"]
                 for s in row["seats"] if s["available"]][:2]
        # a dropped answer and a 5xx on the way: the reconciling paths log as well
        sim.faults.inject("drop_after", method="POST", path="*/peppered/cart/*")
        sim.faults.inject("5xx", method="GET", path="*/order/*")
        code = cli.main(["sell", str(perf.event_id), "--seat", *seats, "--payment-method", "31",
                         "--wait", "10", "--json", *common])
        assert code == 0
        with SimulatorServer(seed=1, api_key=make_key()) as other:  # refuses our key: 401
            assert cli.main(["check", "--api-url", other.base_url, "--client", "demo"]) == 3
    captured = capsys.readouterr()
    printed = first.out + first.err + second.out + second.err + captured.out + captured.err
    text = (printed + debug_log.getvalue()).encode()
    assert '"status": "paid"' in printed  # the sale really went through
    assert "FAIL" in captured.out and "key refused" in captured.out  # the 401 path ran
    assert leaks_in(text, key) == []
    assert scan_tree(home, key) == {}


@pytest.mark.timeout(60)
def test_a_sale_under_faults_journals_and_logs_no_key(tmp_path, key, debug_log):
    home = tmp_path / "home"
    paths = app_paths(home).ensure()
    profile = Profile(PROFILE_ID, "Test venue", "demo", "http://127.0.0.1:1/v1")

    async def sell(sim) -> None:
        client = VdmClient(sim.base_url, sim.client_name, ApiKey(key), timeout=2)
        journal = SaleJournal.open(journal_path(profile.data_dir(paths)))
        sale = SaleService(client, journal, demo=True, poller_factory=fast_poller())
        try:
            perf = sim.catalog.find("theatre")
            sale.remember_performance(PerformanceInfo(perf.event_id, "Hamlet"))
            plan = await sale.load_seat_plan(perf.event_id)
            seats = [s.seat_id for _, _, s in plan.seats() if s.available][:2]
            sim.faults.inject("drop_after", method="POST", path="*/peppered/cart/*")
            sim.faults.inject("5xx", method="POST", path="*/order/create")
            assert (await sale.add_seats(perf.event_id, seats)).ok
            await sale.create_customer("buyer@example.org", "Ann", "Buyer")
            await sale.payment_methods()
            sale.select_payment_method(31)
            snap = await asyncio.wait_for(sale.pay(wait=True), 20)
            # the 5xx came before anything was made and the order list shows no order: that is
            # established (never sent again by the client); the cashier pays again
            assert snap.phase == Phase.OPEN and snap.order is None
            snap = await asyncio.wait_for(sale.pay(wait=True), 20)
            assert snap.phase == Phase.PAID
            repr(snap), str(snap)
            logging.getLogger("test").info("snapshot %r service %r journal %r", snap, sale, journal)
        finally:
            await sale.aclose()
            await client.aclose()
            journal.close()

    with SimulatorServer(seed=1, api_key=key, auto_pay_after=0.3) as sim:
        asyncio.run(sell(sim))
    assert any(p.name.startswith("sales.sqlite3") for p in profile.data_dir(paths).iterdir())
    assert leaks_in(debug_log.getvalue().encode(), key) == []
    assert scan_tree(home, key) == {}


def test_reprs_and_errors_never_show_the_key(tmp_path, key, monkeypatch):
    import keyring

    from boxoffice.credentials import CredentialStore
    from boxoffice.services.session import BoxOfficeSession, SessionOptions
    from tests.support.memkeyring import MemoryKeyring

    api_key = ApiKey(key)
    for text in (repr(api_key), str(api_key), f"{api_key}", f"{api_key!r:>40}"):
        assert key not in text
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with SimulatorServer(seed=1, api_key=key) as sim:
            profile = Profile(PROFILE_ID, "Test venue", sim.client_name, sim.base_url)
            settings = Settings([profile], PROFILE_ID, "en")
            store = CredentialStore()
            store.set(PROFILE_ID, api_key)
            paths = app_paths(tmp_path / "home").ensure()

            async def inspect() -> list[object]:
                session = await BoxOfficeSession.open(
                    profile, paths, store, options=SessionOptions(start_background=False))
                try:
                    assert session.api_key == api_key  # it really holds the key
                    client = session.client
                    journal = SaleJournal.in_memory()
                    sale = SaleService(client, journal, demo=True)
                    objects = [settings, profile, client, api_key, sim, session, sale,
                               sale.snapshot(), journal, store, paths, vars(session)]
                    await sale.aclose()
                    return objects
                finally:
                    await session.aclose()

            objects = asyncio.run(inspect())
    finally:
        keyring.set_keyring(previous)
    for obj in objects:
        assert key not in repr(obj), type(obj).__name__
        assert key not in str(obj), type(obj).__name__


def _mock_client(key: str, handler) -> VdmClient:
    return VdmClient("https://vdm.invalid/v1", "venue", ApiKey(key),
                     transport=httpx.MockTransport(handler))


def test_a_server_echoing_the_key_in_its_message_is_redacted(key):
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == key  # sent, as it must be
        return httpx.Response(401, json={"message": f"Key {key} is not valid"})

    async def go() -> errors.VdmError:
        async with _mock_client(key, handler) as client:
            with pytest.raises(errors.AuthError) as info:
                await client.peppered.halls()
        return info.value

    exc = asyncio.run(go())
    assert key not in str(exc) and key not in repr(exc) and key not in (exc.message or "")


def test_a_server_echoing_the_key_in_a_field_is_redacted(key):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[{"hallId": request.headers["Authorization"],
                                          "hallName": "Zaal"}])

    async def go() -> errors.VdmError:
        async with _mock_client(key, handler) as client:
            with pytest.raises(errors.BadResponse) as info:
                await client.peppered.halls()
        return info.value

    exc = asyncio.run(go())
    assert key not in str(exc) and key not in repr(exc)
