"""When the connection comes back, an open performance page loads what it could not load offline
(seating plan or prices) by itself; and Refresh (F5) stays available offline, where it tries to
reach VoordeMensen at once instead of waiting for the next automatic try."""
from __future__ import annotations

import pytest

LONG_BACKOFF = (3600.0,)   # the automatic retry never comes within a test: only Refresh can help


async def _offline_app(app_factory, simulator, live_profile, wait):
    sim = simulator()
    port = sim.port
    live_profile(sim)
    controller = app_factory()          # online once: the event list is saved for offline use
    try:
        assert await controller.start()
        await wait(lambda: controller.window.browser.model.performance_count() > 0)
    finally:
        await controller.shutdown()
    sim.stop()
    controller = app_factory(backoff=LONG_BACKOFF)
    assert await controller.start()
    await wait(lambda: controller.window.offline_banner.isVisible())
    return controller, sim, port


async def _back_online(controller, simulator, sim, port, wait):
    window = controller.window
    assert window.refresh_action.isEnabled(), "Refresh must stay usable offline"
    assert "again" in window.refresh_action.toolTip()
    simulator(port=port, api_key=sim.api_key)
    window.refresh_action.trigger()                     # try now, not in an hour
    await wait(lambda: not window.offline_banner.isVisible(), timeout=5)


@pytest.mark.asyncio
async def test_a_seating_plan_missing_offline_appears_when_the_connection_is_back(
        app_factory, wait, simulator, live_profile, open_performance):
    controller, sim, port = await _offline_app(app_factory, simulator, live_profile, wait)
    try:
        perf = sim.catalog.find("theatre", nth=1)
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "message"
        await _back_online(controller, simulator, sim, port, wait)
        await wait(lambda: panel.mode == "seated", timeout=5)
        assert not panel.seating.view.read_only
        assert panel.seating.view.layout_.seat_count > 0
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_prices_missing_offline_load_when_the_connection_is_back(
        app_factory, wait, simulator, live_profile, open_performance):
    controller, sim, port = await _offline_app(app_factory, simulator, live_profile, wait)
    try:
        perf = sim.catalog.find("ga")
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "message"                  # not known offline: no plan, no prices
        await _back_online(controller, simulator, sim, port, wait)
        await wait(lambda: panel.picker.spins(), timeout=5)
        assert panel.mode == "quantity"
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_refresh_on_the_event_list_retries_at_once(app_factory, wait, simulator, live_profile):
    controller, sim, port = await _offline_app(app_factory, simulator, live_profile, wait)
    try:
        await _back_online(controller, simulator, sim, port, wait)
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_public_only_prices_missing_offline_load_when_the_connection_is_back(
        app_factory, wait, simulator, keyless_profile, open_performance):
    """Without a key the page is the ticket counter; offline its prices are missing, and they
    load when the connection is back (as the page promises)."""
    sim = simulator()
    port = sim.port
    keyless_profile(sim)
    controller = app_factory()
    try:
        assert await controller.start()
        await wait(lambda: controller.window.browser.model.performance_count() > 0)
    finally:
        await controller.shutdown()
    sim.stop()
    controller = app_factory(backoff=LONG_BACKOFF)
    try:
        assert await controller.start()
        await wait(lambda: controller.window.offline_banner.isVisible())
        perf = sim.catalog.find("theatre", nth=1)
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "quantity"
        assert panel.picker.spins() == []
        await _back_online(controller, simulator, sim, port, wait)
        await wait(lambda: panel.picker.spins(), timeout=5)
    finally:
        await controller.shutdown()
