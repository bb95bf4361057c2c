"""Editions as a library: snapshots, starting an edition, diff and the pre-print check.

The story of the fixtures (tests/fixtures/editions/README.md): a guide published
in March 2023; for June the coordinator changed a phone number and hours,
added an association, removed one, and did not re-check one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from calais_guide import editions
from calais_guide.editions import (
    NO_SNAPSHOT,
    Finding,
    Section,
    check,
    check_to_json,
    diff,
    diff_to_json,
    diff_to_markdown,
    diff_to_text,
    dump_snapshot,
    new_edition,
    snapshot_path,
    snapshot_to_database,
)
from calais_guide.errors import DataError, NotFoundError, UnknownValue, UsageError
from calais_guide.fileio import write_text
from calais_guide.load import load_database
from calais_guide.manage import close, verify
from calais_guide.model import Entry
from calais_guide.paths import builtin_entries
from calais_guide.validate import validate

FIXTURES = Path(__file__).parent / "fixtures" / "editions"


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    """A copy of the guide as published in March 2023."""
    root = tmp_path / "guide"
    shutil.copytree(FIXTURES / "2023-03", root)
    return root


def start_june(root: Path) -> None:
    """Start the June edition and make the coordinator's changes."""
    new_edition(root, "2023-06")
    for path in (FIXTURES / "2023-06").glob("*.yaml"):
        shutil.copy(path, root / path.name)
    (root / "douches-du-port.yaml").unlink()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


# -- snapshots ----------------------------------------------------------------------


def test_snapshot_loads_back_into_equal_model_objects(guide: Path) -> None:
    close(guide, "cafe-solidaire", dt.date(2023, 3, 10), dt.date(2023, 3, 12), "Travaux")
    db = load_database(guide)
    path = guide / "elsewhere.json"
    write_text(path, dump_snapshot(db))

    back = snapshot_to_database(path, guide)

    assert back == db
    assert [e.id for e in back.entries] == ["ecoute-nuit", "cafe-solidaire", "douches-du-port"]
    cafe = back.get("cafe-solidaire")
    assert cafe is not None and cafe.closures[0].valid_to == dt.date(2023, 3, 12)
    assert cafe.path == guide / "cafe-solidaire.yaml"
    assert back.edition.path == guide / "edition.yaml"


def test_builtin_edition_survives_a_snapshot_round_trip(tmp_path: Path) -> None:
    db = load_database(builtin_entries())
    path = tmp_path / "2023-03.json"
    write_text(path, dump_snapshot(db))

    back = snapshot_to_database(path, builtin_entries())

    assert back.edition == db.edition
    assert back.entries == db.entries
    assert dump_snapshot(back) == path.read_text(encoding="utf-8")


def test_snapshot_is_stable_json_with_every_field(guide: Path) -> None:
    db = load_database(guide)
    text = dump_snapshot(db)
    data = json.loads(text)

    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert dump_snapshot(load_database(guide)) == text
    assert data["format"] == editions.SNAPSHOT_FORMAT and data["version"] == 1
    assert data["edition"]["edition"] == "2023-03"
    first = data["entries"][0]
    assert first["file"] == "ecoute-nuit.yaml"
    fields = first["fields"]
    assert fields["assured_date"] == "2023-02-20"
    assert fields["phones"][0]["number"] == "+33 3 21 00 00 00"
    assert fields["locations"][0]["schedules"][0]["opens_at"] == "20:00"
    assert fields["summary"]["en"]["from"] == "fr"
    # Every model field is there, even empty ones; loader bookkeeping is not.
    assert fields["alternate_name"] is None and fields["closures"] == []
    assert "path" not in fields and "lines" not in fields


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda t: t[:-20], "not valid JSON"),
        (
            lambda t: t.replace('"number": "+33 3 21 00 00 00"', '"number": 33321000000'),
            "expected a text",
        ),
        (
            lambda t: t.replace('"file": "ecoute-nuit.yaml"', '"file": "../../etc/passwd"'),
            "valid 'file' name",
        ),
        (lambda t: t.replace('"version": 1', '"version": 99'), "newer calais-guide"),
        (lambda t: t.replace(editions.SNAPSHOT_FORMAT, "something else"), "not a calais-guide"),
    ],
)
def test_damaged_snapshot_is_a_clear_data_error(guide: Path, damage, expected: str) -> None:
    path = guide / "editions" / "2023-03.json"
    write_text(path, damage(dump_snapshot(load_database(guide))))

    with pytest.raises(DataError) as caught:
        snapshot_to_database(path)

    problem = caught.value.problems[0]
    assert problem.file == path
    assert expected in problem.message
    assert "restore" in (problem.hint or "")


