"""Which way a record's date looks from today, so a date typed without a year lands right.

A visit still planned looks ahead ("15 March" is the next one); a visit held, a meeting, a
signed plan and a report's publication look back (the last one). settle_year in dateparse
does the placing; this says which way each field faces.
"""

from __future__ import annotations

from bot.domain.dateparse import Facing
from bot.domain.records import PlanStatus, VisitStatus

_PLAN_AHEAD = (PlanStatus.UNDER_NEGOTIATION, PlanStatus.EXPECTED)


def visit_facing(status: VisitStatus) -> Facing | None:
    """Proposed, planned, confirmed or postponed: ahead; completed: behind. A cancelled
    visit faces neither way, so its date keeps this year (and the echo says so)."""
    if status.is_open or status is VisitStatus.POSTPONED:
        return Facing.AHEAD
    if status is VisitStatus.COMPLETED:
        return Facing.BEHIND
    return None


def plan_facing(status: PlanStatus) -> Facing:
    """Expected or under negotiation: the signing is ahead; signed, in force or expired: it
    is behind."""
    return Facing.AHEAD if status in _PLAN_AHEAD else Facing.BEHIND


def meeting_facing(visit_status: VisitStatus | None) -> Facing:
    """A meeting is recorded once held, so it looks back — unless it belongs to a visit
    still ahead, whose meetings are ahead with it."""
    if visit_status is not None and visit_facing(visit_status) is Facing.AHEAD:
        return Facing.AHEAD
    return Facing.BEHIND


# A source's publication date is always behind: nothing is cited before it is published.
PUBLISHED_FACING = Facing.BEHIND
