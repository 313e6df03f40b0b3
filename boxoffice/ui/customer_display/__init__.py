"""The customer-facing display: a second window, for a screen turned towards the customer, that
mirrors the sale (welcome, lines and total, scan to pay, cash and change, paid and the tickets)
in the customer's own language (``window``), and the cashier's switch for it (``control``)."""
from __future__ import annotations

from boxoffice.ui.customer_display.control import CustomerDisplayControl
from boxoffice.ui.customer_display.language import DisplayLanguage
from boxoffice.ui.customer_display.window import CustomerDisplay

__all__ = ["CustomerDisplay", "CustomerDisplayControl", "DisplayLanguage"]
