"""``SaleActions``: the window actions of the sale — Checkout (F9), New sale (F2 / Ctrl+N) and
Shift report (Ctrl+R) — installed on the main window (menu shortcuts, toolbar) and removed again
when the session closes. What they do is the sale controller's; this only wires keys to it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QKeySequence

from boxoffice.i18n import _


class SaleActions:
    def __init__(self, window: Any, *, checkout: Callable[[], Any], new_sale: Callable[[], Any],
                 shift_report: Callable[[], Any]) -> None:
        self.window = window
        self.all: list[QAction] = []
        self.checkout = self._action("checkoutAction", _("Checkout"), [QKeySequence("F9")],
                                     checkout, _("Pay for the tickets in the cart (F9)"))
        self.new_sale = self._action("newSaleAction", _("New sale"),
                                     [QKeySequence("F2"), QKeySequence("Ctrl+N")], new_sale,
                                     _("Clear everything for the next customer (F2)"))
        self.report = self._action("shiftReportAction", _("Shift report"),
                                   [QKeySequence("Ctrl+R")], shift_report,
                                   _("Sales of this shift: totals and cash in the drawer (Ctrl+R)"))
        window.add_toolbar_actions([self.new_sale, self.report])

    def _action(self, name: str, text: str, keys: list[QKeySequence], slot: Callable[[], Any],
                tip: str) -> QAction:
        act = QAction(text, self.window)
        act.setObjectName(name)
        act.setShortcuts(keys)
        act.setToolTip(tip)
        act.triggered.connect(lambda _c=False: slot())
        self.window.addAction(act)
        self.all.append(act)
        return act

    def remove(self) -> None:
        self.window.remove_toolbar_actions(self.all)
        for act in self.all:
            self.window.removeAction(act)
