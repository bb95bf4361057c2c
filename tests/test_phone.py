"""The phone guide (`calais-guide phone`): the file itself, without a browser.

What the page does in a browser (open now, search, filter, offline, right to
left) is in test_phone_browser.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from calais_guide import glyphs, i18n, languages
from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.render import phone

from .conftest import copy_guide, edit_entry, invoke

FIXTURES = Path(__file__).parent / "fixtures"
HOURS_DB = FIXTURES / "lookup-db"
LANGS = languages.codes()


@pytest.fixture(scope="module")
def builtin_pages(tmp_path_factory) -> dict[str, Path]:
    """The built-in edition's eight pages, written once by the command."""
    folder = tmp_path_factory.mktemp("phone")
    code, out, err = invoke("phone", "--lang", "all", "--output", folder)
    assert code == 0, err
    return {lang: folder / f"guide-2023-03-{lang}.html" for lang in LANGS}


class Page(HTMLParser):
    """Elements of a page: (tag, attributes, text directly inside), plus the
    inline script, style and data."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.raw = html
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag]

    def by_id(self, ident: str) -> tuple[str, dict[str, str | None]]:
        found = [(t, a) for t, a in self.elements if a.get("id") == ident]
        assert len(found) == 1, ident
        return found[0]

    def block(self, tag: str, attrs: str = "") -> str:
        match = re.search(rf"<{tag}{attrs}>(.*?)</{tag}>", self.raw, re.S)
        assert match, tag
        return match[1]


def read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


# -- the command -------------------------------------------------------------------


def test_phone_writes_one_page_and_says_so(tmp_path):
    target = tmp_path / "out" / "guide.html"
    code, out, err = invoke("phone", "--lang", "ar", "--entries", HOURS_DB, "--output", target)
    assert code == 0, err
    size = target.stat().st_size
    assert out.strip() == (
        f"{target}: ar, 6 entries, {size // 1024} KB; 5 entries not yet translated"
    )
    page = read(target)
    html = page.all("html")[0]
    assert (html["lang"], html["dir"], html["data-script"]) == ("ar", "rtl", "Arab")


def test_phone_all_writes_every_language_of_the_edition_under_the_default_names(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("phone", "--lang", "all", "--entries", HOURS_DB)
    assert code == 0, err
    written = sorted(p.name for p in (tmp_path / "build").iterdir())
    assert written == sorted(f"guide-2023-03-{lang}.html" for lang in LANGS)
    assert len(out.strip().splitlines()) == 8
    assert out.splitlines()[0].startswith("build/guide-2023-03-fr.html: fr, 6 entries, ")


def test_phone_into_an_existing_folder_uses_the_default_name(tmp_path):
    code, out, err = invoke("phone", "--lang", "fr", "--entries", HOURS_DB, "-o", tmp_path)
    assert code == 0, err
    assert (tmp_path / "guide-2023-03-fr.html").is_file()


def test_phone_refuses_an_unknown_language(tmp_path):
    code, out, err = invoke("phone", "--lang", "xx", "--entries", HOURS_DB, "-o", tmp_path)
    assert code == 2
    assert err.strip() == "error: unknown language 'xx': use one of fr, en, ar, fa, ps, ckb, ti, am"
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_phone_refuses_invalid_data_and_writes_nothing(tmp_path):
    db = copy_guide(HOURS_DB, tmp_path)
    edit_entry(db, "clinique-exemple", lambda d: d["phones"][0].update(number="12"))
    target = tmp_path / "guide.html"
    code, out, err = invoke("phone", "--lang", "fr", "--entries", db, "-o", target)
    assert code == 1
    assert "clinique-exemple.yaml" in err and "phones[0].number" in err
    assert "1 error(s) in the guide data: fix them and run the command again." in err
    assert not target.exists()


def test_phone_cannot_write_says_where_and_keeps_nothing_half_written(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, out, err = invoke(
        "phone", "--lang", "fr", "--entries", HOURS_DB, "-o", blocker / "x.html"
    )
    assert code == 1
    assert err.startswith(f"error: cannot write {blocker / 'x.html'}: ")
    assert blocker.read_text() == "not a folder"


def test_the_same_data_gives_the_same_bytes_in_a_new_process(tmp_path, builtin_pages):
    target = tmp_path / "again.html"
    subprocess.run(
        [sys.executable, "-m", "calais_guide", "phone", "--lang", "ar", "-o", str(target)],
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "12345"},
    )
    assert target.read_bytes() == builtin_pages["ar"].read_bytes()


def test_build_writes_the_phone_pages_into_the_manifest_and_keeps_them(tmp_path):
    import json

    from calais_guide import products
    from calais_guide.build import MANIFEST, build

    root = copy_guide(FIXTURES / "build", tmp_path)
    out = tmp_path / "out"
    assert "phone" in [p.kind for p in products.print_run()]
    result = build(root, output=out, products=[products.get("phone")], jobs=1)
    assert result.rendered == ["guide-fr.html", "guide-ar.html"]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    files = {f["path"]: f for f in manifest["files"]}
    for lang in ("fr", "ar"):
        record = files[f"guide-{lang}.html"]
        data = (out / f"guide-{lang}.html").read_bytes()
        assert (record["kind"], record["lang"], record["pages"]) == ("phone", lang, None)
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
        assert f'<html lang="{lang}"'.encode() in data
    # Nothing changed: nothing rendered again. An Arabic text changed: Arabic only.
    assert build(root, output=out, products=[products.get("phone")], jobs=1).rendered == []
    edit_entry(root, "maraude-test", lambda d: d["summary"]["ar"].update(text="نص جديد"))
    again = build(root, output=out, products=[products.get("phone")], jobs=1)
    assert again.rendered == ["guide-ar.html"]


# -- self-contained, offline, small ----------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_built_in_page_is_under_350_kb(builtin_pages, lang):
    assert builtin_pages[lang].stat().st_size < phone.MAX_BYTES == 350 * 1024


@pytest.mark.parametrize("lang", ["fr", "ar", "ti"])
def test_nothing_outside_the_file_is_loaded(builtin_pages, lang):
    page = read(builtin_pages[lang])
    csp = [m for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1
    policy = dict((part.split(" ", 1) + [""])[:2] for part in str(csp[0]["content"]).split("; "))
    assert policy["default-src"] == "'none'"
    assert policy["font-src"] == "data:" and policy["img-src"] == "data:"
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'none'"
    # The only script and style allowed are the page's own, by hash.
    script = page.block("script")
    style = page.block("style")
    data = page.block("script", ' type="application/json" id="guide-data"')

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert policy["script-src"] == digest(script)
    assert policy["style-src"] == digest(style)
    assert "</" not in data
    # No element that loads anything; no URL in the style but data: URLs.
    tags = {t for t, _ in page.elements}
    assert not tags & {"link", "img", "iframe", "object", "embed", "audio", "video", "source"}
    assert [s for s in page.all("script") if s.get("src")] == []
    assert re.findall(r"url\((?!data:)", style) == []
    assert "@import" not in style
    # Links are things to tap (navigation), never loaded by the page.
    schemes = {str(a["href"]).split(":", 1)[0] for a in page.all("a") if ":" in str(a["href"])}
    assert schemes <= {"tel", "mailto", "https", "http", "geo"}
    uses = {u.get("href") for u in page.all("use")}
    assert uses and all(str(u).startswith("#i-") for u in uses)


def _font_faces(style: str) -> list[tuple[str, int, set[int]]]:
    from fontTools.ttLib import TTFont

    faces = []
    for family, weight, data in re.findall(
        r'@font-face\{font-family:"([^"]+)";font-weight:(\d+);[^}]*'
        r"base64,([A-Za-z0-9+/=]+)\)",
        style,
    ):
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font.flavor == "woff2"
        faces.append((family, int(weight), set(font.getBestCmap())))
    return faces


class _Text(HTMLParser):
    """Visible text with its language, as the browser draws it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.skip = 0
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("meta", "br", "input", "use", "path", "circle", "rect", "line", "polyline"):
            return
        self.stack.append((tag, dict(attrs).get("lang")))
        self.skip += tag in ("script", "style", "svg", "title", "symbol")

    def handle_startendtag(self, tag, attrs):
        pass  # <use/>, <path/>: nothing inside

    def handle_endtag(self, tag):
        while self.stack:
            name, _ = self.stack.pop()
            self.skip -= name in ("script", "style", "svg", "title", "symbol")
            if name == tag:
                break

    def handle_data(self, data):
        if not self.skip:
            lang = next((lang for _, lang in reversed(self.stack) if lang), "fr")
            self.texts.append((lang, data))


