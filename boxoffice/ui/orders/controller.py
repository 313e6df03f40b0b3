"""``OrderDeskController``: the order desk in the desktop app, for one open venue session.

Owns the wiring between the profile's :class:`~boxoffice.services.order_desk.OrderDesk` (asked
of ``boxoffice.services.counter``; the UI never opens the index itself) and the order desk page
(:class:`~boxoffice.ui.orders.panel.OrderDeskPanel`), shown as a page of the main window beside
the performances (toolbar "Orders", Ctrl+O; Esc goes back). The cart stays on the right while
it is shown: a customer who reserved online and pays now, or buys one more ticket, is served
without leaving it.

* Sync: the first sync at start (its progress on the page), then a delta sync every 60 s while
  online, right after each own paid sale, when the connection comes back, and on "Update now"
  (F5 on the page). One at a time (a request while one runs makes one more afterwards). The
  page always says how fresh the orders are ("Orders as of 20:14").
* Search as the cashier types; Enter (a barcode scanner's order key or tickets URL) opens the
  order at once — from the index, else by the public look-up (works without the API key).
* Actions on the shown order: open & print the tickets (a cancelled or deleted order only after
  a clear warning), the receipt, copy the order key, show the seats on the seat map.
* Errors are plain sentences (``boxoffice.services.messages``), never technical text.

Every network step runs as a task kept by a :class:`~boxoffice.ui.tasks.TaskTracker`.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMessageBox

from boxoffice.api import errors
from boxoffice.domain.clock import VENUE_ZONE, venue_now
from boxoffice.domain.orders import DeskOrder, SyncProgress
from boxoffice.i18n import _, format_when
from boxoffice.services.connectivity import is_offline_error
from boxoffice.services.messages import reason_text, technical_details
from boxoffice.ui.orders.panel import OrderDeskPanel
from boxoffice.ui.orders.results import performance_words
from boxoffice.ui.tasks import TaskTracker
from boxoffice.ui.url_policy import open_external

log = logging.getLogger("boxoffice.orders")

SYNC_INTERVAL_MS = 60_000
#: the orders count as stale (the freshness shown in bold) when older than this
STALE_AFTER = dt.timedelta(minutes=3)

_KEY = re.compile(r"^[A-Za-z0-9]{4,8}(?:-[A-Za-z0-9]{4,8}){2,5}$")
_URL_KEY = re.compile(r"/order/([A-Za-z0-9]+(?:-[A-Za-z0-9]+)+)(?:/|$)")


def scanned_order_key(text: str) -> str | None:
    """The order key in what was typed or scanned: the key itself ("XgFca-QmBxG-9WhAj-Osszb"),
    or a tickets / receipt URL that holds it (``…/order/<key>/ticket``). None otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    if "/" in text:
        try:
            path = unquote(urlsplit(text).path if "://" in text else text)
        except ValueError:
            return None
        found = _URL_KEY.search(path)
        return found.group(1) if found else None
    return text if _KEY.match(text) else None


def _default_desk(session: Any, data_dir: Path) -> Any:
    from boxoffice.services.counter import open_order_desk

    return open_order_desk(session.client, data_dir)


