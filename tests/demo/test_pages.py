"""Payment page (Pay / Cancel / Fail), redirect with ?return=, ticket PDF and HTML receipt."""
from __future__ import annotations

import re

import httpx
import pytest


@pytest.mark.parametrize("button,status", [("pay", "paid"), ("cancel", "cancelled"),
                                           ("fail", "failed")])
def test_payment_page_buttons_settle_and_redirect(sim, api, shop, button, status):
    cart = shop.new_cart()
    shop.add(cart, sim.catalog.find("seated").event_id, 1)
    [created] = api.post("/order/create", json={
        "cart_id": cart, "payment_id": 33, "redirectURL": "https://shop.example/back?x=1"}).json()
    page = httpx.get(created["url"])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for label in ("Pay", "Cancel", "Fail"):
        assert f">{label}</button>" in page.text
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    r = httpx.post(sim.origin + action, data={"action": button})
    assert r.status_code == 303
    assert r.headers["location"] == f"https://shop.example/back?x=1&return={created['order_key']}"
    assert api.get(f"/order/{created['order_key']}").json()["order_payment_status"] == status


def test_payment_page_without_redirect_shows_status(sim, api, shop):
    key = shop.order(sim.catalog.find("seated").event_id, 1)
    r = httpx.post(f"{sim.origin}/pay/{key}", data={"action": "pay"})
    assert r.status_code == 200 and "paid" in r.text
    assert "paid" in httpx.get(f"{sim.origin}/pay/{key}").text


def test_ticket_pdf_and_receipt(sim, api, shop):
    key = shop.order(sim.catalog.find("seated").event_id, 2)
    status = api.get(f"/order/{key}").json()
    assert httpx.get(status["order_tickets_url"]).status_code == 404  # not paid yet
    sim.settle(key, "paid")
    pdf = httpx.get(status["order_tickets_url"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-1.4") and pdf.content.rstrip().endswith(b"%%EOF")
    assert pdf.content.count(b"/Type /Page ") == 2
    assert key.encode() in pdf.content
    # the xref offsets point at the objects
    xref_at = int(pdf.content.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf.content[xref_at:xref_at + 4] == b"xref"
    receipt = httpx.get(status["order_receipt_url"])
    assert receipt.status_code == 200 and "text/html" in receipt.headers["content-type"]
    assert key in receipt.text and "Total" in receipt.text
