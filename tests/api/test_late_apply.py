"""A write whose answer timed out can still be applied by the server *after* our read-back (it was
queued): the simulator's "late_apply" fault reproduces that deterministically (the queued request
is applied just before the next request with the same method and path, i.e. before our verified
resend). Whatever the timing: exactly one order, and no duplicate line left in the cart. An order
is never sent twice: its outcome comes from the venue's order export only, with the simulator
emptying the cart after an order and keeping its lines (both ways, the docs do not say).

Real client, real simulator, real sockets; the client's timeout is short so the stalled request
times out quickly.
"""
from __future__ import annotations

import pytest
import pytest_asyncio

from boxoffice.api import ApiKey, VdmClient, errors, models, reconcile
from boxoffice.api.order_lookup import order_check
from boxoffice.demo import SimulatorServer

TIMEOUT = 0.3


@pytest.fixture(scope="module", params=["emptied", "kept"])
def sim(request):
    server = SimulatorServer(seed=3, cart_after_order=request.param)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _faults(sim):
    sim.faults.clear()
    # only the resend releases a queued request (no timing luck either way)
    sim.faults.set(late_apply_seconds=30)
    yield
    sim.faults.clear()


def _make(sim, key: bool = True, settle: float = 0.05) -> VdmClient:
    client = VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key) if key else None,
                       timeout=TIMEOUT)
    client.public.settle_delay = settle
    client.peppered.settle_delay = settle
    return client


@pytest_asyncio.fixture
async def client(sim):
    async with _make(sim) as c:
        yield c


def _log(sim, method: str, suffix: str) -> list[str]:
    return [e.outcome for e in sim.requests() if e.method == method and e.path.endswith(suffix)]


def _deletes(sim, cart_id: str) -> int:
    return sum(1 for e in sim.requests() if e.method == "DELETE" and f"/cart/{cart_id}/" in e.path)


async def _cash(client) -> int:
    return next(m.payment_id for m in await client.public.payment_methods()
                if m.payment_desc == "Cash")


# ----------------------------------------------------------------------------- public add
@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["ga", "seated"])
async def test_public_add_applied_late_leaves_no_duplicate_line(client, sim, kind, caplog):
    perf = sim.catalog.find(kind)
    disc = (await client.public.ticket_types(perf.event_id))[0].discount_id
    cart_id = await client.public.create_cart()
    sim.clear_requests()
    sim.faults.inject("late_apply", method="POST", path=f"/cart/{cart_id}")
    with caplog.at_level("WARNING", logger="boxoffice.api"):
        cart = await client.public.add_tickets(cart_id, perf.event_id, 3, disc)
    # both the late first attempt and the resend were applied ...
    assert _log(sim, "POST", f"/cart/{cart_id}") == ["late_apply", "200"]
    # ... and the resend's surplus was removed again: one set of tickets, nothing else held
    held = sim.state.cart_seat_ids(cart_id)
    assert len(held) == 3 and cart.tickets_for(perf.event_id, disc) == 3
    assert sorted(held) == sorted(line.seat_id for line in cart.lines)
    assert sorted(s for s, owner in sim.state.holds(perf.event_id).items() if owner == cart_id) \
        == sorted(held)
    assert _deletes(sim, cart_id) == 3
    assert any("applied late" in r.getMessage() for r in caplog.records)


@pytest.mark.asyncio
async def test_public_add_seated_keeps_the_oldest_block(client, sim):
    perf = sim.catalog.find("seated", nth=1)
    disc = (await client.public.ticket_types(perf.event_id))[0].discount_id
    cart_id = await client.public.create_cart()
    sim.faults.inject("late_apply", method="POST", path=f"/cart/{cart_id}")
    # watch the cart as the server sees it right after the late + resent adds
    seen: list[list[str]] = []
    original = sim.state.public_add

    def recording(*args, **kwargs):
        cart = original(*args, **kwargs)
        seen.append([ln.item_id for ln in cart.lines])
        return cart

    sim.state.public_add = recording
    try:
        cart = await client.public.add_tickets(cart_id, perf.event_id, 2, disc)
    finally:
        del sim.state.public_add
    assert len(seen) == 2 and len(seen[1]) == 4
    # the first two lines (the late first attempt's block) stay; the newest two were deleted
    assert [line.seat_id for line in cart.lines] == seen[1][:2] == sim.state.cart_seat_ids(cart_id)


