"""The printed pocket cards, checked as a volunteer with scissors would:
sheets per language, where each card lands, backs behind fronts, crop
marks, fonts, the text layer of right-to-left cards, bilingual cards,
overflow errors, reproducibility and the command line.

PDFs are rendered once per module (the ``built`` fixture).
"""

from __future__ import annotations

import gettext
import html
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from calais_guide import glyphs, products
from calais_guide.cli import app
from calais_guide.errors import RenderError
from calais_guide.load import load_database
from calais_guide.render import card_content, card_layout, sheets
from calais_guide.render.cards import build_card_sets, build_cards, render_cards
from calais_guide.validate import printable_database

from .conftest import copy_guide, edit_entry, pdfinfo, pdftotext

FIXTURE = Path(__file__).parent / "fixtures" / "cards"
PT = 72 / 25.4
A4 = (595.28, 841.89)
CARD = (85.6 * PT, 54 * PT)
LANGS = ["fr", "ar", "fa", "ti"]


def words(path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) in points from the top-left corner."""
    out = pdftotext(path, "-bbox", "-f", str(page), "-l", str(page))
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        out,
    )
    return [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in found]


def find(path: Path, page: int, phrase: str) -> list[tuple[float, float]]:
    """Top-left corners (pt) of every occurrence of ``phrase`` (a word sequence) on ``page``."""
    seq = words(path, page)
    wanted = phrase.split()
    hits = []
    for i in range(len(seq) - len(wanted) + 1):
        if [w[4] for w in seq[i : i + len(wanted)]] == wanted:
            hits.append((seq[i][0], seq[i][1]))
    return hits


def inside(point: tuple[float, float], rect: sheets.Rect) -> bool:
    x, y = point
    return rect.x * PT <= x <= rect.right * PT and rect.y * PT <= y <= rect.bottom * PT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture's cards, with interface strings as their English msgids so
    that card counts and positions do not move when a catalog changes (the
    shipped catalogs are exercised by test_every_language_builds_...)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("calais_guide.i18n.translations", lambda lang: gettext.NullTranslations())
        yield _build(tmp_path_factory.mktemp("cards"))


def _build(out: Path) -> dict[str, Path]:
    db = printable_database(FIXTURE)
    paths = {b.lang: b.path for b in build_card_sets(FIXTURE, "all", out)}
    paths["fr-again"] = build_cards(db, "fr", out / "fr-again.pdf").path
    paths["ar-screen"] = build_cards(db, "ar", out / "ar-screen.pdf", screen=True).path
    paths["ar-screen-again"] = build_cards(db, "ar", out / "ar-screen-2.pdf", screen=True).path
    paths["ar-bilingual"] = build_cards(db, "ar", out / "ar-bi.pdf", bilingual=True).path
    paths["ti-food"] = build_cards(db, "ti", out / "ti-food.pdf", categories=["food"]).path
    return paths


@pytest.mark.pdf
def test_every_language_builds_with_the_shipped_catalogs(tmp_path):
    made = list(build_card_sets(FIXTURE, "all", tmp_path, screen=True))
    assert [b.lang for b in made] == LANGS
    bundled = {f.family.replace(" ", "-") for f in glyphs.fonts()}
    for b in made:
        assert pdfinfo(b.path)["Pages"] == str(2 * len(b.cards))
        for font in _fonts(b.path):
            assert any(font == x or font.startswith(x + "-") for x in bundled), font


# -- sheets --------------------------------------------------------------------------


@pytest.mark.pdf
@pytest.mark.parametrize("lang", LANGS)
def test_one_sheet_per_language_fronts_then_backs(built, lang):
    path = built[lang]
    assert path.name == f"cards-2024-06-{lang}.pdf"
    info = pdfinfo(path)
    assert info["Pages"] == "2"  # 6 cards: one sheet, fronts page and backs page
    assert info["Page size"].startswith("595.276 x 841.89")
    out = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert out.returncode == 0 and "No syntax or stream encoding errors" in out.stdout


def _placements(path: Path, page: int) -> list[tuple[str, float, float]]:
    """(XObject name, x, y) of every card placed on ``page`` (1-based)."""
    with pikepdf.open(path) as pdf:
        ops = pikepdf.parse_content_stream(pdf.pages[page - 1])
        found, matrix = [], None
        for operands, operator in ops:
            if str(operator) == "cm":
                matrix = [float(v) for v in operands]
            elif str(operator) == "Do":
                assert matrix is not None and matrix[:4] == [1, 0, 0, 1]  # no scaling
                found.append((str(operands[0]), matrix[4], matrix[5]))
    return found


@pytest.mark.pdf
def test_cards_land_exactly_where_the_arithmetic_says(built):
    path = built["fr"]
    placed = sheets.placements(6)
    for page, back in ((1, False), (2, True)):
        found = _placements(path, page)
        expected = []
        for p in placed:
            x0, y0, _, _ = (p.back if back else p.front).pdf()
            expected.append((f"/Card{p.card}{'B' if back else 'F'}", round(x0, 2), round(y0, 2)))
        assert [(n, round(x, 2), round(y, 2)) for n, x, y in found] == expected


@pytest.mark.pdf
def test_each_card_text_is_inside_its_rectangle(built):
    # Summary lines only the thematic cards print, in set order: essentials,
    # food, water, health, legal, minors (slots 0-5; 6-7 are spare copies).
    path = built["fr"]
    placed = sheets.placements(6)
    fronts = {
        0: "Toutes urgences",  # 112, essentials card
        3: "Consultations médicales gratuites",  # health
        4: "Conseils juridiques",  # legal
        5: "Mise à l'abri fictive",  # minors
    }
    for card, phrase in fronts.items():
        hits = find(path, 1, phrase)
        slots = [p.front for p in placed if p.card == card]
        assert len(hits) == len(slots), (phrase, hits)
        for rect in slots:
            assert any(inside(hit, rect) for hit in hits), (phrase, rect)
    backs = {1: "Repas chauds sur les lieux", 2: "Douches chaudes gratuites"}
    for card, phrase in backs.items():
        hits = find(path, 2, phrase)
        assert hits, phrase
        for rect in [p.back for p in placed if p.card == card]:
            assert any(inside(hit, rect) for hit in hits), (phrase, rect)


@pytest.mark.pdf
def test_backs_are_behind_their_fronts_when_flipped_on_the_long_edge(built):
    # The food card (slot 1, right column) has Maraude Test on its back: on the
    # backs page it is in the left column, same row.
    path = built["fr"]
    front = sheets.slot_rect(1)
    [(x, y)] = [hit for hit in find(path, 2, "Repas chauds sur les lieux") if hit[1] < A4[1] / 3]
    assert x < A4[0] / 2 and front.x * PT >= A4[0] / 2 - 0.01
    assert front.y * PT <= y <= front.bottom * PT
    mirrored_x = A4[0] - x  # where the word lands when the sheet is turned over
    assert front.x * PT <= mirrored_x <= front.right * PT


@pytest.mark.pdf
def test_crop_marks_are_printed_in_the_margins_only(built, tmp_path):
    # Render the fronts page at 1 px per point and look at the pixels.
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "72", "-f", "1", "-l", "1", "-png", str(built["fr"]),
         str(tmp_path / "sheet")],
        check=True,
    )  # fmt: skip
    [png] = tmp_path.glob("sheet*.png")
    image = Image.open(png).convert("L")

    def dark(x_mm: float, y_mm: float) -> bool:
        x, y = round(x_mm * PT), round(y_mm * PT)
        return min(image.getpixel((x + dx, y + dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)) < 128

    for (xa, ya), (xb, yb) in sheets.crop_marks():
        assert dark((xa + xb) / 2, (ya + yb) / 2), ((xa, ya), (xb, yb))
    xs, ys = sheets.cut_lines()
    # Between a mark and the cards (the gap) and in the corners: white paper.
    for x in xs:
        assert not dark(x, ys[0] - sheets.MARK_GAP_MM / 2)
        assert not dark(x, ys[-1] + sheets.MARK_GAP_MM / 2)
    assert not dark(5, 5) and not dark(205, 292)


# -- fonts, text layer -------------------------------------------------------------


def _fonts(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    for row in rows:
        assert row[-27:].split()[0] == "yes", row  # embedded
    return [row.split()[0].split("+", 1)[-1] for row in rows]


@pytest.mark.pdf
@pytest.mark.parametrize("name", [*LANGS, "ar-screen", "ar-bilingual"])
def test_only_bundled_fonts_are_embedded(built, name):
    bundled = {f.family.replace(" ", "-") for f in glyphs.fonts()}
    fonts = _fonts(built[name])
    assert fonts
    for font in fonts:
        assert any(font == b or font.startswith(b + "-") for b in bundled), font


@pytest.mark.pdf
def test_arabic_script_and_ethiopic_cards_use_their_fonts(built):
    assert any(f.startswith("Vazirmatn") for f in _fonts(built["ar"]))
    assert any(f.startswith("Vazirmatn") for f in _fonts(built["fa"]))
    assert any(f.startswith("Noto-Sans-Ethiopic") for f in _fonts(built["ti"]))
    assert not any("Vazirmatn" in f or "Ethiopic" in f for f in _fonts(built["fr"]))


@pytest.mark.pdf
def test_texts_print_in_their_scripts(built):
    assert "مركز استقبال ليلي تجريبي" in pdftotext(built["ar"])
    fa = pdftotext(built["fa"])
    assert "مرکز پذیرش" in fa and "آزمایشی" in fa
    ti = pdftotext(built["ti"])
    assert "ናይ ፈተነ ናይ ለይቲ መቀበሊ" in ti
    assert "ሰኑ – ዓር" in ti.replace("\u2009", " ")  # Monday - Friday, CLDR


@pytest.mark.pdf
@pytest.mark.parametrize("name", ["ar", "fa", "ar-screen"])
def test_phone_numbers_extract_in_dialling_order_on_rtl_cards(built, name):
    text = pdftotext(built[name])
    for number in ("03 53 01 00 01", "+44 20 7946 0001", "01 99 00 12 34", "03 53 01 00 04"):
        assert number in text, number
    assert "01 00 01 53 03" not in text and "0001 7946 20 44+" not in text


@pytest.mark.pdf
def test_phone_numbers_read_left_to_right_on_an_arabic_card(built):
    seq = words(built["ar"], 1)
    [start] = [w for w in seq if w[4] == "+44"][:1]
    line = {w[4]: w[0] for w in seq if abs(w[1] - start[1]) < 1 and w[0] >= start[0] - 1}
    assert line["+44"] < line["20"] < line["7946"] < line["0001"]


@pytest.mark.pdf
def test_rtl_cards_mirror_the_layout(built):
    # The emergency numbers start at the right edge of an Arabic card and at
    # the left edge of a French one.
    card = sheets.slot_rect(0)
    [(x_ar, _)] = [hit for hit in find(built["ar"], 1, "112") if inside(hit, card)]
    [(x_fr, _)] = [hit for hit in find(built["fr"], 1, "112") if inside(hit, card)]
    assert x_ar > (card.x + card.width / 2) * PT > x_fr


# -- variants ------------------------------------------------------------------------


@pytest.mark.pdf
def test_screen_pdf_has_one_card_side_per_card_sized_page(built):
    path = built["ar-screen"]
    info = pdfinfo(path)
    assert info["Pages"] == "12"  # 6 cards, front and back
    width, height = (float(v) for v in info["Page size"].split()[0:3:2])
    assert (round(width, 1), round(height, 1)) == (round(CARD[0], 1), round(CARD[1], 1))
    assert info["Tagged"] == "yes"
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "ar"
        uris = {
            str(a.A.URI)
            for page in pdf.pages
            for a in page.obj.get("/Annots", [])
            if "/A" in a and "/URI" in a.A
        }
    assert {"tel:+33353010001", "tel:112", "https://example.org/accueil-nuit/"} <= uris


@pytest.mark.pdf
def test_essentials_card_has_the_guide_qr_code():
    db = load_database(FIXTURE)
    view = card_content.plan(db, "fr", ["essentials"])
    sizes = card_layout.measure(view)
    [card] = card_layout.pack(view, view.streams[0], sizes)
    html = card_layout.card_html(view, [card.front, card.back])
    from calais_guide.render.html import qr_svg

    assert html.count('class="qr"') == 1
    # modules of 0.45 mm, the quiet zone inside the code's box
    assert str(qr_svg("https://example.org/guide", min_mm=0)) in html


@pytest.mark.pdf
def test_a_category_set_fills_the_sheet_with_copies(built):
    # One food card (two in Tigrinya? no: one) -> eight copies on one sheet.
    path = built["ti-food"]
    assert pdfinfo(path)["Pages"] == "2"
    assert [n for n, _, _ in _placements(path, 1)] == ["/Card0F"] * 8
    assert len(find(path, 1, "Maison de nuit")) >= 8


@pytest.mark.pdf
def test_two_builds_are_byte_identical(built):
    assert built["fr"].read_bytes() == built["fr-again"].read_bytes()
    assert built["ar-screen"].read_bytes() == built["ar-screen-again"].read_bytes()


# -- bilingual -------------------------------------------------------------------------


class _Langs(HTMLParser):
    """Language of every text node of generated HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("meta", "link", "img", "br"):
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip():
            lang = next((lang for _, lang in reversed(self.stack) if lang), "")
            self.found.append((lang, data.strip()))


