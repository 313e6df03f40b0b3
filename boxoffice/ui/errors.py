"""The single exception hook: every unhandled error is logged and shown in a short, non-modal dialog.

Covers ``sys.excepthook`` (Qt slots and qasync ``@asyncSlot`` coroutines end up there), the asyncio
loop's exception handler, and failed tasks from :class:`~boxoffice.ui.tasks.TaskTracker`. The dialog
is only ever ``show()``-n, never ``exec()``-ed, so it is safe from inside coroutines. Identical errors
shown while the dialog is open are counted instead of stacking dialogs. Details (and the clipboard
copy) pass through the redactor, so an API key never leaves the process.
"""
from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.api.secrets import REDACTOR, Redactor
from boxoffice.i18n import _

log = logging.getLogger("boxoffice.errors")


def format_details(exc: BaseException, redactor: Redactor = REDACTOR) -> str:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return redactor.redact(text)


def _plain_text(exc: BaseException) -> str | None:
    """For an API error, or a sales record the disk refused: the cashier's plain sentence about
    it (no class names)."""
    from boxoffice.api import errors
    from boxoffice.store.journal import JournalWriteFailed

    if isinstance(exc, JournalWriteFailed):
        from boxoffice.services.messages import journal_write_trouble

        return journal_write_trouble(exc)
    if not isinstance(exc, errors.VdmError):
        return None
    from boxoffice.services.messages import message_for

    return message_for(exc).text


class ErrorDialog(QDialog):
    """A calm, non-modal notice: one line for the cashier, details on request, a copy button."""

    def __init__(self, parent: QWidget | None, summary: str, details: str,
                 plain: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(_("Something went wrong"))
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details = details
        self.count = 1

        layout = QVBoxLayout(self)
        # the main text is plain; the class name and message (``summary``) are a detail
        self.message = QLabel(
            (plain + " " if plain else "")
            + _("The box office ran into an unexpected problem. You can keep working; "
                "if it happens again, copy the details and send them to support.")
        )
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.summary = QLabel(summary)
        self.summary.setObjectName("errorSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setVisible(False)
        layout.addWidget(self.summary)
        self.repeat_label = QLabel()
        self.repeat_label.hide()
        layout.addWidget(self.repeat_label)

        self.details_view = QPlainTextEdit(details)
        self.details_view.setReadOnly(True)
        self.details_view.setVisible(False)
        self.details_view.setMinimumHeight(180)
        layout.addWidget(self.details_view)

        buttons = QHBoxLayout()
        self.toggle_button = QPushButton(_("Show details"))
        self.toggle_button.clicked.connect(self._toggle)
        self.copy_button = QPushButton(_("Copy details"))
        self.copy_button.clicked.connect(self.copy_details)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        box.rejected.connect(self.close)
        buttons.addWidget(self.toggle_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(box)
        layout.addLayout(buttons)
        self.resize(520, 200)

    def _toggle(self) -> None:
        show = not self.details_view.isVisible()
        self.details_view.setVisible(show)
        self.summary.setVisible(show)
        self.toggle_button.setText(_("Hide details") if show else _("Show details"))

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)

    def repeated(self) -> None:
        self.count += 1
        self.repeat_label.setText(_("This happened {count} times.").format(count=self.count))
        self.repeat_label.show()


class ExceptionReporter(QObject):
    """Installs the hooks and owns the dialogs. Thread-safe: reports hop to the GUI thread."""

    _report = Signal(object)

    def __init__(self, parent_widget: QWidget | None = None, redactor: Redactor = REDACTOR) -> None:
        super().__init__()
        self.parent_widget = parent_widget
        self.redactor = redactor
        self.dialogs: dict[str, ErrorDialog] = {}
        self.reported: list[BaseException] = []
        self._previous_hook: Callable[..., Any] | None = None
        self._report.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # --- installation -------------------------------------------------------------------------
    def install(self) -> None:
        self._previous_hook = sys.excepthook
        sys.excepthook = self.excepthook

    def uninstall(self) -> None:
        if self._previous_hook is not None and sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_hook
        self._previous_hook = None

    def install_loop_handler(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.set_exception_handler(self.loop_exception_handler)

    # --- entry points -------------------------------------------------------------------------
    def excepthook(self, etype: type[BaseException], value: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            QApplication.quit()
            return
        if value.__traceback__ is None and tb is not None:
            value = value.with_traceback(tb)
        self.report(value)

    def loop_exception_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if exc is None:
            log.error("asyncio: %s", self.redactor.redact(str(context.get("message"))))
            return
        if isinstance(exc, asyncio.CancelledError):
            return
        self.report(exc)

    def report(self, exc: BaseException) -> None:
        details = format_details(exc, self.redactor)
        log.error("Unhandled error\n%s", details)
        self.reported.append(exc)
        self._report.emit(exc)

    # --- GUI side -----------------------------------------------------------------------------
    def _show(self, exc: BaseException) -> None:
        details = format_details(exc, self.redactor)
        summary = self.redactor.redact(f"{type(exc).__name__}: {exc}")[:300]
        key = f"{type(exc).__name__}:{exc}"
        dialog = self.dialogs.get(key)
        if dialog is not None:
            dialog.repeated()
            return
        dialog = ErrorDialog(self.parent_widget, summary, details, _plain_text(exc))
        dialog.destroyed.connect(lambda *_a, k=key: self.dialogs.pop(k, None))
        self.dialogs[key] = dialog
        dialog.show()
        dialog.raise_()

    def close_all(self) -> None:
        for dialog in list(self.dialogs.values()):
            dialog.close()
        self.dialogs.clear()
