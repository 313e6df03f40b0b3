"""Routing: maps method + path to the public, peppered, page and /_sim control handlers.

URL layout (all on http://127.0.0.1:<port>):
  /v1/<client>/...              public API          /v1/<client>/peppered/...  peppered API
  /v1/_sim/...                  simulator control   /pay/<order_key>           payment page
  /tickets/<client>/order/<order_key>/ticket (PDF)  and  .../receipt (HTML)
"""
from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from . import behaviour as B
from .faults import drift_response, undrift_request
from .pages import Pages
from .peppered import PepperedApi
from .public import PublicApi
from .server import HttpRequest, HttpResponse
from .state import SimError, SimState


@dataclass
class Urls:
    """Absolute URLs on the simulator (port known once the server listens)."""

    host: str
    client: str
    port: int = 0

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_root(self) -> str:
        return f"{self.origin}/v1"

    def cart(self, cart_id: str) -> str:
        return f"{self.api_root}/{self.client}/cart/{cart_id}"

    def pay_path(self, key: str) -> str:
        return f"/pay/{key}"

    def pay(self, key: str) -> str:
        return self.origin + self.pay_path(key)

    def tickets(self, key: str) -> str:
        return f"{self.origin}/tickets/{self.client}/order/{key}/ticket"

    def receipt(self, key: str) -> str:
        return f"{self.origin}/tickets/{self.client}/order/{key}/receipt"


Route = tuple[str, "re.Pattern[str]", Callable[..., HttpResponse]]
_SEG = r"([^/]+)"


