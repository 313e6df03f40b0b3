"""The cart of a sale: the performances and seat plans it draws on, creating it, adds (seats through
the peppered cart, general admission through the public one) with reconciliation, removes,
ticket-type changes and re-adding released lines.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Container, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from boxoffice.api import errors
from boxoffice.api.models import Cart, CartItemRequest, PepperedCart, SeatPlan
from boxoffice.domain.money import ZERO
from boxoffice.i18n import _
from boxoffice.services.messages import (
    Action,
    CashierMessage,
    SeatLabel,
    Severity,
    message_for,
    seat_from_server_message,
    seat_taken,
)
from boxoffice.services.sale.model import (
    AddResult,
    LineStatus,
    PerformanceInfo,
    Phase,
    PriceOption,
    ReaddResult,
    SaleError,
    SaleLine,
    SaleSnapshot,
    SeatRequest,
    _SeatMeta,
    line_to_dict,
)
from boxoffice.services.sale.state import SaleServiceState
from boxoffice.store.journal import SaleState

log = logging.getLogger("boxoffice.sale")


class CartSteps(SaleServiceState):
    """Part of :class:`~boxoffice.services.sale.service.SaleService` (a mixin on its ``SaleServiceState``)."""

    # ------------------------------------------------------------------ performances & plans
    def remember_performance(self, info: PerformanceInfo | Any) -> None:
        """Names for the cart lines; accepts a PerformanceInfo or a public SubEvent."""
        if not isinstance(info, PerformanceInfo):
            info = PerformanceInfo(info.event_id, info.event_name,
                                   getattr(info, "starts_at", None), getattr(info, "location_name", None))
        self._performances[info.event_id] = info

    def use_seat_plan(self, plan: SeatPlan) -> None:
        """Give the service a seating plan (e.g. from the offline cache or the seat map)."""
        self._plans[plan.event_id] = plan
        for section, row, seat in plan.seats():
            self._seat_index[seat.seat_id] = (plan.event_id, _SeatMeta(
                section.section_name, row.row_nr, seat.seat_nr, seat.rank_id))

    async def load_seat_plan(self, event_id: int | str) -> SeatPlan:
        plan = await self.client.peppered.seating(event_id)
        self.use_seat_plan(plan)
        return plan

    def seat_label(self, seat_id: str) -> SeatLabel | None:
        found = self._seat_index.get(seat_id)
        if found is None:
            return None
        meta = found[1]
        return SeatLabel(row=meta.row, seat=meta.seat, section=meta.section)

    def ticket_types_for(self, line_id: str) -> list[PriceOption]:
        """Ticket types valid for this line (a seat: those of its rank in the seating plan)."""
        line = self.draft.lines.get(line_id)
        if line is None:
            return []
        plan = self._plans.get(line.event_id)
        if plan is None:
            return []
        rank = line.rank_id
        # priceLevels name the rank ("Rang 1"); the ticket type's own name comes from tickettypes
        # (same id space: priceId == discount_id) when the UI has given it.
        names = self._type_names.get(line.event_id, {})
        return [PriceOption(pl.price_id, names.get(pl.price_id) or pl.name or pl.price_id, pl.amount)
                for pl in plan.price_levels if rank is None or pl.rank_id == rank]

    def use_ticket_type_names(self, event_id: int | str, names: dict[str, str]) -> None:
        """Ticket type names per id (public ``discount_id`` = peppered ``priceId``) for the lines'
        type choices."""
        self._type_names[event_id] = dict(names)

    def _perf_name(self, event_id: int | str, fallback: str | None = None) -> tuple[str, datetime | None]:
        info = self._performances.get(event_id)
        if info is not None:
            return info.name, info.starts_at
        return fallback or str(event_id), None

    # ------------------------------------------------------------------ cart life
    async def prepare(self) -> str:
        """Create the cart ahead (one request), journaled; returns the cart id."""
        return await self._shielded(self._prepare())

    async def _prepare(self) -> str:
        async with self._lock:
            return await self._ensure_cart()

    async def _ensure_cart(self) -> str:
        if self.draft.cart_id is not None and self.draft.phase == Phase.OPEN:
            return self.draft.cart_id
        if self.draft.phase not in (Phase.IDLE, Phase.OPEN):
            raise SaleError(CashierMessage(_("Finish or close the current sale first."),
                                           Action.NONE, Severity.WARNING))
        cart_id = await self.client.public.create_cart()
        # the cart is known by venue, id and creation, never by its id alone (ids can recur)
        sale = self.journal.start_sale(cart_id, venue=getattr(self.client, "base_url", None),
                                       cart_created_at=self._server_now())
        self.draft.sale_id = sale.sale_id
        self.draft.cart_id = cart_id
        self.draft.phase = Phase.OPEN
        self.draft.public_known = Cart(lines=[], total=ZERO)  # a brand-new cart is empty
        self._notify()
        return cart_id

    def _journal_lines(self, step: str, detail: dict[str, Any] | None = None) -> None:
        assert self.draft.sale_id is not None
        held = [ln for ln in self.draft.lines.values() if ln.held]
        state = SaleState.LINES_ADDED if self.draft.lines else SaleState.CART_CREATED
        self.journal.after(self.draft.sale_id, step, state, detail,
                           lines=[line_to_dict(ln) for ln in self.draft.lines.values()],
                           total=sum((ln.price for ln in held), ZERO))

    # -- applying server views of the cart
    def _drop_missing_lines(self, present: Container[str], removed: Container[str]) -> None:
        """Held lines the server's cart no longer has: gone if we removed them, else released."""
        for lid, ln in list(self.draft.lines.items()):
            if ln.held and lid not in present:
                if lid in removed:
                    del self.draft.lines[lid]
                else:
                    self.draft.lines[lid] = replace(ln, status=LineStatus.RELEASED)

    def _apply_peppered(self, cart: PepperedCart, new_meta: dict[str, _SeatMeta],
                        removed: Container[str] = frozenset()) -> list[SaleLine]:
        present = {i.item_id: i for i in cart.cart_items if i.item_type == "ticket"}
        added = []
        self._drop_missing_lines(present, removed)
        for item_id, item in present.items():
            old = self.draft.lines.get(item_id)
            meta = new_meta.get(item_id)
            if meta is None and old is None:
                known = self._seat_index.get(item_id)
                meta = known[1] if known else None
            name, starts = self._perf_name(item.event_id or 0, item.description)
            if old is not None and old.held:
                self.draft.lines[item_id] = replace(
                    old, price_id=item.price_id or old.price_id,
                    ticket_type=item.price_name or old.ticket_type,
                    price=item.amount if item.amount is not None else old.price)
                continue
            line = SaleLine(
                line_id=item_id, event_id=item.event_id or 0, performance=name, starts_at=starts,
                section=meta.section if meta else None, row=meta.row if meta else None,
                seat=meta.seat if meta else None, general_admission=meta is None,
                price_id=item.price_id or "", ticket_type=item.price_name or "",
                rank_id=meta.rank_id if meta else None,
                price=item.amount if item.amount is not None else ZERO)
            self.draft.lines.pop(item_id, None)
            self.draft.lines[item_id] = line
            added.append(line)
        self.draft.public_known = None
        if present:
            self._set_hold_exact(cart.time_out)
        return added

    def _apply_public(self, cart: Cart, removed: Container[str] = frozenset()) -> list[SaleLine]:
        from boxoffice.domain.seatplan import place_value  # (issue 15: rows may be labels)

        present = {ln.seat_id: ln for ln in cart.lines}
        added = []
        self._drop_missing_lines(present, removed)
        for seat_id, cl in present.items():
            old = self.draft.lines.get(seat_id)
            if old is not None and old.held:
                self.draft.lines[seat_id] = replace(
                    old, price_id=cl.discount_id, ticket_type=cl.discount_name or old.ticket_type,
                    price=cl.seat_price)
                continue
            ga = cl.is_general_admission
            known = self._seat_index.get(seat_id)
            name, starts = self._perf_name(cl.event_id, cl.event_name)
            line = SaleLine(
                line_id=seat_id, event_id=cl.event_id, performance=name,
                starts_at=starts or cl.starts_at,
                section=known[1].section if known else None,
                # a row/seat may be a label ("A", "12a"): kept as text, numbers as ints
                row=None if ga else place_value(cl.seat_row_nr),
                seat=None if ga else place_value(cl.seat_nr),
                general_admission=ga, price_id=cl.discount_id,
                ticket_type=cl.discount_name or "", rank_id=known[1].rank_id if known else None,
                price=cl.seat_price)
            self.draft.lines.pop(seat_id, None)
            self.draft.lines[seat_id] = line
            added.append(line)
        self.draft.public_known = cart
        return added

    # -- adding
    async def add_seats(self, event_id: int | str, seats: Iterable[SeatRequest | str]) -> AddResult:
        """Hold specific seats from the map (peppered, one all-or-nothing request)."""
        requests = [s if isinstance(s, SeatRequest) else SeatRequest(s) for s in seats]
        return await self._shielded(self._add_seats(event_id, requests))

    def _seat_items(self, event_id: int | str, requests: list[SeatRequest]
                    ) -> tuple[list[CartItemRequest], dict[str, _SeatMeta]]:
        plan = self._plans.get(event_id)
        items, metas = [], {}
        for req in requests:
            found = self._seat_index.get(req.seat_id)
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
        async with self._lock:
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
            await self._ensure_cart()
            await self._sync_if_stale()
            assert self.draft.sale_id and self.draft.cart_id
            self.journal.before(self.draft.sale_id, step, {"seats": [i.seat_id for i in items],
                                                      "items": len(items)})
            try:
                cart = await self.client.peppered.add_items(self.draft.cart_id, items)
            except errors.Conflict as exc:
                taken = self._taken_seat(exc, items)
                label = self.seat_label(taken) if taken else None
                self.journal.after(self.draft.sale_id, step, None, {"refused": "conflict"})
                return self._fail(seat_taken(label), taken_seat_ids=(taken,) if taken else ())
            except errors.VdmError as exc:
                self._after_failed_write(exc, step)
                if isinstance(exc, errors.NotFound):
                    await self._explain_cart_404(exc)
                return self._fail(message_for(exc, operation="add"))
            added = self._apply_peppered(cart, metas)
            self._journal_lines(step, {"added": [ln.line_id for ln in added]})
            self.draft.message = None
            return AddResult(True, tuple(added))
        finally:
            self.draft.busy = None
            self._notify()

    async def _explain_cart_404(self, exc: errors.NotFound) -> None:
        """A box-office (peppered) cart answered 404: is the cart gone, or does the venue's API not
        offer that route? The public cart (a documented route) tells: when it still reads the
        cart, the route is missing (``exc.route_missing = True``: re-adding cannot help); when it
        answers 404 too, the cart is gone (False). Anything else leaves it unestablished."""
        if self.draft.cart_id is None:
            return
        try:
            await self.client.public.cart(self.draft.cart_id)
        except errors.NotFound:
            exc.route_missing = False  # type: ignore[attr-defined]
        except errors.VdmError:
            return
        else:
            exc.route_missing = True  # type: ignore[attr-defined]
            if self.on_cart_route_missing is not None:
                try:
                    self.on_cart_route_missing()
                except Exception:  # noqa: BLE001 - the sale's own message still stands
                    log.exception("switching to the sale by number failed")

    def _taken_seat(self, exc: errors.Conflict, items: list[CartItemRequest]) -> str | None:
        pos = seat_from_server_message(exc.message)
        seat_ids = [i.seat_id for i in items if i.seat_id]
        if pos is not None:
            for sid in seat_ids:
                found = self._seat_index.get(sid)
                if found and (found[1].row, found[1].seat) == pos:
                    return sid
        return seat_ids[0] if len(seat_ids) == 1 else None

    def _after_failed_write(self, exc: BaseException, step: str) -> None:
        """A write failed: if its outcome is unknown, the local view is stale (read back next)."""
        if self.draft.sale_id is None:
            return
        if isinstance(exc, errors.OutcomeUnknown) or getattr(exc, "ambiguous", False):
            self.draft.stale = True
        self.journal.after(self.draft.sale_id, step, None,
                           {"failed": type(exc).__name__, "unknown": self.draft.stale})

    def _fail(self, message: CashierMessage, *, taken_seat_ids: tuple[str, ...] = ()) -> AddResult:
        self.draft.message = message
        return AddResult(False, (), message, taken_seat_ids)

    async def add_general_admission(self, event_id: int | str, quantity: int,
                                    discount_id: str) -> AddResult:
        """Add ``quantity`` general-admission tickets (public cart; the server picks places)."""
        return await self._shielded(self._add_ga(event_id, quantity, discount_id))

    async def _add_ga(self, event_id: int | str, quantity: int, discount_id: str) -> AddResult:
        async with self._lock:
            return await self._public_add(event_id, quantity, discount_id, "add_tickets")

    async def _public_add(self, event_id: int | str, quantity: int, discount_id: str,
                          step: str) -> AddResult:
        self.draft.busy = "adding"
        try:
            await self._ensure_cart()
            await self._sync_if_stale()
            assert self.draft.sale_id and self.draft.cart_id
            self.journal.before(self.draft.sale_id, step, {"event_id": event_id, "quantity": quantity,
                                                      "discount_id": discount_id})
            known = self.draft.public_known if self._known_is_fresh() else None
            try:
                cart = await self.client.public.add_tickets(
                    self.draft.cart_id, event_id, quantity, discount_id, known_cart=known)
            except errors.VdmError as exc:
                self._after_failed_write(exc, step)
                return self._fail(message_for(exc, operation="add"))
            added = self._apply_public(cart)
            if added:
                self._set_hold_estimate()
            self._journal_lines(step, {"added": [ln.line_id for ln in added]})
            self.draft.message = None
            return AddResult(True, tuple(added))
        finally:
            self.draft.busy = None
            self._notify()

    def _known_is_fresh(self) -> bool:
        """The last public cart view may stand in for a read-before only while nothing else
        changed the cart and its hold cannot have lapsed (with a safety margin)."""
        if self.draft.public_known is None or self.draft.stale:
            return False
        if not self.draft.public_known.lines:
            return True
        if self.draft.hold_deadline is None:
            return False
        return (self.draft.hold_deadline - self._server_now()).total_seconds() > 60

    async def _sync_if_stale(self) -> None:
        if self.draft.stale and self.draft.cart_id:
            await self._read_cart()

    async def _read_cart(self) -> None:
        """Read the cart back (peppered when there is a key: it carries the exact timeOut)."""
        assert self.draft.cart_id
        if self.client.has_api_key:
            pcart = await self.client.peppered.cart(self.draft.cart_id)
            self._apply_peppered(pcart, {})
            # names/rows of GA lines come from the public view; keep what we had
        else:
            cart = await self.client.public.cart(self.draft.cart_id)
            self._apply_public(cart)
        self.draft.stale = False

    async def refresh(self) -> SaleSnapshot:
        """Read the cart back: detects expired holds (lines become released)."""
        return await self._shielded(self._refresh())

    async def _refresh(self) -> SaleSnapshot:
        async with self._lock:
            if self.draft.cart_id is None or self.draft.phase != Phase.OPEN:
                return self.snapshot()
            had_held = any(ln.held for ln in self.draft.lines.values())
            try:
                await self._read_cart()
            except errors.VdmError as exc:
                if isinstance(exc, errors.NotFound) and self.client.has_api_key:
                    await self._explain_cart_404(exc)
                self.draft.message = message_for(exc, operation="cart")
                self._notify()
                raise
            if had_held and not any(ln.held for ln in self.draft.lines.values()):
                self.draft.message = self._cart_expired_message()
            if self.draft.sale_id and self.draft.lines:
                self._journal_lines("refresh")
            self._notify()
            return self.snapshot()

    # -- removing
    async def remove_line(self, line_id: str) -> bool:
        return await self._shielded(self._remove(line_id))

    async def _remove(self, line_id: str) -> bool:
        async with self._lock:
            line = self.draft.lines.get(line_id)
            if line is None:
                return False
            if not line.held:
                del self.draft.lines[line_id]
                if self.draft.sale_id:
                    self._journal_lines("forget_released")
                self._notify()
                return True
            ok = await self._remove_held(line, "remove_line")
            self._notify()
            return ok

    async def _remove_held(self, line: SaleLine, step: str) -> bool:
        assert self.draft.sale_id and self.draft.cart_id
        self.draft.busy = "removing"
        self.journal.before(self.draft.sale_id, step, {"line_id": line.line_id})
        try:
            if line.general_admission or not self.client.has_api_key:
                cart = await self.client.public.remove_line(self.draft.cart_id, line.line_id)
                self._apply_public(cart, removed={line.line_id})
            else:
                pcart = await self.client.peppered.remove_item(self.draft.cart_id, line.line_id)
                self._apply_peppered(pcart, {}, removed={line.line_id})
        except errors.NotFound:
            # already gone at the server (expired or removed): reflect that
            self.draft.lines.pop(line.line_id, None)
        except errors.VdmError as exc:
            self._after_failed_write(exc, step)
            self.draft.message = message_for(exc, operation="remove")
            self.draft.busy = None
            return False
        self.draft.busy = None
        self._journal_lines(step, {"removed": line.line_id})
        return True

    async def remove_all(self) -> bool:
        """Empty the cart (one request with a key; else one per line)."""
        return await self._shielded(self._remove_all())

    async def _remove_all(self) -> bool:
        async with self._lock:
            if not self.draft.lines:
                return True
            if not any(ln.held for ln in self.draft.lines.values()):
                self.draft.lines.clear()
                if self.draft.sale_id:
                    self._journal_lines("forget_released")
                self._notify()
                return True
            ok = await self._release_cart("remove_all")
            self._notify()
            return ok

    async def _release_cart(self, step: str) -> bool:
        assert self.draft.sale_id and self.draft.cart_id
        self.draft.busy = "removing"
        self.journal.before(self.draft.sale_id, step, {"lines": len(self.draft.lines)})
        try:
            if self.client.has_api_key:
                await self.client.peppered.clear_cart(self.draft.cart_id)
            else:
                for ln in [ln for ln in self.draft.lines.values() if ln.held]:
                    with contextlib.suppress(errors.NotFound):
                        await self.client.public.remove_line(self.draft.cart_id, ln.line_id)
        except errors.VdmError as exc:
            self._after_failed_write(exc, step)
            self.draft.message = message_for(exc, operation="release")
            self.draft.busy = None
            return False
        self.draft.lines.clear()
        self.draft.public_known = Cart(lines=[], total=ZERO)
        self.draft.hold_deadline = None
        self.draft.busy = None
        self._journal_lines(step)
        return True

    async def change_ticket_type(self, line_id: str, price_id: str) -> AddResult:
        """Another ticket type for one line. The API has no call to change a cart item, so:

        * general admission (or a cart without the API key): the new ticket is added first and
          the old line removed after, so the cart never holds fewer tickets; the new line takes
          the old one's place in the cart;
        * a chosen seat: a seat held by this cart cannot be added again, so it is removed and
          added back with the new type at once (nothing else runs in between: the sale's lock
          is held) and the line keeps its place. If another counter took the seat in that
          moment, the result says so and the line is gone."""
        return await self._shielded(self._change_type(line_id, price_id))

    def _put_line_at(self, line_id: str, index: int) -> None:
        """Move a line to ``index`` in the cart's display order."""
        line = self.draft.lines.pop(line_id, None)
        if line is None:
            return
        items = list(self.draft.lines.items())
        items.insert(min(index, len(items)), (line_id, line))
        self.draft.lines = dict(items)

    async def _change_type(self, line_id: str, price_id: str) -> AddResult:
        async with self._lock:
            line = self.draft.lines.get(line_id)
            if line is None or not line.held:
                return self._fail(CashierMessage(_("This line is no longer in the cart."),
                                                 Action.NONE))
            if line.price_id == price_id:
                return AddResult(True, (line,))
            if not line.general_admission:
                options = {o.price_id for o in self.ticket_types_for(line_id)}
                if options and price_id not in options:
                    return self._fail(CashierMessage(
                        _("This ticket type is not valid for that seat: choose another type."),
                        Action.NONE))
            position = list(self.draft.lines).index(line_id)
            if line.general_admission or not self.client.has_api_key:
                return await self._change_type_add_first(line, price_id, position)
            if not await self._remove_held(line, "change_type_remove"):
                self._notify()
                return AddResult(False, (), self.draft.message)
            meta = _SeatMeta(line.section, line.row or 0, line.seat or 0, line.rank_id or 0)
            item = CartItemRequest(price_id=price_id, rank_id=line.rank_id or 0,
                                   event_id=line.event_id, seat_id=line.line_id)
            result = await self._peppered_add([item], {line.line_id: meta}, "change_type_add")
            if result.ok:
                self._put_line_at(line.line_id, position)
                self._journal_lines("change_type_add", {"position": position})
                self._notify()
                return result
            if result.taken_seat_ids:
                label = self.seat_label(line.line_id)
                msg = CashierMessage(
                    _("Seat {seat} in row {row} was taken at another counter while its ticket "
                      "type was changed: it is no longer in the cart.").format(
                        seat=label.seat if label else line.seat, row=label.row if label else line.row),
                    Action.PICK_ANOTHER_SEAT)
                self.draft.message = msg
                self._notify()
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
                self._notify()
                return AddResult(False, result.added, self.draft.message)
        for offset, new_id in enumerate(new_ids):
            self._put_line_at(new_id, position + offset)
        if self.draft.sale_id:
            self._journal_lines("change_type", {"position": position})
        self._notify()
        return result

    # -- released lines
    async def readd_released(self) -> ReaddResult:
        """Put the released lines back, those still free, in one call per kind; report the rest."""
        return await self._shielded(self._readd())

    async def _readd(self) -> ReaddResult:
        async with self._lock:
            released = [ln for ln in self.draft.lines.values() if not ln.held]
            if not released:
                return ReaddResult((), ())
            await self._ensure_cart()
            self.draft.busy = "adding"
            try:
                return await self._readd_lines(released)
            finally:
                self.draft.busy = None
                self._notify()

    async def _readd_lines(self, released: list[SaleLine]) -> ReaddResult:
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
