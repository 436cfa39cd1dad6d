"""Which way each record's date faces, for dates typed without a year."""

from __future__ import annotations

import pytest

from bot.domain.dateparse import Facing
from bot.domain.facing import PUBLISHED_FACING, meeting_facing, plan_facing, visit_facing
from bot.domain.records import PlanStatus, VisitStatus

AHEAD, BEHIND = Facing.AHEAD, Facing.BEHIND


@pytest.mark.parametrize(
    ("status", "facing"),
    [(VisitStatus.PROPOSED, AHEAD), (VisitStatus.PLANNED, AHEAD), (VisitStatus.CONFIRMED, AHEAD),
     (VisitStatus.POSTPONED, AHEAD), (VisitStatus.COMPLETED, BEHIND),
     (VisitStatus.CANCELLED, None)],
)
def test_visits(status: VisitStatus, facing: Facing | None) -> None:
    assert visit_facing(status) is facing


@pytest.mark.parametrize(
    ("status", "facing"),
    [(PlanStatus.UNDER_NEGOTIATION, AHEAD), (PlanStatus.EXPECTED, AHEAD),
     (PlanStatus.SIGNED, BEHIND), (PlanStatus.IN_FORCE, BEHIND), (PlanStatus.EXPIRED, BEHIND)],
)
def test_plans(status: PlanStatus, facing: Facing) -> None:
    assert plan_facing(status) is facing


@pytest.mark.parametrize(
    ("visit", "facing"),
    [(None, BEHIND), (VisitStatus.PLANNED, AHEAD), (VisitStatus.CONFIRMED, AHEAD),
     (VisitStatus.COMPLETED, BEHIND), (VisitStatus.CANCELLED, BEHIND)],
)
def test_meetings_look_back_unless_during_a_visit_ahead(
    visit: VisitStatus | None, facing: Facing
) -> None:
    assert meeting_facing(visit) is facing


def test_sources_look_back() -> None:
    assert PUBLISHED_FACING is BEHIND
