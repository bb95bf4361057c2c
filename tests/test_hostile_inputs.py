"""Issue 15: inputs checked at the door, parallel builds, imports that keep text.

Every test goes through the command line and checks the exit code, the
message and that no file changed.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from calais_guide.load import load_database

from .conftest import ROOT, tree_digest
from .test_hostile import BOOKLET, LOGO_ENTRY, cli, one_line, run

BUILD = ROOT / "tests" / "fixtures" / "build"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    target = tmp_path / "db"
    shutil.copytree(BOOKLET, target)
    return target


def set_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- file types --------------------------------------------------------------------------


def test_folders_fifos_and_dangling_links_named_yaml_are_reported(db: Path) -> None:
    (db / "dossier.yaml").mkdir()
    os.mkfifo(db / "tube.yaml")
    (db / "perdu.yaml").symlink_to(db / "nowhere.yaml")
    before = tree_digest(db)
    code, out, err = run("validate", "--entries", db, timeout=60)  # a FIFO never blocks
    assert code == 1
    assert (
        "error db/dossier.yaml 'dossier.yaml' is a folder, not an entry file\n"
        "    → remove it or rename it: every *.yaml in the database must be an entry file"
    ) in out
    assert "error db/tube.yaml 'tube.yaml' is a FIFO (named pipe), not an entry file" in out
    assert "error db/perdu.yaml 'perdu.yaml' is a dangling symbolic link, not an entry file" in out
    assert out.strip().endswith(
        "failed: 3 entries, 3 error(s), 6 warning(s) (fix the errors above)"
    )
    assert tree_digest(db) == before


def test_an_import_of_dev_zero_or_a_fifo_is_refused_at_once(db: Path, tmp_path: Path) -> None:
    before = tree_digest(db)
    code, out, err = run("translations", "import", "/dev/zero", "--entries", db, timeout=60)
    assert code == 1
    assert one_line(err) == (
        "error: cannot read /dev/zero: it is a character device, not a translation file: give "
        "the path of a regular file"
    )
    fifo = tmp_path / "ar.po"
    os.mkfifo(fifo)
    code, out, err = run("translations", "import", fifo, "--entries", db, timeout=60)
    assert code == 1
    assert one_line(err) == (
        f"error: cannot read {fifo}: it is a FIFO (named pipe), not a translation file: give "
        "the path of a regular file"
    )
    big = tmp_path / "big.po"
    with open(big, "wb") as handle:
        handle.truncate(9 * 1024 * 1024)  # sparse: stat() says 9 MB, reading finds zeros
    code, out, err = cli("translations", "import", big, "--entries", db)
    assert code == 1
    assert one_line(err) == (
        f"error: cannot read {big}: it is over the 8 MB limit for a translation file: is it "
        "the right file?"
    )
    assert tree_digest(db) == before


def test_a_fifo_in_place_of_the_caches_does_not_hang_lookups(db: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}
    code, out, err = run("find", "accueil", "--entries", db, env=env, timeout=60)
    assert (code, err) == (0, "")
    caches = list((cache / "calais-guide").glob("lookup-*"))
    assert caches
    for path in caches:
        path.unlink()
        os.mkfifo(path)
    code, again, err = run("find", "accueil", "--entries", db, env=env, timeout=60)
    assert (code, again, err) == (0, out, "")


def test_a_proc_file_is_read_without_trusting_its_size(db: Path) -> None:
    """/proc files claim 0 bytes: the reader reads what is there, within the limit."""
    code, out, err = cli("translations", "import", "/proc/self/status", "--entries", db)
    assert code == 1
    assert one_line(err).startswith(
        "error: /proc/self/status is not a valid .po file: Unknown or misformatted keyword"
    )


# -- values with no sane range -----------------------------------------------------------


def test_a_closure_until_year_9999_is_refused(db: Path) -> None:
    before = tree_digest(db)
    code, out, err = cli(
        "close",
        LOGO_ENTRY,
        "--from",
        "2024-05-01",
        "--until",
        "9999-12-31",
        "--reason",
        "x",
        "--entries",
        db,
    )
    assert code == 2
    assert one_line(err) == (
        "error: --until 9999-12-31 is out of range: give a date between 1900-01-01 and "
        "2199-12-31 (for a closure with no end, leave --until out)"
    )
    assert tree_digest(db) == before


def test_far_dates_and_huge_numbers_in_the_data_are_errors_not_crashes(db: Path) -> None:
    entry = db / f"{LOGO_ENTRY}.yaml"
    set_line(
        entry,
        "summary:\n",
        "closures:\n  - valid_from: 2024-01-01\n    valid_to: 9999-12-31\n"
        "    alert: {fr: Fermé}\nsummary:\n",
    )
    set_line(
        db / "edition.yaml",
        'edition: "2024-06"\n',
        'edition: "2024-06"\nverification_window_days: 99999999999\n',
    )
    code, out, err = cli("validate", "--entries", db)
    assert code == 1
    assert "closures[0].valid_to: 9999-12-31 is out of range" in out
    assert "verification_window_days: 99999999999 is out of range" in out
    for args in (["show", LOGO_ENTRY], ["list", "--open-now"], ["edition", "check"]):
        code, out, err = cli(*args, "--entries", db)
        assert code == 1, (args, out, err)
        assert "9999-12-31 is out of range" in out + err
    code, out, err = cli("list", "--at", "9999-12-31 15:00", "--entries", BOOKLET)
    assert code == 2
    assert (
        one_line(err)
        == "error: --at: '9999-12-31 15:00' is out of range: give a day between 1900 and 2199"
    )


def test_a_window_of_zero_days_is_out_of_range(db: Path) -> None:
    set_line(
        db / "edition.yaml",
        'edition: "2024-06"\n',
        'edition: "2024-06"\nverification_window_days: 0\n',
    )
    code, out, err = cli("validate", "--entries", db)
    assert code == 1
    assert (
        "verification_window_days: 0 is out of range\n    → write a number from 1 to 3650"
    ) in out


# -- control characters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x1b]2;pwned\x07", "U+001B (ESC)"),
        ("\x9b31m", "U+009B (a control character)"),
        ("\u2028", "U+2028 (LINE SEPARATOR)"),
        ("\u2029", "U+2029 (PARAGRAPH SEPARATOR)"),
        ("\x85", "U+0085 (NEXT LINE)"),
        ("\x7f", "U+007F (DELETE)"),
    ],
)
def test_control_characters_in_text_fields_are_errors_naming_the_field(
    db: Path, char: str, name: str
) -> None:
    entry = db / f"{LOGO_ENTRY}.yaml"
    escaped = char.encode("unicode_escape").decode("ascii").replace("\\x", "\\x")
    set_line(entry, "name: Maison Exemple\n", f'name: "Maison{escaped}Exemple"\n')
    set_line(
        entry, "  fr: Accueil de jour fictif pour les tests.", f'  fr: "Accueil{escaped} de jour."'
    )
    code, out, err = cli("validate", "--entries", db)
    assert code == 1
    assert f"name: 'name' holds the control character {name} at character 7" in out
    assert f"summary.fr: 'summary.fr' holds the control character {name} at character 8" in out
    for text in (out, err):
        assert "\x1b" not in text and "\x9b" not in text and "\u2028" not in text
    # lookups refuse the entry (they never show the raw character)
    code, out, err = cli("show", LOGO_ENTRY, "--entries", db)
    assert code == 1
    assert "\x1b" not in out + err and "holds the control character" in out + err


def test_messages_never_print_control_characters(db: Path) -> None:
    """A field name (unknown field) holding an escape sequence is shown cleaned."""
    entry = db / f"{LOGO_ENTRY}.yaml"
    set_line(entry, "name: Maison Exemple\n", 'name: Maison Exemple\n"x\\e]52;c;aGk=\\a": 1\n')
    code, out, err = cli("validate", "--entries", db)
    assert code == 1
    assert "unknown field 'x\ufffd]52;c;aGk=\ufffd'" in out
    assert "\x1b" not in out and "\x07" not in out


def test_lookups_name_a_skipped_file_without_its_control_characters(db: Path) -> None:
    entry = db / "equipe-mobile.yaml"
    set_line(entry, "name: ", '"x\\e]2;pwned\\a": 1\nname: ')
    code, out, err = run("find", "accueil", "--entries", db, env={"CALAIS_GUIDE_NO_CACHE": "1"})
    assert code == 0
    assert "Maison Exemple" in out
    assert err.startswith(
        "warning: equipe-mobile.yaml skipped: line 3: x\ufffd]2;pwned\ufffd: unknown field "
        "'x\ufffd]2;pwned\ufffd'"
    )
    assert "\x1b" not in out + err and "\x07" not in out + err


def test_terminal_output_of_lookups_strips_control_characters() -> None:
    from calais_guide.terminal import Page, emit

    page = Page()
    page.line(("Maison\x1b]2;pwned\x07", "bold"), (" ok", ""))
    page.para("texte\u2028suite\x9b2J")

    class Out:
        def __init__(self) -> None:
            self.text = ""

        def write(self, text: str) -> None:
            self.text += text

        def isatty(self) -> bool:
            return False

    out = Out()
    emit(page, out)  # type: ignore[arg-type]
    assert out.text == "Maison\ufffd]2;pwned\ufffd ok\ntexte suite\ufffd2J\n"


# -- values written into templates as data -----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-c", "food]\nparent: maison-exemple"],
        ["-c", 'food"]\nparent: maison-exemple\n#'],
        ["--summary", 'Un "accueil" # parent: maison-exemple\', x: [1]'],
        ["--by", 'Alice"\nparent: maison-exemple\nx: "'],
        ["--name", 'Nouvelle" # \nparent: maison-exemple'],
    ],
)
def test_values_are_written_into_the_add_template_as_data(db: Path, args: list[str]) -> None:
    before = tree_digest(db)
    options = {"--name": "Nouvelle", "--summary": "Un accueil.", "-c": "food", "--by": "A"}
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [x for pair in options.items() for x in pair]
    code, out, err = cli("add", *flat, "--id", "nouvelle", "--entries", db)
    if args[0] == "-c":  # refused as an unknown category, never pasted into the file
        assert code == 2
        assert err.startswith(f"error: unknown category '{args[1]}': use one of food, water")
        assert tree_digest(db) == before
        return
    assert code == 0, err
    entry = load_database(db).get("nouvelle")
    assert entry is not None and entry.parent is None
    assert entry.name == options["--name"]
    assert entry.summary["fr"].text == options["--summary"]
    assert entry.assurer == options["--by"]


def test_a_name_with_line_breaks_cannot_add_a_field(db: Path) -> None:
    before = tree_digest(db)
    code, out, err = cli(
        "add",
        "--name",
        "Evil\u2028parent: maison-exemple",
        "--id",
        "evil",
        "--summary",
        "x.",
        "-c",
        "food",
        "--by",
        "A",
        "--entries",
        db,
    )
    assert code == 1
    assert "name: 'name' holds the control character U+2028 (LINE SEPARATOR)" in err
    assert tree_digest(db) == before


# -- logos -------------------------------------------------------------------------------


def _png(width: int, height: int, body: bytes | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = body if body is not None else zlib.compress(b"\x00" * (width + 1) * height)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
LOGOS = {
    "corrupt.png": (_png(10, 10, b"garbage"), "the image cannot be decoded"),
    "bomb.png": (
        _png(30000, 30000, b""),
        "the image claims 30000 x 30000 pixels, over the limit of 5000 a side",
    ),
    "fake.png": (b"GIF89a" + b"\x00" * 40, "the image cannot be decoded"),
    "invalid.svg": (b"<svg><g></svg>", "the SVG is not valid XML (mismatched tag, line 1)"),
    "xxe.svg": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + SVG_HEAD.encode()
        + b"<text>&x;</text></svg>",
        "the SVG has a DOCTYPE (it could declare entities): remove it",
    ),
    "lol.svg": (
        b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + SVG_HEAD.encode()
        + b"<text>&b;</text></svg>",
        "the SVG has a DOCTYPE (it could declare entities): remove it",
    ),
    "http.svg": (
        (SVG_HEAD + '<image xlink:href="http://example.com/x.png"/></svg>').encode(),
        "the SVG refers to 'http://example.com/x.png': a logo must hold everything it draws",
    ),
    "css.svg": (
        (SVG_HEAD + '<rect style="fill: url(file:///etc/x)"/></svg>').encode(),
        "the SVG refers to 'url(file:///etc/x' in 'style': remove it",
    ),
    "notsvg.svg": (b"<html/>", "the file is not an SVG image (its root is <html>)"),
}


@pytest.mark.parametrize("name", sorted(LOGOS))
def test_bad_logos_are_refused_by_validate_and_before_printing(db: Path, name: str) -> None:
    data, message = LOGOS[name]
    (db / "assets" / name).write_bytes(data)
    set_line(db / f"{LOGO_ENTRY}.yaml", "logo: maison-exemple.svg", f"logo: {name}")
    before = tree_digest(db)
    code, out, err = cli("validate", "--entries", db)
    assert code == 1
    assert f"maison-exemple.yaml:5 logo: logo '{name}' cannot be printed: {message}" in out
    code, out, err = cli("booklet", "--entries", db, "-o", db.parent / "x.pdf")
    assert code == 1
    assert f"logo '{name}' cannot be printed: {message}" in err
    assert not (db.parent / "x.pdf").exists()
    assert tree_digest(db) == before


@pytest.mark.pdf
def test_a_refusal_while_drawing_stops_the_render(db: Path) -> None:
    """Past validate (the file changed after it ran): the fetcher's refusal of an
    SVG's http image, made while drawing, stops the render instead of a PDF
    without the logo."""
    from calais_guide.errors import RenderError
    from calais_guide.render.booklet import build_booklet

    loaded = load_database(db)
    data, _ = LOGOS["http.svg"]
    (db / "assets" / "maison-exemple.svg").write_bytes(data)
    target = db.parent / "x.pdf"
    with pytest.raises(RenderError) as info:
        build_booklet(loaded, "fr", target)
    assert str(info.value) == (
        f"Failed to render SVG image {(db / 'assets' / 'maison-exemple.svg').as_uri()}: the PDF "
        "would be printed without it. Run 'calais-guide validate' (it checks logos), then "
        "replace the file"
    )
    assert not target.exists()


# -- snapshots ---------------------------------------------------------------------------


def _snapshot(db: Path, text: str) -> Path:
    folder = db / "editions"
    folder.mkdir(exist_ok=True)
    path = folder / "2024-03.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "values are nested 100000 deep, over the limit of 40"),
        (
            '{"format": "calais-guide edition snapshot", "version": 1' + "0" * 5001 + "}",
            "not a valid snapshot: a number of 5002 characters",
        ),
        (
            '{"format": "calais-guide edition snapshot", "version": NaN}',
            "not a valid snapshot: 'NaN' is not a number JSON allows",
        ),
    ],
)
def test_hostile_snapshots_are_errors_everywhere(db: Path, text: str, message: str) -> None:
    path = _snapshot(db, text)
    before = tree_digest(db)
    code, out, err = cli("validate", "--entries", db)
    assert code == 1
    assert f"error db/editions/2024-03.json {message}" in out
    for args in (["edition", "diff", "2024-03"], ["edition", "check"]):
        code, out, err = cli(*args, "--entries", db)
        assert code == 1, (args, out, err)
        assert f"{path.name}" in out + err and message in out + err
    assert tree_digest(db) == before


def test_a_snapshot_that_is_a_fifo_does_not_hang(db: Path) -> None:
    (db / "editions").mkdir()
    os.mkfifo(db / "editions" / "2024-03.json")
    code, out, err = run("edition", "diff", "2024-03", "--entries", db, timeout=60)
    assert code == 1
    assert "it is a FIFO (named pipe), not a snapshot" in out + err


# -- a text too long to break ------------------------------------------------------------


@pytest.mark.pdf
def test_a_name_too_long_to_break_stays_on_the_page(db: Path, tmp_path: Path) -> None:
    name = "Associationdesamisdelaccueildejourfictifpourlestestsautomatiquesxyz"
    assert len(name) >= 66 and " " not in name
    set_line(db / f"{LOGO_ENTRY}.yaml", "name: Maison Exemple\n", f"name: {name}\n")
    target = tmp_path / "b.pdf"
    code, out, err = cli("booklet", "--entries", db, "-o", target)
    assert code == 0, err
    layout = subprocess.run(
        ["pdftotext", "-bbox", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    import re

    pages = [float(w) for w in re.findall(r'<page width="([\d.]+)"', layout)]
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', layout))
    assert right <= pages[0] - 10  # within the page, inside a margin
    words = re.findall(r">([^<]+)</word>", layout)
    assert "".join(w for w in words if w.startswith("Association") or "xyz" in w)


# -- parallel builds ---------------------------------------------------------------------

_FAILING_WORKER = """
import sys
from calais_guide.errors import DataError, Problem
import calais_guide.render.booklet as booklet
from pathlib import Path
original = booklet.render_booklet
def render(db, lang, *args, **kwargs):
    if getattr(lang, "code", lang) == "ar":  # a Language (or a code)
        path = db.root / "accueil-test.yaml"
        problem = Problem(path, 3, "name", "a render-time problem (ar)", "fix", code="undrawable")
        raise DataError([problem], db.root)
    return original(db, lang, *args, **kwargs)
