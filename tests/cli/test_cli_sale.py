"""The command line's ``sell`` is the app's sale: the same sale service, journal (in the profile's
data folder) and recovery (``boxoffice.services.counter``), and the app's default ticket type."""
from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import pytest

from boxoffice.api import ApiKey, VdmClient
from boxoffice.config import Profile, Settings, SettingsStore, app_paths
from boxoffice.demo import SimulatorServer
from boxoffice.services.counter import Counter
from boxoffice.store.journal import SaleJournal, SaleState, journal_path

from .test_cli import _payment_id, run_cli


@pytest.fixture()
def home(tmp_path):
    # a saved profile makes the CLI look up its key: never in the OS keychain of the test machine
    return {"BOXOFFICE_HOME": str(tmp_path),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def _saved_profile(sim: SimulatorServer, home: dict[str, str]) -> Profile:
    """A live profile for the simulator's client, saved as the app saves it."""
    paths = app_paths(home["BOXOFFICE_HOME"])
    profile = Profile.new("Test venue", sim.client_name, sim.base_url)
    SettingsStore(paths.config_dir / "settings.json").save(Settings(profiles=[profile]))
    return profile


async def _unfinished(sim: SimulatorServer, data_dir) -> list:
    client = VdmClient(api_root=sim.base_url, client_name=sim.client_name,
                       api_key=ApiKey(sim.api_key))
    async with client:
        counter = Counter.open(client, data_dir)
        try:
            return counter.unfinished(set())
        finally:
            await counter.aclose()


def test_a_lost_order_is_journaled_for_the_apps_recovery_with_the_apps_checklist(home):
    with SimulatorServer(seed=3) as sim:
        profile = _saved_profile(sim, home)
        perf = sim.catalog.find("ga")
        tt = sim.catalog.production_of(perf).ticket_types[0]
        cash = _payment_id(sim, "Cash")
        before = set(sim.state.order_keys())
        sim.faults.inject("drop_after", method="POST", path="/order/create")
        proc = run_cli("sell", str(perf.event_id), "--ticket-type", tt.price_id, "--quantity", "2",
                       "--payment-method", str(cash), "--api-url", sim.base_url,
                       "--client", sim.client_name, "--wait", "5", "--json", env=home)
        assert proc.returncode == 3, proc.stdout + proc.stderr
        # the app's "needs attention" checklist, in plain text; no second order
        assert "We could not confirm whether VoordeMensen made the order" in proc.stderr
        assert "checked again at the next start" in proc.stderr
        assert "Traceback" not in proc.stderr
        made = set(sim.state.order_keys()) - before
        assert len(made) == 1
        # the app's recovery finds the unfinished sale in the profile's journal
        data_dir = profile.data_dir(app_paths(home["BOXOFFICE_HOME"]))
        unfinished = asyncio.run(_unfinished(sim, data_dir))
    assert len(unfinished) == 1
    assert unfinished[0].state == SaleState.NEEDS_ATTENTION


def test_a_paid_cli_sale_is_in_the_profiles_journal(home):
    with SimulatorServer(seed=4, auto_pay_after=0.5) as sim:
        profile = _saved_profile(sim, home)
        perf = sim.catalog.find("ga")
        tt = sim.catalog.production_of(perf).ticket_types[0]
        proc = run_cli("sell", str(perf.event_id), "--ticket-type", tt.price_id, "--quantity", "1",
                       "--payment-method", str(_payment_id(sim, "Cash")), "--api-url",
                       sim.base_url, "--client", sim.client_name, "--wait", "20", "--json",
                       env=home)
        assert proc.returncode == 0, proc.stderr
        key = json.loads(proc.stdout)["order_key"]
        data_dir = profile.data_dir(app_paths(home["BOXOFFICE_HOME"]))
        assert asyncio.run(_unfinished(sim, data_dir)) == []
    journal = SaleJournal.open(journal_path(data_dir))
    try:
        sales = journal.all()
    finally:
        journal.close()
    assert [(s.order_key, s.state) for s in sales] == [(key, SaleState.PAID)]


def test_a_quantity_sale_without_a_ticket_type_takes_the_apps_default(home):
    with SimulatorServer(seed=5, auto_pay_after=0.5) as sim:
        perf = sim.catalog.find("ga")
        types = json.loads(run_cli("tickettypes", str(perf.event_id), "--api-url", sim.base_url,
                                   "--client", sim.client_name, "--json", env=home).stdout)
        # the app's quantity picker offers the types in the API's order; the first is the default
        first = types[0]
        proc = run_cli("sell", str(perf.event_id), "--quantity", "2", "--payment-method",
                       str(_payment_id(sim, "Cash")), "--api-url", sim.base_url,
                       "--client", sim.client_name, "--wait", "20", "--json", env=home)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "paid"
    assert [t["ticket_type"] for t in result["tickets"]] == [first["discount_name"]] * 2
    assert Decimal(result["total"]) == Decimal(first["discounted_price"]) * 2
