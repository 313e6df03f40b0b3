"""Hit testing, rectangle queries and keyboard neighbour navigation on a HallLayout."""
from __future__ import annotations

import random

from boxoffice.domain.hall_file import parse_hall_file
from boxoffice.domain.layout import build_layout


def _section(layout, name):
    return next(s for s in layout.sections if s.name == name)


def test_seat_at_hits_each_seat_and_misses_gaps(halls):
    layout = build_layout(halls["theatre"]())
    for i in range(0, layout.seat_count, 7):
        x, y = layout.xs[i], layout.ys[i]
        assert layout.seat_at(x, y) == i
        assert layout.seat_at(x + 0.3, y - 0.2) == i
    row = layout.rows[0]
    between_rows = (layout.xs[row.first], layout.ys[row.first] + 0.55)
    assert layout.seat_at(*between_rows) is None
    assert layout.seat_at(layout.xs[row.first] + 0.5, layout.ys[row.first]) is None  # exactly between seats? no: 0.5 > 0.4
    assert layout.seat_at(layout.bounds.right + 5, 0) is None
    assert layout.seat_at(*layout.stage.center) is None


def test_rect_queries_match_brute_force(halls):
    layout = build_layout(halls["concert"]())
    rnd = random.Random(4)
    b = layout.bounds
    for _ in range(60):
        x0, x1 = sorted(rnd.uniform(b.left - 5, b.right + 5) for _ in range(2))
        y0, y1 = sorted(rnd.uniform(b.top - 5, b.bottom + 5) for _ in range(2))
        expected = [i for i in range(layout.seat_count)
                    if x0 <= layout.xs[i] <= x1 and y0 <= layout.ys[i] <= y1]
        assert layout.seats_in_rect(x0, y0, x1, y1) == expected
        assert layout.seats_in_rect(x1, y1, x0, y0) == expected  # corners in any order
        touching = [i for i in range(layout.seat_count)
                    if x0 - 0.4 <= layout.xs[i] <= x1 + 0.4 and y0 - 0.4 <= layout.ys[i] <= y1 + 0.4]
        assert layout.seats_in_rect(x0, y0, x1, y1, touching=True) == touching
    assert layout.seats_in_rect(b.left, b.top, b.right, b.bottom) == list(range(layout.seat_count))


def test_neighbours_within_row_and_between_rows(halls):
    layout = build_layout(halls["theatre"]())
    parket = _section(layout, "Parket")
    r1, r2 = layout.rows[parket.first_row], layout.rows[parket.first_row + 1]
    mid = r1.first + 10
    assert layout.neighbour(mid, "right") == mid + 1
    assert layout.neighbour(mid, "left") == mid - 1
    down = layout.neighbour(mid, "down")
    assert layout.row_of[down] == parket.first_row + 1
    assert abs(layout.xs[down] - layout.xs[mid]) <= 0.5
    assert layout.neighbour(down, "up") == mid
    # front row, up: nothing in front of the stalls (the stage is not a seat)
    assert layout.neighbour(mid, "up") is None
    # right end of row 1 → across to the right box; left end → the left box
    assert layout.sections[layout.section_of[layout.neighbour(r1.first + r1.count - 1, "right")]].name == "Loge rechts"
    assert layout.sections[layout.section_of[layout.neighbour(r1.first, "left")]].name == "Loge links"
    # last stalls row, down → first balcony row
    last = layout.rows[parket.first_row + parket.row_count - 1]
    below = layout.neighbour(last.first + last.count // 2, "down")
    assert layout.sections[layout.section_of[below]].name == "Balkon"
    assert layout.rows[layout.row_of[below]].row_nr == 1
    # the last row of the lowest section has nothing below it
    balkon = _section(layout, "Balkon")
    bottom_row = layout.rows[balkon.first_row + balkon.row_count - 1]
    assert layout.neighbour(bottom_row.first + 3, "down") is None


def test_neighbours_follow_the_screen_in_rotated_sections(halls):
    plan = halls["studio"]()
    layout = build_layout(plan, parse_hall_file({"format": "vdm-boxoffice-hall-layout", "version": 1,
                                                  "sections": [{"sectionId": 1, "rotation": 90}]}))
    row = layout.rows[0]
    i = row.first + 4
    # rotated 90° clockwise: the row runs top→bottom, rows stack to the left
    assert layout.neighbour(i, "down") == i + 1
    assert layout.neighbour(i, "up") == i - 1
    left = layout.neighbour(i, "left")
    assert layout.row_of[left] == 1 and layout.seat_nrs[left] == layout.seat_nrs[i]
    assert layout.neighbour(i, "right") is None


def test_every_seat_reachable_in_each_direction_is_different(halls):
    layout = build_layout(halls["arena"]())
    rnd = random.Random(1)
    for i in rnd.sample(range(layout.seat_count), 200):
        for d, (dx, dy) in {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}.items():
            j = layout.neighbour(i, d)
            if j is not None:
                assert j != i
                vx, vy = layout.xs[j] - layout.xs[i], layout.ys[j] - layout.ys[i]
                assert vx * dx + vy * dy > 0, (i, d, j)
