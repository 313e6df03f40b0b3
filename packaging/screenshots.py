#!/usr/bin/env python3
"""Make the README's screenshots: the event list, the seat map and the customer display.

    python packaging/screenshots.py                      # into docs/screenshots/
    python packaging/screenshots.py --out /tmp/shots --lang nl --size 1920x1080

Starts the app offscreen in demo mode (the built-in simulator, a private temporary home, so
nothing of yours is read or written), at 1280x800: grabs the event list, opens a seated
performance and puts two seats in the cart (the seat map with the cart beside it), then goes to
checkout and pays by card, so the customer display shows "Scan to pay" with the payment code.
Each picture is ``QWidget.grab()`` of the real window, saved as a PNG. The payment page is not
opened in a browser (the script stands in for the browser).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (1280, 800)
NAMES = ("event-list.png", "seat-map.png", "customer-display.png")


async def _until(predicate: Callable[[], object], what: str, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise TimeoutError(f"screenshots: gave up waiting for {what}")
        await asyncio.sleep(0.05)


async def _settle(seconds: float = 0.3) -> None:
    """Let queued paints and layouts run before a grab."""
    await asyncio.sleep(seconds)


def _middle_pair(plan: object) -> list[str]:
    """Two free seats side by side, as near the middle of the hall as there are."""
    rows = [row for section in plan.sections for row in section.rows]  # type: ignore[attr-defined]
    order = sorted(range(len(rows)), key=lambda i: abs(i - len(rows) // 2))
    for i in order:
        seats = rows[i].seats
        mid = len(seats) // 2
        for j in sorted(range(len(seats) - 1), key=lambda k: abs(k - mid)):
            a, b = seats[j], seats[j + 1]
            if a.available and b.available and a.rank_id == b.rank_id:
                return [a.seat_id, b.seat_id]
    raise LookupError("no two free seats side by side")


async def _shoot(controller: object, out: Path, language: str,
                 size: tuple[int, int] = SIZE) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from boxoffice.services.sale import Phase
    from boxoffice.ui.events.filter import DateFilter

    c: object = controller
    assert await c.start()  # type: ignore[attr-defined]
    window = c.window  # type: ignore[attr-defined]
    window.showNormal()
    window.resize(*size)
    await _until(lambda: window.width() == size[0] and window.height() == size[1], "the size")
    await _until(lambda: c.sale is not None, "the sale")  # type: ignore[attr-defined]
    sale = c.sale  # type: ignore[attr-defined]
    browser = window.browser
    await _until(lambda: browser.model.performance_count() > 0, "the event list")
    # the seats left per performance (the demo has the key): read just after the list
    await _until(lambda: any(browser.model.availability_of(p) for prod in browser.model.productions()
                             for p in prod.performances), "the seats left")
    sim = c.session.simulator  # type: ignore[attr-defined]
    perf = sim.catalog.find("theatre")
    browser.flush()
    if not browser.select_performance(perf.event_id):     # not in the default dates: all of them
        browser.set_filter(DateFilter.ALL)
        browser.flush()
        browser.select_performance(perf.event_id)
    await _settle()
    shots = [out / name for name in NAMES]
    window.grab().save(str(shots[0]), "PNG")

    QTest.keyClick(browser.tree, Qt.Key.Key_Return)
    panel = window.performance_panel
    await _until(lambda: panel.mode == "seated", "the seat map")
    await _until(lambda: sale.snapshot.phase == Phase.OPEN, "the cart")
    plan = await c.session.client.peppered.seating(perf.event_id)  # type: ignore[attr-defined]
    pair = _middle_pair(plan)
    panel.seating.view.select_seats(pair)
    QTest.keyClick(panel.seating.view, Qt.Key.Key_Return)
    await _until(lambda: len(sale.snapshot.held_lines) == 2, "two seats in the cart")
    await _settle(0.6)
    window.grab().save(str(shots[1]), "PNG")

    control = sale.customer_display
    display = control.open()
    display.set_language(language)
    display.showNormal()
    display.resize(*size)
    sale.checkout_action.trigger()
    checkout = sale.area.checkout
    await _until(lambda: sale.methods is not None and checkout.method_buttons, "payment methods")
    card = next(m for m in sale.methods if m.name.lower() not in ("cash", "contant"))
    checkout.method_buttons[card.method_id].click()
    await _until(checkout.pay_button.isEnabled, "Pay")
    checkout.pay_button.click()
    await _until(lambda: sale.snapshot.phase == Phase.WAITING, "the order")
    await _until(lambda: display.pay_qr.text() != "", "the payment code")
    await _until(lambda: display.width() == size[0] and display.height() == size[1], "the size")
    await _settle()
    display.grab().save(str(shots[2]), "PNG")
    return shots


def make_screenshots(out: Path, language: str = "en", size: tuple[int, int] = SIZE) -> list[Path]:
    """Run the app offscreen against the simulator and save the three screenshots in *out*."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.TemporaryDirectory(prefix="boxoffice-shots-")
    os.environ["BOXOFFICE_HOME"] = home.name
    out.mkdir(parents=True, exist_ok=True)

    from boxoffice import i18n

    i18n.set_language(language)

    from PySide6.QtGui import QDesktopServices

    from boxoffice.config import SettingsStore, app_paths
    from boxoffice.credentials import CredentialStore
    from boxoffice.ui.bootstrap import install_event_loop, qt_application, style_application
    from boxoffice.ui.controller import AppController
    from boxoffice.ui.errors import ExceptionReporter

    QDesktopServices.openUrl = staticmethod(lambda _url: True)  # type: ignore[method-assign]
    app = qt_application([sys.argv[0]])
    style_application(app)
    loop = install_event_loop(app)
    paths = app_paths().ensure()
    controller = AppController(paths=paths, settings_store=SettingsStore.for_paths(paths),
                               credentials=CredentialStore(), reporter=ExceptionReporter(),
                               force_demo=True)

    async def run() -> list[Path]:
        try:
            return await _shoot(controller, out, language, size)
        finally:
            await controller.shutdown()

    try:
        with loop:
            return loop.run_until_complete(run())
    finally:
        home.cleanup()


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=("en", "nl"), default="en")
    parser.add_argument("--size", type=_size, default=SIZE, help="WIDTHxHEIGHT (default 1280x800)")
    args = parser.parse_args(argv)
    for path in make_screenshots(args.out, args.lang, args.size):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
