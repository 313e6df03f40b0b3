"""Hall layout files: strict parsing, fallback with a reason, and their effect on the layout."""
from __future__ import annotations

import json
import math

import pytest

from boxoffice.domain.hall_file import (
    FORMAT_NAME,
    HallFileError,
    dump_hall_file,
    hall_file_path,
    load_hall_file,
    loads_hall_file,
    parse_hall_file,
)
from boxoffice.domain.layout import build_layout


def _file(**extra):
    data = {"format": FORMAT_NAME, "version": 1}
    data.update(extra)
    return data


def _section(layout, name):
    return next(s for s in layout.sections if s.name == name)


def _rows(layout, sec):
    return layout.rows[sec.first_row:sec.first_row + sec.row_count]


def test_position_and_rotation_are_applied(halls, overlaps):
    plan = halls["theatre"]()
    hf = parse_hall_file(_file(sections=[
        {"sectionId": 3, "position": [-40, 5], "rotation": 90},
        {"sectionName": "loge RECHTS", "position": [40, 5], "rotation": -90},
    ]))
    layout = build_layout(plan, hf)
    assert layout.hall_file_used and layout.notes == ()
    left, right = _section(layout, "Loge links"), _section(layout, "Loge rechts")
    assert left.origin == (-40.0, 5.0) and left.rotation == 90.0 and left.from_hall_file
    assert right.rotation == 270.0
    row1 = _rows(layout, left)[0]
    # rotated 90° clockwise: the row runs downwards; its centre is at the given position
    xs = layout.xs[row1.first:row1.first + row1.count]
    ys = layout.ys[row1.first:row1.first + row1.count]
    assert max(xs) - min(xs) < 1e-9 and list(ys) == sorted(ys)
    assert math.isclose(xs[0], -40.0) and math.isclose((ys[0] + ys[-1]) / 2, 5.0)
    # rows stack toward -x (behind the front row when the section faces right)
    row2 = _rows(layout, left)[1]
    assert layout.xs[row2.first] < layout.xs[row1.first]
    # sections without an entry keep the automatic layout
    auto = build_layout(plan)
    assert _section(layout, "Parket") == _section(auto, "Parket")
    assert overlaps(layout) == []


def test_curve_makes_concentric_arcs(halls, overlaps):
    plan = halls["studio"]()
    layout = build_layout(plan, parse_hall_file(_file(sections=[{"sectionId": 1, "curve": 60}])))
    sec = layout.sections[0]
    assert sec.curve == 60.0
    rows = _rows(layout, sec)
    # all seats of all rows lie on circles around one common centre straight above (toward the stage)
    r0 = rows[0]
    mid_y = (layout.ys[r0.first + 5] + layout.ys[r0.first + 6]) / 2
    assert layout.ys[r0.first] < mid_y  # row ends bend toward the stage
    # find the centre from the first row: on the axis x = 0
    xa, ya = layout.xs[r0.first], layout.ys[r0.first]
    xb, yb = layout.xs[r0.first + 5], layout.ys[r0.first + 5]
    cy = ((xa ** 2 + ya ** 2) - (xb ** 2 + yb ** 2)) / (2 * (ya - yb))
    for k, row in enumerate(rows):
        radii = [math.hypot(layout.xs[i], layout.ys[i] - cy) for i in range(row.first, row.first + row.count)]
        assert max(radii) - min(radii) < 1e-6
        if k:
            assert math.isclose(radii[0] - prev, 1.1, abs_tol=1e-6)
        prev = radii[0]
        # the widest angle spanned stays within the curve
        ang = [math.degrees(math.atan2(layout.xs[i], layout.ys[i] - cy)) for i in (row.first, row.first + row.count - 1)]
        assert abs(ang[0] - ang[1]) <= 60 + 1e-6
    assert overlaps(layout) == []
    # row labels follow the arc: beyond the end seats, 1.1 away
    for row in rows:
        lx, ly = row.left_label
        assert math.isclose(math.hypot(lx - layout.xs[row.first], ly - layout.ys[row.first]), 1.1)
        assert lx < layout.xs[row.first]


def test_aisles_split_given_rows_only(halls):
    plan = halls["studio"]()
    hf = parse_hall_file(_file(sections=[{"sectionId": 1, "aisles": [
        {"afterSeat": 6, "rows": [1, 2], "width": 1.5},
        {"afterSeat": 3},
    ]}]))
    layout = build_layout(plan, hf)
    rows = layout.rows
    for row in rows:
        steps = [round(layout.xs[i + 1] - layout.xs[i], 9) for i in range(row.first, row.first + row.count - 1)]
        expected = [1.0] * 11
        expected[2] = 2.0  # after seat 3, every row, width 1
        if row.row_nr in (1, 2):
            expected[5] = 2.5
        assert steps == expected, row.row_nr
        breaks = [layout.break_before[i] for i in range(row.first, row.first + row.count)]
        assert breaks[3] == 1 and breaks[6] == (1 if row.row_nr in (1, 2) else 0)
        centre = (layout.xs[row.first] + layout.xs[row.first + row.count - 1]) / 2
        assert abs(centre) < 1e-9 or row.row_nr in (1, 2)


