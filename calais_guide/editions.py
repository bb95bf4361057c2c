"""Quarterly editions: snapshots of published editions, what changed, what blocks printing.

Every quarter the coordinator starts a new edition (:func:`new_edition`): the
published one is frozen as a *snapshot*, ``<database>/editions/<YYYY-MM>.json``,
holding the resolved data exactly as loaded (edition and entries, every field).
A snapshot loads back into the model (:func:`snapshot_to_database`), so the
booklet of a published edition can be rebuilt and compared long after the
entry files changed.

:func:`diff` compares two databases (a snapshot, or the current entries) field
by field, what people act on first: phones, addresses, hours, closures and
status. :func:`check` gathers everything that should stop a print run into one
report of blockers and warnings; ``build`` calls it before rendering.

Everything here is pure functions over the model plus small atomic file
writes (:mod:`calais_guide.fileio`); the CLI only prints the results.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import __version__
from .errors import DataError, GuideError, NotFoundError, Problem, UsageError
from .fileio import write_text
from .load import _YAML_KEYS, EDITION_FILE, INVALID, Converter, Document, load_database
from .model import (
    DAYS,
    Address,
    Closure,
    Database,
    Edition,
    Email,
    EmergencyNumber,
    Entry,
    Localized,
    Location,
    Phone,
    Schedule,
    ScheduleException,
    SocialLink,
    SpokenLanguage,
    Text,
    text_hash,
)
from .validate import EDITION_ID, SOURCE_LANGUAGE, Report

if TYPE_CHECKING:
    from rich.console import Console

SNAPSHOT_DIR = "editions"
"""Sub-directory of a database holding the snapshots of published editions
(``editions`` is a reserved entry id, and the loader ignores sub-directories)."""
SNAPSHOT_FORMAT = "calais-guide edition snapshot"
SNAPSHOT_VERSION = 1
"""Version of the snapshot layout; a snapshot from a newer tool is refused."""

_INTERNAL = {"path", "lines"}
_SAFE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.yaml$")


# -- model <-> plain data -------------------------------------------------------


def to_data(value: Any) -> Any:
    """A model value as plain JSON data: YAML field names, ISO dates, ``HH:MM`` times.

    The same shape as the entry files, so a snapshot reads like them and loads
    back through the same converter.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            _YAML_KEYS.get(f.name, f.name): to_data(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _INTERNAL
        }
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Path):
        return str(value)
    return value


def _json(data: Any) -> str:
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
        (p.stem, p) for p in folder.iterdir() if p.suffix == ".json" and EDITION_ID.match(p.stem)
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
    return _json(snapshot_data(db))


def _snapshot_root(path: Path) -> Path:
    return path.parent.parent if path.parent.name == SNAPSHOT_DIR else path.parent


def snapshot_to_database(path: Path, root: Path | None = None) -> Database:
    """Load a snapshot back into model objects, as :func:`load_database` would.

    ``root`` (default: the database the snapshot belongs to) becomes the
    database root, and entry paths point at the files they were read from.
    DataError (file, field, what to do) if the snapshot is damaged.
    """
    hint = "snapshots are written by 'calais-guide edition new'; restore this one from git"

    def fail(message: str, fld: str | None = None, line: int | None = None) -> DataError:
        return DataError([Problem(path, line, fld, message, hint)], path.parent)

    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"no snapshot file {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read the snapshot: {exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise fail(f"not valid JSON: {exc.msg}", line=exc.lineno) from None
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise fail("not a calais-guide edition snapshot")
    version = data.get("version")
    if not isinstance(version, int) or version > SNAPSHOT_VERSION:
        raise fail(
            f"snapshot layout version {version!r} is not one this calais-guide "
            f"({__version__}) reads: use a newer calais-guide"
        )
    problems: list[Problem] = []
    converter = Converter(Document(path, data, {}), problems)
    edition = converter.dataclass(data.get("edition"), Edition, "edition")
    items = data.get("entries")
    if not isinstance(items, list):
        raise fail("'entries' is missing or not a list", "entries")
    root = root or _snapshot_root(path)
    entries: list[Entry] = []
    for i, item in enumerate(items):
        where = f"entries[{i}]"
        if not isinstance(item, dict) or not _SAFE_FILE.match(str(item.get("file", ""))):
            problems.append(Problem(path, None, where, "entry without a valid 'file' name", hint))
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
    """Start edition ``month``: snapshot the current (published) edition, then
    set ``edition: month`` in ``edition.yaml`` (comments and layout kept).

    Refuses a month that is not after the current edition and never
    overwrites a different snapshot. All or nothing: if updating
    ``edition.yaml`` fails, the snapshot just written is removed.
    """
    from .manage import dump_roundtrip, load_roundtrip

    if not EDITION_ID.match(month):
        raise UsageError(f"'{month}' is not a month: write YYYY-MM, e.g. 2023-06")
    db = load_database(root)
    published = db.edition.edition
    edition_file = root / EDITION_FILE
    if not EDITION_ID.match(published):
        raise UsageError(
            f"{edition_file} says edition '{published}', which is not a month: "
            "fix it (calais-guide validate) before starting a new edition"
        )
    if month <= published:
        raise UsageError(
            f"{month} is not after the current edition {published}: "
            "give the month of the next edition"
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
                f"{target} already exists and differs from the current data: the snapshot "
                f"of a published edition is never overwritten. If edition {published} was "
                "not printed after all, move that file away, then run this again"
            )

    original = edition_file.read_text(encoding="utf-8")
    data = load_roundtrip(edition_file)
    old = data["edition"]
    # Keep the quoting the volunteer used (ruamel string subclasses carry it).
    data["edition"] = type(old)(month) if isinstance(old, str) else month
    new_text = dump_roundtrip(data, original)

    folder_existed = target.parent.is_dir()
    if not reused:
        write_text(target, text)
    try:
        write_text(edition_file, new_text)
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


# -- choosing what to compare ----------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of a comparison: where the data came from."""

    spec: str
    """What was asked: ``current``, a month (``2023-03``) or a path."""
    edition: str
    """Edition month of that data."""
    source: Path
    """The snapshot file or database directory read."""
    snapshot: bool
    """True for a published edition's snapshot, False for live entry files."""


