"""``build_layout``: a coordinate-free seating plan (and an optional hall file) in, a ``HallLayout``
out. Rules: docs/hall-layout.md."""
from __future__ import annotations

from boxoffice.domain.hall_file import HallFile, HallFileError
from boxoffice.domain.layout.arena import _place_arena
from boxoffice.domain.layout.geometry import (
    ARENA_MIN_SECTIONS,
    MIN_STAGE_WIDTH,
    SECTION_GAP,
    STAGE_DEPTH,
    STAGE_GAP,
    Rect,
    _rect_quad,
    quads_overlap,
)
from boxoffice.domain.layout.hall import HallLayout
from boxoffice.domain.layout.materialise import _materialise
from boxoffice.domain.layout.placement import _place_main, _place_theatre
from boxoffice.domain.layout.rows import _Block, _local_rows
from boxoffice.domain.layout.sections import SectionKind, classify_section
from boxoffice.domain.seatplan import PlanInput
from boxoffice.i18n import N_


def build_layout(plan: PlanInput, hall_file: HallFile | None = None) -> HallLayout:
    """Lay out ``plan`` (rules in docs/hall-layout.md); ``hall_file`` overrides where it says."""
    notes: list[HallFileError] = []
    blocks: list[_Block] = []
    empty: list[int | str] = []
    matched_specs: set[int] = set()
    for sec in plan.sections:
        spec = hall_file.spec_for(sec.section_id, sec.name) if hall_file is not None else None
        if spec is not None:
            matched_specs.add(id(spec))
        rows, curve, row_notes = _local_rows(sec, spec)
        if not rows:
            empty.append(sec.section_id)
            continue
        notes.extend(row_notes)
        blocks.append(_Block(section=sec, kind=classify_section(sec.name), spec=spec, curve=curve, rows=rows))
    if hall_file is not None:
        for spec in hall_file.sections:
            if id(spec) not in matched_specs:
                ref = spec.section_id if spec.section_id is not None else spec.section_name
                notes.append(HallFileError(N_("hall file: section {section} is not in this seating plan"),
                                           section=ref))

    for b in blocks:
        if b.spec is not None and b.spec.rotation is not None:
            b.rotation = b.spec.rotation

    mode = "empty"
    stage = Rect(-MIN_STAGE_WIDTH / 2, -STAGE_GAP - STAGE_DEPTH, MIN_STAGE_WIDTH, STAGE_DEPTH)
    oval = None
    if blocks:
        stage, mode, oval = _auto_place(blocks)

    for b in blocks:
        if b.spec is not None and b.spec.position is not None:
            b.origin = b.spec.position
    stage_label = None
    if hall_file is not None and hall_file.stage is not None:
        st = hall_file.stage
        stage = Rect(st.x, st.y, st.width, st.height)
        stage_label = st.label

    if hall_file is not None:
        quads = [b.quad() for b in blocks]
        for a in range(len(blocks)):
            for z in range(a + 1, len(blocks)):
                if quads_overlap(quads[a], quads[z]):
                    notes.append(HallFileError(N_("hall file: sections \"{first}\" and \"{second}\" overlap"),
                                               first=blocks[a].section.name, second=blocks[z].section.name))
    return _materialise(plan, blocks, stage, stage_label, mode, hall_file is not None, notes, empty, oval)


def _auto_place(blocks: list[_Block]) -> tuple[Rect, str, tuple[float, float, float, float] | None]:
    main = None
    floors = [b for b in blocks if b.kind is SectionKind.FLOOR]
    for b in floors or blocks:
        if main is None or b.section.seat_count > main.section.seat_count:
            main = b
    assert main is not None
    behind = [b for b in blocks if b is not main and b.kind is SectionKind.BEHIND]
    rest = [b for b in blocks if b is not main and b.kind is not SectionKind.BEHIND]

    oval = None
    arena = sum(1 for b in rest if b.kind is not SectionKind.SIDE) >= ARENA_MIN_SECTIONS
    if arena:
        stage, oval = _place_arena(main, rest)
        mode = "arena"
    else:
        stage = _place_main(main)
        _place_theatre(main, rest)
        mode = "theatre"

    # behind-stage sections: side by side above the stage, facing it
    if behind:
        for b in behind:
            if b.spec is None or b.spec.rotation is None:
                b.rotation = 180.0
        widths = [b.footprint().width for b in behind]
        total = sum(widths) + SECTION_GAP * (len(behind) - 1)
        bottom = stage.top - STAGE_GAP
        if arena:  # above the ring when the ring's ends would be in the way
            others = [b.quad() for b in blocks if b.placed and b not in behind]
            probe = Rect(-total / 2, bottom - max(b.footprint().height for b in behind), total,
                         max(b.footprint().height for b in behind))
            if any(quads_overlap(_rect_quad(probe), q) for q in others):
                bottom = min(y for q in others for _, y in q) - SECTION_GAP
        x = -total / 2
        for b, w in zip(behind, widths):
            b.place(left=x, bottom=bottom)
            x += w + SECTION_GAP
    return stage, mode, oval
