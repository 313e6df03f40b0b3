"""A best-seats suggestion never outlives what it was made for: a new count, another performance
or any change in availability drops it, so "Take these seats" can only take what is shown for the
count in the box."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from boxoffice.domain.best_available import Outcome
from boxoffice.domain.layout import build_layout


def _suggest(panel, n):
    panel.best_count.setValue(n)
    panel.best_button.click()
    sug = panel.view.state.suggestion
    assert sug is not None and len(sug.seats) == n
    assert not panel.take_button.isHidden()
    return sug


def test_typing_a_new_count_drops_the_old_suggestion(panel, qtbot):
    _suggest(panel, 6)
    box = panel.best_count
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, "4")
    QTest.keyClick(box, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert box.value() == 4
    sug = panel.view.state.suggestion
    # either no suggestion any more, or (Enter asking again) a new one for 4 seats
    assert sug is None or len(sug.seats) == 4
    if sug is None:
        assert panel.take_button.isHidden()
        assert not panel.message_text.startswith("Suggested:")
    panel.take_button.click()
    assert len(panel.selected_seat_ids()) in (0, 4)
    assert len(panel.selected_seat_ids()) != 6


def test_the_same_count_keeps_it_and_take_takes_exactly_that(panel):
    sug = _suggest(panel, 3)
    panel.best_count.setValue(3)          # no change: the suggestion stays
    assert panel.view.state.suggestion is sug
    panel.take_button.click()
    assert len(panel.selected_seat_ids()) == 3


def test_any_availability_change_drops_the_suggestion(panel, plans):
    sug = _suggest(panel, 2)
    lay = panel.view.layout_
    # another counter takes a seat far from the suggested ones (different row)
    row_of_sug = lay.row_of[sug.seats[0]]
    other = next(i for i in range(lay.seat_count)
                 if lay.available[i] and lay.row_of[i] != row_of_sug)
    panel.update_plan(plans.with_taken(plans.make(plans.SMALL_ROWS), {lay.seat_ids[other]}))
    assert panel.view.state.suggestion is None
    assert panel.take_button.isHidden()
    panel.take_button.click()
    assert panel.selected_seat_ids() == []


def test_a_refresh_without_changes_keeps_it(panel, plans):
    sug = _suggest(panel, 2)
    panel.update_plan(plans.make(plans.SMALL_ROWS))
    assert panel.view.state.suggestion is sug and not panel.take_button.isHidden()


def test_another_performance_drops_the_suggestion(panel, plans):
    _suggest(panel, 2)
    panel.set_plan(plans.make(plans.SMALL_ROWS, event_id=8))
    assert panel.view.state.suggestion is None and panel.take_button.isHidden()
    assert not panel.message_text.startswith("Suggested:")


def test_seats_put_in_the_cart_drop_the_suggestion(panel):
    sug = _suggest(panel, 2)
    lay = panel.view.layout_
    other = next(i for i in range(lay.seat_count) if lay.available[i] and i not in sug.seats)
    panel.set_in_cart([lay.seat_ids[other]])
    assert panel.view.state.suggestion is None and panel.take_button.isHidden()


def test_state_refuses_a_suggestion_made_for_another_count(plans):
    from boxoffice.ui.seating.state import SeatMapState

    st = SeatMapState(build_layout(plans.make(plans.SMALL_ROWS)))
    assert st.suggest(6).outcome is Outcome.TOGETHER
    assert st.suggestion_count == 6
    assert st.confirm_suggestion(count=4) == [] and st.selected == set()
    assert st.suggestion is None
