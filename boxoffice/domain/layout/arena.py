"""Arena placement (rule 7 of docs/hall-layout.md): the open floor inside an oval and the ring of
stands around it, grown until nothing overlaps."""
from __future__ import annotations

import math
from bisect import bisect_right
from itertools import accumulate, islice
from operator import sub

from boxoffice.domain.layout.geometry import (
    ARENA_ASPECT,
    ARENA_FLOOR_MARGIN,
    ARENA_GROWTH,
    ARENA_STAGE_DEPTH,
    ARENA_STAGE_WIDTH,
    MIN_STAGE_WIDTH,
    SECTION_GAP,
    STAGE_DEPTH,
    STAGE_GAP,
    Rect,
    _bboxes_near,
    _id_order,
    _quad_bbox,
    _rect_quad,
    _transform,
    quads_overlap,
)
from boxoffice.domain.layout.placement import _place_beside, _place_main
from boxoffice.domain.layout.rows import _Block
from boxoffice.domain.layout.sections import SectionKind, _side_of


def _oval_arc(a: float, b: float, t0: float, samples: int = 720) -> tuple[list[float], list[float]]:
    """Parameters t and cumulative arc lengths along the oval x = a sin t, y = -b cos t from
    t0 to 2π - t0 (clockwise on screen, starting right of the top)."""
    span = 2 * math.pi - 2 * t0
    ts = [t0 + span * k / samples for k in range(samples + 1)]
    # the same arithmetic as a point-by-point walk, in C-level maps (bit-identical lengths)
    sin, cos = math.sin, math.cos
    xs = [a * sin(t) for t in ts]
    ys = [-b * cos(t) for t in ts]
    steps = map(math.hypot, map(sub, islice(xs, 1, None), xs), map(sub, islice(ys, 1, None), ys))
    lengths = list(accumulate(steps, initial=0.0))
    return ts, lengths


def _arc_upper_bound(a: float, b: float, t0: float) -> float:
    """At least the length ``_oval_arc(a, b, t0)`` reports (so when this is too short, so is that).

    The sampled polyline is no longer than the arc from t0 to 2π - t0, which is the whole oval
    minus the arc across the top end, which is longer than its chord 2a·sin t0; the whole oval is at
    most π·√(2(a² + b²)) (Cauchy–Schwarz on the perimeter integral). The 1e-9 margin covers the
    rounding of both computations."""
    return (math.pi * math.sqrt(2.0 * (a * a + b * b)) - 2.0 * a * math.sin(t0)) * (1.0 + 1e-9) + 1e-9


def _t_at(ts: list[float], lengths: list[float], s: float) -> float:
    k = bisect_right(lengths, s) - 1
    k = max(0, min(k, len(ts) - 2))
    span = lengths[k + 1] - lengths[k]
    f = 0.0 if span <= 0 else (s - lengths[k]) / span
    return ts[k] + f * (ts[k + 1] - ts[k])


