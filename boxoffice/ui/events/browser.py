"""``EventBrowser``: search box, date filter and the production/performance tree.

Keyboard first: Ctrl+F (wired by the main window) focuses the search, Down or Enter in the search
jumps to the first performance, arrows move, Enter opens the selected performance, Escape in the
search clears it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, cast

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from boxoffice.domain.clock import venue_now
from boxoffice.domain.performance import PerformanceStatus
from boxoffice.i18n import N_, _, format_date, ngettext, weekday
from boxoffice.ui.events.delegate import StatusBadgeDelegate
from boxoffice.ui.events.filter import DateFilter, EventFilterProxy, date_range
from boxoffice.ui.events.model import (
    COL_HALL,
    COL_LEFT,
    COL_STATUS,
    COL_TIME,
    COL_WEEKDAY,
    COL_WHAT,
    EventTreeModel,
    RowRole,
    availability_samples,
)
from boxoffice.ui.events.rows import PerformanceRow, ProductionRow
from boxoffice.ui.widgets.date_box import use_app_date_format

_FILTER_LABELS = (
    (DateFilter.UPCOMING, N_("Upcoming")),
    (DateFilter.TODAY, N_("Today")),
    (DateFilter.TOMORROW, N_("Tomorrow")),
    (DateFilter.THIS_WEEK, N_("This week")),
    (DateFilter.ON_DATE, N_("On date\u2026")),
    (DateFilter.ALL, N_("All, including past")),
)


#: room around a cell's text: the style sheet's item padding (4 px a side), the view's own text
#: margins and a little air; less, and X11 fonts came out as "20:…"
_PAD = 18


class EventTree(QTreeView):
    """The tree; Enter opens a performance (or folds a production)."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                if index.parent().isValid():
                    self.open_requested.emit(index)
                else:
                    first = index.siblingAtColumn(0)
                    self.setExpanded(first, not self.isExpanded(first))
                event.accept()
                return
        super().keyPressEvent(event)


