"""The order desk page (issue 11), driven as a cashier does, in English and Dutch: Ctrl+O shows
it, one box finds an order by name, key or seat as you type, a scanned tickets link opens the
order at once, the detail shows what the order holds, a cancelled order is never printed without
a clear warning, the key is copied, and without the venue's API key the desk says so and still
looks an order up by its key.

Real app controller, real simulator over loopback (its online orders by named customers are the
ground truth), real OrderDesk over its SQLite index, offscreen Qt; only the system browser is
replaced."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

import pytest

from boxoffice import i18n
from boxoffice.domain.orders import status_words
from boxoffice.i18n import format_money
from tests.support.deskkit import (
    money,
    running_desk,
    shown_keys,
    sim_name,
    sim_order,
    type_search,
)

FRESH = {"en": r"^Orders as of \d\d:\d\d$", "nl": r"^Bestellingen bijgewerkt om \d\d:\d\d$"}
SEAT = {"en": "row {row} seat {seat}", "nl": "rij {row} stoel {seat}"}
ONLINE = {"en": "online", "nl": "online"}
VOID = {"en": "This order is cancelled", "nl": "Deze bestelling is geannuleerd"}
NAME_NEEDS_KEY = {"en": "Without the venue's API key only an order key can be looked up.",
                  "nl": "Zonder de API-sleutel van het theater kan alleen een bestelcode worden "
                        "opgezocht."}
NO_KEY = {"en": "Finding orders needs the venue's API key",
          "nl": "Bestellingen zoeken kan alleen met de API-sleutel van het theater"}


def _choose(panel, key: str):
    keys = shown_keys(panel)
    assert key in keys, (key, keys)
    panel.results.setFocus()
    panel.results.select_row(keys.index(key))
    return panel.detail.order


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_one_box_finds_an_order_by_name_key_and_seat(desk_app, wait, browser, lang):
    i18n.set_language(lang)
    async with running_desk(desk_app(), wait) as (controller, orders, panel, sim):
        assert re.match(FRESH[lang], panel.freshness.text()), panel.freshness.text()
        assert panel.search.hasFocus() or QGuiApplication.focusWindow() is None
        order = sim_order(sim, with_infix=True)
        key, user = order["orderKey"], order["user"]

        # the name in another order, lower case ("vries anna de")
        type_search(panel, f"{user['customerLastName']} {user['customerFirstName']} "
                           f"{user['customerPreposition']}".lower())
        assert key in shown_keys(panel)
        shown = _choose(panel, key)
        assert panel.detail.title.text() == sim_name(order) == shown.name
        assert panel.detail.email.text() == user["email"]

        # the start of the key
        type_search(panel, key[:11])
        assert key in shown_keys(panel)
        assert all(k.startswith(key[:11]) for k in shown_keys(panel))

        # a seat, in the cashier's words, with the performance's title
        seat = order["seats"][0]
        title = shown.events[0].title
        type_search(panel, f"{title} " + SEAT[lang].format(row=seat["rowNr"], seat=seat["seatNr"]))
        assert key in shown_keys(panel)

        # nothing found says so in plain words
        type_search(panel, "zzqqxx nobody")
        assert shown_keys(panel) == []
        assert "zzqqxx nobody" in panel.empty.text()
        assert panel.list_stack.currentWidget() is panel.empty


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_a_scanned_tickets_link_opens_its_order_at_once(desk_app, wait, browser, lang):
    i18n.set_language(lang)
    async with running_desk(desk_app(), wait) as (controller, orders, panel, sim):
        order = sim_order(sim, min_seats=2, skip=3)
        link = sim.base_url.rsplit("/v1", 1)[0] + f"/tickets/demo/order/{order['orderKey']}/ticket"
        type_search(panel, link, enter=True)
        await wait(lambda: panel.detail.order is not None
                   and panel.detail.order.order_key == order["orderKey"])
        assert panel.detail.content.isVisibleTo(panel)
        # ready for the next scan: the box has the focus, its text selected (replaced by the next)
        assert panel.search.selectedText() == link or QGuiApplication.focusWindow() is None

        other = sim_order(sim, skip=7)
        type_search(panel, other["orderKey"], enter=True)
        await wait(lambda: panel.detail.order.order_key == other["orderKey"])


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_the_detail_shows_customer_seats_money_status_and_channel(desk_app, wait, browser,
                                                                        lang):
    i18n.set_language(lang)
    async with running_desk(desk_app(), wait) as (controller, orders, panel, sim):
        order = sim_order(sim, min_seats=2)
        type_search(panel, order["orderKey"], enter=True)
        await wait(lambda: panel.detail.order is not None
                   and panel.detail.order.order_key == order["orderKey"])
        detail = panel.detail
        shown = detail.order
        assert detail.fact_labels["key"].text() == order["orderKey"]
        assert detail.fact_labels["id"].text() == str(order["orderId"])
        assert detail.fact_labels["payment"].text() == order["handlingTextPayment"]
        assert detail.fact_labels["channel"].text() == ONLINE[lang]
        assert detail.money_texts() == {
            "amount": format_money(money(order["amount"])), "fee": format_money(money(order["fee"])),
            "donation": format_money(money(order["donation"]))}
        assert detail.status.text() == status_words(shown, orders.clock())
        assert detail.void_warning.isHidden()
        # each performance with its seats: row, seat, ticket type and price, as the export says
        rows = []
        for table in detail.seat_tables.values():
            rows += table.row_texts()
        expected = sorted((str(s["rowNr"]), str(s["seatNr"]), s["priceName"],
                           format_money(money(s["amount"]))) for s in order["seats"])
        assert sorted((r[1], r[2], r[3], r[4]) for r in rows) == expected
        assert set(detail.seat_tables) == {str(s["eventId"]) for s in order["seats"]}


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_a_cancelled_order_is_printed_only_after_a_clear_warning(desk_app, wait, browser,
                                                                        lang):
    i18n.set_language(lang)
    async with running_desk(desk_app(), wait) as (controller, orders, panel, sim):
        order = sim_order(sim, min_seats=1, skip=5)
        sim.set_order_status(order["orderId"], "cancel")
        task = orders.sync_now()
        await wait(lambda: task.done())
        type_search(panel, order["orderKey"], enter=True)
        await wait(lambda: panel.detail.order is not None
                   and panel.detail.order.order_key == order["orderKey"]
                   and panel.detail.order.is_void)
        detail = panel.detail
        assert not detail.void_warning.isHidden()
        assert detail.void_warning.text().startswith(VOID[lang])
        row = shown_keys(panel).index(order["orderKey"])
        assert panel.model.data(panel.model.index(row, 4)) == status_words(detail.order)

        # Print: a warning first, nothing opened; "Do not print" keeps it that way
        QTest.mouseClick(detail.print_button, Qt.MouseButton.LeftButton)
        box = orders.confirm_box
        assert box is not None and box.isVisible()
        assert box.text().startswith(VOID[lang])
        assert browser.opened == []
        orders.keep_button.click()
        await wait(lambda: orders.confirm_box is None)
        assert browser.opened == []

        # asked again and confirmed: the tickets open
        QTest.mouseClick(detail.print_button, Qt.MouseButton.LeftButton)
        assert orders.confirm_box is not None
        orders.print_anyway_button.click()
        await wait(lambda: browser.opened)
        assert order["orderKey"] in browser.opened[0] and browser.opened[0].endswith("/ticket")


@pytest.mark.asyncio
async def test_a_paid_order_prints_without_asking_and_its_key_is_copied(desk_app, wait, browser):
    async with running_desk(desk_app(), wait) as (controller, orders, panel, sim):
        order = sim_order(sim, skip=2)
        type_search(panel, order["orderKey"], enter=True)
        await wait(lambda: panel.detail.order is not None
                   and panel.detail.order.order_key == order["orderKey"])
        QTest.mouseClick(panel.detail.print_button, Qt.MouseButton.LeftButton)
        assert orders.confirm_box is None
        await wait(lambda: browser.opened)
        assert browser.opened == [
            sim.base_url.rsplit("/v1", 1)[0] + f"/tickets/demo/order/{order['orderKey']}/ticket"]

        QGuiApplication.clipboard().setText("something else")
        QTest.mouseClick(panel.detail.copy_button, Qt.MouseButton.LeftButton)
        assert QGuiApplication.clipboard().text() == order["orderKey"]
        assert order["orderKey"] in panel.detail.message.text()

        QTest.mouseClick(panel.detail.receipt_button, Qt.MouseButton.LeftButton)
        await wait(lambda: len(browser.opened) == 2)
        assert browser.opened[1].endswith(f"/order/{order['orderKey']}/receipt")


@pytest.mark.asyncio
async def test_ctrl_o_shows_the_desk_and_escape_goes_back(desk_app, wait, browser):
    async with running_desk(desk_app(), wait, synced=False) as (controller, orders, panel, sim):
        window = controller.window
        assert orders.action.shortcut().toString() == "Ctrl+O"
        assert orders.action in window.toolbar.actions()
        panel.search.setFocus()
        QTest.keyClick(panel.search, Qt.Key.Key_Escape)     # an empty box: back to the list
        assert window.stack.currentWidget() is window.splitter
        orders.action.trigger()
        assert orders.showing
        assert window.cart_widget is not None and not window.cart_area.isHidden()


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_without_a_key_the_desk_says_so_and_still_looks_up_a_key(
        app_factory, simulator, live_profile, wait, browser, home, lang):
    from boxoffice.credentials import CredentialStore

    i18n.set_language(lang)
    sim = simulator(auto_pay_after=None)
    profile = live_profile(sim)
    CredentialStore().delete(profile.id)
    order = sim_order(sim, skip=4)
    async with running_desk(app_factory(), wait, synced=False) as (controller, orders, panel, _s):
        assert not orders.desk.has_key
        assert panel.notice.text().startswith(NO_KEY[lang])
        assert not panel.notice.isHidden()
        assert panel.sync_button.isHidden()
        type_search(panel, order["orderKey"], enter=True)
        await wait(lambda: panel.detail.order is not None)
        assert panel.detail.order.order_key == order["orderKey"]
        assert panel.detail.fact_labels["key"].text() == order["orderKey"]
        assert panel.detail.print_button.isEnabled()
        # a name typed without the key finds nothing here, and says why
        type_search(panel, sim_name(order))
        assert shown_keys(panel) == []
        assert panel.empty.text() == NAME_NEEDS_KEY[lang]


@pytest.mark.asyncio
async def test_the_orders_seats_are_marked_on_the_seat_map(desk_app, wait, browser):
    """The export names seats by row and seat number (its seatId is not the plan's, and it names
    no section): a seat is marked only where the map leaves no doubt (taken, of a rank sold at
    its price, in the section of the order's other seats); never a stranger's seat, and the
    window says when some could not be placed."""
    async with running_desk(desk_app(), wait) as (controller, orders, panel, sim):
        hall = sim.catalog.find("theatre")
        seated = {p.event_id for p in sim.catalog.performances.values()
                  if p.hall_id == hall.hall_id}
        chosen = [o for o in sim.online_orders() if o["orderStatus"] == "ord"
                  and len(o["seats"]) >= 2 and {s["eventId"] for s in o["seats"]} <= seated][:6]
        assert chosen
        fully = 0
        for order in chosen:
            type_search(panel, order["orderKey"], enter=True)
            await wait(lambda o=order: panel.detail.order is not None
                       and panel.detail.order.order_key == o["orderKey"])
            event_id = order["seats"][0]["eventId"]
            QTest.mouseClick(panel.detail.map_buttons[str(event_id)], Qt.MouseButton.LeftButton)
            dialog = orders.map_dialog
            await wait(lambda d=dialog: d.view.layout_ is not None and not d.message_text)
            layout = dialog.view.layout_
            marked = sorted((layout.row_text(layout.row_of[i]), layout.seat_text(i))
                            for i in (layout.index_of(s) for s in dialog.highlighted))
            own = [(str(s["rowNr"]), str(s["seatNr"])) for s in order["seats"]
                   if s["eventId"] == event_id]
            assert set(marked) <= set(own), order["orderKey"]
            if len(marked) < len(own):
                assert "could be found" in dialog.note.text()
            else:
                fully += 1
            assert dialog.view.read_only
            assert all(not layout.available[layout.index_of(s)] for s in dialog.highlighted)
        assert fully, "no order's seats could be marked"


@pytest.mark.asyncio
async def test_a_sale_paid_at_this_counter_is_found_at_once(desk_app, wait, browser):
    """Right after an own paid sale the desk syncs (not a minute later): its order is found."""
    from boxoffice.services.sale import Phase
    from tests.support.salehelpers import ga_tickets_to_checkout
    from tests.ui.sale.conftest import open_from_browser

    async with running_desk(desk_app(), wait) as (controller, orders, panel, sim):
        assert orders.timer.interval() == 60_000   # the minute's sync does not come in this test
        sale = controller.sale
        await ga_tickets_to_checkout(controller, wait, open_from_browser, 2, "PIN")
        await wait(sale.area.checkout.pay_button.isEnabled)
        sale.area.checkout.pay_button.click()
        await wait(lambda: sale.snapshot.phase == Phase.WAITING)
        sim.settle(sale.snapshot.order.order_key, "paid")
        await wait(lambda: sale.snapshot.phase == Phase.PAID, timeout=15)
        key = sale.snapshot.order.order_key
        await wait(lambda: any(o.order_key == key for o in orders.desk.search(key)), timeout=15)
        found = orders.desk.search(key)[0]
        assert found.is_counter and len(found.seats) == 2
