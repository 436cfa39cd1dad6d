"""ReminderService: keeps each visit's and follow-up's planned reminder posts in step, and
decides what is due (the weekly digest's rows included)."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import sys
import zoneinfo
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from bot.domain.errors import PermissionDeniedError, UserError
from bot.domain.fuzzydate import zone_info
from bot.domain.records import (
    OPEN_VISIT_STATUSES,
    FollowUp,
    FollowUpStatus,
    GuildSettings,
    Plan,
    RecordType,
    Visit,
    VisitStatus,
)
from bot.domain.registry import ANCHORS
from bot.services.access import Actor, require_admin
from bot.services.changes import ChangePipeline, RecordChange
from bot.services.desk import DeskService, RecordLinks
from bot.services.followups import Deadline, anchor_of, deadline_of
from bot.services.held import (
    ANSWERS,
    ASK_AT_ONCE,
    ASK_HOUR,
    ask_at,
    awaiting_outcome,
    period_end,
    question_key,
)
from bot.services.reminder_policy import (
    DIGEST_USEFUL,
    backoff,
    format_leads,
    late_verdict,
    parse_leads,
    plan_followup_reminders,
    plan_reminders,
)
from bot.stores.deliveries import (
    DIGEST,
    FOLLOWUP,
    VISIT,
    Delivery,
    DeliveryStore,
    NewDelivery,
    Status,
)
from bot.stores.preferences import OptInStore
from bot.stores.records import RecordFilter, RecordStore
from bot.stores.replans import ReplanStore
from bot.stores.settings import GuildSettingsStore

log = logging.getLogger(__name__)

Wake = Callable[[], None]

# Visits re-planned per transaction when a whole server is planned again: small enough
# that one batch holds the event loop for a few milliseconds only.
REPLAN_BATCH = 100
# More visit changes than this in one write are re-planned as a whole server.
BULK_REPLAN = 200
# The settings a reminder's due time or existence is computed from.
_PLAN_INPUTS = ("timezone", "reminder_leads", "reminder_channel_id", "reminders_paused")
# Record types whose changes move follow-ups' relative deadlines (what a deadline may hang on).
_ANCHORS = tuple(RecordType(name) for name in ANCHORS)

# The record types a plan is computed from (people, meetings and sources only show in posts).
_PLANNED_FROM = (RecordType.FOLLOWUP, *_ANCHORS)
# What a server's plan was computed from is remembered under this scope of replan_marks.
REPLAN_SCOPE = "reminders"
# Bump when plans would come out differently for a reason the planner's own source does not
# show (its source is part of the fingerprint too, see planner_digest).
PLANNER_VERSION = 1
# The modules whose rules decide what is planned: an upgrade that changes any of them
# re-plans every server once.
_PLANNER_MODULES = (
    "bot.services.reminder_policy", "bot.services.followups", "bot.services.reminders",
    "bot.domain.fuzzydate",
)
# Records written since the last plan that are planned again on their own at start;
# beyond this the whole server is.
CATCH_UP_LIMIT = BULK_REPLAN
# Rounds of catching up with writes made while a server was being re-planned.
_SETTLE_ROUNDS = 3
# "Was it held?" looks at the newest this many past visits still marked open (a page of the
# newest-first list at a time): those are the ones worth asking about first.
PAST_OPEN_LIMIT = 100
PAST_OPEN_PAGE = 50
# How long a server's newest past open visits, once read, answer the next /visit upcoming's
# "was it held?" follow-up without reading them again. This process's own writes forget them
# at once; another process's (a CLI import) show within this long.
PAST_OPEN_KEPT = timedelta(seconds=30)


@dataclass
class Batch:
    """Posts due together in one server and of one kind (visit reminders, follow-up
    reminders, the digest): posted as one message, under one nonce."""

    guild_id: int
    channel_id: int
    role_id: int | None
    rows: list[Delivery]
    visits: dict[int, Visit] = field(default_factory=dict)
    links: RecordLinks = field(default_factory=RecordLinks)
    plans: dict[str, list[Plan]] = field(default_factory=dict)
    late: bool = False
    record_type: str = VISIT
    followups: dict[int, FollowUp] = field(default_factory=dict)
    deadlines: dict[int, Deadline] = field(default_factory=dict)
    # Members who asked to be pinged for what they own (follow-up batches).
    opted_in: set[int] = field(default_factory=set)

    @property
    def nonce(self) -> str:
        # Derived from the batch's first row: a resend after a crash carries the same nonce,
        # and Discord drops the duplicate.
        return f"attache-r{self.rows[0].batch or self.rows[0].id}"

    @property
    def ids(self) -> list[int]:
        return [row.id for row in self.rows]


@dataclass
class ReminderStatus:
    settings: GuildSettings
    counts: dict[str, int]
    upcoming: list[Delivery]
    problems: list[Delivery]


class ReminderService:
    def __init__(
        self,
        desk: DeskService,
        records: RecordStore,
        deliveries: DeliveryStore,
        settings: GuildSettingsStore,
        changes: ChangePipeline,
        clock: Callable[[], datetime],
        optins: OptInStore | None = None,
        replans: ReplanStore | None = None,
    ) -> None:
        self._desk = desk
        self._records = records
        self._deliveries = deliveries
        self._settings = settings
        self._changes = changes
        self._clock = clock
        self._optins = optins
        # Without it every start re-plans every server (always correct, only slower).
        self._replans = replans
        # One whole-server re-plan at a time per server, so a settings change made while
        # the start-up re-plan runs is planned after it, from the new settings.
        self._replanning: dict[int, asyncio.Lock] = {}
        self._wake: Wake = lambda: None
        self._digest_claimed: Callable[[int], Awaitable[object]] | None = None
        # (server, country, limit) -> (read at, the server's today then, the visits).
        self._past_open: dict[tuple[int, str | None, int], tuple[datetime, date, list[Visit]]]
        self._past_open = {}
        changes.subscribe(self)

    def on_digest_claimed(self, plan_next: Callable[[int], Awaitable[object]]) -> None:
        """The digest's planner, told when a server's digest was claimed or skipped, so the
        next week's is planned."""
        self._digest_claimed = plan_next

    def on_change(self, wake: Wake) -> None:
        """The poster's alarm: rung whenever the earliest due time may have moved."""
        self._wake = wake

    def wake(self) -> None:
        """Rings the poster's alarm (for the digest, which plans rows of its own)."""
        self._wake()

    # --- what follows a change --------------------------------------------------------

    async def records_changed(self, guild_id: int, changes: Sequence[RecordChange]) -> None:
        visits = [c for c in changes if c.kind is RecordType.VISIT]
        if visits:
            self._forget_past_open(guild_id)
        if len(visits) > BULK_REPLAN:
            # A large import: one pass over the server's open visits, without a notice for
            # each, is cheaper than one re-plan per record.
            await self.replan_guild(guild_id)
            return
        for change in visits:
            before, after = change.before, change.after
            assert isinstance(before, Visit | None) and isinstance(after, Visit | None)
            await self.visit_changed(guild_id, before, after)
        await self._followups_changed(guild_id, changes)

    async def _followups_changed(self, guild_id: int, changes: Sequence[RecordChange]) -> None:
        """A follow-up changed, or a visit or plan its deadline is relative to moved."""
        followups = [c for c in changes if c.kind is RecordType.FOLLOWUP]
        anchors = [c for c in changes if c.kind in _ANCHORS]
        if len(followups) + len(anchors) > BULK_REPLAN:
            await self.replan_followups(guild_id)
            self._wake()
            return
        for change in followups:
            if change.after is None:
                assert change.before is not None and change.before.id is not None
                await self._deliveries.close(guild_id, FOLLOWUP, change.before.id,
                                             "the follow-up was deleted")
            else:
                assert isinstance(change.after, FollowUp)
                await self._plan_followups(guild_id, [change.after])
        if anchors:
            moved: set[tuple[str, str | None]] = {(c.kind.value, c.current.uid)
                                                  for c in anchors}
            # A deleted anchor's link is already gone (ON DELETE SET NULL): such follow-ups
            # lost their deadline, and their planned reminders go with it.
            moved |= {(c.kind.value, None) for c in anchors if c.after is None}
            tied = [f for f in await self._desk.every(guild_id, RecordType.FOLLOWUP,
                                                      RecordFilter(statuses=["open"]))
                    if isinstance(f, FollowUp) and f.due_before
                    and (f.due_before, getattr(f, f.due_before)) in moved]
            await self._plan_followups(guild_id, tied)
        if followups or anchors:
            self._wake()

    async def settings_changed(
        self, guild_id: int, before: GuildSettings, after: GuildSettings
    ) -> None:
        """The zone, the lead times, the channel and pausing all decide what is planned."""
        if (after.reminder_channel_id != before.reminder_channel_id
                or (before.reminders_paused and not after.reminders_paused)):
            await self._deliveries.reopen_failed(guild_id)
        if any(getattr(before, name) != getattr(after, name) for name in _PLAN_INPUTS):
            if self._replans is not None:
                # Forgotten first: were this re-plan cut short, and the settings then
                # changed back, the old mark would match again over a half-made plan.
                await self._replans.forget(guild_id, REPLAN_SCOPE)
            await self.replan_guild(guild_id)
        self._wake()

    # --- planning ---------------------------------------------------------------------

    async def visit_changed(self, guild_id: int, before: Visit | None, after: Visit | None) -> None:
        """Re-plans a visit after any write; posts one notice when its date or status moved."""
        visit = after or before
        assert visit is not None and visit.id is not None
        now = self._clock()
        if after is not None and before is not None and before.status.is_open:
            notice = _notice(before, after, now)
            if notice is not None:
                await self._deliveries.add_notice(guild_id, visit.id, notice)
        if after is None or not after.status.is_open:
            reason = "the visit was deleted" if after is None else f"the visit is {after.status}"
            await self._deliveries.close_visit(guild_id, visit.id, reason)
        else:
            await self._plan(guild_id, after, now)
        self._wake()

    async def _plan(self, guild_id: int, visit: Visit, now: datetime) -> None:
        settings = await self._settings.get(guild_id)
        await self._deliveries.plan_many(guild_id, dict([_wanted(visit, settings, now)]))

    async def replan_guild(self, guild_id: int) -> None:
        """Every open visit and follow-up of the server planned again, a batch per
        transaction, and what the plan was computed from then remembered.

        Between batches the task yields, so re-planning a server of 100,000 visits (after a
        restart or an import) never holds the event loop or the write lock for long.
        """
        async with self._replanning.setdefault(guild_id, asyncio.Lock()):
            settings = await self._settings.get(guild_id)
            before = await self._mark(settings)
            now = self._clock()
            async for visits in self._desk.open_visit_batches(guild_id, REPLAN_BATCH):
                await self._deliveries.plan_many(
                    guild_id, dict(_wanted(v, settings, now) for v in visits))
                await asyncio.sleep(0)
            await self.replan_followups(guild_id)
            await self._settle(guild_id, before)
        self._wake()

    # --- start-up: re-plan only what changed --------------------------------------------

    async def reconcile(self) -> dict[int, str]:
        """At start: each server with reminders gets its plan again, unless nothing it
        depends on changed since it was last made; returns what was done per server
        ("unchanged", "caught up" or "re-planned").

        A server whose settings, planner and schema are as they were but whose records
        changed has only those records planned again (up to CATCH_UP_LIMIT of them), which
        also repairs a crash between a write and its re-planning. Planning is idempotent, so
        nothing is sent twice. One server's failure is logged and the others carry on.
        """
        done: dict[int, str] = {}
        for settings in await self._settings.with_reminder_channel():
            try:
                done[settings.guild_id] = await self._reconcile_guild(settings)
            except Exception:
                log.exception("guild %s: could not re-plan its reminders", settings.guild_id)
                done[settings.guild_id] = "failed"
        return done

    async def _reconcile_guild(self, settings: GuildSettings) -> str:
        guild_id = settings.guild_id
        if self._replans is not None:
            async with self._replanning.setdefault(guild_id, asyncio.Lock()):
                stored = PlanMark.parse(await self._replans.get(guild_id, REPLAN_SCOPE))
                now = await self._mark(settings)
                if stored == now:
                    log.info("guild %s: reminders unchanged since they were planned", guild_id)
                    return "unchanged"
                if (stored is not None and stored.inputs == now.inputs
                        and await self._catch_up(guild_id, settings, stored, now)):
                    await self._settle(guild_id, now)
                    log.info("guild %s: reminders of %d audit row(s) planned again", guild_id,
                             now.count - stored.count)
                    return "caught up"
        await self.replan_guild(guild_id)
        return "re-planned"

    async def _mark(self, settings: GuildSettings) -> PlanMark:
        """What the server's plan depends on, as it is now."""
        if self._replans is None:
            return PlanMark("", 0, 0)
        inputs = [await planner_digest(), await self._replans.schema_version(),
                  *(getattr(settings, name) for name in _PLAN_INPUTS)]
        digest = hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()[:32]
        water = await self._replans.high_water(settings.guild_id)
        return PlanMark(digest, water.count, water.newest)

    async def _settle(self, guild_id: int, before: PlanMark) -> None:
        """Remembers the plan just made as computed from `before`, once the records
        written meanwhile are planned again too; settings changed meanwhile leave no mark
        (their own re-plan, waiting for this one, makes it)."""
        if self._replans is None:
            return
        for _ in range(_SETTLE_ROUNDS):
            settings = await self._settings.get(guild_id)
            now = await self._mark(settings)
            if now.inputs != before.inputs:
                return
            if now == before:
                await self._replans.put(guild_id, REPLAN_SCOPE, now.text)
                return
            if not await self._catch_up(guild_id, settings, before, now):
                return
            before = now

    async def _catch_up(
        self, guild_id: int, settings: GuildSettings, since: PlanMark, now: PlanMark
    ) -> bool:
        """Plans again the records written between two marks; False (nothing done) when
        that cannot be told exactly or is too much, and the server is to be re-planned."""
        assert self._replans is not None
        if now.count < since.count or now.newest < since.newest:
            return False
        rows, named = await self._replans.changed_since(
            guild_id, since.newest, [k.value for k in _PLANNED_FROM], CATCH_UP_LIMIT + 1)
        if rows != now.count - since.count or len(named) > CATCH_UP_LIMIT:
            # Rows committed out of id order, or rows gone: which records changed is not
            # known exactly.
            return False
        visits = sorted(n for kind, n in named if kind == RecordType.VISIT.value)
        found = {v.id: v for v in await self._records.get_many(guild_id, RecordType.VISIT,
                                                               visits)
                 if isinstance(v, Visit)}
        at = self._clock()
        plans: dict[int, tuple[list[NewDelivery], set[tuple[str, str, str, str]]]] = {}
        for number in visits:
            visit = found.get(number)
            if visit is None or not visit.status.is_open:
                reason = ("the visit was deleted" if visit is None
                          else f"the visit is {visit.status}")
                await self._deliveries.close_visit(guild_id, number, reason)
            else:
                plans.update([_wanted(visit, settings, at)])
        await self._deliveries.plan_many(guild_id, plans)
        if named:
            # A follow-up's deadline may hang on any visit or plan: the server's open
            # follow-ups (few beside its visits) are planned again, and deleted ones closed.
            for kind, number in named:
                if kind == RecordType.FOLLOWUP.value and await self._records.get(
                        guild_id, RecordType.FOLLOWUP, number) is None:
                    await self._deliveries.close(guild_id, FOLLOWUP, number,
                                                 "the follow-up was deleted")
            await self.replan_followups(guild_id)
        return True

    # --- follow-ups ---------------------------------------------------------------------

    async def replan_followups(self, guild_id: int) -> None:
        """Every open follow-up of the server planned again, a batch at a time: their
        numbers read once, then loaded a batch at a time (no OFFSET rescans)."""
        async for found in self._desk.batches(guild_id, RecordType.FOLLOWUP,
                                              RecordFilter(statuses=["open"]), REPLAN_BATCH):
            await self._plan_followups(guild_id, [f for f in found if isinstance(f, FollowUp)])
            await asyncio.sleep(0)

    async def _plan_followups(self, guild_id: int, followups: Sequence[FollowUp]) -> None:
        if not followups:
            return
        settings = await self._settings.get(guild_id)
        now = self._clock()
        linked = (await self._desk.links(guild_id, followups)).linked
        plans = {}
        for f in followups:
            assert f.id is not None
            deadline = deadline_of(f, anchor_of(f, linked))
            if f.status is not FollowUpStatus.OPEN:
                await self._deliveries.close(guild_id, FOLLOWUP, f.id,
                                             f"the follow-up is {f.status.label}")
            elif deadline.by is None:
                await self._deliveries.close(guild_id, FOLLOWUP, f.id,
                                             f"the follow-up has {deadline.text}")
            else:
                plans[f.id] = _followup_wanted(f, deadline, settings, now)
        await self._deliveries.plan_many(guild_id, plans, record_type=FOLLOWUP)

    async def followup_preview(self, guild_id: int, followup: FollowUp) -> list[Delivery]:
        assert followup.id is not None
        return await self._deliveries.for_record(guild_id, FOLLOWUP, followup.id)

    # --- delivery -----------------------------------------------------------------------

    async def next_due(self) -> datetime | None:
        return await self._deliveries.next_due()

    async def claim_due(self) -> list[Batch]:
        """Claims what is due now; stale rows are skipped with their reason, never dropped.

        Sends another process claimed and never finished (its lease lapsed: it died) come
        first, to be sent again under their own nonce, as after a restart.
        """
        now = self._clock()
        taken_over = await self._batches(await self._deliveries.lapsed(), now, resend=True)
        rows = await self._deliveries.claim_due(now)
        return taken_over + await self._batches(rows, now)

    async def recover(self) -> list[Batch]:
        """Batches claimed before a crash, to be sent again under the same nonce."""
        return await self._batches(await self._deliveries.claimed(), self._clock(), resend=True)

    async def _batches(
        self, rows: list[Delivery], now: datetime, *, resend: bool = False
    ) -> list[Batch]:
        by_batch: dict[int, list[Delivery]] = {}
        for row in rows:
            by_batch.setdefault(row.batch or row.id, []).append(row)
        out = []
        for group in by_batch.values():
            if group[0].record_type in (FOLLOWUP, DIGEST):
                make = (self._followup_batch if group[0].record_type == FOLLOWUP
                        else self._digest_batch)
                made = await make(group, now, resend=resend)
                if made is not None:
                    out.append(made)
                continue
            guild_id = group[0].guild_id
            settings = await self._settings.get(guild_id)
            keep, stale, late = [], [], False
            visits: dict[int, Visit] = {}
            for row in group:
                visit = await self._records.get(guild_id, RecordType.VISIT, row.visit_id)
                if not isinstance(visit, Visit):
                    stale.append(row)
                    continue
                verdict = "on_time" if row.kind == "notice" or resend else late_verdict(
                    row.due, visit.date.start_instant(settings.timezone), now)
                if verdict == "stale":
                    stale.append(row)
                    continue
                late = late or verdict == "late"
                visits[visit.id or 0] = visit
                keep.append(row)
            if stale:
                await self._deliveries.skip(
                    [r.id for r in stale],
                    "the visit had already started (or was deleted) when the bot could post",
                )
            if not keep or settings.reminder_channel_id is None:
                continue
            links = await self._desk.links(guild_id, list(visits.values()))
            plans = {}
            for visit in visits.values():
                found = await self._records.list_records(
                    guild_id, RecordType.PLAN, RecordFilter(visit=visit.uid))
                plans[visit.uid] = [p for p in found if isinstance(p, Plan)]
            out.append(Batch(guild_id, settings.reminder_channel_id, settings.reminder_role_id,
                             keep, visits, links, plans, late))
        return out

    async def _followup_batch(
        self, group: list[Delivery], now: datetime, *, resend: bool
    ) -> Batch | None:
        """Follow-up reminders due together: stale once the deadline has passed, or when the
        follow-up is no longer open or no longer has that deadline."""
        guild_id = group[0].guild_id
        settings = await self._settings.get(guild_id)
        found = await self._records.get_many(guild_id, RecordType.FOLLOWUP,
                                             sorted({r.record_id for r in group}))
        followups = {f.id: f for f in found if isinstance(f, FollowUp) and f.id is not None}
        linked = (await self._desk.links(guild_id, list(followups.values()))).linked
        deadlines = {n: deadline_of(f, anchor_of(f, linked)) for n, f in followups.items()}
        keep, stale, late = [], [], False
        for row in group:
            f, deadline = followups.get(row.record_id), deadlines.get(row.record_id)
            if (f is None or deadline is None or deadline.by is None
                    or f.status is not FollowUpStatus.OPEN):
                stale.append(row)
                continue
            over = _overdue_at(deadline, settings.timezone)
            verdict = "on_time" if resend else late_verdict(row.due, over, now)
            if verdict == "stale":
                stale.append(row)
                continue
            late = late or verdict == "late"
            keep.append(row)
        if stale:
            await self._deliveries.skip(
                [r.id for r in stale],
                "the follow-up was overdue, done, dropped or deleted when the bot could post",
            )
        if not keep or settings.reminder_channel_id is None:
            return None
        numbers = {r.record_id for r in keep}
        chosen = {n: f for n, f in followups.items() if n in numbers}
        links = await self._desk.links(guild_id, list(chosen.values()))
        opted = await self._optins.members(guild_id) if self._optins is not None else set()
        return Batch(guild_id, settings.reminder_channel_id, settings.reminder_role_id, keep,
                     links=links, late=late, record_type=FOLLOWUP, followups=chosen,
                     deadlines={n: deadlines[n] for n in chosen}, opted_in=opted)

    async def _digest_batch(
        self, group: list[Delivery], now: datetime, *, resend: bool
    ) -> Batch | None:
        """A server's weekly digest: late while its week lasts, skipped once it is over."""
        guild_id = group[0].guild_id
        settings = await self._settings.get(guild_id)
        keep, stale, late = [], [], False
        for row in group:
            verdict = "on_time" if resend else late_verdict(row.due, row.due + DIGEST_USEFUL,
                                                             now)
            if verdict == "stale":
                stale.append(row)
            else:
                late = late or verdict == "late"
                keep.append(row)
        if stale:
            await self._deliveries.skip(
                [r.id for r in stale], "the week it covered was over when the bot could post")
        # One digest a message: the latest of several due at once (after a long pause).
        if len(keep) > 1:
            keep.sort(key=lambda r: r.due)
            await self._deliveries.skip([r.id for r in keep[:-1]],
                                        "a later digest went out instead")
            keep = keep[-1:]
        if self._digest_claimed is not None and not resend:
            await self._digest_claimed(guild_id)
        if not keep or settings.reminder_channel_id is None:
            return None
        return Batch(guild_id, settings.reminder_channel_id, settings.reminder_role_id, keep,
                     late=late, record_type=DIGEST)

    async def skip_batch(self, batch: Batch, reason: str) -> None:
        """A claimed batch that is not to be posted after all (an empty digest)."""
        await self._deliveries.skip(batch.ids, reason)

    async def sent(self, batch: Batch, channel_id: int, message_id: int) -> None:
        await self._deliveries.mark_sent(batch.ids, channel_id, message_id, late=batch.late)

    async def failed(self, batch: Batch, error: str) -> bool:
        """Records a lasting failure; True when the admins have not been told of this problem.

        The problem is kept in the server's settings, so a restart does not tell them twice;
        choosing a reminder channel again clears it.
        """
        await self._deliveries.mark_failed(batch.ids, error)
        settings = await self._settings.get(batch.guild_id)
        new = settings.reminder_problem != error
        if new:
            await self._settings.save(replace(settings, reminder_problem=error))
        return new

    async def retry(self, batch: Batch, error: str) -> None:
        attempts = max(row.attempts for row in batch.rows) + 1
        await self._deliveries.retry_later(batch.ids, error, self._clock() + backoff(attempts))

    # --- settings and status ----------------------------------------------------------

    async def settings(self, guild_id: int) -> GuildSettings:
        return await self._settings.get(guild_id)

    async def configure(self, actor: Actor, **changes: object) -> GuildSettings:
        """Changes reminder settings; a new channel also re-opens reminders that failed."""
        require_admin(actor)
        current = await self._settings.get(actor.guild_id)
        if "reminder_leads" in changes:
            changes["reminder_leads"] = format_leads(parse_leads(str(changes["reminder_leads"])))
        if "reminder_channel_id" in changes:
            changes["reminder_problem"] = None
            # Choosing a channel, even the same one again, is how an admin says "fixed".
            await self._deliveries.reopen_failed(actor.guild_id)
            self._wake()
        # What else follows (the plan redone for new leads or zone) is in settings_changed.
        return await self._changes.save_settings(
            replace(current, **changes))  # type: ignore[arg-type]

    async def status(self, guild_id: int) -> ReminderStatus:
        return ReminderStatus(
            settings=await self._settings.get(guild_id),
            counts=await self._deliveries.counts(guild_id),
            upcoming=await self._deliveries.for_guild(guild_id, [Status.PLANNED], limit=5),
            problems=await self._deliveries.for_guild(
                guild_id, [Status.FAILED, Status.SKIPPED], limit=5, newest=True),
        )

    async def preview(self, guild_id: int, visit: Visit) -> list[Delivery]:
        assert visit.id is not None
        return await self._deliveries.for_visit(guild_id, visit.id)

    async def require_channel(self, guild_id: int) -> GuildSettings:
        settings = await self._settings.get(guild_id)
        if settings.reminder_channel_id is None:
            raise UserError("No reminder channel yet: choose one with /reminders channel.")
        return settings

    # --- who may post -------------------------------------------------------------------

    def check_admin(self, actor: Actor) -> None:
        """The rule every reminder setting follows, for a command to apply before it looks."""
        require_admin(actor)

    async def test_target(self, actor: Actor) -> GuildSettings:
        """The settings /reminders test posts under: Manage Server only, and a channel set."""
        try:
            require_admin(actor)
        except PermissionDeniedError:
            raise PermissionDeniedError(
                "Posting a test reminder needs the Manage Server permission, like the other "
                "reminder settings. Nothing was posted."
            ) from None
        return await self.require_channel(actor.guild_id)

    # --- "was it held?" -------------------------------------------------------------------
    # A visit whose dates passed while still marked open is asked about once: in the reminder
    # channel the morning after, or under /visit upcoming when an editor runs it.

    async def past_open(
        self, guild_id: int, country: str | None = None, *, limit: int = PAST_OPEN_LIMIT,
        fresh: bool = False,
    ) -> list[Visit]:
        """Visits whose dates have passed but that are still marked open, latest first: the
        newest `limit` of them.

        Bounded because a desk that imported years of history may hold tens of thousands
        (32,000 in the benchmark's store): reading them all, and trying to claim a question
        about each, took 14 s or more after every /visit upcoming and kept a reader busy
        for every server.

        What was read is kept for PAST_OPEN_KEPT (until a visit of the server changes, or
        its day does), unless `fresh`: reading the newest 100 after every /visit upcoming
        was a fifth of the event loop's time under the wire benchmark's mixed load.
        """
        today = await self._desk.today(guild_id)
        key = (guild_id, country, limit)
        now = self._clock()
        kept = self._past_open.get(key)
        if (not fresh and kept is not None and kept[1] == today
                and timedelta(0) <= now - kept[0] < PAST_OPEN_KEPT):
            return list(kept[2])
        past = await self._read_past_open(guild_id, country, today, limit)
        # Entries past their time go as new ones come, so the map stays as small as the
        # servers and countries asked about in the last PAST_OPEN_KEPT.
        for old in [k for k, (at, _, _) in self._past_open.items()
                    if not timedelta(0) <= now - at < PAST_OPEN_KEPT]:
            del self._past_open[old]
        self._past_open[key] = (now, today, past)
        return list(past)

    def _forget_past_open(self, guild_id: int) -> None:
        for key in [k for k in self._past_open if k[0] == guild_id]:
            del self._past_open[key]

    async def _read_past_open(
        self, guild_id: int, country: str | None, today: date, limit: int
    ) -> list[Visit]:
        flt = RecordFilter(country=country, statuses=OPEN_VISIT_STATUSES,
                           date_to=today, newest_first=True, limit=PAST_OPEN_PAGE)
        past: list[Visit] = []
        while len(past) < limit:
            page = await self._desk.records_page(guild_id, RecordType.VISIT, flt)
            past += [v for v in page if isinstance(v, Visit) and awaiting_outcome(v, today)]
            if len(page) < flt.limit:
                break
            flt = replace(flt, offset=flt.offset + flt.limit)
        past.sort(key=lambda v: (period_end(v), v.date.start), reverse=True)
        return past[:limit]

    async def may_answer(self, actor: Actor) -> bool:
        """Whether this member is an editor, who is asked and may answer."""
        return actor.is_editor(await self._settings.get(actor.guild_id))

    async def claim_questions(self, guild_id: int, visits: Sequence[Visit]) -> list[Visit]:
        """The visits (at most ASK_AT_ONCE) not asked about before, now recorded as asked.

        Those asked already are found in one read first: after every /visit upcoming the
        same newest past visits come here, and trying to claim each in a write of its own
        made up to 100 write transactions a call (250 a second under the wire benchmark's
        mixed load, every one queued on the one writer, and each waiting out a CLI import's
        lock). A write is left only for a visit that may really be new.
        """
        asked = await self._deliveries.held_questions(
            guild_id, [v.id for v in visits if v.id is not None])
        claimed: list[Visit] = []
        for visit in visits:
            if len(claimed) == ASK_AT_ONCE:
                break
            assert visit.id is not None
            if (visit.id, question_key(visit)) in asked:
                continue
            if await self._deliveries.claim_held_question(
                    guild_id, visit.id, question_key(visit), "asked whether it was held"):
                claimed.append(visit)
        return claimed

    async def questions_posted(
        self, guild_id: int, visits: Sequence[Visit], channel_id: int, message_id: int
    ) -> None:
        await self._deliveries.held_question_posted(
            guild_id, [v.id for v in visits if v.id is not None], channel_id, message_id)

    async def questions_not_posted(self, guild_id: int, visits: Sequence[Visit]) -> None:
        """The message asking could not be posted: the visits are asked about another time."""
        for visit in visits:
            assert visit.id is not None
            await self._deliveries.release_held_question(guild_id, visit.id, question_key(visit))

    async def questions_due(self) -> list[tuple[GuildSettings, list[Visit]]]:
        """For each server posting reminders, the visits to ask about now, claimed."""
        now = self._clock()
        out = []
        for settings in await self._settings.with_reminder_channel():
            if settings.reminders_paused:
                continue
            due = [v for v in await self.past_open(settings.guild_id, fresh=True)
                   if ask_at(v, settings.timezone) <= now]
            claimed = await self.claim_questions(settings.guild_id, due)
            if claimed:
                out.append((settings, claimed))
        return out

    async def next_questions(self) -> datetime | None:
        """The next morning (ASK_HOUR in its zone) of any server with a reminder channel."""
        now = self._clock()
        times = []
        for settings in await self._settings.with_reminder_channel():
            zone = zone_info(settings.timezone)
            day = now.astimezone(zone).date()
            at = datetime.combine(day, time(ASK_HOUR), zone)
            if at <= now:
                at = datetime.combine(day + timedelta(days=1), time(ASK_HOUR), zone)
            times.append(at)
        return min(times, default=None)

    async def answer_held(self, actor: Actor, visit_id: int, answer: str) -> tuple[Visit, bool]:
        """An editor's answer: the visit marked completed, postponed or cancelled through the
        desk, so its history and reminders follow. False when it was answered already."""
        await self._desk.check_editor(actor)
        status = ANSWERS.get(answer)
        if status is None:
            raise UserError(f"Unknown answer {answer!r}: held, postponed or cancelled.")
        visit = await self._desk.get(actor.guild_id, RecordType.VISIT, visit_id)
        assert isinstance(visit, Visit)
        if not visit.status.is_open:
            return visit, False
        saved = await self._desk.edit(actor, RecordType.VISIT, visit_id, status=status)
        assert isinstance(saved, Visit)
        return saved, True


