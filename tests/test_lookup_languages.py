"""find, show and list speak the --lang language: every label, category, state,
day and month name comes from that language's catalog (or CLDR), none is left
in English; right-to-left output keeps its rules; --json stays neutral."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calais_guide import i18n, lookup
from calais_guide.cli import app
from calais_guide.ui_text import CARDS_AND_LOOKUPS, LOOKUPS, REASONS, TEXT_STATES
from calais_guide.vocabulary import CATEGORIES, WELCOME

FIXTURE = Path(__file__).parent / "fixtures" / "lookup-db"
MONDAY_MORNING = "2023-03-06 10:30"
LANGS = ("fr", "en", "ar", "fa", "ps", "ckb", "ti", "am")
RTL = ("ar", "fa", "ps", "ckb")
# Every msgid a lookup may print (labels, states, marks, categories, welcome).
LABELS = (
    *LOOKUPS,
    *CARDS_AND_LOOKUPS,
    *REASONS.values(),
    *TEXT_STATES.values(),
    *CATEGORIES.values(),
    *WELCOME.values(),
    "Open until %(time)s",
    "Closed now: opens at %(time)s",
    "Closed now: opens tomorrow at %(time)s",
    "Closed now: opens %(day)s at %(time)s",
    "No longer active",
    "Mobile team: no fixed hours",
    "Temporarily closed",
    "Closed",
    "Where and when",
    "Who is welcome",
    "Languages spoken",
    "Phone",
    "E-mail",
    "Website",
    "Available 24/7",
    "Text message only",
    "A project of %(name)s",
    "Projects",
    "Translation not yet reviewed",
    "Not yet translated: shown in %(language)s",
    "Hours shown for %(day)s %(date)s, %(time)s",
    "Mobile team on the living sites",
    "Address given by phone",
)
BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv(lookup.ENV_NOW, MONDAY_MORNING)
    monkeypatch.delenv("CALAIS_GUIDE_ENTRIES", raising=False)


def cli(*args: str, now: str = MONDAY_MORNING) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--entries", str(FIXTURE)], env={lookup.ENV_NOW: now})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def data_texts() -> set[str]:
    """Every string of the fixture's entries (names, texts in all languages...)."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.add(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    for entry in lookup.open_guide(FIXTURE).db.entries:
        walk(entry)
    return {t for t in found if len(t) > 3}


def outputs(lang: str) -> str:
    """show of every fixture entry (open, closed, on closure, mobile, project),
    find (with a typo), list --open-now and list at a time (states)."""
    runs = [("show", entry_id) for entry_id in FIXTURE_IDS]
    runs += [("find", "clinque", "douche"), ("list", "--open-now"), ("list", "--at", "sun 12:00")]
    text = []
    for args in runs:
        code, out = cli(*args, "--lang", lang)
        assert code == 0, (args, out)
        text.append(out)
    _, closure = cli("show", "clinique-exemple", "--lang", lang, now="2023-03-14 15:00")
    return "\n".join([*text, closure])


FIXTURE_IDS = sorted(p.stem for p in FIXTURE.glob("*.yaml") if p.stem != "edition")


@pytest.mark.parametrize("lang", LANGS)
def test_every_label_a_lookup_prints_is_translated(lang: str) -> None:
    catalog = i18n.translations(lang)._catalog  # type: ignore[attr-defined]
    untranslated = [m for m in LABELS if not catalog.get(m)]
    assert untranslated == [], f"{lang}: {untranslated}"


