"""The week at a glance: which association is open for which need, day by day.

One computation (:func:`week`) feeds two outputs: the timetable page of the
booklet and the ``timetable`` poster (A4 or A3 landscape, for the walls of
day centres and distribution points). Opening or closed is never decided
here: every day of the edition's validity is asked of
:func:`calais_guide.hours.day_hours` (weekly slots, seasonal validity, the
entry's dated closures), so the poster, the booklet, the cards and the
lookups cannot disagree. Dated exceptions (a day off, special hours) and
closures are listed under the grid with their dates; services without known
hours (mobile teams, "address given by phone", no schedule) are listed apart,
per need, as "ask for times". An edition without any hours (the built-in
one) says so instead of printing an empty grid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from calais_guide import i18n, languages
from calais_guide.cli_text import tr
from calais_guide.errors import UsageError
from calais_guide.languages import Language
from calais_guide.model import DAYS, Database, Entry, Localized, pick
from calais_guide.vocabulary import CATEGORIES, N_, NEEDS

VALIDITY_DAYS = 92
"""How long an edition is valid (a quarter): the span the grid covers."""

FIT_SCALES = (1.0, 0.9, 0.82)
"""Type scales tried, largest first, until the poster fits one sheet."""

SIZES: dict[str, tuple[str, str]] = {"A4": ("297mm", "210mm"), "A3": ("420mm", "297mm")}
"""Poster sizes (landscape): ``--size``."""


# -- what is open when (language-independent) --------------------------------------


@dataclass(frozen=True)
class Opening:
    """One association open for one need on one weekday."""

    entry: str
    """Entry id."""
    name: str
    opens_at: dt.time
    closes_at: dt.time
    note: Localized = field(default_factory=dict)
    """What happens then ("women only"), from the schedule."""
    first: dt.date | None = None
    """First day, when it starts after the edition's first week."""
    last: dt.date | None = None
    """Last day, when it stops before the edition's last week."""


@dataclass(frozen=True)
class Change:
    """A dated change during the edition: a closure of the whole entry, or a
    day off / special hours at one of its places."""

    entry: str
    name: str
    first: dt.date
    last: dt.date
    closed: bool
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    note: Localized = field(default_factory=dict)


@dataclass(frozen=True)
class Asking:
    """A service offering a need without known hours."""

    entry: str
    name: str
    why: Literal["mobile", "confidential", "unknown"]


@dataclass(frozen=True)
class Week:
    """The timetable of an edition: needs x weekdays, and what goes beside it."""

    start: dt.date
    end: dt.date
    rows: list[tuple[str, list[list[Opening]]]]
    """(need, seven lists of openings, Monday first), needs with any hours only."""
    ask: list[tuple[str, list[Asking]]]
    """(need, services without known hours)."""
    closed: list[tuple[str, str, dt.date | None, dt.date | None]]
    """(entry id, name, from, until) of the entries closed during the edition
    (``temporarily-closed``: from/until as dated, else None)."""
    changes: list[Change]
    """Closures and exceptions that fall within the edition, by date."""

    @property
    def has_hours(self) -> bool:
        """Some service has known weekly hours."""
        return bool(self.rows)


