"""Desktop entry point: QApplication + qasync loop, startup, and orderly shutdown.

``python main.py [--demo] [--profile ID] [--lang nl|en]``. Order matters and is kept here:
logging (rotating file, redacted) → settings and language → PySide6 import → QApplication →
qasync loop → exception hooks → instance lock → window and session → wait for the quit Event →
cancel and await tasks, close the session (client + simulator) → close the loop.

Every way out goes through the controller's orderly shutdown (issue 13): closing the window, a
``QApplication.quit()`` (macOS Quit, a platform quit), the session manager's log-off
(``commitDataRequest``), Ctrl-C and SIGTERM all ask the controller to quit; and should the loop
be stopped from outside all the same, ``shutdown()`` still runs in a ``finally``.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from typing import Any

log = logging.getLogger("boxoffice.app")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vdm-boxoffice", description="VdM Box Office")
    parser.add_argument("--demo", action="store_true", help="open the demo venue (built-in simulator)")
    parser.add_argument("--profile", metavar="ID", help="open this venue profile")
    parser.add_argument("--lang", choices=("nl", "en"), help="interface language")
    parser.add_argument("--selftest", action="store_true",
                        help="check this installation in demo mode (temporary data folder), print "
                             "one line, exit 0 if all passed (boxoffice/ui/selftest.py)")
    # Hidden: print the time of the first painted event list as JSON and quit (benchmarks/startup.py).
    parser.add_argument("--benchmark-startup", action="store_true", help=argparse.SUPPRESS)
    args, _qt_args = parser.parse_known_args(argv)
    return args


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.selftest:
        from boxoffice.ui.selftest import run_selftest

        return run_selftest([a for a in argv if a != "--selftest"])

    from boxoffice import i18n
    from boxoffice.config import SettingsStore, app_paths
    from boxoffice.credentials import CredentialStore
    from boxoffice.ui.logging_setup import configure_logging

    paths = app_paths().ensure()
    handler = configure_logging(paths.log_dir)
    store = SettingsStore.for_paths(paths)
    settings = store.load()
    i18n.set_language(args.lang or settings.language)
    log.info("starting (language %s)", i18n.current_language())

    # PySide6 before qasync; QApplication before the QEventLoop (boxoffice/ui/bootstrap.py).
    from PySide6.QtWidgets import QMessageBox

    from boxoffice.ui.bootstrap import install_event_loop, qt_application, style_application
    from boxoffice.ui.controller import AppController
    from boxoffice.ui.errors import ExceptionReporter

    app = qt_application(argv)
    style_application(app)

    reporter = ExceptionReporter()
    reporter.install()
    from boxoffice.ui.gc_guard import GuiThreadGarbageCollector

    collector = GuiThreadGarbageCollector(app)  # Qt objects must die on this thread only
    loop = install_event_loop(app)
    reporter.install_loop_handler(loop)

    try:
        controller = AppController(paths=paths, settings_store=store, credentials=CredentialStore(),
                                   reporter=reporter, settings=settings, profile_id=args.profile,
                                   force_demo=args.demo)
    except SystemExit as exc:  # unknown --profile
        print(exc, file=sys.stderr)
        return 2
    if controller.profile is not None:
        controller.lock = controller.acquire_lock(controller.profile)
        if controller.lock is None:
            message = controller.refused_message(controller.profile)
            log.warning("second instance refused for profile %s", controller.profile.id)
            print(message, file=sys.stderr)
            if not args.benchmark_startup:
                QMessageBox.warning(None, i18n._("VdM Box Office"), message)
            loop.close()
            return 3

    if args.benchmark_startup:
        _install_benchmark_probe(controller)

    _route_every_quit(app, loop, controller)
    exit_code = 1
    try:
        with loop:
            try:
                exit_code = loop.run_until_complete(controller.run())
            except RuntimeError as exc:
                # QApplication.quit() ended the Qt loop before run() finished ("Event loop
                # stopped before Future completed"): shut down in order all the same
                log.warning("the event loop was stopped from outside (%s); shutting down", exc)
                exit_code = 0
            finally:
                if not controller.closed:
                    loop.run_until_complete(controller.shutdown())
    except Exception:
        log.exception("fatal error")
        raise
    finally:
        collector.stop()
        reporter.uninstall()
        log.info("stopped (exit %s)", exit_code)
        from boxoffice.ui.logging_setup import remove_logging

        remove_logging(handler)
    return exit_code


def _route_every_quit(app: Any, loop: Any, controller: Any) -> None:
    """Make every way to quit ask the controller for its orderly shutdown (see the module doc)."""
    from PySide6.QtCore import QTimer

    def ask() -> None:
        controller.request_quit()

    app.aboutToQuit.connect(ask)
    app.commitDataRequest.connect(lambda _manager: ask())

    def on_signal(signum: int, _frame: object) -> None:
        log.info("signal %s: quitting in order", signum)
        loop.call_soon_threadsafe(ask)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    # Python runs its signal handlers only when it gets control back from Qt: a short idle tick
    # makes sure it does, also while the window sits idle
    tick = QTimer(app)
    tick.timeout.connect(lambda: None)
    tick.start(250)


def _install_benchmark_probe(controller: object) -> None:
    """Print the wall-clock time of the first painted, non-empty event list, then quit."""
    from boxoffice.ui.controller import FirstPaintWatcher

    def painted() -> None:
        rows = controller.window.browser.model.performance_count()  # type: ignore[attr-defined]
        print(json.dumps({"first_paint_unix": watcher.painted_at, "performances": rows,
                          "pid": os.getpid()}), flush=True)
        quit_by = os.environ.get("VDM_TEST_QUIT_BY")   # tests: the other ways a cashier quits
        if quit_by == "qt":        # macOS Quit, a platform quit
            from PySide6.QtWidgets import QApplication

            QApplication.quit()
        elif quit_by == "sigint":  # Ctrl-C in the terminal that started it
            os.kill(os.getpid(), signal.SIGINT)
        else:
            controller.request_quit()  # type: ignore[attr-defined]

    watcher = FirstPaintWatcher(controller, painted)  # type: ignore[arg-type]
    controller.window.browser.tree.viewport().installEventFilter(watcher)  # type: ignore[attr-defined]
    controller._benchmark_watcher = watcher  # type: ignore[attr-defined]  # keep it alive
