"""The time-showing tests, re-run on a computer in New York and in Tokyo.

Each zone gets its own pytest process with ``TZ`` set from the start (Qt reads the system zone
once, so it cannot be changed inside a running test process); ``BOXOFFICE_TEST_TZ`` makes
tests/ui/test_venue_time_here.py check that Python and Qt really are in that zone. The selection
covers the event list's dates and times (also on the nights the clocks change), the cart and its
hold countdown through a wall-clock jump, the order desk, the shift report, and the stored
times. Any code that showed the computer's own time would fail them there (Amsterdam is UTC+1
in winter, New York UTC-5, Tokyo UTC+9); tests/timezone/test_no_local_time.py refuses such code
outright.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ZONES = ("America/New_York", "Asia/Tokyo")
SELECTION = (
    "tests/ui/test_venue_time_here.py",
    "tests/api/test_dst_dates.py",
    "tests/ui/test_dst_event_list.py",
    "tests/ui/test_browser_filters.py",
    "tests/ui/sale/test_ui_wall_clock_jump.py",
    "tests/ui/orders/test_order_desk.py::test_the_detail_shows_customer_seats_money_status_and_channel",
    "tests/services/sale/test_shift_report.py",
    "tests/ui/test_shift_report_dialog.py",
    "tests/store/test_dst_roundtrip.py",
)


@pytest.fixture(scope="module")
def runs() -> dict[str, subprocess.CompletedProcess[str]]:
    """Both zones at once (two processes), each over the whole selection."""
    procs = {}
    for zone in ZONES:
        env = {**os.environ, "TZ": zone, "BOXOFFICE_TEST_TZ": zone,
               "QT_QPA_PLATFORM": "offscreen"}
        procs[zone] = subprocess.Popen(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             *SELECTION], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
    out = {}
    for zone, proc in procs.items():
        try:
            stdout, _ = proc.communicate(timeout=900)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, _ = proc.communicate()
        out[zone] = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, "")
    return out


@pytest.mark.timeout(900)
@pytest.mark.parametrize("zone", ZONES)
def test_time_showing_tests_pass_in_another_zone(runs, zone):
    result = runs[zone]
    assert result.returncode == 0, f"under TZ={zone}:\n{result.stdout[-6000:]}"
    assert " skipped" not in result.stdout.splitlines()[-1], result.stdout[-2000:]