def week(db: Database, start: dt.date | None = None, days: int = VALIDITY_DAYS) -> Week:
    """The weekly openings of every service of ``db`` by need, over ``days``
    days from ``start`` (default: the edition's first day), from
    :func:`calais_guide.hours.day_hours`."""
    from calais_guide import hours

    start = start or db.edition.date
    end = start + dt.timedelta(days=days - 1)
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    week_span = dt.timedelta(days=6)
    grid: dict[str, list[list[Opening]]] = {}
    ask: dict[str, list[Asking]] = {}
    closed: list[tuple[str, str, dt.date | None, dt.date | None]] = []
    changes: list[Change] = []
    for e in db.entries:
        if e.status == "closed":
            continue
        needs = [n for n in NEEDS if n in e.categories]
        if e.status == "temporarily-closed":
            current = [c for c in e.closures if _overlaps(c.valid_from, c.valid_to, start, end)]
            first = current[0].valid_from if current else None
            last = current[0].valid_to if current else None
            closed.append((e.id, e.name, first, last))
            continue
        for c in e.closures:
            if _overlaps(c.valid_from, c.valid_to, start, end):
                changes.append(
                    Change(e.id, e.name, c.valid_from, c.valid_to or end, True, note=c.alert)
                )
        openings: dict[tuple[int, dt.time, dt.time, str], list[dt.date]] = {}
        notes: dict[tuple[int, dt.time, dt.time, str], Localized] = {}
        without: list[str] = []
        for loc in e.locations:
            if not loc.schedules:
                without.append(loc.kind)
                continue
            regular = dataclasses.replace(loc, exceptions=[])
            for day in dates:
                for slot in hours.day_hours(regular, day, e).slots:
                    key = (day.weekday(), slot.opens_at, slot.closes_at, repr(slot.description))
                    openings.setdefault(key, []).append(day)
                    notes[key] = slot.description
            for x in loc.exceptions:
                last = x.valid_to or x.valid_from
                if _overlaps(x.valid_from, last, start, end):
                    shut = x.closed or x.opens_at is None or x.closes_at is None
                    changes.append(
                        Change(
                            e.id,
                            e.name,
                            x.valid_from,
                            last,
                            shut,
                            None if shut else x.opens_at,
                            None if shut else x.closes_at,
                            x.note,
                        )
                    )
        if not e.locations:
            without.append("unknown")
        if without and not openings:
            why: Literal["mobile", "confidential", "unknown"] = (
                "mobile"
                if "mobile" in without
                else "confidential"
                if "confidential" in without
                else "unknown"
            )
            for need in needs:
                ask.setdefault(need, []).append(Asking(e.id, e.name, why))
        for (weekday, opens, closes, _), days_open in sorted(
            openings.items(), key=lambda item: (item[0][0], item[0][1], item[0][2])
        ):
            opening = Opening(
                e.id,
                e.name,
                opens,
                closes,
                notes[(weekday, opens, closes, _)],
                days_open[0] if days_open[0] > start + week_span else None,
                days_open[-1] if days_open[-1] < end - week_span else None,
            )
            for need in needs:
                grid.setdefault(need, [[] for _ in DAYS])[weekday].append(opening)
    for cells in grid.values():
        for cell in cells:
            cell.sort(key=lambda o: (o.opens_at, o.closes_at, o.name))
    return Week(
        start=start,
        end=end,
        rows=[(n, grid[n]) for n in NEEDS if n in grid],
        ask=[(n, ask[n]) for n in NEEDS if n in ask],
        closed=closed,
        changes=sorted(changes, key=lambda c: (c.first, c.name)),
    )


