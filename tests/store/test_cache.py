"""The offline cache: what was fetched comes back identical, and a bad file never stops the app."""
from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from boxoffice.api.models import Hall, MainEvent, SeatPlan, TicketType
from boxoffice.domain.availability import Availability
from boxoffice.i18n import set_language
from boxoffice.store.cache import MIGRATIONS, SCHEMA_VERSION, OfflineCache

FETCHED = datetime(2026, 3, 30, 9, 15, 7, tzinfo=timezone.utc)


def sub(event_id: int, day: int, view_end: str = "0000-00-00 00:00:00", image: str | None = None) -> dict:
    return {
        "event_id": event_id, "event_main_id": 1000 + event_id // 10, "event_name": f"Show {event_id}",
        "event_text": "Lange tekst met “quotes” en é", "event_short_text": "Gezelschap",
        "event_url": None, "event_image": image, "event_date": f"2026-04-{day:02d}",
        "event_time": "20:30:00", "event_end": "23:15:00", "event_view_end": view_end,
        "event_rep": "sub", "event_free": 10 if event_id % 7 else 0, "event_status": "pub",
        "location_id": 1, "location_name": "Grote Zaal", "event_type": ["Theater"],
    }


def events(n_shows: int = 10, per_show: int = 5) -> list[MainEvent]:
    shows = []
    for s in range(n_shows):
        subs = [sub(s * 10 + i, 1 + (s + i) % 28,
                    view_end="2026-04-02 01:30:00" if i == 0 else "0000-00-00 00:00:00",
                    image=f"https://img.example.nl/{s}-{i}.jpg" if i == 1 else None)
                for i in range(per_show)]
        shows.append(MainEvent.model_validate({
            "event_id": 1000 + s, "event_name": f"Voorstelling {s}", "event_text": "t",
            "event_short_text": "k", "event_image": f"https://img.example.nl/{s}.jpg",
            "sub_events": subs,
        }))
    return shows


TICKET_TYPES = [TicketType.model_validate(t) for t in [
    {"discount_id": "2ePdA8q3BN", "discount_name": "Standaard", "base_price": "24.50",
     "discount_type": "\u20ac", "discount_value": "0.00", "discounted_price": "24.50"},
    {"discount_id": "AYDJK7JlkX", "discount_name": "stadspas", "base_price": "24.50",
     "discount_type": "%", "discount_value": "25.00", "discounted_price": "18.38"},
]]
HALLS = [Hall.model_validate({"hallId": 1, "hallName": "Bellevue Grote Zaal", "hallCity": "Amsterdam"})]
PLAN = SeatPlan.model_validate({
    "eventId": 10, "hallId": 1, "available": 1,
    "priceLevels": [{"priceId": "2ePdA8q3BN", "rankId": 1, "name": "Rang 1", "amount": "24.50"}],
    "sections": [{"sectionId": 1, "sectionName": "Zaal", "rows": [
        {"rowNr": 1, "seats": [
            {"seatId": "azL0bNZdD1", "seatNr": 1, "rankId": 1, "available": True},
            {"seatId": "azL0bNZdD2", "seatNr": 2, "rankId": 1, "available": False},
        ]}]}],
})


@pytest.fixture
def path(tmp_path):
    return tmp_path / "profile" / "cache.sqlite3"


def test_roundtrip_everything(path):
    shows = events()
    with OfflineCache.open(path) as cache:
        assert cache.recovered_notice is None
        assert cache.load_events() is None
        cache.save_events(shows, FETCHED)
        cache.save_ticket_types(10, TICKET_TYPES, FETCHED)
        cache.save_halls(HALLS, FETCHED)
        cache.save_seat_plan(10, PLAN, FETCHED)
        cache.save_image("https://img.example.nl/0.jpg", b"\x89PNG\r\n\x1a\n\x00binary")
    with OfflineCache.open(path) as cache:  # a new process would see the same
        loaded = cache.load_events()
        assert loaded is not None
        assert loaded.events == shows
        assert loaded.fetched_at == FETCHED
        first = loaded.events[0].sub_events[0]
        assert first.event_view_end == datetime(2026, 4, 2, 1, 30, tzinfo=first.starts_at.tzinfo)
        assert cache.load_ticket_types(10).value == TICKET_TYPES
        assert cache.load_ticket_types(10).value[1].discounted_price.as_tuple() == (0, (1, 8, 3, 8), -2)
        assert cache.load_ticket_types(11) is None
        assert cache.load_halls().value == HALLS
        assert cache.load_seat_plan(10).value == PLAN
        assert cache.load_seat_plan(10).fetched_at == FETCHED
        assert cache.load_image("https://img.example.nl/0.jpg") == b"\x89PNG\r\n\x1a\n\x00binary"
        assert cache.load_image("https://img.example.nl/nope.jpg") is None


