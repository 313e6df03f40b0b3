"""Closing the window shuts down in order: every task cancelled and awaited, the session (HTTP
client and embedded simulator) closed before the loop ends, no "Task was destroyed but it is
pending" and no "coroutine was never awaited", in process and in a real `python main.py` run."""
from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import socket
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from boxoffice.ui.logging_setup import LOG_FILE_NAME

ROOT = Path(__file__).resolve().parents[2]
BAD = ("Task was destroyed but it is pending", "was never awaited", "Traceback",
       "Event loop is closed", "Unhandled error")


@pytest.mark.asyncio
async def test_closing_the_window_cancels_tasks_and_closes_the_session(app_factory, wait, caplog):
    caplog.set_level(logging.DEBUG, logger="asyncio")
    controller = app_factory()
    run = asyncio.ensure_future(controller.run())
    window = controller.window
    await wait(lambda: window.browser.model.performance_count() > 0)
    session = controller.session
    simulator = session.simulator
    port = simulator.port
    # Leave work in flight: details loading, a refresh, the session's background loops.
    window.browser.select_performance(window.browser.visible_performances()[0].event_id)
    controller.refresh()
    assert controller.tracker.pending >= 1
    window.close()                                   # what the cashier does
    assert await asyncio.wait_for(run, 10) == 0
    assert controller.tracker.pending == 0
    assert controller.session is None and controller.lock is None
    assert session.client is not None and session._closed
    with pytest.raises(OSError):                     # the simulator no longer listens
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert others == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gc.collect()
    assert not [r for r in caplog.records if any(b in r.getMessage() for b in BAD)]


def test_main_py_exits_cleanly_with_warnings_as_errors(tmp_path):
    """Two real runs (network first, then from the cache) that quit right after the first paint,
    while the refresh is still in flight in the second."""
    env = dict(os.environ, BOXOFFICE_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen",
               PYTHONASYNCIODEBUG="1")
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-X", "dev",
                               str(ROOT / "main.py"), "--demo", "--benchmark-startup"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert json.loads(proc.stdout.strip().splitlines()[-1])["performances"] > 0
        for bad in BAD:
            assert bad not in proc.stderr, proc.stderr[-3000:]
    log_text = (tmp_path / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")
    for bad in BAD:
        assert bad not in log_text, log_text[-3000:]
    assert log_text.count("stopped (exit 0)") == 2


@pytest.mark.parametrize("quit_by", ["qt", "sigint"])
def test_every_way_to_quit_shuts_down_in_order(tmp_path, quit_by):
    """Issue 13: a QApplication.quit() (macOS Quit) and Ctrl-C used to end the loop under the
    controller's feet, so its shutdown never ran. Now both wait for it: the log says the session
    was closed in order and shows no loop stopped from outside."""
    env = dict(os.environ, BOXOFFICE_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen",
               VDM_TEST_QUIT_BY=quit_by)
    proc = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", str(ROOT / "main.py"), "--demo",
                           "--benchmark-startup"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    log_text = (tmp_path / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")
    for bad in (*BAD, "stopped from outside", "NoEventLoopError", "no running event loop"):
        assert bad not in log_text, log_text[-3000:]
    assert "shut down in order" in log_text
    assert log_text.count("stopped (exit 0)") == 1
