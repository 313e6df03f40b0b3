"""Issue 13: the sale journal at start. A newer app's journal is refused in plain words and left
untouched (selling off, browsing on); a damaged one is set aside and the cashier is told, with
the unfinished sales the set-aside file still lists (read without a write)."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest

from boxoffice.store.journal import SaleJournal, journal_path


def _profile_journal(home, profile):
    return journal_path(profile.data_dir(home))


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_a_newer_journal_is_refused_plainly_and_left_alone(app_factory, simulator, live_profile,
                                                                 home, wait, lang):
    from boxoffice import i18n

    i18n.set_language(lang)
    sim = simulator()
    profile = live_profile(sim)
    path = _profile_journal(home, profile)
    j = SaleJournal.open(path)
    j.start_sale("cart-of-a-newer-app", venue="elsewhere")
    j.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    controller = app_factory()
    try:
        assert await controller.start()
        await wait(lambda: controller.window.notice_banner.isVisible())
        text = controller.window.notice_banner.text()
        assert ("newer version" if lang == "en" else "nieuwere versie") in text
        for technical in ("schema", "99", "sqlite", "Journal"):
            assert technical not in text
        assert controller.sale is None                      # no sale without a journal
        await wait(lambda: controller.window.browser.proxy.rowCount() > 0)   # browsing goes on
    finally:
        await controller.shutdown()
        i18n.set_language("en")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert SaleJournal.set_aside_files(path) == []


@pytest.mark.asyncio
async def test_a_damaged_journal_is_set_aside_and_its_unfinished_sales_named(app_factory, simulator,
                                                                           live_profile, home, wait):
    sim = simulator()
    profile = live_profile(sim)
    path = _profile_journal(home, profile)
    # an earlier set-aside journal that can still be read, with a sale left unfinished in it
    earlier = path.with_name(path.name + ".corrupt-1700000000")
    j = SaleJournal.open(earlier)
    j.start_sale("cart-left-over", venue="elsewhere")
    j.close()
    for suffix in ("-wal", "-shm"):
        assert not earlier.with_name(earlier.name + suffix).exists()
    earlier_digest = hashlib.sha256(earlier.read_bytes()).hexdigest()
    # tonight's journal breaks where it matters: its header is overwritten
    SaleJournal.open(path).close()
    path.write_bytes(b"\0" * 100 + path.read_bytes()[100:])
    controller = app_factory()
    try:
        assert await controller.start()
        await wait(lambda: controller.window.notice_banner.isVisible())
        text = controller.window.notice_banner.text()
        assert "kept aside" in text and "nothing was deleted" in text
        assert "1 unfinished sale" in text                  # the earlier file, read read-only
        assert "could not be read" in text                  # tonight's broken one
        assert controller.sale is not None                  # a new journal: selling goes on
    finally:
        await controller.shutdown()
    assert len(SaleJournal.set_aside_files(path)) == 2
    assert hashlib.sha256(earlier.read_bytes()).hexdigest() == earlier_digest


@pytest.mark.asyncio
async def test_a_journal_held_by_another_program_is_refused_plainly_and_left_alone(
        app_factory, simulator, live_profile, home, wait, monkeypatch):
    from tests.support.disk import hold_write_lock

    monkeypatch.setattr(SaleJournal, "busy_timeout", 0.05)
    sim = simulator()
    profile = live_profile(sim)
    path = _profile_journal(home, profile)
    j = SaleJournal.open(path)
    sale_id = j.start_sale("cart-left-unfinished", venue="elsewhere").sale_id
    j.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=DELETE")    # a backup tool's exclusive lock keeps readers out
    db.close()
    controller = app_factory()
    try:
        with hold_write_lock(path, exclusive=True):
            assert await controller.start()
            await wait(lambda: controller.window.notice_banner.isVisible())
        text = controller.window.notice_banner.text()
        assert "another program is using it" in text and "Selling is off" in text
        for technical in ("locked", "sqlite", "SQLITE", "Journal"):
            assert technical not in text
        assert controller.sale is None                      # no sale without a journal
        await wait(lambda: controller.window.browser.proxy.rowCount() > 0)   # browsing goes on
    finally:
        await controller.shutdown()
    assert SaleJournal.set_aside_files(path) == []
    j = SaleJournal.open(path)                              # the next start has it all
    try:
        assert [s.sale_id for s in j.unfinished()] == [sale_id]
    finally:
        j.close()


@pytest.mark.asyncio
async def test_a_journal_another_program_writes_at_start_postpones_recovery_plainly(
        app_factory, simulator, live_profile, home, wait, monkeypatch):
    """WAL lets the journal open and be read while a backup tool holds its write lock; what the
    start would write (closing an empty sale, releasing a left-over cart) waits for the next
    start, said in plain words, with nothing lost and no error dialog."""
    from boxoffice.store.journal import SaleState
    from tests.support.disk import hold_write_lock

    monkeypatch.setattr(SaleJournal, "busy_timeout", 0.05)
    sim = simulator()
    profile = live_profile(sim)
    path = _profile_journal(home, profile)
    j = SaleJournal.open(path)
    empty = j.start_sale("cart-made-ahead").sale_id
    left = j.start_sale("cart-left-over").sale_id
    j.after(left, "add_seats", SaleState.LINES_ADDED, lines=[{"line_id": "x", "event_id": 1,
                                                             "price": "10.00", "status": "held"}])
    j.close()
    controller = app_factory()
    try:
        with hold_write_lock(path):
            assert await controller.start()
            sale = controller.sale
            assert sale is not None                          # the journal opened (WAL)
            rows = sale.area.recovery.rows
            await wait(lambda: left in rows and "cannot be written" in rows[left].text())
            text = rows[left].text()
            assert "another program is using it" in text and "next start" in text
            for technical in ("locked", "sqlite", "SQLITE", "Journal"):
                assert technical not in text
            assert controller.reporter.reported == []       # no error dialog
        assert sorted(s.sale_id for s in sale.journal.unfinished()) == sorted([empty, left])
    finally:
        await controller.shutdown()
    assert SaleJournal.set_aside_files(path) == []
