"""Hall layout files the simulator ships for its own halls, and installing them into a profile.

Owns: ``shipped_hall_files()`` (hallId → the JSON file under ``boxoffice/demo/layouts/``) and
``install_hall_files(target_dir)``, which copies them into a profile's ``layouts/`` folder (the
folder ``boxoffice.domain.hall_file.hall_file_path`` points into) without ever replacing a file
that is already there — a venue's or a cashier's own edits win. The format is described in
``boxoffice.domain.hall_file`` and in the README ("Hall layout files").
"""
from __future__ import annotations

import re
from pathlib import Path

_LAYOUTS_DIR = Path(__file__).resolve().parent / "layouts"
_NAME = re.compile(r"^hall-(\d+)\.json$")


def shipped_hall_files() -> dict[int, Path]:
    """hallId → path of each hall file shipped with the simulator (sorted by hallId)."""
    found: dict[int, Path] = {}
    if _LAYOUTS_DIR.is_dir():
        for path in _LAYOUTS_DIR.iterdir():
            m = _NAME.match(path.name)
            if m and path.is_file():
                found[int(m.group(1))] = path
    return dict(sorted(found.items()))


def install_hall_files(target_dir: Path) -> list[Path]:
    """Copy the shipped hall files into ``target_dir`` (a profile's ``layouts/`` folder, created
    when missing). Existing files are left alone. Returns the paths that were written."""
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for source in shipped_hall_files().values():
        dest = target / source.name
        data = source.read_bytes()
        try:
            with dest.open("xb") as fh:  # exclusive create: never overwrites, even in a race
                fh.write(data)
        except FileExistsError:
            continue
        written.append(dest)
    return written
