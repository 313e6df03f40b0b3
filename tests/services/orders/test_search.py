"""The one search box over the synced index: keys, scanners, ids, e-mail, names in any order
without case or accents, performances, seats; tonight first, then upcoming, then past. Also the
door list and the venue day report against the API's own export."""
from __future__ import annotations

import shutil
from collections import Counter
from datetime import datetime
from decimal import Decimal

import pytest

from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.domain.orders import fold, is_counter_channel
from boxoffice.services.order_desk import OrderDesk, order_index_path


def _api_orders(sim) -> list[dict]:
    return sim.online_orders()


def _paid_seated(sim) -> dict:
    return next(o for o in _api_orders(sim) if o["orderStatus"] == "ord" and o["seats"]
                and o["seats"][0]["rowNr"] is not None)


@pytest.mark.asyncio
async def test_an_order_key_is_found_whole_by_prefix_and_as_a_scanner_types_it(sim, desk, client):
    order = _paid_seated(sim)
    key = order["orderKey"]
    assert [o.order_key for o in desk.search(key)] == [key]
    assert [o.order_key for o in desk.search(key.lower())] == [key]
    assert key in [o.order_key for o in desk.search(key[:8])]
    scanned = f"{client.base_url}/order/{key}/ticket\n"
    assert [o.order_key for o in desk.search(scanned)] == [key]
    assert [o.order_key for o in desk.search(f"  {key}\r\n")] == [key]


@pytest.mark.asyncio
async def test_the_order_id_and_the_e_mail_find_the_order(sim, desk):
    order = _paid_seated(sim)
    assert desk.search(str(order["orderId"]))[0].order_key == order["orderKey"]
    email = order["user"]["email"]
    found = desk.search(email)
    assert order["orderKey"] in [o.order_key for o in found]
    assert all(o.email.lower() == email.lower() for o in found)
    assert order["orderKey"] in [o.order_key for o in desk.search(email.upper()[:-3])]


@pytest.mark.asyncio
@pytest.mark.parametrize("query", ["de vries", "Anna de Vries", "vries anna", "ANNA DE VRIES",
                                   "anna vri"])
async def test_name_parts_in_any_order_and_any_case_find_anna_de_vries(desk, query):
    found = desk.search(query, limit=2000)
    assert found

    def in_name(order) -> bool:
        name_words = fold(order.name).split()
        return all(any(w.startswith(part) for w in name_words) for part in fold(query).split())

    # buyers whose name holds every word come first; then orders where a word is elsewhere
    # (a title "... de ...", an e-mail)
    marks = [in_name(o) for o in found]
    assert marks[0] and marks == sorted(marks, reverse=True)
    assert "Anna de Vries" in {o.name for o in found}


@pytest.mark.asyncio
@pytest.mark.parametrize("query,name", [("zoe", "Zoë"), ("celik", "Çelik"),
                                        ("astrom", "Åström"), ("Zoë", "Zoë")])
async def test_accents_are_ignored(desk, query, name):
    found = desk.search(query, limit=500)
    assert found and any(name in o.name for o in found)
    assert all(query.lower().replace("ë", "e") in fold(o.name + " " + o.email) for o in found)


@pytest.mark.asyncio
@pytest.mark.parametrize("template_text", ["row {row} seat {seat}", "rij {row} stoel {seat}",
                                           "Row {row}, Seat {seat}"])
async def test_a_seat_finds_the_orders_on_it(sim, desk, template_text):
    order = _paid_seated(sim)
    seat = order["seats"][0]
    query = template_text.format(row=seat["rowNr"], seat=seat["seatNr"])
    found = desk.search(query, limit=500)
    assert order["orderKey"] in [o.order_key for o in found]
    for o in found:
        assert any(s.row == str(seat["rowNr"]) and s.seat == str(seat["seatNr"])
                   for s in o.seats)


