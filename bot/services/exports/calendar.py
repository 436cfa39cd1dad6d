"""The iCalendar export: a server's visits as calendar events, with alarms."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from bot.domain.countries import normalise_country
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate, Precision, zone_info
from bot.domain.interchange import Bundle
from bot.domain.records import GuildSettings, Person, Source, Visit, VisitStatus
from bot.services.exports.country_filter import involves
from bot.services.reminder_policy import DEFAULT_LEADS, UNCONFIRMED, parse_leads, plan_reminders

# A timed visit with no end is shown as this long in a calendar.
DEFAULT_DURATION = timedelta(hours=2)
PRODID = "-//Attaché//EN"


def visitor_label(visit: Visit, people: dict[str, Person]) -> str:
    """Who travels, as a calendar entry or a digest line names them."""
    person = people.get(visit.visitor or "")
    name = person.name if person else (visit.visitor or "")
    if name and visit.visitor_role:
        return f"{name}, {visit.visitor_role}"
    return name or visit.visitor_role or "Visit"


def _unconfirmed(visit: Visit) -> bool:
    """Neither completed nor cancelled, and known only to the month, quarter or year."""
    return visit.date.precision is not Precision.DAY and visit.status not in (
        VisitStatus.COMPLETED, VisitStatus.CANCELLED)


def _ics_status(visit: Visit) -> str:
    """CONFIRMED for a visit confirmed or held on a known day; TENTATIVE for one proposed,
    planned or postponed, and for a span standing for a month, which cannot say which of
    its days it was."""
    if visit.status is VisitStatus.CANCELLED:
        return "CANCELLED"
    if visit.date.is_exact_day and visit.status in (VisitStatus.CONFIRMED,
                                                    VisitStatus.COMPLETED):
        return "CONFIRMED"
    return "TENTATIVE"


def in_calendar(visit: Visit) -> bool:
    """A visit held whose day was never recorded, known only to the quarter or year, is no
    event: a block of a whole year would say it filled that year."""
    return not (visit.status is VisitStatus.COMPLETED
                and visit.date.precision in (Precision.QUARTER, Precision.YEAR))


def _summary(visit: Visit, people: dict[str, Person]) -> str:
    text = f"{visitor_label(visit, people)}: {visit.from_country} → {visit.to_country}"
    if visit.status in (VisitStatus.CANCELLED, VisitStatus.POSTPONED):
        text = f"{visit.status.label.capitalize()}: {text}"
    elif _unconfirmed(visit):
        text += " (date unconfirmed)"
    return text


def visit_dates(visit: Visit) -> str:
    """The visit's dates as written, its last day included."""
    when = visit.date.render()
    return when + (f" to {visit.end_date.render()}" if visit.end_date is not None else "")


def date_note(visit: Visit) -> str:
    """How sure the date is; a past visit's missing day is unrecorded, not unconfirmed."""
    if _unconfirmed(visit):
        return UNCONFIRMED
    if not visit.date.is_exact_day:
        return "day not recorded"
    return ""


def _description(visit: Visit, sources: dict[str, Source]) -> str:
    lines = [f"Status: {visit.status.label}", f"Date: {visit_dates(visit)}"]
    if date_note(visit):
        lines[-1] += f" — {date_note(visit)}"
    if visit.purpose:
        lines.append(f"Purpose: {visit.purpose}")
    if visit.notes:
        lines.append(f"Notes: {visit.notes}")
    source = sources.get(visit.source or "")
    if source is not None:
        lines.append(f"Source: {source.title}" + (f" <{source.url}>" if source.url else ""))
    return "\n".join(lines)


def _moment(value: FuzzyDate) -> datetime:
    assert value.time is not None and value.zone is not None
    return datetime.combine(value.start, value.time, tzinfo=zone_info(value.zone))


def _span(visit: Visit) -> tuple[date | datetime, date | datetime]:
    """DTSTART and DTEND: dates for all-day spans, zoned datetimes for a known time."""
    start, end = visit.date, visit.end_date
    if start.time is None:
        last = max(start.end, end.end) if end is not None else start.end
        return start.start, last
    begin = _moment(start)
    if end is None:
        return begin, begin + DEFAULT_DURATION
    finish = _moment(end) if end.time is not None else datetime.combine(
        end.end, datetime.min.time(), tzinfo=begin.tzinfo)
    return begin, finish if finish > begin else begin + DEFAULT_DURATION


def _alarms(visit: Visit, settings: GuildSettings, summary: str) -> list[Alarm]:
    """The reminders the bot would post, as alarms: lead times for a known day, and for a
    month, quarter or year the same "expected next month" nudges."""
    if not visit.status.is_open:
        return []
    try:
        leads = parse_leads(settings.reminder_leads)
    except UserError:
        leads = list(DEFAULT_LEADS)
    start = visit.date.start_instant(settings.timezone)
    alarms = []
    for planned in plan_reminders(visit.date, visit.status, leads=leads, zone=settings.timezone):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{summary} — {planned.headline}")
        # Relative to the start, so the alarm moves with the event if a calendar shifts it.
        alarm.add("trigger", planned.due - start)
        alarms.append(alarm)
    return alarms


def visit_event(
    visit: Visit, *, guild_id: int, settings: GuildSettings, people: dict[str, Person],
    sources: dict[str, Source], stamp: datetime,
) -> Event:
    event = Event()
    summary = _summary(visit, people)
    event.add("uid", f"{visit.uid}.{guild_id}@attache")
    event.add("dtstamp", stamp.astimezone(UTC))
    begin, end = _span(visit)
    event.add("dtstart", begin)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("location", visit.place or visit.to_country)
    event.add("description", _description(visit, sources))
    event.add("status", _ics_status(visit))
    # All-day spans do not block a calendar: the day may be any in the period.
    event.add("transp", "OPAQUE" if isinstance(begin, datetime) else "TRANSPARENT")
    source = sources.get(visit.source or "")
    if source is not None and source.url:
        event.add("url", source.url)
    for alarm in _alarms(visit, settings, summary):
        event.add_component(alarm)
    return event


def ics_export(
    bundle: Bundle, settings: GuildSettings, *, now: datetime, country: str | None = None
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = "Attaché visits" + (f": {normalise_country(country)}" if country else "")
    calendar.add("x-wr-calname", name)
    people = {p.uid: p for p in bundle.people}
    sources = {s.uid: s for s in bundle.sources}
    visits = _visits(bundle, country)
    if not visits:
        # RFC 5545 wants at least one event in a calendar; an empty file helps nobody.
        where = f" involving {normalise_country(country)}" if country else ""
        raise UserError(
            f"No visits{where} to put in a calendar: none is recorded, or only visits held "
            "whose day was never recorded (known to the quarter or year). Add one with "
            "/visit add, or export format:JSON to get every record.")
    calendar.add("x-wr-caldesc", "Visits from Attaché. Visits held whose day was never "
                 "recorded (known only to the quarter or year) are left out.")
    for visit in visits:
        calendar.add_component(visit_event(
            visit, guild_id=settings.guild_id, settings=settings, people=people,
            sources=sources, stamp=now,
        ))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _visits(bundle: Bundle, country: str | None) -> list[Visit]:
    """The visits the calendar holds (see in_calendar), of one country if given."""
    visits = [v for v in bundle.visits if in_calendar(v)]
    if not country:
        return visits
    name = normalise_country(country)
    return [v for v in visits if involves(v, name)]
