"""Everything that should stop a print run, in one report of blockers and warnings.

Each kind of check is a :class:`Section` in :data:`SECTIONS`; ``build`` calls
:func:`check` before rendering and refuses to print on blockers.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from calais_guide.cli_text import tr, tr_noop, tr_text
from calais_guide.editions.snapshot import latest_snapshot, snapshot_to_database, stable_json
from calais_guide.errors import Problem, UsageError
from calais_guide.load import EDITION_FILE
from calais_guide.model import Database, stale_hint, stale_reason
from calais_guide.paths import entries_args
from calais_guide.translations import EDITION_OWNER
from calais_guide.validate import Report

if TYPE_CHECKING:
    from rich.console import Console

    from calais_guide.translations import StatusReport, Unit

Severity = Literal["blocker", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing the coordinator must know before printing."""

    message: str
    """What is wrong, in one line."""
    entry: str | None = None
    """Entry id it is about (None: the edition, or several entries)."""
    field: str | None = None
    """Field path, where it applies."""
    lang: str | None = None
    """Language it is about, where it applies."""
    file: Path | None = None
    """File to open."""
    line: int | None = None
    """Line in that file."""
    hint: str | None = None
    """What to do."""
    entries: tuple[str, ...] = ()
    """For a summary finding (one per language), the entries concerned."""


@dataclass
class CheckContext:
    """What a check section gets to look at."""

    root: Path
    """The database directory."""
    database: Database | None
    """The loaded current data; None only when it cannot be loaded, and then
    only sections with ``needs_database=False`` run."""
    langs: list[str]
    """Languages of the print run being checked."""
    previous: Database | None
    """The last published edition before this one (its snapshot), if any."""
    validation: Report
    """The result of :func:`calais_guide.validate.validate` on ``root``."""

    @property
    def db(self) -> Database:
        """The loaded data (for sections that need it)."""
        assert self.database is not None, "section run without data"
        return self.database

    @functools.cached_property
    def translation_status(self) -> StatusReport:
        """Translation state of every text in the print run's languages."""
        from calais_guide.translations import status

        return status(self.db, self.langs)


@dataclass(frozen=True)
class Section:
    """One kind of check, pluggable: a name, a default severity and a function."""

    kind: str
    """Stable id, used by ``--allow`` and in JSON (``not-verified``)."""
    title: str
    """Heading in the report."""
    severity: Severity
    """Default severity of its findings."""
    run: Callable[[CheckContext], Iterable[Finding]]
    """Produces the findings."""
    allowable: bool = True
    """Whether ``--allow KIND`` may turn its blockers into warnings."""
    needs_database: bool = True
    """False for a section that still runs when the data cannot be loaded."""


@dataclass(frozen=True)
class SectionResult:
    """A section's findings, with the severity they were given."""

    kind: str
    """The section's :attr:`Section.kind`."""
    title: str
    """Its heading."""
    severity: Severity
    """Severity given to its findings in this run (after ``--allow`` and ``--strict``)."""
    findings: list[Finding]
    """What it found (empty: nothing to report)."""
    allowed: bool = False
    """True when a blocker section was downgraded by ``--allow``."""
    allowable: bool = True
    """Whether ``--allow`` could downgrade it."""


@dataclass
class CheckReport:
    """Everything that should stop (blockers) or give pause (warnings) before printing."""

    root: Path
    """The database checked."""
    edition: str | None
    """Edition month checked (None if the edition file cannot be read)."""
    langs: list[str]
    """Languages of the print run checked."""
    previous: str | None
    """Month of the previous (published) edition, if any."""
    verified_since: dt.date | None
    """Entries verified before this day are reported as not re-checked (in
    addition to those unchanged since the previous edition)."""
    sections: list[SectionResult]
    """Every section that ran, in report order (empty ones included)."""
    database: Database | None = None
    """The data checked (None if it cannot be loaded), for ``build`` to render."""

    @property
    def blockers(self) -> list[Finding]:
        """Findings that stop printing."""
        return [f for s in self.sections if s.severity == "blocker" for f in s.findings]

    @property
    def warnings(self) -> list[Finding]:
        """Findings listed but not blocking."""
        return [f for s in self.sections if s.severity == "warning" for f in s.findings]

    def findings(self, kind: str, severity: Severity) -> list[Finding]:
        """Findings of section ``kind`` when it was given ``severity`` in this run."""
        return [
            f
            for s in self.sections
            if s.kind == kind and s.severity == severity
            for f in s.findings
        ]

    @property
    def ok(self) -> bool:
        """True when nothing blocks printing."""
        return not self.blockers

    def entries(self, kind: str) -> list[str]:
        """Ids of the entries with findings of ``kind`` (``build --allow-stale``
        marks the ``not-verified`` ones in print)."""
        ids: dict[str, None] = {}
        for s in self.sections:
            if s.kind == kind:
                for f in s.findings:
                    for entry_id in (f.entry, *f.entries):
                        if entry_id:
                            ids.setdefault(entry_id, None)
        return list(ids)


