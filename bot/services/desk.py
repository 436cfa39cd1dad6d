"""DeskService: the one entry point commands use to read and change a server's records."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from bot.domain import registry
from bot.domain.errors import NotFoundError, UserError
from bot.domain.fuzzydate import zone_info
from bot.domain.records import (
    OPEN_VISIT_STATUSES,
    AuditEntry,
    GuildSettings,
    Person,
    Plan,
    Record,
    RecordType,
    Visit,
)
from bot.domain.registry import Line, spec_of
from bot.services.access import Actor, require_admin, require_editor
from bot.services.changes import ChangePipeline
from bot.services.lookup import RecordLookup
from bot.stores.briefs import BriefStore
from bot.stores.records import RecordFilter, RecordStore, SearchHit
from bot.stores.settings import GuildSettingsStore
from bot.stores.timelines import TimelineStore

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a list (of records, or of their Lines), and where it sits in the whole."""

    items: list[T]
    total: int
    offset: int
    size: int
    # Counting stopped here: `total` is then cap + 1, shown as "1,000+".
    cap: int | None = None

    @property
    def number(self) -> int:
        return self.offset // self.size + 1

    @property
    def more(self) -> bool:
        return self.cap is not None and self.total > self.cap

    @property
    def shown_total(self) -> int:
        return min(self.total, self.cap) if self.cap is not None else self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.shown_total // self.size))


