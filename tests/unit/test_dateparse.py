"""Reading typed and reported dates into FuzzyDates: bot.domain.dateparse."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.dateparse import (
    ACCEPTED_FORMS,
    Facing,
    ParsedDate,
    parse_fuzzy_date,
    settle_year,
)
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.syntax import SyntaxRefusal, Topic, help_pointer

D, M, Q, Y = FuzzyDate.day, FuzzyDate.month, FuzzyDate.quarter, FuzzyDate.year
T = time

DATELINE = date(2025, 9, 10)  # the seed article's dateline, a Wednesday
TUESDAY = date(2025, 9, 9)
NEWS: dict[str, Any] = {"news": True}
NO: dict[str, Any] = {}
MDY: dict[str, Any] = {"day_first": False}
KHI: dict[str, Any] = {"zone": "Asia/Karachi"}
NYC: dict[str, Any] = {"zone": "America/New_York"}
LDN: dict[str, Any] = {"zone": "Europe/London"}

# (text, reference day, options, expected)
CASES: list[tuple[str, date, dict[str, Any], FuzzyDate]] = [
    # Every date phrase in seeds/pakistan-kazakhstan-2025-09-10.txt, read against its dateline.
    ("on Tuesday", DATELINE, NEWS, D(2025, 9, 9)),
    ("in November 2025", DATELINE, NEWS, M(2025, 11)),
    ("November 2025", DATELINE, NEWS, M(2025, 11)),
    ("in 2003", DATELINE, NEWS, Y(2003)),
    ("2025-09-10", DATELINE, NEWS, D(2025, 9, 10)),
    ("Sept 10", DATELINE, NEWS, D(2025, 9, 10)),
    # ISO
    ("2025-09-09", DATELINE, NO, D(2025, 9, 9)),
    ("2025-11", DATELINE, NO, M(2025, 11)),
    ("2025/11/15", DATELINE, NO, D(2025, 11, 15)),
    ("2025-11-15T10:00", DATELINE, NO, D(2025, 11, 15, T(10), "UTC")),
    ("2025-11-15 10:00", DATELINE, KHI, D(2025, 11, 15, T(10), "Asia/Karachi")),
    ("2025-11-15 10:00:30", DATELINE, NO, D(2025, 11, 15, T(10, 0, 30), "UTC")),
    ("2025-11-15T10:00+05:00", DATELINE, NO, D(2025, 11, 15, T(5), "UTC")),
    ("2025-11-15T10:00+05:00", DATELINE, LDN, D(2025, 11, 15, T(5), "Europe/London")),
    ("2025-11-15T23:30-05:00", DATELINE, NO, D(2025, 11, 16, T(4, 30), "UTC")),
    ("2025-11-15T10:00Z", DATELINE, KHI, D(2025, 11, 15, T(15), "Asia/Karachi")),
    ("2025-11-15T10:00+0530 Asia/Karachi", DATELINE, NO, D(2025, 11, 15, T(9, 30), "Asia/Karachi")),
    ("15 Nov 2025 10:00 Asia/Karachi", DATELINE, NYC, D(2025, 11, 15, T(10), "Asia/Karachi")),
    ("15 Nov 2025 10:00 (Asia/Karachi)", DATELINE, NO, D(2025, 11, 15, T(10), "Asia/Karachi")),
    ("15 nov 2025 10:00 asia/karachi", DATELINE, NO, D(2025, 11, 15, T(10), "Asia/Karachi")),
    ("15 Nov 2025 10:00 UTC", DATELINE, KHI, D(2025, 11, 15, T(10), "UTC")),
    # Written
    ("15 November 2025", DATELINE, NO, D(2025, 11, 15)),
    ("15 NOVEMBER 2025", DATELINE, NO, D(2025, 11, 15)),
    ("  15 November 2025 , ", DATELINE, NO, D(2025, 11, 15)),
    ("November 15, 2025", DATELINE, NO, D(2025, 11, 15)),
    ("Nov 15, 2025 10:00", DATELINE, NO, D(2025, 11, 15, T(10), "UTC")),
    ("15 Nov 2025 10:00", DATELINE, KHI, D(2025, 11, 15, T(10), "Asia/Karachi")),
    ("15 Nov 2025 at 3:30 pm", DATELINE, NO, D(2025, 11, 15, T(15, 30), "UTC")),
    ("15 Nov 2025 12am", DATELINE, NO, D(2025, 11, 15, T(0), "UTC")),
    ("15 Nov 2025 12 p.m.", DATELINE, NO, D(2025, 11, 15, T(12), "UTC")),
    ("Sept. 10, 2024", DATELINE, NO, D(2024, 9, 10)),
    ("March 28th", DATELINE, NO, D(2025, 3, 28)),
    ("March 28th", DATELINE, NEWS, D(2025, 3, 28)),
    ("28 March", DATELINE, NO, D(2025, 3, 28)),
    ("the 28th of March 2024", DATELINE, NO, D(2024, 3, 28)),
    ("on the 1st of May", DATELINE, NO, D(2025, 5, 1)),
    ("Tuesday, 9 September 2025", DATELINE, NO, D(2025, 9, 9)),
    # Month, quarter, year: never a day
    ("Nov 2025", DATELINE, NO, M(2025, 11)),
    ("november, 2025", DATELINE, NO, M(2025, 11)),
    ("November", DATELINE, NO, M(2025, 11)),
    ("2003", DATELINE, NO, Y(2003)),
    ("Q4 2025", DATELINE, NO, Q(2025, 4)),
    ("q4 2025", DATELINE, NO, Q(2025, 4)),
    ("2025 Q4", DATELINE, NO, Q(2025, 4)),
    ("2025-Q4", DATELINE, NO, Q(2025, 4)),
    ("in Q1 2026", DATELINE, NO, Q(2026, 1)),
    ("Q2", DATELINE, NO, Q(2025, 2)),
    ("early November 2025", DATELINE, NO, M(2025, 11)),
    ("mid-November 2025", DATELINE, NO, M(2025, 11)),
    ("late November 2025", DATELINE, NEWS, M(2025, 11)),
    ("early 2026", DATELINE, NO, Y(2026)),
    ("late Q4 2025", DATELINE, NO, Q(2025, 4)),
    # Numeric: day-first by default, month-first on request, forced when only one reading fits
    ("05/03/2025", DATELINE, NO, D(2025, 3, 5)),
    ("05/03/2025", DATELINE, MDY, D(2025, 5, 3)),
    ("5.3.2025", DATELINE, NO, D(2025, 3, 5)),
    ("5.3.2025", DATELINE, MDY, D(2025, 5, 3)),
    ("05-03-2025", DATELINE, NO, D(2025, 3, 5)),
    ("13/03/2025", DATELINE, MDY, D(2025, 3, 13)),
    ("03/13/2025", DATELINE, NO, D(2025, 3, 13)),
    ("12/12/2025", DATELINE, MDY, D(2025, 12, 12)),
    # Leap days
    ("2024-02-29", DATELINE, NO, D(2024, 2, 29)),
    ("29 February 2024", DATELINE, NO, D(2024, 2, 29)),
    ("Feb 29", date(2024, 6, 1), NO, D(2024, 2, 29)),
    # No 29 February this year: the next one, which settle_year may move to the last one.
    ("Feb 29", DATELINE, NO, D(2028, 2, 29)),
    # Relative days
    ("today", DATELINE, NO, D(2025, 9, 10)),
    ("Tomorrow", DATELINE, NO, D(2025, 9, 11)),
    ("yesterday", date(2025, 1, 1), NO, D(2024, 12, 31)),
    ("in 3 days", DATELINE, NO, D(2025, 9, 13)),
    ("in 2 weeks", DATELINE, NO, D(2025, 9, 24)),
    ("in 1 month", DATELINE, NO, D(2025, 10, 10)),
    ("in 1 month", date(2025, 1, 31), NO, D(2025, 2, 28)),
    ("in a week", date(2025, 12, 28), NO, D(2026, 1, 4)),
    ("three days ago", DATELINE, NEWS, D(2025, 9, 7)),
    ("tomorrow 10am", DATELINE, NO, D(2025, 9, 11, T(10), "UTC")),
    ("tomorrow at 09:15", DATELINE, KHI, D(2025, 9, 11, T(9, 15), "Asia/Karachi")),
    # Relative periods
    ("next month", DATELINE, NO, M(2025, 10)),
    ("next month", date(2025, 12, 15), NO, M(2026, 1)),
    ("this month", DATELINE, NO, M(2025, 9)),
    ("last month", date(2025, 1, 10), NEWS, M(2024, 12)),
    ("next year", DATELINE, NO, Y(2026)),
    ("this year", DATELINE, NO, Y(2025)),
    ("last year", DATELINE, NEWS, Y(2024)),
    ("later this year", DATELINE, NEWS, Y(2025)),
    ("next week", DATELINE, NEWS, M(2025, 9)),
    ("last week", DATELINE, NEWS, M(2025, 9)),
    ("last week", date(2025, 9, 3), NEWS, M(2025, 8)),  # 25-31 Aug: Thursday is the 28th
    ("last week", date(2025, 9, 8), NEWS, M(2025, 9)),  # 1-7 Sep
    # Weekdays
    ("next Tuesday", DATELINE, NO, D(2025, 9, 16)),
    ("next Tuesday", TUESDAY, NO, D(2025, 9, 16)),
    ("next tues", TUESDAY, NEWS, D(2025, 9, 16)),
    ("Tuesday", DATELINE, NO, D(2025, 9, 16)),
    ("on Tuesday", TUESDAY, NO, D(2025, 9, 9)),
    ("on Tuesday", TUESDAY, NEWS, D(2025, 9, 9)),
    ("on Thursday", DATELINE, NEWS, D(2025, 9, 4)),
    ("Wednesday", DATELINE, NEWS, D(2025, 9, 10)),
    ("this Fri", DATELINE, NO, D(2025, 9, 12)),
    ("last Tuesday", DATELINE, NO, D(2025, 9, 9)),
    ("last Tuesday", TUESDAY, NO, D(2025, 9, 2)),
    ("next Monday", date(2025, 12, 29), NO, D(2026, 1, 5)),
    ("last Friday", date(2026, 1, 1), NEWS, D(2025, 12, 26)),
    ("next Tuesday at 3:30 pm", DATELINE, KHI, D(2025, 9, 16, T(15, 30), "Asia/Karachi")),
    # Daylight saving: real times either side of the change, the repeated hour's first pass
    ("2025-03-30 02:30", DATELINE, LDN, D(2025, 3, 30, T(2, 30), "Europe/London")),
    ("2025-03-30 00:59", DATELINE, LDN, D(2025, 3, 30, T(0, 59), "Europe/London")),
    ("2025-11-02 01:30", DATELINE, NYC, D(2025, 11, 2, T(1, 30), "America/New_York")),
    ("2025-10-26 01:30 Europe/London", DATELINE, NYC, D(2025, 10, 26, T(1, 30), "Europe/London")),
]


def _id(case: tuple[str, date, dict[str, Any], FuzzyDate]) -> str:
    text, today, options, _ = case
    flags = ",".join(f"{k}={v}" for k, v in options.items())
    return f"{text.strip()}@{today}" + (f"[{flags}]" if flags else "")


@pytest.mark.parametrize(("text", "today", "options", "expected"), CASES, ids=map(_id, CASES))
def test_parses(text: str, today: date, options: dict[str, Any], expected: FuzzyDate) -> None:
    parsed = parse_fuzzy_date(text, today=today, **options)
    assert parsed.date == expected
    assert parsed.date.time == expected.time and parsed.date.zone == expected.zone
    assert parsed.text == text.strip()
    assert parsed.interpretation.startswith(expected.describe())


INVALID: list[tuple[str, date, dict[str, Any]]] = [
    ("blorp", DATELINE, NO),
    ("", DATELINE, NO),
    ("   ", DATELINE, NO),
    ("32/13/2025", DATELINE, NO),
    ("2025-02-30", DATELINE, NO),
    ("2025-02-29", DATELINE, NO),
    ("29 Feb 2025", DATELINE, NO),
    ("31 April 2025", DATELINE, NO),
    ("2025-13", DATELINE, NO),
    ("Q5 2025", DATELINE, NO),
    ("tomorrowish", DATELINE, NO),
    ("next blursday", DATELINE, NEWS),
    ("1899", DATELINE, NO),
    ("2201", DATELINE, NO),
    ("in 500 years", DATELINE, NO),
    ("15", DATELINE, NO),
    ("5/3", DATELINE, NO),
    ("05/03/25", DATELINE, NO),
    ("noon", DATELINE, NO),
    ("next week", DATELINE, NO),
    ("last week", DATELINE, NO),
    ("November 2025 10:00", DATELINE, NO),
    ("15 Nov 2025 Asia/Karachi", DATELINE, NO),
    ("15 Nov 2025 10:00 Mars/Olympus_Mons", DATELINE, NO),
    ("tomorrow 25:00", DATELINE, NO),
    ("tomorrow 13pm", DATELINE, NO),
    ("10:00 15 Nov 2025", DATELINE, NO),
    ("Wednesday, 9 September 2025", DATELINE, NO),
    ("late 15 November 2025", DATELINE, NO),
    ("in blorp days", DATELINE, NO),
]


@pytest.mark.parametrize(("text", "today", "options"), INVALID, ids=[c[0] for c in INVALID])
def test_refuses(text: str, today: date, options: dict[str, Any]) -> None:
    with pytest.raises(UserError) as caught:
        parse_fuzzy_date(text, today=today, **options)
    message = str(caught.value)
    assert f'"{text.strip()}"' in message
    assert ACCEPTED_FORMS in message
    # Every refusal of a date is one of syntax, ending with the one pointer to its page.
    assert isinstance(caught.value, SyntaxRefusal) and caught.value.topic is Topic.DATES
    assert message.endswith(f"({help_pointer(Topic.DATES)}.)")
    assert message.count("/help") == 1


@pytest.mark.parametrize(("text", "zone"), [
    ("10:00", "UTC"),  # a time but no day
    ("29 March 2026 01:30", "Europe/London"),  # a wall time the clocks skip
    ("15 November 2025", "Mars/Olympus"),  # the server's zone itself unknown
])
def test_every_other_refusal_points_to_help_too(text: str, zone: str) -> None:
    with pytest.raises(SyntaxRefusal) as caught:
        parse_fuzzy_date(text, today=DATELINE, zone=zone)
    assert caught.value.message.count("/help topic:") == 1


def test_refuses_long_text_and_quotes_its_start() -> None:
    with pytest.raises(UserError, match="at most 100 characters") as caught:
        parse_fuzzy_date("15 November 2025 " + "x" * 100, today=DATELINE)
    assert '"15 November 2025 x' in str(caught.value)


@pytest.mark.parametrize("text", ["10:00", "3:30 pm", "at 10am"])
def test_a_time_alone_asks_for_a_day(text: str) -> None:
    with pytest.raises(UserError, match="no day"):
        parse_fuzzy_date(text, today=DATELINE)


@pytest.mark.parametrize(
    ("text", "zone"),
    [("2025-03-30 01:30", "Europe/London"), ("2025-03-09 02:30", "America/New_York")],
)
def test_a_skipped_wall_time_is_refused(text: str, zone: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_fuzzy_date(text, today=DATELINE, zone=zone)
    message = str(caught.value)
    assert "does not exist in " + zone in message
    assert "clocks go forward" in message


def test_the_repeated_hour_takes_its_first_pass_and_says_so() -> None:
    parsed = parse_fuzzy_date("2025-11-02 01:30", today=DATELINE, zone="America/New_York")
    assert "01:30 happens twice that night; the first (EDT) is used" in parsed.interpretation
    assert parsed.date.start_instant().isoformat() == "2025-11-02T05:30:00+00:00"


def test_an_unknown_server_zone_is_a_user_error() -> None:
    with pytest.raises(UserError, match="Mars/Base"):
        parse_fuzzy_date("tomorrow", today=DATELINE, zone="Mars/Base")


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        (
            "05/03/2025",
            NO,
            "5 March 2025 — exact day, no time set (05/03/2025 read day-first, "
            "as this server writes dates)",
        ),
        (
            "05/03/2025",
            MDY,
            "3 May 2025 — exact day, no time set (05/03/2025 read month-first, "
            "as this server writes dates)",
        ),
        (
            "25/12/2025",
            MDY,
            "25 December 2025 — exact day, no time set (25/12/2025 read day-first, "
            "the only possible reading)",
        ),
        ("November 2025", NEWS, "November 2025 — month only, no day set"),
        (
            "on Tuesday",
            NEWS,
            '9 September 2025 — exact day, no time set ("on Tuesday" = the Tuesday on or '
            "before 10 September 2025)",
        ),
        (
            "next Tuesday",
            NO,
            '16 September 2025 — exact day, no time set ("next Tuesday" = the first Tuesday '
            "after 10 September 2025)",
        ),
        (
            "late November 2025",
            NO,
            'November 2025 — month only, no day set ("late" is not stored; the whole month is)',
        ),
        (
            "Sept 10",
            NEWS,
            "10 September 2025 — exact day, no time set (no year given, so 2025 is used)",
        ),
        ("in 2003", NEWS, "2003 — year only, no month or day set"),
        (
            "2025-11-15T10:00+05:00",
            KHI,
            "15 Nov 2025 10:00 (Asia/Karachi) — exact time in Asia/Karachi "
            "(10:00+05:00 converted to Asia/Karachi time)",
        ),
    ],
)
def test_interpretation_says_how_it_was_read(
    text: str, options: dict[str, Any], expected: str
) -> None:
    assert parse_fuzzy_date(text, today=DATELINE, **options).interpretation == expected


@pytest.mark.parametrize("form", ACCEPTED_FORMS.split(", "))
def test_every_advertised_form_is_accepted(form: str) -> None:
    now = datetime.combine(DATELINE, time(12, 0), tzinfo=UTC)
    assert parse_fuzzy_date(form, today=DATELINE, now=now).text == form


def test_result_is_a_parsed_date() -> None:
    parsed = parse_fuzzy_date("  Q4 2025 ", today=DATELINE)
    assert parsed == ParsedDate(
        Q(2025, 4), "Q4 2025", "Q4 2025 — quarter only, no month or day set"
    )


# --- properties ---------------------------------------------------------------------------

todays = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
options = st.fixed_dictionaries({"day_first": st.booleans(), "news": st.booleans()})
years = st.integers(min_value=1900, max_value=2200)
untimed = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)).map(
        lambda d: D(d.year, d.month, d.day)
    ),
    st.builds(M, years, st.integers(min_value=1, max_value=12)),
    st.builds(Q, years, st.integers(min_value=1, max_value=4)),
    st.builds(Y, years),
)
# Zones with no clock changes since 1970, so every generated wall time exists exactly once.
FIXED_ZONES = ["UTC", "Asia/Kolkata", "Asia/Tokyo", "Etc/GMT-5", "Asia/Kathmandu"]
timed = st.builds(
    lambda d, h, m, z: D(d.year, d.month, d.day, T(h, m), z),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=0, max_value=59),
    st.sampled_from(FIXED_ZONES),
)


@settings(deadline=None)
@given(untimed, todays, options)
def test_render_reads_back(fd: FuzzyDate, today: date, opts: dict[str, Any]) -> None:
    assert parse_fuzzy_date(fd.render(), today=today, **opts).date == fd


@settings(deadline=None)
@given(untimed, todays)
def test_interchange_value_reads_back(fd: FuzzyDate, today: date) -> None:
    assert parse_fuzzy_date(fd.value, today=today).date == fd


@settings(deadline=None)
@given(timed, todays)
def test_timed_render_reads_back_in_its_own_zone(fd: FuzzyDate, today: date) -> None:
    # The server zone differs from the rendered one: the zone written in the text wins.
    parsed = parse_fuzzy_date(fd.render(), today=today, zone="America/New_York").date
    assert (parsed, parsed.time, parsed.zone) == (fd, fd.time, fd.zone)


@settings(deadline=None)
@given(timed, todays)
def test_timed_value_reads_back(fd: FuzzyDate, today: date) -> None:
    assert fd.zone is not None
    parsed = parse_fuzzy_date(fd.value, today=today, zone=fd.zone).date
    assert (parsed, parsed.time, parsed.zone) == (fd, fd.time, fd.zone)


@given(todays, st.integers(min_value=0, max_value=3000))
def test_in_n_days_counts_from_today(today: date, n: int) -> None:
    expected = today + timedelta(days=n)
    assert parse_fuzzy_date(f"in {n} days", today=today).date == D(
        expected.year, expected.month, expected.day
    )


WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@given(todays, st.sampled_from(range(7)))
def test_weekdays_land_on_that_weekday_in_the_right_week(today: date, weekday: int) -> None:
    name = WEEKDAY_NAMES[weekday]
    ahead = parse_fuzzy_date(f"next {name}", today=today).date.start
    behind = parse_fuzzy_date(f"last {name}", today=today).date.start
    upcoming = parse_fuzzy_date(name, today=today).date.start
    reported = parse_fuzzy_date(f"on {name}", today=today, news=True).date.start
    assert {ahead.weekday(), behind.weekday(), upcoming.weekday(), reported.weekday()} == {weekday}
    assert 1 <= (ahead - today).days <= 7
    assert 1 <= (today - behind).days <= 7
    assert 0 <= (upcoming - today).days <= 6
    assert 0 <= (today - reported).days <= 6


# --- years: typed within bounds, or settled by the field a year-less date goes in ---------

@pytest.mark.parametrize(
    "text",
    ["15 March 1899", "1 Jan 1850", "2201", "Q1 2300", "3000-01-01", "0001-01-01",
     "15/03/0025", "in 300 years", "200 years ago", "99999", "15 March 12345", "March 10000",
     "12 December 2201 10:00"],
)
def test_years_outside_1900_to_2200_are_refused_saying_so(text: str) -> None:
    with pytest.raises(UserError, match="the year must be between 1900 and 2200"):
        parse_fuzzy_date(text, today=DATELINE)


@pytest.mark.parametrize(
    ("text", "given"),
    [("15 March", False), ("March", False), ("Q4", False), ("mid March", False),
     ("15 March 10:00", False), ("15 March 2026", True), ("2026", True), ("tomorrow", True),
     ("next Tuesday", True), ("next month", True), ("in 3 days", True), ("2025-03-15", True)],
)
def test_the_parse_says_whether_a_year_was_typed(text: str, given: bool) -> None:
    assert parse_fuzzy_date(text, today=DATELINE).year_given is given


SEPT_12 = date(2025, 9, 12)


@pytest.mark.parametrize(
    ("text", "facing", "expected", "echo"),
    [
        # Ahead: the next such date, so a planned visit never lands in the past.
        ("15 March", Facing.AHEAD, D(2026, 3, 15), "15 March 2026 — the next 15 March"),
        ("15 October", Facing.AHEAD, D(2025, 10, 15), "15 October 2025 — the next 15 October"),
        ("12 September", Facing.AHEAD, D(2025, 9, 12), "— the next 12 September"),  # today
        ("11 September", Facing.AHEAD, D(2026, 9, 11), "— the next 11 September"),
        ("March", Facing.AHEAD, M(2026, 3), "March 2026 — the next March"),
        ("September", Facing.AHEAD, M(2025, 9), "September 2025 — the next September"),
        ("Q1", Facing.AHEAD, Q(2026, 1), "Q1 2026 — the next Q1"),
        ("Q3", Facing.AHEAD, Q(2025, 3), "Q3 2025 — the next Q3"),  # still under way
        ("Feb 29", Facing.AHEAD, D(2028, 2, 29), "29 February 2028 — the next 29 February"),
        # Behind: the last such date, so a meeting held is never put in the future.
        ("15 March", Facing.BEHIND, D(2025, 3, 15), "15 March 2025 — the last 15 March"),
        ("15 October", Facing.BEHIND, D(2024, 10, 15), "15 October 2024 — the last 15 October"),
        ("12 September", Facing.BEHIND, D(2025, 9, 12), "— the last 12 September"),
        ("13 September", Facing.BEHIND, D(2024, 9, 13), "— the last 13 September"),
        ("October", Facing.BEHIND, M(2024, 10), "October 2024 — the last October"),
        ("September", Facing.BEHIND, M(2025, 9), "September 2025 — the last September"),
        ("Q4", Facing.BEHIND, Q(2024, 4), "Q4 2024 — the last Q4"),
        ("Feb 29", Facing.BEHIND, D(2024, 2, 29), "29 February 2024 — the last 29 February"),
    ],
)
def test_a_year_less_date_goes_where_its_field_faces(
    text: str, facing: Facing, expected: FuzzyDate, echo: str
) -> None:
    parsed = parse_fuzzy_date(text, today=SEPT_12)
    settled = settle_year(parsed, facing, SEPT_12)
    assert settled.date == expected
    assert echo in settled.interpretation
    assert "(no year given)" in settled.interpretation
    assert "is used" not in settled.interpretation
    assert not settled.year_given and settled.text == text


def test_settling_keeps_the_time_and_other_notes() -> None:
    parsed = parse_fuzzy_date("early March", today=SEPT_12)
    settled = settle_year(parsed, Facing.AHEAD, SEPT_12)
    assert settled.interpretation == (
        'March 2026 — the next March (no year given); month only, no day set; '
        '"early" is not stored; the whole month is')
    timed = settle_year(parse_fuzzy_date("15 March 10:00", today=SEPT_12, zone="Asia/Karachi"),
                        Facing.AHEAD, SEPT_12)
    assert timed.date == FuzzyDate.day(2026, 3, 15, time(10, 0), "Asia/Karachi")
    assert timed.interpretation.startswith("15 Mar 2026 10:00 (Asia/Karachi) — the next 15 March")


@pytest.mark.parametrize("facing", [Facing.AHEAD, Facing.BEHIND, None])
@pytest.mark.parametrize("text", ["15 March 2024", "2026", "tomorrow", "last Tuesday"])
def test_a_typed_year_or_relative_date_is_never_moved(text: str, facing: Facing | None) -> None:
    parsed = parse_fuzzy_date(text, today=SEPT_12)
    assert settle_year(parsed, facing, SEPT_12) == parsed


def test_no_facing_keeps_this_year_and_says_so() -> None:
    parsed = parse_fuzzy_date("15 March", today=SEPT_12)
    assert settle_year(parsed, None, SEPT_12) == parsed
    assert parsed.date == D(2025, 3, 15)
    assert "no year given, so 2025 is used" in parsed.interpretation


def test_an_anchor_other_than_today_is_named() -> None:
    parsed = parse_fuzzy_date("2 January", today=SEPT_12)
    settled = settle_year(parsed, Facing.AHEAD, date(2025, 12, 30), anchor="the start")
    assert settled.date == D(2026, 1, 2)
    assert "2 January 2026 — the first 2 January from the start" in settled.interpretation


def test_settling_past_the_last_year_is_refused() -> None:
    parsed = parse_fuzzy_date("15 March", today=date(2200, 9, 1))
    with pytest.raises(UserError, match="between 1900 and 2200"):
        settle_year(parsed, Facing.AHEAD, date(2200, 9, 1))
