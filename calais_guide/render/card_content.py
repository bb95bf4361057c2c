"""What goes on the pocket cards, per language: the content of each card
before it is cut into sides (:mod:`calais_guide.render.card_layout` does that).

A card set holds:

* the **essentials** card: the emergency numbers with what each is for (at
  the top of every front), then the associations' 24/7 lines and the key
  services of each thematic category (names), flowing over the rest of the
  front and the back; a QR code of the guide's website when the edition has
  one, the edition and "valid until the next edition";
* one **thematic** card per category (``edition.card_categories`` or
  ``--category``): the entries offering it, each with its summary line,
  where and when (compact, from :mod:`calais_guide.hours`), phones and
  website, as separate blocks so that an entry may go on over the next side.

Nothing is invented: missing hours say so, texts missing in the card's
language fall back (marked), unreviewed translations are marked.

Interface strings are gettext msgids marked with ``N_`` here (so that the
catalogs extract them) and translated in Python: a bilingual card needs each
one in two languages. An interface string without a translation is the
English msgid, tagged as English.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from calais_guide import i18n, languages
from calais_guide.contacts import format_phone, printed_url, tel_uri
from calais_guide.errors import UsageError
from calais_guide.languages import Language
from calais_guide.model import DAYS, Database, Entry, Localized, Location, pick
from calais_guide.vocabulary import CATEGORIES, N_

ESSENTIALS = "essentials"
"""Name of the essentials card in ``--category`` (not an entry category)."""

VALIDITY_DAYS = 92
"""How far ahead a card looks for dated changes (a quarter: editions are
quarterly): seasonal hours, days off and closures within it are printed."""

Side = Literal["front", "back"]

_UI = {
    "emergency_numbers": N_("Emergency numbers"),
    "free": N_("Free, day and night"),
    "sms_only": N_("Text message only"),
    "always": N_("Available 24/7"),
    "lines": N_("24/7 lines"),
    "services": N_("Key services"),
    "emergency": N_("Emergency"),
    "valid": N_("Valid until the next edition"),
    "show": N_("Show this card"),
    "scan": N_("Scan to open the website"),
    "unknown_hours": N_("Hours not known: ask before you go"),
    "mobile": N_("Mobile team on the living sites"),
    "confidential": N_("Address given by phone"),
    "closed": N_("Closed"),
    "temporarily_closed": N_("Temporarily closed"),
    "draft": N_("Translations not yet reviewed"),
    "fallback": N_("Not yet translated: shown in %(language)s"),
    "edition": N_("Edition of %(date)s"),
    "unverified": N_("Not re-checked for this edition: check before you go"),
}
"""Every interface string a card prints (msgids shared with the booklet)."""

_MESSAGING = {"whatsapp": "WhatsApp", "signal": "Signal", "telegram": "Telegram"}


# -- what a card prints -----------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A run of text in the language it is really in."""

    text: str
    lang: str
    """Language of the text (``lang`` attribute: font, shaping)."""
    dir: str
    """``ltr`` or ``rtl``."""
    script: str
    """ISO 15924 script (``data-script``: size per script)."""
    field: str = ""
    """Data field it comes from with its language (``summary.ti``), named in
    overflow errors; empty for interface strings and separators."""
    fallback: bool = False
    """The card's language had no text: this one, in another language, is
    shown instead (marked ``†``, explained on the back)."""
    draft: bool = False
    """A translation nobody has reviewed yet (marked ``*``, explained on the back)."""


@dataclass(frozen=True)
class Line:
    """One line of a card: parts in the card's language (or their fallback),
    and on bilingual cards the same in French below."""

    main: tuple[Part, ...]
    fr: tuple[Part, ...] = ()
    """French parts (empty when not bilingual; a part shown in French
    already has none)."""

    @property
    def text(self) -> str:
        """The main line as plain text."""
        return "".join(p.text for p in self.main)

    @property
    def french(self) -> tuple[Part, ...]:
        """The French parts to print: none when they say the same as the main
        line (an untranslated interface string)."""
        return self.fr if "".join(p.text for p in self.fr) != self.text else ()

    @property
    def own(self) -> Part | None:
        """The only part of a line that is one data text: the line then takes
        its language and direction (a French fallback is a left-to-right
        paragraph on an Arabic card)."""
        return self.main[0] if len(self.main) == 1 and self.main[0].field else None


