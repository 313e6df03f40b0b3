"""``SettingsDialog``: add, edit and remove live venue profiles, test them, choose the language.

The API key goes from the password field straight to :class:`~boxoffice.credentials.CredentialStore`
(the OS keychain) and the field is cleared; it is never written to the settings file. When there is
no keychain the dialog says so plainly: the public API (browsing, selling) still works, seat maps
need the key. The dialog is non-modal (``open()``); the connection test runs as a tracked task.

Every keychain call (is there one, is a key saved, save, remove, read) runs in a worker thread,
never on the event loop: an OS keychain that asks to be unlocked can take many seconds, and the
window must not freeze meanwhile (issue 13). ``keychain_busy`` is True while one is out.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.api.secrets import ApiKey
from boxoffice.config import DEFAULT_API_ROOT, Profile, ProfileError, Settings, SettingsStore
from boxoffice.credentials import CredentialStore, KeyringUnavailable, unavailable_message
from boxoffice.i18n import LANGUAGE_NAMES, _
from boxoffice.ui.tasks import TaskTracker

log = logging.getLogger(__name__)

ConnectionTester = Callable[[Profile, ApiKey | None], Any]


def _default_tester() -> ConnectionTester:
    from boxoffice.services.connection_test import check_connection

    def test(profile: Profile, key: ApiKey | None) -> Any:
        return check_connection(profile.api_root, profile.client_name, key)

    return test


class SettingsDialog(QDialog):
    profiles_changed = Signal()
    language_changed = Signal(object)  # str | None

    def __init__(self, settings: Settings, store: SettingsStore, credentials: CredentialStore,
                 tracker: TaskTracker, parent: QWidget | None = None,
                 tester: ConnectionTester | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.setModal(False)
        self.settings = settings
        self.store = store
        self.credentials = credentials
        self.tracker = tracker
        self.tester = tester
        self.editing: Profile | None = None
        self._confirm_remove = False

        layout = QVBoxLayout(self)

        # --- profiles ------------------------------------------------------------------------
        venues = QGroupBox(_("Venues"))
        venues_layout = QHBoxLayout(venues)
        left = QVBoxLayout()
        self.profile_list = QListWidget()
        self.profile_list.setObjectName("profileList")
        self.profile_list.currentItemChanged.connect(self._on_profile_selected)
        left.addWidget(self.profile_list, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("Add venue"))
        self.add_button.clicked.connect(self.new_profile)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setObjectName("removeProfile")
        self.remove_button.clicked.connect(self.remove_profile)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        venues_layout.addLayout(left, 2)

        form_box = QVBoxLayout()
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("profileName")
        self.name_edit.setPlaceholderText(_("e.g. Stadsschouwburg"))
        form.addRow(_("Venue name"), self.name_edit)
        self.client_edit = QLineEdit()
        self.client_edit.setObjectName("clientName")
        self.client_edit.setPlaceholderText(_("the short name VoordeMensen gave you"))
        form.addRow(_("Client name"), self.client_edit)
        self.url_edit = QLineEdit(DEFAULT_API_ROOT)
        self.url_edit.setObjectName("apiRoot")
        form.addRow(_("API address"), self.url_edit)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("apiKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        form.addRow(_("API key"), self.key_edit)
        # every placeholder is read whole (also the longer Dutch ones): the fields are at least
        # as wide as their longest hint
        hints = {self.name_edit: [self.name_edit.placeholderText()],
                 self.client_edit: [self.client_edit.placeholderText()],
                 self.url_edit: [DEFAULT_API_ROOT],
                 self.key_edit: [_("no keychain on this computer"),
                                 _("saved in the keychain; type to replace"),
                                 _("optional: needed for seat maps")]}
        for edit, texts in hints.items():
            edit.setMinimumWidth(max(edit.fontMetrics().horizontalAdvance(t) for t in texts) + 24)
        form_box.addLayout(form)
        self.key_note = QLabel()
        self.key_note.setObjectName("keyNote")
        self.key_note.setWordWrap(True)
        form_box.addWidget(self.key_note)

        actions = QHBoxLayout()
        self.test_button = QPushButton(_("Test connection"))
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self.test_connection)
        self.save_button = QPushButton(_("Save venue"))
        self.save_button.setObjectName("saveProfile")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_profile)
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        form_box.addLayout(actions)
        self.result_label = QLabel()
        self.result_label.setObjectName("testResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form_box.addWidget(self.result_label)
        # the first-contact report (technical, for support; never the key) behind a toggle
        report_row = QHBoxLayout()
        self.report_button = QPushButton(_("Show details"))
        self.report_button.setObjectName("testReportToggle")
        self.report_button.setCheckable(True)
        self.report_button.toggled.connect(self._toggle_report)
        self.copy_report_button = QPushButton(_("Copy details"))
        self.copy_report_button.setObjectName("testReportCopy")
        self.copy_report_button.clicked.connect(self._copy_report)
        report_row.addWidget(self.report_button)
        report_row.addWidget(self.copy_report_button)
        report_row.addStretch(1)
        form_box.addLayout(report_row)
        self.report_view = QPlainTextEdit()
        self.report_view.setObjectName("testReport")
        self.report_view.setReadOnly(True)
        self.report_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report_view.setMinimumHeight(160)
        self.report_view.hide()
        form_box.addWidget(self.report_view)
        self._set_report("")
        form_box.addStretch(1)
        venues_layout.addLayout(form_box, 3)
        layout.addWidget(venues, 1)

        # --- language ------------------------------------------------------------------------
        language_box = QGroupBox(_("Language"))
        language_layout = QHBoxLayout(language_box)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.addItem(_("Computer default"), None)
        for code in ("nl", "en"):
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(settings.language)))
        self.language_combo.currentIndexChanged.connect(self._on_language)
        language_layout.addWidget(self.language_combo)
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)
        language_layout.addWidget(self.language_note, 1)
        layout.addWidget(language_box)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self._remove_timer = QTimer(self)
        self._remove_timer.setSingleShot(True)
        self._remove_timer.setInterval(5000)
        self._remove_timer.timeout.connect(self._reset_remove)

        #: None until the keychain has been asked (in a worker thread) whether it is there
        self.keyring_available: bool | None = None
        self._keychain_calls = 0
        self._key_state_for: str | None = None   # the profile whose key note was asked for last
        self.reload_list()
        self._keychain_task(self._probe_keychain)
        self.resize(760, 520)

    # --- helpers ------------------------------------------------------------------------------
    def _keyring_available(self) -> bool:
        try:
            return bool(self.credentials.available())
        except Exception:  # pragma: no cover
            return False

    @property
    def keychain_busy(self) -> bool:
        """True while a keychain call is out (in a worker thread)."""
        return self._keychain_calls > 0

    def _keychain_task(self, step: Callable[..., Awaitable[None]], *args: Any) -> None:
        """Run ``step(*args)`` (which calls the keychain in a worker thread) as a tracked task."""
        self._keychain_calls += 1

        async def run() -> None:
            try:
                await step(*args)
            finally:
                self._keychain_calls -= 1

        self.tracker.spawn(run(), name=f"keychain-{step.__name__.strip('_')}")

    async def _probe_keychain(self) -> None:
        self.keyring_available = await asyncio.to_thread(self._keyring_available)
        self._update_key_note()

    def reload_list(self, select_id: str | None = None) -> None:
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for profile in self.settings.profiles:
            item = QListWidgetItem(profile.display_name())
            item.setData(Qt.ItemDataRole.UserRole, profile.id)
            self.profile_list.addItem(item)
        self.profile_list.blockSignals(False)
        target = select_id or (self.settings.profiles[0].id if self.settings.profiles else None)
        if target is None:
            self.new_profile()
            return
        for row in range(self.profile_list.count()):
            if self.profile_list.item(row).data(Qt.ItemDataRole.UserRole) == target:
                self.profile_list.setCurrentRow(row)
                break

    def _set_report(self, text: str) -> None:
        self.report_view.setPlainText(text)
        self.report_button.setChecked(False)
        self.report_button.setVisible(bool(text))
        self.copy_report_button.setVisible(bool(text))
        self.report_view.setVisible(False)

    def _toggle_report(self, shown: bool) -> None:
        self.report_view.setVisible(shown and bool(self.report_view.toPlainText()))
        self.report_button.setText(_("Hide details") if shown else _("Show details"))

    def _copy_report(self) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.clipboard().setText(self.report_view.toPlainText())

    @property
    def report_text(self) -> str:
        """The first-contact report of the last connection test ('' when there is none)."""
        return self.report_view.toPlainText()

    def _show_result(self, ok: bool | None, text: str) -> None:
        self.result_label.setProperty("ok", "yes" if ok else ("no" if ok is False else "busy"))
        self.result_label.style().unpolish(self.result_label)
        self.result_label.style().polish(self.result_label)
        self.result_label.setText(text)

    def _update_key_note(self) -> None:
        if self.keyring_available is False:
            self.key_edit.setEnabled(False)
            self.key_edit.setPlaceholderText(_("no keychain on this computer"))
            self.key_note.setText(unavailable_message())
            return
        self.key_edit.setEnabled(True)
        if self.editing is None:
            self._show_key_state(False)
            return
        profile_id = self.editing.id
        self._key_state_for = profile_id
        self._keychain_task(self._ask_key_state, profile_id)

    async def _ask_key_state(self, profile_id: str) -> None:
        try:
            has_key = await asyncio.to_thread(self.credentials.has_key, profile_id)
        except KeyringUnavailable:
            has_key = False
        if self._key_state_for == profile_id and self.editing is not None and self.editing.id == profile_id:
            self._show_key_state(has_key)

    def _show_key_state(self, has_key: bool) -> None:
        if has_key:
            self.key_edit.setPlaceholderText(_("saved in the keychain; type to replace"))
            self.key_note.setText(_("The key is kept in the computer's keychain, never in a file."))
        else:
            self.key_edit.setPlaceholderText(_("optional: needed for seat maps"))
            self.key_note.setText(_("Without a key you can browse and sell; seat maps need the key. "
                                    "It is kept in the computer's keychain, never in a file."))

    # --- profile editing ----------------------------------------------------------------------
    def _on_profile_selected(self, current: QListWidgetItem | None, _prev: Any = None) -> None:
        self._reset_remove()
        self.result_label.clear()
        if current is None:
            return
        profile = self.settings.profile(current.data(Qt.ItemDataRole.UserRole))
        if profile is None:
            return
        self.editing = profile
        self.name_edit.setText(profile.name)
        self.client_edit.setText(profile.client_name)
        self.url_edit.setText(profile.api_root)
        self.key_edit.clear()
        self.remove_button.setEnabled(True)
        self._update_key_note()

    def new_profile(self) -> None:
        self._reset_remove()
        self.profile_list.clearSelection()
        self.profile_list.setCurrentItem(None)  # type: ignore[call-overload]  # PySide6 stubs: Qt takes nullptr
        self.editing = None
        self.name_edit.clear()
        self.client_edit.clear()
        self.url_edit.setText(DEFAULT_API_ROOT)
        self.key_edit.clear()
        self.remove_button.setEnabled(False)
        self.result_label.clear()
        self._update_key_note()
        self.name_edit.setFocus()

    def _profile_from_form(self) -> Profile:
        name, client, url = self.name_edit.text(), self.client_edit.text(), self.url_edit.text()
        if self.editing is None:
            return Profile.new(name, client, url)
        return self.editing.edited(name=name, client_name=client, api_root=url)

    def _typed_key(self) -> ApiKey | None:
        text = self.key_edit.text().strip()
        return ApiKey(text) if text else None

    def save_profile(self) -> Profile | None:
        """Validate and save the form; the key goes to the keychain. Returns the saved profile."""
        try:
            profile = self._profile_from_form()
            key = self._typed_key()
        except (ProfileError, ValueError, TypeError) as exc:
            self._show_result(False, str(exc) if isinstance(exc, ProfileError)
                              else _("The API key contains characters that are not allowed."))
            return None
        self.key_edit.clear()
        self.settings.upsert_profile(profile)
        self.store.save(self.settings)
        self.editing = profile
        self.reload_list(profile.id)
        if key is None:
            self._show_result(True, _("Venue saved."))
            self.profiles_changed.emit()
        else:   # the venue is saved; its key follows into the keychain, then the venue is used
            self._show_result(None, _("Venue saved; storing the key in the keychain\u2026"))
            self._keychain_task(self._store_key, profile, key)
        return profile

    async def _store_key(self, profile: Profile, key: ApiKey) -> None:
        try:
            await asyncio.to_thread(self.credentials.set, profile.id, key)
        except KeyringUnavailable as exc:
            self._show_result(False, _("Venue saved, but the key could not be stored: {reason}")
                              .format(reason=str(exc)))
        else:
            self._show_result(True, _("Venue saved."))
        if self.editing is not None and self.editing.id == profile.id:
            self._update_key_note()
        self.profiles_changed.emit()

    def remove_profile(self) -> None:
        if self.editing is None:
            return
        if not self._confirm_remove:
            self._confirm_remove = True
            self.remove_button.setText(_("Click again to remove"))
            self._remove_timer.start()
            return
        profile = self.editing
        self._reset_remove()
        self._keychain_task(self._forget_key, profile.id)
        self.settings.remove_profile(profile.id)
        self.store.save(self.settings)
        self.editing = None
        self.reload_list()
        self._show_result(True, _("Venue {name} removed.").format(name=profile.display_name()))
        self.profiles_changed.emit()

    async def _forget_key(self, profile_id: str) -> None:
        try:
            await asyncio.to_thread(self.credentials.delete, profile_id)
        except KeyringUnavailable:
            pass

    def _reset_remove(self) -> None:
        self._confirm_remove = False
        self.remove_button.setText(_("Remove"))
        self._remove_timer.stop()

    # --- connection test ----------------------------------------------------------------------
    def test_connection(self) -> None:
        try:
            profile = self._profile_from_form()
            key = self._typed_key()
        except (ProfileError, ValueError, TypeError) as exc:
            self._show_result(False, str(exc) if isinstance(exc, ProfileError)
                              else _("The API key contains characters that are not allowed."))
            return
        saved_for = (self.editing.id if key is None and self.editing is not None
                     and self.keyring_available is not False else None)
        self.test_button.setEnabled(False)
        self._set_report("")
        self._show_result(None, _("Testing the connection\u2026"))
        self.tracker.spawn(self._run_test(profile, key, saved_for), name="connection-test")

    async def _run_test(self, profile: Profile, key: ApiKey | None, saved_for: str | None = None) -> None:
        tester = self.tester or _default_tester()
        try:
            if saved_for is not None:   # the saved key, read in a worker thread
                try:
                    key = await asyncio.to_thread(self.credentials.get, saved_for)
                except KeyringUnavailable:
                    key = None
            result = tester(profile, key)
            if inspect.isawaitable(result):
                result = await result
        finally:
            self.test_button.setEnabled(True)
        ok, text = describe_test_result(result)
        self._show_result(ok, text)
        details = getattr(result, "details", "")
        self._set_report(details if isinstance(details, str) else "")

    # --- language -----------------------------------------------------------------------------
    def _on_language(self, _index: int) -> None:
        language = self.language_combo.currentData()
        self.settings.language = language
        self.store.save(self.settings)
        self.language_note.setText(_("The new language is used from the next start of the box office."))
        self.language_changed.emit(language)


def describe_test_result(result: Any) -> tuple[bool, str]:
    """Turn the core's connection-test result into (ok, text for the cashier)."""
    ok = bool(getattr(result, "ok", False))
    for attr in ("message", "summary", "text"):
        text = getattr(result, attr, None)
        if isinstance(text, str) and text:
            break
    else:
        text = _("Connection works.") if ok else _("The connection test failed.")
    lines = [text]
    for step in getattr(result, "steps", None) or ():
        label = getattr(step, "label", None) or getattr(step, "name", "")
        detail = getattr(step, "detail", None) or getattr(step, "message", "") or ""
        passed = getattr(step, "ok", None)
        mark = "\u2713" if passed else ("\u2717" if passed is False else "\u2013")
        lines.append(f"{mark} {label}" + (f": {detail}" if detail else ""))
    return ok, "\n".join(lines)
