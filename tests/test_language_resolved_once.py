"""A language is resolved once (languages.get) and flows down as one object."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from calais_guide import i18n, languages, products
from calais_guide.load import load_database
from calais_guide.model import DAYS
from calais_guide.paths import builtin_entries
from calais_guide.products import Job


@pytest.fixture
def resolutions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every language code resolved by languages.get (resolve() goes through it)."""
    calls: list[str] = []
    real: Callable[[str], languages.Language] = languages.get

    def counting(code: str) -> languages.Language:
        calls.append(code)
        return real(code)

    monkeypatch.setattr(languages, "get", counting)
    return calls


@pytest.mark.parametrize("lang", ["ar", "ti"])
def test_a_booklet_resolves_its_language_once(lang: str, resolutions: list[str]) -> None:
    from calais_guide.render.booklet import context, render_html

    db = load_database(builtin_entries())
    job = Job(db, lang, products.get("booklet"), {})
    view = context(db, job.language, job.options["variant"])
    html = render_html(db, view)
    assert f'lang="{lang}"' in html
    assert job.language is view.language  # the one object, passed down
    assert resolutions == [lang]


def test_a_printing_command_resolves_lang_once_for_every_product_of_the_task(
    tmp_path, monkeypatch: pytest.MonkeyPatch, resolutions: list[str]
) -> None:
    """--lang becomes one Language in the command (what build_booklets and
    the other printing commands do); the task's products all get it."""
    from .test_build import SUMMARIES

    monkeypatch.setattr(products, "PRODUCTS", (*products.PRODUCTS, SUMMARIES))
    db = load_database(builtin_entries())
    language = languages.get("ar")
    (written,) = products.print_command(db, "summaries", [language], tmp_path / "s.txt")
    text = written.path.read_text(encoding="utf-8")
    assert written.lang == "ar"
    assert text.startswith("auberge-des-migrants: جمعية تأسست عام 2008؛")
    assert resolutions == ["ar"]  # the command's own, nothing below


def test_the_products_of_a_task_share_the_resolved_language(resolutions: list[str]) -> None:
    db = load_database(builtin_entries())
    job = Job(db, "fa", products.get("imposed"), {})
    assert job.language.rtl and job.language is job.language
    assert resolutions == ["fa"]


def test_cards_and_the_phone_guide_take_the_resolved_language(resolutions: list[str]) -> None:
    from calais_guide.render.card_content import plan
    from calais_guide.render.phone import render_phone

    db = load_database(builtin_entries())
    ar = languages.registry()["ar"]
    assert plan(db, ar).language is ar
    assert render_phone(db, ar).lang == "ar"
    assert resolutions == []


def test_formatting_helpers_take_a_language_or_its_code() -> None:
    ti = languages.get("ti")
    assert languages.resolve(ti) is ti and languages.resolve("ti") == ti
    assert ti.chain == ("ti", "en", "fr") and ti.locale == i18n.cldr_locale("ti")
    day, time = dt.date(2023, 3, 6), dt.time(14, 5)
    for helper, args in [
        (i18n.day_name, ("mo",)),
        (i18n.days_text, (DAYS[:5],)),
        (i18n.format_date, (day,)),
        (i18n.month_year, (day,)),
        (i18n.format_time, (time,)),
    ]:
        assert helper(*args, ti) == helper(*args, "ti")
    assert i18n.time_range(time, dt.time(17, 0), ti) == i18n.time_range(time, dt.time(17, 0), "ti")
    assert i18n.date_span(day, None, ti) == i18n.date_span(day, None, "ti")


def test_an_unknown_code_is_refused_when_resolved() -> None:
    from calais_guide.errors import UnknownValue

    with pytest.raises(UnknownValue, match=r"^unknown language 'xx': use one of fr, en, "):
        languages.resolve("xx")
