"""Per-hall layout files: the optional JSON a venue writes to place its sections by hand.

Owns: the file format (version 1), its strict parsing/validation and loading. The app looks for
``<profile data folder>/layouts/hall-<hallId>.json`` (``hall_file_path``); the simulator ships one
for its theatre. A file that cannot be read or is invalid never crashes anything:
``load_hall_file`` returns the problem (``HallFileError``, with a translated ``message``) and the
caller falls back to the automatic layout.

Format (documented for venues in the README, "Hall layout files")::

    {
      "format": "vdm-boxoffice-hall-layout",
      "version": 1,
      "hallId": 1,                                   # optional; must match the hall if given
      "stage": {"x": -10, "y": -9, "width": 20, "height": 5, "label": "Podium"},   # optional
      "sections": [
        {"sectionId": 5,                             # or "sectionName": "Parket" (exactly one)
         "position": [0, 0],                         # optional: where the front row's centre goes
         "rotation": 0,                              # optional: degrees clockwise; 0 = faces up
         "curve": 30,                                # optional: 0..180, widest angle a row spans
         "aisles": [{"afterSeat": 10, "rows": [1, 2], "width": 1}]}   # rows/width optional
      ]
    }

Units are seat units (one seat pitch = 1; rows are 1.1 apart), y grows downwards, the stage is
normally above (smaller y than) the audience. Any field left out falls back to the automatic
layout for that section.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from boxoffice.i18n import N_, _

FORMAT_NAME = "vdm-boxoffice-hall-layout"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_COORDINATE = 100_000.0
MAX_AISLE_WIDTH = 50.0


class HallFileError(Exception):
    """An unreadable or invalid hall layout file. ``message`` is translated when read."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid.format(**params))
        self.msgid = msgid
        self.params = params

    @property
    def message(self) -> str:
        return _(self.msgid).format(**self.params)


@dataclass(frozen=True, slots=True)
class StageSpec:
    x: float
    y: float
    width: float
    height: float
    label: str | None = None


@dataclass(frozen=True, slots=True)
class AisleSpec:
    after_seat: int
    rows: frozenset[int] | None = None  # None = every row
    width: float = 1.0

    def applies_to(self, row_nr: int) -> bool:
        return self.rows is None or row_nr in self.rows