def test_new_event_list_forgets_what_is_gone(path):
    with OfflineCache.open(path) as cache:
        cache.save_events(events(), FETCHED)
        cache.save_ticket_types(10, TICKET_TYPES, FETCHED)
        cache.save_ticket_types(20, TICKET_TYPES, FETCHED)
        cache.save_seat_plan(10, PLAN, FETCHED)
        cache.save_image("https://img.example.nl/0.jpg", b"keep")
        cache.save_image("https://img.example.nl/1.jpg", b"show 1 is gone")
        cache.save_image("https://img.example.nl/old.jpg", b"gone")
        later = FETCHED + timedelta(minutes=5)
        fewer = [e for e in events() if e.event_id != 1001]  # show 1 (performances 10..14) gone
        cache.save_events(fewer, later)
        assert cache.load_events().fetched_at == later
        assert cache.load_ticket_types(10) is None
        assert cache.load_seat_plan(10) is None
        assert cache.load_ticket_types(20).value == TICKET_TYPES
        assert cache.image_urls() == {"https://img.example.nl/0.jpg"}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_file_is_owner_only(path):
    OfflineCache.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _old_v1_cache(path, payload='[]'):
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO event_list VALUES (1, ?, ?)", (payload, FETCHED.isoformat()))
    db.commit()
    db.close()


def test_migration_from_version_1_keeps_the_data(path):
    from boxoffice.store.codec import dumps_models

    shows = events(2, 2)
    _old_v1_cache(path, dumps_models(shows))
    with OfflineCache.open(path) as cache:
        assert cache.recovered_notice is None
        assert cache.load_events().events == shows
        cache.save_image("https://img.example.nl/x.jpg", b"img")  # the v2 table exists
        assert cache.load_image("https://img.example.nl/x.jpg") == b"img"
        assert cache.load_listed_events() is None  # v3: no list rows until the next save
        cache.save_events(shows, FETCHED)
        assert len(cache.load_listed_events().events) == 2
        assert cache.load_availability() is None  # v4: no counts until a keyed round saves them
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    db.close()


def _old_v3_cache(path, shows):
    """A cache as the app before the seats-left counts (schema 3) left it, with its list."""
    from boxoffice.domain.performance import list_snapshot
    from boxoffice.store.codec import dumps_models

    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    for step in MIGRATIONS[:3]:
        step(db)
    db.execute("PRAGMA user_version = 3")
    db.execute("INSERT INTO event_list VALUES (1, ?, ?)", (dumps_models(shows), FETCHED.isoformat()))
    db.execute("INSERT INTO event_rows VALUES (1, ?, ?)",
               (json.dumps(list_snapshot(shows)), FETCHED.isoformat()))
    db.commit()
    db.close()


def test_a_cache_of_version_3_opens_with_its_list_and_gains_the_counts(path):
    shows = events(2, 2)
    _old_v3_cache(path, shows)
    with OfflineCache.open(path) as cache:
        assert cache.recovered_notice is None                 # not set aside
        assert cache.load_events().events == shows
        assert len(cache.load_listed_events().events) == 2
        assert cache.load_availability() is None
        cache.save_availability({10: Availability(3, 120, FETCHED)}, FETCHED)
    with OfflineCache.open(path) as cache:
        assert cache.load_availability().value == {10: Availability(3, 120, FETCHED)}


def test_seats_left_round_trip(path):
    later = FETCHED + timedelta(minutes=5)
    counts = {10: Availability(0, 120, FETCHED), 11: Availability(14, None, later),
              "perf-x": Availability(250, 1200, later)}
    with OfflineCache.open(path) as cache:
        cache.save_availability(counts, later)
    with OfflineCache.open(path) as cache:
        saved = cache.load_availability()
        assert saved.value == counts and list(saved.value) == list(counts)
        assert saved.fetched_at == later
        cache.save_availability({11: counts[11]}, later)      # a round replaces the whole board
        assert cache.load_availability().value == {11: counts[11]}


