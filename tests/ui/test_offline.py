"""Browsing keeps working when VoordeMensen can't be reached: the saved list shows at once, an
"Offline: data from …" banner explains it, network actions are disabled with a reason, and the
list refreshes by itself when the connection is back. A damaged cache is recovered calmly."""
from __future__ import annotations

import pytest

from boxoffice.store.cache import cache_path


def listed_ids(window) -> set[int]:
    return {p.event_id for prod in window.browser.model.productions() for p in prod.performances}


async def warm_cache(app_factory, wait) -> set[int]:
    controller = app_factory()
    try:
        assert await controller.start()
        await wait(lambda: controller.fetched_at is not None and controller.session.connectivity.online)
        return listed_ids(controller.window)
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_offline_start_shows_cache_with_banner_then_refreshes_on_reconnect(
        app_factory, wait, simulator, live_profile):
    sim = simulator()
    port = sim.port
    profile = live_profile(sim)
    online_ids = await warm_cache(app_factory, wait)
    assert online_ids
    sim.stop()  # VoordeMensen is gone

    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        assert controller.profile.id == profile.id
        # At once, before any answer from the network: the saved list.
        assert listed_ids(window) == online_ids
        assert window.browser.visible_performances()
        await wait(lambda: window.offline_banner.isVisible())
        assert window.offline_banner.text().startswith("Offline: data from ")
        assert not window.demo_banner.isVisible()
        # Network actions are disabled and say why; Refresh stays, to try again at once.
        assert window.refresh_action.isEnabled()
        assert window.refresh_action.toolTip() == "Offline: try to reach VoordeMensen again now (F5)"
        perf = window.browser.visible_performances()[0]
        assert window.browser.select_performance(perf.event_id)
        assert not window.details.open_button.isEnabled()
        assert "offline" in window.details.open_button.toolTip().lower()
        controller.open_performance(perf)  # opens read-only: no sale while offline
        assert window.stack.currentWidget() is window.performance_panel
        assert "offline" in window.performance_panel.read_only_reason.lower()
        window.performance_panel.back_requested.emit()
        assert window.stack.currentWidget() is window.splitter
        # Browsing still works: search and details from the cache.
        window.browser.search.setText(perf.name.split()[0])
        window.browser.flush()
        assert perf.event_id in {p.event_id for p in window.browser.visible_performances()}
        before = controller.fetched_at

        # The connection comes back (same address): banner goes, the list is refreshed.
        simulator(port=port, api_key=sim.api_key)
        await wait(lambda: not window.offline_banner.isVisible(), timeout=15)
        await wait(lambda: controller.fetched_at is not None and controller.fetched_at > before)
        assert window.refresh_action.isEnabled()
        assert window.details.open_button.isEnabled()
        assert listed_ids(window) == online_ids
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_corrupt_cache_is_set_aside_with_one_calm_notice(app_factory, wait, simulator,
                                                               live_profile, home):
    sim = simulator()
    profile = live_profile(sim)
    await warm_cache(app_factory, wait)
    path = cache_path(profile.data_dir(home))
    path.write_bytes(b"this is not a database" * 100)

    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        await wait(lambda: window.notice_banner.isVisible())
        assert "damaged" in window.notice_banner.text()
        assert not window.offline_banner.isVisible()
        # The list works again from the network.
        await wait(lambda: window.browser.model.performance_count() > 0)
        assert window.browser.visible_performances()
        assert list(path.parent.glob(path.name + ".corrupt-*"))
        window.notice_banner.close_button.click()
        assert not window.notice_banner.isVisible()
    finally:
        await controller.shutdown()

    # Shown once: the next start finds a healthy cache and says nothing.
    controller = app_factory()
    try:
        assert await controller.start()
        assert controller.window.browser.model.performance_count() > 0
        assert not controller.window.notice_banner.isVisible()
    finally:
        await controller.shutdown()