NO_SNAPSHOT = (
    "no published edition yet: run 'calais-guide edition new YYYY-MM' when this one is printed"
)


def open_side(root: Path, spec: str) -> tuple[Database, Side]:
    """The database named by ``spec``: ``current`` (the entry files of ``root``),
    a published month (``2023-03``: its snapshot in ``root``), a snapshot file,
    or another database directory."""
    if spec == "current":
        db = load_database(root)
        return db, Side(spec, db.edition.edition, root, False)
    if EDITION_ID.match(spec):
        path = snapshot_path(root, spec)
        if not path.is_file():
            known = [m for m, _ in snapshots(root)]
            if not known:
                raise NotFoundError(f"no snapshot of edition {spec} in {root}: {NO_SNAPSHOT}")
            raise NotFoundError(
                f"no snapshot of edition {spec} in {snapshot_dir(root)}; "
                f"published editions: {', '.join(known)}",
                difflib.get_close_matches(spec, known, 3, 0.6),
            )
        db = snapshot_to_database(path)
        return db, Side(spec, db.edition.edition, path, True)
    path = Path(spec)
    if path.is_dir():
        db = load_database(path)
        return db, Side(spec, db.edition.edition, path, False)
    if path.is_file():
        db = snapshot_to_database(path)
        return db, Side(spec, db.edition.edition, path, True)
    raise NotFoundError(
        f"'{spec}' is neither 'current', a published month (YYYY-MM), "
        "a snapshot file nor a database folder"
    )


def latest_snapshot(root: Path, before: str | None = None) -> tuple[str, Path] | None:
    """The most recent published edition (before month ``before``, if given)."""
    found = [(m, p) for m, p in snapshots(root) if before is None or m < before]
    return found[-1] if found else None


# -- diff ---------------------------------------------------------------------------

Category = Literal[
    "phones", "addresses", "hours", "closures", "status", "other", "translations", "editorial"
]
CATEGORIES: tuple[Category, ...] = (
    "phones",
    "addresses",
    "hours",
    "closures",
    "status",
    "other",
    "translations",
    "editorial",
)
"""Categories of a change, in the order they are reported."""
IMPORTANT: frozenset[Category] = frozenset({"phones", "addresses", "hours", "closures", "status"})
"""What people act on: reported first."""
_EDITORIAL = {"assured_date", "assurer", "needs_review", "notes"}
"""Entry fields for the editors, never printed: left out of the newsletter."""


@dataclass(frozen=True)
class Change:
    """One field that differs between two versions of an entry (or of the edition)."""

    field: str
    """Field path, as in the entry files and validator messages (``phones[0].number``)."""
    category: Category
    """What it is about; decides the order of the report."""
    change: Literal["added", "removed", "changed"]
    """Whether the field (or list item, or text) appeared, disappeared or changed."""
    old: Any
    """Old value (a model value; None when added). For translations, the old status."""
    new: Any
    """New value (None when removed). For translations, the new status."""
    lang: str | None = None
    """Language of a text change, else None."""


@dataclass(frozen=True)
class EntryChanges:
    """An entry present on both sides, with what changed in it."""

    id: str
    """Entry id."""
    name: str
    """Entry name (the new one)."""
    changes: list[Change]
    """Changes, most important first (see :data:`CATEGORIES`)."""

    @property
    def important(self) -> bool:
        """True if a phone, address, hour, closure or status changed."""
        return any(c.category in IMPORTANT for c in self.changes)

    @property
    def editorial_only(self) -> bool:
        """True if only verification dates, notes or review items changed."""
        return all(c.category == "editorial" for c in self.changes)


@dataclass
class EditionDiff:
    """What changed between two editions (or an edition and the current data)."""

    old: Side
    """The older side."""
    new: Side
    """The newer side."""
    edition: list[Change]
    """Changes to the edition file (title, languages, emergency numbers...)."""
    added: list[Entry]
    """Entries only in the new side, in its order."""
    removed: list[Entry]
    """Entries only in the old side, in its order."""
    changed: list[EntryChanges]
    """Entries on both sides that differ: those with important changes first."""

    @property
    def empty(self) -> bool:
        """True when nothing differs."""
        return not (self.edition or self.added or self.removed or self.changed)


def _category(path: str) -> Category:
    top = re.split(r"[.\[]", path, maxsplit=1)[0]
    if top in ("phones", "emergency_numbers"):
        return "phones"
    if top == "locations":
        return "hours" if (".schedules" in path or ".exceptions" in path) else "addresses"
    if top == "closures":
        return "closures"
    if top == "status":
        return "status"
    if top in _EDITORIAL:
        return "editorial"
    return "other"


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _is_localized(value: Any) -> bool:
    return isinstance(value, dict) and any(isinstance(v, Text) for v in value.values())


def _item_key(value: Any) -> str:
    return json.dumps(to_data(value), sort_keys=True, ensure_ascii=False)


def _compare(old: Any, new: Any, path: str, out: list[Change]) -> None:
    """Append the changes from ``old`` to ``new`` (same model type) at ``path``."""
    if old == new:
        return
    if dataclasses.is_dataclass(old) and type(old) is type(new):
        for f in dataclasses.fields(old):
            if f.name in _INTERNAL:
                continue
            sub = _join(path, _YAML_KEYS.get(f.name, f.name))
            _compare(getattr(old, f.name), getattr(new, f.name), sub, out)
        return
    if _is_localized(old) or _is_localized(new):
        _compare_texts(old or {}, new or {}, path, out)
        return
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and any(dataclasses.is_dataclass(v) for v in [*old, *new])
    ):
        _compare_items(old, new, path, out)
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            _scalar(old.get(key), new.get(key), _join(path, key), out)
        return
    _scalar(old, new, path, out)


def _scalar(old: Any, new: Any, path: str, out: list[Change]) -> None:
    if old == new:
        return
    empty_old = old is None or old == [] or old == {}
    empty_new = new is None or new == [] or new == {}
    kind: Literal["added", "removed", "changed"] = (
        "added" if empty_old else "removed" if empty_new else "changed"
    )
    out.append(
        Change(path, _category(path), kind, None if empty_old else old, None if empty_new else new)
    )


