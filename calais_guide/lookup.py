"""Terminal lookups: find, show and list entries, and whether they are open.

This module opens what lookups need (:class:`Guide`: the lookup index of the
database, phones formatted for dialling, the language fallbacks), answers the
three questions (:func:`find`, :func:`get_entry`, :func:`select`) and shapes
the answers as JSON-ready dicts. Printing them is :mod:`calais_guide.terminal`.

Lookups must answer at once, also for a guide of thousands of entries, so
they read the index of :mod:`calais_guide.lookup_index` (kept in
``$XDG_CACHE_HOME/calais-guide/``, updated file by file when the database
changes; ``CALAIS_GUIDE_NO_CACHE=1`` turns it off) and only the rows each
question needs: no YAML, Babel or phonenumbers when it is fresh. WeasyPrint,
Jinja2 and pikepdf are never imported here (a test checks).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import hours
from .cli_text import tr
from .model import (
    DAYS,
    UNREGISTERED_CHAIN,
    Database,
    Entry,
    Localized,
    pick,
    to_data,
    translation_state,
)

if TYPE_CHECKING:
    from .errors import Problem
    from .lookup_index import Brief, LookupIndex, Named
    from .search import Result

# Errors are imported where raised: they are rare, and every import costs
# each lookup's start-up (see benchmarks/lookup.py).

ENV_NOW = "CALAIS_GUIDE_NOW"
"""For tests and demonstrations: the moment taken as "now" (``2023-03-06 15:00``)."""
"""Set to ``1`` to load the database afresh on every lookup (no cache file)."""
JSON_VERSION = 1
"""``version`` of every JSON document printed by ``--json`` (see README)."""


class Guide:
    """The lookup index of a database, opened, with what answers need from it.

    (A plain class, and the result types here named tuples: a dataclass costs
    start-up time on every lookup.)
    """

    def __init__(self, index: LookupIndex) -> None:
        self.index = index
        """The lookup index (search terms, entries, rows)."""
        self.chains: dict[str, tuple[str, ...]] = index.chains
        """Language code -> where to look for a text, in order (the registry's fallbacks)."""
        self.rtl: frozenset[str] = index.rtl
        """Languages written right to left."""
        self.phones: dict[str, str] = {}
        """Phone number as written -> as dialled, for the entries loaded so far."""
        self.skipped: list[Problem] = index.skipped
        """Loading errors of the entry files left out (one broken file does
        not stop lookups; the index keeps their problems, so every lookup says so)."""
        self._db: Database | None = None

    def skipped_files(self) -> dict[str, list[Problem]]:
        """File name -> its loading errors, for the files left out."""
        files: dict[str, list[Problem]] = {}
        for p in self.skipped:
            files.setdefault(p.file.name if p.file else "?", []).append(p)
        return files

    @property
    def db(self) -> Database:
        """The whole database, loaded from the index (every entry: slow for a
        big guide; lookups use :meth:`get`, :meth:`children`, :meth:`rows`)."""
        if self._db is None:
            self._db = Database(self.index.root, self.index.edition, self.index.entries_all())
            self.phones.update(self.index.phones_all())
        return self._db

    @property
    def languages(self) -> list[str]:
        """Languages of the edition."""
        return list(self.index.edition.languages)

    def get(self, entry_id: str) -> Entry | None:
        """The entry ``entry_id`` (the first in edition order, if two files claim it)."""
        found = self.index.entry(entry_id)
        if found is None:
            return None
        entry, phones = found
        self.phones.update(phones)
        return entry

    def named(self, entry_id: str) -> Named | None:
        """Id and name of the entry ``entry_id``, or None."""
        return self.index.named(entry_id)

    def children(self, entry_id: str) -> list[Named]:
        """Id and name of the projects of ``entry_id``, in edition order."""
        return self.index.children(entry_id)

    def rows(
        self,
        lang: str | None,
        ids: list[str] | None = None,
        category: str | None = None,
        rowids: list[int] | None = None,
    ) -> list[Brief]:
        """What a row shows of the entries ``ids`` (the first of each id) or
        ``rowids`` (of the index), in that order; else of every entry (of
        ``category``) in edition order. With ``lang``, each summary holds only
        the text shown in that language (cheaper); without, every language."""
        if lang is not None and lang in self.chains:
            return self.index.briefs(lang, ids, category, rowids)
        from .lookup_index import Brief

        if ids is not None:
            entries = [e for i in ids if (e := self.db.get(i)) is not None]
        elif rowids is not None:
            by_rowid = dict(zip(self.index.rowids(), self.db.entries, strict=True))
            entries = [by_rowid[r] for r in rowids]
        else:
            entries = self.db.entries
        return [
            Brief(e.id, e.name, e.summary, list(e.categories), e.status)
            for e in entries
            if category is None or category in e.categories
        ]

    def chain(self, lang: str) -> tuple[str, ...]:
        """Where to look for a text in ``lang``, in order (for
        :func:`calais_guide.model.pick`): the registry's chain, read from the
        index (lookups do not read the registry's YAML)."""
        return self.chains.get(lang) or (lang, *UNREGISTERED_CHAIN)

    def text(self, texts: Localized, lang: str) -> str:
        """Just the text :func:`~calais_guide.model.pick` shows in ``lang`` ("" when none)."""
        shown = pick(texts, self.chain(lang))
        return shown.text if shown else ""

    def phone(self, number: str) -> str:
        """``number`` formatted for dialling (as written if it could not be read)."""
        return self.phones.get(number, number)

    def check_lang(self, lang: str) -> None:
        """UsageError for an unknown language code."""
        if lang not in self.chains:
            from .errors import UnknownValue
            from .languages import unknown_language

            raise UnknownValue(unknown_language(lang, self.chains))


def build_guide(root: Path) -> Guide:
    """The guide at ``root`` indexed afresh in memory (no cache file read or written)."""
    from .lookup_index import LookupIndex

    return Guide(LookupIndex.build_in_memory(root.resolve()))


def open_guide(root: Path) -> Guide:
    """The guide at ``root`` for lookups, from its lookup index (brought up
    to date first). Entry files that cannot be loaded are left out
    (:attr:`Guide.skipped`); DataError when the edition cannot be loaded."""
    from .lookup_index import open_index

    return Guide(open_index(root))


# -- the clock ---------------------------------------------------------------------


def now() -> dt.datetime:
    """The local wall-clock time (Europe/Paris), or ``$CALAIS_GUIDE_NOW`` when set."""
    fixed = os.environ.get(ENV_NOW)
    if fixed:
        try:
            when = dt.datetime.fromisoformat(fixed).replace(tzinfo=None)
            if not 1900 <= when.year <= 2199:
                raise ValueError(fixed)
            return when
        except ValueError:
            from .errors import UsageError

            raise UsageError(
                tr("{env_now}='{fixed}' is not a date and time", env_now=ENV_NOW, fixed=fixed)
            ) from None
    return hours.local_now()


def moment(at: str | None, open_now: bool) -> dt.datetime | None:
    """The moment ``--open-now`` / ``--at`` ask about, or None if neither is given."""
    from .errors import UsageError

    if at is not None and open_now:
        raise UsageError(tr("give --open-now or --at, not both"))
    if at is not None:
        try:
            return hours.parse_moment(at, now())
        except hours.MomentError as exc:
            raise UsageError(tr("--at: {exc}", exc=exc)) from None
    return now() if open_now else None


# -- the three questions ---------------------------------------------------------


class Found(NamedTuple):
    """What :func:`find` answers."""

    query: str
    """The query as typed."""
    result: Result
    """The ranked hits and how the query was read."""
    entries: list[Brief]
    """What the rows show of the entries of the hits, in the same order."""


def find(guide: Guide, query: str, lang: str | None = None) -> Found:
    """Entries matching ``query``, best first (see :func:`calais_guide.search.search`);
    ``lang``: the language the rows will be shown in (see :meth:`Guide.rows`)."""
    from .search import search

    if not query.strip():
        from .errors import UsageError

        raise UsageError(tr("the query is empty: say what you look for, e.g. 'water' or 'médecin'"))
    result = search(guide.index, query)
    return Found(query, result, guide.rows(lang, [hit.id for hit in result.hits]))


def suggest(guide: Guide, text: str, limit: int = 3) -> list[str]:
    """Entry ids close to ``text`` (a mistyped id or a name), best first."""
    from rapidfuzz import fuzz, process

    from .search import fold

    choices = {
        i: fold(f"{i} {name} {alternate or ''}") for i, name, alternate in guide.index.names()
    }
    scored = process.extract(fold(text), choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [entry_id for _, _, entry_id in scored]


def get_entry(guide: Guide, entry_id: str) -> Entry:
    """The entry ``entry_id``; NotFoundError with "did you mean" suggestions."""
    entry = guide.get(entry_id)
    if entry is not None:
        return entry
    from .errors import NotFoundError

    raise NotFoundError(tr("no entry '{entry_id}'", entry_id=entry_id), suggest(guide, entry_id))


def resolve_category(guide: Guide, text: str) -> str:
    """The category id named by ``text`` in any language (``eau`` -> ``water``)."""
    from .search import category_of

    category = category_of(guide.index.categories, text)
    if category is not None:
        return category
    from rapidfuzz import process

    close = [c for c, _, _ in process.extract(text, list(guide.index.categories), limit=3)]
    from .errors import UnknownValue

    raise UnknownValue(tr("unknown category '{text}'", text=text), close)


class Row(NamedTuple):
    """One entry of a list, with its state at the moment asked about."""

    entry: Brief
    """What the row shows of the entry."""
    state: hours.OpenState | None
    """Open or not at the moment (None when no moment was asked)."""


class Listing(NamedTuple):
    """What :func:`select` answers."""

    rows: list[Row]
    """Entries to show, in order."""
    category: str | None
    """Category id filtered on, if any."""
    at: dt.datetime | None
    """The moment asked about (``--open-now``/``--at``), if any."""
    hidden: int = 0
    """Entries left out because they are not open then (closed, unknown hours)."""


def select(
    guide: Guide,
    category: str | None = None,
    at: dt.datetime | None = None,
    lang: str | None = None,
) -> Listing:
    """Entries in edition order, of ``category`` if given.

    With a moment ``at``: only those open then, followed by the mobile
    services without fixed hours (they may be out: shown as such, never as
    open); the others are counted in :attr:`Listing.hidden`. ``lang``: the
    language the rows will be shown in (see :meth:`Guide.rows`).
    """
    category_id = resolve_category(guide, category) if category else None
    if at is None:
        rows = guide.rows(lang, category=category_id)
        return Listing([Row(e, None) for e in rows], category_id, None)
    opened: list[tuple[int, hours.OpenState]] = []
    mobile: list[tuple[int, hours.OpenState]] = []
    timetables = guide.index.timetables(category_id, shown=("open", "mobile"))
    for rowid, constant, item in timetables:
        # Most entries of a big guide answer the same at every moment (mobile
        # teams, unknown hours): the index has their answer already.
        state = item if constant is not None else hours.entry_state(item, at)
        if state is None:
            continue
        if state.state == "open":
            opened.append((rowid, state))
        elif state.state == "mobile":
            mobile.append((rowid, state))
    shown = opened + mobile
    briefs = guide.rows(lang, rowids=[i for i, _ in shown])
    return Listing(
        [Row(b, s) for b, (_, s) in zip(briefs, shown, strict=True)],
        category_id,
        at,
        hidden=len(timetables) - len(shown),
    )


# -- translation status --------------------------------------------------------------


def translation_status(guide: Guide, entry: Entry) -> dict[str, dict[str, str]]:
    """Per language of the edition, the status of the summary and of the
    description (:func:`calais_guide.model.translation_state`): ``original``,
    ``reviewed``, ``draft``, ``stale`` or ``missing`` (the description key is
    left out when the entry has no description at all)."""
    status: dict[str, dict[str, str]] = {}
    for lang in guide.languages:
        item: dict[str, str] = {"summary": translation_state(entry.summary, lang)}
        if entry.description:
            item["description"] = translation_state(entry.description, lang)
        status[lang] = item
    return status


# -- JSON --------------------------------------------------------------------------


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="minutes") if moment else None


def state_json(guide: Guide, state: hours.OpenState, lang: str) -> dict[str, Any]:
    """``{"state", "open", "until", "next_open", "alert", "exception", "place"}``:
    times are local ISO ``YYYY-MM-DDTHH:MM`` or null; ``alert`` (the closure's
    message) and ``exception`` (the day's note) are shown texts or null;
    ``place`` is the name of the place the answer is about, or null."""
    alert = pick(state.closure.alert, guide.chain(lang)) if state.closure else None
    note = pick(state.exception.note, guide.chain(lang)) if state.exception else None
    place = pick(state.location.name, guide.chain(lang)) if state.location else None
    return {
        "state": state.state,
        "open": state.is_open,
        "until": _iso(state.until),
        "next_open": _iso(state.next_open),
        "alert": alert.json() if alert else None,
        "exception": note.json() if note else None,
        "place": place.text if place else None,
    }


def _shown_json(guide: Guide, texts: Localized, lang: str) -> dict[str, Any] | None:
    shown = pick(texts, guide.chain(lang))
    return shown.json() if shown else None


def _brief_json(guide: Guide, entry: Brief, lang: str) -> dict[str, Any]:
    return {
        "id": entry.id,
        "name": entry.name,
        "summary": _shown_json(guide, entry.summary, lang),
        "categories": list(entry.categories),
        "status": entry.status,
    }


def find_json(guide: Guide, found: Found, lang: str) -> dict[str, Any]:
    """The JSON document of ``find --json``::

        {"version": 1, "query": str, "lang": str,
         "words": [str], "unmatched": [str], "fuzzy": bool,
         "results": [{"id", "name", "summary": Shown|null, "categories": [str],
                      "status": str, "score": float, "matched": [str]}]}

    ``words`` are the folded query words searched, ``unmatched`` those found
    nowhere; ``fuzzy`` is true when typo tolerance was used; ``matched`` says
    where each result matched (``name``, ``category:water``, ``summary``,
    ``place``, ``description``), best first. Shown is
    ``{"text", "lang", "status", "fallback"}``.
    """
    results = []
    for hit, entry in zip(found.result.hits, found.entries, strict=True):
        item = _brief_json(guide, entry, lang)
        item["score"] = hit.score
        item["matched"] = list(hit.reasons)
        results.append(item)
    return {
        "version": JSON_VERSION,
        "query": found.query,
        "lang": lang,
        "words": found.result.words,
        "unmatched": found.result.unmatched,
        "fuzzy": found.result.fuzzy,
        "results": results,
    }


def list_json(guide: Guide, listing: Listing, lang: str) -> dict[str, Any]:
    """The JSON document of ``list --json``::

        {"version": 1, "lang": str, "category": str|null, "at": str|null,
         "hidden": int,
         "entries": [{"id", "name", "summary": Shown|null, "categories": [str],
                      "status": str, "now": State|null}]}

    ``at`` is the moment asked with ``--open-now``/``--at`` (local ISO time);
    then ``entries`` holds those open at that moment, then the mobile services
    without fixed hours, and ``hidden`` counts the others. ``now`` is the
    :func:`state_json` of each entry at that moment (null without a moment).
    """
    entries = []
    for row in listing.rows:
        item = _brief_json(guide, row.entry, lang)
        item["now"] = state_json(guide, row.state, lang) if row.state else None
        entries.append(item)
    return {
        "version": JSON_VERSION,
        "lang": lang,
        "category": listing.category,
        "at": _iso(listing.at),
        "hidden": listing.hidden,
        "entries": entries,
    }


def entry_json(guide: Guide, entry: Entry, lang: str, when: dt.datetime) -> dict[str, Any]:
    """The JSON document of ``show --json``: the whole entry, texts picked for ``lang``::

        {"version": 1, "lang": str, "at": str,
         "id", "name", "alternate_name": str|null, "status": str,
         "summary": Shown|null, "description": Shown|null,
         "categories": [str], "welcome": [str],
         "languages": [{"code", "note"}],
         "now": State,
         "places": [{"kind": "fixed"|"mobile"|"confidential", "name": str|null,
                     "address": {"street", "postal_code", "city"}|null,
                     "description": Shown|null, "now": State,
                     "week": [{"date": "YYYY-MM-DD", "day": "mo".."su",
                               "hours": [{"opens": "HH:MM", "closes": "HH:MM",
                                          "note": Shown|null}],
                               "exception": Shown|null, "closed_by_closure": bool}]}],
         "phones": [{"number": str (as written), "dial": str (formatted),
                     "type": str, "available_24_7": bool, "label": Shown|null,
                     "languages": [str]}],
         "emails": [{"address", "label": Shown|null}], "websites": [str],
         "social": [{"network", "url"}],
         "closures": [{"from": "YYYY-MM-DD", "until": str|null, "alert": Shown|null}],
         "parent": {"id", "name"}|null, "projects": [{"id", "name"}],
         "assured_date": "YYYY-MM-DD"|null, "assurer": str|null,
         "translations": {lang: {"summary": Status, "description": Status}}}

    ``week`` is Monday to Sunday of the week holding ``at``; ``hours`` empty
    means closed that day. State is :func:`state_json`. Status is one of
    ``original``, ``reviewed``, ``draft``, ``stale``, ``missing``
    (``description`` is absent when the entry has none).
    """
    parent = guide.named(entry.parent) if entry.parent else None
    # The plain fields as the model writes them (to_data: the entry files'
    # names, ISO dates); translatable texts are picked for ``lang`` below.
    data = to_data(entry)
    places = []
    for loc, loc_data in zip(entry.locations, data["locations"], strict=True):
        name = pick(loc.name, guide.chain(lang))
        places.append(
            {
                "kind": loc_data["kind"],
                "name": name.text if name else None,
                "address": loc_data["address"],
                "description": _shown_json(guide, loc.description, lang),
                "now": state_json(guide, hours.location_state(loc, when, entry), lang),
                "week": [
                    {
                        "date": day.date.isoformat(),
                        "day": DAYS[day.date.weekday()],
                        "hours": [
                            {
                                "opens": f"{slot.opens_at:%H:%M}",
                                "closes": f"{slot.closes_at:%H:%M}",
                                "note": _shown_json(guide, slot.description, lang),
                            }
                            for slot in day.slots
                        ],
                        "exception": (
                            _shown_json(guide, day.exception.note, lang) if day.exception else None
                        ),
                        "closed_by_closure": day.closure is not None,
                    }
                    for day in hours.week_hours(loc, when.date(), entry)
                ],
            }
        )
    return {
        "version": JSON_VERSION,
        "lang": lang,
        "at": _iso(when),
        "id": data["id"],
        "name": data["name"],
        "alternate_name": data["alternate_name"],
        "status": data["status"],
        "summary": _shown_json(guide, entry.summary, lang),
        "description": _shown_json(guide, entry.description, lang),
        "categories": data["categories"],
        "welcome": data["welcome"],
        "languages": data["languages"],
        "now": state_json(guide, hours.entry_state(entry, when), lang),
        "places": places,
        "phones": [
            {
                "number": p["number"],
                "dial": guide.phone(p["number"]),
                "type": p["type"],
                "available_24_7": p["available_24_7"],
                "label": _shown_json(guide, phone.label, lang),
                "languages": p["languages"],
            }
            for phone, p in zip(entry.phones, data["phones"], strict=True)
        ],
        "emails": [
            {"address": e["address"], "label": _shown_json(guide, email.label, lang)}
            for email, e in zip(entry.emails, data["emails"], strict=True)
        ],
        "websites": data["websites"],
        "social": data["social"],
        "closures": [
            {
                "from": c["valid_from"],
                "until": c["valid_to"],
                "alert": _shown_json(guide, closure.alert, lang),
            }
            for closure, c in zip(entry.closures, data["closures"], strict=True)
        ],
        "parent": {"id": parent.id, "name": parent.name} if parent else None,
        "projects": [{"id": p.id, "name": p.name} for p in guide.children(entry.id)],
        "assured_date": data["assured_date"],
        "assurer": data["assurer"],
        "translations": translation_status(guide, entry),
    }


def dumps(document: dict[str, Any]) -> str:
    """A JSON document as printed: UTF-8 text (not ``\\u`` escapes), indented."""
    import json

    return json.dumps(document, ensure_ascii=False, indent=2)


# -- shell completion ----------------------------------------------------------------
# Called by the shell at every <Tab>: fast (the cache) and never raising.


def complete_ids(root: Path | str | None, incomplete: str) -> list[str]:
    """Entry ids starting with ``incomplete`` (``root`` as typed after ``--entries``)."""
    from .paths import entries_dir

    try:
        guide = open_guide(entries_dir(Path(root) if root else None))
    except Exception:  # noqa: BLE001 - a broken database completes nothing
        return []
    return [i for i, _, _ in guide.index.names() if i.startswith(incomplete)]


def complete_categories(incomplete: str) -> list[str]:
    """Category ids starting with ``incomplete``."""
    from .vocabulary import CATEGORIES

    return [c for c in CATEGORIES if c.startswith(incomplete)]


def complete_languages(incomplete: str) -> list[str]:
    """Registered language codes starting with ``incomplete``."""
    try:
        from . import languages

        codes = languages.codes()
    except Exception:  # noqa: BLE001 - an unreadable registry completes nothing
        return []
    return [c for c in codes if c.startswith(incomplete)]
