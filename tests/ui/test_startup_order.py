"""A warm start paints the saved event list first; the session (simulator, HTTP client), the cart
pane and the performance page are built only after that, so the cashier sees the list at once."""
from __future__ import annotations

import functools

import pytest

from boxoffice.ui.controller import FirstPaintWatcher


@pytest.mark.asyncio
async def test_saved_list_is_painted_before_the_session_opens(app_factory, wait):
    first = app_factory(force_demo=True)
    try:  # fill the offline cache
        assert await first.start()
        await wait(lambda: first.fetched_at is not None)
    finally:
        await first.shutdown()

    controller = app_factory(force_demo=True)
    seen: dict = {}
    watcher = FirstPaintWatcher(controller, lambda: None)
    controller.window.browser.tree.viewport().installEventFilter(watcher)
    real_opener = controller.session_opener

    def opener(*args, **kwargs):
        window = controller.window
        seen["painted"] = watcher.fired
        seen["rows"] = window.browser.model.performance_count()
        seen["performance_page_built"] = window.has_performance_panel
        seen["cart_pane"] = window.cart_widget is not None
        return real_opener(*args, **kwargs)

    controller.session_opener = functools.partial(opener)
    try:
        assert await controller.start()
        assert seen == {"painted": True, "rows": seen["rows"], "performance_page_built": False,
                        "cart_pane": False}
        assert seen["rows"] > 0
        # Then the rest arrives: the cart pane, and the performance page on first use.
        assert controller.window.cart_widget is not None
        assert controller.window.has_performance_panel
    finally:
        await controller.shutdown()
