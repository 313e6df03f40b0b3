"""Files on disk: readable by the user only, and never half-written.

Modes are checked under a permissive umask (022), so a restrictive umask cannot hide a file that
the app creates world-readable. Atomicity is proven with real crashes: a child process is killed
with SIGKILL inside a journal transaction, and while writing journal steps and settings in a loop;
the files reopen intact, with the last complete state.
"""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from boxoffice.config import Profile, Settings, SettingsStore, app_paths
from boxoffice.store.cache import OfflineCache, cache_path
from boxoffice.store.journal import SaleJournal, SaleState, journal_path
from tests.support.relkit import LineReader

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def open_umask():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def private_files(root: Path) -> dict[str, str]:
    """Every file under root whose mode gives the group or others any access."""
    return {str(p.relative_to(root)): oct(mode(p)) for p in root.rglob("*")
            if p.is_file() and mode(p) & 0o077}


@posix_only
def test_settings_cache_and_journal_are_owner_only(tmp_path, open_umask):
    paths = app_paths(tmp_path / "home").ensure()
    for folder in (paths.config_dir, paths.data_dir, paths.cache_dir):
        assert mode(folder) == 0o700, folder
    profile = Profile("venue-a", "Venue", "venue", "https://api.example.org/v1")
    SettingsStore.for_paths(paths).save(Settings([profile], "venue-a", "nl"))
    assert mode(paths.settings_file) == 0o600

    data = profile.data_dir(paths)
    cache = OfflineCache.open(cache_path(data))
    cache.save_events([], datetime.now(timezone.utc))
    cache.save_image("https://img.example.org/a.png", b"\x89PNG")
    journal = SaleJournal.open(journal_path(data))
    sale = journal.start_sale("cart-1")
    journal.after(sale.sale_id, "add", SaleState.LINES_ADDED, lines=[{"line_id": "s1"}],
                  total=Decimal("10.00"))
    journal.set_pref("last_payment_method_id", "31")
    try:
        files = sorted(p.name for p in data.rglob("*") if p.is_file())
        assert any(n.endswith("-wal") for n in files), files  # WAL side files exist, and ...
        assert private_files(tmp_path / "home") == {}  # ... every file is 0600
    finally:
        cache.close()
        journal.close()
    assert private_files(tmp_path / "home") == {}


@posix_only
def test_the_log_file_is_owner_only(tmp_path, open_umask):
    import logging

    from boxoffice.ui.logging_setup import configure_logging, remove_logging

    log_dir = tmp_path / "logs"
    handler = configure_logging(log_dir)
    try:
        logging.getLogger("boxoffice.test").warning("hello")
        handler.flush()
    finally:
        remove_logging(handler)
    assert private_files(log_dir) == {}


def test_an_exception_inside_a_journal_transaction_changes_nothing(tmp_path):
    journal = SaleJournal.open(journal_path(tmp_path))
    try:
        sale = journal.start_sale("cart-1")
        journal.after(sale.sale_id, "add", SaleState.LINES_ADDED, lines=[{"line_id": "s1"}])
        before = (journal.get(sale.sale_id), journal.steps(sale.sale_id))
        with pytest.raises(RuntimeError):
            with journal.transaction() as db:
                db.execute("UPDATE sales SET state = 'paid', order_key = 'X' WHERE sale_id = ?",
                           (sale.sale_id,))
                db.execute("INSERT INTO steps (sale_id, at, phase, step) VALUES (?, 'x', 'after', 'y')",
                           (sale.sale_id,))
                raise RuntimeError("crash in the middle")
        assert (journal.get(sale.sale_id), journal.steps(sale.sale_id)) == before
        # the connection is usable afterwards (no transaction left open)
        journal.after(sale.sale_id, "refresh", None)
    finally:
        journal.close()


