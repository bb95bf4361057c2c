"""Opening hours on the fixture guide, with a fixed clock (Monday 2023-03-06)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from calais_guide import hours
from calais_guide.load import load_database
from calais_guide.model import Closure, Entry, Location, Schedule, ScheduleException

FIXTURE = Path(__file__).parent / "fixtures" / "lookup-db"
MONDAY = dt.date(2023, 3, 6)


def at(day: dt.date, clock: str, days: int = 0) -> dt.datetime:
    h, m = (int(x) for x in clock.split(":"))
    return dt.datetime.combine(day + dt.timedelta(days=days), dt.time(h, m))


@pytest.fixture(scope="module")
def db():
    return load_database(FIXTURE)


def entry(db, entry_id: str) -> Entry:
    found = db.get(entry_id)
    assert found is not None
    return found


def test_open_within_a_weekly_slot_and_closed_outside(db) -> None:
    centre = entry(db, "accueil-exemple")
    state = hours.entry_state(centre, at(MONDAY, "10:30"))
    assert state.state == "open"
    assert state.until == at(MONDAY, "12:00")
    assert hours.entry_state(centre, at(MONDAY, "09:00")).is_open  # opening minute counts
    assert not hours.entry_state(centre, at(MONDAY, "12:00")).is_open  # closing minute does not
    lunch = hours.entry_state(centre, at(MONDAY, "13:00"))
    assert lunch.state == "closed"
    assert lunch.next_open == at(MONDAY, "14:00")
    # After Tuesday's hours, Wednesday 8 March is a dated day off: Thursday next.
    tuesday_evening = hours.entry_state(centre, at(MONDAY, "18:00", days=1))
    assert tuesday_evening.next_open == at(MONDAY, "09:00", days=3)


def test_a_dated_day_off_closes_a_normally_open_day(db) -> None:
    centre = entry(db, "accueil-exemple")
    wednesday = at(MONDAY, "10:00", days=2)
    state = hours.entry_state(centre, wednesday)
    assert state.state == "closed"
    assert (
        state.exception is not None and state.exception.note["fr"].text == "Formation de l'équipe"
    )
    assert hours.entry_state(centre, at(MONDAY, "10:00", days=-5)).is_open  # a Wednesday before


def test_special_hours_replace_the_day(db) -> None:
    centre = entry(db, "accueil-exemple")
    friday = MONDAY + dt.timedelta(days=4)
    assert not hours.entry_state(centre, at(friday, "09:30")).is_open  # usually open
    assert hours.entry_state(centre, at(friday, "10:30")).is_open
    assert not hours.entry_state(centre, at(friday, "11:00")).is_open
    day = hours.day_hours(centre.locations[0], friday, centre)
    assert [(s.opens_at, s.closes_at) for s in day.slots] == [(dt.time(10), dt.time(11))]


def test_a_temporary_closure_wins_over_the_schedule(db) -> None:
    clinic = entry(db, "clinique-exemple")
    assert hours.entry_state(clinic, at(MONDAY, "15:00", days=1)).is_open  # Tue 7 March
    closed = hours.entry_state(clinic, at(MONDAY, "15:00", days=8))  # Tue 14 March
    assert closed.state == "closure"
    assert closed.closure is not None and closed.closure.alert["fr"].text.startswith("Fermée")
    # It says when it opens again: the first slot after the closure.
    assert closed.next_open == at(MONDAY, "13:00", days=15)  # Tue 21 March
    week = hours.week_hours(clinic.locations[0], MONDAY + dt.timedelta(days=8), clinic)
    assert all(d.slots == () for d in week)
    assert all(d.closure is not None for d in week)


def test_temporarily_closed_status_is_never_open(db) -> None:
    shelter = entry(db, "refuge-exemple")
    state = hours.entry_state(shelter, at(MONDAY, "12:00"))
    assert state.state == "closure"
    assert state.closure is not None
    # Even a day the closure does not cover: the status is the editors' word.
    bare = dataclasses.replace(shelter, closures=[])
    assert hours.entry_state(bare, at(MONDAY, "12:00")).state == "closure"


def test_a_stopped_association_is_inactive(db) -> None:
    stopped = dataclasses.replace(entry(db, "accueil-exemple"), status="closed")
    assert hours.entry_state(stopped, at(MONDAY, "10:00")).state == "inactive"


def test_mobile_service_without_hours_is_never_open(db) -> None:
    outreach = entry(db, "maraude-exemple")
    for clock in ("00:00", "10:00", "19:30"):
        state = hours.entry_state(outreach, at(MONDAY, clock))
        assert state.state == "mobile"
        assert not state.is_open


def test_mobile_service_with_rounds_is_open_during_them(db) -> None:
    rounds = entry(db, "maraude-du-soir")
    assert hours.entry_state(rounds, at(MONDAY, "19:30")).is_open
    assert hours.entry_state(rounds, at(MONDAY, "19:30", days=1)).state == "closed"


def test_place_without_schedule_is_unknown_not_open() -> None:
    place = Location(kind="fixed")
    bare = Entry(id="x", name="X", summary={}, locations=[place])
    assert hours.entry_state(bare, at(MONDAY, "10:00")).state == "unknown"
    assert hours.entry_state(
        dataclasses.replace(bare, locations=[]), at(MONDAY, "10:00")
    ).state == ("unknown")


def test_midnight_closing_and_seasonal_slots() -> None:
    late = Schedule(byday=["mo"], opens_at=dt.time(20), closes_at=dt.time(23, 59))
    summer = Schedule(
        byday=["mo"],
        opens_at=dt.time(8),
        closes_at=dt.time(9),
        valid_from=dt.date(2023, 6, 1),
        valid_to=dt.date(2023, 8, 31),
    )
    place = Location(kind="fixed", schedules=[late, summer])
    state = hours.location_state(place, at(MONDAY, "23:59"))
    assert state.is_open and state.until == at(MONDAY, "00:00", days=1)
    assert not hours.location_state(place, at(MONDAY, "08:30")).is_open  # March: not summer
    june = dt.date(2023, 6, 5)
    assert hours.location_state(place, at(june, "08:30")).is_open


def test_week_hours_monday_to_sunday_with_reasons(db) -> None:
    centre = entry(db, "accueil-exemple")
    week = hours.week_hours(centre.locations[0], MONDAY + dt.timedelta(days=3), centre)
    assert [d.date for d in week] == [MONDAY + dt.timedelta(days=i) for i in range(7)]
    assert len(week[0].slots) == 2 and week[0].slots[1].description["fr"].text == (
        "douches seulement"
    )
    assert week[2].slots == () and week[2].exception is not None
    assert week[5].slots == () and week[5].exception is None  # Saturday: no slot


def test_entry_state_prefers_the_open_place_then_the_soonest() -> None:
    early = Location(
        kind="fixed", schedules=[Schedule(byday=["mo"], opens_at=dt.time(9), closes_at=dt.time(10))]
    )
    later = Location(
        kind="fixed", schedules=[Schedule(byday=["tu"], opens_at=dt.time(9), closes_at=dt.time(10))]
    )
    both = Entry(id="x", name="X", summary={}, locations=[later, early])
    assert hours.entry_state(both, at(MONDAY, "09:30")).location is early
    soon = hours.entry_state(both, at(MONDAY, "11:00"))
    assert soon.location is later and soon.next_open == at(MONDAY, "09:00", days=1)


def test_closure_without_end_and_exception_spanning_days() -> None:
    place = Location(
        kind="fixed",
        schedules=[
            Schedule(byday=list(hours._DAY_CODES), opens_at=dt.time(9), closes_at=dt.time(17))
        ],  # type: ignore[arg-type]
        exceptions=[ScheduleException(valid_from=MONDAY, valid_to=MONDAY + dt.timedelta(days=2))],
    )
    assert not hours.location_state(place, at(MONDAY, "10:00", days=2)).is_open
    assert hours.location_state(place, at(MONDAY, "10:00", days=3)).is_open
    closed = Entry(
        id="x", name="X", summary={}, locations=[place], closures=[Closure(valid_from=MONDAY)]
    )
    far = hours.entry_state(closed, at(MONDAY, "10:00", days=300))
    assert far.state == "closure" and far.next_open is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon 15:00", at(MONDAY, "15:00")),  # today is a Monday
        ("Monday 15:00", at(MONDAY, "15:00")),
        ("tue 9:30", at(MONDAY, "09:30", days=1)),
        ("dimanche 10h", at(MONDAY, "10:00", days=6)),
        ("sun 10h30", at(MONDAY, "10:30", days=6)),
        ("15:00", at(MONDAY, "15:00")),
        ("tomorrow 8:00", at(MONDAY, "08:00", days=1)),
        ("demain 8h", at(MONDAY, "08:00", days=1)),
        ("2023-03-14 15:00", at(MONDAY, "15:00", days=8)),
        ("2023-03-14T15:00", at(MONDAY, "15:00", days=8)),
    ],
)
def test_parse_moment(text: str, expected: dt.datetime) -> None:
    assert hours.parse_moment(text, at(MONDAY, "11:11")) == expected


def test_a_weekday_means_the_next_one() -> None:
    wednesday = at(MONDAY, "11:00", days=2)
    assert hours.parse_moment("mon 15:00", wednesday) == at(MONDAY, "15:00", days=7)


@pytest.mark.parametrize("text", ["monday", "25:00", "mon 12:61", "someday 10:00", "a b c", ""])
def test_parse_moment_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(hours.MomentError, match="mon 15:00"):
        hours.parse_moment(text, at(MONDAY, "11:00"))


def test_local_now_is_naive_wall_clock() -> None:
    now = hours.local_now()
    assert now.tzinfo is None and now.second == 0
