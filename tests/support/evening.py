"""A cashier's evening driven through the real windows: the scripted sale mix, one sale at a time
through the widgets, and the accounting of every sale against the journal and the simulator.

Shared by ``benchmarks/endurance.py`` and ``tests/reliability`` (the short endurance run and the
evening in compressed time). The app is the real ``AppController`` in demo mode (its built-in
simulator), offscreen; only the system browser is replaced (:class:`Browser`): the card
payments are paid, cancelled or failed on the simulator's own payment page, by posting its form.

Nothing here sleeps for a fixed time to let something happen: every step waits for what the
cashier would see (:func:`wait_until`), with a generous ceiling that only a stuck sale reaches.
"""
from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.support.browser import Browser

T = TypeVar("T")

PAID, CANCELLED, FAILED, EXPIRED = "paid", "cancelled", "failed", "expired"
#: the order was made, nobody paid, and the payment ran out at VoordeMensen
PAYMENT_EXPIRED = "payment_expired"
#: outcome of a sale with an order -> (journal state, the simulator's payment status)
ORDER_OUTCOMES = {PAID: "paid", CANCELLED: "cancelled", FAILED: "failed",
                  PAYMENT_EXPIRED: "expired"}


@dataclass(frozen=True)
class SaleScript:
    """What one customer wants and how the sale must end."""

    kind: str            # "seated" (best available on the map) | "ga" (general admission)
    tickets: int
    method: str          # the payment method's API name: "Cash", "Credit card", "PIN"
    outcome: str         # PAID | CANCELLED | FAILED | EXPIRED (the hold) | PAYMENT_EXPIRED
    change: bool = False  # cash: more is handed over than is due
    #: EXPIRED / PAYMENT_EXPIRED: by moving the simulator's clock past the hold / payment time
    #: (else EXPIRED: the simulator holds this cart's seats for one second, in real time)
    by_clock: bool = False

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.method}/{self.outcome}"


#: one round of ten customers; the evening repeats it (first and last 50 sales have the same mix)
MIX: tuple[SaleScript, ...] = (
    SaleScript("seated", 2, "Credit card", PAID),
    SaleScript("ga", 3, "Cash", PAID, change=True),
    SaleScript("seated", 1, "PIN", PAID),
    SaleScript("ga", 2, "Credit card", CANCELLED),
    SaleScript("seated", 2, "Cash", PAID, change=True),
    SaleScript("seated", 2, "Credit card", FAILED),
    SaleScript("ga", 2, "Credit card", PAID),
    SaleScript("seated", 2, "Credit card", EXPIRED),
    SaleScript("ga", 1, "Cash", PAID, change=True),
    SaleScript("seated", 4, "PIN", PAID),
)


def script_for(index: int) -> SaleScript:
    return MIX[index % len(MIX)]


@dataclass
class SaleRecord:
    index: int
    script: SaleScript
    event_id: int = 0
    sale_id: str | None = None
    cart_id: str | None = None
    order_key: str | None = None
    seen: str = ""                 # the outcome as the cashier saw it
    seconds: float = 0.0
    problem: str = ""              # why the sale did not go as scripted (empty: it did)

    @property
    def unexpected(self) -> bool:
        return bool(self.problem) or self.seen != self.script.outcome


class StuckSale(AssertionError):
    """A sale did not reach the next step within the ceiling."""


async def wait_until(predicate: Callable[[], object], timeout: float = 20.0, what: str = "",
                     step: float = 0.01) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise StuckSale(f"not within {timeout} s: {what or predicate}")
        await asyncio.sleep(step)


def _post_payment_page(url: str, action: str) -> int:
    import httpx

    response = httpx.post(url, data={"action": action}, timeout=10.0, follow_redirects=False)
    return response.status_code


