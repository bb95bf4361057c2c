"""The call sheet of the quarterly phone round: ``calais-guide edition calls``.

Order (never verified, then oldest verification first), the facts it
repeats, the CSV variant, errors; the PDF measured as a coordinator holds
it: each association's block on one page, type at least 10 pt, ruled lines
to write on.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from calais_guide.editions.calls import word

from .conftest import copy_guide, edit_entry, invoke
from .pdfcheck import MM, lines

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "open-data"


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def staggered(tmp_path: Path) -> Path:
    """The fixture guide with three different verification states."""
    db = copy_guide(FIXTURE, tmp_path)

    def never(data: Any) -> None:
        del data["assured_date"], data["assurer"]

    edit_entry(db, "equipe-mobile", never)
    edit_entry(db, "projet-enfant", lambda d: d.update(assured_date="2024-01-10", assurer="Sam"))
    return db


def calls(*args: str | Path) -> tuple[int, str, str]:
    return invoke("edition", "calls", *args)


def test_csv_order_and_facts(staggered: Path, tmp_path: Path) -> None:
    target = tmp_path / "calls.csv"
    code, out, err = calls("--format", "csv", "-o", target, "--entries", staggered)
    assert (code, err) == (0, ""), err
    assert out.splitlines() == [
        f"{target}: 3 associations, 1 KB",
        "After each call: calais-guide verify ID --by NAME --date YYYY-MM-DD "
        f"--entries {staggered}",
    ]
    rows = read_csv(target)
    # Never verified first, then the oldest verification.
    assert [r["id"] for r in rows] == ["equipe-mobile", "projet-enfant", "maison-exemple"]
    assert list(rows[0]) == [
        "id", "nom", "statut", "dernière vérification", "vérifiée par", "téléphones",
        "e-mails", "sites", "lieux", "horaires", "jours particuliers", "fermetures",
        "changements", "vérifiée le", "par",
    ]  # fmt: skip
    mobile, projet, maison = rows
    assert (mobile["dernière vérification"], mobile["vérifiée par"]) == ("Jamais vérifiée", "")
    assert mobile["lieux"] == "Équipe mobile sur les lieux de vie (Lieux de vie du Calaisis)"
    assert mobile["horaires"] == "lundi, mercredi et vendredi 18:00\u2009–\u200920:00"
    assert mobile["téléphones"] == "06 00 00 00 00 (SMS)"
    assert (projet["dernière vérification"], projet["vérifiée par"]) == ("2024-01-10", "Sam")
    # What the booklet prints for a confidential place, never an address.
    assert projet["lieux"] == "Adresse donnée par téléphone (Lieu communiqué par téléphone)"
    assert maison["téléphones"] == (
        "03 21 00 00 00 (Joignable jour et nuit, 7 jours sur 7; ar, fa)\n"
        "+44 20 7946 0000 (WhatsApp)"
    )
    assert maison["e-mails"] == "contact@example.org"
    assert maison["lieux"] == "Maison Exemple: 1 rue de l'Exemple, 62100 Calais"
    assert maison["horaires"].startswith("lundi – vendredi 09:00")
    assert maison["jours particuliers"] == "1–15 août 2024: Fermé (Congés d'été)"
    assert maison["fermetures"] == "24 déc. 2024\u2009–\u20092 janv. 2025: Fermé pour les fêtes"
    for row in rows:
        assert row["changements"] == row["vérifiée le"] == row["par"] == ""


def test_csv_in_english_and_on_standard_output(staggered: Path) -> None:
    code, out, err = calls("-f", "csv", "-l", "en", "-o", "-", "--entries", staggered)
    assert code == 0, err
    assert out.lstrip("\ufeff").splitlines()[0] == (
        "id,name,status,last verified,verified by,phones,e-mails,websites,places,hours,"
        "special days,closures,changes,verified on,by"
    )
    assert "Never verified" in out
    assert "Mobile team on the living sites" in out
    assert err.startswith("-: 3 associations")
    assert "calais-guide verify ID --by NAME" in err


def test_several_places_are_numbered_in_the_csv(tmp_path: Path) -> None:
    db = copy_guide(FIXTURE, tmp_path)
    edit_entry(
        db,
        "maison-exemple",
        lambda d: d["locations"].append({"kind": "mobile", "description": {"fr": "Plage"}}),
    )
    target = tmp_path / "c.csv"
    assert calls("-f", "csv", "-o", target, "--entries", db)[0] == 0
    maison = next(r for r in read_csv(target) if r["id"] == "maison-exemple")
    assert maison["lieux"].splitlines() == [
        "(1) Maison Exemple: 1 rue de l'Exemple, 62100 Calais",
        "(2) Équipe mobile sur les lieux de vie (Plage)",
    ]
    assert maison["horaires"].splitlines()[-1] == (
        "(2) Horaires inconnus : renseignez-vous avant d'y aller"
    )


def test_builtin_edition_keeps_the_edition_order_for_equal_dates(tmp_path: Path) -> None:
    target = tmp_path / "c.csv"
    code, out, err = calls("-f", "csv", "-o", target)
    assert code == 0, err
    rows = read_csv(target)
    assert len(rows) == 19
    assert {r["dernière vérification"] for r in rows} == {"2023-03-01"}
    assert rows[0]["id"] == "auberge-des-migrants"


def test_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = calls("--lang", "ar", "--entries", FIXTURE)
    assert (code, out) == (2, "")
    assert err.strip() == "error: --lang ar: the call sheet is written in fr or en"
    code, out, err = calls("--format", "docx", "--entries", FIXTURE)
    assert (code, out) == (2, "")
    assert "'docx' is not one of 'pdf', 'csv'" in " ".join(err.split())
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "calls.csv"
    code, out, err = calls("-f", "csv", "-o", target, "--entries", FIXTURE)
    assert (code, out) == (1, "")
    assert err.strip() == (
        f"error: cannot write {target}: {tmp_path / 'file'} is a file, not a folder: "
        "choose another path"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_help_says_verify_stamps_each() -> None:
    code, out, err = invoke("edition", "calls", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert "calais-guide verify ID --by NAME --date YYYY-MM-DD" in text
    assert "oldest verification first" in text


# -- the PDF -------------------------------------------------------------------


def _rules(page: Any) -> list[float]:
    """Heights of the full-width ruled lines: WeasyPrint draws a bottom border
    as two rectangles (outside, inside) filled even-odd; the rule is their
    difference, at the bottom."""
    found = []
    for drawing in page.get_drawings():
        rects = [item[1] for item in drawing["items"] if item[0] == "re"]
        if len(rects) != 2 or min(r.width for r in rects) < 120 * MM:
            continue
        outer, inner = sorted(rects, key=lambda r: r.height, reverse=True)
        if outer.y0 == inner.y0 and 0.1 < outer.y1 - inner.y1 < 1.5:
            found.append(outer.y1)
    return found


def blocks(pdf: Path, lang: str = "fr") -> list[dict[str, Any]]:
    """Each association's block: page of its name, of its "what changed" label,
    of its "verified on" line, and the ruled lines between those two."""
    doc = pymupdf.open(pdf)
    changes = word("changes", lang) + word("colon", lang)
    checked = word("checked", lang).split(" ")[0]
    found: list[dict[str, Any]] = []
    for page in range(len(doc)):
        rules = sorted(_rules(doc[page]))
        for line in lines(doc, page):
            if 13.5 < line.sizes[0][1] < 15:  # the name (h2), then maybe its other name
                found.append({"name": line.text, "name_page": page})
            elif line.text == changes:
                found[-1].update(changes_page=page, changes_y=line.y1)
            elif line.text.startswith(checked):
                block = found[-1]
                block.update(check_page=page, check_y=line.y0)
                block["rules"] = [y for y in rules if block["changes_y"] < y < line.y0]
    return found


@pytest.mark.pdf
def test_pdf_blocks_never_break_and_leave_room_to_write(tmp_path: Path) -> None:
    target = tmp_path / "calls.pdf"
    code, out, err = calls("-o", target)
    assert (code, err) == (0, ""), err
    assert out.splitlines()[0].startswith(f"{target}: 19 associations, 10 A4 page(s), ")
    doc = pymupdf.open(target)
    assert {(round(p.rect.width / MM), round(p.rect.height / MM)) for p in doc} == {(210, 297)}
    found = blocks(target)
    assert len(found) == 19
    for block in found:
        assert block["name_page"] == block["changes_page"] == block["check_page"], block
        assert len(block["rules"]) >= 4, block
        gaps = [b - a for a, b in zip(block["rules"], block["rules"][1:], strict=False)]
        assert min(gaps) >= 7.5 * MM, block
        assert (
            block["check_y"] - block["rules"][-1] >= 0
            and block["rules"][-1] - block["changes_y"] >= 30 * MM
        )
    sizes = [line.size for page in range(len(doc)) for line in lines(doc, page)]
    assert min(sizes) >= 10 - 0.05, min(sizes)
    # The same order as the CSV (the built-in edition: edition order).
    csv_target = tmp_path / "calls.csv"
    assert calls("-f", "csv", "-o", csv_target)[0] == 0
    names = [r["nom"] for r in read_csv(csv_target)]
    assert all(b["name"].startswith(n) for b, n in zip(found, names, strict=True)), found


@pytest.mark.pdf
def test_pdf_of_the_fixture_guide(staggered: Path, tmp_path: Path) -> None:
    target = tmp_path / "calls-en.pdf"
    code, out, err = calls("-l", "en", "-o", target, "--entries", staggered)
    assert code == 0, err
    found = blocks(target, "en")
    assert [b["name"] for b in found] == [
        "Équipe Mobile Test",
        "Projet Enfant",
        "Maison Exemple (MEX)",
    ]
    doc = pymupdf.open(target)
    text = "".join(page.get_text() for page in doc)
    for fact in (
        "Never verified",
        "Verified on 2024-01-10 by Sam",
        "Mobile team on the living sites",
        "Address given by phone",
        "Dec 24, 2024",
        "Fermé pour les fêtes",
        "Saturday 10:00",
        "calais-guide verify ID --by NAME --date YYYY-MM-DD --entries",
    ):
        assert fact in " ".join(text.split()), fact
    # Numbers to dial: large and bold.
    numbers = [
        line
        for page in range(len(doc))
        for line in lines(doc, page)
        if line.text.startswith(("03 21", "+44 20", "06 00"))
    ]
    assert len(numbers) == 4
    for line in numbers:
        number_size = line.sizes[0][1]
        assert number_size >= 12.9
    assert len(doc) == 2


def test_status_is_said_when_not_active(tmp_path: Path) -> None:
    db = copy_guide(FIXTURE, tmp_path)
    edit_entry(db, "equipe-mobile", lambda d: d.update(status="closed"))
    target = tmp_path / "c.csv"
    assert calls("-f", "csv", "-o", target, "--entries", db)[0] == 0
    statuses = {r["id"]: r["statut"] for r in read_csv(target)}
    assert statuses["maison-exemple"] == "En activité"
    assert statuses["equipe-mobile"] != "En activité"
    assert statuses["equipe-mobile"].startswith("Fermé")
