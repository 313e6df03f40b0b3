"""Date boxes show dates the way the rest of the app writes them (``4 Dec 2026`` /
``4 dec 2026``: Babel's medium date, see :func:`boxoffice.i18n.format_date`), never ``04-12-2026``
or ``2026-12-04`` next to them."""
from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateEdit

from boxoffice.i18n.formatting import locale_name

# Babel's medium date for en_GB and nl_NL ("d MMM y") in Qt's notation
DATE_BOX_FORMAT = "d MMM yyyy"


def use_app_date_format(edit: QDateEdit) -> QDateEdit:
    """Give *edit* the app's date format in the current language (month names included)."""
    edit.setLocale(QLocale(locale_name()))
    edit.setDisplayFormat(DATE_BOX_FORMAT)
    return edit
