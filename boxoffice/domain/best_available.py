"""Best-available seat picker: "N best seats" on a ``HallLayout``.

Owns: ``best_available(layout, n, ...) -> BestAvailable``.

Rules
    * A block is N seats physically consecutive in one row with no aisle or numbering gap
      between them (``HallLayout.break_before``), all available (and of an allowed rank/section
      when filters are given).
    * Preference, in this order:
        1. no orphan — a single available seat left between the block and an unavailable seat,
           the row end or an aisle. A block that leaves an orphan is only chosen when every other
           block does too (``leaves_orphan`` then says so);
        2. best rank — the rank whose price levels have the highest price first, ties → lower
           rankId (``seatplan.rank_order``); a block counts as its worst seat's rank;
        3. position — ``|x of the block centre − hall axis| + DEPTH_WEIGHT × distance from the
           stage``, in seat units (centre first, then front); ties → lower seat index. In an arena
           (``layout.mode == "arena"``: stands on a ring around the floor, the stage at the
           floor's top end, every stand turned to the floor rather than to the stage) it is the
           view of the stage instead: ``distance to the stage's front centre × (1 + ANGLE_WEIGHT
           × (1 − cos θ)²)``, θ the angle off the stage's axis: nearly free up to ~40°, then
           steep — a side-stage corner (θ ≥ 90°: seen from the side or from behind the stage's
           front) counts as 5 to 17 times its distance, so the stands facing the stage come
           first, the nearest of them (the long sides) before the far end.
    * No block of N anywhere → ``outcome SPLIT`` with the fewest groups possible (the largest free
      runs first); the first group is placed by the rules above, each further group as close as
      possible to the first (same or nearby rows), still avoiding orphans where it can.
    * Fewer than N eligible seats in total → ``outcome NOT_ENOUGH`` and no seats.
Never returns an unavailable seat. Linear in the number of seats.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import Enum

from boxoffice.domain.layout import HallLayout
from boxoffice.domain.seatplan import rank_order

DEPTH_WEIGHT = 0.75
ANGLE_WEIGHT = 4.0   # arena: how much a view from the side weighs against distance


class Outcome(str, Enum):
    TOGETHER = "together"
    SPLIT = "split"
    NOT_ENOUGH = "not_enough"


@dataclass(frozen=True, slots=True)
class BestAvailable:
    requested: int
    outcome: Outcome
    groups: tuple[tuple[int, ...], ...]   # seat indices into the layout; each group adjacent in one row
    leaves_orphan: bool = False

    @property
    def together(self) -> bool:
        return self.outcome is Outcome.TOGETHER

    @property
    def seats(self) -> tuple[int, ...]:
        return tuple(i for g in self.groups for i in g)

    def seat_ids(self, layout: HallLayout) -> list[str]:
        return [layout.seat_ids[i] for i in self.seats]


def _eligible(layout: HallLayout, available: bytearray, rank_ids: Collection[int] | None,
              section_ids: Collection[int] | None) -> bytearray:
    if rank_ids is None and section_ids is None:
        return available
    ranks = None if rank_ids is None else set(rank_ids)
    secs = None if section_ids is None else {
        k for k, s in enumerate(layout.sections) if s.section_id in set(section_ids)}
    out = bytearray(available)
    r_of, s_of = layout.rank_ids, layout.section_of
    for i, a in enumerate(available):
        if a and ((ranks is not None and r_of[i] not in ranks) or (secs is not None and s_of[i] not in secs)):
            out[i] = 0
    return out


def _runs(layout: HallLayout, avail: bytearray, elig: bytearray) -> list[list[int]]:
    """Maximal eligible segments: [start, end, avail_start, avail_end] (end exclusive).

    avail_start/avail_end bound the run of *available* seats containing the segment, which is
    what decides whether a seat left over is an orphan.
    """
    runs: list[list[int]] = []
    brk = layout.break_before
    for row in layout.rows:
        i, end_row = row.first, row.first + row.count
        while i < end_row:
            if not avail[i]:
                i += 1
                continue
            a0 = i
            i += 1
            while i < end_row and avail[i] and not brk[i]:
                i += 1
            a1 = i
            if elig is avail:
                runs.append([a0, a1, a0, a1])
                continue
            j = a0
            while j < a1:
                if not elig[j]:
                    j += 1
                    continue
                s0 = j
                while j < a1 and elig[j]:
                    j += 1
                runs.append([s0, j, a0, a1])
    return runs


def best_available(layout: HallLayout, n: int, *, rank_ids: Collection[int] | None = None,
                   section_ids: Collection[int] | None = None, available: bytearray | None = None,
                   exclude: Iterable[int] = ()) -> BestAvailable:
    """Pick the ``n`` best seats (see the module docstring).

    ``available`` overrides the layout's availability (1 = free); ``exclude`` removes seats
    (e.g. ones already in the cart); ``rank_ids``/``section_ids`` restrict the choice.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    avail = layout.available if available is None else available
    exclude = list(exclude)
    if exclude:
        avail = bytearray(avail)
        for i in exclude:
            avail[i] = 0
    elig = _eligible(layout, avail, rank_ids, section_ids)
    runs = _runs(layout, avail, elig)
    if sum(r[1] - r[0] for r in runs) < n:
        return BestAvailable(n, Outcome.NOT_ENOUGH, ())
    order = rank_order(layout.price_levels, set(layout.rank_ids))
    rank_pos = [order[r] for r in layout.rank_ids] if len(order) > 1 else None

    xs, ys = layout.xs, layout.ys
    st = layout.stage
    axis = st.center[0]
    s_top, s_bottom = st.top, st.bottom

    arena = layout.mode == "arena"

    def position_score(s: int, e: int) -> float:
        cx = (xs[s] + xs[e]) * 0.5
        cy = (ys[s] + ys[e]) * 0.5
        if arena:   # the view of the stage: close and from the front (the stage faces +y)
            dx, dy = cx - axis, cy - s_bottom
            dist = math.hypot(dx, dy)
            cos = dy / dist if dist > 0 else 1.0
            return dist * (1.0 + ANGLE_WEIGHT * (1.0 - cos) ** 2)
        if cy > s_bottom:
            dy = cy - s_bottom
        elif cy < s_top:
            dy = s_top - cy
        else:
            dy = 0.0
        return abs(cx - axis) + DEPTH_WEIGHT * dy

    def best_in(size: int, anchor: tuple[float, float] | None):
        best_key, best_at = None, None
        for ri, (r0, r1, a0, a1) in enumerate(runs):
            if r1 - r0 < size:
                continue
            for s in range(r0, r1 - size + 1):
                e = s + size - 1
                orphan = (s - a0 == 1) or (a1 - e - 1 == 1)
                if best_key is not None and orphan and not best_key[0]:
                    continue
                rank = max(rank_pos[s:e + 1]) if rank_pos is not None else 0
                key: tuple[bool, float, float, int]   # (orphan, then two scores, start)
                if anchor is None:
                    key = (orphan, rank, position_score(s, e), s)
                else:
                    cx = (xs[s] + xs[e]) * 0.5
                    cy = (ys[s] + ys[e]) * 0.5
                    key = (orphan, math.hypot(cx - anchor[0], cy - anchor[1]), rank, s)
                if best_key is None or key < best_key:
                    best_key, best_at = key, (ri, s)
        return best_key, best_at

    key, at = best_in(n, None)
    if at is not None:
        s = at[1]
        return BestAvailable(n, Outcome.TOGETHER, (tuple(range(s, s + n)),), leaves_orphan=key[0])

    groups: list[tuple[int, ...]] = []
    orphan_any = False
    anchor = None
    remaining = n
    while remaining > 0:
        size = min(remaining, max(r[1] - r[0] for r in runs))
        key, (ri, s) = best_in(size, anchor)
        orphan_any = orphan_any or key[0]
        groups.append(tuple(range(s, s + size)))
        if anchor is None:
            e = s + size - 1
            anchor = ((xs[s] + xs[e]) * 0.5, (ys[s] + ys[e]) * 0.5)
        r0, r1, a0, a1 = runs.pop(ri)
        if s > r0:
            runs.append([r0, s, a0, s])
        if s + size < r1:
            runs.append([s + size, r1, s + size, a1])
        remaining -= size
    return BestAvailable(n, Outcome.SPLIT, tuple(groups), leaves_orphan=orphan_any)
