"""Which reminders a visit or follow-up should get and when, when the weekly digest goes
out: lead times, nudges, lateness and retry back-off.

Everything here is pure: the record's date, its status, the server's lead times and zone come
in, planned sends (aware UTC instants) come out. Storing, claiming and posting are elsewhere.

Decisions:
- Leads in days and weeks are calendar steps in the visit's zone (the same wall-clock time N
  days earlier, so "7d" stays at 10:00 across a daylight-saving change); leads in hours,
  minutes and seconds are exact durations before the start instant.
- A wall-clock time that does not exist (skipped by a clock change) is read with the offset in
  force before the change, i.e. as the clock would show after springing forward; an ambiguous
  one (repeated by a clock change) is its first occurrence.
- A day without a time starts at local midnight in the server's zone; each lead counts back
  from there and the reminder goes out at 09:00 (server zone) on the day it lands on.
- When two leads land on the same instant only the longest is kept; a reminder that would not
  fall before the start (only possible around a skipped calendar day) is dropped.
- A follow-up's deadline is the last day to finish it; its leads count back from that day as a
  visit's count back from the visit's day. A deadline known only to a month (the anchor's day
  is not set) counts back from the first day of that month, the earliest it may be, and says
  the day is unconfirmed.
- The weekly digest goes out at its wall-clock time in the server's zone, so it stays at 08:00
  across a daylight-saving change. One digest per ISO week: `digest_week` names it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as WallTime
from typing import Literal

from dateutil.relativedelta import relativedelta

from bot.domain.fuzzydate import FuzzyDate, Precision, zone_info
from bot.domain.records import VisitStatus
from bot.domain.syntax import SyntaxRefusal, Topic

MAX_LEADS = 10
MIN_LEAD_SECONDS = 1
MAX_LEAD_SECONDS = 365 * 86400
# Date-only reminders and nudges go out in office hours in the server's zone.
POST_AT = WallTime(9, 0)

MONTH_BEFORE = "month-before"
MONTH_OF = "month-of"
PERIOD_START = "period-start"
UNCONFIRMED = "date still unconfirmed"

BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)

_UNIT_SECONDS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
_UNIT_WORDS = {
    "w": ("w", "wk", "wks", "week", "weeks"),
    "d": ("d", "day", "days"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "m": ("m", "min", "mins", "minute", "minutes"),
    "s": ("s", "sec", "secs", "second", "seconds"),
}
_UNIT_OF_WORD = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
_UNIT_NAMES = {"w": "week", "d": "day", "h": "hour", "m": "minute", "s": "second"}
_LABEL = re.compile(r"([1-9][0-9]*)([wdhms])")
_TOKEN = re.compile(r"([0-9]+)([a-z]+)")
# More digits than this is beyond 365 days in any unit; checked before int() sees it.
_MAX_DIGITS = 9

ACCEPTED = (
    "Write them like 30d 7d 1d 2h (d days, w weeks, h hours, m minutes, s seconds), "
    f"at most {MAX_LEADS}."
)

Verdict = Literal["on_time", "late", "stale"]
ReminderKind = Literal["lead", "nudge"]


@dataclass(frozen=True)
class Lead:
    """How long before a visit a reminder goes out; `label` is canonical ("7d", "2h", "90s")."""

    seconds: int
    label: str

    def __post_init__(self) -> None:
        match = _LABEL.fullmatch(self.label)
        if match is None:
            raise ValueError(f"{self.label!r} is not a canonical lead label such as 7d or 2h")
        if int(match[1]) * _UNIT_SECONDS[match[2]] != self.seconds:
            raise ValueError(f"lead {self.label!r} is not {self.seconds} seconds")

    @classmethod
    def of(cls, amount: int, unit: str) -> Lead:
        return cls(amount * _UNIT_SECONDS[unit], f"{amount}{unit}")

    @property
    def amount(self) -> int:
        return int(self.label[:-1])

    @property
    def unit(self) -> str:
        return self.label[-1]

    @property
    def is_calendar(self) -> bool:
        """Days and weeks step the calendar; shorter units are exact durations."""
        return self.unit in ("d", "w")

    @property
    def days(self) -> int:
        """The calendar days a day or week lead steps back (0 for exact durations)."""
        return self.seconds // 86400 if self.is_calendar else 0

    @property
    def duration(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    def headline(self) -> str:
        """How far off the visit is when this lead's reminder goes out: 'tomorrow', 'in 2 hours'."""
        if self.label == "1d":
            return "tomorrow"
        return _in(self.amount, _UNIT_NAMES[self.unit])

    def __str__(self) -> str:
        return self.label


