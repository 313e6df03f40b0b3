"""SimulatorServer: the public face of the VdM simulator (state + HTTP server + controls)."""
from __future__ import annotations

import gc
import ipaddress
import secrets
from datetime import date, datetime
from typing import Any

from . import behaviour as B
from .app import SimApp, Urls
from .catalog import Catalog
from .clock import SimClock
from .faults import FaultSettings
from .online import OnlineOrders
from .seed import build_catalog, populate
from .server import HttpServer, LogEntry
from .state import Order, SimState


class SimulatorServer:
    """A stateful VdM API simulator on loopback, in a background thread.

    ``start()`` returns once listening; ``stop()`` closes everything and joins the thread;
    also usable as a context manager. See boxoffice/demo/__init__.py for the full API.
    """

    def __init__(self, seed: int = 1, client_name: str = "demo",
                 hold_seconds: float = B.HOLD_SECONDS, auto_pay_after: float | None = None,
                 api_key: str | None = None, port: int = 0, host: str = "127.0.0.1",
                 today: date | None = None,
                 payment_timeout: float = B.PAYMENT_TIMEOUT_SECONDS,
                 per_order_max: int = B.PER_ORDER_MAX,
                 cart_after_order: str | None = None,
                 order_volume: int | None = None) -> None:
        """``cart_after_order``: "emptied" or "kept" (behaviour.py item 7); None: from the
        environment variable VDM_SIM_CART_AFTER_ORDER, else "emptied".
        ``order_volume``: about this many orders in all (past performances are added for them,
        or bigger orders made for fewer), built at once (from 20,000 orders on, ``gc.freeze()``
        is called then, process-wide); None: the seed's own online orders, built on first use."""
        if order_volume is not None and order_volume < 0:
            raise ValueError("order_volume must not be negative")
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError("the simulator only listens on loopback addresses")
        if not client_name or "/" in client_name or client_name.startswith("_"):
            raise ValueError("invalid client name")
        self.seed = seed
        self.client_name = client_name
        self.host = host
        self._requested_port = port
        self.api_key = api_key if api_key is not None else secrets.token_urlsafe(24)
        self.clock = SimClock(today)
        self.tunables = B.Tunables(hold_seconds=hold_seconds, payment_timeout=payment_timeout,
                                   per_order_max=per_order_max, auto_pay_after=auto_pay_after,
                                   cart_after_order=cart_after_order
                                   or B.default_cart_after_order())
        self.catalog: Catalog = build_catalog(seed, self.clock.today(), self.clock.now())
        self.state = SimState(self.catalog, self.clock, self.tunables, seed)
        populate(self.state)
        self.online = OnlineOrders(self.state, order_volume)
        if order_volume is not None:  # built (and its export rendered, below) at once
            self.online.ensure()
        self.faults = FaultSettings(seed)
        self._urls = Urls(host, client_name)
        self._app = SimApp(self.state, self._urls, self.api_key, self)
        self._server: HttpServer | None = None
        if order_volume is not None:
            self._app.peppered.warm_export()
            # A big volume seed's ~10^6 objects live as long as the simulator: moved out of the
            # cyclic collector's way, a full collection in this process (the benchmark's event
            # loop, when it runs the simulator in-process) no longer scans them (~450 ms each
            # for 100,000 orders).
            if len(self.state.orders_by_id) >= B.GC_FREEZE_ORDERS:
                gc.freeze()

    def __repr__(self) -> str:  # never shows the API key
        return (f"SimulatorServer(seed={self.seed}, client_name={self.client_name!r}, "
                f"running={self.running})")

    # --- lifecycle --------------------------------------------------------------------------------
    def start(self) -> SimulatorServer:
        if self._server is not None:
            raise RuntimeError("simulator already started")
        server = HttpServer(self._app, self.faults, self._app.is_api_path, self.host,
                            self._requested_port)
        server.start()
        self._server = server
        self._urls.port = server.port or 0
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    # --- addresses --------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("simulator not started")
        return self._urls.port

    @property
    def origin(self) -> str:
        """http://127.0.0.1:<port> (payment page, tickets and receipts live here)."""
        self.port  # noqa: B018 (raises when not started)
        return self._urls.origin

    @property
    def base_url(self) -> str:
        """The API root, e.g. http://127.0.0.1:8787/v1 (client name goes after it)."""
        self.port  # noqa: B018
        return self._urls.api_root

    @property
    def client_url(self) -> str:
        return f"{self.base_url}/{self.client_name}"

    # --- controls ---------------------------------------------------------------------------------
    def advance_clock(self, seconds: float) -> datetime:
        """Move simulated time forward; holds/orders expire and auto-pay happen as of then."""
        now = self.clock.advance(seconds)
        self.state.sweep()
        return now

    def now(self) -> datetime:
        return self.clock.now()

    def settle(self, order_key: str, status: str) -> Order:
        """Settle an unpaid order as "paid", "cancelled", "failed" or "expired"."""
        return self.state.settle(order_key, status)

    def add_online_orders(self, count: int, event_id: int | None = None) -> list[int]:
        """``count`` new paid online ("www") orders, each by a new named customer, on free
        seats (or GA places) of ``event_id`` (default: the first seated performance on sale),
        made and changed now (simulated clock). Returns their order ids."""
        return self.online.add(count, event_id)

    def set_order_status(self, order_id: int, status: str) -> None:
        """Set an order's orderStatus as the venue's back office would ("cancel"/"trash" move
        its seats to deletedSeats and free them; "ord"/"reemit"/"reissue" make it paid and take
        its seats again; "res"/"pros" make it unpaid with a timeOut). lastChanged becomes now."""
        self.online.set_status(order_id, status)

    def prepare_orders(self) -> None:
        """Build the seed's online orders now instead of on the first order read: a server in
        the app's own process (demo mode, benchmarks) would otherwise do it in the middle of the
        first sale, holding the interpreter (and so the event loop) for half a second."""
        self.state.ensure_orders()

    def online_orders(self) -> list[dict[str, Any]]:
        """Every online ("www") order as POST /export/orders shows it, by order id."""
        with self.state.lock:
            return [self._app.peppered.export_body(o) for o in self.online.orders()]

    def requests(self) -> list[LogEntry]:
        """The requests the server saw so far (the last ``server.REQUEST_LOG_LIMIT``; since the
        last ``clear_requests()``): (method, path, outcome)."""
        return self._server.log() if self._server else []

    def clear_requests(self) -> None:
        if self._server:
            self._server.clear_log()
