"""The About dialog: version from the one place it lives, licences read from package metadata,
the LGPLv3 notice for Qt, and links that go through the app's URL policy."""
from __future__ import annotations

import email.message
from importlib import metadata

import pytest

from boxoffice import __version__, i18n
from boxoffice.ui import about


def _meta(**fields) -> email.message.Message:
    msg = email.message.Message()
    for key, value in fields.items():
        if isinstance(value, list):
            for item in value:
                msg[key.replace("_", "-")] = item
        else:
            msg[key.replace("_", "-")] = value
    return msg


def test_licence_is_read_in_order_expression_field_classifier():
    assert about.licence_from_metadata(_meta(License_Expression="MIT", License="BSD")) == "MIT"
    assert about.licence_from_metadata(_meta(License="BSD-3-Clause")) == "BSD-3-Clause"
    long_text = "Copyright (c) someone\n\nPermission is hereby granted..."
    assert about.licence_from_metadata(_meta(
        License=long_text, Classifier=["Programming Language :: Python",
                                       "License :: OSI Approved :: BSD License"])) == "BSD License"
    assert about.licence_from_metadata(_meta()) is None


def test_every_bundled_component_comes_from_its_metadata():
    comps = {c.name: c for c in about.bundled_components()}
    expected = {"Qt for Python (PySide6)", "qasync", "HTTPX", "Pydantic", "keyring", "platformdirs",
                "Babel", "h11", "segno", "Python"}
    assert expected <= set(comps)
    assert all(c.from_metadata for c in comps.values()), [c.name for c in comps.values()
                                                          if not c.from_metadata]
    assert comps["qasync"].version == metadata.version("qasync")
    assert comps["qasync"].licence == metadata.metadata("qasync")["License-Expression"]
    assert "LGPL-3.0" in comps["Qt for Python (PySide6)"].licence
    assert comps["keyring"].licence == "MIT" and comps["Babel"].licence.startswith("BSD")
    assert comps["segno"].licence.startswith("BSD") and comps["h11"].licence == "MIT"


def test_missing_metadata_falls_back_and_says_so():
    spec = about.BundledSpec("Nothing", ("no-such-distribution-here",), "MIT", "https://example.org")
    comp = about.component(spec)
    assert comp.version == "?" and comp.licence == "MIT" and not comp.from_metadata


def test_about_dialog_shows_version_licences_and_qt_notice(qtbot):
    dialog = about.show_about(None)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()  # opened without blocking
    assert __version__ in dialog.title.text()
    text = dialog.text.toPlainText()
    for needle in ("LGPL", "download.qt.io", "replace", "qasync", "BSD-2-Clause", "Pydantic",
                   "GPL-3.0-or-later"):
        assert needle in text, needle
    assert about.qt_version() in text


def test_about_dialog_in_dutch(qtbot):
    i18n.set_language("nl")
    dialog = about.AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Over VdM Box Office"
    assert f"Versie {__version__}" in dialog.title.text()
    assert "Lesser General Public License" in dialog.text.toPlainText()
    from PySide6.QtWidgets import QPushButton

    assert "Sluiten" in [b.text() for b in dialog.findChildren(QPushButton)]


@pytest.mark.parametrize("url, opened", [("https://download.qt.io/official_releases/qt/", True),
                                         ("http://example.org/", False),
                                         ("file:///etc/passwd", False)])
def test_links_go_through_the_url_policy(qtbot, monkeypatch, url, opened):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    seen: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda u: seen.append(u.toString()) or True)
    dialog = about.AboutDialog()
    qtbot.addWidget(dialog)
    dialog.text.anchorClicked.emit(QUrl(url))
    assert seen == ([url] if opened else [])
