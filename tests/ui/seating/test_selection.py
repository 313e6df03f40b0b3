"""A cashier selects seats on the map with the mouse and the keyboard."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip


def test_click_selects_and_click_again_unselects(panel, driver):
    view = panel.view
    driver.click("s1-1-5")
    assert view.selected_seat_ids() == ["s1-1-5"]
    assert panel.status_text == "Parket row 1: seat 5 \u00b7 1 seat selected, €30.00"
    assert view.focus_seat_id() == "s1-1-5"
    driver.click("s1-1-5")
    assert view.selected_seat_ids() == []
    assert panel.status_text == "0 seats selected, €0.00"


def test_shift_click_adds_and_ctrl_click_toggles(panel, driver):
    driver.click("s1-1-1")
    driver.click("s1-1-2", Qt.KeyboardModifier.ShiftModifier)
    driver.click("s1-1-2", Qt.KeyboardModifier.ShiftModifier)   # shift never removes
    assert panel.selected_seat_ids() == ["s1-1-1", "s1-1-2"]
    driver.click("s1-1-1", Qt.KeyboardModifier.ControlModifier)
    assert panel.selected_seat_ids() == ["s1-1-2"]


def test_an_unavailable_seat_cannot_be_selected(panel, driver):
    driver.click("s1-2-4")     # taken ('x')
    assert panel.selected_seat_ids() == []
    assert panel.message_text == "Parket, row 2, seat 4 is not available."
    driver.click("s1-2-4", Qt.KeyboardModifier.ShiftModifier)
    panel.view.select_seats(["s1-2-4"])
    assert panel.selected_seat_ids() == []


def test_a_rectangle_selects_the_free_seats_inside_it(panel, driver):
    view = panel.view
    a, b = driver.pos("s1-2-2"), driver.pos("s1-4-5")
    half = int(view.seat_px() * 0.3)
    driver.drag(a - QPoint(half, half), b + QPoint(half, half))
    expected = {f"s1-{r}-{k}" for r in (2, 3, 4) for k in range(2, 6)} - {"s1-2-4", "s1-4-2", "s1-4-5"}
    assert set(view.selected_seat_ids()) == expected
    assert panel.status_text == "9 seats selected, €250.00"   # rows 2-3: 7 × €30, row 4: 2 × €20
    # Ctrl+drag toggles the seats in the rectangle: the selected ones leave the selection
    driver.drag(driver.pos("s1-3-2") - QPoint(half, half), driver.pos("s1-3-3") + QPoint(half, half),
                Qt.KeyboardModifier.ControlModifier)
    assert set(view.selected_seat_ids()) == expected - {"s1-3-2", "s1-3-3"}


def test_keyboard_moves_the_focus_and_space_toggles(panel, driver):
    view = panel.view
    driver.click("s1-3-5")                       # focus there (and selected)
    driver.click("s1-3-5")                       # unselect again; focus stays
    driver.key(Qt.Key.Key_Right)
    assert view.focus_seat_id() == "s1-3-6"
    driver.key(Qt.Key.Key_Up)
    assert view.focus_seat_id() == "s1-2-6"
    driver.key(Qt.Key.Key_Left)
    driver.key(Qt.Key.Key_Left)
    assert view.focus_seat_id() == "s1-2-4"
    driver.key(Qt.Key.Key_Space)                 # taken: stays unselected, says why
    assert view.selected_seat_ids() == []
    assert "not available" in panel.message_text
    driver.key(Qt.Key.Key_Down)
    driver.key(Qt.Key.Key_Space)
    assert view.selected_seat_ids() == ["s1-3-4"]
    driver.key(Qt.Key.Key_Space)
    assert view.selected_seat_ids() == []


def test_first_arrow_focuses_a_free_seat_near_the_middle(panel, driver):
    driver.key(Qt.Key.Key_Down)
    fid = panel.view.focus_seat_id()
    assert fid is not None
    assert panel.view.layout_.available[driver.index(fid)]


def test_enter_emits_the_selection_for_the_cart(panel, driver, qtbot):
    driver.click("s1-5-3")
    driver.click("s1-5-4")
    with qtbot.waitSignal(panel.addToCartRequested, timeout=1000) as sig:
        driver.key(Qt.Key.Key_Return)
    assert sig.args == [["s1-5-3", "s1-5-4"]]


def test_enter_with_nothing_selected_asks_to_select_first(panel, driver, qtbot):
    with qtbot.assertNotEmitted(panel.addToCartRequested):
        driver.key(Qt.Key.Key_Return)
    assert panel.message_text == "Select seats first."


def test_seats_in_the_cart_are_marked_and_leave_the_selection(panel, driver):
    driver.click("s1-1-1")
    driver.click("s1-1-2")
    panel.set_in_cart(["s1-1-2"])
    assert panel.selected_seat_ids() == ["s1-1-1"]
    driver.click("s1-1-2")
    assert panel.selected_seat_ids() == ["s1-1-1"]
    assert panel.message_text == "This seat is already in the cart."


def test_status_line_uses_the_owner_price_resolver(qtbot, small_plan):
    from boxoffice.ui.seating import SeatingPanel

    p = SeatingPanel(price_resolver=lambda seat_id, rank: Decimal("12.50") if rank == 1 else None)
    qtbot.addWidget(p)
    p.resize(900, 600)
    p.set_plan(small_plan)
    p.view.select_seats(["s1-1-1", "s1-1-2", "s1-5-1"])   # two rank 1 (resolved), one rank 2 (full price)
    assert p.status_text == "Parket row 1: seats 1, 2; Parket row 5: seat 1 \u00b7 3 seats selected, €45.00"


def test_tooltip_names_section_row_seat_rank_and_price(panel, driver):
    view = panel.view
    pos = driver.pos("s1-4-7")
    ev = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    view.viewportEvent(ev)
    assert QToolTip.text() == "Parket, row 4, seat 7\nRang 2 · €20.00"
    assert view.tooltip_text(driver.index("s1-4-1")) == "Parket, row 4, seat 1\nRang 2 · €20.00\nNot available"


def test_read_only_map_selects_nothing_and_says_why(panel, driver):
    driver.click("s1-1-1")
    panel.set_read_only(True, "Offline: seats cannot be sold right now.")
    assert panel.selected_seat_ids() == []
    driver.click("s1-1-3")
    driver.key(Qt.Key.Key_Space)
    assert panel.selected_seat_ids() == []
    assert panel.message_text == "Offline: seats cannot be sold right now."
    assert panel.view.tooltip_text(driver.index("s1-1-3")).endswith("Offline: seats cannot be sold right now.")
    assert not panel.best_button.isEnabled() and not panel.add_button.isEnabled()
    panel.set_read_only(False)
    driver.click("s1-1-3")
    assert panel.selected_seat_ids() == ["s1-1-3"]
