"""The rules a guide must follow, beyond what loading already checks.

:func:`validate` loads a database and returns every problem found, loading
problems (syntax, duplicate keys, unknown fields, types) and rule problems
alike, each with file, line, field and what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import languages
from .cli_text import tr
from .contacts import is_email, parse_phone, url_problem
from .errors import Problem
from .load import EDITION_FILE, RESERVED_IDS, read_database
from .model import (
    SUMMARY_MAX,
    Database,
    Edition,
    Entry,
    Localized,
    Location,
    Schedule,
    ScheduleException,
    line_of,
    stale_hint,
    stale_reason,
    translation_state,
)
from .vocabulary import CATEGORIES, WELCOME

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
POSTAL_CODE = re.compile(r"^\d{5}$")
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")
"""Image files an entry's ``logo`` may be."""
SOURCE_LANGUAGE = "fr"
"""Language every entry must be written in (the edition's working language)."""


@dataclass
class Report:
    """The result of validating a database."""

    root: Path
    """The database directory."""
    problems: list[Problem] = field(default_factory=list)
    """Every problem, in file order."""
    database: Database | None = None
    """The loaded database (None when the edition file is unusable)."""

    @property
    def errors(self) -> list[Problem]:
        """Problems that block."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that are listed but do not block (except with --strict)."""
        return [p for p in self.problems if p.severity == "warning"]

    def ok(self, strict: bool = False) -> bool:
        """True when nothing blocks (with ``strict``, warnings block too)."""
        return not self.errors and not (strict and self.warnings)


def problem_entry(p: Problem) -> str | None:
    """Id of the entry a problem is about (its file's name), None for the
    edition file or the database as a whole."""
    if p.file is None or p.file.suffix != ".yaml" or p.file.name == EDITION_FILE:
        return None
    return p.file.stem


def problem_to_data(p: Problem) -> dict[str, Any]:
    """A problem as JSON data: ``{"code", "severity", "message", "hint", "entry",
    "field", "file", "line"}`` (the same names as a finding of ``edition check``)."""
    return {
        "code": p.code,
        "severity": p.severity,
        "message": p.message,
        "hint": p.hint,
        "entry": problem_entry(p),
        "field": p.field,
        "file": str(p.file) if p.file else None,
        "line": p.line,
    }


def report_to_json(report: Report, strict: bool = False) -> str:
    """The ``validate --format json`` document (documented in the README)::

        {"format": "calais-guide validate", "version": 1, "root": str,
         "entries": int, "strict": bool, "ok": bool,
         "counts": {"errors": int, "warnings": int},
         "problems": [{"code", "severity": "error"|"warning", "message", "hint",
                       "entry", "field", "file", "line"}]}

    Sorted keys, problems in file order; ``ok`` is the exit status (0 when true).
    """
    from .editions.snapshot import stable_json

    data = {
        "format": "calais-guide validate",
        "version": 1,
        "root": str(report.root),
        "entries": len(report.database.entries) if report.database else 0,
        "strict": strict,
        "ok": report.ok(strict),
        "counts": {"errors": len(report.errors), "warnings": len(report.warnings)},
        "problems": [problem_to_data(p) for p in report.problems],
    }
    return stable_json(data)


def validate(root: Path, overrides: Mapping[str, str] | None = None) -> Report:
    """Load the database at ``root`` and check every rule; never raises on bad data.

    ``overrides``: file name -> new content, read instead of that file (see
    :func:`check_changes`).
    """
    database, problems = read_database(root, dict(overrides or {}))
    report = Report(root=root, problems=problems, database=database)
    if database is not None:
        report.problems.extend(check_database(database))
    if overrides is None:
        report.problems.extend(check_snapshots(root))
    report.problems.sort(key=lambda p: (str(p.file or ""), p.line or 0))
    return report


def printable_database(root: Path) -> Database:
    """The database at ``root``, loaded and validated, for an output to be
    made from: DataError listing every error if it has any (nothing is ever
    printed or exported from invalid data; warnings such as "not re-checked"
    do not block)."""
    report = validate(root)
    if report.database is None or report.errors:
        from .errors import DataError

        raise DataError(report.errors or report.problems, root)
    return report.database


