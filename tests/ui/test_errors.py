"""Unhandled errors (plain slots, @asyncSlot coroutines, tasks) are logged and shown in a short
non-modal dialog whose copied details never contain the API key; the app keeps running."""
from __future__ import annotations

import asyncio
import logging
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

import pytest
from qasync import asyncSlot

from boxoffice.api.secrets import REDACTOR
from boxoffice.ui.errors import ErrorDialog, ExceptionReporter
from boxoffice.ui.logging_setup import LOG_FILE_NAME, configure_logging, remove_logging
from boxoffice.ui.tasks import TaskTracker

SECRET = "pk_live_4f9a8b7c6d5e4f3a2b1c"


class Emitter(QObject):
    fire = Signal(str)


@pytest.fixture
def reporter(qtbot):
    REDACTOR.add_secret(SECRET)
    rep = ExceptionReporter()
    rep.install()
    yield rep
    rep.close_all()
    rep.uninstall()


def leaky_error() -> RuntimeError:
    return RuntimeError(f"request failed: Authorization: Basic abc123== key={SECRET}")


@pytest.mark.asyncio
async def test_exception_in_async_slot_shows_non_modal_dialog_with_redacted_details(
        reporter, tmp_path):
    handler = configure_logging(tmp_path)
    try:
        emitter = Emitter()

        @asyncSlot(str)
        async def slot(where):
            await asyncio.sleep(0)
            raise leaky_error()

        emitter.fire.connect(slot)
        emitter.fire.emit("sale")
        for _ in range(100):
            await asyncio.sleep(0.01)
            if reporter.dialogs:
                break
        assert len(reporter.dialogs) == 1
        dialog = next(iter(reporter.dialogs.values()))
        assert isinstance(dialog, ErrorDialog)
        assert dialog.isVisible() and not dialog.isModal()
        assert SECRET not in dialog.details and "abc123" not in dialog.details
        assert "RuntimeError" in dialog.details and "[redacted]" in dialog.details
        dialog.copy_button.click()
        copied = QApplication.clipboard().text()
        assert copied == dialog.details and SECRET not in copied
        # The same error again is counted, not stacked.
        emitter.fire.emit("sale")
        for _ in range(100):
            await asyncio.sleep(0.01)
            if dialog.count == 2:
                break
        assert dialog.count == 2 and len(reporter.dialogs) == 1
        # The loop is alive: the app keeps running.
        assert await asyncio.sleep(0, result=42) == 42
    finally:
        remove_logging(handler)
    log_text = (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "RuntimeError" in log_text
    assert SECRET not in log_text and "abc123" not in log_text


def test_excepthook_from_plain_slot(reporter, qtbot):
    try:
        raise leaky_error()
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: bool(reporter.dialogs), timeout=2000)
    dialog = next(iter(reporter.dialogs.values()))
    assert SECRET not in dialog.summary.text()
    dialog.close()
    qtbot.waitUntil(lambda: not reporter.dialogs, timeout=2000)


@pytest.mark.asyncio
async def test_failed_tracked_task_is_reported(reporter):
    tracker = TaskTracker(on_error=reporter.report)

    async def boom():
        raise ValueError("broken")

    tracker.spawn(boom(), name="boom")
    for _ in range(100):
        await asyncio.sleep(0.01)
        if reporter.dialogs:
            break
    assert [type(e) for e in reporter.reported] == [ValueError]
    await tracker.aclose()
    assert tracker.pending == 0


@pytest.mark.asyncio
async def test_a_journal_write_failing_in_the_background_is_told_plainly(reporter):
    """Issue 13: a background task (a payment status coming in, a check) whose journal entry the
    disk refused: the dialog's first words say why and that nothing recorded is lost."""
    from boxoffice.store.disk import DiskTrouble
    from boxoffice.store.journal import JournalWriteFailed

    tracker = TaskTracker(on_error=reporter.report)

    async def status_written():
        raise JournalWriteFailed("database or disk is full", DiskTrouble.FULL)

    tracker.spawn(status_written(), name="status")
    for _ in range(100):
        await asyncio.sleep(0.01)
        if reporter.dialogs:
            break
    dialog = next(iter(reporter.dialogs.values()))
    text = dialog.message.text()
    assert text.startswith("The sales record cannot be written (the disk is full).")
    assert "What was recorded before is kept" in text and "Free space on the disk" in text
    assert "database" not in text and "JournalWriteFailed" not in text
    await tracker.aclose()


def test_log_lines_are_redacted(tmp_path):
    REDACTOR.add_secret(SECRET)
    handler = configure_logging(tmp_path)
    try:
        logging.getLogger("test").warning("calling with %s", SECRET)
    finally:
        remove_logging(handler)
    text = (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "calling with [redacted]" in text and SECRET not in text
