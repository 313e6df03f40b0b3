"""The Linux release, built for real: ``packaging/build_linux.sh`` makes the tar.gz with PyInstaller,
and the frozen ``vdm-boxoffice --selftest`` (unpacked from that archive) passes offscreen.

Slow (a PyInstaller build, about a minute) but part of the normal suite, so CI proves on every run
that the spec still ships what the app needs (Qt plugins, translations, keyring metadata, TLS
certificates, the simulator). Skipped only when PyInstaller is not installed
(``pip install -e '.[package]'``; ``packaging/bootstrap.py`` installs it).
"""
from __future__ import annotations

import configparser
import importlib.util
import os
import platform
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import boxoffice
from tests.support.packkit import ROOT, files_under

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason="PyInstaller is not installed: pip install -e '.[package]'"),
    pytest.mark.skipif(not sys.platform.startswith("linux"),
                       reason="builds the Linux release (Windows/macOS: .github/workflows/release.yml)"),
]


@pytest.fixture(scope="module")
def archive() -> Path:
    env = dict(os.environ, PYTHON=sys.executable)
    result = subprocess.run(["bash", str(ROOT / "packaging" / "build_linux.sh")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=420)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.name == f"vdm-boxoffice-{boxoffice.__version__}-linux-{platform.machine()}.tar.gz"
    assert path.is_file() and path.parent == ROOT / "dist"
    return path


@pytest.fixture(scope="module")
def unpacked(archive: Path, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("release")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        top = {n.split("/")[0] for n in names}
        assert top == {f"vdm-boxoffice-{boxoffice.__version__}"}  # nothing spills when unpacked
        tar.extractall(target, filter="tar")
    return target / f"vdm-boxoffice-{boxoffice.__version__}"


@pytest.mark.timeout(600)
def test_frozen_selftest_passes_offscreen(unpacked: Path, user_dirs, tmp_path: Path):
    exe = unpacked / "vdm-boxoffice"
    assert os.access(exe, os.X_OK)
    result = subprocess.run([str(exe), "--selftest"], cwd=tmp_path, env=user_dirs,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("selftest ")]
    assert len(lines) == 1, result.stdout
    line = lines[0]
    assert line.startswith(f"selftest OK: vdm-boxoffice {boxoffice.__version__} ")
    for part in ("qt=offscreen[png,svg", "about=", "i18n=nl(", "tls=", "keyring=", "events=",
                 "seatmap=#", "sale=", " paid 1 ticket(s) ", "errors=none"):
        assert part in line, f"{part!r} missing in {line!r}"


@pytest.mark.timeout(600)
def test_bundle_ships_what_the_app_loads_and_not_what_it_does_not(unpacked: Path):
    internal = unpacked / "_internal"
    files = files_under(unpacked)
    must = [
        "vdm-boxoffice.desktop", "vdm-boxoffice.png", "install.sh",
        "_internal/resources/styles/boxoffice.qss",
        "_internal/resources/icons/boxoffice.svg",
        "_internal/resources/icons/boxoffice-256.png",
        "_internal/boxoffice/i18n/locale/nl/LC_MESSAGES/boxoffice.po",
        "_internal/boxoffice/i18n/locale/nl/LC_MESSAGES/boxoffice.mo",
        "_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
        "_internal/PySide6/Qt/plugins/imageformats/libqsvg.so",
        "_internal/certifi/cacert.pem",
        "_internal/babel/locale-data/nl.dat",
    ]
    assert not [m for m in must if m not in files], [m for m in must if m not in files]
    entry_points = list(internal.glob("keyring-*.dist-info/entry_points.txt"))
    assert entry_points and "keyring.backends" in entry_points[0].read_text()
    forbidden = ("tkinter", "_tkinter", "PIL/", "numpy/", "libQt6Qml", "libQt6Quick", "libQt6Pdf",
                 "libqgtk3", "PySide6/Qt/translations/", "babel/locale-data/de.dat")
    assert not [f for f in files if any(b in f for b in forbidden)]


@pytest.mark.timeout(600)
def test_desktop_entry_and_user_install(unpacked: Path, tmp_path: Path):
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(unpacked / "vdm-boxoffice.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"] == "VdM Box Office"
    assert desktop["Exec"] == "vdm-boxoffice" and desktop["Icon"] == "vdm-boxoffice"
    assert desktop["Terminal"] == "false" and desktop["Categories"].endswith(";")

    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "share"))
    subprocess.run([str(unpacked / "install.sh")], env=env, check=True, capture_output=True)
    installed = tmp_path / "share" / "applications" / "vdm-boxoffice.desktop"
    assert f'Exec="{unpacked}/vdm-boxoffice"' in installed.read_text()
    assert (tmp_path / "share" / "icons" / "hicolor" / "256x256" / "apps" / "vdm-boxoffice.png").is_file()
    subprocess.run([str(unpacked / "install.sh"), "--uninstall"], env=env, check=True,
                   capture_output=True)
    assert not installed.exists()
