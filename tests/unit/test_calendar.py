"""The calendar export read back with the icalendar parser: statuses as a calendar means
them, no year-long blocks for visits whose day was never recorded, nudges as alarms for
visits known only to the month, and a clear refusal instead of an empty calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import Bundle
from bot.domain.records import GuildSettings, Visit, VisitStatus
from bot.services.exports.calendar import ics_export

NOW = datetime(2025, 9, 12, 9, tzinfo=UTC)
SETTINGS = GuildSettings(guild_id=1, timezone="Asia/Karachi", reminder_leads="7d 1d")


def visit(uid: str, when: FuzzyDate, status: VisitStatus, to: str = "Pakistan") -> Visit:
    return Visit(visitor=None, visitor_role="Foreign Minister", from_country="Kazakhstan",
                 to_country=to, date=when, status=status, uid=uid)


def exported(*visits: Visit, country: str | None = None) -> dict[str, object]:
    bundle = Bundle()
    bundle.visits.extend(visits)
    raw = ics_export(bundle, SETTINGS, now=NOW, country=country)
    calendar = Calendar.from_ical(raw)
    # The parser accepted every line, and the calendar says what it is.
    assert not calendar.errors and all(not c.errors for c in calendar.walk())
    assert str(calendar["version"]) == "2.0" and str(calendar["prodid"])
    events = calendar.walk("VEVENT")
    assert events, "RFC 5545: a calendar holds at least one component"
    for event in events:
        for needed in ("uid", "dtstamp", "dtstart", "dtend", "summary", "status"):
            assert needed in event, needed
        assert event.end > event.start
    return {str(e["uid"]).split(".")[0]: e for e in events}


@pytest.mark.parametrize(("status", "expected"), [
    (VisitStatus.PROPOSED, "TENTATIVE"),
    (VisitStatus.PLANNED, "TENTATIVE"),
    (VisitStatus.CONFIRMED, "CONFIRMED"),
    (VisitStatus.COMPLETED, "CONFIRMED"),
    (VisitStatus.POSTPONED, "TENTATIVE"),
    (VisitStatus.CANCELLED, "CANCELLED"),
])
def test_a_known_day_has_the_status_a_calendar_means(status: VisitStatus, expected: str) -> None:
    [event] = exported(visit("v", FuzzyDate.day(2025, 11, 24), status)).values()
    assert str(event["status"]) == expected


def test_a_month_is_tentative_whatever_the_visit_status() -> None:
    [event] = exported(visit("v", FuzzyDate.month(2025, 11), VisitStatus.CONFIRMED)).values()
    assert str(event["status"]) == "TENTATIVE"
    assert (event.start, event.end) == (date(2025, 11, 1), date(2025, 12, 1))


def test_a_visit_held_in_a_year_is_no_year_long_event() -> None:
    found = exported(visit("held-2003", FuzzyDate.year(2003), VisitStatus.COMPLETED),
                     visit("held-q2", FuzzyDate.quarter(2024, 2), VisitStatus.COMPLETED),
                     visit("ahead", FuzzyDate.year(2026), VisitStatus.PLANNED))
    assert set(found) == {"ahead"}


def test_month_only_visits_carry_the_nudges_as_alarms() -> None:
    found = exported(visit("month", FuzzyDate.month(2025, 11), VisitStatus.PLANNED),
                     visit("quarter", FuzzyDate.quarter(2026, 1), VisitStatus.PLANNED),
                     visit("day", FuzzyDate.day(2025, 11, 24), VisitStatus.PLANNED))
    month = found["month"].walk("VALARM")
    # 09:00 in Karachi on 1 October and on 1 November, from the start of 1 November.
    assert [a["trigger"].dt for a in month] == [timedelta(days=-31, hours=9),
                                               timedelta(hours=9)]
    assert "expected next month" in str(month[0]["description"])
    assert [a["trigger"].dt for a in found["quarter"].walk("VALARM")] == [timedelta(hours=9)]
    assert len(found["day"].walk("VALARM")) == 2  # the server's 7d and 1d


def test_nothing_to_export_is_said_not_sent_as_an_empty_calendar() -> None:
    with pytest.raises(UserError, match="No visits involving Uzbekistan to put in a calendar"):
        exported(visit("v", FuzzyDate.month(2025, 11), VisitStatus.PLANNED),
                 country="Uzbekistan")
    with pytest.raises(UserError, match="No visits to put in a calendar"):
        exported(visit("old", FuzzyDate.year(2003), VisitStatus.COMPLETED))
