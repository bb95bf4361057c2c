"""Printing lookups in a terminal: with Rich on a terminal, plain text when piped.

Each command builds a :class:`Page` (lines, paragraphs, tables of styled
spans), then :func:`emit` prints it: through Rich on a terminal (colours
unless ``NO_COLOR``, wrapped to the width), or as plain text when the output
is piped or redirected (no colours, no wrapping, columns aligned with spaces),
which also spares scripts the cost of importing Rich. Entry text is never
read as Rich markup.

Right-to-left text (Arabic, Persian, Pashto, Sorani) is always printed on a
line of its own, in logical order, and never in a table cell next to
left-to-right columns: a terminal that implements the bidirectional algorithm
then shows it right to left, one that does not still shows whole words in
reading order, and nothing gets interleaved with other columns. No bidi
control characters are added (see README: terminals that do not know them
print them as boxes).
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import hours
from .cli_text import tr
from .model import pick
from .ui_text import REASONS, TEXT_STATES
from .vocabulary import CATEGORIES, N_, WELCOME

if TYPE_CHECKING:
    from rich.console import Console

    from .lookup import Found, Guide, Listing
    from .lookup_index import Brief
    from .model import Entry, Location, Shown

Span = tuple[str, str]
"""Text and a Rich style name ("" for none)."""


class Line:
    """One line of spans (wrapped by Rich when too long, never by the plain printer)."""

    __slots__ = ("spans", "indent")

    def __init__(self, spans: list[Span], indent: int = 0) -> None:
        self.spans = spans
        self.indent = indent


class Para:
    """A paragraph of data text on lines of its own; ``rtl`` for right-to-left text."""

    __slots__ = ("text", "rtl", "style", "indent")

    def __init__(self, text: str, rtl: bool = False, style: str = "", indent: int = 0) -> None:
        self.text = text
        self.rtl = rtl
        self.style = style
        self.indent = indent


class Table:
    """Columns of spans (left-to-right content only)."""

    __slots__ = ("headers", "rows")

    def __init__(self, headers: list[str]) -> None:
        self.headers = headers
        self.rows: list[list[list[Span]]] = []


Block = Line | Para | Table


class Page:
    """What a command prints, independent of how it is printed.

    (Plain classes here: dataclasses cost start-up time on every lookup.)
    """

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def line(self, *spans: Span, indent: int = 0) -> None:
        """Add a line."""
        self.blocks.append(Line([s for s in spans if s[0]], indent))

    def para(self, text: str, rtl: bool = False, style: str = "", indent: int = 0) -> None:
        """Add a paragraph (blank lines in ``text`` separate paragraphs)."""
        for i, chunk in enumerate(p for p in text.split("\n\n") if p.strip()):
            if i:
                self.blank()
            self.blocks.append(Para(" ".join(chunk.split()), rtl, style, 0 if rtl else indent))

    def blank(self) -> None:
        """Add an empty line."""
        self.blocks.append(Line([]))


# -- printing ----------------------------------------------------------------------


def width(text: str) -> int:
    """Terminal cells ``text`` takes (wide East Asian characters count two, marks none)."""
    if not text or (max(text) < "\u0300" and "\xad" not in text):
        # Latin text: no combining mark, wide or format character below U+0300
        # but the soft hyphen. (A list of 2,000 rows asks for every cell.)
        return len(text)
    cells = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
            continue
        cells += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return cells


def render_plain(page: Page, out: TextIO) -> None:
    """Print ``page`` as plain text: no styles, no wrapping."""
    for block in page.blocks:
        if isinstance(block, Line):
            out.write(" " * block.indent + "".join(t for t, _ in block.spans).rstrip() + "\n")
        elif isinstance(block, Para):
            out.write(" " * block.indent + block.text + "\n")
        else:
            cells = [list(block.headers)] + [
                ["".join(t for t, _ in cell) for cell in row] for row in block.rows
            ]
            widths = [max(width(r[i]) for r in cells) for i in range(len(block.headers))]
            for row in cells:
                parts = [c + " " * (widths[i] - width(c)) for i, c in enumerate(row[:-1])]
                out.write("  ".join([*parts, row[-1]]).rstrip() + "\n")


def render_rich(page: Page, console: Console) -> None:
    """Print ``page`` with Rich: styles, and text wrapped to the console width.

    Only ``rich.console`` and ``rich.text`` are used (tables are laid out
    here, with hanging indents): ``rich.table`` would cost a lookup more
    start-up time than the layout it saves.
    """
    from rich.text import Text

    total = console.width
    for block in page.blocks:
        if isinstance(block, Line):
            console.print(Text.assemble(" " * block.indent, *block.spans))
        elif isinstance(block, Para):
            text = Text(block.text, style=block.style)
            if not block.indent:
                console.print(text)
                continue
            for part in text.wrap(console, max(20, total - block.indent)):
                console.print(Text.assemble(" " * block.indent, part))
        else:
            _rich_table(block, console, total)


def _rich_table(table: Table, console: Console, total: int) -> None:
    from rich.text import Text

    last = len(table.headers) - 1
    cells = [[_plain(cell) for cell in row[:last]] for row in table.rows]
    widths = [
        max([width(table.headers[i])] + [width(row[i]) for row in cells]) for i in range(last)
    ]
    offset = sum(widths) + 2 * last
    room = total - offset
    header = Text.assemble(
        *((h.ljust(widths[i] + 2) if i < last else h, "bold") for i, h in enumerate(table.headers))
    )
    console.print(header)
    for row in table.rows:
        lead = Text.assemble(
            *(s for i, cell in enumerate(row[:last]) for s in _padded(cell, widths[i] + 2))
        )
        tail = Text.assemble(*row[last])
        if room < 24:  # too narrow for a column: the last cell goes below
            console.print(lead)
            console.print(Text.assemble("    ", tail))
            continue
        for i, part in enumerate(tail.wrap(console, room) or [Text("")]):
            part.rstrip()
            console.print(Text.assemble(lead if i == 0 else " " * offset, part), no_wrap=True)


def _plain(spans: list[Span]) -> str:
    return "".join(t for t, _ in spans)


def _padded(spans: list[Span], size: int) -> list[Span]:
    return [*spans, (" " * max(0, size - width(_plain(spans))), "")]


def is_plain(stream: TextIO) -> bool:
    """Print plain text on ``stream``: it is not a terminal (piped, redirected)
    or the terminal cannot show styles (``TERM=dumb``)."""
    import os

    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return not tty or os.environ.get("TERM") == "dumb"


def _clean(page: Page) -> None:
    """Replace control characters of the data (ESC, C0, C1, U+2028/9) by U+FFFD:
    lookups do not run ``validate``, and a terminal must never receive them raw."""
    from .output import clean

    for block in page.blocks:
        if isinstance(block, Line):
            block.spans = [(clean(t), s) for t, s in block.spans]
        elif isinstance(block, Para):
            block.text = clean(block.text)
        else:
            block.headers = [clean(h) for h in block.headers]
            block.rows = [[[(clean(t), s) for t, s in cell] for cell in row] for row in block.rows]


def emit(page: Page, stream: TextIO | None = None) -> None:
    """Print ``page`` on ``stream`` (stdout): Rich on a terminal, plain text otherwise."""
    out = stream or sys.stdout
    _clean(page)
    if is_plain(out):
        render_plain(page, out)
        return
    from .output import console

    render_rich(page, console())


# -- words ----------------------------------------------------------------------
# Every word printed by a lookup comes from the catalog of the --lang language
# (msgids listed in ui_text.LOOKUPS), and day, month and language names from
# CLDR through i18n.lookup_names (a table taken from Babel: no Babel import).

_STATE_STYLE = {
    "open": "bold green",
    "closed": "yellow",
    "closure": "red",
    "inactive": "red",
    "mobile": "cyan",
    "unknown": "dim",
}


def words(lang: str) -> Callable[[str], str]:
    """``gettext`` of language ``lang``'s catalog."""
    from .i18n import translations

    return translations(lang).gettext


