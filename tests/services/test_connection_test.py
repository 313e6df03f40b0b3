"""The Settings dialog's connection test says exactly what is wrong."""
from __future__ import annotations

import pytest

from boxoffice.i18n import set_language
from boxoffice.services import connection_test as ct

Check = ct.Check


@pytest.mark.asyncio
async def test_good_key(sim):
    report = await ct.test_connection(sim.base_url, sim.client_name, sim.api_key)
    assert (report.public, report.peppered) == (Check.OK, Check.OK)
    assert report.ok
    assert "accepted" in report.summary
    assert sim.api_key not in report.summary and sim.api_key not in repr(report)


@pytest.mark.asyncio
async def test_wrong_key(sim):
    report = await ct.test_connection(sim.base_url, sim.client_name, "definitely-not-the-key")
    assert (report.public, report.peppered) == (Check.OK, Check.KEY_REFUSED)
    assert not report.ok
    assert "refused" in report.summary


@pytest.mark.asyncio
async def test_no_key(sim):
    report = await ct.test_connection(sim.base_url, sim.client_name, None)
    assert (report.public, report.peppered) == (Check.OK, Check.NO_KEY)
    assert report.ok  # selling works; seat maps need the key
    assert "without seat maps" in report.summary
    blank = await ct.test_connection(sim.base_url, sim.client_name, "   ")
    assert blank.peppered is Check.NO_KEY


@pytest.mark.asyncio
async def test_unknown_client(sim):
    report = await ct.test_connection(sim.base_url, "nosuchvenue", sim.api_key)
    assert (report.public, report.peppered) == (Check.UNKNOWN_CLIENT, Check.NOT_TESTED)
    assert "nosuchvenue" in report.summary


@pytest.mark.asyncio
async def test_unreachable_port(free_port):
    report = await ct.test_connection(f"http://127.0.0.1:{free_port}/v1", "demo", "key")
    assert (report.public, report.peppered) == (Check.UNREACHABLE, Check.NOT_TESTED)
    assert f"127.0.0.1:{free_port}" in report.summary and "could not be reached" in report.summary


@pytest.mark.asyncio
async def test_server_errors_are_not_called_unreachable(sim):
    sim.faults.set(error_rate=1.0)
    report = await ct.test_connection(sim.base_url, sim.client_name, sim.api_key)
    assert report.public is Check.SERVER_ERROR
    assert "HTTP 500" in report.summary


@pytest.mark.asyncio
async def test_invalid_input_never_reaches_the_network():
    report = await ct.test_connection("http://api.example.nl/v1", "demo", None)
    assert report.public is Check.INVALID_INPUT
    report = await ct.test_connection("https://api.example.nl/v1", "no spaces please", None)
    assert report.public is Check.INVALID_INPUT


@pytest.mark.asyncio
async def test_messages_are_dutch_in_dutch(sim):
    set_language("nl")
    report = await ct.test_connection(sim.base_url, sim.client_name, "wrong")
    assert "geweigerd" in report.summary
