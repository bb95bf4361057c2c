"""The booklet read as its readers would, measured in the PDFs of all eight
languages of the built-in edition (PyMuPDF: positions and sizes, not looks):
type sizes, no hyphenated names, no heading alone at a page foot, QR codes
with their captions and big enough modules (decoded with zbarimg), practical
boxes without stubs, one notice instead of marks, need colours legible in
grey, emergency numbers on the back cover.

The eight booklets are rendered once per session, two at a time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from calais_guide import languages
from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.render.booklet import build_booklets
from calais_guide.render.html import babel_locale
from calais_guide.vocabulary import NEEDS

from . import pdfcheck
from .pdfcheck import MM

pytestmark = pytest.mark.pdf

LANGS = ["fr", "en", "ar", "fa", "ps", "ckb", "ti", "am"]
SCRIPT = {"fr": "Latn", "en": "Latn", "ti": "Ethi", "am": "Ethi"}
BODY_MIN = {"Latn": 10.5, "Arab": 12.0, "Ethi": 11.0}
"""Smallest body size per script (pt)."""
LABEL_MIN = 8.5
A5_HEIGHT = 595.28
BOTTOM_MARGIN = 16 * MM
TOP_MARGIN = 14 * MM


@pytest.fixture(scope="session")
def printed(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("print-quality")
    return {b.lang: b.path for b in build_booklets(builtin_entries(), "all", out, jobs=2)}


@pytest.fixture(scope="session")
def names() -> set[str]:
    return {e.name for e in load_database(builtin_entries()).entries}


def running_header(doc, page: int) -> str:
    found = [ln for ln in pdfcheck.lines(doc, page) if ln.y1 < TOP_MARGIN]
    return found[0].text if found else ""


def association_pages(doc, names: set[str]) -> list[int]:
    """Pages of the associations part: their running header is an entry's name."""
    return [p for p in range(len(doc)) if running_header(doc, p) in names]


def content(doc, page: int) -> list[pdfcheck.Line]:
    """Lines of a page without the running header and the page number."""
    return [
        ln
        for ln in pdfcheck.lines(doc, page)
        if ln.y1 > TOP_MARGIN and ln.y0 < A5_HEIGHT - BOTTOM_MARGIN
    ]


# -- type ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_body_text_sizes(printed, names, lang):
    doc = pymupdf.open(printed[lang])
    pages = association_pages(doc, names)
    assert len(pages) >= 10, f"{lang}: association pages not found ({pages})"
    script = SCRIPT.get(lang, "Arab")
    size = pdfcheck.body_size(doc, pages, script)
    assert size >= BODY_MIN[script] - 0.01, f"{lang}: body text at {size} pt"
    if script != "Latn":  # Latin names and fallbacks in such a booklet: Latin size
        latin = pdfcheck.body_size(doc, pages, "Latn")
        assert latin >= BODY_MIN["Latn"] - 0.01, f"{lang}: Latin text at {latin} pt"


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_under_the_label_size(printed, lang):
    doc = pymupdf.open(printed[lang])
    small = [
        (ln.page + 1, text, round(size, 2))
        for page in range(len(doc))
        for ln in pdfcheck.lines(doc, page)
        for text, size in ln.sizes
        if text.strip() and size < LABEL_MIN - 0.01
    ]
    assert small == []


@pytest.mark.parametrize("lang", LANGS)
def test_labels_are_in_sentence_case(printed, lang):
    doc = pymupdf.open(printed[lang])

    def latin(text: str) -> list[str]:
        return [c for c in text if pdfcheck.script_of(c) == "Latn"]

    shouting = [
        (ln.page + 1, ln.text)
        for page in range(len(doc))
        for ln in pdfcheck.lines(doc, page)
        if len(latin(ln.text)) >= 8 and all(c.isupper() for c in latin(ln.text))
    ]
    assert shouting == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_hyphenated_names_headings_or_captions(printed, names, lang):
    doc = pymupdf.open(printed[lang])
    broken = pdfcheck.hyphenated(doc)
    limit = 10 if lang == "fr" else 10
    assert len(broken) <= limit, [(b.page + 1, b.text) for b in broken]
    # Never in a name, a heading or a caption (bold or bigger than body, or
    # small like a caption): only body paragraphs may break.
    for b in broken:
        line = next(
            ln
            for ln in pdfcheck.lines(doc, b.page)
            if abs(ln.y0 - b.y0) < 0.5 and ln.text.rstrip().endswith(b.text[-3:])
        )
        assert not line.bold, (b.page + 1, b.text)
        word = b.text.split()[-1].rstrip("-\u2010\u00ad")
        assert not any(name.startswith(word) or f" {word}" in name for name in names if word), (
            b.page + 1,
            b.text,
        )


