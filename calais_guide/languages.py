"""The language registry: code, script, direction and fallbacks of each
language the guide prints, read from ``data/languages.yaml``."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml

from .errors import UnknownValue
from .model import UNREGISTERED_CHAIN
from .paths import data_dir

if TYPE_CHECKING:
    import gettext

    from babel import Locale


@dataclass(frozen=True)
class Language:
    """A language the guide is printed in: what an output needs to know of
    it, resolved once from its code (:func:`get`, :func:`resolve`) and
    passed down. The formatting helpers of :mod:`calais_guide.i18n`
    (``day_name``, ``days_text``, ``date_span``, ``time_range``...) take it
    (or a bare code, resolved there); :func:`calais_guide.model.pick` takes
    its :attr:`chain`."""

    code: str
    """CLDR code (``fr``, ``ckb``)."""
    script: str
    """ISO 15924 script (``Latn``, ``Arab``, ``Ethi``)."""
    direction: Literal["ltr", "rtl"]
    """Writing direction."""
    fallback: tuple[str, ...]
    """Languages to show, in order, where a text is missing in this one."""
    note: str | None = None
    """Remark for editors."""
    cldr: str | None = None
    """CLDR locale of its dates (day and month names) when it is not
    :attr:`code`'s own: ``fa_AF`` for Persian, read mostly by Afghans."""
    short_months: Literal["abbreviated", "wide"] = "abbreviated"
    """CLDR width of the month names lookups print ("Mon 6 Mar"): ``wide``
    where the abbreviations would not be understood."""

    @property
    def chain(self) -> tuple[str, ...]:
        """Where to look for a text, in order: this language, then its fallbacks
        (what :func:`calais_guide.model.pick` takes)."""
        return (self.code, *self.fallback)

    @property
    def locale(self) -> Locale:
        """Babel's CLDR locale of its dates and numbers (:attr:`cldr`, else its
        own, else its first fallback's CLDR has: :func:`calais_guide.i18n.cldr_locale`)."""
        from .i18n import cldr_locale

        return cldr_locale(self.code)

    @property
    def catalog(self) -> gettext.NullTranslations:
        """Its interface strings (:func:`calais_guide.i18n.translations`)."""
        from .i18n import translations

        return translations(self.code)

    @property
    def rtl(self) -> bool:
        """Written right to left."""
        return self.direction == "rtl"

    @property
    def name(self) -> str:
        """The language's own name ("Français", "ትግርኛ"), from CLDR."""
        return display_name(self.code, self.code)


@functools.cache
def display_name(code: str, in_lang: str) -> str:
    """CLDR name of language ``code`` written in ``in_lang`` (capitalised)."""
    from babel import Locale

    try:
        name = Locale.parse(code).get_display_name(Locale.parse(in_lang))
    except (ValueError, LookupError):
        return code
    return (name[:1].upper() + name[1:]) if name else code


@functools.cache
def _load(path: Path) -> dict[str, Language]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        item["code"]: Language(
            code=item["code"],
            script=item["script"],
            direction=item["direction"],
            fallback=tuple(item.get("fallback") or ()),
            note=item.get("note"),
            cldr=item.get("cldr"),
            short_months=item.get("short_months", "abbreviated"),
        )
        for item in raw
    }


def registry() -> dict[str, Language]:
    """Every registered language by code, in registry order."""
    return _load(data_dir() / "languages.yaml")


def get(code: str) -> Language:
    """The registered language ``code``; :class:`~calais_guide.errors.UnknownValue`
    (a usage error, exit 2) naming the known ones."""
    try:
        return registry()[code]
    except KeyError:
        raise UnknownValue(unknown_language(code, registry())) from None


def resolve(lang: Language | str) -> Language:
    """``lang`` itself when already resolved, else the registered language of
    that code (:func:`get`): public functions take either, and resolve once."""
    return lang if isinstance(lang, Language) else get(lang)


def unknown_language(code: str, known: Iterable[str]) -> str:
    """The one message for a language code that is not registered."""
    from .cli_text import tr

    return tr("unknown language '{code}': use one of {known}", code=code, known=", ".join(known))


def codes() -> list[str]:
    """Registered language codes, in registry order."""
    return list(registry())


def chain(code: str) -> tuple[str, ...]:
    """``code`` then its fallbacks: where to look for a text, in order
    (:attr:`Language.chain`; English then French for an unregistered code)."""
    found = registry().get(code)
    return found.chain if found is not None else (code, *UNREGISTERED_CHAIN)


def direction_of(code: str) -> Literal["ltr", "rtl"]:
    """Writing direction of language ``code`` (``ltr`` for an unregistered one)."""
    found = registry().get(code)
    return found.direction if found is not None else "ltr"


def script_of(code: str) -> str:
    """ISO 15924 script of language ``code`` (``Latn`` for an unregistered one)."""
    found = registry().get(code)
    return found.script if found is not None else "Latn"
