"""Hall layout engine: turns a coordinate-free seating plan into seat positions for drawing.

Owns ``build_layout(plan, hall_file=None) -> HallLayout`` and the ``HallLayout`` it returns — flat
parallel arrays meant to be painted by ONE custom graphics item, plus label anchors, the stage,
bounds, a spatial index and keyboard navigation. Pure Python, no Qt; imports only the domain.
The layout rules, the coordinate system and the speed notes: docs/hall-layout.md.

Parts: ``geometry`` (seat units, ``Rect``, turned footprints), ``sections`` (section kinds by
name), ``hall`` (``HallLayout`` and its queries), ``rows`` (a section's local rows), ``placement``
(theatre), ``arena`` (the ring of stands), ``packing`` and ``materialise`` (the flat arrays),
``build`` (``build_layout``).
"""
from __future__ import annotations

from boxoffice.domain.layout.arena import _arc_upper_bound, _oval_arc, _place_arena, _t_at
from boxoffice.domain.layout.build import _auto_place, build_layout
from boxoffice.domain.layout.geometry import (
    ARENA_ASPECT,
    ARENA_FLOOR_MARGIN,
    ARENA_GROWTH,
    ARENA_MIN_SECTIONS,
    ARENA_STAGE_DEPTH,
    ARENA_STAGE_WIDTH,
    BALCONY_GAP,
    GRID_CELL,
    MIN_CURVE_RADIUS,
    MIN_STAGE_WIDTH,
    ROW_LABEL_OFFSET,
    ROW_PITCH,
    SEAT_PITCH,
    SEAT_SIZE,
    SECTION_GAP,
    SECTION_LABEL_SPACE,
    SECTION_PAD,
    STAGE_DEPTH,
    STAGE_GAP,
    Rect,
    _bboxes_near,
    _cos_sin,
    _id_order,
    _near,
    _quad_bbox,
    _rect_quad,
    _transform,
    quads_overlap,
)
from boxoffice.domain.layout.hall import HallLayout, RowInfo, SectionInfo
from boxoffice.domain.layout.materialise import _materialise
from boxoffice.domain.layout.packing import _distinct, _flags, _low_bytes, _packed_longs, _put, _repeated
from boxoffice.domain.layout.placement import _place_beside, _place_main, _place_theatre
from boxoffice.domain.layout.rows import _Block, _local_rows, numbering_gaps
from boxoffice.domain.layout.sections import SectionKind, _side_of, classify_section

__all__ = [
    "ARENA_ASPECT", "ARENA_FLOOR_MARGIN", "ARENA_GROWTH", "ARENA_MIN_SECTIONS", "ARENA_STAGE_DEPTH",
    "ARENA_STAGE_WIDTH", "BALCONY_GAP", "GRID_CELL", "MIN_CURVE_RADIUS", "MIN_STAGE_WIDTH",
    "ROW_LABEL_OFFSET", "ROW_PITCH", "SEAT_PITCH", "SEAT_SIZE", "SECTION_GAP", "SECTION_LABEL_SPACE",
    "SECTION_PAD", "STAGE_DEPTH", "STAGE_GAP", "HallLayout", "Rect", "RowInfo", "SectionInfo",
    "SectionKind", "build_layout", "classify_section", "numbering_gaps", "quads_overlap",
    # internals the fast-path tests compare with their reference code
    "_Block", "_arc_upper_bound", "_auto_place", "_bboxes_near", "_cos_sin", "_distinct", "_flags",
    "_id_order", "_local_rows", "_low_bytes", "_materialise", "_near", "_oval_arc", "_packed_longs",
    "_place_arena", "_place_beside", "_place_main", "_place_theatre", "_put", "_quad_bbox",
    "_rect_quad", "_repeated", "_side_of", "_t_at", "_transform",
]
