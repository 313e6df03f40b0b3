"""Sale widgets on their own: change-due arithmetic in the cash widget, the QR code drawn from
segno's matrix, the payment-link policy, the hold countdown format."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtGui import QColor

import pytest

from boxoffice.ui.cart.countdown import HoldCountdown, mm_ss
from boxoffice.ui.checkout.cash import CashWidget, parse_amount
from boxoffice.ui.checkout.qr import QUIET_ZONE, QrCodeWidget, qr_image, qr_matrix
from boxoffice.ui.sale_controller import link_allowed


def test_cash_widget_change_due(qapp):
    w = CashWidget()
    w.set_due(Decimal("23.50"))
    amounts = [Decimal(b.property("amount")) for b in w.quick_buttons]
    assert amounts == [Decimal("23.50"), Decimal("25.00"), Decimal("30.00"), Decimal("40.00"),
                       Decimal("50.00")]
    assert w.quick_buttons[0].text() == "Exact €23.50"
    assert w.change_text == "Type the cash received to see the change."
    w.tendered.setText("50")
    assert w.change.change == Decimal("26.50") and w.change_text == "Change: €26.50"
    w.tendered.setText("20,05")
    assert w.change.short == Decimal("3.45") and w.change_text == "Still to pay: €3.45"
    w.quick_buttons[2].click()                      # €30
    assert w.change_text == "Change: €6.50"
    w.quick_buttons[0].click()                      # exact
    assert w.change.change == Decimal("0.00") and w.change.enough
    w.tendered.setText("abc")
    assert w.change is None and w.change_text.startswith("Not an amount")
    w.tendered.setText("10.001")                    # never rounds away a tenth of a cent
    assert w.change is None
    # a new amount due replaces the quick buttons
    w.set_due(Decimal("5.00"))
    assert [b.property("amount") for b in w.quick_buttons] == ["5.00", "10.00", "20.00", "50.00"]


@pytest.mark.parametrize("text, value", [
    ("20", Decimal("20")), ("20,5", Decimal("20.5")), ("20.50", Decimal("20.50")),
    ("€ 1.234,50", Decimal("1234.50")), ("1,234.50", Decimal("1234.50")), ("", None),
    ("-5", None), ("x", None), ("nan", None), ("1e3", Decimal("1000")),
])
def test_parse_amount(text, value):
    assert parse_amount(text) == value


def test_qr_image_matches_segnos_matrix(qapp):
    url = "https://pay.example.org/pay/ABCDE-FGHIJ-KLMNO-PQRST"
    matrix = qr_matrix(url)
    px = 5
    image = qr_image(url, px)
    assert image.width() == image.height() == len(matrix) * px
    dark = QColor("black").rgb()
    for y in range(len(matrix)):
        for x in range(len(matrix)):
            pixel = image.pixel(x * px + px // 2, y * px + px // 2)
            assert (pixel == dark) == matrix[y][x], (x, y)
    # quiet zone all light; the top-left finder pattern's corner is dark
    assert not any(matrix[0]) and matrix[QUIET_ZONE][QUIET_ZONE]
    widget = QrCodeWidget()
    widget.resize(400, 400)
    widget.set_text(url)
    assert widget.module_size() == 400 // len(matrix) >= 8   # large enough to scan


def test_payment_links_only_https_or_loopback_in_demo():
    for url in ("https://pay.example.org/x", "https://127.0.0.1/pay"):
        assert link_allowed(url, demo=False) and link_allowed(url, demo=True)
    assert link_allowed("http://127.0.0.1:8787/pay/K", demo=True)
    assert not link_allowed("http://127.0.0.1:8787/pay/K", demo=False)
    for url in ("http://pay.example.org/x", "http://localhost.evil.example/x", "file:///etc/passwd",
                "javascript:alert(1)", "ftp://127.0.0.1/x", "https:///nohost", ""):
        assert not link_allowed(url, demo=True), url
        assert not link_allowed(url, demo=False), url


class _Hold:
    def __init__(self, secs, warning=False, expired=False, estimated=False):
        self.seconds_remaining, self.warning = secs, warning
        self.expired, self.estimated = expired, estimated


def test_hold_countdown_states(qapp):
    assert mm_ss(905) == "15:05" and mm_ss(59) == "00:59" and mm_ss(-3) == "00:00"
    hold = [None]
    c = HoldCountdown(lambda: hold[0])
    assert c.text() == "" and c.state == "none"
    hold[0] = _Hold(754)
    c.tick()
    assert c.text() == "Seats held 12:34" and c.state == "ok"
    hold[0] = _Hold(119, warning=True, estimated=True)
    c.tick()
    assert c.text() == "Seats held about 01:59" and c.state == "warning"
    hold[0] = _Hold(0, warning=True, expired=True)
    c.tick()
    assert c.text() == "Hold expired: seats released" and c.state == "expired"
