"""Full-text search over the guide, in every language of the data.

Three steps, each small enough to read:

- :func:`fold` makes text comparable: case, accents and Arabic-script
  spelling variants (alef and hamza forms, tatweel, Arabic vs Persian yeh
  and kaf, heh forms, ZWNJ, Arabic-Indic digits) and Ethiopic homophones are
  folded, so a Persian keyboard finds Arabic spelling and the reverse;
- :func:`build_index` turns a :class:`~calais_guide.model.Database` into an
  :class:`Index`: which folded word occurs in which field of which entry.
  Category words of every language (``data/search_words.yaml``) count as
  words of each entry in that category, so ``eau``, ``ماء`` or ``ማይ`` find
  the water points;
- :func:`search` ranks entries for a query: exact words, then prefixes
  (``medecin`` -> ``médecins``), then, only for words found nowhere, typo
  tolerance with rapidfuzz (imported only then: lookups start fast).

The index is plain data (dicts, lists, tuples), so it pickles into the
lookup cache with the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from .model import Database, Entry, Localized

# -- folding -----------------------------------------------------------------

_DELETE = (
    "\u0640"  # tatweel (kashida): stretches a word, carries no letter
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space, ZWNJ, ZWJ, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # byte-order mark
)
_MAP: dict[str, str] = {
    # Alef forms (NFD already strips the hamza and madda of أ إ آ).
    "\u0671": "\u0627",  # alef wasla
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    # Yeh: Arabic yeh, Persian yeh, alef maksura, and the Pashto/Sorani
    # vowel yehs, which writers interchange.
    "\u06cc": "\u064a",
    "\u0649": "\u064a",
    "\u06d0": "\u064a",
    "\u06cd": "\u064a",
    "\u06ce": "\u064a",
    # Kaf: Arabic kaf and Persian keheh, swash kaf.
    "\u06a9": "\u0643",
    "\u06aa": "\u0643",
    # Heh: heh goal, Sorani ae, teh marbuta (as Persian writes it).
    "\u06c1": "\u0647",
    "\u06d5": "\u0647",
    "\u0629": "\u0647",
    # Waw with hamza is folded by NFD; Sorani/Pashto keep their own letters.
    "\u0153": "oe",  # œ
    "\u00e6": "ae",  # æ
}
# Arabic-Indic and extended (Persian) digits -> ASCII, as people type numbers both ways.
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)
    _MAP[chr(0x06F0 + _i)] = str(_i)


def _ethiopic_map() -> dict[str, str]:
    """Ethiopic homophones, written interchangeably in Amharic (and often in
    Tigrinya spelling as typed): ሐ ኀ -> ሀ, ሠ -> ሰ, ዐ -> አ, ፀ -> ጸ, each order
    to the same order; then ሃ -> ሀ and ኣ -> አ (first and fourth orders of the
    laryngeals sound alike), so ሓኪም and ሐኪም (doctor) meet."""
    table: dict[str, str] = {}
    for source, target, count in (
        (0x1210, 0x1200, 8),  # ሐ series -> ሀ series
        (0x1280, 0x1200, 7),  # ኀ series -> ሀ series
        (0x1220, 0x1230, 8),  # ሠ series -> ሰ series
        (0x12D0, 0x12A0, 7),  # ዐ series -> አ series
        (0x1340, 0x1338, 7),  # ፀ series -> ጸ series
    ):
        for i in range(count):
            table[chr(source + i)] = chr(target + i)
    for fourth, first in ((0x1203, 0x1200), (0x12A3, 0x12A0)):
        table[chr(fourth)] = chr(first)
    # Chain: ሓ -> ሃ -> ሀ.
    return {k: table.get(v, v) for k, v in table.items()}


_MAP.update(_ethiopic_map())
_TABLE = str.maketrans({**_MAP, **dict.fromkeys(_DELETE, None)})
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """``text`` made comparable: lower case, no accents or Arabic diacritics,
    one spelling for each Arabic-script and Ethiopic variant (see module doc).

    >>> fold("Médecins") == fold("MEDECINS")
    True
    >>> fold("مرکز") == fold("مركز")  # Persian kaf / Arabic kaf
    True
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return text.translate(_TABLE)


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (punctuation and spaces split)."""
    return [w for w in _WORD.findall(fold(text)) if w != "_"]


def term(text: str) -> str:
    """A search word or phrase as the index stores it: folded words, one space apart."""
    return " ".join(words(text))


_ARTICLE = "\u0627\u0644"  # the Arabic definite article, written joined to its word


def variants(word: str) -> list[str]:
    """``word`` and, for Arabic-script words with the article (الماء), the bare word."""
    if word.startswith(_ARTICLE) and len(word) >= 5 and "\u0600" <= word[2] <= "\u06ff":
        return [word, word[2:]]
    return [word]


# -- search words ----------------------------------------------------------------


class SearchWords(NamedTuple):
    """Search vocabulary read from ``data/search_words.yaml``."""

    categories: dict[str, list[str]]
    """Category id -> folded words and phrases (every language) that mean it."""
    ignore: frozenset[str]
    """Folded words dropped from a query ("where", "today", "أين"...)."""
    spellings: dict[str, tuple[str, ...]] = {}
    """Folded word -> the other spellings of the same word (Sorani کالێ and
    the older کاله): a text with one is found by each of them."""


def search_words_path() -> Path:
    """The packaged search vocabulary."""
    from .paths import data_dir

    return data_dir() / "search_words.yaml"


def load_search_words(path: Path | None = None) -> SearchWords:
    """Read the search vocabulary (when the index is built, not at each lookup)."""
    import yaml

    from .vocabulary import CATEGORIES

    source = path or search_words_path()
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    for section in ("categories", "ignore"):
        for key, by_lang in (raw.get(section) or {}).items():
            lists = by_lang.values() if section == "categories" else [by_lang]
            for values in lists:
                bad = [v for v in values if not isinstance(v, str)]
                if bad:
                    # YAML reads on/off/yes/no as booleans: such words must be quoted.
                    raise ValueError(f"{source}: {section}.{key}: quote {bad!r}")
    ignore = {w for values in (raw.get("ignore") or {}).values() for v in values for w in words(v)}
    spellings: dict[str, tuple[str, ...]] = {}
    for group in raw.get("spellings") or []:
        if not isinstance(group, list) or not all(isinstance(v, str) for v in group):
            raise ValueError(f"{source}: spellings: each group is a list of words, not {group!r}")
        folded = list(dict.fromkeys(term(v) for v in group))
        if len(folded) < 2 or any(not w or " " in w for w in folded):
            raise ValueError(f"{source}: spellings: {group!r}: two or more single words")
        for word in folded:
            others = tuple(w for w in folded if w != word)
            spellings[word] = tuple(dict.fromkeys(spellings.get(word, ()) + others))

    def phrase(text: str) -> str:
        # Queries lose their ignored words ("mise à l'abri" -> "mise abri"): so do phrases.
        return " ".join(w for w in words(text) if w not in ignore) or term(text)

    categories: dict[str, list[str]] = {}
    for category in CATEGORIES:
        by_lang = (raw.get("categories") or {}).get(category) or {}
        found = [phrase(category.replace("-", " ")), phrase(CATEGORIES[category])]
        for values in by_lang.values():
            found.extend(phrase(v) for v in values)
        categories[category] = list(dict.fromkeys(t for t in found if t))
    unknown = set(raw.get("categories") or {}) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"search_words.yaml: unknown categories {sorted(unknown)}")
    return SearchWords(categories, frozenset(ignore), spellings)


# -- the index -------------------------------------------------------------------

FIELD_WEIGHTS: dict[str, float] = {
    "name": 10.0,
    "category": 8.0,
    "summary": 4.0,
    "place": 3.0,
    "description": 1.0,
}
"""How much a word found in each field counts: a name or a category says
more about an entry than a word deep in its description."""


class EntryTerms(NamedTuple):
    """What one entry contributes to the index (see :func:`entry_terms`)."""

    terms: dict[str, tuple[float, str]]
    """Folded word or phrase -> (best field weight, reason: ``name``,
    ``category:water``...), in the order the words first occur in the entry."""
    names: str
    """Folded name, alternate name and transliterations, ``" | "``-joined
    (for whole-name matches)."""


class _Collector:
    def __init__(self, spellings: dict[str, tuple[str, ...]]) -> None:
        self.terms: dict[str, tuple[float, str]] = {}
        self.spellings = spellings

    def add(self, text: str, reason: str) -> None:
        weight = FIELD_WEIGHTS[reason.split(":", 1)[0]]
        for word in words(text):
            for variant in variants(word):
                self.post(variant, weight, reason)
                for spelling in self.spellings.get(variant, ()):
                    self.post(spelling, weight, reason)

    def add_term(self, folded: str, reason: str) -> None:
        self.post(folded, FIELD_WEIGHTS[reason.split(":", 1)[0]], reason)

    def post(self, key: str, weight: float, reason: str) -> None:
        # The best field wins; at equal weight, the first one met.
        known = self.terms.get(key)
        if known is None or known[0] < weight:
            self.terms[key] = (weight, reason)


def _texts(texts: Localized) -> Iterable[str]:
    return (t.text for t in texts.values())


def entry_terms(entry: Entry, search_words: SearchWords) -> EntryTerms:
    """The folded words of ``entry`` (names, summaries, descriptions, places,
    categories, in every language they are written in), with where they occur."""
    found = _Collector(search_words.spellings)
    names = [entry.name, entry.alternate_name or "", *entry.transliterations.values()]
    for name in names:
        found.add(name, "name")
    found.add(entry.id.replace("-", " "), "name")
    for text in _texts(entry.summary):
        found.add(text, "summary")
    for text in _texts(entry.description):
        found.add(text, "description")
    for category in entry.categories:
        for folded in search_words.categories.get(category, [term(category)]):
            found.add_term(folded, f"category:{category}")
    for loc in entry.locations:
        for text in [*_texts(loc.name), *_texts(loc.description)]:
            found.add(text, "place")
        if loc.address:
            for part in (loc.address.street, loc.address.postal_code, loc.address.city):
                if part:
                    found.add(part, "place")
        for schedule in loc.schedules:
            for text in _texts(schedule.description):
                found.add(text, "place")
    return EntryTerms(found.terms, " | ".join(term(n) for n in names if n))


Postings = dict[int, tuple[float, str]]
"""Entry key -> (best field weight, reason) for one term."""


class Terms(Protocol):
    """What :func:`search` reads from an index: the in-memory :class:`Index`
    below, or the lookup cache's SQLite index (:mod:`calais_guide.lookup_index`),
    which reads only the terms a query needs.

    Entry *keys* are whatever the index numbers its entries with; *index
    order* of terms is the order in which they first occur, entries taken in
    edition order (it decides between equally good matches).
    """

    @property
    def ignore(self) -> frozenset[str]:
        """Query words to drop (see :class:`SearchWords`)."""
        ...

    def postings(self, keys: Iterable[str]) -> dict[str, Postings]:
        """Postings of those of ``keys`` that are in the index."""
        ...

    def near(self, word: str) -> list[str]:
        """Terms (in any order) among which every single word that starts
        with ``word`` or is ``word`` less its last one or two letters (others
        may be included: the caller checks)."""
        ...

    def similar(self, word: str, limit: int) -> list[str]:
        """Single-word terms whose length differs from ``word``'s by at most
        ``limit``, in any order."""
        ...

    def order(self, keys: Iterable[str]) -> dict[str, Any]:
        """A sort key giving the index order of each of ``keys`` (terms of the index)."""
        ...

    def entries(self, keys: Iterable[int]) -> dict[int, tuple[int, str, str]]:
        """Entry key -> (position in edition order, id, folded names)."""
        ...


class Index:
    """Which folded word or phrase occurs where, in memory (plain data).

    (A plain class, like the other result types here named tuples: a
    dataclass costs start-up time on every lookup.)
    """

    def __init__(
        self,
        ids: list[str],
        ignore: frozenset[str] = frozenset(),
        categories: dict[str, list[str]] | None = None,
        spellings: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.ids = ids
        """Entry ids, in edition order (postings refer to positions in this list)."""
        self.all_postings: dict[str, Postings] = {}
        """Term -> entry position -> (best field weight, reason: ``name``,
        ``category:water``...), terms in index order."""
        self.names: list[str] = []
        """Folded name and alternate name of each entry (for whole-name matches)."""
        self.ignore = ignore
        """Query words to drop (see :class:`SearchWords`)."""
        self.categories = categories or {}
        """Category id -> folded words naming it (see :class:`SearchWords`)."""
        self.spellings = spellings or {}
        """Folded word -> its other spellings, indexed with it (see :class:`SearchWords`)."""

    def add_entry(self, found: EntryTerms) -> None:
        """Index the next entry, in edition order."""
        position = len(self.names)
        self.names.append(found.names)
        for key, posting in found.terms.items():
            self.all_postings.setdefault(key, {})[position] = posting

    # The Terms protocol.
    def postings(self, keys: Iterable[str]) -> dict[str, Postings]:
        return {k: self.all_postings[k] for k in keys if k in self.all_postings}

    def near(self, word: str) -> list[str]:
        return list(self.all_postings)

    def similar(self, word: str, limit: int) -> list[str]:
        return [k for k in self.all_postings if " " not in k and abs(len(k) - len(word)) <= limit]

    def order(self, keys: Iterable[str]) -> dict[str, Any]:
        rank = {k: i for i, k in enumerate(self.all_postings)}
        return {k: rank[k] for k in keys}

    def entries(self, keys: Iterable[int]) -> dict[int, tuple[int, str, str]]:
        return {p: (p, self.ids[p], self.names[p]) for p in keys}


def build_index(db: Database, search_words: SearchWords) -> Index:
    """Index every entry of ``db``: names, summaries, descriptions, places and
    categories, in every language they are written in."""
    index = Index(
        ids=[e.id for e in db.entries],
        ignore=search_words.ignore,
        categories=search_words.categories,
        spellings=search_words.spellings,
    )
    for entry in db.entries:
        index.add_entry(entry_terms(entry, search_words))
    return index


# -- searching -------------------------------------------------------------------


class Hit(NamedTuple):
    """One entry found by :func:`search`."""

    id: str
    """Entry id."""
    score: float
    """Relevance (higher is better); comparable within one search only."""
    matched: int
    """How many of the query's words it matched."""
    reasons: tuple[str, ...]
    """Where it matched, best first: ``name``, ``category:water``, ``summary``..."""


