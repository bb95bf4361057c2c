"""Click's own words (usage line, headings, help marks, errors) in the
command line's language (:mod:`calais_guide.cli_text`).

Typer 0.26 bundles its own copy of Click (``typer._click``) whose texts are
written in English without gettext: a catalog for Click's gettext domain would
change nothing. They are translated where they are printed instead:

- the help of a command: :class:`HelpFormatter` (installed as Click's
  formatter) writes ``Usage:``, the headings and the ``[default: ...]`` marks
  through the catalog; :func:`translate_help` replaces the help text of every
  command, option and argument once the command tree is built (the locale is
  known then);
- usage errors (exit 2): :func:`show_usage_error` prints the usage line, the
  hint and the message, the message read back by the patterns Click builds it
  with (:data:`MESSAGES`).

In English every text stays exactly what Click writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import IO, Any

from typer import _click as click

from .cli_text import cli_language, tr, tr_noop, tr_text

HEADINGS = (tr_noop("Options"), tr_noop("Commands"), tr_noop("Arguments"))
"""The section headings Click and Typer write in a command's help."""
CLICK_HELP = (
    tr_noop("Show this message and exit."),
    tr_noop("Install completion for the current shell."),
    tr_noop("Show completion for the current shell, to copy it or customize the installation."),
)
"""Help texts Click and Typer give their own options."""
METAVARS = {
    "TEXT": tr_noop("TEXT"),
    "INTEGER": tr_noop("INTEGER"),
    "PATH": tr_noop("PATH"),
    "DIR": tr_noop("DIR"),
    "FILE": tr_noop("FILE"),
}
"""Placeholders of option values, as Click names them."""


def _help_marks(text: str) -> str:
    """Click's ``[env var: X; default: Y; required]`` at the end of a help text, translated."""
    match = re.search(r"(^|  )\[([^\[\]]+)\]$", text)
    if not match:
        return text
    parts = []
    for part in match.group(2).split("; "):
        if part == "required":
            parts.append(tr("required"))
        elif part.startswith("default: "):
            parts.append(tr("default: {value}", value=part.removeprefix("default: ")))
        elif part.startswith("env var: "):
            parts.append(tr("env var: {value}", value=part.removeprefix("env var: ")))
        else:
            return text
    return text[: match.start(2) - 1] + "[" + "; ".join(parts) + "]"


class HelpFormatter(click.HelpFormatter):
    """Click's help formatter, its words in the command line's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, tr("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        heading = tr("{heading}:", heading=tr_text(heading))
        self.write(f"{'':>{self.current_indent}}{heading}\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        french = [(term, _help_marks(tr_text(text) if text else text)) for term, text in rows]
        super().write_dl(french, col_max, col_spacing)


def install() -> None:
    """Make Click write its help through :class:`HelpFormatter` (identical
    output in English)."""
    click.Context.formatter_class = HelpFormatter


def _params(command: Any) -> Iterator[Any]:
    yield from command.params


def walk(command: Any, path: str = "calais-guide") -> Iterator[tuple[str, Any]]:
    """Every command of the tree under ``command``, with its command path."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, f"{path} {name}")


def help_texts(command: Any) -> Iterator[tuple[str, str]]:
    """(where, text) of every help text of the tree: commands, options, arguments."""
    for path, cmd in walk(command):
        if cmd.help:
            yield path, cmd.help
        for param in _params(cmd):
            if getattr(param, "help", None):
                yield f"{path} {param.opts[0]}", param.help


def translate_help(command: Any) -> None:
    """Replace every help text of the tree by its translation (nothing to do
    in English)."""
    if cli_language() == "en":
        return
    for _path, cmd in walk(command):
        if cmd.help:
            cmd.help = tr_text(cmd.help)
        for param in _params(cmd):
            if getattr(param, "help", None):
                param.help = tr_text(param.help)
            _translate_metavar(param)


def _translate_metavar(param: Any) -> None:
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return
    name = param.metavar or (None if param.metavar else param.type.name.upper())
    if name in METAVARS:
        param.metavar = tr_text(METAVARS[name])


