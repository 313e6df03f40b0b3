"""The README's screenshots are made by a script in the repository (issue 12), so they stay
current: it runs the app offscreen against the simulator and saves three PNGs at 1280x800."""
from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("event-list.png", "seat-map.png", "customer-display.png")


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", path
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_the_script_makes_three_screenshots_at_1280x800(user_dirs, tmp_path: Path):
    out = tmp_path / "shots"
    env = {**user_dirs, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "packaging/screenshots.py", "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    for name in NAMES:
        shot = out / name
        assert shot.is_file() and shot.stat().st_size > 10_000, name
        assert png_size(shot) == (1280, 800), name
    # nothing of the user's: the script keeps to a temporary home of its own, removed after
    assert not list((tmp_path / "user").rglob("settings.json"))
    assert not list((tmp_path / "user").rglob("*.sqlite3"))
    assert not list((tmp_path / "tmp").glob("boxoffice-shots-*"))


def test_the_readme_shows_the_committed_screenshots():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"docs/screenshots/{name}" in readme
        assert png_size(ROOT / "docs" / "screenshots" / name) == (1280, 800)
    quick = readme.index("## Quick start")
    assert quick < readme.index("## Screenshots") < readme.index("## Install")
