"""The translator workflow: what is translated, export for translators, import back.

- :func:`status`: a matrix of every translatable field of every entry (and of
  the edition) by language: ``original``, ``reviewed``, ``draft``, ``stale``
  (the source changed since it was translated) or ``missing``.
- :func:`export`: a ``.po`` (gettext, for Poedit, Weblate...) or XLIFF 1.2
  file for one language: the source text beside the translation, the context
  ``<entry-id>:<field>`` (``utopia-56:summary``), drafts and stale
  translations as suggestions marked *fuzzy* / *needs review*.
- :func:`import_file`: writes the translations of such a file back into the
  entry files (ruamel round trip: comments, key order and every other field
  kept byte for byte), confirmed ones as ``reviewed``, still-fuzzy edits as
  ``draft``, each with the source it was made from and that source's hash.

A string whose source no longer equals the current text is refused (it was
translated from an old version); so are strings that break a rule (summary
too long, a character no bundled font draws). Refusals are per string: the
others are imported, every refusal is listed with entry, field, language and
what to do, and the command fails. Files are written only after the whole
result validates, each one atomically.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import languages
from .cli_text import tr, tr_noop
from .errors import DataError, GuideError, UsageError
from .load import EDITION_FILE
from .model import (
    SUMMARY_MAX,
    TRANSLATION_STATES,
    Database,
    Localized,
    Text,
    TranslationState,
    text_hash,
    translation_state,
)

if TYPE_CHECKING:
    from rich.console import Console

PRINT_REQUIRED: tuple[str, ...] = ("summary", "title")
"""Fields a print run needs in every language of the edition (``--strict``):
each entry's ``summary`` (cards, booklet) and the edition's ``title``."""
EDITION_OWNER = "edition"
"""Owner name of the edition's texts in contexts (``edition:title``)."""
FORMATS = ("po", "xliff")
"""Export formats."""
SOURCE_LANGUAGES = ("fr", "en")
"""Languages a translation may be made from (the first is the default)."""
MAX_IMPORT_BYTES = 8 * 1024 * 1024
"""Largest translation file read (the whole guide in one language is ~100 KB)."""
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"


class TranslationFileError(GuideError):
    """A translation file cannot be read (not .po/XLIFF, broken, unsafe)."""


# -- what is translatable ------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One translatable field: an entry's summary, a location's description..."""

    owner: str
    """Entry id, or ``edition`` for the edition file."""
    field: str
    """Field path in the file (``summary``, ``locations[0].description``)."""
    texts: Localized
    """The field's texts by language."""
    file: Path | None
    """File the field is in."""
    line: int | None
    """Line of the field in that file."""
    label: str
    """Who it is about, for translators (the association's name)."""

    @property
    def context(self) -> str:
        """``<owner>:<field>``: names the string in exported files."""
        return f"{self.owner}:{self.field}"


def units(db: Database) -> list[Unit]:
    """Every non-empty translatable field: the edition's, then each entry's."""
    ed = db.edition
    found = []
    for name, texts in ed.localized_fields():
        if texts:
            found.append(Unit(EDITION_OWNER, name, texts, ed.path, ed.lines.get(name), "edition"))
    for entry in db.entries:
        for name, texts in entry.localized_fields():
            if texts:
                found.append(Unit(entry.id, name, texts, entry.path, entry.line(name), entry.name))
    return found


# -- status matrix -------------------------------------------------------------


@dataclass
class StatusReport:
    """The states of every translatable field in the languages asked for."""

    languages: list[str]
    """Languages (columns), edition order."""
    rows: list[tuple[Unit, dict[str, TranslationState]]]
    """Each field with its state per language."""
    print_languages: list[str] = field(default_factory=list)
    """Languages of the edition's print run."""

    def counts(self, lang: str) -> Counter[str]:
        """How many fields are in each state in ``lang``."""
        return Counter(states[lang] for _, states in self.rows)

    def missing_for_print(self) -> list[tuple[Unit, str]]:
        """(field, language) pairs a print run needs and lacks (see :data:`PRINT_REQUIRED`)."""
        return [
            (unit, lang)
            for unit, states in self.rows
            if unit.field in PRINT_REQUIRED
            for lang, st in states.items()
            if st == "missing" and lang in self.print_languages
        ]