class OrderDeskController(QObject):
    _progress = Signal(object)      # SyncProgress, from whichever thread the sync reports on
    _online = Signal(bool)
    _sale_paid = Signal()

    def __init__(self, window: Any, session: Any, profile: Any, paths: Any, *,
                 desk: Any = None, sale: Any = None,
                 on_error: Callable[[BaseException], None] | None = None,
                 clock: Callable[[], dt.datetime] = venue_now,
                 sync_interval_ms: int = SYNC_INTERVAL_MS) -> None:
        super().__init__()
        self.window = window
        self.session = session
        self.demo = bool(getattr(profile, "demo", False))
        self.data_dir = Path(profile.data_dir(paths))
        self.clock = clock
        self.desk = desk if desk is not None else _default_desk(session, self.data_dir)
        self.tasks = TaskTracker(on_error=on_error)
        self.panel = OrderDeskPanel(clock=clock)
        self.detail = self.panel.detail
        self.shown: DeskOrder | None = None
        self.confirm_box: QMessageBox | None = None
        self.map_dialog: Any = None
        self.door_list_dialog: Any = None
        self.day_report_dialog: Any = None
        self._sync_task: asyncio.Task[Any] | None = None
        self._sync_again = False
        self._sync_problem: str | None = None
        self._first_progress: SyncProgress | None = None
        self._closed = False
        self._unsubscribe: list[Callable[[], None]] = []

        self.action = QAction(_("Orders"), window)
        self.action.setObjectName("ordersAction")
        self.action.setShortcut(QKeySequence("Ctrl+O"))
        self.action.setToolTip(_("Find any order: collect, reprint, seats (Ctrl+O)"))
        self.action.triggered.connect(lambda _c=False: self.toggle())
        window.addAction(self.action)
        window.add_toolbar_actions([self.action])

        p = self.panel
        p.search_changed.connect(self.search)
        p.enter_pressed.connect(self.enter)
        p.order_chosen.connect(self.show_order)
        p.sync_requested.connect(self.sync_now)
        p.back_requested.connect(self.back)
        p.door_list_requested.connect(self.open_door_list)
        p.day_report_requested.connect(self.open_day_report)
        p.door_list_menu.aboutToShow.connect(self._fill_door_list_menu)
        d = self.detail
        d.print_requested.connect(self.print_tickets)
        d.receipt_requested.connect(self.open_receipt)
        d.copy_key_requested.connect(self.copy_key)
        d.seat_map_requested.connect(self.show_seat_map)
        self._install_lists()
        details = getattr(window, "details", None)
        if details is not None and hasattr(details, "door_list_requested"):
            details.door_list_requested.connect(self._details_door_list)
            details.set_door_list_available(self._lists_available)
            self._unsubscribe.append(self._forget_details)

        self._progress.connect(self._show_progress)
        self._online.connect(self._online_changed)
        self._sale_paid.connect(self._after_sale)
        connectivity = getattr(session, "connectivity", None)
        if connectivity is not None:
            self._unsubscribe.append(connectivity.subscribe(self._online.emit))
        self._paid_keys: set[str] = set()
        service = getattr(sale, "service", None)
        if service is not None and hasattr(service, "subscribe"):
            self._unsubscribe.append(service.subscribe(self._sale_snapshot))
        self.timer = QTimer(self)
        self.timer.setInterval(sync_interval_ms)
        self.timer.timeout.connect(self._tick)
        self._render_state()

    # ======================================================================= lifecycle
    def start(self) -> None:
        """The first sync (when the key is there), then every minute while online."""
        self.timer.start()
        if self.desk.has_key:
            self.sync_now()

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.timer.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self.window.remove_toolbar_actions([self.action])
        self.window.removeAction(self.action)
        for dialog in (self.confirm_box, self.map_dialog, self.door_list_dialog,
                       self.day_report_dialog):
            if dialog is not None:
                dialog.close()
        if self.showing:
            self.window.show_browser()
        await self.tasks.aclose()
        await self.desk.aclose()

    # ======================================================================= the page
    @property
    def showing(self) -> bool:
        return self.window.stack.currentWidget() is self.panel

    def show(self) -> None:
        """Show the order desk page; the search box gets the focus (ready for a scan)."""
        self.window.show_page(self.panel)
        self._render_state()
        self.panel.focus_search()

    def toggle(self) -> None:
        if self.showing:
            self.back()
        else:
            self.show()

    def back(self) -> None:
        self.window.show_browser()

    def _install_lists(self) -> None:
        """The door list and day report buttons, when their windows exist in this build."""
        self._lists_available = False
        try:
            from boxoffice.ui.orders import day_report, door_list  # noqa: F401
        except ImportError:
            return
        self._lists_available = True
        self.panel.door_list_button.show()
        self.panel.day_report_button.show()

    def _details_door_list(self, perf: Any) -> None:
        """"Door list…" of the performance shown in the main window's details pane."""
        event_id = getattr(perf, "event_id", None)
        if event_id is not None and not self._closed:
            self.open_door_list(event_id)

    def _forget_details(self) -> None:
        details = self.window.details
        try:
            details.door_list_requested.disconnect(self._details_door_list)
        except (RuntimeError, TypeError):
            pass
        details.set_door_list_available(False)

    # ======================================================================= freshness
    def _online_now(self) -> bool:
        connectivity = getattr(self.session, "connectivity", None)
        return getattr(connectivity, "online", None) is not False

    def freshness_text(self) -> tuple[str, bool]:
        as_of = self.desk.as_of
        if not self.desk.has_key:
            return "", False
        if as_of is None:
            return (_("Fetching the orders\u2026") if self.desk.syncing
                    else _("Orders not fetched yet")), True
        now = self.clock()
        local = as_of.astimezone(VENUE_ZONE) if as_of.tzinfo else as_of
        today = (now.astimezone(VENUE_ZONE) if now.tzinfo else now).date()
        text = _("Orders as of {time}").format(time=format_when(local, today))
        if self.desk.syncing:
            text += " \u00b7 " + _("updating\u2026")
        elif not self._online_now():
            text += " \u00b7 " + _("offline")
        try:
            stale = now - as_of > STALE_AFTER
        except TypeError:   # naive against aware: compare as venue times
            stale = now.replace(tzinfo=None) - local.replace(tzinfo=None) > STALE_AFTER
        return text, stale

    def _render_state(self) -> None:
        if self._closed:
            return
        text, stale = self.freshness_text()
        self.panel.set_freshness(text, stale=stale, tip=_(
            "The orders are saved on this computer and updated every minute while online."))
        self.panel.set_syncing(bool(self.desk.syncing) or not self.desk.has_key)
        self.panel.sync_button.setVisible(bool(self.desk.has_key))
        notices: list[str] = []
        kind = "warning"
        if not self.desk.has_key:
            notices.append(_("Finding orders needs the venue's API key (Settings). You can still "
                             "look up one order by its order key: type or scan it and press "
                             "Enter."))
            kind = "info"
        if self.desk.notice:
            notices.append(self.desk.notice)
        if self._sync_problem:
            notices.append(self._sync_problem)
            kind = "error"
        self.panel.set_notice(" ".join(notices) or None, kind)
        if not self.panel.searched:
            self.panel.set_hint(self._hint())

    def _hint(self) -> str:
        if not self.desk.has_key:
            return _("Type or scan an order key (or the tickets' link) and press Enter.")
        return _("Type a name, an order key, an e-mail address, a performance or a seat "
                 "(\u201crow 5 seat 12\u201d). A scanned ticket opens its order.")

    # ======================================================================= sync
    def _tick(self) -> None:
        if self._online_now():
            self.sync_now()
        else:
            self._render_state()

    def sync_now(self) -> asyncio.Task[Any] | None:
        """Bring the index up to date now (one sync at a time; asked during one: once more)."""
        if self._closed or not self.desk.has_key:
            return None
        if self._sync_task is not None and not self._sync_task.done():
            self._sync_again = True
            return self._sync_task
        self._sync_task = self.tasks.spawn(self._sync(), name="orders-sync")
        return self._sync_task

    async def _sync(self) -> None:
        first = self.desk.as_of is None
        self._first_progress = None
        if first:
            self.panel.set_progress(_("Fetching the orders of this venue\u2026"))
        self._render_state()
        problem: str | None = None
        try:
            await self.desk.sync(progress=self._progress.emit)
        except asyncio.CancelledError:
            raise
        except errors.VdmError as exc:
            problem = self._sync_failed_text(exc)
            log.warning("order sync failed: %s", technical_details(exc))
        finally:
            if not self._closed:
                self.panel.set_progress(None)
        if self._closed:
            return
        self._sync_problem = problem
        self._render_state()
        self._refresh_after_sync()
        if self._sync_again:
            self._sync_again = False
            self._sync_task = self.tasks.spawn(self._sync(), name="orders-sync")

    def _sync_failed_text(self, exc: BaseException) -> str:
        as_of = self.desk.as_of
        if isinstance(exc, (errors.AuthError, errors.NoApiKey)):
            return _("VoordeMensen refused the venue's API key, so the orders are not updated. "
                     "Check the key under Settings.")
        if is_offline_error(exc):
            if as_of is None:
                return _("VoordeMensen cannot be reached, so the orders could not be fetched yet. "
                         "They are fetched as soon as the connection is back.")
            return _("VoordeMensen cannot be reached: these are the saved orders. They are "
                     "updated as soon as the connection is back.")
        return _("The orders could not be updated: {reason}.").format(reason=reason_text(exc))

    def _show_progress(self, progress: SyncProgress) -> None:
        if self._closed or self.desk.as_of is not None:
            return
        self._first_progress = progress
        if progress.phase == "customers":
            text = _("Fetching the customers\u2026 {count} orders saved").format(
                count=progress.stored)
        else:
            text = _("Fetching the orders\u2026 {fetched} read, {stored} saved").format(
                fetched=progress.fetched, stored=progress.stored)
        self.panel.set_progress(text)

    def _refresh_after_sync(self) -> None:
        """The list and the shown order follow the index (a payment that came in, a cancel)."""
        if self.panel.searched:
            self.search(self.panel.searched)
        if self.shown is not None and self.shown.order_id not in (None, ""):
            try:
                fresh = self.desk.order(self.shown.order_id)
            except Exception:  # noqa: BLE001 - a read that fails keeps what is shown
                log.warning("could not re-read the shown order", exc_info=True)
                fresh = None
            if fresh is not None and fresh != self.shown:
                self.show_order(fresh)

    def _online_changed(self, online: bool) -> None:
        if self._closed:
            return
        if online:
            self.sync_now()
        self._render_state()

    def _sale_snapshot(self, snap: Any) -> None:
        """A sale of this counter was paid: its order goes into the index at once."""
        order = getattr(snap, "order", None)
        key = getattr(order, "order_key", None)
        phase = getattr(getattr(snap, "phase", None), "name", "")
        if phase == "PAID" and key and key not in self._paid_keys:
            self._paid_keys.add(key)
            self._sale_paid.emit()

    def _after_sale(self) -> None:
        self.sync_now()

    # ======================================================================= search
    def search(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.panel.set_results([], self._hint())
            self.panel.set_hint(self._hint())
            return
        try:
            found = self.desk.search(text)
        except Exception:  # noqa: BLE001 - a damaged index must not stop the counter
            log.warning("order search failed", exc_info=True)
            found = []
        if found:
            self.panel.set_results(found)
            return
        if scanned_order_key(text):
            empty = _("No saved order has this key. Press Enter to look it up at VoordeMensen.")
        elif not self.desk.has_key:
            empty = _("Without the venue's API key only an order key can be looked up.")
        else:
            empty = _("No order matches \u201c{text}\u201d.").format(text=text)
        self.panel.set_results([], empty)

    def enter(self, text: str) -> None:
        """Enter in the search box: a scanned or typed order key opens its order; otherwise the
        first order found."""
        key = scanned_order_key(text)
        if key is not None:
            hit = next((o for o in self.panel.model.orders if o.order_key == key), None)
            if hit is not None:
                self.show_order(hit)
                self.panel.focus_search()
                return
            self.tasks.cancel_named("orders-lookup")
            self.tasks.spawn(self._lookup(key), name="orders-lookup")
            return
        orders = self.panel.model.orders
        if orders:
            self.panel.results.select_row(0)
            self.show_order(orders[0])

    async def _lookup(self, key: str) -> None:
        self.panel.set_results([], _("Looking up the order {key}\u2026").format(key=key))
        try:
            order = await self.desk.lookup_key(key)
        except asyncio.CancelledError:
            raise
        except errors.VdmError as exc:
            log.info("order look-up failed: %s", technical_details(exc))
            if is_offline_error(exc):
                text = _("VoordeMensen cannot be reached, and the order {key} is not among the "
                         "saved orders.").format(key=key)
            else:
                text = _("The order {key} could not be looked up: {reason}.").format(
                    key=key, reason=reason_text(exc))
            self.panel.set_results([], text)
            return
        if self._closed:
            return
        if order is None:
            self.panel.set_results([], _("VoordeMensen knows no order with the key {key}.")
                                   .format(key=key))
            return
        self.panel.set_results([order])
        self.panel.results.select_row(0)
        self.show_order(order)
        self.panel.focus_search()   # ready for the next scan

    def show_order(self, order: DeskOrder) -> None:
        self.shown = order
        self.panel.show_order(order)

    # ======================================================================= actions
    def print_tickets(self, order: DeskOrder) -> None:
        """Open the tickets to print them; a cancelled or deleted order only after a warning."""
        if order.is_void:
            self._confirm_void_print(order)
            return
        self.tasks.spawn(self._print(order), name="orders-print")

    def _confirm_void_print(self, order: DeskOrder) -> None:
        if self.confirm_box is not None:
            self.confirm_box.close()
        cancelled = order.status == "cancel"
        box = QMessageBox(self.panel)
        box.setObjectName("voidPrintConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Print a cancelled order?") if cancelled
                           else _("Print a deleted order?"))
        box.setText(_("This order is cancelled. Its tickets are not valid and will be refused "
                      "at the door.") if cancelled else
                    _("This order was deleted. Its tickets are not valid and will be refused "
                      "at the door."))
        box.setInformativeText(_("Print them only if you are sure, for example for the "
                                 "venue's records."))
        keep = box.addButton(_("Do not print"), QMessageBox.ButtonRole.RejectRole)
        anyway = box.addButton(_("Print anyway"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.confirm_box = box
        self.print_anyway_button = anyway
        self.keep_button = keep

        def answered(_result: int) -> None:
            chosen = box.clickedButton()
            if self.confirm_box is box:
                self.confirm_box = None
            if chosen is anyway and not self._closed:
                self.tasks.spawn(self._print(order), name="orders-print")
            elif not self._closed:
                self.detail.show_message(_("Not printed."))

        box.finished.connect(answered)
        box.open()

    async def _print(self, order: DeskOrder) -> None:
        self.detail.show_message(_("Fetching the tickets\u2026"))
        try:
            url = await self.desk.tickets_url(order.order_key)
        except asyncio.CancelledError:
            raise
        except errors.VdmError as exc:
            self.detail.show_message(self._link_failed(exc, _(
                "VoordeMensen cannot be reached, so the tickets cannot be opened now."), _(
                "The tickets could not be opened: {reason}.")), warning=True)
            return
        if not url:
            self.detail.show_message(_("VoordeMensen has no tickets for this order (yet): it may "
                                       "not be paid."), warning=True)
            return
        self._open_link(url, _("The tickets were opened in the web browser: print them there."),
                        _("The web browser could not be opened. The tickets' link was copied: "
                          "paste it into a browser to print them."))

    def open_receipt(self, order: DeskOrder) -> None:
        self.tasks.spawn(self._receipt(order), name="orders-receipt")

    async def _receipt(self, order: DeskOrder) -> None:
        url = self.desk.receipt_url(order)
        if url is None:
            self.detail.show_message(_("Fetching the receipt\u2026"))
            try:
                await self.desk.tickets_url(order.order_key)   # the look-up that reads its link
            except asyncio.CancelledError:
                raise
            except errors.VdmError as exc:
                self.detail.show_message(self._link_failed(exc, _(
                    "VoordeMensen cannot be reached, so the receipt cannot be opened now."), _(
                    "The receipt could not be opened: {reason}.")), warning=True)
                return
            url = self.desk.receipt_url(order)
        if not url:
            self.detail.show_message(_("VoordeMensen has no receipt for this order (yet)."),
                                     warning=True)
            return
        self._open_link(url, _("The receipt was opened in the web browser."),
                        _("The web browser could not be opened. The receipt's link was copied: "
                          "paste it into a browser."))

    @staticmethod
    def _link_failed(exc: BaseException, offline: str, failed: str) -> str:
        log.info("order link failed: %s", technical_details(exc))
        return offline if is_offline_error(exc) else failed.format(reason=reason_text(exc))

    def _open_link(self, url: str, opened: str, no_browser: str) -> None:
        from boxoffice.ui.sale_documents import link_allowed

        if not link_allowed(url, demo=self.demo):
            self.detail.show_message(_("This link is not secure (not https), so it was not "
                                       "opened."), warning=True)
            return
        if open_external(url):
            self.detail.show_message(opened)
            return
        QGuiApplication.clipboard().setText(url)
        self.detail.show_message(no_browser, warning=True)

    def copy_key(self, order: DeskOrder) -> None:
        QGuiApplication.clipboard().setText(order.order_key)
        self.detail.show_message(_("Order key {key} copied.").format(key=order.order_key))

    # ======================================================================= seat map
    def show_seat_map(self, order: DeskOrder, event_id: Any) -> None:
        from boxoffice.ui.orders.seat_map import OrderSeatMapDialog

        if self.map_dialog is None:
            self.map_dialog = OrderSeatMapDialog(self.window)
        dialog = self.map_dialog
        event = order.event(event_id)
        title = performance_words(event, self.clock()) if event is not None \
            else _("Performance {id}").format(id=event_id)
        dialog.start(order, event_id, title)
        dialog.show()
        dialog.raise_()
        self.tasks.cancel_named("orders-map")
        self.tasks.spawn(self._load_map(order, event_id), name="orders-map")

    async def _load_map(self, order: DeskOrder, event_id: Any) -> None:
        from boxoffice.domain.seatplan import is_general_admission
        from boxoffice.ui.performance.source import PerformanceSource

        dialog = self.map_dialog
        source = PerformanceSource(self.session, self.data_dir)
        if not source.has_seat_maps:
            dialog.show_message(source.public_only_reason or _("Seat maps need the venue's API key."))
            return
        plan: Any = None
        try:
            plan, _from_cache = await source.seat_plan(event_id)
        except asyncio.CancelledError:
            raise
        except errors.NotFound:
            dialog.show_message(_("This performance has free seating: there is no seat map."))
            return
        except errors.VdmError as exc:
            log.info("seat map for an order not loaded: %s", technical_details(exc))
            cached = source.cached_plan(event_id)
            if cached is None:
                dialog.show_message(
                    _("The seat map is not in the offline copy. It can be shown as soon as the "
                      "connection is back.") if is_offline_error(exc) else
                    _("The seat map could not be loaded: {reason}.").format(
                        reason=reason_text(exc)))
                return
            plan = cached.value
        if self._closed or dialog.order is not order or dialog.event_id != event_id:
            return
        if is_general_admission(plan):
            dialog.show_message(_("This performance has free seating: there is no seat map."))
            return
        hall = source.hall_file(getattr(plan, "hall_id", None)).hall_file
        dialog.show_plan(plan, hall, order.seats_for(event_id))

    # ======================================================================= lists
    def _door_list_choices(self) -> list[tuple[str, Any]]:
        """The shown order's performances first, then today's and the coming week's."""
        now = self.clock()
        choices: list[tuple[str, Any]] = []
        seen: set[str] = set()
        if self.shown is not None:
            for event in self.shown.events:
                seen.add(str(event.event_id))
                choices.append((performance_words(event, now), event.event_id))
        today = now.date()
        rows = []
        browser = getattr(self.window, "browser", None)
        for production in browser.model.productions() if browser is not None else ():
            for perf in production.performances:
                day = perf.starts_at.date()
                if today - dt.timedelta(days=1) <= day <= today + dt.timedelta(days=7):
                    rows.append(perf)
        rows.sort(key=lambda p: (p.starts_at.date() != today, p.starts_at))
        from boxoffice.domain.orders import DeskEvent

        for perf in rows[:25]:
            if str(perf.event_id) in seen:
                continue
            seen.add(str(perf.event_id))
            choices.append((performance_words(DeskEvent(perf.event_id, perf.name, perf.starts_at),
                                              now), perf.event_id))
        return choices

    def _fill_door_list_menu(self) -> None:
        self.panel.set_door_list_entries(self._door_list_choices())

    def open_door_list(self, event_id: Any) -> Any:
        from boxoffice.ui.orders.door_list import DoorListDialog

        if self.door_list_dialog is not None:
            self.door_list_dialog.close()
        dialog = DoorListDialog(self.desk, event_id, self.window)
        self.door_list_dialog = dialog
        dialog.show()
        return dialog

    def open_day_report(self) -> Any:
        from boxoffice.ui.orders.day_report import DayReportDialog

        if self.day_report_dialog is not None and self.day_report_dialog.isVisible():
            self.day_report_dialog.raise_()
            self.day_report_dialog.activateWindow()
            return self.day_report_dialog
        dialog = DayReportDialog(self.desk, self.window)
        self.day_report_dialog = dialog
        dialog.show()
        return dialog
