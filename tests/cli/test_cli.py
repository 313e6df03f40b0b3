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


# --------------------------------------------------------------------------- issue 15
@pytest.mark.parametrize("name", ["", "a/b", "..", "x y", "\u202e"])
def test_a_bad_client_name_is_a_usage_error_not_a_traceback(name, home):
    proc = run_cli("events", "--client", name, "--api-url", "http://127.0.0.1:9/v1", env=home)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "client name" in proc.stderr


def _sim_state_counts(sim):
    return len(sim.state.carts), len(sim.state.order_keys())


def test_check_without_a_key_says_public_works_and_peppered_was_not_tried(sim, home):
    proc = run_cli("check", "--api-url", sim.base_url, "--client", sim.client_name, "--json",
                   env=home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] is True
    assert report["public"]["ok"] is True
    assert report["peppered"]["detail"] == "not tried: no key"
    peppered = [e for e in report["endpoints"] if e["group"] == "peppered"]
    assert peppered and all(e["outcome"] == "not_tried" for e in peppered)
    plain = run_cli("check", "--api-url", sim.base_url, "--client", sim.client_name, env=home)
    assert plain.returncode == 0
    assert "not tried: no key" in plain.stdout and "public part only" in plain.stdout


EXPECTED_READS = {
    "GET /events", "GET /events/upcoming", "GET /events/{id}", "GET /tickettypes/{id}",
    "GET /paymentmethods", "GET /peppered/paymentmethods", "GET /peppered/hall",
    "GET /peppered/event", "GET /peppered/event/{id}", "GET /peppered/seating/{id}",
    "GET /peppered/order", "POST /peppered/export/orders",
}


def test_check_reads_every_endpoint_the_app_uses_and_writes_nothing(sim, home, tmp_path):
    before = _sim_state_counts(sim)
    sim.clear_requests()
    target = tmp_path / "report.json"
    proc = run_cli("check", "--api-url", sim.base_url, "--client", sim.client_name, "--json",
                   "--report", str(target), env={**home, "BOXOFFICE_API_KEY": sim.api_key})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    read = {e["endpoint"] for e in report["endpoints"] if e["outcome"] == "ok"}
    assert EXPECTED_READS <= read, EXPECTED_READS - read
    not_tried = {e["endpoint"] for e in report["endpoints"] if e["outcome"] == "not_tried"}
    assert "GET /cart/{id}" in not_tried                    # no cart exists: none is made
    assert json.loads(target.read_text(encoding="utf-8")) == report
    # read-only: no cart, no order; the only POST is the order export (a read)
    assert _sim_state_counts(sim) == before
    writes = {(r.method, r.path.split("/peppered")[-1]) for r in sim.requests()
              if r.method != "GET" and "/_sim" not in r.path}
    assert writes <= {("POST", "/export/orders")}, writes


def test_the_check_report_never_holds_the_key(sim, home, tmp_path):
    for key, expect in ((sim.api_key, 0), ("Wr0ng-Key-For-The-Report-4711", 3)):
        for as_json in (True, False):
            target = tmp_path / f"report-{expect}-{as_json}.txt"
            args = ["check", "--api-url", sim.base_url, "--client", sim.client_name,
                    "--report", str(target)] + (["--json"] if as_json else [])
            proc = run_cli(*args, env={**home, "BOXOFFICE_API_KEY": key})
            assert proc.returncode == expect, proc.stdout + proc.stderr
            written = target.read_text(encoding="utf-8")
            assert written.strip()
            for text in (proc.stdout, proc.stderr, written):
                assert key not in text
    refused = json.loads((tmp_path / "report-3-True.txt").read_text(encoding="utf-8"))
    assert refused["peppered"]["ok"] is False and "refused" in refused["peppered"]["detail"]
    assert refused["public"]["ok"] is True


def test_check_names_a_route_the_venue_does_not_offer(home):
    with SimulatorServer(seed=3) as server:
        app = server._app   # a venue whose API has no order export
        app._peppered = [r for r in app._peppered if "export/orders" not in r[1].pattern]
        proc = run_cli("check", "--api-url", server.base_url, "--client", server.client_name,
                       "--json", env={"BOXOFFICE_HOME": home["BOXOFFICE_HOME"],
                                      "BOXOFFICE_API_KEY": server.api_key})
    assert proc.returncode == 3, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["missing_endpoints"] == ["POST /peppered/export/orders"]
    export = next(e for e in report["endpoints"] if e["endpoint"] == "POST /peppered/export/orders")
    assert export["outcome"] == "missing" and "404" in export["detail"]
    assert report["public"]["ok"] is True and report["peppered"]["ok"] is False


def test_check_reports_what_a_drifting_server_does_differently(home, tmp_path):
    from boxoffice.demo.faults import DRIFT_VARIANTS

    with SimulatorServer(seed=4) as server:
        server.faults.set(drift=list(DRIFT_VARIANTS))
        target = tmp_path / "first-contact.txt"
        proc = run_cli("check", "--api-url", server.base_url, "--client", server.client_name,
                       "--report", str(target),
                       env={"BOXOFFICE_HOME": home["BOXOFFICE_HOME"],
                            "BOXOFFICE_API_KEY": server.api_key})
        as_json = run_cli("check", "--api-url", server.base_url, "--client", server.client_name,
                          "--json", env={"BOXOFFICE_HOME": home["BOXOFFICE_HOME"],
                                         "BOXOFFICE_API_KEY": server.api_key})
    # the app copes with every variant: all reads succeed, and each deviation is listed
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert target.read_text(encoding="utf-8") == proc.stdout
    assert server.api_key not in proc.stdout + proc.stderr + as_json.stdout
    report = json.loads(as_json.stdout)
    drift = {e["endpoint"]: e for e in report["drift"]["endpoints"]}
    events = drift["GET /events"]
    assert any(f.endswith("x_drift_note") for f in events["unknown_fields"])   # extra fields
    assert events["skipped"] >= 1 and "soon" in events["skips"][0]["reason"]   # bad date
    assert "event_id" in events["coerced"]                                     # ids as text
    assert any("data" in note for note in events["notes"])                     # an envelope
    assert drift["GET /peppered/seating/{id}"]["notes"]                        # no sections
    assert "Deviations from what the box office expects" in proc.stdout
    assert "1 item left out" in proc.stdout or "items left out" in proc.stdout


def test_check_reads_an_existing_cart_when_given_one_and_makes_none(sim, home):
    cart_id = sim.state.create_cart().cart_id       # a cart made elsewhere (the shop, the app)
    before = _sim_state_counts(sim)
    proc = run_cli("check", "--api-url", sim.base_url, "--client", sim.client_name, "--json",
                   "--cart", cart_id, env={**home, "BOXOFFICE_API_KEY": sim.api_key})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    outcomes = {e["endpoint"]: e["outcome"] for e in json.loads(proc.stdout)["endpoints"]}
    assert outcomes["GET /cart/{id}"] == "ok"
    assert outcomes["GET /peppered/cart/{id}"] == "ok"
    assert outcomes["GET /peppered/cart/{id}/summary"] == "ok"
    assert _sim_state_counts(sim) == before
