"""What goes on the pocket cards, how it is cut into sides, where the cards
sit on a sheet: everything that needs no PDF (fast)."""

from __future__ import annotations

import datetime as dt
import gettext
from pathlib import Path

import pytest

from calais_guide import i18n
from calais_guide.errors import RenderError, UsageError
from calais_guide.load import load_database
from calais_guide.model import Location, Schedule
from calais_guide.render import card_content, sheets
from calais_guide.render.card_content import (
    ESSENTIALS,
    Block,
    Stream,
    card_kinds,
    openings,
    plan,
)
from calais_guide.render.card_layout import Measures, pack

FIXTURE = Path(__file__).parent / "fixtures" / "cards"
JUNE = dt.date(2024, 6, 1)


@pytest.fixture(scope="module")
def db():
    return load_database(FIXTURE)


@pytest.fixture(autouse=True)
def _msgids(monkeypatch):
    """Interface strings as their English msgids, whatever catalogs ship:
    these tests are about what the cards say from the data."""
    monkeypatch.setattr("calais_guide.i18n.translations", lambda lang: gettext.NullTranslations())


def texts(line) -> str:
    """The main line as text (CLDR's thin spaces around dashes as spaces)."""
    return "".join(p.text for p in line.main).replace("\u2009", " ")


# -- which cards ---------------------------------------------------------------------


def test_default_set_is_essentials_then_edition_categories_with_entries(db):
    kinds, skipped = card_kinds(db)
    assert kinds == [ESSENTIALS, "food", "water", "health", "legal", "minors"]
    assert skipped == ["sea-safety"]  # in card_categories, but nobody offers it


def test_explicit_categories_are_kept_in_the_given_order(db):
    assert card_kinds(db, ["water", "essentials", "water"]) == (["water", ESSENTIALS], [])


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        (["wter"], "did you mean 'water'"),
        (["sea-safety"], "no entry offers 'sea-safety'"),
    ],
)
def test_bad_categories_are_refused(db, asked, message):
    with pytest.raises(UsageError, match=message):
        card_kinds(db, asked)


# -- content ------------------------------------------------------------------------


def test_essentials_lists_emergency_numbers_and_working_24_7_lines(db):
    view = plan(db, "fr")
    essentials = view.streams[0]
    assert [b.data.number for b in essentials.fixed] == [
        "112", "15", "17", "18", "114", "115", "119", "196",
    ]  # fmt: skip
    sms = [b.data for b in essentials.fixed if b.data.sms]
    assert [n.number for n in sms] == ["114"]
    lines = [b.data for b in essentials.flow if b.kind == "line"]
    assert [(line.name, line.phone.display) for line in lines] == [
        ("Accueil de Nuit Test", "03 53 01 00 01"),
        ("Refuge Mineurs Test", "03 53 01 00 04"),
    ]  # Douches Test is temporarily closed: its 24/7 line is not offered
    services = {b.data.category: b.data.names for b in essentials.flow if b.kind == "service"}
    assert services["water"] == ["Accueil de Nuit Test"]
    assert services["food"] == ["Accueil de Nuit Test", "Maraude Test"]


def test_thematic_card_lists_entries_with_where_when_and_phones(db):
    view = plan(db, "fr", ["water", "food"])
    water, food = view.streams
    heads = [b.data.name for b in water.flow if b.kind == "head"]
    assert heads == ["Accueil de Nuit Test", "Douches Test"]
    closed = next(b.data for b in water.flow if b.kind == "head" and b.entry == "douches-fermees")
    assert "15 mai" in texts(closed.alerts[0][0])
    assert texts(closed.alerts[0][1]) == "Fermées pour travaux"
    names = [b.data.name for b in food.flow if b.kind == "head"]
    assert "Ancienne Cantine Test" not in names  # closed for good: on no card
    when = [texts(b.data[0]) for b in food.flow if b.kind == "when" and b.entry == "accueil-nuit"]
    assert when == [
        "lun. – ven. 18:00 – 23:00",
        "sam. 14:00 – 18:00 Femmes seulement",
        "14 juil.: Closed · Fête nationale",
    ]
    phones = [b.data for b in food.flow if b.kind == "phone" and b.entry == "accueil-nuit"]
    assert [p.display for p in phones] == ["03 53 01 00 01", "+44 20 7946 0001"]
    assert [p.uri for p in phones] == ["tel:+33353010001", "tel:+442079460001"]