def check_changes(root: Path, new_texts: Mapping[Path, str]) -> list[Problem]:
    """The errors the database at ``root`` would gain if each file of
    ``new_texts`` held its new text (a new name: a new file).

    The one check every writing command runs before it writes: against the
    real database (its ``assets/``, its other entries, its edition file), the
    changed files read from memory, nothing copied. Errors the database
    already had are not counted against the change.
    """

    def key(p: Problem) -> tuple[str, str, str]:
        return (p.file.name if p.file else "", p.field or "", p.message)

    overrides = {path.name: text for path, text in new_texts.items()}
    after = validate(root, overrides).errors
    if not after:
        return []
    before = {key(p) for p in validate(root, {}).errors}
    return [p for p in after if key(p) not in before]


def check_snapshots(root: Path) -> list[Problem]:
    """Problems of the snapshots in ``root/editions/``: each one is read as the
    commands that use it read it (size and nesting limits, every field)."""
    from .editions.snapshot import snapshot_problems, snapshots

    found: list[Problem] = []
    for _, path in snapshots(root):
        found.extend(snapshot_problems(path, root))
    return found


def check_database(db: Database) -> list[Problem]:
    """Every rule over a loaded database."""
    checker = _Checker(db)
    checker.edition(db.edition)
    for entry in db.entries:
        checker.entry(entry)
    checker.across()
    from .glyphs import check_database as check_glyphs

    return checker.problems + check_glyphs(db)


