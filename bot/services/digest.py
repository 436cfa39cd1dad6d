"""The week ahead: a digest posted on a schedule in the reminder channel, and what it holds.

Decisions:
- Off until an admin runs /digest schedule (default Monday 08:00 in the server's zone):
  a server that upgrades is not sent posts it never asked for.
- One digest per ISO week, through the reminders' delivery rows (claim, nonce, mark sent):
  a digest missed while the bot was down goes out once, marked late, while its week lasts;
  after that it is recorded as skipped with the reason. Only the next digest is ever
  planned, so a long outage leaves one skipped row, not one per missed week.
- A week with nothing in it posts one line, unless /digest skip-empty on; then the row is
  recorded as skipped ("nothing this week") so the week still counts as handled.
- "Countries the server follows" are those its visits, meetings and plans name. A country is
  quiet when none of its visits, meetings or signed plans of the last 12 months involved a
  minister or higher (a minister, prime minister, president, monarch or the like; vice and
  deputy ministers do not count, a deputy prime minister does).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from bot.domain import registry
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate, zone_info
from bot.domain.records import (
    OPEN_VISIT_STATUSES,
    GuildSettings,
    Meeting,
    Person,
    Plan,
    PlanStatus,
    Record,
    RecordType,
    Visit,
    VisitStatus,
)
from bot.domain.syntax import SyntaxRefusal, Topic
from bot.services.access import Actor, require_admin
from bot.services.changes import ChangePipeline, RecordChange
from bot.services.desk import DeskService, people_of
from bot.services.followups import FollowUpService, owner_label
from bot.services.reminder_policy import digest_week, next_digest
from bot.services.reminders import ReminderService
from bot.stores.deliveries import DIGEST, DeliveryStore, Status
from bot.stores.preferences import DigestSchedule, DigestStore
from bot.stores.records import RecordFilter
from bot.stores.settings import GuildSettingsStore

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEK = 7
MONTH = 30
# A visit known only to its month is "near" when the month starts within this many days.
NEAR_DAYS = 42
QUIET_MONTHS = 12
SHOWN = 15

_TIME = re.compile(r"([01]?[0-9]|2[0-3])(?::?([0-5][0-9]))?")
_MINISTERIAL = re.compile(
    r"\b(minister|prime minister|premier|president|chancellor|king|queen|emir|sultan|"
    r"crown prince|head of state|head of government|secretary of state|foreign secretary)\b",
    re.IGNORECASE)
_JUNIOR = re.compile(r"\b(vice|deputy|assistant)[\s-]+minister\b", re.IGNORECASE)


def ministerial(title: str) -> bool:
    """A minister or higher: 'Deputy Prime Minister and Foreign Minister' is, 'Vice Minister
    for IT' is not."""
    return bool(_MINISTERIAL.search(_JUNIOR.sub(" ", title)))


