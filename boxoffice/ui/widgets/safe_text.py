"""Shows event descriptions (HTML from the venue's back office) without trusting them.

:func:`sanitize_html` keeps a small allow-list of formatting tags, drops scripts, styles, frames,
images, forms and every attribute except an ``href`` on links. :class:`SafeTextBrowser` never
follows links itself and never loads a resource; a clicked link is passed to
:func:`boxoffice.ui.url_policy.open_external`, which only lets ``https`` through.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget

from boxoffice.ui.url_policy import is_openable_url, open_external

_ALLOWED = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "h1", "h2", "h3", "h4",
            "blockquote", "a", "span", "div", "small", "sub", "sup"}
_VOID = {"br"}
# Content of these is dropped entirely, not just the tags.
_DROP_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg",
                 "math", "head", "title", "form", "select", "textarea"}
_LOOKS_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._drop_depth = 0
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in _DROP_CONTENT:
            self._drop_depth += 1
            return
        if self._drop_depth or tag not in _ALLOWED:
            return
        if tag == "a":
            href = next((v for k, v in attrs if k.lower() == "href" and v), None)
            if href and is_openable_url(href):
                self.out.append(f'<a href="{html.escape(href, quote=True)}">')
            else:
                self.out.append("<a>")
        else:
            self.out.append(f"<{tag}>")
        if tag not in _VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() in _VOID and not self._drop_depth:
            self.out.append(f"<{tag.lower()}>")

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _DROP_CONTENT:
            self._drop_depth = max(0, self._drop_depth - 1)
            return
        if self._drop_depth or tag not in _ALLOWED or tag in _VOID:
            return
        if tag in self._open:
            while self._open:
                last = self._open.pop()
                self.out.append(f"</{last}>")
                if last == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self._drop_depth:
            self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        while self._open:
            self.out.append(f"</{self._open.pop()}>")
        return "".join(self.out)


def sanitize_html(text: str | None) -> str:
    """Return display-safe HTML for a description that may be plain text or (hostile) HTML."""
    if not text:
        return ""
    if not _LOOKS_HTML.search(text):
        return "<p>" + html.escape(text).replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"
    parser = _Sanitizer()
    parser.feed(text)
    return parser.result()


class SafeTextBrowser(QTextBrowser):
    """A read-only rich-text view that loads nothing and only opens https links, externally."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.requested_resources: list[str] = []

    def setSafeHtml(self, text: str | None) -> None:  # noqa: N802 - Qt naming
        self.setHtml(sanitize_html(text))

    def loadResource(self, type_: int, name: QUrl | str) -> object:  # noqa: N802 - Qt override
        # Never fetch anything: no remote images, no local files, no style sheets.
        self.requested_resources.append(name.toString() if isinstance(name, QUrl) else name)
        return None

    def _on_anchor(self, url: QUrl) -> None:
        open_external(url)