@dataclass(frozen=True)
class Block:
    """Something stacked on a side of a card; never split between sides."""

    key: str
    """Unique in the set (``food/3``): finds the block in the measured layout."""
    kind: str
    """``emergency``, ``title``, ``line`` (a 24/7 line) and ``service`` on the
    essentials card; ``head``, ``where``, ``when``, ``phone``, ``website``
    (the parts of an entry, which may continue on the next side) and
    ``cont`` (the entry's name again at the top of that side) on the others."""
    source: Path | None
    """File the content comes from (entry file or edition.yaml)."""
    entry: str | None
    """Entry id, or None for the edition's own texts."""
    keep_with_next: bool = False
    """Never the last block of a side: a section title, an entry's head, a
    place (they go with what follows them)."""
    data: Any = None
    """The view the template prints (see the ``*View`` classes)."""


@dataclass(frozen=True)
class EmergencyView:
    """A national emergency number (``edition.emergency_numbers``)."""

    number: str
    uri: str | None
    label: Line | None
    sms: Line | None
    """"Text message only" (114)."""


@dataclass(frozen=True)
class PhoneView:
    """A phone number as dialled, with what it is for."""

    display: str
    """National form for French numbers (``03 21 00 00 00``), Latin digits."""
    uri: str | None
    notes: list[Line]
    """"Text message only", the messaging app, "Available 24/7"."""
    label: Line | None


@dataclass(frozen=True)
class LineView:
    """A 24/7 line on the essentials card: who answers, and the number."""

    name: str
    phone: PhoneView


@dataclass(frozen=True)
class ServiceView:
    """One category of the essentials card's key services."""

    category: str
    label: Line
    names: list[str]


@dataclass(frozen=True)
class PlaceView:
    """Where and when, compact."""

    where: list[Line]
    """Place name, and what kind of place ("mobile team on the living sites")."""
    address: str | None
    """Street, postal code and city on one line (French, left to right)."""
    description: Line | None
    """How to find it, or where the mobile team goes (its own line: it may be
    a fallback in another direction)."""
    when: list[Line]
    """Hours, one line per opening (days and times) and per period when they
    change within :data:`VALIDITY_DAYS`; dated days off; or "hours not known"."""


@dataclass(frozen=True)
class EntryHead:
    """The top of an association on a thematic card: what it is."""

    id: str
    name: str
    transliteration: str | None
    """The name in the card's script, when the entry gives one."""
    alerts: list[tuple[Line, Line | None]]
    """"Temporarily closed" with the dates of each closure within
    :data:`VALIDITY_DAYS`, and its message."""
    summary: Line | None


@dataclass(frozen=True)
class Stream:
    """One card's content before it is cut into sides."""

    kind: str
    """:data:`ESSENTIALS` or a category id."""
    title: Line
    icon: str | None
    """Category icon (``layouts/icons/<id>.svg``)."""
    fixed: list[Block]
    """Blocks at the top of every front (the emergency numbers: a continuation
    card repeats them); they must all fit one side."""
    flow: list[Block]
    """Blocks flowing over the sides in order, below the fixed ones."""
    continued: dict[str, Block] = field(default_factory=dict)
    """Entry id -> the block repeating its name where it continues on a new side."""


@dataclass(frozen=True)
class Face:
    """One side of one card, as printed."""

    side: Side
    kind: str
    title: Line
    icon: str | None
    part: int
    """1-based number of the card within its kind ("2/2")."""
    parts: int
    fixed: list[Block]
    """The emergency numbers (essentials fronts, and backs that would be
    blank otherwise)."""
    blocks: list[Block]
    """Flowing blocks, top to bottom."""
    header: bool
    """Title band at the top (fronts)."""
    footer: bool
    """Edition, validity and emergency reminder at the bottom (backs)."""


