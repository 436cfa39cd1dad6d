"""Which visits appear as Discord scheduled events, with what name, place and times, and
the syncing that keeps them in step with the visits."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Protocol

from bot.domain.fuzzydate import zone_info
from bot.domain.markup import escape, escape_line
from bot.domain.records import GuildSettings, Person, RecordType, Visit, VisitStatus
from bot.domain.registry import headline
from bot.services.access import Actor
from bot.services.changes import ChangePipeline, RecordChange
from bot.services.desk import DeskService
from bot.stores.settings import VisitEventStore

log = logging.getLogger(__name__)

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
    name = headline(visit, people)
    status = "confirmed" if visit.status is VisitStatus.CONFIRMED else "planned, not yet confirmed"
    # Discord renders an event's description as markdown: stored text goes in escaped.
    description = "\n".join(filter(None, [
        escape_line(f"{who}{role} visits {visit.to_country}") + f" — {status}.",
        escape(visit.purpose),
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


class EventRefused(Exception):
    """Discord refused to manage the server's events (the bot lacks Manage Events)."""


class EventPort(Protocol):
    """What syncing needs of Discord, so the rules here never import discord.

    The adapter (cogs/events.py) raises EventRefused when Discord says no.
    """

    def serves(self, guild_id: int) -> bool: ...

    async def exists(self, guild_id: int, event_id: int) -> bool: ...

    async def create(self, guild_id: int, spec: EventSpec) -> int: ...

    async def edit(self, guild_id: int, event_id: int, spec: EventSpec) -> None: ...

    async def cancel(self, guild_id: int, event_id: int) -> None: ...

    async def delete(self, guild_id: int, event_id: int) -> None: ...


REFUSED = ("Discord refused to manage the server's Events: give the bot the Manage Events "
           "permission, then run /settings events on again.")


class EventSync:
    """Keeps each open visit with a known day mirrored as a Discord event, as a subscriber of
    the change pipeline: visit writes, imports, ingest saves and the events switch all end
    here. Until a Discord adapter is attached (the CLI has none) it does nothing."""

    def __init__(
        self, desk: DeskService, links: VisitEventStore, changes: ChangePipeline,
        clock: Callable[[], datetime],
    ) -> None:
        self._desk = desk
        self._links = links
        self._changes = changes
        self._clock = clock
        self._port: EventPort | None = None
        changes.subscribe(self)

    def attach(self, port: EventPort | None) -> None:
        self._port = port

    async def records_changed(self, guild_id: int, changes: Sequence[RecordChange]) -> None:
        for change in changes:
            if change.kind is RecordType.VISIT:
                visit = change.current
                assert isinstance(visit, Visit)
                await self.visit_changed(guild_id, visit, deleted=change.after is None)

    async def settings_changed(
        self, guild_id: int, before: GuildSettings, after: GuildSettings
    ) -> None:
        if not after.events_enabled:
            if before.events_enabled:
                await self.remove_all(guild_id)
            return
        # Switched on, re-enabled after a refusal, or a new zone (untimed days move).
        if (not before.events_enabled or (before.events_problem and not after.events_problem)
                or before.timezone != after.timezone):
            await self.resync(guild_id)

    async def visit_changed(self, guild_id: int, visit: Visit, *, deleted: bool) -> None:
        port = self._port
        if port is None or not port.serves(guild_id):
            return
        settings = await self._desk.settings(guild_id)
        # After a refusal nothing is retried until an admin turns events on again.
        if not settings.events_enabled or settings.events_problem:
            return
        try:
            await self._sync(port, guild_id, visit, deleted=deleted)
        except EventRefused:
            # Built on a fresh read: `settings` may be the kept copy, up to seconds old.
            current = await self._desk.settings_afresh(guild_id)
            await self._changes.save_settings(replace(current, events_problem=REFUSED))
            log.warning("guild %s: Manage Events refused; event sync stopped", guild_id)
        except Exception:
            # A failed mirror must never undo or fail the visit change that caused it.
            log.exception("guild %s: could not sync the event of visit %s", guild_id, visit.id)

    async def _sync(self, port: EventPort, guild_id: int, visit: Visit, *, deleted: bool) -> None:
        assert visit.id is not None
        event_id = await self._links.get(guild_id, visit.id)
        if event_id is not None and not await port.exists(guild_id, event_id):
            await self._links.forget(guild_id, visit.id)  # deleted by hand: make a fresh one
            event_id = None
        spec = None
        if not deleted:
            links = await self._desk.links(guild_id, [visit])
            spec = event_for(visit, links.people, zone=links.zone, now=self._clock())
        if spec is None:
            if event_id is not None:
                if visit.status is VisitStatus.CANCELLED and not deleted:
                    await port.cancel(guild_id, event_id)
                else:
                    await port.delete(guild_id, event_id)
                await self._links.forget(guild_id, visit.id)
            return
        if event_id is not None:
            await port.edit(guild_id, event_id, spec)
            return
        await self._links.put(guild_id, visit.id, await port.create(guild_id, spec))

    async def resync(self, guild_id: int) -> int:
        """Brings every open visit's event in step; returns how many events exist now."""
        for visit in await self._desk.open_visits(guild_id):
            await self.visit_changed(guild_id, visit, deleted=False)
        return len(await self._links.all(guild_id))

    async def remove_all(self, guild_id: int) -> int:
        """Deletes every event Attaché made in the server; returns how many."""
        port = self._port
        count = 0
        for visit_id, event_id in (await self._links.all(guild_id)).items():
            if port is not None and port.serves(guild_id):
                try:
                    if await port.exists(guild_id, event_id):
                        await port.delete(guild_id, event_id)
                except EventRefused:
                    log.warning("guild %s: could not delete event %s", guild_id, event_id)
            await self._links.forget(guild_id, visit_id)
            count += 1
        return count

    async def switch(self, actor: Actor, on: bool) -> int:
        """/settings events on|off: the events that exist afterwards (on) or were removed."""
        removed = len(await self._links.all(actor.guild_id))
        await self._desk.update_settings(actor, events_enabled=on, events_problem=None)
        return len(await self._links.all(actor.guild_id)) if on else removed
