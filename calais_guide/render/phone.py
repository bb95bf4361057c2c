"""The guide on a phone: one self-contained, offline HTML file per language.

:func:`build_phone_guides` is the public verb (``calais-guide phone``);
:func:`render_phone` makes one page. The page is the booklet's content
(:func:`calais_guide.render.booklet.context`: the same texts, fallbacks and
draft marks) laid out by need then by association, readable without
JavaScript. Its script (``layouts/phone/phone.js``) answers "open now?" on
the phone from the entries' schedules, exceptions, closures and status,
exported here as JSON by :func:`hours_data` (the rules are those of
:mod:`calais_guide.hours`, ported once; ``tests/test_phone_browser.py``
checks the port against it in Chromium), filters by need and searches with
the folding tables of :mod:`calais_guide.search`, exported by
:func:`fold_tables`.

Self-contained: fonts are WOFF2 subsets (fontTools + brotli) of the bundled
fonts holding exactly the characters the page can show, pictograms are
inline SVG symbols, and a Content-Security-Policy meta allows nothing but
the page's own inline script (by hash), style and ``data:`` fonts. Two
renders of the same data give the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calais_guide import glyphs, hours, i18n, languages
from calais_guide.cli_text import tr
from calais_guide.errors import RenderError
from calais_guide.languages import Language
from calais_guide.model import DAYS, Database, Entry, Location, pick
from calais_guide.products import Job, Made
from calais_guide.vocabulary import N_

TEMPLATE = "phone/phone.html"
MAX_BYTES = 350 * 1024
"""Largest page the built-in edition may give (a message attachment, a
Bluetooth transfer on a cheap phone)."""

UI: dict[str, str] = {
    "open_until": N_("Open until %(time)s"),
    "opens_today": N_("Closed now: opens at %(time)s"),
    "opens_tomorrow": N_("Closed now: opens tomorrow at %(time)s"),
    "opens_day": N_("Closed now: opens %(day)s at %(time)s"),
    "closed_now": N_("Closed now"),
    "closure": N_("Temporarily closed"),
    "inactive": N_("No longer active"),
    "mobile": N_("Mobile team: no fixed hours"),
    "unknown": N_("Hours unknown"),
    "found": N_("Found: %(count)s"),
    "nothing": N_("Nothing found: try another word, or look by need below."),
    "at": N_("Hours shown for %(day)s %(date)s, %(time)s"),
    "bad_at": N_("Cannot read the time asked in the address: hours shown for now."),
}
"""Interface strings the page's script writes (msgids; translated into the page)."""


# -- data for the page's script ------------------------------------------------


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _hm(time: dt.time | None) -> str | None:
    return time.strftime("%H:%M") if time else None


def _location_data(loc: Location) -> dict[str, Any]:
    return {
        "kind": loc.kind,
        "schedules": [
            {
                "days": [DAYS.index(d) for d in s.byday],
                "opens": _hm(s.opens_at),
                "closes": _hm(s.closes_at),
                "from": _day(s.valid_from),
                "to": _day(s.valid_to),
            }
            for s in loc.schedules
        ],
        "exceptions": [
            {
                "from": _day(x.valid_from),
                "to": _day(x.valid_to),
                "closed": x.closed,
                "opens": _hm(x.opens_at),
                "closes": _hm(x.closes_at),
            }
            for x in loc.exceptions
        ],
    }


def hours_data(entry: Entry) -> dict[str, Any]:
    """What the page's script needs to decide, like :func:`calais_guide.hours.entry_state`,
    whether ``entry`` is open: status, closures and each place's schedules and
    exceptions (dates ``YYYY-MM-DD``, times ``HH:MM``, days 0 = Monday)."""
    return {
        "id": entry.id,
        "status": entry.status,
        "closures": [{"from": _day(c.valid_from), "to": _day(c.valid_to)} for c in entry.closures],
        "locations": [_location_data(loc) for loc in entry.locations],
    }


@functools.cache
def fold_tables() -> dict[str, Any]:
    """The folding of :func:`calais_guide.search.fold` as data for the page:
    the letter map and deleted characters of :mod:`calais_guide.search`, the
    characters Python's ``casefold`` lowers differently from ``lower``, and
    the combining marks (canonical combining class > 0) that are dropped."""
    from calais_guide import search

    casefold = {}
    combining: list[list[int]] = []
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        if char.casefold() != char.lower():
            casefold[char] = char.casefold()
        if unicodedata.combining(char):
            if combining and combining[-1][1] == code - 1:
                combining[-1][1] = code
            else:
                combining.append([code, code])
    return {
        "map": dict(search._MAP),
        "delete": search._DELETE,
        "casefold": casefold,
        "combining": combining,
    }


