"""A profile becomes a working session: the demo starts its own simulator; live venues use the keychain."""
from __future__ import annotations

import asyncio

import pytest
from keyring.backends import fail

from boxoffice.api import errors
from boxoffice.api.secrets import ApiKey
from boxoffice.config import DEMO_PROFILE, Profile
from boxoffice.credentials import CredentialStore
from boxoffice.demo import SimulatorServer
from boxoffice.services.session import BoxOfficeSession, SessionOptions

FAST = SessionOptions(timeout=3.0, backoff=(0.05,), refresh_interval=3600)


def live_profile(sim) -> Profile:
    return Profile.new("Test venue", sim.client_name, sim.base_url)


@pytest.mark.asyncio
async def test_demo_profile_runs_its_own_simulator(paths, memory_keyring):
    started = []

    def factory():
        sim = SimulatorServer(seed=1, auto_pay_after=2)
        started.append(sim)
        return sim

    session = await BoxOfficeSession.open(DEMO_PROFILE, paths, CredentialStore(), factory, FAST)
    try:
        (sim,) = started
        assert sim.running
        assert session.has_seat_maps and session.public_only_reason is None
        assert session.client.base_url == f"{sim.base_url}/demo"
        # the background refresh fills the list and the cache without being asked
        for _ in range(300):
            if session.catalog.cached_events():
                break
            await asyncio.sleep(0.01)
        assert len(session.catalog.cached_events().events) > 5
        assert session.connectivity.online is True
        halls, from_cache = await session.catalog.halls()
        assert halls and not from_cache
        assert memory_keyring.store == {}  # the demo key is never stored
    finally:
        await session.aclose()
    assert not sim.running
    assert session.client._base.is_closed
    assert all(t.done() for t in session._tasks) or session._tasks == []
    await session.aclose()  # twice is harmless


@pytest.mark.asyncio
async def test_live_profile_with_a_saved_key(sim, paths, memory_keyring):
    profile = live_profile(sim)
    credentials = CredentialStore()
    credentials.set(profile.id, ApiKey(sim.api_key))
    async with await BoxOfficeSession.open(profile, paths, credentials, options=FAST) as session:
        assert session.simulator is None
        assert session.has_seat_maps and session.public_only_reason is None
        events = await session.catalog.refresh_events()
        plan, _ = await session.catalog.seat_plan(sim.catalog.find("seated").event_id)
        assert plan.sections
        assert events.events
    assert sim.running  # a live venue's server is not ours to stop


@pytest.mark.asyncio
async def test_live_profile_without_a_key_is_public_only(sim, paths, memory_keyring):
    profile = live_profile(sim)
    async with await BoxOfficeSession.open(profile, paths, CredentialStore(), options=FAST) as session:
        assert not session.has_seat_maps
        assert "No API key is saved" in session.public_only_reason
        assert (await session.catalog.refresh_events()).events  # selling data still works
        with pytest.raises(errors.NoApiKey):
            await session.catalog.halls()


@pytest.mark.asyncio
async def test_live_profile_without_a_keychain_says_why(sim, paths, use_keyring):
    use_keyring(fail.Keyring())
    profile = live_profile(sim)
    async with await BoxOfficeSession.open(profile, paths, CredentialStore(), options=FAST) as session:
        assert not session.has_seat_maps
        assert "keychain" in session.public_only_reason


@pytest.mark.asyncio
async def test_unreachable_venue_opens_offline_with_its_saved_list(sim, paths, memory_keyring, free_port):
    profile = live_profile(sim)
    async with await BoxOfficeSession.open(profile, paths, CredentialStore(), options=FAST) as session:
        saved = await session.catalog.refresh_events()
    gone = Profile(profile.id, profile.name, profile.client_name,
                   f"http://127.0.0.1:{free_port}/v1")
    opts = SessionOptions(timeout=3.0, backoff=(0.05,), refresh_interval=3600)
    async with await BoxOfficeSession.open(gone, paths, CredentialStore(), options=opts) as session:
        assert session.catalog.cached_events().events == saved.events
        for _ in range(300):
            if session.connectivity.online is False:
                break
            await asyncio.sleep(0.01)
        assert session.connectivity.online is False


@pytest.mark.asyncio
async def test_the_key_is_never_in_a_repr_or_a_log(sim, paths, memory_keyring, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    profile = live_profile(sim)
    credentials = CredentialStore()
    credentials.set(profile.id, ApiKey(sim.api_key))
    async with await BoxOfficeSession.open(profile, paths, credentials, options=FAST) as session:
        assert session.api_key == ApiKey(sim.api_key)
        await session.catalog.refresh_events()
        await session.catalog.halls()
        texts = [repr(session.api_key), repr(session.client), repr(profile), caplog.text]
    assert not any(sim.api_key in t for t in texts)