def test_damaged_snapshot_names_the_field(guide: Path) -> None:
    path = guide / "editions" / "2023-03.json"
    text = dump_snapshot(load_database(guide))
    write_text(path, text.replace('"closes_at": "23:00"', '"closes_at": "late"'))

    with pytest.raises(DataError) as caught:
        snapshot_to_database(path)

    assert caught.value.problems[0].field == "entries[0].fields.locations[0].schedules[0].closes_at"


# -- edition new -----------------------------------------------------------------------


def test_new_edition_keeps_a_snapshot_and_starts_the_next_month(guide: Path) -> None:
    published = load_database(guide)
    original = (guide / "edition.yaml").read_text(encoding="utf-8")

    done = new_edition(guide, "2023-06")

    assert done.snapshot == guide / "editions" / "2023-03.json"
    assert (done.published, done.month, done.entries, done.reused) == (
        "2023-03",
        "2023-06",
        3,
        False,
    )
    assert snapshot_to_database(done.snapshot) == published
    # Only the month changed: comments, quotes and layout are the volunteer's.
    assert (guide / "edition.yaml").read_text(encoding="utf-8") == original.replace(
        'edition: "2023-03"', 'edition: "2023-06"'
    )
    report = validate(guide)
    assert report.errors == []
    assert report.database is not None and report.database.edition.edition == "2023-06"


@pytest.mark.parametrize("month", ["2023-03", "2022-12"])
def test_new_edition_refuses_a_month_not_after_the_current_one(guide: Path, month: str) -> None:
    before = tree(guide)
    with pytest.raises(UsageError, match="not after the current edition 2023-03"):
        new_edition(guide, month)
    assert tree(guide) == before


@pytest.mark.parametrize("month", ["2023-6", "June", "2023-13", "2023-06-01"])
def test_new_edition_refuses_what_is_not_a_month(guide: Path, month: str) -> None:
    before = tree(guide)
    with pytest.raises(UsageError, match="is not a month: write YYYY-MM"):
        new_edition(guide, month)
    assert tree(guide) == before


def test_new_edition_never_overwrites_a_different_snapshot(guide: Path) -> None:
    new_edition(guide, "2023-06")
    # Someone set the month back by hand and changed an entry since.
    edit(guide / "edition.yaml", 'edition: "2023-06"', 'edition: "2023-03"')
    edit(guide / "cafe-solidaire.yaml", "03 21 00 00 02", "03 21 00 00 04")
    before = tree(guide)

    with pytest.raises(UsageError, match="already exists and differs"):
        new_edition(guide, "2023-09")

    assert tree(guide) == before


