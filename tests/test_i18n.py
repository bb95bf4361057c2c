"""Interface strings at run time, and the CLDR helpers (days, months, dates, numbers)."""

from __future__ import annotations

import datetime as dt
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calais_guide import i18n, languages
from calais_guide.i18n import (
    LOCALE_DIR,
    CatalogError,
    _translations,
    cldr_locale,
    day_name,
    format_date,
    format_number,
    format_time,
    gettext_for,
    language_name,
    month_year,
    po_path,
    translations,
)
from calais_guide.model import Shown, Text, pick

ROOT = Path(__file__).resolve().parent.parent

OPEN_TODAY = {
    "fr": "Ouvert aujourd'hui",
    "en": "Open today",
    "ar": "مفتوح اليوم",
    "fa": "امروز باز است",
    "ps": "نن خلاص دی",
    "ckb": "ئەمڕۆ کراوەیە",
    "ti": "ሎሚ ክፉት እዩ",
    "am": "ዛሬ ክፍት ነው",
}


@pytest.mark.parametrize("lang", sorted(OPEN_TODAY))
def test_translations_come_from_the_compiled_catalog(lang):
    t = translations(lang)
    assert isinstance(t, gettext.GNUTranslations)
    assert t.gettext("Open today") == OPEN_TODAY[lang]
    assert gettext_for(lang)("Open today") == OPEN_TODAY[lang]
    assert translations(lang) is t  # cached


def test_placeholders_are_filled_after_translation():
    assert gettext_for("fr")("A project of %(name)s") % {"name": "Utopia 56"} == (
        "Un projet de Utopia 56"
    )
    assert "Utopia 56" in gettext_for("ckb")("A project of %(name)s") % {"name": "Utopia 56"}


def test_a_language_without_catalog_shows_the_english_msgids():
    t = translations("xx")
    assert type(t) is gettext.NullTranslations
    assert t.gettext("Open today") == "Open today"


def _locale_copy(tmp_path: Path) -> Path:
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    return locale


def test_missing_mo_is_compiled_beside_the_po(tmp_path):
    locale = _locale_copy(tmp_path)
    t = _translations("ar", locale, tmp_path / "cache")
    assert t.gettext("Open today") == OPEN_TODAY["ar"]
    mo = po_path("ar", locale).with_suffix(".mo")
    assert mo.is_file()
    assert not (tmp_path / "cache").exists()


def test_unwritable_package_compiles_into_the_cache(tmp_path):
    """An installed wheel in a read-only site-packages: compile into the cache."""
    locale = _locale_copy(tmp_path)
    # A folder where the .mo would go: writing it fails, even for root.
    po_path("ti", locale).with_suffix(".mo").mkdir()
    t = _translations("ti", locale, tmp_path / "cache")
    assert t.gettext("Open today") == OPEN_TODAY["ti"]
    cached = list((tmp_path / "cache").glob("ti-*.mo"))
    assert len(cached) == 1
    # The next process finds it there: not compiled again.
    before = cached[0].stat().st_mtime_ns
    _translations.cache_clear()
    assert _translations("ti", locale, tmp_path / "cache").gettext("Closed") == "ዕጹው"
    assert cached[0].stat().st_mtime_ns == before


