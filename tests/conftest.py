"""Shared fixtures: a private copy of the built-in guide, and a CLI runner."""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from typer.testing import CliRunner

from calais_guide.cli import app
from calais_guide.paths import builtin_entries

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _plain_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No colours, a fixed width, no database chosen by the environment, an
    English command line (whatever the developer's locale), and a lookup
    cache of the test run's own (never the user's; one per worker process
    when the tests run in parallel)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("CALAIS_GUIDE_ENTRIES", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every test runs unplugged: a connection or a name lookup raises OSError
    and is recorded in the list this fixture returns (assert it stays empty)."""
    attempts: list[object] = []

    def unplugged(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network unplugged (test)")

    monkeypatch.setattr(socket.socket, "connect", unplugged)
    monkeypatch.setattr(socket.socket, "connect_ex", unplugged)
    monkeypatch.setattr(socket, "create_connection", unplugged)
    monkeypatch.setattr(socket, "getaddrinfo", unplugged)
    return attempts


_running: list[pytest.Item] = []


def pytest_runtest_setup(item: pytest.Item) -> None:
    _running[:] = [item]  # before any fixture of the test, module-scoped ones too


def pytest_configure(config: pytest.Config) -> None:
    """A test that renders a PDF must be marked ``@pytest.mark.pdf`` (so that
    ``pytest -m "not pdf"`` runs the logic tests alone, fast): unmarked, it fails."""
    from calais_guide.render import pdf

    weasyprint = pdf.weasyprint

    def guarded() -> Any:
        if _running and _running[0].get_closest_marker("pdf") is None:
            raise AssertionError(f"{_running[0].nodeid} renders a PDF: mark it @pytest.mark.pdf")
        return weasyprint()

    pdf.weasyprint = guarded  # type: ignore[assignment]


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    """A writable copy of the built-in edition."""
    target = tmp_path / "entries"
    shutil.copytree(builtin_entries(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


class Invoked(NamedTuple):
    """What a command did: exit code, standard output, standard error."""

    code: int
    stdout: str
    stderr: str


def invoke(*args: str | Path, input: str | None = None) -> Invoked:
    """Run the CLI in-process: ``code, stdout, stderr = invoke(...)``.

    An exception other than an exit (a traceback a user would see) fails the test.
    """
    result = CliRunner().invoke(app, [str(a) for a in args], input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Invoked(result.exit_code, result.stdout, result.stderr)


def tree_digest(root: Path) -> dict[str, str]:
    """Name -> sha256 of every file under ``root`` (to prove nothing changed)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def copy_guide(source: Path, tmp_path: Path) -> Path:
    """A writable copy of the fixture database ``source`` (as ``tmp_path/db``)."""
    target = tmp_path / "db"
    shutil.copytree(source, target)
    return target


def edit_entry(root: Path, entry_id: str, change: Callable[[Any], None]) -> None:
    """Rewrite entry ``entry_id`` after ``change`` edits its data (tests only:
    comments are not kept)."""
    import yaml

    path = root / f"{entry_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def pdftotext(path: Path, *args: str) -> str:
    """The PDF's text layer (poppler's pdftotext)."""
    out = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def pdfinfo(path: Path, *args: str) -> dict[str, str]:
    """poppler's pdfinfo as a dict ("Pages" -> "24")."""
    out = subprocess.run(["pdfinfo", *args, str(path)], capture_output=True, text=True, check=True)
    return {
        k.strip(): v.strip()
        for k, _, v in (line.partition(":") for line in out.stdout.splitlines())
    }
