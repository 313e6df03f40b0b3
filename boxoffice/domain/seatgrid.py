"""Uniform-grid spatial index over seat centres (hit testing and rectangle queries).

Owns: ``SeatGrid``. The plane is cut into square cells of ``cell`` units (at least the seat
diameter, so a point can only hit seats in its own cell or the 8 around it). Seats are stored
CSR-style: ``order`` holds seat indices sorted by cell and ``starts[c]..starts[c+1]`` is the
slice of cell ``c``. Building is O(n log n) in C-level loops (a count, a running sum and one stable
sort); a point query looks at 9 cells; a rectangle query touches only the cells the rectangle overlaps.
"""
from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate


class SeatGrid:
    __slots__ = ("xs", "ys", "cell", "x0", "y0", "cols", "rows", "starts", "order")

    def __init__(self, xs: Sequence[float], ys: Sequence[float], cell: float = 2.0) -> None:
        if cell <= 0:
            raise ValueError("cell size must be positive")
        self.xs = xs
        self.ys = ys
        self.cell = float(cell)
        n = len(xs)
        if n:
            self.x0 = min(xs)
            self.y0 = min(ys)
            self.cols = int((max(xs) - self.x0) // cell) + 1
            self.rows = int((max(ys) - self.y0) // cell) + 1
        else:
            self.x0 = self.y0 = 0.0
            self.cols = self.rows = 1
        cell, x0, y0, cols = self.cell, self.x0, self.y0, float(self.cols)
        # cell numbers as floats (exact integers): no per-seat int() call; the same ``//`` as the
        # queries use, so a seat and a query at the same coordinate always agree on the cell
        cell_of = [((y - y0) // cell) * cols + (x - x0) // cell for x, y in zip(xs, ys)]
        counts = array("l", [0]) * (self.cols * self.rows + 1)
        for c, k in Counter(cell_of).items():
            counts[int(c) + 1] = k
        self.starts = array("l", accumulate(counts))
        # stable sort: within a cell the seat indices stay ascending
        self.order = array("l", sorted(range(n), key=cell_of.__getitem__))

    def _cell_range(self, lo: float, hi: float, origin: float, limit: int) -> range:
        a = max(0, int((lo - origin) // self.cell))
        b = min(limit - 1, int((hi - origin) // self.cell))
        return range(a, b + 1)

    def nearest(self, x: float, y: float, radius: float) -> int | None:
        """Index of the seat whose centre is nearest to (x, y) and within ``radius``; None if none."""
        best, best_d2 = None, radius * radius
        xs, ys, order, starts, cols = self.xs, self.ys, self.order, self.starts, self.cols
        for cy in self._cell_range(y - radius, y + radius, self.y0, self.rows):
            for cx in self._cell_range(x - radius, x + radius, self.x0, self.cols):
                c = cy * cols + cx
                for k in range(starts[c], starts[c + 1]):
                    i = order[k]
                    d2 = (xs[i] - x) ** 2 + (ys[i] - y) ** 2
                    if d2 <= best_d2 and (best is None or d2 < best_d2 or i < best):
                        best, best_d2 = i, d2
        return best

    def in_rect(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        """Indices (ascending) of seats whose centre lies inside the closed rectangle."""
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        xs, ys, order, starts, cols = self.xs, self.ys, self.order, self.starts, self.cols
        out: list[int] = []
        for cy in self._cell_range(y0, y1, self.y0, self.rows):
            for cx in self._cell_range(x0, x1, self.x0, self.cols):
                c = cy * cols + cx
                for k in range(starts[c], starts[c + 1]):
                    i = order[k]
                    if x0 <= xs[i] <= x1 and y0 <= ys[i] <= y1:
                        out.append(i)
        out.sort()
        return out

    def within(self, x: float, y: float, radius: float) -> list[int]:
        """Indices of seats whose centre is within ``radius`` of (x, y)."""
        r2 = radius * radius
        xs, ys = self.xs, self.ys
        return [i for i in self.in_rect(x - radius, y - radius, x + radius, y + radius)
                if (xs[i] - x) ** 2 + (ys[i] - y) ** 2 <= r2]
