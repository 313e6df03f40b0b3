"""``SaleService``, the façade: one counter's sale. It creates the sale's state (the
:class:`~boxoffice.services.sale.state.SaleContext` with its :class:`SaleDraft`) and the parts
that work on it, holds the lock and the listeners, builds the snapshot, and opens, cancels and
closes sales; every other public method hands over to one part.

Who writes which journal step (each step has exactly one writer):

* ``cart`` (:class:`CartEditor`): the sale's start (``start_sale``), ``add_seats``,
  ``add_tickets``, ``readd_seats``, ``readd_tickets``, ``change_type``, ``change_type_add``,
  ``change_type_remove``, ``remove_line``, ``remove_all``, ``forget_released``, ``refresh``
  and ``release`` (a cancelled sale);
* ``ordering`` (:class:`Ordering`): the order request (``request_order``), ``order_lookup``,
  ``create_order`` (and a refused order, ``order_refused``) and ``recheck``;
* ``payment_watch`` (:class:`PaymentWatch`): ``status``;
* the façade: ``close_empty`` (an open sale that never held anything).

``hold``, ``cart_view``, ``plans`` and ``checkout`` write no journal step (``checkout`` keeps the
payment methods and the last one used in the journal's preferences).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from boxoffice.api.models import SeatPlan
from boxoffice.domain.cash import Change
from boxoffice.domain.money import ZERO, amount_due, surcharge
from boxoffice.i18n import _
from boxoffice.services.listeners import Listeners
from boxoffice.services.messages import (
    Action,
    CashierMessage,
    SeatLabel,
    Severity,
    journal_not_recorded,
)
from boxoffice.services.payment import Document, PaymentPoller
from boxoffice.services.sale.cart import CartEditor
from boxoffice.services.sale.cart_view import CartView
from boxoffice.services.sale.checkout import Checkout
from boxoffice.services.sale.hold import HoldClock
from boxoffice.services.sale.model import (
    ASSUMED_HOLD_SECONDS,
    AddResult,
    CustomerInfo,
    HoldInfo,
    LineStatus,
    Listener,
    PaymentChoice,
    PerformanceGroup,
    PerformanceInfo,
    Phase,
    PriceOption,
    ReaddResult,
    SaleError,
    SaleLine,
    SaleSnapshot,
    SeatRequest,
)
from boxoffice.services.sale.ordering import Ordering
from boxoffice.services.sale.payment_watch import PaymentWatch
from boxoffice.services.sale.state import SaleContext, SaleDraft
from boxoffice.services.tasks import await_ended
from boxoffice.store.journal import JournalWriteFailed, SaleJournal, SaleState

log = logging.getLogger("boxoffice.sale")

T = TypeVar("T")


def _log_failure(future: concurrent.futures.Future[None]) -> None:
    """A journal step nobody awaits (closing an empty sale): its failure is logged."""
    if not future.cancelled() and future.exception() is not None:
        log.warning("journal step failed", exc_info=future.exception())


class SaleService:
    """One counter's sale. All methods run on the event loop that owns ``client``."""

    def __init__(
        self,
        client,
        journal: SaleJournal,
        *,
        demo: bool = False,
        hold_seconds: float = ASSUMED_HOLD_SECONDS,
        now: Callable[[], datetime] | None = None,
        poller_factory: Callable[..., PaymentPoller] = PaymentPoller,
    ) -> None:
        self._listeners: Listeners[SaleSnapshot] = Listeners(log, "sale")
        ctx = self._ctx = SaleContext(client, journal, notify=self._notify, snapshot=self.snapshot,
                                      demo=demo, hold_seconds=hold_seconds, now_fn=now)
        ctx.on_refused = self._not_recorded
        self._hold = HoldClock(ctx, on_expired=self.refresh)
        self._view = CartView(ctx, self._hold)
        self._cart = CartEditor(ctx, self._hold, self._view)
        self._checkout = Checkout(ctx)
        self._watch = PaymentWatch(ctx, poller_factory)
        self._ordering = Ordering(ctx, hold=self._hold, cart=self._cart, view=self._view,
                                  checkout=self._checkout, watch=self._watch)
        ctx.methods = self._checkout.cached_methods()
        self._checkout.preselect_method()

    # ------------------------------------------------------------------ the counter
    @property
    def client(self) -> Any:
        return self._ctx.client

    @property
    def journal(self) -> SaleJournal:
        return self._ctx.journal

    @property
    def demo(self) -> bool:
        return self._ctx.demo

    @property
    def hold_seconds(self) -> float:
        return self._ctx.hold_seconds

    @hold_seconds.setter
    def hold_seconds(self, value: float) -> None:
        self._ctx.hold_seconds = value

    @property
    def on_cart_route_missing(self) -> Callable[[], Any] | None:
        """Called once it is established that the venue's API does not offer the box-office
        (peppered) cart route: the owner turns the session to selling by number (public cart)."""
        return self._ctx.on_cart_route_missing

    @on_cart_route_missing.setter
    def on_cart_route_missing(self, callback: Callable[[], Any] | None) -> None:
        self._ctx.on_cart_route_missing = callback

    @property
    def redirect_url(self) -> str | None:
        """Where the payment page sends the customer back to (None: VoordeMensen's default)."""
        return self._ctx.redirect_url

    @redirect_url.setter
    def redirect_url(self, url: str | None) -> None:
        self._ctx.redirect_url = url

    @property
    def paid_seen_at(self) -> float | None:
        """Monotonic time the last order was seen paid (for benchmarks)."""
        return self._ctx.paid_seen_at

    @property
    def _draft(self) -> SaleDraft:
        """The sale at hand (for tests)."""
        return self._ctx.draft

    # ------------------------------------------------------------------ observing
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(snapshot)`` after every change; returns an unsubscribe function."""
        return self._listeners.add(listener)

    def _notify(self) -> None:
        self._listeners.publish(self.snapshot())   # a broken view never breaks the sale

    def snapshot(self) -> SaleSnapshot:
        d = self._ctx.draft
        method = self._ctx.method
        lines = tuple(d.lines.values())
        held = [ln for ln in lines if ln.held]
        total = sum((ln.price for ln in held), ZERO)
        fee = surcharge(method.surcharge) if method and held else ZERO
        return SaleSnapshot(
            phase=d.phase, sale_id=d.sale_id, cart_id=d.cart_id, lines=lines,
            groups=self._groups(lines), total=total, payment_method=method,
            surcharge=fee, amount_due=amount_due(total, fee), hold=self.hold_info(),
            busy=d.busy, order=d.order, confirmation=d.confirmation,
            not_paid=d.not_paid, message=d.message, customer=d.customer,
            avg_optin=d.avg_optin, avg_mailinglist=d.avg_mailinglist,
        )

    @staticmethod
    def _groups(lines: tuple[SaleLine, ...]) -> tuple[PerformanceGroup, ...]:
        order: dict[int | str, list[SaleLine]] = {}
        for ln in lines:
            order.setdefault(ln.event_id, []).append(ln)
        return tuple(
            PerformanceGroup(eid, group[0].performance, group[0].starts_at, tuple(group),
                             sum((ln.price for ln in group if ln.held), ZERO))
            for eid, group in order.items()
        )

    def hold_info(self) -> HoldInfo | None:
        return self._hold.hold_info()

    # ------------------------------------------------------------------ performances & plans
    def remember_performance(self, info: PerformanceInfo | Any) -> None:
        """Names for the cart lines; accepts a PerformanceInfo or a public SubEvent."""
        self._ctx.seats.remember_performance(info)

    def use_seat_plan(self, plan: SeatPlan) -> None:
        """Give the service a seating plan (e.g. from the offline cache or the seat map)."""
        self._ctx.seats.use_seat_plan(plan)

    async def load_seat_plan(self, event_id: int | str) -> SeatPlan:
        return await self._cart.load_seat_plan(event_id)

    def seat_label(self, seat_id: str) -> SeatLabel | None:
        return self._ctx.seats.seat_label(seat_id)

    def ticket_types_for(self, line_id: str) -> list[PriceOption]:
        """Ticket types valid for this line (a seat: those of its rank in the seating plan)."""
        line = self._ctx.draft.lines.get(line_id)
        if line is None:
            return []
        return self._ctx.seats.ticket_types_for(line)

    def use_ticket_type_names(self, event_id: int | str, names: dict[str, str]) -> None:
        """Ticket type names per id (public ``discount_id`` = peppered ``priceId``) for the lines'
        type choices."""
        self._ctx.seats.use_ticket_type_names(event_id, names)

    # ------------------------------------------------------------------ disk trouble
    async def _recorded(self, step: Awaitable[T]) -> T:
        """Run one step of the sale. When the disk refuses one of its journal entries (full,
        read-only, held by another program: ``JournalWriteFailed``) the step stops right there:
        no request follows an entry that was not recorded, so no order or payment is started
        unrecorded, and nothing recorded before is touched. The cashier is told why and what to
        do (``SaleError``); the same step works again once the disk is fine."""
        try:
            return await step
        except JournalWriteFailed as exc:
            raise SaleError(self._not_recorded(exc)) from exc

    def _not_recorded(self, exc: JournalWriteFailed) -> CashierMessage:
        """The sale after a refused journal entry: the cart stays as it is on screen (read back
        before its next change: a request may have gone out before the refused entry after it).
        A sale whose order request is recorded is checked with VoordeMensen (reading only) before
        anything else, as any sale whose order's outcome is unknown; its payment is not started."""
        d = self._ctx.draft
        d.busy = None
        d.stale = d.stale or d.cart_id is not None
        ordered = d.phase == Phase.ORDERING or (
            d.phase == Phase.OPEN and d.cart_id is not None and self._order_requested(d.cart_id))
        message = journal_not_recorded(exc, order_may_exist=ordered,
                                       request_done=bool(getattr(exc, "after_request", False)),
                                       order_made=d.unrecorded_order is not None)
        if ordered:
            d.phase = Phase.ATTENTION
            d.message = message
        self._notify()
        return message

    def _order_requested(self, cart_id: str) -> bool:
        try:
            return self.journal.has_order_request(cart_id)
        except Exception:  # the file cannot even be read: the cautious answer
            log.warning("order request not readable from the journal", exc_info=True)
            return True

    # ------------------------------------------------------------------ the cart
    async def prepare(self) -> str:
        """Create the cart ahead (one request), journaled; returns the cart id."""
        return await self._recorded(self._cart.prepare())

    async def add_seats(self, event_id: int | str, seats: Iterable[SeatRequest | str]) -> AddResult:
        """Hold specific seats from the map (peppered, one all-or-nothing request)."""
        return await self._recorded(self._cart.add_seats(event_id, seats))

    async def add_general_admission(self, event_id: int | str, quantity: int,
                                    discount_id: str) -> AddResult:
        """Add ``quantity`` general-admission tickets (public cart; the server picks places)."""
        return await self._recorded(self._cart.add_general_admission(event_id, quantity, discount_id))

    async def refresh(self) -> SaleSnapshot:
        """Read the cart back: detects expired holds (lines become released)."""
        return await self._recorded(self._cart.refresh())

    async def remove_line(self, line_id: str) -> bool:
        return await self._recorded(self._cart.remove_line(line_id))

    async def remove_all(self) -> bool:
        """Empty the cart (one request with a key; else one per line)."""
        return await self._recorded(self._cart.remove_all())

    async def change_ticket_type(self, line_id: str, price_id: str) -> AddResult:
        """Another ticket type for one line (see :meth:`CartEditor.change_ticket_type`)."""
        return await self._recorded(self._cart.change_ticket_type(line_id, price_id))

    async def readd_released(self) -> ReaddResult:
        """Put the released lines back, those still free, in one call per kind; report the rest."""
        return await self._recorded(self._cart.readd_released())

    # ------------------------------------------------------------------ checkout
    async def payment_methods(self, refresh: bool = False) -> list[PaymentChoice]:
        """The payment methods; the last used one is preselected (see :meth:`Checkout.payment_methods`)."""
        return await self._recorded(self._checkout.payment_methods(refresh))

    @property
    def payment_methods_known(self) -> bool:
        """Whether a list of methods is there to show (saved or read)."""
        return self._checkout.payment_methods_known

    async def refresh_payment_methods(self) -> None:
        """Read the methods and fees again, quietly: failures are logged and the list stays."""
        try:
            await self._checkout.refresh_payment_methods()
        except JournalWriteFailed:   # the list read is shown; only saving it failed
            log.info("payment methods read but not saved: the journal cannot be written")

    def select_payment_method(self, method_id: int | str) -> PaymentChoice:
        return self._checkout.select_payment_method(method_id)

    def set_customer(self, customer: CustomerInfo | None, *, avg_optin: bool = False,
                     avg_mailinglist: bool = False) -> None:
        """Attach (or clear) the buyer. The GDPR opt-ins are off unless the cashier ticks them."""
        self._checkout.set_customer(customer, avg_optin=avg_optin, avg_mailinglist=avg_mailinglist)

    async def find_customer(self, email: str) -> CustomerInfo | None:
        """Prefill from the venue's customer records (needs the API key); None if unknown."""
        return await self._checkout.find_customer(email)

    async def create_customer(self, email: str, first_name: str, last_name: str,
                              phone: str | None = None) -> CustomerInfo:
        return await self._checkout.create_customer(email, first_name, last_name, phone)

    def cash_change(self, tendered: Decimal) -> Change:
        return self._checkout.cash_change(tendered)

    def quick_amounts(self) -> list[Decimal]:
        return self._checkout.quick_amounts()

    # ------------------------------------------------------------------ ordering & payment
    async def pay(self, *, wait: bool = False) -> SaleSnapshot:
        """Create the order for the held lines with the selected method, then wait for the
        payment in the background (``wait=True`` awaits the final status)."""
        return await self._recorded(self._ordering.pay(wait=wait))

    async def recheck(self) -> SaleSnapshot:
        """Find out again whether the order of a sale "being checked" was made, by reading only
        (see :meth:`Ordering.recheck`)."""
        return await self._recorded(self._ordering.recheck())

    async def download_tickets(self) -> Document:
        return await self._ordering.download_tickets()

    async def wait_for_payment(self) -> SaleSnapshot:
        """Await the running status poll (returns at a final status or when stopped)."""
        return await self._watch.wait_for_payment()

    def stop_waiting(self) -> None:
        """Stop polling; the order stays in the journal (resume later or at the next start)."""
        self._watch.stop_waiting()

    def resume_waiting(self) -> None:
        self._watch.resume_waiting()

    def check_now(self) -> None:
        """Poll as soon as allowed (never more than once a second)."""
        self._watch.check_now()

    # ------------------------------------------------------------------ after the payment
    async def start_again(self) -> ReaddResult:
        """After a payment that did not go through: a new cart with the same lines (those
        still free), ready for "Pay" again (with this or another method)."""
        return await self._recorded(self._ctx.shielded(self._start_again()))

    async def _start_again(self) -> ReaddResult:
        async with self._ctx.lock:
            old = self._ctx.draft
            if old.phase != Phase.NOT_PAID:
                raise SaleError(CashierMessage(_("There is no failed payment to retry."),
                                               Action.NONE))
            lines = [replace(ln, status=LineStatus.RELEASED) for ln in old.lines.values()]
            self._ctx.draft = SaleDraft(customer=old.customer, avg_optin=old.avg_optin,
                                        avg_mailinglist=old.avg_mailinglist)
            await self._cart.ensure_cart()
            self._ctx.draft.lines = {ln.line_id: ln for ln in lines}
            self._ctx.draft.busy = "adding"
            try:
                return await self._cart.readd_lines(lines)
            finally:
                self._ctx.draft.busy = None
                self._notify()

    async def cancel_sale(self) -> bool:
        """Abandon the sale: release the held seats and close the cart."""
        return await self._recorded(self._ctx.shielded(self._cancel_sale()))

    async def _cancel_sale(self) -> bool:
        async with self._ctx.lock:
            if self._ctx.draft.phase in (Phase.ORDERING, Phase.WAITING):
                raise SaleError(CashierMessage(
                    _("An order exists for this sale; wait for the payment or stop waiting."),
                    Action.NONE))
            if self._ctx.draft.phase == Phase.ATTENTION:
                # reached when "cancel" waited behind a payment that ended unconfirmed: the sale
                # is never dropped here (it would be looked at again only at the next start)
                raise SaleError(CashierMessage(
                    _("This sale's order is being checked; the sale is kept and checked by "
                      "itself. Press New sale again to serve the next customer."), Action.NONE))
            if not await self._cart.abandon():
                self._notify()
                return False
            self._clear()
            return True

    def new_sale(self) -> None:
        """Close a finished sale (paid / not paid / needs attention) and start over."""
        if self._ctx.draft.phase in (Phase.ORDERING,):
            raise SaleError(CashierMessage(_("The order is still being created."), Action.WAIT))
        if self._ctx.draft.unrecorded_order is not None:
            # VoordeMensen made the order, but only this draft knows its key and payment link
            # (the disk refused the entry): kept until the entry is written
            raise SaleError(CashierMessage(
                _("VoordeMensen made this sale's order, but it is not recorded on this computer "
                  "yet. Fix the disk first: the order is then recorded and its payment starts "
                  "by itself."), Action.WAIT, Severity.WARNING))
        self._watch.cancel()
        self._close_if_empty()
        self._clear()

    def _close_if_empty(self) -> concurrent.futures.Future[None] | None:
        """An open sale that never held anything (the cart made ahead) ends as released, so it
        is never reported as an unfinished sale of 0 tickets. Checked and written on the
        journal's writer thread, after the sale's other steps (the returned future: done then)."""
        d = self._ctx.draft
        if not (d.phase == Phase.OPEN and d.sale_id and not d.lines):
            return None
        future = self.journal.writer.submit(self._close_empty_sale, d.sale_id)
        future.add_done_callback(_log_failure)
        return future

    def _close_empty_sale(self, sale_id: str) -> None:
        """(On the writer thread.)"""
        if self.journal.is_empty(sale_id):
            self.journal.after(sale_id, "close_empty", SaleState.RELEASED,
                               note="empty: nothing was held or ordered")

    def _clear(self) -> None:
        self._hold.cancel()
        self._ctx.draft = SaleDraft()   # the selected payment method stays (it is the counter's)
        self._watch.poller = None
        self._notify()

    async def aclose(self) -> None:
        """Stop background work (polling, hold timer). Writes in flight finish first."""
        self._ctx.closed = True
        tasks: list[asyncio.Task[None]] = [
            t for t in (self._watch.poll_task, self._hold.expiry_task, self._hold.probe_task)
            if t is not None]
        for task in tasks:
            task.cancel()
        await await_ended(tasks)   # aclose() itself being cancelled is never swallowed
        if self._ctx.inflight:
            await asyncio.gather(*self._ctx.inflight, return_exceptions=True)
        self._watch.poll_task = self._hold.expiry_task = self._hold.probe_task = None
        if not self._ctx.lock.locked():   # the writes have ended: an empty sale is closed
            try:
                closing = self._close_if_empty()
                if closing is not None:
                    await asyncio.shield(asyncio.wrap_future(closing))
            except Exception:  # the journal may be closed already; the next start closes it
                log.info("empty sale not closed at shutdown", exc_info=True)
        await self.journal.writer.flush()   # every step asked for is on disk
