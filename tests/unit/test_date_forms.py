"""Date input beyond one day: ranges, halves, "in 2 hours", early/mid/late — each echoed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.dateparse import Facing, parse_fuzzy_date, settle_year
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate

TODAY = date(2025, 9, 12)
NOW = datetime(2025, 9, 12, 9, 0, tzinfo=UTC)
D = FuzzyDate.day


@pytest.mark.parametrize(("typed", "start", "end"), [
    ("24–26 November 2025", D(2025, 11, 24), D(2025, 11, 26)),
    ("24-26 Nov 2025", D(2025, 11, 24), D(2025, 11, 26)),
    ("24 - 26 November 2025", D(2025, 11, 24), D(2025, 11, 26)),
    ("November 24–26, 2025", D(2025, 11, 24), D(2025, 11, 26)),
    ("24 November – 2 December 2025", D(2025, 11, 24), D(2025, 12, 2)),
    ("28 December – 3 January 2026", D(2025, 12, 28), D(2026, 1, 3)),
    ("24 Nov 2025 to 26 Nov 2025", D(2025, 11, 24), D(2025, 11, 26)),
    ("Q4 2025 – Q1 2026", FuzzyDate.quarter(2025, 4), FuzzyDate.quarter(2026, 1)),
])
def test_a_range_gives_the_first_and_last_day(typed: str, start: FuzzyDate,
                                              end: FuzzyDate) -> None:
    parsed = parse_fuzzy_date(typed, today=TODAY, ranges=True)
    assert (parsed.date, parsed.end) == (start, end)


def test_a_range_is_echoed_with_its_length() -> None:
    parsed = parse_fuzzy_date("24–26 November 2025", today=TODAY, ranges=True)
    assert parsed.interpretation == (
        "24 November 2025 to 26 November 2025 — 3 days, no time set")


def test_a_range_is_refused_where_one_date_is_asked_and_backwards() -> None:
    with pytest.raises(UserError, match="range of days; give one date here"):
        parse_fuzzy_date("24–26 November 2025", today=TODAY)
    with pytest.raises(UserError, match=r"ends .* before it starts"):
        parse_fuzzy_date("26–24 November 2025", today=TODAY, ranges=True)


def test_dates_with_hyphens_are_not_ranges() -> None:
    for typed, day in [("2025-11-24", D(2025, 11, 24)), ("24-11-2025", D(2025, 11, 24))]:
        parsed = parse_fuzzy_date(typed, today=TODAY, ranges=True)
        assert parsed.date == day and parsed.end is None


def test_a_year_less_range_moves_both_ends_with_the_year() -> None:
    parsed = parse_fuzzy_date("24–26 March", today=TODAY, ranges=True)
    ahead = settle_year(parsed, Facing.AHEAD, TODAY)
    assert (ahead.date, ahead.end) == (D(2026, 3, 24), D(2026, 3, 26))


@pytest.mark.parametrize(("typed", "year", "kept"), [
    ("H1 2026", 2026, "H1 2026 (first half)"),
    ("2026 H2", 2026, "H2 2026 (second half)"),
    ("first half of 2026", 2026, "H1 2026 (first half)"),
    ("second half of 2026", 2026, "H2 2026 (second half)"),
])
def test_a_half_is_its_year_with_the_half_kept(typed: str, year: int, kept: str) -> None:
    parsed = parse_fuzzy_date(typed, today=TODAY)
    assert parsed.date == FuzzyDate.year(year)
    assert parsed.qualifier == kept
    # The echo says which months the half is, and that the year is what is kept.
    months = "January–June" if kept.startswith("H1") else "July–December"
    assert f"{kept[:2]} is {months}" in parsed.interpretation
    assert parsed.interpretation.startswith(f"{year} — year only")
    assert "the whole year is stored" in parsed.interpretation


@pytest.mark.parametrize(("typed", "today", "facing", "year"), [
    # On 12 September 2025 the first half is over: the next one is 2026's.
    ("H1", TODAY, Facing.AHEAD, 2026),
    ("first half", TODAY, Facing.AHEAD, 2026),
    ("H1", TODAY, Facing.BEHIND, 2025),
    # The second half is under way: it is still "the next", as a month under way is.
    ("H2", TODAY, Facing.AHEAD, 2025),
    ("second half", date(2025, 3, 1), Facing.BEHIND, 2024),
    ("H2", date(2025, 3, 1), Facing.AHEAD, 2025),
])
def test_a_half_without_a_year_is_placed_by_the_half_not_the_year(
    typed: str, today: date, facing: Facing, year: int,
) -> None:
    settled = settle_year(parse_fuzzy_date(typed, today=today), facing, today)
    assert settled.date == FuzzyDate.year(year)
    half = "H1" if typed in ("H1", "first half") else "H2"
    assert settled.qualifier.startswith(f"{half} {year} (")
    assert settled.interpretation.startswith(f"{year} — the {facing.value} {half} (no year")


def test_the_kept_words_follow_the_year_a_date_is_placed_in() -> None:
    """'late November' typed in December is next year's: the note says 2026 too."""
    december = date(2025, 12, 5)
    settled = settle_year(parse_fuzzy_date("late November", today=december), Facing.AHEAD,
                          december)
    assert (settled.date, settled.qualifier) == (FuzzyDate.month(2026, 11), "late November 2026")
    ranged = parse_fuzzy_date("late December – January 2027", today=december, ranges=True)
    assert (ranged.date, ranged.qualifier) == (FuzzyDate.month(2026, 12), "late December 2026")


@pytest.mark.parametrize(("typed", "moment"), [
    ("in 2 hours", datetime(2025, 9, 12, 16, 0)),
    ("in 30 minutes", datetime(2025, 9, 12, 14, 30)),
    ("in an hour", datetime(2025, 9, 12, 15, 0)),
])
def test_in_hours_counts_from_now_in_the_servers_zone(typed: str, moment: datetime) -> None:
    parsed = parse_fuzzy_date(typed, today=TODAY, zone="Asia/Karachi", now=NOW)
    assert parsed.date == D(moment.year, moment.month, moment.day,
                            time(moment.hour, moment.minute), "Asia/Karachi")
    assert "counted from 14:00 on 12 September 2025" in parsed.interpretation


def test_in_hours_needs_a_clock() -> None:
    with pytest.raises(UserError, match="counted from now"):
        parse_fuzzy_date("in 2 hours", today=TODAY)


@pytest.mark.parametrize(("typed", "kept"), [
    ("early November 2025", "early November 2025"),
    ("mid-November 2025", "mid November 2025"),
    ("late November 2025", "late November 2025"),
])
def test_early_mid_late_is_the_month_with_the_word_kept(typed: str, kept: str) -> None:
    parsed = parse_fuzzy_date(typed, today=TODAY)
    assert parsed.date == FuzzyDate.month(2025, 11)
    assert parsed.qualifier == kept
