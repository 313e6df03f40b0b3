"""A small HTTP/1.1 server on h11 + asyncio, running in its own thread, with fault injection.

It owns sockets, keep-alive, Content-Length bodies and the fault mechanics (drop before/after,
delays, truncated JSON, canned 5xx/429, late application: see faults.py). What to answer is
decided by a synchronous handler (app.py), run on a small thread pool so that requests really
execute concurrently and the state's lock is what keeps them apart.

Every response carries an RFC 7231 ``Date`` header from the *simulated* clock (so a client's idea
of the server time follows ``advance_clock``), like the live API's Date from its own clock.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Callable
from urllib.parse import parse_qs, urlsplit

import h11

from . import behaviour as B
from .faults import FaultSettings


@dataclass
class HttpRequest:
    method: str
    target: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


@dataclass
class HttpResponse:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, status: int, payload: object, headers: list[tuple[str, str]] | None = None
             ) -> HttpResponse:
        # ensure_ascii (the default) sends "€" as "\u20ac", like the live API.
        return cls(status, json.dumps(payload).encode("ascii"), "application/json",
                   list(headers or []))


#: How many requests the request log keeps (the most recent; older ones fall off). A simulator
#: left running for a whole evening (the demo app, the endurance benchmark) must not grow
#: without bound; a test reads far fewer between two ``clear_requests()`` (a six-hour evening
#: test makes a few thousand), and ~20,000 entries stay a few MB.
REQUEST_LOG_LIMIT = 20_000


@dataclass(frozen=True)
class LogEntry:
    method: str
    path: str
    outcome: str  # HTTP status as text, or the fault kind that cut the exchange short
    #: time.monotonic() when the request had been read, and when its answer (or end) was decided;
    #: overlapping intervals are requests in flight at the same time (benchmarks/sale.py)
    received: float = 0.0
    answered: float = 0.0


Handler = Callable[[HttpRequest], HttpResponse]
FaultFilter = Callable[[str], bool]
Clock = Callable[[], datetime]


@dataclass
class _Queued:
    """A "late_apply" request waiting to be applied."""

    method: str
    path: str
    go: asyncio.Event = field(default_factory=asyncio.Event)    # apply now
    done: asyncio.Event = field(default_factory=asyncio.Event)  # applied (or abandoned)


def http_date(when: datetime) -> str:
    """RFC 7231 IMF-fixdate, e.g. "Fri, 27 Nov 2026 14:03:09 GMT"."""
    return format_datetime(when.astimezone(timezone.utc), usegmt=True)


def _handler_clock(handler: Handler) -> Clock | None:
    """The simulated clock behind a SimApp handler (``handler.state.clock``), if any."""
    clock = getattr(getattr(handler, "state", None), "clock", None)
    now = getattr(clock, "now", None)
    return now if callable(now) else None


class HttpServer:
    """h11 server on a background event loop. ``start()`` returns once it is listening."""

    def __init__(self, handler: Handler, faults: FaultSettings, faultable: FaultFilter,
                 host: str = "127.0.0.1", port: int = 0, workers: int = 8,
                 clock: Clock | None = None) -> None:
        """``clock``: what the Date header says (default: the handler's simulated clock, else
        the real UTC time)."""
        self._handler = handler
        self._clock: Clock = clock or _handler_clock(handler) or (lambda: datetime.now(timezone.utc))
        self._queued: list[_Queued] = []  # "late_apply" requests not applied yet (loop thread only)
        self._faults = faults
        self._faultable = faultable
        self._host = host
        self._port = port
        self._workers = workers
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._conns: set[asyncio.Task[None]] = set()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._log: deque[LogEntry] = deque(maxlen=REQUEST_LOG_LIMIT)
        self._log_lock = threading.Lock()
        self.port: int | None = None

    # --- lifecycle --------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("server already started")
        self._executor = concurrent.futures.ThreadPoolExecutor(
            self._workers, thread_name_prefix="vdm-sim-worker")
        self._thread = threading.Thread(target=self._run, name="vdm-sim-server", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            self._thread = None
            self._executor.shutdown(wait=True)
            raise self._startup_error

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._on_connection, self._host, self._port))
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as exc:  # bind failures reach start()
                self._startup_error = exc
                return
            finally:
                self._ready.set()
            loop.run_forever()
        finally:
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                asyncio.set_event_loop(None)
                loop.close()

    def stop(self) -> None:
        """Close the listener and every connection, stop the loop and join the thread."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if not loop.is_closed():
            fut = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
            try:
                fut.result(timeout=10)
            finally:
                loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._thread = None
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        tasks = list(self._conns)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    # --- request log --------------------------------------------------------------------------------
    def log(self) -> list[LogEntry]:
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def _record(self, method: str, path: str, outcome: str, received: float = 0.0) -> None:
        answered = time.monotonic()
        with self._log_lock:
            self._log.append(LogEntry(method, path, outcome, received or answered, answered))

    # --- connections --------------------------------------------------------------------------------
    async def _on_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
                             ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._conns.add(task)
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, h11.ProtocolError):
            pass
        except asyncio.CancelledError:
            # Shutdown: end quietly (asyncio's stream callback would log a cancelled task).
            pass
        finally:
            self._conns.discard(task)
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, asyncio.CancelledError, OSError):
                pass

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER)
        while True:
            request = await self._read_request(conn, reader, writer)
            if request is None:
                return
            received = time.monotonic()
            await self._apply_queued_before(request)
            decision = self._faults.decide(request.method, request.path) \
                if self._faultable(request.path) else None
            kind = decision.kind if decision else None
            if decision and decision.delay > 0:
                await asyncio.sleep(decision.delay)
            if kind == "drop_before":
                self._record(request.method, request.path, kind, received)
                return
            if kind == "late_apply":
                await self._apply_late(request)
                return  # closed without an answer
            if kind == "5xx":
                response = HttpResponse.json(500, {"message": B.MSG_SERVER_ERROR})
            elif kind == "429":
                response = HttpResponse.json(429, {"message": B.MSG_TOO_MANY},
                                             [("Retry-After", str(self._faults.retry_after))])
            else:
                loop = asyncio.get_running_loop()
                response = await loop.run_in_executor(self._executor, self._safe_handle, request)
            if kind == "drop_after":
                self._record(request.method, request.path, kind, received)
                return
            if kind == "5xx_after":
                response = HttpResponse.json(500, {"message": B.MSG_SERVER_ERROR})
            elif kind == "malformed":
                body = response.body[: max(1, len(response.body) // 2)]
                response = HttpResponse(200, body + b'{"', "application/json")
            elif kind == "bad_encoding":
                response = HttpResponse(200, b"this is not gzip " + response.body,
                                        "application/json", [("Content-Encoding", "gzip")])
            elif kind == "timeout":
                await asyncio.sleep(self._faults.timeout_seconds)
            self._record(request.method, request.path, kind if kind else str(response.status),
                         received)
            await self._send(conn, writer, response)
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                return
            try:
                conn.start_next_cycle()
            except h11.LocalProtocolError:
                return

    async def _apply_late(self, request: HttpRequest) -> None:
        """"late_apply": stall (no answer), then apply the request after ``late_apply_seconds``
        or as soon as a later request with the same method and path arrives, whichever is first."""
        queued = _Queued(request.method, request.path)
        self._queued.append(queued)
        try:
            try:
                await asyncio.wait_for(queued.go.wait(), self._faults.late_apply_seconds)
            except asyncio.TimeoutError:
                pass
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._executor, self._safe_handle, request)
            self._record(request.method, request.path, "late_apply")
        finally:
            if queued in self._queued:
                self._queued.remove(queued)
            queued.done.set()

    async def _apply_queued_before(self, request: HttpRequest) -> None:
        """Requests queued by "late_apply" for this method and path go first."""
        for queued in [q for q in self._queued
                       if q.method == request.method and q.path == request.path]:
            queued.go.set()
            await queued.done.wait()

    def _safe_handle(self, request: HttpRequest) -> HttpResponse:
        try:
            return self._handler(request)
        except Exception:  # a simulator bug must still answer like a server would
            import traceback
            traceback.print_exc()
            return HttpResponse.json(500, {"message": B.MSG_SERVER_ERROR})

    async def _read_request(self, conn: h11.Connection, reader: asyncio.StreamReader,
                            writer: asyncio.StreamWriter) -> HttpRequest | None:
        head: h11.Request | None = None
        body = bytearray()
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError:
                if conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
                    await self._send(conn, writer, HttpResponse.json(400, {"message": "Bad request"}))
                return None
            if event is h11.NEED_DATA:
                data = await reader.read(65536)
                conn.receive_data(data)
                continue
            if isinstance(event, h11.Request):
                head = event
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                assert head is not None
                target = head.target.decode("latin-1")
                parts = urlsplit(target)
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in head.headers}
                return HttpRequest(head.method.decode("ascii").upper(), target, parts.path,
                                   parse_qs(parts.query), headers, bytes(body))
            else:  # ConnectionClosed or PAUSED
                return None

    async def _send(self, conn: h11.Connection, writer: asyncio.StreamWriter,
                    response: HttpResponse) -> None:
        headers = [("Content-Type", response.content_type),
                   ("Content-Length", str(len(response.body))), ("Server", "vdm-simulator"),
                   ("Date", http_date(self._clock())), *response.headers]
        out = conn.send(h11.Response(status_code=response.status, headers=headers))
        out += conn.send(h11.Data(data=response.body)) if response.body else b""
        out += conn.send(h11.EndOfMessage())
        writer.write(out)
        await writer.drain()