def _compare_items(old: list[Any], new: list[Any], path: str, out: list[Change]) -> None:
    """Lists of records (phones, locations...): align them so that inserting a
    phone in front does not read as every phone having changed."""
    matcher = difflib.SequenceMatcher(
        a=[_item_key(v) for v in old], b=[_item_key(v) for v in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            _compare(old[i1 + k], new[j1 + k], _join(path, j1 + k), out)
        for i in range(i1 + paired, i2):
            p = _join(path, i)
            out.append(Change(p, _category(p), "removed", old[i], None))
        for j in range(j1 + paired, j2):
            p = _join(path, j)
            out.append(Change(p, _category(p), "added", None, new[j]))


def _compare_texts(old: Localized, new: Localized, path: str, out: list[Change]) -> None:
    """French (the working language) in full; other languages summarised by status."""
    langs = sorted(set(old) | set(new), key=lambda c: (c != SOURCE_LANGUAGE, c))
    for lang in langs:
        a, b = old.get(lang), new.get(lang)
        if a == b:
            continue
        p = _join(path, lang)
        kind: Literal["added", "removed", "changed"] = (
            "added" if a is None else "removed" if b is None else "changed"
        )
        if lang == SOURCE_LANGUAGE and (a is None or b is None or a.text != b.text):
            out.append(Change(p, _category(path), kind, a and a.text, b and b.text, lang))
        else:
            out.append(Change(p, "translations", kind, a and a.status, b and b.status, lang))


def _rank(change: Change) -> int:
    return CATEGORIES.index(change.category)


def compare(old: Database, new: Database, old_side: Side, new_side: Side) -> EditionDiff:
    """Field-level differences between two databases, entries matched by id."""
    edition: list[Change] = []
    old_ed = dataclasses.replace(old.edition, edition=new.edition.edition)
    _compare(old_ed, new.edition, "", edition)
    old_ids = {e.id for e in old.entries}
    new_ids = {e.id for e in new.entries}
    changed: list[EntryChanges] = []
    for entry in new.entries:
        before = old.get(entry.id)
        if before is None:
            continue
        changes: list[Change] = []
        _compare(before, entry, "", changes)
        if changes:
            changes.sort(key=_rank)
            changed.append(EntryChanges(entry.id, entry.name, changes))
    changed.sort(key=lambda c: not c.important)
    return EditionDiff(
        old=old_side,
        new=new_side,
        edition=sorted(edition, key=_rank),
        added=[e for e in new.entries if e.id not in old_ids],
        removed=[e for e in old.entries if e.id not in new_ids],
        changed=changed,
    )


def diff(root: Path, old: str | None = None, new: str | None = None) -> EditionDiff:
    """Compare ``old`` with ``new`` (each as in :func:`open_side`).

    Defaults: ``old`` is the last published edition, ``new`` the current
    entry files. NotFoundError when there is nothing published to compare with.
    """
    if old is None:
        latest = latest_snapshot(root)
        if latest is None:
            raise NotFoundError(NO_SNAPSHOT)
        old = latest[0]
    old_db, old_side = open_side(root, old)
    new_db, new_side = open_side(root, new or "current")
    return compare(old_db, new_db, old_side, new_side)


# -- diff as JSON ---------------------------------------------------------------------

DIFF_FORMAT = "calais-guide edition diff"


def _change_data(c: Change) -> dict[str, Any]:
    return {
        "field": c.field,
        "category": c.category,
        "change": c.change,
        "old": to_data(c.old),
        "new": to_data(c.new),
        "lang": c.lang,
    }


def _side_data(side: Side) -> dict[str, Any]:
    return {
        "spec": side.spec,
        "edition": side.edition,
        "source": str(side.source),
        "snapshot": side.snapshot,
    }


def diff_to_json(d: EditionDiff) -> str:
    """The diff as stable JSON (documented in the README, "edition diff")."""

    def entry(e: Entry) -> dict[str, Any]:
        summary = e.summary.get(SOURCE_LANGUAGE)
        return {"id": e.id, "name": e.name, "summary": summary.text if summary else None}

    data = {
        "format": DIFF_FORMAT,
        "version": 1,
        "old": _side_data(d.old),
        "new": _side_data(d.new),
        "counts": {
            "added": len(d.added),
            "removed": len(d.removed),
            "changed": len(d.changed),
            "important": sum(1 for c in d.changed if c.important),
        },
        "edition": [_change_data(c) for c in d.edition],
        "added": [entry(e) for e in d.added],
        "removed": [entry(e) for e in d.removed],
        "changed": [
            {
                "id": c.id,
                "name": c.name,
                "important": c.important,
                "changes": [_change_data(x) for x in c.changes],
            }
            for c in d.changed
        ],
    }
    return _json(data)


# -- diff as text and Markdown ---------------------------------------------------------

DIFF_LANGS = ("fr", "en")
"""Languages of the diff's headings and labels (the coordinators' languages)."""

_WORDS: dict[str, dict[str, str]] = {
    "title": {
        "fr": "Ce qui a changé : {old} → {new}",
        "en": "What changed: {old} → {new}",
    },
    "edition_label": {"fr": "édition {month}", "en": "edition {month}"},
    "current_label": {
        "fr": "données actuelles (édition {month})",
        "en": "current data (edition {month})",
    },
    "counts": {
        "fr": "{added} ajoutée(s), {removed} retirée(s), {changed} modifiée(s)",
        "en": "{added} added, {removed} removed, {changed} changed",
    },
    "nothing": {"fr": "Aucun changement.", "en": "No change."},
    "edition": {"fr": "Le livret (édition)", "en": "The booklet (edition)"},
    "important": {
        "fr": "Changements importants : téléphones, adresses, horaires, fermetures",
        "en": "Important: phones, addresses, hours, closures, status",
    },
    "added": {"fr": "Nouvelles associations", "en": "Added"},
    "removed": {"fr": "Retirées du guide", "en": "Removed"},
    "other": {"fr": "Autres changements", "en": "Other changes"},
    "verified": {
        "fr": "Revérifiées, sans autre changement",
        "en": "Re-checked, nothing else changed",
    },
    "translations": {"fr": "traductions", "en": "translations"},
    "t_added": {"fr": "ajoutée", "en": "added"},
    "t_removed": {"fr": "supprimée", "en": "removed"},
    "t_changed": {"fr": "modifiée", "en": "changed"},
    "none": {"fr": "(rien)", "en": "(none)"},
    "new": {"fr": "nouveau", "en": "new"},
    "closed": {"fr": "fermé", "en": "closed"},
    "always": {"fr": "24 h/24, 7 j/7", "en": "24/7"},
    "until": {"fr": "jusqu'à nouvel ordre", "en": "until further notice"},
    "ask": {"fr": "adresse sur demande", "en": "address on request"},
    "mobile": {"fr": "équipe mobile", "en": "mobile team"},
}

_FIELDS: dict[str, tuple[str, str]] = {
    # field name -> (French, English): labels of the Markdown newsletter.
    "name": ("Nom", "Name"),
    "alternate_name": ("Autre nom", "Other name"),
    "summary": ("Résumé", "Summary"),
    "description": ("Description", "Description"),
    "status": ("Statut", "Status"),
    "categories": ("Catégories", "Categories"),
    "welcome": ("Public accueilli", "Who is welcome"),
    "languages": ("Langues", "Languages"),
    "phones": ("Téléphone", "Phone"),
    "number": ("numéro", "number"),
    "type": ("type", "type"),
    "label": ("libellé", "label"),
    "available_24_7": ("24 h/24", "24/7"),
    "emails": ("E-mail", "E-mail"),
    "address": ("adresse", "address"),
    "websites": ("Site web", "Website"),
    "social": ("Réseau social", "Social network"),
    "url": ("adresse", "address"),
    "locations": ("Lieu", "Place"),
    "kind": ("type", "kind"),
    "street": ("rue", "street"),
    "postal_code": ("code postal", "postal code"),
    "city": ("ville", "city"),
    "latitude": ("latitude", "latitude"),
    "longitude": ("longitude", "longitude"),
    "schedules": ("Horaires", "Hours"),
    "exceptions": ("Jours particuliers", "Special days"),
    "byday": ("jours", "days"),
    "opens_at": ("ouverture", "opens"),
    "closes_at": ("fermeture", "closes"),
    "valid_from": ("du", "from"),
    "valid_to": ("au", "to"),
    "closed": ("fermé", "closed"),
    "note": ("note", "note"),
    "closures": ("Fermeture", "Closure"),
    "alert": ("message", "message"),
    "parent": ("Association mère", "Parent association"),
    "transliterations": ("Translittérations", "Transliterations"),
    "title": ("Titre", "Title"),
    "intro": ("Introduction", "Introduction"),
    "order": ("Ordre du livret", "Booklet order"),
    "emergency_numbers": ("Numéro d'urgence", "Emergency number"),
    "sms": ("SMS", "SMS"),
    "publisher": ("Éditeur", "Publisher"),
    "website": ("Site du guide", "Guide website"),
    "country": ("Pays", "Country"),
    "card_categories": ("Cartes thématiques", "Thematic cards"),
    "verification_window_days": ("Délai de vérification", "Verification window"),
    "assured_date": ("Vérifiée le", "Verified on"),
    "assurer": ("Vérifiée par", "Verified by"),
}


def _word(key: str, lang: str) -> str:
    return _WORDS[key][lang]


def field_label(path: str, lang: str) -> str:
    """A readable label for a field path: ``phones[0].number`` -> ``Téléphone 1 › numéro``."""
    index = 0 if lang == "fr" else 1
    parts: list[str] = []
    for name, number in re.findall(r"([A-Za-z_0-9-]+)(?:\[(\d+)\])?", path):
        label = _FIELDS[name][index] if name in _FIELDS else name
        parts.append(f"{label} {int(number) + 1}" if number else label)
    return " › ".join(parts)


def _day_names(lang: str) -> dict[str, str]:
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=lang)
    return {code: names[i] for i, code in enumerate(DAYS)}


def describe(value: Any, lang: str = "en") -> str:
    """A model value in one line for people: numbers, dates and hours as written."""
    if value is None:
        return _word("none", lang)
    if isinstance(value, bool):
        return {"fr": ("oui", "non"), "en": ("yes", "no")}[lang][0 if value else 1]
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Text):
        return value.text
    if isinstance(value, dict) and _is_localized(value):
        text = value.get(SOURCE_LANGUAGE) or next(iter(value.values()))
        return text.text
    if isinstance(value, Phone):
        extra = f" ({_word('always', lang)})" if value.available_24_7 else ""
        return f"{value.number}{extra}"
    if isinstance(value, Address):
        return ", ".join(x for x in (value.street, value.postal_code, value.city) if x)
    if isinstance(value, Location):
        if value.address is not None:
            where = describe(value.address, lang)
        elif value.kind == "confidential":
            where = _word("ask", lang)
        else:
            where = _word("mobile", lang)
        name = describe(value.name, lang) + ": " if value.name else ""
        hours = "; ".join(describe(s, lang) for s in value.schedules)
        return f"{name}{where}" + (f" ({hours})" if hours else "")
    if isinstance(value, Schedule):
        days = _day_names(lang)
        span = f"{value.opens_at:%H:%M}–{value.closes_at:%H:%M}"
        return " ".join(days[d] for d in value.byday) + " " + span
    if isinstance(value, ScheduleException | Closure):
        span = value.valid_from.isoformat()
        if value.valid_to is None and isinstance(value, Closure):
            span += f" – {_word('until', lang)}"
        elif value.valid_to is not None and value.valid_to != value.valid_from:
            span += f" – {value.valid_to.isoformat()}"
        if isinstance(value, Closure):
            what = describe(value.alert, lang) if value.alert else _word("closed", lang)
        elif value.closed or value.opens_at is None or value.closes_at is None:
            what = _word("closed", lang)
        else:
            what = f"{value.opens_at:%H:%M}–{value.closes_at:%H:%M}"
        return f"{span}: {what}"
    if isinstance(value, Email):
        return value.address
    if isinstance(value, SocialLink):
        return value.url
    if isinstance(value, SpokenLanguage):
        return value.code + (f" ({value.note})" if value.note else "")
    if isinstance(value, EmergencyNumber):
        return f"{value.number} {describe(value.label, lang)}".strip()
    if isinstance(value, list):
        return ", ".join(describe(v, lang) for v in value) or _word("none", lang)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {describe(v, lang)}" for k, v in value.items())
    return str(value)


