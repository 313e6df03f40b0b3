"""Keeps a strong reference to every asyncio task the UI starts, and ends them in order.

asyncio only holds tasks weakly, so a fire-and-forget task can vanish mid-flight. Every coroutine the
UI launches goes through :meth:`TaskTracker.spawn`; failures are routed to the exception reporter, and
:meth:`TaskTracker.aclose` cancels and awaits whatever is still running at shutdown.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)


class TaskTracker:
    """A set of live tasks with a failure callback and an orderly close."""

    def __init__(self, on_error: Callable[[BaseException], None] | None = None) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._on_error = on_error
        self._closed = False

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str | None = None) -> asyncio.Task[Any] | None:
        """Run ``coro`` as a task we keep; returns None (and closes it) after shutdown began."""
        if self._closed:
            coro.close()
            return None
        task = asyncio.get_event_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            if self._on_error is not None:
                self._on_error(exc)
            else:  # pragma: no cover
                log.error("Task %s failed", task.get_name(), exc_info=exc)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def cancel_named(self, name: str) -> None:
        for task in list(self._tasks):
            if task.get_name() == name:
                task.cancel()

    async def cancel_and_wait(self, *names: str) -> None:
        """Cancel the tasks with these names (never the calling task) and wait until they end."""
        current = asyncio.current_task()
        tasks = [t for t in self._tasks if t.get_name() in names and t is not current]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def aclose(self) -> None:
        """Cancel every task and wait until all of them have finished."""
        self._closed = True
        while self._tasks:
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for task in tasks:
                self._tasks.discard(task)