def _problem_finding(p: Problem) -> Finding:
    is_entry = p.file is not None and p.file.suffix == ".yaml" and p.file.name != EDITION_FILE
    entry = p.file.stem if p.file is not None and is_entry else None
    return Finding(p.message, entry, p.field, None, p.file, p.line, p.hint)


def _section_invalid(ctx: CheckContext) -> Iterator[Finding]:
    # validate() includes the glyph problems; they get their own section.
    for p in ctx.validation.errors:
        if p.code != "undrawable":
            yield _problem_finding(p)


def _section_glyphs(ctx: CheckContext) -> Iterator[Finding]:
    for p in ctx.validation.errors:
        if p.code == "undrawable":
            yield _problem_finding(p)


def verification_threshold(db: Database, previous: Database | None) -> dt.date:
    """Entries verified before this day count as not re-checked: the first day
    of the previous edition's month, or, with no previous edition, the
    edition's verification window (``verification_window_days``)."""
    if previous is not None:
        return previous.edition.date
    return db.edition.date - dt.timedelta(days=db.edition.verification_window_days)


VERIFY_HINT = tr_noop(
    "phone each association, then run 'calais-guide verify ID --by NAME{entries}'"
)
"""What settles a ``not-verified`` finding (``{entries}``: see :func:`entries_args`)."""


def _section_not_verified(ctx: CheckContext) -> Iterator[Finding]:
    db, previous = ctx.db, ctx.previous
    since = verification_threshold(db, previous)
    for e in db.entries:
        before = previous.get(e.id) if previous is not None else None
        if e.assured_date is None:
            why = tr("never verified by a person")
        elif (
            before is not None
            and before.assured_date is not None
            and e.assured_date <= before.assured_date
        ):
            # Same date as in the published edition: nobody called them since.
            assert previous is not None
            why = tr(
                "last verified {day}, as in the {month} edition",
                day=e.assured_date.isoformat(),
                month=previous.edition.edition,
            )
        elif e.assured_date < since:
            why = tr(
                "last verified {day}, before {since}",
                day=e.assured_date.isoformat(),
                since=since.isoformat(),
            )
        else:
            continue
        yield Finding(
            why,
            e.id,
            "assured_date",
            None,
            e.path,
            e.line("assured_date") or 1,
            tr(VERIFY_HINT, entries=entries_args(ctx.root)),
        )


# -- translations: states from calais_guide.translations.status ---------------


def _status(ctx: CheckContext) -> StatusReport:
    return ctx.translation_status


def _per_language(
    ctx: CheckContext, items: Iterable[tuple[Unit, str]], what: str, hint: str
) -> Iterator[Finding]:
    """One summary finding per language: how many texts, which fields, which entries."""
    by_lang: dict[str, list[Unit]] = {}
    for unit, lang in items:
        by_lang.setdefault(lang, []).append(unit)
    for lang in ctx.langs:
        units = by_lang.get(lang)
        if not units:
            continue
        owners = list(dict.fromkeys(u.owner for u in units))
        fields = Counter(re.sub(r"\[\d+\]", "", u.field) for u in units)
        detail = ", ".join(f"{name} ×{n}" if n > 1 else name for name, n in fields.items())
        yield Finding(
            tr(what, count=len(units), files=len(owners), detail=detail),
            lang=lang,
            hint=hint,
            entries=tuple(o for o in owners if o != EDITION_OWNER),
        )


def _in_state(ctx: CheckContext, wanted: str) -> Iterator[tuple[Unit, str]]:
    for unit, states in _status(ctx).rows:
        for lang, st in states.items():
            if st == wanted:
                yield unit, lang


def _required_missing(ctx: CheckContext) -> list[tuple[Unit, str]]:
    """Texts the print run's languages need and lack (summaries, the title)."""
    from calais_guide.translations import PRINT_REQUIRED

    return [item for item in _in_state(ctx, "missing") if item[0].field in PRINT_REQUIRED]