@pytest.mark.parametrize("lang", ["ar", "ti", "fr"])
def test_fonts_are_woff2_subsets_holding_exactly_what_the_page_draws(builtin_pages, lang):
    import json

    page = read(builtin_pages[lang])
    faces = _font_faces(page.block("style"))
    reader = _Text()
    reader.feed(page.raw)
    data = json.loads(page.block("script", ' type="application/json" id="guide-data"'))
    written = [re.sub(r"%\(\w+\)s", "", s) for s in data["ui"].values()]
    written += [*data["days"], "0123456789:"]
    texts = reader.texts + [(lang, t) for t in written]
    families = {f.family: f for f in glyphs.fonts()}
    expected: dict[str, set[int]] = {}
    for code, text in texts:
        for char in text:
            if char.isspace() or char in "\u2066\u2069\u200c\u200d\u200e\u200f":
                continue
            first = next(
                family
                for family in glyphs.families_for(code)
                if all(ord(char) in glyphs._cmap(p) for p in families[family].files.values())
            )
            expected.setdefault(first, set()).add(ord(char))
    for family, weight, cmap in faces:
        # Every character drawn in this family is in the subset, and nothing else.
        assert cmap == expected[family], (family, weight)
    assert {(f, w) for f, w, _ in faces} == {(f, w) for f in expected for w in (400, 700)}
    script_font = glyphs.families_for(lang)[0]
    assert script_font in expected


