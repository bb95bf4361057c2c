"""HSDS 3.0 export, checked against the specification's own schemas.

The schemas in tests/hsds/schema/ are the official ones (CC BY-SA 4.0, see
tests/hsds/NOTICE.md). As the specification's CI does, additional properties
are forbidden everywhere before validating.
"""

from __future__ import annotations

import copy
import csv
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from calais_guide import hsds

from .conftest import invoke

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "open-data"
SCHEMAS = ROOT / "tests" / "hsds" / "schema"


def _closed(schema: Any) -> Any:
    """``compiletojsonschema --set-additional-properties-false-everywhere``."""
    if isinstance(schema, dict):
        schema = {k: _closed(v) for k, v in schema.items()}
        if "properties" in schema:
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    schemas = {
        path.name: _closed(json.loads(path.read_text(encoding="utf-8")))
        for path in SCHEMAS.glob("*.json")
    }
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=_spec()))
        for name, schema in schemas.items()
    )
    return {
        name.removesuffix(".json"): Draft202012Validator(
            schema, registry=registry, format_checker=FormatChecker()
        )
        for name, schema in schemas.items()
    }


def _spec() -> Any:
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


def schema_errors(folder: Path, validators: dict[str, Draft202012Validator]) -> list[str]:
    """Every schema error of an exported folder, one line each."""
    errors = []
    for table, stem in hsds.TABLES:
        objects = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        for obj in objects:
            for error in validators[table].iter_errors(obj):
                errors.append(f"{stem}: {obj.get('id')}: {error.json_path}: {error.message}")
    return errors


REFERENCES = {
    "organization_id": "organization",
    "parent_organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "service_at_location",
    "phone_id": "phone",
    "taxonomy_id": "taxonomy",
    "taxonomy_term_id": "taxonomy_term",
}


def reference_errors(folder: Path) -> list[str]:
    """Ids that are not UUIDs, duplicated, or references to nothing."""
    data = {
        table: json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        for table, stem in hsds.TABLES
    }
    ids = {table: {obj["id"] for obj in objects} for table, objects in data.items()}
    every = set().union(*ids.values())
    errors = []
    seen: set[str] = set()
    for table, objects in data.items():
        for obj in objects:
            if str(uuid.UUID(obj["id"])) != obj["id"]:
                errors.append(f"{table}: id {obj['id']} is not a UUID")
            if obj["id"] in seen:
                errors.append(f"{table}: id {obj['id']} used twice")
            seen.add(obj["id"])
            for key, target in REFERENCES.items():
                if key in obj and obj[key] not in ids[target]:
                    errors.append(f"{table} {obj['id']}: {key} {obj[key]} names no {target}")
            for key in ("link_id", "resource_id"):
                if key in obj and obj[key] not in every:
                    errors.append(f"{table} {obj['id']}: {key} {obj[key]} names nothing")
    return errors


def export(tmp_path: Path, *args: str | Path, name: str = "out") -> Path:
    folder = tmp_path / name
    code, out, err = invoke("export", "--format", "hsds", "-o", folder, *args)
    assert (code, err) == (0, ""), err
    assert out.startswith(f"Wrote 14 files in {folder}/ (")
    return folder


@pytest.mark.parametrize("lang", ["fr", "en", "ar", "ti"])
def test_builtin_export_has_no_schema_error(tmp_path: Path, validators: Any, lang: str) -> None:
    folder = export(tmp_path, "--lang", lang)
    assert schema_errors(folder, validators) == []
    assert reference_errors(folder) == []
    organizations = json.loads((folder / "organizations.json").read_text(encoding="utf-8"))
    assert len(organizations) == 19


@pytest.mark.parametrize("lang", ["fr", "ar", "fa", "ti"])
def test_fixture_export_has_no_schema_error(tmp_path: Path, validators: Any, lang: str) -> None:
    folder = export(tmp_path, "--lang", lang, "--entries", FIXTURE)
    assert schema_errors(folder, validators) == []
    assert reference_errors(folder) == []


def test_published_taxonomy_file_is_up_to_date_and_what_exports_hold(
    tmp_path: Path, validators: Any
) -> None:
    published = ROOT / "docs" / "taxonomy.json"
    assert published.read_text(encoding="utf-8") == hsds.taxonomy_json(), (
        "docs/taxonomy.json is stale: run 'make docs'"
    )
    document = json.loads(published.read_text(encoding="utf-8"))
    folder = export(tmp_path)
    for table, stem in (("taxonomy", "taxonomies"), ("taxonomy_term", "taxonomy_terms")):
        exported = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        assert document[stem] == exported
        for obj in exported:
            assert list(validators[table].iter_errors(obj)) == []
    from calais_guide.vocabulary import CATEGORIES, WELCOME

    codes = {t["code"] for t in document["taxonomy_terms"]}
    assert set(CATEGORIES) <= codes
    assert {f"welcome:{w}" for w in WELCOME} <= codes
    assert {t["uri"] for t in document["taxonomies"]} == {hsds.TAXONOMY_URI}
    assert hsds.TAXONOMY_URI.endswith("/docs/taxonomy.json")