class Result(NamedTuple):
    """What :func:`search` found."""

    hits: list[Hit]
    """Matching entries, best first."""
    words: list[str]
    """The folded query words that were searched (ignored words removed)."""
    unmatched: list[str]
    """Query words found nowhere, not even with a typo allowed."""
    fuzzy: bool
    """True when typo tolerance was needed for some word."""


_PREFIX_MIN = 3
"""A query word this long or longer also finds the words it begins."""
_FUZZY_MIN = 4
"""Typo tolerance only for words this long or longer (shorter: too many false hits)."""


def _max_typos(word: str) -> int:
    return 1 if len(word) <= 6 else 2


def _candidates(index: Terms, word: str) -> tuple[dict[str, float], dict[str, Postings]]:
    """Index terms matching the query word, with a quality between 0 and 1, and their postings."""
    found: dict[str, float] = {}
    exact = index.postings(variants(word))
    for variant in variants(word):
        if variant in exact:
            found[variant] = 1.0
    if len(word) < _PREFIX_MIN:
        return found, exact
    close: dict[str, float] = {}
    for key in index.near(word):
        if key in found or key in close or " " in key:
            continue
        if key.startswith(word):
            close[key] = 0.6 + 0.3 * len(word) / len(key)
        elif len(key) >= 4 and word.startswith(key) and len(word) - len(key) <= 2:
            close[key] = 0.8  # plural or other ending: "medecins" finds "médecin"
    if close:
        rank = index.order(close)
        for key in sorted(close, key=rank.__getitem__):
            found[key] = close[key]
        exact.update(index.postings(close))
    return found, exact


