"""The diff for people: terminal text and a Markdown newsletter, in French or English."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from calais_guide.cli_text import tr_in, tr_noop
from calais_guide.editions.diff import Change, EditionDiff, Side
from calais_guide.model import (
    DAYS,
    Address,
    Closure,
    Email,
    EmergencyNumber,
    Location,
    Phone,
    Schedule,
    ScheduleException,
    SocialLink,
    SpokenLanguage,
    Text,
    is_localized,
)
from calais_guide.validate import SOURCE_LANGUAGE

DIFF_LANGS = ("fr", "en")
"""Languages of the diff's headings and labels (the coordinators' languages)."""

_WORDS: dict[str, str] = {
    # key -> English msgid of the "cli" catalog (French in locale/fr/LC_MESSAGES/cli.po)
    "title": tr_noop("What changed: {old} → {new}"),
    "edition_label": tr_noop("edition {month}"),
    "current_label": tr_noop("current data (edition {month})"),
    "counts": tr_noop("{added} added, {removed} removed, {changed} changed"),
    "nothing": tr_noop("No change."),
    "edition": tr_noop("The booklet (edition)"),
    "important": tr_noop("Important: phones, addresses, hours, closures, status"),
    "added": tr_noop("Added"),
    "removed": tr_noop("Removed"),
    "other": tr_noop("Other changes"),
    "verified": tr_noop("Re-checked, nothing else changed"),
    "translations": tr_noop("translations"),
    "t_added": tr_noop("added"),
    "t_removed": tr_noop("removed"),
    "t_changed": tr_noop("changed"),
    "none": tr_noop("(none)"),
    "new": tr_noop("new"),
    "yes": tr_noop("yes"),
    "no": tr_noop("no"),
    "closed": tr_noop("closed"),
    "always": tr_noop("24/7"),
    "until": tr_noop("until further notice"),
    "ask": tr_noop("address on request"),
    "mobile": tr_noop("mobile team"),
}

_FIELDS: dict[str, str] = {
    # field name -> label of the Markdown newsletter (English msgid, as above).
    "name": tr_noop("Name"),
    "alternate_name": tr_noop("Other name"),
    "summary": tr_noop("Summary"),
    "description": tr_noop("Description"),
    "status": tr_noop("Status"),
    "categories": tr_noop("Categories"),
    "welcome": tr_noop("Who is welcome"),
    "languages": tr_noop("Languages"),
    "phones": tr_noop("Phone"),
    "number": tr_noop("number"),
    "type": tr_noop("type"),
    "label": tr_noop("label"),
    "available_24_7": tr_noop("24/7"),
    "emails": tr_noop("E-mail"),
    "address": tr_noop("address"),
    "websites": tr_noop("Website"),
    "social": tr_noop("Social network"),
    "url": tr_noop("address"),
    "locations": tr_noop("Place"),
    "kind": tr_noop("kind"),
    "street": tr_noop("street"),
    "postal_code": tr_noop("postal code"),
    "city": tr_noop("city"),
    "latitude": tr_noop("latitude"),
    "longitude": tr_noop("longitude"),
    "schedules": tr_noop("Hours"),
    "exceptions": tr_noop("Special days"),
    "byday": tr_noop("days"),
    "opens_at": tr_noop("opens"),
    "closes_at": tr_noop("closes"),
    "valid_from": tr_noop("from"),
    "valid_to": tr_noop("to"),
    "closed": tr_noop("closed"),
    "note": tr_noop("note"),
    "closures": tr_noop("Closure"),
    "alert": tr_noop("message"),
    "parent": tr_noop("Parent association"),
    "transliterations": tr_noop("Transliterations"),
    "title": tr_noop("Title"),
    "intro": tr_noop("Introduction"),
    "order": tr_noop("Booklet order"),
    "emergency_numbers": tr_noop("Emergency number"),
    "sms": tr_noop("SMS"),
    "publisher": tr_noop("Publisher"),
    "website": tr_noop("Guide website"),
    "country": tr_noop("Country"),
    "card_categories": tr_noop("Thematic cards"),
    "verification_window_days": tr_noop("Verification window"),
    "assured_date": tr_noop("Verified on"),
    "assurer": tr_noop("Verified by"),
}


def _word(key: str, lang: str) -> str:
    # Coordinators read French or English (the "cli" catalog has French only).
    return tr_in(lang, _WORDS[key])


def field_label(path: str, lang: str) -> str:
    """A readable label for a field path: ``phones[0].number`` -> ``Téléphone 1 › numéro``."""
    parts: list[str] = []
    for name, number in re.findall(r"([A-Za-z_0-9-]+)(?:\[(\d+)\])?", path):
        label = tr_in(lang, _FIELDS[name]) if name in _FIELDS else name
        parts.append(f"{label} {int(number) + 1}" if number else label)
    return " › ".join(parts)


def _day_names(lang: str) -> dict[str, str]:
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=lang)
    return {code: names[i] for i, code in enumerate(DAYS)}


def describe(value: Any, lang: str = "en") -> str:
    """A model value in one line for people: numbers, dates and hours as written."""
    if value is None:
        return _word("none", lang)
    if isinstance(value, bool):
        return _word("yes" if value else "no", lang)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Text):
        return value.text
    if isinstance(value, dict) and is_localized(value):
        text = value.get(SOURCE_LANGUAGE) or next(iter(value.values()))
        return text.text
    if isinstance(value, Phone):
        extra = f" ({_word('always', lang)})" if value.available_24_7 else ""
        return f"{value.number}{extra}"
    if isinstance(value, Address):
        return ", ".join(x for x in (value.street, value.postal_code, value.city) if x)
    if isinstance(value, Location):
        if value.address is not None:
            where = describe(value.address, lang)
        elif value.kind == "confidential":
            where = _word("ask", lang)
        else:
            where = _word("mobile", lang)
        name = describe(value.name, lang) + ": " if value.name else ""
        hours = "; ".join(describe(s, lang) for s in value.schedules)
        return f"{name}{where}" + (f" ({hours})" if hours else "")
    if isinstance(value, Schedule):
        days = _day_names(lang)
        span = f"{value.opens_at:%H:%M}–{value.closes_at:%H:%M}"
        return " ".join(days[d] for d in value.byday) + " " + span
    if isinstance(value, ScheduleException | Closure):
        span = value.valid_from.isoformat()
        if value.valid_to is None and isinstance(value, Closure):
            span += f" – {_word('until', lang)}"
        elif value.valid_to is not None and value.valid_to != value.valid_from:
            span += f" – {value.valid_to.isoformat()}"
        if isinstance(value, Closure):
            what = describe(value.alert, lang) if value.alert else _word("closed", lang)
        elif value.closed or value.opens_at is None or value.closes_at is None:
            what = _word("closed", lang)
        else:
            what = f"{value.opens_at:%H:%M}–{value.closes_at:%H:%M}"
        return f"{span}: {what}"
    if isinstance(value, Email):
        return value.address
    if isinstance(value, SocialLink):
        return value.url
    if isinstance(value, SpokenLanguage):
        return value.code + (f" ({value.note})" if value.note else "")
    if isinstance(value, EmergencyNumber):
        return f"{value.number} {describe(value.label, lang)}".strip()
    if isinstance(value, list):
        return ", ".join(describe(v, lang) for v in value) or _word("none", lang)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {describe(v, lang)}" for k, v in value.items())
    return str(value)


def _side_label(side: Side, lang: str) -> str:
    if side.spec == "current":
        return _word("current_label", lang).format(month=side.edition)
    label = _word("edition_label", lang).format(month=side.edition)
    # A month names its snapshot; a file or folder given by path is named too.
    return label if side.spec == side.edition else f"{side.spec} ({label})"


def _translation_summary(changes: Sequence[Change], lang: str, fields: Callable[[str], str]) -> str:
    """``en changed (summary, description); ar added (summary)``."""
    groups: dict[tuple[str, str], list[str]] = {}
    for c in changes:
        base = c.field.rsplit(".", 1)[0]
        groups.setdefault((c.lang or "?", c.change), []).append(fields(base))
    parts = [
        f"{code} {_word('t_' + kind, lang)} ({', '.join(dict.fromkeys(names))})"
        for (code, kind), names in groups.items()
    ]
    return "; ".join(parts)


def _flat(text: str) -> str:
    return " ".join(text.split())


def diff_to_text(d: EditionDiff, lang: str = "en") -> str:
    """The diff for the terminal: field paths as in the entry files, every change."""
    lines = [
        _word("title", lang).format(old=_side_label(d.old, lang), new=_side_label(d.new, lang)),
        _word("counts", lang).format(
            added=len(d.added), removed=len(d.removed), changed=len(d.changed)
        ),
    ]
    if d.empty:
        lines.append(_word("nothing", lang))
        return "\n".join(lines) + "\n"

    def change_lines(changes: Sequence[Change]) -> list[str]:
        out = []
        texts = [c for c in changes if c.category == "translations"]
        for c in changes:
            if c.category == "translations":
                continue
            old = _flat(describe(c.old, lang))
            new = _flat(describe(c.new, lang))
            if c.change == "added":
                out.append(f"    + {c.field}: {new}")
            elif c.change == "removed":
                out.append(f"    - {c.field}: {old}")
            else:
                out.append(f"    {c.field}: {old} → {new}")
        if texts:
            summary = _translation_summary(texts, lang, lambda f: f)
            out.append(f"    {_word('translations', lang)}: {summary}")
        return out

    if d.edition:
        lines += ["", _word("edition", lang), *change_lines(d.edition)]
    important = [c for c in d.changed if c.important]
    if important:
        lines += ["", _word("important", lang)]
        for c in important:
            lines += [f"  {c.id} ({c.name})", *change_lines(c.changes)]
    if d.added:
        lines += ["", _word("added", lang)]
        for e in d.added:
            lines.append(f"  + {e.id} ({e.name}): {_flat(describe(e.summary, lang))}")
    if d.removed:
        lines += ["", _word("removed", lang)]
        for e in d.removed:
            lines.append(f"  - {e.id} ({e.name})")
    other = [c for c in d.changed if not c.important and not c.editorial_only]
    if other:
        lines += ["", _word("other", lang)]
        for c in other:
            lines += [f"  {c.id} ({c.name})", *change_lines(c.changes)]
    verified = [c for c in d.changed if c.editorial_only]
    if verified:
        lines += ["", _word("verified", lang)]
        for c in verified:
            lines += [f"  {c.id} ({c.name})", *change_lines(c.changes)]
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def _md(text: str) -> str:
    """Entry text is data: escape what Markdown would read as formatting or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", _flat(text))


