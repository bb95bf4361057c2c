"""Keeping the gettext catalogs in step with the code and templates.

Maintenance for developers, and the completeness check the tests run.
The command line (``make catalogs`` and ``make catalogs-update`` call it)::

    python -m calais_guide.catalogs compile         # every .po -> .mo, beside it
    python -m calais_guide.catalogs extract [ROOT]  # count the msgids of the sources
    python -m calais_guide.catalogs update [ROOT]   # the .pot files, every .po, the names table
    python -m calais_guide.catalogs names           # data/cldr_names.json only

For the completeness check, msgids are extracted with Babel from the
real sources named in ``babel.cfg`` (Python with ``_()``/``N_()``, Jinja
templates under ``layouts/`` with ``_()`` and ``{% trans %}``), so a msgid a
template adds tomorrow fails the tests until every language has it.
"""

from __future__ import annotations

import copy
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .i18n import (
    CLI_DOMAIN,
    DOMAIN,
    LOCALE_DIR,
    NAMES_FILE,
    REVIEW_HEADER,
    cldr_locale,
    compile_all,
    day_name,
    language_name,
    new_catalog,
    po_path,
    read_catalog,
)
from .model import DAYS

MAPPING_FILE = "babel.cfg"
"""Babel's extraction mapping, at the top of the repository."""


def extract(root: Path) -> Any:
    """A template catalog of every msgid in the sources ``root/babel.cfg`` names."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(root / MAPPING_FILE, encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(root / MAPPING_FILE))
    template = new_catalog(project="calais-guide", fuzzy=False)
    found = extract_from_dir(
        root,
        method_map,
        options_map,
        keywords=DEFAULT_KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        template.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


CLI_KEYWORDS = {
    "tr": None,
    "ntr": (1, 2),
    "tr_noop": None,
    "tr_in": (2,),
    "tr_ctx": ((1, "c"), 2),
}
"""How the command line's texts are marked (:mod:`calais_guide.cli_text`)."""


