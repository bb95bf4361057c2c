"""The lookup index: what ``find``, ``show`` and ``list`` read, kept between runs.

A guide of 2,000 entries is 20 MB of YAML: parsing it takes seconds, and so
does reading back a cache that holds it whole. This index is an SQLite file
(standard library) in the cache folder, one per database folder, holding per
entry file: the loaded entry, its search terms, what a list row and an
opening-hours answer need, and its phone numbers formatted for dialling; and
per search term, the entries it occurs in. A lookup reads only the rows its
question needs: ``show`` one entry, ``find`` the terms of its words and the
rows of its hits, ``list`` one short row per entry.

**Freshness.** Each file of the database folder is known by ``st_ctime_ns``,
inode, size and ``st_mtime_ns``: an edit that keeps size and modification
time (``cp -p``, ``touch -r``, ``rsync -a``, ``tar``) still changes the
change time, which no tool can set back, or the inode. A file whose
timestamps are within :data:`RACY_NS` of the moment it was read could be
changed again within the same clock tick (or FAT's 2 s) without any of those
changing: its bytes are kept too and compared until it is old enough. The
program's own code and data are part of the key. When something changed,
only the changed files are read again (``edition.yaml``: only the order and
phone formats are worked out again); a new program version starts afresh.

**Safety.** The file holds pickles, so only a regular file owned by the user
is opened; anything else at its place (a FIFO would block every lookup, a
symlink could point anywhere) is removed, or the index is built in memory. A
corrupt or foreign file is replaced. Nothing here raises for a cache problem:
the answer is then just slower. ``CALAIS_GUIDE_NO_CACHE=1`` builds the index
in memory at every lookup.

Problems found while loading a file are stored with it: a broken entry file
is left out and named on every lookup, not only the first one (a broken
edition file stops lookups, as :func:`calais_guide.load.lookup_database` says).
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import stat
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import hours
from .paths import EDITION_FILE, program_key, stat_key, use_cache

if TYPE_CHECKING:
    from .errors import Problem
    from .model import Closure, Edition, Entry, Localized, Location
    from .search import Postings, SearchWords

FORMAT = 2
"""Bumped when the tables change shape (an index of another format is rebuilt)."""
RACY_NS = 3_000_000_000
"""Files changed this recently before being read keep their bytes in the index
(see module doc): a little more than the coarsest timestamps (FAT: 2 s)."""

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE files (name TEXT PRIMARY KEY, stat TEXT NOT NULL, bytes BLOB, problems BLOB);
CREATE TABLE entries (
    rowid INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE, id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0, parent TEXT, name TEXT NOT NULL,
    alternate_name TEXT, names TEXT NOT NULL, categories TEXT NOT NULL,
    entry BLOB NOT NULL, phones BLOB NOT NULL, timetable BLOB NOT NULL, terms BLOB NOT NULL,
    constant TEXT, constant_state BLOB
);
CREATE INDEX entries_id ON entries (id, position);
CREATE INDEX entries_parent ON entries (parent, position);
CREATE INDEX entries_position ON entries (position);
CREATE TABLE briefs (entry INTEGER NOT NULL, lang TEXT NOT NULL, brief BLOB NOT NULL,
                     PRIMARY KEY (entry, lang));
CREATE TABLE terms (term TEXT PRIMARY KEY, postings BLOB NOT NULL, seqs BLOB NOT NULL);
"""


class Named(NamedTuple):
    """An entry's id and name (parents and projects)."""

    id: str
    """Entry id."""
    name: str
    """Its name."""


class Brief(NamedTuple):
    """What a row of ``find`` or ``list`` shows of an entry."""

    id: str
    """Entry id."""
    name: str
    """Name."""
    summary: Localized
    """Summary: every language, or only the text shown for the language asked."""
    categories: list[str]
    """Category ids."""
    status: str
    """``active``, ``temporarily-closed`` or ``closed``."""


class Timetable(NamedTuple):
    """What :func:`calais_guide.hours.entry_state` reads of an entry (places
    without their descriptions)."""

    status: str
    """The entry's status."""
    closures: list[Closure]
    """Its dated closures."""
    locations: list[Location]
    """Its places (kind, name, schedules, exceptions)."""


