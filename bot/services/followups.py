"""Follow-ups: deadlines that follow their visit or plan, who owns what, and the lists shown.

Decisions:
- A relative deadline is worked out from its anchor each time it is read, never stored, so
  it cannot lag behind a refined, postponed or cancelled visit (nothing to repair after a
  crash, and the follow-up's history shows only changes made to the follow-up itself).
- "Before the visit" means done by the day before the visit's first day; "2 weeks before"
  is 14 days before that first day. A deadline is only as precise as its anchor: while the
  visit is known only to November 2025, "before the visit" is "early November 2025" (the
  part of the period the anchor's first day, moved back by the offset, falls in).
- A postponed visit puts its follow-ups on hold (no deadline, no reminders) until it has a
  new date; a cancelled one, or a deleted one, leaves them without a deadline. They stay
  open: whether the work is still wanted is for a person to say (/followup drop).
- A plan anchors "before the signing": its expected date. A plan with no date gives no
  deadline yet.
- An owner is shown by name everywhere. A reminder mentions it (and so pings) only when it
  is the server's reminder role or a member who turned /reminders notify-me on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.records import (
    FollowUp,
    FollowUpStatus,
    Owner,
    Plan,
    Record,
    RecordType,
    Visit,
    VisitStatus,
)
from bot.domain.registry import OFFSET
from bot.domain.syntax import SyntaxRefusal, Topic
from bot.services.access import Actor
from bot.services.desk import DeskService
from bot.services.reminder_policy import format_leads, parse_leads
from bot.stores.preferences import OptInStore
from bot.stores.records import RecordFilter

# What an anchor is called in a deadline: "2 weeks before the visit", "before the signing".
ANCHOR_NOUNS = {"visit": "the visit", "plan": "the signing"}
_UNIT_DAYS = {"d": 1, "w": 7}
_UNIT_NAMES = {"d": "day", "w": "week"}

_RELATIVE = re.compile(
    r"(?:(?P<amount>[0-9]{1,4})\s*(?P<unit>d|days?|w|wks?|weeks?)\s+)?before\s+"
    r"(?:the\s+)?(?P<anchor>visit|plan|signing)", re.IGNORECASE)

RELATIVE_HELP = ("a date (15 October 2025, November 2025) or a deadline relative to the "
                 "linked visit or plan: before the visit, 2 weeks before the visit, 3 days "
                 "before signing")


# --- deadlines (pure) ------------------------------------------------------------------


def offset_days(offset: str) -> int:
    """'2w' -> 14, '3d' -> 3, '' -> 0."""
    if not offset:
        return 0
    return int(offset[:-1]) * _UNIT_DAYS[offset[-1]]


def offset_words(offset: str) -> str:
    """'2w' -> '2 weeks before', '' -> 'before'."""
    if not offset:
        return "before"
    amount = int(offset[:-1])
    name = _UNIT_NAMES[offset[-1]]
    return f"{amount} {name}{'' if amount == 1 else 's'} before"


def rule_text(followup: FollowUp) -> str:
    """'2 weeks before the visit'; '' for a deadline of its own."""
    if not followup.due_before:
        return ""
    return f"{offset_words(followup.due_offset)} {ANCHOR_NOUNS[followup.due_before]}"


def parse_relative(text: str) -> tuple[str, str] | None:
    """'2 weeks before the visit' -> ('visit', '2w'); 'before signing' -> ('plan', '');
    None when the text is not a relative deadline (it may be a date)."""
    match = _RELATIVE.fullmatch(" ".join(text.split()))
    if match is None:
        return None
    anchor = "plan" if match["anchor"].lower() in ("plan", "signing") else "visit"
    if match["amount"] is None or int(match["amount"]) == 0:
        return anchor, ""
    unit = "w" if match["unit"].lower().startswith("w") else "d"
    offset = f"{int(match['amount'])}{unit}"
    if not OFFSET.fullmatch(offset):
        raise SyntaxRefusal(f"{text.strip()!r} is too far ahead: at most 999 days or weeks "
                            "before. Nothing was saved.", topic=Topic.FOLLOWUPS)
    return anchor, offset


@dataclass(frozen=True)
class Deadline:
    """When a follow-up is due, as far as it is known.

    `by` is the last day (or the period) by which it is to be done; None when there is no
    deadline, and `note` then says why ("on hold — the visit was postponed").
    """

    by: FuzzyDate | None
    rule: str = ""  # "2 weeks before the visit"; "" for a date of its own
    part: str = ""  # "early", "mid" or "late" for a deadline known only to a period
    note: str = ""

    @property
    def when(self) -> str:
        """'early November 2025', '23 November 2025', or '' without a date."""
        if self.by is None:
            return ""
        return f"{self.part} {self.by.render()}" if self.part else self.by.render()

    @property
    def text(self) -> str:
        """'early November 2025 — before the visit', '15 October 2025', 'no deadline'."""
        if self.by is None:
            return self.note or "no deadline"
        return f"{self.when} — {self.rule}" if self.rule else self.when

    def overdue(self, today: date) -> bool:
        """Every day it could have been done by has passed."""
        return self.by is not None and today >= self.by.end

    def due_within(self, today: date, days: int) -> bool:
        """Due in the next `days` days (overdue ones included)."""
        return self.by is not None and self.by.start < today + timedelta(days=days)

    def days_left(self, today: date) -> int | None:
        if self.by is None or not self.by.is_exact_day:
            return None
        return (self.by.start - today).days

    def countdown(self, today: date) -> str:
        """'due today', 'due in 3 days', 'overdue by 2 days', or what the period says."""
        if self.by is None:
            return ""
        if self.overdue(today):
            late = (today - self.by.end).days + 1
            return f"overdue by {late} day{'' if late == 1 else 's'}"
        left = self.days_left(today)
        if left is None:
            return "day still unconfirmed"
        if left <= 0:
            return "due today"
        return "due tomorrow" if left == 1 else f"due in {left} days"


def deadline_of(followup: FollowUp, anchor: Record | None) -> Deadline:
    """The deadline of a follow-up, given the record its deadline is relative to (if any)."""
    if not followup.due_before:
        return Deadline(followup.due)
    rule = rule_text(followup)
    noun = ANCHOR_NOUNS[followup.due_before]
    if anchor is None:
        kind = followup.due_before
        return Deadline(None, rule, note=f"no deadline — the {kind} it was tied to is gone")
    if isinstance(anchor, Visit):
        if anchor.status is VisitStatus.CANCELLED:
            return Deadline(None, rule, note="no deadline — the visit was cancelled")
        if anchor.status is VisitStatus.POSTPONED:
            return Deadline(None, rule,
                            note="on hold — the visit was postponed and has no new date yet")
        base: FuzzyDate | None = anchor.date
    elif isinstance(anchor, Plan):
        base = anchor.date
    else:
        base = None
    if base is None:
        return Deadline(None, rule, note=f"no deadline yet — {noun} has no date")
    days = offset_days(followup.due_offset)
    if base.precision is Precision.DAY:
        # "Before the visit" is done by the day before it starts.
        day = base.start - timedelta(days=max(days, 1))
        return Deadline(FuzzyDate(day), rule)
    shifted = base.start - timedelta(days=days)
    period = _period(shifted, base.precision)
    return Deadline(period, rule, part=_part(shifted, period))


def _period(day: date, precision: Precision) -> FuzzyDate:
    if precision is Precision.MONTH:
        return FuzzyDate.month(day.year, day.month)
    if precision is Precision.QUARTER:
        return FuzzyDate.quarter(day.year, (day.month - 1) // 3 + 1)
    return FuzzyDate.year(day.year)


def _part(day: date, period: FuzzyDate) -> str:
    """Which third of the period the day falls in: 'early', 'mid' or 'late'."""
    share = (day - period.start).days / (period.end - period.start).days
    return "early" if share < 1 / 3 else "mid" if share < 2 / 3 else "late"


def owner_label(owner: Owner | None) -> str:
    """How an owner is shown: '@Desk editors', '@alice', or 'no owner'."""
    return f"@{owner.name}" if owner is not None else "no owner"


def may_mention(owner: Owner | None, *, reminder_role_id: int | None,
                opted_in: Iterable[int]) -> bool:
    """Whether a reminder may ping the owner (its id already resolved in the server)."""
    if owner is None or owner.id is None:
        return False
    if owner.is_role:
        return owner.id == reminder_role_id
    return owner.id in set(opted_in)


def canonical_leads(text: str) -> str:
    """A follow-up's own lead times in their canonical form ('7 days, 1d' -> '7d 1d')."""
    return format_leads(parse_leads(text))


