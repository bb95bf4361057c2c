"""`calais-guide build`: the whole print run, checked first, incremental.

What gets rendered is decided by :func:`calais_guide.build.plan`, tested here
without rendering; a product registered by a test (a text file, no PDF)
drives ``build`` end to end in milliseconds; the tests marked ``pdf`` render
the real print run of the fixture guide.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from calais_guide import products
from calais_guide.build import MANIFEST, BuildBlocked, build, data_digest, plan
from calais_guide.load import load_database
from calais_guide.products import Job, Made, Product, print_run

from .conftest import edit_entry, invoke, pdfinfo, pdftotext

FIXTURE = Path(__file__).parent / "fixtures" / "build"
KINDS = ["booklet", "imposed", "screen", "print-shop", "cards", "timetable", "phone"]


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "guide"
    shutil.copytree(FIXTURE, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def sum_kb(out: Path, lang: str) -> str:
    """Size of a language's files in KB, as the build summary prints it."""
    files = [p for p in out.glob(f"*-{lang}*") if p.suffix in (".pdf", ".html")]
    return f"{sum(p.stat().st_size for p in files) / 1024:.0f}"


def _pretend_built(root: Path, out: Path, langs: list[str]) -> dict[tuple[str, str], bytes]:
    """Write a manifest and stand-in files as a build of ``langs`` would
    (without rendering): what :func:`plan` compares with."""
    db = load_database(root)
    decided = plan(db, langs, out, previous={})
    files, records = {}, []
    for (lang, kind), digest in decided.digests.items():
        name = products.get(kind).file_name(lang)
        data = f"{lang} {kind}".encode()
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
        files[lang, kind] = data
        records.append(
            {
                "path": name,
                "lang": lang,
                "kind": kind,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "pages": 4,
                "inputs": digest,
            }
        )
    manifest = {"format": "calais-guide-build", "version": 1, "files": records}
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return files


# -- the plan: what is rendered again, decided without rendering --------------------


def test_plan_without_a_manifest_renders_everything_in_tasks(tmp_path: Path) -> None:
    decided = plan(load_database(FIXTURE), ["fr", "ar"], tmp_path / "out")
    assert decided.render == {"fr": KINDS, "ar": KINDS}
    assert decided.kept == [] and decided.unchanged == {}
    # The imposed booklet is made from the A5 booklet: one task renders both.
    # Product by product, the longest (the booklets) first, then language order.
    assert [(t.lang, list(t.targets)) for t in decided.tasks] == [
        ("fr", ["booklet", "imposed"]),
        ("ar", ["booklet", "imposed"]),
        ("fr", ["screen"]),
        ("ar", ["screen"]),
        ("fr", ["print-shop"]),
        ("ar", ["print-shop"]),
        ("fr", ["cards"]),
        ("ar", ["cards"]),
        ("fr", ["timetable"]),
        ("ar", ["timetable"]),
        ("fr", ["phone"]),
        ("ar", ["phone"]),
    ]
    assert decided.tasks[0].targets["imposed"] == Path("booklet-fr-imposed.pdf")


def test_plan_after_a_build_renders_nothing(tmp_path: Path) -> None:
    root, out = _copy(tmp_path), tmp_path / "out"
    _pretend_built(root, out, ["fr", "ar"])
    decided = plan(load_database(root), ["fr", "ar"], out)
    assert decided.render == {}
    assert sorted(decided.unchanged) == sorted((lang, k) for lang in ("fr", "ar") for k in KINDS)


def test_plan_a_changed_arabic_text_renders_arabic_only(tmp_path: Path) -> None:
    root, out = _copy(tmp_path), tmp_path / "out"
    _pretend_built(root, out, ["fr", "ar"])
    _edit(root / "maraude-test.yaml", "text: توزيع وجبات في أماكن العيش.", "text: توزيع وجبات.")
    assert plan(load_database(root), ["fr", "ar"], out).render == {"ar": KINDS}
    # A phone number is printed in every language: everything again.
    _edit(root / "accueil-test.yaml", "+33 3 21 00 00 00", "+33 3 21 00 00 01")
    assert plan(load_database(root), ["fr", "ar"], out).render == {"fr": KINDS, "ar": KINDS}


def test_plan_a_deleted_or_altered_file_is_rendered_again(tmp_path: Path) -> None:
    root, out = _copy(tmp_path), tmp_path / "out"
    _pretend_built(root, out, ["fr", "ar"])
    (out / "booklet-fr.pdf").unlink()
    (out / "cards-ar.pdf").write_bytes(b"not what was built")
    decided = plan(load_database(root), ["fr", "ar"], out)
    assert decided.render == {"fr": ["booklet"], "ar": ["cards"]}
    # The A5 booklet alone: its imposition is up to date.
    assert [list(t.targets) for t in decided.tasks] == [["booklet"], ["cards"]]


