"""`calais-guide build`: the whole print run, checked first, incremental."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from calais_guide.build import PRODUCTS, BuildBlocked, build, data_digest
from calais_guide.load import load_database

from .conftest import invoke, pdfinfo, pdftotext

FIXTURE = Path(__file__).parent / "fixtures" / "build"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "guide"
    shutil.copytree(FIXTURE, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    base = tmp_path_factory.mktemp("build")
    root = _copy(base)
    out = base / "out"
    result = build(root, output=out, jobs=2)
    return root, out, result.rendered


def test_every_output_of_every_language_is_built_and_listed(first_build) -> None:
    root, out, rendered = first_build
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    expected = [p.filename.format(lang=lang) for lang in ("fr", "ar") for p in PRODUCTS]
    assert [f["path"] for f in manifest["files"]] == expected
    assert sorted(rendered) == sorted(expected)
    assert manifest["edition"] == "2024-06"
    assert manifest["languages"] == ["fr", "ar"]
    for record in manifest["files"]:
        path = out / record["path"]
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == record["sha256"]
        assert len(data) == record["bytes"]
        assert int(pdfinfo(path)["Pages"]) == record["pages"]
    assert manifest["total_bytes"] == sum(f["bytes"] for f in manifest["files"])
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left


def test_second_build_renders_nothing(first_build) -> None:
    root, out, _ = first_build
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    result = build(root, output=out, jobs=2)
    assert result.rendered == []
    after = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix == ".pdf"}
    assert after == {k: v for k, v in before.items() if k.endswith(".pdf")}


def test_changed_arabic_text_rerenders_only_arabic(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    out = tmp_path / "out"
    products = PRODUCTS[:3]  # the booklets: enough to show what depends on what
    build(root, output=out, products=products, jobs=1)
    _edit(root / "maraude-test.yaml", "text: توزيع وجبات في أماكن العيش.", "text: توزيع وجبات.")
    result = build(root, output=out, products=products, jobs=1)
    assert sorted(result.rendered) == [
        "booklet-ar-imposed.pdf",
        "booklet-ar-screen.pdf",
        "booklet-ar.pdf",
    ]
    # A phone number is in every language: everything is rendered again.
    _edit(root / "accueil-test.yaml", "+33 3 21 00 00 00", "+33 3 21 00 00 01")
    result = build(root, output=out, products=products, jobs=1)
    assert len(result.rendered) == 6


def test_a_deleted_or_altered_output_is_rendered_again(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    out = tmp_path / "out"
    products = PRODUCTS[:1]
    build(root, output=out, products=products, jobs=1)
    (out / "booklet-fr.pdf").unlink()
    (out / "booklet-ar.pdf").write_bytes(b"not a pdf")
    result = build(root, output=out, products=products, jobs=1)
    assert sorted(result.rendered) == ["booklet-ar.pdf", "booklet-fr.pdf"]


def test_data_digest_ignores_other_languages_texts() -> None:
    db = load_database(FIXTURE)
    fr, ar = data_digest(db, "fr"), data_digest(db, "ar")
    assert fr != ar
    assert data_digest(db, "fr") == fr  # stable


def test_blockers_stop_the_build_and_nothing_is_written(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root / "maraude-test.yaml", "assured_date: 2024-05-20", "assured_date: 2023-01-10")
    out = tmp_path / "out"
    with pytest.raises(BuildBlocked) as caught:
        build(root, output=out, jobs=1)
    assert "not re-checked" in str(caught.value) or "1 blocker" in str(caught.value)
    assert not out.exists()
    code, text = invoke("build", "--entries", root, "--output", out)
    assert code == 1
    assert "not printing: 1 blocker(s)" in text
    assert "--allow-stale" in text
    assert not out.exists()


def test_allow_stale_prints_and_marks_the_entry(tmp_path: Path) -> None:
    from calais_guide.i18n import translations

    root = _copy(tmp_path)
    _edit(root / "maraude-test.yaml", "assured_date: 2024-05-20", "assured_date: 2023-01-10")
    out = tmp_path / "out"
    result = build(root, ["fr"], output=out, products=PRODUCTS[:1], allow_stale=True, jobs=1)
    assert result.unverified == ["maraude-test"]
    text = pdftotext(out / "booklet-fr.pdf")
    mark = translations("fr").gettext("Not re-checked for this edition: check before you go")
    assert mark.split(":")[0] in " ".join(text.split())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["unverified"] == ["maraude-test"]


def test_cli_build_prints_a_summary(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    out = tmp_path / "out"
    code, text = invoke("build", "--entries", root, "--output", out, "-l", "fr", "-j", "1")
    assert code == 0, text
    assert "booklet-fr-imposed.pdf" in text and "rendered" in text
    code, text = invoke("build", "--entries", root, "--output", out, "-l", "fr")
    assert code == 0
    assert "0 rendered" in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--jobs", "0"], "--jobs must be 1 or more"),
        (["--lang", "xx"], "unknown language 'xx'"),
    ],
)
def test_cli_build_bad_options(tmp_path: Path, args: list[str], expected: str) -> None:
    code, text = invoke("build", "--entries", FIXTURE, "--output", tmp_path / "out", *args)
    assert code == 2
    assert expected in text
    assert not (tmp_path / "out").exists()
