"""An entry's facts as plain text lines in one language: the spreadsheet
(``export --format csv|xlsx``) and the call sheet (``edition calls``).

Days, hours and dates come from :mod:`calais_guide.i18n` (CLDR, as the
booklet prints them); the few words around them ("Closed", "Mobile team on
the living sites") from the interface catalogs; texts of the entry from the
data with the guide's fallbacks (:func:`calais_guide.model.pick`). Phone
numbers are written for dialling (:func:`calais_guide.contacts.format_phone`).

Which places may be shown is not decided here: callers pass the places they
publish (:func:`calais_guide.hsds.published_locations` for exports).
"""

from __future__ import annotations

from calais_guide import i18n
from calais_guide.model import (
    Closure,
    Entry,
    Localized,
    Location,
    Phone,
    Schedule,
    ScheduleException,
    pick,
)


def ui(msgid: str, lang: str) -> str:
    """Interface string ``msgid`` in ``lang`` (the catalogs)."""
    return i18n.translations(lang).gettext(msgid)


def text(texts: Localized, lang: str) -> str:
    """The text of ``texts`` in ``lang`` (or its fallback), on one line."""
    from calais_guide import languages

    shown = pick(texts, languages.chain(lang))
    return " ".join(shown.text.split()) if shown else ""


def category_labels(codes: list[str], lang: str) -> list[str]:
    """Readable names of category ids in ``lang`` (the catalogs' labels)."""
    from calais_guide.vocabulary import CATEGORIES

    return [ui(CATEGORIES[c], lang) if c in CATEGORIES else c for c in codes]


def welcome_labels(codes: list[str], lang: str) -> list[str]:
    """Readable names of who-is-welcome ids in ``lang``."""
    from calais_guide.vocabulary import WELCOME

    return [ui(WELCOME[c], lang) if c in WELCOME else c for c in codes]


def phone_parts(phone: Phone, lang: str, region: str = "FR") -> tuple[str, str]:
    """A phone as (number written for dialling, what to know about the line):
    ``("03 21 00 00 00", "WhatsApp, Available 24/7, Legal team; ar, fa")``."""
    from calais_guide.contacts import format_phone
    from calais_guide.hsds import PHONE_TYPE

    notes: list[str] = []
    app = "SMS" if phone.type == "sms" else PHONE_TYPE[phone.type][1]
    if app:
        notes.append(app)
    if phone.available_24_7:
        notes.append(ui("Available 24/7", lang))
    label = text(phone.label, lang)
    if label:
        notes.append(label)
    spoken = ", ".join(phone.languages)
    return format_phone(phone.number, region), ", ".join(notes) + (f"; {spoken}" if spoken else "")


def phone_line(phone: Phone, lang: str, region: str = "FR") -> str:
    """``03 21 00 00 00 (WhatsApp, Available 24/7, Legal team; ar, fa)``."""
    number, notes = phone_parts(phone, lang, region)
    return f"{number} ({notes})" if notes else number


def address_line(location: Location, lang: str) -> str:
    """Where a place is: ``1 rue de l'Exemple, 62100 Calais``; a mobile team or
    a confidential place says so (in ``lang``)."""
    if location.kind == "mobile":
        return ui("Mobile team on the living sites", lang)
    if location.kind == "confidential":
        return ui("Address given by phone", lang)
    return location.address.line if location.address is not None else ""


def place_line(location: Location, lang: str) -> str:
    """A place in one line: ``Maison Exemple: 1 rue de l'Exemple, 62100 Calais``,
    then its description in brackets."""
    line = ": ".join(x for x in (text(location.name, lang), address_line(location, lang)) if x)
    description = text(location.description, lang)
    if description and line:
        return f"{line} ({description})"
    return line or description


def slot_line(slot: Schedule, lang: str) -> str:
    """``lundi – vendredi 09:00 – 17:30`` (+ its period and what happens then)."""
    days = i18n.days_text(slot.byday, lang)
    line = f"{days} {i18n.time_range(slot.opens_at, slot.closes_at, lang)}"
    if slot.valid_from or slot.valid_to:
        line += f" ({i18n.date_span(slot.valid_from, slot.valid_to, lang)})"
    note = text(slot.description, lang)
    return f"{line}: {note}" if note else line


def exception_line(exception: ScheduleException, lang: str) -> str:
    """``1 – 15 août 2024: Fermé (Congés d'été)`` or the special hours."""
    span = i18n.date_span(exception.valid_from, exception.valid_to or exception.valid_from, lang)
    if exception.closed or exception.opens_at is None or exception.closes_at is None:
        what = ui("Closed", lang)
    else:
        what = i18n.time_range(exception.opens_at, exception.closes_at, lang)
    note = text(exception.note, lang)
    return f"{span}: {what}" + (f" ({note})" if note else "")


def closure_line(closure: Closure, lang: str) -> str:
    """``24 déc. 2024 – 2 janv. 2025: Fermé pour les fêtes`` (open-ended: ``1 juil. 2024 –``)."""
    span = i18n.date_span(closure.valid_from, closure.valid_to, lang)
    alert = text(closure.alert, lang)
    return f"{span}: {alert or ui('Closed', lang)}"


def hours_lines(location: Location, lang: str) -> list[str]:
    """The weekly hours of a place, one line per slot (empty: hours not known)."""
    return [slot_line(s, lang) for s in location.schedules]


def special_lines(location: Location, lang: str) -> list[str]:
    """The dated days off and special hours of a place."""
    return [exception_line(x, lang) for x in location.exceptions]


def closure_lines(entry: Entry, lang: str) -> list[str]:
    """The entry's dated closures."""
    return [closure_line(c, lang) for c in entry.closures]


def status_label(entry: Entry, lang: str) -> str:
    """The entry's status in ``lang`` (catalog label)."""
    from calais_guide.vocabulary import ENTRY_STATUSES

    return ui(ENTRY_STATUSES[entry.status], lang)
