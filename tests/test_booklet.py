"""The printed booklet, checked the way a volunteer or a print shop would:
page count, fonts, boxes, text layer, reading order of phone numbers,
reproducibility, and refusal of anything remote or undrawable.

PDFs are rendered once per module (``booklets`` and ``builtin`` fixtures).
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from calais_guide import glyphs, i18n, languages
from calais_guide.cli import app
from calais_guide.errors import DataError, RenderError, UsageError
from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.render.booklet import build_booklet, context, render_booklet
from calais_guide.render.html import babel_locale, month
from calais_guide.validate import printable_database

from .conftest import copy_guide, edit_entry, pdfinfo, pdftotext

FIXTURE = Path(__file__).parent / "fixtures" / "booklet"
A5 = (419.53, 595.28)
MM = 72 / 25.4


def boxes(path: Path, page: int = 1) -> dict[str, tuple[float, ...]]:
    info = pdfinfo(path, "-box", "-f", str(page), "-l", str(page))
    found = {}
    for key, value in info.items():
        match = re.match(r"Page\s+\d+\s+(\w+Box)$", key)
        if match:
            found[match[1]] = tuple(float(v) for v in value.split())
    return found


@pytest.fixture(scope="module")
def booklets(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("booklets")
    db = printable_database(FIXTURE)
    built = {}
    for lang in ("fr", "ar", "fa", "ti"):
        built[lang] = build_booklet(db, lang, out / f"{lang}.pdf").path
    built["fr-again"] = build_booklet(db, "fr", out / "fr-again.pdf").path
    built["ar-imposed"] = build_booklet(db, "ar", out / "ar-imposed.pdf", imposed=True).path
    built["ar-imposed-again"] = build_booklet(
        db, "ar", out / "ar-imposed-again.pdf", imposed=True
    ).path
    built["fr-bleed"] = build_booklet(db, "fr", out / "fr-bleed.pdf", bleed_mm=3, marks=True).path
    built["ar-screen"] = build_booklet(db, "ar", out / "ar-screen.pdf", screen=True).path
    return built


@pytest.fixture(scope="module")
def builtin(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("builtin")
    db = printable_database(builtin_entries())
    return {lang: build_booklet(db, lang, out / f"{lang}.pdf").path for lang in ("fr", "ar")}


PRINT = ["fr", "ar", "fa", "ti", "fr-bleed"]


# -- pages, boxes, structure ------------------------------------------------------


@pytest.mark.pdf
@pytest.mark.parametrize("name", PRINT)
def test_page_count_is_a_multiple_of_four(booklets, name):
    assert int(pdfinfo(booklets[name])["Pages"]) % 4 == 0


@pytest.mark.pdf
def test_builtin_booklets_fold_into_whole_sheets(builtin):
    for path in builtin.values():
        pages = int(pdfinfo(path)["Pages"])
        assert pages % 4 == 0 and pages >= 16


@pytest.mark.pdf
@pytest.mark.parametrize("name", ["fr", "ar", "ti"])
def test_a5_trim_box(booklets, name):
    for page in (1, 4):
        found = boxes(booklets[name], page)
        x0, y0, x1, y1 = found["TrimBox"]
        assert (round(x1 - x0, 1), round(y1 - y0, 1)) == (round(A5[0], 1), round(A5[1], 1))
        assert found["MediaBox"] == found["TrimBox"]


@pytest.mark.pdf
def test_bleed_grows_the_media_box_and_keeps_a5_trim(booklets):
    found = boxes(booklets["fr-bleed"])
    x0, y0, x1, y1 = found["TrimBox"]
    assert round(x1 - x0, 1) == round(A5[0], 1) and round(y1 - y0, 1) == round(A5[1], 1)
    bx0, by0, bx1, by1 = found["BleedBox"]
    assert (x0 - bx0, bx1 - x1) == (pytest.approx(3 * MM, abs=0.05),) * 2
    # the crop marks are drawn outside the bleed: the MediaBox has room for them
    mx0, my0, mx1, my1 = found["MediaBox"]
    assert (bx0 - mx0, my1 - by1) == (pytest.approx(7 * MM, abs=0.05),) * 2


@pytest.mark.pdf
@pytest.mark.parametrize("name", [*PRINT, "ar-imposed", "ar-screen"])
def test_qpdf_check_is_clean(booklets, name):
    out = subprocess.run(["qpdf", "--check", str(booklets[name])], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "No syntax or stream encoding errors" in out.stdout


def _bundled_font_names() -> set[str]:
    return {f.family.replace(" ", "-") for f in glyphs.fonts()}


@pytest.mark.pdf
@pytest.mark.parametrize("name", [*PRINT, "ar-screen"])
def test_every_font_embedded_and_bundled(booklets, name):
    out = subprocess.run(["pdffonts", str(booklets[name])], capture_output=True, text=True)
    rows = out.stdout.splitlines()[2:]
    assert rows, "no fonts at all"
    bundled = _bundled_font_names()
    for row in rows:
        font = row.split()[0].split("+", 1)[-1]
        emb = row[-27:].split()[0]  # the 'emb' column
        assert emb == "yes", row
        assert any(font == b or font.startswith(b + "-") for b in bundled), row


@pytest.mark.pdf
def test_each_script_uses_its_own_font(booklets):
    def families(name: str, *pages: str) -> str:
        out = subprocess.run(
            ["pdffonts", *pages, str(booklets[name])], capture_output=True, text=True
        )
        return out.stdout

    assert "Vazirmatn" in families("ar") and "Vazirmatn" in families("fa")
    assert "Noto-Sans-Ethiopic" in families("ti")
    # The French booklet needs other scripts only for the language names on
    # its back cover (WeasyPrint shares font resources between pages, so
    # this is checked on the text).
    last = int(pdfinfo(booklets["fr"])["Pages"])
    before_back = pdftotext(booklets["fr"], "-l", str(last - 1))
    assert not re.search("[\u0600-\u06ff\u1200-\u137f]", before_back)
    back = pdftotext(booklets["fr"], "-f", str(last))
    assert "العربية" in back and "ትግርኛ" in back


@pytest.mark.pdf
def test_metadata_language_tags_and_bookmarks(booklets):
    info = pdfinfo(booklets["ar"])
    assert info["Title"] == "دليل تجريبي للجمعيات"
    assert info["Author"] == "Éditeurs de test"
    assert info["Tagged"] == "yes"
    with pikepdf.open(booklets["ar"]) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20240601"  # the edition's date
        assert str(pdf.Root.Lang) == "ar"
        with pdf.open_outline() as outline:
            titles = []

            def walk(items):
                for item in items:
                    titles.append(item.title)
                    walk(item.children)

            walk(outline.root)
    assert {"Maison Exemple", "Projet Enfant", "Équipe Mobile Test"} <= set(titles)
    with pikepdf.open(booklets["ti"]) as pdf:
        assert str(pdf.Root.Lang) == "ti"


# -- text layer ---------------------------------------------------------------------


@pytest.mark.pdf
def test_every_association_is_in_the_text_layer(builtin):
    db = load_database(builtin_entries())
    for path in builtin.values():
        text = " ".join(pdftotext(path).split())
        for entry in db.entries:
            assert " ".join(entry.name.split()) in text, (path.name, entry.name)


@pytest.mark.pdf
def test_fixture_texts_in_their_scripts(booklets):
    def text(lang: str) -> str:  # words, whatever the line breaks
        return " ".join(pdftotext(booklets[lang]).split())

    assert "مركز استقبال نهاري" in text("ar")
    assert "مرکز پذیرش روزانه" in text("fa")
    assert "ናይ መዓልቲ መቀበሊ ማእከል" in text("ti")


@pytest.mark.pdf
def test_phone_numbers_extract_in_dialling_order_in_rtl(booklets):
    for name in ("ar", "fa"):
        text = pdftotext(booklets[name])
        for number in ("03 21 00 00 00", "+44 20 7946 0000", "06 00 00 00 00", "03 21 00 00 01"):
            assert number in text, (name, number)
        assert "00 00 00 21 03" not in text
        assert "0000 7946 20 44+" not in text


@pytest.mark.pdf
def test_phone_numbers_read_left_to_right_on_the_page(booklets):
    # Not just the extraction: the words of the number are placed left to right.
    out = pdftotext(booklets["ar"], "-bbox")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)
    seq = [(float(x), float(y), w) for x, y, w in words]
    for _, y, w in seq:
        if w == "+44":
            same_line = [s for s in seq if abs(s[1] - y) < 1]
            xs = {s[2]: s[0] for s in same_line}
            assert xs["+44"] < xs["20"] < xs["7946"] < xs["0000"]
            break
    else:
        pytest.fail("+44 number not found")


@pytest.mark.pdf
def test_hours_and_dates_come_from_cldr(booklets):
    fr = pdftotext(booklets["fr"])
    assert "lundi – vendredi" in fr and "09:00 – 17:30" in fr
    assert "juin 2024" in fr
    assert "ሰነ 2024" in pdftotext(booklets["ti"])


def ui(lang: str, msgid: str) -> str:
    """The longest fixed part of interface string ``msgid`` as printed in ``lang``."""
    import re

    from calais_guide.i18n import translations

    parts = re.split(r"%\(\w+\)s", translations(lang).gettext(msgid))
    return max((p.strip(" :：،") for p in parts), key=len)


def plain(text: str) -> str:
    """Extracted text without bidi control characters, spaces normalised."""
    return " ".join(re.sub("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", "", text).split())


@pytest.mark.pdf
def test_fallback_and_draft_marks(booklets):
    ar = plain(pdftotext(booklets["ar"]))
    # Right-to-left lines extract in visual pieces: look for every word.
    mark = ui("ar", "Not yet translated: shown in %(language)s")
    assert all(word.strip(":") in ar for word in mark.split())  # Projet Enfant: fr only
    assert "Activités pour les enfants" in ar
    # Drafts are said once, in the notice of page 2, never text by text.
    fa = plain(pdftotext(booklets["fa"]))
    notice = ui("fa", "Translations not yet reviewed")
    assert all(word in fa for word in notice.replace("\u200c", " ").split())
    kinds = ui("fa", "Descriptions of the associations")
    assert all(word in fa for word in kinds.replace("\u200c", " ").split())
    assert ui("fa", "Translation not yet reviewed") not in fa
    fr = plain(pdftotext(booklets["fr"]))
    assert ui("fr", "Not yet translated: shown in %(language)s").split("%")[0] not in fr
    assert ui("fr", "Translations not yet reviewed") in fr  # the catalog is a draft
    assert ui("fr", "Descriptions of the associations") not in fr  # French texts are originals


def test_fallback_text_keeps_its_own_language_and_direction():
    db = load_database(FIXTURE)
    view = context(db, "ar")
    child = next(e for e in view.entries if e.id == "projet-enfant")
    assert child.description is not None
    assert (child.description.lang, child.description.dir, child.description.fallback) == (
        "fr",
        "ltr",
        True,
    )
    assert child.description.language_name == languages.display_name("fr", "ar")
    home = next(e for e in view.entries if e.id == "maison-exemple")
    assert home.description is not None and home.description.lang == "ar"
    assert not home.description.fallback and not home.description.draft
    fa = next(e for e in context(db, "fa").entries if e.id == "maison-exemple")
    assert fa.description is not None and fa.description.draft


def test_strict_refuses_fallbacks(tmp_path):
    db = printable_database(FIXTURE)
    with pytest.raises(RenderError) as err:
        build_booklet(db, "ar", tmp_path / "ar.pdf", strict=True)
    assert "projet-enfant.yaml: description" in str(err.value)
    assert not (tmp_path / "ar.pdf").exists()


# -- variants ----------------------------------------------------------------------


@pytest.mark.pdf
def test_imposed_sheets_are_a4_landscape_right_bound(booklets):
    single = int(pdfinfo(booklets["ar"])["Pages"])
    info = pdfinfo(booklets["ar-imposed"])
    assert int(info["Pages"]) == single // 2
    assert info["Page size"].startswith("841.89 x 595.28")
    # Right-bound: the front cover is on the left half of the first side.
    left = pdftotext(booklets["ar-imposed"], "-f", "1", "-l", "1", "-x", "0", "-y", "0",
                     "-W", "420", "-H", "595")  # fmt: skip
    assert "دليل تجريبي للجمعيات" in left


@pytest.mark.pdf
def test_screen_variant_is_small_with_tappable_links(booklets):
    path = booklets["ar-screen"]
    assert path.stat().st_size < 300_000
    width, height = (float(v) for v in pdfinfo(path)["Page size"].split()[0:3:2])
    assert width < A5[0] and height < A5[1]
    uris = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    uris.add(str(action.URI))
    assert "tel:+33321000000" in uris
    assert "https://example.org/maison/" in uris


@pytest.mark.pdf
def test_two_builds_are_byte_identical(booklets):
    assert booklets["fr"].read_bytes() == booklets["fr-again"].read_bytes()
    assert booklets["ar-imposed"].read_bytes() == booklets["ar-imposed-again"].read_bytes()


# -- refusals -----------------------------------------------------------------------


@pytest.mark.pdf
def test_remote_logo_is_refused_without_network_access(tmp_path, no_network):
    root = copy_guide(FIXTURE, tmp_path)
    edit_entry(root, "maison-exemple", lambda d: d.update(logo="http://example.org/logo.png"))
    with pytest.raises(DataError) as err:
        printable_database(root)
    [problem] = [p for p in err.value.problems if p.field == "logo"]
    assert problem.file == root / "maison-exemple.yaml" and "web address" in problem.message
    # Even past the validator, the renderer's fetcher refuses it.
    with pytest.raises(RenderError, match=r"refused to fetch http://example.org/logo.png"):
        render_booklet(load_database(root), "fr")
    assert no_network == []


@pytest.mark.pdf
@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/x.png",
        "http://127.0.0.1:9/x.png",
        "file:///etc/hostname",
        "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'/%3E",
    ],
)
def test_fetcher_refuses_anything_outside_the_project(url, no_network):
    from calais_guide.paths import layouts_dir
    from calais_guide.render.pdf import render_document

    html = f'<html lang="fr"><body><p>x</p><img src="{url}"></body></html>'
    with pytest.raises(RenderError, match="refused to fetch"):
        render_document(html, layouts_dir())
    css = f'<html lang="fr"><head><link rel="stylesheet" href="{url}"></head><body>x</body></html>'
    with pytest.raises(RenderError, match="refused to fetch"):
        render_document(css, layouts_dir())
    assert no_network == []


@pytest.mark.pdf
def test_fetcher_serves_the_assets_folder(tmp_path):
    from calais_guide.paths import layouts_dir
    from calais_guide.render.pdf import render_document

    logo = (FIXTURE / "assets" / "maison-exemple.svg").resolve().as_uri()
    html = f'<html lang="fr"><body><img src="{logo}"></body></html>'
    with pytest.raises(RenderError):
        render_document(html, layouts_dir())  # not allowed unless assets are given
    render_document(html, layouts_dir(), assets=[FIXTURE / "assets"])


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("../edition.yaml", "outside the assets/ folder"),
        ("/etc/hostname.png", "outside the assets/ folder"),
        ("missing.png", "not found"),
        ("maison-exemple.gif", "not a PNG, JPEG or SVG"),
        ("data:image/png;base64,AAAA", "web address"),
    ],
)
def test_validator_logo_rules(tmp_path, logo, message):
    root = copy_guide(FIXTURE, tmp_path)
    edit_entry(root, "maison-exemple", lambda d: d.update(logo=logo))
    with pytest.raises(DataError) as err:
        printable_database(root)
    [problem] = [p for p in err.value.problems if p.field == "logo"]
    assert message in problem.message and problem.line is not None


@pytest.mark.pdf
def test_missing_glyph_fails_with_entry_field_and_language(tmp_path):
    root = copy_guide(FIXTURE, tmp_path)

    def add_emoji(data):
        data["description"]["ar"]["text"] += " 😀"

    edit_entry(root, "maison-exemple", add_emoji)
    db = load_database(root)  # loading does not check glyphs; printing does
    with pytest.raises(DataError) as err:
        render_booklet(db, "ar")
    [problem] = err.value.problems
    assert problem.file == root / "maison-exemple.yaml"
    assert problem.field == "description.ar"
    assert "U+1F600" in problem.message and " ar " in problem.message
    # The French booklet does not print the Arabic text: it builds.
    render_booklet(db, "fr")
    # And the command names it all, without a traceback.
    result = CliRunner().invoke(
        app, ["booklet", "--entries", str(root), "--lang", "ar", "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 1
    assert "description.ar" in result.output and "U+1F600" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_missing_glyph_in_an_interface_translation(monkeypatch):
    class Catalog(gettext.NullTranslations):
        def gettext(self, message):
            return "目次" if message == "Contents" else message

    monkeypatch.setattr("calais_guide.i18n.translations", lambda lang: Catalog())
    with pytest.raises(RenderError, match="U\\+76EE"):
        render_booklet(load_database(FIXTURE), "fr")


# -- atomic output -------------------------------------------------------------------


@pytest.mark.pdf
def test_failed_build_keeps_the_old_pdf_and_leaves_nothing(tmp_path):
    root = copy_guide(FIXTURE, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "fr.pdf"
    target.write_bytes(b"old booklet")
    edit_entry(root, "maison-exemple", lambda d: d.update(logo="https://example.org/x.png"))
    db = load_database(root)
    with pytest.raises(RenderError):
        build_booklet(db, "fr", target)
    assert target.read_bytes() == b"old booklet"
    assert [p.name for p in out_dir.iterdir()] == ["fr.pdf"]


@pytest.mark.pdf
def test_interrupted_write_keeps_the_old_pdf(tmp_path, monkeypatch):
    target = tmp_path / "fr.pdf"
    target.write_bytes(b"old booklet")

    def broken(fd):
        raise OSError("disk full (test)")

    monkeypatch.setattr(os, "fsync", broken)
    from calais_guide.fileio import FileError

    with pytest.raises(FileError, match="cannot write .*disk full"):
        build_booklet(load_database(FIXTURE), "fr", target)
    assert target.read_bytes() == b"old booklet"
    assert [p.name for p in tmp_path.iterdir()] == ["fr.pdf"]


# -- command line --------------------------------------------------------------------


@pytest.mark.pdf
def test_cli_builds_one_language(tmp_path):
    out = tmp_path / "ti.pdf"
    result = CliRunner().invoke(
        app, ["booklet", "--entries", str(FIXTURE), "--lang", "ti", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert str(out) in result.output and "pages" in result.output
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.pdf
def test_cli_all_languages_default_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["booklet", "--entries", str(FIXTURE), "--lang", "all", "--imposed"]
    )
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in (tmp_path / "build").iterdir())
    assert built == [
        f"booklet-2024-06-{code}-imposed.pdf" for code in sorted(["fr", "ar", "fa", "ti"])
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--imposed", "--screen"], 2, "exclude each other"),
        (["--imposed", "--bleed", "3"], 2, "--bleed and --marks"),
        (["--bleed", "40"], 2, "out of range"),
        (["--lang", "xx"], 2, "unknown language 'xx'"),
    ],
)
def test_cli_refuses_bad_options(tmp_path, args, code, message):
    result = CliRunner().invoke(
        app, ["booklet", "--entries", str(FIXTURE), "-o", str(tmp_path / "x.pdf"), *args]
    )
    assert result.exit_code == code, result.output
    assert message in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_usage_error_is_raised_before_rendering(tmp_path):
    with pytest.raises(UsageError):
        build_booklet(load_database(FIXTURE), "fr", tmp_path / "x.pdf", screen=True, marks=True)


# -- CLDR ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", languages.codes())
def test_cldr_has_every_language_and_writes_the_month_its_way(code):
    # no silent fallback to English: the language's own CLDR locale, or the one
    # the registry names for its dates (fa: fa_AF, as Afghan readers write them)
    assert babel_locale(code) == (languages.get(code).cldr or code)
    written = month(dt.date(2023, 3, 1), code)
    assert "2023" in written
    if code != "en":
        assert "March" not in written
    assert i18n.days_text(["mo", "tu", "we", "th", "fr"], code).count("–") == 1


def test_days_are_grouped_into_ranges():
    assert i18n.days_text(["mo", "tu", "we", "th", "fr"], "fr") == "lundi – vendredi"
    assert i18n.days_text(["mo", "we", "fr"], "fr") == "lundi, mercredi et vendredi"
    assert i18n.days_text(["sa", "su", "mo"], "en") == "Monday, Saturday, and Sunday"


def test_languages_built_in_parallel_report_data_problems(tmp_path):
    from calais_guide.render.booklet import build_booklets

    root = copy_guide(FIXTURE, tmp_path)
    # The validator does not look at alternate names' glyphs; printing does.
    edit_entry(root, "maison-exemple", lambda d: d.update(alternate_name="MEX 😀"))
    with pytest.raises(DataError) as err:
        list(build_booklets(root, "all", tmp_path / "out", jobs=2))
    assert {p.field for p in err.value.problems} == {"alternate_name"}
    assert all(p.file == root / "maison-exemple.yaml" for p in err.value.problems)


@pytest.mark.pdf
def test_languages_built_in_parallel_match_one_by_one(tmp_path):
    from calais_guide.render.booklet import build_booklets

    together = list(build_booklets(FIXTURE, "all", tmp_path / "a", jobs=2))
    assert [b.lang for b in together] == ["fr", "ar", "fa", "ti"]
    alone = build_booklet(load_database(FIXTURE), "ti", tmp_path / "ti.pdf")
    assert together[-1].path.read_bytes() == alone.path.read_bytes()


@pytest.mark.pdf
def test_output_folder_for_one_language(tmp_path):
    result = CliRunner().invoke(
        app, ["booklet", "--entries", str(FIXTURE), "--lang", "fr", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "booklet-2024-06-fr.pdf").is_file()


@pytest.mark.pdf
def test_unwritable_output_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        app,
        ["booklet", "--entries", str(FIXTURE), "--lang", "fr", "-o", str(blocker / "x.pdf")],
    )
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Traceback" not in result.output


# -- what is printed -----------------------------------------------------------------


def test_entry_text_is_never_markup(tmp_path):
    from calais_guide.render.booklet import render_html

    root = copy_guide(FIXTURE, tmp_path)

    def inject(data):
        data["description"]["fr"] = "<b>gras</b> {{ 7*7 }} <img src=http://example.org/x.png>"
        data["name"] = "Maison <i>Exemple</i>"

    edit_entry(root, "maison-exemple", inject)
    db = load_database(root)
    html = render_html(db, context(db, "fr"))
    assert "&lt;b&gt;gras&lt;/b&gt; {{ 7*7 }} &lt;img" in html
    assert "Maison &lt;i&gt;Exemple&lt;/i&gt;" in html
    # 7*7 never evaluated (the temporary folder's name may contain "49").
    assert "<b>gras" not in html and "49" not in html.replace(str(tmp_path), "")


def test_closed_entries_are_left_out_and_closures_shown(tmp_path):
    from calais_guide.render.booklet import render_html

    root = copy_guide(FIXTURE, tmp_path)
    edit_entry(root, "equipe-mobile", lambda d: d.update(status="closed"))

    def close(data):
        data["status"] = "temporarily-closed"
        data["closures"] = [
            {"valid_from": "2024-05-01", "valid_to": "2024-07-31", "alert": {"fr": "Travaux"}},
            {"valid_from": "2024-01-01", "valid_to": "2024-01-31", "alert": {"fr": "Passé"}},
        ]

    edit_entry(root, "maison-exemple", close)
    db = load_database(root)
    view = context(db, "fr")
    assert [e.id for e in view.entries] == ["maison-exemple", "projet-enfant"]
    html = render_html(db, view)
    assert "Équipe Mobile Test" not in html
    assert ui("fr", "Temporarily closed") in html and "Travaux" in html
    assert "Passé" not in html  # ended before the edition


def test_command_line_start_imports_no_renderer():
    code = (
        "import sys, calais_guide.cli; "
        "print(sorted(m for m in ('weasyprint', 'jinja2', 'pikepdf', 'segno', 'fontTools') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=FIXTURE
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.pdf
def test_back_cover_has_the_edition_and_the_guide_online(booklets):
    last = pdfinfo(booklets["fr"])["Pages"]
    back = " ".join(pdftotext(booklets["fr"], "-f", last).split())
    assert ui("fr", "Edition of %(date)s") + " juin 2024" in back
    assert ui("fr", "Check before you go: valid until the next edition.") in back
    assert "https://example.org/guide" in back