def test_new_edition_finishes_an_interrupted_run(guide: Path) -> None:
    # Killed after writing the snapshot, before updating edition.yaml.
    write_text(snapshot_path(guide, "2023-03"), dump_snapshot(load_database(guide)))

    done = new_edition(guide, "2023-06")

    assert done.reused
    assert load_database(guide).edition.edition == "2023-06"


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_new_edition_is_all_or_nothing(
    guide: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    import calais_guide.fileio as fileio

    before = tree(guide)
    real = fileio.write_text

    def failing(target: Path, text: str, **options: bool) -> None:
        if target.name == "edition.yaml":
            raise failure
        real(target, text, **options)

    monkeypatch.setattr(fileio, "write_text", failing)  # edition.yaml is written through it
    with pytest.raises(type(failure)):
        new_edition(guide, "2023-06")

    assert tree(guide) == before
    assert not (guide / "editions").exists()


def test_new_edition_refuses_data_that_does_not_load(guide: Path) -> None:
    (guide / "broken.yaml").write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError):
        new_edition(guide, "2023-06")
    assert not (guide / "editions").exists()


# -- diff -------------------------------------------------------------------------------


def test_diff_lists_added_removed_and_changed_entries_phone_first(guide: Path) -> None:
    start_june(guide)

    d = diff(guide)

    assert (d.old.edition, d.old.snapshot) == ("2023-03", True)
    assert (d.new.edition, d.new.snapshot) == ("2023-06", False)
    assert [e.id for e in d.added] == ["atelier-velo"]
    assert [e.id for e in d.removed] == ["douches-du-port"]
    assert [c.id for c in d.changed] == ["ecoute-nuit"]
    changes = d.changed[0].changes
    assert [(c.field, c.category) for c in changes] == [
        ("phones[0].number", "phones"),
        ("locations[0].schedules[0].closes_at", "hours"),
        ("summary.fr", "other"),
        ("assured_date", "editorial"),
    ]
    phone = changes[0]
    assert (phone.change, phone.old, phone.new) == (
        "changed",
        "+33 3 21 00 00 00",
        "+33 3 21 00 00 01",
    )
    assert changes[1].old == dt.time(23, 0) and changes[1].new == dt.time(22, 0)
    assert d.changed[0].important
    assert d.edition == []


def test_entries_with_important_changes_come_first(guide: Path) -> None:
    new_edition(guide, "2023-06")
    # ecoute-nuit is first in the booklet but only its wording changed.
    edit(guide / "ecoute-nuit.yaml", "Une équipe bénévole", "Une équipe de bénévoles")
    edit(guide / "cafe-solidaire.yaml", "street: 1 rue", "street: 3 rue")

    d = diff(guide)

    assert [(c.id, c.important) for c in d.changed] == [
        ("cafe-solidaire", True),
        ("ecoute-nuit", False),
    ]
    assert d.changed[0].changes[0].field == "locations[0].address.street"
    assert d.changed[0].changes[0].category == "addresses"


def test_a_phone_added_in_front_is_one_addition(guide: Path) -> None:
    new_edition(guide, "2023-06")
    edit(guide / "cafe-solidaire.yaml", "phones:\n", 'phones:\n  - number: "03 21 00 00 05"\n')

    (entry,) = diff(guide).changed

    assert [(c.field, c.change, c.old) for c in entry.changes] == [("phones[0]", "added", None)]
    assert entry.changes[0].new.number == "03 21 00 00 05"


def test_closures_and_status_are_important(guide: Path) -> None:
    new_edition(guide, "2023-06")
    close(guide, "douches-du-port", dt.date(2023, 4, 1), None, "Camion en panne")

    (entry,) = diff(guide).changed

    assert [(c.field, c.category, c.change) for c in entry.changes] == [
        ("closures[0]", "closures", "added"),
        ("status", "status", "changed"),
    ]
    text = diff_to_text(diff(guide))
    assert "+ closures[0]: 2023-04-01 – until further notice: Camion en panne" in text
    assert "status: active → temporarily-closed" in text


