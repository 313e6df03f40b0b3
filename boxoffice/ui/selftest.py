"""``vdm-boxoffice --selftest``: prove that this installation (frozen or not) works, in one line.

Owns the installation smoke test that the release pipeline runs on every frozen build and that a
maintainer can run on a cashier's computer. It starts the real app (``AppController`` and main
window) in demo mode and checks, in order:

``qt``       the Qt platform plugin loaded; png and svg image formats; the app icon renders;
             the style sheet is present
``about``    the About dialog builds and every bundled component's licence is read from its
             package metadata (the frozen build must ship that metadata)
``i18n``     the Dutch catalog ships and translates; Babel formats Dutch money
``tls``      ``ssl`` builds a default context with a non-empty trust store (OS store or certifi)
             and httpx builds an https client (no https request is made: only loopback traffic)
``keyring``  ``keyring.get_keyring()`` returns a backend and keyring's package metadata (how a
             frozen app finds its backends) is present. Keyring's "fail" backend (no keychain in
             this session) is accepted on Linux and reported as such; on Windows and macOS, where
             a keychain always exists, it means the build lost the backends, so it fails
``events``   the demo venue opens and the event list loads into the window
``seatmap``  the seating plan of a seated performance on sale is fetched, laid out and drawn
             by the seat-map widget
``sale``     one sale of one seat through :mod:`boxoffice.services.sale` is paid by the
             simulator's auto-pay (falls back to the bare client when the sale service is absent)

Data: the run always uses a fresh temporary ``BOXOFFICE_HOME`` (removed afterwards; kept and
named on stderr when a check fails, for its log), so it never reads or writes the user's
settings, cache, journal or keychain entries. It prints ONE line on stdout, starting
``selftest OK`` (exit 0) or ``selftest FAILED`` naming the failed checks (exit 1);
``--selftest-output=FILE`` writes the same line to FILE (a windowed Windows build has no stdout
when started from a console). The line is for maintainers and CI, so it is not translated. On a
headless Linux machine without ``QT_QPA_PLATFORM`` the offscreen platform is chosen (and the line says so).
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OVERALL_TIMEOUT = 120.0      # seconds for the whole async part
EVENTS_TIMEOUT = 30.0
PAYMENT_TIMEOUT = 30.0
AUTO_PAY_AFTER = 0.5         # the selftest simulator settles payments quickly
MAX_SEATING_TRIES = 12
OUTPUT_OPTION = "--selftest-output"
NL_PROBE = "About VdM Box Office"  # a msgid the Dutch catalog translates (boxoffice/ui/about.py)


@dataclass
class Check:
    name: str
    ok: bool | None = None   # None = not run (a check it depends on failed)
    detail: str = ""

    def passed(self, detail: str) -> None:
        self.ok, self.detail = True, detail

    def failed(self, detail: str) -> None:
        self.ok, self.detail = False, detail


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return " ".join(text.split())[:200]


def _emit(line: str, *, error: bool = False) -> None:
    """Print to stdout (stderr for *error*); a windowed build may have neither."""
    stream = sys.stderr if error else sys.stdout
    if stream is None:
        stream = sys.stderr or sys.stdout
    if stream is not None:
        print(line, file=stream, flush=True)


# ====================================================================== checks without a loop

def check_qt(app: Any, check: Check) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon, QImage, QImageReader

    from boxoffice.ui.resources import load_style_sheet, resource_path

    platform = app.platformName()
    formats = {bytes(f.data()).decode("ascii", "replace").lower()
               for f in QImageReader.supportedImageFormats()}
    missing = [f for f in ("png", "svg") if f not in formats]
    problems = []
    if not platform:
        problems.append("no platform plugin")
    if missing:
        problems.append("image formats missing: " + ",".join(missing))
    svg = resource_path("icons", "boxoffice.svg")
    png = resource_path("icons", "boxoffice-256.png")
    if not svg.is_file():
        problems.append(f"icon missing: {svg.name}")
    elif QIcon(str(svg)).pixmap(QSize(64, 64)).isNull():
        problems.append("svg icon does not render")
    if QImage(str(png)).isNull():
        problems.append(f"{png.name} missing or does not load")
    if not load_style_sheet().strip():
        problems.append("style sheet missing")
    if problems:
        check.failed(f"{platform or '?'}: " + "; ".join(problems))
    else:
        shown = ",".join(f for f in ("png", "svg", "ico", "jpeg") if f in formats)
        check.passed(f"{platform}[{shown}]")


def check_about(check: Check) -> None:
    from boxoffice.ui.about import AboutDialog, bundled_components

    comps = bundled_components()
    missing = [c.name for c in comps if not c.from_metadata]
    if missing:
        check.failed("licence metadata missing for " + ", ".join(missing))
        return
    dialog = AboutDialog()
    try:
        if "LGPL" not in dialog.text.toPlainText():
            check.failed("the About dialog lacks the Qt licence notice")
            return
    finally:
        dialog.deleteLater()
    check.passed(f"{len(comps)} licences")


def check_i18n(check: Check) -> None:
    from boxoffice.i18n.translator import load_translations, read_catalog

    catalog = read_catalog("nl")
    if catalog is None:
        check.failed("Dutch catalog not found")
        return
    translated = load_translations("nl").gettext(NL_PROBE)
    if translated == NL_PROBE:
        check.failed(f"Dutch catalog does not translate {NL_PROBE!r}")
        return
    from decimal import Decimal

    from boxoffice import i18n

    previous = i18n.current_language()
    i18n.set_language("nl")
    try:
        money = i18n.format_money(Decimal("24.50"))  # Babel's Dutch locale data must ship
    finally:
        i18n.set_language(previous)
    if "24,50" not in money:
        check.failed(f"Dutch money format is {money!r}")
        return
    check.passed(f"nl({len(catalog)} messages, {money})")


def check_tls(check: Check) -> None:
    import ssl

    import httpx

    context = ssl.create_default_context()
    ca = context.cert_store_stats().get("x509_ca", 0)
    source = "os"
    try:
        import certifi
    except ImportError:
        certifi = None  # type: ignore[assignment]
    if certifi is not None:
        where = Path(certifi.where())
        if not where.is_file():
            check.failed(f"certifi bundle missing: {where.name}")
            return
        context.load_verify_locations(cafile=str(where))
        ca = context.cert_store_stats().get("x509_ca", 0)
        source = "certifi"
    if ca == 0:
        check.failed("no trusted certificate authorities")
        return
    # Building the client builds its TLS context (httpx's own defaults); no request is sent.
    client = httpx.Client(base_url="https://api.voordemensen.nl", timeout=5.0)
    client.close()
    version = ssl.OPENSSL_VERSION.split(" ")
    check.passed(f"{' '.join(version[:2])}(ca={ca},{source})")


def check_keyring(check: Check) -> None:
    from importlib.metadata import entry_points

    import keyring

    from boxoffice.credentials import CredentialStore

    known = sorted({ep.name for ep in entry_points(group="keyring.backends")})
    backend = keyring.get_keyring()
    name = type(backend).__name__
    module = type(backend).__module__
    inner = getattr(backend, "backends", None)
    if inner:
        name += "(" + ",".join(f"{type(b).__module__.rsplit('.', 1)[-1]}.{type(b).__name__}"
                               for b in inner) + ")"
    short = f"{module.rsplit('.', 1)[-1]}.{name}"
    available = CredentialStore().available()  # must answer, never raise
    if not known:
        check.failed(f"{short}: keyring's package metadata is missing (no backends registered)")
        return
    if module == "keyring.backends.fail":
        if sys.platform in ("win32", "darwin"):
            check.failed(f"{short}: no keychain backend found (this OS always has one)")
            return
        check.passed(f"fail(no keychain in this session; {len(known)} backends known)")
        return
    check.passed(f"{short}{'' if available else '(refused)'}")


# ====================================================================== checks on the loop

def _demo_server_factory() -> Any:
    from boxoffice.demo import SimulatorServer
    from boxoffice.services.session import DEMO_SEED

    return SimulatorServer(seed=DEMO_SEED, client_name="demo", auto_pay_after=AUTO_PAY_AFTER)


async def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")
        await asyncio.sleep(0.05)


async def _start_app(controller: Any, check: Check) -> bool:
    try:
        if not await controller.start():
            check.failed("the demo profile is locked by another instance")
            return False
        model = controller.window.browser.model
        await _wait_for(lambda: model.performance_count() > 0, EVENTS_TIMEOUT,
                        "the event list loading")
    except Exception as exc:
        check.failed(_describe(exc))
        return False
    cached = controller.session.catalog.cached_events()
    productions = len(cached.events) if cached is not None else 0
    check.passed(f"{productions} productions/{model.performance_count()} performances")
    return True


async def _find_seated_plan(client: Any, events: list[Any]) -> tuple[Any, Any]:
    """(performance, seating plan) of the first seated performance on sale with a free seat."""
    from boxoffice.api import errors
    from boxoffice.domain.clock import venue_now
    from boxoffice.domain.performance import PerformanceStatus, performance_status

    now = venue_now()
    candidates = sorted(
        (sub for main in events for sub in main.sub_events
         if performance_status(sub, now) is PerformanceStatus.ON_SALE),
        key=lambda sub: sub.starts_at,
    )
    for sub in candidates[:MAX_SEATING_TRIES]:
        try:
            plan = await client.peppered.seating(sub.event_id)
        except errors.NotFound:  # general admission: no seating plan
            continue
        if any(seat.available for _section, _row, seat in plan.seats()):
            return sub, plan
    raise LookupError(f"no seated performance on sale among {len(candidates)} performances")


def _build_seat_map(plan: Any) -> str:
    """Lay the plan out (Qt-free) and draw it with the seat-map widget."""
    from boxoffice.domain.layout import build_layout
    from boxoffice.domain.seatplan import from_api

    layout = build_layout(from_api(plan))
    seats = layout.seat_count
    if seats <= 0:
        raise ValueError("the layout has no seats")
    from boxoffice.ui.seating import SeatingPanel

    panel = SeatingPanel(spawn=lambda coro: coro.close())  # no periodic refresh in the selftest
    try:
        panel.resize(900, 600)
        panel.set_plan(plan)
        state = panel.view.state
        if state is None:
            raise ValueError("the widget shows no seating plan")
        drawn = state.layout.seat_count
        if drawn != seats:
            raise ValueError(f"the widget shows {drawn} seats, the layout has {seats}")
        if panel.grab().isNull():
            raise ValueError("the seat map does not paint")
    finally:
        panel.deleteLater()
    return f"{seats} seats"


async def _check_seat_map(session: Any, check: Check) -> tuple[Any, Any] | None:
    try:
        cached = session.catalog.cached_events()
        events = list(cached.events) if cached is not None else []
        sub, plan = await _find_seated_plan(session.client, events)
        detail = _build_seat_map(plan)
    except Exception as exc:
        check.failed(_describe(exc))
        return None
    check.passed(f"#{sub.event_id} {detail}")
    return sub, plan


def _first_free_seat(plan: Any) -> str:
    for _section, _row, seat in plan.seats():
        if seat.available:
            return seat.seat_id
    raise LookupError("no free seat")


async def _sell_with_service(session: Any, paths: Any, sub: Any, plan: Any) -> str:
    from boxoffice.services import sale as sale_mod
    from boxoffice.store.journal import SaleJournal, journal_path

    journal = SaleJournal.open(journal_path(session.profile.data_dir(paths)))
    service = sale_mod.SaleService(session.client, journal, demo=True)
    try:
        service.remember_performance(sale_mod.PerformanceInfo(sub.event_id, sub.event_name,
                                                              sub.starts_at))
        await service.prepare()
        service.use_seat_plan(plan)
        result = await service.add_seats(sub.event_id, [_first_free_seat(plan)])
        if not result.ok:
            text = result.message.text if result.message is not None else "?"
            raise RuntimeError(f"adding a seat failed: {text}")
        methods = await service.payment_methods()
        if not methods:
            raise RuntimeError("no payment methods")
        service.select_payment_method(methods[0].method_id)
        snap = await asyncio.wait_for(service.pay(wait=True), PAYMENT_TIMEOUT)
        if snap.phase != sale_mod.Phase.PAID or snap.confirmation is None:
            raise RuntimeError(f"the sale ended {snap.phase.value}, not paid")
        conf = snap.confirmation
        return f"{conf.order_key} paid {conf.tickets_nr} ticket(s) {conf.amount_paid}"
    finally:
        await service.aclose()
        journal.close()


async def _check_sale(session: Any, paths: Any, sub: Any, plan: Any, check: Check) -> None:
    started = time.monotonic()
    try:
        detail = await _sell_with_service(session, paths, sub, plan)
    except Exception as exc:
        check.failed(_describe(exc))
        return
    check.passed(f"{detail} in {time.monotonic() - started:.1f}s")


async def _run_app_checks(app: Any, paths: Any, checks: dict[str, Check]) -> list[BaseException]:
    from boxoffice.config import SettingsStore
    from boxoffice.credentials import CredentialStore
    from boxoffice.ui.controller import AppController
    from boxoffice.ui.errors import ExceptionReporter

    reporter = ExceptionReporter()  # unhandled errors are counted (check "errors")
    loop = asyncio.get_running_loop()
    reporter.install_loop_handler(loop)
    controller = AppController(paths=paths, settings_store=SettingsStore.for_paths(paths),
                               credentials=CredentialStore(), reporter=reporter, force_demo=True,
                               demo_server_factory=_demo_server_factory)
    try:
        if await _start_app(controller, checks["events"]):
            found = await _check_seat_map(controller.session, checks["seatmap"])
            if found is not None:
                await _check_sale(controller.session, paths, *found, checks["sale"])
    finally:
        await controller.shutdown()
        controller.window.deleteLater()
    return list(reporter.reported)


# ====================================================================== driver

def _headless_linux() -> bool:
    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def _guarded(check: Check, fn: Callable[[], None]) -> None:
    try:
        fn()
    except Exception as exc:
        check.failed(_describe(exc))


def summary_line(version: str, checks: list[Check], seconds: float) -> tuple[bool, str]:
    failed = [c.name for c in checks if c.ok is False]
    parts = [f"{c.name}={c.detail}" if c.ok else f"{c.name}=FAILED({c.detail})" if c.ok is False
             else f"{c.name}=not run" for c in checks]
    ok = not failed and all(c.ok for c in checks)
    head = "selftest OK" if ok else "selftest FAILED [" + ",".join(failed or ["incomplete"]) + "]"
    return ok, f"{head}: vdm-boxoffice {version} {' '.join(parts)} ({seconds:.1f}s)"


def _output_file(argv: list[str]) -> tuple[Path | None, list[str]]:
    """``--selftest-output=FILE`` (also written there: a windowed Windows build has no stdout)."""
    rest, target = [], None
    for arg in argv:
        if arg.startswith(OUTPUT_OPTION + "="):
            target = Path(arg.split("=", 1)[1])
        else:
            rest.append(arg)
    return target, rest


def run_selftest(argv: list[str] | None = None) -> int:
    """Run every check in a temporary data folder; print one line; 0 when all passed."""
    from boxoffice import __version__
    from boxoffice.config import HOME_ENV

    output, argv = _output_file(list(argv or []))

    started = time.monotonic()
    home = tempfile.mkdtemp(prefix="vdm-boxoffice-selftest-")
    previous_home = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = home
    forced_offscreen = _headless_linux()
    if forced_offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    checks = {name: Check(name) for name in
              ("qt", "about", "i18n", "tls", "keyring", "events", "seatmap", "sale", "errors")}
    ok = False
    try:
        try:
            _run(argv, home, checks)
        except Exception as exc:  # e.g. Qt itself missing from the build: name it, no traceback
            pending = [c for c in checks.values() if c.ok is None]
            (pending[0] if pending else checks["errors"]).failed(_describe(exc))
        seconds = time.monotonic() - started
        ok, line = summary_line(__version__, list(checks.values()), seconds)
        if forced_offscreen:
            line += " [no display: offscreen]"
        _emit(line)
        if output is not None:
            output.write_text(line + "\n", encoding="utf-8")
    finally:
        if previous_home is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = previous_home
        if ok:
            shutil.rmtree(home, ignore_errors=True)
        else:
            _emit(f"selftest data folder (with its log) kept: {home}", error=True)
    return 0 if ok else 1


def _run(argv: list[str], home: str, checks: dict[str, Check]) -> None:
    from boxoffice import i18n
    from boxoffice.config import app_paths
    from boxoffice.ui.logging_setup import configure_logging, remove_logging

    paths = app_paths(home).ensure()
    handler = configure_logging(paths.log_dir)
    i18n.set_language("en")
    try:
        from boxoffice.ui.bootstrap import install_event_loop, qt_application

        app = qt_application(argv)
        _guarded(checks["qt"], lambda: check_qt(app, checks["qt"]))
        _guarded(checks["about"], lambda: check_about(checks["about"]))
        _guarded(checks["i18n"], lambda: check_i18n(checks["i18n"]))
        _guarded(checks["tls"], lambda: check_tls(checks["tls"]))
        _guarded(checks["keyring"], lambda: check_keyring(checks["keyring"]))

        loop = install_event_loop(app)
        reported: list[BaseException] = []
        try:
            with loop:
                reported = loop.run_until_complete(asyncio.wait_for(
                    _run_app_checks(app, paths, checks), OVERALL_TIMEOUT))
        except Exception as exc:
            pending = [c for c in checks.values() if c.ok is None and c.name != "errors"]
            (pending[0] if pending else checks["errors"]).failed(_describe(exc))
        finally:
            with contextlib.suppress(Exception):
                asyncio.set_event_loop(None)
        if reported:
            checks["errors"].failed(f"{len(reported)} unhandled: {_describe(reported[0])}")
        else:
            checks["errors"].passed("none")
    finally:
        remove_logging(handler)

