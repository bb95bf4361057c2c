"""Bundled fonts and glyph coverage: no empty boxes on paper.

``fonts/fonts.yaml`` says which font families serve which script. Every text
printed in a language must be drawable by the fonts of that language's
script; a character none of them has is reported with the entry, field and
language *before* anything is rendered (fontTools reads the cmaps).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import languages
from .cli_text import tr
from .errors import Problem
from .model import Database, Entry
from .paths import fonts_dir

# Characters layout handles without a glyph (joiners, direction marks, spaces).
_INVISIBLE = frozenset(
    {
        "\n",
        "\r",
        "\t",
        "\u200c",
        "\u200d",
        "\u200e",
        "\u200f",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\ufeff",
        "\u00ad",
    }
)


@dataclass(frozen=True)
class Font:
    """One bundled font family."""

    family: str
    """Real family name (as in the font's name table)."""
    files: dict[str, Path]
    """Weight (``regular``, ``bold``) -> font file."""
    scripts: tuple[str, ...]
    """ISO 15924 scripts this family serves."""


@functools.cache
def _fonts(root: Path) -> tuple[Font, ...]:
    raw = yaml.safe_load((root / "fonts.yaml").read_text(encoding="utf-8"))
    return tuple(
        Font(
            family=item["family"],
            files={weight: root / name for weight, name in item["files"].items()},
            scripts=tuple(item["scripts"]),
        )
        for item in raw["fonts"]
    )


def fonts() -> tuple[Font, ...]:
    """Every bundled font family, in ``fonts.yaml`` order."""
    return _fonts(fonts_dir())


def families_for(lang: str) -> list[str]:
    """Font families for language ``lang``, most specific first (CSS order);
    an unregistered code is written in Latin script (the validator rejects
    such codes before anything is printed)."""
    script = languages.script_of(lang)
    own = [f.family for f in fonts() if f.scripts == (script,)]
    shared = [f.family for f in fonts() if script in f.scripts and f.family not in own]
    return own + shared


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def coverage(lang: str) -> frozenset[int]:
    """Code points that some font of language ``lang`` can draw, in every weight."""
    return _coverage(fonts_dir(), languages.script_of(lang))


@functools.cache
def _coverage(root: Path, script: str) -> frozenset[int]:
    # Once per script and process: a guide of 2,000 entries asks for every
    # text, and intersecting whole character maps each time took 30 s.
    chosen = [f for f in _fonts(root) if script in f.scripts]
    per_weight: dict[str, set[int]] = {}
    for font in chosen:
        for weight, path in font.files.items():
            per_weight.setdefault(weight, set()).update(_cmap(path))
    sets = list(per_weight.values())
    return frozenset(set.intersection(*sets)) if sets else frozenset()


@functools.cache
def _drawable(root: Path, script: str) -> frozenset[str]:
    """:func:`_coverage` as characters, with those layout needs no glyph for."""
    return frozenset(map(chr, _coverage(root, script))) | _INVISIBLE


def missing(text: str, lang: str) -> list[str]:
    """Characters of ``text`` that no font of ``lang`` can draw (each once, in order)."""
    return _missing(text, _drawable(fonts_dir(), languages.script_of(lang)))


def _missing(text: str, have: frozenset[str]) -> list[str]:
    odd = set(text).difference(have)  # at C speed: most texts have none
    if not odd:
        return []
    seen: dict[str, None] = {}
    for char in text:
        if char in odd and not char.isspace():
            seen.setdefault(char, None)
    return list(seen)


def describe(chars: Iterable[str]) -> str:
    """``'ʕ' (U+0295 LATIN LETTER PHARYNGEAL VOICED FRICATIVE)`` for each character."""
    return ", ".join(
        f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')})" for c in chars
    )


def check_database(db: Database, langs: Iterable[str] | None = None) -> list[Problem]:
    """A problem for every text (and entry name) a bundled font cannot draw."""
    registry = languages.registry()
    root = fonts_dir()
    have = {code: _drawable(root, lang.script) for code, lang in registry.items()}
    wanted = [c for c in (langs or db.edition.languages) if c in registry]
    problems: list[Problem] = []
    for entry in db.entries:
        for lang in wanted:
            chars = _missing(entry.name, have[lang])
            if chars:
                problems.append(_problem(entry, "name", lang, chars))
        for field, texts in entry.localized_fields():
            for code, text in texts.items():
                if code not in registry:
                    continue
                chars = _missing(text.text, have[code])
                if chars:
                    problems.append(_problem(entry, f"{field}.{code}", code, chars))
    ed = db.edition
    for field, texts in ed.localized_fields():
        for code, text in texts.items():
            if code in registry and (chars := _missing(text.text, have[code])):
                problems.append(
                    Problem(
                        ed.path,
                        ed.lines.get(f"{field}.{code}"),
                        f"{field}.{code}",
                        tr(
                            "no bundled font can draw {describe} in {code}",
                            describe=describe(chars),
                            code=code,
                        ),
                        tr("replace the character, or add a font covering it to fonts/fonts.yaml"),
                        code="undrawable",
                    )
                )
    return problems


def _problem(entry: Entry, field: str, lang: str, chars: list[str]) -> Problem:
    return Problem(
        entry.path,
        entry.line(field),
        field,
        tr(
            "no bundled font can draw {describe} in {lang} (it would print as an empty box)",
            describe=describe(chars),
            lang=lang,
        ),
        tr(
            "replace the character (typo, emoji, wrong script?), or add a font "
            "covering it to fonts/fonts.yaml"
        ),
        code="undrawable",
    )
