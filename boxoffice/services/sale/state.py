"""The sale's state, declared in one place: what a :class:`~boxoffice.services.sale.service.SaleService`
holds and its parts (``hold``, ``cart``, ``checkout``, ``ordering``, ``payment_watch``) work on.

``SaleService.__init__`` sets the counter's lasting state (client, journal, caches, tasks) and
``SaleService._reset_sale`` the draft of one sale; every part reads and writes these same
attributes under the service's lock, and writes the journal only through ``self.journal``.
Declarations only: nothing here runs.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from boxoffice.api.models import Cart, SeatPlan
from boxoffice.services.messages import CashierMessage
from boxoffice.services.payment import PaymentPoller
from boxoffice.services.sale.model import (
    Confirmation,
    CustomerInfo,
    Listener,
    NotPaid,
    OrderInfo,
    PaymentChoice,
    PerformanceInfo,
    Phase,
    SaleLine,
    _SeatMeta,
)
from boxoffice.store.journal import SaleJournal

if TYPE_CHECKING:   # the parts call each other's steps through self: untyped here
    _Parts = Any
else:
    _Parts = object


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
    ordered_lines: tuple[SaleLine, ...] = ()
    confirmation: Confirmation | None = None
    not_paid: NotPaid | None = None
    message: CashierMessage | None = None
    customer: CustomerInfo | None = None
    avg_optin: bool = False
    avg_mailinglist: bool = False


class SaleServiceState(_Parts):
    # --- the counter (set once by SaleService.__init__)
    client: Any
    journal: SaleJournal
    demo: bool
    hold_seconds: float
    _now_fn: Callable[[], datetime] | None
    _poller_factory: Callable[..., PaymentPoller]
    _listeners: list[Listener]
    _lock: asyncio.Lock
    _inflight: set[asyncio.Task]
    _plans: dict[int | str, SeatPlan]
    _type_names: dict[int | str, dict[str, str]]
    _seat_index: dict[str, tuple[int | str, _SeatMeta]]
    _performances: dict[int | str, PerformanceInfo]
    _methods: list[PaymentChoice] | None
    _methods_skipped: int
    on_cart_route_missing: Callable[[], Any] | None
    _method: PaymentChoice | None
    _poll_task: asyncio.Task | None
    _poller: PaymentPoller | None
    _expiry_task: asyncio.Task | None
    _hold_probe: asyncio.Task | None
    _closed: bool
    paid_seen_at: float | None
    # --- the draft of one sale (a new SaleDraft per sale)
    _draft: SaleDraft

    @property
    def draft(self) -> SaleDraft:
        """The draft of the sale at hand (read anew each time: a new sale replaces it)."""
        return self._draft
