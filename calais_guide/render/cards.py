"""Pocket cards: ID-1 cards (85.6 x 54 mm) per language, 8 per A4 sheet.

A card is what someone keeps when the booklet is lost or too heavy. How a
set is printed (:func:`build_cards`):

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
from calais_guide.errors import DataError, UsageError
from calais_guide.model import Database

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
                        f"no bundled font can draw {glyphs.describe(chars)} on the {view.lang} "
                        "cards (it would print as an empty box)",
                        "replace the character, or add a font covering it to fonts/fonts.yaml",
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
    lang: str,
    kinds: Sequence[str] | None = None,
    bilingual: bool = False,
    tagged: bool = True,
    unverified: Collection[str] = (),
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
    document = card_layout.layout(view, faces)
    card_layout.verify(document, faces, view)
    # Tags (structure for screen readers) only where they survive: imposing
    # sides on sheets keeps the drawing, not the structure.
    rendered = write_pdf(document, db.edition.date, tagged=tagged)
    return RenderedCards(view, cards, rendered.data)


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


def default_output(
    edition: str,
    lang: str,
    categories: Sequence[str] | None = None,
    bilingual: bool = False,
    screen: bool = False,
) -> Path:
    """``build/cards-<edition>-<lang>[-<category>+...][-bilingual][-screen].pdf``."""
    name = f"cards-{edition}-{lang}"
    if categories:
        name += "-" + "+".join(categories)
    if bilingual:
        name += "-bilingual"
    if screen:
        name += "-screen"
    return Path("build") / f"{name}.pdf"


def build_cards(
    db: Database,
    lang: str,
    output: Path,
    *,
    categories: Sequence[str] | None = None,
    bilingual: bool = False,
    screen: bool = False,
) -> BuiltCards:
    """Render the ``lang`` card set and write it atomically to ``output``:
    A4 sheets for printing, or with ``screen`` one card side per page."""
    from calais_guide.fileio import write_bytes

    if bilingual and lang == "fr":
        raise UsageError(
            "--bilingual prints the card's language beside French: choose a language other than fr"
        )
    kinds, skipped = card_kinds(db, categories)
    rendered = render_cards(db, lang, kinds, bilingual, tagged=screen)
    data, sheets_, pages = rendered.pdf, 0, 2 * len(rendered.cards)
    if not screen:
        data = sheets.impose(rendered.pdf)
        sheets_ = sheets.sheet_count(len(rendered.cards))
        pages = 2 * sheets_
    write_bytes(output, data)
    return BuiltCards(
        lang=lang,
        path=output,
        cards=[card.name for card in rendered.cards],
        sheets=sheets_,
        pages=pages,
        size=len(data),
        skipped=skipped,
    )


def build_card_sets(
    root: Path,
    lang: str,
    output: Path | None = None,
    *,
    categories: Sequence[str] | None = None,
    bilingual: bool = False,
    screen: bool = False,
) -> Iterator[BuiltCards]:
    """Validate the database at ``root`` and build the ``lang`` cards (with
    ``lang="all"``, one set per language of the edition; French is left out
    of a bilingual run), yielding each as it is written. ``output`` is the
    file (a folder with ``all``); by default :func:`default_output`."""
    from .booklet import printable_database

    db = printable_database(root)
    if lang == "all":
        langs = [c for c in db.edition.languages if not (bilingual and c == "fr")]
    else:
        languages.get(lang)  # NotFoundError naming the known languages
        langs = [lang]
    card_kinds(db, categories)  # a bad --category fails before anything is rendered
    if bilingual and lang == "fr":
        raise UsageError(
            "--bilingual prints the card's language beside French: choose a language other than fr"
        )
    for code in langs:
        default = default_output(db.edition.edition, code, categories, bilingual, screen)
        if output is None:
            target = default
        elif lang == "all":
            target = output / default.name
        else:
            target = output
        yield build_cards(
            db, code, target, categories=categories, bilingual=bilingual, screen=screen
        )
