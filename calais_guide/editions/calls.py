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

from calais_guide.editions.text import DIFF_LANGS
from calais_guide.model import Database, Entry

CALL_LANGS = DIFF_LANGS
"""Languages of the call sheet: the coordinators' (as ``edition diff``)."""

WORDS: dict[str, dict[str, str]] = {
    "title": {"fr": "Tournée d'appels", "en": "Phone round"},
    "edition": {"fr": "Édition {month}", "en": "Edition {month}"},
    "count": {
        "fr": "{n} associations, la plus anciennement vérifiée d'abord",
        "en": "{n} associations, oldest verification first",
    },
    "how": {
        "fr": "Pour chaque association : appeler, relire avec elle ce que dit le guide, "
        "noter ce qui a changé. Après les appels : {command} pour chacune, "
        "puis corriger les fiches ({edit}).",
        "en": "For each association: call, read through what the guide says with them, "
        "write down what changed. After the calls: {command} for each one, "
        "then correct the entries ({edit}).",
    },
    "never": {"fr": "Jamais vérifiée", "en": "Never verified"},
    "verified": {"fr": "Vérifiée le {date} par {by}", "en": "Verified on {date} by {by}"},
    "verified_nobody": {"fr": "Vérifiée le {date}", "en": "Verified on {date}"},
    "project": {"fr": "projet de {name}", "en": "a project of {name}"},
    "phones": {"fr": "Téléphones", "en": "Phones"},
    "no_phone": {"fr": "aucun téléphone dans le guide", "en": "no phone in the guide"},
    "email": {"fr": "E-mail", "en": "E-mail"},
    "website": {"fr": "Site", "en": "Website"},
    "says": {"fr": "Ce que dit le guide aujourd'hui", "en": "What the guide says today"},
    "status": {"fr": "Statut", "en": "Status"},
    "places": {"fr": "Lieux", "en": "Places"},
    "no_place": {"fr": "aucun lieu dans le guide", "en": "no place in the guide"},
    "hours": {"fr": "Horaires", "en": "Hours"},
    "special": {"fr": "Jours particuliers", "en": "Special days"},
    "closures": {"fr": "Fermetures", "en": "Closures"},
    "changes": {"fr": "Ce qui a changé", "en": "What changed"},
    "checked": {
        "fr": "Vérifiée le ____ / ____ / ______ par",
        "en": "Verified on ____ / ____ / ______ (day / month / year) by",
    },
    "colon": {"fr": " :", "en": ":"},
}
"""Words of the call sheet, French and English."""

CSV_COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("id", "id"),
    "name": ("nom", "name"),
    "status": ("statut", "status"),
    "last_verified": ("dernière vérification", "last verified"),
    "verified_by": ("vérifiée par", "verified by"),
    "phones": ("téléphones", "phones"),
    "emails": ("e-mails", "e-mails"),
    "websites": ("sites", "websites"),
    "places": ("lieux", "places"),
    "hours": ("horaires", "hours"),
    "special_days": ("jours particuliers", "special days"),
    "closures": ("fermetures", "closures"),
    "changes": ("changements", "changes"),
    "verified_on": ("vérifiée le", "verified on"),
    "by": ("par", "by"),
}
"""CSV column -> header (French, English). The last three are left empty, to fill."""


def word(key: str, lang: str) -> str:
    """A word of the call sheet in ``lang`` (fr or en)."""
    return WORDS[key][lang]


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
    by = "NOM" if lang == "fr" else "NAME"
    day = "AAAA-MM-JJ" if lang == "fr" else "YYYY-MM-DD"
    return f"calais-guide verify ID --by {by} --date {day}{root_args}"


def calls_csv(db: Database, lang: str) -> tuple[bytes, int]:
    """The call sheet as CSV (one row per association, the last three columns
    empty to fill in), and its rows."""
    from calais_guide.sheet import csv_bytes

    index = 0 if lang == "fr" else 1
    header = [labels[index] for labels in CSV_COLUMNS.values()]
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
