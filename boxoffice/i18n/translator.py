"""Loading the app's one gettext catalog and the current language.

Owns: which language is active (OS default or an explicit override), compiling the
``boxoffice.po`` of that language in memory (no build step is needed to run from a
checkout; a packaged build may ship a compiled ``boxoffice.mo`` instead), and rejecting
translations whose ``{placeholders}`` differ from the English source.

English is the source language: its "catalog" is the msgids themselves.
"""
from __future__ import annotations

import gettext
import io
import locale
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import cast

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from boxoffice.i18n.placeholders import translation_is_safe

log = logging.getLogger(__name__)

DOMAIN = "boxoffice"
SOURCE_LANGUAGE = "en"
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "nl")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_lock = threading.RLock()
_language: str | None = None
_translations: gettext.NullTranslations | None = None
_cache: dict[str, gettext.NullTranslations] = {}
_listeners: list[Callable[[str], None]] = []


# --------------------------------------------------------------------------- loading

def _catalog_paths(language: str, locale_dir: Path) -> tuple[Path, Path]:
    folder = locale_dir / language / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def read_catalog(language: str, locale_dir: Path = LOCALE_DIR) -> Catalog | None:
    """The Babel catalog of *language*: the ``.po`` when present, else a compiled ``.mo``."""
    po, mo = _catalog_paths(language, locale_dir)
    if po.is_file():
        with po.open("rb") as fh:
            return read_po(fh, locale=language, domain=DOMAIN)
    if mo.is_file():
        with mo.open("rb") as fh:
            return read_mo(fh)
    return None


def reject_unsafe(catalog: Catalog) -> list[str]:
    """Drop translations that are fuzzy, incomplete or break the placeholder guard.

    Returns the msgids that were dropped because of their placeholders (for logging and
    for ``build.py --check``). Dropped messages fall back to the English source.
    """
    rejected: list[str] = []
    doomed: list[tuple[str | tuple[str, ...] | list[str], str | None]] = []
    for message in catalog:
        if not message.id:
            continue  # the header
        if message.pluralizable:
            singular, plural = message.id[0], message.id[1]
            strings = message.string or ()
            forms = [s for s in strings if s]
            if not forms:
                continue
            if len(forms) != len(strings) or message.fuzzy:
                doomed.append((message.id, message.context))
                continue
            if not all(translation_is_safe(singular, s, plural) for s in forms):
                rejected.append(singular)
                doomed.append((message.id, message.context))
        else:
            # not pluralizable: babel keeps the id and the text as single strings
            source, text = cast(str, message.id), cast(str, message.string)
            if not text:
                continue
            if message.fuzzy:
                doomed.append((message.id, message.context))
                continue
            if not translation_is_safe(source, text):
                rejected.append(source)
                doomed.append((message.id, message.context))
    for msgid, context in doomed:
        catalog.delete(msgid, context=context)
    return rejected


def compile_catalog(catalog: Catalog) -> gettext.GNUTranslations:
    """Guard and compile *catalog* in memory into a ``GNUTranslations``."""
    rejected = reject_unsafe(catalog)
    for msgid in rejected:
        log.warning("translation rejected (placeholders differ from source): %r", msgid)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def load_translations(language: str, locale_dir: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """Translations for *language*; the English source (identity) when none are shipped."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    try:
        catalog = read_catalog(language, locale_dir)
    except Exception:  # a broken catalog must never stop the box office
        log.exception("could not read the %s catalog; using English", language)
        catalog = None
    if catalog is None:
        return gettext.NullTranslations()
    return compile_catalog(catalog)


# --------------------------------------------------------------------------- language

def _match_supported(tag: str | None) -> str | None:
    if not tag:
        return None
    tag = tag.strip().split(".")[0].split("@")[0].replace("-", "_")
    if tag in ("C", "POSIX", ""):
        return None
    primary = tag.split("_")[0].lower()
    return primary if primary in SUPPORTED_LANGUAGES else None


def _os_language_tags() -> Iterable[str]:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            yield from value.split(":")
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        try:
            import ctypes

            lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()
            yield locale.windows_locale.get(lcid, "")
        except Exception:
            pass
    try:
        yield locale.getlocale(locale.LC_MESSAGES if hasattr(locale, "LC_MESSAGES") else locale.LC_CTYPE)[0] or ""
    except (ValueError, TypeError):
        pass


def os_language(system_languages: Sequence[str] | None = None) -> str:
    """The first supported language the OS (or the given UI-language list) asks for.

    *system_languages* lets the desktop shell pass what the windowing system reports
    (e.g. ``QLocale.system().uiLanguages()``), which is more reliable on macOS and Windows
    than environment variables. Unsupported or unknown → English.
    """
    for tag in list(system_languages or ()) + list(_os_language_tags()):
        found = _match_supported(tag)
        if found:
            return found
    return SOURCE_LANGUAGE


def set_language(language: str | None, system_languages: Sequence[str] | None = None) -> str:
    """Activate *language* (``"nl"``, ``"en"``; ``None`` = follow the OS). Returns the one in use."""
    global _language, _translations
    effective = _match_supported(language) if language else None
    if effective is None:
        effective = os_language(system_languages)
    with _lock:
        if effective not in _cache:
            _cache[effective] = load_translations(effective)
        changed = effective != _language
        _language, _translations = effective, _cache[effective]
        listeners = list(_listeners)
    if changed:
        for callback in listeners:
            try:
                callback(effective)
            except Exception:
                log.exception("language listener failed")
    return effective


def current_language() -> str:
    """The language in use (activating the OS language on first use)."""
    if _language is None:
        set_language(None)
    assert _language is not None
    return _language


def on_language_changed(callback: Callable[[str], None]) -> Callable[[], None]:
    """Call *callback(language)* after each change; returns a function that unsubscribes."""
    with _lock:
        _listeners.append(callback)

    def unsubscribe() -> None:
        with _lock:
            if callback in _listeners:
                _listeners.remove(callback)

    return unsubscribe


def reload_catalogs() -> None:
    """Forget compiled catalogs (after the .po files changed) and reload the current one."""
    global _language
    with _lock:
        _cache.clear()
        language, _language = _language, None
    if language is not None:
        set_language(language)


def _active() -> gettext.NullTranslations:
    if _translations is None:
        current_language()
    assert _translations is not None
    return _translations


def gettext_(msgid: str) -> str:
    """Translate *msgid* into the current language."""
    return _active().gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count (choose the plural form for *n*)."""
    return _active().ngettext(singular, plural, n)


def pgettext(context: str, msgid: str) -> str:
    """Translate *msgid* in a disambiguating *context*."""
    return _active().pgettext(context, msgid)


def N_(msgid: str) -> str:
    """Mark *msgid* for extraction without translating it now (translate later with ``_``)."""
    return msgid
