"""The customer display's own language, independent of the cashier's.

Owns :class:`DisplayLanguage`: the app's catalog for one language loaded explicitly
(``boxoffice.i18n.translator.load_translations``), never the global current language, so the
customer can switch the display between Dutch and English while the cashier's screen keeps its
own. Money and dates are formatted in the display's language too.
"""
from __future__ import annotations

import datetime as dt
import gettext
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_currency

from boxoffice.domain.clock import VENUE_ZONE
from boxoffice.i18n.formatting import babel_locale
from boxoffice.i18n.translator import SUPPORTED_LANGUAGES, load_translations

_cache: dict[str, gettext.NullTranslations] = {}


class DisplayLanguage:
    """Translations and formats of one language (``nl`` or ``en``)."""

    def __init__(self, language: str) -> None:
        if language not in SUPPORTED_LANGUAGES:
            language = "en"
        self.code = language
        if language not in _cache:
            _cache[language] = load_translations(language)
        self._tr = _cache[language]
        self._locale = babel_locale(language)

    def gettext(self, msgid: str) -> str:
        return self._tr.gettext(msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._tr.ngettext(singular, plural, n)

    def money(self, amount: Decimal) -> str:
        return format_currency(amount, "EUR", locale=self._locale)

    def when(self, moment: dt.datetime | None) -> str:
        """``Saturday 5 December, 20:30`` in the display's language (venue time)."""
        if moment is None:
            return ""
        local = moment.astimezone(VENUE_ZONE) if moment.tzinfo else moment
        return "{day}, {time}".format(day=format_date(local.date(), "EEEE d MMMM", locale=self._locale),
                                      time=format_time(local.time(), "HH:mm", locale=self._locale))