# -- usage errors --------------------------------------------------------------


def _type_word(match: re.Match[str]) -> str:
    return tr_text(match["t"])


_Translate = Callable[[re.Match[str]], str]
MESSAGES: list[tuple[re.Pattern[str], _Translate]] = [
    (
        re.compile(r"^No such option: (?P<name>\S+)(?: \(Possible options: (?P<some>.+)\))?$"),
        lambda m: (
            tr("No such option: {name}", name=m["name"])
            + (tr(" (possible options: {options})", options=m["some"]) if m["some"] else "")
        ),
    ),
    (
        re.compile(r"^Missing (?P<kind>option|argument|parameter)(?P<hint> \S.*)?\.$"),
        lambda m: {
            "option": tr("Missing option{hint}.", hint=m["hint"] or ""),
            "argument": tr("Missing argument{hint}.", hint=m["hint"] or ""),
        }.get(m["kind"], tr("Missing parameter{hint}.", hint=m["hint"] or "")),
    ),
    (
        re.compile(r"^Invalid value for (?P<hint>.+?): (?P<value>.+) is not a valid (?P<t>\w+)\.$"),
        lambda m: tr(
            "Invalid value for {hint}: {value} is not a valid {type}.",
            hint=m["hint"],
            value=m["value"],
            type=_type_word(m),
        ),
    ),
    (
        re.compile(r"^Invalid value for (?P<hint>.+?): (?P<message>.*)$", re.DOTALL),
        lambda m: tr(
            "Invalid value for {hint}: {message}", hint=m["hint"], message=tr_text(m["message"])
        ),
    ),
    (
        re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$", re.DOTALL),
        lambda m: tr("Unexpected extra argument(s): {args}", args=m["args"]),
    ),
    (
        re.compile(r"^No such command '(?P<name>[^']*)'\.(?: Did you mean '(?P<close>[^']*)'\?)?$"),
        lambda m: (
            tr("No such command '{name}'.", name=m["name"])
            + (tr(" Did you mean '{name}'?", name=m["close"]) if m["close"] else "")
        ),
    ),
    (
        re.compile(r"^Option '(?P<name>\S+)' requires an argument\.$"),
        lambda m: tr("Option '{name}' requires a value.", name=m["name"]),
    ),
    (
        re.compile(r"^Option '(?P<name>\S+)' does not take a value\.$"),
        lambda m: tr("Option '{name}' does not take a value.", name=m["name"]),
    ),
    (re.compile(r"^Missing command\.$"), lambda m: tr("Missing command.")),
]
"""Click's usage-error messages, read back from their English form."""
TYPES = (tr_noop("integer"), tr_noop("float"), tr_noop("boolean"))
"""Type names Click's messages say."""


def translate_message(message: str) -> str:
    """A Click usage-error message in the command line's language (as is when
    no pattern knows it)."""
    for pattern, french in MESSAGES:
        match = pattern.match(message)
        if match:
            return french(match)
    return tr_text(message)


def show_usage_error(exc: Any, file: IO[str] | None = None) -> None:
    """What Click's ``UsageError.show`` prints, in the command line's language."""
    from typer._click._compat import get_text_stderr

    out = file if file is not None else get_text_stderr()
    ctx = exc.ctx
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = tr(
                "Try '{command} {option}' for help.",
                command=ctx.command_path,
                option=ctx.help_option_names[0],
            )
            hint += "\n"
        click.echo(f"{ctx.get_usage()}\n{hint}", file=out, color=ctx.color)
    message = translate_message(exc.format_message())
    click.echo(tr("Error: {message}", message=message), file=out, color=ctx and ctx.color)


def translate_usage_error(exc: Any) -> None:
    """Have ``exc`` (a Click usage error) shown in the command line's language."""
    if cli_language() != "en" and not isinstance(exc, click.exceptions.NoArgsIsHelpError):
        exc.show = lambda file=None: show_usage_error(exc, file)