def day_label(day: dt.date, lang: str = "en") -> str:
    """``Mon 6 Mar`` with CLDR's abbreviated names of ``lang``."""
    from .i18n import lookup_names

    names = lookup_names(lang)
    return f"{names['days'][day.weekday()]} {day.day} {names['months'][day.month - 1]}"


def moment_label(when: dt.datetime, lang: str = "en") -> str:
    """``Thu 9 Mar 09:00``."""
    return f"{day_label(when.date(), lang)} {when:%H:%M}"


def state_text(state: hours.OpenState, when: dt.datetime, lang: str = "en") -> str:
    """A few words for a state, from the catalog: ``Open until 12:00``..."""
    _ = words(lang)
    kind = state.state
    if kind == "open" and state.until is not None:
        midnight = state.until.date() > when.date() and state.until.time() == dt.time(0, 0)
        return _("Open until %(time)s") % {"time": "24:00" if midnight else f"{state.until:%H:%M}"}
    if kind == "closure":
        if state.closure and state.closure.valid_to:
            return _("Temporarily closed until %(date)s") % {
                "date": day_label(state.closure.valid_to, lang)
            }
        return _("Temporarily closed")
    if kind == "closed":
        opens = state.next_open
        if opens is None:
            return _("Closed now")
        time = f"{opens:%H:%M}"
        if opens.date() == when.date():
            return _("Closed now: opens at %(time)s") % {"time": time}
        if opens.date() == when.date() + dt.timedelta(days=1):
            return _("Closed now: opens tomorrow at %(time)s") % {"time": time}
        return _("Closed now: opens %(day)s at %(time)s") % {
            "day": day_label(opens.date(), lang),
            "time": time,
        }
    label = {
        "inactive": N_("No longer active"),
        "mobile": N_("Mobile team: no fixed hours"),
        "unknown": N_("Hours unknown"),
    }.get(kind)
    return _(label) if label else kind


