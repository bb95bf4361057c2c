"""The ``calais-guide`` command: parse, call one function, map errors to exit codes.

Heavy modules (WeasyPrint, Jinja2, pikepdf, ruamel) are imported inside the
commands that need them, so lookups start fast.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__, cli_click
from .cli_text import cli_language, tr, tr_ctx
from .errors import DataError, GuideError, NotFoundError, UnknownValue, UsageError
from .paths import ENV_ENTRIES, entries_args, entries_dir, writable_entries

EXIT_OK, EXIT_PROBLEMS = 0, 1


class _Group(TyperGroup):
    """Turns every GuideError into a clear message and an exit code: no traceback.

    Built (by Typer, for each run) once the locale is known: the help texts
    and Click's own words are then put in the command line's language
    (:mod:`calais_guide.cli_click`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cli_click.install()
        cli_click.translate_help(self)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except typer._click.exceptions.UsageError as exc:
            cli_click.translate_usage_error(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            from .output import columns

            columns()  # a bad $COLUMNS is a usage error, not silence
            return super().invoke(ctx)
        except typer._click.exceptions.UsageError as exc:
            cli_click.translate_usage_error(exc)
            raise
        except GuideError as exc:
            _report(exc)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            # The last net: an OS error no stage turned into a message yet.
            from .fileio import describe_os_error

            _report(GuideError(describe_os_error(exc, None, "use")))
            raise typer.Exit(EXIT_PROBLEMS) from None
        except (EOFError, typer._click.exceptions.Abort):
            # A prompt left with Ctrl-D: Click says "Aborted!" in English only.
            if cli_language() == "en":
                raise
            _stderr().print(tr("Aborted!"))
            raise typer.Exit(EXIT_PROBLEMS) from None
        except KeyboardInterrupt:
            _stderr().print(tr("interrupted: nothing was written"))
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=_Group,
    help="The directory of associations helping exiled people in Calais: "
    "validate the data, print booklets and cards, look things up.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _stderr() -> Any:
    from .output import console

    return console(stderr=True)


def _stdout() -> Any:
    from .output import console

    return console()


def _report(exc: GuideError) -> None:
    from rich.markup import escape

    from .output import print_problems

    err = _stderr()
    if isinstance(exc, DataError):
        print_problems(exc.problems, exc.root, err)
        err.print(
            tr(
                "[red]{problems}[/red]: fix them and run the command again.",
                problems=escape(str(exc)),
            )
        )
        return
    err.print(tr("[red]error:[/red] {message}", message=escape(str(exc))))
    if isinstance(exc, NotFoundError | UnknownValue) and exc.suggestions:
        err.print(tr("did you mean: {words}?", words=", ".join(escape(s) for s in exc.suggestions)))


def _entries_path(value: str) -> Path:
    """``--entries DIR``: an empty value is a usage error (not the current folder)."""
    if not value.strip():
        raise typer.BadParameter(
            tr("empty: give the database folder (made by 'calais-guide init')")
        )
    return Path(value)


EntriesOption = Annotated[
    Path | None,
    typer.Option(
        "--entries",
        parser=_entries_path,
        envvar=ENV_ENTRIES,
        metavar="DIR",
        help=f"Database folder (edition.yaml + entries). Default: ${ENV_ENTRIES}, "
        "else the built-in March 2023 edition.",
        show_default=False,
    ),
]
PrintLangOption = Annotated[
    str,
    typer.Option("--lang", "-l", help="Language code, or 'all' for every language of the edition."),
]


def _db(entries: Path | None) -> Any:
    from .load import load_database

    return load_database(entries_dir(entries))


def _date(value: str | None, option: str) -> dt.date:
    if value is None:
        return dt.date.today()
    from .load import MAX_DATE, MIN_DATE

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            tr("{option} '{value}' is not a date: write YYYY-MM-DD", option=option, value=value)
        ) from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise UsageError(
            tr(
                "{option} {day} is out of range: give a date between {first} and {last}",
                option=option,
                day=day.isoformat(),
                first=MIN_DATE.isoformat(),
                last=MAX_DATE.isoformat(),
            )
            + (tr(" (for a closure with no end, leave --until out)") if option == "--until" else "")
        )
    return day


def _version(value: bool) -> None:
    if value:
        typer.echo(f"calais-guide {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Calais guide."""


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def validate(
    entries: EntriesOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too (before printing).")
    ] = False,
    format_: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="Output format (json: documented in the README)."),
    ] = ReportFormat.text,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="List every warning (default: one line per kind of warning)."
        ),
    ] = False,
) -> None:
    """Check every entry and the edition file; list every problem at once.

    Errors are listed in full; warnings as one line per kind unless
    --verbose (or --strict, where they fail). Exit 0 when there is no error,
    1 otherwise.
    """
    from .output import print_problems, print_warning_counts
    from .validate import report_to_json
    from .validate import validate as run

    root = entries_dir(entries)
    report = run(root)
    if format_ is ReportFormat.json:
        sys.stdout.write(report_to_json(report, strict))
        raise typer.Exit(EXIT_OK if report.ok(strict) else EXIT_PROBLEMS)
    out = _stdout()
    if verbose or strict:
        print_problems(report.problems, root, out)
    else:
        print_problems(report.errors, root, out)
        print_warning_counts(report.warnings, out)
        if report.warnings:
            out.print(
                tr(
                    "[dim]each warning with its file and line: "
                    "calais-guide validate --verbose{again}[/dim]",
                    again=entries_args(root),
                )
            )
    count = len(report.database.entries) if report.database else 0
    summary = tr(
        "{count} entries, {errors} error(s), {warnings} warning(s)",
        count=count,
        errors=len(report.errors),
        warnings=len(report.warnings),
    )
    if report.ok(strict):
        out.print(tr("[green]ok[/green]: {summary}", summary=summary))
        raise typer.Exit(EXIT_OK)
    reason = tr("warnings fail with --strict") if not report.errors else tr("fix the errors above")
    out.print(tr("[red]failed[/red]: {summary} ({reason})", summary=summary, reason=reason))
    raise typer.Exit(EXIT_PROBLEMS)


