"""Nothing in the client reads the computer's own time zone.

Every time a cashier reads is the venue's (Europe/Amsterdam), on a laptop set to New York or Tokyo
too. The one way in for "now" is boxoffice.domain.clock (the app clock: ``utc_now``,
``venue_now``, ``monotonic``); these calls would read the machine's zone or an unzoned wall time
and are refused anywhere in boxoffice/ (the simulator too: it plays a server in Amsterdam).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "boxoffice"

#: ``module.function`` calls that read local time (any arguments)
_LOCAL_CALLS = {
    ("time", "localtime"), ("time", "ctime"), ("time", "mktime"), ("time", "asctime"),
    ("datetime", "utcnow"), ("datetime", "utcfromtimestamp"), ("datetime", "today"),
    ("date", "today"), ("QDateTime", "currentDateTime"), ("QDate", "currentDate"),
    ("QTime", "currentTime"),
}
#: calls that read local time only WITHOUT a zone argument
_LOCAL_WITHOUT_ZONE = {("datetime", "now"): 0, ("datetime", "fromtimestamp"): 1,
                       ("date", "fromtimestamp"): -1}


def _dotted(node: ast.AST) -> tuple[str, str] | None:
    if isinstance(node, ast.Attribute):
        owner = node.value
        if isinstance(owner, ast.Name):
            return owner.id, node.attr
        if isinstance(owner, ast.Attribute):   # dt.datetime.now, QtCore.QDateTime.currentDateTime
            return owner.attr, node.attr
    return None


def local_time_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for every call in ``source`` that reads the machine's local time."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = _dotted(func)
        n_args = len(node.args) + len(node.keywords)
        if name in _LOCAL_CALLS:
            found.append((node.lineno, ".".join(name)))
        elif name in _LOCAL_WITHOUT_ZONE:
            zone_at = _LOCAL_WITHOUT_ZONE[name]
            if zone_at < 0 or (n_args <= zone_at
                               and not any(k.arg == "tz" for k in node.keywords)):
                found.append((node.lineno, ".".join(name) + " without a zone"))
        elif isinstance(func, ast.Attribute) and func.attr == "astimezone" and n_args == 0:
            found.append((node.lineno, ".astimezone() into the computer's zone"))
        elif isinstance(func, ast.Attribute) and func.attr in ("toLocalTime", "currentDateTime"):
            found.append((node.lineno, func.attr))
        elif name == ("time", "strftime") and len(node.args) < 2:
            found.append((node.lineno, "time.strftime of local time"))
    return found


def test_the_guard_sees_each_kind_of_local_time():
    """The check itself: each way of reading local time is found, the zoned forms are not."""
    bad = """
import time, datetime as dt
from datetime import datetime, date
datetime.now()
dt.datetime.now()
datetime.today()
date.today()
datetime.utcnow()
datetime.fromtimestamp(0)
moment.astimezone()
time.localtime()
time.strftime("%H")
QDateTime.currentDateTime()
QtCore.QDate.currentDate()
stamp.toLocalTime()
"""
    assert len(local_time_uses(bad)) == 12
    good = """
datetime.now(timezone.utc)
datetime.now(tz=VENUE_ZONE)
datetime.fromtimestamp(0, timezone.utc)
moment.astimezone(VENUE_ZONE)
time.strftime("%H", time.gmtime())
time.monotonic()
"""
    assert local_time_uses(good) == []


@pytest.mark.parametrize("path", sorted(ROOT.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_code_reads_the_computers_time_zone(path: Path):
    uses = local_time_uses(path.read_text(encoding="utf-8"))
    assert not uses, (f"{path.relative_to(ROOT.parent)} reads local time (use "
                      f"boxoffice.domain.clock: venue_now/utc_now/monotonic): {uses}")
