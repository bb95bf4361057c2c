"""Controlled vocabularies, defined here and nowhere else.

Each value is a stable id written in the entry files; the English text beside
it is the gettext msgid that the catalogs translate (``locale/``), so printed
and terminal labels come from the catalogs, never from these ids.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction into the catalogs without translating it now."""
    return message


CATEGORIES: dict[str, str] = {
    "food": N_("Food"),
    "water": N_("Water"),
    "clothes": N_("Clothes"),
    "shelter": N_("Shelter"),
    "heating": N_("Heating and firewood"),
    "health": N_("Health care"),
    "mental-health": N_("Mental health"),
    "legal": N_("Legal help"),
    "information": N_("Information"),
    "phone-charging": N_("Phone charging"),
    "wifi": N_("Wi-Fi"),
    "laundry": N_("Laundry"),
    "showers": N_("Showers"),
    "women": N_("Women"),
    "families": N_("Families"),
    "minors": N_("Minors"),
    "children": N_("Children"),
    "sea-safety": N_("Safety at sea"),
    "emergency": N_("Emergency"),
    "family-links": N_("Finding family"),
    "human-rights": N_("Human rights"),
    "advocacy": N_("Advocacy"),
    "coordination": N_("Coordination of associations"),
    "rest": N_("Rest and day centre"),
    "material": N_("Tents, blankets, sleeping bags"),
    "activities": N_("Activities"),
}
"""Category id -> English label (msgid)."""

NEEDS: tuple[str, ...] = (
    "emergency",
    "sea-safety",
    "health",
    "mental-health",
    "food",
    "water",
    "shelter",
    "material",
    "heating",
    "clothes",
    "legal",
    "human-rights",
    "women",
    "minors",
    "children",
    "families",
    "family-links",
    "phone-charging",
    "showers",
    "laundry",
    "wifi",
    "rest",
    "information",
    "activities",
)
"""The categories a reader looks for, most urgent first: the order of the
booklet's "by need" part, its pictogram key and the timetable. (``advocacy``
and ``coordination`` describe the associations' work, not a need.) Each has
one colour, defined once in ``layouts/base.css`` (``.need-<id>``)."""

WELCOME: dict[str, str] = {
    "unconditional": N_("Everyone, unconditionally"),
    "men": N_("Men"),
    "women": N_("Women"),
    "families": N_("Families"),
    "minors": N_("Unaccompanied minors"),
    "children": N_("Children"),
    "volunteers": N_("Volunteers and associations"),
}
"""Who-is-welcome id -> English label (msgid)."""

ENTRY_STATUSES: dict[str, str] = {
    "active": N_("Active"),
    "temporarily-closed": N_("Temporarily closed"),
    "closed": N_("Closed"),
}
"""Entry status id -> English label (msgid)."""