def _side_label(side: Side, lang: str) -> str:
    key = "edition_label" if side.snapshot else "current_label"
    return _word(key, lang).format(month=side.edition)


def _translation_summary(changes: Sequence[Change], lang: str, fields: Callable[[str], str]) -> str:
    """``en changed (summary, description); ar added (summary)``."""
    groups: dict[tuple[str, str], list[str]] = {}
    for c in changes:
        base = c.field.rsplit(".", 1)[0]
        groups.setdefault((c.lang or "?", c.change), []).append(fields(base))
    parts = [
        f"{code} {_word('t_' + kind, lang)} ({', '.join(dict.fromkeys(names))})"
        for (code, kind), names in groups.items()
    ]
    return "; ".join(parts)


def _flat(text: str) -> str:
    return " ".join(text.split())


def diff_to_text(d: EditionDiff, lang: str = "en") -> str:
    """The diff for the terminal: field paths as in the entry files, every change."""
    lines = [
        _word("title", lang).format(old=_side_label(d.old, lang), new=_side_label(d.new, lang)),
        _word("counts", lang).format(
            added=len(d.added), removed=len(d.removed), changed=len(d.changed)
        ),
    ]
    if d.empty:
        lines.append(_word("nothing", lang))
        return "\n".join(lines) + "\n"

    def change_lines(changes: Sequence[Change]) -> list[str]:
        out = []
        texts = [c for c in changes if c.category == "translations"]
        for c in changes:
            if c.category == "translations":
                continue
            old = _flat(describe(c.old, lang))
            new = _flat(describe(c.new, lang))
            if c.change == "added":
                out.append(f"    + {c.field}: {new}")
            elif c.change == "removed":
                out.append(f"    - {c.field}: {old}")
            else:
                out.append(f"    {c.field}: {old} → {new}")
        if texts:
            summary = _translation_summary(texts, lang, lambda f: f)
            out.append(f"    {_word('translations', lang)}: {summary}")
        return out

    if d.edition:
        lines += ["", _word("edition", lang), *change_lines(d.edition)]
    important = [c for c in d.changed if c.important]
    if important:
        lines += ["", _word("important", lang)]
        for c in important:
            lines += [f"  {c.id} ({c.name})", *change_lines(c.changes)]
    if d.added:
        lines += ["", _word("added", lang)]
        for e in d.added:
            lines.append(f"  + {e.id} ({e.name}): {_flat(describe(e.summary, lang))}")
    if d.removed:
        lines += ["", _word("removed", lang)]
        for e in d.removed:
            lines.append(f"  - {e.id} ({e.name})")
    other = [c for c in d.changed if not c.important and not c.editorial_only]
    if other:
        lines += ["", _word("other", lang)]
        for c in other:
            lines += [f"  {c.id} ({c.name})", *change_lines(c.changes)]
    verified = [c for c in d.changed if c.editorial_only]
    if verified:
        lines += ["", _word("verified", lang)]
        for c in verified:
            lines += [f"  {c.id} ({c.name})", *change_lines(c.changes)]
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def _md(text: str) -> str:
    """Entry text is data: escape what Markdown would read as formatting or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", _flat(text))


def diff_to_markdown(d: EditionDiff, lang: str = "fr") -> str:
    """The diff for a newsletter or a message to the associations.

    Readable labels instead of field paths; editorial fields (verification
    dates, internal notes, review items) are left out: they are not news.
    """

    sep = " :" if lang == "fr" else ":"  # French puts a space before the colon

    def label(path: str) -> str:
        return field_label(path, lang)

    def change_lines(changes: Sequence[Change]) -> list[str]:
        out = []
        public = [c for c in changes if c.category != "editorial"]
        texts = [c for c in public if c.category == "translations"]
        for c in public:
            if c.category == "translations":
                continue
            old, new = _md(describe(c.old, lang)), _md(describe(c.new, lang))
            shown = {
                "added": f"{new} ({_word('new', lang)})",
                "removed": f"~~{old}~~",
                "changed": f"~~{old}~~ → {new}",
            }
            # A French text is the text itself: no need to name the language.
            path = c.field.rsplit(".", 1)[0] if c.lang == SOURCE_LANGUAGE else c.field
            out.append(f"- **{_md(label(path))}**{sep} {shown[c.change]}")
        if texts:
            word = _word("translations", lang).capitalize()
            out.append(f"- {word}{sep} {_md(_translation_summary(texts, lang, label))}")
        return out

    public_changed = [c for c in d.changed if not c.editorial_only]
    title = _word("title", lang).format(old=_side_label(d.old, lang), new=_side_label(d.new, lang))
    lines = [
        f"# {_md(title)}",
        "",
        _word("counts", lang).format(
            added=len(d.added), removed=len(d.removed), changed=len(public_changed)
        ),
    ]
    if not (d.edition or d.added or d.removed or public_changed):
        return "\n".join([*lines, "", _word("nothing", lang)]) + "\n"
    if d.edition:
        lines += ["", f"## {_word('edition', lang)}", "", *change_lines(d.edition)]
    important = [c for c in public_changed if c.important]
    if important:
        lines += ["", f"## {_word('important', lang)}"]
        for c in important:
            lines += ["", f"### {_md(c.name)}", "", *change_lines(c.changes)]
    if d.added:
        lines += ["", f"## {_word('added', lang)}", ""]
        for e in d.added:
            lines.append(f"- **{_md(e.name)}**{sep} {_md(describe(e.summary, lang))}")
    if d.removed:
        lines += ["", f"## {_word('removed', lang)}", ""]
        for e in d.removed:
            lines.append(f"- **{_md(e.name)}**")
    other = [c for c in public_changed if not c.important]
    if other:
        lines += ["", f"## {_word('other', lang)}"]
        for c in other:
            lines += ["", f"### {_md(c.name)}", "", *change_lines(c.changes)]
    return "\n".join(lines) + "\n"


# -- check: what stops a print run ------------------------------------------------------

Severity = Literal["blocker", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing the coordinator must know before printing."""

    message: str
    """What is wrong, in one line."""
    entry: str | None = None
    """Entry id it is about (None: the edition, or several entries)."""
    field: str | None = None
    """Field path, where it applies."""
    lang: str | None = None
    """Language it is about, where it applies."""
    file: Path | None = None
    """File to open."""
    line: int | None = None
    """Line in that file."""
    hint: str | None = None
    """What to do."""
    entries: tuple[str, ...] = ()
    """For a summary finding (one per language), the entries concerned."""