@pytest.mark.asyncio
async def test_a_performance_title_and_date_find_its_orders(sim, desk):
    order = _paid_seated(sim)
    event = desk.order(order["orderId"]).events[0]
    day = event.starts_at.astimezone(VENUE_ZONE)
    query = f"{event.title} {day.day}-{day.month}"
    found = desk.search(query, limit=1000)
    assert order["orderKey"] in [o.order_key for o in found]
    for o in found:
        assert any(e.title == event.title and e.starts_at.astimezone(VENUE_ZONE).date() ==
                   day.date() for e in o.events)
    assert order["orderKey"] in [o.order_key for o in
                                 desk.search(f"{day:%Y-%m-%d} {event.title}", limit=1000)]


def _bucket(order, now: datetime) -> tuple[int, float]:
    """An order ranks by its first performance: tonight, upcoming (soonest first), past
    (latest first)."""
    today = now.astimezone(VENUE_ZONE).date()
    starts = sorted(e.starts_at for e in order.events if e.starts_at)
    first = starts[0]
    if first.astimezone(VENUE_ZONE).date() == today:
        return 0, first.timestamp()
    if first.astimezone(VENUE_ZONE).date() > today:
        return 1, first.timestamp()
    return 2, -first.timestamp()


@pytest.mark.asyncio
async def test_results_list_tonight_first_then_upcoming_soonest_first_then_past(
        sim, template, client, tmp_path):
    # the desk's evening: the day of a performance with orders, some before it, some after
    sold = sorted(p.start for p in sim.catalog.performances.values())
    evening = sold[len(sold) // 3].astimezone(VENUE_ZONE).replace(hour=17, minute=0)
    path = order_index_path(tmp_path / "p")
    path.parent.mkdir()
    shutil.copy2(template, path)
    desk = OrderDesk(client, path, now=lambda: evening)
    try:
        found = desk.search("van", limit=20000)
        assert len(found) > 1000
        buckets = [_bucket(o, evening) for o in found]
        assert buckets == sorted(buckets)
        kinds = Counter(b[0] for b in buckets)
        assert kinds[0] and kinds[1] and kinds[2], kinds   # tonight, upcoming, past all there
        top = desk.search("van", limit=10)
        assert all(_bucket(o, evening)[0] == 0 for o in top)
    finally:
        await desk.aclose()


@pytest.mark.asyncio
async def test_nothing_matches_nonsense(desk):
    assert desk.search("qqqzzzxxx") == []
    assert desk.search("") == [] and desk.search("   ") == []


@pytest.mark.asyncio
async def test_the_door_list_holds_every_valid_ticket_of_the_performance_alphabetically(
        sim, desk, client):
    order = _paid_seated(sim)
    event_id = order["seats"][0]["eventId"]
    truth = await client.peppered.export_orders()
    expected = sum(1 for o in truth if o.order_status not in ("cancel", "trash")
                   for s in o.seats if str(s.event_id) == str(event_id))
    door = desk.door_list(event_id)
    assert door.tickets == expected
    assert door.as_of == desk.as_of
    assert order["orderKey"] in [e.order_key for e in door.entries]
    keys = [(fold(o.last_name), fold(o.first_name)) for o in
            (desk.search(e.order_key)[0] for e in door.entries)]
    assert keys == sorted(keys)
    csv_text = desk.door_list_csv(door)
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Name,E-mail,Order key")
    assert len(lines) == len(door.entries) + 1


@pytest.mark.asyncio
async def test_the_day_report_adds_up_the_days_paid_sales_per_channel_and_method(desk, client):
    truth = await client.peppered.export_orders()
    day = max(o.order_date for o in truth if o.order_date).astimezone(VENUE_ZONE).date()
    mine = [o for o in truth if o.order_date and o.order_date.astimezone(VENUE_ZONE).date() == day
            and o.order_status in ("ord", "reemit", "reissue")
            and o.order_payment_status == "paid"]
    report = desk.day_report(day)
    online, counter = report.by_channel
    assert online.amount == sum((o.amount for o in mine if not is_counter_channel(
        o.order_channel)), Decimal("0.00"))
    assert counter.orders == sum(1 for o in mine if is_counter_channel(o.order_channel))
    assert report.total.orders == len(mine)
    assert report.total.tickets == sum(len(o.seats) for o in mine)
    assert sum(line.amount for line in report.by_method) == report.total.amount
