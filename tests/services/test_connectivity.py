"""Online/offline state: what counts as offline, backoff while probing, and the way back."""
from __future__ import annotations

import asyncio

import pytest

from boxoffice.api import errors
from boxoffice.services.connectivity import Connectivity


class Probe:
    """Answers like the API would: fails while `down`, succeeds otherwise."""

    def __init__(self) -> None:
        self.down = True
        self.calls = 0

    async def __call__(self) -> None:
        self.calls += 1
        if self.down:
            raise errors.ConnectionFailed("refused", endpoint="GET /paymentmethods")


@pytest.mark.asyncio
async def test_offline_errors_and_reachable_errors():
    c = Connectivity(Probe(), backoff=(10,))
    changes: list[bool] = []
    c.subscribe(changes.append)
    assert c.online is None
    assert c.report_failure(errors.ServerError("boom", status=503)) is True
    assert c.online is False
    assert c.report_failure(errors.RequestTimeout("slow")) is True
    assert changes == [False]  # told once
    # a 404 or 422 is an answer: the API is reachable
    assert c.report_failure(errors.NotFound("x", status=404)) is False
    assert c.online is True and c.last_ok is not None
    assert changes == [False, True]


@pytest.mark.asyncio
async def test_probes_with_backoff_until_back_then_idles():
    probe = Probe()
    c = Connectivity(probe, backoff=(0.01, 0.02, 0.04))
    changes: list[bool] = []
    c.subscribe(changes.append)
    task = asyncio.create_task(c.run())
    try:
        c.report_failure(errors.ConnectionFailed("refused"))
        while probe.calls < 4:
            await asyncio.sleep(0.01)
        assert c.online is False and c.attempts >= 4 and c.next_delay == 0.04
        probe.down = False
        while c.online is not True:
            await asyncio.sleep(0.01)
        calls = probe.calls
        await asyncio.sleep(0.1)
        assert probe.calls == calls  # no probing while online
        assert changes == [False, True]
        assert c.attempts == 0
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


@pytest.mark.asyncio
async def test_check_now_skips_the_wait():
    probe = Probe()
    c = Connectivity(probe, backoff=(60,))
    task = asyncio.create_task(c.run())
    try:
        c.report_failure(errors.ConnectionFailed("refused"))
        await asyncio.sleep(0.05)
        assert probe.calls == 0  # waiting the 60 s backoff
        probe.down = False
        c.check_now()
        for _ in range(100):
            if c.online:
                break
            await asyncio.sleep(0.01)
        assert c.online is True and probe.calls == 1
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def test_a_failing_subscriber_does_not_stop_the_others():
    c = Connectivity(Probe())
    seen = []

    def broken(online):
        raise RuntimeError("bug in a view")

    c.subscribe(broken)
    unsubscribe = c.subscribe(seen.append)
    c.report_success()
    unsubscribe()
    c.report_failure(errors.ConnectionFailed("x"))
    assert seen == [True]
