"""Issue 15: when an item of a list is left out, the screen says how many were left out. The
simulator's drift knob makes one ticket type, one payment method and one seat unreadable; the
performance page's ticket counter, the checkout's payment methods and the seat map each say so
(and still offer the others)."""
from __future__ import annotations

import pytest

from boxoffice.i18n import set_language
from tests.ui.test_drift_ui import drifting_server, open_performance

LEFT_OUT = ["unreadable_ticket_type", "unreadable_payment_method", "unreadable_seat"]


@pytest.mark.asyncio
async def test_left_out_ticket_types_methods_and_seats_are_counted_on_screen(app_factory, wait):
    controller = app_factory(demo_server_factory=drifting_server(LEFT_OUT))
    try:
        assert await controller.start()
        window = controller.window
        sim = controller.session.simulator
        await wait(lambda: window.browser.model.performance_count() > 0)
        on_sale = [p for p in sorted(sim.catalog.performances.values(), key=lambda p: p.start)
                   if p.status == "pub" and (p.view_end or p.end) > sim.now()]
        # --- the seat map: one seat could not be read; the map says so, the rest is there
        seated = next(p for p in on_sale if not sim.catalog.hall_of(p).is_ga)
        panel = await open_performance(controller, seated.event_id, wait)
        assert panel.mode == "seated", panel.message_text
        assert ("1 part of the seating plan (a seat, row or section) could not be read and is "
                "not shown.") in panel.seating.message_text
        assert panel.seating.view.layout_.seat_count > 0
        report = controller.session.client.drift.snapshot()
        assert report.get(f"GET /peppered/seating/{seated.event_id}").skipped == 1
        # --- the ticket counter: one ticket type could not be read and is not offered
        ga = next(p for p in on_sale if sim.catalog.hall_of(p).is_ga)
        panel = await open_performance(controller, ga.event_id, wait)
        assert panel.mode == "quantity", panel.message_text
        await wait(lambda: panel.picker.spins() and not panel.picker.read_only)
        types = sim.catalog.production_of(ga).ticket_types
        assert len(panel.picker.spins()) == len(types) - 1
        assert not panel.picker.skipped_label.isHidden()
        assert panel.picker.skipped_label.text() == \
            "1 ticket type could not be read and is not offered."
        panel.picker.spins()[0].setValue(1)
        panel.picker.request_add()
        sale = controller.sale
        await wait(lambda: len(sale.snapshot.held_lines) == 1)
        # --- the checkout: one payment method could not be read and is not offered
        sale.open_checkout()
        checkout = sale.area.checkout
        await wait(lambda: len(checkout.method_buttons) > 0)
        assert len(checkout.method_buttons) == len(sim.catalog.payment_methods) - 1
        assert not checkout.methods_skipped.isHidden()
        assert checkout.methods_skipped.text() == \
            "1 payment method could not be read and is not offered."
        # the same in Dutch
        set_language("nl")
        try:
            checkout.set_methods(sale.methods)
            assert checkout.methods_skipped.text() == \
                "1 betaalmethode kon niet worden gelezen en wordt niet aangeboden."
        finally:
            set_language("en")
    finally:
        await controller.shutdown()
