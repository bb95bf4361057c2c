"""The gettext catalogs: complete for every language, extracted from the real sources."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from calais_guide import languages
from calais_guide.catalogs import extract, gaps, review_status
from calais_guide.glyphs import describe, missing
from calais_guide.i18n import LOCALE_DIR, po_path, read_catalog

ROOT = Path(__file__).resolve().parent.parent
LANGS = languages.codes()

# The strings the booklet, cards and lookups use (agreed with their authors);
# the extraction must find every one of them.
AGREED = [
    "Contents", "Introduction", "Where to find help", "Emergency numbers",
    "A project of %(name)s", "What they offer", "Where and when", "Phone",
    "Available 24/7", "E-mail", "Website", "Mobile team on the living sites",
    "Address given by phone", "Hours not known: ask before you go", "Temporarily closed",
    "Closed", "Check before you go: valid until the next edition.", "Edition of %(date)s",
    "Translation not yet reviewed", "Not yet translated: shown in %(language)s", "Notes",
    "Languages spoken", "Who is welcome", "Free, day and night", "Text message only",
    "Scan to open the website", "Projects", "Open now", "Open today", "Closed today",
    "Closed now", "Hours unknown", "Valid until the next edition", "Emergency", "24/7 lines",
    "Key services", "Show this card", "Last verified", "Never verified", "Offers",
    "Did you mean", "What changed since the last edition",
]  # fmt: skip


@pytest.fixture(scope="module")
def template():
    return extract(ROOT)


def test_extraction_finds_the_agreed_strings_and_the_vocabulary(template):
    from calais_guide.vocabulary import CATEGORIES, ENTRY_STATUSES, WELCOME

    ids = {m.id for m in template if m.id}
    wanted = set(AGREED) | set(CATEGORIES.values()) | set(WELCOME.values())
    wanted |= set(ENTRY_STATUSES.values())
    assert wanted <= ids, sorted(wanted - ids)


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_translates_every_msgid(template, lang):
    found = gaps(template, lang)
    assert not found, "\n".join(f"{g.lang}: {g.msgid!r}: {g.problem}" for g in found)


def test_the_committed_template_is_up_to_date(template):
    """messages.pot holds what the sources use (run `make catalogs-update` if not)."""
    pot = LOCALE_DIR / "messages.pot"
    committed = read_catalog(pot.read_bytes(), pot)
    assert {m.id for m in committed if m.id} == {m.id for m in template if m.id}


def test_a_new_msgid_in_a_template_fails_until_translated(tmp_path, template):
    """The completeness check reads Jinja templates under layouts/ too."""
    shutil.copy(ROOT / "babel.cfg", tmp_path / "babel.cfg")
    (tmp_path / "calais_guide").mkdir()
    (tmp_path / "layouts" / "booklet").mkdir(parents=True)
    (tmp_path / "layouts" / "booklet" / "page.html").write_text(
        '<h2>{{ _("Where to find help") }}</h2>\n'
        '<p>{{ _("A brand-new label nobody translated") }}</p>\n'
        "<p>{% trans %}A sentence in a trans block{% endtrans %}</p>\n",
        encoding="utf-8",
    )
    local = extract(tmp_path)
    assert {m.id for m in local if m.id} == {
        "Where to find help",
        "A brand-new label nobody translated",
        "A sentence in a trans block",
    }
    for lang in ("fr", "ar", "ti"):
        problems = {g.msgid: g.problem for g in gaps(local, lang)}
        assert problems == {
            "A brand-new label nobody translated": "missing",
            "A sentence in a trans block": "missing",
        }


def test_fuzzy_empty_and_broken_placeholders_are_gaps(tmp_path, template):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    po = po_path("fr", locale)
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Sommaire"', 'msgstr ""')
    text = text.replace('msgstr "Un projet de %(name)s"', 'msgstr "Un projet de %(nom)s"')
    text = text.replace('msgid "Phone"', '#, fuzzy\nmsgid "Phone"')
    po.write_text(text, encoding="utf-8")
    problems = {g.msgid: g.problem for g in gaps(template, "fr", locale)}
    assert problems["Contents"] == "untranslated"
    assert problems["Phone"].startswith("fuzzy")
    assert "placeholders" in problems["A project of %(name)s"]
    assert len(problems) == 3
    assert gaps(template, "xx", locale)[0].problem.startswith("no catalog")


def test_draft_catalogs_say_so_in_their_header():
    """Machine-made catalogs are marked draft (not fuzzy: gettext would drop them)."""
    for lang in ("ar", "fa", "ps", "ckb", "ti", "am", "fr"):
        assert review_status(lang) == "draft", lang
        header = po_path(lang).read_text(encoding="utf-8").split('msgid ""')[0]
        assert "DRAFT" in header
    assert review_status("en") == "reviewed"


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_strings_are_printable_with_the_bundled_fonts(lang):
    po = po_path(lang)
    catalog = read_catalog(po.read_bytes(), po)
    for message in catalog:
        if message.id:
            chars = missing(message.string, lang)
            assert not chars, f"{lang} {message.id!r}: {describe(chars)}"


NON_LATIN_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9\u1369-\u137c]")


@pytest.mark.parametrize("lang", LANGS)
def test_catalogs_write_numbers_in_latin_digits(lang):
    """Numbers in labels stay 0-9, like every phone number beside them."""
    text = po_path(lang).read_text(encoding="utf-8")
    assert not NON_LATIN_DIGITS.search(text)


@pytest.mark.parametrize(
    ("lang", "letters"),
    [("ps", "ټړښګڼېۍځڅ"), ("ckb", "ەێۆڕڵ"), ("fa", "یکپچژگ")],
)
def test_catalogs_use_each_language_own_letters(lang, letters):
    """Pashto, Sorani and Persian are not written with Arabic's letters only."""
    text = po_path(lang).read_text(encoding="utf-8")
    assert {c for c in letters if c in text} == set(letters)
    if lang in ("fa", "ckb"):
        assert "ي" not in text and "ك" not in text  # Arabic yeh and kaf


def test_ethiopic_catalogs_are_in_ethiopic_script():
    for lang in ("ti", "am"):
        po = po_path(lang)
        catalog = read_catalog(po.read_bytes(), po)
        for message in catalog:
            if message.id and message.id != "Wi-Fi":
                assert any("\u1200" <= c <= "\u137f" for c in message.string), message.id


def test_update_leaves_catalogs_alone_when_only_the_date_would_change(tmp_path, template):
    """`make catalogs-update` on up-to-date catalogs rewrites nothing (a new
    POT-Creation-Date alone would trigger a full re-render)."""
    from calais_guide.catalogs import update

    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    update(template, locale)  # settle (e.g. a stale template)
    fr = po_path("fr", locale)
    dated = re.sub(
        r'"POT-Creation-Date: [^"]*"',
        '"POT-Creation-Date: 2001-01-01 00:00+0000\\\\n"',
        fr.read_text(encoding="utf-8"),
    )
    fr.write_text(dated, encoding="utf-8")
    before = {p: p.read_bytes() for p in locale.rglob("*.po*")}
    assert update(template, locale) == []
    assert {p: p.read_bytes() for p in locale.rglob("*.po*")} == before
    assert "2001-01-01" in fr.read_text(encoding="utf-8")
    # A real change is still written.
    grown = extract(ROOT)
    grown.add("A brand new string", None, [("x.py", 1)])
    changed = update(grown, locale)
    # Every file of the readers' domain; the command line's (cli.po*) is another domain.
    assert len(changed) == len([p for p in before if p.name.startswith("messages.")])
    assert 'msgid "A brand new string"' in fr.read_text(encoding="utf-8")
