"""The ``calais-guide`` entry point, with a fast path for lookups.

Importing Typer alone takes about 6x the start-up of Python itself here, so
a lookup through Typer cannot answer within 8x (see benchmarks/lookup.py).
``find``, ``show`` and ``list`` are therefore first read with argparse and
answered directly by :mod:`calais_guide.lookup_print`, the same functions
the Typer commands call. Anything else goes to the full Typer CLI
(:mod:`calais_guide.cli`): other commands, ``--help``, shell completion,
options the fast path does not know, and every error (it is re-run there,
so messages and exit codes come from one place; lookups write nothing, so
running one twice is harmless).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

LOOKUPS = ("find", "show", "list")
COMPLETION_ENV = "_CALAIS_GUIDE_COMPLETE"
"""Set by the shell completion scripts: Typer answers those."""


class _Fallback(Exception):
    """The fast path does not handle this command line: Typer will."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Fallback(message)


def parser(command: str) -> argparse.ArgumentParser:
    """The fast path's reading of ``command``: the same options as in cli.py."""
    p = _Parser(prog=f"calais-guide {command}", add_help=False, allow_abbrev=False)
    p.add_argument("--entries", type=Path, default=None)
    p.add_argument("--lang", "-l", default="fr")
    p.add_argument("--json", dest="as_json", action="store_true")
    if command == "find":
        p.add_argument("query", nargs="+")
    elif command == "show":
        p.add_argument("entry_id")
    else:
        p.add_argument("--category", "-c", default=None)
        p.add_argument("--open-now", dest="open_now", action="store_true")
        p.add_argument("--at", default=None)
    return p


def _answer(args: Sequence[str]) -> Callable[[], int] | None:
    """The lookup to run for ``args``, or None when the full CLI must handle them."""
    if not args or args[0] not in LOOKUPS or COMPLETION_ENV in os.environ:
        return None
    if any(a in ("--help", "-h") for a in args[1:]):
        return None
    command = args[0]
    try:
        ns = parser(command).parse_args(args[1:])
    except _Fallback:
        return None
    from . import lookup_print as run
    from .paths import entries_dir

    root = entries_dir(ns.entries)
    if command == "find":
        return lambda: run.run_find(root, " ".join(ns.query), ns.lang, ns.as_json)
    if command == "show":
        return lambda: run.run_show(root, ns.entry_id, ns.lang, ns.as_json)
    return lambda: run.run_list(root, ns.category, ns.open_now, ns.at, ns.lang, ns.as_json)


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``calais-guide`` with ``argv`` (default: the command line)."""
    args = list(sys.argv[1:] if argv is None else argv)
    answer = _answer(args)
    if answer is not None:
        from .errors import GuideError

        try:
            code = answer()
        except GuideError:
            code = None  # the full CLI reports it
        except KeyboardInterrupt:
            sys.exit(130)
        except BrokenPipeError:
            # `calais-guide list | head`: the reader left; not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        if code is not None:
            sys.stdout.flush()
            sys.exit(code)
    from .cli import app

    app(args=args, prog_name="calais-guide")
