"""What changed between two versions of the guide, field by field.

Entries are matched by id; lists of records (phones, places, hours) are
aligned so that one insertion reads as one addition. Phones, addresses,
hours, closures and status are what people act on: they come first.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from calais_guide.cli_text import tr, tr_noop
from calais_guide.editions.snapshot import (
    latest_snapshot,
    snapshot_dir,
    snapshot_path,
    snapshot_to_database,
    snapshots,
    stable_json,
)
from calais_guide.errors import NotFoundError
from calais_guide.load import load_database
from calais_guide.model import (
    EDITION_MONTH,
    Database,
    Entry,
    Localized,
    is_localized,
    to_data,
    yaml_fields,
)
from calais_guide.validate import SOURCE_LANGUAGE


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


NO_SNAPSHOT = tr_noop(
    "no published edition yet: run 'calais-guide edition new YYYY-MM' when this one is printed"
)


def open_side(root: Path, spec: str) -> tuple[Database, Side]:
    """The database named by ``spec``: ``current`` (the entry files of ``root``),
    a published month (``2023-03``: its snapshot in ``root``), a snapshot file,
    or another database directory."""
    if spec == "current":
        db = load_database(root)
        return db, Side(spec, db.edition.edition, root, False)
    if EDITION_MONTH.match(spec):
        path = snapshot_path(root, spec)
        if not path.exists() and not path.is_symlink():  # a FIFO or folder: said when read
            known = [m for m, _ in snapshots(root)]
            if not known:
                raise NotFoundError(
                    tr(
                        "no snapshot of edition {month} in {folder}: {why}",
                        month=spec,
                        folder=root,
                        why=tr(NO_SNAPSHOT),
                    )
                )
            raise NotFoundError(
                tr(
                    "no snapshot of edition {month} in {folder}; published editions: {known}",
                    month=spec,
                    folder=snapshot_dir(root),
                    known=", ".join(known),
                ),
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
        tr(
            "'{spec}' is neither 'current', a published month (YYYY-MM), "
            "a snapshot file nor a database folder",
            spec=spec,
        )
    )


ChangeKind = Literal[
    "phones", "addresses", "hours", "closures", "status", "other", "translations", "editorial"
]
CHANGE_KINDS: tuple[ChangeKind, ...] = typing.get_args(ChangeKind)
"""Kinds of change, in the order they are reported (not to be confused with
the categories of services, :data:`calais_guide.vocabulary.CATEGORIES`)."""
IMPORTANT: frozenset[ChangeKind] = frozenset({"phones", "addresses", "hours", "closures", "status"})
"""What people act on: reported first."""
_EDITORIAL = {"assured_date", "assurer", "needs_review", "notes"}
"""Entry fields for the editors, never printed: left out of the newsletter."""


@dataclass(frozen=True)
class Change:
    """One field that differs between two versions of an entry (or of the edition)."""

    field: str
    """Field path, as in the entry files and validator messages (``phones[0].number``)."""
    category: ChangeKind
    """What kind of change it is (:data:`CHANGE_KINDS`); decides the order of
    the report. (Named ``category`` in the JSON of ``edition diff``.)"""
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
    """Changes, most important first (see :data:`CHANGE_KINDS`)."""

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


def _kind_of(path: str) -> ChangeKind:
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


def _item_key(value: Any) -> str:
    return json.dumps(to_data(value), sort_keys=True, ensure_ascii=False)


def _compare(old: Any, new: Any, path: str, out: list[Change]) -> None:
    """Append the changes from ``old`` to ``new`` (same model type) at ``path``."""
    if old == new:
        return
    if dataclasses.is_dataclass(old) and type(old) is type(new):
        for name, f in yaml_fields(type(old)).items():
            _compare(getattr(old, f.name), getattr(new, f.name), _join(path, name), out)
        return
    if is_localized(old) or is_localized(new):
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
        Change(path, _kind_of(path), kind, None if empty_old else old, None if empty_new else new)
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
            out.append(Change(p, _kind_of(p), "removed", old[i], None))
        for j in range(j1 + paired, j2):
            p = _join(path, j)
            out.append(Change(p, _kind_of(p), "added", None, new[j]))


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
            out.append(Change(p, _kind_of(path), kind, a and a.text, b and b.text, lang))
        else:
            out.append(Change(p, "translations", kind, a and a.status, b and b.status, lang))


def _rank(change: Change) -> int:
    return CHANGE_KINDS.index(change.category)


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
            raise NotFoundError(tr(NO_SNAPSHOT))
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
    return stable_json(data)