def test_the_schema_check_catches_what_it_should(tmp_path: Path, validators: Any) -> None:
    """The checks themselves: an extra field, a bad status, a dangling reference."""
    folder = export(tmp_path, "--entries", FIXTURE)
    services = json.loads((folder / "services.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(services)
    broken[0]["opening_hours"] = "Mo-Fr 09:00-17:30"
    broken[1]["status"] = "open"
    broken[2]["organization_id"] = str(uuid.uuid4())
    (folder / "services.json").write_text(json.dumps(broken), encoding="utf-8")
    errors = schema_errors(folder, validators)
    assert len(errors) == 2
    assert "Additional properties are not allowed ('opening_hours' was unexpected)" in errors[0]
    assert (
        "'open' is not one of ['active', 'inactive', 'defunct', 'temporarily closed']" in errors[1]
    )
    dangling = broken[2]["organization_id"]
    assert reference_errors(folder) == [
        f"service {broken[2]['id']}: organization_id {dangling} names no organization"
    ]


def _by(folder: Path, stem: str) -> list[dict[str, Any]]:
    return json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))


def test_fixture_mapping(tmp_path: Path) -> None:
    """Every rule of docs/hsds.md on the fixture (hours, phones, mobile,
    confidential place, closure, exceptions, categories, assurer)."""
    folder = export(tmp_path, "--lang", "ar", "--entries", FIXTURE)
    org = {o["name"]: o for o in _by(folder, "organizations")}
    service = {s["name"]: s for s in _by(folder, "services")}
    maison, projet, mobile = (
        service["Maison Exemple"],
        service["Projet Enfant"],
        service["Équipe Mobile Test"],
    )
    assert org["Projet Enfant"]["parent_organization_id"] == org["Maison Exemple"]["id"]
    assert maison["id"] == hsds.make_id("maison-exemple", "service")
    assert maison["alert"] == "2024-12-24/2025-01-02: مغلق خلال العطلات"
    assert maison["status"] == "active"
    assert maison["assured_date"] == "2024-05-20"
    # one physical location (maison), none for the confidential place or the mobile team
    locations = _by(folder, "locations")
    assert [(loc["location_type"], loc["organization_id"]) for loc in locations] == [
        ("physical", org["Maison Exemple"]["id"])
    ]
    assert _by(folder, "addresses")[0] | {"id": "", "location_id": ""} == {
        "id": "",
        "location_id": "",
        "address_1": "1 rue de l'Exemple",
        "city": "Calais",
        "state_province": "Pas-de-Calais",
        "postal_code": "62100",
        "country": "FR",
        "address_type": "physical",
    }
    text = (folder / "locations.json").read_text(encoding="utf-8")
    assert "téléphone" not in text  # the confidential place's description is not there
    areas = _by(folder, "service_areas")
    assert [(a["service_id"], a["description"]) for a in areas] == [
        (mobile["id"], "Lieux de vie du Calaisis")
    ]
    sal = _by(folder, "service_at_location")
    assert [(s["service_id"], s["location_id"]) for s in sal] == [
        (maison["id"], locations[0]["id"])
    ]
    schedules = _by(folder, "schedules")
    assert [{k: v for k, v in s.items() if k != "id"} for s in schedules] == [
        {
            "service_at_location_id": sal[0]["id"],
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": "MO,TU,WE,TH,FR",
            "opens_at": "09:00:00",
            "closes_at": "17:30:00",
        },
        {
            "service_at_location_id": sal[0]["id"],
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": "SA",
            "opens_at": "10:00:00",
            "closes_at": "13:00:00",
            "description": "للنساء فقط",
        },
        {
            "service_at_location_id": sal[0]["id"],
            "valid_from": "2024-08-01",
            "valid_to": "2024-08-15",
            "notes": "closed",
            "description": "Congés d'été",
        },
        {
            "service_id": mobile["id"],
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": "MO,WE,FR",
            "opens_at": "18:00:00",
            "closes_at": "20:00:00",
        },
    ]
    phones = _by(folder, "phones")
    assert [(p["service_id"], p["number"], p["type"], p.get("description")) for p in phones] == [
        (maison["id"], "+33321000000", "voice", "24/7"),
        (maison["id"], "+442079460000", "cell", "WhatsApp"),
        (projet["id"], "+33321000001", "voice", "Ligne des familles"),
        (mobile["id"], "+33600000000", "text", None),
    ]
    languages = _by(folder, "languages")
    assert [(lang.get("service_id"), lang.get("phone_id"), lang["code"]) for lang in languages] == [
        (maison["id"], None, "ar"),
        (maison["id"], None, "fa"),
        (maison["id"], None, "ti"),
        (None, phones[0]["id"], "ar"),
        (None, phones[0]["id"], "fa"),
    ]
    terms = {t["id"]: t["code"] for t in _by(folder, "taxonomy_terms")}
    attributes = [
        (a["link_id"], a["link_type"], terms[a["taxonomy_term_id"]], a.get("value"))
        for a in _by(folder, "attributes")
    ]
    assert (maison["id"], "categories", "phone-charging", None) in attributes
    assert (maison["id"], "welcome", "welcome:women", None) in attributes
    assert (maison["id"], "translation", "translation:reviewed", "description") in attributes
    assert (projet["id"], "translation", "translation:fallback", "description: fr") in attributes
    assert (phones[2]["id"], "translation", "translation:fallback", "description: fr") in attributes
    assert len(attributes) == 17  # 7 categories, 2 welcome, 8 translation flags
    assert _by(folder, "metadata")[0] | {"id": ""} == {
        "id": "",
        "resource_id": maison["id"],
        "resource_type": "service",
        "last_action_date": "2024-05-20",
        "last_action_type": "verified",
        "field_name": "assured_date",
        "previous_value": "(not recorded)",
        "replacement_value": "2024-05-20",
        "updated_by": "fixture",
    }


