"""`calais-guide validate`: the built-in edition is clean; every kind of bad
input is reported through the CLI with exit 1, the file and the problem, no
traceback, and no file changed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from calais_guide.model import text_hash

from .conftest import invoke, tree_digest


def test_builtin_edition_is_valid() -> None:
    code, out, err = invoke("validate")
    assert code == 0, out
    assert "0 error(s)" in out
    assert "19 entries" in out


def test_strict_fails_on_warnings_of_builtin_edition() -> None:
    # The built-in edition has needs_review notes: --strict must refuse it.
    code, out, err = invoke("validate", "--strict")
    assert code == 1
    assert "warnings fail with --strict" in out


def _replace(name: str, old: str, new: str) -> Callable[[Path], Path]:
    def mutate(root: Path) -> Path:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text not found in {name}: {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return mutate


def _write(name: str, content: str | bytes) -> Callable[[Path], Path]:
    def mutate(root: Path) -> Path:
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return mutate


def _append(name: str, extra: str) -> Callable[[Path], Path]:
    def mutate(root: Path) -> Path:
        path = root / name
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
        return path

    return mutate


MINIMAL = """id: {id}
name: Test
summary:
  fr: Une ligne.
"""

U = "utopia-56.yaml"

BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "yaml syntax": (
        _replace(U, "name: Utopia 56", "name: [Utopia 56"),
        "YAML syntax error",
        "yaml-syntax",
    ),
    "duplicate key": (_append(U, "name: Utopia 57\n"), "duplicate key 'name'", "duplicate-key"),
    "unknown field (typo)": (
        _append(U, "welcom: [women]\n"),
        "unknown field 'welcom'",
        "unknown-field",
    ),
    "wrong type": (
        _replace(U, "categories: [shelter,", "categories: shelter\nx: [shelter,"),
        "expected a list",
        "wrong-type",
    ),
    "id not a slug": (
        _write("Bad Id.yaml", MINIMAL.format(id="Bad Id")),
        "is not a slug",
        "invalid-id",
    ),
    "id not the file name": (
        _replace(U, "id: utopia-56", "id: utopia-57"),
        "differs from the file name",
        "invalid-id",
    ),
    "id used twice": (
        _write("zz-copy.yaml", MINIMAL.format(id="salam")),
        "also used by",
        "duplicate-id",
    ),
    "dangling parent": (
        _replace("woodyard.yaml", "parent: auberge-des-migrants", "parent: auberge"),
        "parent 'auberge' does not exist",
        "unknown-parent",
    ),
    "parent cycle": (
        _append("auberge-des-migrants.yaml", "parent: woodyard\n"),
        "parent cycle",
        "parent-cycle",
    ),
    "unknown category": (
        _replace(U, "categories: [shelter,", "categories: [shelters,"),
        "unknown category 'shelters' (did you mean 'shelter'?)",
        "unknown-category",
    ),
    "unknown text language": (
        _replace(U, "summary:\n  fr:", "summary:\n  xx: Bonjour\n  fr:"),
        "unknown language code 'xx'",
        "unknown-language",
    ),
    "unknown spoken language": (
        _append(U, "languages:\n  - code: zz-qq\n"),
        "unknown language code 'zz-qq'",
        "unknown-language",
    ),
    "invalid phone": (
        _append(U, 'phones:\n  - number: "03 21 00"\n'),
        "is not a valid phone number",
        "invalid-phone",
    ),
    "unquoted phone": (
        _append(U, "phones:\n  - number: 0321000000\n"),
        "expected a text, found a number",
        "wrong-type",
    ),
    "invalid e-mail": (
        _replace(U, "benevolat.calais@utopia56.org", "benevolat.calais.utopia56.org"),
        "is not a valid e-mail address",
        "invalid-email",
    ),
    "javascript: url": (
        _replace(U, "https://utopia56.org/calais/", "javascript:alert(1)"),
        "only http:// and https://",
        "invalid-url",
    ),
    "file: url": (
        _replace(U, "https://utopia56.org/calais/", "file:///etc/passwd"),
        "'file:'",
        "invalid-url",
    ),
    "data: url": (
        _replace(U, "https://utopia56.org/calais/", '"data:text/html,<b>x</b>"'),
        "'data:'",
        "invalid-url",
    ),
    "bad time": (
        _replace(
            U,
            "  - kind: mobile\n",
            "  - kind: mobile\n"
            '    schedules:\n      - {byday: [mo], opens_at: "25:00", closes_at: "26:00"}\n',
        ),
        "is not a valid time",
        "invalid-time",
    ),
    "closes before it opens": (
        _replace(
            U,
            "  - kind: mobile\n",
            "  - kind: mobile\n"
            '    schedules:\n      - {byday: [mo], opens_at: "17:00", closes_at: "14:00"}\n',
        ),
        "not after it opens",
        "invalid-hours",
    ),
    "impossible date": (
        _replace(U, "assured_date: 2023-03-01", "assured_date: 2023-02-30"),
        "'2023-02-30' is not a valid date",
        "invalid-date",
    ),
    "summary too long": (
        _replace(U, "  fr: Maraudes,", "  fr: " + "très " * 30 + "Maraudes,"),
        "over the 120 limit",
        "summary-too-long",
    ),
    "no French summary": (
        _write("sans-francais.yaml", "id: sans-francais\nname: X\nsummary:\n  en: English only\n"),
        "no French summary",
        "missing-french",
    ),
    "missing required field": (
        _write("sans-nom.yaml", "id: sans-nom\nsummary:\n  fr: Une ligne.\n"),
        "required field 'name' is missing",
        "missing-field",
    ),
    "alias bomb": (
        _write(
            "bomb.yaml",
            'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n"
                for i in range(8)
            ),
        ),
        "anchors and aliases",
        "yaml-refused",
    ),
    "multi-megabyte file": (
        _write("huge.yaml", "id: huge\nname: x\n" + "# padding\n" * 400_000),
        "over the 256 KB limit",
        "file-too-large",
    ),
    "binary junk": (_write("junk.yaml", bytes(range(256)) * 4), "binary file", "not-text"),
    "not UTF-8": (
        _write("latin.yaml", "id: latin\nname: Médecins\n".encode("latin-1")),
        "not UTF-8 text",
        "not-text",
    ),
    "python object tag": (
        _write("evil.yaml", "id: evil\nname: !!python/object/apply:os.system ['true']\n"),
        "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        "yaml-refused",
    ),
    "empty file": (_write("empty.yaml", ""), "the file is empty", "not-a-mapping"),
    "top-level list": (
        _write("list.yaml", "- id: x\n- name: y\n"),
        "not a mapping of fields",
        "not-a-mapping",
    ),
    "deep nesting": (
        _write("deep.yaml", "id: deep\nname: " + "[" * 200 + "]" * 200 + "\n"),
        "nested too deeply",
        "yaml-refused",
    ),
    "two documents": (
        _write("two.yaml", MINIMAL.format(id="two") + "---\n" + MINIMAL.format(id="two")),
        "more than one YAML document",
        "yaml-refused",
    ),
    "fixed place without address": (
        _replace(U, "  - kind: mobile", "  - kind: fixed"),
        "a fixed place needs an address",
        "missing-address",
    ),
    "confidential place with address": (
        _replace(U, "  - kind: mobile", "  - kind: confidential\n    address: {city: Calais}"),
        "must not have its address",
        "confidential-address",
    ),
    "bad status value": (
        _replace(U, "status: active", "status: open"),
        "'open' is not allowed here",
        "invalid-choice",
    ),
    "missing glyph": (
        _replace(U, "  fr: Maraudes,", "  fr: \U0001f600 Maraudes,"),
        "no bundled font can draw",
        "undrawable",
    ),
    "edition: unknown entry in order": (
        _replace("edition.yaml", "  - salam\n", "  - salam\n  - salaam\n"),
        "no entry 'salaam'",
        "unknown-entry",
    ),
    "edition: bad month": (
        _replace("edition.yaml", 'edition: "2023-03"', 'edition: "2023-13"'),
        "is not a month",
        "invalid-edition-month",
    ),
    "edition: unknown print language": (
        _replace("edition.yaml", "languages: [fr,", "languages: [fr, xx,"),
        "'xx' is not a language the guide can print",
        "unknown-language",
    ),
    "edition: bad emergency number": (
        _replace("edition.yaml", 'number: "196"', 'number: "1966"'),
        "'1966' is not a valid phone number",
        "invalid-phone",
    ),
    "edition missing": (
        lambda root: (root / "edition.yaml").unlink() or root / "edition.yaml",
        "missing edition file",
        "no-edition-file",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_input_is_reported_and_nothing_changes(guide: Path, case: str) -> None:
    mutate, expected, problem_code = BAD_INPUTS[case]
    path = mutate(guide)
    before = tree_digest(guide)
    code, out, err = invoke("validate", "--entries", guide)
    assert code == 1, out
    assert expected in out, out
    assert path.name in out, f"the message must name the file {path.name}:\n{out}"
    assert "Traceback" not in out
    code, out, err = invoke("validate", "--entries", guide, "--format", "json")
    assert code == 1, out
    errors = [p for p in json.loads(out)["problems"] if p["severity"] == "error"]
    found = [p for p in errors if expected in p["message"]]
    assert found, errors
    assert found[0]["code"] == problem_code
    assert Path(found[0]["file"]).name == path.name
    assert tree_digest(guide) == before


def test_problems_carry_the_line_and_field(guide: Path) -> None:
    path = guide / U
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: active", "status: open"), encoding="utf-8")
    line = text.splitlines().index("status: active") + 1
    code, out, err = invoke("validate", "--entries", guide)
    assert code == 1
    assert re.search(rf"utopia-56\.yaml:{line} status: 'open' is not allowed", out), out
    assert "use one of: active, temporarily-closed, closed" in out


def test_every_problem_is_reported_at_once(guide: Path) -> None:
    _replace(U, "status: active", "status: open")(guide)
    _replace("salam.yaml", "id: salam", "id: salaam")(guide)
    _write("junk.yaml", b"\x00\x01")(guide)
    code, out, err = invoke("validate", "--entries", guide)
    assert code == 1
    assert "3 error(s)" in out, out
    for name in ("utopia-56.yaml", "salam.yaml", "junk.yaml"):
        assert name in out


def test_duplicate_key_names_both_lines(guide: Path) -> None:
    _append(U, "name: Utopia 57\n")(guide)
    code, out, err = invoke("validate", "--entries", guide)
    assert "(first written on line 4)" in out


def test_unquoted_time_is_read_as_a_time(guide: Path) -> None:
    # YAML 1.1 reads 14:00 as 840 (base 60); the loader keeps it as a time.
    _replace(
        U,
        "  - kind: mobile\n",
        "  - kind: mobile\n"
        "    schedules:\n      - {byday: [mo], opens_at: 14:00, closes_at: 17:30}\n",
    )(guide)
    code, out, err = invoke("validate", "--entries", guide)
    assert code == 0, out


def test_stale_translation_is_a_warning(guide: Path) -> None:
    fr = "Une ligne."
    _write(
        "stale.yaml",
        "id: stale\nname: Stale\nsummary:\n"
        f"  fr: Une ligne changée.\n  en:\n    text: One line.\n    status: draft\n"
        f"    from: fr\n    source_hash: {text_hash(fr)}\n",
    )(guide)
    code, out, err = invoke("validate", "--entries", guide, "--verbose")
    assert code == 0, out
    assert "stale translation" in out
    code, _, _ = invoke("validate", "--entries", guide, "--strict")
    assert code == 1


def test_fresh_translation_is_not_stale(guide: Path) -> None:
    fr = "Une ligne."
    _write(
        "fresh.yaml",
        f"id: fresh\nname: Fresh\nsummary:\n  fr: {fr}\n  en:\n    text: One line.\n"
        f"    status: draft\n    from: fr\n    source_hash: {text_hash(fr)}\n",
    )(guide)
    code, out, err = invoke("validate", "--entries", guide, "--verbose")
    assert "stale" not in out
    assert "draft translation in en" in out


def test_unverified_entry_is_a_warning(guide: Path) -> None:
    _replace(U, "assured_date: 2023-03-01", "assured_date: 2022-01-10")(guide)
    code, out, err = invoke("validate", "--entries", guide, "--verbose")
    assert code == 0
    assert "last verified 2022-01-10, more than 120 days before the 2023-03 edition" in out


def test_verification_window_is_configurable(guide: Path) -> None:
    _replace(U, "assured_date: 2023-03-01", "assured_date: 2022-01-10")(guide)
    _replace("edition.yaml", "verification_window_days: 120", "verification_window_days: 900")(
        guide
    )
    code, out, err = invoke("validate", "--entries", guide, "--verbose")
    assert "last verified 2022-01-10" not in out


def test_missing_translation_is_a_warning(guide: Path) -> None:
    _write("only-fr.yaml", MINIMAL.format(id="only-fr"))(guide)
    code, out, err = invoke("validate", "--entries", guide, "--verbose")
    assert code == 0
    assert re.search(r"only-fr\.yaml:\d+ summary: summary missing in en", out), out


def test_entries_option_from_environment(guide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _replace(U, "status: active", "status: open")(guide)
    monkeypatch.setenv("CALAIS_GUIDE_ENTRIES", str(guide))
    code, out, err = invoke("validate")
    assert code == 1
    assert "utopia-56.yaml" in out


def test_missing_directory(tmp_path: Path) -> None:
    code, out, err = invoke("validate", "--entries", tmp_path / "nowhere")
    assert code == 1
    assert "no such directory" in out
    assert "Traceback" not in out


def test_warnings_are_one_line_per_kind_unless_verbose(guide: Path) -> None:
    _replace(U, "status: active", "status: open")(guide)
    code, out, err = invoke("validate", "--entries", guide)
    assert code == 1
    lines = out.splitlines()
    # Errors in full (with what to do), warnings counted per kind, the summary last.
    assert re.fullmatch(
        r"error entries/utopia-56\.yaml:\d+ status: 'open' is not allowed.*", lines[0]
    )
    assert lines[1].startswith("    → use one of: active")
    # One line per kind, in order of first appearance, counted like the report.
    from calais_guide.errors import PROBLEM_CODES
    from calais_guide.validate import validate

    report = validate(guide)
    kinds: dict[str, list[Path | None]] = {}
    for p in report.warnings:
        kinds.setdefault(p.code, []).append(p.file)
    assert len(kinds) >= 2
    assert lines[2:] == [
        f"warning ×{len(files)} {code}: {PROBLEM_CODES[code]} ({len(set(files))} file(s))"
        for code, files in kinds.items()
    ] + [
        f"each warning with its file and line: calais-guide validate --verbose --entries {guide}",
        f"failed: {len(report.database.entries) if report.database else 0} entries, 1 error(s), "
        f"{len(report.warnings)} warning(s) (fix the errors above)",
    ]
    code, verbose, err = invoke("validate", "--entries", guide, "--verbose")
    assert code == 1
    warned = [line for line in verbose.splitlines() if line.startswith("warning ")]
    assert len(warned) == len(report.warnings)
    assert "warning ×" not in verbose


def test_no_color_turns_off_bold_and_dim_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from calais_guide.output import console

    monkeypatch.setenv("NO_COLOR", "1")
    assert console().color_system is None  # no styles at all: no colour, bold or dim
    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert console().color_system is not None
