"""The guide as Open Referral HSDS 3.0 data (one language per export).

:func:`tables` maps a loaded :class:`~calais_guide.model.Database` to HSDS
objects, one flat list per table (``organization``, ``service``,
``location``...), each object pointing at others by id, as in the
specification's tabular form. :func:`write_json` writes one JSON array per
table (``organizations.json``...), :func:`write_csv` the CSV data package of
the specification's ``datapackage.json``. What HSDS cannot hold and what the
export does about it is in ``docs/hsds.md``.

Ids are UUIDv5 derived from entry ids, so they stay the same from one export
to the next. Nothing here imports a renderer: exports are quick.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import uuid
from pathlib import Path
from typing import Any

from calais_guide.cli_text import tr

from .model import (
    SUMMARY_MAX as SUMMARY_LIMIT,
)
from .model import (
    Database,
    Entry,
    Localized,
    Location,
    Phone,
    Schedule,
    ScheduleException,
    pick,
)

NAMESPACE = uuid.UUID("5a0f4d4e-6c1b-5b8e-9d0e-ca1a15c0a1de")
"""Namespace of every id this export derives (never change it: ids would change)."""

TABLES: tuple[tuple[str, str], ...] = (
    ("organization", "organizations"),
    ("organization_identifier", "organization_identifiers"),
    ("service", "services"),
    ("location", "locations"),
    ("address", "addresses"),
    ("service_at_location", "service_at_location"),
    ("service_area", "service_areas"),
    ("phone", "phones"),
    ("language", "languages"),
    ("schedule", "schedules"),
    ("taxonomy", "taxonomies"),
    ("taxonomy_term", "taxonomy_terms"),
    ("attribute", "attributes"),
    ("metadata", "metadata"),
)
"""HSDS table -> file stem, in writing order (the stems of ``datapackage.json``)."""

STATUS = {"active": "active", "temporarily-closed": "temporarily closed", "closed": "defunct"}
"""Entry status -> HSDS ``service.status``."""

PHONE_TYPE = {
    "voice": ("voice", None),
    "cell": ("cell", None),
    "sms": ("text", None),
    "whatsapp": ("cell", "WhatsApp"),
    "signal": ("cell", "Signal"),
    "telegram": ("cell", "Telegram"),
}
"""Our phone type -> (RFC 6350 type in HSDS, messaging app named in the description)."""

TAXONOMIES = {
    "categories": (
        "calais-guide categories",
        "What an association offers (calais-guide vocabulary).",
    ),
    "welcome": ("calais-guide welcome", "Who an association welcomes (calais-guide vocabulary)."),
    "translation": (
        "calais-guide translation status",
        "State of a text in the language of the export (calais-guide vocabulary).",
    ),
}
"""Our taxonomies: key -> (name, description)."""

TRANSLATION_TERMS = {
    "draft": "A machine or volunteer translation nobody who reads the language has reviewed yet.",
    "reviewed": "A translation checked by a person who reads the language.",
    "fallback": "No text in this language: the text is in the language named in the value.",
}
"""Translation-status terms (their codes) -> description."""

TAXONOMY_URI = "https://github.com/calais-guide/calais-guide/blob/main/docs/taxonomy.json"
"""Where the vocabulary is published: ``docs/taxonomy.json``, written by
:func:`write_taxonomy` from :func:`taxonomy_tables` (``make docs``)."""

TAXONOMY_FILE = Path(__file__).resolve().parent.parent / "docs" / "taxonomy.json"
"""The published taxonomy file in a checkout."""

DEPARTMENTS = {"02": "Aisne", "59": "Nord", "60": "Oise", "62": "Pas-de-Calais", "80": "Somme"}
"""French departments of the Calais region by postal-code prefix (``state_province``);
elsewhere the two-digit department number itself is given."""

ID_SCHEME = "calais-guide"
"""``organization_identifier.identifier_scheme`` of our entry ids
(``identifier_type`` ``entry id``): how an import finds the entry id back."""

DAY_CODES = {"mo": "MO", "tu": "TU", "we": "WE", "th": "TH", "fr": "FR", "sa": "SA", "su": "SU"}


def make_id(*parts: str) -> str:
    """A stable UUIDv5 for the object named by ``parts`` (entry id, kind, index)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _text(texts: Localized, lang: str) -> str | None:
    from . import languages

    shown = pick(texts, languages.chain(lang))
    return shown.text if shown else None