def test_hours_come_from_the_hours_module_with_seasonal_dates(db):
    maraude = db.get("maraude-test").locations[0]
    found = openings(maraude, JUNE, JUNE + dt.timedelta(days=card_content.VALIDITY_DAYS))
    assert [(o.weekdays, o.opens_at.hour, o.first, o.last) for o in found] == [
        ((0, 2, 4), 19, None, None),
        ((6,), 12, dt.date(2024, 7, 7), None),  # the Sunday round starts in July
    ]
    view = plan(db, "fr", ["food"])
    when = [texts(b.data[0]) for b in view.streams[0].flow if b.kind == "when"]
    assert "dim. 12:00 – 14:00 (7 juil. –)" in when


def test_a_schedule_ending_within_the_validity_says_until_when():
    loc = Location(
        kind="fixed",
        schedules=[
            Schedule(byday=["mo"], opens_at=dt.time(9), closes_at=dt.time(12)),
            Schedule(
                byday=["tu"],
                opens_at=dt.time(9),
                closes_at=dt.time(12),
                valid_to=dt.date(2024, 6, 30),
            ),
        ],
    )
    found = openings(loc, JUNE, JUNE + dt.timedelta(days=92))
    assert [(o.weekdays, o.first, o.last) for o in found] == [
        ((0,), None, None),
        ((1,), None, dt.date(2024, 6, 25)),
    ]


def test_unknown_hours_are_said_not_invented():
    view = plan(load_database(Path(__file__).parent / "fixtures" / "lookup-db"), "fr", ["food"])
    when = [
        texts(b.data[0])
        for b in view.streams[0].flow
        if b.kind == "when" and b.entry == "maraude-exemple"
    ]
    assert when == ["Hours not known: ask before you go"]


def test_texts_fall_back_with_marks(db):
    view = plan(db, "ar", ["legal", "water"])
    legal, water = view.streams
    head = next(b.data for b in legal.flow if b.kind == "head")
    [part] = head.summary.main
    assert (part.lang, part.dir, part.fallback, part.field) == ("fr", "ltr", True, "summary.fr")
    assert head.summary.own is part  # the line takes the text's own direction
    home = next(b.data for b in water.flow if b.kind == "head")
    [part] = home.summary.main
    assert (part.lang, part.dir, part.fallback) == ("ar", "rtl", False)
    assert view.fallback_note is not None
    fa = plan(db, "fa", ["water"])
    assert fa.drafts  # the Persian summary is a draft: footnote printed


def test_untranslated_interface_strings_are_tagged_english(db, monkeypatch):
    view = plan(db, "ar")
    [part] = view.ui["lines"].main
    assert (part.text, part.lang, part.dir) == ("24/7 lines", "en", "ltr")
    # "Edition of %(date)s": English words, the month in Arabic, each its own run.
    parts = view.ui["edition"].main
    assert [p.lang for p in parts] == ["en", "ar", "ar"]

    class Arabic(gettext.NullTranslations):
        def gettext(self, message):
            return {"24/7 lines": "خطوط على مدار الساعة"}.get(message, message)

    monkeypatch.setattr("calais_guide.i18n.translations", lambda lang: Arabic())
    [part] = plan(db, "ar").ui["lines"].main
    assert (part.lang, part.dir) == ("ar", "rtl")


def test_bilingual_lines_carry_french_with_its_own_language(db):
    view = plan(db, "ar", ["water"], bilingual=True)
    head = next(b.data for b in view.streams[0].flow if b.kind == "head")
    [main], [fr] = head.summary.main, head.summary.fr
    assert main.lang == "ar" and fr.lang == "fr" and fr.dir == "ltr"
    assert fr.text.startswith("Accueil de nuit fictif")
    assert fr.field == "summary.fr"
    # A text already shown in French is not repeated.
    legal = plan(db, "ar", ["legal"], bilingual=True).streams[0]
    assert next(b.data for b in legal.flow if b.kind == "head").summary.fr == ()
    # French cards have nothing to put beside.
    assert not plan(db, "fr", ["water"], bilingual=True).bilingual


