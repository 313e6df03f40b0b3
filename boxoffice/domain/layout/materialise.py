"""The flat arrays, row and section records of the placed blocks (the hot path of a build; see
"Speed" in docs/hall-layout.md)."""
from __future__ import annotations

import math
from array import array
from itertools import chain
from typing import Any

from boxoffice.domain.hall_file import HallFileError
from boxoffice.domain.layout.geometry import (
    ROW_LABEL_OFFSET,
    SEAT_SIZE,
    SECTION_LABEL_SPACE,
    SECTION_PAD,
    Rect,
    _cos_sin,
    _transform,
)
from boxoffice.domain.layout.hall import HallLayout, RowInfo, SectionInfo, _new_row_info
from boxoffice.domain.layout.packing import _LONG, _flags, _put, _repeated
from boxoffice.domain.layout.rows import _Block
from boxoffice.domain.seatplan import PlanInput


def _materialise(plan: PlanInput, blocks: list[_Block], stage: Rect, stage_label: str | None, mode: str,
                 hall_file_used: bool, notes: list[HallFileError], empty: list[int | str],
                 oval: tuple[float, float, float, float] | None) -> HallLayout:
    """The flat arrays, row and section records of the placed blocks.

    The per-seat arrays are allocated once and filled block by block: per seat only list
    comprehensions over a whole block, packed into the arrays by one ``struct.pack_into`` each (no
    per-seat statements, no growing of hall-sized lists). A block's rows that share their local x
    list (same length, plain numbering) share its rotated terms (x·cos, x·sin — or, unrotated, the
    whole row of x), so a seat costs one addition per coordinate; row and section bounds come from
    the end seats of straight rows (their coordinates change monotonically along the row), from
    every seat only for curved rows; ``row_of`` / ``section_of`` are repeated machine words."""
    n = sum(len(r[1]) for b in blocks for r in b.rows)
    xs, ys = array("d", bytes(8 * n)), array("d", bytes(8 * n))
    seat_nrs, rank_ids = array("l", bytes(_LONG * n)), array("l", bytes(_LONG * n))
    seat_ids: list[Any] = [None] * n
    nrs_mem = memoryview(seat_nrs).cast("B")
    available = bytearray(n)
    row_of_parts: list[bytes] = []
    section_of_parts: list[bytes] = []
    done = 0   # seats laid out so far
    break_before = bytearray()
    rows: list[RowInfo] = []
    row_bounds: list[float] = []   # per row: min x, min y, max x, max y of its seat centres
    sections: list[SectionInfo] = []
    extents: list[Rect] = [stage]
    half = SEAT_SIZE / 2
    degrees, atan2, new_row = math.degrees, math.atan2, _new_row_info
    for si, b in enumerate(blocks):
        c, s = _cos_sin(b.rotation)
        ox, oy = b.origin
        upright = c == 1.0 and s == 0.0
        first_row, first_seat = len(rows), done
        brows = b.rows
        shared: dict[int, Any] = {}   # id(local x list) → its x row (upright) or (x·c, x·s)
        turned = not upright and all(isinstance(r[2], float) for r in brows)
        if turned:
            # straight rows, turned: x = (ox - d·s) + lx·c, y = (oy + d·c) + lx·s for a row at depth d;
            # the lx·c, lx·s terms once per shared local x list, all coordinates in one pass per block
            for r in brows:
                if id(r[1]) not in shared:
                    shared[id(r[1])] = ([v * c for v in r[1]], [v * s for v in r[1]])
            terms = [shared[id(r[1])] for r in brows]
            block_x = [bx + u for bx, t in zip([ox - r[2] * s for r in brows], terms) for u in t[0]]
            block_y = [by + u for by, t in zip([oy + r[2] * c for r in brows], terms) for u in t[1]]
        else:
            block_x, block_y = [], []
        off = 0
        for row_nr, lxs, lys, breaks, _seats, tl, tr, _nrs, monotone in brows:
            k = len(lxs)
            if turned:
                end = off + k
                x0, y0, x1, y1 = block_x[off], block_y[off], block_x[end - 1], block_y[end - 1]
                if not monotone:
                    rx, ry = block_x[off:end], block_y[off:end]
                off = end
            else:
                if isinstance(lys, float):   # upright straight row: one x list per local x list
                    cached = shared.get(id(lxs))
                    if cached is None:
                        cached = shared[id(lxs)] = [ox + v for v in lxs]
                    rx = cached
                    ry = [oy + lys] * k
                elif upright:
                    rx = [ox + v for v in lxs]
                    ry = [oy + v for v in lys]
                else:
                    rx = [ox + u * c - v * s for u, v in zip(lxs, lys)]
                    ry = [oy + u * s + v * c for u, v in zip(lxs, lys)]
                block_x += rx
                block_y += ry
                x0, y0, x1, y1 = rx[0], ry[0], rx[-1], ry[-1]
            if monotone:
                row_bounds += ((x0, x1)[x1 < x0], (y0, y1)[y1 < y0], (x1, x0)[x1 < x0], (y1, y0)[y1 < y0])
            else:
                row_bounds += (min(rx), min(ry), max(rx), max(ry))
            first = done
            done += k
            break_before += breaks
            row_of_parts.append(_repeated(len(rows), k))
            tlx, tly = tl[0] * c - tl[1] * s, tl[0] * s + tl[1] * c
            trx, try_ = tr[0] * c - tr[1] * s, tr[0] * s + tr[1] * c
            rows.append(new_row(
                si, row_nr, first, k,
                (x0 - tlx * ROW_LABEL_OFFSET, y0 - tly * ROW_LABEL_OFFSET),
                (x1 + trx * ROW_LABEL_OFFSET, y1 + try_ * ROW_LABEL_OFFSET),
                degrees(atan2(y1 - y0, x1 - x0)) if k > 1 else b.rotation % 360.0,
            ))
        n_seats = done - first_seat
        # the block's per-seat fields, one comprehension each (on 3.11 the specialised attribute
        # loads in a comprehension beat map(attrgetter)); seat numbers were read by _local_rows
        _put(xs, first_seat, block_x)
        _put(ys, first_seat, block_y)
        nrs_mem[first_seat * _LONG:done * _LONG] = b"".join([r[7] for r in brows])
        bseats = list(chain.from_iterable(r[4] for r in brows))
        seat_ids[first_seat:done] = [p.seat_id for p in bseats]
        _put(rank_ids, first_seat, [p.rank_id for p in bseats])
        available[first_seat:done] = _flags([p.available for p in bseats])
        section_of_parts.append(_repeated(si, n_seats))
        rb = row_bounds[4 * first_row:]
        min_x, min_y, max_x, max_y = min(rb[0::4]), min(rb[1::4]), max(rb[2::4]), max(rb[3::4])
        bounds = Rect(min_x - half, min_y - half, max_x - min_x + SEAT_SIZE, max_y - min_y + SEAT_SIZE)
        if b.front_label:
            l, t, right, _ = b.local_box()
            (label,) = _transform([((l + right) / 2, t + SECTION_LABEL_SPACE / 2)], b.rotation, b.origin)
        else:
            label = (bounds.center[0], bounds.top + half - SECTION_PAD - SECTION_LABEL_SPACE / 2)
        sections.append(SectionInfo(
            section_id=b.section.section_id, name=b.section.name, kind=b.kind,
            first_row=first_row, row_count=len(rows) - first_row,
            first_seat=first_seat, seat_count=n_seats, bounds=bounds,
            label=label, origin=b.origin, rotation=b.rotation % 360.0, curve=b.curve,
            from_hall_file=b.spec is not None,
        ))
        fp = bounds.adjusted(SECTION_PAD - half)
        extents.append(Rect(fp.x, fp.y - SECTION_LABEL_SPACE, fp.width, fp.height + SECTION_LABEL_SPACE))
    hall_bounds = Rect.union(extents)
    assert hall_bounds is not None
    nrs_mem.release()
    row_of, section_of = array("l"), array("l")
    row_of.frombytes(b"".join(row_of_parts))
    section_of.frombytes(b"".join(section_of_parts))
    bounds_arr = array("d", bytes(8 * len(row_bounds)))
    _put(bounds_arr, 0, row_bounds)
    row_labels: dict[int, str] = {}
    seat_labels: dict[int, str] = {}
    if getattr(plan, "labelled", False):
        row_label_of: dict[str, str] = {}
        seat_label_of: dict[str, str] = {}
        for sec in plan.sections:
            for prow in sec.rows:
                for seat in prow.seats:
                    if prow.label is not None:
                        row_label_of[seat.seat_id] = prow.label
                    if seat.label is not None:
                        seat_label_of[seat.seat_id] = seat.label
        for ri, info in enumerate(rows):
            if info.count and seat_ids[info.first] in row_label_of:
                row_labels[ri] = row_label_of[seat_ids[info.first]]
        seat_labels = {i: seat_label_of[sid] for i, sid in enumerate(seat_ids) if sid in seat_label_of}
    return HallLayout(
        xs=xs, ys=ys, seat_ids=seat_ids, seat_nrs=seat_nrs,
        rank_ids=rank_ids, section_of=section_of, row_of=row_of, break_before=break_before,
        available=available,
        rows=tuple(rows), sections=tuple(sections), stage=stage, stage_label=stage_label, bounds=hall_bounds,
        price_levels=plan.price_levels, mode=mode, hall_file_used=hall_file_used, notes=tuple(notes),
        empty_section_ids=tuple(empty), hall_id=plan.hall_id, event_id=plan.event_id,
        floor_oval=oval, row_bounds=bounds_arr, row_labels=row_labels, seat_labels=seat_labels,
    )