@dataclass
class CheckContext:
    """What a check section gets to look at."""

    root: Path
    """The database directory."""
    database: Database | None
    """The loaded current data; None only when it cannot be loaded, and then
    only sections with ``needs_database=False`` run."""
    langs: list[str]
    """Languages of the print run being checked."""
    previous: Database | None
    """The last published edition before this one (its snapshot), if any."""
    validation: Report
    """The result of :func:`calais_guide.validate.validate` on ``root``."""

    @property
    def db(self) -> Database:
        """The loaded data (for sections that need it)."""
        assert self.database is not None, "section run without data"
        return self.database


@dataclass(frozen=True)
class Section:
    """One kind of check, pluggable: a name, a default severity and a function."""

    kind: str
    """Stable id, used by ``--allow`` and in JSON (``not-verified``)."""
    title: str
    """Heading in the report."""
    severity: Severity
    """Default severity of its findings."""
    run: Callable[[CheckContext], Iterable[Finding]]
    """Produces the findings."""
    allowable: bool = True
    """Whether ``--allow KIND`` may turn its blockers into warnings."""
    needs_database: bool = True
    """False for a section that still runs when the data cannot be loaded."""


@dataclass(frozen=True)
class SectionResult:
    """A section's findings, with the severity they were given."""

    kind: str
    title: str
    severity: Severity
    findings: list[Finding]
    allowed: bool = False
    """True when a blocker section was downgraded by ``--allow``."""
    allowable: bool = True
    """Whether ``--allow`` could downgrade it."""


