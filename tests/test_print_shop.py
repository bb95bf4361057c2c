"""Files a print shop accepts (issue: PDF/X-4, black-only text, bleed and
marks outside it, right-bound, no links), and CMYK colours in every file
meant for paper."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from calais_guide.paths import layouts_dir
from calais_guide.render.html import INK

from .conftest import copy_guide, invoke, pdfinfo

FIXTURE = Path(__file__).parent / "fixtures" / "booklet"
A5 = (419.53, 595.28)
A4 = (595.28, 841.89)
BLEED = 8.5  # 3 mm in points, as pdfinfo rounds it
MARK_ROOM = 5 * 72 / 25.4  # the minimum: MediaBox >= BleedBox + 5 mm
COLOUR_OPERATORS = re.compile(rb"(?<![A-Za-z/])(rg|RG|k|K|g|G|sc|SC|scn|SCN)(?![A-Za-z])")

pdf = pytest.mark.pdf


def _build(tmp_path_factory: pytest.TempPathFactory, *args: str) -> Path:
    out = tmp_path_factory.mktemp("print-shop") / "out.pdf"
    code, stdout, stderr = invoke(*args, "-o", out)
    assert code == 0, stderr
    assert str(out) in stdout
    return out


@pytest.fixture(scope="module")
def fr_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "booklet", "--lang", "fr", "--print-shop")


@pytest.fixture(scope="module")
def ar_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "booklet", "--lang", "ar", "--print-shop")


@pytest.fixture(scope="module")
def ti_cards_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "cards", "--lang", "ti", "--print-shop")


def _boxes(path: Path) -> dict[str, list[float]]:
    info = pdfinfo(path, "-box")
    return {k: [float(v) for v in info[k].split()] for k in ("MediaBox", "BleedBox", "TrimBox")}


def _content_streams(pdf_file: pikepdf.Pdf) -> list[bytes]:
    """Every page content stream and every form XObject / pattern it draws
    (recursively), decoded."""
    out: list[bytes] = []
    seen: set[tuple[int, int]] = set()

    def resources(holder: pikepdf.Object) -> None:
        res = holder.get("/Resources")
        if res is None:
            return
        for category in ("/XObject", "/Pattern"):
            for _, obj in (res.get(category) or {}).items():
                if obj.get("/Subtype") == pikepdf.Name.Image or obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
                out.append(obj.read_bytes())
                resources(obj)

    for page in pdf_file.pages:
        contents = page.obj.get("/Contents")
        for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
            out.append(stream.read_bytes())
        resources(page.obj)
    return out


def _operators(path: Path) -> set[bytes]:
    with pikepdf.open(path) as pdf_file:
        return {m for s in _content_streams(pdf_file) for m in COLOUR_OPERATORS.findall(s)}


def _links(path: Path) -> int:
    with pikepdf.open(path) as pdf_file:
        return sum(
            1
            for page in pdf_file.pages
            for annot in page.obj.get("/Annots") or []
            if annot.get("/Subtype") == pikepdf.Name.Link
        )


def _direction(path: Path) -> str | None:
    with pikepdf.open(path) as pdf_file:
        prefs = pdf_file.Root.get("/ViewerPreferences")
        return str(prefs.Direction) if prefs is not None and "/Direction" in prefs else None


def _qpdf_check(path: Path) -> None:
    out = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "No syntax or stream encoding errors found" in out.stdout


# -- the print-shop files of the issue: fr and ar booklets, ti card sheet --------


@pdf
@pytest.mark.parametrize("name", ["fr_shop", "ar_shop", "ti_cards_shop"])
def test_boxes_bleed_and_marks_outside(name: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(name)
    boxes = _boxes(path)
    trim = boxes["TrimBox"]
    width, height = A4 if name == "ti_cards_shop" else A5
    assert trim == pytest.approx([0, 0, width, height], abs=0.01)
    assert boxes["BleedBox"] == pytest.approx(
        [-BLEED, -BLEED, width + BLEED, height + BLEED], abs=0.01
    )
    media = boxes["MediaBox"]
    for edge in (0, 1):
        assert media[edge] <= boxes["BleedBox"][edge] - MARK_ROOM
    for edge in (2, 3):
        assert media[edge] >= boxes["BleedBox"][edge] + MARK_ROOM


@pdf
@pytest.mark.parametrize("name", ["fr_shop", "ar_shop", "ti_cards_shop"])
def test_pdfx4_output_intent_and_clean_structure(name: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(name)
    with pikepdf.open(path) as pdf_file:
        assert pdf_file.pdf_version == "1.6"
        (intent,) = pdf_file.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFX
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        profile = intent.DestOutputProfile.read_bytes()
        # WeasyPrint writes the profile again (same tags, another layout):
        # ours, by its description, a CMYK output profile (ICC header).
        assert b"calais-guide CMYK (FOGRA39L characterization" in profile
        assert profile[12:20] == b"prtrCMYK"
        assert intent.DestOutputProfile.N == 4
        assert str(pdf_file.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        meta = pdf_file.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["xmp:CreateDate"].startswith("2023-03-01")
        for page in pdf_file.pages:
            assert "/ArtBox" not in page.obj  # TrimBox, not both
        assert "/Lang" in pdf_file.Root and str(pdf_file.docinfo.Title)
    assert pdfinfo(path)["PDF subtype"] == "PDF/X-4"
    _qpdf_check(path)
    assert _links(path) == 0


@pdf
@pytest.mark.parametrize("name", ["fr_shop", "ar_shop", "ti_cards_shop"])
def test_cmyk_only(name: str, request: pytest.FixtureRequest) -> None:
    operators = _operators(request.getfixturevalue(name))
    assert operators & {b"rg", b"RG"} == set()
    assert operators & {b"scn", b"SCN"}  # the text is drawn in DeviceCMYK


@pdf
@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (make deps) is not installed")
def test_text_page_uses_black_ink_only(fr_shop: Path) -> None:
    out = subprocess.run(
        # page 3: the contents, text only (page 2 has the need colours' key)
        ["gs", "-q", "-o", "-", "-sDEVICE=inkcov", "-dFirstPage=3", "-dLastPage=3", str(fr_shop)],
        capture_output=True,
        text=True,
        check=True,
    )
    c, m, y, k = (float(v) for v in out.stdout.split()[:4])
    # Fractions of the page: below 0.1 % of cyan, magenta, yellow (only the
    # crop marks, in registration colour, have some); the text is black.
    assert max(c, m, y) < 0.001
    assert k > 0.005


@pdf
def test_right_bound_says_so(ar_shop: Path, fr_shop: Path) -> None:
    assert _direction(ar_shop) == "/R2L"
    assert _direction(fr_shop) is None


@pdf
def test_crop_marks_drawn_outside_the_bleed(fr_shop: Path) -> None:
    with pikepdf.open(fr_shop) as pdf_file:
        page = pdf_file.pages[0]
        marks = _content_streams(pdf_file)[: len(page.obj.Contents)][-1]
    assert b"1 1 1 1 K" in marks  # registration colour: on every plate
    coords = [float(v) for v in re.findall(rb"(-?[\d.]+) (?=-?[\d.]+ [ml])", marks)]
    # every x of a mark is outside the bleed or on a trim line (vertical marks)
    for x in coords:
        assert x <= -BLEED or x >= A5[0] + BLEED or x in (0.0, pytest.approx(A5[0], abs=0.01))


# -- options -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [["--imposed"], ["--screen"], ["--bleed", "3"], ["--marks"]],
)
def test_print_shop_excludes_other_layouts(extra: list[str], tmp_path: Path) -> None:
    code, stdout, stderr = invoke("booklet", "--print-shop", *extra, "-o", tmp_path / "x.pdf")
    assert code == 2
    assert "--print-shop makes single A5 pages with 3 mm of bleed and crop marks" in stderr
    assert not (tmp_path / "x.pdf").exists()


def test_cards_print_shop_excludes_screen(tmp_path: Path) -> None:
    code, _, stderr = invoke("cards", "--print-shop", "--screen", "-o", tmp_path / "x.pdf")
    assert code == 2
    assert "--screen and --print-shop exclude each other" in stderr
    assert not (tmp_path / "x.pdf").exists()


def test_ink_is_defined_once_as_cmyk_black() -> None:
    css = (layouts_dir() / "base.css").read_text(encoding="utf-8")
    assert f"--ink: {INK};" in css
    # no other colour notation anywhere in the layouts: every colour is a
    # variable of base.css or the same CMYK black in a pictogram
    for path in layouts_dir().rglob("*"):
        # the phone guide is for screens only: it may use RGB
        if path.suffix not in (".css", ".svg", ".html") or "phone" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgba?\(|currentColor|transparent", text), path
        if path.suffix == ".svg":
            colours = set(re.findall(r'(?:fill|stroke)="([^"]+)"', text)) - {"none"}
            assert colours <= {INK}, path


# -- every file meant for paper: CMYK, no links, right-bound says so -------------------


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = copy_guide(FIXTURE, tmp_path_factory.mktemp("db"))
    out = tmp_path_factory.mktemp("files")
    files = {}
    for name, args in {
        "ar-print": ["booklet", "--lang", "ar"],
        "ar-imposed": ["booklet", "--lang", "ar", "--imposed"],
        "ar-screen": ["booklet", "--lang", "ar", "--screen"],
        "fr-marks": ["booklet", "--lang", "fr", "--bleed", "3", "--marks"],
        "fr-shop": ["booklet", "--lang", "fr", "--print-shop"],
        "fr-shop-again": ["booklet", "--lang", "fr", "--print-shop"],
        "ar-cards": ["cards", "--lang", "ar"],
    }.items():
        files[name] = out / f"{name}.pdf"
        code, _, stderr = invoke(*args, "--entries", root, "-o", files[name])
        assert code == 0, stderr
    return files


@pdf
def test_paper_files_carry_no_links_and_say_right_bound(fixture_files: dict[str, Path]) -> None:
    for name in ("ar-print", "ar-imposed", "ar-cards", "fr-marks"):
        assert _links(fixture_files[name]) == 0, name
    assert _links(fixture_files["ar-screen"]) > 0  # the screen PDF keeps its links
    for name in ("ar-print", "ar-imposed", "ar-screen"):
        assert _direction(fixture_files[name]) == "/R2L", name
    _qpdf_check(fixture_files["ar-print"])


@pdf
def test_paper_files_are_cmyk(fixture_files: dict[str, Path]) -> None:
    for name in ("ar-print", "ar-imposed", "ar-cards", "fr-marks"):
        assert _operators(fixture_files[name]) & {b"rg", b"RG"} == set(), name


@pdf
def test_imposed_and_sheets_declare_version_language_and_title(
    fixture_files: dict[str, Path],
) -> None:
    for name in ("ar-imposed", "ar-cards"):
        with pikepdf.open(fixture_files[name]) as pdf_file:
            assert pdf_file.pdf_version >= "1.4", name  # transparency groups
            assert str(pdf_file.Root.Lang) == "ar"
            assert str(pdf_file.docinfo.Title)


@pdf
def test_marks_option_draws_marks_outside_the_bleed(fixture_files: dict[str, Path]) -> None:
    boxes = _boxes(fixture_files["fr-marks"])
    assert boxes["BleedBox"][0] == pytest.approx(-BLEED, abs=0.01)
    assert boxes["MediaBox"][0] <= -BLEED - MARK_ROOM


@pdf
def test_print_shop_same_bytes(fixture_files: dict[str, Path]) -> None:
    assert fixture_files["fr-shop"].read_bytes() == fixture_files["fr-shop-again"].read_bytes()
