"""``SaleService``, the façade: one counter's sale. It holds the sale's state (``_reset_sale``) and the
lock, notifies listeners with snapshots, and opens, cancels and closes sales; the steps live in
its parts (``hold``, ``cart``, ``checkout``, ``ordering``, ``payment_watch``), each a mixin that
works on the same state and writes the journal through the same ``self.journal``.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from boxoffice.api.models import SeatPlan
from boxoffice.domain.money import ZERO, amount_due, surcharge
from boxoffice.i18n import _
from boxoffice.services.messages import Action, CashierMessage
from boxoffice.services.payment import PaymentPoller
from boxoffice.services.sale.cart import CartSteps
from boxoffice.services.sale.checkout import CheckoutSteps
from boxoffice.services.sale.hold import HoldClock
from boxoffice.services.sale.model import (
    ASSUMED_HOLD_SECONDS,
    LineStatus,
    Listener,
    PaymentChoice,
    PerformanceGroup,
    PerformanceInfo,
    Phase,
    ReaddResult,
    SaleError,
    SaleLine,
    SaleSnapshot,
    _SeatMeta,
)
from boxoffice.services.sale.ordering import OrderingSteps
from boxoffice.services.sale.payment_watch import PaymentWatch
from boxoffice.services.sale.state import SaleDraft
from boxoffice.store.journal import SaleJournal, SaleState

log = logging.getLogger("boxoffice.sale")


class SaleService(CartSteps, CheckoutSteps, OrderingSteps, PaymentWatch, HoldClock):
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
        self.client = client
        self.journal = journal
        self.demo = demo
        self.hold_seconds = hold_seconds
        self._now_fn = now
        self._poller_factory = poller_factory
        self._listeners: list[Listener] = []
        self._lock = asyncio.Lock()
        self._inflight: set[asyncio.Task] = set()
        self._reset_sale()
        self._plans: dict[int | str, SeatPlan] = {}
        self._type_names: dict[int | str, dict[str, str]] = {}
        self._seat_index: dict[str, tuple[int | str, _SeatMeta]] = {}
        self._performances: dict[int | str, PerformanceInfo] = {}
        self._methods: list[PaymentChoice] | None = self._cached_methods()
        #: payment methods of VoordeMensen's last answer that could not be read (not offered)
        self._methods_skipped = 0
        #: called once it is established that the venue's API does not offer the box-office
        #: (peppered) cart route: the owner turns the session to selling by number (public cart)
        self.on_cart_route_missing: Callable[[], Any] | None = None
        self._method: PaymentChoice | None = None
        self._preselect_method()
        self._poll_task: asyncio.Task | None = None
        self._poller: PaymentPoller | None = None
        self._expiry_task: asyncio.Task | None = None
        self._hold_probe: asyncio.Task | None = None
        self._closed = False
        #: monotonic time the last order was seen paid (for benchmarks)
        self.paid_seen_at: float | None = None

    def _reset_sale(self) -> None:
        self._draft = SaleDraft()

    # ------------------------------------------------------------------ observing
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(snapshot)`` after every change; returns an unsubscribe function."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self) -> None:
        snap = self.snapshot()
        for listener in list(self._listeners):
            try:
                listener(snap)
            except Exception:  # a broken view must not break the sale
                log.exception("sale listener failed")

    def snapshot(self) -> SaleSnapshot:
        lines = tuple(self.draft.lines.values())
        held = [ln for ln in lines if ln.held]
        total = sum((ln.price for ln in held), ZERO)
        fee = surcharge(self._method.surcharge) if self._method and held else ZERO
        return SaleSnapshot(
            phase=self.draft.phase, sale_id=self.draft.sale_id, cart_id=self.draft.cart_id, lines=lines,
            groups=self._groups(lines), total=total, payment_method=self._method,
            surcharge=fee, amount_due=amount_due(total, fee), hold=self.hold_info(),
            busy=self.draft.busy, order=self.draft.order, confirmation=self.draft.confirmation,
            not_paid=self.draft.not_paid, message=self.draft.message, customer=self.draft.customer,
            avg_optin=self.draft.avg_optin, avg_mailinglist=self.draft.avg_mailinglist,
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

    # ------------------------------------------------------------------ shielding
    async def _shielded(self, coro):
        """Run a write + its journal entries to completion even if the caller is cancelled."""
        task = asyncio.ensure_future(coro)
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)
        return await asyncio.shield(task)

    # ------------------------------------------------------------------ after the payment
    async def start_again(self) -> ReaddResult:
        """After a payment that did not go through: a new cart with the same lines (those
        still free), ready for "Pay" again (with this or another method)."""
        return await self._shielded(self._start_again())

    async def _start_again(self) -> ReaddResult:
        async with self._lock:
            if self.draft.phase != Phase.NOT_PAID:
                raise SaleError(CashierMessage(_("There is no failed payment to retry."),
                                               Action.NONE))
            lines = [replace(ln, status=LineStatus.RELEASED) for ln in self.draft.lines.values()]
            customer, optin, mailing = self.draft.customer, self.draft.avg_optin, self.draft.avg_mailinglist
            self._reset_sale()
            self.draft.customer, self.draft.avg_optin, self.draft.avg_mailinglist = customer, optin, mailing
            await self._ensure_cart()
            self.draft.lines = {ln.line_id: ln for ln in lines}
            self.draft.busy = "adding"
            try:
                return await self._readd_lines(lines)
            finally:
                self.draft.busy = None
                self._notify()

    async def cancel_sale(self) -> bool:
        """Abandon the sale: release the held seats and close the cart."""
        return await self._shielded(self._cancel_sale())

    async def _cancel_sale(self) -> bool:
        async with self._lock:
            if self.draft.phase in (Phase.ORDERING, Phase.WAITING):
                raise SaleError(CashierMessage(
                    _("An order exists for this sale; wait for the payment or stop waiting."),
                    Action.NONE))
            if self.draft.phase == Phase.OPEN and self.draft.sale_id and any(
                    ln.held for ln in self.draft.lines.values()):
                if not await self._release_cart("release"):
                    self._notify()
                    return False
            if self.draft.phase == Phase.OPEN and self.draft.sale_id:
                self.journal.after(self.draft.sale_id, "release", SaleState.RELEASED)
            self._clear()
            return True

    def new_sale(self) -> None:
        """Close a finished sale (paid / not paid / needs attention) and start over."""
        if self.draft.phase in (Phase.ORDERING,):
            raise SaleError(CashierMessage(_("The order is still being created."), Action.WAIT))
        if self._poll_task is not None:
            self._poll_task.cancel()
            self._poll_task = None
        self._close_if_empty()
        self._clear()

    def _close_if_empty(self) -> None:
        """An open sale that never held anything (the cart made ahead) ends as released, so it
        is never reported as an unfinished sale of 0 tickets."""
        if (self.draft.phase == Phase.OPEN and self.draft.sale_id and not self.draft.lines
                and self.journal.is_empty(self.draft.sale_id)):
            self.journal.after(self.draft.sale_id, "close_empty", SaleState.RELEASED,
                               note="empty: nothing was held or ordered")

    def _clear(self) -> None:
        for task in (self._expiry_task, self._hold_probe):
            if task is not None:
                task.cancel()
        self._expiry_task = self._hold_probe = None
        method = self._method
        self._reset_sale()
        self._method = method
        self._poller = None
        self._notify()

    async def aclose(self) -> None:
        """Stop background work (polling, hold timer). Writes in flight finish first."""
        self._closed = True
        tasks = [t for t in (self._poll_task, self._expiry_task, self._hold_probe) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._inflight:
            await asyncio.gather(*self._inflight, return_exceptions=True)
        self._poll_task = self._expiry_task = self._hold_probe = None
        if not self._lock.locked():   # the writes have ended: an empty sale is closed
            try:
                self._close_if_empty()
            except Exception:  # the journal may be closed already; the next start closes it
                log.info("empty sale not closed at shutdown", exc_info=True)
