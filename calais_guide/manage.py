"""Changing entry files from the CLI: add, edit, verify, close, reopen, init.

Every write-back goes through ruamel.yaml's round-trip mode, so comments, key
order, quoting and every unrelated field stay as the volunteer wrote them; the
result is re-read and checked before it replaces the file (atomically), so an
invalid file is never left behind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .cli_text import tr
from .errors import DataError, GuideError, NotFoundError, Problem, UnknownValue, UsageError
from .fileio import FileError, database_lock, os_errors, read_text_locked, replace_if_unchanged
from .load import EDITION_FILE, MAX_FILE_BYTES, RESERVED_IDS, entry_files
from .validate import SLUG, check_changes

# -- round-trip YAML ------------------------------------------------------


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _detect_indent(text: str) -> tuple[int, int]:
    """Sequence indent and dash offset the file already uses (``- x`` under a key)."""
    for match in re.finditer(r"^( *)\S[^\n]*:\n( *)- ", text, re.M):
        parent, dash = len(match[1]), len(match[2])
        offset = dash - parent
        return offset + 2, offset
    return 4, 2


def load_roundtrip(path: Path) -> Any:
    """The file as a ruamel CommentedMap (comments and order kept)."""
    return _yaml().load(read_text_locked(path, MAX_FILE_BYTES)[1])


def dump_roundtrip(data: Any, original: str) -> str:
    """Serialise ``data`` with the indentation style of ``original``."""
    import io

    yaml = _yaml()
    seq, offset = _detect_indent(original)
    yaml.indent(mapping=2, sequence=seq, offset=offset)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def check_entry_text(root: Path, path: Path, text: str) -> list[Problem]:
    """Errors the database would gain if ``path`` held ``text`` (loading and
    rules, against the real database: see :func:`validate.check_changes`)."""
    return check_changes(root, {path: text})


MAX_ID_LENGTH = 64
"""Longest entry id (it is a file name, and is printed)."""


def _read_entry(path: Path) -> tuple[bytes, str]:
    """Raw bytes and text of an entry file (read under the database lock)."""
    return read_text_locked(path, MAX_FILE_BYTES)


def update_entry(root: Path, entry_id: str, change: Callable[[Any], None]) -> Path:
    """Apply ``change`` to the round-trip data of entry ``entry_id`` and save it.

    Under the database lock: the file is read, changed, checked against the
    real database, and written only if nothing changed it meanwhile. On any
    error nothing is written.
    """
    path = entry_path(root, entry_id)
    with database_lock(root):
        raw, original = _read_entry(path)
        data = _yaml().load(original)
        change(data)
        text = dump_roundtrip(data, original)
        problems = check_entry_text(root, path, text)
        if problems:
            raise DataError(problems, root)
        replace_if_unchanged(path, raw, text)
    return path


def reserved_problem(entry_id: str) -> str | None:
    """Why ``entry_id`` cannot be an entry id, or None."""
    if entry_id in RESERVED_IDS:
        return (
            f"'{entry_id}' is a reserved name ({entry_id}.yaml or {entry_id}/ belongs to the "
            "database layout), not an entry id"
        )
    if len(entry_id) > MAX_ID_LENGTH:
        return f"an id of {len(entry_id)} characters is too long (at most {MAX_ID_LENGTH})"
    return None


def entry_path(root: Path, entry_id: str) -> Path:
    """The file of entry ``entry_id``; NotFoundError with suggestions if none."""
    reserved = reserved_problem(entry_id)
    if reserved is not None:
        raise NotFoundError(tr("{reserved}: give the id of an entry", reserved=reserved))
    path = root / f"{entry_id}.yaml"
    if SLUG.match(entry_id) and path.is_file():
        return path
    import difflib

    try:
        ids = [p.stem for p in entry_files(root)] if root.is_dir() else []
    except OSError:
        ids = []
    raise NotFoundError(
        tr("no entry '{entry_id}' in {root}", entry_id=entry_id, root=root),
        difflib.get_close_matches(entry_id, ids, 3, 0.5),
    )


def _set_after(data: Any, key: str, value: Any, after: str | None) -> None:
    """Set ``key``, inserting it after ``after`` (or at the end) when new."""
    if key in data:
        data[key] = value
        return
    keys = list(data.keys())
    position = keys.index(after) + 1 if after in keys else len(keys)
    data.insert(position, key, value)


# -- commands ----------------------------------------------------------------


def verify(
    root: Path, entry_id: str, by: str, date: dt.date, warnings: list[str] | None = None
) -> Path:
    """Stamp ``assured_date`` (and ``assurer``) after a person checked the entry.

    A date earlier than the one recorded is written (the person knows best)
    with a warning added to ``warnings``: the date goes backwards."""
    if date > dt.date.today():
        raise UsageError(
            tr("--date {date} is in the future: give the day of the check", date=date.isoformat())
        )

    def change(data: Any) -> None:
        before = _as_date(data.get("assured_date"))
        if before is not None and before > date and warnings is not None:
            warnings.append(
                f"{entry_id}: the date goes backwards: it was last verified on "
                f"{before.isoformat()}, later than {date.isoformat()}"
            )
        _set_after(data, "assured_date", date, None)
        _set_after(data, "assurer", by, "assured_date")

    return update_entry(root, entry_id, change)


def close(
    root: Path,
    entry_id: str,
    start: dt.date,
    until: dt.date | None,
    reason: str,
    lang: str = "fr",
    warnings: list[str] | None = None,
) -> Path:
    """Add a dated temporary closure with its alert text.

    When a closure with the same dates is already recorded nothing is added
    (it would print twice) and a warning goes to ``warnings``."""
    if until is not None and until < start:
        raise UsageError(
            tr(
                "--until {until} is before --from {start}",
                until=until.isoformat(),
                start=start.isoformat(),
            )
        )
    if not reason.strip():
        raise UsageError(tr("--reason is empty: say why it is closed (it is printed)"))
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def change(data: Any) -> None:
        for existing in data.get("closures") or []:
            if (
                _as_date(existing.get("valid_from")) == start
                and _as_date(existing.get("valid_to")) == until
            ):
                if warnings is not None:
                    span = f"from {start.isoformat()}" + (
                        f" to {until.isoformat()}" if until else " until reopened"
                    )
                    warnings.append(
                        f"{entry_id}: the same closure ({span}) is already recorded: nothing "
                        f"added (change its text with 'calais-guide edit {entry_id}')"
                    )
                return
        closure = CommentedMap()
        closure["valid_from"] = start
        if until is not None:
            closure["valid_to"] = until
        closure["alert"] = CommentedMap({lang: reason.strip()})
        if "closures" not in data or data["closures"] is None:
            _set_after(data, "closures", CommentedSeq(), "locations")
        data["closures"].append(closure)
        if until is None and start <= dt.date.today():
            _set_after(
                data, "status", "temporarily-closed", "parent" if "parent" in data else "name"
            )

    return update_entry(root, entry_id, change)


def reopen(root: Path, entry_id: str, today: dt.date) -> tuple[Path, int]:
    """End the closures in force ``today`` (history is kept) and set status active.

    Returns the file and how many closures were ended or removed.
    """
    changed = 0

    def change(data: Any) -> None:
        nonlocal changed
        closures = data.get("closures") or []
        for closure in list(closures):
            start = _as_date(closure.get("valid_from"))
            end = _as_date(closure.get("valid_to"))
            if start is None or start > today or (end is not None and end < today):
                continue
            changed += 1
            if start == today:
                closures.remove(closure)  # began today: as if it never happened
            else:
                closure["valid_to"] = today - dt.timedelta(days=1)
        if "closures" in data and not closures:
            del data["closures"]
        if data.get("status") == "temporarily-closed":
            data["status"] = "active"
            changed = max(changed, 1)

    path = update_entry(root, entry_id, change)
    return path, changed


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def slugify(name: str) -> str:
    """An id from a name: ``Médecins du Monde`` -> ``medecins-du-monde``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


