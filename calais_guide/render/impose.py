"""Saddle-stitch imposition: A5 pages -> A4 landscape sheets to fold and staple.

:func:`sheet_order` is the pure arithmetic (tested for every page count and
both binding sides); :func:`impose` places the pages with pikepdf.

Print the result duplex, **flip on short edge**, fold the stack in half and
staple on the fold. With ``long_edge=True`` every back is turned 180 degrees
for printers that only flip on the long edge.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from calais_guide.products import Job, Made

A4_LANDSCAPE = (841.89, 595.28)
"""Sheet size in PDF points (297 x 210 mm)."""


@dataclass(frozen=True)
class Side:
    """One side of a sheet: the page printed on its left half and on its right
    half (1-based page numbers; None for a blank half)."""

    left: int | None
    right: int | None


@dataclass(frozen=True)
class Sheet:
    """One A4 sheet: front and back."""

    front: Side
    back: Side


def padded(pages: int) -> int:
    """Pages of the folded booklet: ``pages`` rounded up to a multiple of 4."""
    return max(4, -(-pages // 4) * 4)


def reading_order(pages: int) -> list[int | None]:
    """Page at each position of the padded booklet (None = blank).

    Blanks go just before the back cover, which stays the last page.
    """
    total = padded(pages)
    if pages < 2:
        return [*range(1, pages + 1), *[None] * (total - pages)]
    blanks: list[int | None] = [None] * (total - pages)
    return [*range(1, pages), *blanks, pages]


def sheet_order(pages: int, right_bound: bool = False) -> list[Sheet]:
    """Sheets of a saddle-stitched booklet of ``pages`` pages.

    Sheet i (0-based) of an n-position booklet carries positions
    front = [n-2i, 2i+1] and back = [2i+2, n-2i-1] for a left-bound (LTR)
    booklet: the outer sheet holds the covers, the inner one the middle
    spread. A right-bound (RTL) booklet opens the other way: left and right
    are swapped on every side.
    """
    order = reading_order(pages)
    n = len(order)
    sheets = []
    for i in range(n // 4):
        front = (order[n - 2 * i - 1], order[2 * i])
        back = (order[2 * i + 1], order[n - 2 * i - 2])
        if right_bound:
            front, back = front[::-1], back[::-1]
        sheets.append(Sheet(Side(*front), Side(*back)))
    return sheets


def impose(pdf: bytes, right_bound: bool = False, long_edge: bool = False) -> bytes:
    """Impose the A5 pages of ``pdf`` two-up on A4 landscape sheets.

    Title, author and language are kept; the result is byte-reproducible
    (fixed resource names, ``deterministic_id``).
    """
    import pikepdf

    width, height = A4_LANDSCAPE
    half = width / 2
    with pikepdf.open(io.BytesIO(pdf)) as src, pikepdf.new() as out:
        forms: dict[int, pikepdf.Object] = {}

        def form(number: int) -> pikepdf.Object:
            if number not in forms:
                forms[number] = out.copy_foreign(src.pages[number - 1].as_form_xobject())
            return forms[number]

        for sheet in sheet_order(len(src.pages), right_bound):
            for turned, side in ((False, sheet.front), (long_edge, sheet.back)):
                page = out.add_blank_page(page_size=(width, height))
                content = b""
                for x, number in ((0.0, side.left), (half, side.right)):
                    if number is None:
                        continue
                    name = pikepdf.Name(f"/Page{number}")
                    page.add_resource(form(number), pikepdf.Name.XObject, name)
                    content += page.calc_form_xobject_placement(
                        form(number), name, pikepdf.Rectangle(x, 0, x + half, height)
                    )
                page.contents_add(out.make_stream(content))
                if turned:
                    page.obj.Rotate = 180
        return finish(out, src)


def render_product(job: Job) -> Made:
    """The ``imposed`` product (:mod:`calais_guide.products`): the A5 booklet
    of the same language on A4 sheets, right-bound for right-to-left
    languages; option ``long_edge``."""
    from calais_guide.products import Made

    booklet = job.made("booklet")
    assert booklet.pages is not None
    data = impose(
        booklet.data,
        right_bound=job.language.rtl,
        long_edge=job.options.get("long_edge", False),
    )
    return Made(data, 2 * len(sheet_order(booklet.pages)), booklet.info)


def finish(out: Any, src: Any) -> bytes:
    """The bytes of imposed PDF ``out``, with the metadata and language of the
    source ``src`` and a deterministic document id (same input, same bytes)."""
    for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer"):
        if key in src.docinfo:
            out.docinfo[key] = src.docinfo[key]
    if "/Lang" in src.Root:
        out.Root.Lang = src.Root.Lang
    if "/ViewerPreferences" in src.Root:  # /Direction /R2L: bound on the right
        out.Root.ViewerPreferences = out.copy_foreign(src.make_indirect(src.Root.ViewerPreferences))
    # A print-shop source (PDF/X-4) keeps its output intent and identification.
    for key in ("/OutputIntents", "/Metadata"):
        if key in src.Root:
            value = src.Root[key]
            out.Root[key] = out.copy_foreign(
                value if value.is_indirect else src.make_indirect(value)
            )
    if "/Trapped" in src.docinfo:
        out.docinfo.Trapped = src.docinfo.Trapped
    buffer = io.BytesIO()
    # The version the content needs (transparency groups: 1.4 at least),
    # never below the source's.
    out.save(buffer, deterministic_id=True, min_version=max(src.pdf_version, "1.4"))
    return buffer.getvalue()
