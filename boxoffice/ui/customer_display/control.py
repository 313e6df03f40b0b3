"""``CustomerDisplayControl``: the cashier's switch for the customer display, and its feed.

Owns, for one open sale (:class:`~boxoffice.ui.sale_controller.SaleController`):

* the checkable toolbar action "Customer display" with a menu of the screens to show it on
  (``QGuiApplication.screens()``; the choice is remembered in the settings file,
  :meth:`boxoffice.config.SettingsStore.set_customer_screen`). With several screens the display
  opens full screen on the chosen one (by default one the cashier's window is not on); with one
  screen it is an ordinary window that can be moved anywhere;
* the feed: it follows the sale service the way the cashier's screen does (``subscribe``, and
  the cash widget for what was handed over) and gives the display only
  :func:`~boxoffice.services.customer_view.customer_view` of it. It has no client of its own;
* the return to the welcome a while after a paid sale (:attr:`paid_seconds`, a ``QTimer``), in
  the display's default language for the next customer;
* telling the checkout that the payment code is on the customer display too (the cashier's own
  code stays as the fallback).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QScreen
from PySide6.QtWidgets import QMenu, QToolButton

from boxoffice.config import SettingsStore
from boxoffice.i18n import _
from boxoffice.services.customer_view import IDLE_VIEW, CustomerStage, CustomerView, customer_view
from boxoffice.ui.checkout.cash import parse_amount
from boxoffice.ui.customer_display.window import DEFAULT_LANGUAGE, CustomerDisplay

#: the size of the display as an ordinary window (one screen)
WINDOW_SIZE = (1024, 640)


def screen_id(screen: QScreen) -> str:
    """How a screen is remembered: its name, and its size and place (two screens may share a
    name, e.g. "screen" on X11 without RandR)."""
    g = screen.geometry()
    return f"{screen.name()} {g.width()}x{g.height()}+{g.x()}+{g.y()}"


def choose_screen(ids: Sequence[str], saved: str | None, cashier: str | None) -> int:
    """Which of the screens *ids* (:func:`screen_id`) the display goes to: the one saved; else
    one of the saved one's name (its resolution changed); else the first the cashier's window is
    not on; else the first. -1 when there is none."""
    if not ids:
        return -1
    if saved is not None:
        if saved in ids:
            return list(ids).index(saved)
        name = saved.rsplit(" ", 1)[0]
        same_name = [i for i, s in enumerate(ids) if s.rsplit(" ", 1)[0] == name]
        if len(same_name) == 1:
            return same_name[0]
    return next((i for i, n in enumerate(ids) if n != cashier), 0)


class CustomerDisplayControl(QObject):
    #: seconds the "Paid" screen stays (with the tickets' code) before the welcome is back
    paid_seconds: float = 20.0

    def __init__(self, sale: Any, settings: SettingsStore, *, venue: str, demo: bool,
                 screens: Callable[[], list[QScreen]] = QGuiApplication.screens) -> None:
        super().__init__()
        self.sale = sale
        self.window = sale.window
        self.settings = settings
        self.venue = venue
        self.demo = demo
        self.screens = screens
        self.display: CustomerDisplay | None = None
        self.view: CustomerView = IDLE_VIEW
        self._timed_sale: str | None = None    # the paid sale the timer runs for
        self._done_sale: str | None = None     # the paid sale whose "Paid" screen is over
        self._closed = False

        self.paid_timer = QTimer(self)
        self.paid_timer.setSingleShot(True)
        self.paid_timer.timeout.connect(self._paid_done)

        self.action = QAction(_("Customer display"), self.window)
        self.action.setObjectName("customerDisplayAction")
        self.action.setCheckable(True)
        self.action.setToolTip(_("Show the sale on a second screen turned towards the customer: "
                                 "the tickets, the total and the code to pay"))
        self.action.setStatusTip(self.action.toolTip())
        self.menu = QMenu(self.window)
        self.menu.setObjectName("customerDisplayScreens")
        self.menu.setTitle(_("Show on"))
        self.screen_group = QActionGroup(self.menu)
        self.screen_group.setExclusive(True)
        self.action.setMenu(self.menu)
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self.action.toggled.connect(self._toggled)
        self.window.add_toolbar_actions([self.action])
        button = self.window.toolbar.widgetForAction(self.action)
        if isinstance(button, QToolButton):
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
            button.setAccessibleName(_("Customer display"))
        self.rebuild_menu()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._screens_changed)
            app.screenRemoved.connect(self._screens_changed)

        self._unsubscribe = sale.service.subscribe(lambda _snap: self.refresh())
        sale.area.checkout.cash.changed.connect(self.refresh)

    # --- screens -----------------------------------------------------------------------------
    def _cashier_screen(self) -> str | None:
        screen = self.window.screen()
        return screen_id(screen) if screen is not None else None

    def target_screen(self) -> QScreen | None:
        screens = self.screens()
        index = choose_screen([screen_id(s) for s in screens], self.settings.customer_screen(),
                              self._cashier_screen())
        return screens[index] if index >= 0 else None

    def rebuild_menu(self) -> None:
        for act in list(self.screen_group.actions()):
            self.screen_group.removeAction(act)
            self.menu.removeAction(act)
            act.deleteLater()
        target = self.target_screen()
        for number, screen in enumerate(self.screens(), start=1):
            size = screen.geometry()
            act = QAction(_("Screen {number}: {name} ({width}\u00d7{height})").format(
                number=number, name=screen.name(), width=size.width(), height=size.height()),
                self.menu)
            act.setCheckable(True)
            act.setChecked(screen is target)
            act.setData(screen_id(screen))
            act.triggered.connect(lambda _c=False, key=screen_id(screen): self.choose(key))
            self.screen_group.addAction(act)
            self.menu.addAction(act)

    def choose(self, key: str) -> None:
        """The cashier picked the screen (its :func:`screen_id`): remembered, and the display
        moves there."""
        self.settings.set_customer_screen(key)
        self.rebuild_menu()
        if self.display is not None:
            self._place(self.display)

    def _screens_changed(self, *_args: object) -> None:
        if self._closed:
            return
        self.rebuild_menu()
        if self.display is not None:
            self._place(self.display)

    def _place(self, display: CustomerDisplay) -> None:
        screens = self.screens()
        target = self.target_screen()
        if len(screens) > 1 and target is not None:
            display.showNormal()
            display.setScreen(target)
            display.setGeometry(target.geometry())
            display.showFullScreen()
        else:
            display.showNormal()

    # --- on / off ----------------------------------------------------------------------------
    @property
    def is_on(self) -> bool:
        return self.display is not None

    def _toggled(self, on: bool) -> None:
        self.open() if on else self.close()

    def open(self) -> CustomerDisplay:
        if self.display is None:
            display = CustomerDisplay(self.venue, demo=self.demo)
            display.resize(*WINDOW_SIZE)
            display.closed.connect(self._display_closed)
            self.display = display
            self._place(display)
            self.refresh()
            self._checkout_knows(True)
        if not self.action.isChecked():
            self.action.setChecked(True)
        return self.display

    def close(self) -> None:
        display, self.display = self.display, None
        if display is not None:
            display.closed.disconnect(self._display_closed)
            display.close()
            display.deleteLater()
            self._checkout_knows(False)
        if self.action.isChecked():
            self.action.setChecked(False)

    def _display_closed(self) -> None:
        """Closed from its own window (one screen: its close button)."""
        self.close()

    def _checkout_knows(self, on: bool) -> None:
        if self._closed:
            return
        self.sale.area.checkout.customer_display_on = on
        self.sale._render()

    def aclose(self) -> None:
        """The session ends: the display closes, the feed stops, the action goes."""
        self.close()
        self._closed = True
        self.paid_timer.stop()
        self._unsubscribe()
        try:
            self.sale.area.checkout.cash.changed.disconnect(self.refresh)
        except (RuntimeError, TypeError):
            pass
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            for signal in (app.screenAdded, app.screenRemoved):
                try:
                    signal.disconnect(self._screens_changed)
                except (RuntimeError, TypeError):
                    pass
        self.window.remove_toolbar_actions([self.action])
        self.action.deleteLater()     # the window outlives the session: nothing of it stays
        self.menu.deleteLater()

    # --- the feed ----------------------------------------------------------------------------
    def current_view(self) -> CustomerView:
        """What the customer sees of the sale now (only the restricted view)."""
        sale = self.sale
        tendered = parse_amount(sale.area.checkout.cash.tendered.text())
        view = customer_view(sale.snapshot, tendered=tendered, link_allowed=sale.url_allowed)
        if view.stage == CustomerStage.PAID:
            if view.sale is not None and view.sale == self._done_sale:
                return IDLE_VIEW
            if view.sale != self._timed_sale:
                self._timed_sale = view.sale
                self.paid_timer.start(max(0, int(self.paid_seconds * 1000)))
        elif self._timed_sale is not None:     # the next sale began before the timer ran out
            self._timed_sale = None
            self.paid_timer.stop()
            self._reset_language()
        return view

    def refresh(self, *_args: object) -> None:
        if self._closed:
            return
        self.view = self.current_view()
        if self.display is not None:
            self.display.show_view(self.view)

    def _paid_done(self) -> None:
        self._done_sale = self._timed_sale
        self._timed_sale = None
        self._reset_language()
        self.refresh()

    def _reset_language(self) -> None:
        if self.display is not None and self.display.language != DEFAULT_LANGUAGE:
            self.display.set_language(DEFAULT_LANGUAGE)
