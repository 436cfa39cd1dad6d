"""FuzzyDate: periods, order, containment, rendering and the interchange form."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.fuzzydate import FuzzyDate, Precision

KARACHI = "Asia/Karachi"


@pytest.mark.parametrize(
    ("fd", "text", "described"),
    [
        (
            FuzzyDate.day(2025, 9, 9),
            "9 September 2025",
            "9 September 2025 — exact day, no time set",
        ),
        (FuzzyDate.month(2025, 11), "November 2025", "November 2025 — month only, no day set"),
        (FuzzyDate.quarter(2025, 4), "Q4 2025", "Q4 2025 — quarter only, no month or day set"),
        (FuzzyDate.year(2003), "2003", "2003 — year only, no month or day set"),
        (
            FuzzyDate.day(2025, 11, 15, time(10), KARACHI),
            "15 Nov 2025 10:00 (Asia/Karachi)",
            "15 Nov 2025 10:00 (Asia/Karachi) — exact time in Asia/Karachi",
        ),
    ],
)
def test_renders_as_written(fd: FuzzyDate, text: str, described: str) -> None:
    assert fd.render() == text
    assert str(fd) == text
    assert fd.describe() == described


@pytest.mark.parametrize(
    ("fd", "end"),
    [
        (FuzzyDate.day(2025, 12, 31), date(2026, 1, 1)),
        (FuzzyDate.month(2025, 12), date(2026, 1, 1)),
        (FuzzyDate.month(2024, 2), date(2024, 3, 1)),
        (FuzzyDate.quarter(2025, 4), date(2026, 1, 1)),
        (FuzzyDate.quarter(2025, 1), date(2025, 4, 1)),
        (FuzzyDate.year(2003), date(2004, 1, 1)),
    ],
)
def test_period_end_is_exclusive(fd: FuzzyDate, end: date) -> None:
    assert fd.end == end


def test_never_invents_a_day() -> None:
    month = FuzzyDate.month(2025, 11)
    assert month.precision is Precision.MONTH
    assert not month.is_exact_day
    assert month.time is None
    with pytest.raises(ValueError):
        FuzzyDate(date(2025, 11, 15), Precision.MONTH)
    with pytest.raises(ValueError):
        FuzzyDate(date(2025, 5, 1), Precision.QUARTER)
    with pytest.raises(ValueError):
        FuzzyDate(date(2025, 2, 1), Precision.YEAR)


def test_time_rules() -> None:
    with pytest.raises(ValueError, match="zone"):
        FuzzyDate(date(2025, 11, 15), Precision.DAY, time(10))
    with pytest.raises(ValueError, match="only a day"):
        FuzzyDate(date(2025, 11, 1), Precision.MONTH, time(10), KARACHI)
    with pytest.raises(ValueError, match="unknown time zone"):
        FuzzyDate.day(2025, 11, 15, time(10), "Mars/Olympus")
    with pytest.raises(TypeError):
        FuzzyDate(datetime(2025, 11, 15, 10, tzinfo=UTC))  # type: ignore[arg-type]


def test_sorting_by_start_then_precision() -> None:
    dates = [
        FuzzyDate.year(2025),
        FuzzyDate.month(2025, 11),
        FuzzyDate.day(2025, 11, 1),
        FuzzyDate.year(2003),
        FuzzyDate.quarter(2025, 4),
        FuzzyDate.day(2025, 9, 9),
    ]
    assert sorted(dates) == [
        FuzzyDate.year(2003),
        FuzzyDate.year(2025),
        FuzzyDate.day(2025, 9, 9),
        FuzzyDate.quarter(2025, 4),
        FuzzyDate.day(2025, 11, 1),
        FuzzyDate.month(2025, 11),
    ]


def test_timed_dates_sort_by_instant_across_zones() -> None:
    karachi_ten = FuzzyDate.day(2025, 11, 15, time(10), KARACHI)  # 05:00 UTC
    london_nine = FuzzyDate.day(2025, 11, 15, time(9), "Europe/London")  # 09:00 UTC
    assert karachi_ten < london_nine


def test_equality_is_by_value() -> None:
    assert FuzzyDate.month(2025, 11) == FuzzyDate(date(2025, 11, 1), Precision("month"))
    assert FuzzyDate.month(2025, 11) != FuzzyDate.day(2025, 11, 1)
    assert len({FuzzyDate.year(2003), FuzzyDate.year(2003)}) == 1


@pytest.mark.parametrize(
    ("fd", "instant", "zone", "inside"),
    [
        (FuzzyDate.month(2025, 11), datetime(2025, 11, 30, 23, 0, tzinfo=UTC), "UTC", True),
        (FuzzyDate.month(2025, 11), datetime(2025, 12, 1, 0, 0, tzinfo=UTC), "UTC", False),
        # 30 Nov 20:00 UTC is already 1 December in Karachi (UTC+5).
        (FuzzyDate.month(2025, 11), datetime(2025, 11, 30, 20, 0, tzinfo=UTC), KARACHI, False),
        (FuzzyDate.year(2003), datetime(2003, 6, 1, tzinfo=UTC), "UTC", True),
        (FuzzyDate.quarter(2025, 4), datetime(2025, 9, 30, 12, tzinfo=UTC), "UTC", False),
        (FuzzyDate.day(2025, 9, 9), datetime(2025, 9, 9, 23, 59, tzinfo=UTC), "UTC", True),
        (
            FuzzyDate.day(2025, 11, 15, time(10), KARACHI),
            datetime(2025, 11, 15, 18, 0, tzinfo=UTC),
            "UTC",
            True,
        ),
    ],
)
def test_contains(fd: FuzzyDate, instant: datetime, zone: str, inside: bool) -> None:
    assert fd.contains(instant, zone) is inside


def test_contains_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError):
        FuzzyDate.year(2025).contains(datetime(2025, 1, 1))


def test_instants_across_daylight_saving() -> None:
    # New York leaves daylight saving on 2 November 2025: the day is 25 hours long.
    day = FuzzyDate.day(2025, 11, 2)
    start = day.start_instant("America/New_York")
    end = day.end_instant("America/New_York")
    assert start == datetime(2025, 11, 2, 4, 0, tzinfo=UTC)
    assert (end - start).total_seconds() == 25 * 3600
    timed = FuzzyDate.day(2025, 3, 30, time(9), "Europe/London")  # BST began at 01:00 UTC
    assert timed.start_instant() == datetime(2025, 3, 30, 8, 0, tzinfo=UTC)


def test_ambiguous_time_keeps_its_fold() -> None:
    second = datetime(2025, 11, 2, 1, 30, fold=1).replace(tzinfo=None)
    from zoneinfo import ZoneInfo

    moment = second.replace(tzinfo=ZoneInfo("America/New_York"))
    fd = FuzzyDate.at(moment, "America/New_York")
    assert fd.start_instant() == datetime(2025, 11, 2, 6, 30, tzinfo=UTC)
    again = FuzzyDate.from_json(fd.to_json())
    assert again.start_instant() == fd.start_instant()


@pytest.mark.parametrize(
    ("fd", "json"),
    [
        (FuzzyDate.day(2025, 9, 9), {"value": "2025-09-09", "precision": "day"}),
        (FuzzyDate.month(2025, 11), {"value": "2025-11", "precision": "month"}),
        (FuzzyDate.quarter(2025, 4), {"value": "2025-Q4", "precision": "quarter"}),
        (FuzzyDate.year(2003), {"value": "2003", "precision": "year"}),
        (
            FuzzyDate.day(2025, 11, 15, time(10), KARACHI),
            {"value": "2025-11-15T10:00:00+05:00", "precision": "day", "zone": KARACHI},
        ),
    ],
)
def test_interchange_form(fd: FuzzyDate, json: dict[str, str]) -> None:
    assert fd.to_json() == json
    assert FuzzyDate.from_json(json) == fd


@pytest.mark.parametrize(
    "bad",
    [
        {"value": "2025-13", "precision": "month"},
        {"value": "2025-Q5", "precision": "quarter"},
        {"value": "2025-11", "precision": "week"},
        {"value": "2025-11-15T10:00:00+05:00", "precision": "day"},
        {"value": "2025-11-15", "precision": "day", "zone": KARACHI},
        {"value": "yesterday", "precision": "day"},
        {"value": "2025"},
        "2025-11",
    ],
)
def test_interchange_rejects_malformed(bad: object) -> None:
    with pytest.raises(ValueError):
        FuzzyDate.from_json(bad)


def _fuzzy_dates() -> st.SearchStrategy[FuzzyDate]:
    years = st.integers(1900, 2200)
    return st.one_of(
        st.dates(date(1900, 1, 1), date(2200, 12, 31)).map(lambda d: FuzzyDate(d)),
        st.builds(FuzzyDate.month, years, st.integers(1, 12)),
        st.builds(FuzzyDate.quarter, years, st.integers(1, 4)),
        st.builds(FuzzyDate.year, years),
        st.builds(
            lambda d, t, z: FuzzyDate.at(datetime.combine(d, t, tzinfo=UTC), z),
            st.dates(date(1970, 1, 1), date(2100, 12, 31)),
            st.times(),
            st.sampled_from([KARACHI, "America/New_York", "Europe/London", "Asia/Almaty"]),
        ),
    )


@given(_fuzzy_dates())
def test_interchange_round_trips(fd: FuzzyDate) -> None:
    again = FuzzyDate.from_json(fd.to_json())
    assert again == fd
    assert again.start_instant() == fd.start_instant()


@given(_fuzzy_dates(), _fuzzy_dates())
def test_order_is_consistent(a: FuzzyDate, b: FuzzyDate) -> None:
    assert not (a < b and b < a)
    if a.start < b.start:
        assert a < b