@pytest.mark.asyncio
async def test_surplus_cleanup_failure_is_outcome_unknown_naming_it(client, sim):
    perf = sim.catalog.find("ga", nth=1)
    disc = (await client.public.ticket_types(perf.event_id))[0].discount_id
    cart_id = await client.public.create_cart()
    sim.faults.inject("late_apply", method="POST", path=f"/cart/{cart_id}")
    sim.faults.inject("429", method="DELETE", path=f"*/cart/{cart_id}/*")
    with pytest.raises(errors.OutcomeUnknown) as info:
        await client.public.add_tickets(cart_id, perf.event_id, 1, disc)
    assert "surplus" in str(info.value) and "RateLimited" in str(info.value)
    assert len(sim.state.cart_seat_ids(cart_id)) == 2  # honest: the caller must read back


@pytest.mark.asyncio
async def test_remove_line_applied_late_is_not_an_error(client, sim):
    perf = sim.catalog.find("ga")
    disc = (await client.public.ticket_types(perf.event_id))[0].discount_id
    cart_id = await client.public.create_cart()
    cart = await client.public.add_tickets(cart_id, perf.event_id, 2, disc)
    gone = cart.lines[0].seat_id
    sim.clear_requests()
    sim.faults.inject("late_apply", method="DELETE", path=f"/cart/{cart_id}/{gone}")
    cart = await client.public.remove_line(cart_id, gone)  # the resend is refused (404): applied
    assert gone not in cart.seat_ids() and sim.state.cart_seat_ids(cart_id) == [cart.lines[0].seat_id]
    assert _log(sim, "DELETE", f"/cart/{cart_id}/{gone}") == ["late_apply", "404"]


# ----------------------------------------------------------------------------- peppered add
@pytest.mark.asyncio
async def test_peppered_counted_add_applied_late_leaves_no_duplicate(client, sim):
    perf = sim.catalog.find("ga", nth=2)
    tt = sim.catalog.production_of(perf).ticket_types[0]
    rank = sim.catalog.hall_of(perf).ranks[0].rank_id
    cart_id = await client.public.create_cart()
    sim.clear_requests()
    sim.faults.inject("late_apply", method="POST", path=f"/peppered/cart/{cart_id}")
    item = models.CartItemRequest(price_id=tt.price_id, rank_id=rank, event_id=perf.event_id,
                                  number_of_tickets=2)
    cart = await client.peppered.add_items(cart_id, [item])
    assert _log(sim, "POST", f"/peppered/cart/{cart_id}") == ["late_apply", "200"]
    assert len(sim.state.cart_seat_ids(cart_id)) == 2
    assert cart.ticket_counts()[(perf.event_id, tt.price_id)] == 2
    assert sorted(cart.item_ids()) == sorted(sim.state.cart_seat_ids(cart_id))
    assert _deletes(sim, cart_id) == 2


