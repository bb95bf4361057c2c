"""Opening hours: the one place that decides whether a service is open at a
given moment, and what its hours are on given days.

Result types are named tuples rather than dataclasses: they are created on
every lookup's start-up, where a frozen dataclass costs several times more.

Everything here is pure: the moment is always passed in (a naive
:class:`datetime.datetime` in the guide's local time, Europe/Paris: the wall
clock the schedules are written in), nothing reads the clock or the disk. The
lookups, the booklet and the pocket cards all ask this module, so they can
never disagree.

The rules, in the order they apply:

1. An entry whose ``status`` is ``closed`` is closed for good; one that is
   ``temporarily-closed`` is closed whatever its schedules say (the status is
   set by ``calais-guide close`` and cleared by ``reopen``).
2. A dated :class:`~calais_guide.model.Closure` covering the day closes the
   whole entry that day.
3. For each place, the weekly :class:`~calais_guide.model.Schedule` slots valid
   that day (``valid_from``/``valid_to``) give the hours, unless a
   :class:`~calais_guide.model.ScheduleException` covers the day: then it
   closes the place, or replaces the day's hours with its own.
4. A place without any schedule has no known hours: a mobile one is reported
   as ``mobile`` (outreach without fixed hours), any other as ``unknown``.
   Neither is ever reported as open: a wrong "open" sends someone walking for
   nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol

from .cli_text import tr, tr_noop

if TYPE_CHECKING:
    from .model import Closure, Localized, Location, ScheduleException


class Entry(Protocol):
    """What this module reads of an entry: a :class:`calais_guide.model.Entry`,
    or the lookup index's lighter :class:`calais_guide.lookup_index.Timetable`."""

    @property
    def status(self) -> str: ...

    @property
    def closures(self) -> list[Closure]: ...

    @property
    def locations(self) -> list[Location]: ...


State = Literal["open", "closed", "closure", "inactive", "mobile", "unknown"]
"""What :func:`entry_state` and :func:`location_state` can answer:

- ``open``: open at that moment (``until`` says until when);
- ``closed``: has hours, but not at that moment (``next_open`` says when next);
- ``closure``: closed by a dated closure or a ``temporarily-closed`` status
  (``closure`` holds it, with its alert text, when there is one);
- ``inactive``: the association has stopped (``status: closed``);
- ``mobile``: outreach without fixed hours: never open, ask or look out for it;
- ``unknown``: no hours in the data.
"""

TIMEZONE = "Europe/Paris"
"""The time zone every schedule is written in."""

LOOKAHEAD_DAYS = 7
"""How far :func:`entry_state` looks for the next opening."""

_END_OF_DAY = dt.time(23, 59)
"""``24:00`` is read as 23:59 by the loader; it means "until midnight"."""


class Slot(NamedTuple):
    """One opening on one day."""

    opens_at: dt.time
    """Opening time."""
    closes_at: dt.time
    """Closing time (23:59 means until midnight)."""
    description: Localized = {}
    """What happens in this slot, when the schedule says ("women only")."""

    def covers(self, moment: dt.time) -> bool:
        """Open at ``moment`` (opening minute included, closing minute excluded)."""
        if self.closes_at == _END_OF_DAY:
            return self.opens_at <= moment
        return self.opens_at <= moment < self.closes_at


class DayHours(NamedTuple):
    """A place's hours on one date, with the reason when it differs from the week."""

    date: dt.date
    """The day."""
    slots: tuple[Slot, ...]
    """Openings that day, in time order; empty = closed."""
    exception: ScheduleException | None = None
    """The dated exception that changed this day, if any."""
    closure: Closure | None = None
    """The closure of the whole entry covering this day, if any (then no slots)."""


class OpenState(NamedTuple):
    """The answer to "is it open at this moment?"."""

    state: State
    """See :data:`State`."""
    until: dt.datetime | None = None
    """When ``open``: the moment it closes."""
    next_open: dt.datetime | None = None
    """When not open: the next opening within :data:`LOOKAHEAD_DAYS`, if any."""
    closure: Closure | None = None
    """When ``closure``: the closure in force (None for a bare
    ``temporarily-closed`` status)."""
    exception: ScheduleException | None = None
    """The dated exception that applies today, if any (a day off or special hours)."""
    location: Location | None = None
    """The place this answer is about (for an entry: the place that is open,
    or opens next)."""

    @property
    def is_open(self) -> bool:
        """Open at that moment."""
        return self.state == "open"