@dataclass(frozen=True)
class Card:
    """A card: front and back."""

    kind: str
    part: int
    parts: int
    front: Face
    back: Face

    @property
    def name(self) -> str:
        """``food``, ``food 2/2``."""
        return self.kind if self.parts == 1 else f"{self.kind} {self.part}/{self.parts}"


@dataclass(frozen=True)
class CardSet:
    """Everything the card templates print for one language."""

    lang: str
    """The card's language (its code)."""
    language: Language
    """The card's language, resolved once: what the helpers take."""
    dir: str
    script: str
    language_name: str
    """The card's language in itself ("العربية"); with French on bilingual cards."""
    bilingual: bool
    edition: str
    edition_date: dt.date
    publisher: str | None
    title: str
    """PDF title."""
    website: str | None
    """The guide's website: the QR code of the essentials card."""
    ui: dict[str, Line]
    """Interface strings (keys of ``_UI``), translated."""
    streams: list[Stream]
    emergency: list[Block]
    """The emergency numbers with their labels: printed on the essentials
    front and on any back that would otherwise be blank."""
    drafts: bool
    """Some text is an unreviewed translation: the ``*`` footnote is printed."""
    fallback_note: Line | None
    """"† Not yet translated: shown in English", when some text is."""
    skipped: list[str] = field(default_factory=list)
    """Default categories left out because no entry offers them."""


# -- choosing the content -----------------------------------------------------------


class _Words:
    """Texts for one card language (and French below them when bilingual)."""

    def __init__(self, lang: str, bilingual: bool, unverified: Collection[str] = ()):
        self.lang = lang
        self.unverified = frozenset(unverified)
        """Entries printed without a re-check (``build --allow-stale``): marked."""
        self.bilingual = bilingual and lang != "fr"
        self._gettext = {lang: i18n.translations(lang).gettext}
        if self.bilingual:
            self._gettext["fr"] = i18n.translations("fr").gettext
        self.drafts = False
        self.fallbacks: list[str] = []
        """Languages shown instead of the card's, in order of appearance."""

    def part(self, text: str, lang: str, **marks: Any) -> Part:
        return Part(
            text=text,
            lang=lang,
            dir=languages.direction_of(lang),
            script=languages.script_of(lang),
            **marks,
        )

    def _both(self, make: Any) -> Line:
        """``make(language)`` in the card's language, and in French when bilingual."""
        main = (self.part(make(self.lang), self.lang),)
        fr = (self.part(make("fr"), "fr"),) if self.bilingual else ()
        return Line(main, fr)

    def ui(self, msgid: str, values: Any = None) -> Line:
        """An interface string (a gettext msgid); ``values(language)`` gives
        its placeholders. Without a translation it is the English msgid, and
        is tagged as English (so that it keeps its direction on a
        right-to-left card)."""

        def say(lang: str) -> tuple[Part, ...]:
            text = self._gettext[lang](msgid)
            if text != msgid or lang == "en":
                return (self.part(text % values(lang) if values else text, lang),)
            if not values:
                return (self.part(text, "en"),)
            # English words around values written in the card's language
            # ("Edition of <month in Tigrinya>"): each keeps its own font.
            found: list[Part] = []
            for n, piece in enumerate(re.split(r"%\((\w+)\)s", text)):
                value = n % 2 == 1
                shown = values(lang)[piece] if value else piece.strip()
                if shown:
                    if found:  # spaces between runs, not at their ends
                        found.append(self.part(" ", lang))
                    found.append(self.part(shown, lang if value else "en"))
            return tuple(found)

        return Line(say(self.lang), say("fr") if self.bilingual else ())

    def cldr(self, make: Any) -> Line:
        """A text Babel writes (days, hours, dates): ``make(language)``."""
        return self._both(make)

    def plain(self, text: str, lang: str) -> Line:
        """A text that is the same for every reader (a brand, a number)."""
        return Line((self.part(text, lang),))

    def data(self, texts: Localized, fld: str) -> Line | None:
        """An entry or edition text in the card's language, else its fallback."""
        shown = pick(texts, languages.chain(self.lang))
        if shown is None:
            return None
        main = self.part(
            shown.text,
            shown.lang,
            field=f"{fld}.{shown.lang}",
            fallback=shown.fallback,
            draft=shown.status == "draft",
        )
        if shown.fallback and shown.lang not in self.fallbacks:
            self.fallbacks.append(shown.lang)
        fr: tuple[Part, ...] = ()
        if self.bilingual and shown.lang != "fr" and "fr" in texts:
            french = texts["fr"]
            fr = (self.part(french.text, "fr", field=f"{fld}.fr", draft=french.status == "draft"),)
        self.drafts = self.drafts or main.draft or any(p.draft for p in fr)
        return Line((main,), fr)

    def join(self, lines: Sequence[Line | None], sep: str = " ") -> Line:
        """Lines one after the other on one line, ``sep`` between them."""
        kept = [line for line in lines if line is not None]
        main: list[Part] = []
        fr: list[Part] = []
        for n, line in enumerate(kept):
            if n and line.main:
                main.append(self.part(sep, self.lang))
            main.extend(line.main)
            if line.fr:
                if fr:
                    fr.append(self.part(sep, "fr"))
                fr.extend(line.fr)
        return Line(tuple(main), tuple(fr))


