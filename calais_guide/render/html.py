"""The one place that builds the Jinja2 environment of every printed output.

Templates live in ``layouts/``. The environment autoescapes everything and
uses StrictUndefined: entry text is data, never markup, and a misspelt
variable fails the build instead of printing nothing. Interface strings go
through gettext (``{{ _("...") }}``, catalogs from :func:`calais_guide.i18n.translations`);
dates, day and language names come from Babel (CLDR).

Filters (usable by booklets and cards alike):

* ``ltr``: isolate left-to-right text (phone numbers, e-mails, URLs,
  addresses) so the bidi algorithm cannot reorder it inside right-to-left
  text (WeasyPrint has no ``unicode-bidi``, but honours ``<bdi dir="ltr">``).
* ``phone`` / ``tel``: a number written for dialling / its ``tel:`` URI.
* ``qr``: an inline SVG QR code of a URL (vector, a few hundred bytes).
* ``month``: a date as "month year" in the output language.
* ``day``: a date as "day month year" in the output language.
* ``language_name``: a language code's name in the output language.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import re
from html.parser import HTMLParser
from typing import Any

from calais_guide import glyphs, i18n, languages
from calais_guide.cli_text import tr_noop
from calais_guide.contacts import format_phone, tel_uri
from calais_guide.languages import Language
from calais_guide.paths import layouts_dir

from .pdf import file_url

_FAMILY = re.compile(r"^[A-Za-z0-9 ]+$")
_WEIGHTS = {"regular": 400, "bold": 700}


def environment(lang: Language | str, translations: gettext.NullTranslations | None = None) -> Any:
    """A Jinja2 environment for output language ``lang`` (a language, or its
    code: resolved here).

    ``translations`` defaults to the language's catalog
    (:func:`calais_guide.i18n.translations`).
    """
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layouts_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    language = languages.resolve(lang)
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations or language.catalog, newstyle=True
    )
    env.globals.update(
        lang=language.code,
        dir=language.direction,
        script=language.script,
        font_css=Markup(font_css()),
    )
    env.filters.update(
        ltr=ltr,
        phone=format_phone,
        tel=tel_uri,
        qr=qr_svg,
        month=functools.partial(month, lang=language),
        day=functools.partial(day, lang=language),
        language_name=functools.partial(language_name, lang=language),
        script=languages.script_of,
    )
    return env


def render_template(name: str, lang: Language | str, context: dict[str, Any]) -> str:
    """Render template ``name`` (a path under ``layouts/``) for ``lang``."""
    return str(environment(lang).get_template(name).render(context))


def ltr(text: str) -> Any:
    """``text`` isolated as left-to-right (escaped), for numbers and addresses."""
    from markupsafe import Markup, escape

    return Markup('<bdi dir="ltr">') + escape(text) + Markup("</bdi>")


INK = "device-cmyk(0 0 0 1)"
"""Black ink only (the same as --ink in layouts/base.css)."""

QR_MODULE_MM = 0.45
"""Smallest printed QR module: phones read 0.4 mm and more reliably, also
from a slightly blurred office print."""
QR_QUIET_MODULES = 4
"""White border around a QR code, in modules (the standard's quiet zone):
drawn as part of the code, so that nothing (a caption) is printed in it."""


def qr_svg(url: str, min_mm: float = 16.0) -> Any:
    """An inline SVG QR code for ``url``, sized in mm: modules of at least
    :data:`QR_MODULE_MM`, the code (without its quiet zone) at least
    ``min_mm`` wide, and the quiet zone inside the SVG's box."""
    import segno
    from markupsafe import Markup

    code = segno.make(url, error="l", micro=False)
    modules = code.symbol_size(border=0)[0]
    module = round(max(QR_MODULE_MM, min_mm / modules), 3)
    # The payload is encoded as modules of a path, never as text: safe markup.
    svg = code.svg_inline(
        border=QR_QUIET_MODULES, scale=module, unit="mm", svgclass="qr", lineclass=None
    )
    # Black ink only: WeasyPrint's inline SVG takes no CSS variable, so the
    # colour is written here (the same as --ink in layouts/base.css).
    return Markup(svg.replace('stroke="#000"', f'stroke="{INK}" fill="none"', 1))


def month(date: dt.date, lang: Language | str) -> str:
    """``date`` as month and year in ``lang`` ("mars 2023", "መጋቢት 2023")."""
    return i18n.month_year(date, lang)


def day(date: dt.date, lang: Language | str) -> str:
    """``date`` in the long form of ``lang`` ("1 mars 2023")."""
    return i18n.format_date(date, lang)


def language_name(code: str, lang: Language | str) -> str:
    """Name of language ``code`` written in ``lang`` (CLDR)."""
    return languages.display_name(code, babel_locale(lang))


def babel_locale(lang: Language | str) -> str:
    """The CLDR locale used for ``lang`` (itself, else its first fallback CLDR has)."""
    return str(i18n.locale_of(lang))


@functools.cache
def font_css() -> str:
    """``@font-face`` rules for every bundled font and a font stack per language.

    Generated from ``fonts/fonts.yaml`` so that templates never name a font:
    an element with ``lang="ti"`` gets the Ethiopic stack, one with
    ``lang="fr"`` inside an Arabic booklet the Latin one.
    """
    rules: list[str] = []
    for font in glyphs.fonts():
        if not _FAMILY.match(font.family):
            raise ValueError(f"fonts.yaml: unusable family name {font.family!r}")
        for weight, path in font.files.items():
            rules.append(
                f'@font-face {{ font-family: "{font.family}"; '
                f"src: url({file_url(path)}); font-weight: {_WEIGHTS.get(weight, 400)}; "
                "font-style: normal; }"
            )
    by_stack: dict[str, list[str]] = {}
    for code in languages.codes():
        stack = ", ".join(f'"{f}"' for f in glyphs.families_for(code))
        by_stack.setdefault(stack, []).append(f'[lang="{code}"]')
    for stack, selectors in by_stack.items():
        rules.append(f"{', '.join(selectors)} {{ font-family: {stack}; }}")
    return "\n".join(rules)


class _TextCollector(HTMLParser):
    """Text nodes of generated HTML with the language they are printed in."""

    _SKIP = {"style", "script", "svg", "title"}
    _VOID = {"meta", "link", "img", "br", "hr", "input", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.skip = 0
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._VOID:
            return
        lang = dict(attrs).get("lang")
        self.stack.append((tag, lang))
        if tag in self._SKIP:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            name, _ = self.stack.pop()
            if name in self._SKIP:
                self.skip -= 1
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip or not data.strip():
            return
        lang = next((lang for _, lang in reversed(self.stack) if lang), None)
        if lang:
            self.texts.append((lang, data))


def unprintable(html: str) -> list[tuple[str, list[str], str]]:
    """Text of generated ``html`` that no bundled font of its language can draw.

    A safety net after the data check: it also sees interface strings from the
    catalogs and Babel's names. Returns (language, characters, the text).
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    registry = languages.registry()
    found: list[tuple[str, list[str], str]] = []
    for lang, text in collector.texts:
        if lang not in registry:
            continue
        chars = glyphs.missing(text, lang)
        if chars:
            found.append((lang, chars, text.strip()))
    return found


_EMPTY_BOX = {
    "booklet": tr_noop(
        "the {lang} booklet would print {describe} as an empty box (text in "
        "{code}: {text}); fix the translation catalog, or add a font covering it "
        "to fonts/fonts.yaml"
    ),
    "cards": tr_noop(
        "the {lang} cards would print {describe} as an empty box (text in "
        "{code}: {text}); fix the translation catalog, or add a font covering it "
        "to fonts/fonts.yaml"
    ),
    "timetable": tr_noop(
        "the {lang} timetable would print {describe} as an empty box (text in "
        "{code}: {text}); fix the translation catalog, or add a font covering it "
        "to fonts/fonts.yaml"
    ),
    "phone guide": tr_noop(
        "the {lang} phone guide would show {describe} as an empty box (text in "
        "{code}: {text}); fix the translation catalog, or add a font covering it "
        "to fonts/fonts.yaml"
    ),
    "call sheet": tr_noop(
        "the call sheet would print {describe} as an empty box (text in {code}: "
        "{text}); fix the entry"
    ),
}
"""The message of :func:`check_html` per output (one sentence each, so that
it can be translated whole)."""


def check_html(html: str, lang: str, output: str) -> None:
    """RenderError if generated ``html`` still holds a character no bundled
    font can draw (an interface translation, a CLDR name), named with its
    text: the last check of every output, after the data's own glyph check.
    ``output`` names what is made (a key of :data:`_EMPTY_BOX`)."""
    found = unprintable(html)
    if found:
        from calais_guide.cli_text import tr
        from calais_guide.errors import RenderError

        code, chars, text = found[0]
        raise RenderError(
            tr(
                _EMPTY_BOX[output],
                lang=lang,
                describe=glyphs.describe(chars),
                code=code,
                text=repr(text[:80]),
            )
        )