@pytest.mark.pdf
def test_bilingual_cards_print_french_beside_the_language(built):
    text = " ".join(pdftotext(built["ar-bilingual"]).split())
    assert "مركز استقبال ليلي تجريبي" in text
    assert "Accueil de nuit fictif pour les tests" in text
    assert "Repas chauds sur les lieux de vie" in text  # Maraude Test, in French too
    db = load_database(FIXTURE)
    view = card_content.plan(db, "ar", ["water"], bilingual=True)
    sizes = card_layout.measure(view)
    faces = [f for c in card_layout.pack(view, view.streams[0], sizes) for f in (c.front, c.back)]
    parser = _Langs()
    parser.feed(card_layout.card_html(view, faces))
    langs = dict((t, lang) for lang, t in parser.found)
    assert langs["Accueil de nuit fictif pour les tests ; eau, soupe et espace femmes."] == "fr"
    assert langs["مركز استقبال ليلي تجريبي؛ ماء وحساء ومساحة للنساء."] == "ar"
    assert langs["Femmes seulement"] == "fr" and langs["للنساء فقط"] == "ar"


def test_all_languages_bilingual_leaves_french_out(tmp_path, monkeypatch):
    asked = []

    def print_command(db, kind, langs, output, **options):
        asked.append((kind, langs, output, options))
        return iter([])

    monkeypatch.setattr("calais_guide.render.cards.print_command", print_command)
    list(build_card_sets(FIXTURE, "all", tmp_path, bilingual=True))
    ((kind, langs, output, options),) = asked
    assert (kind, langs, output) == ("cards", ["ar", "fa", "ti"], tmp_path)
    assert options["many"] and options["bilingual"]
    assert products.get(kind).file_name("ar", "2024-06", options["tags"]) == (
        "cards-2024-06-ar-bilingual.pdf"
    )


