"""Translations and locale formatting for the whole app (core and UI share one catalog).

Usage everywhere (Qt-free core and Qt views alike)::

    from boxoffice.i18n import _, ngettext, format_money
    label = _("Sold out")
    text = ngettext("{count} ticket", "{count} tickets", n).format(count=n)

Call ``_()`` when the text is shown, not at import time, so a language switch takes effect;
use ``N_()`` to mark constants for extraction. The catalogs are
``boxoffice/i18n/locale/<lang>/LC_MESSAGES/boxoffice.po``; ``resources/translations/build.py``
extracts, merges, checks and compiles them. Layer: base (imports only ``domain.clock``); no Qt.
"""
from __future__ import annotations

from boxoffice.i18n.formatting import (
    babel_locale,
    format_date,
    format_datetime,
    format_money,
    format_percent,
    format_time,
    format_when,
    weekday,
)
from boxoffice.i18n.translator import (
    N_,
    SOURCE_LANGUAGE,
    SUPPORTED_LANGUAGES,
    current_language,
    ngettext,
    on_language_changed,
    os_language,
    pgettext,
    reload_catalogs,
    set_language,
)
from boxoffice.i18n.translator import gettext_ as _
from boxoffice.i18n.translator import gettext_ as gettext

LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}  # each in its own language, never translated

__all__ = [
    "_",
    "gettext",
    "ngettext",
    "pgettext",
    "N_",
    "set_language",
    "current_language",
    "on_language_changed",
    "os_language",
    "reload_catalogs",
    "SOURCE_LANGUAGE",
    "SUPPORTED_LANGUAGES",
    "LANGUAGE_NAMES",
    "babel_locale",
    "format_money",
    "format_percent",
    "format_date",
    "format_time",
    "format_datetime",
    "format_when",
    "weekday",
]