def test_day_names_survive_babel_pashto_bug():
    # Babel 2.18 returns Pashto stand-alone day names for every locale once
    # Pashto's were asked in the process; cards use the format context.
    weekdays = ["mo", "tu", "we", "th", "fr"]
    assert i18n.days_text(weekdays, "ps", "abbreviated")
    assert i18n.days_text(weekdays, "ti", "abbreviated") == "ሰኑ – ዓር"
    assert i18n.days_text(weekdays, "fr", "abbreviated") == "lun. – ven."
    assert i18n.days_text(["mo", "we", "fr"], "fr", "abbreviated") == "lun., mer. et ven."


# -- cutting into sides ---------------------------------------------------------------


def _stream(heights: dict[str, float], keep: set[str] = frozenset(), kind="food") -> Stream:
    flow = [
        Block(key=k, kind="head" if k.endswith("head") else "phone", source=None,
              entry=k.split("/")[0], keep_with_next=k in keep)
        for k in heights
    ]  # fmt: skip
    continued = {
        b.entry: Block(key=f"{b.entry}/cont", kind="cont", source=None, entry=b.entry) for b in flow
    }
    return Stream(kind=kind, title=None, icon=kind, fixed=[], flow=flow, continued=continued)


def _sizes(heights: dict[str, float], header=8.0, footer=8.0) -> Measures:
    blocks = dict(heights)
    for key in heights:
        blocks[f"{key.split('/')[0]}/cont"] = 3.0
    return Measures(
        blocks=blocks,
        fields={k: {"summary.fr": 2} for k in blocks},
        header={"food": header},
        footer={"food": footer},
        fixed={},
    )


def test_blocks_fill_the_front_then_the_back_then_a_second_card(db):
    view = plan(db, "fr", ["food"])
    # A side holds 48 - 8 = 40 mm.
    heights = {f"e{i}/head": 15.0 for i in range(6)}
    found = pack(view, _stream(heights), _sizes(heights))
    assert [card.name for card in found] == ["food 1/2", "food 2/2"]
    sides = [[b.key for b in face.blocks] for c in found for face in (c.front, c.back)]
    assert sides == [
        ["e0/head", "e1/head"],
        ["e2/head", "e3/head"],
        ["e4/head", "e5/head"],
        [],
    ]
    assert found[1].front.header and found[1].back.footer


def test_an_entry_going_on_over_a_new_side_shows_its_name_again(db):
    view = plan(db, "fr", ["food"])
    heights = {"a/head": 20.0, "a/phone0": 15.0, "a/phone1": 15.0}
    found = pack(view, _stream(heights, keep={"a/head"}), _sizes(heights))
    assert [b.key for b in found[0].front.blocks] == ["a/head", "a/phone0"]
    assert [b.key for b in found[0].back.blocks] == ["a/cont", "a/phone1"]


def test_a_head_is_never_left_alone_at_the_bottom(db):
    view = plan(db, "fr", ["food"])
    heights = {"a/head": 30.0, "b/head": 8.0, "b/phone0": 10.0}
    found = pack(view, _stream(heights, keep={"b/head"}), _sizes(heights))
    assert [b.key for b in found[0].front.blocks] == ["a/head"]
    assert [b.key for b in found[0].back.blocks] == ["b/head", "b/phone0"]


def test_no_whole_side_is_left_empty_on_a_thematic_card(db):
    view = plan(db, "fr", ["food"])
    # Front holds 40 mm, back 36 mm: b's head and phone (38 mm together) fit
    # neither what is left of the front nor the back, so they go on over it.
    heights = {"a/head": 10.0, "b/head": 8.0, "b/phone0": 30.0}
    found = pack(view, _stream(heights, keep={"b/head"}), _sizes(heights, footer=12.0))
    sides = [[b.key for b in face.blocks] for c in found for face in (c.front, c.back)]
    assert sides == [["a/head"], ["b/head"], ["b/cont", "b/phone0"], []]


