"""The one exception hierarchy. Only the CLI turns these into exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from pathlib import Path
from typing import Literal

from .cli_text import tr_noop

Severity = Literal["error", "warning"]

PROBLEM_CODES: dict[str, str] = {
    # -- reading files (load.py, manage.py, snapshots) --
    "no-database": tr_noop("the database folder does not exist"),
    "no-edition-file": tr_noop("the folder has no edition.yaml"),
    "ignored-file": tr_noop("a .yml or .json file in the folder is not read"),
    "unreadable-file": tr_noop("a file cannot be read (permissions, a folder, an OS error)"),
    "file-too-large": tr_noop("a file is over the size limit"),
    "not-text": tr_noop("a file is binary or not UTF-8 text"),
    "yaml-syntax": tr_noop("YAML syntax error"),
    "yaml-refused": tr_noop(
        "YAML the loader refuses: tags, anchors/aliases, several documents, "
        "too deep or too many values, a key that is not text"
    ),
    "duplicate-key": tr_noop("a key written twice in one mapping"),
    "not-a-mapping": tr_noop("the file is empty or does not hold a mapping of fields"),
    "unknown-field": tr_noop("a field the model does not have"),
    "missing-field": tr_noop("a required field is missing"),
    "wrong-type": tr_noop("a value of the wrong type"),
    "empty-value": tr_noop("an empty or blank value"),
    "invalid-choice": tr_noop("a value not among the allowed ones"),
    "invalid-date": tr_noop("a date that is not YYYY-MM-DD or does not exist"),
    "invalid-time": tr_noop("a time that is not HH:MM"),
    "invalid-edition-month": tr_noop("the edition is not a YYYY-MM month"),
    "invalid-snapshot": tr_noop("a published edition's snapshot file cannot be read"),
    "control-character": tr_noop(
        "a text holding a control character (ESC, other C0 or C1 codes, "
        "line or paragraph separators)"
    ),
    "out-of-range": tr_noop("a date or number outside the range the guide can use"),
    # -- rules (validate.py) --
    "invalid-id": tr_noop(
        "an entry id that is not a slug, is reserved or differs from its file name"
    ),
    "duplicate-id": tr_noop("two entries with the same id"),
    "duplicate-value": tr_noop("a value listed twice"),
    "unknown-entry": tr_noop("an id (in order) with no entry file"),
    "unknown-parent": tr_noop("a parent that does not exist"),
    "parent-cycle": tr_noop("an entry that is its own parent, directly or not"),
    "unknown-category": tr_noop("a category not in the vocabulary"),
    "unknown-welcome": tr_noop("a who-is-welcome value not in the vocabulary"),
    "unknown-language": tr_noop("a language code the guide does not know"),
    "invalid-phone": tr_noop("a phone number phonenumbers cannot read"),
    "invalid-email": tr_noop("an e-mail address that is not valid"),
    "invalid-url": tr_noop("a web address that is not a full http(s) address"),
    "invalid-logo": tr_noop(
        "a logo that is a web address, outside assets/, not an image or absent"
    ),
    "invalid-dates": tr_noop("a period that ends before it starts"),
    "invalid-hours": tr_noop("opening hours that close before they open or are incomplete"),
    "no-days": tr_noop("a schedule without days"),
    "invalid-postal-code": tr_noop("a postal code that is not five digits"),
    "invalid-coordinates": tr_noop("a latitude or longitude out of range"),
    "missing-address": tr_noop("a fixed place without an address"),
    "no-street": tr_noop("an address without a street"),
    "confidential-address": tr_noop("a confidential place with an address"),
    "mobile-undescribed": tr_noop("a mobile service that does not say where it goes"),
    "invalid-verification-window": tr_noop("verification_window_days is not from 1 to 3650 days"),
    "missing-french": tr_noop("no French summary or title"),
    "no-french-description": tr_noop("no French description"),
    "summary-too-long": tr_noop("a summary over the length limit"),
    "summary-multiline": tr_noop("a summary on several lines"),
    "original-with-source": tr_noop("an original text with 'from'/'source_hash'"),
    "stale-translation": tr_noop(
        "a translation that cannot be shown to match its source "
        "(source changed, or 'from'/'source_hash' missing or wrong)"
    ),
    "missing-translation": tr_noop(
        "a summary or description without a version in a language of the edition"
    ),
    "draft-translation": tr_noop("a translation nobody reviewed yet"),
    "closure-undated": tr_noop("temporarily closed without a dated closure"),
    "not-verified": tr_noop("an entry not checked with the association within the window"),
    "verified-in-future": tr_noop("a verification date in the future"),
    "needs-review": tr_noop("an open question in needs_review"),
    # -- printing --
    "undrawable": tr_noop("a character no bundled font can draw"),
}
"""Every :attr:`Problem.code`, with what it means. Codes are stable: scripts
match them (``validate --format json``), never the wording of messages."""


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
    _: KW_ONLY
    code: str
    """Stable kind of problem, one of :data:`PROBLEM_CODES` (``stale-translation``):
    what programs match, never :attr:`message`."""

    def __post_init__(self) -> None:
        if self.code not in PROBLEM_CODES:
            raise ValueError(f"unknown problem code {self.code!r}: add it to PROBLEM_CODES")

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
        from .cli_text import tr

        self.count = sum(1 for p in self.problems if p.severity == "error")
        super().__init__(tr("{count} error(s) in the guide data", count=self.count))

    def __reduce__(self) -> tuple[type, tuple[list[Problem], Path | None]]:
        # Rebuilt from its parts when it crosses a process boundary (build workers).
        return (type(self), (self.problems, self.root))


class NotFoundError(GuideError):
    """An id, language or file that does not exist; may carry suggestions."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()):
        self.suggestions = list(suggestions)
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, list[str]]]:
        return (type(self), (str(self), self.suggestions))


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
