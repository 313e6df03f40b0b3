"""The shift report window: this shift (first sale to now), the last closed shift, the business
day with its configurable start (saved in the settings), and only money taken as charged."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from PySide6.QtCore import QTime

import pytest

from boxoffice.config import SettingsStore
from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.i18n import format_money
from boxoffice.store.journal import SaleJournal, SaleState

TZ = VENUE_ZONE


def _record(journal, clock, at, state, amount, method, key):
    clock[0] = at
    sale = journal.start_sale(f"cart-{key}")
    journal.request_order(sale.sale_id, payment_method_id=1 if method == "Cash" else 2,
                          payment_method_name=method, surcharge=Decimal("0"), total=Decimal(amount),
                          lines=[{"event_id": 7, "performance": "Show", "price": amount}])
    journal.after(sale.sale_id, "payment", SaleState(state), order_key=key)


@pytest.fixture
def journal(tmp_path):
    clock = [datetime(2026, 12, 4, 9, 0, tzinfo=TZ)]
    j = SaleJournal.open(tmp_path / "journal.sqlite", now=lambda: clock[0])
    _record(j, clock, datetime(2026, 12, 4, 10, 0, tzinfo=TZ), "paid", "20.00", "Cash", "K-MORNING")
    j.set_pref("shift_closed_at", datetime(2026, 12, 4, 17, 0, tzinfo=TZ).isoformat())
    _record(j, clock, datetime(2026, 12, 4, 19, 10, tzinfo=TZ), "paid", "30.00", "Cash", "K-1910")
    _record(j, clock, datetime(2026, 12, 4, 21, 0, tzinfo=TZ), "failed", "45.00", "Card", "K-FAIL")
    _record(j, clock, datetime(2026, 12, 5, 0, 40, tzinfo=TZ), "paid", "15.00", "Cash", "K-0040")
    yield j
    j.close()


def test_shift_business_day_day_start_and_close(qtbot, home, journal):
    from boxoffice.ui.report.dialog import ShiftReportDialog

    now = [datetime(2026, 12, 5, 1, 5, tzinfo=TZ)]
    store = SettingsStore.for_paths(home)
    dialog = ShiftReportDialog(journal, now=lambda: now[0], settings_store=store)
    qtbot.addWidget(dialog)
    # this shift, by default: 19:10 until now, the failed order not charged
    assert dialog.period_combo.currentText() == "This shift"
    assert dialog.total_label.text() == f"Total charged: {format_money(Decimal('45.00'))}"
    assert dialog.cash_label.text() == f"Cash expected in the drawer: {format_money(Decimal('45.00'))}"
    assert dialog.attempts_label.text() == "Not paid: 1; still open or to check: 0"
    assert dialog.report.start == datetime(2026, 12, 4, 19, 10, tzinfo=TZ)
    # the business day (from 06:00): Friday's morning sale too, 00:40 still in it
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("day"))
    assert dialog.total_label.text() == f"Total charged: {format_money(Decimal('65.00'))}"
    assert dialog.day_start_edit.time() == QTime(6, 0)
    # a day start at midnight: the business day is Saturday, with only the 00:40 sale
    dialog.day_start_edit.setTime(QTime(0, 0))
    assert dialog.total_label.text() == f"Total charged: {format_money(Decimal('15.00'))}"
    assert store.day_start() == time(0, 0)          # saved as a setting
    dialog.day_start_edit.setTime(QTime(5, 30))
    assert store.day_start() == time(5, 30)
    again = ShiftReportDialog(journal, now=lambda: now[0], settings_store=store)
    qtbot.addWidget(again)
    assert again.day_start_edit.time() == QTime(5, 30)

    # closing the shift shows it as the last closed shift; the new shift is empty
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("shift"))
    now[0] += timedelta(minutes=5)
    dialog.close_shift_button.click()
    assert dialog.period_combo.currentData() == "last_shift"
    assert dialog.total_label.text() == f"Total charged: {format_money(Decimal('45.00'))}"
    assert dialog.report.end == now[0]
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("shift"))
    assert dialog.count_label.text() == "Paid sales: 0, tickets: 0"


def test_the_day_start_is_kept_when_other_settings_are_saved(home):
    store = SettingsStore.for_paths(home)
    settings = store.load()           # e.g. the app's settings, loaded at start
    store.set_day_start(time(7, 15))
    store.save(settings)              # saving them later keeps the day start
    assert store.day_start() == time(7, 15)
    assert SettingsStore.for_paths(home).load().profiles == settings.profiles


def test_print_opens_the_print_dialog(qtbot, journal):
    """Print… opened nothing: QPrintDialog.open() without arguments raised a TypeError."""
    from PySide6.QtPrintSupport import QPrintDialog

    from boxoffice.ui.report.dialog import ShiftReportDialog

    dialog = ShiftReportDialog(journal)
    qtbot.addWidget(dialog)
    printing = dialog.print_report()
    assert isinstance(printing, QPrintDialog) and printing.isVisible()
    printing.reject()