def _time(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value is not None else None


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop unset fields (HSDS leaves them out rather than null)."""
    return {k: v for k, v in obj.items() if v is not None and v != []}


def taxonomy_tables() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Our published vocabulary: (taxonomies, taxonomy_terms), in English (the msgids)."""
    from .vocabulary import CATEGORIES, WELCOME

    taxonomies = [
        {
            "id": make_id("taxonomy", key),
            "name": name,
            "description": description,
            "uri": TAXONOMY_URI,
            "version": "1",
        }
        for key, (name, description) in TAXONOMIES.items()
    ]
    terms: list[dict[str, Any]] = []
    for key, vocabulary in (
        ("categories", CATEGORIES),
        ("welcome", WELCOME),
        ("translation", {code: code for code in TRANSLATION_TERMS}),
    ):
        for code, label in vocabulary.items():
            terms.append(
                {
                    "id": term_id(key, code),
                    "code": term_code(key, code),
                    "name": label,
                    "description": TRANSLATION_TERMS.get(code, label)
                    if key == "translation"
                    else label,
                    "taxonomy": TAXONOMIES[key][0],
                    "taxonomy_id": make_id("taxonomy", key),
                    "language": "en",
                }
            )
    return taxonomies, terms


def taxonomy_json() -> str:
    """The published taxonomy file: the ``taxonomy`` and ``taxonomy_term``
    objects every HSDS export holds, as one JSON document."""
    taxonomies, terms = taxonomy_tables()
    document = {
        "about": "calais-guide vocabularies as Open Referral HSDS 3.0 taxonomy and "
        "taxonomy_term objects (the same in every export; docs/hsds.md). "
        "Generated from calais_guide/vocabulary.py by 'make docs'.",
        "taxonomies": taxonomies,
        "taxonomy_terms": terms,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_taxonomy(path: Path = TAXONOMY_FILE) -> Path:
    """Write :func:`taxonomy_json` to ``path`` (atomically)."""
    from .fileio import write_text

    write_text(path, taxonomy_json())
    return path


def term_id(taxonomy: str, code: str) -> str:
    """Id of term ``code`` of our taxonomy ``taxonomy`` (categories, welcome, translation)."""
    return make_id("taxonomy", taxonomy, code)


def term_code(taxonomy: str, code: str) -> str:
    """The published ``code`` of a term: category ids as they are, other
    vocabularies prefixed (``welcome:women``), as codes are unique across terms."""
    return code if taxonomy == "categories" else f"{taxonomy}:{code}"


def postal_region(postal_code: str) -> str:
    """``state_province`` of a French postal code (see :data:`DEPARTMENTS`)."""
    prefix = postal_code[:2]
    return DEPARTMENTS.get(prefix, prefix)


def published(location: Location) -> bool:
    """Whether a place may leave the tool in an export (HSDS, spreadsheet): a
    confidential place never does, not its place, not its hours, not even its
    description (docs/hsds.md)."""
    return location.kind != "confidential"


def published_locations(entry: Entry) -> list[tuple[int, Location]]:
    """The entry's places an export may show, with their index in the entry."""
    return [(i, loc) for i, loc in enumerate(entry.locations) if published(loc)]


def closure_alert(entry: Entry, lang: str) -> str | None:
    """The dated closures as HSDS ``alert`` text: one line each, ISO 8601 interval
    first (``2024-08-01/2024-08-15``, or ``2024-08-01/..`` until further notice)."""
    lines = []
    for closure in entry.closures:
        span = f"{closure.valid_from.isoformat()}/{_date(closure.valid_to) or '..'}"
        text = _text(closure.alert, lang)
        lines.append(f"{span}: {text}" if text else span)
    return "\n".join(lines) or None


class _Export:
    def __init__(self, db: Database, lang: str):
        self.db = db
        self.lang = lang
        self.region = db.edition.country
        self.out: dict[str, list[dict[str, Any]]] = {table: [] for table, _ in TABLES}

    def add(self, table: str, obj: dict[str, Any]) -> dict[str, Any]:
        obj = _clean(obj)
        self.out[table].append(obj)
        return obj

    def translation(
        self, entry: Entry, link_id: str, entity: str, field: str, texts: Localized
    ) -> None:
        from . import languages

        shown = pick(texts, languages.chain(self.lang))
        if shown is None:
            return
        if shown.fallback:
            code, value = "fallback", f"{field}: {shown.lang}"
        elif shown.status in ("draft", "reviewed"):
            code, value = shown.status, field
        else:
            return
        self.attribute(entry, link_id, entity, "translation", code, value)

    def attribute(
        self,
        entry: Entry,
        link_id: str,
        entity: str,
        taxonomy: str,
        code: str,
        value: str | None = None,
    ) -> None:
        self.add(
            "attribute",
            {
                "id": make_id(entry.id, "attribute", entity, link_id, taxonomy, code, value or ""),
                "link_id": link_id,
                "taxonomy_term_id": term_id(taxonomy, code),
                "link_type": taxonomy,
                "link_entity": entity,
                "value": value,
            },
        )

    def entry(self, entry: Entry) -> None:
        org_id = make_id(entry.id, "organization")
        service_id = make_id(entry.id, "service")
        parent = self.db.get(entry.parent) if entry.parent else None
        summary = _text(entry.summary, self.lang) or ""
        self.add(
            "organization",
            {
                "id": org_id,
                "name": entry.name,
                "alternate_name": entry.alternate_name,
                "description": summary,
                "email": entry.emails[0].address if entry.emails else None,
                "website": entry.websites[0] if entry.websites else None,
                "parent_organization_id": make_id(parent.id, "organization") if parent else None,
            },
        )
        self.add(
            "organization_identifier",
            {
                "id": make_id(entry.id, "organization_identifier"),
                "organization_id": org_id,
                "identifier_scheme": ID_SCHEME,
                "identifier_type": "entry id",
                "identifier": entry.id,
            },
        )
        self.translation(entry, org_id, "organization", "description", entry.summary)
        self.add(
            "service",
            {
                "id": service_id,
                "organization_id": org_id,
                "name": entry.name,
                "alternate_name": entry.alternate_name,
                "description": _text(entry.description, self.lang),
                "url": entry.websites[0] if entry.websites else None,
                "email": entry.emails[0].address if entry.emails else None,
                "status": STATUS[entry.status],
                "alert": closure_alert(entry, self.lang),
                "assured_date": _date(entry.assured_date),
            },
        )
        self.translation(entry, service_id, "service", "description", entry.description)
        for closure_index, closure in enumerate(entry.closures):
            self.translation(entry, service_id, "service", f"alert[{closure_index}]", closure.alert)
        if entry.assured_date is not None and entry.assurer:
            self.add(
                "metadata",
                {
                    "id": make_id(entry.id, "metadata", "assured"),
                    "resource_id": service_id,
                    "resource_type": "service",
                    "last_action_date": entry.assured_date.isoformat(),
                    "last_action_type": "verified",
                    "field_name": "assured_date",
                    "previous_value": "(not recorded)",
                    "replacement_value": entry.assured_date.isoformat(),
                    "updated_by": entry.assurer,
                },
            )
        for code in entry.categories:
            self.attribute(entry, service_id, "service", "categories", code)
        for code in entry.welcome:
            self.attribute(entry, service_id, "service", "welcome", code)
        for index, spoken in enumerate(entry.languages):
            self.add(
                "language",
                {
                    "id": make_id(entry.id, "language", str(index)),
                    "service_id": service_id,
                    "code": spoken.code,
                    "note": spoken.note,
                },
            )
        for index, phone in enumerate(entry.phones):
            self.phone(entry, service_id, index, phone)
        for index, location in published_locations(entry):
            self.location(entry, org_id, service_id, index, location)

    def phone(self, entry: Entry, service_id: str, index: int, phone: Phone) -> None:
        from .contacts import parse_phone

        phone_id = make_id(entry.id, "phone", str(index))
        kind, app = PHONE_TYPE[phone.type]
        notes = [
            note
            for note in (
                app,
                "24/7" if phone.available_24_7 else None,
                _text(phone.label, self.lang),
            )
            if note
        ]
        self.add(
            "phone",
            {
                "id": phone_id,
                "service_id": service_id,
                "number": parse_phone(phone.number, self.region) or phone.number,
                "type": kind,
                "description": " · ".join(notes) or None,
            },
        )
        self.translation(entry, phone_id, "phone", "description", phone.label)
        for lang_index, code in enumerate(phone.languages):
            self.add(
                "language",
                {
                    "id": make_id(entry.id, "phone", str(index), "language", str(lang_index)),
                    "phone_id": phone_id,
                    "code": code,
                },
            )

    def location(
        self, entry: Entry, org_id: str, service_id: str, index: int, location: Location
    ) -> None:
        key = (entry.id, "location", str(index))
        description = _text(location.description, self.lang)
        if location.kind == "mobile":
            area_id = make_id(*key, "service_area")
            self.add(
                "service_area",
                {
                    "id": area_id,
                    "service_id": service_id,
                    "name": _text(location.name, self.lang),
                    "description": description,
                },
            )
            self.translation(entry, area_id, "service_area", "description", location.description)
            self.schedules(entry, key, {"service_id": service_id}, location)
            return
        location_id = make_id(*key)
        self.add(
            "location",
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": org_id,
                "name": _text(location.name, self.lang),
                "description": description,
                "latitude": location.latitude,
                "longitude": location.longitude,
            },
        )
        self.translation(entry, location_id, "location", "description", location.description)
        address = location.address
        if address is not None and address.street and address.postal_code:
            self.add(
                "address",
                {
                    "id": make_id(*key, "address"),
                    "location_id": location_id,
                    "address_1": address.street,
                    "city": address.city,
                    "state_province": postal_region(address.postal_code),
                    "postal_code": address.postal_code,
                    "country": self.region,
                    "address_type": "physical",
                },
            )
        sal_id = make_id(*key, "service_at_location")
        self.add(
            "service_at_location",
            {"id": sal_id, "service_id": service_id, "location_id": location_id},
        )
        self.schedules(entry, key, {"service_at_location_id": sal_id}, location)

    def schedules(
        self, entry: Entry, key: tuple[str, ...], link: dict[str, str], location: Location
    ) -> None:
        for index, slot in enumerate(location.schedules):
            self.add(
                "schedule",
                {"id": make_id(*key, "schedule", str(index)), **link, **self.weekly(slot)},
            )
        for index, exception in enumerate(location.exceptions):
            self.add(
                "schedule",
                {"id": make_id(*key, "exception", str(index)), **link, **self.exception(exception)},
            )

    def weekly(self, slot: Schedule) -> dict[str, Any]:
        return {
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": ",".join(DAY_CODES[d] for d in slot.byday),
            "opens_at": _time(slot.opens_at),
            "closes_at": _time(slot.closes_at),
            "valid_from": _date(slot.valid_from),
            "valid_to": _date(slot.valid_to),
            "description": _text(slot.description, self.lang),
        }

    def exception(self, exception: ScheduleException) -> dict[str, Any]:
        return {
            "valid_from": exception.valid_from.isoformat(),
            "valid_to": _date(exception.valid_to) or exception.valid_from.isoformat(),
            "opens_at": None if exception.closed else _time(exception.opens_at),
            "closes_at": None if exception.closed else _time(exception.closes_at),
            "notes": "closed" if exception.closed else "special hours",
            "description": _text(exception.note, self.lang),
        }


def tables(db: Database, lang: str) -> dict[str, list[dict[str, Any]]]:
    """The guide as HSDS 3.0 objects, table name -> objects, texts in ``lang``
    (with the guide's fallbacks; each fallback or draft text is flagged by an
    attribute of the ``translation`` taxonomy)."""
    export = _Export(db, lang)
    taxonomies, terms = taxonomy_tables()
    export.out["taxonomy"] = taxonomies
    export.out["taxonomy_term"] = terms
    for entry in db.entries:
        export.entry(entry)
    return export.out


def file_names(suffix: str) -> list[str]:
    """The files of an export, in writing order."""
    return [f"{stem}.{suffix}" for _, stem in TABLES]


def json_files(data: dict[str, list[dict[str, Any]]]) -> dict[str, bytes]:
    """File name -> content of the JSON form (one array per table)."""
    return {
        f"{stem}.json": (json.dumps(data[table], ensure_ascii=False, indent=2) + "\n").encode(
            "utf-8"
        )
        for table, stem in TABLES
    }


def counts(data: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Objects per table (for the command's summary)."""
    return {table: len(data[table]) for table, _ in TABLES}


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` into ``folder`` (made if missing) through the project's one writer."""
    from .fileio import output_folder, write_bytes

    target = output_folder(folder)
    written = []
    for name, data in files.items():
        path = target / name
        write_bytes(path, data)
        written.append(path)
    return written


DATAPACKAGE = Path(__file__).parent / "data" / "hsds" / "datapackage.json"
"""The specification's ``datapackage.json`` (vendored unchanged, CC BY-SA 4.0)."""


def datapackage() -> dict[str, Any]:
    """The specification's data package (every table; those this export does not
    fill are written with their header only)."""
    return json.loads(DATAPACKAGE.read_text(encoding="utf-8"))


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return "" if value is None else str(value)


def csv_files(data: dict[str, list[dict[str, Any]]]) -> dict[str, bytes]:
    """File name -> content of the CSV data package (``datapackage.json`` + one CSV
    per table of the specification, every column in its order)."""
    import csv
    import io

    package = datapackage()
    files: dict[str, bytes] = {}
    for resource in package["resources"]:
        columns = [f["name"] for f in resource["schema"]["fields"]]
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for obj in data.get(resource["name"], ()):
            unknown = set(obj) - set(columns)
            if unknown:  # a programming error: the mapping and the package disagree
                raise ValueError(f"{resource['name']}: no column for {sorted(unknown)}")
            writer.writerow([_cell(obj.get(column)) for column in columns])
        files[resource["path"]] = buffer.getvalue().encode("utf-8")
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode(
        "utf-8"
    )
    return files


# -- import: HSDS JSON -> entry files ------------------------------------------

IMPORT_NOTE = "imported from HSDS data: check every fact with the association before printing"
"""The ``needs_review`` note every imported entry starts with."""

_ALERT_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2}|\.\.)(?::\s*(.*))?$")
_APPS = {app: kind for kind, (_, app) in PHONE_TYPE.items() if app}
_DAYS_BACK = {code: day for day, code in DAY_CODES.items()}


def read_json(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """The tables of an HSDS JSON export in ``folder`` (missing files = empty
    tables; ``organizations.json`` is required). UsageError/DataError naming
    the file on anything unreadable."""
    from .errors import NotFoundError, UsageError
    from .fileio import read_limited

    if not folder.is_dir():
        raise UsageError(
            tr("{folder}: not a folder: give the folder of an HSDS export", folder=folder)
        )
    if not (folder / "organizations.json").is_file():
        raise NotFoundError(
            tr("{folder}: no organizations.json: not an HSDS JSON export", folder=folder)
        )
    data: dict[str, list[dict[str, Any]]] = {}
    for table, stem in TABLES:
        path = folder / f"{stem}.json"
        if not path.exists():
            data[table] = []
            continue
        raw = read_limited(path, 64 * 1024 * 1024, "HSDS file")
        try:
            value = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise UsageError(
                tr("{path}: not JSON ({exc}): give an HSDS JSON export", path=path, exc=exc)
            ) from None
        if not isinstance(value, list) or not all(
            isinstance(o, dict) and isinstance(o.get("id"), str) for o in value
        ):
            raise UsageError(
                tr("{path}: not a list of objects with an id: give an HSDS JSON export", path=path)
            )
        data[table] = value
    return data


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _hhmm(value: str | None) -> str | None:
    return value[:5] if value else None


class _Import:
    def __init__(self, data: dict[str, list[dict[str, Any]]], lang: str):
        self.data = data
        self.lang = lang
        self.warnings: list[str] = []
        self.terms = {t["id"]: t for t in data["taxonomy_term"]}

    def many(self, table: str, key: str, value: str) -> list[dict[str, Any]]:
        return [o for o in self.data[table] if o.get(key) == value]

    def text(self, value: str | None) -> dict[str, str] | None:
        return {self.lang: value} if value else None

    def entries(self) -> list[dict[str, Any]]:
        from .manage import slugify

        ids: dict[str, str] = {}
        for org in self.data["organization"]:
            identifiers = self.many("organization_identifier", "organization_id", org["id"])
            ours = [i["identifier"] for i in identifiers if i.get("identifier_scheme") == ID_SCHEME]
            base = ours[0] if ours else slugify(str(org.get("name", ""))) or "entry"
            entry_id, n = base, 1
            while entry_id in ids.values():
                n += 1
                entry_id = f"{base}-{n}"
            ids[org["id"]] = entry_id
        return [self.entry(org, ids) for org in self.data["organization"]]

    def entry(self, org: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
        entry_id = ids[org["id"]]
        review = [IMPORT_NOTE]
        services = self.many("service", "organization_id", org["id"])
        service = services[0] if services else {}
        if len(services) > 1:
            names = ", ".join(str(s.get("name")) for s in services[1:])
            review.append(f"HSDS had {len(services)} services; folded in: {names}")
            self.warnings.append(f"{entry_id}: {len(services)} services folded into one entry")
        summary = str(org.get("description") or service.get("description") or org.get("name"))
        if len(summary) > SUMMARY_LIMIT:
            review.append("summary shortened from the HSDS description: rewrite it")
            summary = summary[: SUMMARY_LIMIT - 1].rstrip() + "…"
        entry: dict[str, Any] = {"id": entry_id, "name": org.get("name")}
        if org.get("alternate_name"):
            entry["alternate_name"] = org["alternate_name"]
        parent = org.get("parent_organization_id")
        if parent:
            if parent in ids:
                entry["parent"] = ids[parent]
            else:
                self.warnings.append(f"{entry_id}: parent organization {parent} not in the data")
        status = {v: k for k, v in STATUS.items()}.get(service.get("status", "active"))
        if status is None:
            review.append(f"HSDS status '{service.get('status')}': set the status")
            status = "active"
        if status != "active":
            entry["status"] = status
        categories: list[str] = []
        welcome: list[str] = []
        for sid in [s["id"] for s in services]:
            for attribute in self.many("attribute", "link_id", sid):
                self.attribute(entry_id, attribute, categories, welcome, review)
        entry["categories"] = categories
        if welcome:
            entry["welcome"] = welcome
        entry["summary"] = self.text(summary)
        description = service.get("description")
        if description:
            entry["description"] = self.text(description)
        spoken = [
            {k: v for k, v in (("code", lang.get("code")), ("note", lang.get("note"))) if v}
            for s in services
            for lang in self.many("language", "service_id", s["id"])
        ]
        if spoken:
            entry["languages"] = spoken
        phones = [
            self.phone(p, entry_id, review)
            for s in services
            for p in self.many("phone", "service_id", s["id"])
        ]
        phones += [
            self.phone(p, entry_id, review)
            for p in self.many("phone", "organization_id", org["id"])
        ]
        if phones:
            entry["phones"] = phones
        emails = [x for x in (org.get("email"), service.get("email")) if x]
        if emails:
            entry["emails"] = [{"address": emails[0]}]
        websites = [x for x in (org.get("website"), service.get("url")) if x]
        if websites:
            entry["websites"] = list(dict.fromkeys(websites))
        locations = []
        for s in services:
            for sal in self.many("service_at_location", "service_id", s["id"]):
                location = next(
                    (o for o in self.data["location"] if o["id"] == sal.get("location_id")), None
                )
                if location is not None:
                    locations.append(self.fixed(location, sal["id"]))
            areas = self.many("service_area", "service_id", s["id"])
            loose = self.many("schedule", "service_id", s["id"])
            for index, area in enumerate(areas or ([{}] if loose else [])):
                mobile: dict[str, Any] = {"kind": "mobile"}
                if area.get("name"):
                    mobile["name"] = self.text(area["name"])
                if area.get("description"):
                    mobile["description"] = self.text(area["description"])
                if index == 0:
                    self.schedules(mobile, loose)
                locations.append(mobile)
        if locations:
            entry["locations"] = locations
        closures = self.closures(entry_id, service.get("alert"), review)
        if closures:
            entry["closures"] = closures
        assured = service.get("assured_date")
        if assured:
            entry["assured_date"] = _day(assured)
            by = [
                m["updated_by"]
                for m in self.many("metadata", "resource_id", service["id"])
                if m.get("field_name") == "assured_date" and m.get("updated_by")
            ]
            entry["assurer"] = by[0] if by else service.get("assurer_email") or "HSDS import"
        entry["needs_review"] = review
        return entry

    def attribute(
        self,
        entry_id: str,
        attribute: dict[str, Any],
        categories: list[str],
        welcome: list[str],
        review: list[str],
    ) -> None:
        from .vocabulary import CATEGORIES, WELCOME

        term = self.terms.get(attribute.get("taxonomy_term_id", ""))
        code = str(term.get("code") or term.get("name")) if term else str(attribute.get("value"))
        if code.startswith("translation:"):
            return
        if code in CATEGORIES:
            categories.append(code)
        elif code.startswith("welcome:") and code[8:] in WELCOME:
            welcome.append(code[8:])
        else:
            taxonomy = (
                term.get("taxonomy") if term else attribute.get("link_type")
            ) or "no taxonomy"
            review.append(
                f"HSDS term '{code}' ({taxonomy}) has no calais-guide category: choose one"
            )
            self.warnings.append(f"{entry_id}: unknown term '{code}' ({taxonomy})")

    def phone(self, phone: dict[str, Any], entry_id: str, review: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"number": phone["number"]}
        parts = [p for p in str(phone.get("description") or "").split(" · ") if p]
        kind = {"voice": "voice", "cell": "cell", "text": "sms"}.get(phone.get("type") or "voice")
        if kind is None:
            review.append(f"phone {phone['number']}: HSDS type '{phone.get('type')}': check it")
            self.warnings.append(f"{entry_id}: phone type '{phone.get('type')}' read as voice")
            kind = "voice"
        if parts and parts[0] in _APPS and kind == "cell":
            kind = _APPS[parts.pop(0)]
        if kind != "voice":
            out["type"] = kind
        if parts and parts[0] == "24/7":
            parts.pop(0)
            out["available_24_7"] = True
        if parts:
            out["label"] = self.text(" · ".join(parts))
        spoken = [
            lang["code"]
            for lang in self.many("language", "phone_id", phone["id"])
            if lang.get("code")
        ]
        if spoken:
            out["languages"] = spoken
        return out

    def fixed(self, location: dict[str, Any], sal_id: str) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": "fixed"}
        if location.get("name"):
            out["name"] = self.text(location["name"])
        addresses = self.many("address", "location_id", location["id"])
        if addresses:
            a = addresses[0]
            out["address"] = {
                "street": a.get("address_1"),
                "postal_code": a.get("postal_code"),
                "city": a.get("city"),
            }
        if location.get("description"):
            out["description"] = self.text(location["description"])
        for key in ("latitude", "longitude"):
            if location.get(key) is not None:
                out[key] = location[key]
        self.schedules(out, self.many("schedule", "service_at_location_id", sal_id))
        return out

    def schedules(self, out: dict[str, Any], schedules: list[dict[str, Any]]) -> None:
        weekly, exceptions = [], []
        for s in schedules:
            if s.get("freq") == "WEEKLY" and s.get("byday"):
                slot: dict[str, Any] = {
                    "byday": [
                        _DAYS_BACK[d.strip()]
                        for d in s["byday"].split(",")
                        if d.strip() in _DAYS_BACK
                    ],
                    "opens_at": _hhmm(s.get("opens_at")),
                    "closes_at": _hhmm(s.get("closes_at")),
                }
                for key in ("valid_from", "valid_to"):
                    if s.get(key):
                        slot[key] = _day(s[key])
                if s.get("description"):
                    slot["description"] = self.text(s["description"])
                weekly.append(slot)
            elif s.get("valid_from"):
                exception: dict[str, Any] = {"valid_from": _day(s["valid_from"])}
                if s.get("valid_to") and s["valid_to"] != s["valid_from"]:
                    exception["valid_to"] = _day(s["valid_to"])
                if s.get("opens_at") and s.get("closes_at"):
                    exception["closed"] = False
                    exception["opens_at"] = _hhmm(s["opens_at"])
                    exception["closes_at"] = _hhmm(s["closes_at"])
                if s.get("description"):
                    exception["note"] = self.text(s["description"])
                exceptions.append(exception)
        if weekly:
            out["schedules"] = weekly
        if exceptions:
            out["exceptions"] = exceptions

    def closures(self, entry_id: str, alert: str | None, review: list[str]) -> list[dict[str, Any]]:
        closures = []
        for line in (alert or "").splitlines():
            match = _ALERT_LINE.match(line.strip())
            if not match:
                if line.strip():
                    review.append(f"HSDS alert not read as a dated closure: {line.strip()}")
                    self.warnings.append(f"{entry_id}: alert line without dates kept for review")
                continue
            closure: dict[str, Any] = {"valid_from": _day(match[1])}
            if match[2] != "..":
                closure["valid_to"] = _day(match[2])
            if match[3]:
                closure["alert"] = self.text(match[3])
            closures.append(closure)
        return closures


def entries_from(
    data: dict[str, list[dict[str, Any]]], lang: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """Entry data (one per organization) from HSDS tables, texts as ``lang``,
    and the warnings (unknown terms, folded services...)."""
    importer = _Import(data, lang)
    return importer.entries(), importer.warnings


def entry_yaml(entry: dict[str, Any], header: str) -> str:
    """An entry file's text (times and ids quoted so that no YAML reader misreads them)."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    def quote(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: quote(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [quote(v) for v in value]
        if isinstance(value, str) and re.fullmatch(r"[\d:+ ]+", value):
            return DoubleQuotedScalarString(value)
        if isinstance(value, str) and "\n" in value:
            return LiteralScalarString(value)
        return value

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    buffer.write(f"# {header}\n")
    yaml.dump(quote(entry), buffer)
    return buffer.getvalue()


def import_guide(folder: Path, target: Path, lang: str) -> tuple[int, list[str]]:
    """Read the HSDS JSON export in ``folder`` and write a new guide in
    ``target`` (missing or empty): edition.yaml + one entry file per
    organization. All or nothing: the files are written in a private folder
    beside ``target``, checked with the validator, then moved in place.
    Returns (entries written, warnings)."""
    import shutil
    import tempfile

    from .errors import DataError, UsageError
    from .fileio import os_errors, write_text
    from .validate import validate

    with os_errors(target, "create the guide in"):
        if target.exists() and not target.is_dir():
            raise UsageError(
                tr("{target} is a file: choose a new folder for --entries", target=target)
            )
        if target.exists() and any(target.iterdir()):
            raise UsageError(
                tr(
                    "{target} exists and is not empty: choose a new folder for --entries",
                    target=target,
                )
            )
    data = read_json(folder)
    entries, warnings = entries_from(data, lang)
    dates = [e["assured_date"] for e in entries if e.get("assured_date")]
    month = max(dates) if dates else dt.date.today()
    edition = {
        "edition": f"{month:%Y-%m}",
        "title": {lang: f"{folder.resolve().name} (HSDS)"},
        "languages": [lang],
        "order": [e["id"] for e in entries],
    }
    with os_errors(target, "create the guide in"):
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        write_text(
            work / "edition.yaml",
            entry_yaml(edition, f"Guide imported from HSDS data in {folder}."),
        )
        for entry in entries:
            header = f"{entry['name']}: imported from HSDS data; check it (needs_review)."
            write_text(work / f"{entry['id']}.yaml", entry_yaml(entry, header))
        report = validate(work)
        if report.errors:
            problems = [
                dataclasses.replace(p, file=target / p.file.name) if p.file else p
                for p in report.errors
            ]
            raise DataError(problems, target)
        with os_errors(target, "create the guide in"):
            if target.exists():
                target.rmdir()
            work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return len(entries), warnings


if __name__ == "__main__":
    print(write_taxonomy())
