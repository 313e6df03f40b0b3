"""Transport safety: no plain http off this computer, no insecure payment link opened, no remote
content loaded from server-supplied rich text, no link but https handed to the browser.

The system browser is the one thing replaced (``QDesktopServices.openUrl`` is monkeypatched to
record calls); everything else is real: the client, the command line, the simulator on loopback, a
real loopback HTTP server that counts hits, and the real Qt text widget offscreen.
"""
from __future__ import annotations

import asyncio
import http.server
import threading

import pytest

from boxoffice import cli
from boxoffice.api import ApiKey, VdmClient, errors
from boxoffice.api.urls import check_secure_url
from boxoffice.services.payment import check_document_url, fetch_document
from boxoffice.services.sale import PerformanceInfo, Phase, SaleService
from boxoffice.store.journal import SaleJournal
from tests.support.relkit import fast_poller

INSECURE_API_ROOTS = [
    "http://api.voordemensen.nl/v1",
    "HTTP://API.VOORDEMENSEN.NL/v1",
    "http://10.0.0.5/v1",
    "http://192.168.1.10:8080/v1",
    "http://[::ffff:8.8.8.8]/v1",
    "http://127.0.0.1.nip.io/v1",
    "http://localhost.example.com/v1",
    "ftp://127.0.0.1/v1",
    "ws://127.0.0.1/v1",
    "file:///etc/passwd",
    "http:///v1",
    "https://",
]


@pytest.mark.parametrize("root", INSECURE_API_ROOTS)
def test_client_refuses_plain_http_off_loopback_before_any_traffic(root, network_audit):
    with pytest.raises(errors.InsecureURL):
        VdmClient(root, "venue", ApiKey("k" * 20))


@pytest.mark.parametrize("root", ["http://127.0.0.1:9/v1", "http://localhost:9/v1",
                                  "http://[::1]:9/v1", "https://api.example.org/v1"])
def test_client_accepts_https_and_loopback_http(root):
    assert check_secure_url(root) == root


@pytest.mark.parametrize("root", INSECURE_API_ROOTS[:7])
def test_cli_refuses_plain_http_off_loopback(root, capsys, monkeypatch, tmp_path, network_audit):
    monkeypatch.setenv("BOXOFFICE_HOME", str(tmp_path))
    monkeypatch.setenv("BOXOFFICE_API_KEY", "k" * 20)
    code = cli.main(["events", "--api-url", root, "--client", "venue", "--timeout", "1"])
    err = capsys.readouterr().err
    assert code == 3
    assert "http" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("url,demo,ok", [
    ("https://pay.example.org/x", False, True),
    ("https://pay.example.org/x", True, True),
    ("http://pay.example.org/x", True, False),
    ("http://pay.example.org/x", False, False),
    ("http://127.0.0.1:8787/pay/ABC", True, True),
    ("http://127.0.0.1:8787/pay/ABC", False, False),
    ("javascript:alert(1)", True, False),
    ("file:///etc/passwd", True, False),
    ("data:text/html,<script>x</script>", True, False),
    ("//evil.example/pay", True, False),
    ("https:///nohost", True, False),
])
def test_sale_core_payment_url_policy(url, demo, ok):
    if ok:
        assert check_document_url(url, demo=demo) == url
    else:
        with pytest.raises(errors.InsecureURL):
            check_document_url(url, demo=demo)


def test_document_download_refuses_insecure_urls_without_traffic(network_audit):
    async def go():
        for url in ("http://tickets.example.org/t.pdf", "file:///etc/passwd"):
            with pytest.raises(errors.InsecureURL):
                await fetch_document(url, demo=True)
    asyncio.run(go())


@pytest.mark.timeout(30)
def test_a_live_sale_never_offers_an_insecure_payment_link(sim):
    """Outside demo mode the simulator's http://127.0.0.1 payment page is not acceptable: the order
    is kept (and paid another way), but no link is offered to open."""
    async def go():
        client = VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key), timeout=3)
        sale = SaleService(client, SaleJournal.in_memory(), demo=False,
                           poller_factory=fast_poller())
        try:
            perf = sim.catalog.find("ga")
            sale.remember_performance(PerformanceInfo(perf.event_id, "GA"))
            tt = sim.catalog.production_of(perf).ticket_types[0]
            assert (await sale.add_general_admission(perf.event_id, 1, tt.price_id)).ok
            await sale.payment_methods()
            sale.select_payment_method(33)
            snap = await sale.pay()
            assert snap.phase == Phase.WAITING
            assert snap.order.payment_url is None
            assert snap.message is not None and "not secure" in snap.message.text
            sim.settle(snap.order.order_key, "paid")
            snap = await asyncio.wait_for(sale.wait_for_payment(), 10)
            # the receipt/ticket links (http on loopback) are not offered outside demo either
            assert snap.phase == Phase.PAID
            assert snap.confirmation.tickets_url is None and snap.confirmation.receipt_url is None
        finally:
            await sale.aclose()
            await client.aclose()
    asyncio.run(go())


