"""Card sheets: eight ID-1 cards per A4 page, fronts and backs for duplex.

The positions are plain arithmetic (:func:`placements`, :func:`cut_lines`,
:func:`crop_marks`, all in millimetres from the sheet's top-left corner, y
downwards, the way one measures paper); :func:`impose` places the card
sides rendered by WeasyPrint with pikepdf, which puts each one exactly
where the arithmetic says (a translation matrix, no scaling) and gives
byte-reproducible files.

Layout: 2 columns x 4 rows of 85.6 x 54 mm cards touching each other,
centred on the A4 portrait page, so one straight cut separates two cards;
the crop marks continue every cut line into the margins (19.4 mm left and
right, 40.5 mm top and bottom) and never touch a card.

Print the PDF **duplex, flip on long edge** (the usual setting): a back is
printed behind its front because the back page mirrors the columns (the
card in the left column on the front page is in the right column on the back
page); rows stay. Cut along the marks.

Sheets are filled in order; the free slots of the last sheet repeat the set
from its first card (spare copies rather than blank paper).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

CARD_MM = (85.6, 54.0)
"""ISO/IEC 7810 ID-1 card: width, height."""
SHEET_MM = (210.0, 297.0)
"""A4 portrait."""
COLUMNS, ROWS = 2, 4
PER_SHEET = COLUMNS * ROWS
MARK_GAP_MM = 3.0
"""Space between the cards and the start of a crop mark."""
MARK_LENGTH_MM = 8.0
"""Length of a crop mark."""
MARK_WIDTH_PT = 0.3
"""Line width of crop marks (thin: a cut on the line removes it)."""

_PT = 72 / 25.4


@dataclass(frozen=True)
class Rect:
    """A rectangle on a sheet, in mm from the top-left corner (y downwards)."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def pdf(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) in PDF points from the bottom-left corner."""
        height = SHEET_MM[1]
        return (
            self.x * _PT,
            (height - self.bottom) * _PT,
            self.right * _PT,
            (height - self.y) * _PT,
        )


@dataclass(frozen=True)
class Placement:
    """Where one card lands: its front on a sheet's front page, its back on the
    same sheet's back page."""

    card: int
    """Index of the card in the set (0-based)."""
    sheet: int
    """0-based sheet number: pages 2*sheet+1 (fronts) and 2*sheet+2 (backs)."""
    slot: int
    """0-7, reading order of the front page (left to right, top to bottom)."""
    copy: bool
    """A spare copy filling the last sheet."""
    front: Rect
    back: Rect


def origin() -> tuple[float, float]:
    """Top-left corner of the grid of cards (it is centred on the sheet)."""
    return (
        (SHEET_MM[0] - COLUMNS * CARD_MM[0]) / 2,
        (SHEET_MM[1] - ROWS * CARD_MM[1]) / 2,
    )


def slot_rect(slot: int, back: bool = False) -> Rect:
    """The card rectangle of ``slot``; on a back page, columns are mirrored so
    that the back lands behind its front when the sheet flips on its long edge."""
    if not 0 <= slot < PER_SHEET:
        raise ValueError(f"slot {slot} is not on a sheet of {PER_SHEET}")
    column, row = slot % COLUMNS, slot // COLUMNS
    if back:
        column = COLUMNS - 1 - column
    x0, y0 = origin()
    return Rect(x0 + column * CARD_MM[0], y0 + row * CARD_MM[1], CARD_MM[0], CARD_MM[1])


def sheet_count(cards: int) -> int:
    """Sheets needed for ``cards`` cards (at least one)."""
    return max(1, -(-cards // PER_SHEET))


def placements(cards: int) -> list[Placement]:
    """Every slot of every sheet for a set of ``cards`` cards, in page order.

    Slot ``n`` holds card ``n`` while there are cards; the free slots of the
    last sheet hold copies of the set from its first card.
    """
    if cards < 1:
        raise ValueError("a card set has at least one card")
    found = []
    for n in range(sheet_count(cards) * PER_SHEET):
        sheet, slot = divmod(n, PER_SHEET)
        found.append(
            Placement(
                card=n % cards,
                sheet=sheet,
                slot=slot,
                copy=n >= cards,
                front=slot_rect(slot),
                back=slot_rect(slot, back=True),
            )
        )
    return found


def cut_lines() -> tuple[list[float], list[float]]:
    """x of every vertical cut and y of every horizontal cut (mm); the same on
    fronts and backs, since the grid is centred."""
    x0, y0 = origin()
    xs = [x0 + c * CARD_MM[0] for c in range(COLUMNS + 1)]
    ys = [y0 + r * CARD_MM[1] for r in range(ROWS + 1)]
    return xs, ys


def crop_marks() -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Crop mark segments ((x0, y0), (x1, y1)) in mm, all in the margins:
    each cut line continued above, below, left and right of the grid."""
    xs, ys = cut_lines()
    top, bottom, left, right = ys[0], ys[-1], xs[0], xs[-1]
    gap, length = MARK_GAP_MM, MARK_LENGTH_MM
    marks = []
    for x in xs:
        marks.append(((x, top - gap - length), (x, top - gap)))
        marks.append(((x, bottom + gap), (x, bottom + gap + length)))
    for y in ys:
        marks.append(((left - gap - length, y), (left - gap, y)))
        marks.append(((right + gap, y), (right + gap + length, y)))
    return marks


def _marks_stream() -> bytes:
    height = SHEET_MM[1]
    ops = [f"q 0 G {MARK_WIDTH_PT:g} w 0 J"]
    for (xa, ya), (xb, yb) in crop_marks():
        ops.append(
            f"{xa * _PT:.3f} {(height - ya) * _PT:.3f} m "
            f"{xb * _PT:.3f} {(height - yb) * _PT:.3f} l S"
        )
    ops.append("Q")
    return ("\n".join(ops) + "\n").encode("ascii")


def impose(pdf: bytes) -> bytes:
    """A4 sheets from ``pdf``, whose pages are card sides in order (card 0
    front, card 0 back, card 1 front...): per sheet a fronts page then a backs
    page, with crop marks. Title, author and language are kept; same input,
    same bytes.
    """
    import pikepdf

    from .impose import finish

    width, height = (v * _PT for v in SHEET_MM)
    with pikepdf.open(io.BytesIO(pdf)) as src, pikepdf.new() as out:
        if len(src.pages) % 2:
            raise ValueError("card sides come in pairs: front, back")
        cards = len(src.pages) // 2
        forms: dict[int, pikepdf.Object] = {}

        def form(index: int) -> pikepdf.Object:
            if index not in forms:
                forms[index] = out.copy_foreign(src.pages[index].as_form_xobject())
            return forms[index]

        marks = out.make_stream(_marks_stream())
        by_sheet: dict[int, list[Placement]] = {}
        for placed in placements(cards):
            by_sheet.setdefault(placed.sheet, []).append(placed)
        for sheet in sorted(by_sheet):
            for back in (False, True):
                page = out.add_blank_page(page_size=(width, height))
                content = b""
                for placed in by_sheet[sheet]:
                    index = 2 * placed.card + (1 if back else 0)
                    name = pikepdf.Name(f"/Card{placed.card}{'B' if back else 'F'}")
                    page.add_resource(form(index), pikepdf.Name.XObject, name)
                    x0, y0, _, _ = (placed.back if back else placed.front).pdf()
                    content += f"q 1 0 0 1 {x0:.3f} {y0:.3f} cm {name} Do Q\n".encode("ascii")
                page.contents_add(out.make_stream(content))
                page.contents_add(marks)
        return finish(out, src)
