"""Issue 15: a cashier's message never shows class names, endpoints or status codes; they go to the
log and to a details toggle. The performance page's message has a "Details" toggle (like the sale's
message line); the main status line carries the details in its tooltip."""
from __future__ import annotations

import pytest

from tests.ui.test_drift_ui import open_performance


def malformed_server(path: str, count: int = 10):
    from boxoffice.demo import SimulatorServer

    def make():
        server = SimulatorServer(seed=1, client_name="demo", auto_pay_after=None)
        server.faults.inject("malformed", method="GET", path=path, count=count)
        return server
    return make


@pytest.mark.asyncio
async def test_the_performance_page_message_has_a_details_toggle(app_factory, wait):
    controller = app_factory(demo_server_factory=malformed_server("*/peppered/seating/*"))
    try:
        assert await controller.start()
        window = controller.window
        sim = controller.session.simulator
        await wait(lambda: window.browser.model.performance_count() > 0)
        perf = next(p for p in sorted(sim.catalog.performances.values(), key=lambda p: p.start)
                    if p.status == "pub" and (p.view_end or p.end) > sim.now()
                    and not sim.catalog.hall_of(p).is_ga)
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "message"
        assert panel.message_text.startswith("The seating plan could not be loaded")
        assert "BadResponse" not in panel.message_text and "/peppered" not in panel.message_text
        assert not panel.details_button.isHidden()
        assert panel.details_button.text() == "Details"
        assert "BadResponse" in panel.message_details
        assert "GET /peppered/seating" in panel.message_details
        assert panel.details_label.isHidden()               # on request only
        panel.details_button.click()
        assert not panel.details_label.isHidden()
        panel.details_button.click()
        assert panel.details_label.isHidden()
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_the_status_line_carries_the_details_in_its_tooltip(app_factory, wait):
    controller = app_factory(demo_server_factory=malformed_server("*/events/upcoming"))
    try:
        assert await controller.start()
        label = controller.window.status_label
        await wait(lambda: "could not be updated" in label.text())
        assert "BadResponse" not in label.text() and "/events" not in label.text()
        tip = label.toolTip()
        assert tip.startswith(label.text())
        assert "Details: BadResponse" in tip and "GET /events/upcoming" in tip
    finally:
        await controller.shutdown()
