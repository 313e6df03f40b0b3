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


# ====================================================================== layers and cycles
#
# Every import statement counts, for the layers and for cycles: at module level, inside functions
# (lazy imports) and under ``if TYPE_CHECKING:`` (a type-only import still couples two modules).
#
# Layers, bottom up (docs/ARCHITECTURE.md):
#   base      i18n, api, domain: import nothing above them (among themselves: no module cycle)
#   store     store, config, credentials: persistence (files, SQLite, keychain)
#   services  the Qt-free application layer
#   cli       the command line: no Qt, and nothing of the UI
#   ui        Qt views and controllers: services and below
#   app       the desktop entry point: anything
# The simulator (demo) is a stand-alone fake VdM server: it imports nothing of boxoffice outside
# boxoffice.demo, so it stays an independent ground truth. Services, the CLI and the UI may start it
# (demo mode), as they would any other library.

LAYER_ALLOWED: dict[str, set[str]] = {
    "root": {"root"},
    "base": {"root", "base"},
    "demo": {"root", "demo"},
    "store": {"root", "base", "store"},
    "services": {"root", "base", "store", "demo", "services"},
    "cli": {"root", "base", "store", "demo", "services", "cli"},
    "ui": {"root", "base", "store", "demo", "services", "ui"},
    "app": {"root", "base", "store", "demo", "services", "ui", "app"},
}
NO_QT_LAYERS = {"root", "base", "demo", "store", "services", "cli"}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    head = parts[1]
    if head in ("i18n", "api", "domain"):
        return "base"
    if head in ("store", "config", "credentials"):
        return "store"
    if head in ("services", "demo", "ui", "app"):
        return head
    if head in ("cli", "cli_orders", "__main__"):
        return "cli"
    raise AssertionError(f"{module}: no layer assigned; add it to layer_of and docs/ARCHITECTURE.md")