# -- lookups: find, show, list ----------------------------------------------
# The same functions answer through quick.py without loading Typer (fast
# path); these commands give them help, completion and error reporting.
# tests/test_lookup_cli.py checks that both accept the same options.


def _complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    from .lookup import complete_ids

    return complete_ids(ctx.params.get("entries"), incomplete)


def _complete_categories(incomplete: str) -> list[str]:
    from .lookup import complete_categories

    return complete_categories(incomplete)


def _complete_languages(incomplete: str) -> list[str]:
    from .lookup import complete_languages

    return complete_languages(incomplete)


LookupLang = Annotated[
    str,
    typer.Option(
        "--lang",
        "-l",
        help="Language of the texts shown (fr, en, ar, fa, ps, ckb, ti, am).",
        autocompletion=_complete_languages,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON (documented in the README) instead of text.")
]


@app.command()
def find(
    query: Annotated[
        list[str], typer.Argument(metavar="QUERY...", help="Words to look for, in any language.")
    ],
    entries: EntriesOption = None,
    lang: LookupLang = "fr",
    as_json: JsonOption = False,
) -> None:
    """Find entries by name, text, place or category word, in any language.

    Case, accents and spelling variants do not matter; small typos are
    tolerated. Exit 1 when nothing matches.
    """
    from .terminal import run_find

    raise typer.Exit(run_find(entries_dir(entries), " ".join(query), lang, as_json))


@app.command()
def show(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Entry id (its file name).", autocompletion=_complete_ids
        ),
    ],
    entries: EntriesOption = None,
    lang: LookupLang = "fr",
    as_json: JsonOption = False,
) -> None:
    """Show one entry in full: hours this week, open now or not, contacts."""
    from .terminal import run_show

    raise typer.Exit(run_show(entries_dir(entries), entry_id, lang, as_json))


@app.command("list")
def list_(
    entries: EntriesOption = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            "-c",
            help="Only this category (its id or a word for it in any language: eau, ماء).",
            autocompletion=_complete_categories,
        ),
    ] = None,
    open_now: Annotated[
        bool, typer.Option("--open-now", help="Only what is open now (Europe/Paris time).")
    ] = False,
    at: Annotated[
        str | None,
        typer.Option("--at", help='Only what is open then: "mon 15:00", "tomorrow 9:00", "15:00".'),
    ] = None,
    lang: LookupLang = "fr",
    as_json: JsonOption = False,
) -> None:
    """List the entries; with --open-now or --at, only those open then
    (mobile services without fixed hours are listed as such, never as open)."""
    from .terminal import run_list

    raise typer.Exit(run_list(entries_dir(entries), category, open_now, at, lang, as_json))


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="New folder for the guide.")],
) -> None:
    """Start a new guide in DIR from the built-in edition."""
    from .manage import init as run
    from .paths import builtin_entries

    target = run(directory, builtin_entries())
    out = _stdout()
    out.print(tr("New guide in {target}.", target=target))
    out.print(
        tr(
            "Use it with --entries {target} or: export {name}={target}",
            target=target,
            name=ENV_ENTRIES,
        )
    )


def _interactive() -> bool:
    """A person is at the keyboard (prompts and questions are possible)."""
    return sys.stdin.isatty()


def _prompt(label: str, default: str | None = None) -> str:
    if not _interactive():
        raise UsageError(
            tr("{label} is required: give it as an option (no terminal to ask on)", label=label)
        )
    value: str = typer.prompt(
        label, default=default, show_default=bool(default), prompt_suffix=tr(": ")
    )
    return value


def _answer(
    given: str | None,
    label: str,
    check: Callable[[str], Any],
    optional: bool = False,
) -> Any:
    """An option's value checked by ``check`` (UsageError when wrong), else
    asked for at the terminal until ``check`` accepts it (nothing is lost on
    a typo). Optional questions take Enter for "none" (None)."""
    if given is not None:
        return check(given)
    if optional and not _interactive():
        return None
    while True:
        value = _prompt(label, default="" if optional else None).strip()
        if optional and not value:
            return None
        try:
            return check(value)
        except UsageError as exc:
            _stderr().print(tr("[red]{message}[/red] (try again)", message=_escape(str(exc))))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _check_name(value: str) -> str:
    if not value.strip():
        raise UsageError(tr("the name is empty"))
    return value.strip()


def _check_summary(value: str) -> str:
    from .model import SUMMARY_MAX

    value = value.strip()
    if not value:
        raise UsageError(tr("the summary is empty: say in one line what the association offers"))
    if len(value) > SUMMARY_MAX:
        raise UsageError(
            tr(
                "the summary is {length} characters, over the {limit} limit: shorten it by {over}",
                length=len(value),
                limit=SUMMARY_MAX,
                over=len(value) - SUMMARY_MAX,
            )
        )
    return value


def _check_categories(value: str) -> list[str]:
    from .manage import resolve_categories

    return resolve_categories(c.strip() for c in value.split(",") if c.strip())


def _check_website(value: str) -> str:
    from .contacts import url_problem

    why = url_problem(value.strip())
    if why:
        raise UsageError(
            tr(
                "web address '{url}' {why}: write a full https:// address",
                url=value.strip(),
                why=why,
            )
        )
    return value.strip()