def test_need_names_as_prominent_as_association_names(printed):
    doc = pymupdf.open(printed["fr"])
    sizes: dict[str, float] = {}
    for page in range(len(doc)):
        for ln in pdfcheck.lines(doc, page):
            sizes[ln.text] = max(ln.size, sizes.get(ln.text, 0.0))
    assert sizes["Nourriture"] >= sizes["Salam"] - 0.01
    assert sizes["Soins de santé"] >= sizes["Médecins du Monde"] - 0.01


# -- page breaks ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_no_heading_alone_at_a_page_foot(printed, lang):
    """A heading (bigger than body, bold) in the lower third of a page has at
    least two lines of text below it on that page, unless its section ends
    there (the next page starts with another heading)."""
    doc = pymupdf.open(printed[lang])
    body = pdfcheck.body_size(doc, list(range(len(doc))), SCRIPT.get(lang, "Arab"))

    def heading(ln: pdfcheck.Line) -> bool:
        return ln.bold and ln.size >= body * 1.3

    alone = []
    for page in range(1, len(doc) - 2):
        found = content(doc, page)
        following = content(doc, page + 1)
        for n, ln in enumerate(found):
            if heading(ln) and ln.y0 > A5_HEIGHT * 2 / 3:
                below = [x for x in found[n + 1 :] if x.y0 >= ln.y1 - 1]
                ends = not following or heading(following[0])
                if len(below) < 2 and not ends:
                    alone.append((page + 1, ln.text))
    assert alone == []


@pytest.mark.parametrize("lang", LANGS)
def test_qr_codes_keep_their_caption_outside_the_quiet_zone(printed, lang):
    doc = pymupdf.open(printed[lang])
    codes = [q for page in range(len(doc)) for q in pdfcheck.qr_codes(doc, page)]
    assert len(codes) >= 10
    for q in codes:
        assert q.module / MM >= 0.4, f"{lang} p{q.page + 1}: modules of {q.module / MM:.2f} mm"
        quiet = q.rect.y1 + 4 * q.module
        below = [
            ln
            for ln in pdfcheck.lines(doc, q.page)
            if ln.y0 >= q.rect.y1 - 0.5
            and ln.x1 > q.rect.x0 - 4 * q.module
            and ln.x0 < q.rect.x1 + 4 * q.module
        ]
        if q.page == len(doc) - 1:
            continue  # the back cover's code has the web address beside it
        assert below, f"{lang} p{q.page + 1}: a QR code without its caption below"
        first = min(below, key=lambda ln: ln.y0)
        assert first.y0 - quiet >= -0.5, (
            f"{lang} p{q.page + 1}: caption {first.text!r} inside the quiet zone"
        )
        assert first.y0 - q.rect.y1 < 12 * MM, f"{lang} p{q.page + 1}: caption far from its code"


def test_every_qr_code_decodes_to_its_url(printed):
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is missing: install Debian's zbar-tools (make deps)")
    db = load_database(builtin_entries())
    wanted = {e.websites[0] for e in db.entries if e.websites and e.status != "closed"}
    doc = pymupdf.open(printed["fr"])
    read: set[str] = set()
    for page in range(len(doc)):
        codes = pdfcheck.qr_codes(doc, page)
        if codes:
            urls = pdfcheck.decode_qr(printed["fr"], page)
            assert len(urls) == len(codes), f"p{page + 1}: {len(codes)} codes, read {urls}"
            read.update(urls)
    assert read == wanted


