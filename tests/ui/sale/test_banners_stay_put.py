"""A window banner (offline, a notice, a keychain warning) appearing or going never moves the page
under the cashier's cursor (issue 16, items 11 and 12): the event list and the seat map stay where
they are, on screen and inside (the scene point under a given pixel), because the banners are drawn
over the page's top edge above a slot of fixed height instead of in its layout."""
from __future__ import annotations

import asyncio

from PySide6.QtCore import QPoint, QPointF

import pytest

from tests.support.salehelpers import start_sized


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0.02)


def list_place(window):
    viewport = window.browser.tree.viewport()
    return viewport.mapToGlobal(QPoint(0, 0)), viewport.size()


def map_place(panel):
    view = panel.seating.view
    viewport = view.viewport()
    return (viewport.mapToGlobal(QPoint(0, 0)), viewport.size(),
            view.mapToScene(QPoint(40, 40)), view.mapFromScene(QPointF(0, 0)))


async def banners_come_and_go(window, place):
    before = place()
    window.show_notice("The saved performances could not be read; they are fetched again. " * 3)
    window.set_offline(True, "Offline: VoordeMensen cannot be reached.", "offline")
    window.show_keyring_warning("No keychain: the API key cannot be kept. " * 4)
    await settle()
    assert window.notice_banner.isVisible() and window.offline_banner.isVisible()
    assert place() == before
    window.set_offline(False)
    window.notice_banner.close_button.click()
    window.show_keyring_warning(None)
    await settle()
    assert not window.notice_banner.isVisible() and not window.offline_banner.isVisible()
    assert place() == before


@pytest.mark.asyncio
async def test_banners_do_not_move_the_event_list_or_the_seat_map(demo_app, wait, open_performance):
    controller = demo_app()
    try:
        window = await start_sized(controller, wait, 1280, 720)
        await wait(lambda: window.browser.model.performance_count() > 0)
        await settle()
        assert window.demo_banner.isVisible()
        await banners_come_and_go(window, lambda: list_place(window))

        perf = controller.session.simulator.catalog.find("theatre")
        panel = await open_performance(controller, perf.event_id, wait)
        await wait(lambda: panel.mode == "seated")
        await settle()
        await banners_come_and_go(window, lambda: map_place(panel))
        # the banners are seen: above the page, on top of it
        window.show_notice("A notice.")
        await settle()
        top = window.notice_banner.mapTo(window, QPoint(0, 0))
        assert window.notice_banner.isVisible() and window.banners.isVisible()
        assert top.y() < panel.mapTo(window, QPoint(0, 0)).y() + window.notice_banner.height()
    finally:
        await controller.shutdown()