# ---------------------------------------------------------------------------------- Qt side
class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        body = b"\x89PNG\r\n\x1a\n"
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def counting_server():
    _CountingHandler.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, _CountingHandler.hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser_calls(monkeypatch):
    from PySide6.QtGui import QDesktopServices

    calls: list[str] = []

    def fake_open(url):
        calls.append(url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake_open))
    return calls


def _hostile_html(origin: str) -> str:
    return (
        f'<p>Show<img src="{origin}/img.png"></p>'
        f'<img src="{origin}/img2.png" width=10 height=10>'
        f'<link rel="stylesheet" href="{origin}/style.css">'
        f'<style>@import url("{origin}/imp.css"); p {{ background: url({origin}/bg.png) }}</style>'
        f'<div style="background-image:url({origin}/div.png)">x</div>'
        f'<table background="{origin}/table.png"><tr><td>t</td></tr></table>'
        f'<iframe src="{origin}/frame"></iframe><script src="{origin}/s.js"></script>'
        f'<img src="file:///etc/hostname"><img src="https://127.0.0.1:1/tls.png">'
        '<a href="javascript:alert(1)">js</a> <a href="http://evil.example/">http</a> '
        '<a href="file:///etc/passwd">file</a> <a href="https://venue.example/info">ok</a>'
    )


@pytest.mark.parametrize("mode", ["safe", "raw"])
def test_rich_text_never_loads_remote_content(qtbot, counting_server, browser_calls, mode):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QApplication

    from boxoffice.ui.widgets.safe_text import SafeTextBrowser

    server, hits = counting_server
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    view = SafeTextBrowser()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    html = _hostile_html(origin)
    if mode == "safe":
        view.setSafeHtml(html)
    else:  # even HTML that bypassed the sanitiser loads nothing
        view.setHtml(html)
    for _ in range(5):
        QApplication.processEvents()
        view.grab()
    qtbot.wait(200)
    if mode == "raw":  # Qt did ask for the images, and was given nothing
        assert any(r.endswith("/img.png") for r in view.requested_resources), view.requested_resources
    else:  # the sanitiser already dropped them
        assert not any(origin in r for r in view.requested_resources)
        assert "javascript" not in view.toHtml() and "evil.example" not in view.toHtml()
    for url in (f"{origin}/direct.png", "https://example.org/x.png", "file:///etc/passwd"):
        assert view.loadResource(int(QTextDocument.ResourceType.ImageResource), QUrl(url)) is None
    assert hits == []
    for href in ("javascript:alert(1)", "http://evil.example/", "file:///etc/passwd",
                 "https://venue.example/info"):
        view.anchorClicked.emit(QUrl(href))
    assert browser_calls == ["https://venue.example/info"]
    assert hits == []


def test_url_policy_only_opens_https(browser_calls):
    from boxoffice.ui.url_policy import open_external

    refused = ["http://pay.example.org/", "javascript:alert(1)", "file:///etc/passwd",
               "data:text/html,x", "ftp://pay.example.org/", "//pay.example.org/", "https://",
               " jav\tascript:alert(1)"]
    for url in refused:
        assert open_external(url) is False, url
    assert open_external("https://pay.example.org/o/1") is True
    assert browser_calls == ["https://pay.example.org/o/1"]


# ----------------------------------------------------------------------------- undecodable answers
class _BadGzipHandler(http.server.BaseHTTPRequestHandler):
    """Every answer says ``Content-Encoding: gzip`` over a body that is not gzip."""

    def _bad(self) -> None:
        body = b'{"not": "gzip at all"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        self._bad()

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._bad()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def bad_gzip_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BadGzipHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_an_answer_that_cannot_be_decoded_is_a_typed_client_error(bad_gzip_server, network_audit):
    """httpx.DecodingError never escapes the client: a read is a BadResponse (retried, then
    raised), a write one too, marked ambiguous (the server answered 200: it may have acted)."""
    from boxoffice.api import RetryPolicy

    async def run():
        async with VdmClient(bad_gzip_server + "/v1", "venue", None,
                             retry=RetryPolicy(max_attempts=2, base_delay=0.0)) as client:
            with pytest.raises(errors.BadResponse) as read:
                await client.public.events()
            with pytest.raises(errors.BadResponse) as write:
                await client.public._b.send("POST", "/order/create", json={"cart_id": "x"})
            with pytest.raises(errors.BadResponse):
                await fetch_document(bad_gzip_server + "/ticket.pdf", demo=True)
        return read.value, write.value

    read, write = asyncio.run(run())
    assert not read.ambiguous and write.ambiguous
    assert "decoded" in str(write)
