#!/usr/bin/env python3
"""Set up a development environment and run the app or the test suite.

    python3 packaging/bootstrap.py demo    # set up, then launch the app in demo mode
    python3 packaging/bootstrap.py test    # set up, lint (ruff, mypy), run the whole test suite

It creates ``.venv`` beside the project, installs the project with its test and package extras
(the package extra is PyInstaller: ``tests/packaging`` builds and runs the Linux bundle), and on
Debian/Ubuntu, when run as root, installs the Qt runtime libraries that are missing. Only the
standard library is used here so that it runs on a bare Python 3.11.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"

# Debian packages the Qt (xcb and offscreen) platform plugins need at run time. `libs` maps a
# shared library we probe for to the package that ships it.
DEBIAN_QT_RUNTIME = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
}
DEBIAN_EXTRA = ["fonts-dejavu-core"]


def _venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _missing_debian_packages() -> list[str]:
    try:
        known = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return []
    missing = [pkg for lib, pkg in DEBIAN_QT_RUNTIME.items() if lib not in known]
    if not Path("/usr/share/fonts/truetype/dejavu").exists():
        missing += DEBIAN_EXTRA
    if shutil.which("objdump") is None:  # PyInstaller needs it on Linux (tests/packaging)
        missing.append("binutils")
    return missing


def install_system_packages() -> None:
    if not sys.platform.startswith("linux") or shutil.which("apt-get") is None:
        return
    missing = _missing_debian_packages()
    if not missing:
        return
    if os.geteuid() != 0:
        print("Qt needs these Debian packages; install them as root:\n  apt-get install -y "
              + " ".join(missing), file=sys.stderr)
        return
    print("Installing Qt runtime libraries:", " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
                   check=True, env=env)


def install_python_packages() -> None:
    if not _venv_python().exists():
        print("Creating virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    py = str(_venv_python())
    subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "-e", f"{ROOT}[test,package]"], check=True)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in {"demo", "test", "setup"}:
        print(__doc__, file=sys.stderr)
        return 2
    install_system_packages()
    install_python_packages()
    py = str(_venv_python())
    if argv[0] == "demo":
        return subprocess.call([py, str(ROOT / "main.py"), "--demo"], cwd=ROOT)
    if argv[0] == "test":
        # The linter and the type checker first (configured in pyproject.toml; both come with the
        # test extra). Their findings fail the run, but everything still runs so that one run
        # reports all of it.
        ruff = subprocess.call([py, "-m", "ruff", "check", "boxoffice"], cwd=ROOT)
        mypy = subprocess.call([py, "-m", "mypy", "boxoffice"], cwd=ROOT)
        lint = ruff or mypy
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        tests = subprocess.call([py, "-m", "pytest", "-q"], cwd=ROOT, env=env)
        if lint and not tests:
            found = " and ".join(name for name, rc in (("ruff", ruff), ("mypy", mypy)) if rc)
            print(f"{found} found problems (see above); the tests passed", file=sys.stderr)
        return tests or lint
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
