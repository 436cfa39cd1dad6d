"""The briefing on one country: where things stand, as plain data for Discord and for Markdown."""

from __future__ import annotations

import asyncio
import calendar
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TypeVar

from dateutil.relativedelta import relativedelta

from bot.domain.countries import normalise_country
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.markup import escape_line
from bot.domain.records import (
    OPEN_VISIT_STATUSES,
    Meeting,
    Person,
    Plan,
    PlanStatus,
    Record,
    RecordType,
    Source,
    Visit,
    VisitStatus,
)
from bot.domain.registry import links_of, people_of
from bot.services.desk import DeskService
from bot.services.followups import Preparation, preparations
from bot.services.held import awaiting_outcome, period_end
from bot.stores.briefs import CountryCounts, HeldLevel, HeldVisit
from bot.stores.records import RecordFilter

R = TypeVar("R")

LATEST_MEETINGS = 5
# What a brief shows of each list; the counts beside them say how many there are in all.
UPCOMING_SHOWN = 25
PLANS_SHOWN = 10
PEOPLE_SHOWN = 25
# Levels with a visit coming up first, then the most recently visited: a level with a visit
# ahead is shown with its last one however long ago that was (see _find_levels).
LEVELS_SHOWN = 25
# The newest held visits read for the most recent levels; the brief reads every level only
# when these hold fewer than LEVELS_SHOWN of them.
HELD_SCANNED = 100
# Counts stop here ("1,000+"), so no brief reads a country's every record: a desk needs
# to know a country has over a thousand meetings on file, not how far over (a cap of
# 10,000 cost about 190 ms of counting at 100,000 records).
COUNT_CAP = 1_000
LOOKBACK_MONTHS = 12

# Expected and negotiating plans come first: they are what a desk has to act on.
PLAN_ORDER = (
    PlanStatus.EXPECTED,
    PlanStatus.UNDER_NEGOTIATION,
    PlanStatus.SIGNED,
    PlanStatus.IN_FORCE,
    PlanStatus.EXPIRED,
)
CONCLUDED = tuple(s for s in PlanStatus if s.is_concluded)

# How a level is named in prose; any other role reads "visit by the <role>".
_LEVEL_NOUNS = {
    "president": "presidential visit",
    "vice president": "vice-presidential visit",
    "vice-president": "vice-presidential visit",
    "prime minister": "prime-ministerial visit",
    "king": "royal visit",
    "queen": "royal visit",
    "emir": "royal visit",
}


@dataclass(frozen=True)
class PersonRef:
    """A person as a briefing names them; `part` is a part in a meeting or whom they signed for."""

    name: str
    title: str = ""
    part: str = ""
    country: str = ""


@dataclass(frozen=True)
class SourceRef:
    title: str
    url: str = ""
    published: FuzzyDate | None = None


