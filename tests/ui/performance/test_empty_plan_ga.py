"""Issue 15, item 9: a seating plan without sections (or without seats) is general admission,
exactly like a 404 from /seating: the performance page shows the ticket counter and sells, never
an empty map. Driven through the real app over the simulator serving empty plans (drift knob)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import pytest


@pytest.mark.asyncio
async def test_a_plan_without_sections_shows_the_ticket_counter(app_factory, wait, simulator,
                                                                live_profile, open_performance):
    sim = simulator()
    sim.faults.set(drift=["empty_seating"])
    live_profile(sim)
    controller = app_factory()
    try:
        assert await controller.start()
        assert controller.session.has_seat_maps
        perf = sim.catalog.find("theatre")                 # seated in the simulator's own data
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "quantity", panel.message_text
        picker = panel.picker
        await wait(lambda: len(picker.spins()) > 0 and not picker.read_only)
        first = picker.spins()[0]
        first.setValue(2)
        QTest.keyClick(first, Qt.Key.Key_Return)
        sale = controller.sale
        await wait(lambda: len(sale.snapshot.held_lines) == 2)
    finally:
        await controller.shutdown()
