"""Search: folding, ranking, typos, category words in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.search import (
    build_index,
    category_of,
    fold,
    load_search_words,
    search,
    search_words_path,
    words,
)
from calais_guide.vocabulary import CATEGORIES

FIXTURE = Path(__file__).parent / "fixtures" / "lookup-db"
LANGS = ("en", "fr", "ar", "fa", "ps", "ckb", "ti", "am")


@pytest.fixture(scope="module")
def builtin():
    return build_index(load_database(builtin_entries()), load_search_words())


@pytest.fixture(scope="module")
def fixture_index():
    return build_index(load_database(FIXTURE), load_search_words())


def ids(index, query: str) -> list[str]:
    return [hit.id for hit in search(index, query).hits]


# -- folding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Médecins", "MEDECINS"),
        ("hébergement", "HEBERGEMENT"),
        ("cœur", "coeur"),
        ("ﬁlles", "filles"),  # ligature
        ("مرکز", "مركز"),  # Persian keheh / Arabic kaf
        ("آزمایشی", "آزمايشي"),  # Persian yeh / Arabic yeh
        ("مستشفى", "مستشفي"),  # alef maksura / yeh
        ("أطباء", "اطباء"),  # alef with hamza / bare alef
        ("إسعاف", "اسعاف"),
        ("آب", "اب"),  # alef with madda
        ("أطبـــاء", "أطباء"),  # tatweel
        ("طَبِيب", "طبيب"),  # harakat
        ("عيادة", "عياده"),  # teh marbuta / heh
        ("می‌کنند", "میکنند"),  # ZWNJ
        ("٣٠", "30"),  # Arabic-Indic digits
        ("۱۱۵", "115"),  # Persian digits
        ("ሓኪም", "ሐኪም"),  # Tigrinya / Amharic spelling of "doctor"
        ("ሀኪም", "ሐኪም"),
        ("ጸሓይ", "ፀሐይ"),
    ],
)
def test_fold_makes_variants_equal(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    ("a", "b"), [("eau", "beau"), ("ماء", "مال"), ("ማይ", "ሻይ"), ("pain", "pan")]
)
def test_fold_keeps_different_words_apart(a: str, b: str) -> None:
    assert fold(a) != fold(b)


def test_words_split_on_punctuation_and_bidi_marks() -> None:
    assert words("L'eau, potable ; ici!") == ["l", "eau", "potable", "ici"]
    assert words("\u2067مياه\u2069 الشرب") == [fold("مياه"), fold("الشرب")]
    assert words("ማይ። ምግቢ፣") == ["ማይ", "ምግቢ"]


# -- the built-in guide ----------------------------------------------------------------


def test_accent_and_case_insensitive(builtin) -> None:
    found = ids(builtin, "medecin")
    assert found[:2] == ["medecins-du-monde", "medecins-sans-frontieres"]
    assert ids(builtin, "MÉDECINS DU MONDE")[0] == "medecins-du-monde"
    assert ids(builtin, "EAU") == ["calais-food-collective"]


@pytest.mark.parametrize(
    "word", ["water", "eau", "EAU", "ماء", "مياه", "آب", "اوبه", "ئاو", "ማይ", "ውሃ"]
)
def test_water_words_of_every_language_find_the_water_point(builtin, word: str) -> None:
    result = search(builtin, word)
    assert [h.id for h in result.hits] == ["calais-food-collective"]
    assert result.hits[0].reasons[0] == "category:water"


@pytest.mark.parametrize(
    "word", ["doctor", "médecin", "طبيب", "دکتر", "دكتر", "ډاکټر", "دکتۆر", "ሓኪም", "ሐኪም"]
)
def test_doctor_words_find_health_services(builtin, word: str) -> None:
    found = ids(builtin, word)
    assert {"medecins-du-monde", "croix-rouge-francaise", "utopia-56"} <= set(found)


@pytest.mark.parametrize("word", ["charge", "recharge", "شحن", "شارژ", "چارج", "ቻርጅ"])
def test_charging_words(builtin, word: str) -> None:
    assert set(ids(builtin, word)) >= {
        "care4calais",
        "channel-info-project",
        "croix-rouge-francaise",
    }


def test_a_question_typed_as_said(builtin) -> None:
    result = search(builtin, "Where can I charge my phone today?")
    assert result.words == ["charge", "phone"]
    assert {h.id for h in result.hits[:3]} == {
        "care4calais",
        "channel-info-project",
        "croix-rouge-francaise",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [("medcin", "medecins-du-monde"), ("utopai", "utopia-56"), ("woodyrad", "woodyard")],
)
def test_typos_are_tolerated(builtin, query: str, expected: str) -> None:
    result = search(builtin, query)
    assert result.fuzzy
    assert expected in [h.id for h in result.hits[:2]]


def test_short_words_are_not_fuzzed_and_nonsense_finds_nothing(builtin) -> None:
    assert ids(builtin, "zzz") == []
    result = search(builtin, "xylophone")
    assert result.hits == [] and result.unmatched == ["xylophone"]


def test_phrases_match_whole(builtin) -> None:
    result = search(builtin, "sleeping bag")
    assert result.unmatched == []
    assert "salam" in [h.id for h in result.hits]
    assert result.hits[0].reasons[0] == "category:material"


def test_entries_matching_more_words_rank_first(builtin) -> None:
    found = ids(builtin, "médecins monde")
    assert found[0] == "medecins-du-monde"


# -- Arabic-script normalisation on the fixture ----------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("مرکز", "accueil-exemple"),  # Persian kaf finds Arabic spelling (and Persian)
        ("مركز", "accueil-exemple"),
        ("آزمايشي", "accueil-exemple"),  # Arabic yeh finds Persian text
        ("اطباء", "clinique-exemple"),  # no hamza, no tatweel finds أطبـاء
        ("میکنند", "clinique-exemple"),  # without ZWNJ finds می‌کنند
        ("الهواتف", "accueil-exemple"),
        ("هواتف", "accueil-exemple"),  # without the article
    ],
)
def test_arabic_and_persian_spellings_meet(fixture_index, query: str, expected: str) -> None:
    assert ids(fixture_index, query)[0] == expected


def test_place_names_and_alternate_names_are_searched(fixture_index) -> None:
    assert ids(fixture_index, "clex") == ["clinique-exemple"]
    assert "accueil-exemple" in ids(fixture_index, "rue de l'exemple")
    assert ids(fixture_index, "douches seulement")[0] == "accueil-exemple"


# -- the search vocabulary -----------------------------------------------------------


def test_every_category_has_words_and_core_ones_in_every_language() -> None:
    raw = yaml.safe_load(search_words_path().read_text(encoding="utf-8"))
    assert set(raw["categories"]) == set(CATEGORIES)
    for category, by_lang in raw["categories"].items():
        assert set(by_lang) <= set(LANGS), category
        assert {"en", "fr"} <= set(by_lang), category
    for category in ("food", "water", "health", "shelter", "legal", "phone-charging", "women"):
        assert set(raw["categories"][category]) == set(LANGS), category
    assert set(raw["ignore"]) == set(LANGS)


def test_category_words_name_one_category_each() -> None:
    owners: dict[str, set[str]] = {}
    for category, terms in load_search_words().categories.items():
        for term in terms:
            owners.setdefault(term, set()).add(category)
    shared = {t: c for t, c in owners.items() if len(c) > 1}
    assert shared == {}, "a word must mean one category"


def test_no_ignored_word_is_a_category_word() -> None:
    search_words = load_search_words()
    terms = {t for terms in search_words.categories.values() for t in terms}
    assert not (terms & search_words.ignore)


@pytest.mark.parametrize(
    ("text", "category"),
    [("eau", "water"), ("ماء", "water"), ("آب", "water"), ("Water", "water"),
     ("phone-charging", "phone-charging"), ("Wi-Fi", "wifi"), ("ሓኪም", "health"), ("nothing", None)],
)  # fmt: skip
def test_category_of(text: str, category: str | None) -> None:
    assert category_of(load_search_words().categories, text) == category


def test_unquoted_yes_no_words_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "words.yaml"
    bad.write_text("categories:\n  water:\n    en: [water, on]\nignore: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="quote"):
        load_search_words(bad)
    bad.write_text("categories:\n  watter:\n    en: [water]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="watter"):
        load_search_words(bad)
