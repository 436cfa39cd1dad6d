""""Preparations for the visit": what the briefing lists from the follow-ups, on the sample."""

from __future__ import annotations

from typing import Any

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import FollowUp, FollowUpStatus, Visit
from bot.services.access import Actor
from bot.services.factory import Services
from bot.services.followups import preparations
from bot.services.interchange import import_data
from tests.conftest import GUILD

EDITOR = Actor(GUILD, 1, can_manage_guild=True)


async def test_open_follow_ups_of_the_visits_overdue_first(
    services: Services, sample_data: dict[str, Any]
) -> None:
    await import_data(services.changes, GUILD, sample_data, actor_id=None)
    desk = services.desk
    await services.followups.add(EDITOR, FollowUp(
        "Agree the joint statement", owner="member:7", owner_name="alice",
        due=FuzzyDate.day(2025, 9, 10), visit="president-visit-2025-11"))
    await services.followups.add(EDITOR, FollowUp(
        "Book the hall", due=FuzzyDate.day(2025, 10, 1), visit="nurtleu-visit-2025-09"))
    done = await services.followups.add(EDITOR, FollowUp(
        "Done already", visit="president-visit-2025-11"))
    assert done.id is not None
    await services.followups.edit(EDITOR, done.id, status=FollowUpStatus.DONE)

    found = await preparations(desk, GUILD, visit_uids=["president-visit-2025-11"])
    assert [p.line for p in found] == [
        "Agree the joint statement — @alice — 10 September 2025 (overdue)",
        "Finalise the MoUs for the President's visit — @Desk editors — early November 2025 — "
        "before the visit",
    ]
    # By the plan as well; nothing for a visit without follow-ups.
    by_plan = await preparations(desk, GUILD, visit_uids=[],
                                 plan_uids=["presidential-visit-agreements-2025"])
    assert [p.number for p in by_plan] == [1]
    assert await preparations(desk, GUILD, visit_uids=["president-visit-2003"]) == []

    # Refined to a day, the deadline says so.
    visit = await desk.find(GUILD, Visit.TYPE, "president-visit-2025-11")
    assert visit.id is not None
    await desk.edit(EDITOR, Visit.TYPE, visit.id, date=FuzzyDate.day(2025, 11, 24))
    [_, mous] = await preparations(desk, GUILD, visit_uids=["president-visit-2025-11"])
    assert mous.deadline == "23 November 2025 — before the visit" and not mous.overdue
