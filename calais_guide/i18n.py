"""Interface strings, CLDR names and formats, and the text to show in a language.

Three sources of words, one per kind:

- **Interface strings** (headings, labels, category names) are English msgids
  in gettext catalogs: ``locale/<code>/LC_MESSAGES/messages.po``, compiled to
  ``.mo`` by the build (``make``) or here, on first use, when the ``.mo`` is
  missing or was made from another ``.po`` (see :func:`translations`).
- **Day and month names, dates, numbers, language names** come from Babel's
  CLDR data (:func:`day_name`, :func:`month_year`, :func:`format_date`...),
  never from hand-written tables.
- **Entry texts** come from the data, falling back along the language's chain
  (L -> en -> fr): :func:`calais_guide.model.pick`.

The formatting helpers take the :class:`calais_guide.languages.Language` an
output resolved once (it carries its CLDR locale), or a bare code.

Digits: Babel formats dates and numbers with Latin digits in every language
(it does not apply CLDR's default Arabic-Indic numbering of fa, ps, ckb), and
:func:`format_number` asks for Latin digits explicitly. Phone numbers are
never formatted here: they are printed as written, in Latin digits, so they
can be dialled.

Light on purpose: lookups import this module, so Babel (and the language
registry, which reads YAML) are imported only inside the functions that need them.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import GuideError
from .model import DAYS

if TYPE_CHECKING:
    from babel import Locale

    from .languages import Language

DOMAIN = "messages"
"""gettext domain of what readers see: ``locale/<code>/LC_MESSAGES/messages.po``
(every language of the guide)."""
CLI_DOMAIN = "cli"
"""gettext domain of the command line's own words (messages, help, prompts):
``locale/fr/LC_MESSAGES/cli.po``, French only, since the people who run the
commands read French or English (:mod:`calais_guide.cli_text`)."""
DOMAINS = (DOMAIN, CLI_DOMAIN)
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""The catalogs shipped with the package (``.po`` sources, compiled ``.mo``)."""
PO_HASH_HEADER = "X-PO-Hash"
"""Header of a compiled ``.mo`` naming the ``.po`` it was made from."""
REVIEW_HEADER = "X-Review-Status"
"""Header of a ``.po``: ``reviewed`` once a native speaker checked it, else ``draft``."""


class CatalogError(GuideError):
    """A gettext catalog cannot be read or compiled."""


# -- gettext catalogs ----------------------------------------------------------


def po_path(lang: str, locale_dir: Path = LOCALE_DIR, domain: str = DOMAIN) -> Path:
    """The ``.po`` source of language ``lang`` in gettext domain ``domain``."""
    return locale_dir / lang / "LC_MESSAGES" / f"{domain}.po"


