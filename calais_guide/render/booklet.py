"""The booklet: one A5 PDF per language, for office printers and print shops.

:func:`build_booklet` is the one public verb: it checks the data (validator
errors, then glyphs), builds the template context from the database
(:func:`context`), renders ``layouts/booklet/booklet.html`` and writes the
PDF atomically. Page count is padded to a multiple of 4 with "Notes" pages
(the template always lays out three; the unneeded ones are dropped after
layout, so the document is laid out only once).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from calais_guide import glyphs, i18n, languages
from calais_guide.cli_text import tr
from calais_guide.contacts import format_phone, printed_url, tel_uri
from calais_guide.errors import DataError, Problem, RenderError, UsageError
from calais_guide.languages import Language
from calais_guide.model import Database, Edition, Entry, Localized, Location, Schedule, pick
from calais_guide.products import Job, Made, Task, Written, print_command, render_task
from calais_guide.vocabulary import CATEGORIES, N_, NEEDS, WELCOME

from . import prepress, timetable

Variant = Literal["print", "screen"]
COVER_ICONS = 9
"""Most category pictograms on the cover (one row on A5)."""
TEMPLATE = "booklet/booklet.html"
SHORT_BOX_LINES = 30
"""A practical box of at most this many lines (estimated: most fit half an A5
page) is never split; a longer one goes on over the next page, with its
border on each part. (WeasyPrint may leave the empty start of a split box
at a page foot when its first part does not fit: keeping boxes whole avoids
that stub.)"""
NOTES_PAGES = 3
"""Notes pages laid out before the back cover; 0-3 are kept to reach a multiple of 4."""


# -- the template context ------------------------------------------------------


@dataclass(frozen=True)
class TextView:
    """A text as printed: in the language it is really in, with its marks."""

    paragraphs: list[str]
    """Paragraphs (blank lines in the source separate them)."""
    lang: str
    """Language of the text (``lang`` attribute: fonts, hyphenation)."""
    dir: str
    """Its direction (``ltr``/``rtl``), which may differ from the booklet's."""
    fallback: bool
    """The booklet's language had no text: another language is shown."""
    draft: bool
    """A translation nobody has reviewed yet."""
    language_name: str
    """Name of ``lang`` in the booklet's language (for the fallback mark)."""

    @property
    def text(self) -> str:
        """All paragraphs as one string."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class PhoneView:
    """A phone number ready to print."""

    display: str
    """Written for dialling (``03 21 00 00 00``), Latin digits."""
    uri: str | None
    """``tel:`` link."""
    kind: str
    """``voice``, ``cell``, ``sms``, ``whatsapp``, ``signal`` or ``telegram``."""
    label: TextView | None
    """What the line is for."""
    available_24_7: bool
    """Answered day and night."""
    languages: list[str]
    """Names of the languages spoken on the line, in the booklet's language."""


@dataclass(frozen=True)
class EmailView:
    """An e-mail address ready to print."""

    address: str
    label: TextView | None


@dataclass(frozen=True)
class SlotView:
    """One line of opening hours."""

    days: str
    """"Monday – Friday", "Tuesday, Thursday" (CLDR names)."""
    hours: str
    """"09:00 – 17:30" (CLDR interval format, 24 h)."""
    period: str | None
    """Seasonal validity ("1 Nov – 31 May"), when the slot has one."""
    note: TextView | None
    """What differs in this slot."""


@dataclass(frozen=True)
class ExceptionView:
    """A dated change of hours."""

    dates: str
    closed: bool
    hours: str | None
    note: TextView | None


@dataclass(frozen=True)
class LocationView:
    """A place (or a mobile service) with its hours."""

    kind: str
    """``fixed``, ``mobile`` or ``confidential``."""
    name: TextView | None
    address: list[str]
    """Address lines (French, printed left-to-right)."""
    description: TextView | None
    slots: list[SlotView]
    exceptions: list[ExceptionView]