def parse_leads(text: str) -> list[Lead]:
    """'30d 7d 1d 2h' or '7d, 1d' -> leads, longest first, without duplicates.

    Two leads of the same length ('1d' and '24h', '7d' and '1w') count as one: the first given.
    Raises UserError saying what was wrong and what is accepted.
    """
    # "7 days" is two words to a splitter; glue a number to the unit that follows it.
    glued = re.sub(r"([0-9])\s+(?=[a-z])", r"\1", (text or "").strip().lower())
    tokens = [token for token in re.split(r"[\s,;]+", glued) if token]
    if not tokens:
        raise SyntaxRefusal(f"No lead times given. {ACCEPTED}", topic=Topic.REMINDERS)
    leads: dict[int, Lead] = {}
    for token in tokens:
        lead = _parse_lead(token)
        leads.setdefault(lead.seconds, lead)
    if len(leads) > MAX_LEADS:
        raise SyntaxRefusal(
            f"That is {len(leads)} different lead times; at most {MAX_LEADS} are allowed. "
            f"{ACCEPTED}", topic=Topic.REMINDERS)
    return sorted(leads.values(), key=lambda lead: -lead.seconds)


def _parse_lead(token: str) -> Lead:
    match = _TOKEN.fullmatch(token)
    unit = _UNIT_OF_WORD.get(match[2]) if match else None
    if match is None or unit is None:
        raise SyntaxRefusal(f"Could not read {_clip(token)!r} as a lead time. {ACCEPTED}",
                            topic=Topic.REMINDERS)
    digits = match[1].lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS or int(digits) * _UNIT_SECONDS[unit] > MAX_LEAD_SECONDS:
        raise SyntaxRefusal(
            f"{_clip(token)!r} is too long: a lead time is between 1 second and 365 days.",
            topic=Topic.REMINDERS)
    if int(digits) * _UNIT_SECONDS[unit] < MIN_LEAD_SECONDS:
        raise SyntaxRefusal(
            f"{_clip(token)!r} is too short: a lead time is between 1 second and 365 days.",
            topic=Topic.REMINDERS)
    return Lead.of(int(digits), unit)


def _clip(token: str, limit: int = 24) -> str:
    return token if len(token) <= limit else token[: limit - 1] + "…"


def format_leads(leads: Sequence[Lead]) -> str:
    """The canonical text of `leads`, which parse_leads reads back: '7d 1d 2h'."""
    return " ".join(lead.label for lead in leads)


DEFAULT_LEADS: tuple[Lead, ...] = tuple(parse_leads("7d 1d 2h"))


@dataclass(frozen=True)
class PlannedReminder:
    """One send a visit should get.

    `key` is the lead label or a nudge name; `computed_for` is the interchange value of the date
    it was planned from, so a changed date yields new (key, computed_for) pairs.
    """

    key: str
    computed_for: str
    due: datetime
    kind: ReminderKind
    headline: str


def plan_reminders(
    date: FuzzyDate, status: VisitStatus, *, leads: Sequence[Lead], zone: str
) -> list[PlannedReminder]:
    """Every reminder a visit on `date` should get, sorted by when it is due (aware UTC).

    `zone` is the server's zone; a timed date carries its own zone for the calendar steps.
    Only open visits (proposed, planned, confirmed) get any. Past instants are included:
    whether they still go out is the poster's decision.
    """
    zone_info(zone)  # a bad zone fails for every visit, not only for open ones
    if not VisitStatus(status).is_open:
        return []
    if date.precision is Precision.DAY:
        planned = _lead_reminders(date, leads, zone)
    elif date.precision is Precision.MONTH:
        previous = date.start - relativedelta(months=1)
        planned = [
            _nudge(date, MONTH_BEFORE, previous, f"expected next month — {UNCONFIRMED}", zone),
            _nudge(date, MONTH_OF, date.start, f"expected this month — {UNCONFIRMED}", zone),
        ]
    else:
        headline = f"expected in {date.render()} — {UNCONFIRMED}"
        planned = [_nudge(date, PERIOD_START, date.start, headline, zone)]
    return sorted(planned, key=lambda reminder: (reminder.due, reminder.key))


def _lead_reminders(when: FuzzyDate, leads: Sequence[Lead], zone: str) -> list[PlannedReminder]:
    start = when.start_instant(zone)
    taken: set[datetime] = set()
    planned: list[PlannedReminder] = []
    seen: set[str] = set()
    # Longest first, so when two leads land on one instant the longer one keeps it.
    for lead in sorted(leads, key=lambda lead: -lead.seconds):
        if lead.label in seen:
            continue
        seen.add(lead.label)
        if when.time is not None and when.zone is not None:
            due, headline = _timed_due(when, when.time, when.zone, start, lead), lead.headline()
        else:
            due, headline = _untimed_due(when.start, start, lead, zone)
        if due >= start or due in taken:
            continue
        taken.add(due)
        planned.append(PlannedReminder(lead.label, when.value, due, "lead", headline))
    return planned


