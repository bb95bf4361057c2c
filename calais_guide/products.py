"""Every output of the tool, as a registry: what it is made from, how it
renders, what its files are called.

The ``booklet`` and ``cards`` commands and ``build`` (and every command that
prints something) go through the same code path: :func:`print_command`
(a command) or :func:`render_outputs` (``build``) hand :class:`Task` s to
:func:`render_task`, which renders each asked product with its registered
function and writes the file atomically. There is no second path.

**Adding a product** (a poster, a print-shop PDF, an HTML guide, an export):

1. one module with a render function ``def render_x(job: Job) -> Made``
   (e.g. ``calais_guide/render/poster.py``); :meth:`Job.made` gives it the
   output of another product of the same language (the imposed booklet is
   the A5 booklet, imposed);
2. one template folder ``layouts/<name>/`` if it has templates;
3. one :class:`Product` line in :data:`PRODUCTS`.

``build`` then renders it for every language of the print run (unless
``print_run=False``), lists it in ``manifest.json`` and renders it again only
when what it is made from changes (the digest covers the data as that
language prints it, its ``layouts``, the fonts, the catalog, the tool's code
and the options). A command of its own is a thin wrapper over
:func:`print_command`. Outputs need not be PDFs: ``pages=None``.

This module is light (no renderer import): the render functions are named by
``"module:function"`` and imported in the process that renders.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .languages import Language
    from .model import Database


@dataclass(frozen=True)
class Made:
    """One rendered output, in memory."""

    data: bytes
    """The file's bytes."""
    pages: int | None
    """Pages of the file (A4 sheet sides for sheets); None when it is not
    paged (an HTML guide, an export)."""
    info: Mapping[str, Any] = field(default_factory=dict)
    """Facts for the command's summary line (``booklet_pages``, ``cards``,
    ``skipped``, ``fallbacks``...)."""


@dataclass(frozen=True)
class Product:
    """One kind of output file, made per language."""

    kind: str
    """Stable id (manifest, :meth:`Job.made`): ``booklet``, ``imposed``..."""
    description: str
    """What it is, in a few words."""
    filename: str
    """File name pattern in the build folder; ``{lang}`` is replaced (see
    :meth:`file_name` for the commands' default names)."""
    render: str
    """``"module:function"`` rendering it: ``function(job: Job) -> Made``."""
    layouts: tuple[str, ...] = ()
    """Sub-folders of ``layouts/`` it is drawn with (the shared files count too)."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Fixed options of the render function (over the command's options)."""
    needs: tuple[str, ...] = ()
    """Products whose output it is made from (:meth:`Job.made`)."""
    print_run: bool = True
    """Written by ``build`` for every language of the print run."""

    def file_name(self, lang: str, edition: str | None = None, tags: Sequence[str] = ()) -> str:
        """The file name for ``lang``: ``booklet-ar-imposed.pdf`` in a build
        folder; with ``edition`` (the commands' default name)
        ``booklet-2023-03-ar-imposed.pdf``; ``tags`` go after the language
        (``cards-2023-03-ar-food+water-bilingual.pdf``)."""
        return self.filename.format(lang="-".join([*([edition] if edition else []), lang, *tags]))

    def renderer(self) -> Callable[[Job], Made]:
        """The render function (imports its module)."""
        module, _, name = self.render.partition(":")
        function: Callable[[Job], Made] = getattr(importlib.import_module(module), name)
        return function


PRODUCTS: tuple[Product, ...] = (
    Product(
        "booklet",
        "A5 pages",
        "booklet-{lang}.pdf",
        "calais_guide.render.booklet:render_product",
        ("booklet",),
        {"variant": "print"},
    ),
    Product(
        "imposed",
        "A4 sheets to fold",
        "booklet-{lang}-imposed.pdf",
        "calais_guide.render.impose:render_product",
        ("booklet",),
        needs=("booklet",),
    ),
    Product(
        "screen",
        "phone PDF",
        "booklet-{lang}-screen.pdf",
        "calais_guide.render.booklet:render_product",
        ("booklet",),
        {"variant": "screen"},
    ),
    Product(
        "print-shop",
        "A5 pages for a print shop (PDF/X-4, bleed, crop marks)",
        "booklet-{lang}-print-shop.pdf",
        "calais_guide.render.booklet:render_product",
        ("booklet", "color"),
        {"variant": "print", "print_shop": True},
    ),
    Product(
        "cards",
        "pocket card sheets",
        "cards-{lang}.pdf",
        "calais_guide.render.cards:render_sheets",
        ("cards",),
    ),
    Product(
        "timetable",
        "week poster (A4 landscape)",
        "timetable-{lang}.pdf",
        "calais_guide.render.timetable:render_product",
        ("timetable",),
    ),
    Product(
        "phone",
        "phone guide (HTML, offline)",
        "guide-{lang}.html",
        "calais_guide.render.phone:render_product",
        ("phone",),
    ),
    Product(
        "cards-screen",
        "pocket cards, one side a page",
        "cards-{lang}-screen.pdf",
        "calais_guide.render.cards:render_screen",
        ("cards",),
        print_run=False,
    ),
    Product(
        "cards-print-shop",
        "pocket card sheets for a print shop (PDF/X-4, bleed, crop marks)",
        "cards-{lang}-print-shop.pdf",
        "calais_guide.render.cards:render_print_shop",
        ("cards", "color"),
        print_run=False,
    ),
    Product(
        "calls",
        "call sheet of the quarterly phone round (A4, French or English)",
        "calls-{lang}.pdf",
        "calais_guide.render.calls:render_product",
        ("calls",),
        print_run=False,
    ),
)
"""Every product, in the order of the manifest and of the summary table."""