@pytest.mark.asyncio
async def test_peppered_seat_add_applied_late_is_taken_not_refused(client, sim):
    perf = sim.catalog.find("seated", nth=2)
    plan = await client.peppered.seating(perf.event_id)
    seat = next(s for _, _, s in plan.seats() if s.available)
    level = next(p for p in plan.price_levels if p.rank_id == seat.rank_id)
    item = models.CartItemRequest(price_id=level.price_id, rank_id=seat.rank_id,
                                  event_id=perf.event_id, seat_id=seat.seat_id)
    cart_id = await client.public.create_cart()
    sim.clear_requests()
    sim.faults.inject("late_apply", method="POST", path=f"/peppered/cart/{cart_id}")
    cart = await client.peppered.add_items(cart_id, [item])  # resend: 409, our own cart holds it
    assert _log(sim, "POST", f"/peppered/cart/{cart_id}") == ["late_apply", "409"]
    assert cart.item_ids() == {seat.seat_id} and sim.state.cart_seat_ids(cart_id) == [seat.seat_id]


# ----------------------------------------------------------------------------- orders
async def _filled_cart(client, sim, nth: int = 0):
    perf = sim.catalog.find("seated", nth=nth)
    disc = (await client.public.ticket_types(perf.event_id))[0].discount_id
    cart_id = await client.public.create_cart()
    return cart_id, await client.public.add_tickets(cart_id, perf.event_id, 2, disc)


async def _land_queued_order(client, sim, nth: int) -> None:
    """Release a queued order/create: the next order request on that path goes after it."""
    cash = await _cash(client)
    other_cart, other = await _filled_cart(client, sim, nth=nth)
    await client.public.create_order(other_cart, cash, None, known_cart=other)


@pytest.mark.asyncio
async def test_order_create_applied_late_is_never_sent_again_and_found_later(client, sim):
    """The order request is queued (no answer) and shows in no read-back: unknown, and never a
    second order/create (whatever the cart shows). Once it lands, the look-up recovery does
    finds exactly it."""
    cart_id, cart = await _filled_cart(client, sim)
    cash = await _cash(client)
    before = set(sim.state.order_keys())
    lookups: list[reconcile.OrderLookup] = []
    sim.clear_requests()
    sim.faults.inject("late_apply", method="POST", path="/order/create")
    with pytest.raises(errors.OutcomeUnknown) as info:
        await client.public.create_order(cart_id, cash, None, known_cart=cart,
                                         on_lookup=lookups.append)
    assert "may still be applied later" in str(info.value)
    assert _log(sim, "POST", "/order/create") == []  # still queued: nothing else was sent
    await _land_queued_order(client, sim, nth=5)
    new = set(sim.state.order_keys()) - before
    assert len(new) == 2  # ours (landed late) and the other cart's
    outcome, _ = await order_check(client.public, client.peppered, cart_id, cart, lookups[-1])
    assert outcome.state == reconcile.APPLIED and outcome.value.order_key in new
    assert sim.state.carts[cart_id].orders == [outcome.value.order_key]


@pytest.mark.asyncio
async def test_cart_expiring_during_the_attempt_never_claims_another_sales_order(sim):
    """Our order request is queued; meanwhile the clock passes our hold (the cart expires and
    reads empty, like a consumed one) and another counter orders the same general-admission
    count for the same performance. Our queued request then finds an expired cart (no order).
    The other counter's order must not be taken for ours. The export, read after our deadline,
    holds no order from our cart: that is established (HoldLapsed), not left in doubt."""
    import asyncio

    perf = sim.catalog.find("ga", nth=1)
    async with _make(sim, settle=1.0) as ours, _make(sim) as other:
        disc = (await ours.public.ticket_types(perf.event_id))[0].discount_id
        cart_id = await ours.public.create_cart()
        cart = await ours.public.add_tickets(cart_id, perf.event_id, 2, disc)
        cash = await _cash(ours)
        sim.faults.inject("late_apply", method="POST", path="/order/create")
        task = asyncio.create_task(ours.public.create_order(cart_id, cash, None, known_cart=cart))
        await asyncio.sleep(0.15)  # our request is queued at the server
        # our hold lapses (by more than the clock margin a lapse proof needs)
        sim.advance_clock(sim.tunables.hold_seconds + 1 + reconcile.LAPSE_MARGIN.total_seconds())
        other_cart = await other.public.create_cart()
        other_lines = await other.public.add_tickets(other_cart, perf.event_id, 2, disc)
        theirs = await other.public.create_order(other_cart, cash, None, known_cart=other_lines)
        with pytest.raises(errors.HoldLapsed) as info:
            await task
    assert "hold lapsed" in str(info.value)
    assert not theirs.recovered and sim.state.order(theirs.order_key) is not None


