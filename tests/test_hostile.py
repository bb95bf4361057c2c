"""Issue 15 (and 10.10, 10.11): the tool as a hostile user, a clumsy user and a
broken machine would use it. Every test goes through the command line and
checks the exit code, the message and that no file changed (or that both
concurrent changes are there).

Classes: lost updates (locks), writes that land where the user meant, OS
errors as messages, entries with a logo, reserved names. Inputs at the door,
parallel builds and imports are in test_hostile_inputs.py.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calais_guide.cli import app
from calais_guide.load import load_database

from .conftest import ROOT, tree_digest

BOOKLET = ROOT / "tests" / "fixtures" / "booklet"
"""A small database whose first entry has a logo (assets/maison-exemple.svg)."""
LOGO_ENTRY = "maison-exemple"


def cli(*args: str | Path, env: dict[str, str] | None = None, input: str | None = None):
    """Run the CLI in-process: (exit code, stdout, stderr). A traceback fails the test."""
    result = CliRunner().invoke(app, [str(a) for a in args], env=env, input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def run(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 120):
    """Run ``python -m calais_guide`` as a process: (exit code, stdout, stderr)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "calais_guide", *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A writable copy of the small database with a logo."""
    target = tmp_path / "db"
    shutil.copytree(BOOKLET, target)
    return target


def one_line(text: str) -> str:
    """The message, as one line (the CLI never wraps when piped)."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


# -- 1. no lost updates -------------------------------------------------------------


