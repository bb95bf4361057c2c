"""The cache of entry files already read (load.EntryCache): a big guide is
parsed once, then only what changed; the cache never changes an answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calais_guide import paths

from .conftest import invoke


def _cache_files() -> list[Path]:
    return sorted(paths.cache_dir().glob("entries-*.pickle"))


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv(paths.ENV_NO_CACHE, raising=False)
    return folder


def test_second_validate_reads_the_cache_and_says_the_same(guide: Path, own_cache: Path) -> None:
    first = invoke("validate", "--verbose", "--entries", guide)
    (cache,) = _cache_files()
    stamp = cache.stat().st_mtime_ns
    second = invoke("validate", "--verbose", "--entries", guide)
    assert first.code == second.code == 0
    assert second.stdout == first.stdout
    assert second.stderr == first.stderr
    assert cache.stat().st_mtime_ns == stamp  # nothing changed: not written again


def test_a_changed_file_is_read_again(guide: Path, own_cache: Path) -> None:
    assert invoke("validate", "--entries", guide).code == 0
    path = guide / "salam.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    code, stdout, stderr = invoke("validate", "--entries", guide)
    assert code == 1
    assert "salam.yaml" in stdout + stderr
    assert "unknown field 'colour'" in stdout + stderr
    path.write_text(path.read_text(encoding="utf-8").replace("colour: blue\n", ""), "utf-8")
    assert invoke("validate", "--entries", guide).code == 0


def test_a_file_with_problems_keeps_them_when_read_from_the_cache(
    guide: Path, own_cache: Path
) -> None:
    path = guide / "salam.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    first = invoke("validate", "--entries", guide)
    second = invoke("validate", "--entries", guide)
    assert first.code == second.code == 1
    assert "unknown field 'colour'" in second.stdout + second.stderr
    assert (second.stdout, second.stderr) == (first.stdout, first.stderr)


def test_a_broken_cache_is_ignored_and_rewritten(guide: Path, own_cache: Path) -> None:
    first = invoke("validate", "--entries", guide)
    (cache,) = _cache_files()
    cache.write_bytes(b"not a pickle at all")
    second = invoke("validate", "--entries", guide)
    assert second == first
    assert cache.read_bytes() != b"not a pickle at all"


def test_an_unwritable_cache_folder_costs_only_time(
    guide: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    code, stdout, stderr = invoke("validate", "--entries", guide)
    assert code == 0, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_no_cache_when_the_environment_says_so(
    guide: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.ENV_NO_CACHE, "1")
    assert invoke("validate", "--entries", guide).code == 0
    assert _cache_files() == []
    monkeypatch.setenv(paths.ENV_NO_CACHE, "0")
    assert invoke("validate", "--entries", guide).code == 0
    assert len(_cache_files()) == 1


def test_the_same_guide_named_another_way_reports_its_own_paths(
    guide: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = guide / "salam.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")

    def files(entries: str) -> set[str]:
        code, stdout, _ = invoke("validate", "--format", "json", "--entries", entries)
        assert code == 1
        return {p["file"] for p in json.loads(stdout)["problems"] if p["code"] == "unknown-field"}

    assert files(str(guide)) == {str(path)}
    monkeypatch.chdir(guide.parent)
    assert files("entries") == {"entries/salam.yaml"}
    assert files(str(guide)) == {str(path)}