def _module_name(root: Path, path: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    return ".".join(rel.parts).removesuffix(".__init__")


def _resolve(root: Path, base: str, name: str | None) -> str:
    """The module ``from base import name`` reads: ``base.name`` when that is a module, else base."""
    if name:
        candidate = f"{base}.{name}"
        rel = Path(*candidate.split(".")[1:])
        if (root / rel).with_suffix(".py").is_file() or (root / rel / "__init__.py").is_file():
            return candidate
    return base


def import_graph(root: Path) -> dict[str, set[str]]:
    """``{module: {modules it imports}}`` for every module of the package at ``root`` (only
    imports of that package, wherever they stand; relative imports resolved)."""
    top = root.name
    graph: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: set[str] = set()
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    base_name = ".".join(base + ([node.module] if node.module else []))
                else:
                    base_name = node.module or ""
                if base_name.split(".")[0] == top:
                    targets = [_resolve(root, base_name, a.name) for a in node.names]
            for target in targets:
                if target.split(".")[0] == top and target != module:
                    edges.add(target)
        graph[module] = edges
    return graph


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, edges in graph.items():
        layer = layer_of(module)
        for target in edges:
            if layer_of(target) not in LAYER_ALLOWED[layer]:
                found.append(f"{module} ({layer}) imports {target} ({layer_of(target)})")
    return sorted(found)


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module in the import graph (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(groups)


def qt_in_layers(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        if layer_of(module) in NO_QT_LAYERS:
            roots = _imported_roots(path) & QT_ROOTS
            if roots:
                found.append(f"{module} imports {sorted(roots)}")
    return found


def test_every_module_keeps_to_its_layer():
    graph = import_graph(PACKAGE_DIR)
    assert "boxoffice.services.recovery" in graph and graph["boxoffice.ui.controller"]
    assert layer_violations(graph) == []


def test_no_import_cycles_counting_imports_inside_functions():
    assert import_cycles(import_graph(PACKAGE_DIR)) == []


def test_cli_and_the_core_layers_import_no_qt():
    assert qt_in_layers(PACKAGE_DIR) == []


def test_the_simulator_imports_nothing_of_the_app():
    graph = import_graph(PACKAGE_DIR)
    outside = {t for m, e in graph.items() if layer_of(m) == "demo" for t in e
               if not t.startswith("boxoffice.demo")}
    assert outside <= {"boxoffice"}


def _fake_package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "boxoffice"
    for name in ("", "api", "domain", "store", "services", "ui", "demo", "i18n"):
        (root / name).mkdir(parents=True, exist_ok=True)
        (root / name / "__init__.py").write_text("", encoding="utf-8")
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_the_layer_check_fails_on_a_wrong_import(tmp_path):
    root = _fake_package(tmp_path, {
        "api/client.py": "def late():\n    from boxoffice.services.sale import SaleService\n",
        "services/sale.py": "from boxoffice.api import client\nfrom ..ui import widget\n",
        "ui/widget.py": "from boxoffice.services import sale\n",
        "store/cache.py": "from boxoffice.api.client import late\n",
        "demo/server.py": "from boxoffice.domain import money\n",
        "domain/money.py": "",
    })
    assert layer_violations(import_graph(root)) == [
        "boxoffice.api.client (base) imports boxoffice.services.sale (services)",
        "boxoffice.demo.server (demo) imports boxoffice.domain.money (base)",
        "boxoffice.services.sale (services) imports boxoffice.ui.widget (ui)",
    ]


def test_the_cycle_check_finds_cycles_through_lazy_and_type_only_imports(tmp_path):
    root = _fake_package(tmp_path, {
        "api/public.py": "from . import peppered\n",
        "api/peppered.py": "def checkout():\n    from .public import order_check\n",
        "api/dates.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                        "    from boxoffice.api.models import Cart\n",
        "api/models.py": "from boxoffice.api import dates\n",
    })
    assert import_cycles(import_graph(root)) == [
        ["boxoffice.api.dates", "boxoffice.api.models"],  # a type-only import counts too
        ["boxoffice.api.peppered", "boxoffice.api.public"],
    ]


def test_the_qt_check_fails_on_qt_in_the_cli(tmp_path):
    root = _fake_package(tmp_path, {"cli.py": "def main():\n    import PySide6.QtWidgets\n"})
    assert qt_in_layers(root) == ["boxoffice.cli imports ['PySide6']"]


# ====================================================================== one place per concern

def _definitions(root: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Top-level and class-level names defined per module, and the modules calling ``ZoneInfo``
    (the simulator, an independent stand-in for the server, keeps its own)."""
    defined: dict[str, list[str]] = {}
    zones: list[str] = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        if layer_of(module) == "demo":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.setdefault(node.name, []).append(module)
            elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("ZoneInfo"):
                zones.append(module)
    return defined, zones


def test_clock_money_parser_and_redactor_are_defined_once():
    defined, zones = _definitions(PACKAGE_DIR)
    assert zones == ["boxoffice.domain.clock"]
    assert defined["venue_now"] == defined["utc_now"] == ["boxoffice.domain.clock"]
    assert defined["to_money"] == ["boxoffice.domain.money"]  # rounds to cents
    assert defined["Redactor"] == ["boxoffice.api.secrets"]


def test_the_one_place_check_sees_a_second_definition(tmp_path):
    root = _fake_package(tmp_path, {
        "domain/clock.py": "from zoneinfo import ZoneInfo\nZONE = ZoneInfo('Europe/Amsterdam')\n"
                           "def venue_now(): ...\n",
        "ui/browser.py": "import zoneinfo\nZ = zoneinfo.ZoneInfo('Europe/Amsterdam')\n"
                         "def venue_now(): ...\n",
    })
    defined, zones = _definitions(root)
    assert zones == ["boxoffice.domain.clock", "boxoffice.ui.browser"]
    assert defined["venue_now"] == ["boxoffice.domain.clock", "boxoffice.ui.browser"]


#: Names that moved to one home in issue 14: importing them through another module (a re-export
#: such as ``api.public`` importing ``order_check``) would hide a second way in.
HOMES = {
    **dict.fromkeys(("order_check", "begin_order_lookup", "hold_deadline", "export_keys_before",
                     "late_apply_timing", "attempt_ended"), "boxoffice.api.order_lookup"),
    **dict.fromkeys(("VENUE_ZONE", "venue_now", "utc_now"), "boxoffice.domain.clock"),
    **dict.fromkeys(("Redactor", "REDACTOR", "redact_known"), "boxoffice.api.secrets"),
    **dict.fromkeys(("load_style_sheet", "resource_path", "resources_root"),
                    "boxoffice.ui.resources"),
}


def imports_not_from_home(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = node.module or ""
            if node.level:
                base = package.split(".")
                source = ".".join(base[: len(base) - node.level + 1] + ([source] if source else []))
            for alias in node.names:
                home = HOMES.get(alias.name)
                if home is not None and source != home:
                    found.append(f"{module} imports {alias.name} from {source}")
    return found


def test_moved_names_are_imported_from_their_one_home():
    assert imports_not_from_home(PACKAGE_DIR) == []


def test_the_home_check_sees_an_import_through_a_re_export(tmp_path):
    root = _fake_package(tmp_path, {
        "services/recovery.py": "from boxoffice.api.public import order_check\n",
        "api/peppered.py": "from .order_lookup import order_check\n",
    })
    assert imports_not_from_home(root) == [
        "boxoffice.services.recovery imports order_check from boxoffice.api.public"]
