"""``SaleDocuments``: the sale's documents and links on this computer — the tickets PDF, the
receipt and the payment page — opened only under the URL policy (https, or loopback in demo).

Owns the private folder the tickets are saved in (files readable by this user only) and the
cashier's message when a link or a file could not be opened. The sale itself (what to download,
when) stays with :class:`~boxoffice.ui.sale_controller.SaleController`.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from boxoffice.api import errors
from boxoffice.i18n import _
from boxoffice.services.messages import Action, CashierMessage, Severity
from boxoffice.services.payment import check_document_url
from boxoffice.ui.url_policy import is_openable_url, open_external


def link_allowed(url: str, *, demo: bool) -> bool:
    """May this payment / receipt link be shown and opened? https; http only to loopback in
    demo mode (the service's policy and the app's browser policy must both agree)."""
    try:
        check_document_url(url, demo=demo)
    except errors.InsecureURL:
        return False
    return is_openable_url(url)


class SaleDocuments:
    def __init__(self, *, demo: bool) -> None:
        self.demo = demo
        self._temp_dir: Path | None = None
        self.last_document: Path | None = None

    def url_allowed(self, url: str) -> bool:
        return link_allowed(url, demo=self.demo)

    def open_link(self, url: str, insecure: CashierMessage,
                  no_browser: str) -> CashierMessage | None:
        """Open *url* in the system browser; the cashier's message when that did not happen."""
        if not self.url_allowed(url):
            return insecure
        if not open_external(url):
            return CashierMessage(no_browser, Action.NONE, Severity.WARNING)
        return None

    def open_payment_page(self, url: str) -> CashierMessage | None:
        return self.open_link(
            url, CashierMessage(_("This payment link is not secure (not https), so it was not "
                                  "opened."), Action.OTHER_METHOD, Severity.WARNING),
            _("The web browser could not be opened. The payment page is on this screen: scan "
              "the QR code, copy the link, or try \"Open payment page\" again."))

    def open_receipt(self, url: str) -> CashierMessage | None:
        message = self.open_link(
            url, CashierMessage(_("This link is not secure (not https), so it was "
                                  "not opened."), Action.NONE, Severity.WARNING),
            _("The web browser could not be opened, so the receipt is not shown."))
        if message is not None and self.url_allowed(url):
            # no dead end: the receipt's link goes to the clipboard, for any browser
            from PySide6.QtGui import QGuiApplication

            QGuiApplication.clipboard().setText(url)
            message = CashierMessage(
                _("The web browser could not be opened, so the receipt is not shown. Its link "
                  "was copied: paste it into a browser."), Action.NONE, Severity.WARNING)
        return message

    def _document_dir(self) -> Path:
        if self._temp_dir is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="vdm-boxoffice-"))
        return self._temp_dir

    def show_tickets(self, content: bytes, order_key: str) -> CashierMessage | None:
        """Save the tickets PDF privately and open it; the cashier's message when no viewer did."""
        path = self._document_dir() / f"tickets-{order_key}.pdf"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        self.last_document = path
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            return CashierMessage(
                _("The tickets were saved as {path} but no PDF viewer opened them.").format(
                    path=str(path)), Action.NONE, Severity.WARNING)
        return None
