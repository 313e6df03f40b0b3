"""Fixtures for the seat-map tests: offscreen Qt, small hand-made plans, a shown SeatingPanel and
helpers that click/drag/press on the map's viewport at real seat positions.

Composes with tests/ui/conftest.py (offscreen platform, qasync loop for async tests, English)."""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

from decimal import Decimal

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import pytest

from boxoffice.domain.seatplan import PlanInput, PlanPriceLevel, PlanRow, PlanSeat, PlanSection


def make_plan(rows: dict[int, str] | None = None, *, section: str = "Parket", section_id: int = 1,
              rank_of_row=None, event_id: int = 7, extra_sections: int = 0, seats_per_row: int = 0,
              n_rows: int = 0) -> PlanInput:
    """A plan from strings per row: '.' free, 'x' taken; seats numbered 1..n left to right.

    ``rank_of_row(row_nr) -> rankId`` (default: rows 1-3 rank 1, the rest rank 2).
    ``extra_sections``/``seats_per_row``/``n_rows`` add big all-free sections (for big halls).
    """
    rank_of_row = rank_of_row or (lambda r: 1 if r <= 3 else 2)
    rows = rows or {}
    sections = []

    def section_of(sid, name, spec):
        out = []
        for row_nr, pattern in sorted(spec.items()):
            seats = tuple(PlanSeat(seat_id=f"s{sid}-{row_nr}-{k + 1}", seat_nr=k + 1,
                                   rank_id=rank_of_row(row_nr), available=(ch == "."))
                          for k, ch in enumerate(pattern))
            out.append(PlanRow(row_nr, seats))
        return PlanSection(sid, name, tuple(out))

    if rows:
        sections.append(section_of(section_id, section, rows))
    for k in range(extra_sections):
        sections.append(section_of(100 + k, f"Vak {100 + k}",
                                   {r: "." * seats_per_row for r in range(1, n_rows + 1)}))
    levels = (PlanPriceLevel("p1", 1, "Rang 1", Decimal("30.00")),
              PlanPriceLevel("p1c", 1, "CJP", Decimal("25.00")),
              PlanPriceLevel("p2", 2, "Rang 2", Decimal("20.00")))
    return PlanInput(tuple(sections), levels, hall_id=1, event_id=event_id)


def with_taken(plan: PlanInput, taken: set[str]) -> PlanInput:
    """The same plan with these seat ids unavailable."""
    secs = []
    for sec in plan.sections:
        rows = []
        for row in sec.rows:
            rows.append(PlanRow(row.row_nr, tuple(
                PlanSeat(s.seat_id, s.seat_nr, s.rank_id, s.available and s.seat_id not in taken)
                for s in row.seats)))
        secs.append(PlanSection(sec.section_id, sec.name, tuple(rows)))
    return PlanInput(tuple(secs), plan.price_levels, plan.hall_id, plan.event_id)


SMALL_ROWS = {
    1: "..........",
    2: "...x......",
    3: "..........",
    4: "xx..x....x",
    5: "..........",
}


@pytest.fixture
def small_plan() -> PlanInput:
    return make_plan(SMALL_ROWS)


@pytest.fixture
def panel(qtbot, small_plan):
    from boxoffice.ui.seating import SeatingPanel

    p = SeatingPanel()
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.set_plan(small_plan)
    p.show()
    qtbot.waitExposed(p)
    return p


class MapDriver:
    """Mouse and keyboard on the map's viewport, aimed at seats by id."""

    def __init__(self, view) -> None:
        self.view = view

    def index(self, seat_id: str) -> int:
        i = self.view.layout_.index_of(seat_id)
        assert i is not None, seat_id
        return i

    def pos(self, seat_id: str) -> QPoint:
        return self.view.seat_view_pos(self.index(seat_id))

    def click(self, seat_id: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        QTest.mouseClick(self.view.viewport(), Qt.MouseButton.LeftButton, modifier, self.pos(seat_id))

    def _send(self, kind, pos: QPoint, button, buttons, mods) -> None:
        vp = self.view.viewport()
        ev = QMouseEvent(kind, QPointF(pos), QPointF(vp.mapToGlobal(pos)), button, buttons, mods)
        QApplication.sendEvent(vp, ev)

    def drag(self, a: QPoint, b: QPoint, mods=Qt.KeyboardModifier.NoModifier,
             button=Qt.MouseButton.LeftButton) -> None:
        self._send(QEvent.Type.MouseButtonPress, a, button, button, mods)
        mid = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
        self._send(QEvent.Type.MouseMove, mid, Qt.MouseButton.NoButton, button, mods)
        self._send(QEvent.Type.MouseMove, b, Qt.MouseButton.NoButton, button, mods)
        self._send(QEvent.Type.MouseButtonRelease, b, button, Qt.MouseButton.NoButton, mods)

    def key(self, key, mods=Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(self.view, key, mods)


@pytest.fixture
def driver(panel) -> MapDriver:
    panel.view.setFocus()
    return MapDriver(panel.view)


@pytest.fixture
def plans():
    """The plan helpers (importlib mode: tests take them from a fixture, not an import)."""
    return type("Plans", (), {"make": staticmethod(make_plan), "with_taken": staticmethod(with_taken),
                              "SMALL_ROWS": SMALL_ROWS})
