"""Payment methods and surcharges are read again with the event list: a fee the venue changes is
what the checkout shows after the next refresh, without reopening anything (issue 15, item 14)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.support.salehelpers import running


@pytest.mark.asyncio
async def test_an_event_list_refresh_reads_the_payment_fees_again(demo_app, wait):
    async with running(demo_app()) as (controller, sale, area, sim):
        await wait(lambda: sale.methods is not None)
        card = next(m for m in sale.methods if m.name == "Credit card")
        assert card.surcharge == Decimal("1.50")
        sim.state.set_payment_fee(card.method_id, "2.25")
        await controller.session.catalog.refresh_events()
        await wait(lambda: next(m for m in sale.methods if m.name == "Credit card").surcharge
                   == Decimal("2.25"))
