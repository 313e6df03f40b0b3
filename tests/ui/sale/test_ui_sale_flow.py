"""A cashier's sale through the desktop UI, against the real simulator, client and journal:
seats on the map → cart with a running hold countdown → checkout → payment link (QR) →
confirmation and tickets; general admission paid in cash with change and the shift report."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QUrl

import pytest

from boxoffice.i18n import format_money
from boxoffice.services.sale import Phase
from boxoffice.store.journal import SaleState
from tests.support.salehelpers import choose_seats, free_seats, method_button


@pytest.mark.asyncio
async def test_seated_sale_from_map_to_confirmation(demo_app, wait, browser, open_performance):
    controller = demo_app()
    try:
        assert await controller.start()
        sale = controller.sale
        area = sale.area
        assert controller.window.cart_widget is area
        sim = controller.session.simulator
        perf = sim.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "seated"
        # the cart is created ahead, when the performance opens
        await wait(lambda: sale.snapshot.phase == Phase.OPEN)
        plan = await controller.session.client.peppered.seating(perf.event_id)
        seats = free_seats(plan, 2)
        sim.clear_requests()

        await choose_seats(panel, seats)
        await wait(lambda: len(area.cart.line_ids()) == 2)
        # adding was the only write (no cart creation on confirm)
        writes = [r for r in sim.requests() if r.method in ("POST", "PUT", "DELETE")]
        assert [(r.method, "/peppered/cart/" in r.path) for r in writes] == [("POST", True)]
        assert sorted(area.cart.line_ids()) == sorted(seats)
        assert {sim.state.seat_status(perf.event_id, s) for s in seats} == {"held"}
        # the map shows them as in this cart
        lay = panel.seating.view.layout_
        assert panel.seating.view.state.in_cart == {lay.index_of(s) for s in seats}
        # each line names its place, has a ticket-type combo for the seat's rank, and a price
        item = area.cart.line_item(seats[0])
        assert "Row" in item.text(0) and "seat" in item.text(0)
        snap = sale.snapshot
        assert area.cart.total_label.text() == f"Total {format_money(snap.total)}"
        # the type choices carry the ticket types' own names (from tickettypes), not the rank's
        types = await controller.session.client.public.ticket_types(perf.event_id)
        await wait(lambda: {o.name for o in sale.service.ticket_types_for(seats[0])}
                   == {t.discount_name[:1].upper() + t.discount_name[1:] for t in types})
        options = sale.service.ticket_types_for(seats[0])
        await wait(lambda: area.cart.type_combos[seats[0]].count() == len(options) > 1)
        combo = area.cart.type_combos[seats[0]]
        assert {combo.itemText(i) for i in range(combo.count())} == {o.name for o in options}
        # the hold countdown runs (exact timeOut from the server: no "about")
        countdown = area.countdown
        assert countdown.isVisible() and countdown.state == "ok"
        first = countdown.text()
        assert first.startswith("Seats held 1") or first.startswith("Seats held 0")
        assert ":" in first and "about" not in first

        # F9 → checkout; the methods come from the API
        sale.checkout_action.trigger()
        assert area.page == "checkout" and area.checkout.page == "choose"
        await wait(lambda: sale.methods is not None and area.checkout.method_buttons)
        method_button(controller, "Credit card").click()
        assert sale.snapshot.payment_method.name == "Credit card"
        assert area.checkout.surcharge_label.text() == "Surcharge Credit card: €1.50"
        due = snap.total + Decimal("1.50")
        assert area.checkout.due_label.text() == f"To pay {format_money(due)}"
        # the GDPR opt-ins start unticked
        assert not area.checkout.customer.optin.isChecked()
        assert not area.checkout.customer.mailinglist.isChecked()

        await wait(area.checkout.pay_button.isEnabled)
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        order = sale.snapshot.order
        assert area.checkout.page == "waiting"
        # the payment page opened in the browser, the same link shown as a QR code
        assert browser.opened == [order.payment_url]
        assert order.payment_url.startswith(sim.origin)
        assert area.checkout.qr.text() == order.payment_url and area.checkout.qr.isVisible()
        assert area.checkout.progress.isVisible() and area.checkout.stop_button.isVisible()
        # the rest of the window stays usable
        assert controller.window.isEnabled() and panel.isEnabled()

        sim.settle(order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        conf = area.confirmation
        assert area.page == "confirmation"
        assert conf.key_label.text() == f"Order {order.order_key}"
        assert conf.summary_label.text() == "2 tickets"
        assert conf.seats.count() == 2 and "Row" in conf.seats.item(0).text()
        assert format_money(due) in conf.amount_label.text()
        assert "Credit card" in conf.amount_label.text()
        assert sale.journal.get(sale.snapshot.sale_id).state == SaleState.PAID

        # Print tickets: the PDF is saved and handed to the system viewer
        conf.print_button.click()
        await wait(lambda: len(browser.opened) == 2)
        assert browser.opened[1] == QUrl.fromLocalFile(str(sale.last_document)).toString()
        assert sale.last_document.read_bytes().startswith(b"%PDF")
        conf.receipt_button.click()
        assert browser.opened[2] == sale.snapshot.confirmation.receipt_url

        # F2: a clean cart for the next customer, created ahead again
        sale.new_sale_action.trigger()
        assert area.page == "cart" and area.cart.line_ids() == []
        await wait(lambda: sale.snapshot.phase == Phase.OPEN)
        assert sale.snapshot.lines == ()
        assert panel.seating.view.state.in_cart == set()
    finally:
        await controller.shutdown()


@pytest.mark.asyncio
async def test_general_admission_cash_sale_and_shift_report(demo_app, wait, browser,
                                                            open_performance, tmp_path):
    controller = demo_app(auto_pay_after=0.5)
    try:
        assert await controller.start()
        sale = controller.sale
        area = sale.area
        sim = controller.session.simulator
        perf = sim.catalog.find("ga")
        panel = await open_performance(controller, perf.event_id, wait)
        assert panel.mode == "quantity"
        await wait(lambda: panel.picker.spins())
        panel.picker.spins()[0].setValue(3)
        panel.picker.request_add()
        await wait(lambda: len(sale.snapshot.held_lines) == 3)
        assert all(area.cart.line_item(i).text(0) == "General admission"
                   for i in area.cart.line_ids())
        # a public cart: the countdown says "about" while the hold is a local estimate; the
        # server's deadline is read in the background (the demo has a key) and then shown exact.
        # (Which of the two the first poll sees is a race, so each is checked against the sale.)
        if sale.snapshot.hold.estimated:
            assert area.countdown.text().startswith("Seats held about ")
        await wait(lambda: not sale.snapshot.hold.estimated)
        await wait(lambda: area.countdown.text().startswith("Seats held ")
                   and "about" not in area.countdown.text())

        area.cart.checkout_button.click()
        await wait(lambda: sale.methods is not None and area.checkout.method_buttons)
        method_button(controller, "Cash").click()
        cash = area.checkout.cash
        assert cash.isVisible()
        due = sale.snapshot.amount_due
        assert sale.snapshot.surcharge == Decimal("0")
        # quick buttons: exact first, then round amounts above it
        amounts = [Decimal(b.property("amount")) for b in cash.quick_buttons]
        assert amounts[0] == due and all(a > due for a in amounts[1:])
        cash.quick_buttons[0].click()
        assert cash.change_text == "Change: €0.00"
        cash.tendered.setText("50")
        assert cash.change_text == f"Change: {format_money(Decimal('50') - due)}"

        await wait(area.checkout.pay_button.isEnabled)
        area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase in (Phase.WAITING, Phase.PAID))
        if sale.snapshot.phase == Phase.WAITING:
            # cash: no QR for the customer, the change stays in view
            assert not area.checkout.qr.isVisible()
            assert area.checkout.cash_change_label.text() == \
                f"Change: {format_money(Decimal('50') - due)}"
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=10)
        assert area.confirmation.summary_label.text() == "3 tickets"
        assert "Cash" in area.confirmation.amount_label.text()

        # Ctrl+R: the shift report counts this sale and the cash expected in the drawer
        sale.report_action.trigger()
        dialog = sale.report_dialog
        assert dialog is not None and dialog.isVisible() and not dialog.isModal()
        assert dialog.cash_label.text() == f"Cash expected in the drawer: {format_money(due)}"
        assert dialog.count_label.text() == "Paid sales: 1, tickets: 3"
        assert dialog.total_label.text() == f"Total charged: {format_money(due)}"
        path = dialog.export_csv(tmp_path / "shift.csv")
        rows = path.read_text(encoding="utf-8").splitlines()
        assert len(rows) == 2 and sale.snapshot.confirmation.order_key in rows[1]
        assert f"{due:.2f}" in rows[1] and "Cash" in rows[1]
        # yesterday had no sales
        dialog.period_combo.setCurrentIndex(1)
        assert dialog.count_label.text() == "Paid sales: 0, tickets: 0"
        dialog.close()
    finally:
        await controller.shutdown()