def _check_phone(region: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        from .contacts import parse_phone

        if parse_phone(value.strip(), region) is None:
            raise UsageError(
                tr(
                    "'{number}' is not a valid phone number: check the digits with the "
                    "association; write French numbers as '03 21 00 00 00', others with "
                    "'+44 ...'",
                    number=value.strip(),
                )
            )
        return value.strip()

    return check


def _check_address(value: str) -> Any:
    import re

    from .manage import NewPlace

    if value.strip().lower() in ("mobile", "maraude"):
        return NewPlace("mobile")
    match = re.match(r"^(?P<street>.+?),\s*(?P<code>\d{5})\s+(?P<city>\S.*)$", value.strip())
    if not match:
        raise UsageError(
            tr(
                "cannot read the address '{address}': write 'street, postal code town' "
                "(e.g. '12 rue de Moscou, 62100 Calais'), or 'mobile'",
                address=value.strip(),
            )
        )
    return NewPlace("fixed", match["street"], match["code"], match["city"].strip())


def _check_slot(value: str) -> Any:
    from .hours import SlotError, parse_slot

    try:
        days, opens, closes = parse_slot(value)
    except SlotError as exc:
        raise UsageError(str(exc)) from None
    return tuple(days), opens, closes


def _ask_place() -> Any:
    """Where people are received and when, asked at the terminal (all optional)."""
    import dataclasses

    place = _answer(
        None,
        tr(
            "Where are people received? 'street, postal code town', 'mobile' for a team that "
            "goes to the living sites (Enter: skip)"
        ),
        _check_address,
        optional=True,
    )
    if place is None:
        return None
    if place.kind == "mobile":
        where = _answer(
            None, tr("Where does the team go, in French (Enter: skip)"), str.strip, optional=True
        )
        place = dataclasses.replace(place, description=where or None)
    slots = []
    while True:
        slot = _answer(
            None,
            tr("Weekly hours, one slot at a time, e.g. 'mo,we 14:00-17:00' (Enter: done)"),
            _check_slot,
            optional=True,
        )
        if slot is None:
            break
        slots.append(slot)
    return dataclasses.replace(place, slots=tuple(slots))


@app.command()
def add(
    entries: EntriesOption = None,
    name: Annotated[str | None, typer.Option(help="Name of the association.")] = None,
    summary: Annotated[
        str | None, typer.Option(help="One line in French, at most 120 characters.")
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option(
            "--category",
            "-c",
            help="Category (repeatable): an id (food, water...) or a word for one in any "
            "language (nourriture, ماء).",
        ),
    ] = None,
    website: Annotated[str | None, typer.Option(help="https:// address.")] = None,
    phone: Annotated[
        list[str] | None,
        typer.Option("--phone", help="Phone number, as the association gives it (repeatable)."),
    ] = None,
    entry_id: Annotated[
        str | None, typer.Option("--id", help="Id (default: from the name).")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who checked the facts.")] = None,
) -> None:
    """Add an entry: asks for what is needed (and, optionally, website, phone,
    place and weekly hours), asks again on a value it cannot use, then writes
    a commented file. Nothing is invented: what is not given is left out."""
    from .manage import add as run
    from .vocabulary import CATEGORIES

    root = writable_entries(entries)
    asking = _interactive() and (name is None or summary is None or category is None)
    if asking:
        out = _stdout()
        out.print(tr("Categories (an id, or a word for one in any language: nourriture, ماء):"))
        out.print("  " + ", ".join(CATEGORIES))

    def check_name(value: str) -> str:
        from .manage import reserved_problem, slugify

        value = _check_name(value)
        reserved = reserved_problem(entry_id or slugify(value))
        if reserved is not None:  # not an entry file: say what the name really is
            raise UsageError(tr("{problem}: choose another id with --id", problem=reserved))
        taken = root / f"{entry_id or slugify(value)}.yaml"
        if entry_id is None and taken.exists():
            raise UsageError(
                tr(
                    "{path} already exists: is it the same association? ('calais-guide edit "
                    "{id}{again}'), else give another name or --id",
                    path=taken,
                    id=taken.stem,
                    again=entries_args(root),
                )
            )
        return value

    name = _answer(name, tr("Name of the association"), check_name)
    summary = _answer(
        summary, tr("One-line summary in French (at most 120 characters)"), _check_summary
    )
    if category is not None:
        categories = _check_categories(",".join(category))
    elif _interactive():
        categories = _answer(None, tr("Categories, comma-separated"), _check_categories)
    else:
        categories = []
    site = _answer(
        website if website is not None or asking else "",
        tr("Website, https://... (Enter: skip)"),
        lambda value: _check_website(value) if value else None,
        optional=True,
    )
    region = _edition_country(root)
    phones = [_check_phone(region)(p) for p in phone or []]
    place = None
    if asking:
        number = _answer(
            None,
            tr("Phone, as the association gives it (Enter: skip)"),
            _check_phone(region),
            optional=True,
        )
        phones += [number] if number else []
        place = _ask_place()
    by = by or os.environ.get("USER") or _prompt(tr("Your name (who checked the facts)"))
    path = run(root, name, summary, categories, site, by, entry_id, phones=phones, place=place)
    _stdout().print(
        tr(
            "Wrote {path}. Fill in the rest with: calais-guide edit {id}{again}",
            path=path,
            id=path.stem,
            again=entries_args(root),
        )
    )


def _edition_country(root: Path) -> str:
    """The edition's region for phone numbers without a country code (FR if unreadable)."""
    import yaml

    try:
        data = yaml.safe_load((root / "edition.yaml").read_text(encoding="utf-8"))
        return str(data.get("country") or "FR")
    except (OSError, ValueError, AttributeError, yaml.YAMLError):
        return "FR"


def _editor_command() -> list[str]:
    """The editor to run, from $VISUAL or $EDITOR (default nano); UsageError
    (exit 2) when the variable cannot be read as a command."""
    name = "VISUAL" if os.environ.get("VISUAL", "").strip() else "EDITOR"
    command = os.environ.get(name, "").strip() or "nano"
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise UsageError(
            tr(
                "${name} ({command}) cannot be read as a command ({why}): fix its quoting",
                name=name,
                command=repr(command),
                why=exc,
            )
        ) from None
    if not words:
        raise UsageError(tr("${name} is empty: set it to your editor, e.g. nano", name=name))
    return words


def _editor(path: Path) -> None:
    words = _editor_command()
    try:
        subprocess.run([*words, str(path)], check=False)
    except FileNotFoundError:
        raise UsageError(tr("editor '{name}' not found: set $EDITOR", name=words[0])) from None
    except OSError as exc:
        raise UsageError(
            tr(
                "cannot run the editor '{name}': {why}: set $EDITOR",
                name=words[0],
                why=exc.strerror,
            )
        ) from None


@app.command()
def edit(
    entry_id: Annotated[str, typer.Argument(metavar="ID")],
    entries: EntriesOption = None,
) -> None:
    """Open an entry in $EDITOR; it is saved only if valid (else reopen or abandon)."""
    from .manage import edit as run
    from .output import print_problems

    root = writable_entries(entries)
    err = _stderr()
    _editor_command()  # a bad $EDITOR is said before anything else

    def retry(problems: list[Any]) -> bool:
        print_problems(problems, root, err)
        if not _interactive():
            return False
        return typer.confirm(
            tr("Reopen the editor to fix this? (no = abandon, keep the original)"), default=True
        )

    from .manage import entry_path, stale_texts

    stale_before = stale_texts(entry_path(root, entry_id))
    result = run(root, entry_id, _editor, retry)
    if result == "abandoned":
        raise GuideError(tr("not saved: {id}.yaml is unchanged (the edit had errors)", id=entry_id))
    _stdout().print(tr("Saved {id}.yaml.", id=entry_id) if result == "saved" else tr("No change."))
    stale = sorted(stale_texts(entry_path(root, entry_id)) - stale_before)
    if result == "saved" and stale:
        err.print(
            tr(
                "[yellow]warning:[/yellow] out of date now (their source text changed): "
                "{texts}; update them, or send them to a translator with "
                "'calais-guide translations export --lang LANG{again}'",
                texts=", ".join(stale),
                again=entries_args(root),
            )
        )


@app.command()
def verify(
    entry_id: Annotated[str, typer.Argument(metavar="ID")],
    entries: EntriesOption = None,
    by: Annotated[str | None, typer.Option("--by", help="Who checked (default: $USER).")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Day of the check, YYYY-MM-DD (default: today).")
    ] = None,
) -> None:
    """Record that a person checked this entry with the association."""
    from .manage import verify as run

    who = by or os.environ.get("USER")
    if not who:
        raise UsageError(tr("say who checked the entry with --by NAME"))
    day = _date(date, "--date")
    warnings: list[str] = []
    path = run(writable_entries(entries), entry_id, who, day, warnings)
    _stdout().print(
        tr(
            "{id}: verified on {day} by {who} ({file})",
            id=entry_id,
            day=day.isoformat(),
            who=who,
            file=path.name,
        )
    )
    for warning in warnings:
        _stderr().print(tr("[yellow]warning:[/yellow] {message}", message=_escape(warning)))


@app.command()
def close(
    entry_id: Annotated[str, typer.Argument(metavar="ID")],
    start: Annotated[str, typer.Option("--from", help="First closed day, YYYY-MM-DD.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (printed as an alert).")],
    until: Annotated[
        str | None, typer.Option("--until", help="Last closed day (default: until reopened).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the reason.")] = "fr",
    entries: EntriesOption = None,
) -> None:
    """Record a dated temporary closure."""
    from . import languages
    from .manage import close as run

    root = writable_entries(entries)
    languages.get(lang)  # an unknown --lang is a usage error, not bad data in the file
    first = _date(start, "--from")
    last = _date(until, "--until") if until else None
    warnings: list[str] = []
    run(root, entry_id, first, last, reason, lang, warnings)
    for warning in warnings:
        _stderr().print(tr("[yellow]warning:[/yellow] {message}", message=_escape(warning)))
    if not warnings:
        if last:
            done = tr(
                "{id}: closed from {first} to {last}",
                id=entry_id,
                first=first.isoformat(),
                last=last.isoformat(),
            )
        else:
            done = tr(
                "{id}: closed from {first} until reopened", id=entry_id, first=first.isoformat()
            )
        _stdout().print(done)


@app.command()
def reopen(
    entry_id: Annotated[str, typer.Argument(metavar="ID")],
    entries: EntriesOption = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Day it reopens (default: today).")
    ] = None,
) -> None:
    """End the closure in force and mark the entry active again."""
    from .manage import reopen as run

    day = _date(date, "--date")
    _, changed = run(writable_entries(entries), entry_id, day)
    out = _stdout()
    if changed:
        out.print(tr("{id}: open again from {day}", id=entry_id, day=day.isoformat()))
    else:
        out.print(
            tr("{id}: was not closed on {day}; nothing changed", id=entry_id, day=day.isoformat())
        )


# -- edition: quarterly editions -------------------------------------------------

edition_app = typer.Typer(
    cls=_Group,
    help="Quarterly editions: start the next one, the call sheet, see what changed, "
    "check before printing.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(edition_app, name="edition")


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@edition_app.command("new")
def edition_new(
    month: Annotated[str, typer.Argument(metavar="YYYY-MM", help="Month of the edition to start.")],
    entries: EntriesOption = None,
) -> None:
    """Start the next edition: keep the published one as a snapshot, then set the new month.

    Run it once the current edition is printed. The snapshot
    (editions/<YYYY-MM>.json in the database) lets its booklet be rebuilt and
    compared later.
    """
    from .editions import new_edition

    done = new_edition(writable_entries(entries), month)
    out = _stdout()
    kept = tr("already there, kept") if done.reused else tr("written")
    out.print(
        tr(
            "Edition {month}: snapshot of {count} entries {kept}: {path}",
            month=done.published,
            count=done.entries,
            kept=kept,
            path=done.snapshot,
        )
    )
    out.print(tr("Edition {month} started (edition.yaml).", month=done.month))
    again = entries_args(entries_dir(entries))
    out.print(
        tr(
            "Next: phone the associations with the call sheet "
            "('calais-guide edition calls{again}'), 'calais-guide verify ID --by NAME{again}' "
            "each one, then 'calais-guide edition diff{again}' and "
            "'calais-guide edition check{again}'.",
            again=again,
        )
    )


@edition_app.command("diff")
def edition_diff(
    old: Annotated[
        str | None,
        typer.Argument(
            metavar="[OLD]",
            help="Published month (2023-03), snapshot file, database folder or 'current'. "
            "Default: the last published edition.",
            show_default=False,
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(metavar="[NEW]", help="As OLD. Default: current.", show_default=False),
    ] = None,
    entries: EntriesOption = None,
    format_: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.text,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            help="Language of headings and labels: fr or en "
            "(default: fr for markdown, else the terminal's: LC_ALL, LC_MESSAGES, LANG).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """What changed between two editions: added, removed and changed entries, field by field.

    Phones, addresses, hours, closures and status come first. Exit 0 (it is a
    report), 1 if there is nothing to compare with.
    """
    from . import editions

    if lang is not None and lang not in editions.DIFF_LANGS:
        raise UsageError(
            tr(
                "--lang {lang}: the diff is written in {langs}",
                lang=lang,
                langs=tr(" or ").join(editions.DIFF_LANGS),
            )
        )
    result = editions.diff(entries_dir(entries), old, new)
    if format_ is DiffFormat.json:
        text = editions.diff_to_json(result)
    elif format_ is DiffFormat.markdown:
        text = editions.diff_to_markdown(result, lang or "fr")
    else:
        text = editions.diff_to_text(result, lang or cli_language())
    sys.stdout.write(text)


@edition_app.command("check")
def edition_check(
    entries: EntriesOption = None,
    lang: Annotated[
        list[str] | None,
        typer.Option(
            "--lang", "-l", help="Language of the print run (repeatable). Default: the edition's."
        ),
    ] = None,
    allow: Annotated[
        list[str] | None,
        typer.Option(
            "--allow",
            help="Report this kind of blocker as a warning (repeatable), e.g. not-verified.",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings block too.")] = False,
    format_: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.text,
) -> None:
    """Everything that should stop printing, in one report; exit 1 if anything blocks.

    Blockers: data errors, characters no font can draw, entries not re-checked
    since the previous edition, missing translations. Warnings: out-of-date and
    draft translations, open questions (needs_review), other data warnings.
    """
    from .editions import check, check_to_json, print_check

    report = check(entries_dir(entries), lang or None, allow=allow or (), strict=strict)
    if format_ is ReportFormat.json:
        sys.stdout.write(check_to_json(report))
    else:
        print_check(report, _stdout())
    raise typer.Exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


class CallsFormat(StrEnum):
    pdf = "pdf"
    csv = "csv"


@edition_app.command("calls")
def edition_calls(
    entries: EntriesOption = None,
    format_: Annotated[
        CallsFormat,
        typer.Option("--format", "-f", help="pdf (A4, to print) or csv (one row per association)."),
    ] = CallsFormat.pdf,
    lang: Annotated[
        str,
        typer.Option("--lang", "-l", help="Language of the sheet: fr or en."),
    ] = "fr",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write ('-': standard output). "
            "Default: build/calls-<edition>-<lang>.pdf|csv",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The list for the quarterly phone round: every association, oldest
    verification first (never verified first of all), with its phones, e-mail,
    what the guide says today (places, hours, closures) and room to write what
    changed.

    After each call, 'calais-guide verify ID --by NAME --date YYYY-MM-DD'
    stamps the association as verified; then correct its entry
    ('calais-guide edit ID').
    """
    from .editions.calls import CALL_LANGS, verify_command
    from .render.calls import build_calls

    if lang not in CALL_LANGS:
        raise UsageError(
            tr(
                "--lang {lang}: the call sheet is written in {langs}",
                lang=lang,
                langs=tr(" or ").join(CALL_LANGS),
            )
        )
    root = entries_dir(entries)
    out = _stderr() if str(output) == "-" else _stdout()
    for built in build_calls(root, lang, format_.value, output):
        pages = tr(", {count} A4 page(s)", count=built.pages) if built.pages else ""
        out.print(
            tr(
                "{path}: {count} associations{pages}, {size} KB",
                path=built.path,
                count=built.associations,
                pages=pages,
                size=max(1, built.size // 1024),
            ),
            soft_wrap=True,
            markup=False,
        )
    out.print(
        tr(
            "After each call: {command}",
            command=verify_command(cli_language(), entries_args(root)),
        ),
        soft_wrap=True,
        markup=False,
    )


@app.command()
def booklet(
    lang: PrintLangOption = "fr",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="PDF file to write (with --lang all: a folder). "
            "Default: build/booklet-<edition>-<lang>[-imposed|-screen|-print-shop].pdf",
            show_default=False,
        ),
    ] = None,
    imposed: Annotated[
        bool,
        typer.Option(
            "--imposed",
            help="A4 landscape sheets for office printers: print duplex, flip on short "
            "edge, fold, staple (right-bound for right-to-left languages).",
        ),
    ] = False,
    long_edge: Annotated[
        bool,
        typer.Option(
            "--long-edge", help="With --imposed: for printers that only flip on the long edge."
        ),
    ] = False,
    bleed: Annotated[
        float,
        typer.Option("--bleed", metavar="MM", help="Bleed for print shops, e.g. 3 (mm)."),
    ] = 0,
    marks: Annotated[
        bool, typer.Option("--marks", help="Crop marks, outside the bleed (print shops).")
    ] = False,
    print_shop: Annotated[
        bool,
        typer.Option(
            "--print-shop",
            help="The file to send to a print shop: single A5 pages, PDF/X-4 (CMYK, "
            "black text on the black plate only), 3 mm bleed, crop marks outside it.",
        ),
    ] = False,
    screen: Annotated[
        bool,
        typer.Option("--screen", help="Phone-sized PDF with tappable links, to share."),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Refuse to print a text missing in the language."),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Languages rendered at once (default: one per CPU)."),
    ] = None,
    entries: EntriesOption = None,
) -> None:
    """Print the A5 booklet: single pages, imposed A4 sheets or a phone PDF."""
    from .render.booklet import build_booklets

    for built in build_booklets(
        entries_dir(entries),
        lang,
        output,
        jobs=jobs,
        imposed=imposed,
        screen=screen,
        bleed_mm=bleed,
        marks=marks,
        strict=strict,
        long_edge=long_edge,
        print_shop=print_shop,
    ):
        what = (
            tr(
                "{sides} A4 sheet sides ({pages} A5 pages)",
                sides=built.pages,
                pages=built.booklet_pages,
            )
            if imposed
            else tr("{pages} pages", pages=built.pages)
        )
        note = (
            tr("; {count} entries not yet translated", count=built.fallbacks)
            if built.fallbacks
            else ""
        )
        # With '-o -' the PDF is on stdout: the summary goes to stderr.
        (_stderr() if str(output) == "-" else _stdout()).print(
            f"{built.path}: {built.lang}, {what}, {built.size // 1024} KB{note}"
        )


# -- translations -------------------------------------------------------------

translations_app = typer.Typer(
    help="Which texts are translated; files for translators (Poedit, Weblate); import back.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(translations_app, name="translations")


@translations_app.command("status")
def translations_status(
    entries: EntriesOption = None,
    lang: Annotated[
        list[str] | None,
        typer.Option(
            "--lang", "-l", help="Only this language (repeatable). Default: the edition's."
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Exit 1 if a text the print run needs is missing "
            "(every entry's summary, the edition title, in every language of the edition).",
        ),
    ] = False,
) -> None:
    """Matrix of entries x fields x languages: original, reviewed, draft, stale, missing."""
    from .translations import print_status, status

    report = status(_db(entries), lang)
    print_status(report, _stdout())
    if strict and report.missing_for_print():
        raise typer.Exit(EXIT_PROBLEMS)


@translations_app.command("export")
def translations_export(
    lang: Annotated[str, typer.Option("--lang", "-l", help="Language to translate into.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="po (Poedit, Weblate) or xliff.")
    ] = "po",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write ('-': standard output). Default: calais-guide-EDITION-LANG.po/.xlf",
        ),
    ] = None,
    source: Annotated[
        str, typer.Option("--source", help="Language translators read: fr or en.")
    ] = "fr",
    entries: EntriesOption = None,
) -> None:
    """Write a file for a translator: source beside translation, drafts as fuzzy."""
    from .fileio import output_file, write_bytes
    from .translations import export, save_export

    db = _db(entries)
    data = export(db, lang, fmt, source)
    if output is not None and str(output) == "-":
        write_bytes(output, data, special=True)
        return
    ext = "po" if fmt == "po" else "xlf"
    target = output_file(output, Path(f"calais-guide-{db.edition.edition}-{lang}.{ext}"))
    save_export(target, data)
    out = _stdout()
    out.print(tr("Wrote {path}. Translate it (docs/translating.md), then:", path=target))
    again = entries_args(entries_dir(entries))
    out.print(f"  calais-guide translations import {shlex.quote(str(target))}{again}")


@translations_app.command("import")
def translations_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A translated .po or XLIFF file.")],
    entries: EntriesOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
) -> None:
    """Write translations back into the entry files (confirmed ones as reviewed).

    Strings whose source text changed since the export are refused (listed);
    the others are imported. Exit 1 if anything was refused.
    """
    from .fileio import database_lock
    from .load import load_database
    from .translations import import_file, print_import

    root = entries_dir(entries) if dry_run else writable_entries(entries)
    # Under the lock from reading to writing: what the import decides on is
    # what it writes into.
    with database_lock(root, shared=dry_run):
        result = import_file(load_database(root), file, dry_run)
    print_import(result, _stdout(), dry_run)
    if result.refused:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
def cards(
    lang: PrintLangOption = "fr",
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            "-c",
            metavar="C,...",
            help="Only these cards: 'essentials' (emergency numbers, 24/7 lines) and/or "
            "categories (food,water,...). Default: essentials + the edition's card_categories.",
            show_default=False,
        ),
    ] = None,
    bilingual: Annotated[
        bool,
        typer.Option(
            "--bilingual",
            help="French beside the card's language, to show a pharmacist, a driver or an "
            "official.",
        ),
    ] = False,
    screen: Annotated[
        bool,
        typer.Option("--screen", help="One card side per page, card-sized, to share on phones."),
    ] = False,
    print_shop: Annotated[
        bool,
        typer.Option(
            "--print-shop",
            help="The sheets for a print shop: PDF/X-4 (CMYK, black text on the black "
            "plate only), 3 mm bleed around each A4 sheet, crop marks outside it.",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="PDF file to write (with --lang all: a folder). "
            "Default: build/cards-<edition>-<lang>[-<category>][-bilingual]"
            "[-screen|-print-shop].pdf",
            show_default=False,
        ),
    ] = None,
    entries: EntriesOption = None,
) -> None:
    """Print pocket cards (85.6 x 54 mm): 8 per A4 sheet, duplex, or a PDF for screens.

    Print the sheets double-sided, flip on long edge, then cut along the marks.
    """
    from .render.cards import build_card_sets

    categories = [c.strip() for c in category.split(",") if c.strip()] if category else None
    out = _stderr() if str(output) == "-" else _stdout()  # '-o -': the PDF is on stdout
    for built in build_card_sets(
        entries_dir(entries),
        lang,
        output,
        categories=categories,
        bilingual=bilingual,
        screen=screen,
        print_shop=print_shop,
    ):
        what = (
            tr("{cards} cards, {pages} pages", cards=len(built.cards), pages=built.pages)
            if screen
            else tr(
                "{cards} cards on {sheets} A4 sheet(s) ({pages} pages)",
                cards=len(built.cards),
                sheets=built.sheets,
                pages=built.pages,
            )
        )
        out.print(f"{built.path}: {built.lang}, {what}, {built.size // 1024} KB")
        for skipped in built.skipped:
            out.print(tr("  no card for '{category}': no entry offers it", category=skipped))


