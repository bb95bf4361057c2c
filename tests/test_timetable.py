"""The week at a glance: which association is open for which need, day by
day, from calais_guide.hours (the one truth), in the booklet and as the
``timetable`` poster (A4/A3 landscape). The card fixture has real weekly
hours, a seasonal slot, a day off, a dated closure, a temporarily closed
entry, one closed for good and one whose address and times are given by
phone; the built-in edition has no hours and says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pymupdf
import pytest

from calais_guide import hours
from calais_guide.build import plan
from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.render.timetable import week

from .conftest import copy_guide, edit_entry, invoke

FIXTURE = Path(__file__).parent / "fixtures" / "cards"
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def cell(w, need: str, day: int) -> list[tuple[str, str, str]]:
    row = dict(w.rows)[need]
    return [
        (o.entry, o.opens_at.strftime("%H:%M"), o.closes_at.strftime("%H:%M")) for o in row[day]
    ]


def test_right_associations_under_the_right_days_and_times():
    w = week(load_database(FIXTURE))
    assert (w.start, w.end) == (dt.date(2024, 6, 1), dt.date(2024, 8, 31))
    assert [need for need, _ in w.rows] == ["health", "food", "water", "legal", "women"]
    assert cell(w, "food", MON) == [
        ("accueil-nuit", "18:00", "23:00"),
        ("maraude-test", "19:00", "21:00"),
    ]
    assert cell(w, "food", TUE) == [("accueil-nuit", "18:00", "23:00")]
    assert cell(w, "food", SAT) == [("accueil-nuit", "14:00", "18:00")]
    assert cell(w, "food", SUN) == [("maraude-test", "12:00", "14:00")]
    assert cell(w, "health", TUE) == cell(w, "health", THU) == [("clinique-test", "13:00", "17:00")]
    assert cell(w, "health", MON) == cell(w, "health", WED) == []
    assert cell(w, "legal", TUE) == [("permanence-juridique", "09:30", "12:30")]
    assert [cell(w, "legal", d) for d in (MON, WED, THU, FRI, SAT, SUN)] == [[]] * 6
    # The same opening under each need the entry offers.
    assert cell(w, "women", SAT) == cell(w, "food", SAT)


def test_seasonal_slots_notes_and_dates():
    w = week(load_database(FIXTURE))
    sunday = dict(w.rows)["food"][SUN][0]
    # valid from 1 July (a Monday): the first Sunday it happens is 7 July
    assert (sunday.first, sunday.last) == (dt.date(2024, 7, 7), None)
    saturday = dict(w.rows)["food"][SAT][0]
    assert saturday.note["fr"].text == "Femmes seulement"
    assert dict(w.rows)["food"][MON][0].first is None


def test_closures_exceptions_and_services_without_hours_are_listed_apart():
    w = week(load_database(FIXTURE))
    assert [(c.entry, c.first, c.last, c.closed) for c in w.changes] == [
        ("accueil-nuit", dt.date(2024, 7, 14), dt.date(2024, 7, 14), True),
        ("clinique-test", dt.date(2024, 8, 5), dt.date(2024, 8, 18), True),
    ]
    assert [entry for entry, *_ in w.closed] == ["douches-fermees"]
    assert all(
        "douches-fermees" not in [o.entry for day in days for o in day] for _, days in w.rows
    )
    assert set(dict(w.ask)) == {"shelter", "minors"}
    assert [(a.entry, a.why) for a in dict(w.ask)["minors"]] == [("refuge-mineurs", "confidential")]
    everything = [o.entry for _, days in w.rows for day in days for o in day]
    assert "ancienne-cantine" not in everything  # closed for good


def test_the_grid_agrees_with_hours_day_by_day():
    """Every opening of the grid is what calais_guide.hours says on some day
    of that weekday, and every slot hours gives is in the grid."""
    db = load_database(FIXTURE)
    w = week(db)
    listed = {
        (o.entry, day, o.opens_at, o.closes_at)
        for _, days in w.rows
        for day, found in enumerate(days)
        for o in found
    }
    seen = set()
    date = w.start
    while date <= w.end:
        for e in db.entries:
            if e.status != "active":
                continue
            for loc in e.locations:
                for slot in hours.day_hours(loc, date, e).slots:
                    if hours.exception_on(loc, date) is None:
                        seen.add((e.id, date.weekday(), slot.opens_at, slot.closes_at))
        date += dt.timedelta(days=1)
    assert listed == seen


def test_a_closure_covering_the_edition_empties_the_grid_of_that_entry(tmp_path):
    root = copy_guide(FIXTURE, tmp_path)

    def close(data):
        data["closures"] = [{"valid_from": "2024-05-01", "valid_to": "2024-09-30"}]

    edit_entry(root, "permanence-juridique", close)
    w = week(load_database(root))
    assert "legal" not in dict(w.rows)
    assert [c.entry for c in w.changes if c.entry == "permanence-juridique"] == [
        "permanence-juridique"
    ]


def test_builtin_edition_has_no_hours_and_says_so():
    w = week(load_database(builtin_entries()))
    assert not w.has_hours and w.rows == []
    assert len(w.ask) >= 15  # every need, with its associations to ask


# -- the poster ------------------------------------------------------------------------


def _black(fill: tuple[float, ...] | None) -> bool:
    """Black ink (device-cmyk 0 0 0 1), as PyMuPDF shows it in RGB: a dark
    neutral, about (0.14, 0.12, 0.13)."""
    return fill is not None and max(fill) < 0.2 and max(fill) - min(fill) < 0.05


def columns(doc, page: int, rtl: bool) -> tuple[list[tuple[float, float]], float]:
    """The seven day columns (Monday first) from the black header cells, and
    the bottom of the header row."""
    cells = [
        d["rect"]
        for d in doc[page].get_drawings()
        if _black(d.get("fill")) and len(d["items"]) == 1 and d["rect"].width > 50
    ]
    rows: dict[int, list] = {}
    for r in cells:
        rows.setdefault(round(r.y0), []).append(r)
    [row] = [r for r in rows.values() if len(r) == 7]
    row = sorted(row, key=lambda r: r.x0, reverse=rtl)
    assert len(row) == 7, row
    return [(r.x0, r.x1) for r in row], row[0].y1


@pytest.mark.pdf
@pytest.mark.parametrize("lang", ["fr", "ar", "ti"])
def test_poster_puts_names_under_their_days(tmp_path, lang):
    out = tmp_path / f"{lang}.pdf"
    code, stdout, stderr = invoke("timetable", "--lang", lang, "--entries", FIXTURE, "-o", out)
    assert (code, stderr) == (0, "")
    assert f"{out}: {lang}, 1 page(s) A4 landscape" in stdout
    doc = pymupdf.open(out)
    assert len(doc) == 1
    assert (round(doc[0].rect.width), round(doc[0].rect.height)) == (842, 595)
    days, grid_top = columns(doc, 0, rtl=lang == "ar")

    # words, not lines: names at the same height in two cells may share a line
    need_cells = [
        d["rect"]
        for d in doc[0].get_drawings()
        if d.get("fill")
        and not _black(d["fill"])
        and len(set(d["fill"])) > 1
        and len(d["items"]) == 1
    ]
    grid_bottom = max(r.y1 for r in need_cells)
    words = [w for w in doc[0].get_text("words") if grid_top < w[1] < grid_bottom]

    def days_of(name: str) -> list[int]:
        found = []
        for x0, _, x1, _, word, *_ in words:
            if word == name:
                found += [n for n, (a, b) in enumerate(days) if a - 1 <= x0 and x1 <= b + 1]
        return found

    assert days_of("Permanence") == [TUE]  # one need (legal), one day
    assert sorted(days_of("Clinique")) == [TUE, THU]
    # under food, water and women: the same days in each row
    assert sorted(days_of("Accueil")) == sorted(3 * [MON, TUE, WED, THU, FRI, SAT])
    assert sorted(days_of("Maraude")) == [MON, WED, FRI, SUN]
    text = " ".join(doc[0].get_text().split())
    assert "Douches" in text  # closed during the edition, said
    assert "Ancienne" not in text  # closed for good: not there


@pytest.mark.pdf
def test_poster_of_the_builtin_edition_says_no_hours_are_known(tmp_path):
    from calais_guide.i18n import translations

    out = tmp_path / "ps.pdf"
    code, stdout, stderr = invoke("timetable", "--lang", "ps", "-o", out)
    assert (code, stderr) == (0, "")
    assert "(no opening hours known: says so)" in stdout
    doc = pymupdf.open(out)
    assert len(doc) == 1
    said = translations("ps").gettext(
        "No opening hours are known for this edition: ask the associations for their times."
    )
    text = " ".join(doc[0].get_text().split())
    assert "Utopia 56" in text and "Alarm Phone" in text
    assert (
        said != "No opening hours are known for this edition: ask the associations for their times."
    )
    for word in ("112", "115", "196"):
        assert word in text


@pytest.mark.pdf
def test_poster_a3_and_bilingual(tmp_path):
    out = tmp_path / "ti-a3.pdf"
    code, stdout, stderr = invoke(
        "timetable", "--lang", "ti", "--bilingual", "--size", "a3", "--entries", FIXTURE, "-o", out
    )
    assert (code, stderr) == (0, "")
    doc = pymupdf.open(out)
    assert (round(doc[0].rect.width), round(doc[0].rect.height)) == (1191, 842)
    text = " ".join(doc[0].get_text().split())
    assert "mardi" in text and "La semaine d'un coup d'œil" in text  # French under Tigrinya


@pytest.mark.parametrize(
    "args, message",
    [
        (["--size", "A5"], "--size A5: use A4 or A3"),
        (["--lang", "fr", "--bilingual"], "--bilingual prints the poster's language beside French"),
    ],
)
def test_poster_refuses_bad_options(tmp_path, args, message):
    code, stdout, stderr = invoke(
        "timetable", *args, "--entries", FIXTURE, "-o", tmp_path / "x.pdf"
    )
    assert code == 2
    assert message in stderr
    assert not (tmp_path / "x.pdf").exists()


def test_default_name_and_all_languages_go_through_the_registry(tmp_path, monkeypatch):
    from calais_guide import products

    product = products.get("timetable")
    assert product.file_name("ar", "2024-06", ["bilingual", "a3"]) == (
        "timetable-2024-06-ar-bilingual-a3.pdf"
    )
    assert product.print_run and product.layouts == ("timetable",)


def test_build_plans_a_timetable_for_every_language(tmp_path):
    db = load_database(FIXTURE)
    decided = plan(db, list(db.edition.languages), tmp_path / "out", previous={})
    assert all("timetable" in kinds for kinds in decided.render.values())
    assert set(decided.render) == set(db.edition.languages)
