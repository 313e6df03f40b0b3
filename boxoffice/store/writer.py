"""A store's writer thread: SQLite commits leave the event loop (the GUI thread) without giving
up their order or, for the sale journal, their durability.

Owns :class:`StoreWriter`: one dedicated thread per store on which its writes (and the reads
decided on them) run. The sale journal has one (``SaleJournal.writer``): every journal commit
fsyncs (WAL, ``synchronous=FULL``), and on the event loop that froze the window for as long as
the disk took (issue 13). The offline cache has one for its saves (a 100,000-seat plan is a
megabyte of JSON to encode and write).

- **Durable before the request.** ``await writer.call(journal.before, ...)`` returns once the
  step's transaction is committed, so a step that precedes a request (the order intent before
  ``order/create``, the attempt's lookup, the order before its payment page is shown) is on disk
  before the request is sent: the caller awaits the write, then sends.
- **In order.** One thread takes the calls first come, first served: the steps of a sale land in
  the order they were asked for, and a read asked for after a write sees it.
- **Never half-asked.** A call once asked for always runs, also when its caller is cancelled
  (the caller still gets its ``CancelledError``): cancellation never drops a step that a
  synchronous write would have made.
- **Nothing lost at quit.** :meth:`StoreWriter.flush` waits for every call asked so far;
  :meth:`StoreWriter.close` (from the store's ``close``) finishes them and ends the thread. A
  call asked after that runs on the caller's thread, at once: nothing is ever dropped.

The store's connection is shared with the thread that opened it (direct readers: the shift
report, start-up, tests): :func:`serialised` methods hold the store's :class:`ConnectionLock`,
and a direct call first waits for the calls already queued. Qt-free.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import threading
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger("boxoffice.store")

P = ParamSpec("P")
T = TypeVar("T")

#: the journal's writer thread's name (seen in thread dumps and in the tests)
THREAD_NAME = "journal-writer"


class ConnectionLock:
    """The lock around a store's connection (``self._lock``), re-entrant, knowing which thread
    holds it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._owner: int | None = None
        self._depth = 0

    def __enter__(self) -> ConnectionLock:
        self._lock.acquire()
        self._owner = threading.get_ident()
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
        self._lock.release()

    def held_here(self) -> bool:
        return self._owner == threading.get_ident()


def serialised(method: Callable[P, T]) -> Callable[P, T]:
    """A store method that holds the store's lock (``self._lock``, a :class:`ConnectionLock`): one
    use of the shared connection at a time. Called from any thread but the writer's, it first
    waits for the calls already queued on the store's writer thread (``self._writer``), so a
    direct call (a report, a test) sees every step asked for before it, as a queued read does."""

    @functools.wraps(method)
    def locked(*args: P.args, **kwargs: P.kwargs) -> T:
        store = args[0]
        lock: ConnectionLock = store._lock  # type: ignore[attr-defined]
        writer: StoreWriter | None = store._writer  # type: ignore[attr-defined]
        if writer is not None and not lock.held_here():
            writer.wait_idle()
        with lock:
            return method(*args, **kwargs)

    return locked


class StoreWriter:
    """Runs a store's calls on one dedicated thread, in order; awaitable from the event loop."""

    def __init__(self, name: str = THREAD_NAME) -> None:
        self._executor: concurrent.futures.ThreadPoolExecutor | None = (
            concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix=name,
                                                  initializer=self._started))
        self._guard = threading.Lock()   # submit vs close, from any thread
        self._idle = threading.Condition()
        self._pending = 0
        self._thread_id: int | None = None

    def _started(self) -> None:
        self._thread_id = threading.get_ident()

    def on_writer_thread(self) -> bool:
        return self._thread_id == threading.get_ident()

    @property
    def closed(self) -> bool:
        return self._executor is None

    def submit(self, fn: Callable[P, T], /, *args: P.args,
               **kwargs: P.kwargs) -> concurrent.futures.Future[T]:
        """Queue ``fn(*args, **kwargs)`` behind every call asked before; once closed, run it now
        on this thread (never dropped)."""
        with self._guard:
            if self._executor is not None:
                with self._idle:
                    self._pending += 1
                future = self._executor.submit(fn, *args, **kwargs)
                future.add_done_callback(self._ran)
                return future
        done: concurrent.futures.Future[T] = concurrent.futures.Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future
            done.set_exception(exc)
        return done

    async def call(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(*args, **kwargs)`` on the writer thread and return its result once it has
        run (a journal write: committed and fsynced). Cancelling the caller does not cancel
        the call (see the module doc)."""
        future = asyncio.wrap_future(self.submit(fn, *args, **kwargs))
        future.add_done_callback(_consume)
        return await asyncio.shield(future)

    def _ran(self, _future: concurrent.futures.Future[Any]) -> None:
        with self._idle:
            self._pending -= 1
            if self._pending == 0:
                self._idle.notify_all()

    def wait_idle(self) -> None:
        """Block until every call queued so far has run (at once on the writer thread itself,
        or once closed)."""
        if self.on_writer_thread():
            return
        with self._idle:
            self._idle.wait_for(lambda: self._pending == 0)

    async def flush(self) -> None:
        """Wait (without blocking the loop) until every call asked so far has run."""
        await self.call(_nothing)

    def close(self) -> None:
        """Finish every call asked so far (blocking), then end the thread."""
        with self._guard:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)


def _nothing() -> None:
    return None


def _consume(future: asyncio.Future[Any]) -> None:
    """Retrieve a call's failure (its caller, unless cancelled, gets it too), so asyncio never
    warns of an unretrieved exception when the caller stopped waiting."""
    if future.cancelled():
        return
    exc = future.exception()
    if exc is not None:
        log.debug("store call failed: %s", type(exc).__name__)
