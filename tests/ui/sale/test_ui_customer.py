"""The optional customer at checkout, against the simulator's customer records: looking up an
e-mail prefills the details (or says plainly there is no such customer), a new customer can be
saved, the order "Pay" creates belongs to that customer, and the two GDPR opt-ins start
unticked for every sale and reach the order only as the cashier set them."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import pytest

from boxoffice.services.sale import Phase
from tests.support.salehelpers import checkout_with, running, seats_in_cart


def _type(edit, text: str) -> None:
    """What the cashier types (textEdited fires, as for real keys)."""
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)


def _customers(sim) -> dict[int, tuple]:
    """id -> (e-mail, first name, last name as the cashier sees it, phone): the Dutch infix
    ("de" in "Anna de Vries") goes with the last name."""
    def last(fields: dict) -> str | None:
        parts = [fields.get("customerPreposition"), fields.get("customerLastName")]
        return " ".join(p for p in parts if p) or None

    with sim.state.lock:
        return {cid: (c.email, c.fields.get("customerFirstName"), last(c.fields),
                      c.fields.get("customerPhone")) for cid, c in sim.state.customers.items()}


def _order(sim, key: str):
    with sim.state.lock:
        return sim.state.orders[key]


async def _pay(controller, wait) -> str:
    sale, area = controller.sale, controller.sale.area
    area.checkout.pay_button.click()
    await wait(lambda: sale.snapshot.phase == Phase.WAITING)
    return sale.snapshot.order.order_key


@pytest.mark.asyncio
async def test_looking_up_an_email_prefills_the_customer_and_the_order_is_theirs(
        demo_app, wait, browser, open_performance):
    async with running(demo_app()) as (controller, sale, area, sim):
        await seats_in_cart(controller, wait, open_performance, 1)
        await checkout_with(controller, wait, "Credit card")
        box = area.checkout.customer
        # optional: folded away, nothing filled in, both opt-ins unticked
        assert not box.body.isVisible() and box.customer() is None
        assert not box.optin.isChecked() and not box.mailinglist.isChecked()
        box.toggle.click()
        assert box.body.isVisible() and box.email.hasFocus()
        assert not box.optin.isChecked() and not box.mailinglist.isChecked()
        before = _customers(sim)

        # an address the venue does not know: said plainly, nothing prefilled, nothing saved
        _type(box.email, "nobody.here@example.org")
        QTest.keyClick(box.email, Qt.Key.Key_Return)
        await wait(lambda: box.status.text() != "")
        assert box.status.text() == ("No customer with nobody.here@example.org yet: fill in the "
                                     "name to save one, or just pay.")
        assert box.customer_id is None
        assert (box.first_name.text(), box.last_name.text(), box.phone.text()) == ("", "", "")
        assert not area.message.isVisible()

        # a customer on record (with a phone number): every field comes from the record
        cid, (email, first, last, phone) = next(
            (cid, c) for cid, c in sorted(before.items()) if c[3] and c[1] and c[2])
        _type(box.email, email)
        box.lookup_button.click()
        await wait(lambda: box.customer_id is not None)
        assert box.customer_id == cid
        assert box.email.text() == email
        assert (box.first_name.text(), box.last_name.text(), box.phone.text()) == (first, last,
                                                                                   phone)
        assert box.status.text() == f"Customer found: {first} {last}"
        assert _customers(sim) == before                     # a look-up never writes

        key = await _pay(controller, wait)
        order = _order(sim, key)
        assert order.customer_id == cid
        assert order.buyer["email"] == email
        # the opt-ins were not ticked: the order says no to both
        assert order.buyer.get("avg_optin") is False
        assert order.buyer.get("avg_mailinglist") is False
        assert sale.snapshot.customer is not None and sale.snapshot.customer.customer_id == cid
        assert _customers(sim) == before                     # no second record for her


@pytest.mark.asyncio
async def test_a_new_customer_is_saved_and_attached_to_the_order(demo_app, wait, browser,
                                                                 open_performance):
    async with running(demo_app()) as (controller, sale, area, sim):
        await seats_in_cart(controller, wait, open_performance, 2)
        await checkout_with(controller, wait, "iDEAL")
        box = area.checkout.customer
        box.toggle.click()
        before = _customers(sim)
        email = "nieuwe.klant@example.org"
        assert email not in {c[0] for c in before.values()}
        _type(box.email, email)
        box.lookup_button.click()
        await wait(lambda: box.status.text().startswith("No customer with"))

        # saving needs the names: said, and nothing is sent
        box.create_button.click()
        assert box.status.text() == "Fill in the first and last name to save a customer."
        _type(box.first_name, "Noor")
        _type(box.last_name, "El Amrani")
        _type(box.phone, "0611223344")
        # the cashier ticks one opt-in at the customer's request; the other stays unticked
        box.optin.click()
        assert box.optin.isChecked() and not box.mailinglist.isChecked()
        box.create_button.click()
        await wait(lambda: box.status.text() == "Customer saved.")
        after = _customers(sim)
        new = {cid: c for cid, c in after.items() if cid not in before}
        assert list(new.values()) == [(email, "Noor", "El Amrani", "0611223344")]
        new_id = next(iter(new))
        assert box.customer_id == new_id

        key = await _pay(controller, wait)
        order = _order(sim, key)
        assert order.customer_id == new_id
        assert order.buyer.get("avg_optin") is True
        assert order.buyer.get("avg_mailinglist") is False
        assert _customers(sim) == after                     # the order made no second record
        assert sorted(sim.state.order_snapshot(key)["seat_ids"]) == sorted(
            ln.line_id for ln in sale.snapshot.lines)

        # the next sale starts with an empty, folded customer box and both opt-ins unticked
        area.checkout.stop_button.click()
        sale.new_sale_action.trigger()
        await wait(lambda: sale.snapshot.phase == Phase.OPEN)
        assert box.customer() is None and box.customer_id is None and box.status.text() == ""
        assert not box.optin.isChecked() and not box.mailinglist.isChecked()
        assert not box.toggle.isChecked()