def test_plan_a_changed_card_layout_renders_the_cards_only(tmp_path, monkeypatch) -> None:
    from calais_guide import paths

    layouts = tmp_path / "layouts"
    shutil.copytree(paths.layouts_dir(), layouts)
    monkeypatch.setattr("calais_guide.build.layouts_dir", lambda: layouts)
    root, out = _copy(tmp_path), tmp_path / "out"
    _pretend_built(root, out, ["fr", "ar"])
    css = next((layouts / "cards").glob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert plan(load_database(root), ["fr", "ar"], out).render == {
        "fr": ["cards"],
        "ar": ["cards"],
    }


def test_plan_of_one_language_keeps_the_others_while_unchanged(tmp_path: Path) -> None:
    root, out = _copy(tmp_path), tmp_path / "out"
    _pretend_built(root, out, ["fr", "ar"])
    decided = plan(load_database(root), ["ar"], out)
    assert decided.render == {}
    assert [(o.lang, o.kind) for o in decided.kept] == [("fr", k) for k in KINDS]
    # Still checked against their files and their inputs:
    (out / "cards-fr.pdf").write_bytes(b"changed by hand")
    decided = plan(load_database(root), ["ar"], out)
    assert [(o.lang, o.kind) for o in decided.kept] == [("fr", k) for k in KINDS if k != "cards"]
    edit_entry(root, "accueil-test", lambda d: d["summary"].update(fr="Accueil changé."))
    assert plan(load_database(root), ["ar"], out).kept == []


def test_data_digest_ignores_other_languages_texts() -> None:
    db = load_database(FIXTURE)
    fr, ar = data_digest(db, "fr"), data_digest(db, "ar")
    assert fr != ar
    assert data_digest(db, "fr") == fr  # stable


# -- the registry ---------------------------------------------------------------------


def test_every_registered_product_is_complete() -> None:
    from calais_guide.paths import layouts_dir

    kinds = [p.kind for p in products.PRODUCTS]
    assert len(set(kinds)) == len(kinds)
    assert [p.kind for p in print_run()] == KINDS
    names = [p.file_name("ar") for p in products.PRODUCTS]
    assert len(set(names)) == len(names)
    for product in products.PRODUCTS:
        assert callable(product.renderer()), product.kind
        assert all((layouts_dir() / folder).is_dir() for folder in product.layouts), product.kind
        assert set(product.needs) <= set(kinds)
    assert products.get("imposed").file_name("ar", "2023-03") == "booklet-2023-03-ar-imposed.pdf"
    assert (
        products.get("cards-screen").file_name("ar", "2023-03", ["food", "bilingual"])
        == "cards-2023-03-ar-food-bilingual-screen.pdf"
    )
    with pytest.raises(KeyError, match="no product 'poster'"):
        products.get("poster")


def render_summaries(job: Job) -> Made:
    """A test product: the summaries as the language prints them (no PDF)."""
    from calais_guide.model import pick

    lines = []
    for entry in job.db.entries:
        shown = pick(entry.summary, job.language.chain)
        lines.append(f"{entry.id}: {shown.text if shown else ''}")
    lines.append(f"options: {sorted(job.options.items())}")
    return Made("\n".join(lines).encode(), None, {})


SUMMARIES = Product(
    "summaries", "summaries as text", "summaries-{lang}.txt", f"{__name__}:render_summaries"
)


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Product:
    """A product added by one registry line: the build makes it, nothing else changes."""
    monkeypatch.setattr(products, "PRODUCTS", (*products.PRODUCTS, SUMMARIES))
    return SUMMARIES


def test_a_registered_product_is_built_listed_and_kept(tmp_path, registered) -> None:
    root, out = _copy(tmp_path), tmp_path / "out"
    result = build(root, output=out, products=[registered], jobs=1)
    assert result.rendered == ["summaries-fr.txt", "summaries-ar.txt"]
    text = (out / "summaries-ar.txt").read_text(encoding="utf-8")
    assert "maraude-test: توزيع" in text
    assert "options: [('unverified', [])]" in text
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert [(f["path"], f["pages"]) for f in manifest["files"]] == [
        ("summaries-fr.txt", None),
        ("summaries-ar.txt", None),
    ]
    assert build(root, output=out, products=[registered], jobs=1).rendered == []


def test_a_partial_build_keeps_the_other_languages_in_the_manifest(tmp_path, registered) -> None:
    """Issue 10.5: `build -l ar` keeps fr's records; the next full build renders nothing."""
    root, out = _copy(tmp_path), tmp_path / "out"
    build(root, output=out, products=[registered], jobs=1)
    fr_record = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"][0]
    _edit(root / "maraude-test.yaml", "text: توزيع وجبات في أماكن العيش.", "text: توزيع وجبات.")
    partial = build(root, ["ar"], output=out, products=[registered], jobs=1)
    assert partial.rendered == ["summaries-ar.txt"]
    assert [o.path for o in partial.kept] == ["summaries-fr.txt"]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["languages"] == ["fr", "ar"]
    assert [f["path"] for f in manifest["files"]] == ["summaries-fr.txt", "summaries-ar.txt"]
    assert manifest["files"][0] == fr_record
    assert manifest["total_bytes"] == sum(f["bytes"] for f in manifest["files"])
    assert build(root, output=out, products=[registered], jobs=1).rendered == []
    # A kept record whose file was changed by hand is dropped, then rendered again.
    (out / "summaries-fr.txt").write_text("changed by hand", encoding="utf-8")
    build(root, ["ar"], output=out, products=[registered], jobs=1)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert [f["path"] for f in manifest["files"]] == ["summaries-ar.txt"]
    full = build(root, output=out, products=[registered], jobs=1)
    assert full.rendered == ["summaries-fr.txt"]


def test_blockers_stop_the_build_and_nothing_is_written(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root / "maraude-test.yaml", "assured_date: 2024-05-20", "assured_date: 2023-01-10")
    out = tmp_path / "out"
    with pytest.raises(BuildBlocked) as caught:
        build(root, output=out, jobs=1)
    assert str(caught.value).startswith("not printing: 1 blocker(s) found by the pre-print check")
    assert not out.exists()
    code, stdout, stderr = invoke("build", "--entries", root, "--output", out)
    assert code == 1
    assert "not printing: 1 blocker(s)" in stderr
    assert "--allow-stale" in stderr
    assert stdout == ""
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["--jobs", "0"], 2, "--jobs must be 1 or more"),
        (["--lang", "xx"], 2, "unknown language 'xx'"),
    ],
)
def test_cli_build_bad_options(tmp_path: Path, args: list[str], code: int, expected: str) -> None:
    got, stdout, stderr = invoke("build", "--entries", FIXTURE, "--output", tmp_path / "out", *args)
    assert got == code
    assert expected in stderr
    assert stdout == ""
    assert not (tmp_path / "out").exists()


