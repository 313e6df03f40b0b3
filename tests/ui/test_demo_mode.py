"""With nothing configured the app opens the demo venue: embedded simulator on loopback, a
permanent demo banner, and the simulator's performances in the list."""
from __future__ import annotations

import pytest

from boxoffice.api.urls import is_loopback
from boxoffice.domain.performance import PerformanceStatus


@pytest.mark.asyncio
async def test_demo_mode_starts_and_lists_the_simulators_performances(app_factory, wait, home):
    controller = app_factory()
    try:
        assert controller.profile.demo
        assert await controller.start()
        window = controller.window
        assert window.demo_banner.isVisible()
        assert window.demo_banner.text() == "Demo: simulated box office, no real sales"
        assert is_loopback(controller.session.simulator.base_url)
        await wait(lambda: window.browser.model.performance_count() > 0)
        # The list is what the simulator serves (same performance ids).
        served = await controller.session.client.public.events(upcoming=True)
        served_ids = {s.event_id for m in served for s in m.sub_events}
        listed = {p.event_id for prod in window.browser.model.productions() for p in prod.performances}
        assert listed == served_ids
        assert window.browser.visible_performances()
        assert window.demo_banner.isVisible()  # permanent
        assert window.demo_banner.close_button is None
        assert not window.offline_banner.isVisible()

        # Selecting a performance fills the details with its ticket types and prices.
        first = window.browser.visible_performances()[0]
        assert window.browser.select_performance(first.event_id)
        await wait(lambda: window.details.prices.rowCount() > 0)
        assert "\u20ac" in window.details.prices.item(0, 1).text()

        # Opening it (Enter / button) shows its page: the hall map or the ticket counter.
        window.details.open_button.click()
        panel = window.performance_panel
        assert window.stack.currentWidget() is panel
        assert panel.event_id == first.event_id
        await wait(lambda: panel.mode in ("seated", "quantity"))
        panel.header.back_button.click()
        assert window.stack.currentWidget() is window.splitter

        # A sold-out performance can be looked at, not sold: the button says why.
        model = window.browser.model
        sold_out = next(p for p in window.browser.visible_performances()
                        if model.status_of(p) is PerformanceStatus.SOLD_OUT)
        assert window.browser.select_performance(sold_out.event_id)
        assert not window.details.open_button.isEnabled()
        assert window.details.open_button.toolTip() == "This performance is sold out."
        # ... but it opens read-only (the map still answers questions at the counter).
        controller.open_performance(sold_out)
        assert window.stack.currentWidget() is panel
        await wait(lambda: panel.mode in ("seated", "quantity"))
        assert panel.read_only_reason == "This performance is sold out."
    finally:
        await controller.shutdown()
    assert controller.session is None