def test_bilingual_french_cards_are_refused(tmp_path):
    result = CliRunner().invoke(
        app, ["cards", "--entries", str(FIXTURE), "--bilingual", "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 2 and "other than fr" in result.output
    assert not (tmp_path / "x.pdf").exists()


# -- nothing silently cut ---------------------------------------------------------------


@pytest.mark.pdf
def test_an_entry_too_long_for_a_card_fails_naming_entry_field_language(tmp_path):
    root = copy_guide(FIXTURE, tmp_path)
    long_ti = " ".join(["ኣብ መንበሪ ቦታታት ካሌ ዝርከብ ናይ ምሸት ዑደት"] * 30)

    def lengthen(data):
        data["locations"][0]["description"]["ti"] = long_ti

    edit_entry(root, "maraude-test", lengthen)
    target = tmp_path / "out" / "ti.pdf"
    target.parent.mkdir()
    target.write_bytes(b"old cards")
    result = CliRunner().invoke(
        app, ["cards", "--entries", str(root), "--lang", "ti", "-o", str(target)]
    )
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert "'food' card in ti" in message
    assert "entry 'maraude-test' (maraude-test.yaml)" in message
    assert "field locations[0].description.ti" in message
    assert re.search(r"overflows a card side by \d+\.\d mm", message)
    assert "6.5 pt" in message and "Traceback" not in result.output
    assert target.read_bytes() == b"old cards"  # nothing half-written
    assert [p.name for p in target.parent.iterdir()] == ["ti.pdf"]
    # The French cards do not print the Tigrinya text: they build.
    build_cards(load_database(root), "fr", tmp_path / "fr.pdf", categories=["food"], screen=True)


@pytest.mark.pdf
def test_a_summary_too_long_in_one_language_fails_even_without_the_validator(tmp_path):
    root = copy_guide(FIXTURE, tmp_path)
    edit_entry(
        root,
        "clinique-test",
        lambda d: d["summary"]["ar"].update(text="استشارات طبية مجانية " * 40),
    )
    with pytest.raises(RenderError) as err:
        render_cards(load_database(root), "ar", ["health"])
    assert "entry 'clinique-test'" in str(err.value) and "field summary.ar" in str(err.value)


@pytest.mark.pdf
def test_emergency_numbers_that_do_not_fit_the_front_name_the_edition_field(tmp_path):
    root = copy_guide(FIXTURE, tmp_path)
    path = root / "edition.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["emergency_numbers"][4]["label"]["ti"] = "ህጹጽ ብመልእኽቲ " * 40
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(RenderError) as err:
        render_cards(load_database(root), "ti", ["essentials"])
    message = str(err.value)
    assert "the essentials card in ti cannot hold the emergency numbers (edition.yaml)" in message
    assert "field emergency_numbers[4].label.ti" in message


def test_a_name_no_font_can_draw_is_named_before_rendering(tmp_path):
    from calais_guide.errors import DataError

    root = copy_guide(FIXTURE, tmp_path)
    edit_entry(root, "clinique-test", lambda d: d.update(name="Clinique Test 😀"))
    with pytest.raises(DataError) as err:
        render_cards(load_database(root), "am", ["health"])  # am: not an edition language
    [problem] = err.value.problems
    assert problem.file == root / "clinique-test.yaml" and problem.field == "name"
    assert "U+1F600" in problem.message and "am cards" in problem.message


@pytest.mark.pdf
def test_no_glyph_is_laid_out_under_the_legible_minimum():
    from calais_guide.paths import layouts_dir
    from calais_guide.render.pdf import render_document

    db = load_database(FIXTURE)
    view = card_content.plan(db, "fr", ["legal"])
    sizes = card_layout.measure(view)
    faces = [f for c in card_layout.pack(view, view.streams[0], sizes) for f in (c.front, c.back)]
    page = card_layout.card_html(view, faces)
    card_layout.verify(render_document(page, layouts_dir() / "cards"), faces, view)  # passes
    small = page.replace("</head>", "<style>.summary { font-size: 5pt; }</style></head>")
    with pytest.raises(RenderError, match=r"at 5\.0 pt, under the 6\.5 pt minimum"):
        card_layout.verify(render_document(small, layouts_dir() / "cards"), faces, view)


@pytest.mark.pdf
@pytest.mark.parametrize(
    ("push", "message"),
    [("25mm", "below the room of its side"), ("40mm", "laid out 3 pages for 2 card sides")],
)
def test_text_pushed_out_of_its_side_is_caught_after_layout(push, message):
    from calais_guide.paths import layouts_dir
    from calais_guide.render.pdf import render_document

    db = load_database(FIXTURE)
    view = card_content.plan(db, "fr", ["legal"])
    sizes = card_layout.measure(view)
    faces = [f for c in card_layout.pack(view, view.streams[0], sizes) for f in (c.front, c.back)]
    page = card_layout.card_html(view, faces)
    pushed = page.replace(
        "</head>", f"<style>.block.head {{ padding-top: {push}; }}</style></head>"
    )
    with pytest.raises(RenderError, match=message):
        card_layout.verify(render_document(pushed, layouts_dir() / "cards"), faces, view)


# -- offline, command line ---------------------------------------------------------------


@pytest.mark.pdf
def test_cards_build_without_network(tmp_path, no_network):
    build_cards(load_database(FIXTURE), "ti", tmp_path / "ti.pdf", categories=["legal"])
    assert no_network == []


@pytest.mark.pdf
def test_cli_default_names_for_categories_bilingual_and_screen(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app,
        ["cards", "--entries", str(FIXTURE), "--lang", "ar", "--category", "water,essentials",
         "--bilingual", "--screen"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [made] = (tmp_path / "build").iterdir()
    assert made.name == "cards-2024-06-ar-water+essentials-bilingual-screen.pdf"
    pages = int(pdfinfo(made)["Pages"])  # one page per card side
    size = made.stat().st_size // 1024
    assert result.stdout == (
        f"build/{made.name}: ar, {pages // 2} cards, {pages} pages, {size} KB\n"
    )


@pytest.mark.pdf
def test_cli_reports_skipped_categories(tmp_path):
    result = CliRunner().invoke(
        app, ["cards", "--entries", str(FIXTURE), "--lang", "fr", "-o", str(tmp_path / "fr.pdf")]
    )
    assert result.exit_code == 0, result.output
    assert "6 cards on 1 A4 sheet(s)" in result.output
    assert "no card for 'sea-safety'" in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--category", "wter"], 2, "did you mean 'water'"),
        (["--category", "sea-safety"], 2, "no entry offers 'sea-safety'"),
        (["--lang", "xx"], 2, "unknown language 'xx'"),
    ],
)
def test_cli_refuses_bad_options_before_rendering(tmp_path, args, code, message):
    result = CliRunner().invoke(
        app, ["cards", "--entries", str(FIXTURE), "-o", str(tmp_path / "x.pdf"), *args]
    )
    assert result.exit_code == code, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_invalid_data_is_never_printed(tmp_path):
    root = copy_guide(FIXTURE, tmp_path)
    edit_entry(root, "clinique-test", lambda d: d["phones"][0].update(number="12"))
    result = CliRunner().invoke(
        app, ["cards", "--entries", str(root), "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 1 and "clinique-test.yaml" in result.output
    assert not (tmp_path / "x.pdf").exists()