# -- the real print run of the fixture guide ------------------------------------------


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    base = tmp_path_factory.mktemp("build")
    root = _copy(base)
    out = base / "out"
    result = build(root, output=out, jobs=2)
    return root, out, result.rendered


@pytest.mark.pdf
def test_every_output_of_every_language_is_built_and_listed(first_build) -> None:
    root, out, rendered = first_build
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    expected = [p.file_name(lang) for lang in ("fr", "ar") for p in print_run()]
    assert [f["path"] for f in manifest["files"]] == expected
    assert sorted(rendered) == sorted(expected)
    assert manifest["edition"] == "2024-06"
    assert manifest["languages"] == ["fr", "ar"]
    for record in manifest["files"]:
        path = out / record["path"]
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == record["sha256"]
        assert len(data) == record["bytes"]
        if record["kind"] == "phone":  # HTML: not paged
            assert record["pages"] is None and path.suffix == ".html"
        else:
            assert int(pdfinfo(path)["Pages"]) == record["pages"]
    assert manifest["total_bytes"] == sum(f["bytes"] for f in manifest["files"])
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left


@pytest.mark.pdf
def test_build_and_commands_make_the_same_bytes(first_build, tmp_path: Path) -> None:
    """One code path: `booklet --imposed` and `cards` write what `build` wrote."""
    root, out, _ = first_build
    code, stdout, stderr = invoke(
        "booklet", "--entries", root, "-l", "ar", "--imposed", "-o", tmp_path / "imposed.pdf"
    )
    assert (code, stderr) == (0, ""), stdout
    assert (tmp_path / "imposed.pdf").read_bytes() == (out / "booklet-ar-imposed.pdf").read_bytes()
    code, stdout, stderr = invoke("cards", "--entries", root, "-l", "fr", "-o", tmp_path / "c.pdf")
    assert (code, stderr) == (0, ""), stdout
    assert (tmp_path / "c.pdf").read_bytes() == (out / "cards-fr.pdf").read_bytes()
    code, stdout, stderr = invoke("phone", "--entries", root, "-l", "ar", "-o", tmp_path / "g.html")
    assert (code, stderr) == (0, ""), stdout
    assert (tmp_path / "g.html").read_bytes() == (out / "guide-ar.html").read_bytes()


