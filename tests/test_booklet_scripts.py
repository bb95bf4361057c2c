"""The association pages of a non-Latin booklet are in the reader's script:
Latin letters (names, web addresses, untranslated text) are at most 20 % of
their letters (issue 17: they were 69-79 % in ps, ckb, ti, am while the
descriptions were printed in English)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from calais_guide import languages
from calais_guide.load import load_database
from calais_guide.model import pick
from calais_guide.paths import builtin_entries

from .conftest import invoke, pdfinfo, pdftotext

LATIN_MAX = 0.20
NON_LATIN = ["ps", "ckb", "ti", "am"]
"""Booklets whose association pages are measured (every description written in them)."""


def latin_share(text: str) -> float:
    """Latin letters / all letters of ``text`` (digits, punctuation, spaces not counted)."""
    letters = [c for c in text if c.isalpha()]
    latin = [c for c in letters if unicodedata.name(c, "").startswith("LATIN")]
    return len(latin) / len(letters) if letters else 0.0


def test_latin_share_counts_letters_only() -> None:
    assert latin_share("abc دهو") == 0.5
    assert latin_share("Utopia 56: ዙረት፣ 7/7") == 6 / 9
    assert latin_share("2023 - 24/7") == 0.0


def printed_texts(lang: str) -> list[str]:
    """What the booklet prints about each association in ``lang``: its name,
    and the summary, description and place texts it picks (its own, or the
    fallback language's when it has none)."""
    db = load_database(builtin_entries())
    out: list[str] = []
    for entry in db.entries:
        out.append(entry.name)
        fields = [entry.summary, entry.description]
        fields += [loc.description for loc in entry.locations]
        fields += [loc.name for loc in entry.locations]
        for texts in fields:
            shown = pick(texts, languages.chain(lang))
            if shown is not None:
                out.append(shown.text)
    return out


@pytest.mark.parametrize("lang", NON_LATIN)
def test_the_association_texts_are_in_the_readers_script(lang: str) -> None:
    texts = printed_texts(lang)
    assert len(texts) > 19 * 3
    assert latin_share("\n".join(texts)) <= LATIN_MAX


def association_pages(pdf: Path) -> dict[int, str]:
    """Page number -> text of the pages presenting associations: those naming
    one to four of them (a contents, index or by-need page names many)."""
    names = [e.name for e in load_database(builtin_entries()).entries]
    pages: dict[int, str] = {}
    for number in range(1, int(pdfinfo(pdf)["Pages"]) + 1):
        text = pdftotext(pdf, "-f", str(number), "-l", str(number))
        named = sum(1 for name in names if name in " ".join(text.split()))
        if 1 <= named <= 4:
            pages[number] = text
    return pages


@pytest.mark.pdf
@pytest.mark.parametrize("lang", NON_LATIN)
def test_the_association_pages_of_the_booklet_are_in_the_readers_script(
    tmp_path: Path, lang: str
) -> None:
    pdf = tmp_path / f"booklet-{lang}.pdf"
    code, output, errors = invoke("booklet", "--lang", lang, "--output", pdf)
    assert code == 0, errors
    pages = association_pages(pdf)
    assert len(pages) >= 8, sorted(pages)
    shares = {n: round(latin_share(t), 2) for n, t in pages.items()}
    assert latin_share("".join(pages.values())) <= LATIN_MAX, shares
