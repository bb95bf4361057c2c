"""Terminal output: one place makes the Rich consoles and prints problems.

Colours only on a terminal; plain text when piped or with ``NO_COLOR`` (Rich
honours both).
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
    return Console(
        file=stream,
        stderr=stderr,
        width=width,
        highlight=False,
        soft_wrap=not stream.isatty(),
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