def parse_time(text: str) -> time:
    """'08:00', '8', '0830' -> a wall-clock time; UserError otherwise."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise SyntaxRefusal(f"Could not read {text.strip()[:20]!r} as a time of day: write it "
                            "like 08:00 (24-hour clock, the server's time zone). Nothing was "
                            "changed.", topic=Topic.REMINDERS)
    return time(int(match[1]), int(match[2] or 0))


def parse_weekday(text: str) -> int:
    key = text.strip().casefold()
    for index, name in enumerate(WEEKDAYS):
        if key in (name.casefold(), name[:3].casefold()):
            return index
    raise SyntaxRefusal(f"{text.strip()[:20]!r} is not a day of the week. Nothing was changed.",
                        topic=Topic.REMINDERS)


def describe(schedule: DigestSchedule) -> str:
    """'every Monday at 08:00'."""
    return f"every {WEEKDAYS[schedule.weekday]} at {schedule.at:%H:%M}"


# --- what a digest holds ---------------------------------------------------------------


@dataclass(frozen=True)
class DigestVisit:
    number: int
    who: str  # "Kassym-Jomart Tokayev (President of Kazakhstan)"
    route: str  # "Kazakhstan → Pakistan"
    date: FuzzyDate
    status: str
    days_until: int | None = None

    @property
    def countdown(self) -> str:
        if self.days_until is None:
            return ""
        if self.days_until <= 0:
            return "today"
        return "tomorrow" if self.days_until == 1 else f"in {self.days_until} days"


@dataclass(frozen=True)
class NearMonth:
    """A visit known only to its month (or quarter), that month near and no day set."""

    visit: DigestVisit
    text: str  # "November 2025 — 3 weeks away, day still unconfirmed"


@dataclass(frozen=True)
class DigestPlan:
    number: int
    title: str
    date: FuzzyDate


@dataclass(frozen=True)
class DigestFollowUp:
    number: int
    what: str
    owner: str  # "@Desk editors"
    deadline: str  # "early November 2025 — before the visit"
    countdown: str  # "due in 3 days", "overdue by 2 days"
    overdue: bool


@dataclass(frozen=True)
class Digest:
    today: date
    zone: str
    this_week: list[DigestVisit] = field(default_factory=list)
    this_month: list[DigestVisit] = field(default_factory=list)
    near: list[NearMonth] = field(default_factory=list)
    plans: list[DigestPlan] = field(default_factory=list)
    followups: list[DigestFollowUp] = field(default_factory=list)
    held: list[DigestVisit] = field(default_factory=list)
    quiet: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any((self.this_week, self.this_month, self.near, self.plans, self.followups,
                        self.held, self.quiet))

    @property
    def empty_line(self) -> str:
        return ("Nothing for the week ahead: no visits, signings or follow-ups due in the next "
                "30 days, and nothing waiting for an answer.")


def away(start: date, today: date) -> str:
    """'3 weeks away', '10 days away', 'this month' for a period that has begun."""
    days = (start - today).days
    if days <= 0:
        return "under way"
    if days < 14:
        return "tomorrow" if days == 1 else f"{days} days away"
    weeks = round(days / 7)
    return f"{weeks} weeks away"


# --- the service -----------------------------------------------------------------------


class DigestService:
    def __init__(
        self, desk: DeskService, followups: FollowUpService, reminders: ReminderService,
        deliveries: DeliveryStore, schedules: DigestStore, settings: GuildSettingsStore,
        changes: ChangePipeline, clock: Callable[[], datetime],
    ) -> None:
        self._desk = desk
        self._followups = followups
        self._reminders = reminders
        self._deliveries = deliveries
        self._schedules = schedules
        self._settings = settings
        self._clock = clock
        reminders.on_digest_claimed(self.plan)
        changes.subscribe(self)

    # --- settings -----------------------------------------------------------------------

    async def schedule(self, guild_id: int) -> DigestSchedule:
        return await self._schedules.get(guild_id)

    async def set_schedule(
        self, actor: Actor, *, weekday: int | None = None, at: time | None = None,
    ) -> tuple[DigestSchedule, datetime | None]:
        """Turns the digest on (Monday 08:00 unless told); returns it and its next post."""
        require_admin(actor)
        settings = await self._settings.get(actor.guild_id)
        if settings.reminder_channel_id is None:
            raise UserError("The digest is posted in the reminder channel: choose one with "
                            "/reminders channel first. Nothing was changed.")
        current = await self._schedules.get(actor.guild_id)
        saved = await self._schedules.save(replace(
            current, enabled=True,
            weekday=current.weekday if weekday is None else weekday,
            at=current.at if at is None else at))
        return saved, await self.plan(actor.guild_id)

    async def turn_off(self, actor: Actor) -> DigestSchedule:
        require_admin(actor)
        current = await self._schedules.get(actor.guild_id)
        saved = await self._schedules.save(replace(current, enabled=False))
        await self._deliveries.close_digests(actor.guild_id, "the digest was turned off")
        self._reminders.wake()
        return saved

    async def set_skip_empty(self, actor: Actor, on: bool) -> DigestSchedule:
        require_admin(actor)
        current = await self._schedules.get(actor.guild_id)
        return await self._schedules.save(replace(current, skip_empty=on))

    # --- planning -----------------------------------------------------------------------

    async def plan(self, guild_id: int) -> datetime | None:
        """Plans the server's next digest (idempotent); its due time, or None when off."""
        schedule = await self._schedules.get(guild_id)
        settings = await self._settings.get(guild_id)
        if not schedule.enabled or settings.reminder_channel_id is None:
            await self._deliveries.close_digests(guild_id, "the digest is off")
            return None
        due = next_digest(self._clock(), schedule.weekday, schedule.at, settings.timezone)
        await self._deliveries.plan_digest(guild_id, digest_week(due, settings.timezone), due,
                                           "the week ahead")
        self._reminders.wake()
        return due

    async def reconcile(self) -> None:
        """At start: every server whose digest is on has its next one planned."""
        for schedule in await self._schedules.enabled():
            await self.plan(schedule.guild_id)

    async def records_changed(self, guild_id: int, changes: Sequence[RecordChange]) -> None:
        """A digest is built when it is posted: record changes move nothing."""

    async def settings_changed(
        self, guild_id: int, before: GuildSettings, after: GuildSettings
    ) -> None:
        """A new zone moves the wall-clock time; a reminder channel set or unset turns the
        digest's posts on or off with it."""
        if (before.timezone != after.timezone
                or before.reminder_channel_id != after.reminder_channel_id):
            await self.plan(guild_id)

    # --- contents -----------------------------------------------------------------------

    async def build(self, guild_id: int) -> Digest:
        """What the digest says now, in the server's zone."""
        settings = await self._settings.get(guild_id)
        today = self._clock().astimezone(zone_info(settings.timezone)).date()
        digest = Digest(today=today, zone=settings.timezone)
        visits = [v for v in await self._desk.every(guild_id, RecordType.VISIT, RecordFilter(
            statuses=OPEN_VISIT_STATUSES, date_from=today,
            date_to=today + timedelta(days=NEAR_DAYS + 1))) if isinstance(v, Visit)]
        held = await self._reminders.past_open(guild_id)
        people = await self._desk.people(guild_id, people_of([*visits, *held]))
        for v in visits:
            item = _visit(v, people, today)
            if v.date.is_exact_day:
                if item.days_until is not None and 0 <= item.days_until < WEEK:
                    digest.this_week.append(item)
                elif item.days_until is not None and WEEK <= item.days_until < MONTH:
                    digest.this_month.append(item)
            elif (v.date.start - today).days <= NEAR_DAYS and v.date.end > today:
                text = (f"{v.date.render()} — {away(v.date.start, today)}, day still "
                        "unconfirmed")
                digest.near.append(NearMonth(item, text))
        digest.held.extend(_visit(v, people, today) for v in held[:SHOWN])
        plans = await self._desk.every(guild_id, RecordType.PLAN, RecordFilter(
            statuses=[PlanStatus.EXPECTED.value], date_from=today,
            date_to=today + timedelta(days=MONTH)))
        digest.plans.extend(DigestPlan(p.id or 0, p.title, p.date)
                            for p in plans if isinstance(p, Plan) and p.date is not None)
        for entry in await self._followups.listing(guild_id):
            if entry.overdue or entry.deadline.due_within(today, WEEK):
                f = entry.followup
                digest.followups.append(DigestFollowUp(
                    entry.number, f.what, owner_label(f.owned_by), entry.deadline.text,
                    entry.deadline.countdown(today), entry.overdue))
        digest.quiet.extend(await self.quiet(guild_id, today))
        return digest

    async def quiet(self, guild_id: int, today: date) -> list[str]:
        """Countries the server follows with no contact at ministerial level or above in
        the last 12 months."""
        followed = await self._schedules.countries(guild_id)
        if not followed:
            return []
        since = today - timedelta(days=365 * QUIET_MONTHS // 12)
        window = RecordFilter(date_from=since, date_to=today + timedelta(days=1))
        records: list[Record] = []
        for kind in (RecordType.VISIT, RecordType.MEETING, RecordType.PLAN):
            records.extend(await self._desk.every(guild_id, kind, window))
        people = await self._desk.people(guild_id, people_of(records))
        contact: set[str] = set()
        for record in records:
            if _ministerial_contact(record, people):
                contact.update(c.casefold() for c in registry.countries_of(record))
        return [c for c in followed if c.casefold() not in contact]

    async def preview(self, guild_id: int) -> tuple[Digest, DigestSchedule, datetime | None]:
        """The digest as it would be posted now, its schedule and its next planned post."""
        schedule = await self._schedules.get(guild_id)
        planned = [r for r in await self._deliveries.for_record(guild_id, DIGEST, 0)
                   if r.status is Status.PLANNED]
        return await self.build(guild_id), schedule, min((r.due for r in planned),
                                                         default=None)


def _visit(v: Visit, people: dict[str, Person], today: date) -> DigestVisit:
    visitor = people.get(v.visitor) if v.visitor else None
    who = f"{visitor.name} ({v.visitor_role})" if visitor and v.visitor_role else (
        visitor.name if visitor else v.visitor_role or "Visit")
    days = (v.date.start - today).days if v.date.is_exact_day else None
    return DigestVisit(v.id or 0, who, f"{v.from_country} → {v.to_country}", v.date,
                       v.status.label, days)


def _ministerial_contact(record: Record, people: dict[str, Person]) -> bool:
    """A held visit, a meeting or a signed plan with a minister or higher taking part."""
    if not _held(record):
        return False
    if isinstance(record, Visit) and ministerial(record.visitor_role):
        return True
    # The visitor, the participants or the signatories.
    return any(ministerial(people[uid].title) for uid in registry.people_of(record)
               if uid in people)


def _held(record: Record) -> bool:
    """Contact that took place: a completed visit, any meeting, a plan signed or in force."""
    if isinstance(record, Visit):
        return record.status is VisitStatus.COMPLETED
    if isinstance(record, Plan):
        return record.status in (PlanStatus.SIGNED, PlanStatus.IN_FORCE)
    return isinstance(record, Meeting)