class EveningDriver:
    """Drives sales through the widgets of a started ``AppController`` in demo mode."""

    def __init__(self, controller: Any, browser: Browser, *, timeout: float = 20.0) -> None:
        self.controller = controller
        self.browser = browser
        self.timeout = timeout
        self.sim = controller.session.simulator
        self.baseline_orders = set(self.sim.state.order_keys())
        self.started_at = self.sim.now()
        self.records: list[SaleRecord] = []
        catalog = self.sim.catalog
        # seated sales go round three theatre performances, general admission round two
        self.performances = {"seated": [catalog.find("theatre", nth=n).event_id for n in range(3)],
                             "ga": [catalog.find("ga", nth=n).event_id for n in range(2)]}
        self._counts = {"seated": 0, "ga": 0}

    # ------------------------------------------------------------------ steps
    @property
    def sale(self) -> Any:
        return self.controller.sale

    async def _wait(self, predicate: Callable[[], object], what: str,
                    timeout: float | None = None) -> None:
        await wait_until(predicate, timeout or self.timeout, what)

    async def open_performance(self, event_id: int) -> Any:
        """From the list: select the performance, press Enter, wait until its page is loaded and
        the cart for the next sale exists."""
        from boxoffice.services.sale import Phase
        from boxoffice.ui.events.filter import DateFilter

        window = self.controller.window
        window.show_browser()
        await self._wait(lambda: window.browser.model.performance_count() > 0, "event list")
        window.browser.set_filter(DateFilter.ALL)
        window.browser.flush()
        if not window.browser.select_performance(event_id):
            raise StuckSale(f"performance {event_id} not in the list")
        QTest.keyClick(window.browser.tree, Qt.Key.Key_Return)
        panel = window.performance_panel
        await self._wait(lambda: panel.event_id == event_id
                         and panel.mode in ("seated", "quantity"), "performance page")
        await self._wait(lambda: self.sale.snapshot.phase == Phase.OPEN
                         and self.sale.snapshot.cart_id, "cart made ahead")
        return panel

    async def _add_best_available(self, panel: Any, n: int) -> None:
        seating = panel.seating
        await self._wait(lambda: seating.view.state is not None and seating.best_button.isEnabled(),
                         "seat map")
        seating.best_count.setValue(n)
        seating.best_button.click()
        if seating.view.state.suggestion is None:
            raise StuckSale(f"no best-available suggestion for {n}: {seating.message_text}")
        QTest.keyClick(seating.view, Qt.Key.Key_Return)   # take the suggestion
        await self._wait(lambda: len(seating.view.selected_seat_ids()) == n, "selection")
        QTest.keyClick(seating.view, Qt.Key.Key_Return)   # add it to the cart

    async def _add_general_admission(self, panel: Any, n: int) -> None:
        await self._wait(lambda: panel.picker.spins(), "ticket picker")
        panel.picker.spins()[0].setValue(n)
        panel.picker.request_add()

    async def _checkout(self, method: str) -> None:
        sale, area = self.sale, self.sale.area
        sale.checkout_action.trigger()
        await self._wait(lambda: sale.methods is not None and area.checkout.method_buttons,
                         "payment methods")
        mid = next(m.method_id for m in sale.methods if m.name == method)
        area.checkout.method_buttons[mid].click()
        await self._wait(lambda: sale.snapshot.payment_method is not None
                         and sale.snapshot.payment_method.name == method, "method chosen")

    async def new_sale(self) -> None:
        """F2: a clean cart for the next customer."""
        from boxoffice.services.sale import Phase

        sale = self.sale
        sale.new_sale_action.trigger()
        await self._wait(lambda: sale.snapshot.phase in (Phase.IDLE, Phase.OPEN)
                         and not sale.snapshot.lines and not sale._busy_ops, "next sale")

    async def run_sale(self, index: int, script: SaleScript | None = None) -> SaleRecord:
        script = script or script_for(index)
        record = SaleRecord(index, script)
        self.records.append(record)
        started = time.monotonic()
        try:
            await self._sell(record)
        except StuckSale as exc:
            record.problem = str(exc)
            await self._recover_view()
        record.seconds = time.monotonic() - started
        return record

    async def _recover_view(self) -> None:
        """After a stuck sale: back to a clean cart if at all possible (the next sale goes on)."""
        from boxoffice.services.sale import Phase

        sale = self.sale
        if sale.snapshot.phase == Phase.WAITING and sale.snapshot.order is not None:
            sale.service.stop_waiting()
        try:
            await self.new_sale()
        except StuckSale:
            pass

    async def _sell(self, record: SaleRecord) -> None:
        from boxoffice.services.sale import Phase

        script, sale, area = record.script, self.sale, self.sale.area
        pool = self.performances[script.kind]
        record.event_id = pool[self._counts[script.kind] % len(pool)]
        self._counts[script.kind] += 1
        panel = await self.open_performance(record.event_id)
        record.cart_id = sale.snapshot.cart_id
        if script.outcome == EXPIRED and not script.by_clock:
            # this customer walks away: the simulator holds this cart's seats for one second
            with self.sim.state.lock:
                self.sim.state.carts[record.cart_id].hold_seconds = 1.0
        if script.kind == "seated":
            await self._add_best_available(panel, script.tickets)
        else:
            await self._add_general_admission(panel, script.tickets)
        await self._wait(lambda: len(sale.snapshot.held_lines) == script.tickets
                         and not sale._busy_ops, "tickets in the cart")
        record.sale_id = sale.snapshot.sale_id
        if script.outcome == EXPIRED:
            if script.by_clock:
                # the customer walks away and the evening goes on past the hold; the cashier
                # looks again (F5 on the performance page)
                self.sim.advance_clock(self.sim.tunables.hold_seconds + 1)
                self.controller.refresh()
            await self._wait(lambda: len(sale.snapshot.released_lines) == script.tickets,
                             "hold ran out")
            await self._wait(lambda: area.countdown.state == "expired", "countdown expired")
            record.seen = EXPIRED
            await self.new_sale()
            return
        await self._checkout(script.method)
        if script.method == "Cash":
            due = sale.snapshot.amount_due
            tendered = Decimal(math.ceil(due / 10) * 10 + (10 if script.change else 0)) \
                if script.change else due
            area.checkout.cash.set_tendered(tendered)
        await self._wait(area.checkout.pay_button.isEnabled, "Pay enabled")
        area.checkout.pay_button.click()
        await self._wait(lambda: sale.snapshot.phase in (Phase.WAITING, Phase.NOT_PAID,
                                                         Phase.ATTENTION, Phase.PAID)
                         and sale.snapshot.order is not None, "order made")
        order = sale.snapshot.order
        record.order_key = order.order_key
        if sale.snapshot.phase != Phase.WAITING:
            record.problem = f"after Pay: {sale.snapshot.phase.value}"
            await self._recover_view()
            return
        if script.method == "Cash":
            # the cashier takes the money: the drawer settles the order
            await asyncio.to_thread(self.sim.settle, order.order_key, "paid")
        else:
            await self._wait(lambda: order.payment_url in self.browser.opened, "payment page")
            if script.outcome == PAYMENT_EXPIRED:
                # nobody pays; the payment runs out at VoordeMensen while the app polls
                self.sim.advance_clock(self.sim.tunables.payment_timeout + 1)
            else:
                action = {PAID: "pay", CANCELLED: "cancel", FAILED: "fail"}[script.outcome]
                status = await asyncio.to_thread(_post_payment_page, order.payment_url, action)
                if status >= 400:
                    record.problem = f"payment page answered {status}"
        await self._wait(lambda: sale.snapshot.phase in (Phase.PAID, Phase.NOT_PAID),
                         "payment outcome")
        snap = sale.snapshot
        if snap.phase == Phase.PAID:
            record.seen = PAID
            conf = area.confirmation
            shown_change = conf.change_label.isVisibleTo(conf) and conf.change_label.text()
            if script.change and not shown_change:
                record.problem = "no change shown"
        else:
            status = snap.order.status if snap.order is not None else "not_paid"
            record.seen = PAYMENT_EXPIRED if status == "expired" else status
        await self.new_sale()

    async def refresh_list(self) -> None:
        """F5 on the event list: wait for the new list."""
        window, before = self.controller.window, self.controller.fetched_at
        window.show_browser()
        window.refresh_requested.emit()
        await self._wait(lambda: self.controller.fetched_at != before, "list refreshed")

    # ------------------------------------------------------------------ accounting
    def account(self) -> list[str]:
        """Every sale as scripted in the journal and at the simulator; no order nobody made."""
        from boxoffice.store.journal import JournalError, SaleState

        problems: list[str] = []
        journal = self.sale.journal
        state = self.sim.state
        made = set()
        for rec in self.records:
            tag = f"sale {rec.index} ({rec.script.label})"
            if rec.sale_id is None:
                problems.append(f"{tag}: never reached the cart")
                continue
            try:
                js = journal.get(rec.sale_id)
            except JournalError:
                problems.append(f"{tag}: not in the journal")
                continue
            if rec.script.outcome == EXPIRED:
                if js.order_key is not None:
                    problems.append(f"{tag}: expired sale has order {js.order_key}")
                if js.state not in (SaleState.RELEASED, SaleState.EXPIRED):
                    problems.append(f"{tag}: journal says {js.state.value}")
                with state.lock:
                    left = state.cart_seat_ids(rec.cart_id) if rec.cart_id else []
                if left:
                    problems.append(f"{tag}: seats still in the cart at the simulator")
                continue
            if js.order_key != rec.order_key or rec.order_key is None:
                problems.append(f"{tag}: journal order {js.order_key} != {rec.order_key}")
                continue
            made.add(rec.order_key)
            want = SaleState(ORDER_OUTCOMES[rec.script.outcome])
            if js.state != want:
                problems.append(f"{tag}: journal says {js.state.value}, not {want.value}")
            with state.lock:
                order = state.order(rec.order_key)
                status, tickets = order.payment_status, len(order.tickets)
            if status != ORDER_OUTCOMES[rec.script.outcome]:
                problems.append(f"{tag}: simulator says {status}")
            if rec.script.outcome == PAID and tickets != rec.script.tickets:
                problems.append(f"{tag}: {tickets} tickets at the simulator")
        extra = set(state.order_keys()) - self.baseline_orders - made
        if extra:
            problems.append(f"orders nobody scripted at the simulator: {sorted(extra)}")
        journaled = {s.order_key for s in journal.all() if s.order_key} - made
        if journaled:
            problems.append(f"orders in the journal nobody scripted: {sorted(journaled)}")
        return problems