_KILL_INSIDE = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from boxoffice.store.journal import SaleJournal
    j = SaleJournal.open(Path(sys.argv[1]))
    (sale,) = j.all()
    with j.transaction() as db:
        db.execute("UPDATE sales SET state = 'paid', order_key = 'HALF' WHERE sale_id = ?",
                   (sale.sale_id,))
        for i in range(200):
            db.execute("INSERT INTO steps (sale_id, at, phase, step) VALUES (?, 'x', 'after', ?)",
                       (sale.sale_id, f"half-{i}"))
        print("INSIDE", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX SIGKILL")
def test_sigkill_inside_a_journal_transaction_leaves_the_previous_state(tmp_path):
    path = journal_path(tmp_path)
    journal = SaleJournal.open(path)
    sale = journal.start_sale("cart-1")
    journal.after(sale.sale_id, "add", SaleState.LINES_ADDED, lines=[{"line_id": "s1"}])
    before = (journal.get(sale.sale_id), journal.steps(sale.sale_id))
    journal.close()
    done = subprocess.run([sys.executable, "-c", _KILL_INSIDE, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == -signal.SIGKILL and "INSIDE" in done.stdout, done.stderr
    journal = SaleJournal.open(path)
    try:
        assert journal.recovered_notice is None
        assert (journal.get(sale.sale_id), journal.steps(sale.sale_id)) == before
        assert journal._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        journal.close()


_WRITE_LOOP = textwrap.dedent("""
    import sys
    from decimal import Decimal
    from pathlib import Path
    from boxoffice.config import Profile, Settings, SettingsStore
    from boxoffice.store.journal import SaleJournal, SaleState
    j = SaleJournal.open(Path(sys.argv[1]))
    store = SettingsStore(Path(sys.argv[2]))
    print("READY", flush=True)
    i = 0
    while True:
        i += 1
        s = j.start_sale(f"cart-{i}")
        j.before(s.sale_id, "add_seats", {"seats": [f"seat{i}"]})
        j.after(s.sale_id, "add_seats", SaleState.LINES_ADDED, lines=[{"line_id": f"seat{i}"}] * 3,
                total=Decimal("30.00"))
        j.request_order(s.sale_id, payment_method_id=31, payment_method_name="Cash",
                        surcharge=Decimal("0"), lines=[{"line_id": f"seat{i}"}], total=Decimal("30"))
        j.after(s.sale_id, "create_order", SaleState.ORDER_CREATED, order_key=f"K{i}")
        profiles = [Profile(f"venue-{k}", "V" * (i % 50 + 1), "venue", "https://a.example.org/v1")
                    for k in range(i % 7 + 1)]
        store.save(Settings(profiles, "venue-0", "nl"))
""")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX SIGKILL")
@pytest.mark.parametrize("after", [0.15, 0.4, 0.9])
def test_sigkill_while_writing_leaves_whole_steps_and_a_readable_settings_file(tmp_path, after):
    jpath, spath = journal_path(tmp_path / "data"), tmp_path / "config" / "settings.json"
    proc = subprocess.Popen([sys.executable, "-c", _WRITE_LOOP, str(jpath), str(spath)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = LineReader(proc)
    try:
        out.wait_for("READY")
        time.sleep(after)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    journal = SaleJournal.open(jpath)
    try:
        assert journal.recovered_notice is None
        assert journal._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sales = journal.all()
        assert sales, "the child wrote nothing before it was killed"
        for sale in sales:
            steps = journal.steps(sale.sale_id)
            states = [s.state for s in steps if s.state is not None]
            # the sale's state is always the state of its last committed step
            assert sale.state.value == states[-1], (sale, steps)
            if sale.state == SaleState.ORDER_CREATED:
                assert sale.order_key == f"K{sale.cart_id.split('-')[1]}"
            if sale.state in (SaleState.ORDER_REQUESTED, SaleState.ORDER_CREATED):
                assert journal.has_order_request(sale.cart_id)
    finally:
        journal.close()
    store = SettingsStore(spath)
    if spath.exists():
        settings = store.load()
        assert store.recovered_notice is None, spath.read_text()
        assert settings.profiles and settings.active_profile_id == "venue-0"
        json.loads(spath.read_text())
    leftovers = [p.name for p in spath.parent.glob(".settings.json.*")] if spath.parent.exists() else []
    assert len(leftovers) <= 1  # at most the one temp file the kill interrupted