def test_essentials_leave_a_too_small_rest_of_front_for_the_back(db):
    view = plan(db, "fr", ["essentials"])
    essentials = view.streams[0]
    flow = [b for b in essentials.flow if b.kind in ("title", "line")]
    stream = Stream(
        kind=ESSENTIALS, title=essentials.title, icon=None, fixed=essentials.fixed, flow=flow
    )
    sizes = Measures(
        blocks={b.key: 4.0 if b.kind == "title" else 8.0 for b in flow},
        fields={},
        header={ESSENTIALS: 8.0},
        footer={ESSENTIALS: 8.0},
        fixed={ESSENTIALS: 30.0},  # leaves 10 mm under the emergency numbers
    )
    [card] = pack(view, stream, sizes)
    assert card.front.blocks == [] and card.front.fixed == essentials.fixed
    assert [b.kind for b in card.back.blocks] == ["title", "line", "line"]


def test_a_block_taller_than_any_side_fails_naming_entry_field_language_and_overflow(db):
    view = plan(db, "ti", ["food"])
    heights = {"maraude-test/head": 45.5}
    stream = _stream(heights)
    stream.flow[0] = Block(
        key="maraude-test/head", kind="head", source=FIXTURE / "maraude-test.yaml",
        entry="maraude-test",
    )  # fmt: skip
    sizes = _sizes(heights)
    sizes.fields["maraude-test/head"] = {"summary.ti": 9, "name": 1}
    with pytest.raises(RenderError) as err:
        pack(view, stream, sizes)
    message = str(err.value)
    assert "'food' card in ti" in message
    assert "entry 'maraude-test' (maraude-test.yaml)" in message
    assert "field summary.ti (9 lines" in message
    assert "by 5.5 mm" in message  # 45.5 mm in a 40 mm side


# -- sheets ------------------------------------------------------------------------


def test_eight_cards_per_sheet_and_spare_copies_fill_the_last():
    placed = sheets.placements(6)
    assert len(placed) == 8 and {p.sheet for p in placed} == {0}
    assert [(p.card, p.copy) for p in placed] == [
        (0, False), (1, False), (2, False), (3, False), (4, False), (5, False),
        (0, True), (1, True),
    ]  # fmt: skip
    nine = sheets.placements(9)
    assert sheets.sheet_count(9) == 2 and len(nine) == 16
    assert [p.card for p in nine if p.sheet == 1][:2] == [8, 0]


def test_cards_are_id1_and_the_grid_is_centred_on_a4():
    rects = [sheets.slot_rect(s) for s in range(8)]
    for r in rects:
        assert (round(r.width, 2), round(r.height, 2)) == (85.6, 54.0)
    left, top = min(r.x for r in rects), min(r.y for r in rects)
    right, bottom = max(r.right for r in rects), max(r.bottom for r in rects)
    assert round(left, 2) == round(210 - right, 2) == 19.4
    assert round(top, 2) == round(297 - bottom, 2) == 40.5
    # Cards touch: one cut between neighbours.
    assert rects[0].right == rects[1].x and rects[0].bottom == rects[2].y


def test_backs_mirror_fronts_for_a_long_edge_flip():
    for slot in range(8):
        front, back = sheets.slot_rect(slot), sheets.slot_rect(slot, back=True)
        # Turning the sheet over its long (vertical) edge maps x to 210 - x.
        assert round(210 - back.right, 6) == round(front.x, 6)
        assert back.y == front.y
    assert sheets.slot_rect(0, back=True).x == sheets.slot_rect(1).x


def test_crop_marks_stay_in_the_margins():
    xs, ys = sheets.cut_lines()
    assert len(xs) == 3 and len(ys) == 5
    grid_left, grid_right, grid_top, grid_bottom = xs[0], xs[-1], ys[0], ys[-1]
    marks = sheets.crop_marks()
    assert len(marks) == 2 * len(xs) + 2 * len(ys)
    for (xa, ya), (xb, yb) in marks:
        for x, y in ((xa, ya), (xb, yb)):
            assert 0 < x < 210 and 0 < y < 297
            outside = (
                x <= grid_left - 1
                or x >= grid_right + 1
                or y <= grid_top - 1
                or (y >= grid_bottom + 1)
            )
            assert outside, (x, y)
