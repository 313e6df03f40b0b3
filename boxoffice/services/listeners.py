"""Who is told about a change: the one subscribe/publish used by the services.

A listener that raises is logged and skipped; it never stops the others nor the service that
publishes (a broken view must not break a sale or a refresh).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Listeners(Generic[T]):
    def __init__(self, logger: logging.Logger, what: str) -> None:
        self._callbacks: list[Callable[[T], None]] = []
        self._log = logger
        self._what = what

    def add(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Call *callback(value)* on every publish; returns the function that stops it."""
        self._callbacks.append(callback)

        def remove() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return remove

    def publish(self, value: T) -> None:
        for callback in list(self._callbacks):
            try:
                callback(value)
            except Exception:
                self._log.exception("%s listener failed", self._what)

    def __len__(self) -> int:
        return len(self._callbacks)
