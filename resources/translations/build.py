#!/usr/bin/env python3
"""Extract, merge, check and compile the app's gettext catalog (pybabel-like, no CLI needed).

    python resources/translations/build.py            # extract + merge into .po + compile .mo
    python resources/translations/build.py --update   # extract + merge only
    python resources/translations/build.py --compile  # compile .mo only (for packaging)
    python resources/translations/build.py --check    # no writes; exit 1 on missing/bad translations

Msgids are extracted from every ``boxoffice/**/*.py`` (core and UI) calling ``_``,
``gettext``, ``ngettext``, ``pgettext`` or ``N_``. English is the source language. The
``.po`` files are written sorted by msgid, with file names but without line numbers, so
edits by several people merge cleanly. ``--check`` fails when a msgid used in the code has
no (non-fuzzy) translation in a shipped language, or when a translation's ``{placeholders}``
differ from its source (the app would reject it at run time and show English).
"""
from __future__ import annotations

import argparse
from datetime import datetime, timezone
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from boxoffice.i18n.placeholders import translation_is_safe  # noqa: E402
from boxoffice.i18n.translator import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, reject_unsafe  # noqa: E402

PACKAGE_DIR = ROOT / "boxoffice"
POT_PATH = Path(__file__).resolve().parent / f"{DOMAIN}.pot"
PROJECT = "VdM Box Office"
KEYWORDS = dict(DEFAULT_KEYWORDS)


def extract(package_dir: Path = PACKAGE_DIR) -> Catalog:
    """The template catalog: every translatable msgid used in the package."""
    template = Catalog(project=PROJECT, domain=DOMAIN, fuzzy=False, creation_date=datetime(2026, 1, 1, tzinfo=timezone.utc))

    def skip_tests(dirpath: str) -> bool:
        return "__pycache__" not in Path(dirpath).parts

    for filename, lineno, message, comments, context in extract_from_dir(
        package_dir,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
        directory_filter=skip_tests,
    ):
        if not message or (isinstance(message, tuple) and not all(message)):
            continue
        location = (f"{package_dir.name}/{Path(filename).as_posix()}", None)
        existing = template.get(message[0] if isinstance(message, tuple) else message, context)
        if existing is not None:
            if location not in existing.locations:
                existing.locations.append(location)
            continue
        template.add(message, None, locations=[location], auto_comments=comments, context=context)
    return template


def languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """The shipped translation languages (folders holding a boxoffice.po)."""
    return sorted(
        p.name for p in locale_dir.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
    ) if locale_dir.is_dir() else []


def _po_path(language: str, locale_dir: Path) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(language: str, locale_dir: Path) -> Catalog:
    with _po_path(language, locale_dir).open("rb") as fh:
        return read_po(fh, locale=language, domain=DOMAIN)


def _write_po(path: Path, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _show(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def update(template: Catalog, locale_dir: Path = LOCALE_DIR, pot_path: Path = POT_PATH) -> None:
    """Write the .pot and merge it into every shipped .po (new msgids added, unused dropped)."""
    _write_po(pot_path, template)
    for language in languages(locale_dir):
        catalog = _read(language, locale_dir)
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.creation_date = created
        _write_po(_po_path(language, locale_dir), catalog)
        print(f"updated {_show(_po_path(language, locale_dir))}")


def compile_all(locale_dir: Path = LOCALE_DIR) -> None:
    """Compile each .po (placeholder guard applied) into a .mo beside it, for packaging."""
    for language in languages(locale_dir):
        catalog = _read(language, locale_dir)
        reject_unsafe(catalog)
        mo = _po_path(language, locale_dir).with_suffix(".mo")
        with mo.open("wb") as fh:
            write_mo(fh, catalog)
        print(f"compiled {_show(mo)}")


def check(template: Catalog, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Problems that must fail CI: untranslated msgids and placeholder mismatches."""
    problems: list[str] = []
    shipped = languages(locale_dir)
    if "nl" not in shipped:
        problems.append("nl: boxoffice.po is missing")
    for language in shipped:
        if language == SOURCE_LANGUAGE:
            continue
        catalog = _read(language, locale_dir)
        for message in template:
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            where = ", ".join(str(f) for f, _ in message.locations)
            found = catalog.get(key, message.context)
            if found is None or found.fuzzy:
                problems.append(f"{language}: untranslated ({where}): {key!r}")
                continue
            if isinstance(message.id, tuple):
                strings = found.string if isinstance(found.string, tuple) else (found.string,)
                if not strings or not all(strings):
                    problems.append(f"{language}: untranslated plural ({where}): {key!r}")
                elif not all(translation_is_safe(message.id[0], s, message.id[1]) for s in strings):
                    problems.append(f"{language}: placeholders differ ({where}): {key!r}")
            else:
                if not found.string or isinstance(found.string, tuple):
                    problems.append(f"{language}: untranslated ({where}): {key!r}")
                elif not translation_is_safe(message.id, found.string):
                    problems.append(f"{language}: placeholders differ ({where}): {key!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify only; non-zero exit on problems")
    parser.add_argument("--update", action="store_true", help="extract and merge only")
    parser.add_argument("--compile", action="store_true", help="compile .mo files only")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--package-dir", type=Path, default=PACKAGE_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--pot", type=Path, default=POT_PATH, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.check:
        problems = check(extract(args.package_dir), args.locale_dir)
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            print(f"{len(problems)} translation problem(s); run build.py --update and translate.",
                  file=sys.stderr)
            return 1
        print("translations complete")
        return 0
    if args.compile:
        compile_all(args.locale_dir)
        return 0
    update(extract(args.package_dir), args.locale_dir, args.pot)
    if not args.update:
        compile_all(args.locale_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
