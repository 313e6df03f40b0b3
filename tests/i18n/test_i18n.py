"""One catalog for the app: Dutch and English, Babel formats, and the placeholder guard."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import boxoffice
from boxoffice.i18n import (
    _,
    current_language,
    format_date,
    format_datetime,
    format_money,
    format_time,
    format_when,
    ngettext,
    on_language_changed,
    os_language,
    set_language,
    weekday,
)
from boxoffice.i18n.translator import LOCALE_DIR, load_translations, read_catalog, reject_unsafe

ROOT = Path(boxoffice.__file__).resolve().parents[1]
BUILD = ROOT / "resources" / "translations" / "build.py"
WEDNESDAY = dt.date(2026, 4, 1)


def visible(text: str) -> str:
    """What the cashier sees: Babel's non-breaking spaces look like spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_dutch_and_english_strings():
    set_language("nl")
    assert current_language() == "nl"
    assert _("Sold out") == "Uitverkocht"
    assert _("On sale") == "Te koop"
    set_language("en")
    assert _("Sold out") == "Sold out"


def test_unknown_language_falls_back_to_english():
    assert set_language("fr") in ("en", "nl")  # "fr" is not shipped: the OS decides
    assert set_language("en") == "en"


def test_dutch_plurals():
    set_language("nl")
    one = ngettext("{count} performance shown", "{count} performances shown", 1).format(count=1)
    many = ngettext("{count} performance shown", "{count} performances shown", 3).format(count=3)
    assert one == "1 voorstelling getoond"
    assert many == "3 voorstellingen getoond"


def test_money_dutch():
    set_language("nl")
    text = format_money(Decimal("24.50"))
    assert visible(text) == "€ 24,50"
    assert text == "€\xa024,50"  # Babel's non-breaking space keeps the amount on one line
    assert visible(format_money(Decimal("1234.5"))) == "€ 1.234,50"


def test_money_english():
    set_language("en")
    assert format_money(Decimal("24.50")) == "€24.50"
    assert format_money(Decimal("1234.5")) == "€1,234.50"


def test_weekdays_and_dates():
    set_language("nl")
    assert weekday(WEDNESDAY) == "woensdag"
    assert weekday(WEDNESDAY, "abbreviated") == "wo"
    assert format_date(WEDNESDAY, "full") == "woensdag 1 april 2026"
    assert format_date(WEDNESDAY, "short") == "01-04-2026"
    set_language("en")
    assert weekday(WEDNESDAY) == "Wednesday"
    assert format_date(WEDNESDAY, "full") == "Wednesday, 1 April 2026"


def test_times_are_24_hour_and_in_venue_time():
    utc_evening = dt.datetime(2026, 4, 1, 18, 30, tzinfo=dt.timezone.utc)  # 20:30 in Amsterdam
    for language in ("nl", "en"):
        set_language(language)
        assert format_time(dt.time(20, 30)) == "20:30"
        assert format_time(utc_evening) == "20:30"
    set_language("nl")
    assert visible(format_datetime(utc_evening)) == "1 apr 2026, 20:30"
    set_language("en")
    assert visible(format_datetime(utc_evening)) == "1 Apr 2026, 20:30"


def test_when_is_the_time_today_and_the_date_with_it_otherwise():
    late = dt.datetime(2026, 4, 1, 22, 30, tzinfo=dt.timezone.utc)   # 00:30 on 2 April there
    set_language("nl")
    assert format_when(late, dt.date(2026, 4, 2)) == "00:30"           # today in venue time
    assert visible(format_when(late, dt.date(2026, 4, 1))) == "2 apr 2026, 00:30"
    assert visible(format_when(late, None)) == "2 apr 2026, 00:30"


def test_os_language(monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "nl_BE.UTF-8")
    assert os_language() == "nl"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.setattr("boxoffice.i18n.translator.locale.getlocale", lambda *a: ("fr_FR", "UTF-8"))
    assert os_language() == "en"
    assert os_language(["nl-NL", "en-US"]) == "nl"  # what Qt reports wins
    monkeypatch.setenv("LANGUAGE", "de:nl")
    assert os_language() == "nl"
    set_language(None)
    assert current_language() == "nl"
    assert _("Sold out") == "Uitverkocht"


def test_language_listeners():
    set_language("en")
    seen = []
    unsubscribe = on_language_changed(seen.append)
    set_language("nl")
    set_language("nl")  # no change, no call
    unsubscribe()
    set_language("en")
    assert seen == ["nl"]


PO_HEADER = """msgid ""
msgstr ""
"Language: xx\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

"""


def _write_po(locale_dir: Path, body: str, language: str = "xx") -> None:
    folder = locale_dir / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "boxoffice.po").write_text(PO_HEADER + body, encoding="utf-8")