def search_data(db: Database, lang: str, entries: list[Entry]) -> dict[str, Any]:
    """What the page's search box looks in: per entry, its folded words (as
    :mod:`calais_guide.search` indexes them: names, summaries and places in
    every language, the description as shown), the category words of every
    language and the words a query ignores."""
    from calais_guide import search

    vocabulary = search.load_search_words()
    per_entry: dict[str, list[str]] = {}
    for e in entries:
        texts: list[str] = [e.name, e.alternate_name or "", *e.transliterations.values()]
        texts.append(e.id.replace("-", " "))
        texts.extend(t.text for t in e.summary.values())
        shown = pick(e.description, languages.chain(lang))
        if shown:
            texts.append(shown.text)
        for loc in e.locations:
            texts.extend(t.text for t in [*loc.name.values(), *loc.description.values()])
            if loc.address:
                texts.extend(x for x in (loc.address.street, loc.address.postal_code) if x)
                texts.append(loc.address.city)
            for s in loc.schedules:
                texts.extend(t.text for t in s.description.values())
        found: dict[str, None] = {}
        for text in texts:
            for word in search.words(text):
                for variant in search.variants(word):
                    found.setdefault(variant, None)
        per_entry[e.id] = list(found)
    used = {c for e in entries for c in e.categories}
    return {
        "words": per_entry,
        "categories": {c: t for c, t in vocabulary.categories.items() if c in used},
        "ignore": sorted(vocabulary.ignore),
        "entries": {e.id: list(e.categories) for e in entries},
    }


def valid_until(db: Database) -> dt.date:
    """The first day this edition is out of date (a quarter after its month starts)."""
    from .card_content import VALIDITY_DAYS

    return db.edition.date + dt.timedelta(days=VALIDITY_DAYS)


def page_data(db: Database, lang: str, entries: list[Entry]) -> dict[str, Any]:
    """Everything the page's script reads (embedded as JSON)."""
    gettext = i18n.gettext_for(lang)
    return {
        "lang": lang,
        "tz": hours.TIMEZONE,
        "lookahead": hours.LOOKAHEAD_DAYS,
        "valid_until": valid_until(db).isoformat(),
        "days": [i18n.day_name(d, lang) for d in DAYS],
        "pad_hours": time_pads_hours(lang),
        "ui": {key: gettext(msgid) for key, msgid in UI.items()},
        "entries": [hours_data(e) for e in entries],
        "search": search_data(db, lang, entries),
        "fold": fold_tables(),
    }


def time_pads_hours(lang: str) -> bool:
    """Whether ``lang`` writes 9:05 as ``09:05`` (CLDR's ``Hm``, as
    :func:`calais_guide.i18n.format_time`); the script writes times so."""
    return i18n.format_time(dt.time(9, 5), lang) == "09:05"