class DeskService:
    def __init__(
        self,
        records: RecordStore,
        settings: GuildSettingsStore,
        changes: ChangePipeline,
        clock: Callable[[], datetime],
        *,
        briefs: BriefStore,
        timelines: TimelineStore,
    ) -> None:
        self._records = records
        self._settings = settings
        self._changes = changes
        self._clock = clock
        self._briefs = briefs
        self._timelines = timelines

    # --- settings -------------------------------------------------------------------------

    async def settings(self, guild_id: int) -> GuildSettings:
        """The server's settings as commands read them: kept in this process and forgotten
        when they change (GuildSettingsStore.cached), so a command pays no read for them.
        A change of settings starts from a fresh read (update_settings)."""
        return await self._settings.cached(guild_id)

    async def settings_afresh(self, guild_id: int) -> GuildSettings:
        """The server's settings read from the store, never the kept copy: what a change of
        settings starts from, so it cannot write back a copy another process has changed."""
        return await self._settings.get(guild_id)

    async def today(self, guild_id: int) -> date:
        """Today's date as the calendar reads in the server's time zone."""
        settings = await self._settings.cached(guild_id)
        return self.today_in(settings.timezone)

    def today_in(self, zone: str) -> date:
        """Today's date in `zone`, for a caller that has read the settings already."""
        return self._clock().astimezone(zone_info(zone)).date()

    async def open_visits(self, guild_id: int) -> list[Visit]:
        out: list[Visit] = []
        async for batch in self.open_visit_batches(guild_id, 500):
            out.extend(batch)
        return out

    async def open_visit_batches(self, guild_id: int, size: int) -> AsyncIterator[list[Visit]]:
        """The server's open visits in date order, `size` at a time, never all in memory."""
        async for batch in self.batches(guild_id, RecordType.VISIT,
                                        RecordFilter(statuses=OPEN_VISIT_STATUSES), size):
            visits = [v for v in batch if isinstance(v, Visit)]
            if visits:
                yield visits

    async def batches(
        self, guild_id: int, kind: RecordType, flt: RecordFilter | None, size: int
    ) -> AsyncIterator[list[Record]]:
        """Every record matching the filter in list order, `size` at a time (the filter's
        limit and offset are ignored).

        Their numbers are read once and the records loaded a batch at a time, so reading
        100,000 costs what they hold (paging with OFFSET would re-read every skipped row,
        quadratic over the list). A record changed after the numbers were read comes as it
        is now, and one deleted since is left out: callers re-check what they rely on.
        """
        numbers = await self._records.numbers(guild_id, kind, flt or RecordFilter())
        for start in range(0, len(numbers), size):
            found = await self._records.get_many(guild_id, kind, numbers[start:start + size])
            if found:
                yield found

    async def update_settings(self, actor: Actor, **changes: Any) -> GuildSettings:
        """An admin's change of settings; what depends on them (reminders, events) follows."""
        require_admin(actor)
        current = await self.settings_afresh(actor.guild_id)
        if "timezone" in changes:
            try:
                zone_info(changes["timezone"])
            except ValueError as exc:
                raise UserError(f"Not saved: {exc}.") from None
        return await self._changes.save_settings(replace(current, **changes))

    # --- writes ---------------------------------------------------------------------------

    async def add(self, actor: Actor, record: Record) -> Record:
        require_editor(actor, await self._settings.cached(actor.guild_id))
        return await self._changes.add(actor.guild_id, record, actor_id=actor.user_id)

    async def edit(self, actor: Actor, kind: RecordType, record_id: int, **changes: Any) -> Record:
        """Applies only the fields given; everything else stays as it was."""
        require_editor(actor, await self._settings.cached(actor.guild_id))
        current = await self._records.require(actor.guild_id, kind, record_id)
        if not changes:
            raise UserError("Nothing to change: give at least one field to edit.")
        return await self._changes.update(actor.guild_id, current, replace(current, **changes),
                                          actor_id=actor.user_id)

    async def delete(self, actor: Actor, kind: RecordType, record_id: int) -> Record:
        require_editor(actor, await self._settings.cached(actor.guild_id))
        return await self._changes.delete(actor.guild_id, kind, record_id,
                                          actor_id=actor.user_id)

    async def check_editor(self, actor: Actor) -> None:
        """Raises before a form is shown, so nobody fills one in only to be refused."""
        require_editor(actor, await self._settings.cached(actor.guild_id))

    def check_admin(self, actor: Actor) -> None:
        """Raises before slow work starts, so a refusal is immediate and private."""
        require_admin(actor)

    # --- reads ----------------------------------------------------------------------------

    async def get(self, guild_id: int, kind: RecordType, record_id: int) -> Record:
        return await self._records.require(guild_id, kind, record_id)

    async def find(self, guild_id: int, kind: RecordType, reference: str) -> Record:
        """A record named by #number, uid, exact title or name, or a unique word of it."""
        return await RecordLookup(self._records).find(guild_id, kind, reference)

    async def resolve_people(self, guild_id: int, text: str | None) -> list[tuple[Person, str]]:
        """Each 'Name (part)' entry matched to one stored person; all misses named at once."""
        return await RecordLookup(self._records).resolve_people(guild_id, text)

    async def page(
        self, guild_id: int, kind: RecordType, flt: RecordFilter | None = None, *,
        cap: int | None = None,
    ) -> Page[Record]:
        """One page; with `cap`, the total is counted only that far, so a page of a huge
        list costs what the page holds."""
        flt = flt or RecordFilter()
        items = await self._records.list_records(guild_id, kind, flt)
        total = await self._records.count(guild_id, kind, flt, cap=cap)
        return Page(items, total, flt.offset, flt.limit, cap)

    async def line_page(
        self, guild_id: int, kind: RecordType, flt: RecordFilter | None = None, *,
        cap: int | None = None, counted: bool = True,
    ) -> Page[Line]:
        """One page of what a list shows (Lines, with their linked people's names), counted
        as `page` counts, in one read. `counted=False` for a later page of a list whose
        total is known: its `total` is then -1."""
        flt = flt or RecordFilter()
        lines, total = await self._records.line_page(guild_id, kind, flt, cap=cap,
                                                     counted=counted)
        return Page(lines, -1 if total is None else total, flt.offset, flt.limit, cap)

    async def records_page(
        self, guild_id: int, kind: RecordType, flt: RecordFilter | None = None
    ) -> list[Record]:
        """One page of records, without counting the rest."""
        return await self._records.list_records(guild_id, kind, flt)

    async def count(
        self, guild_id: int, kind: RecordType, flt: RecordFilter | None = None, *,
        cap: int | None = None,
    ) -> int:
        return await self._records.count(guild_id, kind, flt, cap=cap)

    async def every(
        self, guild_id: int, kind: RecordType, flt: RecordFilter | None = None,
        *, chunk: int = 500,
    ) -> list[Record]:
        """Every record matching the filter, read `chunk` at a time (its limit and offset
        are ignored), for views that need the whole picture of a country."""
        out: list[Record] = []
        async for batch in self.batches(guild_id, kind, flt, chunk):
            out.extend(batch)
        return out

    async def get_many(self, guild_id: int, kind: RecordType, numbers: list[int]) -> list[Record]:
        """Records by number, in the order given, in one read."""
        return await self._records.get_many(guild_id, kind, numbers)

    async def by_uids(self, guild_id: int, kind: RecordType, uids: Iterable[str]) -> list[Record]:
        return await self._records.get_by_uids(guild_id, kind, uids)

    @property
    def briefs(self) -> BriefStore:
        """The briefing's own reads: counts, plans by status and held visits, each one
        statement (bot.services.briefing)."""
        return self._briefs

    @property
    def timelines(self) -> TimelineStore:
        """/timeline's light rows and counts, each lane bounded (bot.services.timeline)."""
        return self._timelines

    async def people(self, guild_id: int, uids: Iterable[str]) -> dict[str, Person]:
        """The people a set of records refers to, by uid, in one read."""
        found = await self._records.get_by_uids(guild_id, RecordType.PERSON, uids)
        return {p.uid: p for p in found if isinstance(p, Person)}

    async def linked(self, guild_id: int, kind: RecordType, uid: str | None) -> Record | None:
        if not uid:
            return None
        return await self._records.get_by_uid(guild_id, kind, uid)

    async def links(self, guild_id: int, records: Iterable[Record]) -> RecordLinks:
        """Everything the records point at, fetched once for rendering them together."""
        records = list(records)
        settings = await self._settings.cached(guild_id)
        out = RecordLinks(zone=settings.timezone,
                          people=await self.people(guild_id, people_of(records)))
        wanted: dict[RecordType, set[str]] = {}
        for record in records:
            for kind, uid in _links_of(record):
                wanted.setdefault(kind, set()).add(uid)
        for kind, uids in wanted.items():
            for found in await self._records.get_by_uids(guild_id, kind, uids):
                out.linked[(kind, found.uid)] = found
        if len(records) == 1 and isinstance(records[0], Visit):
            plans = await self._records.list_records(
                guild_id, RecordType.PLAN, RecordFilter(visit=records[0].uid, limit=25)
            )
            out.related_plans = [p for p in plans if isinstance(p, Plan)]
        return out

    async def suggest(self, guild_id: int, kind: RecordType, text: str) -> list[Record]:
        return await self._records.suggest(guild_id, kind, text, limit=25)

    async def suggest_lines(self, guild_id: int, kind: RecordType, text: str) -> list[Line]:
        """What `suggest` offers, as the Lines autocomplete shows, in one read."""
        return await self._records.suggest_lines(guild_id, kind, text, limit=25)

    async def search(
        self, guild_id: int, text: str, kinds: Iterable[RecordType] = ()
    ) -> list[SearchHit]:
        if not text.strip():
            raise UserError("Type at least one word to search for.")
        return await self._records.search(guild_id, text, kinds, limit=100)

    async def history(self, guild_id: int, kind: RecordType, record_id: int) -> list[AuditEntry]:
        entries = await self._records.history(guild_id, kind, record_id)
        if not entries:
            raise NotFoundError(f"There is no {spec_of(kind).noun} #{record_id} in this"
                                " server's history.")
        return entries


@dataclass
class RecordLinks:
    """What showing a record needs beyond it: its people, linked records, related plans."""

    zone: str = "UTC"
    people: dict[str, Person] = field(default_factory=dict)
    linked: dict[tuple[RecordType, str], Record] = field(default_factory=dict)
    related_plans: list[Plan] = field(default_factory=list)

    def link(self, kind: RecordType, uid: str | None) -> str | None:
        """'#12 Title' for a linked record, or the bare uid if it has gone."""
        if not uid:
            return None
        record = self.linked.get((kind, uid))
        return uid if record is None else f"#{record.id} {record.heading}"


def people_of(records: Iterable[Record]) -> set[str]:
    """Every person uid the records mention, for one batched lookup before rendering."""
    return {uid for record in records for uid in registry.people_of(record)}


def _links_of(record: Record) -> list[tuple[RecordType, str]]:
    """The records (other than people) a record points at."""
    return [(kind, uid) for _, kind, uid in registry.links_of(record)
            if kind is not RecordType.PERSON]
