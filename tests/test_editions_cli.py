"""The `calais-guide edition` commands as a coordinator types them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calais_guide.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "editions"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, list(args), env={"CALAIS_GUIDE_ENTRIES": None, "COLUMNS": "200"}
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    root = tmp_path / "guide"
    shutil.copytree(FIXTURES / "2023-03", root)
    return root


@pytest.fixture
def june(guide: Path) -> Path:
    code, _ = run("edition", "new", "2023-06", "--entries", str(guide))
    assert code == 0
    for path in (FIXTURES / "2023-06").glob("*.yaml"):
        shutil.copy(path, guide / path.name)
    (guide / "douches-du-port.yaml").unlink()
    return guide


def test_edition_help_lists_the_commands() -> None:
    code, out = run("edition", "--help")
    assert code == 0
    for command in ("new", "diff", "check"):
        assert f"  {command} " in out


def test_new_keeps_the_published_edition_and_says_what_next(guide: Path) -> None:
    code, out = run("edition", "new", "2023-06", "--entries", str(guide))

    assert code == 0
    snapshot = guide / "editions" / "2023-03.json"
    assert f"Edition 2023-03: snapshot of 3 entries written: {snapshot}" in out
    assert "Edition 2023-06 started" in out
    assert snapshot.is_file()
    assert 'edition: "2023-06"' in (guide / "edition.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2023-6", "error: '2023-6' is not a month: write YYYY-MM, e.g. 2023-06"),
        ("2023-03", "error: 2023-03 is not after the current edition 2023-03"),
    ],
)
def test_new_refuses_a_bad_month(guide: Path, month: str, message: str) -> None:
    code, out = run("edition", "new", month, "--entries", str(guide))
    assert code == 2
    assert message in out
    assert not (guide / "editions").exists()


def test_new_refuses_to_overwrite_a_snapshot(june: Path) -> None:
    (june / "edition.yaml").write_text(
        (june / "edition.yaml").read_text(encoding="utf-8").replace("2023-06", "2023-03"),
        encoding="utf-8",
    )
    code, out = run("edition", "new", "2023-09", "--entries", str(june))
    assert code == 2
    assert "already exists and differs from the current data" in out


def test_diff_on_the_builtin_edition_says_nothing_is_published_yet() -> None:
    code, out = run("edition", "diff")
    assert code == 1
    assert out == (
        "error: no published edition yet: run 'calais-guide edition new YYYY-MM' "
        "when this one is printed\n"
    )


def test_diff_text(june: Path) -> None:
    code, out = run("edition", "diff", "--entries", str(june))
    assert code == 0
    assert out.startswith("What changed: edition 2023-03 → current data (edition 2023-06)\n")
    assert "    phones[0].number: +33 3 21 00 00 00 → +33 3 21 00 00 01\n" in out


def test_diff_markdown_in_french_and_english(june: Path) -> None:
    code, fr = run(
        "edition", "diff", "2023-03", "current", "-f", "markdown", "--entries", str(june)
    )
    assert code == 0
    assert fr.startswith("# Ce qui a changé")
    assert "## Nouvelles associations" in fr
    code, en = run(
        "edition", "diff", "--format", "markdown", "--lang", "en", "--entries", str(june)
    )
    assert code == 0
    assert en.startswith("# What changed")
    code, text_fr = run("edition", "diff", "--lang", "fr", "--entries", str(june))
    assert text_fr.startswith("Ce qui a changé")


def test_diff_json(june: Path) -> None:
    code, out = run("edition", "diff", "--format", "json", "--entries", str(june))
    assert code == 0
    data = json.loads(out)
    assert data["counts"] == {"added": 1, "removed": 1, "changed": 1, "important": 1}


def test_diff_options_are_checked(june: Path) -> None:
    code, out = run("edition", "diff", "--lang", "de", "--entries", str(june))
    assert code == 2
    assert "--lang de: the diff is written in fr or en" in out
    code, out = run("edition", "diff", "--format", "pdf", "--entries", str(june))
    assert code == 2
    code, out = run("edition", "diff", "2022-12", "--entries", str(june))
    assert code == 1
    assert "no snapshot of edition 2022-12" in out and "published editions: 2023-03" in out


def test_check_exits_1_on_a_blocker_then_0_once_verified(june: Path) -> None:
    code, out = run("edition", "check", "--entries", str(june))
    assert code == 1
    assert "BLOCKER not re-checked with the association (1)" in out
    # Each finding names its entry and file:line; the settling command comes
    # once per group, with the options used.
    assert (
        "\n  cafe-solidaire (guide/cafe-solidaire.yaml:38) assured_date: last verified "
        "2023-02-25, as in the 2023-03 edition\n"
        "  → phone each association, then run "
        f"'calais-guide verify ID --by NAME --entries {june}'\n"
    ) in out
    assert "WARNING out-of-date translations (1)" in out
    assert out.rstrip().endswith(
        "not ready to print: 1 blocker(s), 4 warning(s): fix the blockers "
        "(or knowingly print anyway with --allow not-verified)"
    )
    assert out.index("BLOCKER") < out.index("WARNING")

    code, out = run(
        "verify", "cafe-solidaire", "--by", "Sam", "--date", "2023-05-15", "--entries", str(june)
    )
    assert code == 0
    code, out = run("edition", "check", "--entries", str(june))
    assert code == 0
    assert "ready to print: 0 blocker(s), 4 warning(s)" in out


def test_check_allow_strict_lang_and_json(june: Path) -> None:
    code, out = run("edition", "check", "--allow", "not-verified", "--entries", str(june))
    assert code == 0
    assert "WARNING not re-checked with the association (1) (allowed)" in out

    code, out = run("edition", "check", "--allow", "glyphs", "--entries", str(june))
    assert code == 2
    assert "always block printing" in out

    code, out = run(
        "edition", "check", "--allow", "not-verified", "--strict", "--entries", str(june)
    )
    assert code == 1

    # A missing summary is a warning naming the entries (printed in another
    # language, marked); --strict makes it block.
    code, out = run(
        "edition",
        "check",
        "-l",
        "fr",
        "-l",
        "ti",
        "--allow",
        "not-verified",
        "--entries",
        str(june),
    )
    assert code == 0, out
    assert (
        "WARNING missing translations (summaries, title: printed in another language, marked) "
        "(1)\n  ti: 4 untranslated text(s) in 4 file(s): title, summary ×3 (in ecoute-nuit, "
        "cafe-solidaire, atelier-velo)\n"
    ) in out
    code, out = run("edition", "check", "-l", "fr", "-l", "ti", "--strict", "--entries", str(june))
    assert code == 1
    assert "BLOCKER missing translations (summaries, title: printed in another language" in out

    code, out = run("edition", "check", "--lang", "xx", "--entries", str(june))
    assert code == 2
    assert "unknown language 'xx'" in out

    code, out = run("edition", "check", "--format", "json", "--entries", str(june))
    assert code == 1
    assert json.loads(out)["ok"] is False


def test_check_of_a_folder_that_is_not_a_guide(tmp_path: Path) -> None:
    code, out = run("edition", "check", "--entries", str(tmp_path))
    assert code == 1
    assert "BLOCKER data errors" in out and "missing edition file" in out