@dataclass
class CheckReport:
    """Everything that should stop (blockers) or give pause (warnings) before printing."""

    root: Path
    """The database checked."""
    edition: str | None
    """Edition month checked (None if the edition file cannot be read)."""
    langs: list[str]
    """Languages of the print run checked."""
    previous: str | None
    """Month of the previous (published) edition, if any."""
    verified_since: dt.date | None
    """Entries verified before this day are reported as not re-checked (in
    addition to those unchanged since the previous edition)."""
    sections: list[SectionResult]
    """Every section that ran, in report order (empty ones included)."""
    database: Database | None = None
    """The data checked (None if it cannot be loaded), for ``build`` to render."""

    @property
    def blockers(self) -> list[Finding]:
        """Findings that stop printing."""
        return [f for s in self.sections if s.severity == "blocker" for f in s.findings]

    @property
    def warnings(self) -> list[Finding]:
        """Findings listed but not blocking."""
        return [f for s in self.sections if s.severity == "warning" for f in s.findings]

    @property
    def ok(self) -> bool:
        """True when nothing blocks printing."""
        return not self.blockers

    def entries(self, kind: str) -> list[str]:
        """Ids of the entries with findings of ``kind`` (``build --allow-stale``
        marks the ``not-verified`` ones in print)."""
        ids: dict[str, None] = {}
        for s in self.sections:
            if s.kind == kind:
                for f in s.findings:
                    for entry_id in (f.entry, *f.entries):
                        if entry_id:
                            ids.setdefault(entry_id, None)
        return list(ids)


def _problem_finding(p: Problem) -> Finding:
    entry = p.file.stem if p.file is not None and p.file.name != EDITION_FILE else None
    return Finding(p.message, entry, p.field, None, p.file, p.line, p.hint)


def _glyph_problems(ctx: CheckContext) -> list[Problem]:
    from .glyphs import check_database

    return check_database(ctx.db)


def _section_invalid(ctx: CheckContext) -> Iterator[Finding]:
    # validate() includes the glyph problems; they get their own section.
    glyphs = set(_glyph_problems(ctx)) if ctx.database is not None else set()
    for p in ctx.validation.errors:
        if p not in glyphs:
            yield _problem_finding(p)


def _section_glyphs(ctx: CheckContext) -> Iterator[Finding]:
    for p in _glyph_problems(ctx):
        yield _problem_finding(p)


def verification_threshold(db: Database, previous: Database | None) -> dt.date:
    """Entries verified before this day count as not re-checked: the first day
    of the previous edition's month, or, with no previous edition, the
    edition's verification window (``verification_window_days``)."""
    if previous is not None:
        return previous.edition.date
    return db.edition.date - dt.timedelta(days=db.edition.verification_window_days)


VERIFY_HINT = "phone each association, then run 'calais-guide verify ID --by NAME'"


def _section_not_verified(ctx: CheckContext) -> Iterator[Finding]:
    db, previous = ctx.db, ctx.previous
    since = verification_threshold(db, previous)
    for e in db.entries:
        before = previous.get(e.id) if previous is not None else None
        if e.assured_date is None:
            why = "never verified by a person"
        elif (
            before is not None
            and before.assured_date is not None
            and e.assured_date <= before.assured_date
        ):
            # Same date as in the published edition: nobody called them since.
            assert previous is not None
            why = (
                f"last verified {e.assured_date.isoformat()}, as in the "
                f"{previous.edition.edition} edition"
            )
        elif e.assured_date < since:
            why = f"last verified {e.assured_date.isoformat()}, before {since.isoformat()}"
        else:
            continue
        yield Finding(
            why,
            e.id,
            "assured_date",
            None,
            e.path,
            e.line("assured_date") or 1,
            VERIFY_HINT,
        )


