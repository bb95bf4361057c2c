"""The typed model of a guide: entries (one per association) and the edition.

Field names follow Open Referral HSDS 3.0 where it has one (``assured_date``,
``opens_at``, ``closes_at``, ``byday``, ``valid_from``, ``valid_to``,
``alternate_name``, ``postal_code``...), so an HSDS export is a straight
mapping. Every field has a docstring: it is the reference for the YAML files
in ``entries/`` (``docs/schema.md`` is generated from nothing else).

The model is plain frozen dataclasses: cheap to import (lookups must start
fast), easy to read. :mod:`calais_guide.load` turns YAML into these objects;
:mod:`calais_guide.validate` checks the rules that span fields and files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

TextStatus = Literal["original", "reviewed", "draft"]
EntryStatus = Literal["active", "temporarily-closed", "closed"]
LocationKind = Literal["fixed", "mobile", "confidential"]
Day = Literal["mo", "tu", "we", "th", "fr", "sa", "su"]
PhoneType = Literal["voice", "cell", "sms", "whatsapp", "signal", "telegram"]

EDITION_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
"""An edition id: the month it was true, ``YYYY-MM``."""

DAYS: tuple[Day, ...] = ("mo", "tu", "we", "th", "fr", "sa", "su")
"""Days in ISO order (Monday first), as written in ``byday``."""

YAML_NAME = "yaml"
"""Field metadata key: the field's name in the YAML files when it differs
from the attribute's (``Text.source`` is ``from``)."""
LOADER_SET = {"loader": True}
"""Field metadata of the fields the loader sets (where a file was read, the
line of each field): not data, never written, stored or compared as data."""


@functools.lru_cache(maxsize=16384)
def text_hash(text: str) -> str:
    """Fingerprint of a source text, stored beside a translation made from it.

    Whitespace differences do not count: re-wrapping a paragraph in the YAML
    file must not make every translation of it stale. Remembered: a source
    text is checked once for each of its translations, by several checks.
    """
    import hashlib  # here, not at the top: OpenSSL costs every lookup's start-up

    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:12]


