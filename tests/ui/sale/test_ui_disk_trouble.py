"""Issue 13, disk trouble without loss, in the real window: the disk fills up in the middle of the
evening with seats in the cart. "Pay" is refused before any order (so before any money), the
cashier reads in plain words why and what to do, the cart stays as it was and browsing goes on;
once space is freed, "Pay" works without a restart. The full disk is SQLite's own on the real
journal file (``tests/support/disk.py``)."""
from __future__ import annotations

import pytest

from boxoffice.services.sale import Phase
from boxoffice.store.journal import SaleState
from tests.support.disk import fill_journal, room_again
from tests.support.salehelpers import api_posts, checkout_with, running, seats_in_cart

TEXTS = {
    "en": ("the disk is full", "No payment was started", "Free space on the disk"),
    "nl": ("de schijf is vol", "Er is geen betaling gestart", "Maak ruimte vrij op de schijf"),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_a_full_disk_refuses_pay_keeps_the_cart_and_selling_resumes(demo_app, wait, browser,
                                                                          open_performance, lang):
    from boxoffice import i18n

    i18n.set_language(lang)
    try:
        async with running(demo_app()) as (controller, sale, area, sim):
            perf, seats = await seats_in_cart(controller, wait, open_performance, n=2)
            await checkout_with(controller, wait, "Credit card")
            journal = sale.journal
            fill_journal(journal)                       # the disk is full from here on
            sim.clear_requests()

            area.checkout.pay_button.click()
            await wait(lambda: area.message.isVisible() and TEXTS[lang][0] in area.message.text)
            for words in TEXTS[lang]:
                assert words in area.message.text
            for technical in ("SQLITE", "sqlite", "database", "Journal", "journal"):
                assert technical not in area.message.text
            assert area.message.property("severity") == "error"
            assert api_posts(sim, "/order/create") == []         # no order: no payment
            assert browser.opened == []                           # no payment page either
            assert sale.snapshot.phase == Phase.OPEN
            assert sorted(area.cart.line_ids()) == sorted(seats)  # the cart is not lost
            assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"held"}
            assert controller.window.browser.proxy.rowCount() > 0  # browsing goes on
            assert journal.get(sale.snapshot.sale_id).state == SaleState.LINES_ADDED

            room_again(journal)                        # space freed: "Pay" again, no restart
            await wait(area.checkout.pay_button.isEnabled)
            area.checkout.pay_button.click()
            await wait(lambda: sale.snapshot.phase == Phase.WAITING)
            assert len(api_posts(sim, "/order/create")) == 1
            assert journal.get(sale.snapshot.sale_id).state == SaleState.ORDER_CREATED
    finally:
        i18n.set_language("en")