def get(kind: str) -> Product:
    """The registered product ``kind``."""
    for product in PRODUCTS:
        if product.kind == kind:
            return product
    raise KeyError(f"no product {kind!r}: known: {', '.join(p.kind for p in PRODUCTS)}")


def print_run() -> tuple[Product, ...]:
    """The products ``build`` writes, in registry order."""
    return tuple(p for p in PRODUCTS if p.print_run)


def inputs(product: Product) -> tuple[list[str], dict[str, Any]]:
    """Layout folders and fixed options of ``product`` and of everything it is
    made from (what its digest covers beside the data, fonts and code)."""
    layouts = list(product.layouts)
    options: dict[str, Any] = {product.kind: dict(product.options)}
    for kind in product.needs:
        more, more_options = inputs(get(kind))
        layouts += [x for x in more if x not in layouts]
        options.update(more_options)
    return layouts, options


# -- rendering ---------------------------------------------------------------------


@dataclass
class Job:
    """What a render function gets: one product of one language of a database."""

    db: Database
    lang: str
    product: Product
    command: Mapping[str, Any]
    """The options of the command (``strict``, ``unverified``, ``bilingual``...)."""
    _made: dict[str, Made] = field(default_factory=dict, repr=False)
    _language: Language | None = field(default=None, repr=False)

    @property
    def language(self) -> Language:
        """The job's language, resolved once per task (the products it is
        made from share it): renderers pass it down instead of the code."""
        if self._language is None:
            from . import languages

            self._language = languages.get(self.lang)
        return self._language

    @property
    def options(self) -> dict[str, Any]:
        """The command's options, then the product's own (``variant``...)."""
        return {**self.command, **self.product.options}

    def made(self, kind: str) -> Made:
        """The output of product ``kind`` for the same language and command
        options, rendered once per task."""
        if kind not in self._made:
            product = get(kind)
            self._made[kind] = product.renderer()(
                Job(self.db, self.lang, product, self.command, self._made, self.language)
            )
        return self._made[kind]


@dataclass(frozen=True)
class Task:
    """Some products of one language, rendered together (in one process, so a
    product and what it is made from are rendered once)."""

    lang: str
    targets: Mapping[str, Path]
    """Product kind -> file to write."""
    language: Language | None = None
    """The language, when the command resolved it already (else the task's
    first job resolves it: :attr:`Job.language`); every job of the task shares it."""


@dataclass(frozen=True)
class Written:
    """An output written to disk."""

    lang: str
    kind: str
    path: Path
    sha256: str
    bytes: int
    pages: int | None
    info: Mapping[str, Any]


def render_task(db: Database, task: Task, options: Mapping[str, Any]) -> list[Written]:
    """Render and write (atomically) every product of ``task``, in order.

    Top level, so that worker processes can run it.
    """
    from .fileio import write_bytes

    made: dict[str, Made] = {}
    written = []
    language = task.language
    for kind, path in task.targets.items():
        job = Job(db, task.lang, get(kind), options, made, language)
        output = job.made(kind)
        language = job.language
        write_bytes(path, output.data, special=True)  # FileError: one line naming the path
        written.append(
            Written(
                task.lang,
                kind,
                path,
                hashlib.sha256(output.data).hexdigest(),
                len(output.data),
                output.pages,
                output.info,
            )
        )
    return written


def render_outputs(
    db: Database,
    tasks: Sequence[Task],
    options: Mapping[str, Any],
    jobs: int | None = None,
    on_done: Callable[[Task], None] | None = None,
) -> Iterator[list[Written]]:
    """Render ``tasks``, ``jobs`` at a time in worker processes (default: one
    per core; WeasyPrint lays out on one core), yielding what each wrote, in
    task order."""
    from .workers import run_parallel

    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    # Errors cross the process boundary as data; worker temporary files are
    # removed at the end, also on errors and Ctrl-C (see workers.py).
    done: dict[int, list[Written]] = {}
    following = 0
    arguments = [(db, task, options) for task in tasks]
    for index, written in run_parallel(render_task, arguments, workers):
        done[index] = written
        while following in done:  # in task order, each as soon as it can be
            if on_done:
                on_done(tasks[following])
            yield done.pop(following)
            following += 1


def print_command(
    db: Database,
    kind: str,
    langs: Sequence[Language | str],
    output: Path | None,
    *,
    many: bool = False,
    tags: Sequence[str] = (),
    jobs: int | None = None,
    **options: Any,
) -> Iterator[Written]:
    """What a printing command does once its options are checked: render
    product ``kind`` for each of ``langs`` (languages the command resolved,
    or codes) and write it, yielding each file in language order.

    ``output``: the file, or a folder (always a folder when ``many``, i.e.
    ``--lang all``); by default ``build/<name>`` with the edition in the name
    (:meth:`Product.file_name` with ``tags``).
    """
    from .fileio import output_file

    product = get(kind)
    tasks = []
    for lang in langs:
        code, language = (lang, None) if isinstance(lang, str) else (lang.code, lang)
        default = Path("build") / product.file_name(code, db.edition.edition, tags)
        tasks.append(Task(code, {kind: output_file(output, default, folder=many)}, language))
    for written in render_outputs(db, tasks, options, jobs):
        yield from written
