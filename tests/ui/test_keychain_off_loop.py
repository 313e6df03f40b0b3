"""Issue 13: the keychain is never asked on the event loop's thread while the app starts: an OS
keychain that wants to be unlocked can take many seconds, and the window must not freeze."""
from __future__ import annotations

import threading

import pytest


@pytest.mark.asyncio
async def test_starting_a_live_venue_reads_the_key_off_the_event_loop(app_factory, simulator, live_profile,
                                                                      memory_keyring, wait):
    sim = simulator()
    live_profile(sim)
    memory_keyring.calls.clear()               # the profile's key was just saved by the test itself
    controller = app_factory()
    try:
        assert await controller.start()
        await wait(lambda: controller.window.browser.proxy.rowCount() > 0)
        assert controller.session.client.has_api_key          # the key was found and is used
    finally:
        await controller.shutdown()
    reads = [thread for op, thread in memory_keyring.calls if op == "get"]
    assert reads, "the key was never read"
    assert all(thread is not threading.main_thread() for thread in reads), \
        f"{sum(t is threading.main_thread() for t in reads)} of {len(reads)} keychain reads on the GUI thread"