def _section_missing(ctx: CheckContext) -> Iterator[Finding]:
    return _per_language(
        ctx,
        _required_missing(ctx),
        tr_noop("{count} untranslated text(s) in {files} file(s): {detail}"),
        tr(
            "translate them (a draft is fine: it is printed as not reviewed); until then they "
            "are printed in another language with a visible mark"
        ),
    )


def _section_fallback(ctx: CheckContext) -> Iterator[Finding]:
    required = {(u.context, lang) for u, lang in _required_missing(ctx)}
    return _per_language(
        ctx,
        (item for item in _in_state(ctx, "missing") if (item[0].context, item[1]) not in required),
        tr_noop("{count} untranslated text(s) in {files} file(s): {detail}"),
        tr("printed in another language with a visible mark; translate them when possible"),
    )


def _section_draft(ctx: CheckContext) -> Iterator[Finding]:
    return _per_language(
        ctx,
        _in_state(ctx, "draft"),
        tr_noop("{count} draft text(s) in {files} file(s): {detail}"),
        tr("have a reader of the language review them, then set 'status: reviewed'"),
    )


def _section_stale(ctx: CheckContext) -> Iterator[Finding]:
    for unit, lang in _in_state(ctx, "stale"):
        path = f"{unit.field}.{lang}"
        owner = ctx.db.get(unit.owner)
        yield Finding(
            stale_reason(unit.texts, lang) or tr("stale"),
            unit.owner if unit.owner != EDITION_OWNER else None,
            path,
            lang,
            unit.file,
            (owner.line(path) if owner else None) or unit.line,
            stale_hint(unit.texts, lang),
        )


def _section_needs_review(ctx: CheckContext) -> Iterator[Finding]:
    for e in ctx.db.entries:
        for i, item in enumerate(e.needs_review):
            fld = f"needs_review[{i}]"
            yield Finding(
                item, e.id, fld, None, e.path, e.line(fld), tr("settle it, then remove the line")
            )


REPORTED_ELSEWHERE = frozenset(
    {
        "not-verified",
        "needs-review",
        "stale-translation",
        "missing-translation",
        "draft-translation",
    }
)
"""Codes of the validator warnings that the sections above report in their own terms."""


def _reported_elsewhere(p: Problem) -> bool:
    return p.code in REPORTED_ELSEWHERE


def _section_data_warnings(ctx: CheckContext) -> Iterator[Finding]:
    for p in ctx.validation.warnings:
        if not _reported_elsewhere(p):
            yield _problem_finding(p)


SECTIONS: tuple[Section, ...] = (
    Section(
        "invalid",
        tr_noop("data errors (see 'calais-guide validate')"),
        "blocker",
        _section_invalid,
        allowable=False,
        needs_database=False,
    ),
    Section(
        "glyphs",
        tr_noop("characters no bundled font can draw"),
        "blocker",
        _section_glyphs,
        allowable=False,
    ),
    Section(
        "not-verified",
        tr_noop("not re-checked with the association"),
        "blocker",
        _section_not_verified,
    ),
    # A missing summary or title prints in the fallback language with the
    # visible mark (like descriptions): one new association does not stop the
    # print run; --strict makes it block.
    Section(
        "missing-translation",
        tr_noop("missing translations (summaries, title: printed in another language, marked)"),
        "warning",
        _section_missing,
    ),
    Section(
        "fallback-translation",
        tr_noop("untranslated texts (printed in another language, marked)"),
        "warning",
        _section_fallback,
    ),
    # The cards renderer plugs in its overflow check here ("card-overflow").
    Section("stale-translation", tr_noop("out-of-date translations"), "warning", _section_stale),
    Section(
        "draft-translation",
        tr_noop("draft translations (printed as not reviewed)"),
        "warning",
        _section_draft,
    ),
    Section(
        "needs-review", tr_noop("open questions (needs_review)"), "warning", _section_needs_review
    ),
    Section(
        "data-warnings",
        tr_noop("other data warnings (see 'calais-guide validate')"),
        "warning",
        _section_data_warnings,
    ),
)
"""The checks of ``edition check``, in report order. Adding one is adding a
:class:`Section` here: its function gets a :class:`CheckContext`."""