def extract_cli(root: Path, help_texts: bool = True) -> Any:
    """A template catalog of the command line's texts (gettext domain ``cli``):
    every ``tr()``/``ntr()``/``tr_noop()``/``tr_in()`` of the Python sources under
    ``root/calais_guide``, and (``help_texts``) the help of every command,
    option and argument of the Typer app, as Typer hands them to Click."""
    from babel.messages.extract import extract_from_dir

    template = new_catalog(project="calais-guide", fuzzy=False)
    found = extract_from_dir(
        root / "calais_guide",
        [("**.py", "python")],
        keywords=CLI_KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        location = (f"calais_guide/{filename}", lineno)
        template.add(message, None, [location], auto_comments=comments, context=context)
    if help_texts:
        from .cli import help_texts as command_help

        for where, text in command_help():
            template.add(text, None, [(where, 0)])
    return template


CLI_LANGUAGES = ("fr",)
"""Languages the command line speaks besides English (its msgids)."""

CLI_HEADER = """\
# The command line's own words (messages, help, questions) in {language}.
# Terminal only: the command line speaks English or French today, so
# nothing here is shown yet. Every text is marked fuzzy until someone
# translates it (then remove the mark). See docs/translating.md.
#"""


def update(template: Any, locale_dir: Path = LOCALE_DIR, domain: str = DOMAIN) -> list[Path]:
    """Write ``<domain>.pot`` and merge it into every ``.po`` of that domain
    (headers kept).

    New msgids arrive untranslated (no fuzzy guesses: a guess looks done);
    msgids no longer used become obsolete (``#~``) so no work is lost. The
    ``cli`` domain (the command line, French or English) also reaches the
    other languages of the guide so that their translators see its texts:
    there, what is not translated yet is marked fuzzy (gettext ignores it,
    and nothing reads those catalogs until the command line speaks them).
    """
    from babel.messages.pofile import write_po

    from .fileio import write_bytes

    written = []
    pot = locale_dir / f"{domain}.pot"
    if _changed(pot, _po_bytes(template, write_po)):
        write_bytes(pot, _po_bytes(template, write_po))
        written.append(pot)
    pending = _terminal_only(locale_dir) if domain == CLI_DOMAIN else set()
    paths = {po.parent.parent.name: po for po in locale_dir.glob(f"*/LC_MESSAGES/{domain}.po")}
    for lang in sorted(pending):
        paths.setdefault(lang, po_path(lang, locale_dir, domain))
    for lang, po in sorted(paths.items()):
        if po.is_file():
            catalog = read_catalog(po.read_bytes(), po)
        else:
            catalog = new_catalog(
                locale=_babel_code(lang),
                domain=domain,
                project="calais-guide",
                header_comment=CLI_HEADER.format(language=lang),
                fuzzy=False,
            )
        # A copy each time: Babel puts the template's own messages into the
        # catalog, so marking them fuzzy here would mark them in the next one.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        if lang in pending:
            for message in catalog:
                if message.id and not _translated(message.string):
                    message.flags.add("fuzzy")
        data = _po_bytes(catalog, write_po)
        if _changed(po, data):
            write_bytes(po, data)
            written.append(po)
    return written


def _terminal_only(locale_dir: Path) -> set[str]:
    """Languages of the guide whose command-line catalog is not spoken yet."""
    from .languages import registry

    return {code for code in registry() if code != "en" and code not in CLI_LANGUAGES}


def _babel_code(lang: str) -> str:
    """``lang`` as Babel names a locale (``ckb``, ``fa``...)."""
    return lang.replace("-", "_")


def _translated(string: Any) -> bool:
    strings = string if isinstance(string, tuple | list) else (string,)
    return all(s and s.strip() for s in strings)


_CREATION_DATE = re.compile(rb'^"POT-Creation-Date: [^"]*"\n', re.MULTILINE)


def _changed(path: Path, data: bytes) -> bool:
    """``data`` differs from ``path`` by more than the creation date Babel
    stamps on every run: an unchanged catalog is left alone (no re-render)."""
    try:
        old = path.read_bytes()
    except OSError:
        return True
    return _CREATION_DATE.sub(b"", old) != _CREATION_DATE.sub(b"", data)


def _po_bytes(catalog: Any, write_po: Any) -> bytes:
    import io

    buffer = io.BytesIO()
    # No line numbers: other people's edits to a file must not churn every catalog.
    write_po(buffer, catalog, include_lineno=False, width=76)
    return buffer.getvalue()


@dataclass(frozen=True)
class Gap:
    """A msgid a catalog does not translate (or translates badly)."""

    lang: str
    """Language of the catalog."""
    msgid: str
    """The English msgid."""
    problem: str
    """``missing``, ``untranslated``, ``fuzzy`` or what is wrong."""


def gaps(
    template: Any, lang: str, locale_dir: Path = LOCALE_DIR, domain: str = DOMAIN
) -> list[Gap]:
    """What language ``lang``'s catalog (of ``domain``) lacks for the msgids of
    ``template``; ``{name}`` fields (command line) are checked like ``%(name)s``."""
    import re

    po = po_path(lang, locale_dir, domain)
    if not po.is_file():
        return [Gap(lang, "", f"no catalog {po}")]
    catalog = read_catalog(po.read_bytes(), po)
    placeholder = re.compile(
        r"%\([a-z_]+\)s" if domain == DOMAIN else r"(?<!\{)\{[a-z_0-9]*\}(?!\})"
    )
    found: list[Gap] = []
    for message in template:
        if not message.id:
            continue
        have = catalog.get(message.id, context=message.context)
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if have is None:
            found.append(Gap(lang, msgid, "missing"))
            continue
        strings = have.string if isinstance(have.string, tuple | list) else (have.string,)
        if not all(s and s.strip() for s in strings):
            found.append(Gap(lang, msgid, "untranslated"))
        elif have.fuzzy:
            found.append(Gap(lang, msgid, "fuzzy (gettext ignores it)"))
        else:
            wanted = sorted(placeholder.findall(msgid))
            for string in strings:
                if sorted(placeholder.findall(string)) != wanted:
                    found.append(Gap(lang, msgid, f"placeholders {wanted} differ in {string!r}"))
    return found


def review_status(lang: str, locale_dir: Path = LOCALE_DIR) -> str | None:
    """The ``X-Review-Status`` header of ``lang``'s catalog (``draft``, ``reviewed``)."""
    po = po_path(lang, locale_dir)
    catalog = read_catalog(po.read_bytes(), po)
    value: str | None = catalog.extra_headers.get(REVIEW_HEADER)
    return value


# -- CLDR names for lookups -----------------------------------------------------


def names_table() -> dict[str, Any]:
    """Per language: ``days`` (abbreviated, Monday first), ``months``
    (CLDR's format context, abbreviated unless the registry's
    ``short_months`` says ``wide``), ``languages`` (code -> name in that
    language), all CLDR: what :func:`calais_guide.i18n.lookup_names` reads."""
    from . import languages

    return {
        code: {
            "days": [day_name(d, code, "abbreviated") for d in DAYS],
            "months": [
                str(cldr_locale(code).months["format"][language.short_months][m])
                for m in range(1, 13)
            ],
            "languages": {
                other: language_name(other, code) for other in sorted(languages.registry())
            },
        }
        for code, language in sorted(languages.registry().items())
    }


def write_names_table(path: Path = NAMES_FILE) -> Path:
    """Write :func:`names_table` to ``path`` (unchanged file left alone)."""
    import json

    text = json.dumps(names_table(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return path
    except OSError:
        pass
    from .fileio import write_text

    write_text(path, text)
    return path


# -- command line: python -m calais_guide.catalogs ------------------------------


def main(argv: list[str]) -> int:
    """``python -m calais_guide.catalogs compile | extract [ROOT] | update [ROOT] | names``."""
    if argv[:1] == ["compile"]:
        for path in compile_all():
            print(path)
        return 0
    if argv[:1] in (["extract"], ["update"]):
        root = Path(argv[1]) if len(argv) > 1 else Path.cwd()
        template = extract(root)
        print(f"{len(template)} msgids from {root}")
        cli_template = extract_cli(root)
        print(f"{len(cli_template)} msgids of the command line ({CLI_DOMAIN})")
        if argv[0] == "update":
            for path in update(template) + update(cli_template, domain=CLI_DOMAIN):
                print(path)
            print(write_names_table())
        return 0
    if argv[:1] == ["names"]:
        print(write_names_table())
        return 0
    print(
        "usage: python -m calais_guide.catalogs compile | extract [ROOT] | update [ROOT] | names",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