def _babel(lang: str) -> str:
    from .html import babel_locale

    return babel_locale(lang)


def available_kinds() -> list[str]:
    """What ``--category`` accepts: the essentials card and every category."""
    return [ESSENTIALS, *CATEGORIES]


def card_kinds(
    db: Database, categories: Sequence[str] | None = None
) -> tuple[list[str], list[str]]:
    """The cards of a set, and the default categories skipped for want of entries.

    Without ``categories``: the essentials card, then one card per category
    of ``edition.card_categories`` that some entry offers. With them: exactly
    those (UsageError for an unknown one, or one that no entry offers).
    """
    known = available_kinds()
    if categories:
        wanted = list(dict.fromkeys(categories))
        unknown = [c for c in wanted if c not in known]
        if unknown:
            import difflib

            close = difflib.get_close_matches(unknown[0], known, 1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise UsageError(
                f"unknown card category {', '.join(repr(c) for c in unknown)}{hint}: "
                f"use {ESSENTIALS} or one of {', '.join(CATEGORIES)}"
            )
        empty = [c for c in wanted if c != ESSENTIALS and not _offering(db, c)]
        if empty:
            raise UsageError(
                f"no entry offers {', '.join(repr(c) for c in empty)} in this database: "
                "there is nothing to print on such a card"
            )
        return wanted, []
    kinds: list[str] = [ESSENTIALS]
    skipped: list[str] = []
    for category in db.edition.card_categories:
        (kinds if _offering(db, category) else skipped).append(category)
    return kinds, skipped


def _offering(db: Database, category: str) -> list[Entry]:
    """Entries printed on the ``category`` card (not those closed for good)."""
    return [e for e in db.entries if category in e.categories and e.status != "closed"]


def plan(
    db: Database,
    lang: Language | str,
    kinds: Sequence[str] | None = None,
    bilingual: bool = False,
    unverified: Collection[str] = (),
) -> CardSet:
    """The content of the ``lang`` card set (a language, or its code:
    resolved here), before it is cut into sides.

    ``kinds`` are card names (:func:`card_kinds`; default: the edition's set);
    entries in ``unverified`` are printed with a "not re-checked" alert.
    """
    language = languages.resolve(lang)
    code = language.code
    skipped: list[str] = []
    if kinds is None:
        kinds, skipped = card_kinds(db)
    words = _Words(code, bilingual, unverified)
    ed = db.edition
    ui = {key: words.ui(msgid) for key, msgid in _UI.items() if "%(" not in msgid}
    ui["edition"] = words.ui(_UI["edition"], lambda code: {"date": _month(ed.date, code)})
    categories = [k for k in kinds if k != ESSENTIALS]
    streams = [
        _essentials(db, words, ui, categories) if kind == ESSENTIALS else _thematic(db, kind, words)
        for kind in kinds
    ]
    title = pick(ed.title, language.chain)
    name = language.name
    if words.bilingual:
        name = f"{name} · {languages.display_name('fr', 'fr')}"
    return CardSet(
        lang=code,
        language=language,
        dir=language.direction,
        script=language.script,
        language_name=name,
        bilingual=words.bilingual,
        edition=ed.edition,
        edition_date=ed.date,
        publisher=ed.publisher,
        title=title.text if title else ed.edition,
        website=ed.website,
        ui=ui,
        streams=streams,
        emergency=_emergency(db, words, ui),
        drafts=words.drafts,
        fallback_note=_fallback_note(words),
        skipped=skipped,
    )


def _fallback_note(words: _Words) -> Line | None:
    if not words.fallbacks:
        return None

    def names(lang: str) -> dict[str, str]:
        from babel.lists import format_list

        found = [languages.display_name(code, _babel(lang)) for code in words.fallbacks]
        return {"language": str(format_list(found, locale=_babel(lang)))}

    return words.ui(_UI["fallback"], names)


def _emergency(db: Database, words: _Words, ui: dict[str, Line]) -> list[Block]:
    ed = db.edition
    region = ed.country
    return [
        Block(
            key=f"{ESSENTIALS}/emergency/{i}",
            kind="emergency",
            source=ed.path,
            entry=None,
            data=EmergencyView(
                number=n.number,
                uri=tel_uri(n.number, region),
                label=words.data(n.label, f"emergency_numbers[{i}].label"),
                sms=ui["sms_only"] if n.sms else None,
            ),
        )
        for i, n in enumerate(ed.emergency_numbers)
    ]


def _essentials(db: Database, words: _Words, ui: dict[str, Line], categories: list[str]) -> Stream:
    ed = db.edition
    region = ed.country
    fixed = _emergency(db, words, ui)
    # Only associations working now: a line of a closed one may not answer.
    working = [e for e in db.entries if e.status == "active"]
    flow: list[Block] = []
    lines = [(e, i) for e in working for i, p in enumerate(e.phones) if p.available_24_7]
    if lines:
        flow.append(_title(f"{ESSENTIALS}/lines", ui["lines"], ed.path))
        for e, i in lines:
            flow.append(
                Block(
                    key=f"{ESSENTIALS}/line/{e.id}/{i}",
                    kind="line",
                    source=e.path,
                    entry=e.id,
                    data=LineView(e.name, _phone(e, i, words, region, always=False)),
                )
            )
    groups = [(c, [e.name for e in working if c in e.categories]) for c in categories]
    groups = [(c, names) for c, names in groups if names]
    if groups:
        flow.append(_title(f"{ESSENTIALS}/services", ui["services"], ed.path))
        for category, names in groups:
            flow.append(
                Block(
                    key=f"{ESSENTIALS}/service/{category}",
                    kind="service",
                    source=ed.path,
                    entry=None,
                    data=ServiceView(category, words.ui(CATEGORIES[category]), names),
                )
            )
    return Stream(
        kind=ESSENTIALS,
        title=ui["emergency_numbers"],
        icon=None,
        fixed=fixed,
        flow=flow,
    )


def _title(key: str, text: Line, source: Path | None) -> Block:
    return Block(key=key, kind="title", source=source, entry=None, keep_with_next=True, data=text)


def _thematic(db: Database, category: str, words: _Words) -> Stream:
    flow: list[Block] = []
    continued = {}
    for e in _offering(db, category):
        parts = list(_entry_parts(db, e, words))
        for n, (name, kind, data) in enumerate(parts):
            flow.append(
                Block(
                    key=f"{category}/{e.id}/{name}",
                    kind=kind,
                    source=e.path,
                    entry=e.id,
                    # An entry's head stays with what follows it; a place
                    # with its first line of hours when there are several
                    # places (one alone is clear from the side before).
                    keep_with_next=n + 1 < len(parts)
                    and (kind == "head" or (kind == "where" and len(e.locations) > 1)),
                    data=data,
                )
            )
        continued[e.id] = Block(
            key=f"{category}/{e.id}/cont", kind="cont", source=e.path, entry=e.id, data=e.name
        )
    return Stream(
        kind=category,
        title=words.ui(CATEGORIES[category]),
        icon=category,
        fixed=[],
        flow=flow,
        continued=continued,
    )


def _phone(e: Entry, i: int, words: _Words, region: str, always: bool = True) -> PhoneView:
    p = e.phones[i]
    notes = []
    if p.type == "sms":
        notes.append(words.ui(_UI["sms_only"]))
    elif p.type in _MESSAGING:
        notes.append(words.plain(_MESSAGING[p.type], "en"))
    if p.available_24_7 and always:
        notes.append(words.ui(_UI["always"]))
    return PhoneView(
        display=format_phone(p.number, region),
        uri=tel_uri(p.number, region),
        notes=notes,
        label=words.data(p.label, f"phones[{i}].label"),
    )


def _entry_parts(db: Database, e: Entry, words: _Words) -> Iterator[tuple[str, str, Any]]:
    """The blocks of an entry on a thematic card: (key suffix, kind, view)."""
    start = db.edition.date
    end = start + dt.timedelta(days=VALIDITY_DAYS)
    alerts: list[tuple[Line, Line | None]] = []
    for i, c in enumerate(e.closures):
        if _overlaps(c.valid_from, c.valid_to, start, end):
            span = words.cldr(functools.partial(_span, c.valid_from, c.valid_to))
            heading = words.join([words.ui(_UI["temporarily_closed"]), span], ": ")
            alerts.append((heading, words.data(c.alert, f"closures[{i}].alert")))
    if e.status == "temporarily-closed" and not alerts:
        alerts.append((words.ui(_UI["temporarily_closed"]), None))
    if e.id in words.unverified:
        alerts.append((words.ui(_UI["unverified"]), None))
    yield (
        "head",
        "head",
        EntryHead(
            id=e.id,
            name=e.name,
            transliteration=e.transliterations.get(words.lang),
            alerts=alerts,
            summary=words.data(e.summary, "summary"),
        ),
    )
    for i, loc in enumerate(e.locations):
        place = _place(loc, i, words, start, end)
        if place.where or place.address or place.description:
            yield f"place{i}/where", "where", place
        for j, line in enumerate(place.when):
            yield f"place{i}/when{j}", "when", (line, j == 0)
    for i in range(len(e.phones)):
        yield f"phone{i}", "phone", _phone(e, i, words, db.edition.country)
    if e.websites:
        yield "website", "website", (e.websites[0], printed_url(e.websites[0]))


def _overlaps(first: dt.date | None, last: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return (first is None or first <= end) and (last is None or last >= start)


def _place(loc: Location, i: int, words: _Words, start: dt.date, end: dt.date) -> PlaceView:
    fld = f"locations[{i}]"
    where: list[Line | None] = [words.data(loc.name, f"{fld}.name")]
    if loc.kind == "mobile":
        where.append(words.ui(_UI["mobile"]))
    elif loc.kind == "confidential":
        where.append(words.ui(_UI["confidential"]))
    address = None
    if loc.kind != "confidential" and loc.address is not None:
        address = loc.address.line
    return PlaceView(
        where=[line for line in where if line is not None],
        address=address,
        description=words.data(loc.description, f"{fld}.description"),
        when=_when(loc, fld, words, start, end),
    )


def _when(loc: Location, fld: str, words: _Words, start: dt.date, end: dt.date) -> list[Line]:
    """Weekly openings (with their dates when they start or stop within the
    card's validity), then dated days off and special hours within it."""
    if not loc.schedules:
        return [] if loc.kind == "confidential" else [words.ui(_UI["unknown_hours"])]
    lines = []
    for opening in openings(loc, start, end):
        lines.append(
            words.join(
                [
                    words.cldr(functools.partial(_days, opening.weekdays)),
                    words.cldr(functools.partial(_hours, opening.opens_at, opening.closes_at)),
                    words.data(opening.note, f"{fld}.schedules.description")
                    if opening.note
                    else None,
                    words.cldr(functools.partial(_period, opening.first, opening.last))
                    if opening.first or opening.last
                    else None,
                ]
            )
        )
    if not lines:
        lines.append(words.ui(_UI["closed"]))
    for j, x in enumerate(loc.exceptions):
        last = x.valid_to or x.valid_from
        if not _overlaps(x.valid_from, last, start, end):
            continue
        span = words.cldr(functools.partial(_span, x.valid_from, last))
        if x.closed or x.opens_at is None or x.closes_at is None:
            what = words.ui(_UI["closed"])
        else:
            what = words.cldr(functools.partial(_hours, x.opens_at, x.closes_at))
        note = words.data(x.note, f"{fld}.exceptions[{j}].note")
        lines.append(words.join([words.join([span, what], ": "), note], " · "))
    return lines


@dataclass(frozen=True)
class Opening:
    """A weekly opening as a card prints it: days, hours, and the dates it
    starts or stops when that happens within the card's validity."""

    weekdays: tuple[int, ...]
    """0 = Monday."""
    opens_at: dt.time
    closes_at: dt.time
    note: Localized
    """What happens then ("women only")."""
    first: dt.date | None
    """First day, when later than the card's first week."""
    last: dt.date | None
    """Last day, when earlier than the card's last week."""


def openings(loc: Location, start: dt.date, end: dt.date) -> list[Opening]:
    """The weekly openings of ``loc`` from ``start`` to ``end``, as
    :func:`calais_guide.hours.day_hours` gives them day by day (dated
    exceptions left out: they are printed apart).

    Each (slot, weekday) is followed week after week; a run of weeks that
    begins after the first week or ends before the last one carries its
    dates. Weekdays with the same hours and the same dates share a line.
    """
    from calais_guide import hours

    regular = dataclasses.replace(loc, exceptions=[])
    runs: dict[tuple[str, int], list[list[dt.date]]] = {}
    slots: dict[str, tuple[dt.time, dt.time, Localized]] = {}
    day = start
    while day <= end:
        for slot in hours.day_hours(regular, day).slots:
            key = repr((slot.opens_at, slot.closes_at, slot.description))
            slots[key] = (slot.opens_at, slot.closes_at, slot.description)
            weeks = runs.setdefault((key, day.weekday()), [])
            if weeks and (day - weeks[-1][-1]).days == 7:
                weeks[-1].append(day)
            else:
                weeks.append([day])
        day += dt.timedelta(days=1)
    week = dt.timedelta(days=6)
    grouped: dict[tuple[str, dt.date | None, dt.date | None], list[int]] = {}
    for (key, weekday), weeks in runs.items():
        for dates in weeks:
            first = dates[0] if dates[0] > start + week else None
            last = dates[-1] if dates[-1] < end - week else None
            grouped.setdefault((key, first, last), []).append(weekday)
    found = [
        Opening(tuple(sorted(days)), *slots[key], first, last)
        for (key, first, last), days in grouped.items()
    ]
    return sorted(found, key=lambda o: (o.first or start, min(o.weekdays), o.opens_at, o.closes_at))


def _hours(opens: dt.time, closes: dt.time, lang: str) -> str:
    return i18n.time_range(opens, closes, lang)


def _days(days: Sequence[int], lang: str) -> str:
    """Weekdays (0 = Monday) in ``lang``, abbreviated: "lun. – ven.", "lun., mer. et ven."."""
    return i18n.days_text([DAYS[d] for d in days], lang, "abbreviated")


def _span(first: dt.date | None, last: dt.date | None, lang: str) -> str:
    return i18n.date_span(first, last, lang, short=True)


def _period(first: dt.date | None, last: dt.date | None, lang: str) -> str:
    """ "(1 juil. –)", "(– 30 juin)", "(1 – 15 juil.)": as the booklet writes periods."""
    return f"({_span(first, last, lang)})"


def _month(date: dt.date, lang: str) -> str:
    from .html import month

    return month(date, lang)