TEMPLATE = """\
# {name}
# Reference of every field: docs/schema.md. Lines starting with # are comments.
id: {id}
name: {name_yaml}
status: active
# What it offers: {all_categories}
categories: [{categories}]
# Who is welcome: unconditional, men, women, families, minors, children, volunteers
welcome: []

summary:
  fr: {summary}

# The booklet text (blank lines separate paragraphs).
# description:
#   fr: |-
#     ...

{phones}{websites}
{locations}
assured_date: {today}
assurer: {by}
"""


_YAML_BREAKS = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def _quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: data, never syntax.

    A JSON string is one, once the characters YAML reads as line breaks or
    controls (NEL, C1, U+2028/9, BOM) are escaped too: whatever a value holds,
    it cannot end the scalar or add a field.
    """
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _comment(text: str) -> str:
    """``text`` for a comment line: every line break or control made a space."""
    return re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text)


PHONES_EXAMPLE = """\
# phones:
#   - number: "03 21 00 00 00"     # as the association gives it; never guess
#     available_24_7: false
#     label: {fr: Accueil}
"""
LOCATIONS_EXAMPLE = """\
# locations:
#   - kind: mobile                 # fixed (with address), mobile, confidential
#     description: {fr: Sur les lieux de vie}
#     schedules:
#       - {byday: [mo, we], opens_at: "14:00", closes_at: "17:00"}
"""


@dataclass(frozen=True)
class NewPlace:
    """Where a new entry receives people, as asked by ``add`` (nothing guessed)."""

    kind: Literal["fixed", "mobile"]
    """``fixed`` (with the address below) or ``mobile``."""
    street: str | None = None
    """Number and street (fixed)."""
    postal_code: str | None = None
    """Five-digit postal code (fixed)."""
    city: str | None = None
    """Town (fixed)."""
    description: str | None = None
    """Where the mobile team goes, in French."""
    slots: tuple[tuple[tuple[str, ...], dt.time, dt.time], ...] = ()
    """Weekly hours: (day codes, opens, closes), from :func:`calais_guide.hours.parse_slot`."""


def _phones_yaml(phones: Sequence[str]) -> str:
    if not phones:
        return PHONES_EXAMPLE
    return "phones:\n" + "".join(f"  - number: {_quote(p)}\n" for p in phones)


def _place_yaml(place: NewPlace | None) -> str:
    if place is None:
        return LOCATIONS_EXAMPLE
    lines = ["locations:", f"  - kind: {place.kind}"]
    if place.kind == "fixed":
        lines.append("    address:")
        lines.append(f"      street: {_quote(place.street or '')}")
        if place.postal_code:
            lines.append(f"      postal_code: {_quote(place.postal_code)}")
        if place.city:
            lines.append(f"      city: {_quote(place.city)}")
    if place.description:
        lines.append(f"    description: {{fr: {_quote(place.description)}}}")
    if place.slots:
        lines.append("    schedules:")
        for days, opens, closes in place.slots:
            lines.append(
                f'      - {{byday: [{", ".join(days)}], opens_at: "{opens:%H:%M}", '
                f'closes_at: "{closes:%H:%M}"}}'
            )
    return "\n".join(lines) + "\n"


def add(
    root: Path,
    name: str,
    summary: str,
    categories: list[str],
    website: str | None,
    by: str,
    entry_id: str | None = None,
    today: dt.date | None = None,
    phones: Sequence[str] = (),
    place: NewPlace | None = None,
) -> Path:
    """Write a new entry from the commented template, checked before it is saved.

    ``phones`` and ``place`` (with its weekly hours) are written when given,
    else left as commented examples: nothing is invented.
    """
    from .vocabulary import CATEGORIES

    entry_id = entry_id or slugify(name)
    if not SLUG.match(entry_id):
        raise UsageError(
            tr(
                "'{entry_id}' cannot be an id: use lower-case letters, digits and hyphens (--id)",
                entry_id=entry_id,
            )
        )
    reserved = reserved_problem(entry_id)
    if reserved is not None:
        raise UsageError(tr("{reserved}: choose another id with --id", reserved=reserved))
    path = root / f"{entry_id}.yaml"
    if path.exists() or path.is_symlink():
        raise UsageError(
            tr(
                "{path} already exists: choose another --id, or use 'edit {entry_id}'",
                path=path,
                entry_id=entry_id,
            )
        )
    if not (root / EDITION_FILE).is_file():
        raise NotFoundError(
            tr(
                "{root} is not a calais-guide database (no {edition_file})",
                root=root,
                edition_file=EDITION_FILE,
            )
        )
    text = TEMPLATE.format(
        name=_comment(name),
        name_yaml=_quote(name),
        id=entry_id,
        all_categories=", ".join(CATEGORIES),
        categories=", ".join(_quote(c) for c in categories),
        summary=_quote(summary),
        websites=f"websites:\n  - {_quote(website)}\n"
        if website
        else "# websites:\n#   - https://...\n",
        phones=_phones_yaml(phones),
        locations=_place_yaml(place),
        today=(today or dt.date.today()).isoformat(),
        by=_quote(by),
    )
    with database_lock(root):
        problems = check_entry_text(root, path, text)
        if problems:
            raise DataError(problems, root)
        replace_if_unchanged(path, None, text)
    return path


def resolve_categories(values: Iterable[str]) -> list[str]:
    """Category ids named by ``values``: ids, or a word for one in any language
    (the lookup vocabulary of ``data/search_words.yaml``: ``nourriture``,
    ``ماء``). :class:`~calais_guide.errors.UnknownValue` (exit 2) names the
    first unknown one and lists the valid ids."""
    from .search import category_of, load_search_words
    from .vocabulary import CATEGORIES

    vocabulary = load_search_words().categories
    found: list[str] = []
    for value in values:
        category = category_of(vocabulary, value)
        if category is None:
            raise UnknownValue(
                tr(
                    "unknown category '{value}': use one of {categories} (or a word for one "
                    "in any language: nourriture, ماء)",
                    value=value,
                    categories=", ".join(CATEGORIES),
                )
            )
        found.append(category)
    return list(dict.fromkeys(found))


def init(target: Path, source: Path) -> Path:
    """Start a new guide in ``target`` from the database ``source`` (built-in).

    All or nothing: if anything cannot be copied, what was made is removed.
    """
    with os_errors(target, "create the guide in"):
        if target.exists() and not target.is_dir():
            raise UsageError(tr("{target} is a file: choose a new folder", target=target))
        if target.exists() and any(target.iterdir()):
            raise UsageError(
                tr("{target} exists and is not empty: choose a new folder", target=target)
            )
    if not (source / EDITION_FILE).is_file():
        raise NotFoundError(
            tr(
                "{source} is not a calais-guide database (no {edition_file})",
                source=source,
                edition_file=EDITION_FILE,
            )
        )
    existed = target.exists()
    made: list[Path] = []
    try:
        with os_errors(target, "create the guide in"):
            probe = target
            while not probe.exists() and probe != probe.parent:
                made.append(probe)
                probe = probe.parent
            target.mkdir(parents=True, exist_ok=True)
            for item in source.iterdir():
                if item.name.startswith((".", "__")) or item.suffix == ".py":
                    continue
                if item.is_dir():
                    shutil.copytree(item, target / item.name)
                else:
                    shutil.copy2(item, target / item.name)
    except BaseException:
        if existed:
            for child in list(target.iterdir()) if target.is_dir() else []:
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        else:
            shutil.rmtree(target, ignore_errors=True)
            for folder in made[1:]:
                try:
                    folder.rmdir()
                except OSError:
                    break
        raise
    return target


def stale_texts(path: Path) -> set[str]:
    """``field.lang`` of every stale translation in entry file ``path`` (for
    ``edit`` to say which translations a change made out of date)."""
    from .load import load_entry
    from .model import translation_state

    entry = load_entry(path, [])
    if entry is None:
        return set()
    return {
        f"{name}.{lang}"
        for name, texts in entry.localized_fields()
        for lang in texts
        if translation_state(texts, lang) == "stale"
    }


EditResult = Literal["saved", "unchanged", "abandoned"]


def edit(
    root: Path,
    entry_id: str,
    run_editor: Callable[[Path], None],
    retry: Callable[[list[Problem]], bool],
) -> EditResult:
    """Let a person edit an entry in their editor, safely.

    The editor works on a copy. A valid result replaces the entry (atomically);
    an invalid one is shown through ``retry``, which says whether to reopen the
    editor on it or to abandon (the original is then kept untouched).
    """
    import tempfile

    path = entry_path(root, entry_id)
    with database_lock(root):
        raw, original = _read_entry(path)
    with tempfile.TemporaryDirectory(prefix="calais-guide-edit-") as tmp:
        work = Path(tmp) / path.name
        with os_errors(work):
            work.write_text(original, encoding="utf-8")
        while True:
            run_editor(work)
            try:
                new = work.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                new = None
            if new == original:
                return "unchanged"
            if new is None:
                problems = [
                    Problem(
                        path,
                        None,
                        None,
                        tr("the edited file is not UTF-8 text"),
                        "",
                        code="not-text",
                    )
                ]
            else:
                with database_lock(root):
                    problems = check_entry_text(root, path, new)
                    if not problems:
                        try:
                            replace_if_unchanged(path, raw, new)
                        except GuideError as exc:
                            kept = _keep_edit(path, new)
                            raise GuideError(
                                tr("{exc}; your version is kept in {kept}", exc=exc, kept=kept)
                            ) from None
                        return "saved"
            if not retry(problems):
                return "abandoned"


def _keep_edit(path: Path, text: str) -> Path:
    """Save an edit that could not replace ``path`` beside it (a hidden file
    the loader ignores), so a person's work is never lost."""
    import time

    kept = path.with_name(f".{path.stem}.{time.strftime('%Y%m%d-%H%M%S')}.yaml")
    try:
        from .fileio import write_text

        write_text(kept, text)
    except FileError:
        return Path("(nowhere: the folder is not writable)")
    return kept