# -- keys ------------------------------------------------------------------------------


class _Scan(NamedTuple):
    keys: dict[str, str]
    """File name -> :func:`stat_key` of every regular file of the folder."""
    newest: dict[str, int]
    """File name -> its later timestamp (change or modification), in ns."""
    odd: bool
    """Something named like an entry file is not a regular file (a FIFO, a
    folder, a dangling link): the loader reports it, the index does not guess."""


def _scan(folder: Path) -> _Scan:
    from .paths import is_entry_file

    keys: dict[str, str] = {}
    newest: dict[str, int] = {}
    odd = False
    with os.scandir(folder) as items:
        for item in items:
            try:
                st = item.stat()
            except OSError:  # a dangling link
                st = None
            if st is not None and stat.S_ISREG(st.st_mode):
                keys[item.name] = stat_key(st)
                newest[item.name] = max(st.st_ctime_ns, st.st_mtime_ns)
            elif is_entry_file(item.name) or item.name == EDITION_FILE:
                odd = True
    return _Scan(keys, newest, odd)


def _program() -> str:
    """The index's format and the program (:func:`~calais_guide.paths.program_key`):
    any change rebuilds the index."""
    return f"{FORMAT} {program_key()}"


def _stamp(program: str, scan: _Scan) -> str:
    return program + "\n--\n" + "\n".join(f"{n} {k}" for n, k in sorted(scan.keys.items()))


# -- opening ---------------------------------------------------------------------------


def cache_file(root: Path) -> Path:
    """The index file of the database folder ``root`` (resolved)."""
    import zlib  # not hashlib (OpenSSL is slow to load); a collision only costs a rebuild

    from .paths import cache_dir

    key = zlib.crc32(str(root).encode("utf-8", "surrogateescape"))
    return cache_dir() / f"lookup-{key:08x}.sqlite"


_COMPANIONS = ("-wal", "-shm", "-journal")