def json_for_script(data: Any) -> str:
    """``data`` as JSON safe inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- fonts -------------------------------------------------------------------------


def page_texts(html: str) -> list[tuple[str, str]]:
    """Text of ``html`` with the language it is shown in."""
    from .html import _TextCollector

    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return list(collector.texts)


def subset_chars(texts: list[tuple[str, str]]) -> dict[Path, set[str]]:
    """Font file -> characters it must draw: each character goes to the first
    family of its language's stack that has it (as the browser picks), in
    both weights."""
    by_family = {f.family: f for f in glyphs.fonts()}
    chosen: dict[str, set[str]] = {}
    for lang, text in texts:
        if lang not in languages.registry():
            lang = "fr"
        stack = glyphs.families_for(lang)
        for char in set(text):
            if char.isspace() or unicodedata.category(char) == "Cf":
                continue
            for family in stack:
                font = by_family[family]
                if all(ord(char) in _cmap(p) for p in font.files.values()):
                    chosen.setdefault(family, set()).add(char)
                    break
    files: dict[Path, set[str]] = {}
    for family, chars in chosen.items():
        for path in by_family[family].files.values():
            files[path] = chars
    return files


def _cmap(path: Path) -> frozenset[int]:
    return glyphs._cmap(path)


SUBSET_OPTIONS = "woff2;no-hinting;name-1-2;notdef-outline;default-features"
"""The subsetting options below, in the cache key (change it with them)."""


@functools.lru_cache(maxsize=64)
def woff2_subset(path: Path, chars: frozenset[str]) -> bytes:
    """A WOFF2 subset of font ``path`` holding ``chars`` with the shaping
    features of its scripts (fontTools); the same bytes every time.

    Subsetting a large font takes fontTools a second or more, so subsets are
    kept in the lookup cache folder (``fonts/``), keyed by the font's bytes,
    the characters, the options and fontTools' version
    (``CALAIS_GUIDE_NO_CACHE=1``: no cache).
    """

    from fontTools import version as fonttools_version

    from calais_guide.paths import cache_dir, use_cache

    source = path.read_bytes()
    key = hashlib.sha256(
        "\0".join(
            [
                hashlib.sha256(source).hexdigest(),
                "".join(sorted(chars)),
                SUBSET_OPTIONS,
                fonttools_version,
            ]
        ).encode()
    ).hexdigest()
    cached = cache_dir() / "fonts" / f"{key}.woff2"
    cached_ok = use_cache()
    if cached_ok:
        try:
            return cached.read_bytes()
        except OSError:
            pass
    data = _subset(source, chars)
    if cached_ok:
        from calais_guide.fileio import write_bytes

        try:
            write_bytes(cached, data)
        except OSError:
            pass  # a read-only home: slower next time, same bytes
    return data


def _subset(source: bytes, chars: frozenset[str]) -> bytes:
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = [1, 2]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(io.BytesIO(source), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


def font_css(files: dict[Path, set[str]]) -> str:
    """``@font-face`` rules with the subsets as ``data:`` URLs, and a font stack
    per language (as :func:`calais_guide.render.html.font_css`)."""
    rules = []
    weights = {"regular": 400, "bold": 700}
    for font in glyphs.fonts():
        for weight, path in font.files.items():
            if path not in files:
                continue
            data = base64.b64encode(woff2_subset(path, frozenset(files[path]))).decode()
            rules.append(
                f'@font-face{{font-family:"{font.family}";font-weight:{weights.get(weight, 400)};'
                "font-style:normal;font-display:swap;"
                f'src:url(data:font/woff2;base64,{data}) format("woff2")}}'
            )
    by_stack: dict[str, list[str]] = {}
    for code in languages.codes():
        stack = ", ".join(f'"{f}"' for f in glyphs.families_for(code))
        by_stack.setdefault(stack, []).append(f'[lang="{code}"]')
    for stack, selectors in by_stack.items():
        rules.append(f"{','.join(selectors)}{{font-family:{stack},sans-serif}}")
    return "\n".join(rules)


# -- pictograms ----------------------------------------------------------------------

_SVG = re.compile(r"^\s*<svg\b([^>]*)>(.*)</svg>\s*$", re.S)
_INK = re.compile(r'\b(stroke|fill)="(?!none")[^"]*"')
"""A stroke or fill colour of a pictogram (not ``none``)."""


def icon_symbols(categories: list[str]) -> str:
    """One inline ``<symbol id="i-<category>">`` per pictogram the page uses,
    drawn in the text colour."""
    from calais_guide.paths import layouts_dir

    symbols = []
    for category in categories:
        source = (layouts_dir() / "icons" / f"{category}.svg").read_text(encoding="utf-8")
        match = _SVG.match(source)
        if match is None:
            raise RenderError(
                tr("layouts/icons/{category}.svg is not a single <svg> element", category=category)
            )
        attrs = re.sub(r'\s*xmlns(:\w+)?="[^"]*"', "", match[1])
        # The paper ink (device-cmyk, which browsers do not draw) becomes the
        # text colour, on the symbol and on any shape inside it.
        attrs = _INK.sub(r'\1="currentColor"', attrs)
        body = _INK.sub(r'\1="currentColor"', match[2].strip())
        symbols.append(f'<symbol id="i-{category}"{attrs}>{body}</symbol>')
    return "".join(symbols)


# -- the page --------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """An entry's one-line summary as shown in a need's list."""

    text: str
    lang: str
    dir: str
    fallback: bool
    draft: bool
    language_name: str


@dataclass(frozen=True)
class PhonePage:
    """A rendered page."""

    lang: str
    html: bytes
    entries: int
    fallbacks: int
    """Entries whose description is shown in another language."""


def _summaries(entries: list[Entry], language: Language) -> dict[str, Summary]:
    found = {}
    for e in entries:
        shown = pick(e.summary, language.chain)
        if shown is None:
            continue
        found[e.id] = Summary(
            text=shown.text,
            lang=shown.lang,
            dir=languages.direction_of(shown.lang),
            fallback=shown.fallback,
            draft=shown.status == "draft",
            language_name=languages.display_name(shown.lang, str(language.locale)),
        )
    return found


def _geo(entries: list[Entry]) -> dict[str, list[str | None]]:
    """Entry id -> per place, a ``geo:`` link (offline map apps) when it has coordinates."""
    links: dict[str, list[str | None]] = {}
    for e in entries:
        links[e.id] = [
            f"geo:{loc.latitude:.6f},{loc.longitude:.6f}"
            if loc.latitude is not None and loc.longitude is not None and loc.kind == "fixed"
            else None
            for loc in e.locations
        ]
    return links


def _layout(name: str) -> str:
    from calais_guide.paths import layouts_dir

    return (layouts_dir() / "phone" / name).read_text(encoding="utf-8")


def _csp(script: str, style: str) -> str:
    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    return (
        "default-src 'none'; "
        f"script-src 'sha256-{digest(script)}'; "
        f"style-src 'sha256-{digest(style)}'; "
        "font-src data:; img-src data:; base-uri 'none'; form-action 'none'"
    )


def render_phone(
    db: Database, lang: Language | str, *, unverified: tuple[str, ...] = ()
) -> PhonePage:
    """The phone page of ``db`` in ``lang`` (a language, or its code: resolved
    here; checked like the booklet: every text must be drawable by the
    bundled fonts)."""
    from markupsafe import Markup

    from calais_guide.errors import DataError

    from .booklet import context, glyph_problems
    from .html import check_html, environment

    language = languages.resolve(lang)
    code = language.code
    view = context(db, language, "screen", unverified=unverified)
    problems = glyph_problems(db, view)
    if problems:
        raise DataError(problems, db.root)
    printed = [e for e in db.entries if e.status != "closed"]
    needs = [g.category for g in view.index]
    data = page_data(db, code, printed)
    script = _layout("phone.js")
    env = environment(language)
    template = env.get_template(TEMPLATE)
    base = {
        "b": view,
        "summaries": _summaries(printed, language),
        "geo": _geo(printed),
        "needs_of": {e.id: " ".join(e.categories) for e in printed},
        "valid_until": valid_until(db),
        "icons": Markup(icon_symbols(needs)),
        "data": Markup(json_for_script(data)),
        "js": Markup(script),
    }
    # First pass without fonts: which characters does the page draw?
    draft_html = template.render({**base, "style": Markup(""), "csp": ""})
    check_html(draft_html, code, "phone guide")
    texts = page_texts(draft_html)
    # The script writes these (state labels, day names, times, counts).
    texts.extend((code, re.sub(r"%\(\w+\)s", "", s)) for s in data["ui"].values())
    texts.extend((code, s) for s in data["days"])
    texts.append((code, "0123456789:"))
    style = font_css(subset_chars(texts)) + "\n" + _layout("phone.css")
    html = template.render({**base, "style": Markup(style), "csp": _csp(script, style)})
    fallbacks = sum(1 for e in view.entries if e.description and e.description.fallback)
    return PhonePage(code, html.encode("utf-8"), len(view.entries), fallbacks)


# -- the product and the command ---------------------------------------------------


def render_product(job: Job) -> Made:
    """The ``phone`` product (:mod:`calais_guide.products`): option ``unverified``."""
    page = render_phone(job.db, job.language, unverified=tuple(job.options.get("unverified", ())))
    return Made(page.html, None, {"entries": page.entries, "fallbacks": page.fallbacks})


@dataclass(frozen=True)
class PhoneGuide:
    """A written page."""

    lang: str
    path: Path
    size: int
    entries: int
    fallbacks: int


def build_phone_guides(
    root: Path, lang: str, output: Path | None = None, jobs: int | None = None
) -> Iterator[PhoneGuide]:
    """Validate the database at ``root`` and write the ``lang`` page (or, with
    ``lang="all"``, one per language of the edition), yielding each in
    language order as it is written. ``output`` is the file (a folder with
    ``all`` or when it is an existing folder); by default
    ``build/guide-<edition>-<lang>.html``."""
    from calais_guide.products import print_command
    from calais_guide.validate import printable_database

    db = printable_database(root)
    langs: list[Language | str]
    if lang == "all":
        langs = list(db.edition.languages)
    else:
        langs = [languages.get(lang)]  # UsageError naming the known languages; resolved once
    for written in print_command(db, "phone", langs, output, many=lang == "all", jobs=jobs):
        yield PhoneGuide(
            written.lang,
            written.path,
            written.bytes,
            written.info["entries"],
            written.info["fallbacks"],
        )