def check(
    root: Path,
    langs: Sequence[str] | None = None,
    *,
    allow: Iterable[str] = (),
    strict: bool = False,
    sections: Sequence[Section] = SECTIONS,
) -> CheckReport:
    """Check that the edition in ``root`` can be printed in ``langs`` (default:
    the edition's languages). Never raises on bad data: it is reported.

    ``allow`` names blocker kinds to report as warnings instead (``not-verified``
    for a print run that knowingly includes entries nobody re-checked);
    ``strict`` makes every warning a blocker.
    """
    from calais_guide import languages
    from calais_guide.validate import validate

    allowed = set(allow)
    known = {s.kind: s for s in sections}
    for kind in sorted(allowed):
        if kind not in known:
            raise UsageError(
                tr(
                    "--allow {kind}: no such check; checks: {known}",
                    kind=kind,
                    known=", ".join(known),
                )
            )
        if not known[kind].allowable:
            raise UsageError(
                tr(
                    "--allow {kind}: {title} always block printing",
                    kind=kind,
                    title=tr_text(known[kind].title),
                )
            )
    report = validate(root)
    db = report.database
    edition = db.edition.edition if db is not None else None
    chosen = list(langs) if langs else (list(db.edition.languages) if db is not None else [])
    for code in chosen:
        languages.get(code)  # NotFoundError naming the known languages
    previous_db: Database | None = None
    previous: str | None = None
    if db is not None:
        latest = latest_snapshot(root, before=edition)
        if latest is not None:
            previous, path = latest
            previous_db = snapshot_to_database(path, root)
    results: list[SectionResult] = []
    ctx = CheckContext(root, db, chosen, previous_db, report)
    for section in sections:
        if section.needs_database and db is None:
            continue
        findings = list(section.run(ctx))
        severity: Severity = "blocker" if strict else section.severity
        # An explicit --allow wins over --strict.
        downgraded = severity == "blocker" and section.kind in allowed
        if downgraded:
            severity = "warning"
        results.append(
            SectionResult(
                section.kind,
                tr_text(section.title),
                severity,
                findings,
                downgraded,
                section.allowable,
            )
        )
    return CheckReport(
        root=root,
        edition=edition,
        langs=chosen,
        previous=previous,
        verified_since=verification_threshold(db, previous_db) if db is not None else None,
        sections=results,
        database=db,
    )


def check_to_json(report: CheckReport) -> str:
    """The check report as stable JSON (documented in the README, "edition check")."""

    def finding(f: Finding) -> dict[str, Any]:
        return {
            "message": f.message,
            "entry": f.entry,
            "field": f.field,
            "lang": f.lang,
            "file": str(f.file) if f.file else None,
            "line": f.line,
            "hint": f.hint,
            "entries": list(f.entries),
        }

    data = {
        "format": "calais-guide edition check",
        "version": 1,
        "root": str(report.root),
        "edition": report.edition,
        "languages": report.langs,
        "previous_edition": report.previous,
        "verified_since": report.verified_since.isoformat() if report.verified_since else None,
        "ok": report.ok,
        "counts": {"blockers": len(report.blockers), "warnings": len(report.warnings)},
        "sections": [
            {
                "kind": s.kind,
                "title": s.title,
                "severity": s.severity,
                "allowed": s.allowed,
                "findings": [finding(f) for f in s.findings],
            }
            for s in report.sections
        ],
    }
    return stable_json(data)


def _where(f: Finding, root: Path) -> str:
    if f.file is None:
        return ""
    name = str(f.file)
    try:
        name = str(f.file.relative_to(root.parent))
    except ValueError:
        pass
    return f"{name}:{f.line}" if f.line else name


MORE_AFTER = 12
"""Entries named in one finding, or findings listed per group by ``build``,
before "and N more"."""


def finding_text(f: Finding, root: Path) -> str:
    """One finding on one line, naming what it is about: language, entry id,
    file:line, field, what is wrong, and the entries of a summary finding."""
    parts = []
    if f.lang:
        parts.append(f"{f.lang}:")
    if f.entry:
        parts.append(f.entry)
    where = _where(f, root)
    if where:
        parts.append(f"({where})" if f.entry else where)
    if f.field:
        parts.append(f"{f.field}:")
    parts.append(f.message)
    text = " ".join(parts)
    if f.entries:
        shown = ", ".join(f.entries[:MORE_AFTER])
        more = (
            tr(" and {count} more", count=len(f.entries) - MORE_AFTER)
            if len(f.entries) > MORE_AFTER
            else ""
        )
        text += tr(" (in {entries}{more})", entries=shown, more=more)
    return text


def shared_hint(section: SectionResult) -> str | None:
    """The one command or advice that settles every finding of ``section``,
    when they share it (given once per group rather than once per line)."""
    hints = {f.hint for f in section.findings}
    return hints.pop() if len(hints) == 1 else None