@pytest.mark.pdf
def test_second_build_renders_nothing(first_build) -> None:
    root, out, _ = first_build
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    result = build(root, output=out, jobs=2)
    assert result.rendered == []
    after = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix == ".pdf"}
    assert after == {k: v for k, v in before.items() if k.endswith(".pdf")}


@pytest.mark.pdf
def test_cli_partial_build_then_full_build_renders_nothing_more(first_build, tmp_path) -> None:
    source_root, source_out, _ = first_build
    root, out = tmp_path / "guide", tmp_path / "out"
    shutil.copytree(source_root, root)
    shutil.copytree(source_out, out)
    _edit(root / "maraude-test.yaml", "text: توزيع وجبات في أماكن العيش.", "text: توزيع وجبات.")
    code, stdout, stderr = invoke("build", "--entries", root, "-o", out, "-l", "ar", "-j", "1")
    assert code == 0, stderr
    n = len(KINDS)
    assert f"{n} files, {sum_kb(out, 'ar')} KB in {out}/ ({n} rendered, 0 unchanged)" in stdout
    assert f"{n} file(s) of other languages kept from an earlier build" in stdout
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert [f["lang"] for f in manifest["files"]] == ["fr"] * n + ["ar"] * n
    code, stdout, stderr = invoke("build", "--entries", root, "-o", out)
    assert code == 0, stderr
    assert f"(0 rendered, {2 * n} unchanged)" in stdout


@pytest.mark.pdf
def test_allow_stale_prints_and_marks_the_entry(tmp_path: Path) -> None:
    from calais_guide.i18n import translations

    root = _copy(tmp_path)
    _edit(root / "maraude-test.yaml", "assured_date: 2024-05-20", "assured_date: 2023-01-10")
    out = tmp_path / "out"
    booklet = [products.get("booklet")]
    result = build(root, ["fr"], output=out, products=booklet, allow_stale=True, jobs=1)
    assert result.unverified == ["maraude-test"]
    text = pdftotext(out / "booklet-fr.pdf")
    mark = translations("fr").gettext("Not re-checked for this edition: check before you go")
    assert mark.split(":")[0] in " ".join(text.split())
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["unverified"] == ["maraude-test"]


@pytest.mark.pdf
def test_cli_build_prints_a_summary(first_build, tmp_path: Path) -> None:
    root, source_out, _ = first_build
    out = tmp_path / "out"
    shutil.copytree(source_out, out)
    (out / "booklet-fr-imposed.pdf").unlink()
    code, stdout, stderr = invoke("build", "--entries", root, "--output", out, "-l", "fr")
    assert code == 0, stderr
    rows = [line.split() for line in stdout.splitlines() if "-fr" in line]
    assert [(r[1], r[-1]) for r in rows] == [
        ("booklet-fr.pdf", "unchanged"),
        ("booklet-fr-imposed.pdf", "rendered"),
        ("booklet-fr-screen.pdf", "unchanged"),
        ("booklet-fr-print-shop.pdf", "unchanged"),
        ("cards-fr.pdf", "unchanged"),
        ("timetable-fr.pdf", "unchanged"),
        ("guide-fr.html", "unchanged"),
    ]
    # The HTML guide has no pages: its column is empty (PDFs: lang, file, pages, KB, state).
    assert [len(r) for r in rows] == [5, 5, 5, 5, 5, 5, 4]
    assert f"(1 rendered, {len(KINDS) - 1} unchanged)" in stdout


def test_summary_of_a_whole_print_run_is_one_line_per_language(capsys) -> None:
    """More files than fit a screen: one row per language, the files are in
    manifest.json (``make`` stays short)."""
    from types import SimpleNamespace

    from calais_guide import cli

    outputs = [
        SimpleNamespace(lang=lang, path=f"{kind}-{lang}.pdf", pages=4, bytes=2048)
        for lang in ("fr", "ar", "ti")
        for kind in ("a", "b", "c", "d", "e", "f", "g")
    ]
    result = SimpleNamespace(
        outputs=outputs,
        rendered=[o.path for o in outputs if o.lang == "ar"],
        kept=[],
        unverified=[],
        untranslated=[],
        warnings=[],
        total_bytes=2048 * len(outputs),
        folder=Path("build/2023-03"),
    )
    cli._print_build(result, Path("entries"))
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == ["lang", "files", "KB", "rendered", "unchanged"]
    assert lines[1:4] == [
        ["fr", "7", "14", "0", "7"],
        ["ar", "7", "14", "7", "0"],
        ["ti", "7", "14", "0", "7"],
    ]
    assert len(lines) == 5
    assert " ".join(lines[4]).startswith(
        "21 files, 42 KB in build/2023-03/ (7 rendered, 14 unchanged)"
    )