@pytest.mark.asyncio
async def test_order_dropped_without_answer_is_unknown_never_resent(client, sim):
    """The connection closed before the answer (here: before the request was applied). Nothing
    the docs support shows whether an order was made: unknown, and never a second order/create,
    although the cart still holds its lines."""
    cart_id, cart = await _filled_cart(client, sim, nth=4)
    cash = await _cash(client)
    before = set(sim.state.order_keys())
    sim.clear_requests()
    sim.faults.inject("drop_before", method="POST", path="/order/create")
    with pytest.raises(errors.OutcomeUnknown) as info:
        await client.public.create_order(cart_id, cash, None, known_cart=cart)
    assert "may still be applied later" in str(info.value)
    assert _log(sim, "POST", "/order/create") == ["drop_before"]
    assert set(sim.state.order_keys()) == before
    assert not (await client.public.cart(cart_id)).is_empty


@pytest.mark.asyncio
async def test_cart_lapsed_before_the_attempt_never_claims_another_sales_order(sim):
    """Our hold lapsed just before ordering (the caller's view still shows the lines); our order
    request is queued; a little later another counter orders the same general-admission count.
    Nothing this attempt makes can come from our (empty) cart: never take their order."""
    import asyncio

    perf = sim.catalog.find("ga", nth=2)
    async with _make(sim, settle=1.0) as ours, _make(sim) as other:
        disc = (await ours.public.ticket_types(perf.event_id))[0].discount_id
        cart_id = await ours.public.create_cart()
        cart = await ours.public.add_tickets(cart_id, perf.event_id, 3, disc)
        cash = await _cash(ours)
        sim.advance_clock(sim.tunables.hold_seconds + 1)  # lapsed before we order
        sim.faults.inject("late_apply", method="POST", path="/order/create")
        task = asyncio.create_task(ours.public.create_order(cart_id, cash, None, known_cart=cart))
        await asyncio.sleep(0.15)
        sim.advance_clock(5)
        other_cart = await other.public.create_cart()
        other_lines = await other.public.add_tickets(other_cart, perf.event_id, 3, disc)
        theirs = await other.public.create_order(other_cart, cash, None, known_cart=other_lines)
        with pytest.raises(errors.HoldLapsed):
            await task
    assert sim.state.order(theirs.order_key) is not None


@pytest.mark.asyncio
async def test_a_lapsed_cart_never_claims_an_order_made_just_before_the_attempt(sim):
    """Our hold lapsed; another counter ordered the same general-admission count a moment before
    our attempt, and the order snapshot before the attempt could not be read (5xx, every retry):
    the look-up has only its window and the cart's hold to go by. The cart read before the
    request holds nothing, so nothing this attempt makes can come from it: never take their order.
    (On a loaded machine this happened: the deadline was the time of that read, and their order,
    dated in whole seconds, was not after it.)"""
    perf = sim.catalog.find("ga", nth=3)
    async with _make(sim, settle=0.3) as ours, _make(sim) as other:
        disc = (await ours.public.ticket_types(perf.event_id))[0].discount_id
        cart_id = await ours.public.create_cart()
        cart = await ours.public.add_tickets(cart_id, perf.event_id, 3, disc)
        cash = await _cash(ours)
        sim.advance_clock(sim.tunables.hold_seconds + 1 + reconcile.LAPSE_MARGIN.total_seconds())
        other_cart = await other.public.create_cart()
        other_lines = await other.public.add_tickets(other_cart, perf.event_id, 3, disc)
        theirs = await other.public.create_order(other_cart, cash, None, known_cart=other_lines)
        sim.faults.inject("5xx", method="POST", path="/peppered/export/orders",
                          count=ours.public.base.retry.max_attempts)
        sim.faults.inject("late_apply", method="POST", path="/order/create")
        with pytest.raises(errors.HoldLapsed):
            await ours.public.create_order(cart_id, cash, None, known_cart=cart)
    assert not theirs.recovered and sim.state.order(theirs.order_key) is not None