@dataclass(frozen=True, slots=True)
class SectionSpec:
    section_id: int | None = None
    section_name: str | None = None
    position: tuple[float, float] | None = None
    rotation: float | None = None
    curve: float | None = None
    aisles: tuple[AisleSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class HallFile:
    version: int = FORMAT_VERSION
    hall_id: int | None = None
    stage: StageSpec | None = None
    sections: tuple[SectionSpec, ...] = field(default_factory=tuple)

    def spec_for(self, section_id: int | str, name: str) -> SectionSpec | None:
        """The entry for a section: by id first, else by exact name (case-insensitive)."""
        for spec in self.sections:
            if spec.section_id is not None and spec.section_id == section_id:
                return spec
        low = name.strip().casefold()
        for spec in self.sections:
            if spec.section_name is not None and spec.section_name.strip().casefold() == low:
                return spec
        return None


@dataclass(frozen=True, slots=True)
class HallFileLoad:
    """Outcome of looking for a hall file: the file, or the reason it is not used, or neither."""

    hall_file: HallFile | None
    problem: HallFileError | None = None
    path: Path | None = None


def hall_file_path(data_dir: Path, hall_id: int | str) -> Path:
    """``layouts/hall-<id>.json``. Hall ids are opaque (issue 15): a text id is used as is when
    it is a safe file name part (letters, digits, ``-``, ``_``), else by its SHA-256 prefix."""
    if isinstance(hall_id, bool):
        raise ValueError("invalid hall id")
    if isinstance(hall_id, int):
        part = str(hall_id)
    else:
        text = str(hall_id).strip()
        if text.isascii() and text.isdigit():
            part = str(int(text))
        elif re.fullmatch(r"[A-Za-z0-9_-]{1,64}", text):
            part = text
        else:
            part = "x" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Path(data_dir) / "layouts" / f"hall-{part}.json"


# --- validation helpers -------------------------------------------------------------------------

def _check_keys(obj: Any, where: str, required: set[str], optional: set[str]) -> dict:
    if not isinstance(obj, dict):
        raise HallFileError(N_("{where}: expected an object"), where=where)
    unknown = sorted(set(obj) - required - optional)
    if unknown:
        raise HallFileError(N_("{where}: unknown field \"{name}\""), where=where, name=unknown[0])
    missing = sorted(required - set(obj))
    if missing:
        raise HallFileError(N_("{where}: missing field \"{name}\""), where=where, name=missing[0])
    return obj


def _number(value: Any, where: str, lo: float = -MAX_COORDINATE, hi: float = MAX_COORDINATE) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise HallFileError(N_("{where}: expected a number"), where=where)
    if not lo <= value <= hi:
        raise HallFileError(N_("{where}: {value} is outside {lo} to {hi}"), where=where,
                            value=value, lo=lo, hi=hi)
    return float(value)


def _integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise HallFileError(N_("{where}: expected a whole number"), where=where)
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise HallFileError(N_("{where}: expected a non-empty text"), where=where)
    return value


def _parse_stage(obj: Any) -> StageSpec:
    obj = _check_keys(obj, "stage", {"x", "y", "width", "height"}, {"label"})
    width = _number(obj["width"], "stage.width", 0.0, MAX_COORDINATE)
    height = _number(obj["height"], "stage.height", 0.0, MAX_COORDINATE)
    if width <= 0 or height <= 0:
        raise HallFileError(N_("{where}: the stage needs a positive width and height"), where="stage")
    label = obj.get("label")
    return StageSpec(
        x=_number(obj["x"], "stage.x"),
        y=_number(obj["y"], "stage.y"),
        width=width,
        height=height,
        label=None if label is None else _text(label, "stage.label"),
    )


def _parse_aisle(obj: Any, where: str) -> AisleSpec:
    obj = _check_keys(obj, where, {"afterSeat"}, {"rows", "width"})
    rows = obj.get("rows")
    if rows is not None:
        if not isinstance(rows, list) or not rows:
            raise HallFileError(N_("{where}: expected a non-empty list of row numbers"),
                                where=f"{where}.rows")
        rows = frozenset(_integer(r, f"{where}.rows[{i}]") for i, r in enumerate(rows))
    width = obj.get("width", 1.0)
    width = _number(width, f"{where}.width", 0.0, MAX_AISLE_WIDTH)
    if width <= 0:
        raise HallFileError(N_("{where}: {value} is outside {lo} to {hi}"), where=f"{where}.width",
                            value=width, lo=0, hi=MAX_AISLE_WIDTH)
    return AisleSpec(after_seat=_integer(obj["afterSeat"], f"{where}.afterSeat"), rows=rows, width=width)


def _parse_section(obj: Any, where: str) -> SectionSpec:
    obj = _check_keys(obj, where, set(),
                      {"sectionId", "sectionName", "position", "rotation", "curve", "aisles"})
    if ("sectionId" in obj) == ("sectionName" in obj):
        raise HallFileError(N_("{where}: give exactly one of \"sectionId\" and \"sectionName\""),
                            where=where)
    position = obj.get("position")
    if position is not None:
        if not isinstance(position, list) or len(position) != 2:
            raise HallFileError(N_("{where}: expected [x, y]"), where=f"{where}.position")
        position = (_number(position[0], f"{where}.position[0]"),
                    _number(position[1], f"{where}.position[1]"))
    rotation = obj.get("rotation")
    if rotation is not None:
        rotation = _number(rotation, f"{where}.rotation", -3600.0, 3600.0) % 360.0
    curve = obj.get("curve")
    if curve is not None:
        curve = _number(curve, f"{where}.curve", 0.0, 180.0)
    aisles = obj.get("aisles", [])
    if not isinstance(aisles, list):
        raise HallFileError(N_("{where}: expected a list"), where=f"{where}.aisles")
    return SectionSpec(
        section_id=None if "sectionId" not in obj else _integer(obj["sectionId"], f"{where}.sectionId"),
        section_name=None if "sectionName" not in obj else _text(obj["sectionName"], f"{where}.sectionName"),
        position=position,
        rotation=rotation,
        curve=curve,
        aisles=tuple(_parse_aisle(a, f"{where}.aisles[{i}]") for i, a in enumerate(aisles)),
    )


def parse_hall_file(data: Any) -> HallFile:
    """Validate decoded JSON and build a ``HallFile``; raises ``HallFileError``."""
    obj = _check_keys(data, "file", {"format", "version"}, {"hallId", "stage", "sections"})
    if obj["format"] != FORMAT_NAME:
        raise HallFileError(N_("not a hall layout file (\"format\" must be \"{expected}\")"),
                            expected=FORMAT_NAME)
    version = _integer(obj["version"], "version")
    if version > FORMAT_VERSION:
        raise HallFileError(N_("the file has format version {version}; this app reads up to {supported}"),
                            version=version, supported=FORMAT_VERSION)
    if version < 1:
        raise HallFileError(N_("{where}: expected a whole number"), where="version")
    hall_id = obj.get("hallId")
    if hall_id is not None:
        hall_id = _integer(hall_id, "hallId")
    stage = None if obj.get("stage") is None else _parse_stage(obj["stage"])
    raw_sections = obj.get("sections", [])
    if not isinstance(raw_sections, list):
        raise HallFileError(N_("{where}: expected a list"), where="sections")
    sections = tuple(_parse_section(s, f"sections[{i}]") for i, s in enumerate(raw_sections))
    seen: set[tuple[str, Any]] = set()
    for i, spec in enumerate(sections):
        key = ("id", spec.section_id) if spec.section_id is not None else (
            "name", (spec.section_name or "").strip().casefold())
        if key in seen:
            raise HallFileError(N_("{where}: this section is listed twice"), where=f"sections[{i}]")
        seen.add(key)
    return HallFile(version=version, hall_id=hall_id, stage=stage, sections=sections)


def loads_hall_file(text: str | bytes) -> HallFile:
    """Parse the text of a hall file; raises ``HallFileError`` (never anything else)."""
    if len(text) > MAX_FILE_BYTES:
        raise HallFileError(N_("the file is larger than {limit} bytes"), limit=MAX_FILE_BYTES)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HallFileError(N_("not valid JSON (line {line}, column {column})"),
                            line=exc.lineno, column=exc.colno) from None
    except (UnicodeDecodeError, RecursionError, ValueError):
        raise HallFileError(N_("not valid JSON")) from None
    try:
        return parse_hall_file(data)
    except RecursionError:
        raise HallFileError(N_("not valid JSON")) from None


def load_hall_file(path: Path, hall_id: int | None = None) -> HallFileLoad:
    """Read a hall file if it exists. Missing file → ``HallFileLoad(None)``; a bad one → the problem."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return HallFileLoad(None, None, path)
    except OSError as exc:
        return HallFileLoad(None, HallFileError(N_("cannot read the file ({reason})"),
                                                reason=exc.strerror or type(exc).__name__), path)
    try:
        hall_file = loads_hall_file(raw)
    except HallFileError as exc:
        return HallFileLoad(None, exc, path)
    if hall_id is not None and hall_file.hall_id is not None and hall_file.hall_id != hall_id:
        return HallFileLoad(None, HallFileError(N_("the file is for hall {found}, not hall {expected}"),
                                                found=hall_file.hall_id, expected=hall_id), path)
    return HallFileLoad(hall_file, None, path)


def dump_hall_file(hall_file: HallFile) -> dict:
    """The JSON-ready form of a ``HallFile`` (round-trips through ``parse_hall_file``)."""
    out: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    if hall_file.hall_id is not None:
        out["hallId"] = hall_file.hall_id
    if hall_file.stage is not None:
        st = hall_file.stage
        out["stage"] = {"x": st.x, "y": st.y, "width": st.width, "height": st.height}
        if st.label is not None:
            out["stage"]["label"] = st.label
    sections = []
    for spec in hall_file.sections:
        entry: dict[str, Any] = {}
        if spec.section_id is not None:
            entry["sectionId"] = spec.section_id
        else:
            entry["sectionName"] = spec.section_name
        if spec.position is not None:
            entry["position"] = [spec.position[0], spec.position[1]]
        if spec.rotation is not None:
            entry["rotation"] = spec.rotation
        if spec.curve is not None:
            entry["curve"] = spec.curve
        if spec.aisles:
            entry["aisles"] = []
            for a in spec.aisles:
                ad: dict[str, Any] = {"afterSeat": a.after_seat, "width": a.width}
                if a.rows is not None:
                    ad["rows"] = sorted(a.rows)
                entry["aisles"].append(ad)
        sections.append(entry)
    out["sections"] = sections
    return out