@dataclass(frozen=True)
class ClosureView:
    """A temporary closure in force at the edition date."""

    dates: str
    alert: TextView | None


@dataclass(frozen=True)
class EntryView:
    """One association's section."""

    id: str
    anchor: str
    """HTML id of the section (for the contents, the index and bookmarks)."""
    name: str
    alternate_name: str | None
    transliteration: str | None
    """The name in the booklet's script, when the entry gives one."""
    parent: str | None
    """Name of the association this is a project of."""
    parent_anchor: str | None
    description: TextView | None
    categories: list[tuple[str, str]]
    """(category id, English label = msgid) in the entry's order."""
    welcome: list[str]
    """Who-is-welcome labels (msgids)."""
    spoken: list[str]
    """Names of the languages the team speaks, in the booklet's language."""
    phones: list[PhoneView]
    emails: list[EmailView]
    websites: list[tuple[str, str]]
    """(full URL, URL as printed)."""
    qr: str | None
    """URL encoded in the QR code (the main website)."""
    locations: list[LocationView]
    closures: list[ClosureView]
    temporarily_closed: bool
    logo: str | None
    """``file://`` URL of the logo under the database's ``assets/``."""
    unverified: bool = False
    """Printed knowingly without a re-check (``build --allow-stale``): marked."""

    @property
    def facts_lines(self) -> int:
        """About how many lines the practical box takes (headings included)."""
        lines = 2 if self.categories else 0
        lines += 2 if self.welcome else 0
        lines += 2 if self.spoken else 0
        for loc in self.locations:
            lines += 1 + (loc.name is not None) + (loc.kind != "fixed") + len(loc.address)
            if loc.description:
                lines += 1 + len(loc.description.text) // 55
            lines += max(1, len(loc.slots)) + len(loc.exceptions)
        lines += sum(2 + len(p.languages) // 4 for p in self.phones) + (1 if self.phones else 0)
        lines += 2 * len(self.emails) + (1 if self.emails else 0)
        lines += sum(1 + len(shown) // 45 for _, shown in self.websites)
        return lines + (1 if self.websites else 0)

    @property
    def short_facts(self) -> bool:
        """A practical box short enough never to be split over two pages."""
        return self.facts_lines <= SHORT_BOX_LINES


@dataclass(frozen=True)
class IndexGroup:
    """One category of the "where to find help" index."""

    category: str
    label: str
    """English label (msgid)."""
    entries: list[tuple[str, str]]
    """(anchor, name) of the entries offering it."""


@dataclass(frozen=True)
class EmergencyView:
    """An emergency number."""

    number: str
    uri: str | None
    label: TextView | None
    sms: bool
    icon: str = "emergency"
    """Pictogram (a category id) drawn beside the number."""


@dataclass(frozen=True)
class NeedView:
    """One need of the "by need" part: its colour, pictogram and services."""

    category: str
    label: str
    """English label (msgid)."""
    anchor: str
    entries: list[EntryView]
    """The associations offering it, in the booklet's order."""


@dataclass(frozen=True)
class NoticeView:
    """The one notice about translations (page 2): which texts of this
    booklet are drafts nobody has reviewed, which are shown in another language."""

    drafts: list[str]
    """Msgids naming the kinds of texts that are drafts, in print order."""
    fallbacks: list[str]
    """Names (in the booklet's language) of the languages shown instead of it."""


@dataclass(frozen=True)
class ChangedView:
    """An association whose phones, places, hours, closures or status changed."""

    name: str
    anchor: str
    what: list[str]
    """Msgids of what changed ("Phone numbers changed"...)."""


@dataclass(frozen=True)
class ChangesView:
    """The "what changed since the last edition" page."""

    previous: dt.date
    """First day of the previous (published) edition's month."""
    added: list[tuple[str, str]]
    """(name, anchor) of the associations new in this edition."""
    removed: list[str]
    """Names of the associations no longer in the guide."""
    changed: list[ChangedView]


_CHANGE_LABELS = {
    "phones": N_("Phone numbers changed"),
    "addresses": N_("Places changed"),
    "hours": N_("Hours changed"),
    "closures": N_("Closures changed"),
    "status": N_("Status changed"),
}
"""Diff category -> msgid, for the important changes readers act on."""


@dataclass(frozen=True)
class BookletContext:
    """Everything ``booklet.html`` prints: nothing else reaches the template."""

    lang: str
    """Language of the booklet (its code)."""
    language: Language
    """The booklet's language, resolved once: what the helpers take."""
    dir: str
    """``ltr`` or ``rtl``."""
    language_name: str
    """The language's own name ("العربية") for the cover."""
    title: TextView
    """Title in the booklet's language (or its fallback)."""
    title_fr: str | None
    """The French title, when it is not already the one shown."""
    edition: str
    """Edition id (``2023-03``)."""
    edition_date: dt.date
    publisher: str | None
    website: str | None
    intro: TextView | None
    entries: list[EntryView]
    index: list[IndexGroup]
    emergency: list[EmergencyView]
    variant: Variant
    """``print`` (A5, QR codes, notes pages) or ``screen`` (phone-sized, links)."""
    cover_categories: list[str] = field(default_factory=list)
    """Category pictograms drawn on the cover: those the entries offer, in
    vocabulary order (at most :data:`COVER_ICONS`)."""
    notes_pages: int = NOTES_PAGES
    edition_languages: list[tuple[str, str]] = field(default_factory=list)
    """(code, own name) of every language the edition is printed in, for the
    back cover: whoever hands the booklet out sees which others exist."""
    changes: ChangesView | None = None
    """What changed since the previous published edition (None: no snapshot)."""
    needs: list[NeedView] = field(default_factory=list)
    """The "by need" part: needs in urgency order (:data:`NEEDS`), those
    offered by some entry (emergency always: the emergency numbers)."""
    week: Any = None
    """The week at a glance (:class:`calais_guide.render.timetable.WeekView`)."""
    notice: NoticeView | None = None
    """The notice about draft and missing translations (None: nothing to say)."""


_DRAFT_KINDS = {
    "ui": N_("Headings and labels"),
    "front": N_("Title and introduction"),
    "summary": N_("Short descriptions of the associations"),
    "description": N_("Descriptions of the associations"),
    "details": N_("Places, notes on hours and phone lines"),
    "emergency": N_("What each emergency number is for"),
}
"""Kinds of texts the notice names as drafts (msgids), in print order."""


def _kind(where: str) -> str:
    """The notice's kind of a text from where it comes (``file: field``)."""
    if where.startswith("edition.yaml: emergency"):
        return "emergency"
    if where.startswith("edition.yaml"):
        return "front"
    fld = where.split(": ", 1)[-1]
    if fld in ("description", "summary"):
        return fld
    return "details"


class _Texts:
    """Picks texts for one booklet language, remembering what was shown."""

    def __init__(self, language: Language, strict: bool):
        self.language = language
        self.lang = language.code
        self.strict = strict
        self.refused: list[tuple[str, str]] = []
        self.drafts: set[str] = set()
        """Kinds (:data:`_DRAFT_KINDS`) of the draft texts printed."""
        self.fallbacks: list[str] = []
        """Languages shown instead of the booklet's, in order of appearance."""

    def view(self, texts: Localized, where: str = "") -> TextView | None:
        shown = pick(texts, self.language.chain)
        if shown is None:
            return None
        if shown.fallback and self.strict:
            self.refused.append((where, shown.lang))
        if shown.status == "draft":
            self.drafts.add(_kind(where))
        if shown.fallback and shown.lang not in self.fallbacks:
            self.fallbacks.append(shown.lang)
        return TextView(
            paragraphs=[p.strip() for p in shown.text.split("\n\n") if p.strip()],
            lang=shown.lang,
            dir=languages.direction_of(shown.lang),
            fallback=shown.fallback,
            draft=shown.status == "draft",
            language_name=_language_name(shown.lang, self.language),
        )


def _language_name(code: str, language: Language) -> str:
    """Name of language ``code`` in the booklet's language (CLDR)."""
    return languages.display_name(code, str(language.locale))


def context(
    db: Database,
    lang: Language | str,
    variant: Variant = "print",
    strict: bool = False,
    unverified: Collection[str] = (),
) -> BookletContext:
    """The booklet of ``db`` in ``lang`` (a language, or its code: resolved
    here, once), ready for the template.

    With ``strict``, a text missing in ``lang`` raises RenderError listing
    every one (instead of falling back to another language). Entries in
    ``unverified`` (printed although nobody re-checked them) carry a mark.
    """
    language = languages.resolve(lang)
    code = language.code
    texts = _Texts(language, strict)
    ed = db.edition
    title = texts.view(ed.title, "edition.yaml: title")
    assert title is not None  # the validator requires a French title
    french = ed.title.get("fr")
    entries = [
        dataclasses.replace(view, unverified=True) if view.id in unverified else view
        for view in (_entry(db, e, language, texts) for e in db.entries if e.status != "closed")
    ]
    view = BookletContext(
        lang=code,
        language=language,
        dir=language.direction,
        language_name=language.name,
        title=title,
        title_fr=french.text if french and title.lang != "fr" else None,
        edition=ed.edition,
        edition_date=ed.date,
        publisher=ed.publisher,
        website=ed.website,
        intro=texts.view(ed.intro, "edition.yaml: intro"),
        entries=entries,
        index=_index(entries),
        emergency=[
            EmergencyView(
                number=n.number,
                uri=tel_uri(n.number, ed.country),
                label=texts.view(n.label, f"edition.yaml: emergency_numbers[{i}].label"),
                sms=n.sms,
                icon=n.category or "emergency",
            )
            for i, n in enumerate(ed.emergency_numbers)
        ],
        variant=variant,
        cover_categories=[g.category for g in _index(entries)][:COVER_ICONS],
        notes_pages=NOTES_PAGES if variant == "print" else 0,
        # Each language's own name (Language.name), for the back cover.
        edition_languages=[(c, languages.display_name(c, c)) for c in ed.languages],
        changes=changes_since_last_edition(db, {e.id for e in entries}),
        needs=_needs(entries),
        week=timetable.view(timetable.week(db), language),
        notice=_notice(texts, language),
    )
    if texts.refused:
        lines = "; ".join(f"{where} (would show {shown})" for where, shown in texts.refused)
        raise RenderError(
            tr(
                "--strict: {count} text(s) have no {lang} version: {lines}",
                count=len(texts.refused),
                lang=code,
                lines=lines,
            )
        )
    return view


def changes_since_last_edition(db: Database, printed: Collection[str]) -> ChangesView | None:
    """What changed since the last published edition before this one, from its
    snapshot (``editions/<month>.json``); None when there is none or nothing
    readers act on changed."""
    from calais_guide.editions import compare, latest_snapshot, snapshot_to_database
    from calais_guide.editions.diff import IMPORTANT, Side

    latest = latest_snapshot(db.root, before=db.edition.edition)
    if latest is None:
        return None
    month, path = latest
    old = snapshot_to_database(path, db.root)
    diff = compare(
        old, db, Side(month, month, path, True), Side("current", db.edition.edition, db.root, False)
    )
    view = ChangesView(
        previous=old.edition.date,
        added=[(e.name, f"entry-{e.id}") for e in diff.added if e.id in printed],
        removed=[e.name for e in diff.removed],
        changed=[
            ChangedView(
                name=c.name,
                anchor=f"entry-{c.id}",
                what=list(
                    dict.fromkeys(
                        _CHANGE_LABELS[x.category] for x in c.changes if x.category in IMPORTANT
                    )
                ),
            )
            for c in diff.changed
            if c.important and c.id in printed
        ],
    )
    return view if (view.added or view.removed or view.changed) else None


def _entry(db: Database, e: Entry, language: Language, texts: _Texts) -> EntryView:
    region = db.edition.country
    where = e.path.name if e.path else e.id
    parent = db.get(e.parent) if e.parent else None
    description = texts.view(e.description, f"{where}: description") or texts.view(
        e.summary, f"{where}: summary"
    )
    websites = [(url, printed_url(url)) for url in e.websites]
    logo = None
    if e.logo:
        # A web address is passed on as written: the validator rejects it and
        # the renderer's fetcher would refuse it (never fetched, never silent).
        has_scheme = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", e.logo)
        logo = e.logo if has_scheme else (db.root / "assets" / e.logo).resolve().as_uri()
    return EntryView(
        id=e.id,
        anchor=f"entry-{e.id}",
        name=e.name,
        alternate_name=e.alternate_name,
        transliteration=e.transliterations.get(language.code),
        parent=parent.name if parent else None,
        parent_anchor=f"entry-{parent.id}" if parent else None,
        description=description,
        categories=[(c, CATEGORIES[c]) for c in e.categories if c in CATEGORIES],
        welcome=[WELCOME[w] for w in e.welcome if w in WELCOME],
        spoken=[_language_name(s.code, language) for s in e.languages],
        phones=[
            PhoneView(
                display=format_phone(p.number, region),
                uri=tel_uri(p.number, region),
                kind=p.type,
                label=texts.view(p.label, f"{where}: phones[{i}].label"),
                available_24_7=p.available_24_7,
                languages=[_language_name(c, language) for c in p.languages],
            )
            for i, p in enumerate(e.phones)
        ],
        emails=[
            EmailView(m.address, texts.view(m.label, f"{where}: emails[{i}].label"))
            for i, m in enumerate(e.emails)
        ],
        websites=websites,
        qr=e.websites[0] if e.websites else None,
        locations=[
            _location(loc, language, texts, f"{where}: locations[{i}]")
            for i, loc in enumerate(e.locations)
        ],
        closures=[
            ClosureView(
                dates=i18n.date_span(c.valid_from, c.valid_to, language),
                alert=texts.view(c.alert, f"{where}: closures[{i}].alert"),
            )
            for i, c in enumerate(e.closures)
            if c.valid_to is None or c.valid_to >= db.edition.date
        ],
        temporarily_closed=e.status == "temporarily-closed",
        logo=logo,
    )


def _location(loc: Location, language: Language, texts: _Texts, where: str) -> LocationView:
    address: list[str] = []
    if loc.kind != "confidential" and loc.address is not None:
        address = loc.address.lines
    return LocationView(
        kind=loc.kind,
        name=texts.view(loc.name, f"{where}.name"),
        address=address,
        description=texts.view(loc.description, f"{where}.description"),
        slots=[
            _slot(s, language, texts, f"{where}.schedules[{i}]")
            for i, s in enumerate(loc.schedules)
        ],
        exceptions=[
            ExceptionView(
                dates=i18n.date_span(x.valid_from, x.valid_to, language),
                closed=x.closed,
                hours=i18n.time_range(x.opens_at, x.closes_at, language)
                if x.opens_at and x.closes_at
                else None,
                note=texts.view(x.note, f"{where}.exceptions[{i}].note"),
            )
            for i, x in enumerate(loc.exceptions)
        ],
    )


def _slot(s: Schedule, language: Language, texts: _Texts, where: str) -> SlotView:
    period = None
    if s.valid_from or s.valid_to:
        period = i18n.date_span(s.valid_from, s.valid_to, language)
    return SlotView(
        days=i18n.days_text(s.byday, language),
        hours=i18n.time_range(s.opens_at, s.closes_at, language),
        period=period,
        note=texts.view(s.description, f"{where}.description"),
    )


def _needs(entries: list[EntryView]) -> list[NeedView]:
    found = []
    for category in NEEDS:
        having = [e for e in entries if any(c == category for c, _ in e.categories)]
        if having or category == "emergency":
            found.append(NeedView(category, CATEGORIES[category], f"need-{category}", having))
    return found


def _notice(texts: _Texts, language: Language) -> NoticeView | None:
    from calais_guide.catalogs import review_status

    drafts = set(texts.drafts)
    if language.code != "en" and review_status(language.code) == "draft":
        drafts.add("ui")
    view = NoticeView(
        drafts=[msgid for kind, msgid in _DRAFT_KINDS.items() if kind in drafts],
        fallbacks=[_language_name(code, language) for code in texts.fallbacks],
    )
    return view if view.drafts or view.fallbacks else None


def _index(entries: list[EntryView]) -> list[IndexGroup]:
    groups = []
    for category, label in CATEGORIES.items():
        having = [
            (e.anchor, e.name) for e in entries if any(c == category for c, _ in e.categories)
        ]
        if having:
            groups.append(IndexGroup(category, label, having))
    return groups


# -- checks before rendering -------------------------------------------------


def glyph_problems(db: Database, view: BookletContext) -> list[Problem]:
    """Every printed text a bundled font cannot draw, with entry, field and language.

    Only what this booklet prints is checked: the names (in the booklet's
    fonts) and each text in the language it is shown in.
    """
    problems: list[Problem] = []
    lang = view.lang
    chain = view.language.chain
    for e in db.entries:
        if e.status == "closed":
            continue
        checks: list[tuple[str, str, str]] = [("name", e.name, lang)]
        if e.alternate_name:
            checks.append(("alternate_name", e.alternate_name, lang))
        if lang in e.transliterations:
            checks.append((f"transliterations.{lang}", e.transliterations[lang], lang))
        for fld, texts in e.localized_fields():
            shown = pick(texts, chain)
            if shown is not None:
                checks.append((f"{fld}.{shown.lang}", shown.text, shown.lang))
        for fld, text, code in checks:
            chars = glyphs.missing(text, code)
            if chars:
                problems.append(
                    Problem(
                        e.path,
                        e.line(fld),
                        fld,
                        tr(
                            "no bundled font can draw {describe} in the {lang} booklet (text in "
                            "{code}; it would print as an empty box)",
                            describe=glyphs.describe(chars),
                            lang=lang,
                            code=code,
                        ),
                        tr(
                            "replace the character (typo, emoji, wrong script?), or add a font "
                            "covering it to fonts/fonts.yaml"
                        ),
                        code="undrawable",
                    )
                )
    problems.extend(_edition_glyphs(db.edition, view.language))
    return problems


def _edition_glyphs(ed: Edition, language: Language) -> list[Problem]:
    lang = language.code
    problems = []
    fields = [("title", ed.title), ("intro", ed.intro)] + [
        (f"emergency_numbers[{i}].label", n.label) for i, n in enumerate(ed.emergency_numbers)
    ]
    if ed.publisher:
        fields.append(("publisher", {lang: _plain(ed.publisher)}))
    for fld, texts in fields:
        shown = pick(texts, language.chain)
        if shown is None:
            continue
        chars = glyphs.missing(shown.text, shown.lang)
        if chars:
            where = fld if fld == "publisher" else f"{fld}.{shown.lang}"
            problems.append(
                Problem(
                    ed.path,
                    ed.lines.get(where) or ed.lines.get(fld),
                    where,
                    tr(
                        "no bundled font can draw {describe} in the {lang} booklet",
                        describe=glyphs.describe(chars),
                        lang=lang,
                    ),
                    tr("replace the character, or add a font covering it to fonts/fonts.yaml"),
                    code="undrawable",
                )
            )
    return problems


def _plain(text: str) -> Any:
    from calais_guide.model import Text

    return Text(text)


# -- rendering ------------------------------------------------------------------


@dataclass(frozen=True)
class Booklet:
    """A built booklet."""

    lang: str
    path: Path
    """Where the PDF was written."""
    pages: int
    """Pages in the PDF (A5 pages; A4 sheet sides when imposed)."""
    booklet_pages: int
    """A5 pages of the booklet itself."""
    size: int
    """File size in bytes."""
    fallbacks: int
    """Texts shown in another language than the booklet's."""


def render_html(db: Database, view: BookletContext) -> str:
    """The booklet's HTML, after every check that does not need a layout."""
    from .html import check_html, render_template

    problems = glyph_problems(db, view)
    if problems:
        raise DataError(problems, db.root)
    html = render_template(TEMPLATE, view.language, {"b": view})
    check_html(html, view.lang, "booklet")
    return html


def _print_css(bleed_mm: float, print_shop: bool) -> list[str]:
    """Stylesheets of the bleed (crop marks are drawn by
    :mod:`~calais_guide.render.prepress`, outside the bleed) and, for a print
    shop, of the output profile."""
    if print_shop:
        return prepress.print_shop_css()
    return [f"@page {{ bleed: {bleed_mm:g}mm }}"] if bleed_mm else []


def render_booklet(
    db: Database,
    lang: Language | str,
    *,
    variant: Variant = "print",
    strict: bool = False,
    bleed_mm: float = 0,
    marks: bool = False,
    print_shop: bool = False,
    unverified: Collection[str] = (),
) -> tuple[bytes, int, BookletContext]:
    """The booklet PDF (bytes), its page count and the context it printed.

    ``print_shop``: PDF/X-4 with :data:`prepress.PRINT_SHOP_BLEED_MM` of
    bleed and crop marks outside it (``bleed_mm`` and ``marks`` are then
    ignored). Paper variants carry no link annotations; right-to-left
    booklets say they bind on the right.
    """
    from calais_guide.paths import layouts_dir

    from .pdf import render_document, write_pdf

    view = context(db, lang, variant, strict, unverified)
    html = render_html(db, view)
    document = render_document(
        html,
        layouts_dir() / "booklet",
        stylesheets=_print_css(bleed_mm, print_shop),
        assets=[db.root / "assets"],
    )
    if variant == "print":
        document = _pad(document)
    rendered = write_pdf(document, db.edition.date, print_shop=print_shop)
    how = prepress.Finish(
        right_to_left=view.dir == "rtl",
        strip_links=variant == "print",
        bleed_mm=prepress.PRINT_SHOP_BLEED_MM if print_shop else bleed_mm if marks else None,
        pdfx=print_shop,
    )
    return prepress.finish(rendered.data, db.edition.date, how), rendered.pages, view


def _pad(document: Any) -> Any:
    """Keep just enough notes pages for a multiple of 4 pages."""
    pages = document.pages
    notes = [i for i, page in enumerate(pages) if any(a.startswith("notes-") for a in page.anchors)]
    others = len(pages) - len(notes)
    keep = (-others) % 4
    if keep > len(notes):  # a notes page overflowed: a layout bug, not the data's
        raise RenderError(
            tr(
                "cannot pad {others} pages to a multiple of 4 with {count} notes pages",
                others=others,
                count=len(notes),
            )
        )
    dropped = set(notes[keep:])
    return document.copy([p for i, p in enumerate(pages) if i not in dropped])


def render_product(job: Job) -> Made:
    """The ``booklet`` and ``screen`` products (:mod:`calais_guide.products`):
    options ``variant``, ``strict``, ``bleed_mm``, ``marks``, ``unverified``."""
    o = job.options
    data, pages, view = render_booklet(
        job.db,
        job.language,
        variant=o["variant"],
        strict=o.get("strict", False),
        bleed_mm=o.get("bleed_mm", 0),
        marks=o.get("marks", False),
        print_shop=o.get("print_shop", False),
        unverified=o.get("unverified", ()),
    )
    fallbacks = sum(1 for e in view.entries if e.description and e.description.fallback)
    return Made(data, pages, {"booklet_pages": pages, "fallbacks": fallbacks})


def _product(
    imposed: bool = False,
    screen: bool = False,
    bleed_mm: float = 0,
    marks: bool = False,
    long_edge: bool = False,
    print_shop: bool = False,
) -> str:
    """The product the booklet command's options ask for (UsageError for
    options that exclude each other)."""
    if print_shop and (imposed or screen or bleed_mm or marks or long_edge):
        raise UsageError(
            tr(
                "--print-shop makes single A5 pages with 3 mm of bleed and crop marks: "
                "leave out --imposed, --screen, --bleed and --marks"
            )
        )
    if print_shop:
        return "print-shop"
    if imposed and screen:
        raise UsageError(tr("--imposed and --screen exclude each other: choose one"))
    if long_edge and not imposed:
        raise UsageError(
            tr("--long-edge is for imposed sheets (how the printer turns them): add --imposed")
        )
    if (bleed_mm or marks) and (imposed or screen):
        raise UsageError(
            tr(
                "--bleed and --marks are for single A5 pages sent to a print shop; leave "
                "them out with --imposed or --screen"
            )
        )
    if not 0 <= bleed_mm <= 10:
        raise UsageError(
            tr(
                "--bleed {bleed_mm} mm is out of range: print shops ask for 2 to 5 mm",
                bleed_mm=format(bleed_mm, "g"),
            )
        )
    return "imposed" if imposed else "screen" if screen else "booklet"


def _booklet(written: Written) -> Booklet:
    return Booklet(
        lang=written.lang,
        path=written.path,
        pages=written.pages or 0,
        booklet_pages=written.info["booklet_pages"],
        size=written.bytes,
        fallbacks=written.info["fallbacks"],
    )


def build_booklet(
    db: Database,
    lang: str,
    output: Path,
    *,
    imposed: bool = False,
    screen: bool = False,
    bleed_mm: float = 0,
    marks: bool = False,
    strict: bool = False,
    long_edge: bool = False,
    print_shop: bool = False,
) -> Booklet:
    """Render the ``lang`` booklet of ``db`` and write it atomically to ``output``.

    ``imposed``: A4 sheets for office printers (right-bound for RTL
    languages); ``screen``: phone-sized pages with links; otherwise single A5
    pages, with ``bleed_mm`` of bleed and crop ``marks``; ``print_shop``:
    the PDF/X-4 file for print shops (:mod:`~calais_guide.render.prepress`).
    """
    kind = _product(imposed, screen, bleed_mm, marks, long_edge, print_shop)
    options = {"strict": strict, "bleed_mm": bleed_mm, "marks": marks, "long_edge": long_edge}
    (written,) = render_task(db, Task(lang, {kind: output}), options)
    return _booklet(written)


def build_booklets(
    root: Path,
    lang: str,
    output: Path | None = None,
    jobs: int | None = None,
    *,
    imposed: bool = False,
    screen: bool = False,
    bleed_mm: float = 0,
    marks: bool = False,
    strict: bool = False,
    long_edge: bool = False,
    print_shop: bool = False,
) -> Iterator[Booklet]:
    """Validate the database at ``root`` and build the ``lang`` booklet (or,
    with ``lang="all"``, one per language of the edition), yielding each in
    language order as it is written.

    ``output`` is the file (a folder with ``all``); by default
    ``build/booklet-<edition>-<lang>[-imposed|-screen|-print-shop].pdf``. Several
    languages are rendered by ``jobs`` worker processes (default: one per
    CPU). The options are those of :func:`build_booklet`.
    """
    from calais_guide.validate import printable_database

    kind = _product(imposed, screen, bleed_mm, marks, long_edge, print_shop)
    db = printable_database(root)
    langs: list[Language | str]
    if lang == "all":
        langs = list(db.edition.languages)
    else:
        # The one resolution of --lang: NotFoundError naming the known
        # languages, else the Language every renderer below is given.
        langs = [languages.get(lang)]
    for written in print_command(
        db,
        kind,
        langs,
        output,
        many=lang == "all",
        tags=["long-edge"] if long_edge else [],  # its own file name
        jobs=jobs,
        strict=strict,
        bleed_mm=bleed_mm,
        marks=marks,
        long_edge=long_edge,
    ):
        yield _booklet(written)