def test_subsetting_gives_the_same_bytes_twice():
    """fontTools stamps no time and no random id into the subset."""
    font = glyphs.fonts()[0].files["bold"]
    chars = frozenset("Édition 2023 · Calais")
    assert phone._subset(font.read_bytes(), chars) == phone._subset(font.read_bytes(), chars)


def test_subsets_are_cached_and_the_cache_gives_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    font = glyphs.fonts()[0].files["regular"]
    chars = frozenset("Calais 115")
    phone.woff2_subset.cache_clear()
    first = phone.woff2_subset(font, chars)
    cached = list((tmp_path / "calais-guide" / "fonts").iterdir())
    assert len(cached) == 1 and cached[0].read_bytes() == first
    phone.woff2_subset.cache_clear()
    monkeypatch.setenv("CALAIS_GUIDE_NO_CACHE", "1")
    assert phone.woff2_subset(font, chars) == first
    phone.woff2_subset.cache_clear()


# -- readable without JavaScript ------------------------------------------------------


def test_by_need_then_by_association_with_deep_link_ids(builtin_pages):
    db = load_database(builtin_entries())
    page = read(builtin_pages["en"])
    needs = [a["id"] for t, a in page.elements if t == "section" and "need" == a.get("class")]
    offered = [c for c in dict.fromkeys(c for e in db.entries for c in e.categories)]
    from calais_guide.vocabulary import CATEGORIES

    assert needs == [f"need-{c}" for c in CATEGORIES if c in offered]
    articles = [a["id"] for a in page.all("article")]
    assert articles == [f"entry-{e.id}" for e in db.entries if e.status != "closed"]
    # Each need lists the associations offering it, linking to their entry.
    food = page.raw.split('id="need-food"', 1)[1].split("</section>", 1)[0]
    linked = re.findall(r'href="#entry-([a-z0-9-]+)"', food)
    assert linked == [e.id for e in db.entries if "food" in e.categories]
    # Interface in the page's language, large tap targets in the style.
    assert ">Where to find help<" in page.raw and ">Emergency numbers<" in page.raw
    style = page.block("style")
    assert re.search(r"\.need-link \{[^}]*min-height: 48px", style)
    assert re.search(r"\.service a \{[^}]*min-height: 48px", style)
    # The search box is hidden until the script shows it (useless without it).
    assert "hidden" in page.by_id("tools")[1]


def test_phones_are_tel_links_isolated_left_to_right(builtin_pages):
    page = builtin_pages["ar"].read_text(encoding="utf-8")
    calls = re.findall(r'<a class="call" href="(tel:[^"]+)"><bdi dir="ltr">([^<]+)</bdi></a>', page)
    db = load_database(builtin_entries())
    numbers = [n.number for n in db.edition.emergency_numbers]
    numbers += [p.number for e in db.entries if e.status != "closed" for p in e.phones]
    assert len(calls) == len(numbers)
    assert ("tel:112", "112") in calls
    assert 'href="mailto:' in page


def test_places_with_coordinates_get_a_map_link(tmp_path):
    db = copy_guide(HOURS_DB, tmp_path)

    def place(data):
        data["locations"][0].update(latitude=50.9513, longitude=1.8587)

    edit_entry(db, "accueil-exemple", place)
    target = tmp_path / "g.html"
    code, out, err = invoke("phone", "--lang", "en", "--entries", db, "-o", target)
    assert code == 0, err
    html = target.read_text(encoding="utf-8")
    assert re.findall(r'href="(geo:[^"]+)"', html) == ["geo:50.951300,1.858700"]
    assert ">Open on a map<" in html


