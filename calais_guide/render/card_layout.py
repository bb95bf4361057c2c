"""Cutting card content into sides, and checking the sides after layout.

Sizes are fixed (never below :data:`MIN_FONT_PT`): nothing is shrunk to fit.
Instead:

1. :func:`measure` lays every block of a set out once, at the card's width on
   a very tall page, and reads the heights WeasyPrint found (in mm).
2. :func:`pack` spreads the blocks of each card over its sides in order (a
   title, an entry's head and a place stay with what follows them; an entry
   going on over a new side gets its name again) and over further cards
   ("2/2") when needed. A block that cannot fit even an empty side raises
   :class:`~calais_guide.errors.RenderError` naming the entry, its longest
   field, the language and the overflow in mm.
3. :func:`verify` checks the final layout: one page per side, every block
   above the footer, no text past the side of the card, no glyph smaller
   than :data:`MIN_FONT_PT`. A failure there is a layout bug, never a PDF
   with cut text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from calais_guide.errors import RenderError

from . import sheets
from .card_content import ESSENTIALS, Block, Card, CardSet, Face, Side, Stream

CARD_MM = sheets.CARD_MM
"""Width and height of a card: ISO/IEC 7810 ID-1, like a bank card."""
PADDING_MM = 3.0
"""White space inside the cut line: a cut 1-2 mm off never touches text."""
MIN_FONT_PT = 6.5
"""Smallest text printed on a card. Nothing is ever shrunk to fit: text that
does not fit fails the build; every laid-out glyph is checked against this."""
_PX_MM = 25.4 / 96  # WeasyPrint lays out in CSS px
_EPSILON_MM = 0.05
_SIDE_TOLERANCE_MM = 1.5
"""How far text may reach into the white margin inside the cut line (WeasyPrint
places some right-to-left lines a space's width too far; the cut is still
1.5 mm away)."""

# -- measuring and cutting into sides ---------------------------------------------


@dataclass(frozen=True)
class Measures:
    """Heights (mm) of everything a card set stacks, from the measuring layout."""

    blocks: dict[str, float]
    """Block key -> height."""
    fields: dict[str, dict[str, int]]
    """Block key -> {field: lines it takes}, to name the culprit of an overflow."""
    header: dict[str, float]
    """Card kind -> height of the title band of its fronts."""
    footer: dict[str, float]
    """Card kind -> height of the footer of its backs."""
    fixed: dict[str, float]
    """Card kind -> height of its fixed front blocks (the emergency numbers)."""

    def front(self, kind: str) -> float:
        """Room for flowing blocks on a front of ``kind``."""
        return _INNER_MM - self.header.get(kind, 0.0) - self.fixed.get(kind, 0.0)

    def back(self, kind: str) -> float:
        """Room for blocks on a back of ``kind``."""
        return _INNER_MM - self.footer.get(kind, 0.0)


_INNER_MM = CARD_MM[1] - 2 * PADDING_MM
FILLER = "sos-back"
"""Kind of the measuring face of the emergency numbers on a back."""
MIN_SIDE_LINES = 4
"""A side carrying content carries at least this many lines when the side
before it can give them (the last side of a card is balanced)."""
_LINE_MM = 3.2
"""About one line of card text (7-8 pt type), to count lines from heights."""


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def _attr(box: Any, name: str) -> str | None:
    element = getattr(box, "element", None)
    if element is None or not hasattr(element, "get"):
        return None
    value = element.get(name)
    return str(value) if value is not None else None


def _principal(page_box: Any, name: str) -> dict[str, list[Any]]:
    """Value of attribute ``name`` -> the outermost boxes of the elements
    carrying it: one per element, or one per line for an inline element
    broken over lines (line and text boxes, which share their parent's
    element, are left out)."""
    found: dict[str, list[Any]] = {}

    def walk(box: Any, inside: frozenset[int]) -> None:
        element = getattr(box, "element", None)
        if type(box).__name__ not in ("LineBox", "TextBox") and id(element) not in inside:
            value = _attr(box, name)
            if value is not None:
                found.setdefault(value, []).append(box)
            inside = inside | {id(element)}
        for child in getattr(box, "children", None) or ():
            walk(child, inside)

    walk(page_box, frozenset())
    return found


def _mm(px: float) -> float:
    return px * _PX_MM


def _field_lines(block_box: Any) -> dict[str, int]:
    """Field -> number of line fragments it takes inside ``block_box``."""
    lines: dict[str, int] = {}
    for box in _boxes(block_box):
        if type(box).__name__ != "InlineBox":
            continue
        fld = _attr(box, "data-field")
        if fld:
            lines[fld] = lines.get(fld, 0) + 1
    # Block-level fields (an entry's name) count their line boxes.
    for box in _boxes(block_box):
        if type(box).__name__ == "BlockBox" and (fld := _attr(box, "data-field")):
            count = sum(1 for child in box.children if type(child).__name__ == "LineBox")
            lines[fld] = max(lines.get(fld, 0), count)
    return lines


def measure(view: CardSet) -> Measures:
    """Lay every block of ``view`` out once, at the card's width on a very tall
    page, and read the heights WeasyPrint found."""
    # "9/9": the widest part number a title band may carry.
    faces = [
        Face(
            side="front",
            kind=stream.kind,
            title=stream.title,
            icon=stream.icon,
            part=9,
            parts=9,
            fixed=stream.fixed,
            blocks=[*stream.flow, *stream.continued.values()],
            header=True,
            footer=True,
        )
        for stream in view.streams
    ]
    # The emergency numbers as printed on an otherwise blank back.
    faces.append(
        Face(
            side="back",
            kind=FILLER,
            title=view.streams[0].title if view.streams else view.ui["emergency_numbers"],
            icon=None,
            part=1,
            parts=1,
            fixed=view.emergency,
            blocks=[],
            header=False,
            footer=True,
        )
    )
    document = layout(view, faces, measure=True)
    result = Measures({}, {}, {}, {}, {})
    for page in document.pages:
        box = page._page_box
        kind = None
        for face in _boxes(box):
            if (found := _attr(face, "data-kind")) is not None:
                kind = found
                break
        if kind is None:
            continue
        for part, boxes in _principal(box, "data-part").items():
            height = _mm(boxes[0].margin_height())
            if part == "header":
                result.header[kind] = height
            elif part == "footer":
                result.footer[kind] = height
            elif part == "fixed":
                result.fixed[kind] = height
        for key, boxes in _principal(box, "data-block").items():
            result.blocks[key] = _mm(sum(b.margin_height() for b in boxes))
            result.fields[key] = {}
            for b in boxes:
                for fld, n in _field_lines(b).items():
                    result.fields[key][fld] = result.fields[key].get(fld, 0) + n
    return result


def pack(view: CardSet, stream: Stream, sizes: Measures) -> list[Card]:
    """Cut ``stream`` into cards: blocks in order, each side filled as far as
    it goes, a block never split. RenderError when a block cannot fit even an
    empty side, or the fixed front does not fit its side."""
    kind = stream.kind
    if stream.fixed:
        need = sizes.fixed.get(kind, 0.0)
        space = _INNER_MM - sizes.header.get(kind, 0.0)
        if need > space + _EPSILON_MM:
            tallest = max(stream.fixed, key=lambda b: sizes.blocks.get(b.key, 0.0))
            raise _overflow(view, stream, tallest, sizes, need, space, "the emergency numbers")
    rooms = (sizes.front(kind), sizes.back(kind))
    sides: list[list[Block]] = []
    current: list[Block] = []
    used = 0.0

    def room() -> float:
        return rooms[len(sides) % 2]

    for n, block in enumerate(stream.flow):
        height = sizes.blocks[block.key]
        # A section title, an entry's head, a place, stay with what follows
        # them (a chain: head, place, first line of hours).
        group, m = height, n
        while stream.flow[m].keep_with_next and m + 1 < len(stream.flow):
            m += 1
            group += sizes.blocks[stream.flow[m].key]
        if used + group > room() + _EPSILON_MM:
            if current:
                sides.append(current)
                current, used = [], 0.0
            if stream.fixed and room() + _EPSILON_MM < group <= max(rooms) + _EPSILON_MM:
                # What is left of a front under the emergency numbers may be
                # too small for blocks an empty back can hold: leave it. (A
                # whole empty side is never left: the blocks go on over it.)
                sides.append([])
        if not current and n and block.kind != "head" and block.entry in stream.continued:
            # An entry going on over a new side: its name again on top.
            cont = stream.continued[block.entry]
            current.append(cont)
            used += sizes.blocks[cont.key]
        if used + height > room() + _EPSILON_MM:
            raise _overflow(view, stream, block, sizes, used + height, room())
        current.append(block)
        used += height
    sides.append(current)
    _balance(stream, sides, sizes, rooms)
    if len(sides) % 2:
        sides.append([])
    pairs = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    filler = (
        view.emergency
        if stream.kind != ESSENTIALS
        and view.emergency
        and sizes.fixed.get(FILLER, float("inf")) <= sizes.back(kind) + _EPSILON_MM
        else []
    )
    cards = []
    for n, (front, back) in enumerate(pairs, start=1):

        def face(side: Side, blocks: list[Block], n: int = n) -> Face:
            return Face(
                side=side,
                kind=kind,
                title=stream.title,
                icon=stream.icon,
                part=n,
                parts=len(pairs),
                fixed=stream.fixed if side == "front" else ([] if blocks else filler),
                blocks=blocks,
                header=side == "front",
                footer=side == "back",
            )

        cards.append(Card(kind, n, len(pairs), face("front", front), face("back", back)))
    return cards


def _balance(
    stream: Stream, sides: list[list[Block]], sizes: Measures, rooms: tuple[float, float]
) -> None:
    """Give the last side at least :data:`MIN_SIDE_LINES` lines when it has
    fewer: whole groups (an entry's head with its place, a place with its
    first hours...) move from the end of the side before, as long as that
    side keeps as many lines and the last one still fits."""
    if len(sides) < 2 or not sides[-1]:
        return
    least = MIN_SIDE_LINES * _LINE_MM

    def height(blocks: list[Block]) -> float:
        return sum(sizes.blocks[b.key] for b in blocks)

    while height(sides[-1]) < least:
        before, last = sides[-2], sides[-1]
        # The side before keeps its other content: on a front, the emergency
        # numbers printed above the flow.
        front = (len(sides) - 2) % 2 == 0
        fixed = sizes.fixed.get(stream.kind, 0.0) if front and stream.fixed else 0.0
        # the last group of the side before: blocks chained by keep_with_next
        n = len(before) - 1
        while n > 0 and before[n - 1].keep_with_next:
            n -= 1
        group = [b for b in before[n:] if b.kind != "cont"]
        if not group or (n == 0 and not fixed):
            return
        moved = [*group, *[b for b in last if b.kind != "cont"]]
        entry = moved[0].entry
        if moved[0].kind != "head" and entry in stream.continued:
            moved.insert(0, stream.continued[entry])
        room = rooms[(len(sides) - 1) % 2]
        if height(moved) > room + _EPSILON_MM or fixed + height(before[:n]) < least:
            return
        sides[-2], sides[-1] = before[:n], moved


def _overflow(
    view: CardSet,
    stream: Stream,
    block: Block,
    sizes: Measures,
    need: float,
    room: float,
    what: str = "",
) -> RenderError:
    """The error naming what does not fit: entry (or edition) file, field,
    language and by how much."""
    source = block.source.name if block.source else "the database"
    fields = sizes.fields.get(block.key, {})
    culprit = max(fields.items(), key=lambda item: item[1]) if fields else None
    who = f"entry '{block.entry}' ({source})" if block.entry else f"{what or block.kind} ({source})"
    if culprit:
        fld, lines = culprit
        blame = f"its longest text is field {fld} ({lines} lines on the card): shorten it"
    else:
        blame = "shorten its texts"
    card = "the essentials card" if stream.kind == ESSENTIALS else f"the '{stream.kind}' card"
    return RenderError(
        f"{card} in {view.lang}{' (bilingual)' if view.bilingual else ''} cannot hold {who}: "
        f"it overflows a card side by {need - room:.1f} mm (it needs {need:.1f} mm, a side "
        f"holds {room:.1f} mm; text is never cut or shrunk below {MIN_FONT_PT:g} pt); {blame}"
    )


# -- the layout -------------------------------------------------------------------

TEMPLATE = "cards/cards.html"


def text_direction(text: str) -> str:
    """``rtl`` if the first letter of ``text`` is right-to-left (an entry name
    written in Arabic script), else ``ltr``: names are isolated in that
    direction so that a Latin name keeps its order on an Arabic card."""
    import unicodedata

    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def card_html(view: CardSet, faces: list[Face], measure: bool = False) -> str:
    """The HTML of ``faces`` (one page per card side; ``measure``: the
    measuring layout, every side on a very tall page)."""
    from .html import environment

    env = environment(view.language)
    env.filters["direction"] = text_direction
    return str(env.get_template(TEMPLATE).render({"s": view, "faces": faces, "measure": measure}))


def layout(
    view: CardSet, faces: list[Face], measure: bool = False, print_shop: bool = False
) -> Any:
    """The card sides laid out (``print_shop``: with the CMYK output profile
    of a PDF/X render)."""
    from calais_guide.paths import layouts_dir

    from .html import check_html
    from .pdf import render_document
    from .prepress import profile_css

    html = card_html(view, faces, measure)
    if not measure:
        check_html(html, view.lang, "cards")
    stylesheets = [profile_css()] if print_shop else []
    return render_document(html, layouts_dir() / "cards", stylesheets=stylesheets)


def verify(document: Any, faces: list[Face], view: CardSet) -> None:
    """Check the laid-out sides: one page each, every block inside its side
    (above the footer), nothing wider than the card, no glyph under
    :data:`MIN_FONT_PT`. RenderError otherwise: a layout bug, never a PDF
    with cut text."""
    if len(document.pages) != len(faces):
        raise RenderError(
            f"the {view.lang} cards laid out {len(document.pages)} pages for {len(faces)} "
            "card sides: a side overflowed its page (a layout bug: please report it)"
        )
    left, right = PADDING_MM, CARD_MM[0] - PADDING_MM
    minimum = MIN_FONT_PT * 96 / 72
    for page in document.pages:
        box = page._page_box
        parts = _principal(box, "data-part")
        limit = CARD_MM[1] - PADDING_MM
        if "footer" in parts:
            limit = _mm(parts["footer"][0].position_y)
        for key, boxes in _principal(box, "data-block").items():
            bottom = max(_mm(b.position_y + b.margin_height()) for b in boxes)
            if bottom > limit + _EPSILON_MM:
                raise RenderError(
                    f"the {view.lang} cards: block {key} ends {bottom - limit:.1f} mm below the "
                    "room of its side (a layout bug: please report it)"
                )
        for text in _boxes(box):
            if type(text).__name__ != "TextBox" or not text.text.strip():
                continue
            if text.style["font_size"] < minimum - 0.01:
                raise RenderError(
                    f"the {view.lang} cards print {text.text[:40]!r} at "
                    f"{text.style['font_size'] * 72 / 96:.1f} pt, under the {MIN_FONT_PT:g} pt "
                    "minimum (a stylesheet bug: please report it)"
                )
            x0, x1 = _mm(text.position_x), _mm(text.position_x + text.width)
            if x0 < left - _SIDE_TOLERANCE_MM or x1 > right + _SIDE_TOLERANCE_MM:
                past = max(left - x0, x1 - right)
                raise RenderError(
                    f"the {view.lang} cards: {text.text[:40]!r} runs {past:.1f} mm past the "
                    "side of the card (a word too long to break?)"
                )
