"""The ``calais-guide`` entry point, with a fast path for lookups.

Importing Typer alone takes about 6x the start-up of Python itself here, so
a lookup through Typer cannot answer within 8x (see benchmarks/lookup.py).
``find``, ``show`` and ``list`` are therefore first read here and
answered directly by :mod:`calais_guide.terminal`, the same functions
the Typer commands call. Anything else goes to the full Typer CLI
(:mod:`calais_guide.cli`): other commands, ``--help``, shell completion,
options the fast path does not know, and every error (it is re-run there,
so messages and exit codes come from one place; lookups write nothing, so
running one twice is harmless).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

LOOKUPS = ("find", "show", "list")
COMPLETION_ENV = "_CALAIS_GUIDE_COMPLETE"
"""Set by the shell completion scripts: Typer answers those."""


OPTIONS: dict[str, dict[str, tuple[str, bool]]] = {
    # command -> option as typed -> (name, takes a value); the same as in cli.py
    # (tests/test_lookup_cli.py compares them with the Typer commands).
    "find": {"--entries": ("entries", True), "--lang": ("lang", True), "-l": ("lang", True),
             "--json": ("as_json", False)},
    "show": {"--entries": ("entries", True), "--lang": ("lang", True), "-l": ("lang", True),
             "--json": ("as_json", False)},
    "list": {"--entries": ("entries", True), "--lang": ("lang", True), "-l": ("lang", True),
             "--json": ("as_json", False), "--category": ("category", True),
             "-c": ("category", True), "--open-now": ("open_now", False), "--at": ("at", True)},
}  # fmt: skip


def parse(command: str, args: Sequence[str]) -> tuple[dict[str, Any], list[str]] | None:
    """Options and arguments of a lookup command line, or None for anything
    unusual (unknown option, missing value, ``--help``, ``--``, an option
    given twice): the full CLI then reads it and explains what is wrong.

    A hand-written reader rather than argparse on purpose: it only accepts the
    plain cases and hands over the rest, and argparse (with gettext) would
    cost every lookup a few milliseconds of start-up.
    """
    known = OPTIONS[command]
    options: dict[str, Any] = {}
    positional: list[str] = []
    items = iter(args)
    for arg in items:
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            continue
        flag, equals, value = arg.partition("=")
        spec = known.get(flag)
        if spec is None or spec[0] in options:
            return None
        name, takes_value = spec
        if not takes_value:
            if equals:
                return None
            options[name] = True
            continue
        if not equals:
            value = next(items, "")
            if value.startswith("-"):
                return None
        if not value:
            return None  # `--entries=` or a missing value: the full CLI says what is wrong
        options[name] = value
    return options, positional


def _answer(args: Sequence[str]) -> Callable[[], int] | None:
    """The lookup to run for ``args``, or None when the full CLI must handle them."""
    if not args or args[0] not in LOOKUPS or COMPLETION_ENV in os.environ:
        return None
    if any(a in ("--help", "-h") for a in args[1:]):
        return None
    command = args[0]
    parsed = parse(command, args[1:])
    if parsed is None:
        return None
    options, positional = parsed
    if (command == "find" and not positional) or (
        command != "find" and len(positional) != (1 if command == "show" else 0)
    ):
        return None
    from . import terminal as run
    from .paths import entries_dir

    entries = options.get("entries")
    root = entries_dir(Path(entries) if entries else None)
    lang = options.get("lang", "fr")
    as_json = options.get("as_json", False)
    if command == "find":
        return lambda: run.run_find(root, " ".join(positional), lang, as_json)
    if command == "show":
        return lambda: run.run_show(root, positional[0], lang, as_json)
    return lambda: run.run_list(
        root,
        options.get("category"),
        options.get("open_now", False),
        options.get("at"),
        lang,
        as_json,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``calais-guide`` with ``argv`` (default: the command line)."""
    args = list(sys.argv[1:] if argv is None else argv)
    answer = _answer(args)
    if answer is not None:
        try:
            if "COLUMNS" in os.environ:
                from .output import columns

                columns()  # a bad value: the full CLI says so (exit 2)
            code = answer()
        except KeyboardInterrupt:
            sys.exit(130)
        except BrokenPipeError:
            # `calais-guide list | head`: the reader left; not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:
            from .errors import GuideError  # only now: errors are rare, start-up is not

            if not isinstance(exc, GuideError | OSError):
                raise
            code = None  # the full CLI reports it, with its exit code
        if code is not None:
            sys.stdout.flush()
            sys.exit(code)
    from .cli import app

    app(args=args, prog_name="calais-guide")