def test_ids_are_stable_and_languages_differ_only_in_texts(tmp_path: Path) -> None:
    first = export(tmp_path, "--entries", FIXTURE, name="a")
    again = export(tmp_path, "--entries", FIXTURE, name="b")
    arabic = export(tmp_path, "--entries", FIXTURE, "--lang", "ar", name="c")
    for name in hsds.file_names("json"):
        assert (first / name).read_bytes() == (again / name).read_bytes()
    for name in set(hsds.file_names("json")) - {"attributes.json"}:
        assert [o["id"] for o in _by(first, name[:-5])] == [o["id"] for o in _by(arabic, name[:-5])]
    # attributes differ by translation flags only (fr has none: every text is original)
    assert [a["link_type"] for a in _by(first, "attributes")].count("translation") == 0
    assert [a["link_type"] for a in _by(arabic, "attributes")].count("translation") == 8


def test_csv_data_package_is_valid(tmp_path: Path) -> None:
    from frictionless import validate

    for name, args in (("fixture", ("--entries", FIXTURE)), ("builtin", ())):
        folder = tmp_path / name
        code, out, err = invoke("export", "--format", "hsds-csv", "-o", folder, *args)
        assert (code, err) == (0, "")
        assert out.startswith(f"Wrote 22 files in {folder}/ (")
        report = validate(folder / "datapackage.json")
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with (tmp_path / "fixture" / "schedules.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["byday"], r["opens_at"], r["valid_from"]) for r in rows] == [
        ("MO,TU,WE,TH,FR", "09:00:00", ""),
        ("SA", "10:00:00", ""),
        ("", "", "2024-08-01"),
        ("MO,WE,FR", "18:00:00", ""),
    ]


def test_csv_package_catches_a_broken_cell(tmp_path: Path) -> None:
    from frictionless import validate

    folder = tmp_path / "csv"
    assert invoke("export", "--format", "hsds-csv", "-o", folder, "--entries", FIXTURE).code == 0
    path = folder / "schedules.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("09:00:00", "9h"), encoding="utf-8")
    report = validate(folder / "datapackage.json")
    assert [e[2] for e in report.flatten(["rowNumber", "fieldName", "type"])] == ["type-error"]


def test_default_folder_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("export", "--format", "hsds", "--lang", "en", "--entries", FIXTURE)
    assert (code, err) == (0, "")
    assert out.startswith(
        "Wrote 14 files in build/hsds-2024-06-en/ "
        "(3 organization, 3 organization_identifier, 3 service,"
    )
    assert sorted(p.name for p in (tmp_path / "build" / "hsds-2024-06-en").iterdir()) == sorted(
        hsds.file_names("json")
    )
    code, out, err = invoke("export", "--format", "pdf", "--entries", FIXTURE)
    assert (code, out) == (2, "")
    assert err.strip() == "error: --format pdf: use one of hsds, hsds-csv, csv, xlsx"
    (tmp_path / "file").write_text("x")
    code, out, err = invoke(
        "export", "--format", "hsds", "-o", tmp_path / "file", "--entries", FIXTURE
    )
    assert (code, out) == (1, "")
    target = tmp_path / "file"
    assert (
        err.strip()
        == f"error: cannot write into {target}: it is a file, not a folder: give a folder"
    )


# -- import ------------------------------------------------------------------


