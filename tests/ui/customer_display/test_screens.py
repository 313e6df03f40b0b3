"""Which screen the customer display opens on, and that the choice is remembered (issue 12)."""
from __future__ import annotations

import pytest

from boxoffice.config import SettingsStore
from boxoffice.ui.customer_display.control import choose_screen, screen_id
from tests.support.salehelpers import running


def test_the_saved_screen_else_one_the_cashier_is_not_on():
    ids = ["eDP-1 1280x800+0+0", "HDMI-1 1920x1080+1280+0", "DP-2 1920x1080+3200+0"]
    assert choose_screen(ids, "DP-2 1920x1080+3200+0", ids[0]) == 2
    assert choose_screen(ids, "DP-2 1280x720+3200+0", ids[0]) == 2   # resolution changed
    assert choose_screen(ids, None, ids[0]) == 1                   # not the cashier's
    assert choose_screen(ids, "VGA-1 800x600+0+0", ids[1]) == 0    # saved one unplugged
    assert choose_screen(ids[:1], "HDMI-1 1920x1080+1280+0", ids[0]) == 0  # one screen
    assert choose_screen([], "HDMI-1 1920x1080+0+0", None) == -1
    # two screens of one name (X11 without RandR): told apart by size and place
    twins = ["screen 1280x800+0+0", "screen 1920x1080+0+0"]
    assert choose_screen(twins, twins[1], twins[0]) == 1
    assert choose_screen(twins, None, twins[1]) == 0


@pytest.mark.asyncio
async def test_the_chosen_screen_is_remembered_across_starts(demo_app, wait, browser, home):
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.screens()[0]
    name, short = screen_id(screen), screen.name()
    store = SettingsStore.for_paths(home)
    assert store.customer_screen() is None
    async with running(demo_app()) as (controller, sale, area, sim):
        control = sale.customer_display
        [item] = control.screen_group.actions()      # offscreen: one screen, listed
        assert short in item.text()
        control.choose(name)
        assert store.customer_screen() == name
        # the rest of the settings saved later keeps it
        store.save(store.load())
        assert store.customer_screen() == name
        display = control.open()
        assert display.isVisible() and not display.isFullScreen()   # one screen: a window
        assert screen_id(display.screen()) == name
    async with running(demo_app()) as (controller, sale, area, sim):
        control = sale.customer_display
        assert screen_id(control.target_screen()) == name
        [item] = control.screen_group.actions()
        assert item.isChecked() and item.data() == name