def status(db: Database, langs: Sequence[str] | None = None) -> StatusReport:
    """The translation status of ``db`` in ``langs`` (default: the edition's)."""
    wanted = list(langs) if langs else list(db.edition.languages)
    for code in wanted:
        languages.get(code)  # NotFoundError naming the known languages
    rows = [
        (unit, {lang: translation_state(unit.texts, lang) for lang in wanted}) for unit in units(db)
    ]
    return StatusReport(wanted, rows, list(db.edition.languages))


_CELL = {
    "original": (tr_noop("orig"), "dim"),
    "reviewed": (tr_noop("rev"), "green"),
    "draft": (tr_noop("draft"), "yellow"),
    "stale": (tr_noop("STALE"), "bold red"),
    "missing": (tr_noop("miss"), "red"),
}
"""How each state is shown in the matrix: short enough for 8 languages in 100 columns."""
_STATE_WORDS = (
    tr_noop("original"),
    tr_noop("reviewed"),
    tr_noop("draft"),
    tr_noop("stale"),
    tr_noop("missing"),
)
"""The states, as counted per language under the matrix."""


def print_status(report: StatusReport, out: Console) -> None:
    """The matrix (one block per entry), counts per language, what print lacks."""
    from rich.markup import escape
    from rich.table import Table

    out.print(
        tr(
            "orig = original, rev = reviewed translation, draft = not yet reviewed, "
            "STALE = source changed since, or not recorded, miss = missing"
        )
    )
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column(tr("field"), no_wrap=True)
    for lang in report.languages:
        table.add_column(lang, no_wrap=True)
    previous = None
    for unit, states in report.rows:
        if unit.owner != previous:
            table.add_row(f"[bold]{escape(unit.owner)}[/bold]", *[""] * len(states))
            previous = unit.owner
        cells = []
        for st in states.values():
            word, style = _CELL[st]
            cells.append(f"[{style}]{tr(word)}[/{style}]")
        table.add_row("  " + escape(unit.field), *cells)
    out.print(table)
    out.print()
    for lang in report.languages:
        counts = report.counts(lang)
        parts = [f"{counts[s]} {tr(s)}" for s in TRANSLATION_STATES if counts[s]]
        out.print(f"{lang}: " + ", ".join(parts))
    checked = [lang for lang in report.languages if lang in report.print_languages]
    if not checked:
        return
    missing = report.missing_for_print()
    if not missing:
        out.print(
            tr(
                "[green]print run: every entry's summary and the edition title are there in "
                "{langs}[/green]",
                langs=", ".join(checked),
            )
        )
        return
    for lang in checked:
        contexts = [u.context for u, code in missing if code == lang]
        if contexts:
            shown = ", ".join(contexts[:4]) + (
                tr(" and {count} more", count=len(contexts) - 4) if len(contexts) > 4 else ""
            )
            out.print(
                tr(
                    "[red]missing for print in {lang} ({count}):[/red] {texts}",
                    lang=lang,
                    count=len(contexts),
                    texts=escape(shown),
                )
            )


# -- export ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    unit: Unit
    source: str
    target: Text | None
    state: TranslationState


def _items(db: Database, lang: str, source: str) -> list[_Item]:
    items = []
    for unit in units(db):
        src = unit.texts.get(source)
        st = translation_state(unit.texts, lang)
        if src is None or st == "original":
            continue
        items.append(_Item(unit, src.text, unit.texts.get(lang), st))
    return items


def _check_languages(lang: str, source: str) -> None:
    languages.get(lang)
    if source not in SOURCE_LANGUAGES:
        raise UsageError(
            tr(
                "--source {source}: translations are made from {source_languages}",
                source=source,
                source_languages=" or ".join(SOURCE_LANGUAGES),
            )
        )
    if lang == source:
        raise UsageError(
            tr("--lang {lang} is the source language: choose another language", lang=lang)
        )


