"""The call sheet as a PDF for office printers (A4 portrait):
``calais-guide edition calls``.

What is on it, and in which order, is decided in
:mod:`calais_guide.editions.calls`; this module lays it out with
``layouts/calls/`` through the project's one Jinja environment and contained
WeasyPrint. Each association is one block that never breaks across pages
(``break-inside: avoid``), so the name, the facts and the space to write
stay on the same sheet of paper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calais_guide.editions.calls import CallFacts

TEMPLATE = "calls/calls.html"

WRITING_LINES = 4
"""Ruled lines under "what changed" in each block."""


@dataclass(frozen=True)
class CallsContext:
    """Everything ``calls.html`` prints."""

    lang: str
    title: str
    edition: str
    edition_date: dt.date
    publisher: str | None
    calls: list[CallFacts]
    words: dict[str, str]
    """Every word of the sheet in its language (:func:`calais_guide.editions.calls.word`)."""
    how: str
    """What to do, with the commands."""
    lines: int


def render_calls(db: Any, lang: str, root_args: str = "") -> tuple[bytes, int, int]:
    """The call sheet PDF (bytes), its pages and its associations."""
    from calais_guide.editions.calls import WORDS, call_list, verify_command, word
    from calais_guide.paths import layouts_dir

    from .html import check_html, render_template
    from .pdf import render_document, write_pdf

    calls = call_list(db, lang)
    words = {key: word(key, lang) for key in WORDS}
    ctx = CallsContext(
        lang=lang,
        title=word("title", lang),
        edition=db.edition.edition,
        edition_date=db.edition.date,
        publisher=db.edition.publisher,
        calls=calls,
        words=words,
        how=word("how", lang).format(
            command=verify_command(lang, root_args),
            edit=f"calais-guide edit ID{root_args}",
        ),
        lines=WRITING_LINES,
    )
    html = render_template(TEMPLATE, lang, {"t": ctx})
    check_html(html, lang, "call sheet")
    document = render_document(html, layouts_dir() / "calls")
    rendered = write_pdf(document, db.edition.date)
    return rendered.data, rendered.pages, len(calls)


def render_product(job: Any) -> Any:
    """The ``calls`` product (:mod:`calais_guide.products`): option ``root_args``
    (the ``--entries`` to repeat in the printed commands)."""
    from calais_guide.products import Made

    data, pages, count = render_calls(job.db, job.lang, job.options.get("root_args", ""))
    return Made(data, pages, {"associations": count})


@dataclass(frozen=True)
class BuiltCalls:
    """A call sheet written to disk (or standard output)."""

    path: Path
    pages: int | None
    size: int
    associations: int


def build_calls(root: Path, lang: str, fmt: str, output: Path | None) -> Iterator[BuiltCalls]:
    """Validate the database at ``root`` and write its call sheet as ``fmt``
    (``pdf`` or ``csv``) in ``lang`` (fr or en). Default file name:
    ``build/calls-<edition>-<lang>.pdf|csv``."""
    from calais_guide.editions.calls import calls_csv
    from calais_guide.fileio import output_file, write_bytes
    from calais_guide.paths import entries_args
    from calais_guide.products import print_command
    from calais_guide.validate import printable_database

    db = printable_database(root)
    if fmt == "csv":
        target = output_file(output, Path("build") / f"calls-{db.edition.edition}-{lang}.csv")
        data, count = calls_csv(db, lang)
        write_bytes(target, data, special=True)
        yield BuiltCalls(target, None, len(data), count)
        return
    for written in print_command(db, "calls", [lang], output, root_args=entries_args(root)):
        yield BuiltCalls(
            written.path, written.pages, written.bytes, int(written.info["associations"])
        )