class EventBrowser(QWidget):
    _last_selected: PerformanceRow | ProductionRow | None = None   # what the details pane shows
    performance_selected = Signal(object)   # PerformanceRow | None
    production_selected = Signal(object)    # ProductionRow
    performance_opened = Signal(object)     # PerformanceRow

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], dt.datetime] = venue_now) -> None:
        super().__init__(parent)
        self.clock = clock
        self.model = EventTreeModel(self)
        self.proxy = EventFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._loaded = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("eventSearch")
        self.search.setPlaceholderText(_("Search by title or hall (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Search performances"))
        self.search.setToolTip(_("Search by title or hall (Ctrl+F); Enter goes to the first "
                                 "performance found"))
        self.search.textChanged.connect(self._on_search)
        self.search.installEventFilter(self)
        bar.addWidget(self.search, 3)

        self.date_filter = QComboBox()
        self.date_filter.setObjectName("dateFilter")
        self.date_filter.setAccessibleName(_("Show performances"))
        self.date_filter.setToolTip(_("Which performances the list shows"))
        for kind, label in _FILTER_LABELS:
            self.date_filter.addItem(_(label), kind)
        self.date_filter.currentIndexChanged.connect(self._apply_dates)
        bar.addWidget(self.date_filter, 1)

        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("datePicker")
        self.date_edit.setCalendarPopup(True)
        use_app_date_format(self.date_edit)
        today = self.clock().date()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.dateChanged.connect(self._apply_dates)
        self.date_edit.setVisible(False)
        self.date_edit.setAccessibleName(_("Date"))
        self.date_edit.setToolTip(_("Show the performances of this date"))
        bar.addWidget(self.date_edit)
        # the details pane beside the list; it gives way by itself when the window is narrow
        # (boxoffice.ui.events.fit), this brings it back or hides it (Ctrl+I)
        self.details_toggle = QToolButton()
        self.details_toggle.setObjectName("detailsToggle")
        self.details_toggle.setText(_("Details"))
        self.details_toggle.setCheckable(True)
        self.details_toggle.setShortcut(QKeySequence("Ctrl+I"))
        self.details_toggle.setAccessibleName(_("Show the details pane"))
        self.details_toggle.setToolTip(_("Show or hide the details of the selected performance "
                                         "(Ctrl+I)"))
        bar.addWidget(self.details_toggle)
        layout.addLayout(bar)

        self.stack = QStackedWidget()
        self.tree = EventTree()
        self.tree.setObjectName("eventTree")
        self.tree.setAccessibleName(_("Performances"))
        self.tree.setToolTip(_("Arrows choose a performance, Enter opens it"))
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        # the productions are headings over their performances (always unfolded): no branch
        # arrows taking a column's worth of room from the hall name
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(14)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setItemDelegateForColumn(COL_STATUS, StatusBadgeDelegate(self.tree))
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.doubleClicked.connect(self._on_double_click)
        self.tree.open_requested.connect(self._open_index)
        self._size_columns()
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.stack.addWidget(self.tree)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack.addWidget(self.empty_label)
        layout.addWidget(self.stack, 1)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        layout.addWidget(self.count_label)

        # performances the server sent that could not be read (left out, never the whole list)
        self.skipped_label = QLabel()
        self.skipped_label.setObjectName("skippedNotice")
        self.skipped_label.setWordWrap(True)
        self.skipped_label.setVisible(False)
        layout.addWidget(self.skipped_label)
        self.skipped = 0

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(60)
        self._search_timer.timeout.connect(self._apply_search)

        self._minute = QTimer(self)
        self._minute.setInterval(60_000)
        self._minute.timeout.connect(self._tick)
        self._minute.start()
        self._apply_dates()

    def _size_columns(self) -> None:
        """Fixed widths from the font and the language (ResizeToContents would format every row);
        the hall takes the rest and is elided (with the whole of it in the tooltip) when short."""
        metrics = self.tree.fontMetrics()
        bold = self.tree.font()
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        months = [dt.date(2026, m, 28) for m in range(1, 13)]   # the widest month, two digits
        sample_day = dt.date(2026, 9, 30)
        weekdays = [weekday(sample_day + dt.timedelta(days=i)) for i in range(7)]
        indent = self.tree.indentation()
        widths = {
            COL_WHAT: max(metrics.horizontalAdvance(format_date(d, "medium")) for d in months)
            + indent + _PAD,
            # "Today" is bold (FontRole), the weekdays are not
            COL_WEEKDAY: max(max(metrics.horizontalAdvance(w) for w in weekdays),
                             bold_metrics.horizontalAdvance(_("Today")),
                             bold_metrics.horizontalAdvance(_("Tomorrow"))) + _PAD,
            COL_TIME: metrics.horizontalAdvance("00:00") + _PAD,
            COL_STATUS: max(bold_metrics.horizontalAdvance(s.label()) for s in PerformanceStatus) + 28,
            COL_LEFT: max(max(bold_metrics.horizontalAdvance(t) for t in availability_samples()[1:3]),
                          max(metrics.horizontalAdvance(t) for t in availability_samples())) + _PAD,
        }
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        for col, width in widths.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_HALL, QHeaderView.ResizeMode.Stretch)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # never narrower than its columns and a short hall name: the status badge ("Uitverkocht")
        # would be cut off first; the splitter takes the room from the details pane instead
        frame = 2 * self.tree.frameWidth() + self.tree.verticalScrollBar().sizeHint().width()
        self.fixed_columns_width = sum(widths.values()) + frame + 2
        self.tree.setMinimumWidth(self.fixed_columns_width + metrics.averageCharWidth() * 10)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        # the widths again with the font the list is shown in: at construction the style
        # sheet's font is not applied yet (under X11 the time came out as "20:…")
        self.tree.ensurePolished()
        self._size_columns()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and self.isVisible():
            self._size_columns()
        super().changeEvent(event)

    def comfortable_width(self) -> int:
        """As wide as the list wants to be: every hall name shown whole (for the details pane,
        which gives way below it; see boxoffice.ui.events.fit)."""
        metrics = self.tree.fontMetrics()
        halls = {p.hall for p in self.visible_performances()} or {"Stadsschouwburg Grote Zaal"}
        longest = max(metrics.horizontalAdvance(h) for h in halls) + 16
        margins = self.contentsMargins()
        return self.fixed_columns_width + longest + margins.left() + margins.right()

    # --- data ---------------------------------------------------------------------------------
    def set_events(self, events: Iterable[Any], skipped: int | None = None) -> None:
        """Show a new event list, keeping the selected performance selected when it still exists.

        ``skipped``: how many performances could not be read (default: the list's own
        ``skipped``, as the API client and the catalog give it); the list then says so."""
        if skipped is None:
            skipped = int(getattr(events, "skipped", 0) or 0)
        self.set_skipped(skipped)
        keep = self.selected_performance()
        self.model.set_events(events, self.clock())
        self._loaded = True
        self._after_filter()
        if keep is not None:
            source = self.model.find_performance(keep.event_id)
            if source.isValid():
                self.select_index(self.proxy.mapFromSource(source))
                return
        self.performance_selected.emit(None)

    def set_availability(self, availability: Any, live_since: dt.datetime | None = None) -> None:
        """What is left per performance (event id -> Availability), from peppered counts;
        those read before *live_since* (all, when None) show as not live ("as of HH:MM")."""
        self.model.set_availability(availability or {}, live_since)

    def set_skipped(self, count: int) -> None:
        """Say how many performances could not be read (hidden when none)."""
        self.skipped = max(int(count), 0)
        if self.skipped:
            self.skipped_label.setText(ngettext(
                "{count} performance could not be read and is not shown.",
                "{count} performances could not be read and are not shown.",
                self.skipped).format(count=self.skipped))
        self.skipped_label.setVisible(bool(self.skipped))

    @property
    def loaded(self) -> bool:
        return self._loaded

    def set_loading(self, loading: bool) -> None:
        """Before the first list arrives: say "Loading…" instead of "no performances"."""
        self._loaded = not loading
        self._after_filter()

    def _tick(self) -> None:
        now = self.clock()
        self.model.refresh_statuses(now)
        self.proxy.refilter()
        self._after_filter()

    # --- filters ------------------------------------------------------------------------------
    def _on_search(self, _text: str) -> None:
        self._search_timer.start()

    def _apply_search(self) -> None:
        self.proxy.set_search(self.search.text())
        self._after_filter()

    def current_filter(self) -> DateFilter:
        return self.date_filter.currentData()

    def set_filter(self, kind: DateFilter, day: dt.date | None = None) -> None:
        if day is not None:
            self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_filter.setCurrentIndex(self.date_filter.findData(kind))
        self._apply_dates()

    def _apply_dates(self, *_args: Any) -> None:
        kind = self.current_filter()
        self.date_edit.setVisible(kind is DateFilter.ON_DATE)
        chosen = cast(dt.date, self.date_edit.date().toPython())   # PySide6 stubs say object
        first, last = date_range(kind, self.clock().date(), chosen)
        hide_past = kind in (DateFilter.UPCOMING, DateFilter.THIS_WEEK)
        self.proxy.set_dates(first, last, hide_past)
        self._after_filter()

    def flush(self) -> None:
        """Apply a pending search immediately (tests, Enter in the search box)."""
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._apply_search()

    def _after_filter(self) -> None:
        self.tree.expandAll()
        for r in range(self.proxy.rowCount()):
            self.tree.setFirstColumnSpanned(r, QModelIndex(), True)
        shown = self.visible_performances()
        self.count_label.setText(
            ngettext("{count} performance shown", "{count} performances shown", len(shown))
            .format(count=len(shown)))
        if shown:
            self.stack.setCurrentWidget(self.tree)
        else:
            if not self._loaded:
                self.empty_label.setText(_("Loading performances\u2026"))
            elif self.model.performance_count() == 0:
                self.empty_label.setText(_("There are no performances yet."))
            else:
                self.empty_label.setText(_("No performances match your search or date filter."))
            self.stack.setCurrentWidget(self.empty_label)
        self._drop_hidden_selection(shown)

    def _drop_hidden_selection(self, shown: list[PerformanceRow]) -> None:
        """The details pane follows the list: when the filter hides what it shows, the selection
        is dropped and the pane cleared (its "Sell tickets…" must not open a hidden row)."""
        last = self._last_selected
        if last is None:
            return
        if isinstance(last, PerformanceRow):
            still = any(p.event_id == last.event_id for p in shown)
        else:
            still = any(getattr(self.proxy.index(r, 0).data(RowRole), "event_id", None)
                        == last.event_id for r in range(self.proxy.rowCount()))
        current = self.tree.currentIndex()
        row = current.data(RowRole) if current.isValid() else None
        if still and row is not None and type(row) is type(last) and row.event_id == last.event_id:
            return
        if still:   # still listed, but the view moved the current index: put it back quietly
            if isinstance(last, PerformanceRow):
                index = self.proxy.mapFromSource(self.model.find_performance(last.event_id))
                if index.isValid():
                    self.tree.selectionModel().blockSignals(True)
                    self.tree.setCurrentIndex(index)
                    self.tree.selectionModel().blockSignals(False)
            return
        self._last_selected = None
        self.tree.selectionModel().blockSignals(True)
        self.tree.setCurrentIndex(QModelIndex())
        self.tree.clearSelection()
        self.tree.selectionModel().blockSignals(False)
        self.performance_selected.emit(None)

    def visible_performances(self) -> list[PerformanceRow]:
        rows = []
        for r in range(self.proxy.rowCount()):
            parent = self.proxy.index(r, 0)
            for c in range(self.proxy.rowCount(parent)):
                row = self.proxy.index(c, 0, parent).data(RowRole)
                if isinstance(row, PerformanceRow):
                    rows.append(row)
        return rows

    # --- selection and opening ----------------------------------------------------------------
    def selected_performance(self) -> PerformanceRow | None:
        row = self.tree.currentIndex().data(RowRole) if self.tree.currentIndex().isValid() else None
        return row if isinstance(row, PerformanceRow) else None

    def select_index(self, index: QModelIndex) -> None:
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def select_performance(self, event_id: int | str) -> bool:
        source = self.model.find_performance(event_id)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            return False
        self.select_index(index)
        return True

    def focus_first_performance(self) -> None:
        self.flush()
        parent = self.proxy.index(0, 0)
        first = self.proxy.index(0, 0, parent)
        if first.isValid():
            self.select_index(first)
            self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(RowRole) if current.isValid() else None
        self._last_selected = row if isinstance(row, (PerformanceRow, ProductionRow)) else None
        if isinstance(row, PerformanceRow):
            self.performance_selected.emit(row)
        elif isinstance(row, ProductionRow):
            self.production_selected.emit(row)
        else:
            self.performance_selected.emit(None)

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.parent().isValid():
            self._open_index(index)
        else:
            first = index.siblingAtColumn(0)
            self.tree.setExpanded(first, not self.tree.isExpanded(first))

    def _open_index(self, index: QModelIndex) -> None:
        row = index.data(RowRole)
        if isinstance(row, PerformanceRow):
            self.performance_opened.emit(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.focus_first_performance()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)
