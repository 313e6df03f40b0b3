#!/usr/bin/env python3
"""A cashier's evening through the real windows: N sales in one process, against the simulator.

    python benchmarks/endurance.py [--sales 300] [--json] [--seed 1]

The real ``AppController`` in demo mode (its built-in simulator on loopback), offscreen Qt
(QT_QPA_PLATFORM=offscreen is set here), a temporary BOXOFFICE_HOME and an in-memory keychain
(never the real one); the system browser is replaced by a recorder. Sales are driven through the
widgets as a cashier would (``tests/support/evening.py``), in a repeating round of ten:
best-available seats paid by card on the payment page, general admission in cash with change,
PIN, a card payment cancelled and one failed on the payment page, a hold left to expire (the
simulator holds that cart's seats one second), and the event list refreshed (F5) every ten sales.

Reported (JSON with --json):
  sales, paid, expected_unpaid   sales run; paid; cancelled/failed/expired as scripted
  unexpected                     sales whose outcome differs from their script (or got stuck)
  unaccounted                    problems found comparing every sale with the journal and the
                                 simulator's orders (wrong state, missing, an order nobody made)
  crashes                        exceptions that reached the app's exception reporter (sys
                                 excepthook, the loop's exception handler, failed UI tasks) or
                                 escaped the driver
  rss_start_mb, rss_end_mb       resident memory before the first sale and after the last
  rss_growth_mb                  from after the first 50 sales to the end (after a collection)
  open_fds_growth                open file descriptors (/proc/self/fd), same two points
  qt_objects_growth              live QObjects, same two points: every object in the trees of the
                                 application and all top-level widgets (findChildren, so C++-owned
                                 children count too), united with every live Python wrapper of a
                                 QObject the collector tracks (parentless objects held by Python);
                                 counted by C++ address after gc.collect()
  slowdown                       median sale time of the last 50 sales / of the first 50
  loop_lag_p99_ms, _max_ms       lateness of a 20 ms asyncio timer over the whole run
  sale_s_median, wall_s          median time per sale, wall time of the run

Goals at N=300 (issue 13): rss_growth_mb <= 20, open_fds_growth <= 5, qt_objects_growth <= 200,
slowdown <= 1.2, loop_lag_p99_ms <= 50, crashes 0, unexpected 0.
"""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # replaced below

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402
import keyring.backend  # noqa: E402

GOALS = {"rss_growth_mb": 20, "open_fds_growth": 5, "qt_objects_growth": 200, "slowdown": 1.2,
         "loop_lag_p99_ms": 50, "crashes": 0, "unexpected": 0}


class MemoryKeyring(keyring.backend.KeyringBackend):
    """The benchmark's keychain: a dict in this process (the real keychain is never asked)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self._items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self._items.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


# ---------------------------------------------------------------------------------------- probes
def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def live_qobjects() -> int:
    """QObjects alive now: the object trees of the application and of every top-level widget,
    united with the tracked Python wrappers of QObjects (see the module doc)."""
    import shiboken6
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    seen: set[int] = set()
    app = QApplication.instance()
    for root in [app, *QApplication.topLevelWidgets()]:
        seen.add(shiboken6.getCppPointer(root)[0])
        seen.update(shiboken6.getCppPointer(c)[0] for c in root.findChildren(QObject))
    for obj in gc.get_objects():
        if isinstance(obj, QObject) and shiboken6.isValid(obj):
            seen.add(shiboken6.getCppPointer(obj)[0])
    return len(seen)


class LoopLag:
    """A timer on the running loop every ``interval`` s, recording how late each one fires."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.samples: list[float] = []
        self._handle: asyncio.TimerHandle | None = None
        self._due = 0.0

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._due = loop.time() + self.interval
        self._handle = loop.call_later(self.interval, self._tick)

    def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        self.samples.append(max(0.0, now - self._due))
        self._due = now + self.interval
        self._handle = loop.call_later(self.interval, self._tick)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def p99_ms(self) -> float:
        if not self.samples:
            return 0.0
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000

    def max_ms(self) -> float:
        return max(self.samples, default=0.0) * 1000


def collected() -> None:
    """Collect cyclic garbage and let Qt run deleteLater() before a measurement."""
    from PySide6.QtCore import QCoreApplication, QEvent

    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