def test_translations_are_summarised_french_in_full(guide: Path) -> None:
    new_edition(guide, "2023-06")
    path = guide / "ecoute-nuit.yaml"
    edit(path, "text: Night listening line for exiled people.", "text: Night helpline.")
    edit(path, "status: draft", "status: reviewed")
    edit(path, "fr: Une équipe bénévole répond", "fr: Des bénévoles répondent")

    (entry,) = diff(guide).changed
    by_field = {c.field: c for c in entry.changes}

    assert by_field["description.fr"].old.startswith("Une équipe bénévole répond")
    assert by_field["description.fr"].new.startswith("Des bénévoles répondent")
    summary_en = by_field["summary.en"]
    assert (summary_en.category, summary_en.old, summary_en.new) == (
        "translations",
        "reviewed",
        "reviewed",
    )
    assert (by_field["description.en"].old, by_field["description.en"].new) == ("draft", "reviewed")
    data = json.loads(diff_to_json(diff(guide)))
    assert "Night helpline" not in json.dumps(data)
    text = diff_to_text(diff(guide))
    assert "translations: en changed (summary, description)" in text


def test_edition_changes_are_reported(guide: Path) -> None:
    new_edition(guide, "2023-06")
    edit(guide / "edition.yaml", 'number: "112"', 'number: "115"')

    d = diff(guide)

    assert [(c.field, c.category, c.old, c.new) for c in d.edition] == [
        ("emergency_numbers[0].number", "phones", "112", "115")
    ]
    assert d.changed == []


def test_nothing_changed(guide: Path) -> None:
    new_edition(guide, "2023-06")
    d = diff(guide)
    assert d.empty
    assert diff_to_text(d).endswith("No change.\n")
    assert diff_to_markdown(d).endswith("Aucun changement.\n")


def test_diff_sides_by_month_file_folder_and_current(guide: Path, tmp_path: Path) -> None:
    march = tmp_path / "march"
    shutil.copytree(guide, march)
    start_june(guide)
    snapshot = guide / "editions" / "2023-03.json"

    by_month = diff(guide, "2023-03", "current")
    by_file = diff(guide, str(snapshot))
    by_folder = diff(guide, str(march))
    backwards = diff(guide, "current", "2023-03")

    for d in (by_month, by_file, by_folder):
        assert ([e.id for e in d.added], [e.id for e in d.removed]) == (
            ["atelier-velo"],
            ["douches-du-port"],
        )
    assert by_folder.old.snapshot is False
    assert diff_to_text(by_folder).startswith(
        f"What changed: {march} (edition 2023-03) → current data (edition 2023-06)\n"
    )
    assert diff_to_text(backwards).startswith(
        "What changed: current data (edition 2023-06) → edition 2023-03\n"
    )
    assert [e.id for e in backwards.added] == ["douches-du-port"]


def test_diff_without_a_published_edition_says_what_to_do(guide: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        diff(guide)
    assert str(caught.value) == NO_SNAPSHOT


def test_diff_of_an_unknown_month_lists_the_published_ones(guide: Path) -> None:
    start_june(guide)
    with pytest.raises(NotFoundError, match="published editions: 2023-03"):
        diff(guide, "2022-12")
    with pytest.raises(NotFoundError, match="neither 'current', a published month"):
        diff(guide, "last-year")


def test_diff_as_json_has_the_documented_shape(guide: Path) -> None:
    start_june(guide)
    text = diff_to_json(diff(guide))
    data = json.loads(text)

    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert data["format"] == "calais-guide edition diff" and data["version"] == 1
    assert data["old"] == {
        "spec": "2023-03",
        "edition": "2023-03",
        "source": str(guide / "editions" / "2023-03.json"),
        "snapshot": True,
    }
    assert data["counts"] == {"added": 1, "removed": 1, "changed": 1, "important": 1}
    assert data["added"] == [
        {
            "id": "atelier-velo",
            "name": "Atelier vélo",
            "summary": "Réparation de vélos avec les personnes exilées, le samedi.",
        }
    ]
    assert data["removed"][0]["id"] == "douches-du-port"
    changed = data["changed"][0]
    assert (changed["id"], changed["important"]) == ("ecoute-nuit", True)
    assert changed["changes"][0] == {
        "field": "phones[0].number",
        "category": "phones",
        "change": "changed",
        "old": "+33 3 21 00 00 00",
        "new": "+33 3 21 00 00 01",
        "lang": None,
    }
    assert changed["changes"][1]["old"] == "23:00"


def test_diff_as_text_puts_what_people_act_on_first(guide: Path) -> None:
    start_june(guide)
    text = diff_to_text(diff(guide))
    lines = text.splitlines()

    assert lines[0] == "What changed: edition 2023-03 → current data (edition 2023-06)"
    assert lines[1] == "1 added, 1 removed, 1 changed"
    expected = [
        "Important: phones, addresses, hours, closures, status",
        "  ecoute-nuit (Écoute de nuit)",
        "    phones[0].number: +33 3 21 00 00 00 → +33 3 21 00 00 01",
        "    locations[0].schedules[0].closes_at: 23:00 → 22:00",
        "Added",
        "  + atelier-velo (Atelier vélo): Réparation de vélos avec les personnes exilées, "
        "le samedi.",
        "Removed",
        "  - douches-du-port (Douches du port)",
    ]
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions)


