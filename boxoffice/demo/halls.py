"""Hall seat layouts: sections, rows and seats in physical order, with a preference score.

A layout is a set of flat arrays indexed by *seat index* (0..capacity-1). Seats of one row are
contiguous and stored in physical order (left to right as seen from the audience), so
"adjacent" means consecutive indexes inside one row. The preference score
(lower is better) drives best-available: better rank first, then front rows, then the centre.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Row:
    row_nr: int
    start: int  # first seat index
    length: int
    section: int  # index into HallLayout.sections


@dataclass
class Section:
    section_id: int
    name: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Rank:
    rank_id: int
    name: str


class HallLayout:
    """Seat arrays for one hall (built once, shared by all its performances)."""

    def __init__(self, ranks: list[Rank]) -> None:
        self.ranks = ranks
        self._rank_order = {r.rank_id: i for i, r in enumerate(ranks)}
        self.sections: list[Section] = []
        self.rows: list[Row] = []
        self.seat_nr: list[int] = []
        self.rank_id: list[int] = []
        self.row_of: list[int] = []  # index into self.rows
        self.score: list[int] = []
        self._prefix: list[int] | None = None
        self._by_score: list[int] | None = None

    @property
    def capacity(self) -> int:
        return len(self.seat_nr)

    def add_section(self, section_id: int, name: str) -> None:
        self.sections.append(Section(section_id, name))

    def add_row(self, row_nr: int, seat_numbers: list[int], rank_id: int, row_pref: int) -> None:
        """Append a row (seat numbers in physical order) to the last section."""
        sec_index = len(self.sections) - 1
        row = Row(row_nr, len(self.seat_nr), len(seat_numbers), sec_index)
        self.sections[-1].rows.append(row)
        row_index = len(self.rows)
        self.rows.append(row)
        centre = (len(seat_numbers) - 1) / 2
        base = self._rank_order[rank_id] * 100_000 + row_pref * 100
        for pos, nr in enumerate(seat_numbers):
            self.seat_nr.append(nr)
            self.rank_id.append(rank_id)
            self.row_of.append(row_index)
            self.score.append(base + int(abs(pos - centre) * 2))

    # --- derived, built lazily ------------------------------------------------------------------
    def prefix(self) -> list[int]:
        if self._prefix is None:
            acc = [0]
            total = 0
            for s in self.score:
                total += s
                acc.append(total)
            self._prefix = acc
        return self._prefix

    def by_score(self) -> list[int]:
        if self._by_score is None:
            self._by_score = sorted(range(self.capacity), key=self.score.__getitem__)
        return self._by_score

    def row_nr_of(self, index: int) -> int:
        return self.rows[self.row_of[index]].row_nr

    def section_of(self, index: int) -> Section:
        return self.sections[self.rows[self.row_of[index]].section]

    def best_block(self, n: int, is_free: Callable[[int], bool], rank_id: int | None = None
                   ) -> list[int] | None:
        """Best window of ``n`` adjacent free seats (optionally one rank), or None."""
        prefix = self.prefix()
        rank_of = self.rank_id
        best: tuple[int, int] | None = None
        for row in self.rows:
            if row.length < n:
                continue
            i, end = row.start, row.start + row.length
            while i < end:
                if not is_free(i) or (rank_id is not None and rank_of[i] != rank_id):
                    i += 1
                    continue
                j = i
                while j < end and is_free(j) and (rank_id is None or rank_of[j] == rank_id):
                    j += 1
                for s in range(i, j - n + 1):
                    total = prefix[s + n] - prefix[s]
                    if best is None or total < best[0]:
                        best = (total, s)
                i = j
        if best is None:
            return None
        return list(range(best[1], best[1] + n))

    def best_scattered(self, n: int, is_free: Callable[[int], bool], rank_id: int | None = None
                       ) -> list[int] | None:
        out = []
        for i in self.by_score():
            if is_free(i) and (rank_id is None or self.rank_id[i] == rank_id):
                out.append(i)
                if len(out) == n:
                    return sorted(out)
        return None


def straight(n: int) -> list[int]:
    """Seat numbers 1..n left to right."""
    return list(range(1, n + 1))


def odd_even_from_centre(n: int) -> list[int]:
    """Physical order of a row numbered odd/even from the centre: ... 5 3 1 2 4 6 ..."""
    odds = list(range(1, n + 1, 2))
    evens = list(range(2, n + 1, 2))
    return list(reversed(odds)) + evens


def build_theatre(ranks: list[Rank]) -> HallLayout:
    """~900 seats: Parket (stalls), Balkon (odd/even from the centre), two side boxes."""
    r1, r2, r3 = (r.rank_id for r in ranks)
    h = HallLayout(ranks)
    h.add_section(1, "Parket")
    for row in range(1, 21):
        rank = r1 if row <= 10 else (r2 if row <= 16 else r3)
        h.add_row(row, straight(24 + (row - 1) // 2), rank, row)
    h.add_section(2, "Balkon")
    for row in range(1, 9):
        h.add_row(row, odd_even_from_centre(28 + 2 * row), r2 if row <= 3 else r3, 20 + row)
    h.add_section(3, "Loge links")
    for row in range(1, 4):
        h.add_row(row, straight(6), r1, 5 + row)
    h.add_section(4, "Loge rechts")
    for row in range(1, 4):
        h.add_row(row, straight(6), r1, 5 + row)
    return h


def build_studio(ranks: list[Rank]) -> HallLayout:
    """120 seats in one section: 10 rows of 12."""
    h = HallLayout(ranks)
    h.add_section(1, "Tribune")
    for row in range(1, 11):
        h.add_row(row, straight(12), ranks[0].rank_id, row)
    return h


def build_concert_hall(ranks: list[Rank]) -> HallLayout:
    """~2,000 seats: Parterre, Balkon, two side balconies and the Koorbalkon behind the stage."""
    r1, r2, r3, r4 = (r.rank_id for r in ranks)
    h = HallLayout(ranks)
    h.add_section(1, "Parterre")
    for row in range(1, 27):
        h.add_row(row, straight(36 + row // 3), r1 if row <= 14 else r2, row)
    h.add_section(2, "Balkon")
    for row in range(1, 11):
        h.add_row(row, straight(50 + (row % 2)), r2 if row <= 4 else r3, 26 + row)
    h.add_section(3, "Zijbalkon links")
    for row in range(1, 6):
        h.add_row(row, straight(25), r3, 30 + row)
    h.add_section(4, "Zijbalkon rechts")
    for row in range(1, 6):
        h.add_row(row, straight(25), r3, 30 + row)
    h.add_section(5, "Koorbalkon")
    for row in range(1, 9):
        h.add_row(row, straight(32), r4, 40 + row)
    return h


def build_arena(ranks: list[Rank]) -> HallLayout:
    """20,000 seats: 16 stands ("Vak 101".."Vak 116") of 25 rows x 50 seats."""
    r1, r2, r3 = (r.rank_id for r in ranks)
    h = HallLayout(ranks)
    for vak in range(16):
        h.add_section(101 + vak, f"Vak {101 + vak}")
        for row in range(1, 26):
            rank = r1 if row <= 8 else (r2 if row <= 17 else r3)
            h.add_row(row, straight(50), rank, row + (vak % 4) * 2)
    return h
