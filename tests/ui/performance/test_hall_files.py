"""Hall layout files on the performance page: a broken file never breaks the map (automatic
layout, the problem on the message line) and is never overwritten by the demo's own file."""
from __future__ import annotations

import pytest

from boxoffice.domain.hall_file import hall_file_path


@pytest.mark.asyncio
async def test_invalid_hall_file_falls_back_to_the_automatic_layout_with_a_message(
        app_factory, wait, home, open_performance):
    controller = app_factory()
    path = hall_file_path(controller.profile.data_dir(home), 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"format": "vdm-boxoffice-hall-layout", "version": 1, "sections": [',
                    encoding="utf-8")
    try:
        assert await controller.start()
        perf = controller.session.simulator.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "seated"
        lay = panel.seating.view.layout_
        assert not lay.hall_file_used and lay.seat_count > 800
        assert panel.message_text.startswith("The hall layout file is not used (not valid JSON")
        assert panel.message_text.endswith("showing the automatic layout.")
        assert "\n" not in panel.message_text
        assert path.read_text(encoding="utf-8").endswith("[")   # the demo did not replace it
        # Another hall without a file: no message.
        studio = controller.session.simulator.catalog.find("studio")
        panel.back_requested.emit()
        panel = await open_performance(controller, studio.event_id, wait)
        assert panel.mode == "seated" and panel.message_text == ""
    finally:
        await controller.shutdown()
