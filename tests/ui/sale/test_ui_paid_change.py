"""The change due stays on the Paid screen until the next sale (issue 16, item 16): the cashier
counts the change out after the payment is confirmed, so it must not vanish with the waiting page."""
from __future__ import annotations

from decimal import Decimal

import pytest

from boxoffice.i18n import format_money
from boxoffice.services.sale import Phase
from tests.support.salehelpers import ga_tickets_to_checkout, method_button, running


@pytest.mark.asyncio
async def test_the_change_stays_on_the_paid_screen_until_the_next_sale(demo_app, wait, browser,
                                                                       open_performance):
    async with running(demo_app(auto_pay_after=0.3)) as (controller, sale, area, sim):
        await ga_tickets_to_checkout(controller, wait, open_performance, 2, "Cash")
        due = sale.snapshot.amount_due
        area.checkout.cash.tendered.setText("100")
        change = f"Change: {format_money(Decimal('100') - due)}"
        await wait(area.checkout.pay_button.isEnabled)
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        conf = area.confirmation
        assert area.page == "confirmation"
        assert conf.change_label.isVisibleTo(conf) and conf.change_label.text() == change
        # later renders (the countdown, a message) keep it
        sale._render()
        assert conf.change_label.isVisibleTo(conf) and conf.change_label.text() == change
        # the next sale starts without it
        sale.new_sale_action.trigger()
        await wait(lambda: sale.snapshot.phase == Phase.OPEN)
        assert not conf.change_label.isVisibleTo(conf) or not conf.change_label.text()


@pytest.mark.asyncio
async def test_a_card_payment_shows_no_change(demo_app, wait, browser, open_performance):
    async with running(demo_app(auto_pay_after=0.3)) as (controller, sale, area, sim):
        await ga_tickets_to_checkout(controller, wait, open_performance, 1, "Cash")
        area.checkout.cash.tendered.setText("100")     # typed, then another method chosen
        method_button(controller, "Credit card").click()
        await wait(area.checkout.pay_button.isEnabled)
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        conf = area.confirmation
        assert not conf.change_label.isVisibleTo(conf)