def translations(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The interface strings of ``lang``, ready for ``gettext``.

    A :class:`gettext.GNUTranslations` read from the compiled catalog; plain
    :class:`gettext.NullTranslations` (the English msgids) when the language
    has no catalog. Cached: the first call per language costs about a
    millisecond (see ``benchmarks/catalogs.py``).

    The ``.mo`` is compiled here when it is missing or was made from another
    version of the ``.po`` (its ``X-PO-Hash`` header differs), beside the
    ``.po`` if that folder is writable, else in ``locale/`` of
    :func:`calais_guide.paths.cache_dir`: a fresh
    checkout or an installed wheel works without running the build first.
    """
    env = os.environ
    return _translations_here(lang, domain, env.get("XDG_CACHE_HOME"), env.get("HOME"))


@functools.cache
def _translations_here(
    lang: str, domain: str, xdg_cache: str | None, home: str | None
) -> gettext.NullTranslations:
    # Keyed by what cache_dir() reads: a list of 2,000 entries asks for the
    # catalog once per line, and building the cache path each time costs.
    from .paths import cache_dir

    return _translations(lang, LOCALE_DIR, cache_dir() / "locale", domain)


def gettext_for(lang: str) -> Callable[[str], str]:
    """``_`` for language ``lang``: ``gettext_for("ar")("Open today")``."""
    return translations(lang).gettext


@functools.cache
def _translations(
    lang: str, locale_dir: Path, cache: Path, domain: str = DOMAIN
) -> gettext.NullTranslations:
    po = po_path(lang, locale_dir, domain)
    try:
        source = po.read_bytes()
    except FileNotFoundError:
        return gettext.NullTranslations()
    except OSError as exc:
        raise CatalogError(f"cannot read the catalog {po}: {exc.strerror}") from exc
    digest = _po_hash(source)
    beside = po.with_suffix(".mo")
    prefix = "" if domain == DOMAIN else f"{domain}-"
    cached = cache / f"{prefix}{lang}-{digest}.mo"
    for candidate in (beside, cached):
        found = _read_mo(candidate, digest)
        if found is not None:
            return found
    data = compile_po(source, po, digest)
    from .fileio import write_bytes

    for target in (beside, cached):
        try:
            write_bytes(target, data)
        except OSError:
            continue
        break
    # Parse what was compiled, even if it could be saved nowhere.
    import io

    return gettext.GNUTranslations(io.BytesIO(data))


def _po_hash(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()[:16]


def _read_mo(path: Path, digest: str) -> gettext.GNUTranslations | None:
    import stat

    try:
        # Without blocking, regular files only: a FIFO in the cache must not hang.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            found = gettext.GNUTranslations(handle)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return found if found.info().get(PO_HASH_HEADER.lower()) == digest else None


def compile_po(source: bytes, path: Path, digest: str | None = None) -> bytes:
    """The ``.mo`` bytes of ``.po`` text ``source`` (fuzzy messages left out,
    as gettext does), stamped with the hash of the ``.po``."""
    import io

    from babel.messages.mofile import write_mo

    catalog = read_catalog(source, path)
    catalog.extra_headers[PO_HASH_HEADER] = digest or _po_hash(source)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def read_catalog(source: bytes, path: Path) -> Any:
    """A Babel catalog from ``.po`` text, keeping its ``X-`` headers."""
    import io

    from babel.messages.pofile import PoFileError, PoFileParser

    catalog = _catalog_class()()
    parser = PoFileParser(catalog, abort_invalid=True)
    try:
        parser.parse(io.BytesIO(source))
    except LookupError as exc:  # an unknown charset in the Content-Type header
        raise CatalogError(
            f"{path} declares a character set Python does not know ({exc}): "
            "save it as UTF-8 (Poedit: Translation > Properties)"
        ) from None
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path} is not a valid .po file: {exc}") from exc
    return catalog


@functools.cache
def _catalog_class() -> type:
    """Babel's Catalog, keeping the headers it does not know (``X-...``).

    Babel drops unknown headers when it reads a ``.po``; ours carry the review
    status of a catalog and, in exports, the source language.
    """
    from babel.messages.catalog import Catalog

    class HeaderKeepingCatalog(Catalog):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.extra_headers: dict[str, str] = {}
            super().__init__(*args, **kwargs)

        def _get_headers(self) -> list[tuple[str, str]]:
            headers: list[tuple[str, str]] = Catalog._get_mime_headers(self)
            # Babel ends the last header with a newline: keep that last.
            return headers[:-1] + list(self.extra_headers.items()) + headers[-1:]

        def _set_headers(self, headers: Any) -> None:
            headers = list(headers)
            Catalog._set_mime_headers(self, headers)
            for name, value in headers:
                if name.lower().startswith("x-"):
                    self.extra_headers[name] = value.strip()

        mime_headers = property(_get_headers, _set_headers)

    return HeaderKeepingCatalog


def new_catalog(**kwargs: Any) -> Any:
    """An empty Babel catalog that keeps ``X-`` headers (see :func:`read_catalog`)."""
    return _catalog_class()(**kwargs)


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every ``.po`` under ``locale_dir`` (every domain) beside itself;
    the ``.mo`` paths."""
    written = []
    from .fileio import write_bytes

    for po in sorted(p for d in DOMAINS for p in locale_dir.glob(f"*/LC_MESSAGES/{d}.po")):
        target = po.with_suffix(".mo")
        write_bytes(target, compile_po(po.read_bytes(), po))
        written.append(target)
    return written


# -- CLDR: days, months, dates, numbers ---------------------------------------


@functools.cache
def cldr_locale(lang: str) -> Locale:
    """Babel's locale for the dates and numbers of ``lang``: the registry's
    ``cldr`` for it if any (Persian: ``fa_AF``), else :func:`code_locale`."""
    from babel import Locale

    from . import languages

    found = languages.registry().get(lang)
    if found is not None and found.cldr:
        return Locale.parse(found.cldr)
    return code_locale(lang)


@functools.cache
def code_locale(lang: str) -> Locale:
    """Babel's locale of the code ``lang`` itself; for a code CLDR lacks, the
    first of its fallbacks it has (else English). Language names use it
    (a ``cldr`` of the registry would add a country to them)."""
    from babel import Locale, UnknownLocaleError

    from . import languages

    for code in [*languages.chain(lang), "en"]:
        try:
            return Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            continue
    raise AssertionError("Babel has no English locale")  # pragma: no cover


def locale_of(lang: Language | str) -> Locale:
    """The CLDR locale of a resolved language (carried by it), or of a code."""
    return cldr_locale(lang) if isinstance(lang, str) else lang.locale


def day_name(day: str, lang: Language | str, width: str = "wide") -> str:
    """CLDR name of day ``day`` (``mo`` .. ``su``, as in ``byday``) in ``lang``.

    ``width`` is ``wide`` ("Monday"), ``abbreviated`` ("Mon") or ``narrow``
    ("M"). Names come from CLDR's *format* context: Babel 2.18 resolves the
    *stand-alone* context through aliases it caches in data shared between
    locales, so after one locale is used, another may get its names (Babel
    issue #1234). For the eight languages of the guide the two contexts hold
    the same day names.
    """
    if day not in DAYS:
        raise ValueError(f"unknown day {day!r}: use one of {', '.join(DAYS)}")
    names = locale_of(lang).days["format"][width]
    return str(names[DAYS.index(day)])


def month_year(date: dt.date, lang: Language | str) -> str:
    """An edition's month the local way: "mars 2023", "March 2023", "مارس 2023".

    Always the Gregorian calendar (the guide's dates are French dates), with
    the month name and the order of CLDR's ``yMMMM`` pattern for ``lang``.
    """
    from babel.dates import format_skeleton

    return str(format_skeleton("yMMMM", date, locale=locale_of(lang)))


def format_date(date: dt.date, lang: Language | str, length: str = "long") -> str:
    """A day the local way (CLDR ``long`` pattern): "1 mars 2023", "March 1, 2023"."""
    from babel.dates import format_date as babel_format_date

    return str(babel_format_date(date, length, locale=locale_of(lang)))


def format_time(time: dt.time, lang: Language | str) -> str:
    """An hour on the 24-hour clock (CLDR ``Hm`` skeleton): "14:05" everywhere
    the guide is read, even where CLDR would say "2:05 PM" (French hours)."""
    from babel.dates import format_skeleton

    return str(format_skeleton("Hm", time, locale=locale_of(lang)))


def days_text(days: Sequence[str], lang: Language | str, width: str = "wide") -> str:
    """Days (``mo`` .. ``su``) in ``lang``: runs of three or more consecutive
    days as a range ("lundi – vendredi"), others listed with CLDR's list
    pattern ("lundi, mercredi et vendredi"). ``width`` as in :func:`day_name`."""
    from babel.lists import format_list

    indices = sorted({DAYS.index(d) for d in days if d in DAYS})
    parts: list[str] = []
    run: list[int] = []
    for index in [*indices, None]:
        if index is not None and run and index == run[-1] + 1:
            run.append(index)
            continue
        if len(run) >= 3:
            parts.append(
                f"{day_name(DAYS[run[0]], lang, width)} – {day_name(DAYS[run[-1]], lang, width)}"
            )
        else:
            parts.extend(day_name(DAYS[i], lang, width) for i in run)
        run = [index] if index is not None else []
    return str(format_list(parts, locale=locale_of(lang))) if parts else ""


def time_range(opens: dt.time, closes: dt.time, lang: Language | str) -> str:
    """Opening hours on the 24-hour clock, CLDR's way for ``lang`` ("14:00 – 17:00")."""
    from babel.dates import format_interval

    return str(format_interval(opens, closes, "Hm", locale=locale_of(lang)))


def date_span(
    first: dt.date | None, last: dt.date | None, lang: Language | str, short: bool = False
) -> str:
    """A period in ``lang``: "1 – 15 juil. 2023", "1 juil. 2023 –" (open-ended),
    "– 30 juin 2023". ``short`` leaves the year out (pocket cards)."""
    from babel.dates import format_date as babel_format_date
    from babel.dates import format_interval

    locale = locale_of(lang)
    pattern, skeleton = ("d MMM", "MMMd") if short else ("medium", "yMMMd")
    if first and last:
        if first == last:
            return str(babel_format_date(first, pattern, locale=locale))
        return str(format_interval(first, last, skeleton, locale=locale))
    if first:
        return str(babel_format_date(first, pattern, locale=locale)) + " –"
    if last:
        return "– " + str(babel_format_date(last, pattern, locale=locale))
    return ""


def format_number(number: float, lang: Language | str) -> str:
    """A number with ``lang``'s separators, in Latin digits ("1 234,5", "1,234.5")."""
    from babel.numbers import format_decimal

    return str(format_decimal(number, locale=locale_of(lang), numbering_system="latn"))


def language_name(code: str, in_lang: str | None = None) -> str:
    """CLDR name of language ``code`` in ``in_lang`` (default: its own), as CLDR
    writes it inside a sentence ("affiché en anglais"); for a heading use
    :attr:`calais_guide.languages.Language.name` (capitalised)."""
    name = code_locale(code).get_display_name(code_locale(in_lang or code))
    return str(name) if name else code


# -- CLDR names for lookups, without Babel ------------------------------------

NAMES_FILE = Path(__file__).resolve().parent / "data" / "cldr_names.json"
"""CLDR day, month and language names of every language of the guide, taken
from Babel by ``python -m calais_guide.catalogs names`` (``make catalogs-update``):
lookups read this small table instead of importing Babel (about 60 ms).
``tests/test_lookup_languages.py`` checks it is what Babel says."""


@functools.cache
def lookup_names(lang: str) -> dict[str, Any]:
    """The CLDR names of ``lang`` from :data:`NAMES_FILE` (English for a
    language the table lacks)."""
    import json

    table = json.loads(NAMES_FILE.read_text(encoding="utf-8"))
    return table.get(lang) or table["en"]