# ---------------------------------------------------------------------------------------- the run
async def evening(controller: Any, browser: Any, n_sales: int, *, refresh_every: int = 10,
                  progress: bool = False) -> dict[str, Any]:
    """Run *n_sales* scripted sales on a started controller; the figures (see the module doc)."""
    from tests.support.evening import EXPIRED, PAID, EveningDriver

    driver = EveningDriver(controller, browser)
    window = min(50, max(1, n_sales // 2))
    lag = LoopLag()
    crashes = 0
    collected()
    start = {"rss": rss_mb(), "fds": open_fds(), "qt": live_qobjects()}
    base = dict(start)
    lag.start()
    t0 = time.monotonic()
    try:
        for i in range(n_sales):
            try:
                await driver.run_sale(i)
            except Exception as exc:  # noqa: BLE001 - counted, the evening goes on
                crashes += 1
                driver.records[-1].problem = f"{type(exc).__name__}: {exc}"
            if refresh_every and i % refresh_every == refresh_every // 2:
                try:
                    await driver.refresh_list()
                except AssertionError as exc:
                    driver.records[-1].problem = f"refresh: {exc}"
            if i + 1 == window:
                collected()
                base = {"rss": rss_mb(), "fds": open_fds(), "qt": live_qobjects()}
            if progress and (i + 1) % 10 == 0:
                print(f"{i + 1} sales, {time.monotonic() - t0:.0f} s, rss {rss_mb():.1f} MB",
                      file=sys.stderr, flush=True)
    finally:
        lag.stop()
    wall = time.monotonic() - t0
    collected()
    end = {"rss": rss_mb(), "fds": open_fds(), "qt": live_qobjects()}
    records = driver.records
    unaccounted = driver.account()
    times = [r.seconds for r in records]
    first, last = times[:window], times[-window:]
    crashes += len(controller.reporter.reported)
    unexpected = [r for r in records if r.unexpected]
    return {
        "sales": len(records),
        "paid": sum(1 for r in records if r.seen == PAID and not r.unexpected),
        "expected_unpaid": sum(1 for r in records if r.script.outcome != PAID
                               and not r.unexpected),
        "expired": sum(1 for r in records if r.seen == EXPIRED),
        "unexpected": len(unexpected),
        "unexpected_detail": [f"{r.index} {r.script.label}: saw {r.seen or '-'} {r.problem}"
                              for r in unexpected[:10]],
        "unaccounted": len(unaccounted),
        "unaccounted_detail": unaccounted[:10],
        "crashes": crashes,
        "crash_detail": [f"{type(e).__name__}: {e}" for e in controller.reporter.reported[:5]],
        "rss_start_mb": round(start["rss"], 1),
        "rss_end_mb": round(end["rss"], 1),
        "rss_growth_mb": round(end["rss"] - base["rss"], 1),
        "open_fds_growth": end["fds"] - base["fds"],
        "qt_objects_start": start["qt"],
        "qt_objects_growth": end["qt"] - base["qt"],
        "slowdown": round(statistics.median(last) / statistics.median(first), 3) if times else None,
        "sale_s_median": round(statistics.median(times), 3) if times else None,
        "loop_lag_p99_ms": round(lag.p99_ms(), 1),
        "loop_lag_max_ms": round(lag.max_ms(), 1),
        "wall_s": round(wall, 1),
    }


def run(n_sales: int, seed: int = 1, progress: bool = False) -> dict[str, Any]:
    """Set up the app as ``boxoffice.app.main`` does (qasync loop, GUI-thread collector) in a
    temporary home with the in-memory keychain, run the evening, return the figures."""
    from PySide6.QtCore import qInstallMessageHandler

    from boxoffice import i18n
    from tests.support.evening import demo_app, run_in_qt_loop

    keyring.set_keyring(MemoryKeyring())
    i18n.set_language("en")
    # the offscreen platform says this for every window shown; it is no finding
    previous = qInstallMessageHandler(lambda _kind, _context, message: None
                                      if "propagateSizeHints" in message
                                      else print(message, file=sys.stderr))

    async def main() -> dict[str, Any]:
        async with demo_app(seed=seed) as (controller, browser):
            return await evening(controller, browser, n_sales, progress=progress)

    with tempfile.TemporaryDirectory(prefix="boxoffice-endurance-") as home:
        os.environ["BOXOFFICE_HOME"] = home
        try:
            return run_in_qt_loop(main)
        finally:
            qInstallMessageHandler(previous)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--progress", action="store_true", help="a line on stderr every 10 sales")
    args = parser.parse_args()
    figures = run(args.sales, args.seed, args.progress)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            goal = GOALS.get(key)
            print(f"{key:20} {value}" + (f"   (goal {goal})" if goal is not None else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