def test_stage_from_file_and_round_trip(halls):
    data = _file(hallId=1, stage={"x": -6, "y": -20, "width": 12, "height": 4, "label": "Podium"},
                 sections=[{"sectionId": 1, "position": [0, 0], "rotation": 0, "curve": 10,
                            "aisles": [{"afterSeat": 2, "rows": [3], "width": 1}]}])
    hf = parse_hall_file(data)
    layout = build_layout(halls["studio"](), hf)
    assert (layout.stage.x, layout.stage.y, layout.stage.width, layout.stage.height) == (-6, -20, 12, 4)
    assert layout.stage_label == "Podium"
    assert parse_hall_file(json.loads(json.dumps(dump_hall_file(hf)))) == hf


def test_notes_for_unknown_sections_unused_aisles_and_overlaps(halls):
    hf = parse_hall_file(_file(sections=[
        {"sectionId": 99},
        {"sectionId": 1, "aisles": [{"afterSeat": 40}]},
        {"sectionId": 3, "position": [0, 0]},  # on top of the Parket
    ]))
    layout = build_layout(halls["theatre"](), hf)
    messages = [n.message for n in layout.notes]
    assert any("99" in m and "not in this seating plan" in m for m in messages)
    assert any("seat 40" in m for m in messages)
    assert any("overlap" in m and "Loge links" in m for m in messages)


@pytest.mark.parametrize("text, fragment", [
    ("{not json", "not valid JSON (line 1"),
    ("[]", "file: expected an object"),
    (json.dumps({"format": "other", "version": 1}), "not a hall layout file"),
    (json.dumps(_file(version=2)), "format version 2"),
    (json.dumps(_file(version="1")), "version: expected a whole number"),
    (json.dumps({"version": 1}), "missing field \"format\""),
    (json.dumps(_file(colour="red")), "unknown field \"colour\""),
    (json.dumps(_file(sections={})), "sections: expected a list"),
    (json.dumps(_file(sections=[{"sectionId": 1, "position": [1]}])), "sections[0].position: expected [x, y]"),
    (json.dumps(_file(sections=[{"sectionId": 1, "position": [1, "a"]}])), "sections[0].position[1]: expected a number"),
    (json.dumps(_file(sections=[{"sectionId": 1, "curve": 200}])), "sections[0].curve: 200 is outside"),
    (json.dumps(_file(sections=[{"sectionId": True}])), "sections[0].sectionId: expected a whole number"),
    (json.dumps(_file(sections=[{"sectionId": 1, "sectionName": "A"}])), "exactly one of"),
    (json.dumps(_file(sections=[{"rotation": 10}])), "exactly one of"),
    (json.dumps(_file(sections=[{"sectionId": 1}, {"sectionId": 1}])), "sections[1]: this section is listed twice"),
    (json.dumps(_file(sections=[{"sectionId": 1, "aisles": [{"afterSeat": 2, "rows": []}]}])),
     "sections[0].aisles[0].rows: expected a non-empty list"),
    (json.dumps(_file(sections=[{"sectionId": 1, "aisles": [{"afterSeat": 2, "width": 0}]}])),
     "sections[0].aisles[0].width"),
    (json.dumps(_file(sections=[{"sectionId": 1, "aisles": [{"after": 2}]}])), "unknown field \"after\""),
    (json.dumps(_file(stage={"x": 0, "y": 0, "width": -1, "height": 2})), "stage"),
    (json.dumps(_file(stage={"x": 0, "y": 0, "width": 1})), "missing field \"height\""),
    ('{"format": "vdm-boxoffice-hall-layout", "version": 1, "sections": [{"sectionId": 1, "rotation": NaN}]}',
     "sections[0].rotation: expected a number"),
    ("[" * 100_000, "not valid JSON"),
    (" " * 1_000_001, "larger than"),
])
def test_invalid_files_are_rejected_with_a_reason(text, fragment):
    with pytest.raises(HallFileError) as info:
        loads_hall_file(text)
    assert fragment in info.value.message


def test_load_falls_back_with_reason(tmp_path, halls):
    plan = halls["theatre"]()
    path = hall_file_path(tmp_path, 1)
    assert path == tmp_path / "layouts" / "hall-1.json"
    missing = load_hall_file(path, hall_id=1)
    assert missing.hall_file is None and missing.problem is None

    path.parent.mkdir()
    path.write_text(json.dumps(_file(sections=[{"sectionId": 1, "curve": "a lot"}])), encoding="utf-8")
    bad = load_hall_file(path, hall_id=1)
    assert bad.hall_file is None and "sections[0].curve: expected a number" in bad.problem.message
    fallback = build_layout(plan, bad.hall_file)
    assert not fallback.hall_file_used
    assert list(fallback.xs) == list(build_layout(plan).xs)

    path.write_bytes(b"\xff\xfe\x00garbage")
    assert "not valid JSON" in load_hall_file(path).problem.message

    path.write_text(json.dumps(_file(hallId=2)), encoding="utf-8")
    wrong = load_hall_file(path, hall_id=1)
    assert wrong.hall_file is None and "hall 2, not hall 1" in wrong.problem.message

    path.write_text(json.dumps(_file(hallId=1, sections=[{"sectionId": 1, "curve": 20}])), encoding="utf-8")
    good = load_hall_file(path, hall_id=1)
    assert good.problem is None and good.hall_file.sections[0].curve == 20.0

    directory = tmp_path / "layouts" / "hall-5.json"
    directory.mkdir()
    assert "cannot read the file" in load_hall_file(directory).problem.message
