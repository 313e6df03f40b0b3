"""``SeatingPanel``: legend + hall map (with minimap) + best-available control + status and message.

Owns the composition and the live refresh: while the panel is visible a ``QTimer`` calls the
owner's async ``fetch_plan()`` every ``refresh_interval_ms`` (15 s) as an asyncio task (one at a
time, the reference kept, never blocking the GUI); ``refresh()`` does the same on demand. A failed
fetch keeps the last plan and says so on the message line. The owner talks to the panel through:

    set_plan(plan, hall_file=None)   first load of a performance
    update_plan(plan)                new availability; zoom, scroll and selection stay
    set_in_cart(seat_ids)            seats held by this sale
    set_read_only(flag, reason)      offline / not on sale
    refresh() -> Task | None         fetch now
    selected_seat_ids(), clear_selection()
signals: addToCartRequested(list[str]), selectionChanged(list[str]), seatsTaken(list[str], str),
refreshFailed(str).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.best_available import BestAvailable, Outcome
from boxoffice.domain.clock import venue_now
from boxoffice.domain.hall_file import HallFile
from boxoffice.i18n import _, format_time, ngettext
from boxoffice.ui.seating.legend import SeatLegend
from boxoffice.ui.seating.state import PriceResolver, seats_words
from boxoffice.ui.seating.view import SeatMapView

log = logging.getLogger(__name__)

REFRESH_INTERVAL_MS = 15_000
MAX_BEST = 10

FetchPlan = Callable[[], Awaitable[Any]]
Spawn = Callable[[Coroutine[Any, Any, Any]], "asyncio.Task[Any] | None"]


def _default_spawn(coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    return asyncio.get_event_loop().create_task(coro, name="seating-refresh")


class SeatingPanel(QWidget):
    addToCartRequested = Signal(list)
    selectionChanged = Signal(list)
    seatsTaken = Signal(list, str)
    refreshFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, fetch_plan: FetchPlan | None = None,
                 price_resolver: PriceResolver | None = None, spawn: Spawn | None = None,
                 refresh_interval_ms: int = REFRESH_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.setObjectName("seatingPanel")
        self.fetch_plan = fetch_plan
        self._spawn = spawn or _default_spawn
        self._refresh_task: asyncio.Task[Any] | None = None
        self.last_refreshed: datetime | None = None

        self.legend = SeatLegend()
        self.view = SeatMapView(price_resolver=price_resolver)
        self.view.setAccessibleName(_("Seat map"))
        self.minimap = self.view.minimap

        self.best_count = QSpinBox()
        self.best_count.setObjectName("bestCount")
        self.best_count.setRange(1, MAX_BEST)
        self.best_count.setValue(2)
        self.best_count.setAccessibleName(_("Number of seats"))
        self.best_count.setToolTip(_("Number of seats: type it on the map (1–9), Enter suggests "
                                     "the best seats, Enter again takes them"))
        self.best_button = QPushButton(_("Best seats"))
        self.best_button.setObjectName("bestButton")
        self.best_button.setToolTip(_("Suggest the best free seats next to each other (a number, "
                                      "then Enter)"))
        self.take_button = QPushButton(_("Take these seats"))
        self.take_button.setObjectName("takeButton")
        self.take_button.setToolTip(_("Take the suggested seats (Enter)"))
        self.take_button.hide()
        self.fit_button = QPushButton(_("Whole hall"))
        self.fit_button.setToolTip(_("Show the whole hall (0 or Home)"))
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setToolTip(_("Zoom in (+)"))
        self.zoom_in_button.setAccessibleName(_("Zoom in"))
        self.zoom_out_button = QPushButton("\u2212")
        self.zoom_out_button.setToolTip(_("Zoom out (\u2212)"))
        self.zoom_out_button.setAccessibleName(_("Zoom out"))
        for b in (self.zoom_in_button, self.zoom_out_button):
            b.setFixedWidth(34)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.setToolTip(_("Fetch the latest seat availability now (F5)"))
        self.add_button = QPushButton(_("Add to cart"))
        self.add_button.setObjectName("addToCartButton")
        self.add_button.setToolTip(_("Add the selected seats to the cart (Enter)"))
        self.add_button.setEnabled(False)
        for b in (self.best_button, self.take_button, self.fit_button, self.zoom_in_button,
                  self.zoom_out_button, self.refresh_button, self.add_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        self.status_label = QLabel()
        self.status_label.setObjectName("seatStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        f = self.status_label.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.status_label.setFont(f)
        self.status_label.setWordWrap(True)   # "Parket row 12: seats 6–8 · 3 seats …" may take 2 lines
        self.status_label.setMinimumWidth(self.status_label.fontMetrics().averageCharWidth() * 18)
        # always two lines high: the map must not shift under the cursor when the summary wraps
        self.status_label.setFixedHeight(self.status_label.fontMetrics().lineSpacing() * 2 + 4)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.message_label = QLabel()
        self.message_label.setObjectName("seatMessage")
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(False)
        self.message_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.message_label.setMinimumHeight(self.message_label.fontMetrics().height() + 4)

        top = QHBoxLayout()
        top.addWidget(self.legend, 1)
        top.addWidget(self.zoom_out_button)
        top.addWidget(self.zoom_in_button)
        top.addWidget(self.fit_button)
        top.addWidget(self.refresh_button)

        bottom = QHBoxLayout()
        bottom.addWidget(self.best_count)
        bottom.addWidget(self.best_button)
        bottom.addWidget(self.take_button)
        bottom.addSpacing(16)
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.add_button)

        col = QVBoxLayout(self)
        col.setContentsMargins(8, 8, 8, 8)
        col.addLayout(top)
        col.addWidget(self.view, 1)
        col.addWidget(self.message_label)
        col.addLayout(bottom)

        self.view.setToolTip("")
        self.view.setWhatsThis(_(
            "Click a seat to select or unselect it; drag a rectangle to add the free seats in it "
            "(Ctrl: toggle them). Arrows move the focus seat, Space selects it, Enter adds the "
            "selection to the cart. Wheel or +/− zooms, middle button or Space+drag pans, 0 shows "
            "the whole hall."))

        self._timer = QTimer(self)
        self._timer.setInterval(refresh_interval_ms)
        self._timer.timeout.connect(self.refresh)

        self.best_button.clicked.connect(self.suggest_best)
        self.take_button.clicked.connect(self.take_suggestion)
        # a suggestion is made for one count: typing another one drops it at once
        self.best_count.lineEdit().textChanged.connect(self._count_changed)
        # Enter in the count box: take the suggestion shown for this count, else ask for one
        self.best_count.installEventFilter(self)
        self.fit_button.clicked.connect(self.view.fit_to_hall)
        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.refresh_button.clicked.connect(self.refresh)
        self.add_button.clicked.connect(self.view.request_add_to_cart)
        self.view.selectionChanged.connect(self._selection_changed)
        self.view.addToCartRequested.connect(self.addToCartRequested.emit)
        self.view.seatsTaken.connect(self.seatsTaken.emit)
        self.view.message.connect(self.show_message)
        self.view.suggestionChanged.connect(self._suggestion_changed)
        self._update_status()

    # --- owner API ------------------------------------------------------------------------------
    def set_plan(self, plan: Any, hall_file: HallFile | None = None) -> None:
        layout = self.view.set_plan(plan, hall_file)
        self.legend.set_layout(layout)
        self.last_refreshed = venue_now()
        self.show_message("")
        self._update_status()

    def update_plan(self, plan: Any) -> None:
        if self.view.layout_ is None:
            self.set_plan(plan)
            return
        result = self.view.update_plan(plan)
        if result is None:  # another hall: rebuilt
            self.legend.set_layout(self.view.layout_)
        self.last_refreshed = venue_now()
        self._update_status()

    def set_in_cart(self, seat_ids: Iterable[str]) -> None:
        st = self.view.state
        had = st is not None and st.suggestion is not None
        self.view.set_in_cart(seat_ids)
        if had and st is not None and st.suggestion is None:   # the state dropped it: seats changed
            self._suggestion_changed(None)
        self._update_status()

    def set_read_only(self, read_only: bool, reason: str = "") -> None:
        self.view.set_read_only(read_only, reason)
        for w in (self.best_button, self.best_count, self.take_button):
            w.setEnabled(not read_only)
        self.show_message(reason if read_only else "")
        self._update_status()

    def selected_seat_ids(self) -> list[str]:
        return self.view.selected_seat_ids()

    def clear_selection(self) -> None:
        self.view.clear_selection()

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    @property
    def message_text(self) -> str:
        return self.message_label.text()

    @property
    def status_text(self) -> str:
        return self.status_label.text()

    # --- best available -------------------------------------------------------------------------
    def suggest_best(self) -> BestAvailable | None:
        n = self.best_count.value()
        result = self.view.suggest_best(n)
        if result is None:
            return None
        st = self.view.state
        assert st is not None   # a suggestion comes from a shown map
        lay = st.layout
        if result.outcome is Outcome.TOGETHER:
            self.show_message(_("Suggested: {seats}. Press Enter or \u201cTake these seats\u201d.").format(
                seats=seats_words(lay, result.seats)))
            self.take_button.setText(_("Take these seats"))
        elif result.outcome is Outcome.SPLIT:
            sizes = " + ".join(str(len(g)) for g in result.groups)
            self.show_message(ngettext(
                "No {count} seat together; best split {sizes}: {seats}.",
                "No {count} seats together; best split {sizes}: {seats}.", n).format(
                count=n, sizes=sizes, seats=seats_words(lay, result.seats)))
            self.take_button.setText(_("Take split"))
        else:
            self._suggestion_text = ""
            free = sum(1 for i in range(lay.seat_count) if lay.available[i] and i not in st.in_cart)
            self.show_message(ngettext("Only {count} seat is free.", "Only {count} seats are free.",
                                       free).format(count=free))
        if result.outcome is not Outcome.NOT_ENOUGH:
            self._suggestion_text = self.message_label.text()
        return result

    _suggestion_text = ""

    def typed_count(self) -> int | None:
        """The number in the count box as typed so far (None while it is not a number)."""
        text = self.best_count.lineEdit().text().strip()
        return int(text) if text.isdigit() else None

    def _count_changed(self, *_args: object) -> None:
        st = self.view.state
        if st is not None and st.suggestion is not None and st.suggestion_count != self.typed_count():
            self.view.dismiss_suggestion()

    def take_suggestion(self) -> list[str]:
        """"Take these seats": the suggestion becomes the selection, only when it was made for the
        count in the box now (otherwise it is dropped and nothing is taken)."""
        st = self.view.state
        if st is None or st.suggestion is None:
            return []
        if st.suggestion_count != self.typed_count():
            self.view.dismiss_suggestion()
            return []
        return self.view.confirm_suggestion()

    def _suggestion_changed(self, suggestion: object) -> None:
        self.take_button.setVisible(suggestion is not None)
        if suggestion is None and self.message_label.text() == self._suggestion_text:
            self.show_message("")

    # --- refresh --------------------------------------------------------------------------------
    def refresh(self) -> asyncio.Task[Any] | None:
        """Fetch the plan now (no-op without ``fetch_plan`` or while a fetch is running)."""
        if self.fetch_plan is None:
            return None
        if self._refresh_task is not None and not self._refresh_task.done():
            return self._refresh_task
        task = self._spawn(self._refresh())
        self._refresh_task = task
        return task

    async def _refresh(self) -> None:
        try:
            fetch = self.fetch_plan
            assert fetch is not None   # refresh() spawns this only with a fetch_plan
            plan = await fetch()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure: keep the last plan, say so calmly
            log.info("Seat plan refresh failed: %s", type(exc).__name__)
            if self.last_refreshed is not None:
                text = _("Could not refresh seat availability; showing the state of {time}.").format(
                    time=format_time(self.last_refreshed))
            else:
                text = _("Could not load the seating plan; try Refresh.")
            self.show_message(text)
            self.refreshFailed.emit(text)
            return
        finally:
            self._refresh_task = None if self._refresh_task is asyncio.current_task() else self._refresh_task
        self.update_plan(plan)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.fetch_plan is not None:
            self._timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        self._timer.stop()
        if self._refresh_task is not None and not self._refresh_task.done():
            self._refresh_task.cancel()

    @property
    def refreshing(self) -> bool:
        return self._timer.isActive()

    # --- status -----------------------------------------------------------------------------------
    def _selection_changed(self, ids: list) -> None:
        self._update_status()
        self.selectionChanged.emit(ids)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.best_count and event.type() == QEvent.Type.KeyPress \
                and cast(QKeyEvent, event).key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not cast(QKeyEvent, event).modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.count_entered()
            return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """A digit on the map (which keeps 0 for the whole hall) starts the count of seats: the
        count box takes it, Enter then suggests the best seats and the next Enter takes them."""
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and self.best_count.isEnabled() \
                and self.view.state is not None:
            self.best_count.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.best_count.lineEdit().setText(event.text())
            event.accept()
            return
        super().keyPressEvent(event)

    def count_entered(self) -> None:
        """Enter in the count box: a suggestion shown for the count in the box is taken (the map
        gets the focus, so the next Enter adds the seats to the cart); otherwise (none yet, or
        one for another count, which is dropped) the best seats for this count are suggested."""
        self.best_count.interpretText()
        st = self.view.state
        if st is None or st.read_only:
            return
        if st.suggestion is not None and st.suggestion_count == self.typed_count():
            if self.take_suggestion():
                self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.suggest_best()

    def _update_status(self) -> None:
        self.status_label.setText(self.view.status_text())
        self.status_label.setToolTip(self.status_label.text())
        self.add_button.setEnabled(bool(self.view.selected_seat_ids()) and not self.view.read_only)