def _place_arena(main: _Block, rest: list[_Block]) -> tuple[Rect, tuple[float, float, float, float]]:
    # 1. the floor: the main floor with the other floor sections beside / behind it (as in a theatre)
    inner: list[_Block] = []
    stage: Rect | None
    if main.kind is SectionKind.FLOOR:
        stage = _place_main(main)
        mfp = main.footprint()
        placed = [mfp]
        beside: dict[str, list[_Block]] = {"left": [], "right": []}
        behind_floor: list[_Block] = []
        for b in rest:
            if b.kind is SectionKind.FLOOR:
                side = _side_of(b.section.name)
                (beside[side] if side else behind_floor).append(b)
        _place_beside(mfp, beside, placed)
        y = max(r.bottom for r in placed)
        for b in behind_floor:
            b.place(center_x=0.0, top=y + SECTION_GAP)
            y = b.footprint().bottom
        inner = [main] + beside["left"] + beside["right"] + behind_floor
        ring = [b for b in rest if b.kind is not SectionKind.FLOOR]
    else:
        stage = None
        ring = [main] + rest
    # (section ids may be text: numbers first, in order, then texts)
    ring.sort(key=lambda b: (_id_order(b.section.section_id), b.section.name))

    # 2. the ring: every stand, front edge on an oval around the floor, turned to face it
    for b in ring:
        if b.spec is None or b.spec.rotation is None:
            b.rotation = 0.0
    boxes = [b.local_box() for b in ring]
    widths = [r - l for l, _, r, _ in boxes]
    need = sum(widths) + SECTION_GAP * len(ring)
    margin = ARENA_FLOOR_MARGIN
    content = Rect.union([stage] + [b.footprint() for b in inner]) if stage is not None else None
    # start from the smallest oval whose length could hold the ring, then grow until all fits
    unit = math.pi * (3 * (1 + ARENA_ASPECT) - math.sqrt((3 + ARENA_ASPECT) * (1 + 3 * ARENA_ASPECT)))
    a = max(need / unit, 4 * MIN_STAGE_WIDTH)
    if content is not None:
        a = max(a, content.width / 2 + margin)
    for _attempt in range(2000):
        b_ = a * ARENA_ASPECT
        if content is None:
            sw = max(MIN_STAGE_WIDTH, ARENA_STAGE_WIDTH * 2 * a)
            sd = max(STAGE_DEPTH, ARENA_STAGE_DEPTH * 2 * b_)
            stage_rect = box = Rect(-sw / 2, -STAGE_GAP - sd, sw, sd)
        else:
            assert stage is not None   # content is only set around a stage
            stage_rect, box = stage, content
        ai, bi = a - margin, b_ - margin
        half = stage_rect.width / 2
        # the floor content inside the (shrunk) oval, as high as it goes: stage at the top end
        lo = hi = None
        for x, y in _rect_quad(box):
            q = 1.0 - (x / ai) ** 2
            if q <= 0:
                lo, hi = 1.0, 0.0
                break
            h = bi * math.sqrt(q)
            lo = y - h if lo is None else max(lo, y - h)
            hi = y + h if hi is None else min(hi, y + h)
        if lo is None or hi is None or lo > hi:
            a *= ARENA_GROWTH
            continue
        cy = hi
        t0 = math.asin(min(1.0, (half + SECTION_GAP) / a))
        if _arc_upper_bound(a, b_, t0) < need:   # cannot hold the stands: grow without sampling the arc
            a *= ARENA_GROWTH
            continue
        ts, lengths = _oval_arc(a, b_, t0)
        spare = lengths[-1] - need
        if spare < 0:
            a *= ARENA_GROWTH
            continue
        extra = spare / len(ring)
        s = extra / 2
        for blk, (l, t, r, _b), w in zip(ring, boxes, widths):
            s += (w + SECTION_GAP) / 2
            t_k = _t_at(ts, lengths, s)
            s += (w + SECTION_GAP) / 2 + extra
            px, py = a * math.sin(t_k), cy - b_ * math.cos(t_k)
            tx, ty = a * math.cos(t_k), b_ * math.sin(t_k)
            norm = math.hypot(tx, ty)
            nx, ny = ty / norm, -tx / norm        # outward normal
            if blk.spec is None or blk.spec.rotation is None:
                blk.rotation = round(math.degrees(math.atan2(-nx, ny)), 3) % 360.0
            # the middle of the local box's front edge goes on the oval
            (fx, fy), = _transform([((l + r) / 2, t)], blk.rotation, (0.0, 0.0))
            blk.origin = (px - fx, py - fy)
            blk.placed = True
            blk.front_label = True
        quads = [blk.quad() for blk in ring]
        obstacles = [_rect_quad(stage_rect)] + [blk.quad() for blk in inner]
        # each quad's bounding box once (the same test as _near, without redoing min/max per pair)
        bbs = [_quad_bbox(q) for q in quads]
        nq = len(quads)
        if any(quads_overlap(quads[i], quads[j]) for i in range(nq) for j in range(i + 1, nq)
               if abs(i - j) in (1, nq - 1) or _bboxes_near(bbs[i], bbs[j])) \
                or any(quads_overlap(q, o) for q in quads for o in obstacles):
            a *= ARENA_GROWTH
            continue
        return stage_rect, (0.0, cy, a, b_)
    raise AssertionError("arena ring did not converge")  # pragma: no cover - 1.02**2000 is huge
