"""Cash at the counter: Pay is only possible when the cash received covers the amount due (or
when nothing was typed, the cashier taking the exact amount); a shortfall or a typo keeps Pay
disabled, with the shortfall in words."""
from __future__ import annotations

from decimal import Decimal

import pytest

from boxoffice.i18n import format_money
from boxoffice.services.sale import Phase
from tests.support.salehelpers import ga_tickets_to_checkout


@pytest.mark.asyncio
async def test_pay_is_disabled_while_the_cash_received_is_short(demo_app, wait, browser,
                                                                open_performance):
    controller = demo_app()
    try:
        assert await controller.start()
        sale = controller.sale
        area = sale.area
        await ga_tickets_to_checkout(controller, wait, open_performance, 2, "Cash")
        await wait(lambda: area.checkout.cash.isVisible())
        cash, pay = area.checkout.cash, area.checkout.pay_button
        due = sale.snapshot.amount_due
        assert due > Decimal("1")
        await wait(pay.isEnabled)                      # nothing typed yet: Pay is there

        short = due - Decimal("0.01")
        cash.set_tendered(short)
        assert cash.change_text == f"Still to pay: {format_money(Decimal('0.01'))}"
        assert not pay.isEnabled()
        pay.click()                                   # a click on the disabled button does nothing
        assert sale.snapshot.phase == Phase.OPEN and sale.snapshot.order is None

        cash.tendered.setText("twenty")               # not an amount: not payable either
        assert not pay.isEnabled()

        cash.set_tendered(due)                        # exact
        assert pay.isEnabled()
        cash.tendered.setText("1")                    # short again
        assert not pay.isEnabled()
        cash.set_tendered(due + Decimal("10"))
        assert pay.isEnabled() and cash.ready_to_pay
        cash.clear()                                  # nothing typed: the cashier's call
        assert pay.isEnabled()
    finally:
        await controller.shutdown()
