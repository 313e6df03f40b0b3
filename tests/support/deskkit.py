"""Helpers for the order desk UI tests: the app with its desk synced and shown, typing into the
search box as a cashier (or a barcode scanner) does, and the simulator's online orders as the
ground truth."""
from __future__ import annotations

import contextlib
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


@contextlib.asynccontextmanager
async def running_desk(controller, wait, *, synced: bool = True, timeout: float = 120.0):
    """Start the app, wait for the order desk's first sync (``synced``), show the desk with its
    toolbar action; always shut down: ``(controller, desk controller, panel, simulator)``."""
    try:
        assert await controller.start()
        await wait(lambda: controller.orders is not None)
        orders = controller.orders
        if synced:
            await wait(lambda: orders.desk.as_of is not None and not orders.desk.syncing
                       and (orders._sync_task is None or orders._sync_task.done()),
                       timeout=timeout)
        orders.action.trigger()
        assert orders.showing
        yield controller, orders, orders.panel, controller.session.simulator
    finally:
        await controller.shutdown()


def type_search(panel, text: str, *, enter: bool = False) -> None:
    """Type *text* into the empty search box key by key (Enter after it, as a scanner sends)."""
    panel.search.clear()
    panel.search.setFocus()
    QTest.keyClicks(panel.search, text)
    panel.flush()   # the pause after typing (the timer would do the same a moment later)
    if enter:
        QTest.keyClick(panel.search, Qt.Key.Key_Return)


def shown_keys(panel) -> list[str]:
    return [o.order_key for o in panel.model.orders]


def sim_order(sim, *, status: str = "ord", min_seats: int = 1, with_infix: bool = False,
              skip: int = 0) -> dict:
    """One of the simulator's online orders (export shape) with these properties."""
    found = [o for o in sim.online_orders()
             if o["orderStatus"] == status and len(o["seats"]) >= min_seats
             and (not with_infix or (o.get("user") or {}).get("customerPreposition"))]
    assert len(found) > skip, "the simulator's seed has no such order"
    return found[skip]


def sim_name(order: dict) -> str:
    user = order.get("user") or {}
    parts = (user.get("customerFirstName"), user.get("customerPreposition"),
             user.get("customerLastName"))
    return " ".join(p for p in parts if p)


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
