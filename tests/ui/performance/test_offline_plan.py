"""Offline: an opened performance shows the saved seating plan read-only under the offline banner
(or says clearly that nothing is saved); when the connection is back the map becomes usable again
and is refreshed."""
from __future__ import annotations

import pytest


@pytest.mark.asyncio
async def test_offline_shows_the_saved_plan_read_only_then_recovers(
        app_factory, wait, simulator, live_profile, open_performance):
    sim = simulator()
    port = sim.port
    live_profile(sim)
    perf = sim.catalog.find("theatre")
    never_opened = sim.catalog.find("theatre", nth=1)

    controller = app_factory()       # online: opening saves the plan for offline use
    try:
        assert await controller.start()
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "seated"
        online_seats = panel.seating.view.layout_.seat_count
        online_free = bytes(panel.seating.view.layout_.available)
    finally:
        await controller.shutdown()
    sim.stop()                      # VoordeMensen is gone

    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        await wait(lambda: window.offline_banner.isVisible())
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "seated"
        lay = panel.seating.view.layout_
        assert lay.seat_count == online_seats and bytes(lay.available) == online_free
        assert panel.seating.view.read_only
        assert panel.message_text.startswith("Offline: seat availability as saved at ")
        assert panel.seating.view.select_seats(lay.seat_ids[:2]) == []
        assert not panel.seating.add_button.isEnabled()
        assert window.offline_banner.isVisible()
        assert panel.refresh_plan() is None            # no network attempts while offline

        # A performance that was never opened online: nothing saved, and it says so.
        panel.back_requested.emit()
        panel = await open_performance(controller, never_opened.event_id, wait)
        assert panel.mode == "message"
        assert panel.message_text == ("The seating plan of this performance is not in the offline "
                                      "copy. It appears as soon as the connection is back.")

        # Back to the saved one; then the connection returns: read-only lifted, plan refreshed.
        panel.back_requested.emit()
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.seating.view.read_only
        before = panel.seating.last_refreshed
        simulator(port=port, api_key=sim.api_key)
        await wait(lambda: not window.offline_banner.isVisible(), timeout=15)
        await wait(lambda: panel.seating.last_refreshed != before)
        assert not panel.seating.view.read_only
        assert panel.message_text == ""
        free = [s for i, s in enumerate(lay.seat_ids) if lay.available[i]][:2]
        assert panel.seating.view.select_seats(free) == free
    finally:
        await controller.shutdown()