def _notes(item: _Item, lang: str, source: str) -> list[str]:
    unit = item.unit
    notes = [
        f"{unit.label}: {unit.field}" if unit.owner != EDITION_OWNER else f"edition: {unit.field}"
    ]
    if unit.field == "summary":
        notes.append(f"One line, at most {SUMMARY_MAX} characters.")
    if item.state == "stale":
        notes.append(
            f"The {languages.display_name(source, 'en')} text changed since this was "
            "translated: update the translation, then confirm it."
        )
    elif item.state == "draft":
        notes.append("Draft translation, not yet reviewed: correct it, then confirm it.")
    other = "en" if source == "fr" else "fr"
    if other != lang and other in unit.texts:
        notes.append(f"{languages.display_name(other, 'en')}: {unit.texts[other].text}")
    return notes


def _relative(path: Path | None, root: Path) -> str:
    if path is None:
        return "?"
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return path.name


def export(db: Database, lang: str, fmt: str = "po", source: str = "fr") -> bytes:
    """The translatable texts of ``db`` for language ``lang``, as a file to translate.

    ``fmt`` is ``po`` or ``xliff``; ``source`` the language translators read
    (``fr``, or ``en``). Drafts and stale translations are suggestions, marked
    fuzzy (po) or ``needs-review-translation`` (XLIFF); originals in ``lang``
    are left out (there is nothing to translate).
    """
    _check_languages(lang, source)
    if fmt not in FORMATS:
        raise UsageError(
            tr("--format {fmt}: use one of {formats}", fmt=fmt, formats=", ".join(FORMATS))
        )
    items = _items(db, lang, source)
    if fmt == "po":
        return _export_po(db, lang, source, items)
    return _export_xliff(db, lang, source, items)


def _header(db: Database, lang: str, source: str) -> str:
    name = languages.display_name(lang, "en")
    source_name = languages.display_name(source, "en")
    return (
        f"# {name} ({lang}) translation of the calais-guide entries, edition "
        f"{db.edition.edition}.\n"
        f"# Translate from {source_name} ({source}). The context of each string\n"
        "# names the entry and the field, e.g. utopia-56:summary.\n"
        "# Fuzzy strings ('Needs work' in Poedit) are drafts: correct them, then\n"
        "# confirm them. Confirmed strings are imported as reviewed.\n"
        "# Keep association names as they are, and every number, phone number,\n"
        "# address and time exactly as in the source, in Latin digits (0-9).\n"
        "# Import: calais-guide translations import FILE (docs/translating.md)."
    )


def _export_po(db: Database, lang: str, source: str, items: list[_Item]) -> bytes:
    import io

    from babel.messages.pofile import write_po

    from .i18n import new_catalog

    catalog = new_catalog(
        locale=lang,
        project="calais-guide entries",
        version=db.edition.edition,
        header_comment=_header(db, lang, source),
        language_team=languages.display_name(lang, "en"),
        fuzzy=False,
    )
    catalog.extra_headers["X-Source-Language"] = source
    catalog.extra_headers["X-Calais-Guide-Edition"] = db.edition.edition
    for item in items:
        unit = item.unit
        catalog.add(
            item.source,
            item.target.text if item.target else "",
            locations=[(_relative(unit.file, db.root), unit.line)] if unit.line else [],
            flags=["fuzzy"] if item.state in ("draft", "stale") else [],
            auto_comments=_notes(item, lang, source),
            context=unit.context,
        )
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    return buffer.getvalue()