def state_span(state: hours.OpenState, when: dt.datetime, lang: str = "en") -> Span:
    """:func:`state_text` with its colour."""
    return (state_text(state, when, lang), _STATE_STYLE.get(state.state, ""))


def _language_name(code: str, lang: str) -> str:
    from .i18n import lookup_names

    return str(lookup_names(lang)["languages"].get(code, code))


def _marks(shown: Shown, lang: str) -> str:
    _ = words(lang)
    marks = []
    if shown.fallback:
        marks.append(
            _("Not yet translated: shown in %(language)s")
            % {"language": _language_name(shown.lang, lang)}
        )
    if shown.status == "draft":
        marks.append(_("Translation not yet reviewed"))
    return f"[{'; '.join(marks)}]" if marks else ""


def _short_marks(shown: Shown, lang: str) -> str:
    tags = ([shown.lang] if shown.fallback else []) + (
        [words(lang)("Draft")] if shown.status == "draft" else []
    )
    return f" [{', '.join(tags)}]" if tags else ""


def _category_labels(categories: list[str], lang: str) -> str:
    from .entry_text import category_labels

    return " · ".join(category_labels(categories, lang))


def _reason_label(reason: str, lang: str) -> str:
    kind, _sep, category = reason.partition(":")
    if kind == "category":
        return words(lang)(CATEGORIES[category]) if category in CATEGORIES else category
    label = REASONS.get(kind)
    return words(lang)(label) if label else kind


# -- pages ---------------------------------------------------------------------------