def test_two_writers_never_lose_an_update(db: Path) -> None:
    """20 rounds of verify and close started together on one entry: both changes
    are in the file every time (the second waits for the first's lock)."""
    entry = db / f"{LOGO_ENTRY}.yaml"
    closures = entry.read_text(encoding="utf-8").count("valid_from:")
    env = {**os.environ, "NO_COLOR": "1"}
    for round_ in range(20):
        day = f"2024-05-{round_ + 1:02d}"
        commands = [
            ["verify", LOGO_ENTRY, "--by", f"Alice{round_}", "--date", day],
            ["close", LOGO_ENTRY, "--from", day, "--until", day, "--reason", f"Congés {round_}"],
        ]
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "calais_guide", *c, "--entries", str(db)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for c in commands
        ]
        results = [(p.wait(120), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
        for p in procs:
            p.stdout.close()  # type: ignore[union-attr]
            p.stderr.close()  # type: ignore[union-attr]
        assert [code for code, _, _ in results] == [0, 0], results
        text = entry.read_text(encoding="utf-8")
        assert f"assurer: Alice{round_}" in text
        assert f"fr: Congés {round_}" in text
        assert f"valid_from: {day}" in text
    # every closure of every round is there, once
    assert entry.read_text(encoding="utf-8").count("valid_from:") == closures + 20
    assert cli("validate", "--entries", db)[0] == 0


def test_a_writer_waits_then_refuses_while_another_holds_the_lock(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import calais_guide.fileio as fileio

    monkeypatch.setattr(fileio, "LOCK_WAIT_SECONDS", 0.3)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(db / fileio.LOCK_FILE)!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"  # type: ignore[union-attr]
        before = tree_digest(db)  # (with the lock file the other process made)
        code, out, err = cli("verify", LOGO_ENTRY, "--by", "Alice", "--entries", db)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]
    assert code == 1
    assert one_line(err) == (
        f"error: {db} is being changed by another calais-guide command: nothing was "
        "written; run this again when it has finished"
    )
    assert out == ""
    assert tree_digest(db) == before


def test_a_file_changed_while_being_edited_is_not_overwritten(db: Path, tmp_path: Path) -> None:
    """The editor session does not hold the lock (it can last minutes): when the
    file changed meanwhile (another command), saving refuses and keeps the edit."""
    entry = db / f"{LOGO_ENTRY}.yaml"
    script = tmp_path / "editor.sh"
    # The "person" edits the copy; meanwhile another command verifies the entry.
    script.write_text(
        "#!/bin/sh\n"
        "sed -i 's/^name: Maison Exemple$/name: Maison Exemple Bis/' \"$1\"\n"
        f"{sys.executable} -m calais_guide verify {LOGO_ENTRY} --by Bob --date 2024-05-02 "
        f"--entries {db} >/dev/null\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    code, out, err = cli("edit", LOGO_ENTRY, "--entries", db, env={"EDITOR": str(script)})
    assert code == 1
    message = one_line(err)
    assert message.startswith(
        f"error: {entry} changed while this command ran (another command or an editor saved "
        "it): nothing written; run the command again; your version is kept in "
    )
    kept = Path(message.rsplit(" ", 1)[1])
    assert kept.parent == db and kept.name.startswith(f".{LOGO_ENTRY}.")
    assert "name: Maison Exemple Bis" in kept.read_text(encoding="utf-8")
    text = entry.read_text(encoding="utf-8")
    assert "assurer: Bob" in text  # the other command's change is kept
    assert "name: Maison Exemple\n" in text  # and not overwritten by the stale edit


# -- 2. writes land where the user meant ----------------------------------------------


def test_a_symlinked_entry_is_written_through_to_its_target(db: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / f"{LOGO_ENTRY}.yaml"
    shutil.move(db / f"{LOGO_ENTRY}.yaml", real)
    (db / f"{LOGO_ENTRY}.yaml").symlink_to(real)
    code, out, err = cli(
        "verify", LOGO_ENTRY, "--by", "Alice", "--date", "2024-06-01", "--entries", db
    )
    assert (code, err) == (0, "")
    assert f"{LOGO_ENTRY}: verified on 2024-06-01 by Alice" in out
    link = db / f"{LOGO_ENTRY}.yaml"
    assert link.is_symlink() and link.resolve() == real
    assert "assurer: Alice" in real.read_text(encoding="utf-8")
    assert [p.name for p in shared.iterdir()] == [f"{LOGO_ENTRY}.yaml"]  # no temp file


def test_outputs_that_are_devices_are_written_through_not_replaced(db: Path) -> None:
    code, out, err = cli(
        "translations", "export", "--lang", "ar", "-o", "/dev/null", "--entries", db
    )
    assert code == 0, err
    assert "Wrote /dev/null." in out
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_standard_output_as_dash(db: Path) -> None:
    code, out, err = cli("translations", "export", "--lang", "ar", "-o", "-", "--entries", db)
    assert code == 0, err
    assert out.startswith("# ") and 'msgctxt "maison-exemple:summary"' in out


def test_a_fifo_output_is_written_through_with_a_reader(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.po"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read)
    reader.start()
    with contextlib.suppress(Exception):
        # the reader must have opened its end before the writer looks
        import time

        for _ in range(100):
            time.sleep(0.01)
    code, out, err = cli("translations", "export", "--lang", "ar", "-o", fifo, "--entries", db)
    reader.join(10)
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b'msgctxt "maison-exemple:summary"' in received[0]


def test_a_fifo_output_without_reader_is_refused_at_once(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.po"
    os.mkfifo(fifo)
    code, out, err = cli("translations", "export", "--lang", "ar", "-o", fifo, "--entries", db)
    assert code == 1
    assert one_line(err) == (
        f"error: cannot write {fifo}: No such device or address: nothing is reading from it: "
        "start the reader first, or choose a file"
    )
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_socket_output_is_refused(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.po"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        code, out, err = cli("translations", "export", "--lang", "ar", "-o", path, "--entries", db)
    assert code == 1
    assert one_line(err) == (
        f"error: cannot write {path}: it is a socket, which cannot be an output: give the path "
        "of a file (or '-' for standard output)"
    )
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


# -- 4. every OS error is a message -----------------------------------------------------


@contextlib.contextmanager
def tiny_disk(tmp_path: Path, size: str = "256k") -> Iterator[Path]:
    """A small tmpfs (root only); skips the test where mounting is not allowed."""
    point = tmp_path / "disk"
    point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tmpfs")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr!r}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def fill(disk: Path) -> None:
    """Use up every free byte of ``disk``."""
    for name, size in (("filler", 65536), ("filler2", 1)):
        fd = os.open(disk / name, os.O_WRONLY | os.O_CREAT)
        try:
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"x" * size)
        finally:
            os.close(fd)


FULL = "No space left on device: the disk is full: free some space, then run the command again"


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["verify", LOGO_ENTRY, "--by", "Alice", "--date", "2024-06-01"], f"{LOGO_ENTRY}.yaml"),
        (
            ["close", LOGO_ENTRY, "--from", "2024-05-01", "--reason", "Travaux"],
            f"{LOGO_ENTRY}.yaml",
        ),
        (
            ["add", "--name", "Nouvelle", "--summary", "Un accueil.", "-c", "food", "--by", "A"],
            "nouvelle.yaml",
        ),
        (["edition", "new", "2024-09"], "editions/2024-06.json"),
    ],
)
def test_a_full_disk_is_a_message_and_nothing_is_half_done(
    tmp_path: Path, args: list[str], target: str
) -> None:
    with tiny_disk(tmp_path) as disk:
        db = disk / "db"
        shutil.copytree(BOOKLET, db)
        cli("validate", "--entries", db)  # nothing else to write later
        fill(disk)
        before = tree_digest(db)
        code, out, err = cli(*args, "--entries", db)
        assert code == 1
        assert one_line(err) == f"error: cannot write {db / target}: {FULL}"
        assert tree_digest(db) == before
        assert not (db / "editions").exists()  # edition new: no empty folder left
        assert not [p.name for p in db.iterdir() if p.name.startswith(".")]  # no temp file


def test_imports_and_exports_on_a_full_disk_are_messages(tmp_path: Path) -> None:
    po = _po_for(BOOKLET, tmp_path)
    with tiny_disk(tmp_path) as disk:
        db = disk / "db"
        shutil.copytree(BOOKLET, db)
        fill(disk)
        before = tree_digest(db)
        code, out, err = cli("translations", "import", po, "--entries", db)
        assert code == 1
        assert one_line(err) == f"error: cannot write {db / (LOGO_ENTRY + '.yaml')}: {FULL}"
        target = disk / "ti.po"
        code, out, err = cli(
            "translations", "export", "--lang", "ti", "-o", target, "--entries", db
        )
        assert code == 1
        assert one_line(err) == f"error: cannot write {target}: {FULL}"
        assert not target.exists()
        assert tree_digest(db) == before
        assert not [p.name for p in disk.rglob(".*")]  # no temporary file anywhere


@pytest.mark.pdf
@pytest.mark.parametrize("command", ["booklet", "cards"])
def test_printing_onto_a_full_disk_is_a_message(tmp_path: Path, command: str) -> None:
    with tiny_disk(tmp_path) as disk:
        fill(disk)
        target = disk / "out.pdf"
        code, out, err = cli(command, "--entries", BOOKLET, "-o", target)
        assert code == 1
        assert one_line(err) == f"error: cannot write {target}: {FULL}"
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "filler2"]


def test_a_full_disk_without_a_tmpfs(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as above where mounting is impossible: every write fails with ENOSPC."""
    import calais_guide.fileio as fileio

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fileio.os, "fsync", full)
    before = tree_digest(db)
    code, out, err = cli("edition", "new", "2024-09", "--entries", db)
    assert code == 1
    assert one_line(err) == f"error: cannot write {db / 'editions' / '2024-06.json'}: {FULL}"
    assert tree_digest(db) == before
    assert not (db / "editions").exists()


def test_a_read_only_database_is_a_message(tmp_path: Path) -> None:
    with tiny_disk(tmp_path, "2m") as disk:
        db = disk / "db"
        shutil.copytree(BOOKLET, db)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        before = tree_digest(db)
        code, out, err = cli("verify", LOGO_ENTRY, "--by", "Alice", "--entries", db)
        assert code == 1
        assert one_line(err) == (
            f"error: cannot change {db}: Read-only file system: the disk is read-only: "
            "choose a folder you can write to"
        )
        assert tree_digest(db) == before
        # reading still works on a read-only database
        code, out, err = cli("validate", "--entries", db)
        assert code == 0, out + err


def test_editions_being_a_file_is_a_message(db: Path) -> None:
    (db / "editions").write_text("not a folder\n", encoding="utf-8")
    before = tree_digest(db)
    for args in (["edition", "new", "2024-09"], ["validate"]):
        code, out, err = cli(*args, "--entries", db)
        assert code == 1
        assert (
            "error db/editions 'editions' is a file, but the database keeps a folder of that "
            "name\n    → move it away; 'editions' must be a folder (or not exist)\n"
        ) in out + err
    assert tree_digest(db) == before


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (
            "/proc/new-guide",
            "cannot create the guide in /proc/new-guide: No such file or directory",
        ),
        ("FILE/guide", "cannot create the guide in {tmp}/FILE/guide: Not a directory"),
        ("FILE", "{tmp}/FILE is a file: choose a new folder"),
    ],
)
def test_init_into_an_impossible_place_is_a_message(
    tmp_path: Path, where: str, message: str
) -> None:
    (tmp_path / "FILE").write_text("x", encoding="utf-8")
    target = where if where.startswith("/") else str(tmp_path / where)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = cli("init", target)
    assert code in (1, 2)
    assert one_line(err).startswith("error: " + message.format(tmp=tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not Path("/proc/new-guide").exists()


def test_an_over_long_id_is_refused(db: Path) -> None:
    before = tree_digest(db)
    name = "Association " + "tres" * 70
    code, out, err = cli(
        "add", "--name", name, "--summary", "x.", "-c", "food", "--by", "A", "--entries", db
    )
    assert code == 2
    assert one_line(err).startswith("error: an id of 292 characters is too long (at most 64): ")
    assert tree_digest(db) == before


@pytest.mark.parametrize("value", ["abc", "0", "-3", "99999999999"])
def test_a_bad_columns_value_is_a_usage_error(db: Path, value: str) -> None:
    expected = (
        f"error: COLUMNS='{value}' is not a terminal width: unset it or give a number from "
        "1 to 10000"
    )
    code, out, err = cli("validate", "--entries", db, env={"COLUMNS": value})
    assert (code, out) == (2, "")
    assert one_line(err) == expected
    # the fast lookup path says the same
    code, out, err = run("find", "accueil", "--entries", db, env={"COLUMNS": value})
    assert (code, out) == (2, "")
    assert one_line(err) == expected


def test_an_editor_with_an_unbalanced_quote_is_a_usage_error(db: Path) -> None:
    before = tree_digest(db)
    code, out, err = cli(
        "edit", LOGO_ENTRY, "--entries", db, env={"EDITOR": 'vim "my file', "VISUAL": ""}
    )
    assert code == 2
    assert one_line(err) == (
        "error: $EDITOR ('vim \"my file') cannot be read as a command (No closing quotation): "
        "fix its quoting"
    )
    assert tree_digest(db) == before


def test_a_po_file_with_an_unknown_charset_is_a_message(db: Path, tmp_path: Path) -> None:
    po = tmp_path / "ar.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ar\\n"\n'
        '"Content-Type: text/plain; charset=klingon-8\\n"\n\n'
        'msgctxt "maison-exemple:summary"\nmsgid "x"\nmsgstr "y"\n',
        encoding="utf-8",
    )
    before = tree_digest(db)
    code, out, err = cli("translations", "import", po, "--entries", db)
    assert code == 1
    assert one_line(err).startswith(f"error: {po} declares a character set Python does not know")
    assert "(unknown encoding: klingon-8): save it as UTF-8 (Poedit: Translation" in err
    assert tree_digest(db) == before


def test_long_edge_without_imposed_is_a_usage_error(db: Path, tmp_path: Path) -> None:
    code, out, err = cli("booklet", "--long-edge", "--entries", db, "-o", tmp_path / "x.pdf")
    assert code == 2
    assert one_line(err) == (
        "error: --long-edge is for imposed sheets (how the printer turns them): add --imposed"
    )
    assert not (tmp_path / "x.pdf").exists()


def test_the_long_edge_file_has_its_own_name() -> None:
    from calais_guide.products import get

    imposed = get("imposed")
    assert imposed.file_name("ar", "2024-06", ["long-edge"]) == (
        "booklet-2024-06-ar-long-edge-imposed.pdf"
    )
    assert imposed.file_name("ar", "2024-06") == "booklet-2024-06-ar-imposed.pdf"


@pytest.mark.pdf
def test_a_booklet_on_standard_output(db: Path) -> None:
    """'-o -': the PDF on stdout, the summary on stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "calais_guide", "booklet", "--entries", str(db), "-o", "-"],
        capture_output=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF-") and done.stdout.rstrip().endswith(b"%%EOF")
    assert done.stderr.decode().startswith("-: fr, 12 pages, ")


@pytest.mark.pdf
def test_the_long_edge_booklet_is_written_under_its_own_name(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["--long-edge"]):
        code, out, err = cli("booklet", "--imposed", *extra, "--lang", "fr", "--entries", db)
        assert (code, err) == (0, "")
    built = sorted(p.name for p in (tmp_path / "build").iterdir())
    assert built == ["booklet-2024-06-fr-imposed.pdf", "booklet-2024-06-fr-long-edge-imposed.pdf"]
    assert out.startswith("build/booklet-2024-06-fr-long-edge-imposed.pdf: fr, ")


@pytest.mark.parametrize("command", ["booklet", "cards"])
@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("/proc/x.pdf", "cannot write /proc/x.pdf: /proc holds no new files: choose another path"),
        (
            "FILE/x.pdf",
            "cannot write {tmp}/FILE/x.pdf: {tmp}/FILE is a file, not a folder: "
            "choose another path",
        ),
    ],
)
def test_impossible_outputs_are_refused_before_rendering(
    db: Path, tmp_path: Path, command: str, output: str, message: str
) -> None:
    (tmp_path / "FILE").write_text("x", encoding="utf-8")
    target = output if output.startswith("/") else str(tmp_path / output)
    code, out, err = cli(command, "--entries", db, "-o", target)
    assert code == 1
    assert one_line(err) == "error: " + message.format(tmp=tmp_path)


