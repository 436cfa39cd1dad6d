"""Visits whose dates have passed but that nobody has marked held, postponed or cancelled."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.domain.fuzzydate import zone_info
from bot.domain.records import Visit, VisitStatus

# What an editor may answer to "was it held?", and the status each answer sets.
ANSWERS = {
    "held": VisitStatus.COMPLETED,
    "postponed": VisitStatus.POSTPONED,
    "cancelled": VisitStatus.CANCELLED,
}

# The hour (in the server's zone) at which the reminder channel is asked, as for nudges.
ASK_HOUR = 9

# At most this many visits are asked about in one message: one row of buttons each, and a
# message holds five rows. The rest are asked next time.
ASK_AT_ONCE = 5


def period_end(visit: Visit) -> date:
    """The first day after the visit, as far as its dates are known."""
    return (visit.end_date or visit.date).end


def awaiting_outcome(visit: Visit, today: date) -> bool:
    """Still marked proposed, planned or confirmed, although every day it could fall on has
    passed: only a person can say whether it was held."""
    return visit.status.is_open and period_end(visit) <= today


def ask_at(visit: Visit, zone: str) -> datetime:
    """When the reminder channel asks about a visit: the morning after its last day."""
    return datetime.combine(period_end(visit), time(ASK_HOUR), zone_info(zone))


def question_key(visit: Visit) -> str:
    """What a question was asked about: the visit's dates, so a visit moved to new dates that
    also pass unanswered is asked about again, and otherwise it is asked once."""
    end = visit.end_date.value if visit.end_date else ""
    return f"{visit.date.value}..{end}" if end else visit.date.value
