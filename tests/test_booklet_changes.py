"""The booklet's "what changed since the last edition" page, from the snapshot
of the previous published edition."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from calais_guide.editions import new_edition
from calais_guide.i18n import translations
from calais_guide.load import load_database
from calais_guide.render.booklet import changes_since_last_edition, context, render_booklet

from .conftest import pdftotext

FIXTURE = Path(__file__).parent / "fixtures" / "build"


def _guide(tmp_path: Path) -> Path:
    root = tmp_path / "guide"
    shutil.copytree(FIXTURE, root)
    return root


def _next_edition(root: Path) -> None:
    """Publish 2024-06, start 2024-09; change a phone, add and remove an entry."""
    new_edition(root, "2024-09")
    path = root / "accueil-test.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("+33 3 21 00 00 00", "+33 3 21 00 00 09"),
        encoding="utf-8",
    )
    new = (root / "maraude-test.yaml").read_text(encoding="utf-8")
    (root / "soupe-test.yaml").write_text(
        new.replace("id: maraude-test", "id: soupe-test").replace("Maraude Test", "Soupe Test"),
        encoding="utf-8",
    )
    (root / "maraude-test.yaml").unlink()
    edition = root / "edition.yaml"
    edition.write_text(
        edition.read_text(encoding="utf-8").replace(
            "order: [accueil-test, maraude-test]", "order: [accueil-test, soupe-test]"
        ),
        encoding="utf-8",
    )


def test_no_page_before_a_first_published_edition(tmp_path: Path) -> None:
    db = load_database(_guide(tmp_path))
    assert changes_since_last_edition(db, {e.id for e in db.entries}) is None
    assert context(db, "fr").changes is None


def test_changes_since_the_published_edition(tmp_path: Path) -> None:
    root = _guide(tmp_path)
    _next_edition(root)
    view = context(load_database(root), "fr").changes
    assert view is not None
    assert view.added == [("Soupe Test", "entry-soupe-test")]
    assert view.removed == ["Maraude Test"]
    assert [(c.name, c.what) for c in view.changed] == [("Accueil Test", ["Phone numbers changed"])]


@pytest.mark.pdf
def test_the_page_is_printed_in_the_booklets_language(tmp_path: Path) -> None:
    root = _guide(tmp_path)
    _next_edition(root)
    db = load_database(root)
    for lang in ("fr", "ar"):
        data, pages, _ = render_booklet(db, lang)
        pdf = tmp_path / f"{lang}.pdf"
        pdf.write_bytes(data)
        text = " ".join(pdftotext(pdf).split()).casefold()  # headings are set in capitals
        _ = translations(lang).gettext
        for msgid in ("New in this edition", "Phone numbers changed"):
            for word in _(msgid).split():
                assert word.casefold() in text, (lang, msgid, word)
        assert "soupe test" in text and "maraude test" in text
        assert pages % 4 == 0
