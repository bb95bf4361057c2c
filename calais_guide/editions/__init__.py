"""Quarterly editions: snapshots of published editions, what changed, what blocks printing.

Every quarter the coordinator starts a new edition (:func:`new_edition`): the
published one is frozen as a *snapshot*, ``<database>/editions/<YYYY-MM>.json``,
holding the data exactly as loaded (edition and entries, every field). A
snapshot loads back into the model (:func:`snapshot_to_database`), so the
booklet of a published edition can be rebuilt and compared long after the
entry files changed.

:func:`diff` compares two versions of the guide field by field, what people
act on first (phones, addresses, hours, closures, status); :mod:`.text`
writes it for the terminal or a newsletter. :func:`check` gathers everything
that should stop a print run into one report of blockers and warnings;
``build`` calls it before rendering.

- :mod:`.snapshot`: snapshots and ``edition new``;
- :mod:`.diff`: the comparison (and its JSON);
- :mod:`.text`: the comparison as text and Markdown;
- :mod:`.check`: the pre-print check (and its JSON and terminal report).

Pure functions over the model plus small atomic writes
(:mod:`calais_guide.fileio`); the CLI only prints the results.
"""

from calais_guide.editions.check import (
    SECTIONS,
    VERIFY_HINT,
    CheckContext,
    CheckReport,
    Finding,
    Section,
    SectionResult,
    check,
    check_to_json,
    print_check,
    verification_threshold,
)
from calais_guide.editions.diff import (
    CHANGE_KINDS,
    IMPORTANT,
    NO_SNAPSHOT,
    Change,
    EditionDiff,
    EntryChanges,
    Side,
    compare,
    diff,
    diff_to_json,
    open_side,
)
from calais_guide.editions.snapshot import (
    SNAPSHOT_DIR,
    SNAPSHOT_FORMAT,
    SNAPSHOT_VERSION,
    NewEdition,
    dump_snapshot,
    latest_snapshot,
    new_edition,
    snapshot_data,
    snapshot_path,
    snapshot_to_database,
    snapshots,
)
from calais_guide.editions.text import DIFF_LANGS, describe, diff_to_markdown, diff_to_text
from calais_guide.model import to_data

__all__ = [
    "CHANGE_KINDS",
    "DIFF_LANGS",
    "IMPORTANT",
    "NO_SNAPSHOT",
    "SECTIONS",
    "SNAPSHOT_DIR",
    "SNAPSHOT_FORMAT",
    "SNAPSHOT_VERSION",
    "VERIFY_HINT",
    "Change",
    "CheckContext",
    "CheckReport",
    "EditionDiff",
    "EntryChanges",
    "Finding",
    "NewEdition",
    "Section",
    "SectionResult",
    "Side",
    "check",
    "check_to_json",
    "compare",
    "describe",
    "diff",
    "diff_to_json",
    "diff_to_markdown",
    "diff_to_text",
    "dump_snapshot",
    "latest_snapshot",
    "new_edition",
    "open_side",
    "print_check",
    "snapshot_data",
    "snapshot_path",
    "snapshot_to_database",
    "snapshots",
    "to_data",
    "verification_threshold",
]
