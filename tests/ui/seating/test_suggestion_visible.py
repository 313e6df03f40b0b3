"""A best-seats suggestion can be seen at any zoom: at whole-hall zoom of a 20,000-seat hall the
suggested seats are marked with a vermillion outline of a minimum size on screen, drawn over the
seats (not hidden under them)."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication


def _vermillion(c) -> bool:    # palette.SUGGESTED #CC3311, not the orange rank colour #EE8866
    return c.red() > 170 and c.green() < 90 and c.blue() < 70


def test_suggestion_is_visible_at_whole_hall_zoom(qtbot, plans):
    from boxoffice.ui.seating import SeatingPanel
    from boxoffice.ui.seating import palette as P

    p = SeatingPanel()
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.set_plan(plans.make(extra_sections=16, seats_per_row=50, n_rows=25))
    p.show()
    qtbot.waitExposed(p)
    view = p.view
    view.fit_to_hall()
    QApplication.processEvents()
    assert view.seat_px() < P.CIRCLE_MIN_PX / 2          # whole hall: seats are dots
    p.best_count.setValue(2)
    p.suggest_best()
    sug = view.state.suggestion
    assert sug is not None
    view.fit_to_hall()                                    # still the whole hall
    QApplication.processEvents()
    img = view.viewport().grab().toImage()
    centre = view.seat_view_pos(sug.seats[0])
    near = 0
    for x in range(max(0, centre.x() - 30), min(img.width(), centre.x() + 31)):
        for y in range(max(0, centre.y() - 30), min(img.height(), centre.y() + 31)):
            if _vermillion(img.pixelColor(x, y)):
                near += 1
    assert near >= 60, near          # a mark of at least ~14 px across, not a speck
    # and nowhere else on the map
    far = sum(1 for x in range(0, img.width(), 2) for y in range(0, img.height(), 2)
              if _vermillion(img.pixelColor(x, y))
              and (abs(x - centre.x()) > 40 or abs(y - centre.y()) > 40))
    assert far == 0
