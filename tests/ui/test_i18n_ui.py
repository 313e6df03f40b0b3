"""The Dutch interface shows Dutch words and Dutch money and date formats; English likewise."""
from __future__ import annotations

import datetime as dt

import pytest

from boxoffice import i18n
from boxoffice.ui.events.filter import DateFilter


@pytest.mark.asyncio
async def test_dutch_ui(app_factory, wait):
    i18n.set_language("nl")
    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        assert window.demo_banner.text() == "Demo: gesimuleerde kassa, geen echte verkoop"
        assert window.refresh_action.text() != "Refresh"
        browser = window.browser
        assert browser.date_filter.itemText(browser.date_filter.findData(DateFilter.TODAY)) == "Vandaag"
        assert browser.model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "Datum"
        await wait(lambda: browser.model.performance_count() > 0)
        assert browser.count_label.text().endswith("getoond") or "voorstelling" in browser.count_label.text()
        perf = browser.visible_performances()[0]
        parent = browser.proxy.index(0, 0)
        weekday = browser.proxy.index(0, 1, parent).data()
        assert weekday in {"Vandaag", "Morgen", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"}
        assert browser.select_performance(perf.event_id)
        await wait(lambda: window.details.prices.rowCount() > 0)
        price = window.details.prices.item(0, 1).text()
        assert price.startswith("€\xa0") and "," in price          # € 24,50
        assert window.details.prices_header.text() == "Kaartsoorten"
        assert window.details.open_button.text() == "Kaartjes verkopen…"
    finally:
        await controller.shutdown()


def test_english_money_and_dates(qtbot, events_factory):
    from boxoffice.domain.clock import VENUE_ZONE
    from boxoffice.ui.events.browser import EventBrowser

    now = dt.datetime(2026, 11, 26, 12, 0, tzinfo=VENUE_ZONE)
    browser = EventBrowser(clock=lambda: now)
    qtbot.addWidget(browser)
    browser.set_events(events_factory(now.date()))
    parent = browser.proxy.index(0, 0)
    assert [browser.proxy.index(0, c, parent).data() for c in range(3)] == ["26 Nov 2026", "Today", "20:00"]
    assert i18n.format_money(__import__("decimal").Decimal("24.50")) == "€24.50"
