"""The core (api, store, services, domain, demo, CLI) must never depend on Qt.

Two checks: a static scan of every import statement outside ``boxoffice/ui`` and
``boxoffice/app.py``, and a fresh interpreter that imports every core module and then proves
that no Qt module was loaded as a side effect.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import boxoffice

PACKAGE_DIR = Path(boxoffice.__file__).parent
QT_ROOTS = {"PySide6", "shiboken6", "qasync", "PyQt5", "PyQt6"}


def _core_files() -> list[Path]:
    files = []
    for path in PACKAGE_DIR.rglob("*.py"):
        rel = path.relative_to(PACKAGE_DIR)
        if rel.parts[0] == "ui" or rel.as_posix() == "app.py":
            continue
        files.append(path)
    return files


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_source_never_imports_qt():
    offenders = {
        str(path.relative_to(PACKAGE_DIR)): sorted(_imported_roots(path) & QT_ROOTS)
        for path in _core_files()
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}, f"Qt imported from the core: {offenders}"


def test_scan_finds_core_files():
    # Guards the test above against silently scanning nothing.
    names = {p.relative_to(PACKAGE_DIR).as_posix() for p in _core_files()}
    assert "__init__.py" in names
    assert not any(n.startswith("ui/") for n in names)


def test_importing_every_core_module_loads_no_qt():
    # Module names from the file tree: pkgutil.walk_packages would import every package (the Qt
    # ones included) into this test process just to list it.
    core = sorted(
        "boxoffice." + ".".join(path.relative_to(PACKAGE_DIR).with_suffix("").parts).removesuffix(".__init__")
        for path in _core_files()
    )
    assert "boxoffice.api" in core
    code = (
        "import importlib, sys\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(QT_ROOTS)!r})\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Qt loaded by core modules: {out.stdout.strip()}"
