"""Venue profiles: the API key goes to the keychain only (never a file), the connection test says
precisely what failed, no keychain is explained plainly, and the toolbar switches venues."""
from __future__ import annotations

import base64
import logging

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from boxoffice.config import SettingsStore
from boxoffice.credentials import CredentialStore
from boxoffice.ui.logging_setup import configure_logging, remove_logging
from boxoffice.ui.settings.dialog import SettingsDialog
from boxoffice.ui.tasks import TaskTracker


def files_containing(root, secret: str) -> list[str]:
    needles = [secret.encode(), base64.b64encode(f"{secret}:".encode())]
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles):
                hits.append(str(path))
    return hits


def make_dialog(qtbot, home, tracker=None):
    store = SettingsStore.for_paths(home)
    settings = store.load()
    dialog = SettingsDialog(settings, store, CredentialStore(), tracker or TaskTracker(), None)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog, settings


def fill(dialog, qtbot, name, client, url, key):
    dialog.new_profile()
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClicks(dialog.client_edit, client)
    dialog.url_edit.setText(url)
    qtbot.keyClicks(dialog.key_edit, key)


@pytest.mark.asyncio
async def test_saved_key_is_in_the_keychain_only_never_in_a_file(
        qtbot, home, memory_keyring, simulator, app_factory, wait, tmp_path):
    sim = simulator()
    handler = configure_logging(home.log_dir)
    logging.getLogger("boxoffice").setLevel(logging.DEBUG)
    tracker = TaskTracker()
    try:
        dialog, settings = make_dialog(qtbot, home, tracker)
        fill(dialog, qtbot, "Schouwburg", sim.client_name, sim.base_url, sim.api_key)
        changed = []
        dialog.profiles_changed.connect(lambda: changed.append(True))
        profile = dialog.save_profile()
        assert profile is not None
        assert dialog.key_edit.text() == ""          # the field forgets it
        await wait(lambda: changed and not dialog.keychain_busy)   # the key follows, off the loop
        assert memory_keyring.store[("vdm-boxoffice", profile.id)] == sim.api_key
        assert SettingsStore.for_paths(home).load().profiles == [profile]

        # Test connection with the saved key: both APIs work.
        dialog.test_connection()
        await wait(lambda: dialog.test_button.isEnabled() and dialog.result_label.property("ok") == "yes")
        assert "seat maps are available" in dialog.result_label.text()
        dialog.close()

        # Use the profile for a while (cache, logs), then look in every folder.
        settings.active_profile_id = profile.id
        SettingsStore.for_paths(home).save(settings)
        controller = app_factory()
        try:
            assert await controller.start()
            await wait(lambda: controller.window.browser.model.performance_count() > 0)
        finally:
            await controller.shutdown()
    finally:
        await tracker.aclose()
        remove_logging(handler)
    for folder in (home.config_dir, home.data_dir, home.log_dir, home.cache_dir, tmp_path):
        assert files_containing(folder, sim.api_key) == []
    assert any(home.log_dir.iterdir())  # the scan looked at real log files


@pytest.mark.asyncio
async def test_connection_test_says_precisely_what_failed(qtbot, home, memory_keyring, simulator, wait):
    sim = simulator()
    tracker = TaskTracker()
    try:
        dialog, _settings = make_dialog(qtbot, home, tracker)
        fill(dialog, qtbot, "Schouwburg", sim.client_name, sim.base_url, "wrong-key-123456")
        dialog.test_connection()
        await wait(lambda: dialog.test_button.isEnabled() and dialog.result_label.property("ok") == "no")
        assert "key was refused" in dialog.result_label.text()
        assert "events can be read" in dialog.result_label.text()

        fill(dialog, qtbot, "Nowhere", "demo", "http://127.0.0.1:9/v1", "")
        dialog.test_connection()
        await wait(lambda: dialog.test_button.isEnabled() and dialog.result_label.property("ok") == "no")
        assert "could not be reached" in dialog.result_label.text()

        fill(dialog, qtbot, "Plain", "demo", "http://example.org/v1", "")
        dialog.test_connection()
        assert dialog.result_label.property("ok") == "no"
        assert "https://" in dialog.result_label.text()
    finally:
        await tracker.aclose()


@pytest.mark.asyncio
async def test_without_a_keychain_the_dialog_says_so_and_profiles_still_save(qtbot, home, wait):
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    tracker = TaskTracker()
    try:
        dialog, _settings = make_dialog(qtbot, home, tracker)
        await wait(lambda: dialog.keyring_available is not None)
        assert dialog.keyring_available is False
        assert not dialog.key_edit.isEnabled()
        assert "no secure password store" in dialog.key_note.text()
        assert "without seat maps" in dialog.key_note.text()
        fill(dialog, qtbot, "Schouwburg", "schouwburg", "https://api.voordemensen.nl/v1", "")
        assert dialog.save_profile() is not None
        assert [p.client_name for p in SettingsStore.for_paths(home).load().profiles] == ["schouwburg"]
    finally:
        await tracker.aclose()
        keyring.set_keyring(previous)


