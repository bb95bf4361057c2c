"""Glyph coverage: validate names every character no bundled font can draw."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from calais_guide.cli import app
from calais_guide.glyphs import coverage, families_for, missing
from calais_guide.validate import validate

EDITION = """\
edition: "2023-03"
title:
  fr: Le guide
languages: [fr, ar, ti]
"""

ENTRY = """\
id: abri
name: {name}
summary:
  fr: Un abri pour la nuit.
  ar:
    text: {ar}
    status: draft
    from: fr
    source_hash: 37ef961c53e0
  ti:
    text: {ti}
    status: draft
    from: fr
    source_hash: 37ef961c53e0
description:
  fr: Un abri.
assured_date: 2023-03-01
"""

GOOD_AR = "مأوى لليلة."
GOOD_TI = "መዕቆቢ ንለይቲ።"


def make_db(tmp_path: Path, name: str = "Abri", ar: str = GOOD_AR, ti: str = GOOD_TI) -> Path:
    root = tmp_path / "guide"
    root.mkdir()
    (root / "edition.yaml").write_text(EDITION, encoding="utf-8")
    (root / "abri.yaml").write_text(ENTRY.format(name=name, ar=ar, ti=ti), encoding="utf-8")
    return root


def glyph_errors(root: Path) -> list:
    return [p for p in validate(root).errors if "font" in p.message]


def test_texts_every_font_draws_pass(tmp_path):
    root = make_db(tmp_path)
    report = validate(root)
    assert report.errors == [], report.errors
    assert not [w for w in report.warnings if "stale" in w.message]


def test_a_character_outside_the_fonts_fails_naming_entry_field_language_character(tmp_path):
    root = make_db(tmp_path, ar="مأوى لليلة 🙂")
    (problem,) = glyph_errors(root)
    assert problem.file == root / "abri.yaml"
    assert problem.field == "summary.ar"
    assert problem.line == 5  # the "ar:" line
    assert "'🙂' (U+1F642 SLIGHTLY SMILING FACE)" in problem.message
    assert " in ar " in problem.message
    assert "fonts/fonts.yaml" in (problem.hint or "")


def test_a_letter_of_another_script_fails_in_tigrinya(tmp_path):
    """An Arabic letter pasted into Tigrinya: the Ethiopic fonts have no glyph for it."""
    root = make_db(tmp_path, ti="መዕቆቢ ب ንለይቲ።")
    (problem,) = glyph_errors(root)
    assert problem.field == "summary.ti"
    assert "U+0628 ARABIC LETTER BEH" in problem.message
    assert " in ti " in problem.message


def test_an_entry_name_is_checked_in_every_language_of_the_edition(tmp_path):
    root = make_db(tmp_path, name="Abri ✈")
    problems = glyph_errors(root)
    assert {p.field for p in problems} == {"name"}
    assert {p.message.split(" in ")[1].split()[0] for p in problems} == {"fr", "ar", "ti"}


def test_validate_command_reports_it_and_fails(tmp_path):
    root = make_db(tmp_path, ar="مأوى 🙂")
    result = CliRunner().invoke(app, ["validate", "--entries", str(root)])
    assert result.exit_code == 1
    assert "summary.ar" in result.output
    assert "U+1F642" in result.output


@pytest.mark.parametrize(
    ("lang", "sample"),
    [
        ("fr", "Hébergement d'urgence, 7j/7 : « œuvre » — été"),
        ("ar", "الطوارئ: مأوى، طعام؟ «نعم»"),
        ("fa", "شماره‌های اضطراری؛ پیامک"),
        ("ps", "ټیلیفون، ښځې، ګرځنده، ړومبی، ڼ، ې، ۍ، ځ، څ"),
        ("ckb", "ئافرەتان، ڕۆژ، ڵ، ێ، ۆ"),
        ("ti", "ሓገዝ ኣበይ ይርከብ፣ ሎሚ ክፉት እዩ።"),
        ("am", "እርዳታ የት ይገኛል፤ ዛሬ ክፍት ነው።"),
    ],
)
def test_each_language_letters_are_covered(lang, sample):
    assert missing(sample, lang) == []
    assert coverage(lang)


def test_families_most_specific_first():
    assert families_for("ar")[0] == "Vazirmatn"
    assert families_for("ti")[0] == "Noto Sans Ethiopic"
    assert families_for("fr") == ["Noto Sans"]


def test_hours_notes_are_checked_too(tmp_path):
    root = make_db(tmp_path)
    path = root / "abri.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "locations:\n"
        + "  - kind: mobile\n"
        + "    description: {fr: Sur les lieux de vie}\n"
        + "    schedules:\n"
        + "      - byday: [mo]\n"
        + '        opens_at: "18:00"\n'
        + '        closes_at: "20:00"\n'
        + "        description: {fr: Femmes ♀ seulement}\n"
        + "    exceptions:\n"
        + "      - valid_from: 2023-12-25\n"
        + "        note: {fr: Noël ★}\n",
        encoding="utf-8",
    )
    fields = {p.field for p in glyph_errors(root)}
    assert fields == {
        "locations[0].schedules[0].description.fr",
        "locations[0].exceptions[0].note.fr",
    }


@pytest.mark.parametrize(
    ("output", "english", "french"),
    [
        ("booklet", "the ar booklet would print", "le livret en ar imprimerait"),
        ("timetable", "the ar timetable would print", "l'affiche en ar imprimerait"),
        (
            "phone guide",
            "the ar phone guide would show",
            "le guide pour téléphone en ar afficherait",
        ),
    ],
)
def test_every_output_names_itself_when_its_html_holds_an_undrawable_character(
    output: str, english: str, french: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One check for every output (render/html.check_html), one hint for all."""
    from calais_guide.errors import RenderError
    from calais_guide.render.html import check_html

    html = '<html lang="fr"><body><p lang="ar">x \u2603 y</p></body></html>'
    monkeypatch.setenv("LANG", "C")
    with pytest.raises(RenderError) as caught:
        check_html(html, "ar", output)
    assert str(caught.value) == (
        f"{english} '\u2603' (U+2603 SNOWMAN) as an empty box (text in ar: 'x \u2603 y'); "
        "fix the translation catalog, or add a font covering it to fonts/fonts.yaml"
    )
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    with pytest.raises(RenderError) as caught:
        check_html(html, "ar", output)
    assert str(caught.value).startswith(f"{french} '\u2603' (U+2603 SNOWMAN) comme une case vide")
    check_html('<p lang="ar">مرحبا</p>', "ar", output)  # drawable: nothing raised
