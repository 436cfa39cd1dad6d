"""Which visits appear as Discord scheduled events, and with what name, place and times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.domain.fuzzydate import zone_info
from bot.domain.records import Person, Visit, VisitStatus

# An untimed day is shown as a working day in the server's zone.
DAY_STARTS = time(9, 0)
DAY_ENDS = time(17, 0)
TIMED_LENGTH = timedelta(hours=2)

NAME_MAX = 100
PLACE_MAX = 100
DESCRIPTION_MAX = 1000


@dataclass(frozen=True)
class EventSpec:
    """An external Discord event for one visit: all Discord needs, nothing Discord-specific."""

    name: str
    location: str
    start: datetime
    end: datetime
    description: str


def event_for(
    visit: Visit, people: dict[str, Person], *, zone: str, now: datetime
) -> EventSpec | None:
    """The event a visit should have, or None when it should have none.

    Only a known day goes into the server's Events: "November 2025" would have to invent a
    day. Closed visits (completed, postponed, cancelled) and visits already under way have
    none either, because Discord accepts events only in the future.
    """
    if not visit.date.is_exact_day or visit.status not in (
        VisitStatus.PLANNED, VisitStatus.CONFIRMED,
    ):
        return None
    local = zone_info(zone)
    if visit.date.has_time:
        start = visit.date.start_instant()
        end = start + TIMED_LENGTH
    else:
        start = datetime.combine(visit.date.start, DAY_STARTS, tzinfo=local)
        end = datetime.combine(visit.date.start, DAY_ENDS, tzinfo=local)
    if visit.end_date is not None:
        end = max(end, datetime.combine(visit.end_date.last_day, DAY_ENDS, tzinfo=local))
    if start <= now:
        return None
    person = people.get(visit.visitor or "")
    who = person.name if person else (visit.visitor_role or "Visit")
    role = f" ({visit.visitor_role})" if person and visit.visitor_role else ""
    name = f"{who}: {visit.from_country} → {visit.to_country}"
    status = "confirmed" if visit.status is VisitStatus.CONFIRMED else "planned, not yet confirmed"
    description = "\n".join(filter(None, [
        f"{who}{role} visits {visit.to_country} — {status}.",
        visit.purpose,
        f"Attaché visit #{visit.id}: /visit show visit:#{visit.id}",
    ]))
    return EventSpec(
        name=_clip(name, NAME_MAX),
        location=_clip(visit.place or visit.to_country, PLACE_MAX),
        start=start,
        end=end,
        description=_clip(description, DESCRIPTION_MAX),
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
