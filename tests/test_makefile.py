"""`make deps` on a fresh Debian: python3-venv is installed when Python has no
venv/ensurepip (Debian ships them apart), and apt's chatter stays in a log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _deps(python: str, sudo: str = "echo") -> subprocess.CompletedProcess[str]:
    # SUDO=echo: the recipe runs `echo apt-get ...` instead of installing anything.
    return subprocess.run(
        ["make", "-s", "-C", str(ROOT), "deps", f"PYTHON={python}", f"SUDO={sudo}"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deps_installs_python3_venv_when_python_cannot_make_a_venv() -> None:
    done = _deps("false")  # a "Python" whose `import ensurepip, venv` fails
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # One line says what is installed; apt's own output went to a log.
    assert len(lines) == 1, done.stdout
    assert lines[0].startswith("Installing Debian packages:")
    assert lines[0].endswith(" python3-venv")


def test_a_failing_apt_shows_its_log_and_stops_make() -> None:
    done = _deps("false", sudo="sh -c 'echo E: Unable to locate package >&2; exit 100' --")
    assert done.returncode == 2  # make's status when a recipe fails
    assert "E: Unable to locate package" in done.stdout
    assert "apt-get failed (whole log: " in done.stdout


def test_deps_does_not_ask_for_python3_venv_when_python_has_it() -> None:
    done = _deps(sys.executable)
    assert done.returncode == 0, done.stderr
    assert "python3-venv" not in done.stdout
