"""``PerformancePanel``: the page of one opened performance — the hall map or a ticket counter.

Owns choosing what to show and keeping it current, not the sale itself:

* seated performance and a session with seat maps (an API key): the seating plan is fetched
  through the catalog (saved to the offline cache on the way), drawn by
  :class:`~boxoffice.ui.seating.SeatingPanel` with the hall's layout file when there is one
  (a bad file: automatic layout and the problem on the message line), refreshed every 15 s while
  visible, on :meth:`refresh_plan` (the cart side calls it after every cart change) and on F5;
* general admission (the seating endpoint answers 404) or no API key: a
  :class:`~boxoffice.ui.performance.quantity.QuantityPicker` (plus a one-line note that seat maps
  need a key);
* offline: the saved plan, read-only, until the connection is back; sold out / not on sale /
  past: the map is shown read-only with the reason (useful for questions at the counter).

The cart side connects to ``seatsChosen(event_id, [seatId])``,
``generalAdmissionChosen(event_id, {discount_id: n})``, ``planLoaded(event_id, SeatPlan)`` and
``performanceOpened(event_id)``, and calls :meth:`set_in_cart` / :meth:`refresh_plan`.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from boxoffice.api import errors
from boxoffice.domain.performance import PerformanceStatus
from boxoffice.domain.seatplan import is_general_admission
from boxoffice.i18n import _, format_datetime, ngettext
from boxoffice.services.connectivity import is_offline_error
from boxoffice.services.messages import key_refused_for_seat_maps, reason_text, technical_details
from boxoffice.ui.events.rows import PerformanceRow
from boxoffice.ui.performance.header import PerformanceHeader
from boxoffice.ui.performance.quantity import QuantityPicker
from boxoffice.ui.performance.source import PerformanceSource
from boxoffice.ui.seating import SeatingPanel
from boxoffice.ui.seating.panel import REFRESH_INTERVAL_MS

log = logging.getLogger(__name__)

LOADING, SEATED, QUANTITY, MESSAGE = "loading", "seated", "quantity", "message"


def status_reason(status: PerformanceStatus | None) -> str | None:
    """Why tickets for a performance with this status cannot be sold (None when they can)."""
    if status is PerformanceStatus.SOLD_OUT:
        return _("This performance is sold out.")
    if status is PerformanceStatus.NOT_ON_SALE:
        return _("This performance is not on sale.")
    if status is PerformanceStatus.PAST:
        return _("This performance has already started.")
    return None


def _default_spawn(coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    return asyncio.get_event_loop().create_task(coro, name="performance")


class PerformancePanel(QWidget):
    back_requested = Signal()
    seatsChosen = Signal(int, list)              # event id, seat ids (the cashier pressed Add)
    generalAdmissionChosen = Signal(int, dict)   # event id, {discount_id: count}
    planLoaded = Signal(int, object)             # event id, the SeatPlan just fetched or shown
    performanceOpened = Signal(int)              # event id (send set_in_cart for it)

    def __init__(self, parent: QWidget | None = None, *, refresh_interval_ms: int = REFRESH_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.setObjectName("performancePanel")
        #: how coroutines are started (the controller routes them through its TaskTracker)
        self.spawn = _default_spawn
        self.performance: PerformanceRow | None = None
        self.status: PerformanceStatus | None = None
        self.source: PerformanceSource | None = None
        self.mode = LOADING
        self.hall_note = ""
        #: the seating plan's parts that could not be read (left out): said on the map
        self.skipped_note = ""
        self._status_reason: str | None = None
        self._offline = False
        self._offline_reason = ""
        self._in_cart: list[str] = []
        self._load_task: asyncio.Task[Any] | None = None
        self._aux_task: asyncio.Task[Any] | None = None

        self.header = PerformanceHeader()
        self.header.back_requested.connect(self.request_back)
        self.note_label = QLabel()
        self.note_label.setObjectName("pricesNote")
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setContentsMargins(14, 0, 14, 0)
        self.note_label.setWordWrap(True)   # the keychain warning must never widen the window
        self.note_label.hide()

        self.seating = SeatingPanel(fetch_plan=self._fetch_plan, spawn=lambda coro: self.spawn(coro),
                                    refresh_interval_ms=refresh_interval_ms)
        self.seating.addToCartRequested.connect(self._seats_chosen)
        self.picker = QuantityPicker()
        self.picker.quantitiesChosen.connect(self._quantities_chosen)

        self.message_page = QWidget()
        msg_col = QVBoxLayout(self.message_page)
        msg_col.addStretch(1)
        self.message_label = QLabel()
        self.message_label.setObjectName("emptyState")
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        msg_col.addWidget(self.message_label)
        self.retry_button = QPushButton(_("Try again"))
        self.retry_button.setToolTip(_("Load this performance again (F5)"))
        self.retry_button.clicked.connect(self.refresh_plan)
        self.retry_button.hide()
        msg_col.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)
        # the technical details of an error (class, endpoint, status, server text) never go into
        # the message itself: a "Details" toggle shows them, as the sale's message line does
        self.details_button = QToolButton()
        self.details_button.setObjectName("performanceMessageDetailsToggle")
        self.details_button.setText(_("Details"))
        self.details_button.setCheckable(True)
        self.details_button.setToolTip(_("Show the technical details (for support)"))
        self.details_button.toggled.connect(self._toggle_details)
        self.details_button.hide()
        msg_col.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.details_label = QLabel()
        self.details_label.setObjectName("performanceMessageDetails")
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details_label.hide()
        msg_col.addWidget(self.details_label)
        msg_col.addStretch(2)

        self.body = QStackedWidget()
        self.body.addWidget(self.message_page)
        self.body.addWidget(self.seating)
        self.body.addWidget(self.picker)

        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(self.header)
        col.addWidget(self.note_label)
        col.addWidget(self.body, 1)

        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self._escape)
        back2 = QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self)
        back2.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back2.activated.connect(self.request_back)

    # --- owner API ------------------------------------------------------------------------------
    @property
    def event_id(self) -> int | str | None:
        return None if self.performance is None else self.performance.event_id

    def open(self, perf: PerformanceRow, source: PerformanceSource, *,
             status: PerformanceStatus | None = None, offline: bool = False,
             offline_reason: str = "") -> None:
        """Show *perf*: header at once, then the map or the ticket counter as soon as loaded."""
        self._cancel_tasks()
        self.performance = perf
        self.status = status
        self.source = source
        self._status_reason = status_reason(status)
        self._offline = offline
        self._offline_reason = offline_reason
        self._in_cart = []
        self.hall_note = ""
        self.skipped_note = ""
        self.header.show_performance(perf, status)
        self._set_note(None)
        self._show_message(_("Loading\u2026"), LOADING)
        self.performanceOpened.emit(perf.event_id)
        self._load_task = self.spawn(self._load(perf))

    def close_performance(self) -> None:
        """Forget the shown performance (profile switch, shutdown)."""
        self._cancel_tasks()
        self.performance = None
        self.source = None
        self._show_message("", LOADING)

    def set_in_cart(self, seat_ids: Iterable[str]) -> None:
        """Seats of the shown performance held by this sale's cart (drawn as "in this cart")."""
        self._in_cart = [str(s) for s in seat_ids]
        if self.mode == SEATED:
            self.seating.set_in_cart(self._in_cart)

    def refresh_plan(self) -> asyncio.Task[Any] | None:
        """Fetch fresh availability now (after a cart change, F5, reconnect)."""
        perf = self.performance
        if perf is None or self.source is None:
            return None
        if self.mode == SEATED:
            if self._offline:
                return None
            return self.seating.refresh()
        if self.mode == QUANTITY:
            if self._offline:
                return None
            if self._aux_task is None or self._aux_task.done():
                self._aux_task = self.spawn(self._load_maximum(perf))
            return self._aux_task
        if self._load_task is None or self._load_task.done():  # a failed first load: try again
            self._show_message(_("Loading\u2026"), LOADING)
            self._load_task = self.spawn(self._load(perf))
        return self._load_task

    def set_offline(self, offline: bool, reason: str = "") -> None:
        """Follow the connection: offline = read-only map from the saved plan; back = refresh."""
        was = self._offline
        self._offline = offline
        self._offline_reason = reason
        if self.performance is None:
            return
        self._apply_read_only()
        if was and not offline:
            self.reload_after_reconnect()

    def reload_after_reconnect(self) -> asyncio.Task[Any] | None:
        """The connection is back: fetch what the page could not get (or only had saved) — fresh
        availability on a map, the prices of a counter that has none, or the whole page when it
        only shows a message (a load still waiting on the dead connection is started again)."""
        perf = self.performance
        if perf is None or self.source is None or self._offline:
            return None
        if self.mode == QUANTITY and not self.picker.spins():
            self._cancel_tasks()
            self._load_task = self.spawn(self._load_quantities(perf, self.note_text or None))
            return self._load_task
        if self.mode in (SEATED, QUANTITY):
            return self.refresh_plan()
        self._cancel_tasks()
        self._show_message(_("Loading\u2026"), LOADING)
        self._load_task = self.spawn(self._load(perf))
        return self._load_task

    @property
    def read_only_reason(self) -> str:
        return self._read_only_reason()

    @property
    def message_text(self) -> str:
        """The one line the cashier reads under the map / counter / in the empty page."""
        if self.mode == SEATED:
            return self.seating.message_text
        if self.mode == QUANTITY:
            return self.picker.message_text
        return self.message_label.text()

    def focus_content(self) -> None:
        if self.mode == SEATED:
            self.seating.view.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.mode == QUANTITY:
            self.picker.focus_first()
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- loading --------------------------------------------------------------------------------
    async def _load(self, perf: PerformanceRow) -> None:
        source = self.source
        assert source is not None
        if not source.has_seat_maps:
            await self._load_quantities(perf, source.public_only_reason
                                        or _("Seat maps need the venue's API key."))
            return
        if self._offline:
            cached = source.cached_plan(perf.event_id)
            if cached is None:
                self._show_message(_("The seating plan of this performance is not in the offline copy. "
                                     "It appears as soon as the connection is back."), MESSAGE)
                return
            if is_general_admission(cached.value):
                await self._load_quantities(perf, None)  # a saved plan without seats: GA
                return
            self._show_plan(perf, cached.value)
            return
        try:
            plan, _from_cache = await source.seat_plan(perf.event_id)
        except errors.NotFound:
            await self._load_quantities(perf, None)  # general admission: no seating plan
            return
        except (errors.AuthError, errors.NoApiKey) as exc:
            # the key was refused: the performance stays sellable by number (public cart)
            if self.performance is not perf:
                return
            log.warning("seating plan refused: %s", technical_details(exc))
            source.key_refused()
            await self._load_quantities(perf, source.public_only_reason
                                        or key_refused_for_seat_maps())
            return
        except errors.VdmError as exc:
            if self.performance is not perf:
                return
            log.warning("seating plan not loaded: %s", technical_details(exc))
            if is_offline_error(exc):
                text = _("The seating plan of this performance is not in the offline copy. "
                         "It appears as soon as the connection is back.")
            else:
                text = _("The seating plan could not be loaded: {reason}").format(
                    reason=reason_text(exc))
            self._show_message(text, MESSAGE, retry=True, details=technical_details(exc))
            return
        if is_general_admission(plan):
            await self._load_quantities(perf, None)  # a plan without seats: general admission
            return
        self._show_plan(perf, plan)

    def _show_plan(self, perf: PerformanceRow, plan: Any) -> None:
        if self.performance is not perf or self.source is None:
            return
        loaded = self.source.hall_file(getattr(plan, "hall_id", None))
        self.seating.set_read_only(False)      # a new map must not inherit the last one's state
        self.seating.set_plan(plan, loaded.hall_file)
        layout = self.seating.view.layout_
        if loaded.problem is not None:
            self.hall_note = _("The hall layout file is not used ({problem}); showing the automatic "
                               "layout.").format(problem=loaded.problem.message)
        elif layout is not None and layout.notes:
            self.hall_note = _("Hall layout file: {problem}").format(problem=layout.notes[0].message)
        else:
            self.hall_note = ""
        self._note_skipped(plan)
        if self._in_cart:
            self.seating.set_in_cart(self._in_cart)
        self.mode = SEATED
        self.retry_button.hide()
        self.body.setCurrentWidget(self.seating)
        self._apply_read_only()
        if self.isVisible():
            self.focus_content()
        self.planLoaded.emit(perf.event_id, plan)

    async def _fetch_plan(self) -> Any:
        """The SeatingPanel's refresh: fresh plan (or, offline, the saved one; no network)."""
        perf, source = self.performance, self.source
        if perf is None or source is None:
            raise asyncio.CancelledError
        if self._offline:
            cached = source.cached_plan(perf.event_id)
            if cached is None:
                raise errors.ConnectionFailed("offline")
            return cached.value
        plan, _from_cache = await source.seat_plan(perf.event_id)
        if self.performance is not perf:  # another performance was opened meanwhile
            raise asyncio.CancelledError
        if self._note_skipped(plan) and self.mode == SEATED:
            self._apply_read_only()
        self.planLoaded.emit(perf.event_id, plan)
        return plan

    async def _load_quantities(self, perf: PerformanceRow, note: str | None) -> None:
        if self.performance is not perf or self.source is None:
            return
        self._set_note(note)
        self.picker.set_heading(_("Tickets") if note else
                                _("Tickets \u2014 general admission, no numbered seats"))
        self.picker.set_ticket_types(None)
        self.picker.message_label.setToolTip("")
        self.picker.set_maximum(getattr(perf.source, "event_free", None))
        self.mode = QUANTITY
        self.retry_button.hide()
        self.body.setCurrentWidget(self.picker)
        self._apply_read_only()
        try:
            types, _from_cache = await self.source.ticket_types(perf.event_id)
        except errors.VdmError as exc:
            if self.performance is not perf:
                return
            if is_offline_error(exc):
                error = _("Prices are not in the offline copy; they load when the connection is back.")
            else:
                log.warning("ticket types not loaded: %s", technical_details(exc))
                error = _("Prices could not be loaded: {reason}").format(
                    reason=reason_text(exc))
            self.picker.set_ticket_types([], error)
            # the details, on hovering the counter's message (as on the status line)
            self.picker.message_label.setToolTip(
                "" if is_offline_error(exc) else technical_details(exc))
        else:
            if self.performance is not perf:
                return
            self.picker.set_ticket_types(types)
        self._apply_read_only()
        if self.isVisible():
            self.focus_content()
        if not self._offline:
            await self._load_maximum(perf)

    async def _load_maximum(self, perf: PerformanceRow) -> None:
        """The live per-order maximum (``event_free``); the list's value may be minutes old."""
        if self.source is None:
            return
        try:
            maximum = await self.source.per_order_maximum(perf.event_id)
        except errors.VdmError as exc:
            log.info("per-order maximum not refreshed: %s", type(exc).__name__)
            return
        if self.performance is perf and maximum is not None:
            self.picker.set_maximum(maximum)

    # --- read-only, messages ----------------------------------------------------------------------
    def _read_only_reason(self) -> str:
        if self._offline:
            if self.mode == SEATED and self.source is not None and self.performance is not None:
                cached = self.source.cached_plan(self.performance.event_id)
                if cached is not None:
                    return _("Offline: seat availability as saved at {time}; seats can be chosen "
                             "again when the connection is back.").format(
                        time=format_datetime(cached.fetched_at, "short"))
            return self._offline_reason or _("Not available offline: VoordeMensen cannot be "
                                             "reached right now.")
        return self._status_reason or ""

    def _apply_read_only(self) -> None:
        reason = self._read_only_reason()
        if self.mode == SEATED:
            self.seating.set_read_only(bool(reason), reason)
            self.seating.show_message(" \u2014 ".join(
                t for t in (reason, self.skipped_note, self.hall_note) if t))
        elif self.mode == QUANTITY:
            self.picker.set_read_only(bool(reason), reason)

    def _note_skipped(self, plan: Any) -> bool:
        """Say on the map how many parts of the plan (seats, rows, sections) could not be read
        and are left out; True when the note changed."""
        count = max(int(getattr(plan, "skipped", 0) or 0), 0)
        note = ngettext(
            "{count} part of the seating plan (a seat, row or section) could not be read and is "
            "not shown.",
            "{count} parts of the seating plan (seats, rows or sections) could not be read and "
            "are not shown.", count).format(count=count) if count else ""
        changed = note != self.skipped_note
        self.skipped_note = note
        return changed

    def _show_message(self, text: str, mode: str, retry: bool = False, details: str = "") -> None:
        self.mode = mode
        self.message_label.setText(text)
        self.retry_button.setVisible(retry)
        self.details_label.setText(details)
        self.details_button.setChecked(False)
        self.details_button.setVisible(bool(details))
        self.details_label.hide()
        self.body.setCurrentWidget(self.message_page)

    def _toggle_details(self, shown: bool) -> None:
        self.details_label.setVisible(shown and bool(self.details_label.text()))

    @property
    def message_details(self) -> str:
        """The technical details behind the page's message ("" when there are none)."""
        return self.details_label.text()

    def _set_note(self, text: str | None) -> None:
        self.note_label.setText(text or "")
        self.note_label.setVisible(bool(text))

    @property
    def note_text(self) -> str:
        return self.note_label.text() if not self.note_label.isHidden() else ""

    # --- signals out ------------------------------------------------------------------------------
    def _seats_chosen(self, seat_ids: list) -> None:
        if self.performance is not None and seat_ids:
            self.seatsChosen.emit(self.performance.event_id, list(seat_ids))

    def _quantities_chosen(self, quantities: dict) -> None:
        if self.performance is not None and quantities:
            self.generalAdmissionChosen.emit(self.performance.event_id, dict(quantities))

    def _escape(self) -> None:
        """Esc steps back one thing at a time: the best-seats suggestion, then the selection,
        then the page."""
        view = self.seating.view
        if self.mode == SEATED and view.state is not None and view.state.suggestion is not None:
            view.dismiss_suggestion()
            return
        if self.mode == SEATED and view.selected_seat_ids():
            view.clear_selection()
            self.seating.show_message(_("Selection cleared."))
            return
        self.back_requested.emit()

    def request_back(self) -> None:
        """Back to the list (button, Alt+Left); with seats selected on the map, ask first."""
        count = len(self.seating.view.selected_seat_ids()) if self.mode == SEATED else 0
        if not count:
            self.back_requested.emit()
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Leave this performance?"), ngettext(
            "{count} seat is selected and not in the cart yet. Leave it?",
            "{count} seats are selected and not in the cart yet. Leave them?", count).format(
                count=count), QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self)
        box.button(QMessageBox.StandardButton.Discard).setText(_("Leave"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Stay"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Discard):
                self.seating.view.clear_selection()
                self.back_requested.emit()

        box.finished.connect(answered)
        box.open()          # never exec(): the qasync loop keeps running

    def _cancel_tasks(self) -> None:
        for task in (self._load_task, self._aux_task):
            if task is not None and not task.done():
                task.cancel()
        self._load_task = self._aux_task = None
