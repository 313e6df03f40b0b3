"""await_ended absorbs the cancellation and errors of the tasks it ends, never its caller's."""
from __future__ import annotations

import asyncio

import pytest

from boxoffice.services.tasks import await_ended


@pytest.mark.asyncio
async def test_the_tasks_own_cancellation_and_errors_are_absorbed():
    async def fails():
        raise ValueError("reported where it happened")

    sleeper = asyncio.ensure_future(asyncio.sleep(60))
    failing = asyncio.ensure_future(fails())
    sleeper.cancel()
    await await_ended([sleeper, failing])
    assert sleeper.cancelled() and isinstance(failing.exception(), ValueError)


@pytest.mark.asyncio
async def test_the_callers_cancellation_goes_on_up():
    slow = asyncio.ensure_future(asyncio.sleep(60))   # a task that does not end when asked at once
    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(await_ended([slow]), 0.1)
    finally:
        slow.cancel()
        await await_ended([slow])
