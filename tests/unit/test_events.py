"""Which visits become Discord events, and when they start and end."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Person, Visit, VisitStatus
from bot.services.events import event_for

NOW = datetime(2025, 9, 12, 9, 0, tzinfo=UTC)
TOKAYEV = Person(name="Kassym-Jomart Tokayev", title="President", uid="tokayev")


def _visit(date: FuzzyDate, status: VisitStatus = VisitStatus.PLANNED, **kw: object) -> Visit:
    return Visit(visitor="tokayev", visitor_role="President", from_country="Kazakhstan",
                 to_country="Pakistan", date=date, status=status, id=7, **kw)  # type: ignore[arg-type]


def test_a_known_day_is_a_working_day_in_the_server_zone() -> None:
    spec = event_for(_visit(FuzzyDate.day(2025, 11, 24), place="Islamabad"),
                     {"tokayev": TOKAYEV}, zone="Asia/Karachi", now=NOW)
    assert spec is not None
    assert spec.name == "Kassym-Jomart Tokayev: Kazakhstan → Pakistan"
    assert spec.location == "Islamabad"
    assert spec.start == datetime(2025, 11, 24, 4, 0, tzinfo=UTC)  # 09:00 in Karachi
    assert spec.end == datetime(2025, 11, 24, 12, 0, tzinfo=UTC)  # 17:00 in Karachi
    assert "planned, not yet confirmed" in spec.description and "#7" in spec.description


def test_a_timed_visit_lasts_two_hours_or_until_its_last_day() -> None:
    timed = FuzzyDate.day(2025, 11, 24, time(10), "Asia/Karachi")
    spec = event_for(_visit(timed, VisitStatus.CONFIRMED), {}, zone="UTC", now=NOW)
    assert spec is not None and spec.start == datetime(2025, 11, 24, 5, 0, tzinfo=UTC)
    assert (spec.end - spec.start).total_seconds() == 7200
    assert spec.location == "Pakistan" and spec.name.startswith("President:")
    longer = event_for(_visit(timed, end_date=FuzzyDate.day(2025, 11, 26)), {}, zone="UTC",
                       now=NOW)
    assert longer is not None and longer.end == datetime(2025, 11, 26, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("date", "status"),
    [
        (FuzzyDate.month(2025, 11), VisitStatus.PLANNED),  # no day: nothing to invent
        (FuzzyDate.year(2026), VisitStatus.CONFIRMED),
        (FuzzyDate.day(2025, 11, 24), VisitStatus.POSTPONED),
        (FuzzyDate.day(2025, 11, 24), VisitStatus.CANCELLED),
        (FuzzyDate.day(2025, 11, 24), VisitStatus.COMPLETED),
        (FuzzyDate.day(2025, 11, 24), VisitStatus.PROPOSED),
        (FuzzyDate.day(2025, 9, 12), VisitStatus.PLANNED),  # already begun: Discord refuses
    ],
)
def test_visits_without_an_event(date: FuzzyDate, status: VisitStatus) -> None:
    assert event_for(_visit(date, status), {}, zone="UTC", now=NOW) is None