def _advice(report: CheckReport) -> str:
    """What to do about the blockers; never suggests an --allow already given
    (allowed kinds are warnings and are not listed)."""
    allowable = [
        s.kind for s in report.sections if s.severity == "blocker" and s.findings and s.allowable
    ]
    advice = tr("fix the blockers")
    if allowable:
        advice += tr(
            " (or knowingly print anyway with --allow {kinds})", kinds=" --allow ".join(allowable)
        )
    return advice


LISTED_PER_GROUP = 30
"""Blockers ``build`` lists per kind before "... and N more" (a coordinator
phones each one: a quarter's list is shown whole)."""


def blocked_message(report: CheckReport, limit: int = LISTED_PER_GROUP) -> str:
    """Why ``build`` does not print: every blocker, grouped by kind, naming the
    entries, with the command that settles each group (plain text)."""
    lines = [
        tr(
            "not printing: {count} blocker(s) found by the pre-print check:",
            count=len(report.blockers),
        )
    ]
    for s in report.sections:
        if s.severity != "blocker" or not s.findings:
            continue
        lines.append(f"{s.title} ({len(s.findings)}):")
        shared = shared_hint(s)
        for f in s.findings[:limit]:
            lines.append("  " + finding_text(f, report.root))
            if f.hint and not shared:
                lines.append(f"    → {f.hint}")
        if len(s.findings) > limit:
            lines.append(
                tr(
                    "  ... and {count} more ('calais-guide edition check{again}' lists them)",
                    count=len(s.findings) - limit,
                    again=entries_args(report.root),
                )
            )
        if shared:
            lines.append(f"  → {shared}")
    allowable = [
        s.kind for s in report.sections if s.severity == "blocker" and s.findings and s.allowable
    ]
    advice = tr(
        "Fix them ('calais-guide edition check{again}' gives the whole report)",
        again=entries_args(report.root),
    )
    if allowable:
        options = " ".join(
            tr("--allow-stale (those entries are then marked in print)")
            if kind == "not-verified"
            else f"--allow {kind}"
            for kind in allowable
        )
        advice += tr(", or print knowingly with {options}", options=options)
    lines.append(advice + ".")
    return "\n".join(lines)


def print_check(report: CheckReport, out: Console) -> None:
    """The check report for the terminal: blockers first, then warnings."""
    from rich.markup import escape

    langs = ", ".join(report.langs) or tr("(none)")
    head = tr("Edition {month}, print run in {langs}.", month=report.edition or "?", langs=langs)
    if report.previous and report.verified_since:
        head += tr(
            " Previous edition: {previous}; every entry must have been re-checked since"
            " (verified on or after {since}, later than in that edition).",
            previous=report.previous,
            since=report.verified_since,
        )
    elif report.verified_since:
        head += tr(
            " No published edition yet: entries verified before {since}"
            " (verification_window_days) count as not re-checked.",
            since=report.verified_since,
        )
    out.print(escape(head))
    ordered = sorted(report.sections, key=lambda s: s.severity != "blocker")
    for s in ordered:
        if not s.findings:
            continue
        colour = "red" if s.severity == "blocker" else "yellow"
        extra = tr(" (allowed)") if s.allowed else ""
        out.print()
        out.print(
            f"[bold {colour}]{tr_text(SEVERITIES[s.severity]).upper()}[/bold {colour}] "
            f"[bold]{escape(s.title)}[/bold] ({len(s.findings)}){extra}"
        )
        shared = shared_hint(s)
        for f in s.findings:
            out.print("  " + escape(finding_text(f, report.root)))
            if f.hint and not shared:
                out.print(f"    [dim]→ {escape(f.hint)}[/dim]")
        if shared:
            out.print(f"  [dim]→ {escape(shared)}[/dim]")
    clean = [s.kind for s in report.sections if not s.findings]
    out.print()
    if clean:
        out.print(tr("[dim]nothing found: {kinds}[/dim]", kinds=", ".join(clean)))
    counts = tr(
        "{blockers} blocker(s), {warnings} warning(s)",
        blockers=len(report.blockers),
        warnings=len(report.warnings),
    )
    if report.ok:
        out.print(tr("[green]ready to print[/green]: {counts}", counts=counts))
    else:
        out.print(
            tr(
                "[red]not ready to print[/red]: {counts}: {advice}",
                counts=counts,
                advice=_advice(report),
            )
        )


SEVERITIES = {"blocker": tr_noop("blocker"), "warning": tr_noop("warning")}
"""Words for a section's severity in the terminal report."""
