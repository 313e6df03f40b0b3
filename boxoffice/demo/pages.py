"""Non-API pages on the simulator: the fake payment provider, ticket PDFs and HTML receipts."""
from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from .clock import AMSTERDAM
from .pdf import TicketPage, ticket_pdf
from .server import HttpRequest, HttpResponse
from .state import Order, SimError, SimState

_ACTIONS = {"pay": "paid", "paid": "paid", "cancel": "cancelled", "cancelled": "cancelled",
            "fail": "failed", "failed": "failed"}


def _html(status: int, title: str, body: str) -> HttpResponse:
    page = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title></head><body>{body}</body></html>")
    return HttpResponse(status, page.encode("utf-8"), "text/html; charset=utf-8")


def _redirect_target(url: str, key: str) -> str:
    parts = urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + f"return={key}"
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


class Pages:
    def __init__(self, state: SimState, urls: Any) -> None:
        self.state = state
        self.urls = urls

    def _order(self, key: str) -> Order:
        try:
            return self.state.order(key)
        except SimError:
            raise SimError(404, "Order not found") from None

    def pay_page(self, key: str) -> HttpResponse:
        with self.state.lock:
            order = self._order(key)
            amount = order.amount
            fee = self.state.catalog.payment_methods[order.payment_method_id].fee
            status = order.payment_status
        if status != "none":
            return _html(200, "Payment", f"<h1>Order {escape(key)}</h1>"
                         f"<p id=\"status\">Payment status: {escape(status)}</p>")
        action = escape(self.urls.pay_path(key))
        buttons = "".join(
            f"<button type=\"submit\" name=\"action\" value=\"{v}\">{label}</button> "
            for v, label in (("pay", "Pay"), ("cancel", "Cancel"), ("fail", "Fail")))
        return _html(200, "Payment", f"<h1>VdM simulator payment</h1><p>Order {escape(key)}</p>"
                     f"<p>Amount: EUR {amount + fee:.2f}</p>"
                     f"<form method=\"post\" action=\"{action}\">{buttons}</form>")

    def pay_submit(self, key: str, request: HttpRequest) -> HttpResponse:
        form = parse_qs(request.body.decode("utf-8", "replace"))
        action = (form.get("action") or [""])[-1]
        status = _ACTIONS.get(action)
        if status is None:
            return _html(400, "Payment", "<p>Unknown action</p>")
        with self.state.lock:
            order = self._order(key)
            if order.payment_status == "none":
                self.state.settle(key, status)
            redirect = order.redirect_url
            final = order.payment_status
        if redirect:
            return HttpResponse(303, b"", "text/plain",
                                [("Location", _redirect_target(redirect, key))])
        return _html(200, "Payment", f"<h1>Order {escape(key)}</h1>"
                     f"<p id=\"status\">Payment status: {escape(final)}</p>")

    def tickets(self, key: str) -> HttpResponse:
        st = self.state
        with st.lock:
            order = self._order(key)
            if order.payment_status != "paid":
                raise SimError(404, "Order not paid")
            pages = []
            for t in order.tickets:
                perf = st.catalog.performances[t.event_id]
                prod = st.catalog.production_of(perf)
                hall = st.catalog.hall_of(perf)
                start = perf.start.astimezone(AMSTERDAM)
                layout = hall.layout() if t.row_nr else None
                # the section tells "Row 8 Seat 11" in Parket from the one in Balkon
                place = (f"{layout.section_of(t.seat_index).name}  Row {t.row_nr}  Seat {t.seat_nr}"
                         if layout is not None else "General admission")
                pages.append(TicketPage(prod.name, [
                    start.strftime("%d-%m-%Y %H:%M"), hall.name, place,
                    f"{t.price_name}  EUR {t.amount:.2f}", f"Order {order.order_key}",
                    f"Ticket {t.ticket_id}"], qr=order.order_key))
        return HttpResponse(200, ticket_pdf(pages), "application/pdf")

    def receipt(self, key: str) -> HttpResponse:
        st = self.state
        with st.lock:
            order = self._order(key)
            if order.payment_status != "paid":
                raise SimError(404, "Order not paid")
            method = st.catalog.payment_methods[order.payment_method_id]
            rows = []
            for t in order.tickets:
                perf = st.catalog.performances[t.event_id]
                prod = st.catalog.production_of(perf)
                when = perf.start.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
                place = f"{t.row_nr}-{t.seat_nr}" if t.row_nr else "-"
                rows.append(f"<tr><td>{escape(prod.name)}</td><td>{when}</td><td>{place}</td>"
                            f"<td>{escape(t.price_name)}</td><td>{t.amount:.2f}</td></tr>")
            total = order.amount
            fee = order.fee
            date = order.order_date.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
        body = (f"<h1>Receipt</h1><p>Order {escape(key)} — {date}</p><table>"
                "<tr><th>Event</th><th>Date</th><th>Seat</th><th>Type</th><th>EUR</th></tr>"
                + "".join(rows) + f"</table><p>Payment: {escape(method.name)}; fee {fee:.2f}</p>"
                f"<p id=\"total\">Total: EUR {total:.2f}</p>")
        return _html(200, "Receipt", body)
