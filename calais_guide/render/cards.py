"""Pocket cards: ID-1 cards (85.6 x 54 mm) per language, 8 per A4 sheet.

A card is what someone keeps when the booklet is lost or too heavy. How a
set is printed (:func:`render_sheets`, :func:`render_screen`):

1. :func:`calais_guide.render.card_content.plan` picks the content (texts
   with their fallback and draft marks, French beside them with
   ``bilingual``), one stream of blocks per card;
2. :mod:`calais_guide.render.card_layout` measures the blocks with the real
   layout, cuts each stream into sides and cards, lays the sides out as
   card-sized pages and checks them (text that does not fit fails, naming
   entry, field, language and overflow; nothing is clipped or shrunk);
3. that PDF is the ``--screen`` variant; for print,
   :mod:`calais_guide.render.sheets` places the sides on A4 sheets with
   pikepdf (8 per sheet, backs mirrored, crop marks).

The same rules as the booklet hold: bundled fonts only, nothing fetched but
the project's own files, the same bytes for the same data, atomic writes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from calais_guide import glyphs, languages
from calais_guide.cli_text import tr
from calais_guide.errors import DataError, UsageError
from calais_guide.languages import Language
from calais_guide.model import Database
from calais_guide.products import Job, Made, Task, Written, print_command, render_task

from . import card_layout, sheets
from .card_content import Card, CardSet, card_kinds, plan


def check_names(db: Database, view: CardSet) -> None:
    """DataError for an entry name the card's fonts cannot draw (the texts
    themselves are checked in their own languages by the validator)."""
    from calais_guide.errors import Problem

    problems = []
    for e in db.entries:
        for fld, text in (
            ("name", e.name),
            (f"transliterations.{view.lang}", e.transliterations.get(view.lang)),
        ):
            if text and (chars := glyphs.missing(text, view.lang)):
                problems.append(
                    Problem(
                        e.path,
                        e.line(fld),
                        fld,
                        tr(
                            "no bundled font can draw {describe} on the {lang} cards "
                            "(it would print as an empty box)",
                            describe=glyphs.describe(chars),
                            lang=view.lang,
                        ),
                        tr("replace the character, or add a font covering it to fonts/fonts.yaml"),
                        code="undrawable",
                    )
                )
    if problems:
        raise DataError(problems, db.root)


@dataclass(frozen=True)
class RenderedCards:
    """A card set laid out and written as card-sized pages."""

    view: CardSet
    cards: list[Card]
    pdf: bytes
    """One page per side: card 1 front, card 1 back, card 2 front..."""


def render_cards(
    db: Database,
    lang: Language | str,
    kinds: Sequence[str] | None = None,
    bilingual: bool = False,
    tagged: bool = True,
    unverified: Collection[str] = (),
    print_shop: bool = False,
) -> RenderedCards:
    """Plan, measure, cut into sides, lay out and check the ``lang`` cards
    (``tagged``: a PDF/UA structure, for the screen variant; ``unverified``:
    entries printed without a re-check, marked)."""
    from .pdf import write_pdf

    view = plan(db, lang, kinds, bilingual, unverified)
    check_names(db, view)
    sizes = card_layout.measure(view)
    cards = [card for stream in view.streams for card in card_layout.pack(view, stream, sizes)]
    faces = [face for card in cards for face in (card.front, card.back)]
    document = card_layout.layout(view, faces, print_shop=print_shop)
    card_layout.verify(document, faces, view)
    # Tags (structure for screen readers) only where they survive: imposing
    # sides on sheets keeps the drawing, not the structure.
    rendered = write_pdf(document, db.edition.date, tagged=tagged, print_shop=print_shop)
    return RenderedCards(view, cards, rendered.data)


def render_sheets(job: Job) -> Made:
    """The ``cards`` product (:mod:`calais_guide.products`): the card set on
    A4 sheets (untagged: imposing keeps the drawing, not the structure).
    Options ``categories``, ``bilingual``, ``unverified``."""
    return _render(job, screen=False)


def render_print_shop(job: Job) -> Made:
    """The ``cards-print-shop`` product: the sheets of :func:`render_sheets`
    as a PDF/X-4 file with 3 mm of bleed around each A4 sheet and crop marks
    outside it (the cut lines between cards stay in the sheet's margins)."""
    return _render(job, screen=False, print_shop=True)


def render_screen(job: Job) -> Made:
    """The ``cards-screen`` product: one card side per page, tagged, to share
    on phones. Options as :func:`render_sheets`."""
    return _render(job, screen=True)


def _render(job: Job, screen: bool, print_shop: bool = False) -> Made:
    from calais_guide.products import Made

    from . import prepress

    o = job.options
    kinds, skipped = card_kinds(job.db, o.get("categories"))
    rendered = render_cards(
        job.db,
        job.language,
        kinds,
        o.get("bilingual", False),
        tagged=screen,
        unverified=o.get("unverified", ()),
        print_shop=print_shop,
    )
    info = {"cards": [card.name for card in rendered.cards], "skipped": skipped, "sheets": 0}
    how = prepress.Finish(
        right_to_left=job.language.rtl,
        strip_links=not screen,
        bleed_mm=prepress.PRINT_SHOP_BLEED_MM if print_shop else None,
        pdfx=print_shop,
    )
    if screen:
        data = prepress.finish(rendered.pdf, job.db.edition.date, how)
        return Made(data, 2 * len(rendered.cards), info)
    count = sheets.sheet_count(len(rendered.cards))
    data = prepress.finish(sheets.impose(rendered.pdf), job.db.edition.date, how)
    return Made(data, 2 * count, {**info, "sheets": count})


@dataclass(frozen=True)
class BuiltCards:
    """A card PDF written to disk."""

    lang: str
    path: Path
    cards: list[str]
    """Names of the cards of the set, in order (``essentials``, ``food 1/2``...)."""
    sheets: int
    """A4 sheets (each a fronts page and a backs page); 0 for ``screen``."""
    pages: int
    size: int
    """File size in bytes."""
    skipped: list[str]
    """Default categories without any entry (no card)."""


def _built(written: Written) -> BuiltCards:
    return BuiltCards(
        lang=written.lang,
        path=written.path,
        cards=written.info["cards"],
        sheets=written.info["sheets"],
        pages=written.pages or 0,
        size=written.bytes,
        skipped=written.info["skipped"],
    )


def _tags(categories: Sequence[str] | None, bilingual: bool) -> list[str]:
    """What the default file name says of the options: ``food+water``, ``bilingual``."""
    return (["+".join(categories)] if categories else []) + (["bilingual"] if bilingual else [])


def _check(lang: str, bilingual: bool) -> None:
    if bilingual and lang == "fr":
        raise UsageError(
            tr(
                "--bilingual prints the card's language beside French: choose a language "
                "other than fr"
            )
        )


def _kind(screen: bool, print_shop: bool) -> str:
    """The product the cards command's options ask for."""
    if screen and print_shop:
        raise UsageError(
            tr(
                "--screen and --print-shop exclude each other: the print-shop file is "
                "the A4 sheets with bleed and crop marks"
            )
        )
    return "cards-screen" if screen else "cards-print-shop" if print_shop else "cards"


def build_cards(
    db: Database,
    lang: str,
    output: Path,
    *,
    categories: Sequence[str] | None = None,
    bilingual: bool = False,
    screen: bool = False,
    print_shop: bool = False,
) -> BuiltCards:
    """Render the ``lang`` card set and write it atomically to ``output``:
    A4 sheets for printing (``print_shop``: PDF/X-4 with bleed and crop
    marks), or with ``screen`` one card side per page."""
    _check(lang, bilingual)
    kind = _kind(screen, print_shop)
    options = {"categories": categories, "bilingual": bilingual}
    (written,) = render_task(db, Task(lang, {kind: output}), options)
    return _built(written)


def build_card_sets(
    root: Path,
    lang: str,
    output: Path | None = None,
    *,
    categories: Sequence[str] | None = None,
    bilingual: bool = False,
    screen: bool = False,
    print_shop: bool = False,
    jobs: int | None = None,
) -> Iterator[BuiltCards]:
    """Validate the database at ``root`` and build the ``lang`` cards (with
    ``lang="all"``, one set per language of the edition; French is left out
    of a bilingual run), yielding each as it is written. ``output`` is the
    file (a folder with ``all``); by default
    ``build/cards-<edition>-<lang>[-<category>+...][-bilingual][-screen|-print-shop].pdf``.
    Several languages are rendered by ``jobs`` worker processes."""
    from calais_guide.validate import printable_database

    db = printable_database(root)
    langs: list[Language | str]
    if lang == "all":
        langs = [c for c in db.edition.languages if not (bilingual and c == "fr")]
    else:
        langs = [languages.get(lang)]  # NotFoundError naming the known languages; resolved once
    card_kinds(db, categories)  # a bad --category fails before anything is rendered
    _check(lang, bilingual)
    for written in print_command(
        db,
        _kind(screen, print_shop),
        langs,
        output,
        many=lang == "all",
        tags=_tags(categories, bilingual),
        jobs=jobs,
        categories=categories,
        bilingual=bilingual,
    ):
        yield _built(written)
