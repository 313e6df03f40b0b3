"""Event descriptions come from the venue's back office: shown safely, links only via https."""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from boxoffice.ui.url_policy import is_openable_url, open_external
from boxoffice.ui.widgets.safe_text import SafeTextBrowser, sanitize_html

HOSTILE = (
    '<p onclick="steal()">Welkom <b>bij</b> ons<script>alert("x")</script></p>'
    '<img src="https://tracker.example/pixel.png"><iframe src="https://evil.example"></iframe>'
    '<style>body{background:url(https://tracker.example/bg)}</style>'
    '<a href="javascript:alert(1)">klik</a> <a href="https://venue.example/info">info</a>'
    '<a href="http://venue.example/plain">plain</a> <a href="file:///etc/passwd">file</a>'
)


def test_sanitizer_drops_scripts_styles_frames_images_and_unsafe_links():
    out = sanitize_html(HOSTILE)
    for bad in ("script", "alert", "onclick", "<img", "iframe", "tracker", "javascript",
                "file:", "http://venue"):
        assert bad not in out
    assert "<b>bij</b>" in out
    assert '<a href="https://venue.example/info">info</a>' in out


def test_plain_text_is_escaped_with_line_breaks():
    assert sanitize_html("a < b\nnext") == "<p>a &lt; b<br>next</p>"
    assert sanitize_html(None) == ""


def test_browser_loads_no_resource_and_opens_only_https_externally(qtbot, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    view = SafeTextBrowser()
    qtbot.addWidget(view)
    # Even if unsanitised HTML reached it, nothing remote would load.
    view.setHtml('<img src="https://tracker.example/p.png"><p>x</p>')
    view.show()
    view.grab()
    assert view.loadResource(2, QUrl("https://tracker.example/p.png")) is None
    assert not view.openLinks() and not view.openExternalLinks()
    view.anchorClicked.emit(QUrl("javascript:alert(1)"))
    view.anchorClicked.emit(QUrl("http://example.org/x"))
    view.anchorClicked.emit(QUrl("https://venue.example/info"))
    assert opened == ["https://venue.example/info"]
    assert view.source().isEmpty()  # never navigated itself


def test_url_policy():
    assert is_openable_url("https://voordemensen.nl/")
    assert is_openable_url("http://127.0.0.1:8787/pay/ABC")   # the demo simulator's pages
    assert not is_openable_url("http://voordemensen.nl/")
    assert not is_openable_url("file:///etc/passwd")
    assert not is_openable_url("javascript:alert(1)")
    assert not is_openable_url("https:///nohost")
    assert open_external("ftp://x.example/") is False