class _Checker:
    def __init__(self, db: Database):
        self.db = db
        self.problems: list[Problem] = []
        self.registry = languages.registry()
        self.region = db.edition.country

    # -- helpers -----------------------------------------------------------
    def error(
        self, where: Entry | Edition, fld: str, message: str, hint: str, *, code: str
    ) -> None:
        self.problems.append(Problem(where.path, _line(where, fld), fld, message, hint, code=code))

    def warn(self, where: Entry | Edition, fld: str, message: str, hint: str, *, code: str) -> None:
        self.problems.append(
            Problem(where.path, _line(where, fld), fld, message, hint, "warning", code=code)
        )

    def localized(self, where: Entry | Edition, fld: str, texts: Localized) -> None:
        for code, text in texts.items():
            path = f"{fld}.{code}"
            if code not in self.registry:
                self.error(
                    where,
                    path,
                    tr("unknown language code '{code}'", code=code),
                    tr("use one of: {values}", values=", ".join(self.registry)),
                    code="unknown-language",
                )
                continue
            if text.status == "original":
                if text.source or text.source_hash:
                    self.error(
                        where,
                        path,
                        tr("an original text has 'from'/'source_hash'"),
                        tr("remove them, or set 'status: draft' if this is a translation"),
                        code="original-with-source",
                    )
                continue
            why = stale_reason(texts, code)
            if why is not None:
                self.warn(
                    where,
                    path,
                    tr("stale translation: {why}", why=why),
                    stale_hint(texts, code),
                    code="stale-translation",
                )

    def url(self, where: Entry | Edition, fld: str, url: str) -> None:
        why = url_problem(url)
        if why:
            self.error(
                where,
                fld,
                tr("web address '{url}' {why}", url=url, why=why),
                tr("write a full https:// address"),
                code="invalid-url",
            )

    def phone(self, where: Entry | Edition, fld: str, number: str) -> None:
        if parse_phone(number, self.region) is None:
            self.error(
                where,
                fld,
                tr("'{number}' is not a valid phone number", number=number),
                tr(
                    "check the digits with the association; write French numbers as '03 21 "
                    "00 00 00' and others with their country code ('+44 ...')"
                ),
                code="invalid-phone",
            )

    def language_code(self, where: Entry | Edition, fld: str, code: str) -> None:
        if code in self.registry:
            return
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            self.error(
                where,
                fld,
                tr("unknown language code '{code}'", code=code),
                tr("use an ISO 639 code such as fr, en, ar, fa, ps, ckb, ti, am, ur"),
                code="unknown-language",
            )

    # -- the edition -------------------------------------------------------
    def edition(self, ed: Edition) -> None:
        self.localized(ed, "title", ed.title)
        self.localized(ed, "intro", ed.intro)
        if SOURCE_LANGUAGE not in ed.title:
            self.error(
                ed,
                "title",
                tr("the edition has no French title"),
                tr("add 'title: {{fr: ...}}'"),
                code="missing-french",
            )
        for i, code in enumerate(ed.languages):
            if code not in self.registry:
                self.error(
                    ed,
                    f"languages[{i}]",
                    tr("'{code}' is not a language the guide can print", code=code),
                    tr("use one of: {values}", values=", ".join(self.registry)),
                    code="unknown-language",
                )
        seen: set[str] = set()
        # A file that exists but failed to load is reported on its own.
        ids = {e.id for e in self.db.entries} | {p.stem for p in self.db.root.glob("*.yaml")}
        for i, entry_id in enumerate(ed.order):
            if entry_id in seen:
                self.error(
                    ed,
                    f"order[{i}]",
                    tr("'{entry_id}' is listed twice", entry_id=entry_id),
                    tr("keep one"),
                    code="duplicate-value",
                )
            seen.add(entry_id)
            if entry_id not in ids:
                self.error(
                    ed,
                    f"order[{i}]",
                    tr("no entry '{entry_id}' (no file {entry_id}.yaml)", entry_id=entry_id),
                    tr("remove it from 'order' or fix the id"),
                    code="unknown-entry",
                )
        for i, number in enumerate(ed.emergency_numbers):
            self.phone(ed, f"emergency_numbers[{i}].number", number.number)
            self.localized(ed, f"emergency_numbers[{i}].label", number.label)
            if number.category is not None:
                self._category(ed, f"emergency_numbers[{i}].category", number.category)
        for i, cat in enumerate(ed.card_categories):
            self._category(ed, f"card_categories[{i}]", cat)
        if ed.website:
            self.url(ed, "website", ed.website)

    def _category(self, where: Entry | Edition, fld: str, cat: str) -> None:
        if cat not in CATEGORIES:
            import difflib

            close = difflib.get_close_matches(cat, list(CATEGORIES), 1)
            extra = tr(" (did you mean '{close}'?)", close=close[0]) if close else ""
            self.error(
                where,
                fld,
                tr("unknown category '{cat}'{extra}", cat=cat, extra=extra),
                tr("use one of: {values}", values=", ".join(CATEGORIES)),
                code="unknown-category",
            )

    # -- one entry ---------------------------------------------------------
    def entry(self, e: Entry) -> None:
        assert e.path is not None
        if not SLUG.match(e.id):
            self.error(
                e,
                "id",
                tr("id '{id}' is not a slug", id=e.id),
                tr("use lower-case letters, digits and single hyphens, e.g. 'utopia-56'"),
                code="invalid-id",
            )
        if e.id in RESERVED_IDS:
            self.error(
                e,
                "id",
                tr("id '{id}' is reserved", id=e.id),
                tr("choose another id"),
                code="invalid-id",
            )
        if e.id != e.path.stem:
            self.error(
                e,
                "id",
                tr("id '{id}' differs from the file name '{name}'", id=e.id, name=e.path.name),
                tr("rename the file to {id}.yaml or set 'id: {stem}'", id=e.id, stem=e.path.stem),
                code="invalid-id",
            )
        if e.parent is not None:
            if e.parent == e.id:
                self.error(
                    e,
                    "parent",
                    tr("an entry cannot be its own parent"),
                    tr("remove 'parent'"),
                    code="parent-cycle",
                )
            elif self.db.get(e.parent) is None:
                self.error(
                    e,
                    "parent",
                    tr("parent '{parent}' does not exist", parent=e.parent),
                    tr("write the id of an existing entry (its file name without .yaml)"),
                    code="unknown-parent",
                )
        for i, cat in enumerate(e.categories):
            self._category(e, f"categories[{i}]", cat)
        self._duplicates(e, "categories", e.categories)
        for i, who in enumerate(e.welcome):
            if who not in WELCOME:
                self.error(
                    e,
                    f"welcome[{i}]",
                    tr("unknown value '{who}'", who=who),
                    tr("use one of: {values}", values=", ".join(WELCOME)),
                    code="unknown-welcome",
                )
        self._texts(e)
        for i, spoken in enumerate(e.languages):
            self.language_code(e, f"languages[{i}].code", spoken.code)
        for i, phone in enumerate(e.phones):
            self.phone(e, f"phones[{i}].number", phone.number)
            self.localized(e, f"phones[{i}].label", phone.label)
            for j, code in enumerate(phone.languages):
                self.language_code(e, f"phones[{i}].languages[{j}]", code)
        for i, email in enumerate(e.emails):
            if not is_email(email.address):
                self.error(
                    e,
                    f"emails[{i}].address",
                    tr("'{address}' is not a valid e-mail address", address=email.address),
                    tr("write it as name@domain.org"),
                    code="invalid-email",
                )
            self.localized(e, f"emails[{i}].label", email.label)
        for i, url in enumerate(e.websites):
            self.url(e, f"websites[{i}]", url)
        for i, link in enumerate(e.social):
            self.url(e, f"social[{i}].url", link.url)
        if e.logo is not None:
            self._logo(e, e.logo)
        for i, loc in enumerate(e.locations):
            self._location(e, f"locations[{i}]", loc)
        for i, closure in enumerate(e.closures):
            fld = f"closures[{i}]"
            if closure.valid_to and closure.valid_to < closure.valid_from:
                self.error(
                    e,
                    f"{fld}.valid_to",
                    tr("the closure ends before it starts"),
                    tr("check valid_from and valid_to"),
                    code="invalid-dates",
                )
            self.localized(e, f"{fld}.alert", closure.alert)
        if e.status == "temporarily-closed" and not e.closures:
            self.warn(
                e,
                "status",
                tr("temporarily closed, but no dated closure says until when"),
                tr("use 'calais-guide close ID --from DATE --until DATE --reason TEXT'"),
                code="closure-undated",
            )
        self._verification(e)
        for i, item in enumerate(e.needs_review):
            self.warn(
                e,
                f"needs_review[{i}]",
                tr("needs review: {item}", item=item),
                tr("settle it, then remove the line"),
                code="needs-review",
            )

    def _logo(self, e: Entry, logo: str) -> None:
        # The booklet is built offline and its renderer reads nothing outside
        # the project: a logo is a file in the database's assets/ folder.
        assets = self.db.root / "assets"
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", logo):
            self.error(
                e,
                "logo",
                tr(
                    "logo '{logo}' is a web address; the booklet is printed offline and "
                    "never fetches anything",
                    logo=logo,
                ),
                tr(
                    "download the image once, save it in {assets} and write its file name",
                    assets=assets,
                ),
                code="invalid-logo",
            )
            return
        path = Path(logo)
        if path.is_absolute() or ".." in path.parts:
            self.error(
                e,
                "logo",
                tr("logo '{logo}' is outside the assets/ folder", logo=logo),
                tr("write a file name relative to assets/, e.g. 'utopia-56.png'"),
                code="invalid-logo",
            )
            return
        if path.suffix.lower() not in LOGO_TYPES:
            self.error(
                e,
                "logo",
                tr("logo '{logo}' is not a PNG, JPEG or SVG image", logo=logo),
                tr("convert it to PNG or SVG"),
                code="invalid-logo",
            )
        elif not (assets / path).is_file():
            self.error(
                e,
                "logo",
                tr("logo file '{logo}' not found in {assets}", logo=logo, assets=assets),
                tr("put the image there, or fix the file name"),
                code="invalid-logo",
            )
        else:
            from .images import logo_problem

            problem = logo_problem(assets / path)
            if problem is not None:
                self.error(
                    e,
                    "logo",
                    tr("logo '{logo}' cannot be printed: {problem}", logo=logo, problem=problem),
                    tr("replace the file in assets/ with a plain PNG or SVG, or remove 'logo'"),
                    code="invalid-logo",
                )

    def _duplicates(self, e: Entry, fld: str, values: Iterable[str]) -> None:
        seen: set[str] = set()
        for i, value in enumerate(values):
            if value in seen:
                self.error(
                    e,
                    f"{fld}[{i}]",
                    tr("'{value}' is listed twice", value=value),
                    tr("keep one"),
                    code="duplicate-value",
                )
            seen.add(value)

    def _texts(self, e: Entry) -> None:
        self.localized(e, "summary", e.summary)
        self.localized(e, "description", e.description)
        if SOURCE_LANGUAGE not in e.summary:
            self.error(
                e,
                "summary",
                tr("no French summary"),
                tr("every entry needs 'summary: {{fr: ...}}', a one-line French description"),
                code="missing-french",
            )
        if SOURCE_LANGUAGE not in e.description:
            self.warn(
                e,
                "description",
                tr("no French description: the booklet will show only the summary"),
                tr("add 'description: {{fr: ...}}'"),
                code="no-french-description",
            )
        for code, text in e.summary.items():
            if len(text.text) > SUMMARY_MAX:
                self.error(
                    e,
                    f"summary.{code}",
                    tr(
                        "summary is {count} characters, over the {summary_max} limit",
                        count=len(text.text),
                        summary_max=SUMMARY_MAX,
                    ),
                    tr(
                        "shorten it by {value}: it must fit one card line",
                        value=len(text.text) - SUMMARY_MAX,
                    ),
                    code="summary-too-long",
                )
            if "\n" in text.text:
                self.error(
                    e,
                    f"summary.{code}",
                    tr("summary spans several lines"),
                    tr("write it on one line"),
                    code="summary-multiline",
                )
        for fld, texts in (("summary", e.summary), ("description", e.description)):
            missing = [
                c for c in self.db.edition.languages if translation_state(texts, c) == "missing"
            ]
            drafts = [c for c in texts if translation_state(texts, c) == "draft"]
            if missing and SOURCE_LANGUAGE in texts:
                self.warn(
                    e,
                    fld,
                    tr(
                        "{fld} missing in {missing} (print falls back to another language)",
                        fld=fld,
                        missing=", ".join(missing),
                    ),
                    tr("add a translation or run 'calais-guide translations export'"),
                    code="missing-translation",
                )
            if drafts:
                self.warn(
                    e,
                    fld,
                    tr(
                        "{fld} is a draft translation in {drafts} (printed as not reviewed)",
                        fld=fld,
                        drafts=", ".join(drafts),
                    ),
                    tr("have a reader of the language review it, then set 'status: reviewed'"),
                    code="draft-translation",
                )

    def _location(self, e: Entry, fld: str, loc: Location) -> None:
        self.localized(e, f"{fld}.name", loc.name)
        self.localized(e, f"{fld}.description", loc.description)
        if loc.kind == "fixed":
            if loc.address is None:
                self.error(
                    e,
                    f"{fld}.address",
                    tr("a fixed place needs an address"),
                    tr(
                        "add 'address: {{street: ..., postal_code: ..., city: ...}}', or use "
                        "'kind: mobile' for outreach without a fixed place"
                    ),
                    code="missing-address",
                )
            elif not loc.address.street:
                self.warn(
                    e,
                    f"{fld}.address.street",
                    tr("the address has no street"),
                    tr("ask the association for the street and number"),
                    code="no-street",
                )
        if loc.kind == "confidential" and loc.address is not None:
            self.error(
                e,
                f"{fld}.address",
                tr("a confidential place must not have its address in the data"),
                tr("remove the address: it would be printed; people ask by phone"),
                code="confidential-address",
            )
        if loc.kind == "mobile" and not loc.description and not loc.name:
            self.warn(
                e,
                fld,
                tr("a mobile service without a description of where it goes"),
                tr("add 'description: {{fr: ...}}' (e.g. which living sites)"),
                code="mobile-undescribed",
            )
        if (
            loc.address
            and loc.address.postal_code
            and not POSTAL_CODE.match(loc.address.postal_code)
        ):
            self.error(
                e,
                f"{fld}.address.postal_code",
                tr(
                    "'{postal_code}' is not a French postal code",
                    postal_code=loc.address.postal_code,
                ),
                tr('write five digits in quotes, e.g. "62100"'),
                code="invalid-postal-code",
            )
        if loc.latitude is not None and not -90 <= loc.latitude <= 90:
            self.error(
                e,
                f"{fld}.latitude",
                tr("latitude out of range"),
                tr("write degrees, -90 to 90"),
                code="invalid-coordinates",
            )
        if loc.longitude is not None and not -180 <= loc.longitude <= 180:
            self.error(
                e,
                f"{fld}.longitude",
                tr("longitude out of range"),
                tr("write degrees, -180 to 180"),
                code="invalid-coordinates",
            )
        for i, sched in enumerate(loc.schedules):
            self._schedule(e, f"{fld}.schedules[{i}]", sched)
        for i, exc in enumerate(loc.exceptions):
            self._exception(e, f"{fld}.exceptions[{i}]", exc)

    def _schedule(self, e: Entry, fld: str, s: Schedule) -> None:
        if not s.byday:
            self.error(
                e,
                f"{fld}.byday",
                tr("no days given"),
                tr("list days, e.g. [mo, we, fr]"),
                code="no-days",
            )
        self._duplicates(e, f"{fld}.byday", s.byday)
        if s.closes_at <= s.opens_at:
            self.error(
                e,
                f"{fld}.closes_at",
                tr(
                    "closes at {closes_at}, not after it opens ({opens_at})",
                    closes_at=format(s.closes_at, "%H:%M"),
                    opens_at=format(s.opens_at, "%H:%M"),
                ),
                tr("check the hours (24 h clock: 2 pm is 14:00)"),
                code="invalid-hours",
            )
        if s.valid_from and s.valid_to and s.valid_to < s.valid_from:
            self.error(
                e,
                f"{fld}.valid_to",
                tr("valid_to is before valid_from"),
                tr("check the two dates"),
                code="invalid-dates",
            )
        self.localized(e, f"{fld}.description", s.description)

    def _exception(self, e: Entry, fld: str, x: ScheduleException) -> None:
        if x.valid_to and x.valid_to < x.valid_from:
            self.error(
                e,
                f"{fld}.valid_to",
                tr("valid_to is before valid_from"),
                tr("check the two dates"),
                code="invalid-dates",
            )
        has_hours = x.opens_at is not None or x.closes_at is not None
        if x.closed and has_hours:
            self.error(
                e,
                f"{fld}.closed",
                tr("a closed day cannot have opening hours"),
                tr("remove opens_at/closes_at, or set 'closed: false' for special hours"),
                code="invalid-hours",
            )
        if not x.closed:
            if x.opens_at is None or x.closes_at is None:
                self.error(
                    e,
                    f"{fld}.opens_at",
                    tr("special hours need both opens_at and closes_at"),
                    tr("add both, or set 'closed: true'"),
                    code="invalid-hours",
                )
            elif x.closes_at <= x.opens_at:
                self.error(
                    e,
                    f"{fld}.closes_at",
                    tr("closes before it opens"),
                    tr("check the hours (24 h clock)"),
                    code="invalid-hours",
                )
        self.localized(e, f"{fld}.note", x.note)

    def _verification(self, e: Entry) -> None:
        window = self.db.edition.verification_window_days
        if not self.db.edition.valid_month:
            return  # reported when loading
        edition_date = self.db.edition.date
        if e.assured_date is None:
            self.warn(
                e,
                "assured_date",
                tr("never verified by a person"),
                tr("phone the association, then run 'calais-guide verify ID --by NAME'"),
                code="not-verified",
            )
        elif e.assured_date < edition_date - dt.timedelta(days=window):
            self.warn(
                e,
                "assured_date",
                tr(
                    "last verified {assured_date}, more than {window} days before the "
                    "{edition} edition",
                    assured_date=e.assured_date.isoformat(),
                    window=window,
                    edition=self.db.edition.edition,
                ),
                tr("phone the association, then run 'calais-guide verify ID --by NAME'"),
                code="not-verified",
            )
        elif e.assured_date > dt.date.today():
            self.error(
                e,
                "assured_date",
                tr(
                    "verified on {assured_date}, a date in the future",
                    assured_date=e.assured_date.isoformat(),
                ),
                tr("write the day the check was made"),
                code="verified-in-future",
            )

    # -- across entries ------------------------------------------------------
    def across(self) -> None:
        seen: dict[str, Entry] = {}
        for e in self.db.entries:
            if e.id in seen:
                self.error(
                    e,
                    "id",
                    tr("id '{id}' is also used by {path}", id=e.id, path=seen[e.id].path),
                    tr("give each entry its own id"),
                    code="duplicate-id",
                )
            seen[e.id] = e
        # Parent cycles (a -> b -> a) would loop forever when printing.
        for e in self.db.entries:
            chain = [e.id]
            current = e
            while current.parent and (nxt := self.db.get(current.parent)) is not None:
                if nxt.id in chain:
                    self.error(
                        e,
                        "parent",
                        tr("parent cycle: {values}", values=" -> ".join([*chain, nxt.id])),
                        tr("a project's parent must be a top-level association"),
                        code="parent-cycle",
                    )
                    break
                chain.append(nxt.id)
                current = nxt


def _line(where: Entry | Edition, fld: str) -> int | None:
    return line_of(where.lines, fld)