def test_placeholder_guard_rejects_mismatched_translations(tmp_path):
    _write_po(tmp_path, '''
msgid "Offline: data from {time}"
msgstr "Offline: gegevens van {tijd}"

msgid "Prices could not be loaded: {reason}"
msgstr "Prijzen niet geladen: {reason}"

msgid "{amount} off"
msgstr "korting"

msgid "Seat {row}-{nr}"
msgstr "Stoel {row}-{nr"

msgid "{count} ticket"
msgid_plural "{count} tickets"
msgstr[0] "{count} kaartje"
msgstr[1] "{aantal} kaartjes"

msgid "{count} seat"
msgid_plural "{count} seats"
msgstr[0] "Eén stoel"
msgstr[1] "{count} stoelen"
''')
    t = load_translations("xx", tmp_path)
    assert t.gettext("Offline: data from {time}") == "Offline: data from {time}"  # renamed field
    assert t.gettext("Prices could not be loaded: {reason}") == "Prijzen niet geladen: {reason}"
    assert t.gettext("{amount} off") == "{amount} off"  # dropped field
    assert t.gettext("Seat {row}-{nr}") == "Seat {row}-{nr}"  # broken braces
    assert t.ngettext("{count} ticket", "{count} tickets", 2) == "{count} tickets"
    assert t.ngettext("{count} seat", "{count} seats", 1) == "Eén stoel"  # may drop, not invent
    assert t.ngettext("{count} seat", "{count} seats", 5) == "{count} stoelen"


def test_fuzzy_translations_are_not_used(tmp_path):
    _write_po(tmp_path, '''
#, fuzzy
msgid "Sold out"
msgstr "Uitgeleend"
''')
    assert load_translations("xx", tmp_path).gettext("Sold out") == "Sold out"


def test_shipped_catalog_passes_the_guard():
    catalog = read_catalog("nl", LOCALE_DIR)
    assert catalog is not None and len(catalog) > 20
    assert reject_unsafe(catalog) == []


def test_build_check_passes_for_the_code_as_it_is():
    """Every msgid used anywhere in boxoffice/ (core and UI) has a Dutch translation."""
    result = subprocess.run([sys.executable, str(BUILD), "--check"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr


def test_build_check_fails_on_an_untranslated_string(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text(
        'from boxoffice.i18n import _\n'
        'A = _("Sold out")\n'
        'B = _("A brand new sentence nobody translated")\n'
        'C = _("Offline: data from {time}")\n'
    )
    locale_dir = tmp_path / "locale"
    folder = locale_dir / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "boxoffice.po").write_text(PO_HEADER.replace("xx", "nl") + '''
msgid "Sold out"
msgstr "Uitverkocht"

msgid "Offline: data from {time}"
msgstr "Offline: gegevens van {tijd}"
''', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(BUILD), "--check", "--package-dir", str(package),
         "--locale-dir", str(locale_dir)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert result.returncode == 1
    assert "A brand new sentence nobody translated" in result.stderr
    assert "placeholders differ" in result.stderr and "{time}" in result.stderr
    assert "Sold out" not in result.stderr


def test_update_then_compile_produces_a_working_mo(tmp_path):
    """--update adds new msgids to the .po (sorted, no line numbers); --compile writes a .mo."""
    import shutil

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text('from boxoffice.i18n import _\nA = _("Zebra")\nB = _("Apple")\n')
    locale_dir = tmp_path / "locale"
    folder = locale_dir / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "boxoffice.po").write_text(PO_HEADER.replace("xx", "nl") + '''
msgid "Zebra"
msgstr "Zebra (nl)"
''', encoding="utf-8")
    for args in (["--update"], ["--compile"]):
        result = subprocess.run(
            [sys.executable, str(BUILD), *args, "--package-dir", str(package),
             "--locale-dir", str(locale_dir), "--pot", str(tmp_path / "t.pot")],
            capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert result.returncode == 0, result.stderr
    assert 'msgid "Apple"' in (tmp_path / "t.pot").read_text(encoding="utf-8")
    po = (folder / "boxoffice.po").read_text(encoding="utf-8")
    assert po.index('msgid "Apple"') < po.index('msgid "Zebra"')
    assert 'msgstr "Zebra (nl)"' in po
    assert "mod.py:" not in po  # file names only, no line numbers
    mo_dir = tmp_path / "mo_only" / "nl" / "LC_MESSAGES"
    mo_dir.mkdir(parents=True)
    shutil.copy(folder / "boxoffice.mo", mo_dir / "boxoffice.mo")
    assert load_translations("nl", tmp_path / "mo_only").gettext("Zebra") == "Zebra (nl)"