# Translation states. TO BE REPLACED by calais_guide.translations.status (the
# status matrix written on the translations branch) when both are merged: this
# private version exists only so that `check` works before that.
_State = Literal["original", "reviewed", "draft", "stale", "missing"]


def _printed_texts(db: Database) -> Iterator[tuple[Entry | Edition, str, Localized]]:
    """Every translatable text that is printed, with its owner and field path."""
    ed = db.edition
    yield ed, "title", ed.title
    yield ed, "intro", ed.intro
    for i, number in enumerate(ed.emergency_numbers):
        yield ed, f"emergency_numbers[{i}].label", number.label
    for e in db.entries:
        yield e, "summary", e.summary
        yield e, "description", e.description
        for i, phone in enumerate(e.phones):
            yield e, f"phones[{i}].label", phone.label
        for i, email in enumerate(e.emails):
            yield e, f"emails[{i}].label", email.label
        for i, loc in enumerate(e.locations):
            yield e, f"locations[{i}].name", loc.name
            yield e, f"locations[{i}].description", loc.description
            for j, sched in enumerate(loc.schedules):
                yield e, f"locations[{i}].schedules[{j}].description", sched.description
            for j, exc in enumerate(loc.exceptions):
                yield e, f"locations[{i}].exceptions[{j}].note", exc.note
        for i, closure in enumerate(e.closures):
            yield e, f"closures[{i}].alert", closure.alert


def _translation_states(
    db: Database, langs: Sequence[str]
) -> Iterator[tuple[Entry | Edition, str, str, _State]]:
    """(owner, field, language, state) for every printed text in every language."""
    for owner, fld, texts in _printed_texts(db):
        if not texts:
            continue  # nothing written in any language: nothing to translate
        for lang in langs:
            text = texts.get(lang)
            if text is None:
                yield owner, fld, lang, "missing"
                continue
            if text.status == "original":
                yield owner, fld, lang, "original"
                continue
            source = texts.get(text.source) if text.source else None
            if source is not None and text.source_hash != text_hash(source.text):
                yield owner, fld, lang, "stale"
            else:
                yield owner, fld, lang, text.status


def _owner_id(owner: Entry | Edition) -> str:
    return owner.id if isinstance(owner, Entry) else EDITION_FILE


def _per_language(ctx: CheckContext, state: _State, what: str, hint: str) -> Iterator[Finding]:
    """One summary finding per language: how many texts, which fields, which entries."""
    by_lang: dict[str, list[tuple[str, str]]] = {}
    for owner, fld, lang, s in _translation_states(ctx.db, ctx.langs):
        if s == state:
            by_lang.setdefault(lang, []).append((_owner_id(owner), fld))
    for lang in ctx.langs:
        items = by_lang.get(lang)
        if not items:
            continue
        owners = list(dict.fromkeys(o for o, _ in items))
        fields = Counter(re.sub(r"\[\d+\]", "", fld) for _, fld in items)
        detail = ", ".join(f"{name} ×{n}" if n > 1 else name for name, n in fields.items())
        yield Finding(
            f"{len(items)} {what} text(s) in {len(owners)} file(s): {detail}",
            lang=lang,
            hint=hint,
            entries=tuple(owners),
        )


def _section_missing(ctx: CheckContext) -> Iterator[Finding]:
    return _per_language(
        ctx,
        "missing",
        "untranslated",
        "translate them (a draft is fine: it is printed as not reviewed), "
        "or leave the language out of this print run (--lang)",
    )


def _section_draft(ctx: CheckContext) -> Iterator[Finding]:
    return _per_language(
        ctx,
        "draft",
        "draft",
        "have a reader of the language review them, then set 'status: reviewed'",
    )


def _section_stale(ctx: CheckContext) -> Iterator[Finding]:
    for owner, fld, lang, state in _translation_states(ctx.db, ctx.langs):
        if state == "stale":
            path = f"{fld}.{lang}"
            yield Finding(
                "the text it was translated from changed since: the translation is out of date",
                owner.id if isinstance(owner, Entry) else None,
                path,
                lang,
                owner.path,
                owner.lines.get(path) or owner.lines.get(fld),
                "update the translation, then set its source_hash to the new value",
            )


def _section_needs_review(ctx: CheckContext) -> Iterator[Finding]:
    for e in ctx.db.entries:
        for i, item in enumerate(e.needs_review):
            fld = f"needs_review[{i}]"
            yield Finding(
                item, e.id, fld, None, e.path, e.line(fld), "settle it, then remove the line"
            )


def _reported_elsewhere(p: Problem) -> bool:
    """Validator warnings that the sections above already report in their own terms."""
    fld = p.field or ""
    if fld == "assured_date" or fld.startswith("needs_review["):
        return True
    if p.message.startswith("stale translation"):
        return True
    return fld in ("summary", "description") and (
        " missing in " in p.message or " draft translation " in p.message
    )


def _section_data_warnings(ctx: CheckContext) -> Iterator[Finding]:
    for p in ctx.validation.warnings:
        if not _reported_elsewhere(p):
            yield _problem_finding(p)


SECTIONS: tuple[Section, ...] = (
    Section(
        "invalid",
        "data errors (see 'calais-guide validate')",
        "blocker",
        _section_invalid,
        allowable=False,
        needs_database=False,
    ),
    Section(
        "glyphs", "characters no bundled font can draw", "blocker", _section_glyphs, allowable=False
    ),
    Section(
        "not-verified", "not re-checked with the association", "blocker", _section_not_verified
    ),
    Section("missing-translation", "missing translations", "blocker", _section_missing),
    # The cards renderer plugs in its overflow check here ("card-overflow").
    Section("stale-translation", "out-of-date translations", "warning", _section_stale),
    Section(
        "draft-translation",
        "draft translations (printed as not reviewed)",
        "warning",
        _section_draft,
    ),
    Section("needs-review", "open questions (needs_review)", "warning", _section_needs_review),
    Section(
        "data-warnings",
        "other data warnings (see 'calais-guide validate')",
        "warning",
        _section_data_warnings,
    ),
)
"""The checks of ``edition check``, in report order. Adding one is adding a
:class:`Section` here: its function gets a :class:`CheckContext`."""


