"""Best-available: rank, centre, front; no orphans when avoidable; splits; never a taken seat."""
from __future__ import annotations

import random

import pytest

from boxoffice.domain.best_available import Outcome, best_available
from boxoffice.domain.hall_file import parse_hall_file
from boxoffice.domain.layout import build_layout


def _row_nr(layout, i):
    return layout.rows[layout.row_of[i]].row_nr


def _nrs(layout, seats):
    return [layout.seat_nrs[i] for i in seats]


def _check_valid(layout, result, available=None):
    avail = layout.available if available is None else available
    seats = result.seats
    assert len(set(seats)) == len(seats)
    assert all(avail[i] for i in seats)
    for g in result.groups:
        assert len({layout.row_of[i] for i in g}) == 1
        assert list(g) == list(range(g[0], g[0] + len(g)))
        assert not any(layout.break_before[i] for i in g[1:])
    if result.outcome is not Outcome.NOT_ENOUGH:
        assert len(seats) == result.requested


def test_prefers_best_rank_even_further_back(builder, helpers):
    b = builder().price(1, "20").price(2, "40").price(2, "25")  # rank 2 is the best (40)
    b.section(1, "Zaal")
    for r in range(1, 6):
        b.row(r, helpers["straight"](12), rank=2 if r == 5 else 1)
    layout = build_layout(b.build())
    res = best_available(layout, 3)
    assert res.outcome is Outcome.TOGETHER and res.together
    assert {_row_nr(layout, i) for i in res.seats} == {5}
    assert {layout.rank_ids[i] for i in res.seats} == {2}
    # only rank 1 allowed → front row
    res = best_available(layout, 3, rank_ids=[1])
    assert {_row_nr(layout, i) for i in res.seats} == {1}


def test_rank_tie_goes_to_lower_rank_id(builder, helpers):
    b = builder().price(4, "30").price(2, "30")
    b.section(1, "Zaal")
    b.row(1, helpers["straight"](10), rank=4)
    b.row(2, helpers["straight"](10), rank=2)
    layout = build_layout(b.build())
    assert {_row_nr(layout, i) for i in best_available(layout, 2).seats} == {2}


def test_prefers_centre_then_front(builder, helpers):
    b = builder()
    b.section(1, "Zaal")
    for r in range(1, 6):
        b.row(r, helpers["straight"](20))
    layout = build_layout(b.build())
    res = best_available(layout, 2)
    assert _nrs(layout, res.seats) == [10, 11] and _row_nr(layout, res.seats[0]) == 1
    res = best_available(layout, 3)
    assert _nrs(layout, res.seats) == [9, 10, 11]  # as central as 3 seats in 20 can be (lower index on ties)
    # centre of row 1 taken: the centre of row 2 beats the side of row 1
    b = builder()
    b.section(1, "Zaal")
    b.row(1, helpers["straight"](20), taken=range(6, 16))
    b.row(2, helpers["straight"](20))
    layout = build_layout(b.build())
    res = best_available(layout, 2)
    assert _row_nr(layout, res.seats[0]) == 2 and _nrs(layout, res.seats) == [10, 11]


def test_no_orphan_when_avoidable(builder, helpers):
    # row 1: seats 2..5 free between taken 1 and 6; the central pair 3-4 would strand 2 and 5
    b = builder()
    b.section(1, "Zaal")
    b.row(1, helpers["straight"](6), taken={1, 6})
    layout = build_layout(b.build())
    res = best_available(layout, 2)
    assert _nrs(layout, res.seats) in ([2, 3], [4, 5]) and not res.leaves_orphan

    # a run of 3 in the best row: any pair strands a seat → take a row further back instead
    b = builder()
    b.section(1, "Zaal")
    b.row(1, helpers["straight"](9), taken={1, 2, 3, 7, 8, 9})
    b.row(2, helpers["straight"](9), taken={1, 2, 8, 9})
    layout = build_layout(b.build())
    res = best_available(layout, 2)
    assert _row_nr(layout, res.seats[0]) == 2 and not res.leaves_orphan
    assert _nrs(layout, res.seats) in ([3, 4], [6, 7])  # not the central 4-5 nor 5-6 (would strand 3 / 7)

    # row end and aisle count as boundaries too
    b = builder()
    b.section(1, "Zaal")
    b.row(1, helpers["straight"](8))
    layout = build_layout(b.build(), parse_hall_file({
        "format": "vdm-boxoffice-hall-layout", "version": 1,
        "sections": [{"sectionId": 1, "aisles": [{"afterSeat": 3}]}]}))
    res = best_available(layout, 4)  # seats 4..8 on the right of the aisle: 4-7 strands 8, 5-8 strands 4
    assert res.outcome is Outcome.TOGETHER
    assert _nrs(layout, res.seats) in ([4, 5, 6, 7], [5, 6, 7, 8]) and res.leaves_orphan

    # unavoidable: the only place strands a seat, and says so
    b = builder()
    b.section(1, "Zaal")
    b.row(1, helpers["straight"](5), taken={1, 5})
    layout = build_layout(b.build())
    res = best_available(layout, 2)
    assert res.outcome is Outcome.TOGETHER and res.leaves_orphan