def _export_xliff(db: Database, lang: str, source: str, items: list[_Item]) -> bytes:
    import xml.etree.ElementTree as ET

    from . import __version__

    ET.register_namespace("", XLIFF_NS)

    def q(tag: str) -> str:
        return f"{{{XLIFF_NS}}}{tag}"

    root = ET.Element(q("xliff"), {"version": "1.2"})
    file = ET.SubElement(
        root,
        q("file"),
        {
            "original": f"calais-guide-{db.edition.edition}",
            "source-language": source,
            "target-language": lang,
            "datatype": "plaintext",
        },
    )
    header = ET.SubElement(file, q("header"))
    ET.SubElement(
        header,
        q("tool"),
        {"tool-id": "calais-guide", "tool-name": "calais-guide", "tool-version": __version__},
    )
    note = ET.SubElement(header, q("note"))
    note.text = "\n".join(line.lstrip("# ") for line in _header(db, lang, source).splitlines())
    body = ET.SubElement(file, q("body"))
    for item in items:
        unit = item.unit
        attrs = {
            "id": unit.context,
            "resname": unit.context,
            f"{{{XML_NS}}}space": "preserve",
            "approved": "yes" if item.state == "reviewed" else "no",
        }
        tu = ET.SubElement(body, q("trans-unit"), attrs)
        ET.SubElement(tu, q("source"), {f"{{{XML_NS}}}lang": source}).text = item.source
        if item.target is not None:
            state_attr = "translated" if item.state == "reviewed" else "needs-review-translation"
            target = ET.SubElement(
                tu, q("target"), {f"{{{XML_NS}}}lang": lang, "state": state_attr}
            )
            target.text = item.target.text
        for text in _notes(item, lang, source):
            ET.SubElement(tu, q("note"), {"from": "calais-guide"}).text = text
        if unit.line:
            group = ET.SubElement(tu, q("context-group"), {"purpose": "location"})
            ET.SubElement(group, q("context"), {"context-type": "sourcefile"}).text = _relative(
                unit.file, db.root
            )
            ET.SubElement(group, q("context"), {"context-type": "linenumber"}).text = str(unit.line)
    ET.indent(root, space="  ")
    body_bytes: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body_bytes + b"\n"


# -- reading translation files -------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """One string of a translation file."""

    context: str
    """``<owner>:<field>``."""
    source: str
    """The source text the translator saw."""
    target: str
    """The translation ("" when not translated)."""
    fuzzy: bool
    """Marked as not final (po ``fuzzy``, XLIFF ``needs-*`` state / not approved)."""


@dataclass(frozen=True)
class TranslationFile:
    """A parsed translation file."""

    path: Path
    """Where it was read from."""
    lang: str
    """Target language."""
    source_lang: str | None
    """Declared source language (None: inferred per string)."""
    items: list[Incoming]
    """Its strings, in file order."""


def read_translation_file(path: Path) -> TranslationFile:
    """Parse a ``.po`` or XLIFF 1.2 file; TranslationFileError if it cannot be used."""
    from .fileio import FileError, read_limited

    try:
        data = read_limited(path, MAX_IMPORT_BYTES, "translation file")
    except FileError as exc:
        raise TranslationFileError(str(exc)) from None
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if path.suffix.lower() in (".xlf", ".xliff", ".xml") or head.startswith(b"<"):
        return _read_xliff(data, path)
    return _read_po(data, path)


def _read_po(data: bytes, path: Path) -> TranslationFile:
    from .i18n import CatalogError, read_catalog

    try:
        catalog = read_catalog(data, path)
    except CatalogError as exc:
        raise TranslationFileError(
            f"{exc}. Open it in Poedit to see the error, or export a fresh file."
        ) from exc
    lang = catalog.locale_identifier
    if not lang:
        raise TranslationFileError(
            f"{path} does not say its language (no 'Language' header): "
            "set it in Poedit (Translation > Properties) or export the file again"
        )
    items = []
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            raise TranslationFileError(f"{path}: plural forms are not used by calais-guide")
        items.append(
            Incoming(
                context=message.context or "",
                source=str(message.id),
                target=str(message.string or ""),
                fuzzy=message.fuzzy,
            )
        )
    source = catalog.extra_headers.get("X-Source-Language")
    return TranslationFile(path, str(lang).replace("_", "-"), source, items)


class _Forbidden(Exception):
    pass


def _parse_xml(data: bytes, path: Path) -> Any:
    """Parse XML with expat, refusing any DTD (so no entity can be declared:
    no "billion laughs", no external files)."""
    import xml.etree.ElementTree as ET
    from xml.parsers import expat

    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def name(raw: str) -> str:
        return "{" + raw if "}" in raw else raw

    def start(tag: str, attrs: dict[str, str]) -> None:
        builder.start(name(tag), {name(k): v for k, v in attrs.items()})

    def refuse(*_: Any) -> Any:
        raise _Forbidden

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except _Forbidden:
        raise TranslationFileError(
            f"{path} declares a DTD or entities, which calais-guide refuses "
            "(they can hide content or read other files): export the file again"
        ) from None
    except expat.ExpatError as exc:
        raise TranslationFileError(
            f"{path} is not valid XML (line {exc.lineno}, column {exc.offset}: "
            f"{expat.ErrorString(exc.code)})"
        ) from None
    return builder.close()


