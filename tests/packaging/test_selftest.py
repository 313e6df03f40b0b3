"""``python main.py --selftest``: the installation smoke test, run unfrozen (the frozen run is in
test_bundle.py). Runs in a child process, as a maintainer or the release pipeline would."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from boxoffice.ui import selftest
from tests.support.packkit import ROOT, files_under


def _run(args: list[str], env: dict[str, str], timeout: float = 100) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _summary(stdout: str) -> str:
    lines = [ln for ln in stdout.splitlines() if ln.startswith("selftest ")]
    assert len(lines) == 1, f"expected ONE summary line, got: {stdout!r}"
    return lines[0]


@pytest.mark.timeout(150)
def test_selftest_passes_offscreen_and_leaves_no_trace(user_dirs, tmp_path: Path):
    report = tmp_path / "report.txt"
    result = _run(["main.py", "--selftest", f"--selftest-output={report}"], user_dirs)
    assert result.returncode == 0, result.stdout + result.stderr
    line = _summary(result.stdout)
    assert line.startswith("selftest OK: vdm-boxoffice ")
    assert report.read_text(encoding="utf-8") == line + "\n"  # for windowed builds without stdout
    for part in ("qt=offscreen[png,svg", "about=", "i18n=nl(", "tls=", "keyring=", "events=",
                 "seatmap=#", " seats", "sale=", " paid 1 ticket(s) ", "errors=none"):
        assert part in line, f"{part!r} missing in {line!r}"
    # a fresh temporary home, removed afterwards; nothing written to the user's folders
    assert not list((tmp_path / "tmp").iterdir())
    user_files = files_under(tmp_path / "user")
    assert not [f for f in user_files if "vdm-boxoffice" in f or "boxoffice" in f], user_files


@pytest.mark.timeout(150)
def test_selftest_ignores_an_existing_boxoffice_home(user_dirs, tmp_path: Path):
    home = tmp_path / "cashier-home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text("{\"not\": \"touched\"}", encoding="utf-8")
    before = {f: (home / f).read_bytes() for f in files_under(home)}
    result = _run(["main.py", "--selftest"], dict(user_dirs, BOXOFFICE_HOME=str(home)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert {f: (home / f).read_bytes() for f in files_under(home)} == before


@pytest.mark.timeout(150)
def test_a_payment_that_never_comes_fails_the_selftest_and_names_the_sale(user_dirs, tmp_path):
    code = ("import boxoffice.ui.selftest as s; s.AUTO_PAY_AFTER = None; s.PAYMENT_TIMEOUT = 2;"
            "raise SystemExit(s.run_selftest([]))")
    result = _run(["-c", code], user_dirs)
    assert result.returncode == 1, result.stdout + result.stderr
    line = _summary(result.stdout)
    assert line.startswith("selftest FAILED [sale]")
    assert "events=" in line and "sale=FAILED(" in line
    kept = [p for p in (tmp_path / "tmp").iterdir() if p.name.startswith("vdm-boxoffice-selftest-")]
    assert len(kept) == 1 and str(kept[0]) in result.stderr  # kept for its log, and named
    assert (kept[0] / "logs").is_dir()


def test_summary_line_names_failed_and_skipped_checks():
    checks = [selftest.Check("qt"), selftest.Check("events"), selftest.Check("sale")]
    checks[0].passed("offscreen[png,svg]")
    checks[1].failed("TimeoutError: no events")
    ok, line = selftest.summary_line("9.9", checks, 1.25)
    assert not ok
    assert line == ("selftest FAILED [events]: vdm-boxoffice 9.9 qt=offscreen[png,svg] "
                    "events=FAILED(TimeoutError: no events) sale=not run (1.2s)")
    checks[1].passed("3 productions")
    ok, line = selftest.summary_line("9.9", checks, 1.0)
    assert not ok and line.startswith("selftest FAILED [incomplete]")  # a check that never ran


class _Fail:
    """Stands in for keyring's fail backend (same module name)."""


_Fail.__module__ = "keyring.backends.fail"


@pytest.mark.parametrize("platform, ok", [("linux", True), ("win32", False), ("darwin", False)])
def test_keyring_fail_backend_is_reported_not_fatal_on_linux_only(monkeypatch, platform, ok):
    import keyring

    monkeypatch.setattr(keyring, "get_keyring", lambda: _Fail())
    monkeypatch.setattr(selftest.sys, "platform", platform)
    check = selftest.Check("keyring")
    selftest.check_keyring(check)
    assert check.ok is ok
    assert ("fail(no keychain" in check.detail) if ok else ("no keychain backend" in check.detail)


def test_keyring_without_package_metadata_fails(monkeypatch):
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kw: [])
    check = selftest.Check("keyring")
    selftest.check_keyring(check)
    assert check.ok is False and "metadata is missing" in check.detail


def test_missing_dutch_catalog_fails_i18n(monkeypatch):
    from boxoffice.i18n import translator

    monkeypatch.setattr(translator, "read_catalog", lambda *a, **k: None)
    check = selftest.Check("i18n")
    selftest.check_i18n(check)
    assert check.ok is False and "Dutch catalog not found" in check.detail