@pytest.mark.asyncio
async def test_invalid_input_is_explained_and_nothing_is_saved(qtbot, home):
    tracker = TaskTracker()
    try:
        dialog, _settings = make_dialog(qtbot, home, tracker)
        fill(dialog, qtbot, "Bad", "has spaces", "https://api.voordemensen.nl/v1", "")
        assert dialog.save_profile() is None
        assert dialog.result_label.property("ok") == "no"
        assert "client name" in dialog.result_label.text()
        assert SettingsStore.for_paths(home).load().profiles == []
    finally:
        await tracker.aclose()


@pytest.mark.asyncio
async def test_remove_needs_a_second_click_and_deletes_the_key(qtbot, home, memory_keyring, wait):
    tracker = TaskTracker()
    try:
        dialog, _settings = make_dialog(qtbot, home, tracker)
        await wait(lambda: dialog.keyring_available is not None)
        fill(dialog, qtbot, "Schouwburg", "schouwburg", "https://api.voordemensen.nl/v1", "secret-key-1")
        profile = dialog.save_profile()
        await wait(lambda: not dialog.keychain_busy)
        assert memory_keyring.store[("vdm-boxoffice", profile.id)] == "secret-key-1"
        assert "saved in the keychain" in dialog.key_edit.placeholderText()
        dialog.remove_profile()
        assert SettingsStore.for_paths(home).load().profiles == [profile]
        dialog.remove_profile()
        assert SettingsStore.for_paths(home).load().profiles == []
        await wait(lambda: not dialog.keychain_busy)
        assert ("vdm-boxoffice", profile.id) not in memory_keyring.store
    finally:
        await tracker.aclose()


@pytest.mark.asyncio
async def test_language_choice_is_saved(qtbot, home):
    tracker = TaskTracker()
    try:
        dialog, _settings = make_dialog(qtbot, home, tracker)
        dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("nl"))
        assert SettingsStore.for_paths(home).load().language == "nl"
        assert "next start" in dialog.language_note.text()
        dialog.language_combo.setCurrentIndex(dialog.language_combo.findData(None))
        assert SettingsStore.for_paths(home).load().language is None
    finally:
        await tracker.aclose()


@pytest.mark.asyncio
async def test_the_dialog_asks_the_keychain_off_the_event_loop(qtbot, home, memory_keyring, simulator, wait):
    """Issue 13: opening the dialog, picking a venue, saving its key, testing it and removing it
    never call the keychain on the GUI thread (an unlock prompt would freeze the window)."""
    import threading

    sim = simulator()
    tracker = TaskTracker()
    try:
        dialog, _settings = make_dialog(qtbot, home, tracker)
        fill(dialog, qtbot, "Schouwburg", sim.client_name, sim.base_url, sim.api_key)
        profile = dialog.save_profile()
        await wait(lambda: not dialog.keychain_busy)
        dialog.new_profile()
        dialog.reload_list(profile.id)                  # select it again: is a key saved?
        await wait(lambda: "saved in the keychain" in dialog.key_edit.placeholderText())
        dialog.test_connection()                        # with the saved key
        await wait(lambda: dialog.test_button.isEnabled() and dialog.result_label.property("ok") == "yes")
        dialog.remove_profile()
        dialog.remove_profile()
        await wait(lambda: not dialog.keychain_busy)
    finally:
        await tracker.aclose()
    ops = {op for op, _thread in memory_keyring.calls}
    assert ops == {"get", "set", "delete"}
    on_gui = [op for op, thread in memory_keyring.calls if thread is threading.main_thread()]
    assert on_gui == [], f"keychain calls on the GUI thread: {on_gui}"


@pytest.mark.asyncio
async def test_toolbar_switches_between_venues(app_factory, wait, simulator, live_profile):
    sim = simulator()
    profile = live_profile(sim, active=False)
    controller = app_factory()  # nothing active: the first live profile is used
    try:
        assert await controller.start()
        assert controller.profile.id == profile.id
        window = controller.window
        combo = window.profile_combo
        assert [combo.itemData(i) for i in range(combo.count())] == [profile.id, "demo"]
        await wait(lambda: window.browser.model.performance_count() > 0)
        assert not window.demo_banner.isVisible()
        combo.setCurrentIndex(1)
        combo.activated.emit(1)
        await wait(lambda: controller.profile.demo and controller.session is not None
                   and controller.session.profile.demo)
        assert window.demo_banner.isVisible()
        await wait(lambda: window.browser.model.performance_count() > 0)
        assert SettingsStore.for_paths(controller.paths).load().active_profile_id == "demo"
    finally:
        await controller.shutdown()