def test_fallbacks_and_drafts_are_marked_as_in_the_booklet(tmp_path):
    target = tmp_path / "fa.html"
    code, out, err = invoke("phone", "--lang", "fa", "--entries", HOURS_DB, "-o", target)
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    gettext = i18n.gettext_for("fa")
    french = languages.display_name("fr", "fa")
    fallback = gettext("Not yet translated: shown in %(language)s") % {"language": french}
    draft = gettext("Translation not yet reviewed")
    db = load_database(HOURS_DB)
    # As in the booklet, an entry's text is its description, else its summary.
    # Those with neither in Persian nor English are shown in French, in French
    # type, right after the mark saying so.
    french = [e.id for e in db.entries if not {"fa", "en"} & set(e.description or e.summary)]
    assert len(french) == 5
    shown = re.findall(
        rf'<p class="mark fallback">{fallback}</p>\n<div class="description" lang="fr" dir="ltr"',
        page,
    )
    assert len(shown) == len(french)
    assert page.count('<div class="description" lang="fr"') == len(french)
    # The Persian summaries: a draft is marked, a reviewed one is not.
    centre = page.split('id="entry-accueil-exemple"', 1)[1].split("</article>", 1)[0]
    clinic = page.split('id="entry-clinique-exemple"', 1)[1].split("</article>", 1)[0]
    summary = re.compile(r'<p class="summary">(.*?)</p>', re.S)
    assert draft in summary.search(centre)[1]
    assert draft not in summary.search(clinic)[1]


def test_share_hint_in_the_reader_language(builtin_pages):
    fa = builtin_pages["fa"].read_text(encoding="utf-8")
    hint = i18n.gettext_for("fa")(
        "Share this guide: send this file by WhatsApp, Telegram or Bluetooth. "
        "It works without internet."
    )
    assert f'<p class="share">{hint}</p>' in fa


# -- the data the script reads ---------------------------------------------------------


def test_hours_data_carries_every_rule_input():
    db = load_database(HOURS_DB)
    centre = phone.hours_data(db.get("accueil-exemple"))
    assert centre["status"] == "active" and centre["closures"] == []
    place = centre["locations"][0]
    assert place["kind"] == "fixed"
    assert place["schedules"][0] == {
        "days": [0, 1, 2, 3, 4],
        "opens": "09:00",
        "closes": "12:00",
        "from": None,
        "to": None,
    }
    assert place["exceptions"] == [
        {"from": "2023-03-08", "to": None, "closed": True, "opens": None, "closes": None},
        {"from": "2023-03-10", "to": None, "closed": False, "opens": "10:00", "closes": "11:00"},
    ]
    refuge = phone.hours_data(db.get("refuge-exemple"))
    assert refuge["status"] == "temporarily-closed"
    assert refuge["closures"] == [{"from": "2023-03-01", "to": None}]
    assert refuge["locations"][0]["schedules"][0]["closes"] == "23:59"  # "24:00"


def test_the_script_prints_times_as_cldr_does_in_every_language():
    """The script writes H:MM or HH:MM as the page's data says: what
    i18n.format_time gives in each language."""
    pads = {lang: phone.time_pads_hours(lang) for lang in LANGS}
    # CLDR: "09:05" in fr; Persian's dates are fa_AF's, which pads too (Iran's: "9:05")
    assert pads["fr"] is True and pads["fa"] is True
    for lang, pad in pads.items():
        for h, m in ((0, 0), (9, 5), (13, 30), (23, 59)):
            written = f"{h:02d}:{m:02d}" if pad else f"{h}:{m:02d}"
            assert i18n.format_time(dt.time(h, m), lang) == written, lang


def test_folding_tables_are_those_of_search():
    from calais_guide import search

    tables = phone.fold_tables()
    assert tables["map"] == search._MAP and tables["delete"] == search._DELETE
    assert tables["casefold"]["ß"] == "ss"
    marks = {c for a, b in tables["combining"] for c in range(a, b + 1)}
    assert 0x064E in marks and 0x0301 in marks and ord("a") not in marks


def test_search_words_are_folded_as_find_indexes_them():
    from calais_guide import search

    db = load_database(builtin_entries())
    data = phone.search_data(db, "ar", db.entries)
    kitchen = [e for e in db.entries if "water" in e.categories][0]
    assert search.words(kitchen.name)[0] in data["words"][kitchen.id]
    assert search.term("ماء") in data["categories"]["water"]
    assert search.term("water") in data["categories"]["water"]
    assert data["entries"][kitchen.id] == kitchen.categories


def test_validity_ends_a_quarter_after_the_edition():
    db = load_database(HOURS_DB)
    assert phone.valid_until(db) == dt.date(2023, 6, 1)
