"""Issue 15, first contact: the Settings connection test reads every endpoint the box office uses
(read-only) and keeps the technical report for support behind "Show details"; never the key."""
from __future__ import annotations

import pytest

from boxoffice.config import SettingsStore
from boxoffice.credentials import CredentialStore
from boxoffice.services.connection_test import Check, check_connection
from boxoffice.ui.settings.dialog import SettingsDialog
from boxoffice.ui.tasks import TaskTracker


def make_dialog(qtbot, home, tracker):
    store = SettingsStore.for_paths(home)
    dialog = SettingsDialog(store.load(), store, CredentialStore(), tracker, None)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def fill(dialog, qtbot, client, url, key):
    dialog.new_profile()
    qtbot.keyClicks(dialog.name_edit, "Eerste contact")
    qtbot.keyClicks(dialog.client_edit, client)
    dialog.url_edit.setText(url)
    qtbot.keyClicks(dialog.key_edit, key)


@pytest.mark.asyncio
async def test_the_connection_test_walks_every_endpoint_and_shows_the_report_on_request(
        qtbot, home, memory_keyring, simulator, wait):
    sim = simulator()
    tracker = TaskTracker()
    try:
        dialog = make_dialog(qtbot, home, tracker)
        carts_before = len(sim.state.carts)
        fill(dialog, qtbot, sim.client_name, sim.base_url, sim.api_key)
        dialog.test_connection()
        await wait(lambda: dialog.test_button.isEnabled()
                   and dialog.result_label.property("ok") == "yes")
        text = dialog.result_label.text()
        assert "key was accepted" in text
        assert "understood" in text or "differently than expected" in text
        # the report: every endpoint, behind the toggle, never the key
        report = dialog.report_text
        for endpoint in ("GET /events/upcoming", "GET /tickettypes/{id}",
                         "GET /peppered/seating/{id}", "POST /peppered/export/orders"):
            assert endpoint in report
        assert sim.api_key not in report and sim.api_key not in text
        assert "GET /" not in text                  # the cashier's text stays plain
        assert not dialog.report_view.isVisible()
        dialog.report_button.click()
        assert dialog.report_view.isVisible()
        assert len(sim.state.carts) == carts_before  # read-only: no cart was made

        # without a key: public part only, peppered "not tried"
        fill(dialog, qtbot, sim.client_name, sim.base_url, "")
        dialog.test_connection()
        assert dialog.report_text == ""             # the old report went with the old test
        await wait(lambda: dialog.test_button.isEnabled()
                   and dialog.result_label.property("ok") == "yes")
        assert "no key given" in dialog.report_text and "GET /paymentmethods" in dialog.report_text
    finally:
        await tracker.aclose()


@pytest.mark.asyncio
async def test_the_connection_report_names_a_route_the_venue_does_not_offer(simulator):
    sim = simulator()
    app = sim._app   # a venue whose API has no peppered event list
    app._peppered = [r for r in app._peppered if r[1].pattern not in ("/event/?",)]
    report = await check_connection(sim.base_url, sim.client_name, sim.api_key)
    assert report.public_ok and report.peppered is Check.OK       # the key works
    assert any("not offered" in m for m in report.messages)
    assert "missing" in report.details and "GET /peppered/event " in report.details
    assert sim.api_key not in report.details + report.summary


@pytest.mark.asyncio
async def test_a_refused_key_is_in_the_report_once_and_never_the_key_itself(simulator):
    sim = simulator()
    wrong = "Refused-Key-For-The-Report-0815"
    report = await check_connection(sim.base_url, sim.client_name, wrong)
    assert report.public_ok and report.peppered is not Check.OK
    assert sum("refused" in m for m in report.messages) == 1
    assert "refused" in report.details and "GET /peppered/paymentmethods" in report.details
    assert wrong not in report.details + report.summary
