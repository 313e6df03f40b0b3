"""The About dialog: the app's version and the licences of the components it ships with.

Owns :func:`show_about` (what the main window calls), :func:`bundled_components` (name, version
and licence of every bundled library, read from the installed package metadata — the frozen
builds ship that metadata, see ``packaging/boxoffice.spec`` — with a documented fallback when a
distribution's metadata is missing) and the LGPLv3 notice for Qt/PySide6: where to get their
source and how to replace the Qt libraries of an installed copy.
"""
from __future__ import annotations

import html
import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Protocol, cast

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from boxoffice import __version__
from boxoffice.i18n import _

APP_LICENCE = "GPL-3.0-or-later"  # pyproject.toml [project] license
QT_SOURCE_URL = "https://download.qt.io/official_releases/qt/"
PYSIDE_SOURCE_URL = "https://download.qt.io/official_releases/QtForPython/"
LGPL_URL = "https://www.gnu.org/licenses/lgpl-3.0.html"


@dataclass(frozen=True)
class BundledSpec:
    """A component shipped inside the installers (distribution names tried in order)."""

    name: str
    distributions: tuple[str, ...]
    fallback_licence: str
    source: str


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    source: str
    from_metadata: bool     # False: the metadata was missing and the fallback licence is shown


BUNDLED: tuple[BundledSpec, ...] = (
    BundledSpec("Qt for Python (PySide6)", ("PySide6-Essentials", "PySide6"), "LGPL-3.0-only",
                PYSIDE_SOURCE_URL),
    BundledSpec("Shiboken6", ("shiboken6",), "LGPL-3.0-only", PYSIDE_SOURCE_URL),
    BundledSpec("qasync", ("qasync",), "BSD-2-Clause", "https://github.com/CabbageDevelopment/qasync"),
    BundledSpec("HTTPX", ("httpx",), "BSD-3-Clause", "https://github.com/encode/httpx"),
    BundledSpec("HTTP Core", ("httpcore",), "BSD-3-Clause", "https://github.com/encode/httpcore"),
    BundledSpec("h11", ("h11",), "MIT", "https://github.com/python-hyper/h11"),
    BundledSpec("Pydantic", ("pydantic",), "MIT", "https://github.com/pydantic/pydantic"),
    BundledSpec("pydantic-core", ("pydantic-core", "pydantic_core"), "MIT",
                "https://github.com/pydantic/pydantic-core"),
    BundledSpec("keyring", ("keyring",), "MIT", "https://github.com/jaraco/keyring"),
    BundledSpec("platformdirs", ("platformdirs",), "MIT", "https://github.com/tox-dev/platformdirs"),
    BundledSpec("Babel", ("babel", "Babel"), "BSD-3-Clause", "https://github.com/python-babel/babel"),
    BundledSpec("segno", ("segno",), "BSD-3-Clause", "https://github.com/heuer/segno"),
    BundledSpec("certifi", ("certifi",), "MPL-2.0", "https://github.com/certifi/python-certifi"),
)


class MetadataFields(Protocol):
    """The fields read of a distribution's metadata (an ``email.message.Message`` at run time;
    typeshed's ``PackageMetadata`` has no ``get``)."""

    def get(self, name: str) -> str | None: ...
    def get_all(self, name: str) -> list[Any] | None: ...


def licence_from_metadata(meta: MetadataFields) -> str | None:
    """The SPDX expression (PEP 639), else a one-line License field, else the trove classifier."""
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 80:
        return field
    for classifier in meta.get_all("Classifier") or []:
        if classifier.startswith("License :: "):
            return classifier.split(" :: ")[-1]
    return None


def component(spec: BundledSpec) -> Component:
    for dist in spec.distributions:
        try:
            meta = cast(MetadataFields, metadata.metadata(dist))
        except metadata.PackageNotFoundError:
            continue
        licence = licence_from_metadata(meta)
        return Component(spec.name, meta.get("Version") or "?", licence or spec.fallback_licence,
                         spec.source, from_metadata=licence is not None)
    return Component(spec.name, "?", spec.fallback_licence, spec.source, from_metadata=False)


def bundled_components() -> list[Component]:
    """Every bundled library, plus the Python runtime (PSF licence)."""
    comps = [component(spec) for spec in BUNDLED]
    comps.append(Component("Python", platform.python_version(), "PSF-2.0",
                           "https://www.python.org/downloads/source/", from_metadata=True))
    return comps


def qt_version() -> str:
    from PySide6.QtCore import qVersion

    return qVersion()


def qt_notice() -> str:
    """The LGPLv3 notice for Qt and PySide6 (translated, plain text)."""
    if sys.platform == "darwin":
        folder = _("the folder Contents/Frameworks/PySide6 inside the app")
    else:
        folder = _("the folder _internal/PySide6 inside the installation folder")
    return _(
        "This program uses Qt {qt} and Qt for Python (PySide6) under the GNU Lesser General "
        "Public License version 3 (LGPLv3). The complete source code of Qt and PySide6 is "
        "available from {qt_source} and {pyside_source}. Qt is included as separate shared "
        "libraries, in {folder}: you may replace them with your own build of the same Qt "
        "version (for example one made from modified source) and the box office will use it. "
        "The licence text is at {lgpl}."
    ).format(qt=qt_version(), qt_source=QT_SOURCE_URL, pyside_source=PYSIDE_SOURCE_URL,
             folder=folder, lgpl=LGPL_URL)


def about_html() -> str:
    rows = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td></tr>".format(
            html.escape(c.name), html.escape(c.version), html.escape(c.licence),
            html.escape(c.source, quote=True), html.escape(c.source))
        for c in bundled_components()
    )
    return (
        "<p>{intro}</p><p>{own}</p><h3>{bundled}</h3>"
        "<table cellspacing=\"0\" cellpadding=\"3\"><tr><th align=\"left\">{h_name}</th>"
        "<th align=\"left\">{h_version}</th><th align=\"left\">{h_licence}</th>"
        "<th align=\"left\">{h_source}</th></tr>{rows}</table>"
        "<h3>Qt / PySide6</h3><p>{qt}</p>"
    ).format(
        intro=html.escape(_("A box office for venues that sell tickets through VoordeMensen.")),
        own=html.escape(_("The box office itself is free software, licensed under {licence}.")
                        .format(licence=APP_LICENCE)),
        bundled=html.escape(_("Components included")),
        h_name=html.escape(_("Component")), h_version=html.escape(_("Version")),
        h_licence=html.escape(_("Licence")), h_source=html.escape(_("Source")),
        rows=rows, qt=html.escape(qt_notice()),
    )


class AboutDialog(QDialog):
    """Version, licences and the Qt notice. Links open through the app's URL policy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(_("About VdM Box Office"))
        layout = QVBoxLayout(self)
        self.title = QLabel(f"<h2>VdM Box Office</h2><p>{html.escape(self.version_text())}</p>")
        self.title.setObjectName("aboutTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        self.text = QTextBrowser()
        self.text.setObjectName("aboutText")
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._open_link)
        self.text.setHtml(about_html())
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 560)

    @staticmethod
    def version_text() -> str:
        return _("Version {version}").format(version=__version__)

    def _open_link(self, url: QUrl) -> None:
        from boxoffice.ui.url_policy import open_external

        open_external(url)


def show_about(parent: QWidget | None = None) -> AboutDialog:
    """Open the About dialog (non-blocking, deleted when closed) and return it."""
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