booklet.render_booklet = render
from calais_guide.cli import main
sys.argv = ["calais-guide", *sys.argv[1:]]
main()
"""


def _build(tmp_path: Path, *args: str, script: str | None = None, **popen: object):
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    env = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(temp), "COLUMNS": "200"}
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "calais_guide"]
    return temp, subprocess.Popen(
        [*command, "build", "--entries", str(BUILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
        **popen,  # type: ignore[call-overload]
    )


@pytest.mark.pdf
def test_a_render_error_in_a_parallel_build_is_reported_as_in_a_serial_one(tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        temp, proc = _build(tmp_path, "--jobs", jobs, "-o", f"out{jobs}", script=_FAILING_WORKER)
        out, err = proc.communicate(timeout=600)
        outputs.append((proc.returncode, err))
        assert list(temp.iterdir()) == []  # no temporary folder left, even on an error
    assert outputs[0] == outputs[1]
    code, err = outputs[1]
    assert code == 1
    assert "BrokenProcessPool" not in err and "Traceback" not in err
    assert "accueil-test.yaml:3 name: a render-time problem (ar)\n    → fix\n" in err
    assert err.strip().endswith("1 error(s) in the guide data: fix them and run the command again.")


@pytest.mark.pdf
def test_a_parallel_build_leaves_no_temporary_folder(tmp_path: Path) -> None:
    temp, proc = _build(tmp_path, "--jobs", "2", "-o", "out")
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    import re

    files, rendered = re.search(r"(\d+) files, .* \((\d+) rendered, 0 unchanged\)", out).groups()
    assert files == rendered and int(files) >= 8
    assert list(temp.iterdir()) == []


@pytest.mark.pdf
def test_an_interrupted_parallel_build_leaves_no_temporary_folder(tmp_path: Path) -> None:
    temp, proc = _build(tmp_path, "--jobs", "2", "-o", "out", start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(temp.glob("calais-guide-work-*/*")):
        time.sleep(0.05)
    assert any(temp.glob("calais-guide-work-*/*")), "the workers never started"
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert "interrupted" in err
    assert list(temp.iterdir()) == []


# -- imports keep text exactly -----------------------------------------------------------


def _po(db: Path, tmp_path: Path, translation: str) -> Path:
    """An exported ti file with ``translation`` as the description of the logo entry."""
    import io

    from babel.messages.pofile import read_po, write_po

    from calais_guide.translations import export

    catalog = read_po(io.BytesIO(export(load_database(db), "ti")))
    message = next(m for m in catalog if m.context == "maison-exemple:description")
    message.string = translation
    message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    po = tmp_path / "ti.po"
    po.write_bytes(buffer.getvalue())
    return po


def test_windows_line_ends_are_normalised_and_said(db: Path, tmp_path: Path) -> None:
    po = _po(db, tmp_path, "ቀዳማይ መስመር።\r\nካልኣይ መስመር።")
    code, out, err = cli("translations", "import", po, "--entries", db)
    assert (code, err) == (0, ""), out + err
    assert (
        "  1 text(s) had Windows line ends (CR LF): stored with LF, as entry files are; "
        "nothing else was changed\n"
    ) in out
    entry = load_database(db).get(LOGO_ENTRY)
    assert entry is not None
    assert entry.description["ti"].text == "ቀዳማይ መስመር።\nካልኣይ መስመር።"


def test_a_next_line_character_is_refused_not_turned_into_a_newline(
    db: Path, tmp_path: Path
) -> None:
    po = _po(db, tmp_path, "ቀዳማይ\x85ካልኣይ")
    before = tree_digest(db)
    code, out, err = cli("translations", "import", po, "--entries", db)
    assert code == 1
    assert (
        "refused maison-exemple description (ti): holds the control character U+0085 "
        "(NEXT LINE) at character 5, which cannot be printed: replace it by a line break or a "
        "space in the file, then import again"
    ) in out
    assert tree_digest(db) == before


def test_other_characters_are_kept_exactly(db: Path, tmp_path: Path) -> None:
    text = "ሰላም  \u200d\u00a0«ሰላም» \\n 'x' \"y\" # z: w\n\n- ሀ\t*ፈ*"
    po = _po(db, tmp_path, text)
    code, out, err = cli("translations", "import", po, "--entries", db)
    assert (code, err) == (0, ""), out + err
    entry = load_database(db).get(LOGO_ENTRY)
    assert entry is not None
    assert entry.description["ti"].text == text.strip()
