"""Syncing the order index from the real simulator: full first, then deltas; faults resume
without gaps or doubles; an unreadable order is skipped and counted; a damaged index is rebuilt."""
from __future__ import annotations

import os
import stat

import pytest

from boxoffice.api import errors
from boxoffice.demo import behaviour as B
from boxoffice.services.order_desk import OrderDesk, order_index_path
from tests.support.orderkit import add_orders
from tests.support.salekit import make_client


def _live(orders) -> dict:
    return {str(o.order_id): o for o in orders}


@pytest.mark.asyncio
async def test_the_first_sync_stores_every_order_once_with_names_from_the_customer_export(
        sim, fresh_desk, client, monkeypatch):
    # the export's "user" only {customerId, email} (the docs' example is cut off there): the
    # names must come from /export/customers
    monkeypatch.setattr(B, "EXPORT_USER", "short")
    seen = []
    assert fresh_desk.as_of is None
    result = await fresh_desk.sync(seen.append)
    truth = _live(await client.peppered.export_orders())
    assert result.full and result.skipped == 0
    assert result.added == len(truth) and result.updated == 0
    assert fresh_desk.count == len(truth)
    assert fresh_desk.as_of == result.as_of
    assert [p.phase for p in seen][-1] == "done" and "customers" in [p.phase for p in seen]
    assert seen[-1].stored == len(truth)
    # the index is private
    path = order_index_path(fresh_desk._path.parent)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # every order as the API has it: statuses as given, money exact
    some = list(truth.values())[::97]
    for api_order in some:
        mine = fresh_desk.order(api_order.order_id)
        assert mine is not None
        assert (mine.order_key, mine.status, mine.payment_status, mine.amount) == (
            api_order.order_key, api_order.order_status, api_order.order_payment_status,
            api_order.amount)
        assert len(mine.seats) == len(api_order.seats)
        assert len(mine.deleted_seats) == len(api_order.deleted_seats)
    anna = fresh_desk.search("anna.devries@example.org")
    assert anna and all(o.name == "Anna de Vries" for o in anna)
    again = await fresh_desk.sync()
    assert not again.full and again.added == 0


@pytest.mark.asyncio
async def test_a_delta_sync_picks_up_new_and_changed_orders(sim, desk, client):
    before = desk.count
    new_ids = add_orders(sim, 3)
    changed = next(o for o in sim.online_orders() if o["orderStatus"] == "ord"
                   and str(o["orderId"]) not in map(str, new_ids))
    sim.set_order_status(changed["orderId"], "cancel")
    result = await desk.sync()
    truth = _live(await client.peppered.export_orders())
    assert not result.full
    # (the module's simulator may hold orders added by tests after the template was synced)
    assert result.added == len(truth) - before >= 3 and result.updated >= 1
    assert desk.count == len(truth)
    assert desk.order(changed["orderId"]).status == "cancel"
    assert desk.order(changed["orderId"]).deleted_seats
    for oid in new_ids:
        assert desk.order(oid).order_key == truth[str(oid)].order_key


@pytest.mark.asyncio
async def test_a_server_that_refuses_date_times_gets_the_day_and_nothing_is_doubled(
        sim, desk, client, monkeypatch):
    monkeypatch.setattr(B, "CHANGED_SINCE_FORMATS", ("date",))
    before = desk.count
    new_ids = add_orders(sim, 2)
    result = await desk.sync()
    truth = await client.peppered.export_orders()
    assert result.added == len(truth) - before >= 2
    assert desk.count == len(truth)
    assert all(desk.order(i) is not None for i in new_ids)


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["5xx", "drop_before", "timeout"])
async def test_an_interrupted_sync_resumes_without_gaps_or_doubles(sim, template, tmp_path, kind):
    path = order_index_path(tmp_path / "p")
    path.parent.mkdir()
    path.write_bytes(template.read_bytes())
    sim.faults.set(timeout_seconds=4.0)
    client = make_client(sim, timeout=2.5)
    desk = OrderDesk(client, path)
    try:
        as_of = desk.as_of
        before = desk.count
        first = add_orders(sim, 2)
        # more failures than the client's retries: the sync fails
        sim.faults.inject(kind, method="POST", path="/peppered/export/orders", count=3)
        with pytest.raises(errors.VdmError):
            await desk.sync()
        assert desk.as_of == as_of            # the cursor did not move
        assert not desk.syncing
        second = add_orders(sim, 2)
        result = await desk.sync()
        truth = await client.peppered.export_orders()
        assert result.added == len(truth) - before >= 4
        assert desk.count == len(truth)
        assert all(desk.order(i) is not None for i in first + second)
    finally:
        await desk.aclose()
        await client.aclose()


