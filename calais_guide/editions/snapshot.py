"""Snapshots of published editions: the data as printed, kept as stable JSON.

``edition new`` freezes the published edition in
``<database>/editions/<YYYY-MM>.json`` (edition and entries, every field, as
loaded), so its booklet can be rebuilt and compared after the entries change.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calais_guide import __version__
from calais_guide.cli_text import tr
from calais_guide.errors import DataError, GuideError, NotFoundError, Problem, UsageError
from calais_guide.fileio import write_text
from calais_guide.load import EDITION_FILE, INVALID, Converter, Document, load_database
from calais_guide.model import EDITION_MONTH, Database, Edition, Entry, to_data

SNAPSHOT_DIR = "editions"
"""Sub-directory of a database holding the snapshots of published editions
(``editions`` is a reserved entry id, and the loader ignores sub-directories)."""
SNAPSHOT_FORMAT = "calais-guide edition snapshot"
SNAPSHOT_VERSION = 1
"""Version of the snapshot layout; a snapshot from a newer tool is refused."""

_SAFE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.yaml$")


# -- model -> plain data: calais_guide.model.to_data (the entry files' shape, so a
# snapshot reads like them and loads back through the loader's converter) -------


def stable_json(data: Any) -> str:
    """JSON that is byte-identical for equal data: sorted keys, UTF-8, indented."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


# -- snapshots --------------------------------------------------------------------


def snapshot_dir(root: Path) -> Path:
    """Where the snapshots of database ``root`` live."""
    return root / SNAPSHOT_DIR


def snapshot_path(root: Path, month: str) -> Path:
    """The snapshot file of edition ``month`` (``YYYY-MM``) in database ``root``."""
    return snapshot_dir(root) / f"{month}.json"


def snapshots(root: Path) -> list[tuple[str, Path]]:
    """Published editions of ``root`` as (month, snapshot file), oldest first."""
    folder = snapshot_dir(root)
    if not folder.is_dir():
        return []
    found = [
        (p.stem, p) for p in folder.iterdir() if p.suffix == ".json" and EDITION_MONTH.match(p.stem)
    ]
    return sorted(found)


