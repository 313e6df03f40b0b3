"""Ordering: ``pay`` (one ``POST /order/create``, never sent twice), what a lapsed hold means before
it, and checking an order whose outcome is unknown (``recheck``), plus the tickets document. Owns
the journal's order steps: the order request, ``order_lookup``, ``create_order`` (and a refused
order) and ``recheck``.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from boxoffice.api import errors
from boxoffice.api.models import OrderCustomer
from boxoffice.api.reconcile import OrderLookup
from boxoffice.domain.money import ZERO, amount_due, surcharge
from boxoffice.i18n import _
from boxoffice.services.messages import Action, CashierMessage, Severity, message_for
from boxoffice.services.payment import Document, check_document_url, fetch_document
from boxoffice.services.sale.cart import CartEditor
from boxoffice.services.sale.cart_view import CartView
from boxoffice.services.sale.checkout import Checkout
from boxoffice.services.sale.hold import HoldClock
from boxoffice.services.sale.model import (
    PREF_LAST_METHOD,
    OrderInfo,
    PaymentChoice,
    Phase,
    SaleError,
    SaleLine,
    SaleSnapshot,
    _utcnow,
    line_from_dict,
    line_to_dict,
    order_needs_checking,
    snapshot_cart,
)
from boxoffice.services.sale.payment_watch import PaymentWatch
from boxoffice.services.sale.state import SaleContext, SaleDraft
from boxoffice.store.journal import JournalWriteFailed, OrderAlreadyRequested, SaleState

log = logging.getLogger("boxoffice.sale")


class Ordering:
    """Turning the held lines into an order (once), and finding out what became of one."""

    def __init__(self, ctx: SaleContext, *, hold: HoldClock, cart: CartEditor, view: CartView,
                 checkout: Checkout, watch: PaymentWatch) -> None:
        self.ctx = ctx
        self.hold = hold
        self.cart = cart
        self.view = view
        self.checkout = checkout
        self.watch = watch

    @property
    def draft(self) -> SaleDraft:
        return self.ctx.draft

    # ------------------------------------------------------------------ paying
    async def pay(self, *, wait: bool = False) -> SaleSnapshot:
        """Create the order for the held lines with the selected method, then wait for the
        payment in the background (``wait=True`` awaits the final status)."""
        snap = await self.ctx.shielded(self._pay())
        if wait and self.watch.poll_task is not None:
            await self.watch.wait_for_payment()
            return self.ctx.snapshot()
        return snap

    def _order_customer(self) -> OrderCustomer | None:
        c = self.draft.customer
        if c is None:
            return None
        return OrderCustomer(email=c.email, firstname=c.first_name, lastname=c.last_name,
                             phone=c.phone, avg_optin=self.draft.avg_optin,
                             avg_mailinglist=self.draft.avg_mailinglist)

    async def _pay(self) -> SaleSnapshot:
        async with self.ctx.lock:
            if self.draft.phase != Phase.OPEN or self.draft.cart_id is None or self.draft.sale_id is None:
                raise SaleError(CashierMessage(_("There is nothing to pay."), Action.NONE))
            if self.ctx.method is None:
                raise SaleError(CashierMessage(_("Choose a payment method first."),
                                               Action.OTHER_METHOD, Severity.WARNING))
            await self.cart.sync_if_stale()
            if await self._hold_lapsed_before_pay():
                return self.ctx.snapshot()
            held = [ln for ln in self.draft.lines.values() if ln.held]
            if not held:
                raise SaleError(CashierMessage(_("The cart is empty."), Action.NONE))
            # the methods' current fees and the start of the order attempt (existing orders, hold
            # deadline) are read side by side: one round trip of waiting, not two
            known = snapshot_cart(held)
            hold_until = None if self.draft.hold_estimated else self.draft.hold_deadline
            confirmed: bool | BaseException
            prepared: OrderLookup | BaseException | None
            confirmed, prepared = await asyncio.gather(
                self.checkout.confirm_method(),
                self.ctx.client.public.prepare_order(self.draft.cart_id, known, hold_until=hold_until),
                return_exceptions=True)
            if isinstance(confirmed, BaseException):
                raise confirmed
            if not confirmed:
                self.ctx.notify()
                return self.ctx.snapshot()
            if isinstance(prepared, BaseException):
                if not isinstance(prepared, errors.VdmError):
                    raise prepared
                log.info("order attempt not prepared ahead (%s)", type(prepared).__name__)
                prepared = None
            method = self.ctx.method
            assert method is not None
            total = sum((ln.price for ln in held), ZERO)
            fee = surcharge(method.surcharge)
            customer = self.draft.customer
            try:
                await self.ctx.record(
                    self.ctx.journal.request_order,
                    self.draft.sale_id, payment_method_id=method.method_id,
                    payment_method_name=method.name, surcharge=fee,
                    lines=[line_to_dict(ln) for ln in self.draft.lines.values()], total=total,
                    customer=None if customer is None else {
                        "email": customer.email, "first_name": customer.first_name,
                        "last_name": customer.last_name, "customer_id": customer.customer_id,
                        "avg_optin": self.draft.avg_optin, "avg_mailinglist": self.draft.avg_mailinglist})
            except OrderAlreadyRequested as exc:
                self.draft.message = message_for(exc, operation="order")
                self.draft.phase = Phase.ATTENTION
                self.ctx.notify()
                return self.ctx.snapshot()
            try:   # a convenience for the next sale: never what stops this order
                await self.ctx.record(self.ctx.journal.set_pref, PREF_LAST_METHOD,
                                      str(method.method_id))
            except JournalWriteFailed:
                log.warning("the last payment method could not be remembered")
            self.draft.phase = Phase.ORDERING
            self.draft.busy = "ordering"
            self.draft.ordered_lines = tuple(held)
            self.ctx.notify()
            sale_id = self.draft.sale_id

            async def journal_lookup(lookup: OrderLookup) -> None:
                # what identifies this attempt, committed (fsynced) before the request goes out
                # (and updated after), so a lost order is never confused with another sale's
                await self.ctx.record(self.ctx.journal.after, sale_id, "order_lookup", None, None,
                                      order_lookup=lookup.to_json())

            try:
                created = await self.ctx.client.public.create_order(
                    self.draft.cart_id, method.method_id, self.ctx.redirect_url,
                    self._order_customer(),
                    known_cart=known, on_lookup=journal_lookup,
                    # the server's own timeOut from the last add, when we have it
                    hold_until=hold_until, payment_label=method.name, prepared=prepared)
            except Exception as exc:  # noqa: BLE001 - no failure may leave the sale ORDERING
                self.draft.busy = None
                if not isinstance(exc, errors.VdmError):
                    # the client maps every failure onto its errors; anything else is a defect,
                    # and the order's outcome is unknown: never left in ORDERING
                    log.error("order creation failed unexpectedly", exc_info=True)
                if (not isinstance(exc, errors.VdmError) or isinstance(exc, errors.OutcomeUnknown)
                        or exc.ambiguous):
                    await self.ctx.record(
                        self.ctx.journal.after, self.draft.sale_id, "create_order",
                        SaleState.NEEDS_ATTENTION,
                        {"error": type(exc).__name__,
                         "candidates": list(getattr(exc, "candidates", ()))},
                        note="order outcome unknown")
                    self.draft.phase = Phase.ATTENTION
                    log.warning("order outcome unknown: %s: %s", type(exc).__name__, exc)
                    self.draft.message = order_needs_checking(
                        held, method_name=method.name, amount=amount_due(total, fee),
                        requested_at=_utcnow(), order_keys=getattr(exc, "candidates", ()))
                elif isinstance(exc, errors.HoldLapsed):
                    await self._leave_lapsed_cart()
                    self.draft.message = message_for(exc, operation="order")
                else:
                    # established: no order was made (the server refused it)
                    await self.ctx.record(self.ctx.journal.order_refused, self.draft.sale_id,
                                          type(exc).__name__)
                    self.draft.phase = Phase.OPEN
                    self.draft.message = message_for(exc, operation="order")
                    if isinstance(exc, errors.ValidationError):
                        self.draft.stale = True
                self.ctx.notify()
                return self.ctx.snapshot()
            url = created.url
            url_message = None
            if url is not None:
                try:
                    url = check_document_url(url, demo=self.ctx.demo)
                except errors.InsecureURL as exc:
                    log.warning("payment URL refused: %s", exc)
                    url = None
                    url_message = CashierMessage(
                        _("VoordeMensen sent a payment link that is not secure; it was not "
                          "opened. The order is kept; the customer can pay another way."),
                        Action.OTHER_METHOD, Severity.WARNING)
            entry: dict[str, Any] = {"order_key": created.order_key, "payment_url": url,
                                     "payment_status": "none", "order_created_at": _utcnow()}
            try:
                await self.ctx.record(self.ctx.journal.after, self.draft.sale_id, "create_order",
                                      SaleState.ORDER_CREATED, {"recovered": created.recovered},
                                      **entry)
            except JournalWriteFailed:
                # the order exists at VoordeMensen; only this computer's note of it was refused.
                # Keep what VoordeMensen answered: the re-check (every few seconds while the sale
                # is being checked) records it and starts the payment, never looking it up again
                log.warning("order %s made, but its journal entry was refused", created.order_key)
                self.draft.unrecorded_order = entry
                self.draft.unrecorded_message = url_message
                raise
            due = amount_due(total, fee)
            self.draft.order = OrderInfo(created.order_key, url, "none", method, due, True)
            self.draft.phase = Phase.WAITING
            self.draft.busy = None
            self.draft.lines = {ln.line_id: ln for ln in held}
            self.draft.hold_deadline = None
            self.hold.stop_expiry()
            self.draft.message = url_message
            self.watch.start()
            self.ctx.notify()
            return self.ctx.snapshot()

    async def _leave_lapsed_cart(self) -> None:
        """The order attempt found the hold lapsed with no order made (HoldLapsed). The lines are
        released; the sale on this cart ends (RELEASED) with its order request kept, and the cart
        is never used again: an attempt that got no answer may still be queued at VoordeMensen,
        and landing on a cart we had refilled it would make an order nobody knows of. Re-adding
        starts a new cart (and journal sale) with the same lines."""
        assert self.draft.sale_id is not None
        await self.cart.release_all()
        await self.ctx.record(self.ctx.journal.after, self.draft.sale_id, "create_order",
                              SaleState.RELEASED, {"hold_lapsed": True},
                              note="hold lapsed before any order; cart retired")
        self._retire_cart()

    def _retire_cart(self) -> None:
        """Forget the sale's cart (its journal entry is closed): the lines stay on screen as
        released, and the next add starts a new cart."""
        self.draft.sale_id = self.draft.cart_id = None
        self.draft.public_known = None
        self.draft.hold_deadline = None
        self.draft.hold_estimated = True
        self.draft.ordered_lines = ()
        self.draft.phase = Phase.OPEN

    async def _hold_lapsed_before_pay(self) -> bool:
        """If the hold deadline has passed, read the cart back before ordering: an expired cart
        reads empty just like one that became an order, so an order attempt on it could not be
        told apart from a created order if its answer were lost. Lines the server let go are
        shown as released with the cashier message; True means: do not order now."""
        if self.draft.hold_deadline is None or self.ctx.server_now() < self.draft.hold_deadline:
            return False
        lost = await self.cart.read_back_lapsed()
        if not lost:
            return False
        log.info("hold lapsed before the order: %d line(s) released", lost)
        self.draft.message = self.hold.cart_expired_message()
        self.ctx.notify()
        return True

    # ------------------------------------------------------------------ checking an order
    # -- a sale being checked (outcome unknown)
    async def recheck(self) -> SaleSnapshot:
        """Find out again whether the order of a sale "being checked" was made, by reading only
        (the order status, the cart, the venue's order export: the recovery's rules), never by
        sending an order again. Found → the sale waits for its payment as usual; established
        that no order was made → the seats are let go and the cashier can re-add them; still
        unknown (or VoordeMensen cannot be reached) → it stays being checked."""
        return await self.ctx.shielded(self._recheck())

    async def _recheck(self) -> SaleSnapshot:
        from boxoffice.api import reconcile
        from boxoffice.api.order_lookup import order_check

        async with self.ctx.lock:
            d = self.draft
            if d.phase != Phase.ATTENTION or d.sale_id is None:
                return self.ctx.snapshot()

            def left() -> bool:
                # "New sale" replaced the draft while this check was waiting (it takes no lock):
                # what is recorded stays recorded, and the next start's recovery (or the
                # hand-over) goes on with it; nothing more is written into the new sale
                return self.ctx.draft is not d

            sale_id = d.sale_id
            sale = await self.ctx.record(self.ctx.journal.get, sale_id)
            if left():
                return self.ctx.snapshot()
            key = sale.order_key
            status = sale.payment_status or "none"
            payment_url = sale.payment_url
            answered = d.unrecorded_order
            late_message = None
            if key is None and answered is not None:
                # VoordeMensen's answer is known; only its journal entry is missing
                await self.ctx.record(self.ctx.journal.after, sale_id, "recheck",
                                      SaleState.ORDER_CREATED, {"recorded_late": True},
                                      **answered)
                d.unrecorded_order = None
                late_message, d.unrecorded_message = d.unrecorded_message, None
                key, payment_url = answered["order_key"], answered["payment_url"]
            elif key is None:
                if sale.order_requested_at is None or not sale.cart_id:
                    return self.ctx.snapshot()
                cart_id = sale.cart_id
                lines = list(d.ordered_lines) or [
                    line_from_dict(x) for x in sale.lines if x.get("status", "held") == "held"]
                d.busy = "checking"
                self.ctx.notify()
                async def look() -> reconcile.Outcome:
                    outcome, _seen = await order_check(
                        self.ctx.client.public, self.ctx.client.peppered, cart_id,
                        snapshot_cart(lines), sale.order_attempt(),
                        exclude_keys=await self.ctx.record(self.ctx.journal.order_keys))
                    return outcome

                try:
                    outcome = await look()
                    if left():
                        return self.ctx.snapshot()
                    if outcome.state == reconcile.NOT_APPLIED:
                        # no order shown *so far*: let the cart go, so a request still queued
                        # finds nothing to order, then look once more (recovery's rule): one
                        # that landed just before the release shows now
                        if not await self._let_checked_cart_go(lines) or left():
                            return self.ctx.snapshot()
                        outcome = await look()
                        if left():
                            return self.ctx.snapshot()
                        if outcome.state == reconcile.NOT_APPLIED:
                            return await self._no_order_was_made()
                        if outcome.state == reconcile.ENDED_UNPAID:
                            return await self._no_order_was_made(
                                ended_unpaid=outcome.candidates)
                except errors.NotFound:
                    outcome = reconcile.unknown("the cart is unknown at VoordeMensen")
                except errors.VdmError as exc:
                    log.info("sale not checked yet (%s)", type(exc).__name__)
                    d.message = CashierMessage(
                        _("VoordeMensen cannot be reached yet, so this sale is still being "
                          "checked. It is checked again by itself as soon as the connection is "
                          "back."), Action.NONE, Severity.WARNING)
                    return self.ctx.snapshot()
                finally:
                    d.busy = None
                    self.ctx.notify()
                if left():
                    return self.ctx.snapshot()
                if outcome.state == reconcile.LAPSED:
                    return await self._no_order_was_made()
                if outcome.state == reconcile.ENDED_UNPAID:
                    return await self._no_order_was_made(ended_unpaid=outcome.candidates)
                if outcome.state != reconcile.APPLIED:
                    log.info("sale still unconfirmed: %s", outcome.why)
                    d.message = CashierMessage(
                        _("It is still not certain whether the order was made; this sale is "
                          "checked again. Nothing is made twice."), Action.NONE,
                        Severity.WARNING)
                    self.ctx.notify()
                    return self.ctx.snapshot()
                found = outcome.applied_value()
                key = found.order_key
                status = found.order_payment_status or "none"
                await self.ctx.record(self.ctx.journal.after, sale_id, "recheck",
                                      SaleState.ORDER_CREATED, {"recovered": True},
                                      order_key=key, payment_status=status)
                d.ordered_lines = tuple(lines)
            elif sale.state != SaleState.ORDER_CREATED:
                await self.ctx.record(self.ctx.journal.after, sale_id, "recheck",
                                      SaleState.ORDER_CREATED)
            if left():
                return self.ctx.snapshot()
            if not d.ordered_lines:
                d.ordered_lines = tuple(
                    line_from_dict(x) for x in sale.lines if x.get("status", "held") == "held")
            method = self.ctx.method if (self.ctx.method is not None and self.ctx.method.method_id
                                      == sale.payment_method_id) else PaymentChoice(
                sale.payment_method_id or 0, sale.payment_method_name or "", ZERO)
            total = sum((ln.price for ln in d.ordered_lines), ZERO)
            d.order = OrderInfo(key, payment_url, status, method,
                                amount_due(total, sale.surcharge), True)
            d.lines = {ln.line_id: ln for ln in d.ordered_lines}
            d.phase = Phase.WAITING
            d.message = late_message
            d.hold_deadline = None
            self.hold.stop_expiry()
            self.watch.start(first_delay=0.0)
            self.ctx.notify()
            return self.ctx.snapshot()

    async def _let_checked_cart_go(self, lines: list[SaleLine]) -> bool:
        """Empty the cart of a sale being checked (its seats may still be held); False, with the
        cashier told, when that could not be done."""
        draft = self.draft
        assert self.draft.cart_id is not None
        try:
            if self.ctx.client.has_api_key:
                await self.ctx.client.peppered.clear_cart(self.draft.cart_id)
            else:
                for ln in lines:
                    with contextlib.suppress(errors.NotFound):
                        await self.ctx.client.public.remove_line(self.draft.cart_id, ln.line_id)
        except errors.NotFound:
            pass
        except errors.VdmError as exc:
            log.info("cart not released after the check (%s)", type(exc).__name__)
            if self.ctx.draft is not draft:
                return False
            self.draft.message = message_for(exc, operation="release")
            self.ctx.notify()
            return False
        return True

    async def _no_order_was_made(self, *, ended_unpaid: tuple[str, ...] | None = None,
                                 ) -> SaleSnapshot:
        """The re-check established that no order was made (the hold lapsed, or the order list
        still showed none after the cart was let go), or (``ended_unpaid``: the orders that might
        have been it) that whatever it made has ended unpaid after the hold lapsed. Either way
        nothing was paid and nothing can be. The cart is never used again (a request still
        queued at VoordeMensen must not land on a refilled cart); its lines are shown as
        released, so "Re-add" puts them back on a new cart."""
        d = self.draft
        assert d.sale_id is not None and d.cart_id is not None
        self.view.drop_missing_lines((), ())
        if ended_unpaid is None:
            data: dict[str, Any] = {"no_order": True}
            note = "checked: no order was made; cart released"
        else:
            data = {"ended_unpaid": list(ended_unpaid)}
            note = "checked: every order that might be this sale's ended unpaid; cart released"
        await self.ctx.record(self.ctx.journal.after, d.sale_id, "recheck",
                              SaleState.RELEASED, data,
                              lines=[line_to_dict(ln) for ln in d.lines.values()], note=note)
        if self.ctx.draft is not d:   # "New sale" meanwhile: recorded; nothing to show
            return self.ctx.snapshot()
        self._retire_cart()
        if ended_unpaid is None:
            text = _("Checked: no order was made and nothing was paid. The seats were let go; "
                     "\"Re-add\" puts back those still free.")
        else:
            text = _("Checked: nothing was paid for this sale, and any order made for it has "
                     "ended unpaid. The seats were let go; \"Re-add\" puts back those still "
                     "free.")
        self.draft.message = CashierMessage(text, Action.READD, Severity.WARNING)
        self.ctx.notify()
        return self.ctx.snapshot()

    async def download_tickets(self) -> Document:
        if self.draft.confirmation is None or not self.draft.confirmation.tickets_url:
            raise SaleError(CashierMessage(_("There are no tickets to download yet."), Action.NONE))
        return await fetch_document(self.draft.confirmation.tickets_url, demo=self.ctx.demo)
