"""No message may widen the window (issue 16, item 9): without a usable keychain the note on the
performance page said so in one unwrapped line and the window grew to 2,093 px, pushing the cart
and Checkout off-screen. Every message the cashier can be shown wraps (or is elided) instead."""
from __future__ import annotations

import asyncio

import pytest

LONG = ("The keychain of this computer cannot be used, so the API key of this venue is not "
        "available: seat maps and the venue's own prices need it; the public API still works. ") * 6


async def settle() -> None:
    """Let Qt lay out and resize (posted LayoutRequest events run on the loop)."""
    for _ in range(5):
        await asyncio.sleep(0.02)


@pytest.mark.asyncio
async def test_a_very_long_message_does_not_widen_the_window(app_factory, simulator, wait,
                                                             keyless_profile, open_performance):
    sim = simulator()
    keyless_profile(sim)
    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        window.showNormal()
        window.resize(1280, 720)
        perf = sim.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "quantity" and panel.note_label.isVisible()
        await settle()
        width = window.width()
        assert width == 1280
        # the keychain note on the performance page, the banners, the picker's message line
        panel._set_note(LONG)
        window.show_keyring_warning(LONG)
        window.show_notice(LONG)
        panel.picker.show_message(LONG)
        window.set_status(LONG)
        for _ in range(3):
            await settle()
        assert window.minimumSizeHint().width() <= 1280, window.minimumSizeHint()
        assert window.minimumWidth() <= 1280
        assert window.width() == width
        assert panel.note_label.isVisible() and panel.note_label.width() <= width
    finally:
        await controller.shutdown()