@dataclass(frozen=True)
class MeetingItem:
    id: int
    title: str
    kind: str
    date: FuzzyDate
    place: str = ""
    participants: tuple[PersonRef, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanItem:
    id: int
    title: str
    kind: str
    status: PlanStatus
    date: FuzzyDate | None = None
    place: str = ""
    fields: tuple[str, ...] = ()
    signatories: tuple[PersonRef, ...] = ()


@dataclass(frozen=True)
class PlanGroup:
    status: PlanStatus
    plans: tuple[PlanItem, ...]
    # How many plans of this status there are; `plans` shows the first PLANS_SHOWN.
    total: int = -1

    def __post_init__(self) -> None:
        if self.total < 0:
            object.__setattr__(self, "total", len(self.plans))

    @property
    def label(self) -> str:
        return self.status.label[:1].upper() + self.status.label[1:]


@dataclass(frozen=True)
class VisitItem:
    id: int
    visitor: str
    role: str
    from_country: str
    to_country: str
    date: FuzzyDate
    status: VisitStatus
    end_date: FuzzyDate | None = None
    place: str = ""
    purpose: str = ""
    # Days from today to the first day, when the day is known; None for month, quarter, year.
    days_until: int | None = None

    @property
    def precision(self) -> Precision:
        return self.date.precision

    @property
    def confirmed(self) -> bool:
        """Only a known day counts as fixed; "November 2025" is still unconfirmed."""
        return self.date.is_exact_day

    @property
    def who(self) -> str:
        if self.visitor and self.role:
            return f"{self.visitor}, {self.role}"
        return self.visitor or self.role or "Unnamed visitor"

    @property
    def route(self) -> str:
        return f"{self.from_country} → {self.to_country}"


def level_noun(role: str, from_country: str) -> str:
    """'presidential visit', or 'visit by the Foreign Minister' for a level with no noun."""
    key = _role_key(role, from_country)
    if key in _LEVEL_NOUNS:
        return _LEVEL_NOUNS[key]
    return f"visit by the {role}" if role else "visit (role not recorded)"


@dataclass(frozen=True)
class VisitLevel:
    """The most recent visit held at one level and direction, and the next one if expected.

    Only a visit marked completed counts as held: one whose dates have passed but that is
    still marked planned is asked about (see PastOpenVisit), never taken for the last one.
    """

    role: str
    from_country: str
    to_country: str
    last: VisitItem
    next: VisitItem | None = None

    @property
    def route(self) -> str:
        return f"{self.from_country} → {self.to_country}"

    @property
    def noun(self) -> str:
        return level_noun(self.role, self.from_country)

    @property
    def years_between(self) -> int | None:
        if self.next is None:
            return None
        return self.next.date.start.year - self.last.date.start.year

    @property
    def line(self) -> str:
        """'last presidential visit: 2003 — 22 years before the one expected in November 2025'."""
        text = f"last {self.noun}: {self.last.date.render()}"
        if self.next is None or self.years_between is None:
            return text
        on = "on" if self.next.date.is_exact_day else "in"
        expected = f"the one expected {on} {self.next.date.render()}"
        years = self.years_between
        if years <= 0:
            return f"{text} — the same year as {expected}"
        unit = "year" if years == 1 else "years"
        return f"{text} — {years} {unit} before {expected}"


@dataclass(frozen=True)
class PastOpenVisit:
    """A visit whose dates have passed while it is still marked proposed, planned or
    confirmed: the brief asks whether it was held instead of guessing."""

    visit: VisitItem

    @property
    def route(self) -> str:
        return self.visit.route

    @property
    def noun(self) -> str:
        return level_noun(self.visit.role, self.visit.from_country)

    @property
    def command(self) -> str:
        return f"/visit edit visit:#{self.visit.id} status:completed"

    @property
    def question(self) -> str:
        """'November 2025 presidential visit is still marked planned — was it held?'."""
        return (f"{self.visit.date.render()} {self.noun} is still marked "
                f"{self.visit.status.label} — was it held?")

    @property
    def line(self) -> str:
        return f"{self.question} {self.command} (or postponed, cancelled)"


@dataclass(frozen=True)
class Headline:
    """What happened between `since` and `today` (both inclusive)."""

    since: date
    today: date
    meetings: int
    plans_signed: int
    visits: int
    default_window: bool = True

    @property
    def period(self) -> str:
        """'last 12 months (since 12 September 2024)' or 'since 1 January 2024'."""
        if self.default_window:
            return f"last {LOOKBACK_MONTHS} months (since {_day(self.since)})"
        return f"since {_day(self.since)}"


@dataclass(frozen=True)
class Totals:
    """Everything recorded for the country, whatever its date."""

    meetings: int = 0
    plans: int = 0
    visits: int = 0
    people: int = 0

    @property
    def records(self) -> int:
        return self.meetings + self.plans + self.visits + self.people


@dataclass
class Briefing:
    country: str
    today: date
    zone: str
    headline: Headline
    totals: Totals = field(default_factory=Totals)
    upcoming: list[VisitItem] = field(default_factory=list)
    plans: list[PlanGroup] = field(default_factory=list)
    meetings: list[MeetingItem] = field(default_factory=list)
    levels: list[VisitLevel] = field(default_factory=list)
    # How many levels there are (`levels` shows the first LEVELS_SHOWN), or None when the
    # brief found more than it shows without reading them all.
    levels_total: int | None = 0
    # Past visits nobody has marked held, postponed or cancelled, most recent first.
    past_open: list[PastOpenVisit] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    # Open follow-ups about the visits ahead and the plans still to be signed.
    preparations: list[Preparation] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.totals.records == 0

    def plan_group(self, status: PlanStatus) -> PlanGroup | None:
        return next((g for g in self.plans if g.status is status), None)


# --- building --------------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or the month's last day if it has fewer days."""
    return day - relativedelta(months=months)


async def build_briefing(
    desk: DeskService, guild_id: int, country: str, *, since: date | None = None
) -> Briefing:
    """Everything a desk officer needs to answer "where do we stand with <country>?"."""
    brief, _ = await build_and_render(desk, guild_id, country, lambda _: None, since=since)
    return brief


async def build_and_render(
    desk: DeskService, guild_id: int, country: str, render: Callable[[Briefing], R], *,
    since: date | None = None,
) -> tuple[Briefing, R]:
    """The briefing, and `render` of it made on the same worker thread that assembles it:
    one trip off the loop where two cost a hand-over each (up to a millisecond under load)."""
    name = normalise_country(country)
    if not name:
        raise UserError("Name a country, e.g. Kazakhstan, Kazakh or KZ.")
    settings = await desk.settings(guild_id)
    today = desk.today_in(settings.timezone)
    if since is not None and since > today:
        raise UserError(
            f"`since` is {_day(since)}, which is after today ({_day(today)}); give a date in "
            "the past, e.g. 2024 or January 2025."
        )
    window_start = since or months_before(today, LOOKBACK_MONTHS)
    tomorrow = today + timedelta(days=1)

    # Every read below is bounded, so a country with 100,000 records costs what one with a
    # hundred does: pages of the newest or soonest, and counts that stop at COUNT_CAP. The
    # reads that do not depend on each other run at once, each on a reader of its own.
    # The plans go first: at scale their count is the longest read.
    counting = asyncio.ensure_future(desk.briefs.counts(
        guild_id, name, window=RecordFilter(date_from=window_start, date_to=tomorrow),
        signed=[s.value for s in CONCLUDED], held=[VisitStatus.COMPLETED.value],
        cap=COUNT_CAP, plan_statuses=[s.value for s in PLAN_ORDER]))
    groups, (ahead, unanswered, held, levels_total), counts, latest, listed = await asyncio.gather(
        _plans(desk, guild_id, name, counting),
        _visits(desk, guild_id, name, today),
        counting,
        desk.records_page(guild_id, RecordType.MEETING, RecordFilter(
            country=name, date_from=since, date_to=tomorrow, newest_first=True,
            limit=LATEST_MEETINGS)),
        desk.records_page(guild_id, RecordType.PERSON, RecordFilter(
            country=name, limit=PEOPLE_SHOWN)),
    )
    people = [p for p in listed if isinstance(p, Person)]
    meetings = [m for m in latest if isinstance(m, Meeting)]
    plans = [p for _, members, _ in groups for p in members]

    shown: list[Record] = [*ahead, *unanswered, *plans, *meetings, *people]
    # Only people and sources are shown of what the records link to.
    wanted: dict[RecordType, set[str]] = {RecordType.PERSON: set(), RecordType.SOURCE: set()}
    for record in shown:
        for _, kind, uid in links_of(record):
            if kind in wanted:
                wanted[kind].add(uid)
    # The held visits are those the brief shows, the last at each level it lists.
    wanted[RecordType.PERSON].update(h.visitor for h in held if h.visitor)
    wanted[RecordType.SOURCE].update(h.source for h in held if h.source)
    ahead.sort(key=lambda v: v.date)
    unanswered.sort(key=lambda v: _desc(v.date))
    linked_people, sources, prepared = await asyncio.gather(
        desk.people(guild_id, wanted[RecordType.PERSON]),
        desk.by_uids(guild_id, RecordType.SOURCE, wanted[RecordType.SOURCE]),
        preparations(desk, guild_id, visit_uids=[v.uid for v in ahead],
                     plan_uids=[p.uid for p in plans if p.status not in CONCLUDED]),
    )
    known = {**linked_people, **{p.uid: p for p in people}}

    def assemble() -> Briefing:
        return Briefing(
            country=name,
            today=today,
            zone=settings.timezone,
            headline=Headline(since=window_start, today=today,
                              meetings=counts.meetings_in_window,
                              plans_signed=counts.plans_signed_in_window,
                              visits=counts.visits_held_in_window,
                              default_window=since is None),
            totals=Totals(meetings=counts.meetings, plans=counts.plans, visits=counts.visits,
                          people=counts.people),
            upcoming=[_visit_item(v, known, today) for v in ahead],
            plans=[_plan_group(status, members, total, known)
                   for status, members, total in groups],
            meetings=[_meeting_item(m, known) for m in meetings],
            levels=_levels(held, ahead, known, today),
            levels_total=levels_total,
            past_open=[PastOpenVisit(_visit_item(v, known, today)) for v in unanswered],
            people=_key_people(people, shown, [h.visitor for h in held if h.visitor]),
            sources=_sources(sources),
            preparations=prepared,
        )

    def assemble_and_render() -> tuple[Briefing, R]:
        brief = assemble()
        return brief, render(brief)

    # A few hundred items built and sorted, then rendered: on a worker thread, so the loop
    # that serves every other server keeps its turn (see bot.stores.records.OFF_LOOP).
    return await asyncio.to_thread(assemble_and_render)


async def _visits(
    desk: DeskService, guild_id: int, name: str, today: date
) -> tuple[list[Visit], list[Visit], list[HeldVisit], int | None]:
    """The visits ahead, those past but still open, the last held visit at each level the
    brief shows (read light: only what a level shows), and how many levels there are."""
    tomorrow = today + timedelta(days=1)

    def open_visits(**kw: Any) -> RecordFilter:
        return RecordFilter(country=name, statuses=OPEN_VISIT_STATUSES, **kw)

    held = VisitStatus.COMPLETED.value
    (soonest, newest), recent, of_ahead = await desk.briefs.visit_pages(
        guild_id,
        [open_visits(date_from=today, limit=UPCOMING_SHOWN),
         open_visits(date_to=tomorrow, newest_first=True, limit=UPCOMING_SHOWN)],
        RecordFilter(country=name, statuses=[held], date_to=tomorrow, newest_first=True,
                     limit=HELD_SCANNED), ahead=0)
    found = {v.id: v for v in await desk.get_many(
        guild_id, RecordType.VISIT, list(dict.fromkeys([*soonest, *newest])))
        if isinstance(v, Visit)}
    ahead = [found[n] for n in soonest if n in found and _ahead(found[n], today)]
    unanswered = [found[n] for n in newest if n in found and awaiting_outcome(found[n], today)]
    latest, total = await _find_levels(desk, guild_id, name, recent, of_ahead, tomorrow)
    shown = _shown_levels(latest, ahead)
    return ahead, unanswered, await desk.briefs.held_visits(guild_id, name, held, shown), total


async def _find_levels(
    desk: DeskService, guild_id: int, name: str, recent: list[HeldLevel],
    of_ahead: list[HeldLevel], before: date,
) -> tuple[dict[tuple[str, str, str], HeldLevel], int | None]:
    """The newest held visit of each level a brief may show, and how many levels there are
    (None when not all were read).

    The newest HELD_SCANNED held visits (`recent`) give the most recent levels. When they
    are all the country has, or hold fewer levels than a brief shows (a level may then be
    missing that was last visited before them), every level is read. Otherwise the levels
    between the country and the other countries of the visits ahead (`of_ahead`, read with
    the pages) are added, so that a level with a visit ahead shows its last, however old."""
    latest: dict[tuple[str, str, str], HeldLevel] = {}

    def merge(found: Iterable[HeldLevel]) -> None:
        # "President" and "President of Kazakhstan", for a Kazakh visitor, are one level:
        # its last visit is the newest of theirs (the first seen of a day: newest first).
        for s in found:
            key = _level(s.role, s.from_country, s.to_country)
            current = latest.get(key)
            if current is None or current.day < s.day:
                latest[key] = s

    merge(recent)
    if len(recent) < HELD_SCANNED:
        return latest, len(latest)
    if len(latest) < LEVELS_SHOWN:
        merge(await desk.briefs.visit_levels(guild_id, name, VisitStatus.COMPLETED.value,
                                             before))
        return latest, len(latest)
    merge(of_ahead)
    return latest, None


def _shown_levels(
    latest: dict[tuple[str, str, str], HeldLevel], ahead: list[Visit]
) -> list[HeldLevel]:
    """The levels a brief shows, in its order (as _levels orders them): those with a visit
    coming up first, then the most recent; a tie by name."""
    coming = {_level(v.visitor_role, v.from_country, v.to_country) for v in ahead}
    ordered = sorted(latest, key=lambda k: (k not in coming, -latest[k].day.toordinal(), k))
    return [latest[k] for k in ordered[:LEVELS_SHOWN]]


async def _plans(
    desk: DeskService, guild_id: int, name: str, counting: Awaitable[CountryCounts]
) -> list[tuple[PlanStatus, list[Plan], int]]:
    """The first PLANS_SHOWN plans of each status, with how many there are (to COUNT_CAP);
    `counting` is the brief's counts, which hold each status's."""
    order = [(status.value, status in CONCLUDED) for status in PLAN_ORDER]
    pages = await desk.briefs.plan_pages(guild_id, name, order, PLANS_SHOWN)
    wanted = [n for status, _ in order for n in pages.get(status, [])]
    loaded, counts = await asyncio.gather(desk.get_many(guild_id, RecordType.PLAN, wanted),
                                          counting)
    found = {p.id: p for p in loaded if isinstance(p, Plan)}
    groups = []
    for status in PLAN_ORDER:
        shown = pages.get(status.value, [])
        members = [found[n] for n in shown if n in found]
        if members:
            # A page not full holds them all; the count stops one past the cap.
            total = (len(shown) if len(shown) < PLANS_SHOWN
                     else counts.plans_by_status.get(status.value, 0))
            groups.append((status, members, total))
    return groups


def _ahead(v: Visit, today: date) -> bool:
    return v.status.is_open and period_end(v) > today


def _person(uid: str | None, known: dict[str, Person], part: str = "") -> PersonRef:
    person = known.get(uid or "")
    if person is None:
        return PersonRef(name=uid or "unnamed", part=part)
    return PersonRef(name=person.name, title=person.title, part=part, country=person.country)


def _visit_item(v: Visit, known: dict[str, Person], today: date) -> VisitItem:
    assert v.id is not None
    visitor = known[v.visitor].name if v.visitor and v.visitor in known else (v.visitor or "")
    days = (v.date.start - today).days if v.date.is_exact_day else None
    return VisitItem(
        id=v.id, visitor=visitor, role=v.visitor_role, from_country=v.from_country,
        to_country=v.to_country, date=v.date, status=v.status, end_date=v.end_date,
        place=v.place, purpose=v.purpose, days_until=days,
    )


def _held_item(h: HeldVisit, known: dict[str, Person], today: date) -> VisitItem:
    visitor = known[h.visitor].name if h.visitor and h.visitor in known else (h.visitor or "")
    days = (h.date.start - today).days if h.date.is_exact_day else None
    return VisitItem(
        id=h.number, visitor=visitor, role=h.role, from_country=h.from_country,
        to_country=h.to_country, date=h.date, status=VisitStatus.COMPLETED,
        end_date=h.end_date, place=h.place, purpose=h.purpose, days_until=days,
    )


def _meeting_item(m: Meeting, known: dict[str, Person]) -> MeetingItem:
    assert m.id is not None
    return MeetingItem(
        id=m.id, title=m.title, kind=m.kind.label, date=m.date, place=m.place,
        participants=tuple(_person(p.person, known, p.part) for p in m.participants),
        topics=tuple(m.topics),
    )


def _plan_item(p: Plan, known: dict[str, Person]) -> PlanItem:
    assert p.id is not None
    return PlanItem(
        id=p.id, title=p.title, kind=p.kind.label, status=p.status, date=p.date, place=p.place,
        fields=tuple(p.fields),
        signatories=tuple(_person(s.person, known, s.on_behalf_of) for s in p.signatories),
    )


def _plan_group(
    status: PlanStatus, members: list[Plan], total: int, known: dict[str, Person]
) -> PlanGroup:
    """Concluded plans newest first; plans still ahead soonest first; undated ones last."""
    dated = [p for p in members if p.date is not None]
    undated = [p for p in members if p.date is None]
    dated.sort(key=lambda p: p.date or FuzzyDate.year(1), reverse=status in CONCLUDED)
    return PlanGroup(status, tuple(_plan_item(p, known) for p in dated + undated), total)


@lru_cache(maxsize=4096)
def _role_key(role: str, from_country: str) -> str:
    """'President of Kazakhstan' and 'President', for a Kazakh visitor, are the same level."""
    key = " ".join(role.split()).casefold().removeprefix("the ")
    head, sep, tail = key.rpartition(" of ")
    if sep and normalise_country(tail).casefold() == from_country.casefold():
        key = head
    return key


def _levels(
    held: list[HeldVisit], ahead: list[Visit], known: dict[str, Person], today: date
) -> list[VisitLevel]:
    latest: dict[tuple[str, str, str], HeldVisit] = {}
    for h in held:  # one a level
        latest.setdefault(_level(h.role, h.from_country, h.to_country), h)
    soonest: dict[tuple[str, str, str], Visit] = {}
    for v in ahead:  # already soonest first
        soonest.setdefault(_level(v.visitor_role, v.from_country, v.to_country), v)
    levels = []
    for key, last in latest.items():
        upcoming = soonest.get(key)
        levels.append(VisitLevel(
            role=last.role, from_country=last.from_country, to_country=last.to_country,
            last=_held_item(last, known, today),
            next=_visit_item(upcoming, known, today) if upcoming else None,
        ))
    # Levels with a visit coming up lead: that is where the comparison matters.
    levels.sort(key=lambda lv: (lv.next is None, _desc(lv.last.date)))
    return levels


def _level(role: str, from_country: str, to_country: str) -> tuple[str, str, str]:
    return (_role_key(role, from_country), from_country.casefold(), to_country.casefold())


def _desc(fd: FuzzyDate) -> int:
    return -fd.start.toordinal()


def _key_people(
    people: list[Person], records: list[Record], visitors: Iterable[str] = ()
) -> list[PersonRef]:
    """The country's people, those who appear most in the briefing's records (and as the
    visitors of the last visits at each level it shows) first."""
    mentions: Counter[str] = Counter(visitors)
    for record in records:
        mentions.update(people_of(record))
    ordered = sorted(people, key=lambda p: (-mentions[p.uid], p.name.casefold()))
    return [PersonRef(name=p.name, title=p.title, country=p.country) for p in ordered]


def _sources(linked: Iterable[Record]) -> list[SourceRef]:
    found = [r for r in linked if isinstance(r, Source)]
    found.sort(key=lambda s: (s.published is None, _desc(s.published) if s.published else 0,
                              s.title.casefold()))
    return [SourceRef(title=s.title, url=s.url, published=s.published) for s in found]


# --- plain text ------------------------------------------------------------------------------


def _day(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def as_written(fd: FuzzyDate | None, *, ahead: bool = False) -> str:
    """A date in prose; a date still ahead that is not yet a known day says so."""
    if fd is None:
        return "undated"
    if ahead and not fd.is_exact_day:
        return f"{fd.render()}, day not yet set"
    return fd.render()


def countdown(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return "under way"


def person_text(p: PersonRef) -> str:
    text = f"{_md(p.name)}, {_md(p.title)}" if p.title else _md(p.name)
    return f"{text} ({_md(p.part)})" if p.part else text


# A brief repeats the same few routes, roles and names many times over.
@lru_cache(maxsize=2048)
def _md(text: str) -> str:
    """Stored text in the Markdown brief: shown as written, never as formatting."""
    return escape_line(text)


def plan_status_date(plan: PlanItem) -> str:
    if plan.date is None:
        return ""
    if plan.status in CONCLUDED:
        return f"signed {as_written(plan.date)}"
    return f"expected {as_written(plan.date, ahead=True)}"


def briefing_text(b: Briefing) -> str:
    """The briefing as plain Markdown, for export and for the console."""
    out = [f"# Briefing: {_md(b.country)}", "", f"As of {_day(b.today)}."]
    if b.is_empty:
        out += ["", f"Nothing is recorded for {_md(b.country)} yet."]
        return "\n".join(out) + "\n"
    h = b.headline
    out += [
        "", f"## At a glance: {h.period}",
        f"- {_count(h.meetings, 'meeting')}",
        f"- {_count(h.plans_signed, 'plan signed', 'plans signed')}",
        f"- {_count(h.visits, 'visit')}",
    ]
    if b.upcoming:
        out += ["", "## Upcoming visits"]
        for v in b.upcoming:
            # Prose to forward: "24 November 2025, in 73 days; confirmed, Astana."
            when = ", ".join(filter(None, [as_written(v.date, ahead=True),
                                           countdown(v.days_until)]))
            out.append(f"- {_md(v.who)}, {_md(v.route)}: {when}; {v.status.label}"
                       + (f", {_md(v.place)}" if v.place else "") + ".")
    if b.preparations:
        out += ["", "## Preparations for the visit"]
        out += [f"- {p.line}" for p in b.preparations]
    if b.levels:
        out += ["", "## Last visit at each level"]
        if b.levels_total is None:
            out += [f"The {len(b.levels)} shown: those with a visit coming up, then the most"
                    " recently visited; /visit list has the others.", ""]
        elif b.levels_total > len(b.levels):
            out += [f"The {len(b.levels)} shown of {b.levels_total:,} levels: those with a"
                    " visit coming up, then the most recently visited (see /visit list).", ""]
        for lv in b.levels:
            out.append(f"- {lv.route}: {lv.line}")
    if b.past_open:
        out += ["", "## Was it held?"]
        out += [f"- {p.route}: {p.line}" for p in b.past_open]
    if b.plans:
        out += ["", "## Plans and agreements"]
        for group in b.plans:
            out += ["", f"### {group.label}"]
            if group.total > len(group.plans):
                out += [f"The {len(group.plans)} most relevant of {counted(group.total)}"
                        " (see /plan list).", ""]
            for p in group.plans:
                head = ", ".join(filter(None, [p.kind, plan_status_date(p), _md(p.place)]))
                out.append(f"- **{_md(p.title)}** ({head})")
                if p.signatories:
                    names = "; ".join(
                        f"{_md(s.name)} ({_md(s.part)})" if s.part else _md(s.name)
                        for s in p.signatories
                    )
                    out.append(f"  - Signatories: {names}")
                if p.fields:
                    out.append(f"  - Fields of cooperation ({len(p.fields)}): "
                               f"{', '.join(_md(f) for f in p.fields)}")
    if b.meetings:
        out += ["", "## Latest meetings"]
        for m in b.meetings:
            where = f", {_md(m.place)}" if m.place else ""
            out.append(f"- {as_written(m.date)} — **{_md(m.title)}** ({m.kind}{where})")
            out += [f"  - {person_text(p)}" for p in m.participants]
    if b.people:
        out += ["", f"## Key people from {_md(b.country)}"]
        out += [f"- {person_text(p)}" for p in b.people]
    if b.sources:
        out += ["", "## Sources"]
        for s in b.sources:
            dated = f" ({as_written(s.published)})" if s.published else ""
            link = f" <{s.url}>" if s.url and not any(c.isspace() or c in "<>" for c in s.url) \
                else ""
            out.append(f"- {_md(s.title)}{dated}{link}")
    return "\n".join(out) + "\n"


def counted(n: int) -> str:
    """A count as a brief shows it: "1,000+" once counting stopped past COUNT_CAP."""
    return f"{COUNT_CAP:,}+" if n > COUNT_CAP else f"{n:,}"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{counted(n)} {one if n == 1 else (many or one + 's')}"
