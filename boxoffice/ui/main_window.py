"""``MainWindow``: toolbar (venue switcher, refresh, settings, the sale's actions, About), banners,
event browser and details, the page of an opened performance, and a right-hand cart area.

A view only: the :class:`~boxoffice.ui.controller.AppController` decides what to show. The content
is a horizontal splitter: the page stack (browser | performance) on the left and, once the cart
side installs it with :meth:`MainWindow.set_cart_widget`, the cart on the right (it stays visible
on both pages: one cart may hold several performances). Closing the window asks the controller
to shut down (ARTIQ style: it sets an asyncio Event, the loop keeps running until cleanup is done).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from boxoffice.config import Profile
from boxoffice.i18n import _
from boxoffice.ui.events.browser import EventBrowser
from boxoffice.ui.events.details import DetailsPane
from boxoffice.ui.events.fit import CartPaneFit, DetailsCollapse
from boxoffice.ui.widgets.banner import Banner, BannerOverlay
from boxoffice.ui.window_state import WindowState

if TYPE_CHECKING:
    from boxoffice.ui.performance import PerformancePanel


class MainWindow(QMainWindow):
    close_requested = Signal()
    profile_chosen = Signal(str)
    refresh_requested = Signal()
    settings_requested = Signal()
    offline_changed = Signal(bool)

    def __init__(self, window_state: WindowState | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(_("VdM Box Office"))
        self.window_state = window_state
        self._offline_reason = ""
        #: set by the controller once its shutdown is done: until then a close only asks for it
        self.closing_allowed = False

        # --- toolbar ----------------------------------------------------------------------
        toolbar = QToolBar(_("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        self.addToolBar(toolbar)
        self.venue_label = QLabel(_("Venue:"))
        self.venue_label.setObjectName("venueLabel")
        toolbar.addWidget(self.venue_label)
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.setMinimumContentsLength(22)
        self.profile_combo.setAccessibleName(_("Venue profile"))
        self.profile_combo.activated.connect(self._on_profile_activated)
        toolbar.addWidget(self.profile_combo)
        toolbar.addSeparator()
        self.refresh_action = QAction(_("Refresh"), self)
        self.refresh_action.setObjectName("refreshAction")
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(self.refresh_requested.emit)
        toolbar.addAction(self.refresh_action)
        self.settings_action = QAction(_("Settings\u2026"), self)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        self.settings_action.triggered.connect(self.settings_requested.emit)
        toolbar.addAction(self.settings_action)
        # the sale's actions (New sale, Shift report) go between these two separators; the first
        # is shown only while there are any, so a venue switch never adds another one
        self._sale_separator = toolbar.addSeparator()
        self._sale_separator.setVisible(False)
        self._sale_actions: list[QAction] = []
        self._sale_anchor = toolbar.addSeparator()
        self.about_action = QAction(_("About"), self)
        self.about_action.setObjectName("aboutAction")
        self.about_action.setToolTip(_("Version and licences of VdM Box Office"))
        self.about_action.triggered.connect(self.show_about)
        toolbar.addAction(self.about_action)
        self._about_dialog: QWidget | None = None
        self.toolbar = toolbar
        self._set_refresh_tooltip(True)

        # --- banners + content --------------------------------------------------------------
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.demo_banner = Banner("demo", _("Demo: simulated box office, no real sales"))
        self.demo_banner.hide()
        self.offline_banner = Banner("offline")
        self.offline_banner.hide()
        self.notice_banner = Banner("notice", dismissable=True)
        self.notice_banner.hide()
        self.keyring_banner = Banner("warning", dismissable=True)
        self.keyring_banner.hide()
        # The banners head the left-hand pages only: one appearing (offline, a notice) must not
        # move the sale pane's buttons (payment methods, Pay) under the cashier's cursor. Nor the
        # page below them (event list, seat map): they are drawn over its top edge, above a slot
        # of fixed height, never in its layout (BannerOverlay).
        self.pages = QWidget()
        self.pages.setObjectName("pagesColumn")
        pages_col = QVBoxLayout(self.pages)
        pages_col.setContentsMargins(0, 0, 0, 0)
        pages_col.setSpacing(0)
        self.banners = BannerOverlay(self.pages, [self.demo_banner, self.offline_banner,
                                                  self.notice_banner, self.keyring_banner])
        pages_col.addWidget(self.banners.slot)

        self.stack = QStackedWidget()
        self.browser = EventBrowser()
        self.details = DetailsPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("browserSplitter")
        self.splitter.setChildrenCollapsible(False)
        browser_holder = QWidget()
        holder_layout = QVBoxLayout(browser_holder)
        holder_layout.setContentsMargins(12, 10, 6, 6)
        holder_layout.addWidget(self.browser)
        self.splitter.addWidget(browser_holder)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        # narrow (a counter laptop, the cart beside): the details give way to the list
        self.details_collapse = DetailsCollapse(self.splitter, self.browser, self.details,
                                                self.browser.details_toggle)
        self.stack.addWidget(self.splitter)
        # The performance page (seat map, sale) is built on first use: not needed to paint the list,
        # and its imports are a good part of the cold start (benchmarks/startup.py).
        self._performance_panel: PerformancePanel | None = None

        # The cart area: empty and hidden until the cart side installs its widget.
        self.content_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.content_splitter.setObjectName("contentSplitter")
        self.content_splitter.setChildrenCollapsible(False)
        pages_col.addWidget(self.stack, 1)
        self.content_splitter.addWidget(self.pages)
        self.cart_area = QWidget()
        self.cart_area.setObjectName("cartArea")
        cart_layout = self._cart_layout = QVBoxLayout(self.cart_area)
        cart_layout.setContentsMargins(0, 0, 0, 0)
        self.cart_area.hide()
        self.content_splitter.addWidget(self.cart_area)
        self.content_splitter.setStretchFactor(0, 1)
        self.content_splitter.setStretchFactor(1, 0)
        self._cart_widget: QWidget | None = None
        self.cart_fit = CartPaneFit(self.content_splitter, self.cart_area, self._list_needs)
        self.browser.model.modelReset.connect(self.cart_fit.apply)
        outer.addWidget(self.content_splitter, 1)
        self.setCentralWidget(central)

        self.status_label = QLabel()
        self.status_label.setObjectName("statusText")
        # one line; a long status is cut at the window's edge, never widens the window
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.statusBar().addWidget(self.status_label, 1)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_search)
        self.resize(1280, 800)
        self.splitter.setSizes([760, 520])
        restored = self.window_state is not None and self.window_state.restore(self, self._splitters())
        if not restored:
            # First run: the list, the details and the cart pane side by side need the room.
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        self.cart_area.setVisible(self._cart_widget is not None)  # restoring must not show it empty

    # --- profiles -----------------------------------------------------------------------------
    def set_profiles(self, profiles: Sequence[Profile], active_id: str) -> None:
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for profile in profiles:
            self.profile_combo.addItem(profile.display_name(), profile.id)
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(active_id)))
        self.profile_combo.blockSignals(False)

    def _on_profile_activated(self, index: int) -> None:
        profile_id = self.profile_combo.itemData(index)
        if profile_id:
            self.profile_chosen.emit(profile_id)

    # --- states -------------------------------------------------------------------------------
    def set_demo(self, demo: bool) -> None:
        self.demo_banner.setVisible(demo)

    def set_offline(self, offline: bool, text: str = "", reason: str = "") -> None:
        """Show or hide the offline banner and disable what needs the network. Refresh stays
        enabled: offline it tries to reach VoordeMensen at once."""
        self.offline_banner.setText(text)
        self.offline_banner.setVisible(offline)
        self._offline_reason = reason
        self._set_refresh_tooltip(not offline)
        self.offline_changed.emit(offline)

    @property
    def offline(self) -> bool:
        return not self.offline_banner.isHidden()

    @property
    def offline_reason(self) -> str:
        return self._offline_reason

    def _set_refresh_tooltip(self, enabled: bool) -> None:
        self.refresh_action.setToolTip(
            _("Fetch the latest performances (F5)") if enabled
            else _("Offline: try to reach VoordeMensen again now (F5)"))

    def show_notice(self, text: str) -> None:
        self.notice_banner.setText(text)
        self.notice_banner.show()

    def show_keyring_warning(self, text: str | None) -> None:
        if text:
            self.keyring_banner.setText(text)
            self.keyring_banner.show()
        else:
            self.keyring_banner.hide()

    def add_toolbar_actions(self, actions: Sequence[QAction]) -> None:
        """Put the sale's actions in the toolbar (before About), after one separator."""
        for act in actions:
            if act not in self._sale_actions:
                self.toolbar.insertAction(self._sale_anchor, act)
                self._sale_actions.append(act)
        self._sale_separator.setVisible(bool(self._sale_actions))

    def remove_toolbar_actions(self, actions: Sequence[QAction]) -> None:
        for act in actions:
            if act in self._sale_actions:
                self.toolbar.removeAction(act)
                self._sale_actions.remove(act)
        self._sale_separator.setVisible(bool(self._sale_actions))

    def show_about(self) -> None:
        """The About dialog (version, licences); one at a time, never modal."""
        from boxoffice.ui.about import show_about

        open_one = self._about_dialog
        if open_one is not None and open_one.isVisible():
            open_one.raise_()
            open_one.activateWindow()
            return
        dialog = show_about(self)
        self._about_dialog = dialog
        dialog.finished.connect(lambda *_a: setattr(self, "_about_dialog", None))

    def set_status(self, text: str, details: str = "") -> None:
        """``details``: the technical details behind the text (class, endpoint, status, server
        text), never in the text itself; shown in the status line's tooltip (for support)."""
        self.status_label.setText(text)
        self.status_label.setToolTip(
            text + ("\n\n" + _("Details") + ": " + details if details and text else ""))

    # --- navigation ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.show_browser()
        self.browser.focus_search()

    def show_browser(self) -> None:
        self.stack.setCurrentWidget(self.splitter)
        self.browser.tree.setFocus()

    def show_performance(self) -> None:
        """Show the opened performance's page; the map (or the first ticket count) gets the focus."""
        self.stack.setCurrentWidget(self.performance_panel)
        self.performance_panel.focus_content()

    def show_page(self, page: QWidget) -> None:
        """Show another page of the left-hand column (the order desk), added on first use; the
        banners and the cart stay where they are."""
        if self.stack.indexOf(page) < 0:
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    @property
    def showing_performance(self) -> bool:
        return self._performance_panel is not None \
            and self.stack.currentWidget() is self._performance_panel

    @property
    def performance_panel(self) -> PerformancePanel:
        """The performance page, built the first time anything asks for it."""
        if self._performance_panel is None:
            from boxoffice.ui.performance import PerformancePanel

            panel = PerformancePanel()
            panel.set_offline(self.offline, self._offline_reason)
            panel.back_requested.connect(self.show_browser)
            self.stack.addWidget(panel)
            self._performance_panel = panel
        return self._performance_panel

    @property
    def has_performance_panel(self) -> bool:
        return self._performance_panel is not None

    # --- cart area ----------------------------------------------------------------------------
    def set_cart_widget(self, widget: QWidget | None) -> None:
        """Put the cart side's widget in the right-hand cart area (None empties and hides it)."""
        layout = self._cart_layout
        if self._cart_widget is not None:
            layout.removeWidget(self._cart_widget)
            self._cart_widget.setParent(None)
        self._cart_widget = widget
        if widget is None:
            self.cart_area.hide()
            return
        layout.addWidget(widget)
        widget.show()
        self.cart_area.show()
        self.content_splitter.refresh()
        self.cart_fit.apply()

    def _list_needs(self) -> int:
        """The list page's width with every hall name whole (the details pane gives way)."""
        holder = self.browser.parentWidget()
        layout = holder.layout() if holder is not None else None
        margins = layout.contentsMargins() if layout is not None else None
        extra = margins.left() + margins.right() if margins is not None else 0
        return self.browser.comfortable_width() + extra

    @property
    def cart_widget(self) -> QWidget | None:
        return self._cart_widget

    # --- closing ------------------------------------------------------------------------------
    def _splitters(self) -> dict[str, QSplitter]:
        return {"browser": self.splitter, "content": self.content_splitter}

    def save_state(self) -> None:
        if self.window_state is not None:
            self.window_state.save(self, self._splitters())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing asks the controller for its orderly shutdown and waits for it: the close is
        refused until then (``closing_allowed``). A ``QApplication.quit()`` (macOS Quit, a
        platform quit) tries to close the windows first, so it is held up the same way instead
        of ending the event loop under unfinished writes (issue 13)."""
        self.save_state()
        if self.closing_allowed:
            event.accept()
            return
        event.ignore()
        self.close_requested.emit()