# --- the service -----------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A follow-up with its deadline worked out, as lists and cards show it."""

    followup: FollowUp
    deadline: Deadline
    overdue: bool

    @property
    def number(self) -> int:
        assert self.followup.id is not None
        return self.followup.id


def order(entries: Iterable[Entry]) -> list[Entry]:
    """Overdue first (oldest first), then by deadline; those without a deadline last."""
    def key(e: Entry) -> tuple[int, date, int]:
        d = e.deadline.by
        if e.overdue and d is not None:
            return (0, d.start, e.number)
        if d is not None:
            return (1, d.start, e.number)
        return (2, date.max, e.number)
    return sorted(entries, key=key)


@dataclass(frozen=True)
class Preparation:
    """One open follow-up as a briefing's "Preparations for the visit" lists it."""

    number: int
    what: str
    owner: str  # "@Desk editors", or "no owner"
    deadline: str  # "early November 2025 — before the visit"
    overdue: bool
    visit: str | None
    plan: str | None

    @property
    def line(self) -> str:
        """'Finalise the MoUs … — @Desk editors — early November 2025 — before the visit'."""
        flag = " (overdue)" if self.overdue else ""
        return f"{self.what} — {self.owner} — {self.deadline}{flag}"


def anchor_of(followup: FollowUp, linked: dict[tuple[RecordType, str], Record]) -> Record | None:
    """The visit or plan a follow-up's deadline is relative to, among records already read."""
    if not followup.due_before:
        return None
    uid = getattr(followup, followup.due_before)
    return linked.get((RecordType(followup.due_before), uid)) if uid else None