def check(
    root: Path,
    langs: Sequence[str] | None = None,
    *,
    allow: Iterable[str] = (),
    strict: bool = False,
    sections: Sequence[Section] = SECTIONS,
) -> CheckReport:
    """Check that the edition in ``root`` can be printed in ``langs`` (default:
    the edition's languages). Never raises on bad data: it is reported.

    ``allow`` names blocker kinds to report as warnings instead (``not-verified``
    for a print run that knowingly includes entries nobody re-checked);
    ``strict`` makes every warning a blocker.
    """
    from . import languages
    from .validate import validate

    allowed = set(allow)
    known = {s.kind: s for s in sections}
    for kind in sorted(allowed):
        if kind not in known:
            raise UsageError(f"--allow {kind}: no such check; checks: {', '.join(known)}")
        if not known[kind].allowable:
            raise UsageError(f"--allow {kind}: {known[kind].title} always block printing")
    report = validate(root)
    db = report.database
    edition = db.edition.edition if db is not None else None
    chosen = list(langs) if langs else (list(db.edition.languages) if db is not None else [])
    for code in chosen:
        languages.get(code)  # NotFoundError naming the known languages
    previous_db: Database | None = None
    previous: str | None = None
    if db is not None:
        latest = latest_snapshot(root, before=edition)
        if latest is not None:
            previous, path = latest
            previous_db = snapshot_to_database(path, root)
    results: list[SectionResult] = []
    for section in sections:
        if section.needs_database and db is None:
            continue
        ctx = CheckContext(root, db, chosen, previous_db, report)
        findings = list(section.run(ctx))
        severity: Severity = "blocker" if strict else section.severity
        # An explicit --allow wins over --strict.
        downgraded = section.severity == "blocker" and section.kind in allowed
        if downgraded:
            severity = "warning"
        results.append(
            SectionResult(
                section.kind, section.title, severity, findings, downgraded, section.allowable
            )
        )
    return CheckReport(
        root=root,
        edition=edition,
        langs=chosen,
        previous=previous,
        verified_since=verification_threshold(db, previous_db) if db is not None else None,
        sections=results,
        database=db,
    )


def check_to_json(report: CheckReport) -> str:
    """The check report as stable JSON (documented in the README, "edition check")."""

    def finding(f: Finding) -> dict[str, Any]:
        return {
            "message": f.message,
            "entry": f.entry,
            "field": f.field,
            "lang": f.lang,
            "file": str(f.file) if f.file else None,
            "line": f.line,
            "hint": f.hint,
            "entries": list(f.entries),
        }

    data = {
        "format": "calais-guide edition check",
        "version": 1,
        "root": str(report.root),
        "edition": report.edition,
        "languages": report.langs,
        "previous_edition": report.previous,
        "verified_since": report.verified_since.isoformat() if report.verified_since else None,
        "ok": report.ok,
        "counts": {"blockers": len(report.blockers), "warnings": len(report.warnings)},
        "sections": [
            {
                "kind": s.kind,
                "title": s.title,
                "severity": s.severity,
                "allowed": s.allowed,
                "findings": [finding(f) for f in s.findings],
            }
            for s in report.sections
        ],
    }
    return _json(data)


def _where(f: Finding, root: Path) -> str:
    if f.file is None:
        return ""
    name = str(f.file)
    try:
        name = str(f.file.relative_to(root.parent))
    except ValueError:
        pass
    return f"{name}:{f.line}" if f.line else name


def print_check(report: CheckReport, out: Console) -> None:
    """The check report for the terminal: blockers first, then warnings."""
    from rich.markup import escape

    langs = ", ".join(report.langs) or "(none)"
    head = f"Edition {report.edition or '?'}, print run in {langs}."
    if report.previous and report.verified_since:
        head += (
            f" Previous edition: {report.previous}; every entry must have been re-checked since"
            f" (verified on or after {report.verified_since}, later than in that edition)."
        )
    elif report.verified_since:
        head += (
            f" No published edition yet: entries verified before {report.verified_since}"
            " (verification_window_days) count as not re-checked."
        )
    out.print(escape(head))
    ordered = sorted(report.sections, key=lambda s: s.severity != "blocker")
    for s in ordered:
        if not s.findings:
            continue
        colour = "red" if s.severity == "blocker" else "yellow"
        extra = " (allowed)" if s.allowed else ""
        out.print()
        out.print(
            f"[bold {colour}]{s.severity.upper()}[/bold {colour}] "
            f"[bold]{escape(s.title)}[/bold] ({len(s.findings)}){extra}"
        )
        hints = {f.hint for f in s.findings}
        shared = hints.pop() if len(hints) == 1 else None
        for f in s.findings:
            parts = []
            if f.lang:
                parts.append(f"[bold]{escape(f.lang)}[/bold]:")
            if f.file is not None:
                parts.append(escape(_where(f, report.root)))
            if f.field:
                parts.append(f"[bold]{escape(f.field)}[/bold]:")
            parts.append(escape(f.message))
            out.print("  " + " ".join(parts))
            if f.entries:
                shown = ", ".join(f.entries[:12])
                more = f" and {len(f.entries) - 12} more" if len(f.entries) > 12 else ""
                out.print(f"    [dim]in: {escape(shown)}{more}[/dim]")
            if f.hint and not shared:
                out.print(f"    [dim]→ {escape(f.hint)}[/dim]")
        if shared:
            out.print(f"  [dim]→ {escape(shared)}[/dim]")
    clean = [s.kind for s in report.sections if not s.findings]
    out.print()
    if clean:
        out.print(f"[dim]nothing found: {', '.join(clean)}[/dim]")
    counts = f"{len(report.blockers)} blocker(s), {len(report.warnings)} warning(s)"
    if report.ok:
        out.print(f"[green]ready to print[/green]: {counts}")
    else:
        allowable = [
            s.kind
            for s in report.sections
            if s.severity == "blocker" and s.findings and s.allowable
        ]
        advice = "fix the blockers"
        if allowable:
            advice += (
                " (or knowingly print anyway with --allow " + " --allow ".join(allowable) + ")"
            )
        out.print(f"[red]not ready to print[/red]: {counts}: {advice}")