def test_build_into_impossible_folders_is_a_message(db: Path, tmp_path: Path) -> None:
    (tmp_path / "FILE").write_text("x", encoding="utf-8")
    code, out, err = cli("build", "--entries", db, "-o", "/proc/out", "--allow-stale")
    assert code == 1
    assert one_line(err) == (
        "error: cannot write /proc/out/probe: /proc holds no new files: choose another path"
    )
    code, out, err = cli("build", "--entries", db, "-o", tmp_path / "FILE", "--allow-stale")
    assert code == 1
    assert one_line(err) == (
        f"error: cannot write into {tmp_path / 'FILE'}: it is a file, not a folder: give a folder"
    )


@pytest.mark.pdf
@pytest.mark.parametrize("command", ["booklet", "cards"])
def test_booklet_and_cards_accept_an_existing_folder_as_output(
    db: Path, tmp_path: Path, command: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    code, out, err = cli(command, "--entries", db, "--lang", "ar", "-o", folder)
    assert code == 0, err
    written = sorted(p.name for p in folder.iterdir())
    expected = "booklet-2024-06-ar.pdf" if command == "booklet" else "cards-2024-06-ar.pdf"
    assert written == [expected]
    assert out.startswith(f"{folder / expected}: ar, ")


# -- 10.11: entries with a logo can be changed -----------------------------------------


def _po_for(db: Path, tmp_path: Path) -> Path:
    from calais_guide.translations import export

    data = export(load_database(db), "ti").decode("utf-8")
    data = data.replace(
        'msgctxt "maison-exemple:summary"\nmsgid "Accueil de jour fictif pour les tests."\n'
        'msgstr ""',
        'msgctxt "maison-exemple:summary"\nmsgid "Accueil de jour fictif pour les tests."\n'
        'msgstr "ናይ ፈተነ መዓልታዊ መቐበሊ።"',
    )
    assert "ናይ ፈተነ መዓልታዊ መቐበሊ።" in data
    po = tmp_path / "ti.po"
    po.write_text(data, encoding="utf-8")
    return po


@pytest.mark.parametrize(
    "command",
    ["verify", "close", "reopen", "add", "edit", "translations import", "edition new"],
)
def test_every_writing_command_works_on_a_database_with_a_logo(
    db: Path, tmp_path: Path, command: str
) -> None:
    assert (db / "assets" / "maison-exemple.svg").is_file()
    assert "logo: maison-exemple.svg" in (db / f"{LOGO_ENTRY}.yaml").read_text(encoding="utf-8")
    env: dict[str, str] = {}
    if command == "verify":
        args = ["verify", LOGO_ENTRY, "--by", "Alice", "--date", "2024-06-01"]
        changed, expected = f"{LOGO_ENTRY}.yaml", "assurer: Alice"
    elif command == "close":
        args = ["close", LOGO_ENTRY, "--from", "2024-05-01", "--reason", "Travaux"]
        changed, expected = f"{LOGO_ENTRY}.yaml", "fr: Travaux"
    elif command == "reopen":
        assert (
            cli("close", LOGO_ENTRY, "--from", "2020-05-01", "--reason", "T", "--entries", db)[0]
            == 0
        )
        args = ["reopen", LOGO_ENTRY, "--date", "2024-05-01"]
        changed, expected = f"{LOGO_ENTRY}.yaml", "valid_to: 2024-04-30"
    elif command == "add":
        args = [
            "add",
            "--name",
            "Autre Maison",
            "--summary",
            "Un accueil.",
            "-c",
            "food",
            "--by",
            "A",
        ]
        changed, expected = "autre-maison.yaml", 'name: "Autre Maison"'
    elif command == "edit":
        script = tmp_path / "editor.sh"
        script.write_text(
            "#!/bin/sh\nsed -i 's/^alternate_name: MEX$/alternate_name: MEX2/' \"$1\"\n",
            encoding="utf-8",
        )
        script.chmod(0o755)
        env = {"EDITOR": str(script), "VISUAL": ""}
        args = ["edit", LOGO_ENTRY]
        changed, expected = f"{LOGO_ENTRY}.yaml", "alternate_name: MEX2"
    elif command == "translations import":
        args = ["translations", "import", str(_po_for(db, tmp_path))]
        changed, expected = f"{LOGO_ENTRY}.yaml", "ናይ ፈተነ መዓልታዊ መቐበሊ።"
    else:
        args = ["edition", "new", "2024-09"]
        changed, expected = "edition.yaml", 'edition: "2024-09"'
    code, out, err = cli(*args, "--entries", db, env=env)
    assert (code, err) == (0, ""), out + err
    assert expected in (db / changed).read_text(encoding="utf-8")
    assert "not found in" not in out + err
    code, out, err = cli("validate", "--entries", db)
    assert code == 0, out


def test_a_change_is_checked_against_the_real_assets(db: Path) -> None:
    """The check sees the real assets/ folder: a logo that is really missing is
    still an error (it is not the temporary copy that is checked)."""
    (db / "assets" / "maison-exemple.svg").unlink()
    code, out, err = cli(
        "verify", LOGO_ENTRY, "--by", "Alice", "--date", "2024-06-01", "--entries", db
    )
    assert code == 0, err  # an error the database already had does not block the change
    text = (db / f"{LOGO_ENTRY}.yaml").read_text(encoding="utf-8")
    text = text.replace("logo: maison-exemple.svg", "logo: autre.svg")
    from calais_guide.validate import check_changes

    problems = check_changes(db, {db / f"{LOGO_ENTRY}.yaml": text})
    assert [(p.field, p.message) for p in problems] == [
        ("logo", f"logo file 'autre.svg' not found in {db / 'assets'}")
    ]


# -- 8. reserved names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code_", "message"),
    [
        (
            ["verify", "edition", "--by", "Alice"],
            1,
            "error: 'edition' is a reserved name (edition.yaml or edition/ belongs to the "
            "database layout), not an entry id: give the id of an entry",
        ),
        (
            ["close", "editions", "--from", "2024-05-01", "--reason", "x"],
            1,
            "error: 'editions' is a reserved name (editions.yaml or editions/ belongs to the "
            "database layout), not an entry id: give the id of an entry",
        ),
        (
            ["add", "--name", "Edition", "--summary", "x.", "-c", "food", "--by", "A"],
            2,
            "error: 'edition' is a reserved name (edition.yaml or edition/ belongs to the "
            "database layout), not an entry id: choose another id with --id",
        ),
        (
            ["add", "--name", "Les Assets", "--id", "assets", "--summary", "x.", "--by", "A"],
            2,
            "error: 'assets' is a reserved name (assets.yaml or assets/ belongs to the "
            "database layout), not an entry id: choose another id with --id",
        ),
    ],
)
def test_reserved_names_are_refused_clearly(
    db: Path, args: list[str], code_: int, message: str
) -> None:
    before = tree_digest(db)
    code, out, err = cli(*args, "--entries", db)
    assert code == code_
    assert one_line(err) == message
    assert tree_digest(db) == before
