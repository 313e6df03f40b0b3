"""The endurance benchmark's evening, short: 30 sales through the real windows (issue 13).

``benchmarks/endurance.py`` runs as a child process (its own QApplication, qasync loop, temporary
BOXOFFICE_HOME and in-memory keychain), exactly as it is run for the figures. Nothing about time
or memory is asserted at this size: only that every sale ended as scripted, that every sale is
where it should be in the journal and at the simulator, and that nothing reached the exception
reporter."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_thirty_sales_through_the_windows_all_accounted_for():
    env = {k: v for k, v in os.environ.items() if k not in ("BOXOFFICE_HOME", "DISPLAY")}
    proc = subprocess.run([sys.executable, "benchmarks/endurance.py", "--sales", "30", "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(proc.stdout)
    assert figures["crashes"] == 0, (figures["crash_detail"], proc.stderr[-3000:])
    assert figures["unexpected"] == 0, figures["unexpected_detail"]
    assert figures["unaccounted"] == 0, figures["unaccounted_detail"]
    assert figures["sales"] == 30
    # the whole mix ran: 21 paid, 3 expired holds, 3 cancelled and 3 failed payments
    assert figures["paid"] == 21 and figures["expected_unpaid"] == 9
    assert figures["expired"] == 3
    for key in ("rss_growth_mb", "open_fds_growth", "qt_objects_growth", "slowdown",
                "loop_lag_p99_ms", "loop_lag_max_ms"):
        assert figures[key] is not None, key


@pytest.mark.usefixtures("paths", "memory_keyring")
def test_the_sale_pane_keeps_nothing_per_sale_once_the_next_sale_starts():
    """What the sale pane remembers about an order's payment page (opened once, and whether the
    browser showed it) is for the sale at hand: it grew by one entry per sale all evening
    (failed before: 3 entries after 3 sales)."""
    from boxoffice import i18n
    from tests.support.evening import PAID, EveningDriver, SaleScript, demo_app, run_in_qt_loop

    i18n.set_language("en")

    async def sales():
        async with demo_app() as (controller, browser):
            driver = EveningDriver(controller, browser)
            for i in range(3):
                await driver.run_sale(i, SaleScript("ga", 1, "Credit card", PAID))
            sale = controller.sale
            return ([r.problem for r in driver.records if r.unexpected],
                    len(sale._opened_orders), len(sale._page_opened))

    unexpected, opened, shown = run_in_qt_loop(sales)
    assert unexpected == []
    assert (opened, shown) == (0, 0)