def _usable(path: Path) -> bool:
    """Whether ``path`` may be opened as the index: absent, or a regular file
    of this user. Anything else is removed if possible (a FIFO there would
    block the lookup; a link or another user's file could hold any pickle)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid():
        return True
    try:
        if stat.S_ISDIR(st.st_mode):
            return False
        path.unlink()
    except OSError:
        return False
    return True


def _connect(path: Path | None) -> sqlite3.Connection:
    if path is None:
        return sqlite3.connect(":memory:", isolation_level=None)
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return connection


def open_index(root: Path) -> LookupIndex:
    """The up-to-date index of the database folder ``root``.

    Entry files that cannot be loaded are left out and their problems kept
    (:attr:`LookupIndex.skipped`, reported by every lookup); raises
    :class:`~calais_guide.errors.DataError` when the edition file cannot be loaded.
    """
    root = root.resolve()
    try:
        scan = _scan(root)
    except OSError:
        scan = None
    if scan is None or scan.odd or EDITION_FILE not in scan.keys:
        # Not a database folder, or files the loader must judge: it raises.
        from .load import lookup_database

        lookup_database(root)
        return LookupIndex.build_in_memory(root)  # only if the loader found nothing wrong
    program = _program()
    if not use_cache():
        return LookupIndex.build_in_memory(root, scan, program)
    path = cache_file(root)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return LookupIndex.build_in_memory(root, scan, program)
    for _attempt in range(2):
        # SQLite also opens the file's companions (-wal, -shm, -journal): none
        # of them may be a FIFO or a link either.
        if not all(_usable(Path(f"{path}{extra}")) for extra in ("", *_COMPANIONS)):
            break
        try:
            index = LookupIndex(_connect(path), root)
            index.refresh(scan, program)
            return index.checked()
        except sqlite3.DatabaseError:
            # Corrupt, foreign or unwritable: start a new file once, else go without.
            try:
                path.unlink(missing_ok=True)
                for extra in _COMPANIONS:
                    Path(f"{path}{extra}").unlink(missing_ok=True)
            except OSError:
                break
        except OSError:
            break
    return LookupIndex.build_in_memory(root, scan, program)


# -- the index -----------------------------------------------------------------------


class LookupIndex:
    """An open index (see module doc); implements :class:`calais_guide.search.Terms`."""

    def __init__(self, connection: sqlite3.Connection, root: Path) -> None:
        self.db = connection
        self.root = root
        self._meta: dict[str, Any] = {}
        self._postings: dict[str, Postings] = {}
        self._positions: dict[int, int] | None = None
        self.skipped: list[Problem] = []
        """Loading errors of the entry files left out (see :meth:`checked`)."""

    @classmethod
    def build_in_memory(
        cls, root: Path, scan: _Scan | None = None, program: str | None = None
    ) -> LookupIndex:
        """An index of ``root`` that is not kept (no cache, or none possible)."""
        index = cls(_connect(None), root)
        index.refresh(scan or _scan(root), program or _program())
        return index.checked()

    # -- meta -------------------------------------------------------------------------

    def meta(self, key: str) -> Any:
        """A value of the ``meta`` table (unpickled once)."""
        if key not in self._meta:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            self._meta[key] = pickle.loads(row[0]) if row else None
        return self._meta[key]

    def _set_meta(self, key: str, value: Any) -> None:
        self._meta[key] = value
        self.db.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            (key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)),
        )

    @property
    def edition(self) -> Edition:
        """The edition file, loaded."""
        edition: Edition = self.meta("edition")
        return edition

    @property
    def chains(self) -> dict[str, tuple[str, ...]]:
        """Language code -> where to look for a text, in order."""
        chains: dict[str, tuple[str, ...]] = self.meta("chains")
        return chains

    @property
    def rtl(self) -> frozenset[str]:
        """Languages written right to left."""
        rtl: frozenset[str] = self.meta("rtl")
        return rtl

    @property
    def categories(self) -> dict[str, list[str]]:
        """Category id -> folded words naming it (the search vocabulary)."""
        words: SearchWords = self.meta("search")
        return words.categories

    @property
    def ignore(self) -> frozenset[str]:
        """Query words to drop."""
        words: SearchWords = self.meta("search")
        return words.ignore

    # -- freshness --------------------------------------------------------------------

    def _fresh(self, stamp: str) -> bool:
        try:
            stored = self.meta("stamp")
        except sqlite3.OperationalError:  # no tables yet (or not ours)
            return False
        if stored != stamp:
            return False
        racy: dict[str, bytes] = self.meta("racy") or {}
        return all(_same_bytes(self.root / name, content) for name, content in racy.items())

    def refresh(self, scan: _Scan, program: str) -> None:
        """Bring the index up to date with the folder as ``scan`` saw it.

        The answers are then read in one read transaction: another lookup
        updating the index meanwhile never shows a half-updated index (WAL).
        """
        stamp = _stamp(program, scan)
        self.db.execute("BEGIN")
        if self._fresh(stamp):
            if not self._settled(scan):
                self._write(lambda: self._settle(scan, stamp))
            return
        self._write(lambda: self._update(scan, program, stamp))

    def _write(self, change: Callable[[], None]) -> None:
        """Run ``change`` in a write transaction, then open a read transaction."""
        self.db.execute("ROLLBACK")
        self._meta.clear()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            change()
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self._meta.clear()
        self.db.execute("BEGIN")

    def _settled(self, scan: _Scan) -> bool:
        racy: dict[str, bytes] = self.meta("racy") or {}
        limit = time.time_ns() - RACY_NS
        return all(scan.newest.get(name, limit) >= limit for name in racy)

    def _settle(self, scan: _Scan, stamp: str) -> None:
        """Forget the bytes of racy files once they are old enough."""
        if self.meta("stamp") != stamp:
            return  # changed meanwhile: the next lookup updates it
        racy: dict[str, bytes] = self.meta("racy") or {}
        limit = time.time_ns() - RACY_NS
        self._set_meta("racy", {n: c for n, c in racy.items() if scan.newest.get(n, 0) >= limit})

    def _update(self, scan: _Scan, program: str, stamp: str) -> None:
        from .load import edition_rank, load_edition, load_entry
        from .paths import is_entry_file

        if self._fresh(stamp):
            return  # another lookup brought it up to date meanwhile
        started = time.time_ns() - RACY_NS
        tables = self.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'meta'")
        if not tables.fetchone()[0] or self.meta("program") != program:
            for (name,) in self.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall():
                self.db.execute(f'DROP TABLE "{name}"')
            for statement in _SCHEMA.split(";"):
                self.db.execute(statement)  # not executescript: it would commit
            self._meta.clear()
            self._set_meta("program", program)
            self._set_words()
        racy_old: dict[str, bytes] = self.meta("racy") or {}
        stored = dict(self.db.execute("SELECT name, stat FROM files"))
        changed: list[str] = []
        for name, key in scan.keys.items():
            if stored.get(name) != key or not _same_bytes(self.root / name, racy_old.get(name)):
                changed.append(name)
        removed = [name for name in stored if name not in scan.keys]
        racy: dict[str, bytes] = {}
        edition = self.meta("edition")
        old_edition = edition
        loaded: dict[str, Entry | None] = {}
        for name in sorted(changed):
            path = self.root / name
            problems: list[Problem] = []
            if scan.newest[name] >= started:
                content = _read(path)  # before loading: see module doc
                if content is not None:
                    racy[name] = content
            if name == EDITION_FILE:
                edition = load_edition(path, problems)
                if edition is not None:
                    edition = _without_lines(edition)
            elif is_entry_file(name):
                entry = load_entry(path, problems)
                # A file with loading errors is left out, even when an entry
                # could be built from it (a duplicate key keeps one value).
                broken = any(p.severity == "error" for p in problems)
                loaded[name] = None if broken else entry
            self.db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, NULL, ?)",
                (name, scan.keys[name], _dump(problems) if problems else None),
            )
        for name in removed:
            self.db.execute("DELETE FROM files WHERE name = ?", (name,))
            if is_entry_file(name):
                loaded[name] = None
        for name, content in racy_old.items():
            if name not in changed and name in scan.keys and name not in racy:
                racy[name] = content
        self._set_meta("edition", edition)
        self._set_meta("racy", racy)
        country = edition.country if edition is not None else "FR"
        if old_edition is not None and old_edition.country != country:
            self._reformat_phones(country)
        self._store_entries(loaded, country)
        if edition is not None:
            rank = edition_rank(edition)
            rows = self.db.execute("SELECT rowid, id, file FROM entries").fetchall()
            rows.sort(key=lambda r: (rank(r[1]), r[1], r[2]))
            self.db.executemany(
                "UPDATE entries SET position = ? WHERE rowid = ? AND position != ?",
                [(i, r[0], i) for i, r in enumerate(rows)],
            )
        self._set_meta("stamp", stamp)

    def _set_words(self) -> None:
        from . import languages
        from .search import load_search_words

        registry = languages.registry()
        self._set_meta("search", load_search_words())
        self._set_meta("chains", {code: tuple(languages.fallback_chain(code)) for code in registry})
        self._set_meta("rtl", frozenset(code for code, lang in registry.items() if lang.rtl))

    def _store_entries(self, loaded: dict[str, Entry | None], country: str) -> None:
        """Write the entries of changed files, and their search terms."""
        from .search import entry_terms

        words: SearchWords = self.meta("search")
        chains = self.chains
        rowids = dict(self.db.execute("SELECT file, rowid FROM entries"))
        touched: dict[str, dict[int, tuple[float, str, int] | None]] = {}
        for name, entry in sorted(loaded.items()):
            rowid = rowids.get(name)
            if rowid is not None:
                (blob,) = self.db.execute(
                    "SELECT terms FROM entries WHERE rowid = ?", (rowid,)
                ).fetchone()
                for term in pickle.loads(blob):
                    touched.setdefault(term, {})[rowid] = None
                if entry is None:
                    self.db.execute("DELETE FROM entries WHERE rowid = ?", (rowid,))
                    self.db.execute("DELETE FROM briefs WHERE entry = ?", (rowid,))
            if entry is None:
                continue
            found = entry_terms(entry, words)
            constant = hours.constant_state(_Timetable(*_timetable(entry)))
            row = (
                name,
                entry.id,
                entry.parent,
                entry.name,
                entry.alternate_name,
                found.names,
                " ".join(entry.categories),
                _dump(_without_lines(entry)),
                _dump(_phones(entry, country)),
                _dump(_timetable(entry)),
                _dump(found.terms),
                constant.state if constant else None,
                _dump(constant) if constant and not _bare(constant) else None,
            )
            if rowid is None:
                cursor = self.db.execute(
                    "INSERT INTO entries (file, id, parent, name, alternate_name, names, "
                    "categories, entry, phones, timetable, terms, constant, constant_state) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                rowid = cursor.lastrowid
                assert rowid is not None
            else:
                self.db.execute(
                    "UPDATE entries SET file = ?, id = ?, parent = ?, name = ?, "
                    "alternate_name = ?, names = ?, categories = ?, entry = ?, phones = ?, "
                    "timetable = ?, terms = ?, constant = ?, constant_state = ? WHERE rowid = ?",
                    (*row, rowid),
                )
            self.db.executemany(
                "INSERT OR REPLACE INTO briefs VALUES (?, ?, ?)",
                [(rowid, lang, _dump(_brief(entry, chain))) for lang, chain in chains.items()],
            )
            for seq, (term, (weight, reason)) in enumerate(found.terms.items()):
                touched.setdefault(term, {})[rowid] = (weight, sys.intern(reason), seq)
        self._write_terms(touched)

    def _write_terms(self, touched: dict[str, dict[int, tuple[float, str, int] | None]]) -> None:
        keys = list(touched)
        old: dict[str, tuple[dict[int, tuple[float, str]], dict[int, int]]] = {}
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            for term, postings, seqs in self.db.execute(
                f"SELECT term, postings, seqs FROM terms WHERE term IN ({marks})", chunk
            ):
                old[term] = (pickle.loads(postings), pickle.loads(seqs))
        replace = []
        delete = []
        for term, changes in touched.items():
            postings, seqs = old.get(term, ({}, {}))
            for rowid, item in changes.items():
                if item is None:
                    postings.pop(rowid, None)
                    seqs.pop(rowid, None)
                else:
                    postings[rowid] = item[:2]
                    seqs[rowid] = item[2]
            if postings:
                replace.append((term, _dump(postings), _dump(seqs)))
            elif term in old:
                delete.append((term,))
        self.db.executemany("INSERT OR REPLACE INTO terms VALUES (?, ?, ?)", replace)
        self.db.executemany("DELETE FROM terms WHERE term = ?", delete)

    def _reformat_phones(self, country: str) -> None:
        for rowid, blob in self.db.execute("SELECT rowid, entry FROM entries").fetchall():
            entry = pickle.loads(blob)
            self.db.execute(
                "UPDATE entries SET phones = ? WHERE rowid = ?",
                (_dump(_phones(entry, country)), rowid),
            )

    def checked(self) -> LookupIndex:
        """This index, with :attr:`skipped` set; DataError when the edition
        file cannot be loaded (a broken entry file is only left out, as
        :func:`calais_guide.load.lookup_database` does)."""
        from .paths import is_entry_file

        edition: list[Problem] = []
        self.skipped = []
        for name, blob in self.db.execute(
            "SELECT name, problems FROM files WHERE problems IS NOT NULL ORDER BY name != ?, name",
            (EDITION_FILE,),
        ):
            errors = [p for p in pickle.loads(blob) if p.severity == "error"]
            (self.skipped if is_entry_file(name) else edition).extend(errors)
        if edition or self.meta("edition") is None:
            from .errors import DataError

            raise DataError(edition + self.skipped, self.root)  # all of them, edition first
        return self

    # -- questions --------------------------------------------------------------------

    def entry(self, entry_id: str) -> tuple[Entry, dict[str, str]] | None:
        """The entry ``entry_id`` (the first in edition order) and its phones
        (as written -> as dialled), or None."""
        row = self.db.execute(
            "SELECT entry, phones FROM entries WHERE id = ? ORDER BY position LIMIT 1",
            (entry_id,),
        ).fetchone()
        return (pickle.loads(row[0]), pickle.loads(row[1])) if row else None

    def named(self, entry_id: str) -> Named | None:
        """Id and name of the entry ``entry_id``, or None."""
        row = self.db.execute(
            "SELECT id, name FROM entries WHERE id = ? ORDER BY position LIMIT 1", (entry_id,)
        ).fetchone()
        return Named(*row) if row else None

    def children(self, entry_id: str) -> list[Named]:
        """Projects whose parent is ``entry_id``, in edition order."""
        return [
            Named(*row)
            for row in self.db.execute(
                "SELECT id, name FROM entries WHERE parent = ? ORDER BY position", (entry_id,)
            )
        ]

    def names(self) -> list[tuple[str, str, str | None]]:
        """(id, name, alternate name) of every entry, in edition order."""
        return list(
            self.db.execute("SELECT id, name, alternate_name FROM entries ORDER BY position")
        )

    def briefs(
        self,
        lang: str,
        ids: list[str] | None = None,
        category: str | None = None,
        rowids: list[int] | None = None,
    ) -> list[Brief]:
        """Rows for ``lang`` (the summary shown in that language only): of the
        entries ``ids`` (the first of each id) or ``rowids``, in that order;
        else of every entry (of ``category``), in edition order."""
        join = "SELECT {} FROM entries e JOIN briefs b ON b.entry = e.rowid AND b.lang = ?"
        if ids is not None or rowids is not None:
            column = "id" if ids is not None else "rowid"
            wanted: list[Any] = list(ids if ids is not None else rowids or [])
            found: dict[Any, Brief] = {}
            for chunk in _chunks(list(dict.fromkeys(wanted))):
                marks = ",".join("?" * len(chunk))
                query = join.format(f"e.{column}, b.brief")
                query += f" WHERE e.{column} IN ({marks}) ORDER BY e.position DESC"
                for key, blob in self.db.execute(query, (lang, *chunk)):
                    found[key] = Brief(*pickle.loads(blob))
            return [found[k] for k in wanted if k in found]
        query = join.format("b.brief")
        args: tuple[str, ...] = (lang,)
        if category is not None:
            query += " WHERE instr(' ' || e.categories || ' ', ?)"
            args = (lang, f" {category} ")
        query += " ORDER BY e.position"
        return [Brief(*pickle.loads(blob)) for (blob,) in self.db.execute(query, args)]

    def timetables(
        self, category: str | None = None, shown: tuple[str, ...] = ()
    ) -> list[tuple[int, str | None, Any]]:
        """Opening hours of every entry (of ``category``), in edition order:
        ``(rowid, None, Timetable)`` for those whose state depends on the
        moment; ``(rowid, state, OpenState | None)`` for the others
        (:func:`calais_guide.hours.constant_state`), the answer itself only
        for the states in ``shown``."""
        marks = ",".join("?" * len(shown)) or "NULL"
        query = (
            "SELECT rowid, constant, CASE WHEN constant IS NULL THEN timetable "
            f"WHEN constant IN ({marks}) THEN constant_state END FROM entries"
        )
        args: tuple[str, ...] = shown
        if category is not None:
            query += " WHERE instr(' ' || categories || ' ', ?)"
            args = (*shown, f" {category} ")
        query += " ORDER BY position"
        found: list[tuple[int, str | None, Any]] = []
        for rowid, constant, blob in self.db.execute(query, args):
            if constant is None:
                found.append((rowid, None, Timetable(*pickle.loads(blob))))
            else:
                # No blob: the answer is the bare state (see _bare).
                state = pickle.loads(blob) if blob else hours.OpenState(constant)
                found.append((rowid, constant, state if constant in shown else None))
        return found

    def rowids(self) -> list[int]:
        """Row ids of the entries, in edition order."""
        return [r for (r,) in self.db.execute("SELECT rowid FROM entries ORDER BY position")]

    def entries_all(self) -> list[Entry]:
        """Every entry, loaded, in edition order (slow at 2,000: not for lookups)."""
        return [
            pickle.loads(blob)
            for (blob,) in self.db.execute("SELECT entry FROM entries ORDER BY position")
        ]

    def phones_all(self) -> dict[str, str]:
        """Every phone number (as written -> as dialled)."""
        phones: dict[str, str] = {}
        for (blob,) in self.db.execute("SELECT phones FROM entries ORDER BY position"):
            phones.update(pickle.loads(blob))
        return phones

    # -- search (calais_guide.search.Terms) --------------------------------------------

    def postings(self, keys: Iterable[str]) -> dict[str, Postings]:
        wanted = [k for k in dict.fromkeys(keys) if k not in self._postings]
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            for term, blob in self.db.execute(
                f"SELECT term, postings FROM terms WHERE term IN ({marks})", chunk
            ):
                self._postings[term] = pickle.loads(blob)
        return {k: self._postings[k] for k in keys if k in self._postings}

    def near(self, word: str) -> list[str]:
        found = [t for (t,) in self.db.execute(*_prefix_query("SELECT term FROM terms", word))]
        stems = [word[:n] for n in range(max(4, len(word) - 2), len(word))]
        if stems:
            marks = ",".join("?" * len(stems))
            found += [
                t
                for (t,) in self.db.execute(
                    f"SELECT term FROM terms WHERE term IN ({marks})", stems
                )
            ]
        return list(dict.fromkeys(found))

    def similar(self, word: str, limit: int) -> list[str]:
        return [
            t
            for (t,) in self.db.execute(
                "SELECT term FROM terms WHERE length(term) BETWEEN ? AND ? "
                "AND instr(term, ' ') = 0",
                (len(word) - limit, len(word) + limit),
            )
        ]

    def order(self, keys: Iterable[str]) -> dict[str, Any]:
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        if self._positions is None:
            self._positions = dict(self.db.execute("SELECT rowid, position FROM entries"))
        positions = self._positions
        order: dict[str, Any] = {}
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            for term, blob in self.db.execute(
                f"SELECT term, seqs FROM terms WHERE term IN ({marks})", chunk
            ):
                seqs: dict[int, int] = pickle.loads(blob)
                order[term] = min((positions[r], s) for r, s in seqs.items())
        return order

    def entries(self, keys: Iterable[int]) -> dict[int, tuple[int, str, str]]:
        wanted = set(keys)
        return {
            rowid: (position, entry_id, names)
            for rowid, position, entry_id, names in self.db.execute(
                "SELECT rowid, position, id, names FROM entries"
            )
            if rowid in wanted
        }


# -- helpers -------------------------------------------------------------------------


def _same_bytes(path: Path, content: bytes | None) -> bool:
    """``path`` still holds ``content`` (True when there is nothing to compare)."""
    return content is None or _read(path) == content


def _read(path: Path) -> bytes | None:
    """The bytes of the regular file ``path`` (None for anything else: never
    waits on a FIFO put in its place)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def _dump(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), 500):
        yield items[start : start + 500]


