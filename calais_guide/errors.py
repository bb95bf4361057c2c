"""The one exception hierarchy. Only the CLI turns these into exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    file: Path | None
    """File the problem is in (None: the database as a whole)."""
    line: int | None
    """1-based line in that file, where known."""
    field: str | None
    """Field path (``phones[0].number``), where it applies."""
    message: str
    """What is wrong."""
    hint: str | None = None
    """What to do about it."""
    severity: Severity = "error"
    """``error`` blocks; ``warning`` is listed (and blocks with ``--strict``)."""

    def where(self, root: Path | None = None) -> str:
        """``entries/x.yaml:12`` style location."""
        if self.file is None:
            return str(root) if root else "database"
        name = str(self.file)
        if root is not None:
            try:
                name = str(self.file.relative_to(root.parent))
            except ValueError:
                pass
        return f"{name}:{self.line}" if self.line else name


class GuideError(Exception):
    """Base of every error a user can cause; the CLI prints it and exits 1."""

    exit_code = 1


class DataError(GuideError):
    """The database (entries or edition) has errors; they are all listed."""

    def __init__(self, problems: Sequence[Problem], root: Path | None = None):
        self.problems = list(problems)
        self.root = root
        count = sum(1 for p in self.problems if p.severity == "error")
        super().__init__(f"{count} error(s) in the guide data")


class NotFoundError(GuideError):
    """An id, language or file that does not exist; may carry suggestions."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()):
        self.suggestions = list(suggestions)
        super().__init__(message)


class UsageError(GuideError):
    """A command-line value that cannot be used (bad date, unknown option value).

    The exit-code rule, for every command: 0 ok; 1 a data problem (invalid
    entry, nothing found, refused print); 2 the command line itself (unknown
    option value such as ``--lang xx`` or ``--category nope``, bad dates,
    a writing command aimed at the installed built-in edition).
    """

    exit_code = 2


class UnknownValue(UsageError):
    """An option value naming nothing known (``--lang xx``, ``--category nope``);
    may carry suggestions. Exit 2 like every usage error."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()):
        self.suggestions = list(suggestions)
        super().__init__(message)


class RenderError(GuideError):
    """A booklet or card cannot be printed as asked (missing glyph, overflow)."""


class Interrupted(GuideError):
    """The user abandoned an interactive command; nothing was written."""

    exit_code = 130
