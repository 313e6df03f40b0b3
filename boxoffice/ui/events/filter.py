"""``EventFilterProxy``: search-as-you-type and the date filter over the event tree.

A performance is shown when every search word occurs in its production name, subtitle, own name or
hall (case- and accent-insensitive) and its date falls in the chosen range. Productions are shown
when at least one of their performances is (Qt's recursive filtering), so an empty production never
appears. The order is the source model's: by date.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from boxoffice.domain.performance import PerformanceStatus
from boxoffice.ui.events.model import EventTreeModel
from boxoffice.ui.events.rows import PerformanceRow, fold


class DateFilter(enum.Enum):
    UPCOMING = "upcoming"
    TODAY = "today"
    TOMORROW = "tomorrow"
    THIS_WEEK = "this_week"
    ON_DATE = "on_date"
    ALL = "all"


def date_range(kind: DateFilter, today: dt.date, chosen: dt.date | None = None
               ) -> tuple[dt.date | None, dt.date | None]:
    """Inclusive (first, last) day for a filter; ``None`` means open-ended."""
    if kind is DateFilter.TODAY:
        return today, today
    if kind is DateFilter.TOMORROW:
        tomorrow = today + dt.timedelta(days=1)
        return tomorrow, tomorrow
    if kind is DateFilter.THIS_WEEK:  # today up to and including Sunday
        return today, today + dt.timedelta(days=6 - today.weekday())
    if kind is DateFilter.ON_DATE:
        day = chosen or today
        return day, day
    return None, None


class EventFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(False)
        self._words: list[str] = []
        self._first: dt.date | None = None
        self._last: dt.date | None = None
        self._hide_past = True

    def set_search(self, text: str) -> None:
        words = fold(text).split()
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self.endFilterChange()

    def set_dates(self, first: dt.date | None, last: dt.date | None, hide_past: bool) -> None:
        if (first, last, hide_past) == (self._first, self._last, self._hide_past):
            return
        self.beginFilterChange()
        self._first, self._last, self._hide_past = first, last, hide_past
        self.endFilterChange()

    def refilter(self) -> None:
        self.beginFilterChange()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int,  # noqa: N802
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not source_parent.isValid():
            return False  # productions: shown only through an accepted performance
        model = self.sourceModel()
        assert isinstance(model, EventTreeModel)
        perf = model.row_at(model.index(source_row, 0, source_parent))
        if not isinstance(perf, PerformanceRow):
            return False
        if self._hide_past and model.status_of(perf) is PerformanceStatus.PAST:
            return False
        day = perf.starts_at.date()
        if self._first is not None and day < self._first:
            return False
        if self._last is not None and day > self._last:
            return False
        return all(word in perf.search_text for word in self._words)
