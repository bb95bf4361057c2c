"""Lookups survive one broken entry file: they answer from every valid
entry and say on stderr which file was skipped and why; exit 0 unless the
entry asked for is the broken one. Printing still refuses invalid data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import invoke

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "lookup-db"
SKIPPED = (
    "warning: laverie-exemple.yaml skipped: line {line}: name: duplicate key 'name' "
    "(first written on line 3); YAML would silently keep only the last one; "
    "see 'calais-guide validate --entries {root}'\n"
)


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """The lookup fixture with one duplicate key in laverie-exemple.yaml."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "db"
    shutil.copytree(FIXTURE, root)
    path = root / "laverie-exemple.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "name: Doublon\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    return root, SKIPPED.format(line=line, root=root)


def _quick(*args: str) -> subprocess.CompletedProcess[str]:
    """Through the fast path (quick.py), as the installed command runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALAIS_GUIDE_")}
    env.update(PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "calais_guide", *args], capture_output=True, text=True, env=env
    )


@pytest.mark.parametrize(
    "args",
    [["list"], ["list", "--json"], ["find", "accueil"], ["show", "accueil-exemple"]],
)
def test_lookups_answer_from_the_valid_entries(broken: tuple[Path, str], args: list[str]) -> None:
    root, warning = broken
    for run in ("typer", "quick"):
        if run == "typer":
            code, out, err = invoke(*args, "--entries", root)
        else:
            done = _quick(*args, "--entries", str(root))
            code, out, err = done.returncode, done.stdout, done.stderr
        assert code == 0, (run, err)
        assert err == warning, run
        if "--json" in args:
            ids = [e["id"] for e in json.loads(out)["entries"]]
            assert "accueil-exemple" in ids and "laverie-exemple" not in ids, run
        else:
            assert "Accueil Exemple" in out, run
            assert "Laverie" not in out and "Doublon" not in out, run


def test_the_whole_list_minus_the_broken_file(broken: tuple[Path, str]) -> None:
    root, _ = broken
    code, healthy, _ = invoke("list", "--entries", FIXTURE)
    code, out, err = invoke("list", "--entries", root)
    assert code == 0
    kept = [line for line in healthy.splitlines() if "laverie-exemple" not in line]
    assert out.splitlines() == kept
    assert len(kept) == len(healthy.splitlines()) - 1


def test_asking_for_the_broken_entry_is_a_data_error(broken: tuple[Path, str]) -> None:
    root, _ = broken
    code, out, err = invoke("show", "laverie-exemple", "--entries", root)
    assert (code, out) == (1, "")
    assert (
        err.startswith(f"error {root.name}/laverie-exemple.yaml:")
        and "duplicate key 'name' (first written on line 3)" in err
    )
    assert err.rstrip().endswith(
        "1 error(s) in the guide data: fix them and run the command again."
    )


def test_nothing_found_says_what_was_not_searched(broken: tuple[Path, str]) -> None:
    root, _ = broken
    code, out, err = invoke("find", "laverie", "--entries", root)
    assert (code, out) == (1, "")
    assert err == (
        "error: nothing found for 'laverie': try fewer or other words "
        "(not searched, it cannot be read: laverie-exemple.yaml)\n"
    )


def test_the_skipped_file_is_still_named_when_the_cache_answers(
    broken: tuple[Path, str],
) -> None:
    root, warning = broken
    first = _quick("list", "--entries", str(root))
    second = _quick("list", "--entries", str(root))  # from the cache
    assert first.stderr == second.stderr == warning
    assert first.stdout == second.stdout


def test_printing_still_refuses_invalid_data(broken: tuple[Path, str], tmp_path: Path) -> None:
    root, _ = broken
    code, out, err = invoke("cards", "--entries", root, "-o", tmp_path / "x.pdf")
    assert code == 1
    assert "laverie-exemple.yaml" in err and "duplicate key 'name'" in err
    assert not (tmp_path / "x.pdf").exists()