def diff_to_markdown(d: EditionDiff, lang: str = "fr") -> str:
    """The diff for a newsletter or a message to the associations.

    Readable labels instead of field paths; editorial fields (verification
    dates, internal notes, review items) are left out: they are not news.
    """

    sep = " :" if lang == "fr" else ":"  # French puts a space before the colon

    def label(path: str) -> str:
        return field_label(path, lang)

    def change_lines(changes: Sequence[Change]) -> list[str]:
        out = []
        public = [c for c in changes if c.category != "editorial"]
        texts = [c for c in public if c.category == "translations"]
        for c in public:
            if c.category == "translations":
                continue
            old, new = _md(describe(c.old, lang)), _md(describe(c.new, lang))
            shown = {
                "added": f"{new} ({_word('new', lang)})",
                "removed": f"~~{old}~~",
                "changed": f"~~{old}~~ → {new}",
            }
            # A French text is the text itself: no need to name the language.
            path = c.field.rsplit(".", 1)[0] if c.lang == SOURCE_LANGUAGE else c.field
            out.append(f"- **{_md(label(path))}**{sep} {shown[c.change]}")
        if texts:
            word = _word("translations", lang).capitalize()
            out.append(f"- {word}{sep} {_md(_translation_summary(texts, lang, label))}")
        return out

    public_changed = [c for c in d.changed if not c.editorial_only]
    title = _word("title", lang).format(old=_side_label(d.old, lang), new=_side_label(d.new, lang))
    lines = [
        f"# {_md(title)}",
        "",
        _word("counts", lang).format(
            added=len(d.added), removed=len(d.removed), changed=len(public_changed)
        ),
    ]
    if not (d.edition or d.added or d.removed or public_changed):
        return "\n".join([*lines, "", _word("nothing", lang)]) + "\n"
    if d.edition:
        lines += ["", f"## {_word('edition', lang)}", "", *change_lines(d.edition)]
    important = [c for c in public_changed if c.important]
    if important:
        lines += ["", f"## {_word('important', lang)}"]
        for c in important:
            lines += ["", f"### {_md(c.name)}", "", *change_lines(c.changes)]
    if d.added:
        lines += ["", f"## {_word('added', lang)}", ""]
        for e in d.added:
            lines.append(f"- **{_md(e.name)}**{sep} {_md(describe(e.summary, lang))}")
    if d.removed:
        lines += ["", f"## {_word('removed', lang)}", ""]
        for e in d.removed:
            lines.append(f"- **{_md(e.name)}**")
    other = [c for c in public_changed if not c.important]
    if other:
        lines += ["", f"## {_word('other', lang)}"]
        for c in other:
            lines += ["", f"### {_md(c.name)}", "", *change_lines(c.changes)]
    return "\n".join(lines) + "\n"
