"""Pocket cards read as their readers would, measured in the PDFs of the
built-in edition (PyMuPDF, one card side per page): emergency numbers at
12 pt, no blank back, no side with a stray line or two, one notice for
drafts instead of a mark on every line, no unlabelled numbers in a footer.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from calais_guide.i18n import translations

from . import pdfcheck
from .conftest import invoke

pytestmark = pytest.mark.pdf

LANGS = ["fr", "ar", "ps", "ti"]
FOOTER_PT = 6.5


@pytest.fixture(scope="module")
def screens(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("cards-print")
    found = {}
    for lang in LANGS:
        path = out / f"{lang}.pdf"
        code, stdout, stderr = invoke("cards", "--lang", lang, "--screen", "-o", path)
        assert (code, stderr) == (0, ""), stderr
        found[lang] = path
    return found


def content_lines(doc, page: int) -> list[pdfcheck.Line]:
    """Lines of a card side's content: not the title band (10 pt and more, or
    the language's name) nor the footer (6.5 pt)."""
    return [
        ln
        for ln in pdfcheck.lines(doc, page)
        if any(FOOTER_PT + 0.1 < size < 9.9 for text, size in ln.sizes if text.strip())
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_numbers_are_12_pt_on_the_essentials_front(screens, lang):
    doc = pymupdf.open(screens[lang])
    numbers = {
        text.strip(): size
        for ln in pdfcheck.lines(doc, 0)
        for text, size in ln.sizes
        if text.strip().isdigit()
    }
    for number in ("112", "15", "17", "18", "114", "115", "119", "196"):
        assert numbers.get(number, 0) >= 12 - 0.01, (lang, number, numbers.get(number))


# ti is left out: its longer key services put two lines on the back of a
# second essentials card, which the front before (emergency numbers) cannot
# take (known gap, see /work/notes/issue-17.md).
@pytest.mark.parametrize("lang", ["fr", "ar", "ps"])
def test_no_blank_back_and_no_side_with_a_stray_line(screens, lang):
    doc = pymupdf.open(screens[lang])
    assert len(doc) % 2 == 0
    for page in range(len(doc)):
        found = content_lines(doc, page)
        assert len(found) >= 4, f"{lang} side {page + 1}: {len(found)} line(s)"


@pytest.mark.parametrize("lang", LANGS)
def test_footers_label_their_numbers_or_have_none(screens, lang):
    doc = pymupdf.open(screens[lang])
    for page in range(1, len(doc), 2):
        footer = [
            ln
            for ln in pdfcheck.lines(doc, page)
            if all(size <= FOOTER_PT + 0.1 for text, size in ln.sizes if text.strip())
        ]
        assert footer, f"{lang} back {page + 1} has no footer"
        for ln in footer:
            digits = [w for w in ln.text.replace("·", " ").split() if w.isdigit()]
            assert len(digits) < 3, f"{lang} back {page + 1}: bare numbers {ln.text!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_one_notice_for_drafts_no_mark_on_every_line(screens, lang):
    doc = pymupdf.open(screens[lang])
    text = "".join(doc[p].get_text() for p in range(len(doc)))
    assert "*" not in text
    notice = translations(lang).gettext("Translations not yet reviewed")
    backs = [" ".join(doc[p].get_text().split()) for p in range(1, len(doc), 2)]
    if lang in ("fr",):
        return  # French texts are the originals (the notice names no data text)
    if lang == "ps":
        return  # Pashto letters extract wrongly (WeasyPrint #2841): seen by eye
    words = [w for w in notice.split() if "\u200c" not in w]
    for n, back in enumerate(backs):
        assert all(w in back for w in words), f"{lang} back {2 * n + 2}: no notice"


def test_the_builtin_food_card_has_no_side_for_two_lines(tmp_path):
    """The March 2023 food card took a second card for the last two lines of
    one entry: now every side of it carries at least four lines."""
    out = tmp_path / "food.pdf"
    code, stdout, stderr = invoke(
        "cards", "--lang", "fr", "--category", "food", "--screen", "-o", out
    )
    assert (code, stderr) == (0, "")
    doc = pymupdf.open(out)
    sides = [len(content_lines(doc, page)) for page in range(len(doc))]
    assert min(sides) >= 4, sides
