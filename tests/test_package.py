"""A normal install works anywhere: the wheel is built from the sources,
installed (not editable) into a fresh virtual environment outside the
checkout, and every command runs once from a folder outside the checkout.

No network: the wheel is built without build isolation, and the new
environment borrows the already installed dependencies of the one running
the tests (a ``.pth`` line pointing at its site-packages) instead of
downloading them. The package itself comes only from the wheel (checked).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from calais_guide.products import print_run

from .conftest import tree_digest

ROOT = Path(__file__).resolve().parent.parent
IGNORED = (".git", ".venv", "build", "dist", "out", "*.egg-info", "__pycache__", ".*cache")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(the wheel, everything the build printed)."""
    out = tmp_path_factory.mktemp("wheel")
    # Build from a copy: setuptools leaves build/ and *.egg-info in the source tree.
    source = tmp_path_factory.mktemp("source") / "calais-guide"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*IGNORED))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["-w", str(out), str(source)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = out.glob("calais_guide-*.whl")
    return path, result.stdout + result.stderr


def _shipped(folder: Path) -> list[str]:
    """Files of a source folder that the wheel must carry."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix not in (".pyc", ".mo")
        and not p.name.startswith(".")
    )


def test_every_subpackage_and_data_folder_is_in_the_wheel(built: tuple[Path, str]) -> None:
    wheel, log = built
    # setuptools warns for every folder that looks like a package and is not
    # listed ("Package would be ignored"): discovery leaves none out.
    assert "would be ignored" not in log
    assert "absent from the `packages` configuration" not in log
    names = set(zipfile.ZipFile(wheel).namelist())
    for source, inside in (
        (ROOT / "calais_guide", "calais_guide"),
        (ROOT / "entries", "calais_guide/entries"),
        (ROOT / "layouts", "calais_guide/layouts"),
        (ROOT / "fonts", "calais_guide/fonts"),
    ):
        expected = _shipped(source)
        assert expected, source
        missing = [f for f in expected if f"{inside}/{f}" not in names]
        assert missing == [], f"not in the wheel: {missing}"
    # The modules the issue found missing, by name.
    for module in ("render/booklet.py", "editions/check.py", "locale/ar/LC_MESSAGES/messages.po"):
        assert f"calais_guide/{module}" in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


@pytest.fixture(scope="module")
def installed(built: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment (outside the checkout) with the wheel installed."""
    wheel, _ = built
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies (WeasyPrint, Typer...) of the environment running the
    # tests, after the new environment's own site-packages. A path listed in
    # a .pth file is not scanned for .pth files itself, so the editable
    # install of the checkout there stays inactive.
    Path(site, "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
        + ["--no-index", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return venv


def _run(venv: Path, cwd: Path, *args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALAIS_GUIDE_")}
    env.update(NO_COLOR="1", COLUMNS="120", XDG_CACHE_HOME=str(cwd / "cache"))
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(venv / "bin" / "calais-guide"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout + result.stderr


@pytest.mark.pdf
def test_installed_wheel_runs_every_command_from_anywhere(installed: Path, tmp_path: Path) -> None:
    python = installed / "bin" / "python"
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import calais_guide.paths as p; print(p.PACKAGE); print(p.builtin_entries())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    package, builtin = probe.stdout.split()
    # The code and the built-in edition are the wheel's, not the checkout's.
    assert Path(package).is_relative_to(installed)
    assert Path(builtin) == Path(package) / "entries"
    assert not Path(package).is_relative_to(ROOT)

    work = tmp_path / "work"
    work.mkdir()
    expectations = [
        (["validate"], "ok: 19 entries"),
        (["find", "eau"], "calais-food-collective"),
        (["show", "utopia-56"], "Utopia 56"),
        (["list"], "salam"),
        (["translations", "status"], "summary"),
        (["edition", "check"], "ready to print"),
        (["booklet", "-l", "fr", "-o", "booklet.pdf"], "booklet.pdf: fr, 28 pages"),
        (["cards", "-l", "fr", "-o", "cards.pdf"], "cards.pdf: fr, 10 cards"),
        (["phone", "-l", "ar", "-o", "guide.html"], "guide.html: ar, 19 entries"),
        (["build", "-l", "fr"], f"{len(print_run())} files"),
    ]
    for args, expected in expectations:
        code, out = _run(installed, work, *args)
        assert (code, expected in out) == (0, True), f"{args}: {out}"
    assert (work / "booklet.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in (work / "build" / "2023-03").glob("*.pdf")) == [
        "booklet-fr-imposed.pdf",
        "booklet-fr-print-shop.pdf",
        "booklet-fr-screen.pdf",
        "booklet-fr.pdf",
        "cards-fr.pdf",
        "timetable-fr.pdf",
    ]


@pytest.mark.pdf
def test_installed_copy_never_writes_into_itself(installed: Path, tmp_path: Path) -> None:
    builtin = next(installed.glob("lib/python*/site-packages/calais_guide/entries"))
    before = tree_digest(builtin)
    hint = "Start your own guide with 'calais-guide init DIR', then give --entries DIR"
    for args in (
        ["verify", "utopia-56", "--by", "Sam"],
        ["close", "salam", "--from", "2023-08-01", "--reason", "Congés"],
        ["reopen", "salam"],
        ["add", "--name", "Nouvelle", "--summary", "Repas.", "--category", "food", "--by", "Sam"],
        ["edit", "salam"],
        ["edition", "new", "2023-06"],
        ["translations", "import", str(tmp_path / "x.po")],
        ["verify", "salam", "--by", "Sam", "--entries", str(builtin)],
    ):
        code, out = _run(installed, tmp_path, *args)
        assert code == 2, f"{args}: {out}"
        assert f"error: {builtin} is the built-in edition inside the installed program" in out
        assert hint in out, out
    assert tree_digest(builtin) == before

    # The way out the message gives works, and the print run builds from there.
    code, out = _run(installed, tmp_path, "init", "guide")
    assert (code, "New guide in guide." in out) == (0, True), out
    code, out = _run(
        installed, tmp_path, "verify", "utopia-56", "--by", "Sam", "--entries", "guide"
    )
    assert code == 0, out
    assert "utopia-56: verified on" in out
    code, out = _run(installed, tmp_path, "build", "--entries", "guide", "-l", "en", "-o", "out")
    assert code == 0, out
    assert f"{len(print_run())} files" in out and (tmp_path / "out" / "booklet-en.pdf").is_file()
    assert tree_digest(builtin) == before


def test_the_installed_command_line_speaks_french(
    installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wheel carries the command line's French catalog (cli.po, compiled
    on first use like the readers' catalogs when no .mo came with it)."""
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    code, out = _run(installed, tmp_path, "validate", "--help")
    assert code == 0
    assert out.startswith("Utilisation\u00a0: calais-guide validate [OPTIONS]")
    assert "Vérifier chaque fiche et le fichier d'édition" in out
    code, out = _run(installed, tmp_path, "validate")
    assert code == 0
    assert "ok\u00a0: 19 fiches, 0 erreur(s)" in out