@dataclass(frozen=True)
class PlanMark:
    """What a server's plan was computed from: a digest of its inputs (the planner, the
    schema, the settings planning reads) and how far its audit log reached."""

    inputs: str
    count: int
    newest: int

    @property
    def text(self) -> str:
        return f"{self.inputs}:{self.count}:{self.newest}"

    @classmethod
    def parse(cls, text: str | None) -> PlanMark | None:
        """A stored mark; None for none, or for one this version cannot read."""
        parts = (text or "").split(":")
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        return cls(parts[0], int(parts[1]), int(parts[2]))


@functools.cache
def _planner_source() -> str:
    """A digest of the planner's own version, its rules' source and the time-zone data
    (a new tz release can move a reminder's instant)."""
    digest = hashlib.sha256(f"planner {PLANNER_VERSION}".encode())
    for name in _PLANNER_MODULES:
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        try:
            digest.update(Path(path).read_bytes() if path else name.encode())
        except OSError:
            digest.update(name.encode())
    digest.update(_tz_version().encode())
    return digest.hexdigest()[:32]


def _tz_version() -> str:
    """The IANA releases zoneinfo may read: the system's (tried first) and tzdata's."""
    found = []
    for base in zoneinfo.TZPATH:
        try:
            with open(Path(base) / "tzdata.zi", encoding="utf-8") as file:
                found.append(file.readline().strip())
            break
        except OSError:
            continue
    try:
        import tzdata

        found.append(f"tzdata {tzdata.IANA_VERSION}")
    except ImportError:
        pass
    return "; ".join(found)