_NEEDS_WORK_STATES = {
    "new",
    "needs-translation",
    "needs-l10n",
    "needs-adaptation",
    "needs-review-translation",
    "needs-review-l10n",
    "needs-review-adaptation",
}


def _read_xliff(data: bytes, path: Path) -> TranslationFile:
    root = _parse_xml(data, path)
    ns = f"{{{XLIFF_NS}}}"
    if root.tag not in (f"{ns}xliff", "xliff") or root.get("version") != "1.2":
        raise TranslationFileError(
            f"{path} is not an XLIFF 1.2 file: export XLIFF 1.2 from your tool "
            "(or use the .po file)"
        )

    def find(element: Any, tag: str) -> Any:
        found = element.find(f"{ns}{tag}")
        return found if found is not None else element.find(tag)

    def iterate(element: Any, tag: str) -> list[Any]:
        return list(element.iter(f"{ns}{tag}")) + list(element.iter(tag))

    files = iterate(root, "file")
    if not files:
        raise TranslationFileError(f"{path} has no <file> element")
    langs = {f.get("target-language") for f in files}
    sources = {f.get("source-language") for f in files}
    if len(langs) != 1 or None in langs:
        raise TranslationFileError(
            f"{path}: every <file> needs the same target-language (found {sorted(map(str, langs))})"
        )
    if len(sources) != 1:
        raise TranslationFileError(f"{path}: its <file> elements differ in source-language")
    items = []
    for unit in iterate(root, "trans-unit"):
        source_el = find(unit, "source")
        target_el = find(unit, "target")
        target = "".join(target_el.itertext()) if target_el is not None else ""
        st = target_el.get("state") if target_el is not None else None
        if st is not None:
            fuzzy = st in _NEEDS_WORK_STATES
        else:
            fuzzy = unit.get("approved") == "no"
        items.append(
            Incoming(
                context=unit.get("resname") or unit.get("id") or "",
                source="".join(source_el.itertext()) if source_el is not None else "",
                target=target,
                fuzzy=fuzzy,
            )
        )
    (lang,) = langs
    (source,) = sources
    return TranslationFile(path, str(lang), source, items)


# -- writing texts back ----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A text to write into the data."""

    owner: str
    """Entry id or ``edition``."""
    field: str
    """Field path (``summary``, ``locations[0].description``)."""
    lang: str
    """Language key to set."""
    text: Text
    """The new text, with status, source language and source hash."""


_PATH_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def _path_keys(path: str) -> list[str | int]:
    keys: list[str | int] = []
    for part in path.split("."):
        for match in _PATH_TOKEN.finditer(part):
            keys.append(match[1] if match[1] else int(match[2]))
    return keys


def _deepest_last(mapping: Any) -> tuple[Any, Any] | None:
    """(mapping, key) holding the comment that follows ``mapping`` in the file.

    ruamel attaches the blank lines and comments after a block to its last
    scalar: appending a key after it must carry them along, or they would end
    up between the old last key and the new one.
    """
    from ruamel.yaml.comments import CommentedMap

    current = mapping
    while isinstance(current, CommentedMap) and len(current):
        key = list(current.keys())[-1]
        value = current[key]
        if isinstance(value, CommentedMap) and len(value):
            current = value
            continue
        return current, key
    return None


def _is_block(value: Any) -> bool:
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, LiteralScalarString | FoldedScalarString)


def _yaml_text(text: str) -> Any:
    from ruamel.yaml.scalarstring import LiteralScalarString

    return LiteralScalarString(text) if "\n" in text else text


