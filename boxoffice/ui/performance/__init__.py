"""One opened performance: header, hall map or ticket counter, live availability, read-only states.

Modules: ``source`` (what the page reads from the session; Qt-free), ``header``, ``quantity``
(the general-admission ticket counter), ``panel`` (composition, loading, offline, signals for
the cart side).
"""
from __future__ import annotations

from boxoffice.ui.performance.panel import PerformancePanel
from boxoffice.ui.performance.quantity import QuantityPicker
from boxoffice.ui.performance.source import PerformanceSource

__all__ = ["PerformancePanel", "PerformanceSource", "QuantityPicker"]
