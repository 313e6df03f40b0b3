"""``python -m boxoffice orders sync | find | door-list`` in real subprocesses against the
simulator: the index in the profile's data folder, ``find`` from the index alone."""
from __future__ import annotations

import json
import os
import re
import stat
from decimal import Decimal

import pytest

from boxoffice.demo import SimulatorServer

from .test_cli import run_cli


@pytest.fixture(scope="module")
def sim():
    with SimulatorServer(seed=1) as server:
        yield server


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return {"BOXOFFICE_HOME": str(tmp_path_factory.mktemp("home"))}


@pytest.fixture(scope="module")
def synced(sim, home):
    env = {**home, "BOXOFFICE_API_KEY": sim.api_key}
    proc = run_cli("orders", "sync", "--api-url", sim.base_url, "--client", sim.client_name,
                   "--json", env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _find(sim, home, *query: str, api_url: str | None = None):
    return run_cli("orders", "find", *query, "--api-url", api_url or sim.base_url, "--client",
                   sim.client_name, "--json", env=home)


def test_sync_fills_the_index_in_the_profiles_data_folder(sim, home, synced):
    assert synced["full"] and synced["skipped"] == 0
    assert synced["orders"] == synced["added"] > 1000
    path = synced["index"]
    assert path.startswith(home["BOXOFFICE_HOME"])
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_find_json_lists_the_orders_with_the_documented_fields(sim, home, synced):
    proc = _find(sim, home, "anna.devries@example.org")
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    truth = {o["orderKey"]: o for o in sim.online_orders()}
    assert found
    for item in found:
        assert item["email"] == "anna.devries@example.org"
        assert item["name"] == "Anna de Vries"
        assert re.fullmatch(r"-?\d+\.\d{2}", item["amount"])
        api = truth.get(item["order_key"])
        if api is None:
            continue   # a counter order of hers
        assert item["order_id"] == api["orderId"]
        assert item["status"] == api["orderStatus"]
        assert item["payment_status"] == api["orderPaymentStatus"]
        assert Decimal(item["amount"]) == Decimal(str(api["amount"]))
        assert [(s["event_id"], s["row"], s["seat"]) for s in item["seats"]] == [
            (s["eventId"], "" if s["rowNr"] is None else str(s["rowNr"]),
             "" if s["seatNr"] is None else str(s["seatNr"])) for s in api["seats"]]


def test_find_answers_from_the_index_without_the_network(sim, home, synced):
    key = next(o["orderKey"] for o in sim.online_orders())
    closed = "http://127.0.0.1:9/v1"
    proc = _find(sim, home, key, api_url=closed)
    assert proc.returncode == 0, proc.stderr
    assert [o["order_key"] for o in json.loads(proc.stdout)] == [key]


def test_find_exits_3_when_nothing_matches(sim, home, synced):
    proc = _find(sim, home, "qqqzzzxxx")
    assert proc.returncode == 3
    assert json.loads(proc.stdout) == []
    plain = run_cli("orders", "find", "qqqzzzxxx", "--client", sim.client_name, env=home)
    assert plain.returncode == 3 and "no order matches" in plain.stderr


def test_door_list_csv(sim, home, synced):
    order = next(o for o in sim.online_orders() if o["orderStatus"] == "ord" and o["seats"])
    event_id = order["seats"][0]["eventId"]
    proc = run_cli("orders", "door-list", str(event_id), "--csv", "--client", sim.client_name,
                   env=home)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("Name,E-mail,Order key,Status,Tickets,Seats")
    assert any(order["orderKey"] in line for line in lines[1:])


def test_sync_without_a_key_says_it_needs_the_venues_key(sim, tmp_path):
    proc = run_cli("orders", "sync", "--api-url", sim.base_url, "--client", sim.client_name,
                   env={"BOXOFFICE_HOME": str(tmp_path),
                        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"})
    assert proc.returncode == 3
    assert "API key" in proc.stderr
