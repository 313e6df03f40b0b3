"""The event browser as a cashier uses it: sorted by date, search as you type, date filters,
status badges, keyboard only (Ctrl+F, arrows, Enter)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

import pytest

from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.domain.performance import PerformanceStatus
from boxoffice.ui.events.browser import EventBrowser
from boxoffice.ui.events.filter import DateFilter
from boxoffice.ui.events.model import COL_STATUS, COL_WHAT, RowRole, StatusRole
from boxoffice.ui.events.rows import PerformanceRow

# A Thursday noon in the venue's time zone: "this week" runs to Sunday the 29th.
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=VENUE_ZONE)


@pytest.fixture
def browser(qtbot, events_factory):
    widget = EventBrowser(clock=lambda: NOW)
    qtbot.addWidget(widget)
    widget.set_events(events_factory(NOW.date()))
    widget.resize(900, 600)
    widget.show()
    return widget


def shown_ids(browser: EventBrowser) -> list[int]:
    return [p.event_id for p in browser.visible_performances()]


def production_names(browser: EventBrowser) -> list[str]:
    return [browser.proxy.index(r, 0).data(RowRole).name for r in range(browser.proxy.rowCount())]


def test_upcoming_is_default_sorted_by_date_without_past_or_empty_productions(browser):
    assert browser.current_filter() is DateFilter.UPCOMING
    # Hamlet plays today; the café tomorrow afternoon; the concert in 40 days.
    assert production_names(browser) == ["Hamlet", "Café Chantant", "Nieuwjaarsconcert"]
    assert shown_ids(browser) == [101, 102, 201, 202, 301]  # 103 is past, hidden
    assert "Empty production" not in production_names(browser)
    assert browser.count_label.text() == "5 performances shown"


def test_rows_show_date_weekday_time_hall_and_a_status_badge(browser):
    hamlet = browser.proxy.index(0, 0)
    today = browser.proxy.index(0, 0, hamlet)
    texts = [browser.proxy.index(0, c, hamlet).data() for c in range(5)]
    assert texts == ["26 Nov 2026", "Today", "20:00", "Grote Zaal", "On sale"]
    assert browser.proxy.index(1, 1, hamlet).data() == "Tomorrow"
    concert = browser.proxy.index(2, 0)
    assert browser.proxy.index(0, 1, concert).data() == "Tuesday"      # 5 January 2027
    assert today.siblingAtColumn(COL_STATUS).data(StatusRole) is PerformanceStatus.ON_SALE
    sold_out = browser.proxy.index(1, COL_STATUS, hamlet)
    assert sold_out.data() == "Sold out"
    cafe = browser.proxy.index(1, 0)
    assert browser.proxy.index(1, COL_STATUS, cafe).data() == "Not on sale"


def test_search_as_you_type_matches_names_and_halls_ignoring_case_and_accents(browser, qtbot):
    qtbot.keyClicks(browser.search, "cafe")
    browser.flush()
    assert shown_ids(browser) == [201, 202]
    browser.search.clear()
    qtbot.keyClicks(browser.search, "kleine")
    browser.flush()
    assert shown_ids(browser) == [201, 202]
    browser.search.setText("concertzaal nieuwjaar")
    browser.flush()
    assert shown_ids(browser) == [301]
    browser.search.setText("no such show")
    browser.flush()
    assert shown_ids(browser) == []
    assert browser.stack.currentWidget() is browser.empty_label
    assert "No performances match" in browser.empty_label.text()


def test_search_on_production_subtitle(browser):
    browser.search.setText("toneelgroep")
    browser.flush()
    assert shown_ids(browser) == [101, 102]


@pytest.mark.parametrize(("kind", "expected"), [
    (DateFilter.TODAY, [101]),
    (DateFilter.TOMORROW, [102, 201]),
    (DateFilter.THIS_WEEK, [101, 102, 201]),
    (DateFilter.ALL, [101, 102, 103, 201, 202, 301]),
])
def test_date_filters(browser, kind, expected):
    browser.set_filter(kind)
    assert sorted(shown_ids(browser)) == expected


def test_date_picker_shows_one_day(browser):
    browser.set_filter(DateFilter.ON_DATE, NOW.date() + dt.timedelta(days=40))
    assert browser.date_edit.isVisibleTo(browser)
    assert shown_ids(browser) == [301]
    browser.set_filter(DateFilter.UPCOMING)
    assert not browser.date_edit.isVisibleTo(browser)


def test_past_performances_are_greyed_and_labelled_past(browser):
    browser.set_filter(DateFilter.ALL)
    hamlet = browser.proxy.index(0, 0)
    past = [browser.proxy.index(r, 0, hamlet) for r in range(browser.proxy.rowCount(hamlet))
            if browser.proxy.index(r, 0, hamlet).data(RowRole).event_id == 103][0]
    assert past.siblingAtColumn(COL_STATUS).data() == "Past"
    assert past.data(Qt.ItemDataRole.ForegroundRole) is not None


def test_keyboard_only_search_arrows_enter(browser, qtbot):
    opened: list[PerformanceRow] = []
    browser.performance_opened.connect(opened.append)
    browser.focus_search()
    qtbot.keyClicks(browser.search, "hamlet")
    qtbot.keyClick(browser.search, Qt.Key.Key_Down)       # jump into the list
    assert browser.selected_performance().event_id == 101
    qtbot.keyClick(browser.tree, Qt.Key.Key_Down)
    assert browser.selected_performance().event_id == 102
    qtbot.keyClick(browser.tree, Qt.Key.Key_Return)
    assert [p.event_id for p in opened] == [102]
    qtbot.keyClick(browser.tree, Qt.Key.Key_Up)
    qtbot.keyClick(browser.tree, Qt.Key.Key_Enter)
    assert [p.event_id for p in opened] == [102, 101]


def test_enter_on_a_production_folds_it_instead_of_opening(browser, qtbot):
    opened: list = []
    browser.performance_opened.connect(opened.append)
    first = browser.proxy.index(0, COL_WHAT)
    browser.tree.setCurrentIndex(first)
    assert browser.tree.isExpanded(first)
    qtbot.keyClick(browser.tree, Qt.Key.Key_Return)
    assert not browser.tree.isExpanded(first)
    assert opened == []


def test_refresh_keeps_the_selected_performance(browser, events_factory):
    assert browser.select_performance(201)
    browser.set_events(events_factory(NOW.date()))
    assert browser.selected_performance().event_id == 201


def test_escape_clears_the_search(browser, qtbot):
    browser.focus_search()
    qtbot.keyClicks(browser.search, "hamlet")
    qtbot.keyClick(browser.search, Qt.Key.Key_Escape)
    assert browser.search.text() == ""
