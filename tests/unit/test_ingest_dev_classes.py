"""Classes found by the error analysis of the fifth set (issue 12), on phrases of our own."""

from __future__ import annotations

from datetime import date

from bot.domain.fuzzydate import FuzzyDate
from bot.services.ingest.dates import find_dates

ANCHOR = date(2026, 9, 10)  # a Thursday


def test_a_roadmap_for_a_partnership_adopted_on_a_weekday_is_the_last_one() -> None:
    text = ("The two presidents adopted a roadmap for a green hydrogen partnership on Tuesday, "
            "at talks in the capital.")
    (found,) = find_dates(text, ANCHOR)
    assert found.date == FuzzyDate.day(2026, 9, 8)


def test_a_roadmap_for_a_visit_still_puts_its_weekday_ahead() -> None:
    text = "Officials are drafting a roadmap for the state visit on Tuesday."
    (found,) = find_dates(text, ANCHOR)
    assert found.date == FuzzyDate.day(2026, 9, 15)