def test_diff_as_markdown_is_a_newsletter(guide: Path) -> None:
    start_june(guide)
    fr = diff_to_markdown(diff(guide))
    en = diff_to_markdown(diff(guide), "en")

    assert fr.startswith(
        "# Ce qui a changé : édition 2023-03 → données actuelles (édition 2023-06)\n"
    )
    assert "## Changements importants : téléphones, adresses, horaires, fermetures" in fr
    assert "### Écoute de nuit" in fr
    assert "- **Téléphone 1 › numéro** : ~~+33 3 21 00 00 00~~ → +33 3 21 00 00 01" in fr
    assert "- **Lieu 1 › Horaires 1 › fermeture** : ~~23:00~~ → 22:00" in fr
    assert "- **Résumé** : ~~Ligne d'écoute la nuit" in fr
    assert "## Nouvelles associations\n\n- **Atelier vélo** : Réparation de vélos" in fr
    assert "## Retirées du guide\n\n- **Douches du port**" in fr
    # Verification dates and internal notes are not news.
    assert "2023-05-10" not in fr and "Vérifiée" not in fr
    assert fr.index("Changements importants") < fr.index("Nouvelles associations")
    assert "## Important: phones, addresses, hours, closures, status" in en
    assert "- **Phone 1 › number**: ~~+33 3 21 00 00 00~~ → +33 3 21 00 00 01" in en


def test_markdown_escapes_entry_text(guide: Path) -> None:
    new_edition(guide, "2023-06")
    edit(guide / "ecoute-nuit.yaml", "name: Écoute de nuit", 'name: "Écoute *de* <b>nuit</b>"')

    md = diff_to_markdown(diff(guide))

    assert "### Écoute \\*de\\* \\<b\\>nuit\\</b\\>" in md
    assert "<b>" not in md


def test_day_names_follow_the_language(guide: Path) -> None:
    new_edition(guide, "2023-06")
    edit(
        guide / "douches-du-port.yaml",
        '        closes_at: "13:00"\n',
        '        closes_at: "13:00"\n      - byday: [su]\n        opens_at: "09:00"\n'
        '        closes_at: "11:00"\n',
    )
    d = diff(guide)
    assert "+ locations[0].schedules[1]: Sun 09:00–11:00" in diff_to_text(d)
    assert "Horaires 2** : dim. 09:00–11:00" in diff_to_markdown(d)


# -- check ------------------------------------------------------------------------------


def section(report: editions.CheckReport, kind: str) -> editions.SectionResult:
    (found,) = [s for s in report.sections if s.kind == kind]
    return found


