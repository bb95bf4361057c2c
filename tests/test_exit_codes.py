"""One exit-code rule for every command, tested once for all of them.

0 ok; 1 a data problem (invalid entry, nothing found, refused print);
2 the command line itself (unknown option value: ``--lang xx``,
``--category nope``; bad dates; an empty ``--entries=``; a writing command
aimed at the built-in edition of an installed copy). See
:class:`calais_guide.errors.UsageError`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calais_guide import paths

from .conftest import edit_entry, invoke, tree_digest

ROOT = Path(__file__).resolve().parent.parent
KNOWN = "use one of fr, en, ar, fa, ps, ckb, ti, am"


@pytest.fixture
def db(guide: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The built-in edition copied, the current folder an empty one, no cache."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return guide


# Every command that takes a language, with what it says about an unknown one.
LANG_COMMANDS = {
    "find": (["find", "eau"], f"error: unknown language 'xx': {KNOWN}"),
    "show": (["show", "salam"], f"error: unknown language 'xx': {KNOWN}"),
    "list": (["list"], f"error: unknown language 'xx': {KNOWN}"),
    "close": (
        ["close", "salam", "--from", "2023-08-01", "--reason", "Congés"],
        f"error: unknown language 'xx': {KNOWN}",
    ),
    "booklet": (["booklet"], f"error: unknown language 'xx': {KNOWN}"),
    "cards": (["cards"], f"error: unknown language 'xx': {KNOWN}"),
    "timetable": (["timetable"], f"error: unknown language 'xx': {KNOWN}"),
    "phone": (["phone"], f"error: unknown language 'xx': {KNOWN}"),
    "build": (["build"], f"error: unknown language 'xx': {KNOWN}"),
    "edition check": (["edition", "check"], f"error: unknown language 'xx': {KNOWN}"),
    "edition diff": (["edition", "diff"], "error: --lang xx: the diff is written in fr or en"),
    "edition calls": (
        ["edition", "calls"],
        "error: --lang xx: the call sheet is written in fr or en",
    ),
    "translations status": (
        ["translations", "status"],
        f"error: unknown language 'xx': {KNOWN}",
    ),
    "translations export": (
        ["translations", "export"],
        f"error: unknown language 'xx': {KNOWN}",
    ),
    "export": (["export", "--format", "hsds"], f"error: unknown language 'xx': {KNOWN}"),
    "export csv": (["export", "--format", "csv"], f"error: unknown language 'xx': {KNOWN}"),
    "export xlsx": (["export", "--format", "xlsx"], f"error: unknown language 'xx': {KNOWN}"),
    "import": (["import", "hsds-folder"], f"error: unknown language 'xx': {KNOWN}"),
}


@pytest.mark.parametrize("name", list(LANG_COMMANDS))
def test_unknown_language_is_a_usage_error_everywhere(db: Path, name: str) -> None:
    args, message = LANG_COMMANDS[name]
    before = tree_digest(db)
    code, out, err = invoke(*args, "--lang", "xx", "--entries", db)
    assert code == 2, err
    assert message in err
    assert out == ""
    assert tree_digest(db) == before
    assert os.listdir(".") == []  # nothing written


CATEGORY_COMMANDS = {
    "list": (["list"], "error: unknown category 'nope'"),
    "cards": (["cards"], "error: unknown card category 'nope'"),
    "add": (
        ["add", "--name", "Nouvelle", "--summary", "Repas chauds.", "--by", "Sam"],
        "error: unknown category 'nope'",
    ),
}


@pytest.mark.parametrize("name", list(CATEGORY_COMMANDS))
def test_unknown_category_is_a_usage_error_everywhere(db: Path, name: str) -> None:
    args, message = CATEGORY_COMMANDS[name]
    before = tree_digest(db)
    code, out, err = invoke(*args, "--category", "nope", "--entries", db)
    assert code == 2, err
    assert message in err
    assert out == ""
    assert tree_digest(db) == before
    assert os.listdir(".") == []


BAD_DATES = {
    "verify --date": (["verify", "salam", "--by", "Sam", "--date", "1/3/23"], "--date '1/3/23'"),
    "close --from": (["close", "salam", "--from", "soon", "--reason", "x"], "--from 'soon'"),
    "close --until": (
        ["close", "salam", "--from", "2023-08-01", "--until", "later", "--reason", "x"],
        "--until 'later'",
    ),
    "reopen --date": (["reopen", "salam", "--date", "2023-13-01"], "--date '2023-13-01'"),
    "list --at": (["list", "--at", "someday"], "--at: "),
}


@pytest.mark.parametrize("name", list(BAD_DATES))
def test_bad_dates_are_usage_errors(db: Path, name: str) -> None:
    args, message = BAD_DATES[name]
    before = tree_digest(db)
    code, out, err = invoke(*args, "--entries", db)
    assert code == 2, err
    assert message in err
    assert out == ""
    assert tree_digest(db) == before


def test_data_problems_exit_1(db: Path) -> None:
    code, out, err = invoke("show", "nobody", "--entries", db)
    assert code == 1, err
    assert "error: no entry 'nobody'" in err
    code, out, err = invoke("find", "zzzzqqqq", "--entries", db)
    assert code == 1, err
    assert "nothing found for 'zzzzqqqq'" in err
    code, out, err = invoke("verify", "nobody", "--by", "Sam", "--entries", db)
    assert code == 1, err
    assert "error: no entry 'nobody'" in err
    edit_entry(db, "salam", lambda d: d.update(categories=["nope"]))
    for args in (
        ["validate"],
        ["booklet", "-o", "x.pdf"],
        ["cards"],
        ["timetable"],
        ["build"],
        ["export", "--format", "hsds", "-o", "x"],
        ["export", "--format", "csv", "-o", "x.csv"],
        ["export", "--format", "xlsx", "-o", "x.xlsx"],
        ["edition", "calls", "-o", "x.pdf"],
        ["edition", "calls", "--format", "csv", "-o", "x.csv"],
    ):
        code, out, err = invoke(*args, "--entries", db)
        assert code == 1, (args, out, err)
        assert "salam.yaml" in out + err, args
        assert "unknown category 'nope'" in out + err, args
    assert os.listdir(".") == []  # refused print: nothing written


# -- `--entries=` (empty): the fast lookup path and the Typer path agree --------------

EMPTY = (
    "Invalid value for '--entries' (env var: 'CALAIS_GUIDE_ENTRIES'): empty: "
    "give the database folder (made by 'calais-guide init')"
)


def _quick(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m calais_guide`` (through quick.py, as installed) with output piped."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALAIS_GUIDE_")}
    env.update(PYTHONPATH=str(ROOT), NO_COLOR="1", COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "calais_guide", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [["find", "eau"], ["show", "salam"], ["list"], ["validate"], ["verify", "salam", "--by", "S"]],
)
def test_empty_entries_option_is_a_usage_error_on_both_paths(args: list[str]) -> None:
    typer_code, typer_out, typer_err = invoke(*args, "--entries=")
    quick = _quick(*args, "--entries=")
    assert (typer_code, quick.returncode) == (2, 2), (typer_err, quick.stderr)
    assert typer_out == ""
    assert EMPTY in " ".join(typer_err.split())
    assert EMPTY in " ".join(quick.stderr.split())
    assert quick.stdout == ""


# -- writing commands and the installed built-in edition --------------------------------

WRITERS = {
    "verify": ["verify", "salam", "--by", "Sam"],
    "close": ["close", "salam", "--from", "2023-08-01", "--reason", "Congés"],
    "reopen": ["reopen", "salam"],
    "add": ["add", "--name", "Nouvelle", "--summary", "Repas.", "--category", "food", "--by", "S"],
    "edit": ["edit", "salam"],
    "edition new": ["edition", "new", "2023-06"],
    "translations import": ["translations", "import", "missing.po"],
}


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The package as pip installs it: the built-in edition inside the package folder."""
    package = tmp_path / "site-packages" / "calais_guide"
    shutil.copytree(paths.builtin_entries(), package / "entries")
    shutil.copytree(paths.data_dir(), package / "data")
    monkeypatch.setattr(paths, "PACKAGE", package)
    monkeypatch.chdir(tmp_path)
    assert paths.builtin_entries() == package / "entries"
    return package / "entries"


@pytest.mark.parametrize("name", list(WRITERS))
def test_writing_commands_refuse_the_installed_builtin_edition(installed: Path, name: str) -> None:
    before = tree_digest(installed)
    for extra in ([], ["--entries", str(installed)]):
        code, out, err = invoke(*WRITERS[name], *extra)
        assert code == 2, err
        assert out == ""
        assert (
            f"error: {installed} is the built-in edition inside the installed program: "
            "it is not changed. Start your own guide with 'calais-guide init DIR', "
            "then give --entries DIR (or export CALAIS_GUIDE_ENTRIES=DIR)"
        ) in " ".join(err.split())
    assert tree_digest(installed) == before


def test_in_a_checkout_the_builtin_edition_stays_writable() -> None:
    assert paths.builtin_entries() == ROOT / "entries"
    assert not paths.inside_package(paths.builtin_entries())
    assert paths.writable_entries() == ROOT / "entries"
