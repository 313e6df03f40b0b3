"""One subscribe/publish for the services: a listener that raises is logged, the others still hear."""
from __future__ import annotations

import logging

from boxoffice.services.listeners import Listeners


def test_a_failing_listener_neither_stops_the_others_nor_the_publisher(caplog):
    heard: list[int] = []
    listeners: Listeners[int] = Listeners(logging.getLogger("test"), "sale")

    def broken(_value: int) -> None:
        raise RuntimeError("a broken view")

    listeners.add(broken)
    stop = listeners.add(heard.append)
    with caplog.at_level(logging.ERROR):
        listeners.publish(1)
    assert heard == [1]
    assert "sale listener failed" in caplog.text
    stop()
    stop()   # twice is harmless
    listeners.publish(2)
    assert heard == [1] and len(listeners) == 1
