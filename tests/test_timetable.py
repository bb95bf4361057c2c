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

from . import pdfcheck
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


def columns(doc, page: int, days: list[str]) -> dict[str, tuple[float, float]]:
    heads = {ln.text: ln for ln in pdfcheck.lines(doc, page) if ln.text in days}
    assert len(heads) == 7, heads.keys()
    xs = sorted(heads.values(), key=lambda ln: ln.x0)
    edges = [(a.x0 + b.x0) / 2 for a, b in zip(xs, xs[1:], strict=False)]
    spans = {}
    for n, ln in enumerate(xs):
        left = edges[n - 1] if n else ln.x0 - 40
        right = edges[n] if n < len(edges) else ln.x1 + 40
        spans[ln.text] = (left, right)
    return spans


@pytest.mark.pdf
@pytest.mark.parametrize("lang", ["fr", "ar", "ti"])
def test_poster_puts_names_under_their_days(tmp_path, lang):
    from calais_guide import i18n

    out = tmp_path / f"{lang}.pdf"
    code, stdout, stderr = invoke("timetable", "--lang", lang, "--entries", FIXTURE, "-o", out)
    assert (code, stderr) == (0, "")
    assert f"{out}: {lang}, 1 page(s) A4 landscape" in stdout
    doc = pymupdf.open(out)
    assert len(doc) == 1
    assert (round(doc[0].rect.width), round(doc[0].rect.height)) == (842, 595)
    names = [i18n.day_name(d, lang) for d in ("mo", "tu", "we", "th", "fr", "sa", "su")]
    spans = columns(doc, 0, names)
    grid_top = min(ln.y1 for ln in pdfcheck.lines(doc, 0) if ln.text in names)
    legal = [
        ln for ln in pdfcheck.lines(doc, 0) if ln.text.startswith("Permanence") and ln.y0 > grid_top
    ]
    assert len(legal) == 1  # Tuesday only
    tuesday = spans[names[TUE]]
    assert tuesday[0] <= legal[0].x0 and legal[0].x1 <= tuesday[1] + 1
    clinic = [
        ln for ln in pdfcheck.lines(doc, 0) if ln.text.startswith("Clinique") and ln.y0 > grid_top
    ]
    inside = sorted(
        next(name for name, (a, b) in spans.items() if a <= ln.x0 <= b) for ln in clinic
    )
    # the grid (Tuesday, Thursday) and the dated closure below it (Aug 5-18)
    assert names[TUE] in inside and names[THU] in inside
    assert names[MON] not in inside and names[WED] not in inside
    if lang in ("ar",):  # the week runs from the right
        assert spans[names[MON]][0] > spans[names[SUN]][0]
    else:
        assert spans[names[MON]][0] < spans[names[SUN]][0]
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