@pytest.mark.asyncio
async def test_a_failure_after_the_orders_were_stored_keeps_the_window_open(sim, desk, client):
    as_of = desk.as_of
    new_ids = add_orders(sim, 2)
    sim.faults.inject("5xx", method="POST", path="/peppered/export/customers", count=3)
    with pytest.raises(errors.ServerError):
        await desk.sync()
    assert desk.as_of == as_of
    stored = desk.count
    assert all(desk.order(i) is not None for i in new_ids)
    result = await desk.sync()
    # the same window again: the orders stored before the failure are updated, not doubled
    assert result.added == 0 and result.updated >= 2
    assert desk.count == stored == len(await client.peppered.export_orders())
    for oid in new_ids:
        found = desk.order(oid)
        assert found is not None and found.name


@pytest.mark.asyncio
async def test_an_unreadable_order_is_skipped_counted_and_never_stops_the_sync(
        sim, desk, monkeypatch):
    new_ids = add_orders(sim, 3)
    bad = new_ids[1]
    peppered = sim._app.peppered
    original = peppered.export_body

    def broken(order):
        body = original(order)
        if order.order_id == bad:
            body = {**body, "orderKey": None, "amount": "lots"}
        return body

    monkeypatch.setattr(peppered, "export_body", broken)
    before = desk.count
    try:
        result = await desk.sync()
    finally:
        peppered._export_cache.pop(bad, None)   # (the simulator keeps each order's answer)
    assert result.skipped == 1
    assert desk.count == before + result.added
    assert desk.order(bad) is None
    assert desk.order(new_ids[0]) is not None and desk.order(new_ids[2]) is not None


@pytest.mark.asyncio
async def test_a_damaged_index_is_set_aside_and_rebuilt_from_the_api(sim, client, tmp_path):
    path = order_index_path(tmp_path / "p")
    path.parent.mkdir()
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    desk = OrderDesk(client, path)
    try:
        assert desk.notice and "damaged" in desk.notice
        assert list(path.parent.glob("orders.sqlite3.corrupt-*"))
        assert desk.count == 0 and desk.search("anna") == []
        result = await desk.sync()
        assert result.full
        assert desk.count == len(await client.peppered.export_orders())
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    finally:
        await desk.aclose()


@pytest.mark.asyncio
async def test_without_a_key_the_desk_says_so_and_still_finds_an_order_by_its_key(sim, desk):
    some = next(o for o in sim.online_orders() if o["orderPaymentStatus"] == "paid")
    client = make_client(sim, key=False)
    keyless = OrderDesk(client, desk._path.with_name("keyless.sqlite3"))
    try:
        assert not keyless.has_key
        with pytest.raises(errors.NoApiKey):
            await keyless.sync()
        found = await keyless.lookup_key(some["orderKey"])
        assert found is not None and found.order_key == some["orderKey"]
        assert found.payment_status == "paid"
        assert await keyless.tickets_url(some["orderKey"])
        assert await keyless.lookup_key("AAAAA-BBBBB-CCCCC-DDDDD") is None
    finally:
        await keyless.aclose()
        await client.aclose()


@pytest.mark.asyncio
async def test_the_fast_reader_reads_every_exported_order_as_the_tolerant_models_do(client):
    from boxoffice.api.base import validate
    from boxoffice.api.models import peppered as p
    from boxoffice.services.order_desk import desk_order, fast_desk_order

    raw = await client.peppered.export_orders_raw()
    values = list(raw.values())
    assert len(values) > 1000
    for value in values:
        assert fast_desk_order(value) == desk_order(validate("x", p.OrderExport, value))
