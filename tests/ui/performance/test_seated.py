"""Opening a seated performance: its hall's seats on the map (with the shipped theatre layout),
the plan saved for offline use, seats chosen reach the cart side as a signal, live availability
after a cart change, F5, Esc and Alt+Left back to the browser with the selection kept."""
from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import pytest

from boxoffice.api import ApiKey, VdmClient, models
from boxoffice.api.retry import RetryPolicy
from boxoffice.domain.hall_file import hall_file_path
from boxoffice.domain.performance import PerformanceStatus


@pytest.mark.asyncio
async def test_seated_performance_shows_the_halls_seats_with_its_layout_file(
        app_factory, wait, home, open_performance):
    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        sim = controller.session.simulator
        perf = sim.catalog.find("theatre")
        assert hall_file_path(controller.profile.data_dir(home), 1).is_file()  # installed at start
        opened, loaded = [], []
        window.performance_panel.performanceOpened.connect(opened.append)
        window.performance_panel.planLoaded.connect(lambda eid, plan: loaded.append((eid, plan)))

        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "seated"
        assert opened == [perf.event_id]
        served = await controller.session.client.peppered.seating(perf.event_id)
        lay = panel.seating.view.layout_
        assert lay.event_id == perf.event_id and lay.hall_id == 1
        assert sorted(lay.seat_ids) == sorted(s.seat_id for _, _, s in served.seats())
        free = {s.seat_id for _, _, s in served.seats() if s.available}
        assert {lay.seat_ids[i] for i in range(lay.seat_count) if lay.available[i]} == free
        assert loaded and loaded[0][0] == perf.event_id
        # Header: name, date/time and hall, status.
        assert panel.header.title.text() == window.browser.selected_performance().name
        assert perf.start.strftime("%H:%M") in panel.header.when.text()
        assert "Grote Zaal" in panel.header.when.text()
        assert panel.header.badge.text() == "On sale"
        # The shipped theatre layout is applied: no problems, and Parket rows follow a curve.
        assert lay.hall_file_used and not lay.notes
        assert panel.hall_note == "" and panel.message_text == ""
        parket = next(s for s in lay.sections if s.name == "Parket")
        row = lay.rows[parket.first_row + 11]
        ys = [lay.ys[i] for i in range(row.first, row.first + row.count)]
        assert max(ys) - min(ys) > 0.5          # not a straight line
        # The plan was saved for offline use.
        assert controller.session.cache.load_seat_plan(perf.event_id) is not None
        # The map has the focus; not read-only. (No QApplication.processEvents() in these async
        # tests: re-entering the Qt loop from a qasync callback stalls qasync's timers.)
        assert panel.seating.view.hasFocus()
        assert not panel.seating.view.read_only

        # Choosing seats: Enter on the map → seatsChosen(event_id, seat ids) for the cart side.
        chosen = []
        panel.seatsChosen.connect(lambda eid, ids: chosen.append((eid, ids)))
        pick = [lay.seat_ids[i] for i in range(lay.seat_count) if lay.available[i]][:2]
        assert panel.seating.view.select_seats(pick) == pick
        QTest.keyClick(panel.seating.view, Qt.Key.Key_Return)
        assert chosen == [(perf.event_id, pick)]
        # The cart side marks them as in the cart.
        panel.set_in_cart(pick)
        assert panel.seating.view.state.in_cart == {lay.index_of(s) for s in pick}
        assert panel.seating.selected_seat_ids() == []

        # F5 refreshes the plan (not the event list) while the page is shown.
        before = panel.seating.last_refreshed
        window.refresh_action.trigger()
        await wait(lambda: panel.seating.last_refreshed != before)
        assert panel.seating.view.layout_ is lay      # updated in place, not rebuilt

        # Esc first drops a best-seats suggestion, then goes back; the selection in the list stays.
        panel.seating.best_count.setValue(2)
        assert panel.seating.suggest_best() is not None
        QTest.keyClick(panel.seating.view, Qt.Key.Key_Escape)
        assert panel.seating.view.state.suggestion is None
        assert window.stack.currentWidget() is panel
        QTest.keyClick(panel.seating.view, Qt.Key.Key_Escape)
        assert window.stack.currentWidget() is window.splitter
        assert window.browser.selected_performance().event_id == perf.event_id
        assert not panel.seating.refreshing            # no refreshes while hidden

        # Alt+Left goes back as well.
        controller.open_performance(window.browser.selected_performance())
        await wait(lambda: panel.mode == "seated")
        QTest.keyClick(panel.seating.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
        assert window.stack.currentWidget() is window.splitter
        assert window.browser.selected_performance().event_id == perf.event_id
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_refresh_plan_drops_a_seat_taken_at_another_counter(app_factory, wait, open_performance):
    controller = app_factory()
    try:
        assert await controller.start()
        sim = controller.session.simulator
        perf = sim.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "seated"
        view = panel.seating.view
        lay = view.layout_
        free = [i for i in range(lay.seat_count) if lay.available[i]]
        mine, other = free[0], free[1]
        view.select_seats([lay.seat_ids[mine], lay.seat_ids[other]])
        view.zoom_by(2.5)
        await asyncio.sleep(0.05)
        zoom = view.transform()
        taken_signals = []
        panel.seating.seatsTaken.connect(lambda ids, text: taken_signals.append(ids))

        # Another counter holds `other` through its own cart on the same (simulated) API.
        async with VdmClient(sim.base_url, sim.client_name, api_key=ApiKey(sim.api_key), timeout=5.0,
                             retry=RetryPolicy.never()) as client:
            plan = await client.peppered.seating(perf.event_id)
            level = next(pl for pl in plan.price_levels if pl.rank_id == lay.rank_ids[other])
            cart_id = await client.public.create_cart()
            await client.peppered.add_items(cart_id, [models.CartItemRequest(
                price_id=level.price_id, rank_id=level.rank_id, event_id=perf.event_id,
                seat_id=lay.seat_ids[other])])

        task = panel.refresh_plan()       # what the cart side calls after every cart change
        assert task is not None
        await task
        assert not lay.available[other]
        assert panel.seating.selected_seat_ids() == [lay.seat_ids[mine]]
        assert taken_signals == [[lay.seat_ids[other]]]
        row = lay.rows[lay.row_of[other]].row_nr
        assert panel.message_text == (f"{lay.section_name(other)} row {row} seat {lay.seat_nrs[other]} "
                                      "was just taken at another counter.")
        assert view.transform() == zoom and view.layout_ is lay
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_sold_out_and_not_on_sale_open_read_only(app_factory, wait, open_performance):
    controller = app_factory()
    try:
        assert await controller.start()
        sim = controller.session.simulator
        model = controller.window.browser.model
        for kind, reason in (("soldout", "This performance is sold out."),
                             ("nosal", "This performance is not on sale.")):
            perf = sim.catalog.find(kind)
            panel = await open_performance(controller, perf.event_id, wait)
            row = controller.window.browser.selected_performance()
            assert model.status_of(row) in (PerformanceStatus.SOLD_OUT, PerformanceStatus.NOT_ON_SALE)
            assert panel.mode == "seated"
            assert panel.seating.view.read_only
            assert panel.message_text == reason
            assert not panel.seating.add_button.isEnabled()
            assert panel.seating.view.select_seats(panel.seating.view.layout_.seat_ids[:3]) == []
            panel.back_requested.emit()
    finally:
        await controller.shutdown()
