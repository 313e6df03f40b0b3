"""The wheel, as pip installs it: built offline from a copy of the sources, installed into a
private folder, then ``vdm-boxoffice --selftest`` (the gui script) runs green offscreen from that
copy with the style sheet and icons read from the installed ``boxoffice/resources`` data, and
``vdm-boxoffice-cli`` is the Qt-free command line (pyproject.toml, setup.py)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "boxoffice", "resources")


def _pip(*args: str, cwd: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                            cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the built wheel, the folder it is installed into)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"   # a copy: no stale build/ or egg-info of the checkout can leak in
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            shutil.copy2(path, src / name)
    _pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(base / "dist"),
         str(src), cwd=base)
    (wheel,) = (base / "dist").glob("vdm_boxoffice-*.whl")
    site = base / "site"
    _pip("install", "--no-deps", "--no-index", "-q", "--target", str(site), str(wheel), cwd=base)
    return wheel, site


def _script(site: Path, name: str) -> Path:
    for folder in ("bin", "Scripts"):
        for candidate in (site / folder / name, site / folder / f"{name}.exe"):
            if candidate.is_file():
                return candidate
    raise AssertionError(f"{name} not installed: {sorted(p.name for p in site.iterdir())}")


def _env(user_dirs: dict[str, str], site: Path) -> dict[str, str]:
    # The installed copy first; the dependencies come from this interpreter's site-packages.
    return dict(user_dirs, PYTHONPATH=str(site), PYTHONNOUSERSITE="1")


def test_wheel_maps_resources_into_the_package_and_names_both_scripts(installed):
    wheel, _site = installed
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(zf.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    for sub in ("styles/boxoffice.qss", "icons/boxoffice.svg", "icons/boxoffice-256.png"):
        assert f"boxoffice/resources/{sub}" in names
    assert "boxoffice/demo/layouts/hall-1.json" in names
    assert "boxoffice/i18n/locale/nl/LC_MESSAGES/boxoffice.po" in names
    assert "[gui_scripts]\nvdm-boxoffice = boxoffice.app:main" in entry_points
    assert "[console_scripts]\nvdm-boxoffice-cli = boxoffice.__main__:main" in entry_points


@pytest.mark.timeout(200)
def test_installed_wheel_runs_the_selftest_with_its_own_resources(installed, user_dirs, tmp_path):
    _wheel, site = installed
    env = _env(user_dirs, site)
    probe = ("import boxoffice, boxoffice.ui.resources as r; "
             "print(boxoffice.__file__); print(r.resources_root()); print(len(r.load_style_sheet()))")
    where = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
    assert where.returncode == 0, where.stderr
    package_file, root, qss_length = where.stdout.splitlines()
    assert Path(package_file).is_relative_to(site)
    assert Path(root) == site / "boxoffice" / "resources"
    assert int(qss_length) == len((ROOT / "resources" / "styles" / "boxoffice.qss")
                                  .read_text(encoding="utf-8"))

    # A gui script has no stdout on Windows (pythonw): the line is read from --selftest-output.
    report = tmp_path / "selftest.txt"
    result = subprocess.run([str(_script(site, "vdm-boxoffice")), "--selftest",
                             f"--selftest-output={report}"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=150)
    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = report.read_text(encoding="utf-8").splitlines()
    assert line.startswith("selftest OK: vdm-boxoffice ") and "qt=offscreen[png,svg" in line
    assert "errors=none" in line


def test_installed_cli_script_is_the_command_line(installed, user_dirs, tmp_path):
    _wheel, site = installed
    result = subprocess.run([str(_script(site, "vdm-boxoffice-cli")), "--help"], cwd=tmp_path,
                            env=_env(user_dirs, site), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout and "demo-server" in result.stdout
