"""Every simulator response carries an RFC 7231 Date header from the *simulated* clock, so a
client's idea of the server time (``server_now()``) follows ``advance_clock``."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from boxoffice.api import ApiKey, VdmClient


def _date(response: httpx.Response) -> datetime:
    value = response.headers["date"]
    assert value.endswith(" GMT") and len(value) == 29, value  # IMF-fixdate
    return parsedate_to_datetime(value)


def test_date_header_on_api_pages_control_errors_and_faults(sim, api):
    start = _date(api.get("/paymentmethods"))
    sim.advance_clock(7200)  # so the simulated clock is not the real one
    sim.faults.inject("5xx", method="GET", path="/events")
    responses = [api.get("/events"), api.get("/events"), api.get("/cart/" + "x" * 32),
                 httpx.get(f"{sim.origin}/pay/nope"), httpx.get(f"{sim.base_url}/_sim/state")]
    assert [r.status_code for r in responses][:3] == [500, 200, 404]
    for response in responses:
        assert abs((_date(response) - sim.now()).total_seconds()) < 2, response.request.url
    assert (_date(responses[1]) - start).total_seconds() >= 7198


def test_date_header_moves_with_advance_clock(sim, api):
    before = _date(api.get("/events"))
    sim.advance_clock(3600)
    after = _date(api.get("/events"))
    assert timedelta(seconds=3598) <= after - before <= timedelta(seconds=3605)
    assert abs((after - sim.now()).total_seconds()) < 2


def test_client_server_now_follows_the_simulated_clock(sim):
    async def run() -> tuple[datetime, datetime]:
        async with VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key)) as client:
            await client.public.payment_methods()
            first = client.server_now()
            sim.advance_clock(3600)
            await client.public.payment_methods()
            return first, client.server_now()

    first, second = asyncio.run(run())
    assert timedelta(seconds=3597) <= second - first <= timedelta(seconds=3610)
    # the simulated clock, not ours (the test simulator also runs on a fixed day)
    assert abs((second - sim.now()).total_seconds()) < 2
