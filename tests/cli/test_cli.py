"""The command line end to end, in real subprocesses, against the embedded or a standalone simulator."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from boxoffice.demo import SimulatorServer

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.pop("BOXOFFICE_API_KEY", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "boxoffice", *args], capture_output=True, text=True,
                          cwd=ROOT, env=full_env, timeout=timeout)


@pytest.fixture(scope="module")
def sim():
    with SimulatorServer(seed=1, auto_pay_after=1.0) as server:
        yield server


@pytest.fixture()
def home(tmp_path):
    return {"BOXOFFICE_HOME": str(tmp_path)}


def _payment_id(sim, name: str) -> int:
    methods = json.loads(run_cli("paymentmethods", "--api-url", sim.base_url, "--client",
                                 sim.client_name, "--json").stdout)
    return next(m["payment_id"] for m in methods if m["payment_desc"] == name)


def test_sell_demo_wait_ends_paid(home):
    # The acceptance command, with ids discovered through the CLI itself.
    events = json.loads(run_cli("events", "--demo", "--json", "--upcoming", env=home).stdout)
    sub = next(s for m in events for s in m["sub_events"]
               if s["event_status"] == "pub" and s["event_free"] >= 2)
    types = json.loads(run_cli("tickettypes", str(sub["event_id"]), "--demo", "--json", env=home).stdout)
    methods = json.loads(run_cli("paymentmethods", "--demo", "--json", env=home).stdout)
    cash = next(m["payment_id"] for m in methods if m["payment_desc"] == "Cash")
    ticket_type = types[0]["discount_id"]

    proc = run_cli("sell", str(sub["event_id"]), "--ticket-type", ticket_type, "--quantity", "2",
                   "--payment-method", str(cash), "--demo", "--wait", "30", "--json", env=home)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "paid"
    assert len(result["tickets"]) == 2
    assert all(t["event_id"] == sub["event_id"] for t in result["tickets"])
    assert Decimal(result["total"]) == Decimal(types[0]["discounted_price"]) * 2
    assert result["payment_url"].startswith("http://127.0.0.1:")
    assert len(result["order_key"].split("-")) == 4


def test_sell_specific_seats_against_standalone_simulator(sim, home):
    seated = sim.catalog.find("seated").event_id
    plan = json.loads(run_cli("seating", str(seated), "--api-url", sim.base_url, "--client",
                              sim.client_name, "--json", env={**home, "BOXOFFICE_API_KEY": sim.api_key}).stdout)
    free = [s for sec in plan["sections"] for row in sec["rows"] for s in row["seats"] if s["available"]][:2]
    proc = run_cli("sell", str(seated), "--seat", *[s["seatId"] for s in free],
                   "--payment-method", str(_payment_id(sim, "PIN")), "--api-url", sim.base_url,
                   "--client", sim.client_name, "--wait", "20", "--json",
                   env={**home, "BOXOFFICE_API_KEY": sim.api_key})
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "paid"
    assert len(result["tickets"]) == 2
    # The seats are sold now: the plan shows them unavailable.
    after = json.loads(run_cli("seating", str(seated), "--api-url", sim.base_url, "--client",
                               sim.client_name, "--json", env={**home, "BOXOFFICE_API_KEY": sim.api_key}).stdout)
    taken = {s["seatId"]: s["available"] for sec in after["sections"] for row in sec["rows"]
             for s in row["seats"]}
    assert [taken[s["seatId"]] for s in free] == [False, False]


def test_wait_times_out_with_exit_4(home):
    with SimulatorServer(seed=2) as sim:  # no auto-pay: nobody pays
        sub = sim.catalog.find("ga").event_id
        types = json.loads(run_cli("tickettypes", str(sub), "--api-url", sim.base_url, "--client",
                                   sim.client_name, "--json", env=home).stdout)
        proc = run_cli("sell", str(sub), "--ticket-type", types[0]["discount_id"], "--quantity", "1",
                       "--payment-method", str(_payment_id(sim, "iDEAL")), "--api-url", sim.base_url,
                       "--client", sim.client_name, "--wait", "1.5", "--json", env=home)
    assert proc.returncode == 4, proc.stderr
    assert json.loads(proc.stdout)["status"] == "none"


def test_api_error_is_one_line_exit_3(sim, home):
    proc = run_cli("tickettypes", "999999", "--api-url", sim.base_url, "--client", sim.client_name, env=home)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "not found" in proc.stderr.lower()


def test_unreachable_is_exit_3(home):
    proc = run_cli("events", "--api-url", "http://127.0.0.1:9/v1", "--client", "demo", "--timeout", "2",
                   env=home)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr


def test_plain_http_to_remote_host_refused(home):
    proc = run_cli("events", "--api-url", "http://example.invalid/v1", env=home)
    assert proc.returncode == 3
    assert "http" in proc.stderr.lower()


def test_usage_errors_exit_2(home):
    assert run_cli("sell", "95", "--payment-method", "1", env=home).returncode == 2
    assert run_cli("frobnicate", env=home).returncode == 2


def test_check_reports_each_part(sim, home):
    good = run_cli("check", "--api-url", sim.base_url, "--client", sim.client_name, "--json",
                   env={**home, "BOXOFFICE_API_KEY": sim.api_key})
    assert good.returncode == 0, good.stdout + good.stderr
    assert json.loads(good.stdout)["peppered"]["ok"] is True

    nokey = json.loads(run_cli("check", "--api-url", sim.base_url, "--client", sim.client_name,
                               "--json", env=home).stdout)
    assert nokey["public"]["ok"] is True and nokey["key"]["ok"] is False

    bad = run_cli("check", "--api-url", sim.base_url, "--client", sim.client_name, "--json",
                  env={**home, "BOXOFFICE_API_KEY": "wrong-key-123"})
    assert bad.returncode == 3
    report = json.loads(bad.stdout)
    assert report["peppered"]["ok"] is False and "refused" in report["peppered"]["detail"]
    assert "wrong-key-123" not in bad.stdout + bad.stderr

    unknown = json.loads(run_cli("check", "--api-url", sim.base_url, "--client", "nosuchvenue",
                                 "--json", env=home).stdout)
    assert unknown["public"]["ok"] is False and "unknown client" in unknown["public"]["detail"]
