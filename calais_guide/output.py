"""Terminal output: one place makes the Rich consoles and prints problems.

Styles only on a terminal; plain text when piped, and with ``NO_COLOR`` set
(non-empty) no styles at all: no colours, and no bold or dim either (Rich
alone would keep those). Text from the data never reaches the terminal raw:
control characters (ESC, other C0 and C1 codes, line and paragraph
separators) are shown as U+FFFD, so a name holding an escape sequence cannot
retitle the terminal or write to the clipboard (lookups do not run
``validate``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .cli_text import tr_noop, tr_text

if TYPE_CHECKING:
    from rich.console import Console

    from .errors import Problem

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters that must never be printed raw: C0 (except tab and newline),
DEL, C1, line and paragraph separators."""
_UNSAFE_ESCAPES = re.compile(
    "\x1b(?!\\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u2028\u2029]"
)
"""What a console stream drops: every control character except the colour
sequences (``ESC [ ... m``) Rich itself writes."""
MAX_COLUMNS = 10_000


def clean(text: str) -> str:
    """``text`` safe for a terminal: each control character replaced by U+FFFD."""
    return CONTROL.sub("\ufffd", text)


def json_safe(text: str) -> str:
    """JSON text with the control characters JSON leaves raw (DEL, C1, U+2028/9)
    written as ``\\uXXXX`` escapes: the same data, safe in a terminal."""
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream:
    """A text stream that drops control characters (keeping Rich's colours)."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_UNSAFE_ESCAPES.sub("\ufffd", text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def columns() -> int | None:
    """``$COLUMNS`` as a width, None when unset; UsageError (exit 2) when it is
    not a number from 1 to 10000."""
    raw = os.environ.get("COLUMNS")
    if raw is None or raw.strip() == "":
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_COLUMNS:
        from .cli_text import tr
        from .errors import UsageError

        raise UsageError(
            tr(
                "COLUMNS={value} is not a terminal width: unset it or give a number "
                "from 1 to {most}",
                value=repr(raw),
                most=MAX_COLUMNS,
            )
        )
    return value


def console(stderr: bool = False) -> Console:
    """A console for stdout (or stderr); never wraps output that is piped."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    try:
        width = columns()
    except Exception:  # noqa: BLE001 - reported by the CLI; errors must still print
        width = 100  # and Rich must not read the bad $COLUMNS itself (0: prints nothing)
    if not tty and width is None:
        width = 100
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(
        file=SafeStream(stream),  # type: ignore[arg-type]
        stderr=stderr,
        width=width,
        highlight=False,
        soft_wrap=not tty,
        color_system=None if plain else "auto",
    )


def print_problems(problems: Sequence[Problem], root: Path | None, out: Console) -> None:
    """One block per problem: location, severity, message, then what to do."""
    from rich.markup import escape

    for p in problems:
        colour = "red" if p.severity == "error" else "yellow"
        field = f" [bold]{escape(clean(p.field))}[/bold]:" if p.field else ""
        out.print(
            f"[{colour}]{tr_text(SEVERITIES[p.severity])}[/{colour}] "
            f"{escape(clean(p.where(root)))}{field} {escape(clean(p.message))}"
        )
        if p.hint:
            out.print(f"    [dim]→ {escape(clean(p.hint))}[/dim]")


def print_warning_counts(problems: Sequence[Problem], out: Console) -> None:
    """Warnings as one line per kind (:attr:`Problem.code`): how many, what,
    and one example; ``validate --verbose`` lists them one by one instead."""
    from rich.markup import escape

    from .cli_text import tr
    from .errors import PROBLEM_CODES

    by_code: dict[str, list[Problem]] = {}
    for p in problems:
        if p.severity == "warning":
            by_code.setdefault(p.code, []).append(p)
    for code, found in by_code.items():
        files = len({p.file for p in found})
        what = tr_text(PROBLEM_CODES[code]) if code in PROBLEM_CODES else code
        out.print(
            tr(
                "[yellow]warning[/yellow] ×{count} [bold]{code}[/bold]: {what} ({files} file(s))",
                count=len(found),
                code=escape(code),
                what=escape(what),
                files=files,
            )
        )


SEVERITIES = {"error": tr_noop("error"), "warning": tr_noop("warning")}
"""Words for a problem's severity (translated where printed: ``cli`` catalog)."""