def test_check_blocks_on_an_entry_nobody_re_checked(guide: Path) -> None:
    start_june(guide)

    report = check(guide)

    assert not report.ok
    assert (report.edition, report.previous, report.langs) == ("2023-06", "2023-03", ["fr", "en"])
    assert report.verified_since == dt.date(2023, 3, 1)
    (finding,) = report.blockers
    assert finding.entry == "cafe-solidaire"
    assert finding.message == "last verified 2023-02-25, as in the 2023-03 edition"
    assert finding.file == guide / "cafe-solidaire.yaml"
    assert finding.field == "assured_date" and finding.line == 38
    assert report.entries("not-verified") == ["cafe-solidaire"]

    verify(guide, "cafe-solidaire", "Sam", dt.date(2023, 5, 15))
    after = check(guide)

    assert after.ok and after.blockers == []
    assert after.warnings  # the out-of-date and draft translations are still listed


def test_unchanged_verification_date_counts_as_not_re_checked(guide: Path) -> None:
    # Verified in the first days of March for the March edition: on or after
    # the month's first day, but the same date as in the published edition.
    edit(guide / "cafe-solidaire.yaml", "assured_date: 2023-02-25", "assured_date: 2023-03-05")
    start_june(guide)

    report = check(guide)

    assert [f.message for f in report.blockers] == [
        "last verified 2023-03-05, as in the 2023-03 edition"
    ]


def test_new_entry_verified_before_the_previous_edition_blocks(guide: Path) -> None:
    start_june(guide)
    verify(guide, "cafe-solidaire", "Sam", dt.date(2023, 5, 15))
    edit(guide / "atelier-velo.yaml", "assured_date: 2023-05-12", "assured_date: 2023-02-01")
    edit(guide / "ecoute-nuit.yaml", "assured_date: 2023-05-10\n", "")

    report = check(guide)

    assert [(f.entry, f.message) for f in report.blockers] == [
        ("ecoute-nuit", "never verified by a person"),
        ("atelier-velo", "last verified 2023-02-01, before 2023-03-01"),
    ]


def test_without_a_previous_edition_the_verification_window_applies(guide: Path) -> None:
    edit(guide / "douches-du-port.yaml", "assured_date: 2023-02-27", "assured_date: 2022-10-31")

    report = check(guide)

    assert report.previous is None
    assert report.verified_since == dt.date(2022, 11, 1)  # 2023-03-01 minus 120 days
    assert [(f.entry, f.message) for f in report.blockers] == [
        ("douches-du-port", "last verified 2022-10-31, before 2022-11-01")
    ]


def test_missing_translations_are_warnings_per_language(guide: Path) -> None:
    report = check(guide, ["fr", "en", "ar"])

    # Summaries and the title print in another language with the mark: a
    # warning naming the entries (one new association does not stop the print run)...
    (finding,) = section(report, "missing-translation").findings
    assert finding.lang == "ar"
    assert finding.entries == ("ecoute-nuit", "cafe-solidaire", "douches-du-port")
    assert finding.message == "4 untranslated text(s) in 4 file(s): title, summary ×3"
    assert finding in report.warnings
    assert report.ok
    # ...and --strict makes them block.
    strict = check(guide, ["fr", "en", "ar"], strict=True)
    assert section(strict, "missing-translation").findings == [finding]
    assert finding in strict.blockers
    # The rest is printed in another language with a mark too: a warning.
    (fallback,) = section(report, "fallback-translation").findings
    assert fallback.lang == "ar"
    assert fallback.message == (
        "7 untranslated text(s) in 4 file(s): emergency_numbers.label, description, "
        "phones.label, locations.description ×2, locations.name, locations.exceptions.note"
    )
    assert fallback in report.warnings
    assert check(guide, ["fr", "en"]).ok
    assert not check(guide, ["fr", "en"], strict=True).ok  # the drafts


