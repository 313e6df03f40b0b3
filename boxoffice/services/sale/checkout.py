"""Checkout of a sale: payment methods (cached, refreshed, confirmed before an order), the customer
(looked up, created, attached) and cash (change, quick amounts). Owns the selected method's
saved preferences; writes no journal step.
"""
from __future__ import annotations

import json
import logging
from decimal import Decimal

from boxoffice.api import errors
from boxoffice.api.models import CustomerCreate
from boxoffice.domain.cash import Change, change_due, quick_amounts
from boxoffice.domain.money import ZERO, amount_due, surcharge
from boxoffice.i18n import _
from boxoffice.i18n.formatting import format_money
from boxoffice.services.messages import Action, CashierMessage, Severity
from boxoffice.services.sale.model import (
    PREF_LAST_METHOD,
    PREF_METHODS,
    CustomerInfo,
    PaymentChoice,
    Phase,
    SaleError,
)
from boxoffice.services.sale.state import SaleContext, SaleDraft

log = logging.getLogger("boxoffice.sale")


class Checkout:
    """What the sale is paid with and by whom: the methods, the customer and cash."""

    def __init__(self, ctx: SaleContext) -> None:
        self.ctx = ctx

    @property
    def draft(self) -> SaleDraft:
        return self.ctx.draft

    def cached_methods(self) -> list[PaymentChoice] | None:
        raw = self.ctx.journal.get_pref(PREF_METHODS)
        if not raw:
            return None
        try:
            out = []
            for m in json.loads(raw):
                method_id = m["id"]      # opaque: a number or a text, kept as saved
                if isinstance(method_id, bool) or not isinstance(method_id, (int, str)) \
                        or method_id == "":
                    raise ValueError("payment method id")
                out.append(PaymentChoice(method_id, str(m["name"]), Decimal(m["fee"])))
            return out
        except (ValueError, KeyError, TypeError, ArithmeticError):
            return None

    def preselect_method(self) -> None:
        last = self.ctx.journal.get_pref(PREF_LAST_METHOD)
        if last and self.ctx.methods:
            self.ctx.method = next((m for m in self.ctx.methods if str(m.method_id) == last), None)

    async def payment_methods(self, refresh: bool = False) -> list[PaymentChoice]:
        """The payment methods; the last used one is preselected. ``refresh``: read them from
        VoordeMensen again (the saved list, from the journal's preferences, is only what is shown
        until then: a venue may change a fee at any time). On a failed refresh the saved list is
        returned; a checkout never relies on it (:meth:`confirm_method`)."""
        if self.ctx.methods is None or refresh:
            try:
                await self._fetch_methods()
            except errors.VdmError:
                if self.ctx.methods is not None:
                    return list(self.ctx.methods)
                raise
        from boxoffice.api.base import ItemList
        out = ItemList(self.ctx.methods or [])
        out.skipped = self.ctx.methods_skipped     # the screen says how many were left out
        return out

    @property
    def payment_methods_known(self) -> bool:
        """Whether a list of methods is there to show (saved or read)."""
        return self.ctx.methods is not None

    async def refresh_payment_methods(self) -> None:
        """Read the methods and fees again, quietly (with the event list): failures are logged
        and the list shown stays as it was."""
        try:
            await self._fetch_methods()
        except errors.VdmError as exc:
            log.info("payment methods not refreshed (%s)", type(exc).__name__)

    async def _fetch_methods(self) -> list[PaymentChoice]:
        """The server's current methods and fees; saved, and the selected method follows them
        (a method VoordeMensen no longer offers is deselected, except during a checkout, which
        says so itself)."""
        methods = await self.ctx.client.public.payment_methods()
        fresh = [PaymentChoice(m.payment_id, m.payment_desc, m.payment_cost) for m in methods]
        self.ctx.methods = fresh
        self.ctx.methods_skipped = int(getattr(methods, "skipped", 0) or 0)
        await self.ctx.record(self.ctx.journal.set_pref, PREF_METHODS, json.dumps(
            [{"id": m.method_id, "name": m.name, "fee": str(m.surcharge)} for m in fresh]))
        if self.ctx.method is None:
            self.preselect_method()
        elif self.draft.phase in (Phase.IDLE, Phase.OPEN):
            current = next((m for m in fresh if m.method_id == self.ctx.method.method_id), None)
            if current is not None:
                self.ctx.method = current
        self.ctx.notify()
        return fresh

    async def confirm_method(self) -> bool:
        """Before an order: the selected method and its surcharge as VoordeMensen says *now*
        (never the saved list). False (with the cashier's message) when they cannot be read,
        the method is gone, or its surcharge differs from what was shown: then the amount due
        is shown anew and nothing is ordered until the cashier presses "Pay" again."""
        shown = self.ctx.method
        assert shown is not None
        try:
            methods = await self.ctx.client.public.payment_methods()
        except errors.VdmError as exc:
            log.warning("payment methods could not be read before the order (%s)",
                        type(exc).__name__)
            self.draft.message = CashierMessage(
                _("The payment methods and surcharges could not be checked with VoordeMensen, "
                  "so the amount due is not certain. Nothing was ordered; try again."),
                Action.TRY_AGAIN)
            return False
        fresh = [PaymentChoice(m.payment_id, m.payment_desc, m.payment_cost) for m in methods]
        self.ctx.methods = fresh
        self.ctx.methods_skipped = int(getattr(methods, "skipped", 0) or 0)
        await self.ctx.record(self.ctx.journal.set_pref, PREF_METHODS, json.dumps(
            [{"id": m.method_id, "name": m.name, "fee": str(m.surcharge)} for m in fresh]))
        current = next((m for m in fresh if m.method_id == shown.method_id), None)
        if current is None:
            self.ctx.method = None
            self.draft.message = CashierMessage(
                _("VoordeMensen no longer offers {method}. Nothing was ordered; choose another "
                  "payment method.").format(method=shown.name), Action.OTHER_METHOD,
                Severity.WARNING)
            return False
        self.ctx.method = current
        if surcharge(current.surcharge) != surcharge(shown.surcharge):
            held = sum((ln.price for ln in self.draft.lines.values() if ln.held), ZERO)
            self.draft.message = CashierMessage(
                _("The surcharge for {method} is now {new} (was {old}): the amount due is "
                  "{due}. Nothing was ordered yet; check it with the customer and press Pay "
                  "again.").format(
                    method=current.name, new=format_money(surcharge(current.surcharge)),
                    old=format_money(surcharge(shown.surcharge)),
                    due=format_money(amount_due(held, surcharge(current.surcharge)))),
                Action.NONE, Severity.WARNING)
            return False
        return True

    def select_payment_method(self, method_id: int | str) -> PaymentChoice:
        if not self.ctx.methods:
            raise SaleError(CashierMessage(_("Payment methods are not loaded yet."), Action.WAIT))
        method = next((m for m in self.ctx.methods if m.method_id == method_id), None)
        if method is None:
            raise SaleError(CashierMessage(_("Unknown payment method."), Action.OTHER_METHOD))
        self.ctx.method = method
        self.ctx.notify()
        return method

    def set_customer(self, customer: CustomerInfo | None, *, avg_optin: bool = False,
                     avg_mailinglist: bool = False) -> None:
        """Attach (or clear) the buyer. The GDPR opt-ins are off unless the cashier ticks them."""
        self.draft.customer = customer
        self.draft.avg_optin = bool(avg_optin)
        self.draft.avg_mailinglist = bool(avg_mailinglist)
        self.ctx.notify()

    async def find_customer(self, email: str) -> CustomerInfo | None:
        """Prefill from the venue's customer records (needs the API key); None if unknown."""
        if not self.ctx.client.has_api_key:
            return None
        c = await self.ctx.client.peppered.find_customer_by_email(email.strip())
        if c is None:
            return None
        # the Dutch infix ("de" in "Anna de Vries") belongs with the last name: the public order
        # has only firstname/lastname
        last = " ".join(p.strip() for p in (c.preposition, c.last_name) if p and p.strip())
        return CustomerInfo(c.email, c.first_name, last or None, c.phone, c.customer_id)

    async def create_customer(self, email: str, first_name: str, last_name: str,
                              phone: str | None = None) -> CustomerInfo:
        body = CustomerCreate(email=email.strip(), first_name=first_name.strip(),
                              last_name=last_name.strip(), phone=phone or None)
        c = await self.ctx.shielded(self.ctx.client.peppered.create_customer(body))
        # the Dutch infix ("de" in "Anna de Vries") belongs with the last name: the public order
        # has only firstname/lastname
        last = " ".join(p.strip() for p in (c.preposition, c.last_name) if p and p.strip())
        return CustomerInfo(c.email, c.first_name, last or None, c.phone, c.customer_id)

    def cash_change(self, tendered: Decimal) -> Change:
        return change_due(self.ctx.snapshot().amount_due, tendered)

    def quick_amounts(self) -> list[Decimal]:
        return quick_amounts(self.ctx.snapshot().amount_due)
