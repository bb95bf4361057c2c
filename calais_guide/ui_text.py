"""Interface strings of booklets, cards and lookups, listed for the catalogs.

Templates (``layouts/``) and lookups call ``_("...")`` with these English
msgids; listing them here with :func:`N_` keeps them in the catalogs (and
translated) whatever template or module uses them today. Vocabulary labels
(categories, who is welcome, statuses) are in :mod:`calais_guide.vocabulary`.

To add a string: use it in a template or module as ``_("...")`` (or add it
here), run ``python -m calais_guide.catalogs update``, translate it in every
``locale/<code>/LC_MESSAGES/messages.po``; ``tests/test_i18n_catalogs.py``
fails until every language has it.
"""

from __future__ import annotations

from .vocabulary import N_

BOOKLET: tuple[str, ...] = (
    N_("Contents"),
    N_("Introduction"),
    N_("Where to find help"),
    N_("Emergency numbers"),
    N_("A project of %(name)s"),
    N_("Projects"),
    N_("What they offer"),
    N_("Where and when"),
    N_("Phone"),
    N_("Available 24/7"),
    N_("E-mail"),
    N_("Website"),
    N_("Mobile team on the living sites"),
    N_("Address given by phone"),
    N_("Hours not known: ask before you go"),
    N_("Temporarily closed"),
    N_("Closed"),
    N_("Check before you go: valid until the next edition."),
    N_("Edition of %(date)s"),
    N_("Translation not yet reviewed"),
    N_("Not yet translated: shown in %(language)s"),
    N_("Notes"),
    N_("Languages spoken"),
    N_("Who is welcome"),
    N_("Free, day and night"),
    N_("Text message only"),
    N_("Scan to open the website"),
)
"""Booklet headings, labels and marks."""

CARDS_AND_LOOKUPS: tuple[str, ...] = (
    N_("Open now"),
    N_("Open today"),
    N_("Closed today"),
    N_("Closed now"),
    N_("Hours unknown"),
    N_("Valid until the next edition"),
    N_("Emergency"),
    N_("24/7 lines"),
    N_("Key services"),
    N_("Show this card"),
    N_("Last verified"),
    N_("Never verified"),
    N_("Offers"),
    N_("Did you mean"),
    N_("What changed since the last edition"),
)
"""Pocket cards and terminal lookups."""

LOOKUPS: tuple[str, ...] = (
    N_("Now"),
    N_("Alert"),
    N_("Special hours"),
    N_("Place"),
    N_("Name"),
    N_("Summary"),
    N_("Description"),
    N_("Matched"),
    N_("State"),
    N_("Some words matched with a typo allowed"),
    N_("No match for: %(words)s"),
    N_("Not shown (closed or hours unknown): %(count)s"),
    N_("Mobile teams without fixed hours are listed: they may be elsewhere."),
    N_("Temporarily closed until %(date)s"),
    N_("Original"),
    N_("Reviewed"),
    N_("Draft"),
    N_("Out of date"),
    N_("Missing"),
)
"""Terminal lookups (find, show, list): labels, states and notes."""

REASONS: dict[str, str] = {
    "name": N_("Name"),
    "summary": N_("Summary"),
    "place": N_("Place"),
    "description": N_("Description"),
}
"""Where ``find`` matched (search reasons other than ``category:...``) -> msgid."""

TEXT_STATES: dict[str, str] = {
    "original": N_("Original"),
    "reviewed": N_("Reviewed"),
    "draft": N_("Draft"),
    "stale": N_("Out of date"),
    "missing": N_("Missing"),
}
"""Translation state -> msgid (the per-language status lines of ``show``)."""