# ---------------------------------------------------------------------------------------- the app
@contextlib.asynccontextmanager
async def demo_app(*, seed: int = 1, backoff: tuple[float, ...] = (0.2,),
                   timeout: float = 5.0) -> AsyncIterator[tuple[Any, Browser]]:
    """The real ``AppController`` on the demo profile (its built-in simulator, payments never
    settled by themselves), started and shown at 1280x800, with the app's exception reporter
    installed and the system browser replaced; shut down in order at the end.

    Needs a private BOXOFFICE_HOME and an in-memory keychain (the caller's)."""
    from PySide6.QtGui import QDesktopServices

    from boxoffice.api.retry import RetryPolicy
    from boxoffice.config import SettingsStore, app_paths
    from boxoffice.credentials import CredentialStore
    from boxoffice.demo import SimulatorServer
    from boxoffice.services.session import BoxOfficeSession, SessionOptions
    from boxoffice.ui.controller import AppController
    from boxoffice.ui.errors import ExceptionReporter

    paths = app_paths().ensure()
    browser = Browser(keep=20)   # an evening opens hundreds of pages: keep the last ones
    open_url = QDesktopServices.openUrl
    QDesktopServices.openUrl = staticmethod(browser)  # type: ignore[method-assign]
    options = SessionOptions(timeout=timeout, retry=RetryPolicy.never(), backoff=backoff,
                             refresh_interval=3600)
    reporter = ExceptionReporter()
    reporter.install()
    loop = asyncio.get_running_loop()
    previous_handler = loop.get_exception_handler()
    reporter.install_loop_handler(loop)

    async def opener(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("options", options)
        return await BoxOfficeSession.open(*args, **kwargs)

    controller = AppController(
        paths=paths, settings_store=SettingsStore.for_paths(paths), credentials=CredentialStore(),
        reporter=reporter, force_demo=True, session_opener=opener,
        demo_server_factory=lambda: SimulatorServer(seed=seed, client_name="demo",
                                                    auto_pay_after=None))
    try:
        assert await controller.start(), "the demo profile did not open"
        controller.window.showNormal()
        controller.window.resize(1280, 800)
        yield controller, browser
    finally:
        await controller.shutdown()
        controller.window.deleteLater()
        reporter.uninstall()
        loop.set_exception_handler(previous_handler)
        QDesktopServices.openUrl = open_url  # type: ignore[method-assign]


def run_in_qt_loop(main: Callable[[], Awaitable[T]]) -> T:
    """Run *main* as ``boxoffice.app.main`` runs the app: the QApplication (styled), cyclic garbage
    collected on the GUI thread only, a qasync loop; the loop is closed at the end."""
    from PySide6.QtGui import QFont

    import qasync

    from boxoffice.ui.bootstrap import qt_application, style_application
    from boxoffice.ui.gc_guard import GuiThreadGarbageCollector

    app = qt_application([])
    # the look is put back afterwards: the QApplication is shared with the tests that run later
    # (left styled, the main window's minimum width and the cart's rows came out differently)
    look = (QFont(app.font()), app.styleSheet(), app.quitOnLastWindowClosed())
    style_application(app)
    collector = GuiThreadGarbageCollector(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(main())
    finally:
        collector.stop()
        collector.deleteLater()
        asyncio.set_event_loop(None)
        app.setFont(look[0])
        app.setStyleSheet(look[1])
        app.setQuitOnLastWindowClosed(look[2])
