"""``SaleController``: one counter's sale in the desktop app, from seat to confirmation.

Owns, for one open venue session, the wiring between the profile's counter
(:class:`~boxoffice.services.counter.Counter`: the sale journal, the Qt-free
:class:`~boxoffice.services.sale.SaleService` and the start-up
:class:`~boxoffice.services.recovery.Recovery`, opened there) and the widgets:

* the performance page (``boxoffice.ui.performance``): ``performanceOpened`` → names for the
  lines and the cart created ahead (``prepare``), ``planLoaded`` → the service knows the seats,
  ``seatsChosen`` / ``generalAdmissionChosen`` → add; after every cart change the map is told
  which seats are in this cart (``set_in_cart``) and refreshes (``refresh_plan``);
* the sale area on the right (:class:`~boxoffice.ui.cart.area.SaleArea`): cart, checkout,
  confirmation, message line, busy bar, hold countdown, recovery notice;
* window actions: Checkout (F9), New sale (F2 / Ctrl+N), Shift report (Ctrl+R)
  (``boxoffice.ui.sale_actions``); tickets, receipt and payment page (``boxoffice.ui.sale_documents``).

Every network step runs as a task kept by a :class:`~boxoffice.ui.tasks.TaskTracker`; the
window never waits. Errors become the service's cashier messages on the message line (never a
modal). Links go to the system browser only under the URL policy (https, or loopback in demo).
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from boxoffice.api import errors
from boxoffice.domain.ticket_types import display_name
from boxoffice.i18n import _
from boxoffice.services.counter import Counter
from boxoffice.services.messages import Action, CashierMessage, Severity, message_for
from boxoffice.services.recovery import RecoveryOutcome, read_set_aside
from boxoffice.services.sale import (
    PaymentChoice,
    PerformanceInfo,
    Phase,
    PriceOption,
    SaleError,
    SaleLine,
    SaleSnapshot,
)
from boxoffice.store.disk import trouble_reason
from boxoffice.ui.cart.area import CART, CHECKOUT, CONFIRMATION, SaleArea
from boxoffice.ui.checkout.panel import ATTENTION, CHOOSE, NOT_PAID, WAITING
from boxoffice.ui.sale_actions import SaleActions
from boxoffice.ui.sale_documents import SaleDocuments, link_allowed
from boxoffice.ui.tasks import TaskTracker

log = logging.getLogger("boxoffice.sale")

__all__ = ["SaleController", "busy_text", "link_allowed"]


def busy_text(kind: str | None) -> str | None:
    if kind == "adding":
        return _("Adding to the cart\u2026")
    if kind == "removing":
        return _("Releasing seats\u2026")
    if kind == "ordering":
        return _("Creating the order\u2026")
    if kind == "checking":
        return _("Checking the sale\u2026")
    return _("Working\u2026") if kind else None


class SaleController(QObject):
    def __init__(self, window: Any, session: Any, profile: Any, paths: Any, *,
                 on_error: Callable[[BaseException], None] | None = None,
                 hold_seconds: float | None = None) -> None:
        super().__init__()
        self.window = window
        self.session = session
        self.client = session.client
        self.demo = bool(getattr(profile, "demo", False))
        self.profile, self.paths = profile, paths
        self.data_dir = Path(profile.data_dir(paths))
        # the built-in simulator starts afresh with every session: its journal does too
        # (the previous one is kept aside as sales.sqlite3.previous)
        self.counter = Counter.open(
            self.client, self.data_dir, demo=self.demo,
            fresh_journal=self.demo and getattr(session, "simulator", None) is not None,
            hold_seconds=hold_seconds, on_recovered=self._recovered)
        self.service = self.counter.service
        # a venue whose API has no box-office cart route: the session sells by number from then on
        self.service.on_cart_route_missing = getattr(session, "cart_route_missing", None)
        self.recovery = self.counter.recovery
        self.documents = SaleDocuments(demo=self.demo)
        self.tasks = TaskTracker(on_error=on_error)
        self.area = SaleArea()
        self.area.countdown.hold_source = self.service.hold_info
        self.area.countdown.timer.timeout.connect(self._hold_ran_out)
        self.snapshot: SaleSnapshot = self.service.snapshot()
        self.methods: list[PaymentChoice] | None = None
        self._methods_error = ""
        self._busy_ops: list[str] = []
        self._shown_message: CashierMessage | None = None
        self._in_cart: frozenset[str] | None = None
        self._opened_orders: set[str] = set()
        self._page_opened: dict[str, bool] = {}   # order key -> the browser showed its page
        self._retry: Callable[[], Awaitable[Any]] | None = None
        self._want_checkout = False
        self._link_message: CashierMessage | None = None  # a payment page that did not open
        self._ga_types: dict[int | str, list[PriceOption]] = {}
        self.report_dialog: Any = None
        self._closed = False
        self._connections: list[tuple[Any, Any]] = []

        self._unsubscribe = self.service.subscribe(self._on_snapshot)
        self._recheck_task: Any = None
        self._hold_read_back: Any = None   # the hold end the cart was last read back for
        connectivity = getattr(session, "connectivity", None)
        self._unsubscribe_online = connectivity.subscribe(self._online_changed) \
            if connectivity is not None else (lambda: None)
        # payment methods and surcharges are read again with every event list (a venue may
        # change a fee at any time; "Pay" reads them once more itself)
        catalog = getattr(session, "catalog", None)
        self._unsubscribe_catalog = catalog.subscribe(self._events_refreshed) \
            if catalog is not None and hasattr(catalog, "subscribe") else (lambda: None)
        self._wire_area()
        self._wire_performance_panel()
        self._install_actions()
        self.window.set_cart_widget(self.area)   # the window sizes the cart pane (CartPaneFit)
        self._render()

    # ======================================================================= wiring
    def _connect(self, signal: Any, slot: Any) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def _wire_area(self) -> None:
        a = self.area
        cart, co, conf = a.cart, a.checkout, a.confirmation
        a.message.actionRequested.connect(self._message_action)
        cart.removeRequested.connect(self.remove_line)
        cart.removeAllRequested.connect(self.remove_all)
        cart.typeChangeRequested.connect(self.change_ticket_type)
        cart.readdRequested.connect(self.readd)
        cart.checkoutRequested.connect(self.open_checkout)
        co.backRequested.connect(self.back_to_cart)
        co.payRequested.connect(self.pay)
        co.methodChosen.connect(self.select_method)
        co.stopWaitingRequested.connect(self.stop_waiting)
        co.resumeWaitingRequested.connect(self.resume_waiting)
        co.checkNowRequested.connect(self.service.check_now)
        co.openPaymentPageRequested.connect(self.open_payment_page)
        co.tryAgainRequested.connect(lambda: self.start_again(pay=True))
        co.otherMethodRequested.connect(lambda: self.start_again(pay=False))
        co.releaseRequested.connect(self.new_sale)
        co.newSaleRequested.connect(self.new_sale)
        co.recheckRequested.connect(self.recheck)
        co.cash.changed.connect(self._render)
        co.customer.lookupRequested.connect(self.find_customer)
        co.customer.createRequested.connect(self.create_customer)
        co.customer.set_can_look_up(self.client.has_api_key, _(
            "Customer records need the venue's API key."))
        conf.printRequested.connect(self.print_tickets)
        conf.receiptRequested.connect(self.open_receipt)
        conf.newSaleRequested.connect(self.new_sale)

    @property
    def panel(self) -> Any:
        return self.window.performance_panel

    def _wire_performance_panel(self) -> None:
        p = self.panel
        self._connect(p.performanceOpened, self._performance_opened)
        self._connect(p.planLoaded, self._plan_loaded)
        # Deferred to a fresh turn of the event loop: these signals are emitted from key and
        # mouse handlers, and starting network work there (inside nested event processing)
        # is what qasync handles worst.
        self._connect(p.seatsChosen, lambda eid, ids: QTimer.singleShot(
            0, lambda: self.add_seats(eid, ids)))
        self._connect(p.generalAdmissionChosen, lambda eid, q: QTimer.singleShot(
            0, lambda: self.add_general_admission(eid, q)))

    def _install_actions(self) -> None:
        self.actions = SaleActions(self.window, checkout=self.open_checkout, new_sale=self.new_sale,
                                   shift_report=self.open_shift_report)
        self.checkout_action = self.actions.checkout
        self.new_sale_action = self.actions.new_sale
        self.report_action = self.actions.report
        from boxoffice.config import SettingsStore
        from boxoffice.ui.customer_display import CustomerDisplayControl

        self.customer_display = CustomerDisplayControl(
            self, SettingsStore.for_paths(self.paths), venue=getattr(self.profile, "name", ""),
            demo=self.demo)

    @property
    def journal(self) -> Any:
        """The counter's sale journal (read by checks; the controller itself asks the counter)."""
        return self.counter.journal

    @property
    def last_document(self) -> Path | None:
        """The tickets PDF saved last."""
        return self.documents.last_document

    # ======================================================================= lifecycle
    def start(self) -> None:
        """Resume what the journal says was left unfinished, and load the payment methods."""
        journal = self.counter.journal
        if journal.recovered_notice and journal.path is not None:
            # the journal was damaged and set aside at this start: say so, with what it still lists
            notice = read_set_aside(journal.path).notice()
            if notice:
                self.window.show_notice(notice)
        current = {self.snapshot.sale_id} if self.snapshot.sale_id else set()
        unfinished = self.counter.unfinished(current)
        if unfinished:
            for sale in unfinished:
                self.area.recovery.add_sale(sale)
            self.tasks.spawn(self._recover(unfinished), name="sale-recovery")
        self.tasks.spawn(self._load_methods(), name="sale-methods")

    async def _recover(self, sales: list) -> None:
        for sale in sales:
            outcome = await self.recovery.resume(sale, wait=False)
            self._recovered(outcome)

    def _recovered(self, outcome: RecoveryOutcome) -> None:
        if self._closed:
            return
        state = outcome.after
        if outcome.postponed:  # (a recheck that still needs a person is not "unreachable")
            label = self.area.recovery.rows.get(outcome.sale_id)
            caption = self.area.recovery.captions.get(outcome.sale_id, "")
            if label is not None and outcome.disk is not None:
                label.setText("\u2022 " + _("{sale}: the sales record cannot be written ({reason}); "
                                            "checked again at the next start.").format(
                    sale=caption, reason=trouble_reason(outcome.disk)))
            elif label is not None:
                label.setText("\u2022 " + _("{sale}: VoordeMensen could not be reached; checked "
                                            "again at the next start.").format(sale=caption))
            return
        self.area.recovery.update_sale(outcome.sale_id, state, outcome.order_key)

    async def aclose(self) -> None:
        """Stop background work and let writes in flight finish; then close the journal."""
        if self._closed:
            return
        self._closed = True
        self._unsubscribe()
        self._unsubscribe_online()
        self._unsubscribe_catalog()
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self._connections.clear()
        self.customer_display.aclose()
        self.actions.remove()
        self.area.countdown.timer.stop()
        if self.report_dialog is not None:
            self.report_dialog.close()
            self.report_dialog = None
        await self.tasks.aclose()
        await self.counter.aclose()
        if getattr(self.window, "cart_widget", None) is self.area:
            self.window.set_cart_widget(None)

    # ======================================================================= running steps
    def _spawn(self, factory: Callable[[], Awaitable[Any]], *, busy: str | None = None,
               operation: str = "", retry: bool = True, name: str = "sale") -> Any:
        if retry:
            self._retry = factory

        async def go() -> Any:
            if busy:
                self._busy_ops.append(busy)
                self._render()
            try:
                return await factory()
            except SaleError as exc:
                self.show_message(exc.message)
            except errors.VdmError as exc:
                self.show_message(message_for(exc, operation=operation))
            finally:
                if busy:
                    self._busy_ops.remove(busy)
                    if not self._closed:
                        self._render()
            return None

        return self.tasks.spawn(go(), name=name)

    def show_message(self, message: CashierMessage | None) -> None:
        if not self._closed:
            self.area.message.show_message(message)

    def _message_action(self, action: Action) -> None:
        if action == Action.PICK_ANOTHER_SEAT:
            self.area.message.clear()
            self.window.show_performance() if self.panel.performance is not None else None
            self.panel.focus_content()
        elif action == Action.TRY_AGAIN and self._retry is not None:
            self.area.message.clear()
            self._spawn(self._retry, busy=_("Trying again\u2026"))
        elif action == Action.READD:
            self.readd()
        elif action == Action.OTHER_METHOD:
            self.open_checkout()
            self.area.checkout.focus_methods()
        elif action == Action.RELEASE:
            self.new_sale()
        elif action == Action.CHECK_SETTINGS:
            self.window.settings_requested.emit()

    # ======================================================================= snapshots → view
    def _on_snapshot(self, snap: SaleSnapshot) -> None:
        if self._closed:
            return
        self.snapshot = snap
        if snap.message is not None and snap.message is not self._shown_message:
            self._shown_message = snap.message
            self.area.message.show_message(snap.message)
        elif snap.message is None and self._shown_message is not None:
            if self.area.message.message is self._shown_message:
                self.area.message.clear()
            self._shown_message = None
        order = snap.order
        if (snap.phase == Phase.WAITING and order is not None and order.payment_url
                and order.order_key not in self._opened_orders):
            self._opened_orders.add(order.order_key)
            self.open_payment_page()
        if snap.phase == Phase.ATTENTION and (self._recheck_task is None
                                              or self._recheck_task.done()):
            self._recheck_task = self.tasks.spawn(self._keep_checking(), name="sale-recheck")
        self._sync_map()
        self._render()

    # ======================================================================= a sale being checked
    #: seconds between the automatic re-checks of a sale being checked (the last one repeats)
    RECHECK_DELAYS: tuple[float, ...] = (2.0, 3.0, 5.0, 10.0)

    async def _keep_checking(self) -> None:
        """While the sale is being checked (its order's outcome unknown), ask again by itself,
        reading only, until it is settled: so it settles within seconds once the connection is
        back, without the cashier doing anything."""
        import asyncio

        attempt = 0
        while not self._closed and self.snapshot.phase == Phase.ATTENTION:
            delays = self.RECHECK_DELAYS
            await asyncio.sleep(delays[min(attempt, len(delays) - 1)])
            attempt += 1
            if self._closed or self.snapshot.phase != Phase.ATTENTION:
                return
            try:
                await self.service.recheck()
            except (errors.VdmError, SaleError) as exc:
                log.info("sale re-check failed: %s", type(exc).__name__)

    #: seconds past the hold's end (server clock) before the cart is read back from here: the
    #: service's own expiry (half a second after the end) goes first when its timer is on time
    HOLD_READ_BACK_AFTER = 2.0

    def _hold_ran_out(self) -> None:
        """Each countdown tick: the hold ended by the server's clock while the lines still show
        as held. The service's expiry sleeps on the monotonic clock, which stands still while
        the computer sleeps; so read the cart back now, once per hold end."""
        hold = None if self._closed else self.service.hold_info()
        if (hold is None or not hold.expired or self.snapshot.phase != Phase.OPEN
                or not self.snapshot.held_lines or self._hold_read_back == hold.expires_at
                or (self.client.server_now() - hold.expires_at).total_seconds()
                < self.HOLD_READ_BACK_AFTER):
            return
        self._hold_read_back = hold.expires_at

        async def read_back() -> None:   # quiet, like the service's own expiry
            try:
                await self.service.refresh()
            except (errors.VdmError, SaleError) as exc:
                log.info("cart not read back after the hold: %s", type(exc).__name__)

        self.tasks.spawn(read_back(), name="sale-hold-check")

    def recheck(self) -> Any:
        """"Check now" on a sale being checked: read again at once (never a second order)."""
        if self.snapshot.phase != Phase.ATTENTION:
            return None
        return self._spawn(self.service.recheck, operation="status", retry=False,
                           name="sale-recheck-now")

    def _online_changed(self, online: bool) -> None:
        if online and not self._closed and self.snapshot.phase == Phase.ATTENTION:
            self.recheck()

    def _cart_seat_ids(self, event_id: int | str | None) -> list[str]:
        snap = self.snapshot
        if event_id is None or snap.phase not in (Phase.IDLE, Phase.OPEN, Phase.ORDERING):
            return []
        return [ln.line_id for ln in snap.held_lines
                if ln.event_id == event_id and not ln.general_admission]

    def _sync_map(self, force: bool = False) -> None:
        snap = self.snapshot
        held = frozenset(ln.line_id for ln in snap.held_lines) if snap.phase in (
            Phase.IDLE, Phase.OPEN, Phase.ORDERING) else frozenset()
        if held == self._in_cart and not force:
            return
        first = self._in_cart is None
        self._in_cart = held
        panel = self.panel
        if panel.event_id is None:
            return
        panel.set_in_cart(self._cart_seat_ids(panel.event_id))
        if not first or force:
            panel.refresh_plan()

    def _type_options(self, line: SaleLine) -> list[PriceOption]:
        if line.general_admission:
            return self._ga_types.get(line.event_id, [])
        return self.service.ticket_types_for(line.line_id)

    def _render(self, *_args: Any) -> None:
        if self._closed:
            return
        snap = self.snapshot
        a = self.area
        busy = snap.busy or None
        text = busy_text(busy) if busy else (self._busy_ops[-1] if self._busy_ops else None)
        a.set_busy(text)
        working = bool(busy or self._busy_ops)
        a.countdown.tick()
        a.cart.show_sale(snap, self._type_options)
        phase = snap.phase
        if self._link_message is not None and phase != Phase.WAITING:
            if a.message.message is self._link_message:  # about a payment page that is over
                a.message.clear()
            self._link_message = None
        if phase == Phase.PAID:
            a.confirmation.show_confirmation(snap.confirmation, busy=working)
            a.show_page(CONFIRMATION)
        elif phase in (Phase.ORDERING, Phase.WAITING, Phase.NOT_PAID, Phase.ATTENTION) or (
                self._want_checkout and phase == Phase.OPEN):
            sub = {Phase.WAITING: WAITING, Phase.NOT_PAID: NOT_PAID,
                   Phase.ATTENTION: ATTENTION}.get(phase, CHOOSE)
            a.checkout.set_methods(self.methods, self._methods_error)
            order = snap.order
            a.checkout.page_opened = (self._page_opened.get(order.order_key)
                                      if order is not None else None)
            a.checkout.show_sale(snap, payment_url=self.payment_url(), busy=working)
            a.checkout.show_page(sub)
            a.show_page(CHECKOUT)
        else:
            a.show_page(CART)
        self.checkout_action.setEnabled(bool(snap.held_lines) and phase == Phase.OPEN)

    # ======================================================================= performance page
    def _performance_opened(self, event_id: int | str) -> None:
        perf = self.panel.performance
        if perf is not None and perf.event_id == event_id:
            self.service.remember_performance(PerformanceInfo(
                event_id, perf.name, perf.starts_at, getattr(perf, "hall", None)))
        self.panel.set_in_cart(self._cart_seat_ids(event_id))
        self._prepare_ahead()

    def _prepare_ahead(self) -> None:
        """Create the cart now, so "Add" is the only request when the cashier confirms."""
        if self.snapshot.phase != Phase.IDLE or getattr(self.window, "offline", False):
            return

        async def prepare() -> None:
            try:
                await self.service.prepare()
            except (errors.VdmError, SaleError) as exc:
                log.info("cart not created ahead: %s", type(exc).__name__)

        self.tasks.spawn(prepare(), name="sale-prepare")

    def _plan_loaded(self, event_id: int | str, plan: Any) -> None:
        self.service.use_seat_plan(plan)
        if event_id not in self._ga_types:  # ticket type names for the lines' type choices
            self.tasks.spawn(self._load_ga_types(event_id), name="sale-types")
        if self.snapshot.lines:
            self.area.cart._signature = None   # type combos now known
            self._render()

    def _can_add(self) -> bool:
        if self.snapshot.phase in (Phase.IDLE, Phase.OPEN):
            return True
        self.show_message(CashierMessage(
            _("Finish this sale first (or press F2 for a new sale), then add tickets."),
            Action.NONE, Severity.WARNING))
        return False

    def add_seats(self, event_id: int | str, seat_ids: list) -> Any:
        if not seat_ids or not self._can_add():
            return None
        ids = [str(s) for s in seat_ids]

        async def add() -> Any:
            if self.service.seat_label(ids[0]) is None:
                await self.service.load_seat_plan(event_id)
            result = await self.service.add_seats(event_id, ids)
            if not result.ok:
                self.panel.refresh_plan()    # show the seat as taken
            return result

        return self._spawn(add, busy=_("Adding to the cart\u2026"), operation="add")

    def add_general_admission(self, event_id: int | str, quantities: dict) -> Any:
        if not quantities or not self._can_add():
            return None
        wanted = {str(k): int(v) for k, v in quantities.items() if int(v) > 0}

        async def add() -> Any:
            for discount_id, count in wanted.items():
                result = await self.service.add_general_admission(event_id, count, discount_id)
                if not result.ok:
                    return result
            picker = getattr(self.panel, "picker", None)
            if picker is not None and self.panel.event_id == event_id:
                picker.clear()
            self.tasks.spawn(self._load_ga_types(event_id), name="sale-types")
            return True

        return self._spawn(add, busy=_("Adding to the cart\u2026"), operation="add")

    async def _load_ga_types(self, event_id: int | str) -> None:
        if event_id in self._ga_types:
            return
        try:
            types, _from_cache = await self.session.catalog.ticket_types(event_id)
        except errors.VdmError:
            return
        self._ga_types[event_id] = [
            PriceOption(str(t.discount_id), display_name(t), t.discounted_price) for t in types]
        self.service.use_ticket_type_names(
            event_id, {str(t.discount_id): display_name(t) for t in types})
        self.area.cart._signature = None
        self._render()

    # ======================================================================= cart
    def remove_line(self, line_id: str) -> Any:
        return self._spawn(lambda: self.service.remove_line(line_id),
                           busy=_("Releasing seats\u2026"), operation="remove")

    def remove_all(self) -> Any:
        return self._spawn(self.service.remove_all, busy=_("Releasing seats\u2026"),
                           operation="release")

    def change_ticket_type(self, line_id: str, price_id: str) -> Any:
        return self._spawn(lambda: self.service.change_ticket_type(line_id, price_id),
                           busy=_("Changing the ticket type\u2026"), operation="add")

    def readd(self) -> Any:
        return self._spawn(self.service.readd_released, busy=_("Adding to the cart\u2026"),
                           operation="add")

    # ======================================================================= checkout
    def open_checkout(self) -> None:
        snap = self.snapshot
        if snap.phase != Phase.OPEN or not snap.held_lines:
            if snap.phase in (Phase.IDLE, Phase.OPEN):
                self.show_message(CashierMessage(_("The cart is empty: add tickets first."),
                                                 Action.NONE, Severity.INFO))
            return
        self._want_checkout = True
        self._render()
        if self.methods is None:
            self.tasks.spawn(self._load_methods(), name="sale-methods")
        self.area.checkout.pay_button.setFocus() if snap.payment_method else \
            self.area.checkout.focus_methods()

    def back_to_cart(self) -> None:
        self._want_checkout = False
        self._render()

    def _events_refreshed(self, _events: Any) -> None:
        if not self._closed:
            self.tasks.spawn(self._refresh_methods(), name="sale-methods-refresh")

    async def _refresh_methods(self) -> None:
        await self.service.refresh_payment_methods()
        if self.service.payment_methods_known and not self._closed:
            self.methods = await self.service.payment_methods()
            self._methods_error = ""
            self._render()

    async def _load_methods(self) -> None:
        try:
            self.methods = await self.service.payment_methods()
            self._methods_error = ""
        except errors.VdmError as exc:
            self._methods_error = message_for(exc, operation="load").text
        except SaleError as exc:   # the sales record cannot be written: no sale now, it says why
            self._methods_error = exc.message.text
        if not self._closed:
            self._render()
            if self._want_checkout and self.snapshot.payment_method is None:
                self.area.checkout.focus_methods()

    def select_method(self, method_id: int) -> None:
        try:
            self.service.select_payment_method(method_id)
        except SaleError as exc:
            self.show_message(exc.message)

    def find_customer(self, email: str) -> Any:
        async def find() -> None:
            found = await self.service.find_customer(email)
            self.area.checkout.customer.prefill(found, email=email)

        return self._spawn(find, busy=_("Looking up the customer\u2026"), operation="customer",
                           retry=False)

    def create_customer(self, email: str, first: str, last: str, phone: str) -> Any:
        async def create() -> None:
            made = await self.service.create_customer(email, first, last, phone or None)
            self.area.checkout.customer.prefill(made)
            self.area.checkout.customer.set_status(_("Customer saved."))

        return self._spawn(create, busy=_("Saving the customer\u2026"), operation="customer",
                           retry=False)

    def pay(self) -> Any:
        box = self.area.checkout.customer
        if not box.valid():
            self.show_message(CashierMessage(_("The customer's e-mail address is not complete."),
                                             Action.NONE, Severity.WARNING))
            return None

        async def go() -> Any:
            self.service.set_customer(box.customer(), avg_optin=box.optin.isChecked(),
                                      avg_mailinglist=box.mailinglist.isChecked())
            return await self.service.pay()

        return self._spawn(go, operation="order", retry=False)

    def payment_url(self) -> str | None:
        """The current order's payment link if the URL policy lets it be shown/opened."""
        order = self.snapshot.order
        if order is None or not order.payment_url:
            return None
        return order.payment_url if self.url_allowed(order.payment_url) else None

    def url_allowed(self, url: str) -> bool:
        return self.documents.url_allowed(url)

    def open_payment_page(self) -> bool:
        order = self.snapshot.order
        if order is None or not order.payment_url:
            return False
        url = order.payment_url
        message = self.documents.open_payment_page(url)
        self._page_opened[order.order_key] = message is None
        self._render()
        if message is None:
            return True
        self._link_message = message
        self.show_message(message)
        return False

    def stop_waiting(self) -> None:
        self.service.stop_waiting()

    def resume_waiting(self) -> None:
        self.service.resume_waiting()

    def start_again(self, *, pay: bool) -> Any:
        async def again() -> Any:
            result = await self.service.start_again()
            self._want_checkout = True
            self._render()
            if pay and not result.not_readded and self.snapshot.payment_method is not None:
                return await self.service.pay()
            self.area.checkout.focus_methods()
            return result

        return self._spawn(again, busy=_("Putting the seats back\u2026"), operation="add",
                           retry=False)

    # ======================================================================= after the sale
    def new_sale(self) -> Any:
        """F2 / Ctrl+N: clear everything for the next customer.

        An open cart is released; an order still waiting (or unconfirmed) is kept in the
        journal and checked in the background, its outcome shown in the notice."""
        snap = self.snapshot
        if snap.phase == Phase.ORDERING:
            self.show_message(CashierMessage(_("The order is still being created; a moment."),
                                             Action.WAIT, Severity.INFO))
            return None
        if snap.phase == Phase.OPEN and snap.lines:
            async def release() -> None:
                if await self.service.cancel_sale():
                    self._reset_view()
            return self._spawn(release, busy=_("Releasing seats\u2026"), operation="release")
        handover = snap.sale_id if snap.phase in (Phase.WAITING, Phase.ATTENTION) else None
        try:
            self.service.new_sale()
        except SaleError as exc:
            self.show_message(exc.message)
            return None
        if handover:
            self._check_in_background(handover)
        self._reset_view()
        return None

    def _reset_view(self) -> None:
        self._want_checkout = False
        self._retry = None
        self._opened_orders.clear()    # about the sale that ended: kept, they grew all evening
        self._page_opened.clear()
        co = self.area.checkout
        co.customer.reset()
        co.cash.clear()
        self.area.message.clear()
        self._render()
        self._prepare_ahead()
        if self.panel.performance is not None and getattr(self.window, "showing_performance", False):
            self.panel.focus_content()

    def _check_in_background(self, sale_id: str) -> None:
        sale = self.counter.sale(sale_id)
        assert sale is not None   # handed over from the journal, where it stays
        self.area.recovery.add_sale(sale, title=_("Orders checked in the background"))

        async def check() -> None:
            outcome = await self.counter.resume(sale_id)
            self._recovered(outcome)

        self.tasks.spawn(check(), name="sale-recovery")

    def print_tickets(self) -> Any:
        async def download() -> None:
            doc = await self.service.download_tickets()
            conf = self.snapshot.confirmation
            key = conf.order_key if conf is not None else "order"
            message = self.documents.show_tickets(doc.content, key)
            if message is not None:
                self.show_message(message)

        return self._spawn(download, busy=_("Downloading the tickets\u2026"),
                           operation="download", retry=False)

    def open_receipt(self) -> bool:
        conf = self.snapshot.confirmation
        if conf is None or not conf.receipt_url:
            return False
        message = self.documents.open_receipt(conf.receipt_url)
        if message is not None:
            self.show_message(message)
        return message is None

    def open_shift_report(self) -> Any:
        from boxoffice.ui.report.dialog import ShiftReportDialog

        if self.report_dialog is not None:
            self.report_dialog.refresh()
            self.report_dialog.raise_()
            self.report_dialog.activateWindow()
            return self.report_dialog
        dialog = ShiftReportDialog(self.counter.shift_book, parent=self.window)
        dialog.finished.connect(self._report_closed)
        self.report_dialog = dialog
        dialog.show()
        return dialog

    def _report_closed(self, *_args: Any) -> None:
        self.report_dialog = None