@pytest.mark.parametrize("source", ["fixture", "builtin"])
def test_round_trip_export_import_export(tmp_path: Path, source: str) -> None:
    args: tuple[str | Path, ...] = ("--entries", FIXTURE) if source == "fixture" else ()
    first = export(tmp_path, *args, name="first")
    new = tmp_path / "new"
    code, out, err = invoke("import", "--format", "hsds", first, "--entries", new)
    assert (code, err) == (0, "")
    count = 3 if source == "fixture" else 19
    assert out.split("\n")[0].startswith(
        f"Wrote {count} entries in {new}/, each marked needs_review"
    )
    assert invoke("validate", "--entries", new).code == 0
    again = export(tmp_path, "--entries", new, name="again")
    for name in hsds.file_names("json"):
        assert (first / name).read_text(encoding="utf-8") == (again / name).read_text(
            encoding="utf-8"
        )
    entry = (new / "maison-exemple.yaml").read_text(encoding="utf-8") if source == "fixture" else ""
    if source == "fixture":
        assert "needs_review:\n  - 'imported from HSDS data: check every fact" in entry
        assert "    type: whatsapp\n" in entry
        assert 'opens_at: "09:00"' in entry
        assert "closures:\n  - valid_from: 2024-12-24\n    valid_to: 2025-01-02\n" in entry


def test_import_reports_unknown_terms_and_unread_alerts(tmp_path: Path) -> None:
    folder = export(tmp_path, "--entries", FIXTURE)
    terms = _by(folder, "taxonomy_terms")
    terms.append(
        {"id": str(uuid.uuid4()), "code": "BD-1800", "name": "Food pantry", "description": "x"}
    )
    (folder / "taxonomy_terms.json").write_text(json.dumps(terms), encoding="utf-8")
    services = _by(folder, "services")
    attributes = _by(folder, "attributes")
    attributes.append(
        {"id": str(uuid.uuid4()), "link_id": services[1]["id"], "taxonomy_term_id": terms[-1]["id"]}
    )
    (folder / "attributes.json").write_text(json.dumps(attributes), encoding="utf-8")
    services[1]["alert"] = "Closed on bank holidays"
    (folder / "services.json").write_text(json.dumps(services), encoding="utf-8")
    new = tmp_path / "new"
    code, out, err = invoke("import", folder, "--entries", new)
    assert code == 0, err
    assert err.splitlines() == [
        "warning: projet-enfant: unknown term 'BD-1800' (no taxonomy)",
        "warning: projet-enfant: alert line without dates kept for review",
    ]
    text = (new / "projet-enfant.yaml").read_text(encoding="utf-8")
    import yaml

    data = yaml.safe_load(text)
    assert data["needs_review"] == [
        hsds.IMPORT_NOTE,
        "HSDS term 'BD-1800' (no taxonomy) has no calais-guide category: choose one",
        "HSDS alert not read as a dated closure: Closed on bank holidays",
    ]
    assert data["categories"] == ["children"]


def test_import_errors(tmp_path: Path) -> None:
    folder = export(tmp_path, "--entries", FIXTURE)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x").write_text("x")
    cases = [
        (
            ["import", folder, "--entries", busy],
            2,
            f"error: {busy} exists and is not empty: choose a new folder for --entries",
        ),
        (
            ["import", folder, "--entries", tmp_path / "n", "--format", "csv"],
            2,
            "error: --format csv: use hsds",
        ),
        (
            ["import", folder, "--entries", tmp_path / "n", "--lang", "xx"],
            2,
            "error: unknown language 'xx'",
        ),
        (
            ["import", tmp_path / "none", "--entries", tmp_path / "n"],
            2,
            f"error: {tmp_path / 'none'}: not a folder",
        ),
        (
            ["import", busy, "--entries", tmp_path / "n"],
            1,
            f"error: {busy}: no organizations.json: not an HSDS JSON export",
        ),
    ]
    for args, exit_code, message in cases:
        code, out, err = invoke(*args)
        assert (code, out) == (exit_code, ""), (args, err)
        assert err.startswith(message), (args, err)
    (folder / "phones.json").write_text("[{", encoding="utf-8")
    code, out, err = invoke("import", folder, "--entries", tmp_path / "n")
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {folder / 'phones.json'}: not JSON (")
    # data the validator refuses: nothing written
    (folder / "phones.json").write_text(
        json.dumps(
            [
                {
                    "id": str(uuid.uuid4()),
                    "number": "12",
                    "service_id": _by(folder, "services")[0]["id"],
                }
            ]
        ),
        encoding="utf-8",
    )
    code, out, err = invoke("import", folder, "--entries", tmp_path / "n")
    assert code == 1, err
    assert "maison-exemple.yaml" in err
    assert not (tmp_path / "n").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy", "out"]
