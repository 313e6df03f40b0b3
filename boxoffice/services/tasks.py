"""Ending background tasks without swallowing the caller's own cancellation (issue 13).

A task that was cancelled on purpose ends with CancelledError, which its owner absorbs; but when
the owner's own task is being cancelled (a timeout around it, a shutdown), that CancelledError
belongs to the caller and must go on up."""
from __future__ import annotations

import asyncio
from collections.abc import Iterable


def caller_cancelled() -> bool:
    """True when the task running now is being cancelled (by its caller, e.g. ``wait_for``), as
    opposed to an awaited task that was cancelled by itself."""
    current = asyncio.current_task()
    return current is not None and current.cancelling() > 0


async def await_ended(tasks: Iterable[asyncio.Task]) -> None:
    """Await *tasks* (already cancelled or finishing): their own cancellation and errors are
    absorbed (reported where they happened), the caller's cancellation never."""
    for task in list(tasks):
        try:
            await task
        except asyncio.CancelledError:
            if caller_cancelled():
                raise
        except Exception:  # noqa: BLE001 - a task's error was reported where it happened
            pass
