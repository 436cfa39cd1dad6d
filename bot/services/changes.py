"""ChangePipeline: the one place every write ends, and the one owner of what follows it.

Commands, `/import`, the CLI import, an ingest save and settings changes all write through
here. The store commits the record and its audit row in one transaction; then each
subscriber (reminders, Discord events) is told what changed. A subscriber's failure is
logged and never raised: the write is committed and the reply must say so, and start-up
reconciliation repairs whatever a subscriber missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from bot.domain.errors import UserError
from bot.domain.interchange import Bundle, RowInvalid, record_from_dict, record_to_dict
from bot.domain.records import GuildSettings, Record, RecordType, new_uid
from bot.domain.registry import spec_of
from bot.services.records import clean_record
from bot.stores.imports import ImportOptions
from bot.stores.records import ImportCounts, RecordStore
from bot.stores.settings import GuildSettingsStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordChange:
    """One committed change: `before` is None for a new record, `after` for a deleted one."""

    kind: RecordType
    before: Record | None
    after: Record | None
    # True when the change came in bulk (an import or an ingest save), not one edit.
    bulk: bool = False

    @property
    def current(self) -> Record:
        found = self.after or self.before
        assert found is not None
        return found


class ChangeSubscriber(Protocol):
    async def records_changed(self, guild_id: int, changes: Sequence[RecordChange]) -> None: ...

    async def settings_changed(
        self, guild_id: int, before: GuildSettings, after: GuildSettings
    ) -> None: ...


def validate(record: Record) -> Record:
    """The one validator: a record typed in, imported or saved from a review obeys the same
    rules, because all of them are read through the interchange reader."""
    kind = spec_of(record).type
    try:
        checked = record_from_dict(kind, record_to_dict(replace(record, uid=record.uid or "-")))
    except RowInvalid as exc:
        raise UserError(f"Not saved: {'; '.join(exc.problems)}.") from None
    return replace(checked, id=record.id, uid=record.uid)


class ChangePipeline:
    def __init__(
        self, records: RecordStore, settings: GuildSettingsStore, clock: Callable[[], datetime]
    ) -> None:
        self._records = records
        self._settings = settings
        self._clock = clock
        self._subscribers: list[ChangeSubscriber] = []

    @property
    def records(self) -> RecordStore:
        """For reads that a write depends on (e.g. which uids an import may refer to)."""
        return self._records

    def subscribe(self, subscriber: ChangeSubscriber) -> None:
        self._subscribers.append(subscriber)

    def unsubscribe(self, subscriber: ChangeSubscriber) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    # --- records ----------------------------------------------------------------------

    async def add(self, guild_id: int, record: Record, *, actor_id: int | None) -> Record:
        if not record.uid:
            record = replace(record, uid=new_uid(spec_of(record).type))
        record = validate(clean_record(record))
        saved = await self._records.add(guild_id, record, actor_id=actor_id)
        await self._told(guild_id, [RecordChange(spec_of(saved).type, None, saved)])
        return saved

    async def update(
        self, guild_id: int, before: Record, after: Record, *, actor_id: int | None
    ) -> Record:
        record = validate(clean_record(after))
        saved = await self._records.update(guild_id, record, actor_id=actor_id)
        await self._told(guild_id, [RecordChange(spec_of(saved).type, before, saved)])
        return saved

    async def delete(
        self, guild_id: int, kind: RecordType, number: int, *, actor_id: int | None
    ) -> Record:
        deleted = await self._records.delete(guild_id, kind, number, actor_id=actor_id)
        await self._told(guild_id, [RecordChange(kind, deleted, None)])
        return deleted

    async def import_bundle(
        self, guild_id: int, bundle: Bundle, *, actor_id: int | None,
        expected: Mapping[tuple[RecordType, str], dict[str, Any] | None] | None = None,
        options: ImportOptions | None = None,
    ) -> ImportCounts:
        """A validated bundle, written all or nothing (a big one in journalled batches, see
        bot/stores/imports.py), then one notice of every change. `expected`: see
        RecordStore.import_bundle (refused whole if those records changed)."""
        counts, written = await self._records.import_bundle(guild_id, bundle, actor_id=actor_id,
                                                            expected=expected, options=options)
        await self._told(guild_id, [
            RecordChange(spec_of(after).type, before, after, bulk=True)
            for before, after in written
        ])
        return counts

    # --- settings ---------------------------------------------------------------------

    async def save_settings(self, updated: GuildSettings) -> GuildSettings:
        before = await self._settings.get(updated.guild_id)
        saved = await self._settings.save(updated)
        if saved != before:
            for subscriber in list(self._subscribers):
                try:
                    await subscriber.settings_changed(updated.guild_id, before, saved)
                except Exception:
                    log.exception("guild %s: %s missed a settings change; reconciled at start",
                                  updated.guild_id, type(subscriber).__name__)
        return saved

    async def _told(self, guild_id: int, changes: list[RecordChange]) -> None:
        if not changes:
            return
        for subscriber in list(self._subscribers):
            try:
                await subscriber.records_changed(guild_id, changes)
            except Exception:
                # The write is committed: its reply must stand. What the subscriber missed
                # is repaired by reconciliation at the next start.
                log.exception("guild %s: %s missed %d change(s); reconciled at start",
                              guild_id, type(subscriber).__name__, len(changes))