def test_draft_and_out_of_date_translations_are_warnings(guide: Path) -> None:
    start_june(guide)
    verify(guide, "cafe-solidaire", "Sam", dt.date(2023, 5, 15))

    report = check(guide)

    (stale,) = section(report, "stale-translation").findings
    assert (stale.entry, stale.field, stale.lang, stale.line) == (
        "ecoute-nuit",
        "summary.en",
        "en",
        10,
    )
    assert stale.message == "the 'fr' text changed since it was translated"
    assert "'from: fr' and 'source_hash: 7d0ce4ffd8af'" in (stale.hint or "")
    (draft,) = section(report, "draft-translation").findings
    assert (draft.lang, draft.entries) == ("en", ("ecoute-nuit",))
    assert draft.message == "1 draft text(s) in 1 file(s): description"
    assert report.ok and {stale, draft} <= set(report.warnings)


def test_needs_review_and_other_validator_warnings_are_listed_once(guide: Path) -> None:
    edit(
        guide / "cafe-solidaire.yaml",
        "assurer: Coordination\n",
        "assurer: Coordination\nneeds_review:\n  - Horaires d'été à confirmer\n",
    )

    report = check(guide)

    (question,) = section(report, "needs-review").findings
    assert (question.entry, question.field, question.message) == (
        "cafe-solidaire",
        "needs_review[0]",
        "Horaires d'été à confirmer",
    )
    others = section(report, "data-warnings").findings
    assert sorted((f.entry, f.message) for f in others) == [
        ("cafe-solidaire", "no French description: the booklet will show only the summary"),
        ("douches-du-port", "no French description: the booklet will show only the summary"),
    ]
    # The validator's own warnings about drafts and needs_review are not repeated.
    everything = [f.message for f in report.warnings]
    assert not any("needs review" in m or "draft translation in" in m for m in everything)


def test_glyph_problems_block_once(guide: Path) -> None:
    edit(guide / "douches-du-port.yaml", "deux fois par semaine.", "deux fois par semaine 🚿.")

    report = check(guide)

    (glyph,) = section(report, "glyphs").findings
    assert glyph.entry == "douches-du-port" and glyph.field == "summary.fr"
    assert "U+1F6BF" in glyph.message
    assert section(report, "invalid").findings == []
    assert not report.ok


def test_validation_errors_block(guide: Path) -> None:
    edit(guide / "cafe-solidaire.yaml", '"03 21 00 00 02"', '"12"')
    (guide / "broken.yaml").write_text("id: broken\nname: [unclosed\n", encoding="utf-8")

    report = check(guide)

    invalid = section(report, "invalid")
    assert invalid.severity == "blocker"
    assert {(f.entry, f.field) for f in invalid.findings} == {
        ("cafe-solidaire", "phones[0].number"),
        ("broken", None),
    }
    assert not report.ok
    # The rest of the data is still checked.
    assert section(report, "not-verified").findings == []


@pytest.mark.parametrize(
    ("folder", "message"),
    [("", "missing edition file"), ("no-such-folder", "no such directory")],
)
def test_unloadable_data_is_reported_not_raised(tmp_path: Path, folder: str, message: str) -> None:
    report = check(tmp_path / folder)

    assert report.database is None and report.edition is None and report.langs == []
    assert [s.kind for s in report.sections] == ["invalid"]
    (blocker,) = report.blockers
    assert message in blocker.message and blocker.entry is None


def test_allow_turns_a_blocker_into_a_warning(guide: Path) -> None:
    start_june(guide)

    report = check(guide, allow=["not-verified"])

    assert report.ok
    result = section(report, "not-verified")
    assert (result.severity, result.allowed, len(result.findings)) == ("warning", True, 1)
    assert report.entries("not-verified") == ["cafe-solidaire"]


