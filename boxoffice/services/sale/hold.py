"""The hold clock of a sale: the cart's exact ``timeOut`` when known, else a local estimate; reading
it from the server in the background (the hold probe) and arming the expiry, which reads the cart
back. Owns the hold tasks; writes no journal.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from boxoffice.api import errors
from boxoffice.i18n import _
from boxoffice.i18n.formatting import format_time
from boxoffice.services.messages import Action, CashierMessage, Severity
from boxoffice.services.sale.model import HOLD_WARNING_SECONDS, HoldInfo, Phase, cart_expired_about
from boxoffice.services.sale.state import SaleContext, SaleDraft

log = logging.getLogger("boxoffice.sale")


class HoldClock:
    """The hold deadline of the sale at hand and its two background tasks."""

    def __init__(self, ctx: SaleContext, on_expired: Callable[[], Awaitable[Any]]) -> None:
        self.ctx = ctx
        #: reads the cart back when the hold should have run out (the cart's ``refresh``)
        self._on_expired = on_expired
        self.expiry_task: asyncio.Task[None] | None = None
        self.probe_task: asyncio.Task[None] | None = None

    @property
    def draft(self) -> SaleDraft:
        return self.ctx.draft

    def hold_info(self) -> HoldInfo | None:
        d = self.draft
        if d.hold_deadline is None or not d.lines:
            return None
        if not any(ln.held for ln in d.lines.values()):
            return HoldInfo(d.hold_deadline, 0, True, True, d.hold_estimated)
        remaining = (d.hold_deadline - self.ctx.server_now()).total_seconds()
        secs = max(0, int(remaining + 0.999))
        return HoldInfo(d.hold_deadline, secs, remaining <= HOLD_WARNING_SECONDS,
                        remaining <= 0, d.hold_estimated)

    def cart_expired_message(self) -> CashierMessage:
        """The hold ran out. Its length is the server's (its ``timeOut``) when known: then the
        time it ran to is named; otherwise only the local estimate is known ("about")."""
        if not self.draft.hold_estimated and self.draft.hold_deadline is not None:
            until = format_time(self.draft.hold_deadline)
            return CashierMessage(
                _("The cart expired: VoordeMensen held the seats until {time}, and they were "
                  "released.").format(time=until), Action.READD, Severity.WARNING)
        return cart_expired_about(int(round(self.ctx.hold_seconds / 60)))

    def set_exact(self, time_out: datetime | None) -> None:
        if time_out is not None:
            self.draft.hold_deadline = time_out
            self.draft.hold_estimated = False
        self._arm_expiry()

    def set_estimate(self) -> None:
        self.draft.hold_deadline = self.ctx.server_now() + timedelta(seconds=self.ctx.hold_seconds)
        self.draft.hold_estimated = True
        self._arm_expiry()
        self._probe()

    def _probe(self) -> None:
        """After a public (general-admission) add, fetch the exact hold deadline in the background.

        The public cart has no ``timeOut``; the peppered cart summary has. The read is off the
        cashier's path: the countdown shows the estimate until it answers, and "Pay" then needs
        no read of its own for the deadline. Nothing happens without an API key or on failure."""
        if not self.ctx.client.has_api_key or self.draft.cart_id is None or self.ctx.closed:
            return
        if self.probe_task is not None:
            self.probe_task.cancel()
        cart_id, estimate = self.draft.cart_id, self.draft.hold_deadline
        self.probe_task = asyncio.get_running_loop().create_task(
            self._read_hold(cart_id, estimate))

    async def _read_hold(self, cart_id: str, estimate: datetime | None) -> None:
        try:
            summary = await self.ctx.client.peppered.cart_summary(cart_id)
        except errors.VdmError as exc:
            log.info("exact hold deadline not read (%s); the estimate stays", type(exc).__name__)
            return
        # only if nothing changed the cart or its hold meanwhile
        d = self.draft
        if (d.cart_id != cart_id or d.hold_deadline != estimate or self.ctx.closed
                or d.phase != Phase.OPEN or not summary.number_of_items
                or summary.time_out is None):
            return
        self.set_exact(summary.time_out)
        self.ctx.notify()

    def _arm_expiry(self) -> None:
        if self.expiry_task is not None:
            self.expiry_task.cancel()
            self.expiry_task = None
        if self.draft.hold_deadline is None or self.ctx.closed:
            return
        delay = (self.draft.hold_deadline - self.ctx.server_now()).total_seconds() + 0.5
        self.expiry_task = asyncio.get_running_loop().create_task(self._expire_after(delay))

    async def _expire_after(self, delay: float) -> None:
        await asyncio.sleep(max(0.0, delay))
        if self.draft.phase == Phase.OPEN and any(ln.held for ln in self.draft.lines.values()):
            with contextlib.suppress(errors.VdmError):
                await self._on_expired()

    def stop_expiry(self) -> None:
        """The order is made: the hold no longer runs out for this sale."""
        if self.expiry_task is not None:
            self.expiry_task.cancel()

    def cancel(self) -> None:
        """The sale ends: stop both hold tasks."""
        for task in (self.expiry_task, self.probe_task):
            if task is not None:
                task.cancel()
        self.expiry_task = self.probe_task = None

    def tasks(self) -> list[asyncio.Task[None]]:
        return [t for t in (self.expiry_task, self.probe_task) if t is not None]