class SimApp:
    """The request handler given to HttpServer. ``control`` is the SimulatorServer."""

    def __init__(self, state: SimState, urls: Urls, api_key: str, control: Any) -> None:
        self.state = state
        self.urls = urls
        self._api_key = api_key
        self.control = control
        self.public = PublicApi(state, urls)
        self.peppered = PepperedApi(state, urls)
        self.pages = Pages(state, urls)
        p, pe, pg = self.public, self.peppered, self.pages
        # Routes below the client prefix (/v1/<client>); request passed when the handler wants it.
        self._public: list[Route] = [
            ("GET", re.compile(r"/events/?"), lambda r: p.events(None)),
            ("GET", re.compile(rf"/events/{_SEG}/?"), lambda r, e: p.events(e)),
            ("GET", re.compile(rf"/tickettypes/{_SEG}/?"), lambda r, e: p.ticket_types(e)),
            ("GET", re.compile(r"/paymentmethods/?"), lambda r: p.payment_methods()),
            ("POST", re.compile(r"/cart/?"), lambda r: p.create_cart()),
            ("GET", re.compile(rf"/cart/{_SEG}/?"), lambda r, c: p.get_cart(c)),
            ("POST", re.compile(rf"/cart/{_SEG}/?"), lambda r, c: p.add(c, r)),
            ("DELETE", re.compile(rf"/cart/{_SEG}/{_SEG}/?"), lambda r, c, s: p.remove(c, s)),
            ("POST", re.compile(r"/order/create/?"), lambda r: p.create_order(r)),
            ("GET", re.compile(rf"/order/{_SEG}/?"), lambda r, k: p.order_status(k)),
        ]
        self._peppered: list[Route] = [
            ("GET", re.compile(r"/hall/?"), lambda r: pe.halls()),
            ("GET", re.compile(rf"/hall/{_SEG}/?"), lambda r, h: pe.hall(h)),
            ("GET", re.compile(rf"/seating/{_SEG}/?"), lambda r, e: pe.seating(e)),
            ("GET", re.compile(r"/event/?"), lambda r: pe.events(r)),
            ("GET", re.compile(rf"/event/{_SEG}/?"), lambda r, e: pe.event(e)),
            ("GET", re.compile(rf"/production/{_SEG}/?"), lambda r, i: pe.production(i)),
            ("GET", re.compile(rf"/cart/{_SEG}/summary/?"), lambda r, c: pe.cart_summary(c)),
            ("POST", re.compile(rf"/cart/{_SEG}/checkout/?"), lambda r, c: pe.checkout(c, r)),
            ("GET", re.compile(rf"/cart/{_SEG}/?"), lambda r, c: pe.cart(c)),
            ("POST", re.compile(rf"/cart/{_SEG}/?"), lambda r, c: pe.cart_add(c, r)),
            ("DELETE", re.compile(rf"/cart/{_SEG}/?"), lambda r, c: pe.cart_clear(c)),
            ("DELETE", re.compile(rf"/cart/{_SEG}/{_SEG}/?"), lambda r, c, i: pe.cart_remove(c, i)),
            ("GET", re.compile(r"/order/?"), lambda r: pe.orders(r)),
            ("GET", re.compile(rf"/order/{_SEG}/?"), lambda r, o: pe.order(o)),
            ("POST", re.compile(r"/customer/findByEmail/?"), lambda r: pe.find_customer(r)),
            ("POST", re.compile(r"/customer/?"), lambda r: pe.create_customer(r)),
            ("GET", re.compile(rf"/customer/{_SEG}/?"), lambda r, c: pe.customer(c)),
            ("PUT", re.compile(rf"/customer/{_SEG}/?"), lambda r, c: pe.update_customer(c, r)),
            ("POST", re.compile(r"/export/orders/?"), lambda r: pe.export_orders(r)),
            ("POST", re.compile(r"/export/customers/?"), lambda r: pe.export_customers(r)),
            ("GET", re.compile(r"/export/clienttypes/?"), lambda r: HttpResponse.json(
                200, ["friend", "donor", "vip", "press", "student", "subscriber"])),
            ("GET", re.compile(r"/paymentmethods/?"), lambda r: pe.payment_methods()),
        ]
        self._pages: list[Route] = [
            ("GET", re.compile(rf"/pay/{_SEG}/?"), lambda r, k: pg.pay_page(k)),
            ("POST", re.compile(rf"/pay/{_SEG}/?"), lambda r, k: pg.pay_submit(k, r)),
            ("GET", re.compile(rf"/tickets/{_SEG}/order/{_SEG}/ticket/?"),
             lambda r, c, k: self._client_page(c, lambda: pg.tickets(k))),
            ("GET", re.compile(rf"/tickets/{_SEG}/order/{_SEG}/receipt/?"),
             lambda r, c, k: self._client_page(c, lambda: pg.receipt(k))),
        ]
        self._control: list[Route] = [
            ("GET", re.compile(r"/faults/?"), lambda r: self._faults(None)),
            ("POST", re.compile(r"/faults/?"), lambda r: self._faults(r)),
            ("POST", re.compile(r"/clock/?"), lambda r: self._clock(r)),
            ("POST", re.compile(rf"/settle/{_SEG}/?"), lambda r, k: self._settle(k, r)),
            ("POST", re.compile(rf"/paymentmethods/{_SEG}/?"),
             lambda r, pid: self._set_fee(pid, r)),
            ("GET", re.compile(r"/state/?"), lambda r: HttpResponse.json(200, state.summary())),
        ]

    def is_api_path(self, path: str) -> bool:
        """Faults apply to API requests only (not /v1/_sim, payment page, tickets)."""
        return path.startswith("/v1/") and not path.startswith("/v1/_sim")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # drift (faults.DRIFT_VARIANTS): API answers rewritten as another server might send them
        drift = self.control.faults.drift_variants() if self.is_api_path(request.path) else None
        if drift:
            request = undrift_request(drift, request)
        try:
            response = self._dispatch(request)
        except SimError as err:
            return HttpResponse.json(err.status, err.body())
        return drift_response(drift, request.method, request.path, response) if drift else response

    def _dispatch(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith("/v1/_sim/"):
            return self._route(self._control, request, path[len("/v1/_sim"):])
        if path.startswith("/v1/"):
            rest = path[len("/v1/"):]
            client, _, tail = rest.partition("/")
            if client != self.urls.client:
                raise SimError(404, B.MSG_CLIENT_NOT_FOUND)
            tail = "/" + tail
            if tail == "/peppered" or tail.startswith("/peppered/"):
                self._authenticate(request)
                return self._route(self._peppered, request, tail[len("/peppered"):])
            return self._route(self._public, request, tail)
        return self._route(self._pages, request, path)

    def _route(self, routes: list[Route], request: HttpRequest, path: str) -> HttpResponse:
        allowed = False
        for method, pattern, handler in routes:
            m = pattern.fullmatch(path)
            if m is None:
                continue
            if method != request.method:
                allowed = True
                continue
            return handler(request, *m.groups())
        if allowed:
            raise SimError(405, "Method not allowed")
        raise SimError(404, "Not found")

    def _client_page(self, client: str, page: Callable[[], HttpResponse]) -> HttpResponse:
        if client != self.urls.client:
            raise SimError(404, B.MSG_CLIENT_NOT_FOUND)
        return page()

    def _authenticate(self, request: HttpRequest) -> None:
        header = (request.header("authorization") or "").strip()
        key = header
        if header[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                decoded = ""
            key = decoded[:-1] if decoded.endswith(":") else ""
        if not key or not hmac.compare_digest(key.encode(), self._api_key.encode()):
            raise SimError(401, B.MSG_UNAUTHENTICATED)

    # --- /_sim control ------------------------------------------------------------------------------
    @staticmethod
    def _json(request: HttpRequest) -> dict[str, Any]:
        if not request.body.strip():
            return {}
        try:
            data = json.loads(request.body)
        except ValueError:
            raise SimError(400, "Malformed JSON body") from None
        if not isinstance(data, dict):
            raise SimError(422, "A JSON object is required")
        return data

    def _faults(self, request: HttpRequest | None) -> HttpResponse:
        faults = self.control.faults
        if request is not None:
            body = self._json(request)
            try:
                if body.pop("clear", False):
                    faults.clear()
                inject = body.pop("inject", None)
                if inject is not None:
                    for spec in inject if isinstance(inject, list) else [inject]:
                        faults.inject(**spec)
                if body:
                    faults.set(**body)
            except (TypeError, ValueError) as exc:
                raise SimError(422, str(exc)) from None
        return HttpResponse.json(200, faults.snapshot())

    def _clock(self, request: HttpRequest) -> HttpResponse:
        body = self._json(request)
        try:
            seconds = float(body.get("advance", 0))
            now = self.control.advance_clock(seconds)
        except (TypeError, ValueError) as exc:
            raise SimError(422, str(exc)) from None
        return HttpResponse.json(200, {"now": now.isoformat(timespec="seconds")})

    def _set_fee(self, payment_id: str, request: HttpRequest) -> HttpResponse:
        self.state.set_payment_fee(payment_id, self._json(request).get("fee"))
        return HttpResponse.json(200, {"payment_id": int(payment_id), "ok": True})

    def _settle(self, key: str, request: HttpRequest) -> HttpResponse:
        status = self._json(request).get("status")
        order = self.state.settle(key, str(status))
        return HttpResponse.json(200, {"order_key": order.order_key,
                                       "order_payment_status": order.payment_status})
