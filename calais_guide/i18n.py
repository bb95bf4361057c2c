"""Choosing the text to show in a language, with fallback and draft marks.

Interface strings (headings, labels) come from gettext catalogs; entry texts
come from the data, falling back along the language's chain (L -> en -> fr).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass

from . import languages
from .model import Localized, TextStatus


@dataclass(frozen=True)
class Shown:
    """A text picked for display."""

    text: str
    """The text."""
    lang: str
    """Language the text is actually in (differs from the asked one on fallback)."""
    status: TextStatus
    """Its translation status."""
    fallback: bool
    """True when the asked language had no text and another was used."""


def pick(texts: Localized, lang: str) -> Shown | None:
    """The text for ``lang``, else the first of its fallbacks; None if none has one."""
    chain = languages.fallback_chain(lang) if lang in languages.registry() else [lang, "en", "fr"]
    for i, code in enumerate(chain):
        text = texts.get(code)
        if text is not None:
            return Shown(text.text, code, text.status, fallback=i > 0)
    if texts:
        code, text = next(iter(texts.items()))
        return Shown(text.text, code, text.status, fallback=True)
    return None


def pick_text(texts: Localized, lang: str, default: str = "") -> str:
    """Just the text of :func:`pick` (``default`` when there is none)."""
    shown = pick(texts, lang)
    return shown.text if shown else default


def translations(lang: str) -> gettext.NullTranslations:
    """Interface strings for ``lang`` (English msgids until catalogs exist)."""
    del lang
    return gettext.NullTranslations()