def _prefix_query(select: str, word: str) -> tuple[str, tuple[str, ...]]:
    """Terms starting with ``word``: a range of the term index."""
    last = ord(word[-1])
    if last >= 0x10FFFF:
        return f"{select} WHERE substr(term, 1, ?) = ?", (str(len(word)), word)  # pragma: no cover
    return f"{select} WHERE term >= ? AND term < ?", (word, word[:-1] + chr(last + 1))


def _without_lines(item: Any) -> Any:
    import dataclasses

    return dataclasses.replace(item, lines={})


def _phones(entry: Entry, country: str) -> dict[str, str]:
    if not entry.phones:
        return {}
    from .contacts import format_phone

    return {p.number: format_phone(p.number, country) for p in entry.phones}


_Timetable = Timetable


def _bare(state: hours.OpenState) -> bool:
    """Whether ``state`` says nothing but its kind, as far as an answer shows:
    then the index keeps no copy (a list of 2,000 entries reads none). A place
    without a name is shown as no place (``"place": null``)."""
    location = state.location
    return state == hours.OpenState(state.state, location=location) and (
        location is None or not location.name
    )


def _timetable(entry: Entry) -> tuple[Any, ...]:
    import dataclasses

    return (
        entry.status,
        entry.closures,
        [dataclasses.replace(loc, description={}) for loc in entry.locations],
    )


def _brief(entry: Entry, chain: tuple[str, ...]) -> tuple[Any, ...]:
    """A :class:`Brief` as plain data, with only the summary shown for ``chain``."""
    summary: Localized = {}
    for code in chain:
        if code in entry.summary:
            summary = {code: entry.summary[code]}
            break
    else:
        for code, text in entry.summary.items():
            summary = {code: text}
            break
    return (entry.id, entry.name, summary, list(entry.categories), entry.status)
