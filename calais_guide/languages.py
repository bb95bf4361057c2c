"""The language registry: code, script, direction and fallbacks of each
language the guide prints, read from ``data/languages.yaml``."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from .errors import UnknownValue
from .paths import data_dir


@dataclass(frozen=True)
class Language:
    """A language the guide is printed in."""

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

    @property
    def rtl(self) -> bool:
        """Written right to left."""
        return self.direction == "rtl"

    @property
    def name(self) -> str:
        """The language's own name ("Français", "ትግርኛ"), from CLDR."""
        return display_name(self.code, self.code)

    def name_in(self, other: str) -> str:
        """The language's name in language ``other``, from CLDR."""
        return display_name(self.code, other)


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


def unknown_language(code: str, known: Iterable[str]) -> str:
    """The one message for a language code that is not registered."""
    from .cli_text import tr

    return tr("unknown language '{code}': use one of {known}", code=code, known=", ".join(known))


def codes() -> list[str]:
    """Registered language codes, in registry order."""
    return list(registry())


def fallback_chain(code: str) -> list[str]:
    """``code`` then its fallbacks: where to look for a text, in order."""
    return [code, *get(code).fallback]