@pytest.mark.parametrize("lang", [code for code in LANGS if code != "en"])
def test_lookups_print_no_english_label(lang: str) -> None:
    out = outputs(lang)
    # Data (names, addresses, entry texts in any language) may be anything:
    # take it out, then no English msgid may be left.
    for text in sorted(data_texts(), key=len, reverse=True):
        out = out.replace(text, "")
    _ = i18n.translations(lang).gettext
    left = []
    for msgid in set(LABELS):
        if _(msgid) == msgid:  # same word in both languages (fr "Description")
            continue
        fixed = max(re.split(r"%\(\w+\)s", msgid), key=len).strip(" :,")
        if re.search(rf"(?<!\w){re.escape(fixed)}(?!\w)", out):
            left.append(fixed)
    assert left == [], f"{lang}: English left: {left}"
    english_days = re.findall(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ (?:Mar|Apr)\b", out)
    assert english_days == []
    # The old English labels are gone in every language.
    for old in ("Offers", "Last verified", "Places and hours", "Now ", "matched", "open until"):
        assert old not in out, old


def test_day_and_month_names_are_cldr_in_the_language() -> None:
    _, out = cli("show", "accueil-exemple", "--lang", "fr")
    assert "▸ lun. 6 mars   09:00–12:00, 14:00–17:00" in out
    assert "Maintenant        Ouvert jusqu'à 12:00  (lun. 6 mars 10:30)" in out
    _, out = cli("show", "accueil-exemple", "--lang", "ar")
    assert "الاثنين 6 مارس" in out


def test_persian_lookups_write_months_in_full_the_afghan_way() -> None:
    """fa dates are fa_AF's (most readers are Afghans), and in full: CLDR's
    fa_AF abbreviations (جنو, جول, دسم) would not be understood."""
    _, out = cli("show", "accueil-exemple", "--lang", "fa", now="2023-12-04 10:30")
    assert "دوشنبه 4 دسمبر" in out
    assert "دسم " not in out and "دسامبر" not in out
    _, out = cli("show", "accueil-exemple", "--lang", "fa")
    assert "دوشنبه 6 مارچ" in out
    assert "مارس" not in out


def test_names_table_is_what_babel_says() -> None:
    """The table lookups read instead of importing Babel is CLDR's, for every
    language (``python -m calais_guide.catalogs names`` rewrites it)."""
    from calais_guide.catalogs import names_table

    on_disk = json.loads(i18n.NAMES_FILE.read_text(encoding="utf-8"))
    assert on_disk == names_table()
    assert on_disk["ti"]["days"][0] == i18n.day_name("mo", "ti", "abbreviated")
    assert on_disk["fr"]["languages"]["en"] == "anglais"


@pytest.mark.parametrize("lang", RTL)
def test_right_to_left_lookups_keep_their_rules(lang: str) -> None:
    out = outputs(lang)
    assert not BIDI_CONTROLS.search(out)
    _, listed = cli("list", "--lang", lang)
    assert "Name" not in listed and "summary" not in listed  # no table: stacked
    assert listed.splitlines()[0].split()[:1] == ["accueil-exemple"]


def test_sorani_draft_mark_sits_on_the_summary_not_the_hours() -> None:
    """The mark qualifies the summary: on its own line right below it, never
    on the line with the entry's state."""
    _, out = cli("list", "--open-now", "--lang", "ckb")
    lines = out.splitlines()
    draft = i18n.translations("ckb").gettext("Draft")
    state = i18n.translations("ckb").gettext("Open until %(time)s") % {"time": "12:00"}
    head = next(i for i, line in enumerate(lines) if line.startswith("accueil-exemple"))
    assert state in lines[head] and draft not in lines[head]
    # name and state, the summary (English fallback, a draft), then its mark
    assert lines[head + 2] == f"[en, {draft}]"


def test_json_stays_language_neutral() -> None:
    _, fa = cli("list", "--open-now", "--json", "--lang", "fa")
    _, fr = cli("list", "--open-now", "--json", "--lang", "fr")
    fa_doc, fr_doc = json.loads(fa), json.loads(fr)
    assert [r["now"] for r in fa_doc["entries"]] == [r["now"] for r in fr_doc["entries"]]
    assert "open" in {r["now"]["state"] for r in fa_doc["entries"]}
