"""The command line's own words, in French or English.

The people who run the commands (coordinators, volunteers at a laptop) read
French or English: messages, warnings, hints, progress, summaries, prompts
and ``--help`` follow ``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` (the first one
set and non-empty, as POSIX says): French when it starts with ``fr``, English
otherwise (``C``, ``POSIX`` or nothing set included).

The msgids are the English texts, marked ``tr("...")`` (``ntr`` for plurals,
``tr_noop`` for a text translated later) and kept in their own gettext domain,
``cli`` (``locale/fr/LC_MESSAGES/cli.po``): the reader-facing catalog
(``messages``) must be complete in the eight languages of the guide, the
command line only in French. ``python -m calais_guide.catalogs update`` (``make
catalogs-update``) extracts them with the help texts of every command
(:func:`calais_guide.catalogs.extract_cli`).

Light: lookups import nothing of this; a command that prints loads one small
``.mo`` (about a millisecond), never Babel.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

CLI_LANGS = ("fr", "en")
"""Languages the command line speaks (English is the msgids themselves)."""
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""Read in this order; the first one set and non-empty decides (POSIX)."""


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """``fr`` or ``en``: the language of the command line for ``environ``
    (default: the process environment)."""
    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def _translations(lang: str) -> Any:
    from .i18n import CLI_DOMAIN, translations

    return translations(lang, CLI_DOMAIN)


def tr(message: str, /, **values: Any) -> str:
    """``message`` (a ``str.format`` string: ``{name}`` fields, literal braces
    doubled) in the command line's language, its fields filled from ``values``."""
    return tr_text(message).format(**values)


def tr_text(message: str, /) -> str:
    """The translation of ``message`` as it is, nothing filled in: for texts
    that are not format strings (help texts, Click's messages, descriptions)."""
    lang = cli_language()
    return message if lang == "en" else _translations(lang).gettext(message)


def ntr(singular: str, plural: str, count: int, /, **values: Any) -> str:
    """The singular or plural form for ``count``, translated; ``{count}`` and
    the ``values`` filled in."""
    lang = cli_language()
    if lang == "en":
        text = singular if count == 1 else plural
    else:
        text = _translations(lang).ngettext(singular, plural, count)
    return text.format(count=count, **values)


def tr_ctx(context: str, message: str, /) -> str:
    """``message`` translated in ``context`` (gettext's ``pgettext``): the same
    English word with another meaning ("number" as a kind of value, "un
    nombre", apart from a phone "number", "numéro")."""
    lang = cli_language()
    return message if lang == "en" else _translations(lang).pgettext(context, message)


def tr_noop(message: str, /) -> str:
    """Marks ``message`` for extraction only; translate it where it is shown
    (:func:`tr`, or :func:`tr_in` for a given language)."""
    return message


def tr_in(lang: str, message: str, /) -> str:
    """The translation of ``message`` in ``lang`` (``fr`` or ``en``) whatever the
    terminal says, as it is (nothing filled in): for texts whose language is an
    option (``edition diff --lang``)."""
    return message if lang == "en" else _translations(lang).gettext(message)