def _overlaps(first: dt.date | None, last: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return (first is None or first <= end) and (last is None or last >= start)


# -- as printed in one language ----------------------------------------------------


@dataclass(frozen=True)
class Said:
    """A text in the language it is in (and French below on bilingual posters)."""

    text: str
    lang: str
    dir: str
    fr: str | None = None


@dataclass(frozen=True)
class CellView:
    name: str
    anchor: str
    hours: str
    note: Said | None
    period: str | None


@dataclass(frozen=True)
class RowView:
    need: str
    label: str
    """English label (msgid)."""
    days: list[list[CellView]]


@dataclass(frozen=True)
class ChangeView:
    name: str
    dates: str
    what: str | None
    """Special hours; None for "closed"."""
    note: Said | None


@dataclass(frozen=True)
class WeekView:
    """The week as one language prints it."""

    start: str
    end: str
    day_names: list[str]
    """Monday first, in the output language."""
    rows: list[RowView]
    ask: list[tuple[str, str, list[tuple[str, str, str]]]]
    """(need, label msgid, [(name, anchor, why)])."""
    closed: list[tuple[str, str, str | None]]
    """(name, anchor, dates or None)."""
    changes: list[ChangeView]
    has_hours: bool


def _said(texts: Localized, language: Language, bilingual: bool) -> Said | None:
    shown = pick(texts, language.chain)
    if shown is None:
        return None
    fr = None
    if bilingual and shown.lang != "fr" and "fr" in texts:
        fr = texts["fr"].text
    return Said(shown.text, shown.lang, languages.direction_of(shown.lang), fr)


def view(data: Week, lang: Language | str, bilingual: bool = False) -> WeekView:
    """``data`` with its days, hours and notes written in ``lang`` (a
    language, or its code: resolved here)."""
    language = languages.resolve(lang)

    def cell(o: Opening) -> CellView:
        period = None
        if o.first or o.last:
            period = i18n.date_span(o.first, o.last, language, short=True)
        return CellView(
            name=o.name,
            anchor=f"entry-{o.entry}",
            hours=i18n.time_range(o.opens_at, o.closes_at, language),
            note=_said(o.note, language, bilingual) if o.note else None,
            period=period,
        )

    return WeekView(
        start=i18n.format_date(data.start, language),
        end=i18n.format_date(data.end, language),
        day_names=[i18n.day_name(d, language) for d in DAYS],
        rows=[
            RowView(need, CATEGORIES[need], [[cell(o) for o in day] for day in days])
            for need, days in data.rows
        ],
        ask=[
            (need, CATEGORIES[need], [(a.name, f"entry-{a.entry}", a.why) for a in found])
            for need, found in data.ask
        ],
        closed=[
            (
                name,
                f"entry-{entry}",
                i18n.date_span(first, last, language, short=True) if first or last else None,
            )
            for entry, name, first, last in data.closed
        ],
        changes=[
            ChangeView(
                name=c.name,
                dates=i18n.date_span(c.first, c.last, language, short=True),
                what=None
                if c.closed or c.opens_at is None or c.closes_at is None
                else i18n.time_range(c.opens_at, c.closes_at, language),
                note=_said(c.note, language, bilingual) if c.note else None,
            )
            for c in data.changes
        ],
        has_hours=data.has_hours,
    )


_VALID = N_("Valid from %(start)s to %(end)s")

# -- the poster ----------------------------------------------------------------------

TEMPLATE = "timetable/timetable.html"


@dataclass(frozen=True)
class PosterContext:
    """Everything ``timetable.html`` prints."""

    lang: str
    dir: str
    language_name: str
    bilingual: bool
    title: str
    edition: str
    edition_date: dt.date
    publisher: str | None
    size: str
    week: WeekView
    fr_ui: dict[str, str]
    """French interface strings under the main ones (bilingual posters)."""
    emergency: list[EmergencyItem] = field(default_factory=list)
    fr_days: list[str] = field(default_factory=list)
    """French day names (bilingual posters)."""
    fr_valid: str | None = None
    """"Valid from ... to ..." in French (bilingual posters)."""


@dataclass(frozen=True)
class EmergencyItem:
    """An emergency number in the poster's footer."""

    number: str
    icon: str
    label: Said | None


def _fr_ui(bilingual: bool, lang: str) -> dict[str, str]:
    if not bilingual or lang == "fr":
        return {}
    gettext = i18n.translations("fr").gettext
    msgids = [
        N_("The week at a glance"),
        N_("Ask for times"),
        N_("Closed during this edition"),
        N_("Changes on these dates"),
        N_("No opening hours are known for this edition: ask the associations for their times."),
        N_("Closed"),
        *CATEGORIES.values(),
    ]
    return {m: gettext(m) for m in msgids}


def render_poster(
    db: Database, lang: Language | str, *, bilingual: bool = False, size: str = "A4"
) -> tuple[bytes, int]:
    """The timetable poster PDF (bytes) and its page count (``lang``: a
    language, or its code: resolved here)."""
    from calais_guide.paths import layouts_dir

    from .html import check_html, render_template
    from .pdf import render_document, write_pdf

    language = languages.resolve(lang)
    code = language.code
    if size not in SIZES:
        raise UsageError(tr("--size {size}: use A4 or A3", size=size))
    if bilingual and code == "fr":
        raise UsageError(
            tr(
                "--bilingual prints the poster's language beside French: choose a "
                "language other than fr"
            )
        )
    title = pick(db.edition.title, language.chain)
    data = week(db)
    ctx = PosterContext(
        lang=code,
        dir=language.direction,
        language_name=language.name,
        bilingual=bilingual,
        title=title.text if title else db.edition.edition,
        edition=db.edition.edition,
        edition_date=db.edition.date,
        publisher=db.edition.publisher,
        size=size,
        week=view(data, language, bilingual),
        fr_ui=_fr_ui(bilingual, code),
        emergency=[
            EmergencyItem(n.number, n.category or "emergency", _said(n.label, language, False))
            for n in db.edition.emergency_numbers
        ],
        fr_days=[i18n.day_name(d, "fr") for d in DAYS] if bilingual else [],
        fr_valid=i18n.translations("fr").gettext(_VALID)
        % {"start": i18n.format_date(data.start, "fr"), "end": i18n.format_date(data.end, "fr")}
        if bilingual
        else None,
    )
    html = render_template(TEMPLATE, language, {"t": ctx})
    check_html(html, code, "timetable")
    width, height = SIZES[size]
    # A poster is one sheet: when the week does not fit, the type is made a
    # little smaller (never under :data:`FIT_SCALES`' last step: 8.6 pt Latin).
    for scale in FIT_SCALES:
        document = render_document(
            html,
            layouts_dir() / "timetable",
            stylesheets=[
                f"@page {{ size: {width} {height}; }}",
                f"body {{ font-size: {scale:g}rem; }}",
            ],
        )
        if len(document.pages) == 1:
            break
    rendered = write_pdf(document, db.edition.date)
    return rendered.data, rendered.pages


def render_product(job: Any) -> Any:
    """The ``timetable`` product (:mod:`calais_guide.products`): options
    ``size`` (``A4``/``A3``), ``bilingual``."""
    from calais_guide.products import Made

    o = job.options
    data, pages = render_poster(
        job.db, job.language, bilingual=o.get("bilingual", False), size=o.get("size", "A4")
    )
    return Made(data, pages, {"has_hours": week(job.db).has_hours, "size": o.get("size", "A4")})


@dataclass(frozen=True)
class BuiltPoster:
    """A poster written to disk."""

    lang: str
    path: Path
    pages: int
    size: int
    has_hours: bool


def build_posters(
    root: Path,
    lang: str,
    output: Path | None = None,
    *,
    bilingual: bool = False,
    size: str = "A4",
    jobs: int | None = None,
) -> Iterator[BuiltPoster]:
    """Validate the database at ``root`` and write the ``lang`` poster (with
    ``all``: one per language of the edition; French is left out of a
    bilingual run), yielding each as it is written. Default file name:
    ``build/timetable-<edition>-<lang>[-bilingual][-a3].pdf``."""
    from calais_guide.products import print_command
    from calais_guide.validate import printable_database

    if size not in SIZES:
        raise UsageError(tr("--size {size}: use A4 or A3", size=size))
    if bilingual and lang == "fr":
        raise UsageError(
            tr(
                "--bilingual prints the poster's language beside French: choose a "
                "language other than fr"
            )
        )
    db = printable_database(root)
    langs: list[Language | str]
    if lang == "all":
        langs = [c for c in db.edition.languages if not (bilingual and c == "fr")]
    else:
        langs = [languages.get(lang)]  # NotFoundError naming the known languages; resolved once
    tags = (["bilingual"] if bilingual else []) + ([size.lower()] if size != "A4" else [])
    for written in print_command(
        db,
        "timetable",
        langs,
        output,
        many=lang == "all",
        tags=tags,
        jobs=jobs,
        bilingual=bilingual,
        size=size,
    ):
        yield BuiltPoster(
            written.lang,
            written.path,
            written.pages or 0,
            written.bytes,
            bool(written.info["has_hours"]),
        )


def entry_needs(e: Entry) -> list[str]:
    """The needs ``e`` answers, most urgent first."""
    return [n for n in NEEDS if n in e.categories]