def _rows_page(
    guide: Guide,
    items: list[tuple[Brief, list[Span]]],
    lang: str,
    extra_header: str | None,
) -> Page:
    """Entries as a table (left-to-right languages) or stacked (right-to-left).

    Stacked, a summary's marks (draft, fallback language) go on a line of
    their own right after the summary they qualify, not beside the state."""
    page = Page()
    _ = words(lang)
    rtl = lang in guide.rtl
    if rtl:
        for i, (entry, extra) in enumerate(items):
            if i:
                page.blank()
            shown = pick(entry.summary, guide.chain(lang))
            page.line((entry.id, "bold"), ("  " + entry.name, ""), *_sep(extra))
            if shown:
                page.para(shown.text, rtl=shown.lang in guide.rtl)
                marks = _short_marks(shown, lang).strip()
                if marks:
                    page.line((marks, "dim"))
        return page
    headers = ["id", _("Name")] + ([extra_header] if extra_header else []) + [_("Summary")]
    table = Table(headers)
    for entry, extra in items:
        shown = pick(entry.summary, guide.chain(lang))
        summary: list[Span] = [(shown.text, "")] if shown else []
        if shown and _short_marks(shown, lang):
            summary.append((_short_marks(shown, lang), "dim"))
        row: list[list[Span]] = [[(entry.id, "bold")], [(entry.name, "")]]
        if extra_header:
            row.append(extra)
        row.append(summary)
        table.rows.append(row)
    page.blocks.append(table)
    return page


def _sep(spans: list[Span]) -> list[Span]:
    return [("  ·  ", "dim"), *spans] if spans else []


def find_page(guide: Guide, found: Found, lang: str) -> Page:
    """The answer to ``find``: ranked entries and where each matched."""
    _ = words(lang)
    items = [
        (entry, [(", ".join(_reason_label(r, lang) for r in hit.reasons[:2]), "dim")])
        for hit, entry in zip(found.result.hits, found.entries, strict=True)
    ]
    page = _rows_page(guide, items, lang, _("Matched"))
    notes = []
    if found.result.fuzzy:
        notes.append(_("Some words matched with a typo allowed"))
    if found.result.unmatched:
        notes.append(_("No match for: %(words)s") % {"words": ", ".join(found.result.unmatched)})
    if notes and items:
        page.blank()
        page.line(("; ".join(notes), "dim"))
    return page


def list_page(guide: Guide, listing: Listing, lang: str) -> Page:
    """The answer to ``list``: entries, and with a moment, whether they are open."""
    _ = words(lang)
    when = listing.at
    items = [
        (row.entry, [state_span(row.state, when, lang)] if row.state and when else [])
        for row in listing.rows
    ]
    page = _rows_page(guide, items, lang, _("State") if when else None)
    if when is not None:
        from .i18n import lookup_names

        page.blank()
        names = lookup_names(lang)
        shown_for = _("Hours shown for %(day)s %(date)s, %(time)s") % {
            "day": names["days"][when.weekday()],
            "date": f"{when.day} {names['months'][when.month - 1]}",
            "time": f"{when:%H:%M} (Europe/Paris)",
        }
        page.line((shown_for, "dim"))
        if listing.hidden:
            page.line(
                (
                    _("Not shown (closed or hours unknown): %(count)s") % {"count": listing.hidden},
                    "dim",
                )
            )
        if any(r.state and r.state.state == "mobile" for r in listing.rows):
            page.line(
                (_("Mobile teams without fixed hours are listed: they may be elsewhere."), "dim")
            )
    return page


_LABEL = 18
_STATUS_ORDER = ("original", "reviewed", "draft", "stale", "missing")
_STATUS_STYLE = {
    "original": "",
    "reviewed": "green",
    "draft": "yellow",
    "stale": "red",
    "missing": "dim",
}


def _pad(text: str, size: int) -> str:
    """``text`` padded to ``size`` terminal cells, with at least one space after it."""
    return text + " " * max(1, size - width(text))


def _kv(page: Page, label: str, *spans: Span) -> None:
    page.line((_pad(label, _LABEL), "bold"), *spans)


def _kv_text(page: Page, guide: Guide, label: str, shown: Shown | None, lang: str) -> None:
    """A labelled data text: on the label's line, or below it when right-to-left."""
    if shown is None:
        return
    marks = _marks(shown, lang)
    if shown.lang in guide.rtl:
        _kv(page, label, (marks, "dim"))
        page.para(shown.text, rtl=True)
    else:
        _kv(page, label, (shown.text, ""), ("  " + marks if marks else "", "dim"))


def _text_block(page: Page, guide: Guide, shown: Shown | None, lang: str, indent: int = 0) -> None:
    if shown is None:
        return
    page.para(shown.text, rtl=shown.lang in guide.rtl, indent=indent)
    marks = _marks(shown, lang)
    if marks:
        page.line((marks, "dim"), indent=indent)


