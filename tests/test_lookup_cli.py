"""The lookup fast path (quick.py) and what lookups import (the cache: test_lookup_index.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from calais_guide import i18n, lookup, paths, quick
from calais_guide.cli import app

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "lookup-db"
NOW = "2023-03-06 10:30"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv(lookup.ENV_NOW, NOW)
    monkeypatch.delenv("CALAIS_GUIDE_ENTRIES", raising=False)
    monkeypatch.delenv(paths.ENV_NO_CACHE, raising=False)
    monkeypatch.delenv(quick.COMPLETION_ENV, raising=False)


def python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full.update(PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=full, check=False
    )


# What a lookup process has imported, printed at exit (after sys.exit in main).
_MODULES = """
import atexit, sys
atexit.register(lambda: print("\\nMODULES " + " ".join(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["calais-guide", *{args!r}]
from calais_guide.{module} import main
main()
"""


def imported(args: list[str], module: str = "quick") -> set[str]:
    result = python(_MODULES.format(args=args, module=module))
    assert result.returncode == 0, result.stderr
    line = result.stderr.rsplit("MODULES ", 1)[1]
    return {name.split(".")[0] for name in line.split()}


LOOKUPS = [
    ["find", "eau"],
    ["find", "medcin"],
    ["show", "medecins-du-monde"],
    ["list", "--open-now"],
    ["list", "--category", "ماء", "--at", "mon 15:00", "--json"],
]


@pytest.mark.parametrize("args", LOOKUPS, ids=" ".join)
def test_lookups_never_import_the_renderers(args: list[str]) -> None:
    first = imported(args)  # builds the cache
    assert not first & {"weasyprint", "jinja2", "pikepdf"}
    warm = imported(args)
    # With a fresh cache: no Typer, no YAML, no Babel, no phonenumbers, no Rich (piped).
    heavy = {"weasyprint", "jinja2", "pikepdf", "typer", "yaml", "babel", "phonenumbers", "rich"}
    assert not warm & heavy, warm & heavy


def test_the_full_cli_does_not_import_the_renderers_for_lookups_either() -> None:
    modules = imported(["show", "salam"], module="cli")
    assert not modules & {"weasyprint", "jinja2", "pikepdf"}


# -- fast path and Typer agree ------------------------------------------------------------


def test_fast_path_knows_the_same_options_as_the_typer_commands() -> None:
    group = get_command(app)
    ctx = group.make_context("calais-guide", ["list"], resilient_parsing=True)
    for name, options in quick.OPTIONS.items():
        command = group.get_command(ctx, name)  # type: ignore[attr-defined]
        typer_options = {
            opt: param.name
            for param in command.params
            if param.param_type_name == "option"
            for opt in param.opts
            if opt != "--help"
        }
        assert typer_options == {opt: dest for opt, (dest, _) in options.items()}, name
        takes_value = {
            opt
            for param in command.params
            if param.param_type_name == "option" and not param.is_flag
            for opt in param.opts
        }
        assert takes_value == {opt for opt, (_, value) in options.items() if value}, name


ARGVS = [
    ["find", "eau"],
    ["find", "clinque", "exemple", "--lang", "en"],
    ["find", "douche", "--json"],
    ["show", "accueil-exemple", "-l", "fa"],
    ["show", "clinique-exemple", "--json", "--lang=en"],
    ["list"],
    ["list", "--open-now"],
    ["list", "-c", "food", "--at", "19:30"],
    ["list", "--category=eau", "--json"],
]


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
def test_fast_path_prints_what_the_typer_command_prints(
    argv: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    full = [*argv, "--entries", str(FIXTURE)]
    assert quick._answer(full) is not None  # really the fast path
    with pytest.raises(SystemExit) as exit_fast:
        quick.main(full)
    fast = capfd.readouterr().out
    typer = CliRunner().invoke(app, full)
    assert exit_fast.value.code == typer.exit_code == 0
    assert fast == typer.output


@pytest.mark.parametrize(
    "argv",
    [
        ["find"],
        ["show"],
        ["show", "a", "b"],
        ["list", "extra"],
        ["list", "--help"],
        ["find", "eau", "--bogus"],
        ["list", "--lang"],
        ["list", "--json=yes"],
        ["list", "--lang", "en", "--lang", "fr"],
        ["validate"],
        [],
    ],
    ids=repr,
)
def test_unusual_command_lines_go_to_typer(argv: list[str]) -> None:
    assert quick._answer(argv) is None


def test_errors_are_reported_by_the_full_cli(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        quick.main(["show", "clinique", "--entries", str(FIXTURE)])
    assert exit_info.value.code == 1
    err = capfd.readouterr().err
    assert "no entry 'clinique'" in err and "did you mean: clinique-exemple" in err


def test_completion_requests_go_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(quick.COMPLETION_ENV, "complete_bash")
    assert quick._answer(["show", "x"]) is None


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    script = (
        f"{sys.executable} -m calais_guide list --entries {FIXTURE} | head -c 10 >/dev/null; "
        "exit ${PIPESTATUS[0]}"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path)}
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
    assert result.returncode == 0 and "Traceback" not in result.stderr


# -- the cache: see tests/test_lookup_index.py ------------------------------------------


# -- texts -------------------------------------------------------------------------------


def test_guide_pick_agrees_with_i18n_pick() -> None:
    guide = lookup.open_guide(FIXTURE)
    texts = [e.summary for e in guide.db.entries] + [e.description for e in guide.db.entries]
    for localized in texts:
        for lang in ["fr", "en", "ar", "fa", "ps", "ckb", "ti", "am", "xx"]:
            ours = guide.pick(localized, lang)
            theirs = i18n.pick(localized, lang)
            assert (ours and tuple(ours)) == (
                theirs and (theirs.text, theirs.lang, theirs.status, theirs.fallback)
            )


def test_clock_override_must_be_a_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lookup.ENV_NOW, "soon")
    result = CliRunner().invoke(app, ["show", "salam"])
    assert result.exit_code == 2 and "CALAIS_GUIDE_NOW" in result.output


def test_json_is_utf8_not_escaped() -> None:
    result = CliRunner().invoke(
        app, ["find", "ماء", "--json", "-l", "ar", "--entries", str(FIXTURE)]
    )
    assert "مياه" in result.output and "\\u" not in result.output
    assert json.loads(result.output)["words"] == ["ماء"]