def snapshot_data(db: Database) -> dict[str, Any]:
    """The snapshot of ``db`` as plain data (see :func:`dump_snapshot`)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "tool_version": __version__,
        "edition": to_data(db.edition),
        "entries": [
            {"file": e.path.name if e.path else f"{e.id}.yaml", "fields": to_data(e)}
            for e in db.entries
        ],
    }


def dump_snapshot(db: Database) -> str:
    """The snapshot of ``db`` as stable JSON text: sorted keys, every field, ISO dates.

    Entries keep the edition order. Each is ``{"file": "<id>.yaml", "fields":
    {...}}`` where ``fields`` has the names and shape of an entry file.
    """
    return stable_json(snapshot_data(db))


def _snapshot_root(path: Path) -> Path:
    return path.parent.parent if path.parent.name == SNAPSHOT_DIR else path.parent


MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024
"""Largest snapshot read (2,000 long entries take about 20 MB)."""
MAX_SNAPSHOT_DEPTH = 40
"""Deepest nesting of brackets accepted in a snapshot (the schema needs about 10)."""
MAX_NUMBER_DIGITS = 30
"""Longest number accepted in a snapshot (no field needs more than a few digits)."""
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """Deepest bracket nesting of JSON ``text`` (strings skipped), without recursion."""
    brackets = _BRACKETS.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def read_snapshot_json(path: Path, fail: Any) -> Any:
    """The JSON data of snapshot ``path``, read within limits (size, nesting,
    number length, no NaN): ``fail(message)`` builds the error to raise."""
    from calais_guide.fileio import FileError, read_limited

    try:
        raw = read_limited(path, MAX_SNAPSHOT_BYTES, "snapshot")
    except FileError as exc:
        if not path.exists() and not path.is_symlink():
            raise NotFoundError(tr("no snapshot file {path}", path=path)) from None
        raise fail(str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(tr("not UTF-8 text (byte at offset {start})", start=exc.start)) from None
    depth = json_depth(text)
    if depth > MAX_SNAPSHOT_DEPTH:
        raise fail(
            tr(
                "values are nested {depth} deep, over the limit of {max_snapshot_depth}",
                depth=depth,
                max_snapshot_depth=MAX_SNAPSHOT_DEPTH,
            )
        )

    def number(kind: type) -> Any:
        def parse(token: str) -> Any:
            if len(token) > MAX_NUMBER_DIGITS:
                raise ValueError(f"a number of {len(token)} characters")
            return kind(token)

        return parse

    def constant(token: str) -> Any:
        raise ValueError(f"'{token}' is not a number JSON allows")

    try:
        return json.loads(
            text, parse_int=number(int), parse_float=number(float), parse_constant=constant
        )
    except json.JSONDecodeError as exc:
        raise fail(tr("not valid JSON: {msg}", msg=exc.msg), line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        raise fail(tr("not a valid snapshot: {exc}", exc=exc)) from None


def snapshot_problems(path: Path, root: Path) -> list[Problem]:
    """What is wrong with snapshot ``path`` (empty if it loads), for ``validate``."""
    try:
        snapshot_to_database(path, root)
    except DataError as exc:
        return [dataclasses.replace(p, file=p.file or path) for p in exc.problems]
    except GuideError as exc:
        return [
            Problem(
                path,
                None,
                None,
                str(exc),
                tr("restore the snapshot from git"),
                code="invalid-snapshot",
            )
        ]
    return []


def snapshot_to_database(path: Path, root: Path | None = None) -> Database:
    """Load a snapshot back into model objects, as :func:`load_database` would.

    ``root`` (default: the database the snapshot belongs to) becomes the
    database root, and entry paths point at the files they were read from.
    DataError (file, field, what to do) if the snapshot is damaged.
    """
    hint = tr("snapshots are written by 'calais-guide edition new'; restore this one from git")

    def fail(message: str, fld: str | None = None, line: int | None = None) -> DataError:
        return DataError(
            [Problem(path, line, fld, message, hint, code="invalid-snapshot")], path.parent
        )

    data = read_snapshot_json(path, fail)
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise fail(tr("not a calais-guide edition snapshot"))
    version = data.get("version")
    if not isinstance(version, int) or version > SNAPSHOT_VERSION:
        raise fail(
            tr(
                "snapshot layout version {version} is not one this calais-guide "
                "({version__}) reads: use a newer calais-guide",
                version=repr(version),
                version__=__version__,
            )
        )
    problems: list[Problem] = []
    converter = Converter(Document(path, data, {}), problems)
    edition = converter.dataclass(data.get("edition"), Edition, "edition")
    items = data.get("entries")
    if not isinstance(items, list):
        raise fail(tr("'entries' is missing or not a list"), "entries")
    root = root or _snapshot_root(path)
    entries: list[Entry] = []
    for i, item in enumerate(items):
        where = f"entries[{i}]"
        if not isinstance(item, dict) or not _SAFE_FILE.match(str(item.get("file", ""))):
            problems.append(
                Problem(
                    path,
                    None,
                    where,
                    tr("entry without a valid 'file' name"),
                    hint,
                    code="invalid-snapshot",
                )
            )
            continue
        entry = converter.dataclass(item.get("fields"), Entry, f"{where}.fields")
        if entry is not INVALID:
            entries.append(dataclasses.replace(entry, path=root / item["file"]))
    if problems or edition is INVALID:
        # The converter's hints speak of YAML files; nobody edits a snapshot by hand.
        raise DataError(
            [dataclasses.replace(p, line=None, hint=hint) for p in problems], path.parent
        )
    edition = dataclasses.replace(edition, path=root / EDITION_FILE)
    return Database(root=root, edition=edition, entries=entries)


@dataclass(frozen=True)
class NewEdition:
    """What :func:`new_edition` did."""

    snapshot: Path
    """The snapshot of the published edition."""
    published: str
    """Month of the published edition (now in the snapshot)."""
    month: str
    """Month of the edition just started (now in ``edition.yaml``)."""
    entries: int
    """Number of entries in the snapshot."""
    reused: bool
    """True when an identical snapshot was already there (a previous run was
    interrupted before updating ``edition.yaml``)."""


def new_edition(root: Path, month: str) -> NewEdition:
    """Start edition ``month`` under the database lock (see :func:`_new_edition`)."""
    from calais_guide.fileio import database_lock

    if not EDITION_MONTH.match(month):
        raise UsageError(tr("'{month}' is not a month: write YYYY-MM, e.g. 2023-06", month=month))
    if not root.is_dir():
        load_database(root)  # says what is wrong with the folder
    with database_lock(root):
        return _new_edition(root, month)


def _new_edition(root: Path, month: str) -> NewEdition:
    """Start edition ``month``: snapshot the current (published) edition, then
    set ``edition: month`` in ``edition.yaml`` (comments and layout kept).

    Refuses a month that is not after the current edition, data that does not
    load (DataError; rule problems do not stop it: the snapshot records what
    was printed) and never overwrites a different snapshot. All or nothing: if updating
    ``edition.yaml`` fails, the snapshot just written is removed.
    """
    from calais_guide.fileio import read_text_locked, replace_if_unchanged
    from calais_guide.load import MAX_FILE_BYTES
    from calais_guide.manage import dump_roundtrip, load_roundtrip

    db = load_database(root)
    published = db.edition.edition
    edition_file = root / EDITION_FILE
    if not EDITION_MONTH.match(published):
        raise UsageError(
            tr(
                "{edition_file} says edition '{published}', which is not a month: fix it "
                "(calais-guide validate) before starting a new edition",
                edition_file=edition_file,
                published=published,
            )
        )
    if month <= published:
        raise UsageError(
            tr(
                "{month} is not after the current edition {published}: give the month of "
                "the next edition",
                month=month,
                published=published,
            )
        )
    target = snapshot_path(root, published)
    text = dump_snapshot(db)
    reused = False
    if target.exists():
        try:
            reused = snapshot_to_database(target, root) == db
        except GuideError:
            reused = False
        if not reused:
            raise UsageError(
                tr(
                    "{target} already exists and differs from the current data: the snapshot "
                    "of a published edition is never overwritten. If edition {published} was "
                    "not printed after all, move that file away, then run this again",
                    target=target,
                    published=published,
                )
            )

    raw, original = read_text_locked(edition_file, MAX_FILE_BYTES)
    data = load_roundtrip(edition_file)
    old = data["edition"]
    # Keep the quoting the volunteer used (ruamel string subclasses carry it).
    data["edition"] = type(old)(month) if isinstance(old, str) else month
    new_text = dump_roundtrip(data, original)

    folder_existed = target.parent.is_dir()
    if not reused:
        write_text(target, text)  # removes the folder it made if it fails
    try:
        replace_if_unchanged(edition_file, raw, new_text)
    except BaseException:
        if not reused:
            target.unlink(missing_ok=True)
            if not folder_existed:
                try:
                    target.parent.rmdir()
                except OSError:
                    pass
        raise
    return NewEdition(target, published, month, len(db.entries), reused)


def latest_snapshot(root: Path, before: str | None = None) -> tuple[str, Path] | None:
    """The most recent published edition (before month ``before``, if given)."""
    found = [(m, p) for m, p in snapshots(root) if before is None or m < before]
    return found[-1] if found else None
