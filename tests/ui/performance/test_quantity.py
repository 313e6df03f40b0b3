"""General admission (the seating endpoint answers 404) and public-only profiles (no API key): a
ticket counter per ticket type with prices, a total line, the per-order maximum (event_free) over
all types together, and Enter/"Add to cart" emitting generalAdmissionChosen for the cart side."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import pytest

from boxoffice.api.models import TicketType


def _tt(discount_id: str, name: str, price: str, kind: str = "€", value: str = "0") -> TicketType:
    return TicketType.model_validate({"discount_id": discount_id, "discount_name": name,
                                      "base_price": price, "discount_type": kind,
                                      "discount_value": value, "discounted_price": price})


def test_picker_counts_totals_and_keeps_to_the_per_order_maximum(qtbot):
    from boxoffice.ui.performance import QuantityPicker

    picker = QuantityPicker()
    qtbot.addWidget(picker)
    picker.set_ticket_types([_tt("a", "Standaard", "12.50"), _tt("b", "CJP", "11.50", value="1.00")])
    picker.set_maximum(4)
    picker.show()
    a, b = picker.spin_for("a"), picker.spin_for("b")
    assert picker.total_label.text() == "0 tickets, \u20ac0.00"
    assert picker.limit_label.text() == "At most 4 tickets per order."
    assert not picker.add_button.isEnabled()
    a.setValue(3)
    assert b.maximum() == 1                  # what is left of the maximum
    b.setValue(5)
    assert b.value() == 1 and picker.count() == 4
    assert picker.total_label.text() == "4 tickets, \u20ac49.00"
    assert picker.total() == Decimal("49.00")
    chosen = []
    picker.quantitiesChosen.connect(chosen.append)
    QTest.keyClick(a, Qt.Key.Key_Return)     # Enter in a count adds
    assert chosen == [{"a": 3, "b": 1}]
    assert picker.count() == 0 and a.maximum() == 4   # starts over
    # Nothing chosen: a calm hint, no signal.
    picker.add_button.setEnabled(True)
    picker.request_add()
    assert chosen == [{"a": 3, "b": 1}]
    assert picker.message_text == "Choose how many tickets first."
    # Read-only (sold out / offline): counts disabled, the reason shown, nothing emitted.
    picker.set_read_only(True, "This performance is sold out.")
    assert not a.isEnabled() and not picker.add_button.isEnabled()
    assert picker.message_text == "This performance is sold out."
    picker.set_read_only(False)
    assert a.isEnabled()
    picker.set_maximum(0)
    assert not a.isEnabled()


@pytest.mark.asyncio
async def test_general_admission_opens_the_ticket_counter(app_factory, wait, open_performance):
    controller = app_factory()
    try:
        assert await controller.start()
        sim = controller.session.simulator
        perf = sim.catalog.find("ga", production="Jazz in de Kelder")
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "quantity"
        assert panel.note_text == ""                         # the key is there; GA has no map
        assert panel.picker.heading.text() == "Tickets \u2014 general admission, no numbered seats"
        client = controller.session.client
        types = await client.public.ticket_types(perf.event_id)
        event_free = (await client.public.event(perf.event_id)).event_free
        assert event_free > 0
        picker = panel.picker
        await wait(lambda: len(picker.spins()) == len(types) and picker.maximum == event_free)
        assert len(types) == 2
        assert picker.limit_label.text() == f"At most {event_free} tickets per order."
        first, second = (picker.spin_for(t.discount_id) for t in types)
        assert first.hasFocus()
        first.setValue(event_free)
        second.setValue(2)
        assert second.value() == 0 and picker.count() == event_free   # never above event_free
        first.setValue(2)
        second.setValue(1)
        total = 2 * types[0].discounted_price + types[1].discounted_price
        assert picker.total_label.text() == f"3 tickets, \u20ac{total:.2f}"
        chosen = []
        panel.generalAdmissionChosen.connect(lambda eid, q: chosen.append((eid, q)))
        QTest.keyClick(second, Qt.Key.Key_Return)
        assert chosen == [(perf.event_id, {types[0].discount_id: 2, types[1].discount_id: 1})]
        # F5 re-reads the per-order maximum (the cart side calls refresh_plan() the same way).
        task = panel.refresh_plan()
        assert task is not None
        await task
        assert picker.maximum == event_free
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_profile_without_key_sells_by_count_with_a_note(app_factory, wait, simulator,
                                                             keyless_profile, open_performance):
    sim = simulator()
    profile = keyless_profile(sim)
    controller = app_factory()
    try:
        assert await controller.start()
        assert controller.profile.id == profile.id
        assert not controller.session.has_seat_maps
        perf = sim.catalog.find("theatre")                  # seated, but no key: no map
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "quantity"
        assert panel.note_text == controller.session.public_only_reason
        assert "API key" in panel.note_text and "\n" not in panel.note_text
        assert panel.note_label.isVisible()
        await wait(lambda: len(panel.picker.spins()) > 0)
        assert panel.picker.maximum == perf_free(sim, controller, perf.event_id)
        assert not panel.picker.read_only
    finally:
        await controller.shutdown()


def perf_free(sim, controller, event_id: int) -> int:
    row = next(p for prod in controller.window.browser.model.productions() for p in prod.performances
               if p.event_id == event_id)
    return row.source.event_free
