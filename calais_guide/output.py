"""Terminal output: one place makes the Rich consoles and prints problems.

Styles only on a terminal; plain text when piped, and with ``NO_COLOR`` set
(non-empty) no styles at all: no colours, and no bold or dim either (Rich
alone would keep those).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from .errors import Problem


def console(stderr: bool = False) -> Console:
    """A console for stdout (or stderr); never wraps output that is piped."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else int(os.environ.get("COLUMNS", "100"))
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(
        file=stream,
        stderr=stderr,
        width=width,
        highlight=False,
        soft_wrap=not stream.isatty(),
        color_system=None if plain else "auto",
    )


def print_problems(problems: Sequence[Problem], root: Path | None, out: Console) -> None:
    """One block per problem: location, severity, message, then what to do."""
    from rich.markup import escape

    for p in problems:
        colour = "red" if p.severity == "error" else "yellow"
        field = f" [bold]{escape(p.field)}[/bold]:" if p.field else ""
        out.print(
            f"[{colour}]{p.severity}[/{colour}] {escape(p.where(root))}{field} {escape(p.message)}"
        )
        if p.hint:
            out.print(f"    [dim]→ {escape(p.hint)}[/dim]")


def print_warning_counts(problems: Sequence[Problem], out: Console) -> None:
    """Warnings as one line per kind (:attr:`Problem.code`): how many, what,
    and one example; ``validate --verbose`` lists them one by one instead."""
    from rich.markup import escape

    from .errors import PROBLEM_CODES

    by_code: dict[str, list[Problem]] = {}
    for p in problems:
        if p.severity == "warning":
            by_code.setdefault(p.code, []).append(p)
    for code, found in by_code.items():
        files = len({p.file for p in found})
        what = PROBLEM_CODES.get(code, code)
        out.print(
            f"[yellow]warning[/yellow] ×{len(found)} [bold]{escape(code)}[/bold]: "
            f"{escape(what)} ({files} file(s))"
        )
