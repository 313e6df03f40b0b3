"""Issue 15: a key VoordeMensen refuses never leaves a performance unsellable, and what the cashier
reads is plain (no class names, no status codes); the details are one click away."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import pytest

from boxoffice.api import errors
from boxoffice.services.messages import Action, CashierMessage, Severity, message_for


@pytest.fixture
def wrong_key_profile(home):
    """A live venue profile pointing at a simulator, with a key the simulator refuses (401)."""
    from boxoffice.api.secrets import ApiKey
    from boxoffice.config import Profile, SettingsStore
    from boxoffice.credentials import CredentialStore

    def make(sim):
        store = SettingsStore.for_paths(home)
        settings = store.load()
        profile = Profile.new("Verkeerde sleutel", sim.client_name, sim.base_url)
        settings.upsert_profile(profile)
        settings.active_profile_id = profile.id
        store.save(settings)
        CredentialStore().set(profile.id, ApiKey("refused-key-0123456789"))
        return profile

    return make


@pytest.mark.asyncio
async def test_a_refused_key_offers_the_sale_by_number(app_factory, wait, simulator,
                                                      wrong_key_profile, open_performance):
    sim = simulator()
    wrong_key_profile(sim)
    controller = app_factory()
    try:
        assert await controller.start()
        assert controller.session.has_seat_maps           # a key is saved: it is tried
        perf = sim.catalog.find("theatre")                 # seated
        panel = await open_performance(controller, perf.event_id, wait)
        # not "The seating plan could not be loaded: Unauthorized", but the ticket counter
        assert panel.mode == "quantity", panel.message_text
        assert "refused" in panel.note_text and "Settings" in panel.note_text
        for technical in ("Unauthorized", "AuthError", "401", "Unauthenticated"):
            assert technical not in panel.note_text + panel.message_text
        # the session goes on public-only: no more peppered calls with the refused key
        assert not controller.session.has_seat_maps
        assert not controller.session.client.has_api_key
        picker = panel.picker
        await wait(lambda: len(picker.spins()) > 0 and not picker.read_only)
        # the tickets go into the (public) cart
        first = picker.spins()[0]
        first.setValue(2)
        QTest.keyClick(first, Qt.Key.Key_Return)
        sale = controller.sale
        await wait(lambda: len(sale.snapshot.held_lines) == 2)
        assert sale.area.message.text == "" or "refused" not in sale.area.message.text
    finally:
        await controller.shutdown()


def test_the_message_line_keeps_details_behind_a_toggle(qtbot):
    from boxoffice.ui.cart.message_line import MessageLine

    line = MessageLine()
    qtbot.addWidget(line)
    line.show()
    exc = errors.BadResponse("expected an array, got dict", endpoint="GET /peppered/seating/95",
                             field="sections[0].rows[2].seats[1].seatId")
    line.show_message(message_for(exc, operation="load"))
    assert "BadResponse" not in line.text and "seatId" not in line.text
    assert line.details_button.isVisible() and not line.details_label.isVisible()
    line.details_button.click()
    assert line.details_label.isVisible()
    assert "BadResponse" in line.details and "sections[0].rows[2].seats[1].seatId" in line.details
    # a message without details has no toggle
    line.show_message(CashierMessage("Added.", Action.NONE, Severity.INFO))
    assert not line.details_button.isVisible() and not line.details_label.isVisible()


def test_the_error_dialog_main_text_has_no_class_name(qtbot):
    from boxoffice.ui.errors import ExceptionReporter

    reporter = ExceptionReporter()
    try:
        exc = errors.BadResponse("truncated JSON", endpoint="GET /events")
        reporter._show(exc)
        dialog = next(iter(reporter.dialogs.values()))
        assert "BadResponse" not in dialog.message.text()
        assert "could not read" in dialog.message.text()
        assert not dialog.summary.isVisible()
        dialog.toggle_button.click()
        assert dialog.summary.isVisible() and "BadResponse" in dialog.summary.text()
    finally:
        reporter.close_all()


@pytest.mark.asyncio
async def test_the_status_line_never_names_an_error_class(app_factory, wait, simulator,
                                                         live_profile):
    sim = simulator()
    live_profile(sim)
    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        await wait(lambda: window.browser.model.performance_count() > 0)
        # the event list answers a body that cannot be read (every try)
        sim.faults.inject("malformed", method="GET", path="*/events*", count=20)
        controller.refresh()
        await wait(lambda: "could not be updated" in window.status_label.text())
        text = window.status_label.text()
        assert "BadResponse" not in text and "Error" not in text and "/events" not in text
        assert "could not read" in text
    finally:
        sim.faults.clear()
        await controller.shutdown()