@app.command()
def phone(
    lang: PrintLangOption = "fr",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="HTML file to write (with --lang all: a folder). "
            "Default: build/guide-<edition>-<lang>.html",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Languages rendered at once (default: one per CPU)."),
    ] = None,
    entries: EntriesOption = None,
) -> None:
    """Write the guide for phones: one HTML file per language, offline, that
    says what is open now. Share the file by WhatsApp, Telegram or Bluetooth."""
    from .render.phone import build_phone_guides

    out = _stdout()
    for built in build_phone_guides(entries_dir(entries), lang, output, jobs=jobs):
        note = (
            tr("; {count} entries not yet translated", count=built.fallbacks)
            if built.fallbacks
            else ""
        )
        out.print(
            tr(
                "{path}: {lang}, {count} entries, {size} KB{note}",
                path=built.path,
                lang=built.lang,
                count=built.entries,
                size=built.size // 1024,
                note=note,
            )
        )


# -- build: the whole print run ------------------------------------------------


EXPORT_FORMATS = ("hsds", "hsds-csv", "csv", "xlsx")
"""``export --format`` values."""


@app.command("export")
def export_(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="hsds (HSDS 3.0 JSON), hsds-csv (its CSV data package), csv or xlsx "
            "(a spreadsheet: one row per association and place).",
        ),
    ],
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            "-l",
            help="Language of the texts (one per export).",
            autocompletion=_complete_languages,
        ),
    ] = "fr",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="hsds, hsds-csv: folder to write (default: build/hsds-EDITION-LANG/). "
            "csv, xlsx: file to write, '-' for standard output "
            "(default: build/directory-EDITION-LANG.csv|xlsx).",
            show_default=False,
        ),
    ] = None,
    entries: EntriesOption = None,
) -> None:
    """Export the guide as open data: Open Referral HSDS 3.0 (docs/hsds.md), or a
    spreadsheet for coordinators and partners (csv, xlsx; README "Open data")."""
    from . import hsds
    from .errors import UnknownValue
    from .languages import get
    from .validate import printable_database

    if fmt not in EXPORT_FORMATS:
        raise UnknownValue(
            tr(
                "--format {format}: use one of {formats}",
                format=fmt,
                formats=", ".join(EXPORT_FORMATS),
            )
        )
    get(lang)
    if fmt in ("csv", "xlsx"):
        _export_sheet(fmt, lang, output, entries)
        return
    db = printable_database(entries_dir(entries))  # never exported from invalid data
    data = hsds.tables(db, lang)
    if fmt == "hsds":
        files = hsds.json_files(data)
    else:
        files = hsds.csv_files(data)
    folder = output if output is not None else Path("build") / f"hsds-{db.edition.edition}-{lang}"
    hsds.write_files(folder, files)
    counted = ", ".join(f"{n} {table}" for table, n in hsds.counts(data).items() if n)
    _stdout().print(
        tr(
            "Wrote {count} files in {folder}/ ({counted}).",
            count=len(files),
            folder=folder,
            counted=counted,
        ),
        soft_wrap=True,
        markup=False,
    )


