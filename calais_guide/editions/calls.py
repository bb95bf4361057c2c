"""The call sheet of the quarterly phone round: ``calais-guide edition calls``.

Every association, oldest verification first (never verified first of all),
with what the guide says about it today (phones, e-mail, places, hours,
closures) and room to write what changed, then "verified on ___ by ___".
After the calls, ``calais-guide verify ID --by NAME --date DAY`` stamps each.

Coordinator-facing, so written in French or English (:data:`CALL_LANGS`,
the languages of ``edition diff``); texts of the entries are shown in that
language with the guide's fallbacks. The PDF is drawn by
:mod:`calais_guide.render.calls`; the CSV (one row per association, the
same facts, empty columns to fill) is written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from calais_guide.cli_text import tr_in, tr_noop
from calais_guide.editions.text import DIFF_LANGS
from calais_guide.model import Database, Entry

CALL_LANGS = DIFF_LANGS
"""Languages of the call sheet: the coordinators' (as ``edition diff``)."""

WORDS: dict[str, str] = {
    "title": tr_noop("Phone round"),
    "edition": tr_noop("Edition {month}"),
    "count": tr_noop("{n} associations, oldest verification first"),
    "how": tr_noop(
        "For each association: call, read through what the guide says with them, "
        "write down what changed. After the calls: {command} for each one, "
        "then correct the entries ({edit})."
    ),
    "never": tr_noop("Never verified"),
    "verified": tr_noop("Verified on {date} by {by}"),
    "verified_nobody": tr_noop("Verified on {date}"),
    "project": tr_noop("a project of {name}"),
    "phones": tr_noop("Phones"),
    "no_phone": tr_noop("no phone in the guide"),
    "email": tr_noop("E-mail"),
    "website": tr_noop("Website"),
    "says": tr_noop("What the guide says today"),
    "status": tr_noop("Status"),
    "places": tr_noop("Places"),
    "no_place": tr_noop("no place in the guide"),
    "hours": tr_noop("Hours"),
    "special": tr_noop("Special days"),
    "closures": tr_noop("Closures"),
    "changes": tr_noop("What changed"),
    "checked": tr_noop("Verified on ____ / ____ / ______ (day / month / year) by"),
    "colon": tr_noop(":"),
}
"""Words of the call sheet (English msgids of the ``cli`` catalog: :func:`word`)."""

CSV_COLUMNS: dict[str, str] = {
    "id": tr_noop("id"),
    "name": tr_noop("name"),
    "status": tr_noop("status"),
    "last_verified": tr_noop("last verified"),
    "verified_by": tr_noop("verified by"),
    "phones": tr_noop("phones"),
    "emails": tr_noop("e-mails"),
    "websites": tr_noop("websites"),
    "places": tr_noop("places"),
    "hours": tr_noop("hours"),
    "special_days": tr_noop("special days"),
    "closures": tr_noop("closures"),
    "changes": tr_noop("changes"),
    "verified_on": tr_noop("verified on"),
    "by": tr_noop("by"),
}
"""CSV column -> header (English msgid). The last three are left empty, to fill."""


def word(key: str, lang: str) -> str:
    """A word of the call sheet in ``lang`` (fr or en), from the ``cli`` catalog."""
    return tr_in(lang, WORDS[key])


@dataclass(frozen=True)
class PlaceFacts:
    """One place as the guide says it."""

    where: str
    """Name, address (or mobile team / address given by phone), description."""
    hours: list[str]
    """Weekly hours, one line per slot; empty: not known."""
    special: list[str]
    """Dated days off and special hours."""


@dataclass(frozen=True)
class CallFacts:
    """One association on the call sheet."""

    id: str
    name: str
    alternate_name: str | None
    parent: str | None
    """Name of the association it is a project of."""
    status: str
    """Status label (in the sheet's language)."""
    active: bool
    """Status is ``active`` (the sheet shows the status only otherwise)."""
    assured_date: dt.date | None
    assurer: str | None
    phones: list[tuple[str, str]]
    """(number, what to know about the line)."""
    emails: list[str]
    websites: list[str]
    places: list[PlaceFacts] = field(default_factory=list)
    closures: list[str] = field(default_factory=list)

    def verified(self, lang: str) -> str:
        """``Vérifiée le 2023-03-01 par Sam`` or ``Jamais vérifiée``."""
        if self.assured_date is None:
            return word("never", lang)
        key = "verified" if self.assurer else "verified_nobody"
        return word(key, lang).format(date=self.assured_date.isoformat(), by=self.assurer)


def call_order(db: Database) -> list[Entry]:
    """The entries in calling order: never verified first, then the oldest
    verification first; equal dates keep the edition's order."""
    return sorted(
        db.entries,
        key=lambda e: (e.assured_date is not None, e.assured_date or dt.date.min),
    )


def facts(db: Database, entry: Entry, lang: str) -> CallFacts:
    """What the guide says about ``entry`` today, in ``lang``."""
    from calais_guide import entry_text as words

    parent = db.get(entry.parent) if entry.parent else None
    no_hours = words.ui("Hours not known: ask before you go", lang)
    return CallFacts(
        id=entry.id,
        name=entry.name,
        alternate_name=entry.alternate_name,
        parent=parent.name if parent else entry.parent,
        status=words.status_label(entry, lang),
        active=entry.status == "active",
        assured_date=entry.assured_date,
        assurer=entry.assurer,
        phones=[words.phone_parts(p, lang, db.edition.country) for p in entry.phones],
        emails=[e.address for e in entry.emails],
        websites=list(entry.websites),
        places=[
            PlaceFacts(
                where=words.place_line(loc, lang),
                hours=words.hours_lines(loc, lang)
                or ([] if loc.kind == "confidential" else [no_hours]),
                special=words.special_lines(loc, lang),
            )
            for loc in entry.locations
        ],
        closures=words.closure_lines(entry, lang),
    )


def call_list(db: Database, lang: str) -> list[CallFacts]:
    """Every association of ``db`` in calling order (:func:`call_order`)."""
    return [facts(db, e, lang) for e in call_order(db)]


def verify_command(lang: str, root_args: str = "") -> str:
    """The command that stamps an entry after its call."""
    # TRANSLATORS: placeholders of a command line, in capitals
    by = tr_in(lang, tr_noop("NAME"))
    day = tr_in(lang, tr_noop("YYYY-MM-DD"))
    return f"calais-guide verify ID --by {by} --date {day}{root_args}"


def calls_csv(db: Database, lang: str) -> tuple[bytes, int]:
    """The call sheet as CSV (one row per association, the last three columns
    empty to fill in), and its rows."""
    from calais_guide.sheet import csv_bytes

    header = [tr_in(lang, label) for label in CSV_COLUMNS.values()]
    table = []
    for f in call_list(db, lang):

        def each(lines: list[list[str]], f: CallFacts = f) -> str:
            # Several places: each line says which place ("(2) ...") it is of.
            many = len(f.places) > 1
            return "\n".join(
                f"({n}) {line}" if many else line
                for n, place_lines in enumerate(lines, start=1)
                for line in place_lines
            )

        table.append(
            [
                f.id,
                f.name,
                f.status,
                f.assured_date.isoformat() if f.assured_date else word("never", lang),
                f.assurer or "",
                "\n".join(f"{n} ({x})" if x else n for n, x in f.phones),
                "\n".join(f.emails),
                "\n".join(f.websites),
                each([[p.where] for p in f.places]),
                each([p.hours for p in f.places]),
                each([p.special for p in f.places]),
                "\n".join(f.closures),
                "",
                "",
                "",
            ]
        )
    return csv_bytes(header, table), len(table)
