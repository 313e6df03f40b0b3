"""Hall layout geometry: seat-unit constants, ``Rect``, rotation and overlap tests of turned
footprints (quads). Pure Python; see docs/hall-layout.md for the coordinate system."""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

SEAT_PITCH = 1.0
ROW_PITCH = 1.1
SEAT_SIZE = 0.8
ROW_LABEL_OFFSET = 1.1
SECTION_PAD = 1.6
SECTION_GAP = 1.0
BALCONY_GAP = 2.0
STAGE_GAP = 1.0
STAGE_DEPTH = 5.0
MIN_STAGE_WIDTH = 8.0
SECTION_LABEL_SPACE = 1.4
ARENA_MIN_SECTIONS = 8
MIN_CURVE_RADIUS = 2.0
GRID_CELL = 2.0
ARENA_ASPECT = 1.15        # inner oval: height / width (stage at the top end)
ARENA_FLOOR_MARGIN = 2.0   # floor content keeps this far inside the oval
ARENA_STAGE_WIDTH = 0.35   # without a floor section: stage width / oval width
ARENA_STAGE_DEPTH = 0.08   # ... and stage depth / oval height
ARENA_GROWTH = 1.02        # the oval grows by this factor until the ring fits without overlaps



@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x

    @property
    def top(self) -> float:
        return self.y

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def intersects(self, other: Rect) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom

    def adjusted(self, d: float) -> Rect:
        return Rect(self.x - d, self.y - d, self.width + 2 * d, self.height + 2 * d)

    @staticmethod
    def union(rects: Iterable[Rect]) -> Rect | None:
        rects = list(rects)
        if not rects:
            return None
        left = min(r.left for r in rects)
        top = min(r.top for r in rects)
        return Rect(left, top, max(r.right for r in rects) - left, max(r.bottom for r in rects) - top)


def _id_order(value: Any) -> tuple[int, int, str]:
    """A sort key for ids that may be ints or texts (ints first, by value)."""
    if isinstance(value, int):
        return (0, value, "")
    return (1, 0, str(value))


def _cos_sin(degrees: float) -> tuple[float, float]:
    quarter = degrees % 360.0
    exact = {0.0: (1.0, 0.0), 90.0: (0.0, 1.0), 180.0: (-1.0, 0.0), 270.0: (0.0, -1.0)}
    if quarter in exact:
        return exact[quarter]
    rad = math.radians(degrees)
    return math.cos(rad), math.sin(rad)


def _transform(points: Iterable[tuple[float, float]], rotation: float,
               origin: tuple[float, float]) -> list[tuple[float, float]]:
    c, s = _cos_sin(rotation)
    ox, oy = origin
    return [(ox + x * c - y * s, oy + x * s + y * c) for x, y in points]


def _rect_quad(r: Rect) -> list[tuple[float, float]]:
    return [(r.left, r.top), (r.right, r.top), (r.right, r.bottom), (r.left, r.bottom)]


def quads_overlap(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> bool:
    """Whether two convex quadrilaterals (corners in order) overlap with a positive area
    (separating-axis test; touching edges do not count)."""
    for poly in (a, b):
        for k in range(len(poly)):
            x0, y0 = poly[k]
            x1, y1 = poly[(k + 1) % len(poly)]
            nx, ny = y0 - y1, x1 - x0
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            eps = 1e-9 * (abs(nx) + abs(ny))
            if max(pa) <= min(pb) + eps or max(pb) <= min(pa) + eps:
                return False
    return True


def _quad_bbox(p: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of a polygon's corners."""
    xs = [x for x, _ in p]
    ys = [y for _, y in p]
    return min(xs), min(ys), max(xs), max(ys)


def _bboxes_near(p: tuple[float, float, float, float], q: tuple[float, float, float, float]) -> bool:
    """``_near`` on precomputed ``_quad_bbox``es: whether the two bounding boxes meet."""
    return not (p[2] < q[0] or q[2] < p[0] or p[3] < q[1] or q[3] < p[1])


def _near(p: Sequence[tuple[float, float]], q: Sequence[tuple[float, float]]) -> bool:
    return not (max(x for x, _ in p) < min(x for x, _ in q) or max(x for x, _ in q) < min(x for x, _ in p)
                or max(y for _, y in p) < min(y for _, y in q) or max(y for _, y in q) < min(y for _, y in p))