def _place_title(guide: Guide, loc: Location, lang: str) -> list[Span]:
    kind = {
        "fixed": N_("Place"),
        "mobile": N_("Mobile team on the living sites"),
        "confidential": N_("Address given by phone"),
    }[loc.kind]
    spans: list[Span] = [("• " + words(lang)(kind), "bold")]
    name = pick(loc.name, guide.chain(lang))
    if name and name.lang not in guide.rtl:
        spans.append((": " + name.text, "bold"))
    if loc.address:
        spans.append((" — " + loc.address.line, ""))
    return spans


def _week(
    page: Page, guide: Guide, entry: Entry, loc: Location, when: dt.datetime, lang: str
) -> None:
    _ = words(lang)
    week = hours.week_hours(loc, when.date(), entry)
    # One column for the days, as wide as the language's longest day label.
    column = max([14, *(width(day_label(d.date, lang)) + 4 for d in week)])
    for day in week:
        today = day.date == when.date()
        label = ("▸ " if today else "  ") + day_label(day.date, lang)
        style = "bold" if today else ""
        if day.slots:
            text = ", ".join(f"{s.opens_at:%H:%M}–{s.closes_at:%H:%M}" for s in day.slots)
            notes = [guide.text(s.description, lang) for s in day.slots if s.description]
            spans: list[Span] = [(_pad(label, column), style), (text, style)]
            if day.exception:
                spans.append(("  " + _("Special hours"), "yellow"))
            ltr_notes = [n for n in notes if not _is_rtl_text(n)]
            if ltr_notes:
                spans.append(("  (" + "; ".join(ltr_notes) + ")", "dim"))
            page.line(*spans, indent=2)
            for note in notes:
                if _is_rtl_text(note):
                    page.para(note, rtl=True)
        else:
            reason = _("Temporarily closed") if day.closure is not None else _("Closed")
            page.line((_pad(label, column), style), (reason, "dim"), indent=2)
        note_source = (
            day.exception.note if day.exception else (day.closure.alert if day.closure else None)
        )
        if note_source and (day.exception or today):
            note = guide.text(note_source, lang)
            if note and _is_rtl_text(note):
                page.para(note, rtl=True)
            elif note:
                page.line(("↳ " + note, "dim"), indent=18)


