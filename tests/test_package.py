"""The wheel carries the built-in edition, fonts and layouts: an installed
calais-guide works anywhere, without the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Build from a copy: setuptools leaves build/ and *.egg-info in the source tree.
    source = tmp_path_factory.mktemp("source") / "calais-guide"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*cache"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("calais_guide-*.whl")
    return path


def test_wheel_contains_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    expected = [
        "calais_guide/entries/edition.yaml",
        "calais_guide/entries/utopia-56.yaml",
        "calais_guide/fonts/fonts.yaml",
        "calais_guide/fonts/Vazirmatn-Regular.ttf",
        "calais_guide/fonts/Noto-OFL.txt",
        "calais_guide/data/languages.yaml",
    ]
    for name in expected:
        assert name in names
    entries_in_repo = sorted(p.name for p in (ROOT / "entries").glob("*.yaml"))
    entries_in_wheel = sorted(
        Path(n).name for n in names if n.startswith("calais_guide/entries/") and n.endswith(".yaml")
    )
    assert entries_in_wheel == entries_in_repo
    layouts_in_repo = sorted(
        str(p.relative_to(ROOT / "layouts")) for p in (ROOT / "layouts").rglob("*") if p.is_file()
    )
    layouts_in_wheel = sorted(
        n.removeprefix("calais_guide/layouts/")
        for n in names
        if n.startswith("calais_guide/layouts/")
    )
    assert layouts_in_wheel == layouts_in_repo


def test_installed_wheel_works_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("CALAIS_GUIDE_ENTRIES", None)
    result = subprocess.run(
        [sys.executable, "-m", "calais_guide", "validate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "19 entries" in result.stdout
    probe = subprocess.run(
        [sys.executable, "-c", "import calais_guide.paths as p; print(p.builtin_entries())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(site))
