"""Managing entries from the CLI: init, add, edit, verify, close, reopen.

Write-backs keep comments, key order and unrelated fields; a change that would
make an entry invalid is refused and the file is left untouched.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
from pathlib import Path

import pytest

from calais_guide.load import load_database
from calais_guide.manage import edit, slugify

from .conftest import invoke, tree_digest

TODAY = dt.date.today()


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_init_copies_the_builtin_guide(tmp_path: Path) -> None:
    target = tmp_path / "my-guide"
    code, out, err = invoke("init", target)
    assert code == 0, out
    assert (target / "edition.yaml").is_file()
    assert len(list(target.glob("*.yaml"))) == 20
    code, out, err = invoke("validate", "--entries", target)
    assert code == 0, out


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    code, out, err = invoke("init", tmp_path)
    assert code == 2
    assert err == f"error: {tmp_path} exists and is not empty: choose a new folder\n"
    assert out == ""
    assert (tmp_path / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("path", sorted(Path(__file__).parent.parent.glob("entries/*.yaml")))
def test_verify_round_trip_on_real_entries(guide: Path, path: Path) -> None:
    """Only the assured_date/assurer lines change; comments, order, text stay."""
    if path.name == "edition.yaml":
        pytest.skip("not an entry")
    target = guide / path.name
    before = target.read_text(encoding="utf-8")
    code, out, err = invoke(
        "verify", path.stem, "--entries", guide, "--by", "Camille", "--date", "2023-05-02"
    )
    assert code == 0, out
    after = target.read_text(encoding="utf-8")
    changed = _changed_lines(before, after)
    assert sorted(changed) == sorted(
        [
            "-assured_date: 2023-03-01",
            "+assured_date: 2023-05-02",
            "-assurer: livret inter-associatif de mars 2023",
            "+assurer: Camille",
        ]
    ), changed
    entry = load_database(guide).get(path.stem)
    assert entry is not None and entry.assured_date == dt.date(2023, 5, 2)


def test_verify_defaults_to_today_and_user(guide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "dominique")
    code, out, err = invoke("verify", "salam", "--entries", guide)
    assert code == 0, out
    entry = load_database(guide).get("salam")
    assert entry is not None
    assert entry.assured_date == TODAY
    assert entry.assurer == "dominique"


def test_verify_adds_missing_fields(guide: Path) -> None:
    path = guide / "salam.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("assured_date: 2023-03-01\n", "").replace(
        "assurer: livret inter-associatif de mars 2023\n", ""
    )
    path.write_text(text, encoding="utf-8")
    code, out, err = invoke(
        "verify", "salam", "--entries", guide, "--by", "Ali", "--date", "2023-04-01"
    )
    assert code == 0, out
    assert "assured_date: 2023-04-01\nassurer: Ali\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["verify", "salma", "--by", "x"], 1, "no entry 'salma'"),
        (["verify", "salam", "--by", "x", "--date", "2023-02-31"], 2, "is not a date"),
        (["verify", "salam", "--by", "x", "--date", "2150-01-01"], 2, "is in the future"),
        (
            ["close", "salam", "--from", "2023-08-10", "--until", "2023-08-01", "--reason", "x"],
            2,
            "is before --from",
        ),
        (["close", "salam", "--from", "2023-08-10", "--reason", "  "], 2, "--reason is empty"),
        (["close", "salam", "--from", "demain", "--reason", "x"], 2, "is not a date"),
        (["reopen", "nobody"], 1, "no entry 'nobody'"),
        (["edit", "../edition"], 1, "no entry '../edition'"),
    ],
)
def test_bad_management_commands_change_nothing(
    guide: Path, args: list[str], code: int, expected: str
) -> None:
    before = tree_digest(guide)
    got, out, err = invoke(*args, "--entries", guide)
    assert got == code
    assert err.startswith("error: ") and expected in err, err
    assert out == ""
    assert tree_digest(guide) == before


def test_unknown_id_suggests(guide: Path) -> None:
    code, out, err = invoke("verify", "salma", "--entries", guide, "--by", "x")
    assert code == 1
    assert err.splitlines()[-1] == "did you mean: salam?"


def test_close_and_reopen(guide: Path) -> None:
    path = guide / "salam.yaml"
    original = path.read_text(encoding="utf-8")
    yesterday = TODAY - dt.timedelta(days=1)
    code, out, err = invoke(
        "close",
        "salam",
        "--entries",
        guide,
        "--from",
        yesterday.isoformat(),
        "--reason",
        "Entrepôt inondé",
    )
    assert code == 0, out
    entry = load_database(guide).get("salam")
    assert entry is not None
    assert entry.status == "temporarily-closed"
    assert entry.closures[0].valid_from == yesterday
    assert entry.closures[0].valid_to is None
    assert entry.closures[0].alert["fr"].text == "Entrepôt inondé"
    assert original.splitlines()[0] in path.read_text(encoding="utf-8")  # comment kept

    code, out, err = invoke("reopen", "salam", "--entries", guide)
    assert code == 0, out
    assert "open again" in out
    entry = load_database(guide).get("salam")
    assert entry is not None
    assert entry.status == "active"
    # History kept: the closure now ends yesterday.
    assert entry.closures[0].valid_to == yesterday


def test_dated_closure_keeps_status(guide: Path) -> None:
    code, out, err = invoke(
        "close",
        "salam",
        "--entries",
        guide,
        "--from",
        "2023-08-01",
        "--until",
        "2023-08-15",
        "--reason",
        "Congés d'été",
    )
    assert code == 0, out
    entry = load_database(guide).get("salam")
    assert entry is not None
    assert entry.status == "active"
    assert (entry.closures[0].valid_from, entry.closures[0].valid_to) == (
        dt.date(2023, 8, 1),
        dt.date(2023, 8, 15),
    )


def test_reopen_when_not_closed(guide: Path) -> None:
    before = tree_digest(guide)
    code, out, err = invoke("reopen", "salam", "--entries", guide)
    assert code == 0
    assert "was not closed" in out
    assert tree_digest(guide) == before


def test_add_writes_a_valid_commented_entry(guide: Path) -> None:
    code, out, err = invoke(
        "add",
        "--entries",
        guide,
        "--name",
        "Médecins Solidaires",
        "--summary",
        "Consultations: mardi",
        "--category",
        "health",
        "--website",
        "https://example.org/",
        "--by",
        "Sam",
    )
    assert code == 0, out
    path = guide / "medecins-solidaires.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Médecins Solidaires\n")
    entry = load_database(guide).get("medecins-solidaires")
    assert entry is not None
    assert entry.name == "Médecins Solidaires"
    assert entry.summary["fr"].text == "Consultations: mardi"
    assert entry.categories == ["health"]
    assert entry.websites == ["https://example.org/"]
    assert entry.assurer == "Sam"
    assert invoke("validate", "--entries", guide)[0] == 0


def test_add_asks_for_required_fields(guide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from calais_guide import cli

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    code, out, err = invoke(
        "add",
        "--entries",
        guide,
        "--by",
        "Sam",
        # name, summary, categories, then Enter for website, phone and place
        input="Cuisine Libre\nRepas chauds le soir\nfood, water\n\n\n\n",
    )
    assert code == 0, out
    entry = load_database(guide).get("cuisine-libre")
    assert entry is not None
    assert entry.categories == ["food", "water"]
    assert entry.phones == [] and entry.websites == [] and entry.locations == []
    text = (guide / "cuisine-libre.yaml").read_text(encoding="utf-8")
    assert "# phones:\n" in text and "# locations:\n" in text  # examples, nothing invented


ASKED = [
    "Name of the association: Cuisine Libre",
    "One-line summary in French (at most 120 characters): " + "x" * 130,
    "the summary is 130 characters, over the 120 limit: shorten it by 10 (try again)",
    "One-line summary in French (at most 120 characters): Repas chauds le soir",
    "Categories, comma-separated: nope, eau",
    "unknown category 'nope': use one of food, water, clothes, shelter, heating, health, "
    "mental-health, legal, information, phone-charging, wifi, laundry, showers, women, "
    "families, minors, children, sea-safety, emergency, family-links, human-rights, advocacy, "
    "coordination, rest, material, activities (or a word for one in any language: "
    "nourriture, ماء) (try again)",
    "Categories, comma-separated: nourriture, ماء",
    "Website, https://... (Enter: skip): ftp://x",
    "web address 'ftp://x' has 'ftp:'; only http:// and https:// addresses are allowed: "
    "write a full https:// address (try again)",
    "Website, https://... (Enter: skip): https://cuisine.example.org",
    "Phone, as the association gives it (Enter: skip): 12",
    "'12' is not a valid phone number: check the digits with the association; write French "
    "numbers as '03 21 00 00 00', others with '+44 ...' (try again)",
    "Phone, as the association gives it (Enter: skip): 03 21 00 00 00",
    "Where are people received? 'street, postal code town', 'mobile' for a team that goes to "
    "the living sites (Enter: skip): somewhere",
    "cannot read the address 'somewhere': write 'street, postal code town' (e.g. '12 rue de "
    "Moscou, 62100 Calais'), or 'mobile' (try again)",
    "Where are people received? 'street, postal code town', 'mobile' for a team that goes to "
    "the living sites (Enter: skip): 12 rue de Moscou, 62100 Calais",
    "Weekly hours, one slot at a time, e.g. 'mo,we 14:00-17:00' (Enter: done): mo 17h-14h",
    "'mo 17h-14h': closes at 14:00, not after it opens (17:00) (try again)",
    "Weekly hours, one slot at a time, e.g. 'mo,we 14:00-17:00' (Enter: done): mo,we 14:00-17:00",
    "Weekly hours, one slot at a time, e.g. 'mo,we 14:00-17:00' (Enter: done): lun-ven 9h-12h",
    "Weekly hours, one slot at a time, e.g. 'mo,we 14:00-17:00' (Enter: done): ",
]


def test_add_asks_again_on_a_bad_value_and_keeps_the_answers(
    guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from calais_guide import cli

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    questions = [line for line in ASKED if "(try again)" not in line]
    answers = [line.rpartition(": ")[2] for line in questions]
    code, out, err = invoke(
        "add", "--entries", guide, "--by", "Sam", input="\n".join(answers) + "\n"
    )
    assert code == 0, err
    lines = out.splitlines()
    # The valid categories come first, then each question (with the answer
    # typed); a bad value is named on stderr and asked again, the answers
    # before it are kept.
    assert lines[0] == "Categories (an id, or a word for one in any language: nourriture, ماء):"
    assert lines[1].startswith("  food, water, clothes, shelter,")
    assert [line.rstrip() for line in lines[2:-1]] == [q.rstrip() for q in questions]
    assert " ".join(err.split()) == " ".join(line for line in ASKED if "(try again)" in line)
    assert lines[-1] == (
        f"Wrote {guide}/cuisine-libre.yaml. Fill in the rest with: "
        f"calais-guide edit cuisine-libre --entries {guide}"
    )
    entry = load_database(guide).get("cuisine-libre")
    assert entry is not None
    assert entry.categories == ["food", "water"]
    assert entry.summary["fr"].text == "Repas chauds le soir"
    assert entry.websites == ["https://cuisine.example.org"]
    assert [p.number for p in entry.phones] == ["03 21 00 00 00"]
    (place,) = entry.locations
    assert place.kind == "fixed" and place.address is not None
    assert (place.address.street, place.address.postal_code, place.address.city) == (
        "12 rue de Moscou",
        "62100",
        "Calais",
    )
    assert [(s.byday, f"{s.opens_at:%H:%M}", f"{s.closes_at:%H:%M}") for s in place.schedules] == [
        (["mo", "we"], "14:00", "17:00"),
        (["mo", "tu", "we", "th", "fr"], "09:00", "12:00"),
    ]


def test_add_asks_again_for_a_name_already_taken(
    guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from calais_guide import cli

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    answers = ["Salam", "Salam Nord", "Repas.", "food", "", "", ""]
    code, out, err = invoke(
        "add", "--entries", guide, "--by", "Sam", input="\n".join(answers) + "\n"
    )
    assert code == 0, err
    assert " ".join(err.split()) == (
        f"{guide}/salam.yaml already exists: is it the same association? ('calais-guide edit "
        f"salam --entries {guide}'), else give another name or --id (try again)"
    )
    assert (guide / "salam-nord.yaml").is_file()


def test_add_mobile_team_without_hours(guide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from calais_guide import cli

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    answers = ["Maraude Test", "Thé le soir", "food", "", "", "mobile", "Lieux de vie", ""]
    code, out, err = invoke(
        "add", "--entries", guide, "--by", "Sam", input="\n".join(answers) + "\n"
    )
    assert (code, err) == (0, "")
    entry = load_database(guide).get("maraude-test")
    assert entry is not None
    (place,) = entry.locations
    assert (place.kind, place.description["fr"].text, place.schedules) == (
        "mobile",
        "Lieux de vie",
        [],
    )


@pytest.mark.parametrize(
    ("extra", "code", "expected"),
    [
        # A value given on the command line that cannot be used: usage (2).
        (["--category", "foood"], 2, "error: unknown category 'foood': use one of food, water"),
        (["--website", "javascript:alert(1)"], 2, "only http:// and https://"),
        (["--id", "Bad Id"], 2, "cannot be an id"),
        (["--id", "salam"], 2, "already exists"),
        (["--summary", "x" * 130], 2, "the summary is 130 characters, over the 120 limit"),
        (["--phone", "12"], 2, "error: '12' is not a valid phone number"),
    ],
)
def test_add_refuses_bad_values(guide: Path, extra: list[str], code: int, expected: str) -> None:
    before = tree_digest(guide)
    args = ["add", "--entries", guide, "--name", "Nouvelle", "--summary", "Une ligne", "--by", "S"]
    # Later options win over the defaults above.
    got, out, err = invoke(*args, *extra)
    assert got == code, err
    assert expected in " ".join(err.split())
    assert out == ""
    assert tree_digest(guide) == before


def test_add_without_terminal_names_the_missing_option(guide: Path) -> None:
    code, out, err = invoke("add", "--entries", guide, "--by", "S")
    assert code == 2
    assert "give it as an option" in err


def test_slugify() -> None:
    assert slugify("Médecins du Monde") == "medecins-du-monde"
    assert slugify("Refugee Women's Centre") == "refugee-women-s-centre"


# -- edit ---------------------------------------------------------------------


def _editor_script(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-editor"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_edit_saves_a_valid_change(
    guide: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "EDITOR", _editor_script(tmp_path, "sed -i 's/^name: Salam$/name: SALAM/' \"$1\"")
    )
    code, out, err = invoke("edit", "salam", "--entries", guide)
    assert code == 0, out
    assert "Saved" in out
    assert "name: SALAM\n" in (guide / "salam.yaml").read_text(encoding="utf-8")


def test_edit_refuses_an_invalid_change_without_terminal(
    guide: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "EDITOR", _editor_script(tmp_path, "sed -i 's/^status: active$/status: ouvert/' \"$1\"")
    )
    before = tree_digest(guide)
    code, out, err = invoke("edit", "salam", "--entries", guide)
    assert "'ouvert' is not allowed here" in err
    assert code == 1
    assert "not saved: salam.yaml is unchanged" in err
    assert tree_digest(guide) == before
    assert not list(guide.glob(".*"))  # no temporary file left behind


def test_edit_reopens_until_valid(guide: Path) -> None:
    """First save is invalid; the person fixes it on the second round."""
    rounds: list[list[str]] = []

    def editor(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        if not rounds:
            text = text.replace("status: active", "status: ouvert")
        else:
            text = text.replace("status: ouvert", "status: active").replace(
                "name: Salam", "name: SALAM"
            )
        path.write_text(text, encoding="utf-8")

    def retry(problems: list) -> bool:  # type: ignore[type-arg]
        rounds.append([p.message for p in problems])
        return True

    result = edit(guide, "salam", editor, retry)
    assert result == "saved"
    assert len(rounds) == 1 and "'ouvert' is not allowed here" in rounds[0][0]
    assert "name: SALAM" in (guide / "salam.yaml").read_text(encoding="utf-8")


def test_edit_abandoned_keeps_original(guide: Path) -> None:
    before = tree_digest(guide)

    def editor(path: Path) -> None:
        path.write_text("id: salam\nname: [broken\n", encoding="utf-8")

    assert edit(guide, "salam", editor, lambda problems: False) == "abandoned"
    assert tree_digest(guide) == before


def test_edit_without_change(guide: Path) -> None:
    assert edit(guide, "salam", lambda path: None, lambda problems: False) == "unchanged"


def test_failed_write_leaves_old_file(guide: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash between writing and renaming leaves the old file and no temp file."""
    import calais_guide.fileio as fileio

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    before = tree_digest(guide)
    monkeypatch.setattr(fileio.os, "replace", boom)
    code, out, err = invoke("verify", "salam", "--entries", guide, "--by", "x")
    assert (code, out) == (1, "")
    assert err.strip() == (
        f"error: cannot write {guide / 'salam.yaml'}: No space left on device: "
        "the disk is full: free some space, then run the command again"
    )
    assert tree_digest(guide) == before
    assert not [p for p in os.listdir(guide) if p.startswith(".")]