async def load_entries(
    desk: DeskService, guild_id: int, followups: Iterable[FollowUp]
) -> list[Entry]:
    """The follow-ups with their deadlines, their anchors read in one batch per type."""
    followups = list(followups)
    if not followups:
        return []
    linked = (await desk.links(guild_id, followups)).linked
    today = await desk.today(guild_id)
    out = []
    for f in followups:
        deadline = deadline_of(f, anchor_of(f, linked))
        out.append(Entry(f, deadline, f.is_open and deadline.overdue(today)))
    return out


class FollowUpService:
    def __init__(self, desk: DeskService, optins: OptInStore) -> None:
        self._desk = desk
        self._optins = optins

    # --- reading ------------------------------------------------------------------------

    async def entries(self, guild_id: int, followups: Iterable[FollowUp]) -> list[Entry]:
        return await load_entries(self._desk, guild_id, followups)

    async def entry(self, guild_id: int, followup: FollowUp) -> Entry:
        [found] = await self.entries(guild_id, [followup])
        return found

    async def every(
        self, guild_id: int, statuses: Sequence[FollowUpStatus] = (FollowUpStatus.OPEN,),
        *, visit: str | None = None,
    ) -> list[FollowUp]:
        found = await self._desk.every(guild_id, RecordType.FOLLOWUP, RecordFilter(
            statuses=[s.value for s in statuses], visit=visit))
        return [f for f in found if isinstance(f, FollowUp)]

    async def listing(
        self, guild_id: int, *, statuses: Sequence[FollowUpStatus] = (FollowUpStatus.OPEN,),
        visit: str | None = None, plan: str | None = None, owner: Owner | None = None,
    ) -> list[Entry]:
        """Follow-ups by status, about a visit or plan, or of one owner; overdue first."""
        found = await self.every(guild_id, statuses, visit=visit)
        if plan is not None:
            found = [f for f in found if f.plan == plan]
        if owner is not None:
            found = [f for f in found if _owns(f.owned_by, owner.kind, {owner.id}, {owner.name})]
        return order(await self.entries(guild_id, found))

    async def mine(
        self, guild_id: int, user_id: int, role_ids: Iterable[int], role_names: Iterable[str]
    ) -> list[Entry]:
        """Open follow-ups owned by the member or by one of their roles (by id, or by name
        for an owner a file named without its id)."""
        roles, names = set(role_ids), {n.casefold() for n in role_names}
        found = [f for f in await self.every(guild_id)
                 if _owns(f.owned_by, "member", {user_id}, set())
                 or _owns(f.owned_by, "role", roles, names)]
        return order(await self.entries(guild_id, found))

    async def about(self, guild_id: int, record: Record) -> list[Entry]:
        """Every follow-up (open first) about one visit or plan, for the card's button."""
        statuses = tuple(FollowUpStatus)
        if isinstance(record, Visit):
            found = await self.listing(guild_id, statuses=statuses, visit=record.uid)
        elif isinstance(record, Plan):
            found = await self.listing(guild_id, statuses=statuses, plan=record.uid)
        else:
            return []
        return sorted(found, key=lambda e: not e.followup.is_open)

    async def anchored_to(self, guild_id: int, kind: RecordType, uid: str) -> list[FollowUp]:
        """Open follow-ups whose deadline is relative to this visit or plan."""
        visit = uid if kind is RecordType.VISIT else None
        return [f for f in await self.every(guild_id, visit=visit)
                if f.due_before == kind.value and getattr(f, kind.value) == uid]

    # --- writing ------------------------------------------------------------------------

    async def add(self, actor: Actor, followup: FollowUp) -> FollowUp:
        saved = await self._desk.add(actor, self._checked(followup))
        assert isinstance(saved, FollowUp)
        return saved

    async def edit(self, actor: Actor, number: int, **changes: object) -> FollowUp:
        current = await self._desk.get(actor.guild_id, RecordType.FOLLOWUP, number)
        assert isinstance(current, FollowUp)
        if not changes:
            raise UserError("Nothing to change: give at least one field to edit.")
        if "due" in changes or "due_before" in changes:
            # A new deadline replaces the old one whichever way it is given.
            changes.setdefault("due", None)
            changes.setdefault("due_before", "")
            changes.setdefault("due_offset", "")
        updated = self._checked(replace(current, **changes))  # type: ignore[arg-type]
        fields = {k: getattr(updated, k) for k in changes}
        saved = await self._desk.edit(actor, RecordType.FOLLOWUP, number, **fields)
        assert isinstance(saved, FollowUp)
        return saved

    async def set_status(self, actor: Actor, number: int, status: FollowUpStatus
                         ) -> tuple[FollowUp, bool]:
        """(the follow-up, whether it changed): marking done twice is no error."""
        current = await self._desk.get(actor.guild_id, RecordType.FOLLOWUP, number)
        assert isinstance(current, FollowUp)
        await self._desk.check_editor(actor)
        if current.status is status:
            return current, False
        return await self.edit(actor, number, status=status), True

    def _checked(self, followup: FollowUp) -> FollowUp:
        """Plain-language refusals for the rules a command can break; the registry's rules
        still check every way in (imports included)."""
        if followup.due_before and getattr(followup, followup.due_before) is None:
            noun = followup.due_before
            raise UserError(
                f"The deadline is relative to the {noun}, but no {noun} is linked: give "
                f"`{noun}:` too (or a date as the deadline). Nothing was saved.")
        if followup.leads:
            followup = replace(followup, leads=canonical_leads(followup.leads))
        return followup

    # --- notify-me ----------------------------------------------------------------------

    async def set_notify(self, guild_id: int, user_id: int, on: bool) -> None:
        await self._optins.choose(guild_id, user_id, on)

    async def opted_in(self, guild_id: int) -> set[int]:
        return await self._optins.members(guild_id)

    async def is_opted_in(self, guild_id: int, user_id: int) -> bool:
        return user_id in await self._optins.members(guild_id)