def _in_range(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def closure_on(entry: Entry, day: dt.date) -> Closure | None:
    """The dated closure of ``entry`` covering ``day`` (the first listed), or None."""
    for closure in entry.closures:
        if _in_range(day, closure.valid_from, closure.valid_to):
            return closure
    return None


def exception_on(location: Location, day: dt.date) -> ScheduleException | None:
    """The dated exception of ``location`` covering ``day`` (the first listed), or None."""
    for exc in location.exceptions:
        if _in_range(day, exc.valid_from, exc.valid_to or exc.valid_from):
            return exc
    return None


def day_hours(location: Location, day: dt.date, entry: Entry | None = None) -> DayHours:
    """The hours of ``location`` on ``day``: weekly slots, then the day's exception.

    With ``entry``, a closure of the entry covering the day empties the day too.
    """
    if entry is not None:
        closure = closure_on(entry, day)
        if closure is not None:
            return DayHours(day, (), closure=closure)
    exc = exception_on(location, day)
    if exc is not None:
        if exc.closed or exc.opens_at is None or exc.closes_at is None:
            return DayHours(day, (), exception=exc)
        return DayHours(day, (Slot(exc.opens_at, exc.closes_at),), exception=exc)
    code = _DAY_CODES[day.weekday()]
    slots = [
        Slot(s.opens_at, s.closes_at, s.description)
        for s in location.schedules
        if code in s.byday and _in_range(day, s.valid_from, s.valid_to)
    ]
    slots.sort(key=lambda s: (s.opens_at, s.closes_at))
    return DayHours(day, tuple(slots))


def week_of(day: dt.date) -> list[dt.date]:
    """The seven dates, Monday to Sunday, of the week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return [monday + dt.timedelta(days=i) for i in range(7)]


def week_hours(location: Location, day: dt.date, entry: Entry | None = None) -> list[DayHours]:
    """:func:`day_hours` for each day, Monday to Sunday, of the week holding ``day``."""
    return [day_hours(location, d, entry) for d in week_of(day)]


def _end(day: dt.date, slot: Slot) -> dt.datetime:
    if slot.closes_at == _END_OF_DAY:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0))
    return dt.datetime.combine(day, slot.closes_at)


def _next_opening(location: Location, when: dt.datetime, entry: Entry | None) -> dt.datetime | None:
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = when.date() + dt.timedelta(days=offset)
        for slot in day_hours(location, day, entry).slots:
            start = dt.datetime.combine(day, slot.opens_at)
            if start > when:
                return start
    return None


def _entry_closed(entry: Entry, when: dt.datetime) -> OpenState | None:
    """The entry-wide answer, when the entry as a whole is not working that day."""
    if entry.status == "closed":
        return OpenState("inactive")
    closure = closure_on(entry, when.date())
    if entry.status == "temporarily-closed":
        # The status is the editors' word: closed, even if no closure is dated.
        if closure is None:
            current = [c for c in entry.closures if c.valid_from <= when.date()]
            closure = current[-1] if current else None
        return OpenState("closure", closure=closure)
    if closure is not None:
        reopen = closure.valid_to + dt.timedelta(days=1) if closure.valid_to else None
        nxt = None
        if reopen is not None:
            start = dt.datetime.combine(reopen, dt.time(0, 0))
            nxts = [n for loc in entry.locations if (n := _next_opening(loc, start, entry))]
            nxt = min(nxts) if nxts else None
        return OpenState("closure", closure=closure, next_open=nxt)
    return None


def location_state(location: Location, when: dt.datetime, entry: Entry | None = None) -> OpenState:
    """Is ``location`` open at ``when``? With ``entry``, its status and closures count."""
    if entry is not None:
        closed = _entry_closed(entry, when)
        if closed is not None:
            return OpenState(
                closed.state,
                closure=closed.closure,
                next_open=closed.next_open,
                location=location,
            )
    if not location.schedules:
        return OpenState("mobile" if location.kind == "mobile" else "unknown", location=location)
    today = day_hours(location, when.date(), entry)
    for slot in today.slots:
        if slot.covers(when.time()):
            return OpenState(
                "open",
                until=_end(when.date(), slot),
                exception=today.exception,
                location=location,
            )
    return OpenState(
        "closed",
        next_open=_next_opening(location, when, entry),
        exception=today.exception,
        location=location,
    )


_RANK: dict[State, int] = {
    "open": 0,
    "closed": 1,
    "mobile": 2,
    "unknown": 3,
    "closure": 4,
    "inactive": 5,
}


def entry_state(entry: Entry, when: dt.datetime) -> OpenState:
    """Is ``entry`` open at ``when``, at any of its places?

    Open if any place is open (the one closing last is reported); otherwise
    closed with the soonest next opening if any place has hours; otherwise
    ``mobile`` if it has a mobile place, else ``unknown``.
    """
    closed = _entry_closed(entry, when)
    if closed is not None:
        return closed
    if not entry.locations:
        return OpenState("unknown")
    states = [location_state(loc, when, entry) for loc in entry.locations]
    opened = [s for s in states if s.state == "open"]
    if opened:
        return max(opened, key=lambda s: s.until or when)
    scheduled = [s for s in states if s.state == "closed"]
    if scheduled:
        upcoming = [s for s in scheduled if s.next_open is not None]
        if upcoming:
            return min(upcoming, key=lambda s: s.next_open or when)
        return scheduled[0]
    return min(states, key=lambda s: _RANK[s.state])


def constant_state(entry: Entry) -> OpenState | None:
    """The answer of :func:`entry_state` when it is the same at every moment,
    else None: an entry closed for good, or an active one without dated
    closures whose places have no weekly hours (mobile teams, unknown hours).
    Lets a list of thousands of entries work out only the others."""
    if entry.status == "closed":
        return OpenState("inactive")
    if entry.status != "active" or entry.closures:
        return None
    if any(loc.schedules for loc in entry.locations):
        return None
    return entry_state(entry, dt.datetime(2000, 1, 3, 12, 0))  # any moment: the same answer


# -- reading a moment from the command line ---------------------------------

_DAY_CODES = ("mo", "tu", "we", "th", "fr", "sa", "su")
_DAY_WORDS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        ("mo", "mon", "monday", "lun", "lundi"),
        ("tu", "tue", "tues", "tuesday", "mar", "mardi"),
        ("we", "wed", "wednesday", "mer", "mercredi"),
        ("th", "thu", "thur", "thurs", "thursday", "jeu", "jeudi"),
        ("fr", "fri", "friday", "ven", "vendredi"),
        ("sa", "sat", "saturday", "sam", "samedi"),
        ("su", "sun", "sunday", "dim", "dimanche"),
    )
):
    for _name in _names:
        _DAY_WORDS[_name] = _i
_TODAY_WORDS = {"today", "aujourd'hui", "aujourdhui"}
_TOMORROW_WORDS = {"tomorrow", "demain"}
_TIME = re.compile(r"^(\d{1,2})(?:[:h](\d{2})?)?$")
_ISO_T = re.compile(r"^(\d{4}-\d{2}-\d{2})[tT](\d)")


class MomentError(ValueError):
    """A moment that cannot be read; the message says what to write."""


def parse_moment(text: str, now: dt.datetime) -> dt.datetime:
    """Read a moment such as ``mon 15:00``, ``15h``, ``tomorrow 9:30`` or
    ``2023-03-06 15:00``, relative to ``now``; raise :class:`MomentError`.

    A weekday means the next such day, today included (``mon`` on a Monday is
    today). Day names are English or French, full or short. A time alone means
    today. A day alone is refused: whether a place is open depends on the hour.
    """
    words = _ISO_T.sub(r"\1 \2", text.strip()).lower().replace("’", "'").split()
    day = now.date()
    if len(words) == 2:
        name, clock = words
        if name in _DAY_WORDS:
            day = day + dt.timedelta(days=(_DAY_WORDS[name] - day.weekday()) % 7)
        elif name in _TOMORROW_WORDS:
            day = day + dt.timedelta(days=1)
        elif name not in _TODAY_WORDS:
            try:
                day = dt.date.fromisoformat(name)
            except ValueError:
                raise MomentError(tr(_MOMENT_HINT, text=text)) from None
    elif len(words) == 1:
        clock = words[0]
    else:
        raise MomentError(tr(_MOMENT_HINT, text=text))
    match = _TIME.match(clock)
    if not match:
        raise MomentError(tr(_MOMENT_HINT, text=text))
    hours, minutes = int(match[1]), int(match[2] or 0)
    if hours > 23 or minutes > 59:
        raise MomentError(tr(_MOMENT_HINT, text=text))
    if not 1900 <= day.year <= 2199:  # the range dates are read in (load.MIN_DATE..MAX_DATE)
        raise MomentError(
            tr("'{text}' is out of range: give a day between 1900 and 2199", text=text)
        )
    return dt.datetime.combine(day, dt.time(hours, minutes))


_MOMENT_HINT = tr_noop(
    "cannot read the moment '{text}': write a day and a time, e.g. \"mon 15:00\", "
    '"tomorrow 9:30", "15:00" (today) or "2023-03-06 15:00"'
)


class SlotError(ValueError):
    """A weekly slot that cannot be read; the message says what to write."""


_SLOT_HINT = tr_noop(
    "cannot read '{text}': write days then opening and closing times, "
    'e.g. "mo,we 14:00-17:00" or "lun-ven 9h-12h30"'
)


def _clock(text: str, slot: str) -> dt.time:
    match = _TIME.match(text)
    if not match or int(match[1]) > 23 or int(match[2] or 0) > 59:
        raise SlotError(_SLOT_HINT.format(text=slot))
    return dt.time(int(match[1]), int(match[2] or 0))


def parse_slot(text: str) -> tuple[list[str], dt.time, dt.time]:
    """Read a weekly slot as a volunteer types it: ``mo,we 14:00-17:00``,
    ``lun-ven 9h-12h30`` (day names English or French, full or short, ranges
    with ``-``). Returns (day codes, opens, closes); :class:`SlotError` when it
    cannot be read or closes before it opens."""
    parts = text.strip().lower().split()
    if len(parts) < 2:
        raise SlotError(tr(_SLOT_HINT, text=text))
    times = "".join(parts[-1:]) if "-" in parts[-1] else "".join(parts[-3:])
    day_words = parts[:-1] if "-" in parts[-1] else parts[:-3]
    opens_text, dash, closes_text = times.partition("-")
    if not dash or not day_words:
        raise SlotError(tr(_SLOT_HINT, text=text))
    opens, closes = _clock(opens_text, text), _clock(closes_text, text)
    days: list[int] = []
    for item in ",".join(day_words).split(","):
        if not item:
            continue
        first, _, last = item.partition("-")
        if first not in _DAY_WORDS or (last and last not in _DAY_WORDS):
            raise SlotError(tr(_SLOT_HINT, text=text))
        start = _DAY_WORDS[first]
        end = _DAY_WORDS[last] if last else start
        days += [d % 7 for d in range(start, end + 1 if end >= start else end + 8)]
    if closes <= opens:
        raise SlotError(
            tr(
                "'{text}': closes at {closes}, not after it opens ({opens})",
                text=text,
                closes=format(closes, "%H:%M"),
                opens=format(opens, "%H:%M"),
            )
        )
    return [_DAY_CODES[d] for d in sorted(set(days))], opens, closes


def local_now(zone: str = TIMEZONE) -> dt.datetime:
    """The wall-clock time now in ``zone`` (naive), as schedules are written.

    Falls back to the machine's local time if the zone database is missing.
    """
    import zoneinfo

    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.datetime.now().replace(second=0, microsecond=0)
    return dt.datetime.now(tz).replace(tzinfo=None, second=0, microsecond=0)