def _set_text(texts: Any, lang: str, text: Text) -> None:
    """Set language ``lang`` of a round-trip mapping of texts, changing only what differs."""
    from ruamel.yaml.comments import CommentedMap

    values = {
        "text": text.text,
        "status": text.status,
        "from": text.source,
        "source_hash": text.source_hash,
    }
    existing = texts.get(lang)
    if isinstance(existing, CommentedMap):
        for key, value in values.items():
            if value is None:
                if key in existing:
                    del existing[key]
            elif existing.get(key) != value:
                existing[key] = _yaml_text(value) if key == "text" else value
        return
    new = CommentedMap()
    for key, value in values.items():
        if value is not None:
            new[key] = _yaml_text(value) if key == "text" else value
    if lang in texts:  # a plain string (an original): callers never replace those
        texts[lang] = new
        return
    order = languages.codes()
    rank = order.index(lang) if lang in order else len(order)
    keys = list(texts.keys())
    position = 0
    for i, key in enumerate(keys):
        if (order.index(key) if key in order else len(order)) <= rank:
            position = i + 1
    if position == len(keys):
        # Appending: carry the comment/blank lines that followed the block.
        holder = _deepest_last(texts)
        texts.insert(position, lang, new)
        if holder is not None:
            owner, key = holder
            comment = owner.ca.items.get(key)
            if comment and len(comment) > 2 and comment[2] is not None:
                token = comment[2]
                comment[2] = None
                if _is_block(owner[key]) and token.value.startswith("\n"):
                    # After a block scalar the token holds only the blank lines;
                    # after a plain one it also ends the value's own line.
                    token.value = "\n" + token.value
                last_owner, last_key = _deepest_last(new) or (texts, lang)
                last_owner.ca.items[last_key] = [None, None, token, None]
    else:
        texts.insert(position, lang, new)


def _navigate(data: Any, field_path: str) -> Any:
    node = data
    for key in _path_keys(field_path):
        node = node[key]
    return node


def write_texts(root: Path, changes: Sequence[Change]) -> list[Path]:
    """Write ``changes`` into the files of the database at ``root``.

    Round-trip YAML: only the changed values differ, byte for byte. The new
    files are validated together first: if they would add any error, nothing
    is written (DataError). Returns the files written.
    """
    from .fileio import database_lock

    by_file: dict[Path, list[Change]] = {}
    for change in changes:
        name = EDITION_FILE if change.owner == EDITION_OWNER else f"{change.owner}.yaml"
        by_file.setdefault(root / name, []).append(change)
    with database_lock(root):
        return _write_texts_locked(root, by_file)


def _write_texts_locked(root: Path, by_file: dict[Path, list[Change]]) -> list[Path]:
    from .fileio import read_text_locked, replace_if_unchanged
    from .load import MAX_FILE_BYTES
    from .manage import dump_roundtrip, load_roundtrip
    from .validate import check_changes

    new_texts: dict[Path, str] = {}
    raws: dict[Path, bytes] = {}
    for path, file_changes in by_file.items():
        raws[path], original = read_text_locked(path, MAX_FILE_BYTES)
        data = load_roundtrip(path)
        for change in file_changes:
            try:
                texts = _navigate(data, change.field)
            except (KeyError, IndexError, TypeError):
                raise GuideError(
                    tr(
                        "{path}: no field '{field}' to put the {lang} text in",
                        path=path,
                        field=change.field,
                        lang=change.lang,
                    )
                ) from None
            _set_text(texts, change.lang, change.text)
        text = dump_roundtrip(data, original)
        if text != original:
            new_texts[path] = text
    if not new_texts:
        return []
    _check_kept(by_file, new_texts)
    problems = check_changes(root, new_texts)
    if problems:
        raise DataError(problems, root)
    written: list[Path] = []
    for path, text in new_texts.items():
        try:
            replace_if_unchanged(path, raws[path], text)
        except GuideError as exc:
            done = f" ({len(written)} file(s) already written, each complete)" if written else ""
            raise GuideError(f"{exc}{done}") from None
        written.append(path)
    return written


def _check_kept(by_file: dict[Path, list[Change]], new_texts: dict[Path, str]) -> None:
    """GuideError unless every text reads back from the new files exactly as
    it was given: YAML must never turn a character into another."""
    from .load import read_yaml

    for path, text in new_texts.items():
        # A file that does not parse is reported by check_changes, with its line.
        doc = read_yaml(path, [], text)
        if doc is None:
            continue
        data = doc.data
        for change in by_file[path]:
            try:
                node = _navigate(data, change.field)[change.lang]
            except (KeyError, IndexError, TypeError):
                continue
            stored = node.get("text") if isinstance(node, dict) else node
            if isinstance(stored, str) and stored.strip() != change.text.text:
                raise GuideError(
                    tr(
                        "{path}: the {lang} text of {field} would not be stored exactly as given "
                        "(a character YAML changes): nothing written; report this as a bug",
                        path=path,
                        lang=change.lang,
                        field=change.field,
                    )
                )