def _owns(owner: Owner | None, kind: str, ids: Iterable[int | None], names: set[str]) -> bool:
    if owner is None or owner.kind != kind:
        return False
    if owner.id is not None:
        return owner.id in set(ids)
    return owner.name.casefold() in {n.casefold() for n in names}


async def preparations(
    desk: DeskService, guild_id: int, *, visit_uids: Iterable[str],
    plan_uids: Iterable[str] = (),
) -> list[Preparation]:
    """"Preparations for the visit": the open follow-ups about these visits or plans, with
    their owners and deadlines, overdue ones first. For the briefing, one read of the
    server's open follow-ups whatever the number of visits."""
    visits, plans = set(visit_uids), set(plan_uids)
    if not visits and not plans:
        return []
    found = await desk.every(guild_id, RecordType.FOLLOWUP, RecordFilter(
        statuses=[FollowUpStatus.OPEN.value]))
    about = [f for f in found if isinstance(f, FollowUp)
             and ((f.visit is not None and f.visit in visits)
                  or (f.plan is not None and f.plan in plans))]
    if not about:
        return []
    return [
        Preparation(e.number, e.followup.what, owner_label(e.followup.owned_by),
                    e.deadline.text, e.overdue, e.followup.visit, e.followup.plan)
        for e in order(await load_entries(desk, guild_id, about))
    ]
