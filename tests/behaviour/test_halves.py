"""Halves of a year ("H1 2026", "second half of 2026") are stored as the year with the half
in the notes; the reply says so plainly, and a half typed without a year is the next (or
last) such half, not the year still under way."""

from __future__ import annotations

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Plan, RecordType, Visit
from tests.behaviour.conftest import Desk


@pytest.mark.parametrize(("typed", "year", "kept", "months"), [
    ("H1 2026", 2026, "H1 2026 (first half)", "January–June"),
    ("second half of 2026", 2026, "H2 2026 (second half)", "July–December"),
    # The bot's clock reads 12 September 2025: the first half is over, the next is 2026's.
    ("H1", 2026, "H1 2026 (first half)", "January–June"),
    ("first half", 2026, "H1 2026 (first half)", "January–June"),
])
async def test_a_visit_in_a_half_echoes_what_is_stored(
    desk: Desk, typed: str, year: int, kept: str, months: str,
) -> None:
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", date=typed, visitor_role="President")
    said = res.response.content
    assert f"Date: {year} — " in said
    assert f"{kept[:2]} is {months}" in said and "the whole year is stored" in said
    assert f"“{kept}” is kept in the visit's notes" in said
    [visit] = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    assert isinstance(visit, Visit)
    assert (visit.date, visit.notes) == (FuzzyDate.year(year), f"Date given as “{kept}”.")


async def test_a_plan_signed_in_a_half_without_a_year_is_the_last_one(desk: Desk) -> None:
    """Signed "in the first half", said on 12 September 2025: January–June 2025; expected
    "in the first half": January–June 2026."""
    res = await desk.editor.slash(desk.channel, "plan add", title="Roadmap", kind="roadmap",
                                  status="signed", date="H1")
    assert ": 2025 — the last H1 (no year given)" in res.response.content
    res = await desk.editor.slash(desk.channel, "plan add", title="MoU on water", kind="mou",
                                  status="expected", date="H1")
    assert ": 2026 — the next H1 (no year given)" in res.response.content
    plans = await desk.bot.records.list_records(desk.guild.id, RecordType.PLAN)
    assert {(p.title, p.date.start.year, p.summary) for p in plans if isinstance(p, Plan)} == {
        ("Roadmap", 2025, "Date given as “H1 2025 (first half)”."),
        ("MoU on water", 2026, "Date given as “H1 2026 (first half)”.")}