def save_export(path: Path, data: bytes) -> None:
    """Write an exported file atomically; GuideError if the place is not writable."""
    from .fileio import check_place, write_bytes

    check_place(path)
    write_bytes(path, data, special=True)


# -- import --------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """A string of a translation file that was not imported, and why."""

    context: str
    """``<owner>:<field>`` of the string."""
    message: str
    """What is wrong and what to do."""


@dataclass
class ImportResult:
    """What an import did."""

    path: Path
    """The translation file."""
    lang: str
    """Its language."""
    changes: list[Change] = field(default_factory=list)
    """Texts written (or to write, on a dry run)."""
    unchanged: int = 0
    """Strings equal to what the data already holds."""
    empty: int = 0
    """Strings left untranslated in the file (nothing to import)."""
    refused: list[Refusal] = field(default_factory=list)
    """Strings not imported."""
    files: list[Path] = field(default_factory=list)
    """Entry files written."""
    line_ends: int = 0
    """Strings whose Windows or old Mac line ends (CR LF, CR) were turned into
    LF, the one line end entry files hold (nothing else is ever changed)."""
    warnings: list[str] = field(default_factory=list)
    """Imported strings that deserve a look (numbers not in Latin digits)."""

    @property
    def reviewed(self) -> int:
        """Strings imported as reviewed."""
        return sum(1 for c in self.changes if c.text.status == "reviewed")

    @property
    def drafts(self) -> int:
        """Strings imported as drafts (still fuzzy in the file)."""
        return sum(1 for c in self.changes if c.text.status == "draft")


def import_file(db: Database, path: Path, dry_run: bool = False) -> ImportResult:
    """Import translation file ``path`` into ``db``'s files (see module doc)."""
    parsed = read_translation_file(path)
    lang = parsed.lang
    try:
        languages.get(lang)
    except GuideError:
        known = ", ".join(languages.codes())
        raise TranslationFileError(
            f"{path} is in language '{lang}', which the guide does not print "
            f"(known: {known}); add it to data/languages.yaml first"
        ) from None
    if parsed.source_lang is not None and parsed.source_lang == lang:
        raise TranslationFileError(f"{path}: source and target language are both '{lang}'")
    result = ImportResult(path, lang)
    by_context = {unit.context: unit for unit in units(db)}
    seen: set[str] = set()
    for item in parsed.items:
        if item.context in seen:
            result.refused.append(
                Refusal(item.context, "listed twice in the file: only the first was read")
            )
            continue
        seen.add(item.context)
        if "\r" in item.target:
            item = dataclasses.replace(
                item, target=item.target.replace("\r\n", "\n").replace("\r", "\n")
            )
            result.line_ends += 1
        outcome = _decide(by_context.get(item.context), item, lang, parsed.source_lang)
        if isinstance(outcome, Refusal):
            result.refused.append(outcome)
        elif isinstance(outcome, Change):
            result.changes.append(outcome)
            digits = other_digits(outcome.text.text)
            if digits:
                result.warnings.append(
                    f"{_where(item.context, lang)}: {', '.join(digits)} "
                    "not in Latin digits, as the file asks (0-9, so numbers read the same "
                    "beside phone numbers and dates): write "
                    f"{', '.join(str(int(d)) for d in digits)} in the file and import again"
                )
        elif outcome == "empty":
            result.empty += 1
        else:
            result.unchanged += 1
    if result.changes and not dry_run:
        result.files = write_texts(db.root, result.changes)
    return result


def other_digits(text: str) -> list[str]:
    """Numbers of ``text`` written with digits other than 0-9 (Persian ``۲۰۰۲``,
    Arabic-Indic ``٢٠٠٢``, Ethiopic...): each as written."""
    import re

    return [run for run in re.findall(r"\d+", text) if not run.isascii()]


def _where(context: str, lang: str) -> str:
    owner, _, fld = context.partition(":")
    return f"{owner} {fld} ({lang})"