@pytest.mark.parametrize("lang", LANGS)
def test_practical_boxes_have_no_stub(printed, names, lang):
    """Each part of a practical box (border on its start side only) holds at
    least two lines, and its border ends near its last line; a box of up to
    six lines in all is never split."""
    doc = pymupdf.open(printed[lang])
    mark = ui(lang, "Not yet translated: shown in %(language)s") % {
        "language": languages.display_name("en", babel_locale(lang))
    }
    side = "right" if lang in ("ar", "fa", "ps", "ckb") else "left"
    other = "left" if side == "right" else "right"
    parts = []
    for page in association_pages(doc, names):
        found = content(doc, page)
        codes = pdfcheck.qr_codes(doc, page)
        for box in pdfcheck.boxes(doc, page):
            s = box.sides
            if not (s[side] > 0.5 and s["top"] < 0.1 and s["bottom"] < 0.1 and s[other] < 0.1):
                continue
            inside = [ln for ln in found if box.outer.y0 - 1 <= ln.middle <= box.outer.y1 + 1]
            label = f"{lang} p{page + 1} box at {box.outer.y0 / MM:.0f} mm"
            if len(inside) == 1 and inside[0].text == mark:
                # the "not yet translated" mark (a one-line bar): it must not
                # end a page, since it goes with the text it marks
                assert box.outer.y1 < A5_HEIGHT - BOTTOM_MARGIN - 2 * MM, f"{label}: mark alone"
                continue
            split = (
                box.outer.y1 > A5_HEIGHT - BOTTOM_MARGIN - 2 * MM
                or box.outer.y0 < TOP_MARGIN + 2 * MM
            )
            assert len(inside) >= (2 if split else 1), f"{label}: a stub of {len(inside)} line(s)"
            last = max(
                [ln.y1 for ln in inside] + [q.rect.y1 for q in codes if q.rect.y0 < box.outer.y1]
            )
            assert box.outer.y1 - last <= 4 * MM, (
                f"{label}: border runs {(box.outer.y1 - last) / MM:.0f} mm past its text"
            )
            assert inside[0].y0 - box.outer.y0 <= 4 * MM, (
                f"{label}: border starts above empty space"
            )
            parts.append((page, box, len(inside)))
    for (page, box, n), (page2, box2, n2) in zip(parts, parts[1:], strict=False):
        split = (
            page2 == page + 1
            and box.outer.y1 > A5_HEIGHT - BOTTOM_MARGIN - 12 * MM
            and box2.outer.y0 < TOP_MARGIN + 12 * MM
        )
        if split:
            assert n + n2 > 6, f"{lang} p{page + 1}: a short box ({n + n2} lines) split"


# -- notice and marks ---------------------------------------------------------------


def ui(lang: str, msgid: str) -> str:
    from calais_guide.i18n import translations

    return translations(lang).gettext(msgid)


@pytest.mark.parametrize("lang", LANGS)
def test_one_notice_on_page_2_and_no_draft_mark_per_text(printed, lang):
    doc = pymupdf.open(printed[lang])
    # The notice: a framed box on page 2 naming the kinds of draft texts.
    framed = [b for b in pdfcheck.boxes(doc, 1) if all(w > 0.5 for w in b.sides.values())]
    assert len(framed) == 1, f"{lang}: {len(framed)} notice boxes on page 2"
    inside = [
        ln
        for ln in pdfcheck.lines(doc, 1)
        if framed[0].outer.contains(pymupdf.Point(ln.x0 + 1, ln.middle))
    ]
    assert len(inside) >= 4
    title = ui(lang, "Translations not yet reviewed")
    if SCRIPT.get(lang) != "Arab" and lang not in ("ar", "fa", "ps", "ckb"):
        assert title in " ".join(ln.text for ln in inside)
    text = " ".join(" ".join(doc[p].get_text().split()) for p in range(len(doc)))
    mark = ui(lang, "Translation not yet reviewed")
    if lang != "en":
        assert mark not in text, f"{lang}: a per-text draft mark is still printed"
    else:
        assert mark not in text.replace(title, "")


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_page_has_no_marks_and_back_cover_holds_the_numbers(printed, lang):
    doc = pymupdf.open(printed[lang])
    back = len(doc) - 1
    found = pdfcheck.lines(doc, back)
    numbers = {}
    for ln in found:
        for text, size in ln.sizes:
            if text.strip().isdigit():
                numbers[text.strip()] = max(size, numbers.get(text.strip(), 0))
    for number in ("112", "115", "196", "15", "17", "18", "114", "119"):
        assert numbers.get(number, 0) >= 14, (
            f"{lang}: {number} on the back cover at {numbers.get(number)}"
        )
    # a pictogram beside each number: an image left (or right) of it
    images = doc[back].get_image_info()
    drawn = [
        d
        for d in doc[back].get_drawings()
        if d.get("color") is not None and d["rect"].width < 8 * MM
    ]
    assert len(images) + len(drawn) >= 8
    fallback = ui(lang, "Not yet translated: shown in %(language)s").split("%")[0].strip()
    emergency = next(p for p in range(len(doc)) if "112" in doc[p].get_text() and p < back)
    assert "(" + ui(lang, "Translation not yet reviewed") + ")" not in doc[emergency].get_text()
    assert not fallback or fallback not in doc[emergency].get_text()


