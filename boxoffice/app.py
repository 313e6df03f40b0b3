"""Qt application entry point (placeholder until the desktop shell lands)."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv if argv is None else argv)
    label = QLabel("VdM Box Office")
    label.resize(480, 200)
    label.show()
    return app.exec()
