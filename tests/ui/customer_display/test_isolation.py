"""The customer display has no client of its own and never sees the sale's snapshot: its window
imports nothing of the API, the network or the sale service (issue 12)."""
from __future__ import annotations

import ast
from pathlib import Path

import boxoffice.ui.customer_display as package

FOLDER = Path(package.__file__).parent


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_no_client_of_its_own():
    for path in FOLDER.glob("*.py"):
        for name in imports(path):
            assert not name.startswith(("boxoffice.api", "httpx", "boxoffice.demo")), (path, name)


def test_the_window_knows_only_the_customer_view():
    for name in imports(FOLDER / "window.py") | imports(FOLDER / "language.py"):
        assert not name.startswith(("boxoffice.services.sale", "boxoffice.services.messages")), name
