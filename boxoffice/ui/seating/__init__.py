"""The hall and seating map: ``SeatingPanel`` (what the sale screen embeds) and ``SeatMapView``.

Modules: ``state`` (selection rules, prices, texts; Qt-free), ``palette`` (colours, level of
detail thresholds), ``seat_layer`` (the single item painting all seats), ``view`` (input, zoom,
pan), ``minimap``, ``legend``, ``panel`` (composition and periodic refresh).
"""
from __future__ import annotations

from boxoffice.ui.seating.panel import SeatingPanel
from boxoffice.ui.seating.state import PlanUpdate, SeatMapState
from boxoffice.ui.seating.view import SeatMapView

__all__ = ["SeatingPanel", "SeatMapView", "SeatMapState", "PlanUpdate"]