async def planner_digest() -> str:
    """_planner_source, its files read off the event loop the first time."""
    if _planner_source.cache_info().currsize:
        return _planner_source()
    return await asyncio.to_thread(_planner_source)


def _wanted(
    visit: Visit, settings: GuildSettings, now: datetime
) -> tuple[int, tuple[list[NewDelivery], set[tuple[str, str, str, str]]]]:
    """A visit's planned sends from now on, and the keys of its whole plan."""
    assert visit.id is not None
    leads = parse_leads(settings.reminder_leads)
    planned = plan_reminders(visit.date, visit.status, leads=leads, zone=settings.timezone)
    every = [NewDelivery(p.kind, p.key, p.computed_for, p.due, p.headline) for p in planned]
    # A reminder already due when it is planned was never missed: it is simply not sent.
    return visit.id, ([d for d in every if d.due > now], {d.key for d in every})


def _followup_wanted(
    followup: FollowUp, deadline: Deadline, settings: GuildSettings, now: datetime
) -> tuple[list[NewDelivery], set[tuple[str, str, str, str]]]:
    """A follow-up's planned sends from now on, and the keys of its whole plan: none unless
    it is open and has a deadline; its own lead times, else the server's."""
    if followup.status is not FollowUpStatus.OPEN or deadline.by is None:
        return [], set()
    leads = parse_leads(followup.leads or settings.reminder_leads)
    planned = plan_followup_reminders(deadline.by, leads=leads, zone=settings.timezone)
    every = [NewDelivery(p.kind, p.key, p.computed_for, p.due, p.headline) for p in planned]
    return [d for d in every if d.due > now], {d.key for d in every}


def _overdue_at(deadline: Deadline, zone: str) -> datetime:
    """The instant a deadline has passed: the start of the day after its last day."""
    assert deadline.by is not None
    return datetime.combine(deadline.by.end, time(0), zone_info(zone))


def _notice(before: Visit, after: Visit, now: datetime) -> NewDelivery | None:
    """One notice when an expected visit moves or is called off; None when nothing moved."""
    if after.status is VisitStatus.CANCELLED:
        return NewDelivery("notice", "cancelled", before.date.value, now,
                           f"cancelled (was expected {before.date.render()})")
    if after.status is VisitStatus.POSTPONED:
        return NewDelivery("notice", "postponed", before.date.value, now,
                           f"postponed (was expected {before.date.render()}); no new date yet")
    if after.status.is_open and after.date != before.date:
        return NewDelivery("notice", "rescheduled", f"{before.date.value}>{after.date.value}",
                           now, f"rescheduled: was {before.date.render()}, now "
                                f"{after.date.render()}")
    return None

