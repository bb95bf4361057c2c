"""Terminal lookups: list and show entries.

Must stay light: no WeasyPrint, Jinja2 or pikepdf here (a test checks it).
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from .errors import NotFoundError
from .i18n import pick_text
from .model import Database, Entry
from .vocabulary import CATEGORIES

if TYPE_CHECKING:
    from rich.console import Console


def get_entry(db: Database, entry_id: str) -> Entry:
    """The entry ``entry_id``; NotFoundError with "did you mean" suggestions."""
    entry = db.get(entry_id)
    if entry is not None:
        return entry
    ids = [e.id for e in db.entries]
    names = {e.name.lower(): e.id for e in db.entries}
    close = difflib.get_close_matches(entry_id, ids, 3, 0.5)
    close += [names[n] for n in difflib.get_close_matches(entry_id.lower(), list(names), 2, 0.5)]
    suggestions = list(dict.fromkeys(close))
    raise NotFoundError(f"no entry '{entry_id}'", suggestions)


def select(db: Database, category: str | None = None) -> list[Entry]:
    """Entries in edition order, optionally only those of ``category``."""
    if category is not None and category not in CATEGORIES:
        close = difflib.get_close_matches(category, list(CATEGORIES), 3)
        raise NotFoundError(f"unknown category '{category}'", close)
    return [e for e in db.entries if category is None or category in e.categories]


def print_list(entries: list[Entry], lang: str, out: Console) -> None:
    """A table of id, name and summary."""
    from rich.table import Table

    table = Table(box=None, show_header=True, header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("name")
    table.add_column("summary")
    for e in entries:
        table.add_row(e.id, e.name, pick_text(e.summary, lang))
    out.print(table)


def print_entry(db: Database, entry: Entry, lang: str, out: Console) -> None:
    """The whole entry, plainly."""
    from rich.markup import escape

    out.print(f"[bold]{escape(entry.name)}[/bold] ({entry.id})")
    if entry.parent:
        parent = db.get(entry.parent)
        out.print(f"A project of {escape(parent.name if parent else entry.parent)}")
    out.print(escape(pick_text(entry.summary, lang)))
    description = pick_text(entry.description, lang)
    if description:
        out.print()
        out.print(escape(description))
    if entry.categories:
        out.print()
        out.print(
            "Offers: " + ", ".join(CATEGORIES[c] for c in entry.categories if c in CATEGORIES)
        )
    for phone in entry.phones:
        mark = " (24/7)" if phone.available_24_7 else ""
        out.print(f"Phone: {escape(phone.number)}{mark}")
    for email in entry.emails:
        out.print(f"E-mail: {escape(email.address)}")
    for url in entry.websites:
        out.print(f"Web: {escape(url)}")
    verified = entry.assured_date.isoformat() if entry.assured_date else "never"
    out.print(f"Last verified: {verified}")