def _fuzzy(index: Terms, word: str) -> tuple[dict[str, float], dict[str, Postings]]:
    """Terms within a typo or two of ``word`` (rapidfuzz, optimal string alignment)."""
    if len(word) < _FUZZY_MIN:
        return {}, {}
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    limit = _max_typos(word)
    choices = index.similar(word, limit)
    scored = process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=None)
    # Equally close terms in index order (the choices may come in any order).
    rank = index.order(key for key, _, _ in scored)
    scored.sort(key=lambda item: (item[1], rank[item[0]]))
    found: dict[str, float] = {}
    for key, distance, _ in scored:
        found[key] = 0.7 if distance <= 1 else 0.5
    # A typo in a word that also has longer forms ("medcin" -> "medecin" ->
    # "medecins"): the longer forms count too, a little less.
    for stem, quality in list(found.items()):
        longer = [
            key
            for key in index.near(stem)
            if key not in found
            and " " not in key
            and key.startswith(stem)
            and len(key) - len(stem) <= 2
        ]
        rank = index.order(longer)
        for key in sorted(longer, key=rank.__getitem__):
            found[key] = quality * 0.9
    return found, index.postings(found)


def search(index: Terms, query: str) -> Result:
    """Rank the entries of ``index`` for ``query``.

    Each query word scores, for each entry, its best match (field weight x
    match quality: exact 1, prefix up to 0.9, typo 0.7 or 0.5); two or three
    consecutive words also match phrases (``sleeping bag``). Entries matching
    more of the words come first, then higher scores, then edition order. A
    query made only of ignored words ("where", "today") is searched as typed.
    """
    all_words = words(query)
    kept = [w for w in all_words if w not in index.ignore] or all_words
    scores: dict[int, float] = {}
    matched: dict[int, int] = {}
    reasons: dict[int, dict[str, float]] = {}
    unmatched: list[str] = []
    fuzzy = False

    def credit(candidates: dict[str, float], postings: dict[str, Postings]) -> None:
        best: dict[int, tuple[float, str]] = {}
        for key, quality in candidates.items():
            for position, (weight, reason) in postings[key].items():
                value = weight * quality
                if position not in best or best[position][0] < value:
                    best[position] = (value, reason)
        for position, (value, reason) in best.items():
            scores[position] = scores.get(position, 0.0) + value
            matched[position] = matched.get(position, 0) + 1
            seen = reasons.setdefault(position, {})
            seen[reason] = max(seen.get(reason, 0.0), value)

    for word in kept:
        candidates, postings = _candidates(index, word)
        if not candidates:
            candidates, postings = _fuzzy(index, word)
            fuzzy = fuzzy or bool(candidates)
        if not candidates:
            unmatched.append(word)
            continue
        credit(candidates, postings)
    for size in (2, 3):
        for start in range(len(kept) - size + 1):
            phrase = " ".join(kept[start : start + size])
            found = index.postings([phrase])
            if found:
                credit({phrase: 1.0}, found)
                unmatched = [w for w in unmatched if w not in kept[start : start + size]]
    info = index.entries(scores)
    whole = " ".join(kept)
    if whole:
        for key, (_, _, names) in info.items():
            if whole in names:
                scores[key] += FIELD_WEIGHTS["name"]
    order = sorted(scores, key=lambda p: (-matched[p], -scores[p], info[p][0]))
    hits = [
        Hit(
            info[p][1],
            round(scores[p], 2),
            matched[p],
            tuple(sorted(reasons[p], key=lambda r: -reasons[p][r])),
        )
        for p in order
    ]
    return Result(hits, kept, unmatched, fuzzy)


def category_of(categories: dict[str, list[str]], text: str) -> str | None:
    """The category id that ``text`` names in any language (``eau``, ``ماء`` ->
    ``water``), given :attr:`SearchWords.categories`; None if it names none."""
    folded = term(text)
    if folded.replace(" ", "-") in categories:
        return folded.replace(" ", "-")
    for category, terms in categories.items():
        if folded in terms:
            return category
    return None
