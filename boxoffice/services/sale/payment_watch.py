"""Watching the payment of an order: polling its status, finishing the sale on a final status, and
the cashier's stop / resume / check-now. Owns the poller and its task, and the journal's
``status`` step (the order's final payment status, or an order that is not found).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace

from boxoffice.api import errors
from boxoffice.api.models import OrderStatus
from boxoffice.domain.money import ZERO, surcharge
from boxoffice.i18n import _
from boxoffice.services.messages import (
    Action,
    CashierMessage,
    Severity,
    message_for,
    payment_not_recorded,
)
from boxoffice.services.payment import PaymentPoller, check_document_url
from boxoffice.services.sale.model import (
    Confirmation,
    LineStatus,
    Phase,
    SaleSnapshot,
    not_paid_reason,
)
from boxoffice.services.sale.state import SaleContext, SaleDraft
from boxoffice.services.tasks import caller_cancelled
from boxoffice.store.journal import PAYMENT_FINAL, JournalWriteFailed, SaleState

log = logging.getLogger("boxoffice.sale")


class PaymentWatch:
    """The status poll of the sale's order, and what its final status makes of the sale."""

    def __init__(self, ctx: SaleContext, poller_factory: Callable[..., PaymentPoller]) -> None:
        self.ctx = ctx
        self._poller_factory = poller_factory
        self.poller: PaymentPoller | None = None
        self.poll_task: asyncio.Task[None] | None = None

    @property
    def draft(self) -> SaleDraft:
        return self.ctx.draft

    def start(self, first_delay: float | None = None) -> None:
        """Poll the status of the draft's order (in the background)."""
        assert self.draft.order is not None
        key = self.draft.order.order_key
        self.poller = self._poller_factory(
            self.ctx.client, key, on_status=self._on_status, on_error=self._on_poll_error)
        self.poll_task = asyncio.get_running_loop().create_task(
            self._watch(self.poller, first_delay))

    def cancel(self) -> None:
        """The sale is closed: stop polling (the order stays in the journal)."""
        if self.poll_task is not None:
            self.poll_task.cancel()
            self.poll_task = None

    async def _watch(self, poller: PaymentPoller, first_delay: float | None) -> None:
        try:
            status = await poller.run(first_delay=first_delay)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - waiting must never end without a way on
            if not isinstance(exc, errors.VdmError):
                log.error("waiting for the payment stopped unexpectedly", exc_info=True)
            self.draft.message = message_for(exc, operation="status")
            if self.draft.order is not None:
                self.draft.order = replace(self.draft.order, waiting=False)
            if isinstance(exc, errors.NotFound) and self.draft.sale_id:
                await self.ctx.record(self.ctx.journal.after, self.draft.sale_id, "status",
                                      SaleState.NEEDS_ATTENTION, {"error": "NotFound"},
                                      note="order not found")
                self.draft.phase = Phase.ATTENTION
            self.ctx.notify()
            return
        try:
            await self._finish(status)
        except JournalWriteFailed as exc:
            # the outcome is in at VoordeMensen but the disk refused to record it: nothing is
            # lost (the order is in the journal; its status is read again when waiting resumes,
            # or at the next start), and the sale is not shown as finished before it is recorded
            self.draft.message = payment_not_recorded(exc)
            if self.draft.order is not None:
                self.draft.order = replace(self.draft.order, waiting=False)
            self.ctx.notify()

    def _on_status(self, status: OrderStatus) -> None:
        if self.draft.order is not None and self.poller is not None:
            self.draft.order = replace(self.draft.order, status=status.order_payment_status,
                                  polls=self.poller.polls)
            if status.order_payment_status not in PAYMENT_FINAL:
                if self.draft.message is not None and self.draft.message.retrying:
                    self.draft.message = None
                self.ctx.notify()

    def _on_poll_error(self, exc: BaseException) -> None:
        self.draft.message = message_for(exc, operation="status")
        self.ctx.notify()

    async def _finish(self, status: OrderStatus) -> None:
        assert self.draft.order is not None and self.draft.sale_id is not None
        final = PAYMENT_FINAL[status.order_payment_status]
        tickets_url = receipt_url = None
        for url_name in ("order_tickets_url", "order_receipt_url"):
            value = getattr(status, url_name)
            if value:
                try:
                    value = check_document_url(value, demo=self.ctx.demo)
                except errors.InsecureURL:
                    log.warning("%s refused by the URL policy", url_name)
                    value = None
            if url_name == "order_tickets_url":
                tickets_url = value
            else:
                receipt_url = value
        await self.ctx.record(self.ctx.journal.after, self.draft.sale_id, "status", final, None,
                              payment_status=status.order_payment_status, tickets_url=tickets_url,
                              receipt_url=receipt_url, tickets_nr=status.order_tickets_nr)
        order = replace(self.draft.order, status=status.order_payment_status, waiting=False)
        self.draft.order = order
        if final == SaleState.PAID:
            import time as _time
            self.ctx.paid_seen_at = _time.monotonic()
            total = sum((ln.price for ln in self.draft.ordered_lines), ZERO)
            self.draft.confirmation = Confirmation(
                order_key=order.order_key,
                tickets_nr=status.order_tickets_nr if status.order_tickets_nr is not None
                else len(self.draft.ordered_lines),
                lines=self.draft.ordered_lines, total=total, surcharge=surcharge(order.method.surcharge),
                amount_paid=order.amount_due, payment_method=order.method.name,
                tickets_url=tickets_url, receipt_url=receipt_url)
            self.draft.phase = Phase.PAID
            self.draft.message = None
        else:
            self.draft.not_paid = not_paid_reason(status.order_payment_status)
            self.draft.phase = Phase.NOT_PAID
            self.draft.message = None
            self.draft.lines = {lid: replace(ln, status=LineStatus.RELEASED)
                           for lid, ln in self.draft.lines.items()}
        self.ctx.notify()

    async def wait_for_payment(self) -> SaleSnapshot:
        """Await the running status poll (returns at a final status or when stopped)."""
        task = self.poll_task
        if task is not None:
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                if caller_cancelled():   # the caller gave up (a timeout around us): let it go
                    raise
                # the poll itself was stopped (stop_waiting): the snapshot says where it stands
        return self.ctx.snapshot()

    def stop_waiting(self) -> None:
        """Stop polling; the order stays in the journal (resume later or at the next start)."""
        if self.poll_task is not None:
            self.poll_task.cancel()
            self.poll_task = None
        if self.draft.order is not None:
            self.draft.order = replace(self.draft.order, waiting=False)
            self.draft.message = CashierMessage(
                _("Stopped waiting for the payment. The order is kept and checked again later."),
                Action.NONE, Severity.INFO)
        self.ctx.notify()

    def resume_waiting(self) -> None:
        if self.draft.order is None or self.draft.phase != Phase.WAITING:
            return
        if self.poll_task is None or self.poll_task.done():
            self.draft.order = replace(self.draft.order, waiting=True)
            self.draft.message = None
            self.start(first_delay=0.0)
            self.ctx.notify()

    def check_now(self) -> None:
        """Poll as soon as allowed (never more than once a second)."""
        if self.poller is not None:
            self.poller.poke()

