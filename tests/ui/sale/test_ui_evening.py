"""A cashier's evening (issue 16): the sale defects found at the counter, each reproduced first.

Real app controller on the demo simulator, offscreen Qt; only the system browser is replaced."""
from __future__ import annotations

import pytest

from boxoffice.services.sale import Phase
from tests.support.salehelpers import checkout_with, running, seats_in_cart


@pytest.mark.asyncio
async def test_the_hold_running_out_on_the_cash_screen_does_not_recurse(demo_app, wait, browser,
                                                                        open_performance):
    """Cash chosen, then the hold runs out: the amount due drops to zero. Setting the same due
    again must not announce a change (that re-rendered the checkout, which set the due again,
    until RecursionError)."""
    async with running(demo_app(hold_seconds=4)) as (controller, sale, area, sim):
        await seats_in_cart(controller, wait, open_performance, 2)
        await checkout_with(controller, wait, "Cash")
        await wait(lambda: len(sale.snapshot.released_lines) == 2, timeout=8)
        await wait(lambda: area.countdown.state == "expired")
        assert sale.snapshot.phase == Phase.OPEN and sale.snapshot.amount_due == 0
        assert area.checkout.cash.due == 0
        assert not area.checkout.pay_button.isEnabled()
        assert controller.reporter.reported == []
        # Re-add puts the seats back and the cash screen shows the new amount due
        area.message.action_button.click() if area.message.action_button.isVisible() else \
            area.cart.readd_button.click()
        await wait(lambda: len(sale.snapshot.held_lines) == 2)
        await wait(lambda: area.checkout.cash.due == sale.snapshot.amount_due > 0)
        assert controller.reporter.reported == []


@pytest.mark.asyncio
async def test_a_restart_reports_no_unfinished_sale_of_nothing(app_factory, simulator,
                                                                live_profile, wait, browser,
                                                                open_performance):
    """A performance was opened (its cart made ahead), nothing sold, the app closed: the next
    start shows no "unfinished sale" of 0 tickets and €0.00."""
    sim = simulator()
    live_profile(sim)
    perf = sim.catalog.find("theatre")
    async with running(app_factory()) as (controller, sale, area, _sim):
        await open_performance(controller, perf.event_id, wait)
        await wait(lambda: sale.snapshot.phase == Phase.OPEN and sale.snapshot.sale_id)
        journal_file = sale.journal.path
    async with running(app_factory()) as (controller, sale, area, _sim):
        assert not area.recovery.isVisible() and area.recovery.rows == {}
        assert [s for s in sale.journal.unfinished() if s.sale_id != sale.snapshot.sale_id] == []
        assert sale.journal.path == journal_file


@pytest.mark.asyncio
async def test_the_first_demo_sale_after_a_restart_is_not_refused(demo_app, wait, browser,
                                                                  open_performance):
    """Demo mode, a sale paid by PIN, the app restarted (a new built-in simulator): the first
    sale of the new run goes through (it was refused: "An order was already made from this
    cart"), and the demo's journal starts clean with its simulator (the old one kept aside)."""
    keys, carts = [], []
    for run in range(2):
        async with running(demo_app()) as (controller, sale, area, sim):
            if run == 1:
                assert not area.recovery.isVisible()
                assert {s.sale_id for s in sale.journal.all()} <= {sale.snapshot.sale_id}
                assert (sale.journal.path.parent / "sales.sqlite3.previous").exists()
            await seats_in_cart(controller, wait, open_performance, 2)
            await checkout_with(controller, wait, "PIN")
            area.checkout.pay_button.click()
            await wait(lambda: sale.snapshot.phase in (Phase.WAITING, Phase.ATTENTION))
            assert sale.snapshot.phase == Phase.WAITING, area.message.text
            keys.append(sale.snapshot.order.order_key)
            carts.append(sale.snapshot.cart_id)
            sim.settle(keys[-1], "paid")
            await wait(lambda: sale.snapshot.phase == Phase.PAID)
    assert keys[0] != keys[1] and carts[0] != carts[1]


