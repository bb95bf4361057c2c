"""The lookup index (calais_guide.lookup_index): kept between lookups, brought
up to date file by file, never lying, never blocking, never trusted blindly."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from calais_guide import load, lookup, lookup_index, paths
from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.search import build_index, load_search_words, search
from tests.conftest import invoke

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "lookup-db"
NOW = "2023-03-06 10:30"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv(lookup.ENV_NOW, NOW)
    monkeypatch.delenv(paths.ENV_NO_CACHE, raising=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    target = tmp_path / "db"
    shutil.copytree(FIXTURE, target)
    return target


def index_files() -> list[Path]:
    return sorted((Path(os.environ["XDG_CACHE_HOME"]) / "calais-guide").glob("lookup-*.sqlite"))


class Reads:
    """Counts the entry files the loader reads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str] = []
        real = load.load_entry

        def counting(path: Path, problems: list) -> object:
            self.names.append(path.name)
            return real(path, problems)

        monkeypatch.setattr(load, "load_entry", counting)


def show_json(db: Path, entry_id: str) -> dict:
    code, out, err = invoke("show", entry_id, "--entries", db, "--json")
    assert code == 0, err
    return json.loads(out)


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The lookup as typed (fast path), in its own process, never waiting more than 60 s."""
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full.update(PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "calais_guide", *map(str, args)],
        capture_output=True,
        text=True,
        env=full,
        timeout=60,
    )


# -- only what changed is read again ---------------------------------------------------


def test_a_warm_lookup_reads_no_entry_file(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke("find", "eau", "--entries", db).code == 0
    assert len(index_files()) == 1
    reads = Reads(monkeypatch)
    code, out, _ = invoke("find", "eau", "--entries", db)
    assert code == 0 and "accueil-exemple" in out
    assert reads.names == []


def test_a_changed_file_is_the_only_one_read_again(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("list", "--entries", db)
    reads = Reads(monkeypatch)
    path = db / "maraude-exemple.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Maraude Exemple", "Maraude Renommée"))
    assert show_json(db, "maraude-exemple")["name"] == "Maraude Renommée"
    assert reads.names == ["maraude-exemple.yaml"]
    # The search terms follow: the new name is found, the old one no more.
    code, out, _ = invoke("find", "renommee", "--entries", db, "--json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)["results"]] == ["maraude-exemple"]
    assert json.loads(out)["results"][0]["matched"] == ["name"]
    # ... and the old words of the changed file are gone from the index.
    path.write_text(path.read_text(encoding="utf-8").replace("Renommée", "Zébulon"))
    code, out, _ = invoke("find", "renommee", "--entries", db, "--json")
    assert code == 1 and json.loads(out)["results"] == []
    assert reads.names == ["maraude-exemple.yaml", "maraude-exemple.yaml"]


def test_a_deleted_file_is_gone_everywhere(db: Path) -> None:
    assert show_json(db, "accueil-exemple")["projects"] == [
        {"id": "laverie-exemple", "name": "Laverie Exemple"}
    ]
    (db / "laverie-exemple.yaml").unlink()
    code, out, err = invoke("show", "laverie-exemple", "--entries", db)
    assert code == 1 and "no entry 'laverie-exemple'" in err
    assert show_json(db, "accueil-exemple")["projects"] == []
    code, out, _ = invoke("find", "laverie", "--entries", db, "--json")
    assert code == 1 and json.loads(out)["results"] == []
    code, out, _ = invoke("list", "--entries", db, "--json")
    assert "laverie-exemple" not in [e["id"] for e in json.loads(out)["entries"]]


def test_an_added_file_is_found_and_listed_in_order(db: Path) -> None:
    invoke("list", "--entries", db)
    text = (db / "laverie-exemple.yaml").read_text(encoding="utf-8")
    (db / "bain-douche.yaml").write_text(
        text.replace("laverie-exemple", "bain-douche").replace("Laverie Exemple", "Bain Douche"),
        encoding="utf-8",
    )
    code, out, _ = invoke("find", "bain douche", "--entries", db, "--json")
    assert code == 0 and json.loads(out)["results"][0]["id"] == "bain-douche"
    code, out, _ = invoke("list", "--entries", db, "--json")
    ids = [e["id"] for e in json.loads(out)["entries"]]
    # Not in the edition's order: after the listed ones, by id.
    assert ids == [*[e.id for e in load_database(FIXTURE).entries], "bain-douche"]


def test_a_new_edition_order_is_followed_without_reading_the_entries(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("list", "--entries", db)
    reads = Reads(monkeypatch)
    edition = db / "edition.yaml"
    edition.write_text(
        edition.read_text(encoding="utf-8").replace(
            "  - accueil-exemple\n  - clinique-exemple\n", "  - clinique-exemple\n"
        ),
        encoding="utf-8",
    )
    code, out, _ = invoke("list", "--entries", db, "--json")
    ids = [e["id"] for e in json.loads(out)["entries"]]
    assert ids[0] == "clinique-exemple" and ids[-1] == "accueil-exemple"
    assert reads.names == []


# -- the cache cannot lie (issue 15.6) --------------------------------------------------


def test_a_same_size_edit_that_keeps_the_modification_time_is_seen(db: Path) -> None:
    path = db / "maraude-exemple.yaml"
    assert run("show", "maraude-exemple", "--entries", db).returncode == 0
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("Maraude Exemple", "Maraude Exempla")
    assert len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p or touch -r do
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    result = run("show", "maraude-exemple", "--entries", db)
    assert result.returncode == 0, result.stderr
    assert "Maraude Exempla" in result.stdout and "Maraude Exemple" not in result.stdout


def test_a_file_copied_over_with_cp_p_is_seen(db: Path, tmp_path: Path) -> None:
    path = db / "clinique-exemple.yaml"
    twin = tmp_path / "twin.yaml"
    text = path.read_text(encoding="utf-8")
    twin.write_text(text.replace("Clinique Exemple", "Clinique Exemplx"), encoding="utf-8")
    os.utime(twin, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    assert run("find", "clinique", "--entries", db).returncode == 0
    subprocess.run(["cp", "-p", str(twin), str(path)], check=True)
    result = run("find", "clinique", "--entries", db)
    assert "Clinique Exemplx" in result.stdout, result.stdout + result.stderr


def test_files_read_just_after_a_change_are_compared_by_content(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Changed within the clock tick of the previous lookup: its bytes are kept
    # and compared (a same-size, same-times edit would otherwise go unseen).
    monkeypatch.setattr(lookup_index, "RACY_NS", 3600 * 10**9)  # however slow this machine is
    path = db / "refuge-exemple.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")  # just written: racy
    lookup.open_guide(db)
    (index,) = index_files()
    with sqlite3.connect(index) as connection:
        (blob,) = connection.execute("SELECT value FROM meta WHERE key = 'racy'").fetchone()
    import pickle

    assert pickle.loads(blob)["refuge-exemple.yaml"] == path.read_bytes()


# -- a cache file that is not what it should be ----------------------------------------


def test_a_corrupt_index_file_is_rebuilt(db: Path) -> None:
    invoke("list", "--entries", db)
    (index,) = index_files()
    index.write_bytes(b"not an index at all" * 100)
    code, out, _ = invoke("show", "accueil-exemple", "--entries", db)
    assert code == 0 and "Accueil Exemple" in out
    with sqlite3.connect(index) as connection:
        assert connection.execute("SELECT count(*) FROM entries").fetchone() == (6,)


def test_a_foreign_database_in_its_place_is_rebuilt(db: Path) -> None:
    invoke("list", "--entries", db)
    (index,) = index_files()
    index.unlink()
    with sqlite3.connect(index) as connection:
        connection.execute("CREATE TABLE meta (something TEXT)")
        connection.execute("CREATE TABLE entries (x)")
    code, out, _ = invoke("show", "clinique-exemple", "--entries", db)
    assert code == 0 and "Clinique Exemple" in out


def test_an_index_of_another_program_version_is_rebuilt(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("list", "--entries", db)
    monkeypatch.setattr(lookup_index, "_program", lambda: "another version")
    reads = Reads(monkeypatch)
    assert invoke("list", "--entries", db).code == 0
    assert len(reads.names) == 6


def test_a_fifo_in_place_of_the_index_never_blocks(db: Path) -> None:
    assert run("list", "--entries", db).returncode == 0
    (index,) = index_files()
    index.unlink()
    os.mkfifo(index)
    result = run("show", "accueil-exemple", "--entries", db)  # would block forever on the FIFO
    assert result.returncode == 0, result.stderr
    assert "Accueil Exemple" in result.stdout
    assert index.is_file()  # replaced by a real index


def test_a_link_in_place_of_the_index_is_not_followed(db: Path, tmp_path: Path) -> None:
    assert run("list", "--entries", db).returncode == 0
    (index,) = index_files()
    index.unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"keep me")
    index.symlink_to(elsewhere)
    result = run("show", "accueil-exemple", "--entries", db)
    assert result.returncode == 0, result.stderr
    assert elsewhere.read_bytes() == b"keep me"
    assert not index.is_symlink()


def test_no_cache_and_an_unwritable_cache_still_answer(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.ENV_NO_CACHE, "1")
    code, out, _ = invoke("show", "accueil-exemple", "--entries", db)
    assert code == 0 and "Accueil Exemple" in out
    assert index_files() == []
    monkeypatch.delenv(paths.ENV_NO_CACHE)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where a folder should be
    code, out, _ = invoke("show", "accueil-exemple", "--entries", db)
    assert code == 0 and "Accueil Exemple" in out


def test_a_broken_entry_file_is_named_at_every_lookup(db: Path) -> None:
    # (What lookups do with it: tests/test_lookup_broken.py.)
    path = db / "maraude-exemple.yaml"
    path.write_text("id: x\nname: [broken\n", encoding="utf-8")
    for _ in range(2):  # the second answer comes from the index: it still says so
        code, out, err = invoke("list", "--entries", db)
        assert code == 0
        assert err.startswith("warning: maraude-exemple.yaml skipped: line 3: YAML syntax error")
        assert "maraude-exemple" not in out and "accueil-exemple" in out
    path.unlink()
    code, out, err = invoke("list", "--entries", db)
    assert code == 0 and err == "" and "accueil-exemple" in out


def test_a_broken_edition_file_stops_every_lookup(db: Path) -> None:
    (db / "edition.yaml").write_text("edition: [broken\n", encoding="utf-8")
    for _ in range(2):
        code, out, err = invoke("list", "--entries", db)
        assert (code, out) == (1, "")
        assert "edition.yaml" in err and "YAML syntax error" in err


# -- the same answers as the whole database in memory -----------------------------------

QUERIES = [
    "eau", "medcin", "médecin", "medecins", "where can I charge my phone", "ماء", "sleeping bag",
    "douche", "zzzz", "avocat", "femmes", "utopia", "alarm phone", "med", "santé mentale",
    "nourriture", "ሓኪም", "مرکز", "calais", "vetements", "juridique", "mineurs", "tente",
    "hebergment", "maraud", "soins dentaire", "exemple", "laverie samedi",
]  # fmt: skip


@pytest.mark.parametrize("root", [FIXTURE, builtin_entries()], ids=["fixture", "builtin"])
def test_the_index_ranks_like_the_database_in_memory(root: Path) -> None:
    memory = build_index(load_database(root), load_search_words())
    stored = lookup_index.open_index(root)
    for query in QUERIES:
        assert search(stored, query) == search(memory, query), query


def test_entries_that_answer_the_same_at_every_moment() -> None:
    # list --open-now takes these answers from the index without working them out.
    import datetime as dt

    from calais_guide import hours

    entries = load_database(FIXTURE).entries + load_database(builtin_entries()).entries
    constant = [e for e in entries if hours.constant_state(e) is not None]
    assert {hours.constant_state(e).state for e in constant} == {"mobile", "unknown"}
    assert hours.constant_state(load_database(FIXTURE).get("accueil-exemple")) is None
    start = dt.datetime(2023, 3, 6, 0, 0)
    for hour in range(0, 24 * 8, 5):
        moment = start + dt.timedelta(hours=hour)
        for entry in constant:
            assert hours.constant_state(entry) == hours.entry_state(entry, moment)


def test_lookups_at_the_same_time_while_the_index_changes(db: Path) -> None:
    def together(count: int) -> list[subprocess.CompletedProcess[str]]:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        env["PYTHONPATH"] = str(ROOT)
        started = [
            subprocess.Popen(
                [sys.executable, "-m", "calais_guide", "list", "--json", "--entries", str(db)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for _ in range(count)
        ]
        done = []
        for process in started:
            out, err = process.communicate(timeout=120)
            done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
        return done

    for result in together(4):  # all of them find no index: one builds it, the others wait
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)["entries"]) == 6
    (db / "laverie-exemple.yaml").unlink()
    for result in together(4):
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)["entries"]) == 5
