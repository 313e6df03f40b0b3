"""Resuming unfinished sales from the journal at start (or on demand), so none is lost or doubled.

Owns :class:`Recovery`. For every sale the journal lists as unfinished:

* an order key is known (``order_created``, or ``needs_attention`` with a key) → poll the status
  until it is final (paid / cancelled / failed / expired) and record it;
* an order was requested but its key is unknown (``order_requested``, or ``needs_attention``
  after an unknown outcome) → never a second order. The order is looked up in the peppered
  order export (``boxoffice.api.order_lookup.order_check``, needs the API key) by the cart's seats,
  ticket types and amount, within the attempt the journal recorded (its window on the server
  clock, the order keys that existed before it, the candidates seen right after it), skipping
  orders any sale of this journal holds, cancelled/expired orders included (a lost order that
  has expired since is still this sale's: it ends as expired), and then polled. The cart is
  never read to decide: whether a server empties a cart when it makes an order is not
  documented. When the export shows no order that could be this sale's, the cart is released
  and the export read once more (a request still queued at VdM finds the cart empty after the
  release; one that landed just before it shows now); still none → released. More than one
  candidate, no API key, or anything undecidable → ``needs_attention`` with what the cashier
  must check (checked again at the next start), never another sale's order;
* no order was requested (``cart_created`` / ``lines_added``) → the cart is released (peppered
  clear, or the public lines deleted one by one) and the sale marked ``released``.

A cart id alone never ties a journal entry to a server cart (a server may hand an id out again,
and the built-in simulator of an earlier run did): before recovery sends anything for a sale,

* the sale's journaled venue must be the venue this client talks to (else nothing is sent: its
  order list, order keys and carts are another venue's);
* a cart is released only when it can be tied to the sale: it is read first, and only when every
  line it holds is a line this sale journaled, and the sale last wrote to the cart less than
  :data:`MAX_PLAUSIBLE_HOLD` ago (the hold length is not documented; no box office hold lasts
  that long, so a cart holding seats after it is someone else's). An empty or unknown cart holds
  nothing of ours: released without a write.

A sale that cannot be tied is ``needs_attention`` with what the cashier must check, never
silently resolved, and nothing is sent for it (checked again at the next start).

Network failures leave a sale as it was, to be tried again later.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import ParamSpec, TypeVar

from boxoffice.api import errors, reconcile
from boxoffice.api.order_lookup import order_check
from boxoffice.domain.clock import utc_now
from boxoffice.i18n import _, ngettext
from boxoffice.i18n.formatting import format_datetime, format_money
from boxoffice.services.messages import (
    Action,
    CashierMessage,
    Severity,
    journal_write_trouble,
    message_for,
)
from boxoffice.services.payment import PaymentPoller, check_document_url
from boxoffice.services.sale import line_from_dict, order_needs_checking, snapshot_cart
from boxoffice.services.tasks import await_ended
from boxoffice.store.disk import DiskTrouble
from boxoffice.store.journal import (
    PAYMENT_FINAL,
    JournalError,
    JournalSale,
    JournalWriteFailed,
    SaleJournal,
    SaleState,
)

log = logging.getLogger("boxoffice.sale")
P = ParamSpec("P")
T = TypeVar("T")

#: Longer than any plausible cart hold (the docs give none; the simulator guesses 15 minutes from
#: the last add): a cart the sale last wrote to longer ago than this holds nothing of the sale's.
MAX_PLAUSIBLE_HOLD = timedelta(hours=12)

#: journal steps that are recovery's own (not a write of the sale to its cart)
_RECOVERY_STEP = "recover_"


@dataclass(frozen=True)
class RecoveryOutcome:
    sale_id: str
    before: SaleState
    after: SaleState
    order_key: str | None = None
    message: CashierMessage | None = None
    #: nothing was decided (VoordeMensen could not be reached): tried again later
    postponed: bool = False
    #: postponed because the journal could not be written (the disk is full, read-only, or
    #: another program holds it), not because of VoordeMensen
    disk: DiskTrouble | None = None


class Recovery:
    """Resume the unfinished sales of one profile's journal."""

    def __init__(self, client, journal: SaleJournal, *, demo: bool = False,
                 poller_factory: Callable[..., PaymentPoller] = PaymentPoller,
                 on_update: Callable[[RecoveryOutcome], None] | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        self.client = client
        self._now = now or utc_now
        self.journal = journal
        self.demo = demo
        self._poller_factory = poller_factory
        self._on_update = on_update
        self._tasks: set[asyncio.Task] = set()

    async def _journaled(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """A journal call run on the journal's writer thread, off the event loop, in order (a
        write: committed before it returns, so before the request that follows)."""
        return await self.journal.writer.call(fn, *args, **kwargs)

    def unfinished(self, exclude: AbstractSet[str] = frozenset()) -> list[JournalSale]:
        return [s for s in self.journal.unfinished() if s.sale_id not in exclude]

    async def resume_all(self, *, wait: bool = True,
                         exclude: AbstractSet[str] = frozenset()) -> list[RecoveryOutcome]:
        """Resume every unfinished sale (except ``exclude``, e.g. the counter's open sale).
        ``wait=False`` returns once orders are identified; their polls go on in the background
        (``on_update`` reports each final state)."""
        out = []
        for sale in self.unfinished(exclude):
            out.append(await self.resume(sale, wait=wait))
        return out

    async def resume(self, sale: JournalSale, *, wait: bool = True) -> RecoveryOutcome:
        try:
            other = self._other_venue(sale)
            if other is not None:
                return await self._untied(sale, other, _(
                    "This sale was made at another venue ({venue}) than the one this till is "
                    "connected to. Nothing was changed; check it in VoordeMensen for that "
                    "venue.").format(venue=other))
            if sale.order_key:
                return await self._poll(sale, wait)
            if sale.order_requested_at is not None:
                return await self._find_order(sale, wait)
            return await self._release(sale)
        except errors.VdmError as exc:
            log.warning("recovery of a sale postponed: %s", type(exc).__name__)
            return self._report(RecoveryOutcome(sale.sale_id, sale.state, sale.state,
                                                sale.order_key, message_for(exc, operation="status"),
                                                postponed=True))
        except JournalWriteFailed as exc:   # nothing decided is lost: the next start goes on
            log.warning("recovery of a sale postponed: the journal cannot be written")
            return self._report(RecoveryOutcome(sale.sale_id, sale.state, sale.state,
                                                sale.order_key,
                                                CashierMessage(journal_write_trouble(exc),
                                                               Action.NONE, Severity.WARNING),
                                                postponed=True, disk=exc.trouble))

    def _report(self, outcome: RecoveryOutcome) -> RecoveryOutcome:
        if self._on_update is not None:
            try:
                self._on_update(outcome)
            except Exception:
                log.exception("recovery listener failed")
        return outcome

    # ------------------------------------------------------------------ tying a cart to a sale
    def _other_venue(self, sale: JournalSale) -> str | None:
        """The sale's venue when it is known and not the one this client talks to."""
        here = getattr(self.client, "base_url", None)
        if sale.venue is None or here is None or sale.venue == here:
            return None  # a journal from before venues were recorded: the profile's own venue
        return sale.venue

    async def _last_cart_write(self, sale: JournalSale) -> datetime:
        """When the sale last wrote to its cart (a hold runs from the last add), by the journal."""
        times = [st.at for st in await self._journaled(self.journal.steps, sale.sale_id)
                 if not st.step.startswith(_RECOVERY_STEP)]
        return max(times, default=sale.created_at)

    async def _untied(self, sale: JournalSale, why: str, text: str) -> RecoveryOutcome:
        """The server cart (or venue) cannot be tied to this sale: nothing is sent, a person
        checks (the sale stays unfinished and is looked at again at the next start)."""
        log.warning("recovery: sale %s not tied to a server cart (%s); left for attention",
                    sale.sale_id, why)
        await self._journaled(self.journal.after, sale.sale_id, "recover_untied",
                              SaleState.NEEDS_ATTENTION, {"why": why, "cart_id": sale.cart_id},
                              note=why[:200])
        return self._report(RecoveryOutcome(
            sale.sale_id, sale.state, SaleState.NEEDS_ATTENTION, sale.order_key,
            CashierMessage(text, Action.NONE, Severity.WARNING, details=why)))

    # ------------------------------------------------------------------ no order requested
    async def _release(self, sale: JournalSale, *, report: bool = True) -> RecoveryOutcome:
        if sale.cart_id:
            try:
                cart = await self.client.public.cart(sale.cart_id)
            except errors.NotFound:
                cart = None  # the cart is gone: nothing is held
            held = [] if cart is None else [ln.seat_id for ln in cart.lines]
            if held:
                ours = {str(d.get("line_id")) for d in sale.lines if d.get("line_id")}
                age = self._now() - await self._last_cart_write(sale)
                foreign = [lid for lid in held if lid not in ours]
                if age > MAX_PLAUSIBLE_HOLD:
                    hours = int(age.total_seconds() // 3600)
                    return await self._untied(sale, (
                        f"cart {sale.cart_id} holds {len(held)} line(s), but this sale last wrote "
                        f"to it {hours} h ago: longer than any hold, so they are not this "
                        f"sale's (the id was handed out again)"), _(
                        "The cart of this sale ({cart}) holds seats again, but this sale last "
                        "used it {hours} hours ago, longer than any hold: they belong to another "
                        "sale. Nothing was released; check the cart in VoordeMensen.").format(
                            cart=sale.cart_id, hours=hours))
                if foreign:
                    return await self._untied(sale, (
                        f"cart {sale.cart_id} holds {len(foreign)} line(s) this sale never "
                        f"recorded"), _(
                        "The cart of this sale ({cart}) holds seats this sale did not record "
                        "({count}), so it may be another sale's cart. Nothing was released; "
                        "check the cart in VoordeMensen.").format(cart=sale.cart_id,
                                                                count=len(foreign)))
                await self._journaled(self.journal.before, sale.sale_id, "recover_release",
                                      {"cart_id": sale.cart_id})
                try:
                    if self.client.has_api_key:
                        await self.client.peppered.clear_cart(sale.cart_id)
                    else:
                        for lid in held:
                            with contextlib.suppress(errors.NotFound):
                                await self.client.public.remove_line(sale.cart_id, lid)
                except errors.NotFound:
                    pass  # the cart is gone: nothing is held
        await self._journaled(self.journal.after, sale.sale_id, "recover_release",
                              SaleState.RELEASED)
        outcome = RecoveryOutcome(sale.sale_id, sale.state, SaleState.RELEASED)
        return self._report(outcome) if report else outcome

    async def _ended_unpaid(self, sale: JournalSale,
                            outcome: reconcile.Outcome) -> RecoveryOutcome:
        """Which order (if any) the lost attempt made is unknown, but every one that might be it
        has ended unpaid and the hold has lapsed: nothing was paid for the sale and nothing can
        be. Recorded with the orders it might have been, then the cart is let go (released)."""
        await self._journaled(self.journal.after, sale.sale_id, "recover_find_order", None,
                              {"ended_unpaid": list(outcome.candidates)},
                              note="not paid: every order that might be this sale's ended "
                                   "unpaid")
        return await self._release(await self._journaled(self.journal.get, sale.sale_id))

    # ------------------------------------------------------------------ order key lost
    async def _find_order(self, sale: JournalSale, wait: bool) -> RecoveryOutcome:
        assert sale.cart_id and sale.order_requested_at
        lines = [line_from_dict(d) for d in sale.lines]
        snapshot = snapshot_cart(lines)
        lookup = sale.order_attempt()
        await self._journaled(self.journal.before, sale.sale_id, "recover_find_order",
                              {"cart_id": sale.cart_id})
        try:
            outcome, _ = await order_check(
                self.client.public, self.client.peppered, sale.cart_id, snapshot, lookup,
                exclude_keys=await self._journaled(self.journal.order_keys))
        except errors.NotFound:
            outcome = reconcile.unknown("the cart is unknown at VoordeMensen")
        if outcome.state == reconcile.LAPSED:
            # the hold ran out with no order made: nothing is sold, nothing is held
            return await self._release(await self._journaled(self.journal.get, sale.sale_id))
        if outcome.state == reconcile.ENDED_UNPAID:
            return await self._ended_unpaid(sale, outcome)
        if outcome.state == reconcile.APPLIED:
            found = outcome.applied_value()
            await self._journaled(self.journal.after, sale.sale_id, "recover_find_order",
                                  SaleState.ORDER_CREATED, {"recovered": True},
                                  order_key=found.order_key,
                                  payment_status=found.order_payment_status or "none")
            return await self._poll(await self._journaled(self.journal.get, sale.sale_id), wait)
        if outcome.state == reconcile.NOT_APPLIED:
            # the venue's order list shows no order this attempt could have made: release the
            # cart, so a request still queued at VdM finds nothing to order, then look once more
            # (one that landed just before the release shows now)
            released = await self._release(await self._journaled(self.journal.get, sale.sale_id),
                                           report=False)
            if released.after != SaleState.RELEASED:
                return released  # the cart could not be tied to the sale: left for a person
            try:
                again, _ = await order_check(self.client.public, self.client.peppered,
                                             sale.cart_id, snapshot, lookup,
                                             exclude_keys=await self._journaled(self.journal.order_keys))
            except errors.VdmError as exc:
                again = reconcile.unknown(f"the order list could not be read again after the "
                                          f"cart was released ({type(exc).__name__})")
            if again.state == reconcile.APPLIED:
                found = again.applied_value()
                log.warning("an order of a released cart appeared after the release: %s",
                            found.order_key)
                await self._journaled(self.journal.after, sale.sale_id, "recover_find_order",
                                      SaleState.ORDER_CREATED,
                                      {"recovered": True, "after_release": True},
                                      order_key=found.order_key,
                                      payment_status=found.order_payment_status or "none")
                return await self._poll(await self._journaled(self.journal.get, sale.sale_id), wait)
            if again.state in (reconcile.NOT_APPLIED, reconcile.LAPSED,
                               reconcile.ENDED_UNPAID):
                return self._report(released)
            outcome = again
        await self._journaled(self.journal.after, sale.sale_id, "recover_find_order",
                              SaleState.NEEDS_ATTENTION,
                              {"why": outcome.why, "candidates": list(outcome.candidates)},
                              note=outcome.why[:200])
        msg = order_needs_checking(
            lines, method_name=sale.payment_method_name,
            amount=None if sale.total is None else sale.total + (sale.surcharge or 0),
            requested_at=sale.order_requested_at, order_keys=outcome.candidates)
        return self._report(RecoveryOutcome(sale.sale_id, sale.state, SaleState.NEEDS_ATTENTION,
                                            None, msg))

    # ------------------------------------------------------------------ order known
    async def _poll(self, sale: JournalSale, wait: bool) -> RecoveryOutcome:
        assert sale.order_key
        if sale.state != SaleState.ORDER_CREATED:
            await self._journaled(self.journal.after, sale.sale_id, "recover_poll",
                                  SaleState.ORDER_CREATED)
        if not wait:
            task = asyncio.get_running_loop().create_task(self._poll_to_end(sale))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return RecoveryOutcome(sale.sale_id, sale.state, SaleState.ORDER_CREATED,
                                   sale.order_key)
        return await self._poll_to_end(sale)

    async def _poll_to_end(self, sale: JournalSale) -> RecoveryOutcome:
        assert sale.order_key
        poller = self._poller_factory(self.client, sale.order_key)
        try:
            status = await poller.run(first_delay=0.0)
        except errors.NotFound:
            await self._journaled(self.journal.after, sale.sale_id, "recover_poll",
                                  SaleState.NEEDS_ATTENTION, {"error": "NotFound"},
                                  note="order not found")
            return self._report(RecoveryOutcome(sale.sale_id, sale.state,
                                                SaleState.NEEDS_ATTENTION, sale.order_key))
        final = PAYMENT_FINAL[status.order_payment_status]
        urls = {}
        for name, value in (("tickets_url", status.order_tickets_url),
                            ("receipt_url", status.order_receipt_url)):
            try:
                urls[name] = check_document_url(value, demo=self.demo) if value else None
            except errors.InsecureURL:
                urls[name] = None
        await self._journaled(self.journal.after, sale.sale_id, "recover_poll", final, None,
                              payment_status=status.order_payment_status,
                              tickets_nr=status.order_tickets_nr, **urls)
        return self._report(RecoveryOutcome(sale.sale_id, sale.state, final, sale.order_key))

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await await_ended(self._tasks)
        await self.journal.writer.flush()   # every step asked for is on disk


@dataclass(frozen=True)
class SetAsideReport:
    """What the journals set aside as damaged still say (read only, nothing written to them)."""

    files: tuple[str, ...]                 # the set-aside files' names
    unfinished: tuple[JournalSale, ...]    # their sales that never reached a final state
    unreadable: int                        # set-aside files that cannot be read at all

    def notice(self) -> str | None:
        """Plain text for the cashier (None when nothing was set aside)."""
        if not self.files:
            return None
        text = _("The sales record of this computer was damaged and has been kept aside (nothing "
                 "was deleted); selling goes on with a new one.")
        if self.unfinished:
            sales = "; ".join(_describe(s) for s in self.unfinished)
            text += " " + ngettext(
                "It still lists {n} unfinished sale: check it in the venue's order list: {sales}.",
                "It still lists {n} unfinished sales: check them in the venue's order list: {sales}.",
                len(self.unfinished)).format(n=len(self.unfinished), sales=sales)
        if self.unreadable:
            text += " " + _("Part of it could not be read: check tonight's orders in the venue's "
                            "order list.")
        return text


def _describe(sale: JournalSale) -> str:
    parts = [format_datetime(sale.created_at, "short")]
    if sale.order_key:
        parts.append(_("order {key}").format(key=sale.order_key))
    seats = len(sale.lines)
    if seats:
        parts.append(ngettext("{n} ticket", "{n} tickets", seats).format(n=seats))
    if sale.total:
        parts.append(format_money(sale.total))
    return " ".join(parts)


def read_set_aside(journal_file: Path | str) -> SetAsideReport:
    """Read every journal set aside next to *journal_file*, read-only, for its unfinished sales.
    Recovery cannot act on them (a damaged file is never written), so they are reported for the
    cashier to check."""
    files = SaleJournal.set_aside_files(journal_file)
    unfinished: list[JournalSale] = []
    unreadable = 0
    for path in files:
        try:
            old = SaleJournal.open_read_only(path)
        except (sqlite3.Error, JournalError, OSError):
            log.warning("set-aside journal %s cannot be read", path.name, exc_info=True)
            unreadable += 1
            continue
        try:
            unfinished.extend(old.unfinished())
        except sqlite3.Error:
            log.warning("set-aside journal %s is only partly readable", path.name, exc_info=True)
            unreadable += 1
        finally:
            old.close()
    return SetAsideReport(tuple(p.name for p in files), tuple(unfinished), unreadable)
