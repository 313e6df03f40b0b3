"""A second box office for the same venue on this computer is refused with a message."""
from __future__ import annotations

import pytest


@pytest.mark.asyncio
async def test_second_instance_for_the_same_profile_is_refused(app_factory, wait):
    first = app_factory()
    second = app_factory()
    try:
        assert await first.start()
        assert not await second.start()          # refused: nothing opened
        assert second.session is None
        assert "already open" in second.refused_message(second.profile)
    finally:
        await second.shutdown()
        await first.shutdown()
    third = app_factory()                        # the lock is released on shutdown
    try:
        assert await third.start()
    finally:
        await third.shutdown()


@pytest.mark.asyncio
async def test_switching_to_a_venue_open_elsewhere_is_refused_calmly(app_factory, wait, simulator,
                                                                    live_profile):
    sim = simulator()
    profile = live_profile(sim)
    elsewhere = app_factory(force_demo=True)
    here = app_factory()
    try:
        assert await elsewhere.start()
        assert await here.start()
        assert here.profile.id == profile.id
        assert not await here._switch("demo")
        assert here.profile.id == profile.id
        assert here.window.notice_banner.isVisible()
        assert "already open" in here.window.notice_banner.text()
        assert here.window.profile_combo.currentData() == profile.id
    finally:
        await here.shutdown()
        await elsewhere.shutdown()