def test_read_only_package_compiles_into_the_cache_once(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can write in read-only folders")
    locale = _locale_copy(tmp_path)
    folder = po_path("ti", locale).parent
    folder.chmod(0o555)
    try:
        t = _translations("ti", locale, tmp_path / "cache")
    finally:
        folder.chmod(0o755)
    assert t.gettext("Open today") == OPEN_TODAY["ti"]
    assert not po_path("ti", locale).with_suffix(".mo").exists()
    cached = list((tmp_path / "cache").glob("ti-*.mo"))
    assert len(cached) == 1
    # Next process: found in the cache, not compiled again.
    before = cached[0].stat().st_mtime_ns
    _translations.cache_clear()
    folder.chmod(0o555)
    try:
        again = _translations("ti", locale, tmp_path / "cache")
    finally:
        folder.chmod(0o755)
    assert again.gettext("Open today") == OPEN_TODAY["ti"]
    assert cached[0].stat().st_mtime_ns == before


def test_a_changed_po_is_compiled_again(tmp_path):
    locale = _locale_copy(tmp_path)
    assert _translations("fr", locale, tmp_path / "c").gettext("Open now") == "Ouvert maintenant"
    po = po_path("fr", locale)
    po.write_text(
        po.read_text(encoding="utf-8").replace("Ouvert maintenant", "Ouvert en ce moment"),
        encoding="utf-8",
    )
    # Same mtime second or not, the .mo names the .po it came from.
    _translations.cache_clear()
    assert _translations("fr", locale, tmp_path / "c").gettext("Open now") == "Ouvert en ce moment"


def test_mo_compiled_by_the_build_is_used_as_is(tmp_path):
    locale = _locale_copy(tmp_path)
    written = i18n.compile_all(locale)
    # Both domains: the readers' catalogs and the command line's (French only).
    assert len(written) == len(list(locale.glob("*/LC_MESSAGES/*.po")))
    assert po_path("fr", locale, "cli").with_suffix(".mo") in written
    mo = po_path("am", locale).with_suffix(".mo")
    before = mo.stat().st_mtime_ns
    assert _translations("am", locale, tmp_path / "c").gettext("Open today") == OPEN_TODAY["am"]
    assert mo.stat().st_mtime_ns == before


def test_a_broken_po_is_a_clear_error(tmp_path):
    locale = _locale_copy(tmp_path)
    po = po_path("ps", locale)
    po.write_text('msgid "Open today"\nmsgstr "x"\nmsgstr "y"\nnonsense\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"ps/LC_MESSAGES/messages.po is not a valid .po"):
        _translations("ps", locale, tmp_path / "c")


def _catalogs(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m calais_guide.catalogs ARGS`` from the checkout."""
    return subprocess.run(
        [sys.executable, "-m", "calais_guide.catalogs", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_the_build_compiles_every_catalog(tmp_path):
    """`make` runs `python -m calais_guide.catalogs compile`."""
    result = _catalogs("compile")
    assert (result.returncode, result.stderr) == (0, "")
    written = result.stdout.split()
    # The 8 readers' catalogs, and the command line's (every language but
    # English, the msgids: translated in French, fuzzy in the six others).
    langs = ("am", "ar", "ckb", "en", "fa", "fr", "ps", "ti")
    locale = ROOT / "calais_guide" / "locale"
    assert sorted(written) == sorted(
        [str(locale / f"{lang}/LC_MESSAGES/messages.mo") for lang in langs]
        + [str(locale / f"{lang}/LC_MESSAGES/cli.mo") for lang in langs if lang != "en"]
    )


def test_the_catalogs_command_names_its_subcommands_when_misused():
    result = _catalogs("compiel")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "usage: python -m calais_guide.catalogs compile | extract [ROOT] | update [ROOT] | names\n"
    )


def test_i18n_and_catalogs_do_not_import_each_other():
    """The runtime module (i18n) never needs the maintenance one (catalogs)."""
    source = (ROOT / "calais_guide" / "i18n.py").read_text(encoding="utf-8")
    assert "from .catalogs" not in source and "import catalogs" not in source


def test_importing_i18n_stays_light():
    """Lookups import i18n: Babel and gettext compilation stay out until needed."""
    code = (
        "import sys, calais_guide.i18n as i;"
        "i.translations('fr').gettext('Open today');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('babel', 'jinja2', 'weasyprint', 'ruamel')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    ).stdout
    assert out.strip() == "[]"


# -- CLDR ------------------------------------------------------------------------

MONDAY = {
    "fr": "lundi",
    "en": "Monday",
    "ar": "الاثنين",
    "fa": "دوشنبه",
    "ps": "دونۍ",
    "ckb": "دووشەممە",
    "ti": "ሰኑይ",
    "am": "ሰኞ",
}
SUNDAY = {
    "fr": "dimanche",
    "en": "Sunday",
    "ar": "الأحد",
    "fa": "یکشنبه",
    "ps": "يونۍ",
    "ckb": "یەکشەممە",
    "ti": "ሰንበት",
    "am": "እሑድ",
}


@pytest.mark.parametrize("lang", sorted(MONDAY))
def test_day_names_come_from_cldr(lang):
    assert day_name("mo", lang) == MONDAY[lang]
    assert day_name("su", lang) == SUNDAY[lang]
    names = [day_name(d, lang) for d in ("mo", "tu", "we", "th", "fr", "sa", "su")]
    assert len(set(names)) == 7


def test_day_names_survive_babel_shared_alias_cache():
    """Babel 2.18 (issue #1234): after Pashto's stand-alone days are resolved,
    Sorani, Tigrinya and Amharic stand-alone days come back in Pashto. Our
    names come from the format context and stay right whatever ran before."""
    from babel import Locale

    Locale.parse("ps").days["stand-alone"]["wide"][0]
    Locale.parse("ckb").days["stand-alone"]["wide"][0]
    for lang in ("ckb", "ti", "am", "ps", "fa", "ar"):
        assert day_name("mo", lang) == MONDAY[lang]


def test_abbreviated_day_names():
    assert day_name("mo", "en", "abbreviated") == "Mon"
    assert day_name("mo", "fr", "abbreviated") == "lun."
    assert day_name("mo", "ti", "abbreviated") == "ሰኑ"


def test_unknown_day_is_refused():
    with pytest.raises(ValueError, match="mo, tu"):
        day_name("monday", "en")


MARCH_2023 = {
    "fr": "mars 2023",
    "en": "March 2023",
    "ar": "مارس 2023",
    "fa": "مارچ 2023",  # as in Afghanistan (fa_AF): most readers are Afghans
    "ps": "2023 مارچ",
    "ckb": "2023 ئازار",
    "ti": "መጋቢት 2023",
    "am": "ማርች 2023",
}


@pytest.mark.parametrize("lang", sorted(MARCH_2023))
def test_edition_month_in_each_language_gregorian(lang):
    """Gregorian month names the local way (no Persian or Ethiopian calendar)."""
    assert month_year(dt.date(2023, 3, 1), lang) == MARCH_2023[lang]


def test_persian_months_are_written_as_in_afghanistan():
    """Most Persian readers are Afghans (Dari): April is اپریل, not Iran's آوریل;
    the language keeps its own name (no country added)."""
    assert month_year(dt.date(2023, 4, 1), "fa") == "اپریل 2023"
    assert month_year(dt.date(2023, 5, 1), "fa") == "می 2023"
    assert month_year(dt.date(2023, 11, 1), "fa") == "نومبر 2023"
    assert language_name("fa") == "فارسی"


def test_format_date_uses_cldr_patterns():
    day = dt.date(2023, 3, 15)
    assert format_date(day, "fr") == "15 mars 2023"
    assert format_date(day, "en") == "March 15, 2023"
    assert format_date(day, "ckb") == "15ی ئازاری 2023"
    assert format_date(day, "am") == "15 ማርች 2023"


@pytest.mark.parametrize("lang", sorted(MONDAY))
def test_hours_on_the_24_hour_clock_in_latin_digits(lang):
    assert format_time(dt.time(14, 5), lang) == "14:05"


def test_numbers_keep_latin_digits_with_local_separators():
    assert format_number(1234.5, "fr") == "1\u202f234,5"
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(1234.5, "ps") == "1.234,5"
    for lang in ("ar", "fa", "ckb"):  # CLDR's default digits there are not Latin
        assert set(format_number(1234.5, lang)) <= set("0123456789,.\u202f\u00a0")


def test_dates_never_use_native_digits():
    for lang in MONDAY:
        text = month_year(dt.date(2023, 3, 1), lang) + format_date(dt.date(2023, 3, 1), lang)
        assert "2023" in text


def test_a_code_cldr_lacks_uses_english_data():
    assert str(cldr_locale("zz-unknown")) == "en"
    assert day_name("mo", "zz-unknown") == "Monday"


def test_language_names_from_cldr():
    assert language_name("ti") == "ትግርኛ"
    assert language_name("en", "fr") == "anglais"  # lower case, for use in a sentence
    assert language_name("ckb", "en") == "Central Kurdish"


def test_pick_falls_back_along_the_chain():
    texts = {"fr": Text("Bonjour"), "en": Text("Hello", "draft", "fr", "x")}
    shown = pick(texts, languages.chain("ti"))
    assert shown is not None and (shown.text, shown.lang, shown.fallback) == ("Hello", "en", True)
    assert pick({"fr": Text("Bonjour")}, ("fr",)) == Shown("Bonjour", "fr", "original", False)
    # Nothing in the chain: any text the field has, marked as a fallback.
    assert pick({"ar": Text("مرحبا")}, ("fr",)) == Shown("مرحبا", "ar", "original", True)
    assert pick({}, ("fr",)) is None
