"""The cart of a sale: creating it, adds (seats through the peppered cart, general admission through
the public one) with reconciliation, removes, ticket-type changes, reading it back and re-adding
released lines. Owns the journal's cart steps: the sale's start, every add/remove/re-add/change
step, ``refresh``, ``forget_released`` and ``release``.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import Any

from boxoffice.api import errors
from boxoffice.api.models import Cart, CartItemRequest, SeatPlan
from boxoffice.domain.money import ZERO
from boxoffice.i18n import _
from boxoffice.services.messages import (
    Action,
    CashierMessage,
    Severity,
    message_for,
    seat_from_server_message,
    seat_taken,
)
from boxoffice.services.sale.cart_view import CartView
from boxoffice.services.sale.hold import HoldClock
from boxoffice.services.sale.model import (
    AddResult,
    Phase,
    ReaddResult,
    SaleError,
    SaleLine,
    SaleSnapshot,
    SeatRequest,
    _SeatMeta,
    line_to_dict,
)
from boxoffice.services.sale.state import SaleContext, SaleDraft
from boxoffice.store.journal import JournalWriteFailed, SaleState

log = logging.getLogger("boxoffice.sale")


class CartEditor:
    """The cart of the sale at hand: every write to it, each journaled before and after."""

    def __init__(self, ctx: SaleContext, hold: HoldClock, view: CartView) -> None:
        self.ctx = ctx
        self.hold = hold
        self.view = view

    @property
    def draft(self) -> SaleDraft:
        return self.ctx.draft

    async def load_seat_plan(self, event_id: int | str) -> SeatPlan:
        plan = await self.ctx.client.peppered.seating(event_id)
        self.ctx.seats.use_seat_plan(plan)
        return plan

    # ------------------------------------------------------------------ cart life
    async def prepare(self) -> str:
        """Create the cart ahead (one request), journaled; returns the cart id."""
        return await self.ctx.shielded(self._prepare())

    async def _prepare(self) -> str:
        async with self.ctx.lock:
            return await self.ensure_cart()

    async def ensure_cart(self) -> str:
        if self.draft.cart_id is not None and self.draft.phase == Phase.OPEN:
            return self.draft.cart_id
        if self.draft.phase not in (Phase.IDLE, Phase.OPEN):
            raise SaleError(CashierMessage(_("Finish or close the current sale first."),
                                           Action.NONE, Severity.WARNING))
        cart_id = await self.ctx.client.public.create_cart()
        # the cart is known by venue, id and creation, never by its id alone (ids can recur)
        sale = await self.ctx.record(self.ctx.journal.start_sale, cart_id,
                                     venue=getattr(self.ctx.client, "base_url", None),
                                     cart_created_at=self.ctx.server_now())
        self.draft.sale_id = sale.sale_id
        self.draft.cart_id = cart_id
        self.draft.phase = Phase.OPEN
        self.draft.public_known = Cart(lines=[], total=ZERO)  # a brand-new cart is empty
        self.ctx.notify()
        return cart_id

    async def _journal_lines(self, step: str, detail: dict[str, Any] | None = None) -> None:
        assert self.draft.sale_id is not None
        held = [ln for ln in self.draft.lines.values() if ln.held]
        state = SaleState.LINES_ADDED if self.draft.lines else SaleState.CART_CREATED
        await self.ctx.record(self.ctx.journal.after, self.draft.sale_id, step, state, detail,
                              lines=[line_to_dict(ln) for ln in self.draft.lines.values()],
                              total=sum((ln.price for ln in held), ZERO))

    # -- adding
    async def add_seats(self, event_id: int | str, seats: Iterable[SeatRequest | str]) -> AddResult:
        """Hold specific seats from the map (peppered, one all-or-nothing request)."""
        requests = [s if isinstance(s, SeatRequest) else SeatRequest(s) for s in seats]
        return await self.ctx.shielded(self._add_seats(event_id, requests))

    def _seat_items(self, event_id: int | str, requests: list[SeatRequest]
                    ) -> tuple[list[CartItemRequest], dict[str, _SeatMeta]]:
        plan = self.ctx.seats.plans.get(event_id)
        items, metas = [], {}
        for req in requests:
            found = self.ctx.seats.seat_index.get(req.seat_id)
            if found is None or found[0] != event_id or plan is None:
                raise SaleError(CashierMessage(
                    _("This seat is not on the seating plan; reload the seat map."), Action.NONE))
            meta = found[1]
            price_id = req.price_id
            valid = [pl.price_id for pl in plan.price_levels if pl.rank_id == meta.rank_id]
            if price_id is None:
                if not valid:
                    raise SaleError(CashierMessage(_("This seat has no price; it cannot be sold."),
                                                   Action.PICK_ANOTHER_SEAT))
                price_id = valid[0]
            elif valid and price_id not in valid:
                raise SaleError(CashierMessage(
                    _("This ticket type is not valid for that seat: choose another type."),
                    Action.NONE))
            items.append(CartItemRequest(price_id=price_id, rank_id=meta.rank_id,
                                         event_id=event_id, seat_id=req.seat_id))
            metas[req.seat_id] = meta
        return items, metas

    async def _add_seats(self, event_id: int | str, requests: list[SeatRequest]) -> AddResult:
        async with self.ctx.lock:
            if not requests:
                return AddResult(True)
            try:
                items, metas = self._seat_items(event_id, requests)
            except SaleError as exc:
                return self._fail(exc.message)
            return await self._peppered_add(items, metas, "add_seats")

    async def _peppered_add(self, items: list[CartItemRequest], metas: dict[str, _SeatMeta],
                            step: str) -> AddResult:
        self.draft.busy = "adding"
        try:
            await self.ensure_cart()
            await self.sync_if_stale()
            assert self.draft.sale_id and self.draft.cart_id
            await self.ctx.record(self.ctx.journal.before, self.draft.sale_id, step,
                                  {"seats": [i.seat_id for i in items], "items": len(items)})
            try:
                cart = await self.ctx.client.peppered.add_items(self.draft.cart_id, items)
            except errors.Conflict as exc:
                taken = self._taken_seat(exc, items)
                label = self.ctx.seats.seat_label(taken) if taken else None
                await self.ctx.record(self.ctx.journal.after, self.draft.sale_id, step, None,
                                      {"refused": "conflict"})
                return self._fail(seat_taken(label), taken_seat_ids=(taken,) if taken else ())
            except errors.VdmError as exc:
                await self._after_failed_write(exc, step)
                if isinstance(exc, errors.NotFound):
                    await self._explain_cart_404(exc)
                return self._fail(message_for(exc, operation="add"))
            added = self.view.apply_peppered(cart, metas)
            await self._journal_lines(step, {"added": [ln.line_id for ln in added]})
            self.draft.message = None
            return AddResult(True, tuple(added))
        finally:
            self.draft.busy = None
            self.ctx.notify()

    async def _explain_cart_404(self, exc: errors.NotFound) -> None:
        """A box-office (peppered) cart answered 404: is the cart gone, or does the venue's API not
        offer that route? The public cart (a documented route) tells: when it still reads the
        cart, the route is missing (``exc.route_missing = True``: re-adding cannot help); when it
        answers 404 too, the cart is gone (False). Anything else leaves it unestablished."""
        if self.draft.cart_id is None:
            return
        try:
            await self.ctx.client.public.cart(self.draft.cart_id)
        except errors.NotFound:
            exc.route_missing = False  # type: ignore[attr-defined]
        except errors.VdmError:
            return
        else:
            exc.route_missing = True  # type: ignore[attr-defined]
            if self.ctx.on_cart_route_missing is not None:
                try:
                    self.ctx.on_cart_route_missing()
                except Exception:  # noqa: BLE001 - the sale's own message still stands
                    log.exception("switching to the sale by number failed")

    def _taken_seat(self, exc: errors.Conflict, items: list[CartItemRequest]) -> str | None:
        pos = seat_from_server_message(exc.message)
        seat_ids = [i.seat_id for i in items if i.seat_id]
        if pos is not None:
            for sid in seat_ids:
                found = self.ctx.seats.seat_index.get(sid)
                if found and (found[1].row, found[1].seat) == pos:
                    return sid
        return seat_ids[0] if len(seat_ids) == 1 else None

    async def _after_failed_write(self, exc: BaseException, step: str) -> None:
        """A write failed: if its outcome is unknown, the local view is stale (read back next)."""
        if self.draft.sale_id is None:
            return
        if isinstance(exc, errors.OutcomeUnknown) or getattr(exc, "ambiguous", False):
            self.draft.stale = True
        try:
            await self.ctx.record(self.ctx.journal.after, self.draft.sale_id, step, None,
                                  {"failed": type(exc).__name__, "unknown": self.draft.stale})
        except JournalWriteFailed as refused:
            # this entry records a request that failed, not one VoordeMensen carried out: the
            # cashier may try again (an outcome in doubt is read back first: ``stale``)
            refused.after_request = False
            raise

    def _fail(self, message: CashierMessage, *, taken_seat_ids: tuple[str, ...] = ()) -> AddResult:
        self.draft.message = message
        return AddResult(False, (), message, taken_seat_ids)

    async def add_general_admission(self, event_id: int | str, quantity: int,
                                    discount_id: str) -> AddResult:
        """Add ``quantity`` general-admission tickets (public cart; the server picks places)."""
        return await self.ctx.shielded(self._add_ga(event_id, quantity, discount_id))

    async def _add_ga(self, event_id: int | str, quantity: int, discount_id: str) -> AddResult:
        async with self.ctx.lock:
            return await self._public_add(event_id, quantity, discount_id, "add_tickets")

    async def _public_add(self, event_id: int | str, quantity: int, discount_id: str,
                          step: str) -> AddResult:
        self.draft.busy = "adding"
        try:
            await self.ensure_cart()
            await self.sync_if_stale()
            assert self.draft.sale_id and self.draft.cart_id
            await self.ctx.record(self.ctx.journal.before, self.draft.sale_id, step,
                                  {"event_id": event_id, "quantity": quantity,
                                   "discount_id": discount_id})
            known = self.draft.public_known if self.view.known_is_fresh() else None
            try:
                cart = await self.ctx.client.public.add_tickets(
                    self.draft.cart_id, event_id, quantity, discount_id, known_cart=known)
            except errors.VdmError as exc:
                await self._after_failed_write(exc, step)
                return self._fail(message_for(exc, operation="add"))
            added = self.view.apply_public(cart)
            await self._journal_lines(step, {"added": [ln.line_id for ln in added]})
            if added:   # (its background probe starts once the step is journaled)
                self.hold.set_estimate()
            self.draft.message = None
            return AddResult(True, tuple(added))
        finally:
            self.draft.busy = None
            self.ctx.notify()

    async def sync_if_stale(self) -> None:
        if self.draft.stale and self.draft.cart_id:
            await self.read_cart()

    async def read_cart(self) -> None:
        """Read the cart back (peppered when there is a key: it carries the exact timeOut)."""
        assert self.draft.cart_id
        if self.ctx.client.has_api_key:
            pcart = await self.ctx.client.peppered.cart(self.draft.cart_id)
            self.view.apply_peppered(pcart, {})
            # names/rows of GA lines come from the public view; keep what we had
        else:
            cart = await self.ctx.client.public.cart(self.draft.cart_id)
            self.view.apply_public(cart)
        self.draft.stale = False

    async def refresh(self) -> SaleSnapshot:
        """Read the cart back: detects expired holds (lines become released)."""
        return await self.ctx.shielded(self._refresh())

    async def _refresh(self) -> SaleSnapshot:
        async with self.ctx.lock:
            if self.draft.cart_id is None or self.draft.phase != Phase.OPEN:
                return self.ctx.snapshot()
            had_held = any(ln.held for ln in self.draft.lines.values())
            try:
                await self.read_cart()
            except errors.VdmError as exc:
                if isinstance(exc, errors.NotFound) and self.ctx.client.has_api_key:
                    await self._explain_cart_404(exc)
                self.draft.message = message_for(exc, operation="cart")
                self.ctx.notify()
                raise
            if had_held and not any(ln.held for ln in self.draft.lines.values()):
                self.draft.message = self.hold.cart_expired_message()
            if self.draft.sale_id and self.draft.lines:
                await self._journal_lines("refresh")
            self.ctx.notify()
            return self.ctx.snapshot()

    # -- removing
    async def remove_line(self, line_id: str) -> bool:
        return await self.ctx.shielded(self._remove(line_id))

    async def _remove(self, line_id: str) -> bool:
        async with self.ctx.lock:
            line = self.draft.lines.get(line_id)
            if line is None:
                return False
            if not line.held:
                del self.draft.lines[line_id]
                if self.draft.sale_id:
                    await self._journal_lines("forget_released")
                self.ctx.notify()
                return True
            ok = await self._remove_held(line, "remove_line")
            self.ctx.notify()
            return ok

    async def _remove_held(self, line: SaleLine, step: str) -> bool:
        assert self.draft.sale_id and self.draft.cart_id
        self.draft.busy = "removing"
        await self.ctx.record(self.ctx.journal.before, self.draft.sale_id, step,
                              {"line_id": line.line_id})
        try:
            if line.general_admission or not self.ctx.client.has_api_key:
                cart = await self.ctx.client.public.remove_line(self.draft.cart_id, line.line_id)
                self.view.apply_public(cart, removed={line.line_id})
            else:
                pcart = await self.ctx.client.peppered.remove_item(self.draft.cart_id, line.line_id)
                self.view.apply_peppered(pcart, {}, removed={line.line_id})
        except errors.NotFound:
            # already gone at the server (expired or removed): reflect that
            self.draft.lines.pop(line.line_id, None)
        except errors.VdmError as exc:
            await self._after_failed_write(exc, step)
            self.draft.message = message_for(exc, operation="remove")
            self.draft.busy = None
            return False
        self.draft.busy = None
        await self._journal_lines(step, {"removed": line.line_id})
        return True

    async def remove_all(self) -> bool:
        """Empty the cart (one request with a key; else one per line)."""
        return await self.ctx.shielded(self._remove_all())

    async def _remove_all(self) -> bool:
        async with self.ctx.lock:
            if not self.draft.lines:
                return True
            if not any(ln.held for ln in self.draft.lines.values()):
                self.draft.lines.clear()
                if self.draft.sale_id:
                    await self._journal_lines("forget_released")
                self.ctx.notify()
                return True
            ok = await self._release_cart("remove_all")
            self.ctx.notify()
            return ok

    async def _release_cart(self, step: str) -> bool:
        assert self.draft.sale_id and self.draft.cart_id
        self.draft.busy = "removing"
        await self.ctx.record(self.ctx.journal.before, self.draft.sale_id, step,
                              {"lines": len(self.draft.lines)})
        try:
            if self.ctx.client.has_api_key:
                await self.ctx.client.peppered.clear_cart(self.draft.cart_id)
            else:
                for ln in [ln for ln in self.draft.lines.values() if ln.held]:
                    with contextlib.suppress(errors.NotFound):
                        await self.ctx.client.public.remove_line(self.draft.cart_id, ln.line_id)
        except errors.VdmError as exc:
            await self._after_failed_write(exc, step)
            self.draft.message = message_for(exc, operation="release")
            self.draft.busy = None
            return False
        self.draft.lines.clear()
        self.draft.public_known = Cart(lines=[], total=ZERO)
        self.draft.hold_deadline = None
        self.draft.busy = None
        await self._journal_lines(step)
        return True

    async def abandon(self) -> bool:
        """Cancel the sale at hand (under the lock): release what it holds and end it as released.
        False (with the cashier's message) when the cart could not be emptied."""
        d = self.draft
        if d.phase == Phase.OPEN and d.sale_id and any(ln.held for ln in d.lines.values()):
            if not await self._release_cart("release"):
                return False
        if self.draft.phase == Phase.OPEN and self.draft.sale_id:
            await self.ctx.record(self.ctx.journal.after, self.draft.sale_id, "release",
                                  SaleState.RELEASED)
        return True

    async def read_back_lapsed(self) -> int:
        """The hold deadline has passed before an order: read the cart back. Returns how many
        held lines the server let go (journaled as a ``refresh``)."""
        had = {lid for lid, ln in self.draft.lines.items() if ln.held}
        await self.read_cart()
        lines = self.draft.lines
        lost = [lid for lid in had if not (lid in lines and lines[lid].held)]
        if lost and self.draft.sale_id:
            await self._journal_lines("refresh", {"released_before_order": len(lost)})
        return len(lost)

    async def release_all(self) -> None:
        """The order attempt found the hold lapsed: every line is shown released (journaled as a
        ``refresh``)."""
        self.view.drop_missing_lines((), ())
        await self._journal_lines("refresh", {"released_before_order": True})

    async def change_ticket_type(self, line_id: str, price_id: str) -> AddResult:
        """Another ticket type for one line. The API has no call to change a cart item, so:

        * general admission (or a cart without the API key): the new ticket is added first and
          the old line removed after, so the cart never holds fewer tickets; the new line takes
          the old one's place in the cart;
        * a chosen seat: a seat held by this cart cannot be added again, so it is removed and
          added back with the new type at once (nothing else runs in between: the sale's lock
          is held) and the line keeps its place. If another counter took the seat in that
          moment, the result says so and the line is gone."""
        return await self.ctx.shielded(self._change_type(line_id, price_id))

    def _put_line_at(self, line_id: str, index: int) -> None:
        """Move a line to ``index`` in the cart's display order."""
        line = self.draft.lines.pop(line_id, None)
        if line is None:
            return
        items = list(self.draft.lines.items())
        items.insert(min(index, len(items)), (line_id, line))
        self.draft.lines = dict(items)

    async def _change_type(self, line_id: str, price_id: str) -> AddResult:
        async with self.ctx.lock:
            line = self.draft.lines.get(line_id)
            if line is None or not line.held:
                return self._fail(CashierMessage(_("This line is no longer in the cart."),
                                                 Action.NONE))
            if line.price_id == price_id:
                return AddResult(True, (line,))
            if not line.general_admission:
                options = {o.price_id for o in self.ctx.seats.ticket_types_for(line)}
                if options and price_id not in options:
                    return self._fail(CashierMessage(
                        _("This ticket type is not valid for that seat: choose another type."),
                        Action.NONE))
            position = list(self.draft.lines).index(line_id)
            if line.general_admission or not self.ctx.client.has_api_key:
                return await self._change_type_add_first(line, price_id, position)
            if not await self._remove_held(line, "change_type_remove"):
                self.ctx.notify()
                return AddResult(False, (), self.draft.message)
            meta = _SeatMeta(line.section, line.row or 0, line.seat or 0, line.rank_id or 0)
            item = CartItemRequest(price_id=price_id, rank_id=line.rank_id or 0,
                                   event_id=line.event_id, seat_id=line.line_id)
            result = await self._peppered_add([item], {line.line_id: meta}, "change_type_add")
            if result.ok:
                self._put_line_at(line.line_id, position)
                await self._journal_lines("change_type_add", {"position": position})
                self.ctx.notify()
                return result
            if result.taken_seat_ids:
                label = self.ctx.seats.seat_label(line.line_id)
                msg = CashierMessage(
                    _("Seat {seat} in row {row} was taken at another counter while its ticket "
                      "type was changed: it is no longer in the cart.").format(
                        seat=label.seat if label else line.seat, row=label.row if label else line.row),
                    Action.PICK_ANOTHER_SEAT)
                self.draft.message = msg
                self.ctx.notify()
                return AddResult(False, (), msg, result.taken_seat_ids)
            return result

    async def _change_type_add_first(self, line: SaleLine, price_id: str,
                                     position: int) -> AddResult:
        """Add one ticket of the new type, then remove the old line; the new line takes the old
        one's place. A failed add leaves the old line as it was."""
        result = await self._public_add(line.event_id, 1, price_id, "change_type_add")
        if not result.ok:
            return result
        new_ids = [ln.line_id for ln in result.added]
        current = self.draft.lines.get(line.line_id)
        if current is not None and current.held:
            if not await self._remove_held(current, "change_type_remove"):
                # both are in the cart now: the cashier sees both and the reason
                self.ctx.notify()
                return AddResult(False, result.added, self.draft.message)
        for offset, new_id in enumerate(new_ids):
            self._put_line_at(new_id, position + offset)
        if self.draft.sale_id:
            await self._journal_lines("change_type", {"position": position})
        self.ctx.notify()
        return result

    # -- released lines
    async def readd_released(self) -> ReaddResult:
        """Put the released lines back, those still free, in one call per kind; report the rest."""
        return await self.ctx.shielded(self._readd())

    async def _readd(self) -> ReaddResult:
        async with self.ctx.lock:
            released = [ln for ln in self.draft.lines.values() if not ln.held]
            if not released:
                return ReaddResult((), ())
            await self.ensure_cart()
            self.draft.busy = "adding"
            try:
                return await self.readd_lines(released)
            finally:
                self.draft.busy = None
                self.ctx.notify()

    async def readd_lines(self, released: list[SaleLine]) -> ReaddResult:
        assert self.draft.sale_id and self.draft.cart_id
        seated = [ln for ln in released if not ln.general_admission]
        ga = [ln for ln in released if ln.general_admission]
        readded: list[SaleLine] = []
        missing: list[SaleLine] = []
        if seated:
            free: list[SaleLine] = []
            for eid in sorted({ln.event_id for ln in seated}):
                try:
                    plan = await self.load_seat_plan(eid)
                except errors.VdmError as exc:
                    self.draft.message = message_for(exc, operation="load")
                    missing.extend(ln for ln in seated if ln.event_id == eid)
                    continue
                available = {s.seat_id for _, _, s in plan.seats() if s.available}
                for ln in seated:
                    if ln.event_id == eid:
                        (free if ln.line_id in available else missing).append(ln)
            for _attempt in range(3):
                if not free:
                    break
                items = [CartItemRequest(price_id=ln.price_id, rank_id=ln.rank_id or 0,
                                         event_id=ln.event_id, seat_id=ln.line_id) for ln in free]
                metas = {ln.line_id: _SeatMeta(ln.section, ln.row or 0, ln.seat or 0,
                                               ln.rank_id or 0) for ln in free}
                for ln in free:
                    self.draft.lines.pop(ln.line_id, None)
                result = await self._peppered_add(items, metas, "readd_seats")
                if result.ok:
                    readded.extend(result.added)
                    break
                for ln in free:  # put them back as released
                    self.draft.lines.setdefault(ln.line_id, ln)
                if not result.taken_seat_ids:
                    missing.extend(free)
                    break
                taken = set(result.taken_seat_ids)
                missing.extend(ln for ln in free if ln.line_id in taken)
                free = [ln for ln in free if ln.line_id not in taken]
        groups: dict[tuple[int | str, str], list[SaleLine]] = {}
        for ln in ga:
            groups.setdefault((ln.event_id, ln.price_id), []).append(ln)
        for (eid, price_id), lines in groups.items():
            for ln in lines:
                self.draft.lines.pop(ln.line_id, None)
            result = await self._public_add(eid, len(lines), price_id, "readd_tickets")
            if result.ok:
                readded.extend(result.added)
            else:
                for ln in lines:
                    self.draft.lines[ln.line_id] = ln
                missing.extend(lines)
        msg = None
        if missing:
            places = ", ".join(f"{ln.performance}: {ln.place}" for ln in missing)
            msg = CashierMessage(_("These could not be put back, they are no longer free: {places}"
                                   ).format(places=places), Action.PICK_ANOTHER_SEAT,
                                 Severity.WARNING)
        self.draft.message = msg
        return ReaddResult(tuple(readded), tuple(missing), msg)