@pytest.mark.asyncio
async def test_peppered_checkout_applied_late_is_never_sent_again(client, sim):
    cart_id, cart = await _filled_cart(client, sim, nth=1)
    cash = await _cash(client)
    before = set(sim.state.order_keys())
    sim.clear_requests()
    sim.faults.inject("late_apply", method="POST", path=f"/peppered/cart/{cart_id}/checkout")
    with pytest.raises(errors.OutcomeUnknown):
        await client.peppered.checkout(cart_id, cash, known_cart=cart)
    assert _log(sim, "POST", f"/cart/{cart_id}/checkout") == []  # queued; nothing else sent
    assert set(sim.state.order_keys()) == before


@pytest.mark.asyncio
async def test_order_applied_late_without_key_is_outcome_unknown_not_refused(sim):
    sim.faults.set(late_apply_seconds=0.35)
    async with _make(sim, key=False, settle=0.6) as client:
        cart_id, cart = await _filled_cart(client, sim, nth=2)
        cash = await _cash(client)
        before = set(sim.state.order_keys())
        sim.faults.inject("late_apply", method="POST", path="/order/create")
        with pytest.raises(errors.OutcomeUnknown) as info:
            await client.public.create_order(cart_id, cash, None, known_cart=cart)
    # not "refused": the order exists, so the sale must stay open for recovery
    assert "no API key" in str(info.value)
    assert len(set(sim.state.order_keys()) - before) == 1


# ----------------------------------------------------------------------------- settle delay
@pytest.mark.asyncio
@pytest.mark.parametrize("settle,posts", [(0.6, ["late_apply"]), (0.0, ["200", "late_apply"])])
async def test_settle_delay_lets_a_queued_write_land_before_the_read_back(sim, settle, posts):
    """The request lands 0.35 s after it was sent; the client gives up after 0.3 s. Waiting a
    settle delay before reading back sees it applied (one POST); without one it is resent (the
    queued request then goes first, and the resend's surplus is removed)."""
    sim.faults.set(late_apply_seconds=0.35)
    async with _make(sim, settle=settle) as client:
        perf = sim.catalog.find("ga")
        disc = (await client.public.ticket_types(perf.event_id))[0].discount_id
        cart_id = await client.public.create_cart()
        sim.clear_requests()
        sim.faults.inject("late_apply", method="POST", path=f"/cart/{cart_id}")
        cart = await client.public.add_tickets(cart_id, perf.event_id, 2, disc)
    assert cart.tickets_for(perf.event_id, disc) == 2 and len(sim.state.cart_seat_ids(cart_id)) == 2
    assert sorted(_log(sim, "POST", f"/cart/{cart_id}")) == sorted(posts)


def test_settle_delay_is_a_bounded_fraction_of_the_timeout():
    assert reconcile.settle_delay(10.0) == reconcile.SETTLE_MAX == 1.0
    assert reconcile.settle_delay(0.6) == pytest.approx(0.3)
    assert reconcile.settle_delay(None) == 1.0
    client = VdmClient("http://127.0.0.1:9/v1", "demo", timeout=0.8)
    try:
        from boxoffice.api.order_lookup import late_apply_timing

        assert late_apply_timing(client._base, None)["settle"] == pytest.approx(0.4)
        assert late_apply_timing(client._base, 0.0)["settle"] == 0.0
    finally:
        import asyncio

        asyncio.run(client.aclose())