def line_of(lines: dict[str, int], path: str) -> int | None:
    """Line of field ``path`` (``phones[0].number``) or of its closest parent."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


@dataclass(frozen=True)
class Text:
    """One language's version of a translatable text.

    In YAML a plain string is shorthand for ``{text: ..., status: original}``.
    """

    text: str
    """The text itself, plain (never markup): it is escaped wherever printed."""
    status: TextStatus = "original"
    """``original`` (written in this language), ``reviewed`` (a translation a
    person who reads the language has checked) or ``draft`` (a translation
    nobody has reviewed yet: printed with a "not yet reviewed" mark)."""
    source: str | None = field(default=None, metadata={YAML_NAME: "from"})
    """Language code of the text this translation was made from (``from`` in YAML)."""
    source_hash: str | None = None
    """:func:`text_hash` of the source text at translation time. When the
    source text changes, the hash no longer matches and the translation is
    *stale*."""


Localized = dict[str, Text]
"""A translatable text: language code -> :class:`Text`."""


class Shown(NamedTuple):
    """A text picked for display in one language (see :func:`pick`).

    (A named tuple, not a dataclass: lookups build many and must start fast.)
    """

    text: str
    """The text."""
    lang: str
    """Language the text is actually in (differs from the asked one on fallback)."""
    status: TextStatus
    """Its recorded status: ``original``, ``reviewed`` or ``draft``."""
    fallback: bool
    """True when the asked language had no text and another was used."""

    def json(self) -> dict[str, Any]:
        """``{"text", "lang", "status", "fallback"}`` (lookups' ``--json``)."""
        return {
            "text": self.text,
            "lang": self.lang,
            "status": self.status,
            "fallback": self.fallback,
        }


UNREGISTERED_CHAIN: tuple[str, ...] = ("en", "fr")
"""Fallbacks of a language code the registry does not know (a text in the
data may be in any language)."""


def pick(texts: Localized, chain: Sequence[str]) -> Shown | None:
    """The text to show of a translatable field: in the first language of
    ``chain`` that has one (the asked language, then its fallbacks:
    :attr:`calais_guide.languages.Language.chain`), else in any language the
    field has; None when it has no text at all.

    The one rule every output follows: booklets, cards, the phone guide, the
    timetable, exports and lookups.
    """
    for i, code in enumerate(chain):
        text = texts.get(code)
        if text is not None:
            return Shown(text.text, code, text.status, fallback=i > 0)
    for code, text in texts.items():
        return Shown(text.text, code, text.status, fallback=True)
    return None


TranslationState = Literal["original", "reviewed", "draft", "stale", "missing"]
TRANSLATION_STATES: tuple[TranslationState, ...] = (
    "original",
    "reviewed",
    "draft",
    "stale",
    "missing",
)
"""Every state a field can be in in one language, in the order reports count them."""


def translation_state(texts: Localized, lang: str) -> TranslationState:
    """The state of language ``lang`` of a translatable field: the one answer
    that lookups (``show --json``), ``translations status``, ``validate`` and
    ``edition check`` all give.

    - ``missing``: no text in ``lang``;
    - ``original``: written in ``lang`` (``status: original``);
    - ``stale``: a translation that cannot be shown to match its source: the
      source text changed since (its hash differs from ``source_hash``), or the
      translation does not say what it was made from (no ``from`` or no
      ``source_hash``), or names a source the field does not have. See
      :func:`stale_reason`;
    - else its recorded status: ``draft`` or ``reviewed``.
    """
    text = texts.get(lang)
    if text is None:
        return "missing"
    if text.status == "original":
        return "original"
    return "stale" if _stale_why(texts, lang) else text.status


def stale_reason(texts: Localized, lang: str) -> str | None:
    """Why the translation in ``lang`` is stale, in a few words, in the command
    line's language (None when it is not: an original, a missing text, or a
    translation whose source is unchanged)."""
    why = _stale_why(texts, lang)
    if why is None:
        return None
    from .cli_text import tr

    return tr(why[0], **why[1])


def _stale_why(texts: Localized, lang: str) -> tuple[str, dict[str, str]] | None:
    """:func:`stale_reason` untranslated: (msgid, fields); lookups only ask
    whether there is one, without loading a catalog."""
    from .cli_text import tr_noop

    text = texts.get(lang)
    if text is None or text.status == "original":
        return None
    if not text.source or not text.source_hash:
        return (
            tr_noop(
                "the translation does not say what it was made from "
                "('from' and 'source_hash' are needed)"
            ),
            {},
        )
    source = texts.get(text.source) if text.source != lang else None
    if source is None:
        return (
            tr_noop("translated from '{source}', but there is no '{source}' text"),
            {"source": text.source},
        )
    if text_hash(source.text) != text.source_hash:
        return (
            tr_noop("the '{source}' text changed since it was translated"),
            {"source": text.source},
        )
    return None


def stale_hint(texts: Localized, lang: str) -> str:
    """What to do about the stale translation in ``lang`` (see :func:`stale_reason`)."""
    from .cli_text import tr

    source = translation_source(texts, lang)
    if source is None:
        return tr("add the text it was translated from, or remove the translation")
    return tr(
        "update the translation to say what the '{source}' text says, then set "
        "'from: {source}' and 'source_hash: {hash}' "
        "(or import it with 'calais-guide translations import')",
        source=source,
        hash=text_hash(texts[source].text),
    )


def translation_source(texts: Localized, lang: str) -> str | None:
    """The language a translation in ``lang`` is (or should say it is) made
    from: its ``from`` when the field has that text, else French, else the
    first original; None when the field has no other text."""
    text = texts.get(lang)
    if text is not None and text.source and text.source != lang and text.source in texts:
        return text.source
    if lang != "fr" and "fr" in texts:
        return "fr"
    for code, other in texts.items():
        if code != lang and other.status == "original":
            return code
    return None


@dataclass(frozen=True)
class Address:
    """A postal address in France (HSDS ``address``)."""

    street: str | None = None
    """Number and street (HSDS ``address_1``). May be unknown for a place only
    described by its area."""
    postal_code: str | None = None
    """Five-digit French postal code."""
    city: str = "Calais"
    """Town (HSDS ``city``)."""

    @property
    def lines(self) -> list[str]:
        """As written on an envelope: the street (if known), then postal
        code and town."""
        town = " ".join(x for x in (self.postal_code, self.city) if x)
        return [x for x in (self.street, town) if x]

    @property
    def line(self) -> str:
        """On one line: ``1 rue de l'Exemple, 62100 Calais``."""
        return ", ".join(self.lines)


@dataclass(frozen=True)
class Schedule:
    """A weekly opening slot (HSDS ``schedule`` with ``freq: WEEKLY``)."""

    byday: list[Day]
    """Days the slot applies to: ``mo tu we th fr sa su``."""
    opens_at: dt.time
    """Opening time, ``HH:MM`` (24 h, local time)."""
    closes_at: dt.time
    """Closing time, ``HH:MM``; later than ``opens_at``."""
    valid_from: dt.date | None = None
    """First day the slot applies (for seasonal hours); none = always."""
    valid_to: dt.date | None = None
    """Last day the slot applies (inclusive); none = until further notice."""
    description: Localized = field(default_factory=dict)
    """What happens in this slot, if it differs from the rest ("women only")."""


@dataclass(frozen=True)
class ScheduleException:
    """A dated change to the weekly schedule: a day off or special hours."""

    valid_from: dt.date
    """First day of the exception."""
    valid_to: dt.date | None = None
    """Last day (inclusive); none = the single day ``valid_from``."""
    closed: bool = True
    """True: closed those days. False: open with ``opens_at``/``closes_at`` instead."""
    opens_at: dt.time | None = None
    """Special opening time when ``closed`` is false."""
    closes_at: dt.time | None = None
    """Special closing time when ``closed`` is false."""
    note: Localized = field(default_factory=dict)
    """Why ("public holiday", "moving premises")."""


@dataclass(frozen=True)
class Location:
    """Where a service happens (HSDS ``location``)."""

    kind: LocationKind
    """``fixed``: a place with an address; ``mobile``: outreach on the living
    sites (a route, no fixed address); ``confidential``: a real place whose
    address must not be published (shelters): printed as "ask by phone"."""
    name: Localized = field(default_factory=dict)
    """Name of the place ("Accueil de jour", "Maison d'Entraide")."""
    address: Address | None = None
    """Postal address; required for ``fixed``, forbidden for ``confidential``
    (so it can never leak into print)."""
    description: Localized = field(default_factory=dict)
    """How to find it, or where the mobile team goes."""
    latitude: float | None = None
    """WGS84 latitude, for maps."""
    longitude: float | None = None
    """WGS84 longitude."""
    schedules: list[Schedule] = field(default_factory=list)
    """Weekly opening slots. Empty = hours unknown (never shown as open)."""
    exceptions: list[ScheduleException] = field(default_factory=list)
    """Dated days off and special hours."""


@dataclass(frozen=True)
class Phone:
    """A phone number (HSDS ``phone``)."""

    number: str
    """As written by the association; normalised and checked with
    ``phonenumbers`` (French numbers may omit +33)."""
    type: PhoneType = "voice"
    """``voice``, ``cell``, ``sms``, ``whatsapp``, ``signal`` or ``telegram``."""
    label: Localized = field(default_factory=dict)
    """What the number is for ("Emergency line", "Legal team")."""
    available_24_7: bool = False
    """Answered day and night, every day: listed first on pocket cards."""
    languages: list[str] = field(default_factory=list)
    """Languages spoken on this line (language codes)."""


@dataclass(frozen=True)
class Email:
    """An e-mail address."""

    address: str
    """The address."""
    label: Localized = field(default_factory=dict)
    """Who answers ("coordinatrice littoral")."""


@dataclass(frozen=True)
class SocialLink:
    """A page on a social network."""

    network: str
    """Lower-case network name: ``facebook``, ``instagram``, ``x``..."""
    url: str
    """Full ``https://`` address of the page."""


@dataclass(frozen=True)
class SpokenLanguage:
    """A language the team speaks (HSDS ``language``)."""

    code: str
    """Language code (ISO 639 / CLDR: ``fr``, ``ar``, ``ps``, ``ti``...)."""
    note: str | None = None
    """Caveat, e.g. "call ahead for Pashto"."""


@dataclass(frozen=True)
class Closure:
    """A dated temporary closure of the whole association (HSDS ``alert``)."""

    valid_from: dt.date
    """First closed day."""
    valid_to: dt.date | None = None
    """Last closed day (inclusive); none = until further notice."""
    alert: Localized = field(default_factory=dict)
    """Message shown and printed while closed ("closed for the holidays")."""


@dataclass(frozen=True)
class Entry:
    """One association (or one project of an association): one YAML file."""

    id: str
    """Slug (``a-z0-9-``), equal to the file name without ``.yaml``."""
    name: str
    """Name as the association writes it; never translated."""
    summary: Localized
    """One short line for cards and terminal lists (at most
    :data:`SUMMARY_MAX` characters). French is required."""
    description: Localized = field(default_factory=dict)
    """The booklet paragraph(s); blank lines separate paragraphs."""
    alternate_name: str | None = None
    """Acronym or other name ("PSM", "Watch the Channel")."""
    transliterations: dict[str, str] = field(default_factory=dict)
    """The name written in another script, by language code (optional)."""
    parent: str | None = None
    """Id of the association this is a project of."""
    status: EntryStatus = "active"
    """``active``, ``temporarily-closed`` or ``closed`` (HSDS ``status``)."""
    categories: list[str] = field(default_factory=list)
    """What it offers, from :data:`calais_guide.vocabulary.CATEGORIES`."""
    welcome: list[str] = field(default_factory=list)
    """Who is welcome, from :data:`calais_guide.vocabulary.WELCOME`."""
    languages: list[SpokenLanguage] = field(default_factory=list)
    """Languages spoken by the team."""
    phones: list[Phone] = field(default_factory=list)
    """Phone numbers, most useful first."""
    emails: list[Email] = field(default_factory=list)
    """E-mail addresses."""
    websites: list[str] = field(default_factory=list)
    """Web sites (``https://``), main one first (HSDS ``website``)."""
    social: list[SocialLink] = field(default_factory=list)
    """Social network pages."""
    logo: str | None = None
    """Logo image printed beside the name: a file name (or path) relative to
    the database's ``assets/`` folder, e.g. ``utopia-56.png`` (PNG, JPEG or
    SVG). Never a web address: the booklet is built offline and may read
    nothing outside the project."""
    locations: list[Location] = field(default_factory=list)
    """Where it works, with hours."""
    closures: list[Closure] = field(default_factory=list)
    """Dated temporary closures."""
    assured_date: dt.date | None = None
    """Day a person last checked this entry with the association (HSDS)."""
    assurer: str | None = None
    """Who did that check (name or e-mail; HSDS ``assurer_email``)."""
    needs_review: list[str] = field(default_factory=list)
    """Open questions a person must settle before this entry is trusted
    (e.g. "first words lost in the source; lead-in reconstructed")."""
    notes: str | None = None
    """Internal notes for the editors; never printed."""
    path: Path | None = field(default=None, metadata=LOADER_SET)
    """File the entry was read from (set by the loader, not written in YAML)."""
    lines: dict[str, int] = field(
        default_factory=dict, compare=False, repr=False, metadata=LOADER_SET
    )
    """Line of each field path in the file (set by the loader)."""

    def line(self, path: str) -> int | None:
        """Line where ``path`` (``phones[0].number``) or its closest parent starts."""
        return line_of(self.lines, path)

    def localized_fields(self) -> Iterator[tuple[str, Localized]]:
        """Every translatable field with its path, in file order: the one list
        that translation, glyph and pre-print checks walk."""
        yield "summary", self.summary
        yield "description", self.description
        for i, phone in enumerate(self.phones):
            yield f"phones[{i}].label", phone.label
        for i, email in enumerate(self.emails):
            yield f"emails[{i}].label", email.label
        for i, loc in enumerate(self.locations):
            yield f"locations[{i}].name", loc.name
            yield f"locations[{i}].description", loc.description
            for j, sched in enumerate(loc.schedules):
                yield f"locations[{i}].schedules[{j}].description", sched.description
            for j, exc in enumerate(loc.exceptions):
                yield f"locations[{i}].exceptions[{j}].note", exc.note
        for i, closure in enumerate(self.closures):
            yield f"closures[{i}].alert", closure.alert


@dataclass(frozen=True)
class EmergencyNumber:
    """A national emergency number, printed on every booklet and card."""

    number: str
    """Short number as dialled ("112", "115")."""
    label: Localized
    """What it is for."""
    sms: bool = False
    """Text message only (114)."""
    category: str | None = None
    """The need it answers (a category id: ``health`` for 15, ``shelter`` for
    115), drawn as its pictogram beside the number; none: the emergency one."""


@dataclass(frozen=True)
class Edition:
    """The edition file (``edition.yaml``): what one print run contains."""

    edition: str
    """Edition month, ``YYYY-MM`` (the date everything printed was true)."""
    title: Localized
    """Booklet title per language."""
    intro: Localized = field(default_factory=dict)
    """Introduction printed after the cover."""
    languages: list[str] = field(default_factory=lambda: ["fr"])
    """Languages of the print run (one booklet and card sheet each)."""
    order: list[str] = field(default_factory=list)
    """Entry ids in booklet order; entries not listed follow alphabetically."""
    emergency_numbers: list[EmergencyNumber] = field(default_factory=list)
    """Emergency numbers of France."""
    country: str = "FR"
    """Region for phone numbers written without a country code."""
    verification_window_days: int = field(
        default=120, metadata={"range": (1, 3650), "code": "invalid-verification-window"}
    )
    """An entry not verified (``assured_date``) within this many days before
    the edition date is reported as not re-checked."""
    card_categories: list[str] = field(default_factory=list)
    """Categories of the default thematic pocket cards."""
    publisher: str | None = None
    """Who publishes the guide (printed as the PDF author)."""
    website: str | None = None
    """Address of the guide online (for the QR code on cards)."""
    path: Path | None = field(default=None, metadata=LOADER_SET)
    """File the edition was read from (set by the loader)."""
    lines: dict[str, int] = field(
        default_factory=dict, compare=False, repr=False, metadata=LOADER_SET
    )
    """Line of each field path (set by the loader)."""

    def localized_fields(self) -> Iterator[tuple[str, Localized]]:
        """Every translatable field of the edition with its path."""
        yield "title", self.title
        yield "intro", self.intro
        for i, number in enumerate(self.emergency_numbers):
            yield f"emergency_numbers[{i}].label", number.label

    @property
    def valid_month(self) -> bool:
        """``edition`` is a real ``YYYY-MM`` month."""
        return bool(EDITION_MONTH.match(self.edition))

    @property
    def date(self) -> dt.date:
        """First day of the edition month (only for a :attr:`valid_month`)."""
        year, month = self.edition.split("-")
        return dt.date(int(year), int(month), 1)


# -- the model as plain data -------------------------------------------------------


_YAML_FIELDS: dict[type, dict[str, dataclasses.Field[Any]]] = {}


def yaml_fields(cls: type) -> dict[str, dataclasses.Field[Any]]:
    """YAML name -> field of model class ``cls``, in declaration order: the
    fields written in the files (those the loader sets left out). The one
    place the names of the files come from: the loader, the snapshots, the
    diff and the schema reference all read them here."""
    found = _YAML_FIELDS.get(cls)
    if found is None:
        found = _YAML_FIELDS[cls] = {
            f.metadata.get(YAML_NAME, f.name): f
            for f in dataclasses.fields(cls)
            if not f.metadata.get("loader")
        }
    return found


def is_localized(value: object) -> bool:
    """True for a non-empty translatable text (language code -> :class:`Text`)."""
    return (
        isinstance(value, dict) and bool(value) and all(isinstance(v, Text) for v in value.values())
    )


def to_data(value: Any, keep: Collection[str] | None = None) -> Any:
    """A model value as plain JSON data, in the shape of the entry files: YAML
    field names (:func:`yaml_fields`), ISO dates, ``HH:MM`` times, paths as
    text; loader-set fields left out.

    The one serialiser of the model: edition snapshots (which load back
    through the loader's converter), the print run's digest of what a
    language prints, and lookups' ``show --json``.

    ``keep``: language codes; translatable texts are cut down to those (all
    kept when none of them is there: :func:`pick` then shows any text).
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            name: to_data(getattr(value, f.name), keep)
            for name, f in yaml_fields(type(value)).items()
        }
    if isinstance(value, list | tuple):
        return [to_data(v, keep) for v in value]
    if isinstance(value, dict):
        if keep is not None and is_localized(value):
            value = {k: v for k, v in value.items() if k in keep} or value
        return {str(k): to_data(v, keep) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Path):
        return str(value)
    return value


SUMMARY_MAX = 120
"""Longest ``summary`` in characters: it must fit one line of a pocket card."""


@dataclass
class Database:
    """A loaded guide: the edition and its entries, in edition order."""

    root: Path
    """Directory holding ``edition.yaml`` and one ``<id>.yaml`` per entry."""
    edition: Edition
    """The edition file."""
    entries: list[Entry]
    """Entries in edition order (listed ids first, then alphabetical)."""

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id (the first, if two files claim it), or None."""
        return self._maps()[0].get(entry_id)

    def children(self, entry_id: str) -> list[Entry]:
        """Projects whose ``parent`` is ``entry_id``, in edition order."""
        return list(self._maps()[1].get(entry_id, ()))

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "_by_id"}

    def _maps(self) -> tuple[dict[str, Entry], dict[str, list[Entry]]]:
        # Built once (a guide of 2,000 entries asks thousands of times), and
        # again if the list of entries was replaced or grew.
        cached = self.__dict__.get("_by_id")
        if cached is None or cached[0] is not self.entries or cached[1] != len(self.entries):
            by_id: dict[str, Entry] = {}
            children: dict[str, list[Entry]] = {}
            for entry in self.entries:
                by_id.setdefault(entry.id, entry)
                if entry.parent is not None:
                    children.setdefault(entry.parent, []).append(entry)
            cached = (self.entries, len(self.entries), by_id, children)
            self.__dict__["_by_id"] = cached
        return cached[2], cached[3]