def _decide(
    unit: Unit | None, item: Incoming, lang: str, declared: str | None
) -> Change | Refusal | str:
    where = _where(item.context, lang)
    if unit is None:
        return Refusal(
            item.context,
            f"{where}: no such field in the guide (entry renamed or removed, or the "
            "context was edited): export the file again",
        )
    target = unit.texts.get(lang)
    new_text = item.target.strip()
    if not new_text:
        return "empty"
    if target is not None and target.status == "original":
        return Refusal(
            item.context,
            f"{where}: the {lang} text is an original, not a translation; "
            f"change it in {unit.file.name if unit.file else 'the entry file'} by hand",
        )
    if declared is not None:
        candidates = [declared]
    else:
        candidates = [c for c in (*SOURCE_LANGUAGES, *unit.texts) if c != lang]
    wanted = text_hash(item.source)
    source_lang = next(
        (c for c in candidates if c in unit.texts and text_hash(unit.texts[c].text) == wanted),
        None,
    )
    if source_lang is None:
        if declared is not None and declared in unit.texts:
            name = languages.display_name(declared, "en")
            why = tr("the {name} text changed since this file was exported", name=name)
        elif declared is not None:
            why = tr("the field has no {declared} text any more", declared=declared)
        else:
            why = tr("its source text matches no current text of the field (changed since export)")
        return Refusal(
            item.context,
            f"{where}: refused, {why}, so this translation may say something else. "
            f"Export again (calais-guide translations export --lang {lang}) and translate "
            "the current text.",
        )
    from .load import control_problem

    control = control_problem(new_text)
    if control is not None:
        return Refusal(
            item.context,
            f"{where}: holds the control character {control}, which cannot be printed: "
            "replace it by a line break or a space in the file, then import again",
        )
    if unit.field == "summary":
        if "\n" in new_text:
            return Refusal(item.context, f"{where}: a summary is one line; remove the line breaks")
        if len(new_text) > SUMMARY_MAX:
            return Refusal(
                item.context,
                f"{where}: {len(new_text)} characters, over the {SUMMARY_MAX} a summary may have "
                f"(it must fit one card line): shorten it by {len(new_text) - SUMMARY_MAX}",
            )
    from .glyphs import describe, missing

    chars = missing(new_text, lang)
    if chars:
        return Refusal(
            item.context,
            f"{where}: no bundled font can draw {describe(chars)} (it would print as an "
            "empty box): replace it",
        )
    if item.fuzzy and target is not None and target.text == new_text:
        return "unchanged"  # a suggestion left as it was: keep its status
    new = Text(
        new_text,
        "draft" if item.fuzzy else "reviewed",
        source_lang,
        text_hash(unit.texts[source_lang].text),
    )
    if target == new:
        return "unchanged"
    return Change(unit.owner, unit.field, lang, new)


def print_import(result: ImportResult, out: Console, dry_run: bool = False) -> None:
    """What an import did (or would do), then every refusal."""
    from rich.markup import escape

    verb = tr("would import") if dry_run else tr("imported")
    out.print(
        tr(
            "{path} ({lang}): {verb} {reviewed} as reviewed, {drafts} as draft; "
            "{unchanged} unchanged, {empty} not translated, {refused} refused",
            path=escape(str(result.path)),
            lang=result.lang,
            verb=verb,
            reviewed=result.reviewed,
            drafts=result.drafts,
            unchanged=result.unchanged,
            empty=result.empty,
            refused=len(result.refused),
        )
    )
    if result.line_ends:
        out.print(
            tr(
                "  {count} text(s) had Windows line ends (CR LF): stored with LF, "
                "as entry files are; nothing else was changed",
                count=result.line_ends,
            )
        )
    for path in result.files:
        out.print(tr("  wrote {path}", path=escape(str(path))))
    if dry_run:
        for change in result.changes:
            out.print(f"  {escape(change.owner)} {escape(change.field)}: {change.text.status}")
    for warning in result.warnings:
        out.print(tr("[yellow]warning:[/yellow] {message}", message=escape(warning)))
    for refusal in result.refused:
        out.print(tr("[red]refused[/red] {message}", message=escape(refusal.message)))
