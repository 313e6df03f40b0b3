"""The details pane lists every price level of a performance: the arena's map has three price
categories, and each ticket type's price is shown for each of them (not only the first)."""
from __future__ import annotations

import pytest

from boxoffice.i18n import format_money


@pytest.mark.asyncio
async def test_arena_details_list_each_price_level(app_factory, wait, home):
    controller = app_factory()
    try:
        assert await controller.start()
        window = controller.window
        sim = controller.session.simulator
        await wait(lambda: window.browser.model.performance_count() > 0)
        if not window.details.isVisible():   # this narrow, the details give way (issue 12): open them
            window.browser.details_toggle.click()
        assert window.details.isVisible()
        hall = max((h for h in sim.catalog.halls.values() if not h.is_ga),
                   key=lambda h: h.layout().capacity)
        perf = next(p for p in sim.catalog.performances.values() if p.hall_id == hall.hall_id
                    and any(v.event_id == p.event_id for v in window.browser.visible_performances()))
        prod = sim.catalog.production_of(perf)
        levels = sorted({prod.rank_prices[r.rank_id] for r in hall.ranks}, reverse=True)
        assert len(levels) == 3
        assert window.browser.select_performance(perf.event_id)
        standard = prod.ticket_types[0]
        expected = " / ".join(format_money(standard.apply(a)) for a in levels)
        await wait(lambda: window.details.prices.rowCount() > 0
                   and window.details.prices.item(0, 1).text() == expected, timeout=5)
        assert window.details.prices_header.text() == "Ticket types"
        assert window.details.levels_label.text() == "3 price levels (best seats first)"
        assert window.details.levels_label.isVisible()

        # a hall with one price level: one price, no levels line
        single = next((p for p in window.browser.visible_performances()
                       if len({sim.catalog.production_of(sim.catalog.performances[p.event_id])
                               .rank_prices[r.rank_id]
                               for r in sim.catalog.hall_of(sim.catalog.performances[p.event_id]).ranks})
                       == 1), None)
        if single is not None:
            assert window.browser.select_performance(single.event_id)
            await wait(lambda: window.details.performance is single
                       and window.details.prices.rowCount() > 0
                       and " / " not in window.details.prices.item(0, 1).text(), timeout=5)
            assert not window.details.levels_label.isVisible()
    finally:
        await controller.shutdown()
