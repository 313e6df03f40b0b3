"""The hold clock of a sale: the cart's exact ``timeOut`` when known, else a local estimate; reading
it from the server in the background and arming the expiry.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from boxoffice.api import errors
from boxoffice.i18n import _
from boxoffice.i18n.formatting import format_time
from boxoffice.services.messages import Action, CashierMessage, Severity
from boxoffice.services.sale.model import HOLD_WARNING_SECONDS, HoldInfo, Phase, cart_expired_about
from boxoffice.services.sale.state import SaleServiceState

log = logging.getLogger("boxoffice.sale")


class HoldClock(SaleServiceState):
    """Part of :class:`~boxoffice.services.sale.service.SaleService` (a mixin on its ``SaleServiceState``)."""

    # ------------------------------------------------------------------ clocks
    def _server_now(self) -> datetime:
        if self._now_fn is not None:
            return self._now_fn()
        return self.client.server_now()

    def hold_info(self) -> HoldInfo | None:
        if self.draft.hold_deadline is None or not self.draft.lines:
            return None
        if not any(ln.held for ln in self.draft.lines.values()):
            return HoldInfo(self.draft.hold_deadline, 0, True, True, self.draft.hold_estimated)
        remaining = (self.draft.hold_deadline - self._server_now()).total_seconds()
        secs = max(0, int(remaining + 0.999))
        return HoldInfo(self.draft.hold_deadline, secs, remaining <= HOLD_WARNING_SECONDS,
                        remaining <= 0, self.draft.hold_estimated)

    def _cart_expired_message(self) -> CashierMessage:
        """The hold ran out. Its length is the server's (its ``timeOut``) when known: then the
        time it ran to is named; otherwise only the local estimate is known ("about")."""
        if not self.draft.hold_estimated and self.draft.hold_deadline is not None:
            until = format_time(self.draft.hold_deadline.astimezone())
            return CashierMessage(
                _("The cart expired: VoordeMensen held the seats until {time}, and they were "
                  "released.").format(time=until), Action.READD, Severity.WARNING)
        return cart_expired_about(int(round(self.hold_seconds / 60)))

    def _set_hold_exact(self, time_out: datetime | None) -> None:
        if time_out is not None:
            self.draft.hold_deadline = time_out
            self.draft.hold_estimated = False
        self._arm_expiry()

    def _set_hold_estimate(self) -> None:
        self.draft.hold_deadline = self._server_now() + timedelta(seconds=self.hold_seconds)
        self.draft.hold_estimated = True
        self._arm_expiry()
        self._probe_hold()

    def _probe_hold(self) -> None:
        """After a public (general-admission) add, fetch the exact hold deadline in the background.

        The public cart has no ``timeOut``; the peppered cart summary has. The read is off the
        cashier's path: the countdown shows the estimate until it answers, and "Pay" then needs
        no read of its own for the deadline. Nothing happens without an API key or on failure."""
        if not self.client.has_api_key or self.draft.cart_id is None or self._closed:
            return
        if self._hold_probe is not None:
            self._hold_probe.cancel()
        cart_id, estimate = self.draft.cart_id, self.draft.hold_deadline
        self._hold_probe = asyncio.get_running_loop().create_task(
            self._read_hold(cart_id, estimate))

    async def _read_hold(self, cart_id: str, estimate: datetime | None) -> None:
        try:
            summary = await self.client.peppered.cart_summary(cart_id)
        except errors.VdmError as exc:
            log.info("exact hold deadline not read (%s); the estimate stays", type(exc).__name__)
            return
        # only if nothing changed the cart or its hold meanwhile
        if (self.draft.cart_id != cart_id or self.draft.hold_deadline != estimate or self._closed
                or self.draft.phase != Phase.OPEN or not summary.number_of_items
                or summary.time_out is None):
            return
        self._set_hold_exact(summary.time_out)
        self._notify()

    def _arm_expiry(self) -> None:
        if self._expiry_task is not None:
            self._expiry_task.cancel()
            self._expiry_task = None
        if self.draft.hold_deadline is None or self._closed:
            return
        delay = (self.draft.hold_deadline - self._server_now()).total_seconds() + 0.5
        self._expiry_task = asyncio.get_running_loop().create_task(self._expire_after(delay))

    async def _expire_after(self, delay: float) -> None:
        await asyncio.sleep(max(0.0, delay))
        if self.draft.phase == Phase.OPEN and any(ln.held for ln in self.draft.lines.values()):
            with contextlib.suppress(errors.VdmError):
                await self.refresh()