@pytest.mark.parametrize(
    ("kind", "message"),
    [("invalid", "always block printing"), ("glyphs", "always block"), ("stale", "no such check")],
)
def test_allow_refuses_what_cannot_be_allowed(guide: Path, kind: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        check(guide, allow=[kind])


def test_strict_makes_warnings_block(guide: Path) -> None:
    report = check(guide, strict=True)

    assert not report.ok
    assert section(report, "draft-translation").severity == "blocker"
    assert report.warnings == []


def test_unknown_language_is_an_error(guide: Path) -> None:
    with pytest.raises(UnknownValue, match="unknown language 'xx'"):
        check(guide, ["fr", "xx"])


def test_more_sections_plug_in(guide: Path) -> None:
    seen = {}

    def overflow(ctx: editions.CheckContext) -> list[Finding]:
        seen["langs"] = ctx.langs
        return [
            Finding("card overflows by 3 lines", "ecoute-nuit", lang=lang) for lang in ctx.langs
        ]

    sections = (
        *editions.SECTIONS,
        Section("card-overflow", "cards that overflow", "blocker", overflow),
    )
    report = check(guide, sections=sections)

    assert seen["langs"] == ["fr", "en"]
    assert [f.lang for f in section(report, "card-overflow").findings] == ["fr", "en"]
    assert not report.ok
    assert check(guide, sections=sections, allow=["card-overflow"]).ok


def test_check_as_json(guide: Path) -> None:
    start_june(guide)
    data = json.loads(check_to_json(check(guide)))

    assert data["format"] == "calais-guide edition check" and data["version"] == 1
    assert (data["edition"], data["previous_edition"], data["verified_since"]) == (
        "2023-06",
        "2023-03",
        "2023-03-01",
    )
    assert data["ok"] is False and data["counts"] == {"blockers": 1, "warnings": 4}
    assert [s["kind"] for s in data["sections"]] == [s.kind for s in editions.SECTIONS]
    (finding,) = data["sections"][2]["findings"]
    assert finding == {
        "message": "last verified 2023-02-25, as in the 2023-03 edition",
        "entry": "cafe-solidaire",
        "field": "assured_date",
        "lang": None,
        "file": str(guide / "cafe-solidaire.yaml"),
        "line": 38,
        "hint": "phone each association, then run "
        f"'calais-guide verify ID --by NAME --entries {guide}'",
        "entries": [],
    }


def test_builtin_edition_check_runs(tmp_path: Path) -> None:
    report = check(builtin_entries())
    assert report.database is not None and len(report.database.entries) == 19
    assert report.previous is None
    assert section(report, "invalid").findings == []
    assert section(report, "glyphs").findings == []
    assert section(report, "not-verified").findings == []


def test_snapshot_has_every_model_field_and_old_snapshots_still_load(tmp_path: Path) -> None:
    data = json.loads(dump_snapshot(load_database(FIXTURES / "2023-03")))
    fields = {f.name for f in dataclasses.fields(Entry)} - {"path", "lines"}
    assert set(data["entries"][0]["fields"]) == fields
    # A snapshot written before a model field existed loads with the default.
    del data["entries"][0]["fields"]["transliterations"]
    path = tmp_path / "2023-03.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    db = snapshot_to_database(path)

    assert db.entries[0].transliterations == {}


def test_describe_speaks_to_people() -> None:
    from calais_guide.model import Closure, Phone, Schedule, Text

    night = Schedule(byday=["mo", "fr"], opens_at=dt.time(20), closes_at=dt.time(23, 30))
    assert editions.describe(night, "fr") == "lun. ven. 20:00–23:30"
    assert editions.describe(night, "ar").endswith("20:00–23:30")  # CLDR day names
    assert editions.describe(Phone("03 21 00 00 00", available_24_7=True), "fr") == (
        "03 21 00 00 00 (24 h/24, 7 j/7)"
    )
    closure = Closure(dt.date(2023, 8, 1), None, {"fr": Text("Congés")})
    assert editions.describe(closure, "en") == "2023-08-01 – until further notice: Congés"
    assert editions.describe(True, "fr") == "oui"
    assert editions.describe(None, "ti") == "(none)"