def _timed_due(
    when: FuzzyDate, at: WallTime, visit_zone: str, start: datetime, lead: Lead
) -> datetime:
    if not lead.is_calendar:
        return start - lead.duration
    day = when.start - timedelta(days=lead.days)
    return datetime.combine(day, at, tzinfo=zone_info(visit_zone)).astimezone(UTC)


def _untimed_due(day: date, midnight: datetime, lead: Lead, zone: str) -> tuple[datetime, str]:
    if lead.is_calendar:
        on = day - timedelta(days=lead.days)
        headline = lead.headline()
    else:
        on = (midnight - lead.duration).astimezone(zone_info(zone)).date()
        # "in 2 hours" would be false at 09:00 the day before; say how many days are left.
        days_left = (day - on).days
        headline = "tomorrow" if days_left == 1 else _in(days_left, "day")
    return _at_post_time(on, zone), headline


def _nudge(when: FuzzyDate, key: str, on: date, headline: str, zone: str) -> PlannedReminder:
    return PlannedReminder(key, when.value, _at_post_time(on, zone), "nudge", headline)


def _at_post_time(day: date, zone: str) -> datetime:
    return datetime.combine(day, POST_AT, tzinfo=zone_info(zone)).astimezone(UTC)


def _in(amount: int, unit: str) -> str:
    return f"in {amount} {unit}" + ("" if amount == 1 else "s")


def plan_followup_reminders(
    deadline: FuzzyDate | None, *, leads: Sequence[Lead], zone: str
) -> list[PlannedReminder]:
    """The reminders an open follow-up due by `deadline` should get, sorted by due time.

    A deadline known only to a period counts back from its first day and says the day is
    unconfirmed.
    """
    zone_info(zone)
    if deadline is None:
        return []
    day = FuzzyDate(deadline.start)
    tail = "" if deadline.is_exact_day else f" ({UNCONFIRMED})"
    planned = [
        PlannedReminder(p.key, deadline.value, p.due, p.kind, f"due {p.headline}{tail}")
        for p in _lead_reminders(day, leads, zone)
    ]
    return sorted(planned, key=lambda reminder: (reminder.due, reminder.key))


def next_digest(after: datetime, weekday: int, at: WallTime, zone: str) -> datetime:
    """The first scheduled digest strictly after `after`: `weekday` (0 is Monday) at `at` on
    the wall clock of `zone`, as an aware UTC instant."""
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    tz = zone_info(zone)
    local = after.astimezone(tz).date()
    day = local + timedelta(days=(weekday - local.weekday()) % 7)
    for _ in range(3):
        moment = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
        if moment > after:
            return moment
        day += timedelta(days=7)
    raise AssertionError("unreachable: a week always holds one scheduled time")


def digest_week(due: datetime, zone: str) -> str:
    """The ISO week a digest belongs to, in the server's zone: '2025-W38'."""
    year, week, _ = due.astimezone(zone_info(zone)).date().isocalendar()
    return f"{year}-W{week:02d}"


# A digest is worth posting late until the next one would be due.
DIGEST_USEFUL = timedelta(days=7)


def late_verdict(
    reminder_due: datetime,
    visit_start: datetime,
    now: datetime,
    *,
    grace: timedelta = timedelta(minutes=15),
) -> Verdict:
    """Whether a reminder seen at `now` goes out as usual, goes out marked late, or is skipped.

    Within `grace` of its due time it is on time (this includes early); after that it is still
    worth sending, marked late, while the visit has not started; otherwise it is stale.
    """
    moments = {"reminder_due": reminder_due, "visit_start": visit_start, "now": now}
    for name, moment in moments.items():
        if moment.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware")
    if now - reminder_due <= grace:
        return "on_time"
    if now < visit_start:
        return "late"
    return "stale"


def backoff(attempts: int) -> timedelta:
    """How long to wait before retrying after `attempts` failures: 30s, 1m, 2m, 4m … at most 1h.

    Deterministic, so a test can state the schedule; fewer than one attempt counts as one.
    """
    steps = min(max(attempts, 1) - 1, 16)  # 30s * 2**7 already passes the cap
    return min(BACKOFF_FIRST * (2**steps), BACKOFF_CAP)
