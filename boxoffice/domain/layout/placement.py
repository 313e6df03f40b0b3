"""Theatre placement (rules 5, 6 and 8 of docs/hall-layout.md): the main floor and the stage in
front of it, sections beside it, side columns, and the groups stacked behind."""
from __future__ import annotations

from boxoffice.domain.layout.geometry import (
    BALCONY_GAP,
    MIN_STAGE_WIDTH,
    SEAT_SIZE,
    SECTION_GAP,
    STAGE_DEPTH,
    STAGE_GAP,
    Rect,
)
from boxoffice.domain.layout.rows import _Block
from boxoffice.domain.layout.sections import SectionKind, _side_of


def _place_main(main: _Block) -> Rect:
    """The main floor's front row centre at (0, 0); returns the stage centred above it."""
    main.origin = (0.0, 0.0)
    main.placed = True
    mfp = main.footprint()
    widest = max(r[1][-1] - r[1][0] for r in main.rows) + SEAT_SIZE
    stage_w = max(MIN_STAGE_WIDTH, 0.8 * widest)
    return Rect(-stage_w / 2, mfp.top - STAGE_GAP - STAGE_DEPTH, stage_w, STAGE_DEPTH)


def _place_theatre(main: _Block, rest: list[_Block]) -> None:
    mfp = main.footprint()
    beside: dict[str, list[_Block]] = {"left": [], "right": []}
    column: dict[str, list[_Block]] = {"left": [], "right": []}
    behind_floor: list[_Block] = []
    balconies: list[_Block] = []
    others: list[_Block] = []
    toggle = 0
    for b in rest:
        side = _side_of(b.section.name)
        if b.kind is SectionKind.FLOOR:
            (beside[side] if side else behind_floor).append(b)
        elif b.kind is SectionKind.SIDE:
            if side is None:
                side = "left" if toggle % 2 == 0 else "right"
                toggle += 1
            column[side].append(b)
        elif b.kind is SectionKind.BALCONY:
            balconies.append(b)
        else:
            others.append(b)
    placed = [mfp]
    left_edge, right_edge = _place_beside(mfp, beside, placed)
    for side, edge in (("left", left_edge), ("right", right_edge)):
        y = mfp.top
        for b in column[side]:
            if side == "left":
                b.place(right=edge - SECTION_GAP, top=y)
            else:
                b.place(left=edge + SECTION_GAP, top=y)
            fp = b.footprint()
            placed.append(fp)
            y = fp.bottom + SECTION_GAP
    y = max(r.bottom for r in placed)
    for group, gap in ((behind_floor, SECTION_GAP), (balconies, BALCONY_GAP), (others, BALCONY_GAP)):
        for b in group:
            b.place(center_x=0.0, top=y + gap)
            y = b.footprint().bottom


def _place_beside(mfp: Rect, beside: dict[str, list[_Block]], placed: list[Rect]) -> tuple[float, float]:
    left_edge, right_edge = mfp.left, mfp.right
    for b in beside["left"]:
        b.place(right=left_edge - SECTION_GAP, top=mfp.top)
        left_edge = b.footprint().left
        placed.append(b.footprint())
    for b in beside["right"]:
        b.place(left=right_edge + SECTION_GAP, top=mfp.top)
        right_edge = b.footprint().right
        placed.append(b.footprint())
    return left_edge, right_edge