def test_an_unreadable_saved_count_is_left_out_and_the_rest_stay(path):
    with OfflineCache.open(path) as cache:
        cache.save_availability({10: Availability(3, 120, FETCHED)}, FETCHED)
    db = sqlite3.connect(path)
    rows = [{"event_id": 10, "left": 3, "capacity": 120, "as_of": FETCHED.isoformat()},
            {"event_id": 11, "left": "many"}, {"event_id": None, "left": 2}, "odd",
            {"event_id": "12", "left": 5, "capacity": None, "as_of": "not a time"}]
    db.execute("UPDATE availability SET payload = ?", (json.dumps(rows),))
    db.commit()
    db.close()
    with OfflineCache.open(path) as cache:
        assert cache.load_availability().value == {10: Availability(3, 120, FETCHED),
                                                   12: Availability(5, None, None)}


def _aside(path):
    return [p for p in path.parent.iterdir() if p.name.startswith(path.name + ".corrupt-")]


def _assert_rebuilt(path, cache):
    assert cache.recovered_notice
    assert len(_aside(path)) == 1
    assert cache.load_events() is None
    cache.save_events(events(1, 1), FETCHED)  # the fresh cache works
    assert len(cache.load_events().events) == 1


def test_garbage_file_is_set_aside(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(os.urandom(4096))
    set_language("nl")
    try:
        with OfflineCache.open(path) as cache:
            _assert_rebuilt(path, cache)
            assert "beschadigd" in cache.recovered_notice
    finally:
        set_language("en")
    assert _aside(path)[0].stat().st_size == 4096  # kept for support, not deleted


def test_truncated_file_is_set_aside(path):
    with OfflineCache.open(path) as cache:
        cache.save_events(events(), FETCHED)
        for i in range(40):
            cache.save_image(f"https://img.example.nl/{i}.jpg", os.urandom(2000))
    data = path.read_bytes()
    assert len(data) > 8192
    path.write_bytes(data[: len(data) // 2])
    with OfflineCache.open(path) as cache:
        _assert_rebuilt(path, cache)
        assert "damaged" in cache.recovered_notice


def test_cache_from_a_newer_version_is_set_aside(path):
    with OfflineCache.open(path) as cache:
        cache.save_events(events(), FETCHED)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    with OfflineCache.open(path) as cache:
        _assert_rebuilt(path, cache)
        assert "newer version" in cache.recovered_notice


def test_database_of_someone_else_is_set_aside(path):
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (x)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.commit()
    db.close()
    with OfflineCache.open(path) as cache:
        _assert_rebuilt(path, cache)


def test_an_unreadable_row_is_a_miss_not_a_crash(path):
    with OfflineCache.open(path) as cache:
        cache.save_events(events(), FETCHED)
        cache.save_ticket_types(10, TICKET_TYPES, FETCHED)
    db = sqlite3.connect(path)
    db.execute("UPDATE event_list SET payload = '[{\"event_id\": \"not a number\"}]'")
    db.execute("UPDATE ticket_types SET payload = '{truncated'")
    db.commit()
    db.close()
    with OfflineCache.open(path) as cache:
        assert cache.recovered_notice is None
        assert cache.load_events() is None
        assert cache.load_ticket_types(10) is None
        cache.save_events(events(1, 1), FETCHED)
        assert cache.load_events() is not None


def test_warm_start_load_is_quick(path, capsys):
    """Reports the load time of ~50 performances (the figure, not a timed assert)."""
    with OfflineCache.open(path) as cache:
        cache.save_events(events(10, 5), FETCHED)
    started = time.perf_counter()
    with OfflineCache.open(path) as cache:
        loaded = cache.load_events()
    elapsed = time.perf_counter() - started
    assert sum(len(e.sub_events) for e in loaded.events) == 50
    with capsys.disabled():
        print(f"\n[cache] open + load 50 performances: {elapsed * 1000:.1f} ms")


@pytest.mark.parametrize("offset_hours", [-1000, 0, 30, 24 * 40])
def test_the_saved_list_shows_the_same_rows_without_the_models(path, offset_hours):
    """A cold start paints the list from its plain-JSON form (no pydantic import): the rows it
    gives must be the rows the models give, statuses included, at any moment."""
    from boxoffice.ui.events.rows import build_rows

    shows = events(4, 4)
    # every status: not on sale, sold out (event_free 0), on sale, past (by the moment below)
    odd = shows[0].sub_events[1].model_copy(update={"event_status": "nosal"})
    full = shows[0].sub_events[2].model_copy(update={"event_free": 0})
    shows[0] = shows[0].model_copy(update={"sub_events": [shows[0].sub_events[0], odd, full,
                                                          *shows[0].sub_events[3:]]})
    with OfflineCache.open(path) as cache:
        cache.save_events(shows, FETCHED)
    with OfflineCache.open(path) as cache:
        listed = cache.load_listed_events()
        models = cache.load_events()
    assert listed.fetched_at == models.fetched_at == FETCHED
    now = FETCHED + timedelta(hours=offset_hours)
    from_listed, from_models = build_rows(listed.events, now), build_rows(models.events, now)
    assert from_listed == from_models  # rows compare by every shown field, not by source
    statuses = {p.status.value for prod in from_models for p in prod.performances}
    if offset_hours < 0:
        assert {"on_sale", "not_on_sale", "sold_out"} <= statuses
    elif offset_hours > 24 * 30:
        assert statuses == {"past"}
    # the stand-ins carry nothing else: the details come from the models a moment later
    first = listed.events[0]
    assert first.event_text is None and first.event_image is None


def test_unreadable_saved_list_rows_are_dropped_not_fatal(path):
    with OfflineCache.open(path) as cache:
        cache.save_events(events(1, 1), FETCHED)
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE event_rows SET payload = ?", ('[{"event_id": "x"}]',))
    db.close()
    with OfflineCache.open(path) as cache:
        assert cache.load_listed_events() is None
        assert cache.load_events() is not None  # the models are untouched
        assert cache.load_listed_events() is None  # and the bad row is gone


def test_a_stand_in_knows_only_the_model_fields():
    from boxoffice.api.models import MainEvent, SubEvent
    from boxoffice.domain.performance import _NOT_LISTED, Listed, list_snapshot, listed_events

    stand_in = listed_events(list_snapshot(events(1, 1)))[0]
    model_fields = set(MainEvent.model_fields) | set(SubEvent.model_fields)
    assert _NOT_LISTED <= model_fields  # None only where the real model has a field
    assert stand_in.event_text is None and stand_in.sub_events[0].event_image is None
    with pytest.raises(AttributeError):
        stand_in.model_dump  # noqa: B018 - nothing pretends to be a pydantic model
    assert not hasattr(Listed({}), "anything_else")


def test_opaque_performance_ids_are_cached_and_kept(path):
    """Issue 15: ids are opaque; a text id ("voorstelling-7") is cached like a number, and
    "95" and 95 are one performance."""
    show = MainEvent.model_validate({
        "event_id": "show-1", "event_name": "Tekst", "sub_events": [
            sub(95, 3), {**sub(96, 3), "event_id": "voorstelling-7"}]})
    plan = SeatPlan.model_validate({**PLAN.model_dump(by_alias=True, mode="json"),
                                    "eventId": "voorstelling-7"})
    with OfflineCache.open(path) as cache:
        cache.save_events([show], FETCHED)
        cache.save_ticket_types("voorstelling-7", TICKET_TYPES, FETCHED)
        cache.save_ticket_types("95", TICKET_TYPES[:1], FETCHED)
        cache.save_seat_plan("voorstelling-7", plan, FETCHED)
        assert cache.load_ticket_types("voorstelling-7").value == TICKET_TYPES
        assert cache.load_ticket_types(95).value == TICKET_TYPES[:1]
        assert cache.load_seat_plan("voorstelling-7").value == plan
        assert cache.load_ticket_types("voorstelling-8") is None
        loaded = cache.load_events().events
        assert [s.event_id for s in loaded[0].sub_events] == [95, "voorstelling-7"]
        # a new list without the text-id performance forgets its saved data, keeps the other
        cache.save_events([MainEvent.model_validate({**show.model_dump(mode="json"),
                                                     "sub_events": [sub(95, 3)]})], FETCHED)
        assert cache.load_ticket_types("voorstelling-7") is None
        assert cache.load_ticket_types(95) is not None


@pytest.mark.parametrize("utc_hour", [0, 1])   # 02:30+02:00 and, an hour later, 02:30+01:00
def test_times_come_back_at_the_same_instant_on_the_autumn_night(path, utc_hour):
    """Issue 13: the cache keeps a time's UTC offset. On the night the clocks go back, 02:30 comes
    twice (+02:00, then +01:00); without the offset the second came back an hour early."""
    moment = datetime(2026, 10, 25, utc_hour, 30, tzinfo=timezone.utc)
    show = events(1, 1)[0]
    late = show.sub_events[0].model_copy(update={"event_view_end": moment})
    show = show.model_copy(update={"sub_events": [late]})
    with OfflineCache.open(path) as cache:
        cache.save_events([show], FETCHED)
    with OfflineCache.open(path) as cache:
        back = cache.load_events().events[0].sub_events[0].event_view_end
    assert back.timestamp() == moment.timestamp()
    assert back.utcoffset() == moment.astimezone(back.tzinfo).utcoffset()