def test_never_spans_a_gap_and_splits_when_no_block_fits(builder, helpers):
    b = builder()
    b.section(1, "Zaal")
    b.row(1, [1, 2, 3, 7, 8, 9])  # numbering gap: two runs of 3
    b.row(2, helpers["straight"](6), taken={3, 4})
    for r in range(3, 10):
        b.row(r, helpers["straight"](6), taken=range(1, 7))
    b.row(10, helpers["straight"](6), taken={1, 2, 5, 6})
    layout = build_layout(b.build())
    res = best_available(layout, 4)
    assert res.outcome is Outcome.SPLIT and not res.together
    _check_valid(layout, res)
    assert len(res.groups) == 2 and sorted(len(g) for g in res.groups) == [1, 3]
    assert {_row_nr(layout, i) for i in res.seats} <= {1, 2}  # nearby rows, not row 10
    # a block of 3 fits: together
    res3 = best_available(layout, 3)
    assert res3.outcome is Outcome.TOGETHER and _row_nr(layout, res3.seats[0]) == 1


def test_split_uses_as_few_groups_as_possible_and_stays_close(builder, helpers):
    b = builder()
    b.section(1, "Zaal")
    for r in range(1, 13):
        taken = set(range(1, 13))
        if r == 1:
            taken -= {5, 6}
        if r == 2:
            taken -= {6, 7}
        if r == 11:
            taken -= {2, 3, 4}
        if r == 12:
            taken -= {9}
        b.row(r, helpers["straight"](12), taken=taken)
    layout = build_layout(b.build())
    res = best_available(layout, 5)
    _check_valid(layout, res)
    assert res.outcome is Outcome.SPLIT and len(res.groups) == 2  # 3 (row 11) + 2 (row 12? no: nearest pair)
    assert [len(g) for g in res.groups] == [3, 2]
    rows = [_row_nr(layout, g[0]) for g in res.groups]
    assert rows[0] == 11 and rows[1] == 2  # the pair nearest to row 11 (row 2 is closer than row 1 is)


def test_not_enough_seats(builder, helpers):
    b = builder()
    b.section(1, "Zaal")
    b.row(1, helpers["straight"](4), taken={1, 2})
    layout = build_layout(b.build())
    res = best_available(layout, 3)
    assert res.outcome is Outcome.NOT_ENOUGH and res.groups == () and res.seats == ()
    with pytest.raises(ValueError):
        best_available(layout, 0)
    empty = build_layout(b.__class__().build())
    assert best_available(empty, 1).outcome is Outcome.NOT_ENOUGH


def test_exclude_override_and_section_filter(halls):
    layout = build_layout(halls["theatre"]())
    first = best_available(layout, 2)
    second = best_available(layout, 2, exclude=first.seats)
    assert not set(first.seats) & set(second.seats)
    avail = bytearray(layout.available)
    for i in first.seats:
        avail[i] = 0
    assert best_available(layout, 2, available=avail).seats == second.seats
    boxes = best_available(layout, 2, section_ids=[4])
    assert {layout.sections[layout.section_of[i]].name for i in boxes.seats} == {"Loge rechts"}


def _blocks_exist(layout, avail, n):
    for row in layout.rows:
        run = 0
        for i in range(row.first, row.first + row.count):
            if layout.break_before[i]:
                run = 0
            run = run + 1 if avail[i] else 0
            if run >= n:
                return True
    return False


@pytest.mark.parametrize("seed", range(12))
def test_random_halls_never_pick_taken_seats(halls, seed):
    rnd = random.Random(seed)
    layout = build_layout(halls[rnd.choice(["studio", "theatre", "concert"])]())
    fill = rnd.choice([0.3, 0.7, 0.9, 0.97])
    avail = bytearray(0 if rnd.random() < fill else 1 for _ in range(layout.seat_count))
    for n in (1, 2, 4, 7, 10):
        res = best_available(layout, n, available=avail)
        _check_valid(layout, res, avail)
        if sum(avail) < n:
            assert res.outcome is Outcome.NOT_ENOUGH
        elif _blocks_exist(layout, avail, n):
            assert res.outcome is Outcome.TOGETHER and len(res.groups) == 1
        else:
            assert res.outcome is Outcome.SPLIT and len(res.groups) >= 2
        if res.outcome is Outcome.TOGETHER and n > 1:
            assert avail.count(1) >= n