def _network_drop_at_pay(sim) -> None:
    """The order request is applied but its answer is lost, and nothing can be read back."""
    sim.faults.inject("drop_after", method="POST", path="/order/create")
    for method, path in (("GET", "*/cart/*"), ("GET", "*/order*"), ("POST", "*/export/*")):
        sim.faults.inject("drop_before", method=method, path=path, count=100_000)


@pytest.mark.asyncio
async def test_a_sale_being_checked_settles_by_itself_once_the_network_is_back(
        demo_app, wait, browser, open_performance):
    async with running(demo_app()) as (controller, sale, area, sim):
        await seats_in_cart(controller, wait, open_performance, 2)
        await checkout_with(controller, wait, "PIN")
        before = set(sim.state.order_keys())
        _network_drop_at_pay(sim)
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.ATTENTION)
        [key] = set(sim.state.order_keys()) - before
        co = area.checkout
        # "Check now" is there while the sale is being checked; pressing it while the network
        # is still down keeps the sale being checked
        assert co.attention_check_button.isVisible() and co.attention_check_button.isEnabled()
        co.attention_check_button.click()
        await wait(lambda: "cannot be reached" in area.message.text)
        assert sale.snapshot.phase == Phase.ATTENTION
        sim.faults.clear()                          # the connection is back; nobody clicks
        await wait(lambda: sale.snapshot.phase == Phase.WAITING, timeout=15)
        assert sale.snapshot.order.order_key == key
        sim.settle(key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID)
        assert len([r for r in sim.requests() if r.method == "POST"
                    and r.path.endswith("/order/create")]) == 1
        assert controller.reporter.reported == []


@pytest.mark.asyncio
@pytest.mark.parametrize("method", ["Cash", "Credit card"])
async def test_when_no_browser_opens_every_instruction_matches_the_screen(
        demo_app, wait, open_performance, monkeypatch, method):
    """The system browser does not start. What the cashier reads must match what is shown: the
    QR code is on the screen when the text says to scan it, nothing speaks of a page "that
    opened in the browser", and the link is offered (copy it, or open it again)."""
    from PySide6.QtGui import QDesktopServices, QGuiApplication

    tried: list[str] = []

    def refuse(url):
        tried.append(url.toString())
        return False

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(refuse))
    async with running(demo_app()) as (controller, sale, area, sim):
        await seats_in_cart(controller, wait, open_performance, 1)
        await checkout_with(controller, wait, method)
        if method == "Cash":
            area.checkout.cash.set_tendered(sale.snapshot.amount_due)
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        url = sale.snapshot.order.payment_url
        assert url and tried == [url]
        co = area.checkout
        shown = [w.text() for w in (co.qr_caption, co.cash_hint, co.no_link_label,
                                    co.poll_label) if w.isVisible()] + [area.message.text]
        screen = " ".join(shown)
        if "scan" in screen.lower():
            assert co.qr.isVisible()
        assert "opened in the browser" not in screen
        assert "that opened" not in screen
        # the link is offered: shown, copied, opened again
        assert co.qr.isVisible() and co.qr.text() == url
        assert co.payment_link_label.isVisible() and url in co.payment_link_label.text()
        assert co.copy_link_button.isVisible() and co.copy_link_button.isEnabled()
        co.copy_link_button.click()
        assert QGuiApplication.clipboard().text() == url
        assert co.open_page_button.isEnabled()
        co.open_page_button.click()
        assert tried == [url, url]
        sim.settle(sale.snapshot.order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID)
        # the receipt button is no dead end: its link is copied and the cashier told so
        conf = sale.snapshot.confirmation
        area.confirmation.receipt_button.click()
        assert tried[-1] == conf.receipt_url
        assert QGuiApplication.clipboard().text() == conf.receipt_url
        assert "copied" in area.message.text