def _export_sheet(fmt: str, lang: str, output: Path | None, entries: Path | None) -> None:
    from . import sheet
    from .fileio import output_file, write_bytes
    from .validate import printable_database

    if fmt == "xlsx":
        sheet.require_openpyxl()  # said before anything is read or written
    db = printable_database(entries_dir(entries))  # never exported from invalid data
    default = Path("build") / f"directory-{db.edition.edition}-{lang}.{fmt}"
    target = output_file(output, default)
    data, count = sheet.export(db, lang, fmt)
    write_bytes(target, data, special=True)
    where = tr("standard output") if str(target) == "-" else str(target)
    (_stderr() if str(target) == "-" else _stdout()).print(
        tr(
            "Wrote {where}: {count} rows ({entries} entries), {lang}, {format}.",
            where=where,
            count=count,
            entries=len(db.entries),
            lang=lang,
            format=fmt,
        ),
        soft_wrap=True,
        markup=False,
    )


@app.command("import")
def import_(
    folder: Annotated[Path, typer.Argument(help="Folder of an HSDS 3.0 JSON export.")],
    entries: Annotated[
        Path,
        typer.Option(
            "--entries", help="NEW folder for the guide (missing or empty).", parser=_entries_path
        ),
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="hsds (HSDS 3.0 JSON).")] = "hsds",
    lang: Annotated[
        str,
        typer.Option(
            "--lang", "-l", help="Language of the data's texts.", autocompletion=_complete_languages
        ),
    ] = "fr",
) -> None:
    """Start a guide from another directory's HSDS data: one entry per organization,
    every entry marked as needing review (docs/hsds.md)."""
    from . import hsds
    from .errors import UnknownValue
    from .languages import get

    if fmt != "hsds":
        raise UnknownValue(tr("--format {format}: use hsds", format=fmt))
    get(lang)
    made, warnings = hsds.import_guide(folder, entries, lang)
    err = _stderr()
    for warning in warnings:
        err.print(tr("warning: {message}", message=warning), soft_wrap=True, markup=False)
    _stdout().print(
        tr(
            "Wrote {count} entries in {folder}/, each marked needs_review: check them, then "
            "'calais-guide validate --entries {again}'.",
            count=made,
            folder=entries,
            again=shlex.quote(str(entries)),
        ),
        soft_wrap=True,
        markup=False,
    )


