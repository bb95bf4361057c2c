"""A coordinator's print day: what blocks names the entries and the command
that settles it; one new association does not stop the print run; hints keep
the options used."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from calais_guide.load import load_database
from calais_guide.products import print_run

from .conftest import invoke, pdftotext

BUILD_FIXTURE = Path(__file__).parent / "fixtures" / "build"


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_build_after_edition_new_names_every_entry_to_check(guide: Path, tmp_path: Path) -> None:
    code, out, err = invoke("edition", "new", "2023-06", "--entries", guide)
    assert code == 0, err
    assert (
        f"Next: phone the associations with the call sheet ('calais-guide edition calls "
        f"--entries {guide}'), 'calais-guide verify ID --by NAME --entries {guide}' "
        f"each one, then 'calais-guide edition diff --entries {guide}' and "
        f"'calais-guide edition check --entries {guide}'."
    ) in " ".join(out.split())

    code, out, err = invoke("build", "--entries", guide, "-o", tmp_path / "out")
    assert (code, out) == (1, "")
    lines = _lines(err)
    assert lines[0] == "error: not printing: 19 blocker(s) found by the pre-print check:"
    assert lines[1] == "not re-checked with the association (19):"
    named = [re.match(r"  (\S+) \((\S+):(\d+)\) assured_date: (.*)$", line) for line in lines[2:21]]
    assert all(named), lines[2:21]
    ids = [m[1] for m in named if m]
    assert sorted(ids) == sorted(p.stem for p in guide.glob("*.yaml") if p.name != "edition.yaml")
    for m in named:
        assert m is not None
        assert m[2] == f"{guide.name}/{m[1]}.yaml"
        assert m[4] == "last verified 2023-03-01, as in the 2023-03 edition"
        # file:line points at the assured_date line
        assert (
            (guide / f"{m[1]}.yaml")
            .read_text()
            .splitlines()[int(m[3]) - 1]
            .startswith("assured_date:")
        )
    assert lines[21:] == [
        "  → phone each association, then run "
        f"'calais-guide verify ID --by NAME --entries {guide}'",
        f"Fix them ('calais-guide edition check --entries {guide}' gives the whole report), "
        "or print knowingly with --allow-stale (those entries are then marked in print).",
    ]
    assert not (tmp_path / "out").exists()


def test_the_allow_stale_hint_is_not_repeated_when_given(guide: Path, tmp_path: Path) -> None:
    invoke("edition", "new", "2023-06", "--entries", guide)
    code, out, err = invoke(
        "build", "--allow-stale", "--strict", "-l", "fr", "--entries", guide, "-o", tmp_path / "o"
    )
    assert (code, out) == (1, "")
    questions = sum(len(e.needs_review) for e in load_database(guide).entries)
    assert f"open questions (needs_review) ({questions}):" in err
    assert "--allow-stale" not in err and "--allow not-verified" not in err
    assert "not re-checked" not in err  # allowed: not a blocker
    assert err.rstrip().endswith("or print knowingly with --allow needs-review.")


def test_build_allow_is_checked_like_edition_check(guide: Path, tmp_path: Path) -> None:
    code, out, err = invoke("build", "--allow", "glyphs", "--entries", guide, "-o", tmp_path / "o")
    assert code == 2
    assert "error: --allow glyphs: characters no bundled font can draw always block printing" in err
    code, out, err = invoke("build", "--allow", "nope", "--entries", guide, "-o", tmp_path / "o")
    assert code == 2
    assert "error: --allow nope: no such check; checks: invalid, glyphs, not-verified" in err


def _add_new_association(root: Path) -> None:
    code, out, err = invoke(
        "add",
        "--entries",
        root,
        "--name",
        "Nouvelle Cantine",
        "--summary",
        "Repas chauds le soir.",
        "--category",
        "nourriture",
        "--by",
        "Sam",
    )
    assert code == 0, err
    assert out.rstrip().endswith(
        f"Fill in the rest with: calais-guide edit nouvelle-cantine --entries {root}"
    )


def test_strict_build_refuses_a_missing_translation_naming_the_entry(tmp_path: Path) -> None:
    root = tmp_path / "guide"
    shutil.copytree(BUILD_FIXTURE, root)
    _add_new_association(root)
    code, out, err = invoke("build", "--strict", "--entries", root, "-o", tmp_path / "out")
    assert code == 1
    assert (
        "missing translations (summaries, title: printed in another language, marked) (1):\n"
        "  ar: 1 untranslated text(s) in 1 file(s): summary (in nouvelle-cantine)\n"
    ) in err
    assert "--allow missing-translation" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.pdf
def test_one_new_association_does_not_stop_the_print_run(tmp_path: Path) -> None:
    root = tmp_path / "guide"
    shutil.copytree(BUILD_FIXTURE, root)
    _add_new_association(root)
    out_dir = tmp_path / "out"
    code, out, err = invoke("build", "-l", "ar", "--entries", root, "-o", out_dir)
    assert code == 0, err
    assert (
        "printed in another language (marked): ar: 1 untranslated text(s) in 1 file(s): "
        "summary (in nouvelle-cantine)"
    ) in " ".join(out.split())
    # The French summary is printed in the Arabic booklet, with the mark.
    text = pdftotext(out_dir / "booklet-ar.pdf")
    assert "Repas chauds le soir." in text
    assert "لم يُترجم بعد" in text
    # --strict with --allow: knowingly printed anyway.
    code, out, err = invoke(
        "build",
        "-l",
        "ar",
        "--strict",
        "--allow",
        "missing-translation",
        "--allow",
        "draft-translation",
        "--allow",
        "data-warnings",
        "--entries",
        root,
        "-o",
        out_dir,
    )
    assert code == 0, err
    assert f"{len(print_run())} unchanged" in out


def test_translations_export_hint_keeps_the_entries_option(guide: Path, tmp_path: Path) -> None:
    target = tmp_path / "ar.po"
    code, out, err = invoke(
        "translations", "export", "--lang", "ar", "-o", target, "--entries", guide
    )
    assert code == 0, err
    assert out.splitlines()[-1] == (
        f"  calais-guide translations import {target} --entries {guide}"
    )
    code, out, err = invoke("translations", "import", target, "--dry-run", "--entries", guide)
    assert code == 0, err