# -- colours per need ------------------------------------------------------------------


def test_need_colours_are_defined_once_and_legible_in_grey(printed):
    """Every need has one colour, in one CSS block; its band, printed in grey,
    keeps white text legible (contrast at least 4.5:1)."""
    import re

    from calais_guide.paths import layouts_dir

    css = "".join(p.read_text() for p in layouts_dir().rglob("*.css"))
    defined = re.findall(r"\.need-([a-z-]+)\s*\{\s*--need:\s*(device-cmyk\([^)]*\))", css)
    assert sorted(n for n, _ in defined) == sorted(NEEDS)
    colours = [c for _, c in defined]
    assert len(set(colours)) == len(colours), "two needs share a colour"

    doc = pymupdf.open(printed["fr"])
    checked = 0
    for page in range(len(doc)):
        bands = [
            d
            for d in doc[page].get_drawings()
            if d.get("fill")
            and len(set(d["fill"])) > 1
            and len(d["items"]) == 1  # a filled band (a coloured border is two)
            and d["rect"].height > 5 * MM
            and d["rect"].width > 60 * MM
        ]
        if not bands:
            continue
        pix = doc[page].get_pixmap(dpi=100, colorspace=pymupdf.csGRAY)
        scale = 100 / 72
        for d in bands:
            r = d["rect"]
            # a point in the band's padding, away from text
            x, y = int((r.x1 - 3 * MM) * scale), int((r.y0 + 0.5 * MM) * scale)
            value = pix.pixel(x, y)[0] / 255
            lum = ((value + 0.055) / 1.055) ** 2.4 if value > 0.04045 else value / 12.92
            assert pdfcheck.contrast(lum, 1.0) >= 4.5, f"p{page + 1}: band grey {value:.2f}"
            whites = [
                s
                for b in doc[page].get_text("dict", clip=r)["blocks"]
                for line in b.get("lines", [])
                for s in line["spans"]
                if s["text"].strip()
            ]
            assert whites and all(s["color"] == 0xFFFFFF for s in whites)
            checked += 1
    assert checked >= 15


def test_pictograms_labelling_needs_are_at_least_6_mm(printed):
    doc = pymupdf.open(printed["fr"])
    sizes = []
    for page in (1,) + tuple(range(len(doc))):
        for info in doc[page].get_image_info():
            sizes.append(info["bbox"])
    # Pictograms are vector SVGs: measure their drawings in the need bands
    # and the key (page 2): each is a group of strokes inside a 6 mm tile.
    tiles = [
        d["rect"]
        for d in doc[1].get_drawings()
        if d.get("fill") and len(d["items"]) >= 2 and 6 * MM <= d["rect"].width <= 9 * MM
    ]
    assert len(tiles) >= 10, "pictogram key not found on page 2"
    for rect in tiles:
        icon = [
            d["rect"]
            for d in doc[1].get_drawings()
            if d.get("color") is not None
            and d["rect"].intersects(rect)
            and d["rect"].width < rect.width
        ]
        assert icon
        width = max(r.x1 for r in icon) - min(r.x0 for r in icon)
        height = max(r.y1 for r in icon) - min(r.y0 for r in icon)
        assert max(width, height) >= 3.5 * MM  # strokes inside a 6 mm pictogram grid
        assert rect.width >= 6 * MM