def _is_rtl_text(text: str) -> bool:
    """The first strong character is right-to-left (as a terminal's bidi would judge)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def entry_page(guide: Guide, entry: Entry, lang: str, when: dt.datetime) -> Page:
    """The whole entry: summary, offers, places and this week's hours, open
    now or not, phones, e-mail, web, parent and projects, verification and
    translation status, then the description."""
    from .lookup import translation_status

    _ = words(lang)
    page = Page()
    title: list[Span] = [(entry.name, "bold")]
    if entry.alternate_name:
        title.append((f" ({entry.alternate_name})", "bold"))
    title.append((f"  {entry.id}", "dim"))
    page.line(*title)
    for code, written in entry.transliterations.items():
        page.para(written, rtl=code in guide.rtl)
    _text_block(page, guide, pick(entry.summary, guide.chain(lang)), lang)
    page.blank()

    state = hours.entry_state(entry, when)
    where = ""
    if state.location is not None and len(entry.locations) > 1:
        place = pick(state.location.name, guide.chain(lang))
        where = f" ({place.text})" if place and place.lang not in guide.rtl else ""
    _kv(
        page,
        _("Now"),
        state_span(state, when, lang),
        (where, ""),
        (f"  ({moment_label(when, lang)})", "dim"),
    )
    if state.closure is not None:
        _kv_text(page, guide, _("Alert"), pick(state.closure.alert, guide.chain(lang)), lang)
    if entry.categories:
        _kv(page, _("Offers"), (_category_labels(entry.categories, lang), ""))
    if entry.welcome:
        welcome = " · ".join(_(WELCOME[w]) if w in WELCOME else w for w in entry.welcome)
        _kv(page, _("Who is welcome"), (welcome, ""))
    if entry.languages:
        spoken = ", ".join(s.code + (f" ({s.note})" if s.note else "") for s in entry.languages)
        _kv(page, _("Languages spoken"), (spoken, ""))

    if entry.locations:
        page.blank()
        page.line((_("Where and when"), "bold underline"))
        for loc in entry.locations:
            page.line(*_place_title(guide, loc, lang))
            name = pick(loc.name, guide.chain(lang))
            if name and name.lang in guide.rtl:
                page.para(name.text, rtl=True)
            _text_block(page, guide, pick(loc.description, guide.chain(lang)), lang, indent=2)
            if loc.schedules:
                loc_state = hours.location_state(loc, when, entry)
                page.line((_("Now") + "  ", "dim"), state_span(loc_state, when, lang), indent=2)
                _week(page, guide, entry, loc, when, lang)
            else:
                page.line(state_span(hours.location_state(loc, when, entry), when, lang), indent=2)

    upcoming = [
        c
        for c in entry.closures
        if (c.valid_to is None or c.valid_to >= when.date()) and c is not state.closure
    ]
    if upcoming:
        page.blank()
        for closure in upcoming:
            start = f"{day_label(closure.valid_from, lang)} {closure.valid_from.year}"
            end = (
                f"{day_label(closure.valid_to, lang)} {closure.valid_to.year}"
                if closure.valid_to
                else ""
            )
            page.line((f"{_('Temporarily closed')}: {start} – {end}".rstrip(), "red"))
            alert = pick(closure.alert, guide.chain(lang))
            if alert:
                _text_block(page, guide, alert, lang, indent=2)

    if entry.phones or entry.emails or entry.websites or entry.social:
        page.blank()
    for phone in entry.phones:
        spans: list[Span] = [(guide.phone(phone.number), "bold")]
        if phone.available_24_7:
            spans.append(("  " + _("Available 24/7"), "bold green"))
        if phone.type == "sms":
            spans.append(("  " + _("Text message only"), ""))
        elif phone.type not in ("voice", "cell"):
            spans.append((f"  {phone.type.capitalize()}", ""))
        if phone.languages:
            spans.append(("  (" + ", ".join(phone.languages) + ")", "dim"))
        label = pick(phone.label, guide.chain(lang))
        if label and label.lang not in guide.rtl:
            spans.append(("  " + label.text, ""))
        _kv(page, _("Phone"), *spans)
        if label and label.lang in guide.rtl:
            page.para(label.text, rtl=True)
    for email in entry.emails:
        label = pick(email.label, guide.chain(lang))
        extra = f"  {label.text}" if label and label.lang not in guide.rtl else ""
        _kv(page, _("E-mail"), (email.address, ""), (extra, "dim"))
        if label and label.lang in guide.rtl:
            page.para(label.text, rtl=True)
    for url in entry.websites:
        _kv(page, _("Website"), (url, ""))
    for link in entry.social:
        _kv(page, link.network.capitalize(), (link.url, ""))

    parent = guide.named(entry.parent) if entry.parent else None
    projects = guide.children(entry.id)
    if parent or entry.parent or projects:
        page.blank()
    if entry.parent:
        of = _("A project of %(name)s") % {"name": parent.name if parent else entry.parent}
        page.line((of, ""), (f"  {entry.parent}", "dim"))
    for project in projects:
        _kv(page, _("Projects"), (project.name, ""), (f"  {project.id}", "dim"))

    page.blank()
    if entry.assured_date:
        by = f"  ({entry.assurer})" if entry.assurer else ""
        _kv(page, _("Last verified"), (entry.assured_date.isoformat(), ""), (by, "dim"))
    else:
        page.line((_("Never verified"), "bold red"))
    status = translation_status(guide, entry)
    for part in ("summary", "description"):
        groups: dict[str, list[str]] = {}
        for code, item in status.items():
            if part in item:
                groups.setdefault(item[part], []).append(code)
        if groups:
            spans = []
            for value in _STATUS_ORDER:
                if value in groups:
                    sep = " · " if spans else ""
                    state_word = _(TEXT_STATES[value])
                    spans.append(
                        (f"{sep}{state_word} {', '.join(groups[value])}", _STATUS_STYLE[value])
                    )
            _kv(page, _("Summary") if part == "summary" else _("Description"), *spans)

    description = pick(entry.description, guide.chain(lang))
    if description:
        page.blank()
        _text_block(page, guide, description, lang)
    return page


# -- the commands ------------------------------------------------------------------
# One function per command, called by the Typer commands in cli.py and by the
# fast path in quick.py alike. Each computes everything before printing, so
# an error leaves no partial output.


def _skipped(guide: Guide, root: Path) -> None:
    """Say on stderr which entry files the lookup left out, and why (one line each)."""
    for name, problems in guide.skipped_files().items():
        first = problems[0]
        where = f"line {first.line}: " if first.line else ""
        field = f"{first.field}: " if first.field else ""
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        from .output import clean
        from .paths import entries_args

        again = entries_args(root)
        sys.stderr.write(
            clean(
                f"warning: {name} skipped: {where}{field}{first.message}{more}; "
                f"see 'calais-guide validate{again}'"
            )
            + "\n"
        )


def _refuse_broken(guide: Guide, root: Path, entry_id: str) -> None:
    """DataError (exit 1) when the entry asked for is in a file that was skipped."""
    problems = guide.skipped_files().get(f"{entry_id}.yaml")
    if problems:
        from .errors import DataError

        raise DataError(problems, root.resolve())


def run_find(root: Path, query: str, lang: str, as_json: bool, out: TextIO | None = None) -> int:
    """``find``: print the ranked results; exit code 1 when nothing matches
    (with ``--json`` the empty result is printed first)."""
    from .lookup import dumps, find, find_json, open_guide
    from .output import json_safe

    guide = open_guide(root)
    guide.check_lang(lang)
    found = find(guide, query, lang)
    stream = out or sys.stdout
    if as_json:
        _skipped(guide, root)
        stream.write(json_safe(dumps(find_json(guide, found, lang))) + "\n")
        return 0 if found.entries else 1
    if not found.entries:
        from .errors import NotFoundError

        skipped = ", ".join(guide.skipped_files())
        note = tr(" (not searched, it cannot be read: {files})", files=skipped) if skipped else ""
        raise NotFoundError(
            tr(
                "nothing found for '{query}': try fewer or other words{note}",
                query=query,
                note=note,
            )
        )
    page = find_page(guide, found, lang)
    _skipped(guide, root)
    emit(page, stream)
    return 0


def run_show(root: Path, entry_id: str, lang: str, as_json: bool, out: TextIO | None = None) -> int:
    """``show``: print one entry in full, with its state now."""
    from .lookup import dumps, entry_json, get_entry, now, open_guide
    from .output import json_safe

    guide = open_guide(root)
    guide.check_lang(lang)
    _refuse_broken(guide, root, entry_id)
    entry = get_entry(guide, entry_id)
    when = now()
    stream = out or sys.stdout
    if as_json:
        text = json_safe(dumps(entry_json(guide, entry, lang, when))) + "\n"
        _skipped(guide, root)
        stream.write(text)
    else:
        page = entry_page(guide, entry, lang, when)
        _skipped(guide, root)
        emit(page, stream)
    return 0


def run_list(
    root: Path,
    category: str | None,
    open_now: bool,
    at: str | None,
    lang: str,
    as_json: bool,
    out: TextIO | None = None,
) -> int:
    """``list``: print the entries (of a category; open at a moment)."""
    from .lookup import dumps, list_json, moment, open_guide, select
    from .output import json_safe

    when = moment(at, open_now)
    guide = open_guide(root)
    guide.check_lang(lang)
    listing = select(guide, category, when, lang)
    stream = out or sys.stdout
    if as_json:
        text = json_safe(dumps(list_json(guide, listing, lang))) + "\n"
        _skipped(guide, root)
        stream.write(text)
    else:
        page = list_page(guide, listing, lang)
        _skipped(guide, root)
        emit(page, stream)
    return 0
