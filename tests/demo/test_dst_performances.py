"""The simulator's performances on the nights the clocks change ("Klokkennacht"), in both of
behaviour.py's guesses at how the server writes them, as the client reads them: public /events
(local time as entered, no offset) and peppered /event (ISO with offset) name the same instant,
except for the second 02:30 of 2026-10-25, which a public time cannot express (the client reads
the first: boxoffice/api/dates.py)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from boxoffice.demo import SimulatorServer
from boxoffice.demo import behaviour as B
from boxoffice.i18n.formatting import format_time
from tests.support.salekit import make_client


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


async def _both(fold: int, form: str, monkeypatch):
    monkeypatch.setattr(B, "DST_AMBIGUOUS_FOLD", fold)
    monkeypatch.setattr(B, "DST_PEPPERED_FORM", form)
    with SimulatorServer(seed=1, today=date(2026, 10, 20)) as sim:
        client = make_client(sim)
        try:
            public = await client.public.events()
            peppered = await client.peppered.events(date(2026, 10, 25), date(2027, 3, 28))
        finally:
            await client.aclose()
        ids = {sim.catalog.find(k).event_id: k for k in ("dst_twice", "dst_gap")}
    subs = {s.event_id: s for e in public for s in e.sub_events if s.event_id in ids}
    peps = {p.event_id: p for p in peppered if p.event_id in ids}
    return ids, subs, peps


@pytest.mark.asyncio
@pytest.mark.parametrize("form", B.DST_PEPPERED_FORMS)
async def test_public_and_peppered_name_the_same_instant(form, monkeypatch):
    ids, subs, peps = await _both(0, form, monkeypatch)
    assert len(subs) == len(peps) == 2
    expected = {"dst_twice": datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc),
                "dst_gap": datetime(2027, 3, 28, 1, 30, tzinfo=timezone.utc)}
    for event_id, kind in ids.items():
        assert subs[event_id].event_time.strftime("%H:%M") == "02:30"   # as entered
        assert utc(subs[event_id].starts_at) == utc(peps[event_id].start) == expected[kind]
    gap = next(i for i, k in ids.items() if k == "dst_gap")
    assert format_time(subs[gap].starts_at) == format_time(peps[gap].start) == "03:30"


@pytest.mark.asyncio
async def test_the_second_half_past_two_is_kept_by_peppered_only(monkeypatch):
    ids, subs, peps = await _both(1, "in_force", monkeypatch)
    twice = next(i for i, k in ids.items() if k == "dst_twice")
    assert utc(peps[twice].start) == datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc)
    assert utc(peps[twice].start) - utc(subs[twice].starts_at) == timedelta(hours=1)
    assert format_time(subs[twice].starts_at) == format_time(peps[twice].start) == "02:30"