@app.command()
def timetable(
    lang: PrintLangOption = "fr",
    bilingual: Annotated[
        bool,
        typer.Option("--bilingual", help="French under the poster's language."),
    ] = False,
    size: Annotated[
        str,
        typer.Option("--size", metavar="A4|A3", help="Paper size (landscape)."),
    ] = "A4",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="PDF file to write (with --lang all: a folder). "
            "Default: build/timetable-<edition>-<lang>[-bilingual][-a3].pdf",
            show_default=False,
        ),
    ] = None,
    entries: EntriesOption = None,
) -> None:
    """Print the week at a glance: a landscape poster of who is open on which day, by need.

    For the walls of day centres and distribution points. Services without
    known hours are listed apart ("ask for times").
    """
    from .render.timetable import SIZES, build_posters

    wanted = size.upper()
    if wanted not in SIZES:
        raise UsageError(tr("--size {size}: use A4 or A3", size=size))
    out = _stdout()
    for built in build_posters(
        entries_dir(entries), lang, output, bilingual=bilingual, size=wanted
    ):
        note = "" if built.has_hours else tr(" (no opening hours known: says so)")
        out.print(
            tr(
                "{path}: {lang}, {pages} page(s) {size} landscape, {kb} KB{note}",
                path=built.path,
                lang=built.lang,
                pages=built.pages,
                size=wanted,
                kb=built.size // 1024,
                note=note,
            )
        )


