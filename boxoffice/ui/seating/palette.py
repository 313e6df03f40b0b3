"""Colours and sizes of the seat map (one place, so the map, legend and minimap agree).

Rank colours follow Paul Tol's "light" qualitative scheme: calm, distinguishable with the common
colour-vision deficiencies, and light enough for dark seat numbers on top. Seat *states* never rely
on hue alone: unavailable seats are smaller and grey (hollow when zoomed in), selected seats are
near-black with a white check, seats in this cart are white with a dark ring and centre dot, a
best-available suggestion gets a thick vermillion ring on a pale halo, the focus seat a black and
white double ring.
"""
from __future__ import annotations

from PySide6.QtGui import QColor

RANK_COLOURS = ("#77AADD", "#EE8866", "#EEDD88", "#44BB99", "#FFAABB", "#99DDFF", "#BBCC33",
                "#AAAA00", "#DDDDDD")
UNAVAILABLE = "#CFCFCF"
UNAVAILABLE_RING = "#9A9A9A"
SELECTED = "#1B2A4A"
SELECTED_MARK = "#FFFFFF"
IN_CART = "#332288"
SUGGESTED = "#CC3311"
SUGGESTED_HALO = "#FFE3A3"
FOCUS_OUTER = "#000000"
FOCUS_INNER = "#FFFFFF"
SEAT_TEXT = "#1A1A1A"
ROW_TEXT = "#555555"
SECTION_TEXT = "#333333"
STAGE_FILL = "#E9E3D5"
STAGE_BORDER = "#B5A98C"
STAGE_TEXT = "#5A4E33"
BACKGROUND = "#FAFAF7"
FLOOR_FILL = "#F0EDE6"

# Level of detail, by the size of one seat on screen (pixels)
CIRCLE_MIN_PX = 10.0     # below: batched squares/points per colour; from here: circles
NUMBER_MIN_PX = 12.0     # seat numbers only when they are legible
ROW_LABEL_MIN_PX = 7.0   # row numbers when their text would be at least this many pixels high
ROW_LABEL_EM = 0.62      # row-number text height at the row ends, in seat units
AISLE_LABEL_EM = 0.5     # the smaller row number in an aisle/gap inside a row, in seat units
AISLE_LABEL_MIN_PX = ROW_LABEL_MIN_PX   # aisle row numbers follow the same legibility rule


def rank_colour(slot: int) -> QColor:
    """Colour of the rank at position ``slot`` in rank order (0 = best)."""
    if slot < 0:
        return QColor(UNAVAILABLE)
    return QColor(RANK_COLOURS[slot % len(RANK_COLOURS)])
