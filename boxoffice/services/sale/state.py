"""The sale's state, in one place: :class:`SaleDraft`, the draft of one sale (a new sale is a new
``SaleDraft()``), and :class:`SaleContext`, what lasts the counter's session and the parts share
(client, journal, clock, caches, the selected payment method, the lock, the façade's callbacks).
Only the façade creates them; the parts read the current draft from the context each time.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from boxoffice.api.models import Cart
from boxoffice.services.messages import CashierMessage
from boxoffice.services.sale.model import (
    ASSUMED_HOLD_SECONDS,
    Confirmation,
    CustomerInfo,
    NotPaid,
    OrderInfo,
    PaymentChoice,
    Phase,
    SaleLine,
    SaleSnapshot,
)
from boxoffice.services.sale.plans import SeatPlans
from boxoffice.store.journal import JournalWriteFailed, SaleJournal

T = TypeVar("T")
P = ParamSpec("P")
log = logging.getLogger("boxoffice.sale")


@dataclass
class SaleDraft:
    """The draft of one sale: everything a new sale starts afresh (``SaleDraft()``)."""

    phase: Phase = Phase.IDLE
    sale_id: str | None = None
    cart_id: str | None = None
    lines: dict[str, SaleLine] = field(default_factory=dict)
    #: the last public view of the cart, standing in for a read-before while fresh
    public_known: Cart | None = None
    #: a write's outcome is unknown: the cart is read back before the next write
    stale: bool = False
    hold_deadline: datetime | None = None
    hold_estimated: bool = True
    busy: str | None = None
    order: OrderInfo | None = None
    #: VoordeMensen answered the order request (key, payment link) but the disk refused the
    #: journal entry: what it answered, kept here so the re-check records it and goes on to the
    #: payment instead of looking the order up again (``journal.after`` keyword arguments)
    unrecorded_order: dict[str, Any] | None = None
    #: what the cashier is to read once that order is recorded (an insecure payment link refused)
    unrecorded_message: CashierMessage | None = None
    ordered_lines: tuple[SaleLine, ...] = ()
    confirmation: Confirmation | None = None
    not_paid: NotPaid | None = None
    message: CashierMessage | None = None
    customer: CustomerInfo | None = None
    avg_optin: bool = False
    avg_mailinglist: bool = False


@dataclass(eq=False)
class SaleContext:
    """What one counter's parts share for the whole session. ``draft`` is the sale at hand: read
    it anew after every ``await`` (a new sale replaces it)."""

    #: the :class:`~boxoffice.api.client.VdmClient` (or a stand-in with its attributes)
    client: Any
    journal: SaleJournal
    #: the façade's "tell the listeners" and "the sale as it stands"
    notify: Callable[[], None]
    snapshot: Callable[[], SaleSnapshot]
    demo: bool = False
    hold_seconds: float = ASSUMED_HOLD_SECONDS
    now_fn: Callable[[], datetime] | None = None
    draft: SaleDraft = field(default_factory=SaleDraft)
    #: one step of the sale at a time (every write and its journal entries run under it)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: writes that run to completion even when their caller is cancelled
    inflight: set[asyncio.Task[Any]] = field(default_factory=set)
    seats: SeatPlans = field(default_factory=SeatPlans)
    #: the payment methods shown (saved or read) and how many of the last answer were unreadable
    methods: list[PaymentChoice] | None = None
    methods_skipped: int = 0
    #: the selected payment method: it lasts from sale to sale
    method: PaymentChoice | None = None
    #: called once it is established that the venue's API does not offer the box-office
    #: (peppered) cart route: the owner turns the session to selling by number (public cart)
    on_cart_route_missing: Callable[[], Any] | None = None
    #: called with a journal entry the disk refused in a step whose caller had already gone
    #: (cancelled): the owner puts the sale in the state such a refusal calls for, as it does
    #: for a caller that is still there (``SaleService._not_recorded``)
    on_refused: Callable[[JournalWriteFailed], Any] | None = None
    redirect_url: str | None = None
    closed: bool = False
    #: monotonic time the last order was seen paid (for benchmarks)
    paid_seen_at: float | None = None

    def server_now(self) -> datetime:
        """The clock of the sale: the server's (from its last answer), or the injected one."""
        if self.now_fn is not None:
            return self.now_fn()
        return self.client.server_now()

    async def record(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """A journal call (``ctx.record(ctx.journal.after, ...)``) run on the journal's writer
        thread, off the event loop; returns once it has run (a write: committed and fsynced), so
        a step awaited before a request is on disk before the request goes out.

        A refused ``journal.after`` entry is marked ``after_request``: the request it records has
        already been answered, so the step must not be run again (its request would be sent twice);
        the cart is read back instead (see ``SaleService._not_recorded``)."""
        try:
            return await self.journal.writer.call(fn, *args, **kwargs)
        except JournalWriteFailed as exc:
            exc.after_request = fn == self.journal.after
            raise

    async def shielded(self, coro: Awaitable[T]) -> T:
        """Run a write + its journal entries to completion even if the caller is cancelled.
        A step whose caller has gone and whose journal entry the disk then refuses is handed to
        ``on_refused``, so the sale never stays "ordering" with nobody to move it on."""
        task = asyncio.ensure_future(coro)
        self.inflight.add(task)
        task.add_done_callback(self.inflight.discard)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.done():
                task.add_done_callback(self._orphan_done)
            raise

    def _orphan_done(self, task: asyncio.Task[Any]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if isinstance(exc, JournalWriteFailed) and self.on_refused is not None:
            self.on_refused(exc)
        elif exc is not None:
            log.warning("a step finished after its caller had gone: %s", type(exc).__name__)