@app.command("build")
def build_(
    lang: Annotated[
        list[str] | None,
        typer.Option(
            "--lang", "-l", help="Only this language (repeatable). Default: the edition's."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Languages rendered at once (default: one per core)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Folder (default: build/<edition>).", show_default=False
        ),
    ] = None,
    allow_stale: Annotated[
        bool,
        typer.Option(
            "--allow-stale",
            help="Print entries nobody re-checked since the last edition anyway; "
            "they are marked in print (the same as --allow not-verified).",
        ),
    ] = False,
    allow: Annotated[
        list[str] | None,
        typer.Option(
            "--allow",
            help="Print despite this kind of blocker, as 'edition check --allow' (repeatable).",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Warnings block too (missing translations, drafts...), as 'edition check "
            "--strict'.",
        ),
    ] = False,
    entries: EntriesOption = None,
) -> None:
    """The whole print run: every booklet (A5, imposed, screen) and card sheet, per language.

    Runs the pre-print check first ('edition check') and refuses on blockers.
    Only outputs whose inputs changed are rendered again; build/<edition>/manifest.json
    lists every file with its sha256.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .build import build

    if jobs is not None and jobs < 1:
        raise UsageError(tr("--jobs must be 1 or more"))
    root = entries_dir(entries)
    err = _stderr()
    progress = Progress(
        TextColumn(tr("rendering")),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
    )
    task: list[Any] = []

    def on_plan(tasks: list[str]) -> None:
        if tasks:
            progress.start()
            task.append(
                progress.add_task(tr("{count} task(s)", count=len(tasks)), total=len(tasks))
            )

    def on_done(label: str) -> None:
        progress.update(task[0], advance=1, description=tr("{label} done", label=label))

    try:
        result = build(
            root,
            lang or None,
            output=output,
            jobs=jobs,
            allow_stale=allow_stale,
            allow=allow or (),
            strict=strict,
            on_plan=on_plan,
            on_done=on_done,
        )
    finally:
        if task:
            progress.stop()
    _print_build(result, root)


BUILD_TABLE_FILES = 20
"""Above this many files, ``build`` sums them up per language."""


def _print_build(result: Any, root: Path) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = _stdout()
    table = Table(box=None, header_style="bold")
    if len(result.outputs) > BUILD_TABLE_FILES:
        # A whole print run: one line per language (every file is in manifest.json),
        # so that 'make' stays short when all is well.
        for column in ("lang", "files", "KB", "rendered", "unchanged"):
            table.add_column(_column(column), justify="left" if column == "lang" else "right")
        langs: dict[str, list[Any]] = {}
        for o in result.outputs:
            langs.setdefault(o.lang, []).append(o)
        for lang, outputs in langs.items():
            rendered = sum(1 for o in outputs if o.path in result.rendered)
            size = sum(o.bytes for o in outputs) / 1024
            table.add_row(
                lang, str(len(outputs)), f"{size:.0f}", str(rendered), str(len(outputs) - rendered)
            )
    else:
        for column in ("lang", "file", "pages", "KB", ""):
            table.add_column(
                _column(column) if column else "",
                justify="right" if column in ("pages", "KB") else "left",
            )
        for o in result.outputs:
            state = tr("rendered") if o.path in result.rendered else tr("unchanged")
            table.add_row(
                o.lang,
                o.path,
                "" if o.pages is None else str(o.pages),
                f"{o.bytes / 1024:.0f}",
                state,
            )
    out.print(table)
    if result.kept:
        out.print(
            tr(
                "{count} file(s) of other languages kept from an earlier build "
                "(unchanged, listed in manifest.json)",
                count=len(result.kept),
            )
        )
    if result.unverified:
        out.print(
            tr(
                "[yellow]printed without a re-check (marked):[/yellow] {ids}",
                ids=", ".join(result.unverified),
            )
        )
    for line in result.untranslated:
        out.print(
            tr("[yellow]printed in another language (marked):[/yellow] {what}", what=escape(line))
        )
    if result.warnings:
        out.print(
            tr(
                "{count} warning(s) from the pre-print check "
                "(see 'calais-guide edition check{again}')",
                count=len(result.warnings),
                again=entries_args(root),
            )
        )
    # Last: where the files are.
    out.print(
        tr(
            "{count} files, {size} KB in {folder}/ ({rendered} rendered, {unchanged} "
            "unchanged); manifest.json lists them with their sha256",
            count=len(result.outputs),
            size=f"{result.total_bytes / 1024:.0f}",
            folder=result.folder,
            rendered=len(result.rendered),
            unchanged=len(result.outputs) - len(result.rendered),
        )
    )


def _column(name: str) -> str:
    """A heading of ``build``'s summary tables (counts: plural in French)."""
    return {
        "lang": tr_ctx("column", "lang"),
        "files": tr_ctx("column", "files"),
        "file": tr_ctx("column", "file"),
        "pages": tr_ctx("column", "pages"),
        "KB": tr_ctx("column", "KB"),
        "rendered": tr_ctx("column", "rendered"),
        "unchanged": tr_ctx("column", "unchanged"),
    }[name]


def help_texts() -> list[tuple[str, str]]:
    """(where, text) of every help text of the command line, as Typer hands
    them to Click: what ``make catalogs-update`` extracts (``cli`` domain)."""
    from typer.main import get_command

    return list(cli_click.help_texts(get_command(app)))


def main() -> None:
    """Entry point of the ``calais-guide`` console script."""
    app(prog_name="calais-guide")
