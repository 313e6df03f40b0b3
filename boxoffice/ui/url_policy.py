"""The one place that decides which links may be opened in the system browser.

Only ``https`` links go out; ``http`` is allowed for loopback addresses only (the demo
simulator's payment pages; ``boxoffice.api.urls.host_is_loopback`` decides what loopback is).
Anything else (``file:``, ``javascript:``, plain ``http`` to the internet) is refused.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from boxoffice.api.urls import host_is_loopback

log = logging.getLogger(__name__)


def is_openable_url(url: str) -> bool:
    """True when ``url`` may be handed to the system browser."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and host_is_loopback(parts.hostname)


def open_external(url: str | QUrl) -> bool:
    """Open ``url`` in the system browser if the policy allows it; return whether it did."""
    text = url.toString() if isinstance(url, QUrl) else str(url)
    if not is_openable_url(text):
        log.info("Refused to open a link that is not https: %.80s", text)
        return False
    return bool(QDesktopServices.openUrl(QUrl(text)))
