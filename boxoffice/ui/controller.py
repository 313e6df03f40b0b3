"""``AppController``: runs one venue session behind the main window, from start to orderly shutdown.

Owns the lifecycle: acquire the profile's instance lock, open a
:class:`~boxoffice.services.session.BoxOfficeSession`, show the cached event list at once (no
network), refresh in the background, follow the connectivity state (offline banner, disabled network
actions), show the seats left per performance with the list (the session's availability service;
greyed "as of" when not live), load details on selection (``boxoffice.ui.details_loader``), open a performance (its
hall map or ticket counter, read-only when it cannot be sold or while offline), switch profiles,
and on quit: cancel and await every task, close the session (HTTP client + embedded simulator)
and release the lock. Core callbacks are plain
callables; they are turned into Qt signals here, so the core never sees Qt. The saved list is
painted first (``boxoffice.ui.startup``); the counter's parts come from
``boxoffice.services.counter``.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from boxoffice.api import errors
from boxoffice.api.secrets import REDACTOR
from boxoffice.config import AppPaths, Profile, Settings, SettingsStore
from boxoffice.credentials import CredentialStore, unavailable_message
from boxoffice.domain.clock import venue_now
from boxoffice.i18n import _, format_datetime
from boxoffice.services.connectivity import is_offline_error
from boxoffice.services.messages import journal_refused
from boxoffice.store.journal import JournalError
from boxoffice.ui.details_loader import DetailsLoader
from boxoffice.ui.errors import ExceptionReporter
from boxoffice.ui.events.rows import PerformanceRow
from boxoffice.ui.main_window import MainWindow
from boxoffice.ui.single_instance import InstanceLock
from boxoffice.ui.startup import FirstPaintWatcher, wait_for_first_paint
from boxoffice.ui.tasks import TaskTracker
from boxoffice.ui.window_state import WindowState

log = logging.getLogger(__name__)

SessionOpener = Callable[..., Any]


def _default_opener() -> SessionOpener:
    from boxoffice.services.session import BoxOfficeSession

    return BoxOfficeSession.open


__all__ = ["AppController", "FirstPaintWatcher", "SessionOpener"]


class AppController(QObject):
    _online_changed = Signal(bool)
    _events_changed = Signal(object)
    _availability_changed = Signal(object)

    def __init__(
        self,
        *,
        paths: AppPaths,
        settings_store: SettingsStore,
        credentials: CredentialStore,
        reporter: ExceptionReporter,
        settings: Settings | None = None,
        profile_id: str | None = None,
        force_demo: bool = False,
        session_opener: SessionOpener | None = None,
        demo_server_factory: Callable[..., Any] | None = None,
        clock: Callable[[], dt.datetime] = venue_now,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.settings_store = settings_store
        self.settings = settings if settings is not None else settings_store.load()
        self.credentials = credentials
        self.reporter = reporter
        self.session_opener = session_opener
        self.demo_server_factory = demo_server_factory
        self.tracker = TaskTracker(on_error=reporter.report)
        self.quit_event = asyncio.Event()
        self.session: Any = None
        self.profile: Profile | None = None
        self.lock: InstanceLock | None = None
        self.fetched_at: dt.datetime | None = None
        self._board: Any = None   # the seats left last published (AvailabilityBoard)
        self._sale_phase: Any = None
        self._offline_since_round = False   # counts read before a connection loss stay not live
        self._unsubscribe: list[Callable[[], None]] = []
        self._settings_dialog: Any = None
        self.sale: Any = None  # boxoffice.ui.sale_controller.SaleController of the open session
        self.orders: Any = None  # boxoffice.ui.orders.controller.OrderDeskController, same session
        self._closed = False

        app = QApplication.instance()
        if app is not None:  # closing the window must not stop the loop before cleanup ran
            app.setQuitOnLastWindowClosed(False)  # type: ignore[attr-defined]
        self.window = MainWindow(WindowState(paths.config_dir))
        self.window.browser.clock = clock
        self.details = DetailsLoader(self.window, self.tracker, lambda: self.session,
                                     self.sale_blocked_reason)
        reporter.parent_widget = self.window
        self.profile = self._initial_profile(profile_id, force_demo)

        self.window.close_requested.connect(self.request_quit)
        self.window.refresh_requested.connect(self.refresh)
        self.window.profile_chosen.connect(self.switch_profile)
        self.window.settings_requested.connect(self.open_settings)
        self.window.browser.performance_selected.connect(self.details.performance_selected)
        self.window.browser.production_selected.connect(self.details.production_selected)
        self.window.browser.performance_opened.connect(self.open_performance)
        self.window.details.open_requested.connect(self.open_performance)
        self.window.offline_changed.connect(self._performance_offline)
        self._online_changed.connect(self._on_online_changed)
        self.window.offline_changed.connect(self._update_sale_button)
        self._events_changed.connect(self._on_events_changed)
        self._availability_changed.connect(self._on_availability)
        if self.settings_store.recovered_notice:
            self.window.show_notice(self.settings_store.recovered_notice)

    # ----------------------------------------------------------------------------- profiles
    def _initial_profile(self, profile_id: str | None, force_demo: bool) -> Profile:
        if force_demo:
            return self.settings.profile("demo") or self.settings.active_profile()
        if profile_id is not None:
            chosen = self.settings.profile(profile_id)
            if chosen is None:
                raise SystemExit(_("There is no venue profile with the id {id}.").format(id=profile_id))
            return chosen
        return self.settings.active_profile()

    def acquire_lock(self, profile: Profile) -> InstanceLock | None:
        lock = InstanceLock(profile.data_dir(self.paths))
        return lock if lock.acquire() else None

    def refused_message(self, profile: Profile) -> str:
        return _("The box office is already open for {venue} on this computer. "
                 "Use the window that is already open.").format(venue=profile.display_name())

    # ----------------------------------------------------------------------------- lifecycle
    async def run(self) -> int:
        """Start, wait for the window to close, shut down in order. Returns the exit code."""
        if not await self.start():
            return 3
        await self.quit_event.wait()
        await self.shutdown()
        return 0

    async def start(self) -> bool:
        assert self.profile is not None
        if self.lock is None:
            self.lock = self.acquire_lock(self.profile)
            if self.lock is None:
                log.warning("profile %s already open elsewhere", self.profile.id)
                return False
        self.window.set_profiles(self.settings.all_profiles(), self.profile.id)
        self.window.show()
        await self._open_session(self.profile)
        return True

    def request_quit(self) -> None:
        self.quit_event.set()

    @property
    def closed(self) -> bool:
        """True once :meth:`shutdown` has begun."""
        return self._closed

    async def shutdown(self) -> None:
        """Cancel and await all tasks, close the session, release the lock. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.window.save_state()
        if self._settings_dialog is not None:
            self._settings_dialog.close()
        self.reporter.close_all()
        await self.tracker.aclose()
        await self._close_session()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.window.closing_allowed = True
        self.window.hide()
        log.info("shut down in order")

    # ----------------------------------------------------------------------------- sessions
    async def _open_session(self, profile: Profile) -> None:
        opener = self.session_opener or _default_opener()
        self.window.setWindowTitle(_("VdM Box Office \u2014 {venue}").format(venue=profile.display_name()))
        self.window.set_demo(profile.demo)
        self.window.set_offline(False)
        self.window.details.clear()
        self._board = None   # another venue's counts never show beside this one's list
        self._offline_since_round = False
        self.window.browser.set_availability({})
        if self.window.has_performance_panel:
            self.window.performance_panel.close_performance()
        self.window.show_browser()
        # Paint the saved list first: no network, no simulator start, nothing in between. The
        # rest (session, simulator, cart pane, performance page) is built once it is on screen.
        cached = self._peek_cache(profile)
        if cached is not None:
            self._apply_events(cached, stand_ins=True)
            self.window.set_status(_("Showing the saved list from {time}; updating\u2026")
                                   .format(time=format_datetime(cached.fetched_at, "short")))
            await self._list_painted()
        else:
            self.window.browser.set_events([])
            self.window.browser.set_loading(True)
        if self._closed:
            return
        from boxoffice.ui.performance.source import install_demo_hall_files

        if profile.demo:  # the simulator's theatre comes with a hand-made layout file
            install_demo_hall_files(profile.data_dir(self.paths))

        result = opener(profile, self.paths, self.credentials, self.demo_server_factory)
        session = await result if inspect.isawaitable(result) else result
        if self._closed:  # the window was closed while the session was opening
            await session.aclose()
            return
        self.session = session
        self.profile = profile
        self.details.forget_images()
        self._remember_secrets(session, profile)
        self.window.performance_panel.spawn = self._spawn_performance
        self._open_sale(session, profile)
        self._open_orders(session, profile)

        notice = getattr(getattr(session, "cache", None), "recovered_notice", None)
        if notice:
            self.window.show_notice(notice)
        if not profile.demo:
            try:   # off the event loop: keychain discovery may talk to a slow OS service
                available = await asyncio.to_thread(self.credentials.available)
            except Exception:  # pragma: no cover - keyring discovery failure
                available = False
            if not available:
                self.window.show_keyring_warning(unavailable_message())
            else:
                self.window.show_keyring_warning(getattr(session, "public_only_reason", None))
        else:
            self.window.show_keyring_warning(None)

        cached = session.catalog.cached_events()
        if cached is not None:
            self._apply_events(cached)
        self._unsubscribe.append(session.connectivity.subscribe(self._online_changed.emit))
        unsubscribe = session.catalog.subscribe(self._events_changed.emit)
        if callable(unsubscribe):
            self._unsubscribe.append(unsubscribe)
        self._follow_availability(session)
        # The session runs the probing loop and the periodic refresh itself; this first refresh
        # shares the session's request and lets us explain failures (key refused, unknown venue).
        self.tracker.spawn(self._refresh(), name="refresh")

    async def _list_painted(self, timeout: float = 0.5) -> None:
        """Return once the event list has been painted (or after *timeout*: hidden, minimised)."""
        await wait_for_first_paint(self, timeout)

    def _peek_cache(self, profile: Profile) -> Any:
        """The saved event list of *profile*, as the counter reads it from the offline cache
        before any session exists (a damaged file is recovered; its notice shown once)."""
        from boxoffice.services.counter import peek_saved_events

        return peek_saved_events(profile.data_dir(self.paths), notice=self.window.show_notice)

    def _open_sale(self, session: Any, profile: Profile) -> None:
        """The counter's sale (cart, checkout, journal, recovery) for this session."""
        from boxoffice.ui.sale_controller import SaleController

        try:
            self.sale = SaleController(self.window, session, profile, self.paths,
                                       on_error=self.reporter.report)
        except JournalError as exc:
            # a newer app's journal, or one that cannot be reached now: left as it is, and no
            # sale without a journal (browsing goes on)
            log.error("sale journal refused: %s", exc)
            self.window.show_notice(journal_refused(exc))
            return
        self.sale.start()
        self._sale_phase = None
        subscribe = getattr(getattr(self.sale, "service", None), "subscribe", None)
        if subscribe is not None:
            self._unsubscribe.append(subscribe(self._sale_changed))

    def _open_orders(self, session: Any, profile: Profile) -> None:
        """The order desk (any order of the venue, from the local index) for this session."""
        from boxoffice.ui.orders.controller import OrderDeskController

        try:
            self.orders = OrderDeskController(self.window, session, profile, self.paths,
                                              sale=self.sale, on_error=self.reporter.report)
        except Exception:  # the desk is an extra: selling goes on without it
            log.warning("the order desk could not be opened", exc_info=True)
            return
        self.orders.start()

    async def _close_session(self) -> None:
        if self.window.has_performance_panel:  # it reads through the session
            self.window.performance_panel.close_performance()
        orders, self.orders = self.orders, None
        if orders is not None:  # its sync finishes before the client closes
            await orders.aclose()
        sale, self.sale = self.sale, None
        if sale is not None:  # writes in flight finish before the client closes
            await sale.aclose()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        session, self.session = self.session, None
        if session is not None:
            await session.aclose()

    def _remember_secrets(self, session: Any, profile: Profile) -> None:
        """The session's key (for a live venue, the one it read from the keychain, off the event
        loop) is scrubbed from every log line and message from now on."""
        key = getattr(session, "api_key", None)
        if key is not None and hasattr(key, "reveal"):
            REDACTOR.add_secret(key.reveal())

    # ----------------------------------------------------------------------------- events
    def refresh(self) -> None:
        """F5 / Refresh: the seat availability on a performance's page, else the event list.
        Offline it tries to reach VoordeMensen at once (instead of waiting for the next automatic
        try); when that works, the list and an open page reload by themselves."""
        if self.session is not None and self.window.offline:
            self.session.connectivity.check_now()
            self.window.set_status(_("Trying to reach VoordeMensen\u2026"))
            return
        if self.orders is not None and self.orders.showing:
            self.orders.sync_now()
            return
        if self.session is not None and self.window.showing_performance \
                and self.window.performance_panel.performance is not None:
            self.window.performance_panel.refresh_plan()
            return
        if self.session is not None:
            self.tracker.cancel_named("refresh")
            self.tracker.spawn(self._refresh(), name="refresh")

    async def _refresh(self) -> None:
        session = self.session
        if session is None:
            return
        try:
            cached = await session.catalog.refresh_events()
        except asyncio.CancelledError:
            raise
        except errors.VdmError as exc:
            self._refresh_failed(exc)
            return
        if session is self.session:
            self._apply_events(cached)

    def _refresh_failed(self, exc: errors.VdmError) -> None:
        if is_offline_error(exc):
            if self.session is not None and self.session.connectivity.online is False:
                self._show_offline()
            self.window.set_status(_("VoordeMensen could not be reached; showing the saved list."))
        elif isinstance(exc, errors.AuthError):
            self.window.show_notice(_("VoordeMensen refused the API key of this venue. "
                                      "Check it in Settings."))
        elif isinstance(exc, errors.NotFound):
            self.window.show_notice(_("VoordeMensen does not know the client name of this venue. "
                                      "Check it in Settings."))
        else:
            from boxoffice.services.messages import reason_text, technical_details

            log.warning("event refresh failed: %s", technical_details(exc))
            self.window.set_status(_("The event list could not be updated: {reason}")
                                   .format(reason=reason_text(exc)), technical_details(exc))

    def _on_events_changed(self, cached: Any) -> None:
        if self.session is not None:
            self._apply_events(cached)

    def _apply_events(self, cached: Any, *, stand_ins: bool = False) -> None:
        """Show *cached* in the list. ``stand_ins``: the saved list's plain rows, painted before the
        models load; not remembered as applied, so the models of the same list replace them."""
        if self.fetched_at is not None and cached.fetched_at == self.fetched_at \
                and self.window.browser.loaded:
            return
        self.fetched_at = None if stand_ins else cached.fetched_at
        self.window.browser.set_events(cached.events)
        if self.session is not None and self.session.connectivity.online is False:
            self._show_offline()
        else:
            self.window.set_status(_("Event list updated {time}")
                                   .format(time=format_datetime(cached.fetched_at, "short")))

    # ----------------------------------------------------------------------------- seats left
    def _follow_availability(self, session: Any) -> None:
        """Show the session's seats left (the saved ones at once, not live) and every board it
        publishes: the service reads them with each event list, off the GUI path."""
        availability = getattr(session, "availability", None)
        if availability is None:
            return
        self._unsubscribe.append(availability.subscribe(self._availability_changed.emit))
        self._on_availability(availability.current())

    def _on_availability(self, board: Any) -> None:
        if self.session is None:
            return
        previous = getattr(self._board, "checked_at", None)
        if board.checked_at is not None and board.checked_at != previous \
                and self.session.connectivity.online is not False:
            self._offline_since_round = False   # a new round, read since the connection is back
        self._board = board
        self._show_availability()

    def _show_availability(self) -> None:
        """The counts in the list; none of them live while offline."""
        board = self._board
        if board is None:
            self.window.browser.set_availability({})
            return
        online = self.session is not None and self.session.connectivity.online is not False
        live = online and not self._offline_since_round
        self.window.browser.set_availability(board.counts, board.checked_at if live else None)

    def _sale_changed(self, snap: Any) -> None:
        """A sale here was paid (or ended unpaid): its performances' counts are read again."""
        phase = getattr(snap.phase, "value", snap.phase)
        ended = phase in ("paid", "not_paid") and phase != self._sale_phase
        self._sale_phase = phase
        availability = getattr(self.session, "availability", None)
        if ended and availability is not None:
            availability.sold({line.event_id for line in snap.lines})

    # ----------------------------------------------------------------------------- connectivity
    def _offline_reason(self) -> str:
        return _("Not available offline: VoordeMensen cannot be reached right now.")

    def _show_offline(self) -> None:
        if self.fetched_at is not None:
            text = _("Offline: data from {time}").format(time=format_datetime(self.fetched_at, "short"))
        else:
            text = _("Offline: no saved event list yet. It appears as soon as the connection works.")
        text += " \u2014 " + _("Selling is paused until the connection is back.")
        self.window.set_offline(True, text, self._offline_reason())

    def _on_online_changed(self, online: bool) -> None:
        if self.session is None:
            return
        if online:
            was_offline = self.window.offline
            self.window.set_offline(False)
            if was_offline:  # the catalog refreshes by itself on the way back
                self.window.set_status(_("Connection restored; updating\u2026"))
        else:
            self._show_offline()
            self._offline_since_round = True
        self._show_availability()

    # ----------------------------------------------------------------------------- details
    def _update_sale_button(self, *_args: Any) -> None:
        perf = self.window.details.performance
        if perf is not None:
            reason = self.sale_blocked_reason(perf)
            self.window.details.set_sale_available(reason is None, reason or "")

    def sale_blocked_reason(self, perf: PerformanceRow) -> str | None:
        """Why tickets for *perf* cannot be sold right now (None when they can)."""
        if self.window.offline:
            return self.window.offline_reason
        from boxoffice.ui.performance.panel import status_reason

        return status_reason(self.window.browser.model.status_of(perf))

    def open_performance(self, perf: PerformanceRow) -> None:
        """Show *perf*'s page (Enter, double-click, "Sell tickets…").

        It opens also when it cannot be sold (sold out, not on sale, past, offline): the map is
        then read-only with the reason, which still answers questions at the counter."""
        if self.session is None or self.profile is None:
            return
        from boxoffice.ui.performance.source import PerformanceSource

        panel = self.window.performance_panel
        source = PerformanceSource(self.session, self.profile.data_dir(self.paths))
        panel.open(perf, source, status=self.window.browser.model.status_of(perf),
                   offline=self.window.offline, offline_reason=self.window.offline_reason)
        self.window.show_performance()
        self.window.set_status("")  # the page itself says why it is read-only, once

    def _spawn_performance(self, coro: Any) -> Any:
        return self.tracker.spawn(coro, name="performance")

    def _performance_offline(self, offline: bool) -> None:
        if self.window.has_performance_panel:  # a new page takes the state when it is built
            self.window.performance_panel.set_offline(offline, self.window.offline_reason)

    # ----------------------------------------------------------------------------- switching
    def switch_profile(self, profile_id: str) -> None:
        if self.profile is not None and profile_id == self.profile.id:
            return
        self.tracker.cancel_named("switch")
        self.tracker.spawn(self._switch(profile_id), name="switch")

    async def _switch(self, profile_id: str) -> bool:
        profile = self.settings.profile(profile_id)
        if profile is None or self._closed:
            return False
        lock = self.acquire_lock(profile)
        if lock is None:
            self.window.show_notice(self.refused_message(profile))
            assert self.profile is not None
            self.window.set_profiles(self.settings.all_profiles(), self.profile.id)
            return False
        await self.tracker.cancel_and_wait("refresh", "details", "performance")
        await self._close_session()
        if self.lock is not None:
            self.lock.release()
        self.lock = lock
        self.fetched_at = None
        self.settings.active_profile_id = profile.id
        self.settings_store.save(self.settings)
        self.window.set_profiles(self.settings.all_profiles(), profile.id)
        await self._open_session(profile)
        return True

    # ----------------------------------------------------------------------------- settings
    def open_settings(self) -> None:
        from boxoffice.ui.settings.dialog import SettingsDialog

        if self._settings_dialog is not None:
            self._settings_dialog.raise_()
            self._settings_dialog.activateWindow()
            return
        dialog = SettingsDialog(self.settings, self.settings_store, self.credentials, self.tracker,
                                parent=self.window)
        dialog.profiles_changed.connect(self._on_profiles_changed)
        dialog.finished.connect(self._settings_closed)
        self._settings_dialog = dialog
        dialog.open()

    def _settings_closed(self, *_args: Any) -> None:
        self._settings_dialog = None

    def _on_profiles_changed(self) -> None:
        assert self.profile is not None
        current = self.settings.profile(self.profile.id)
        if current is None:  # the open profile was removed: fall back
            self.switch_profile(self.settings.active_profile().id)
            return
        self.window.set_profiles(self.settings.all_profiles(), self.profile.id)
        if current != self.profile:  # edited (address, client name, key): reopen it
            self.profile = current
            self.tracker.spawn(self._reopen(current), name="switch")

    async def _reopen(self, profile: Profile) -> None:
        await self.tracker.cancel_and_wait("refresh", "details", "performance")
        await self._close_session()
        self.fetched_at = None
        await self._open_session(profile)
