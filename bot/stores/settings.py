"""GuildSettingsStore: per-server preferences, with the bot's defaults until changed."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.domain.records import GuildSettings
from bot.stores.database import COMMAND_WAIT_S, Database
from bot.stores.scope import ALL, Scope

_COLUMNS = (
    "timezone", "day_first", "editor_role_id", "reminder_channel_id", "reminder_leads",
    "reminder_role_id", "reminders_paused", "reminder_problem", "events_enabled",
    "events_problem",
)
# Written only by claim_setup and release_setup, never by save(): a settings change read
# before the checklist went out must not mark it owed again, nor one read after repeat it.
_SETUP = "setup_posted_at"
# How long `cached` trusts what it read. Every write of this process (save, the set-up claim)
# forgets the server's entry at once, so a command after `/settings` always sees the change.
# Another process writes a server's settings only rarely: shards serve disjoint servers,
# and none of the command-line tools (import, export, backup, check, migrate-store) writes
# settings, but a shard that takes over another's lapsed reminder claims may record a
# delivery problem of its server. Its change shows here within this bound, one read per
# server per period, instead of one read per command.
CACHE_S = 10.0


class GuildSettingsStore:
    def __init__(
        self, db: Database, default_timezone: str = "UTC", scope: Scope = ALL, *,
        monotonic: Callable[[], float] = time.monotonic, cache_s: float = CACHE_S,
    ) -> None:
        self._db = db
        self._default_timezone = default_timezone
        # Background work (reminders, questions) walks only this process's servers.
        self._scope = scope
        self._monotonic = monotonic
        self._cache_s = cache_s
        # guild → (when read, settings); and each guild's count of writes, so a read that
        # began before a write and ends after it is not kept (it may hold the old values).
        self._cache: dict[int, tuple[float, GuildSettings]] = {}
        self._writes: dict[int, int] = {}

    async def cached(self, guild_id: int) -> GuildSettings:
        """The server's settings as a command reads them: kept in this process for up to
        CACHE_S (see there), forgotten at once when this process changes them. For what a
        command shows or checks; a change of settings reads them afresh with `get`."""
        now = self._monotonic()
        kept = self._cache.get(guild_id)
        if kept is not None and now - kept[0] < self._cache_s:
            return replace(kept[1])  # a copy: a caller's change never reaches the cache
        writes = self._writes.get(guild_id, 0)
        found = await self.get(guild_id)
        if self._writes.get(guild_id, 0) == writes:
            if len(self._cache) >= _CACHED_MAX:
                self._cache.clear()  # rarely reached; a few reads refill what is in use
            self._cache[guild_id] = (now, replace(found))
        return found

    def forget(self, guild_id: int) -> None:
        """Drops what `cached` keeps of a server, before and after any write of it."""
        self._writes[guild_id] = self._writes.get(guild_id, 0) + 1
        self._cache.pop(guild_id, None)

    @asynccontextmanager
    async def _forgetting(self, guild_id: int) -> AsyncIterator[None]:
        """Around a write: the cache forgets the server before it starts (a read under way
        is then not kept) and again once it is over, committed or not."""
        self.forget(guild_id)
        try:
            yield
        finally:
            self.forget(guild_id)

    async def get(self, guild_id: int) -> GuildSettings:
        async with self._db.read() as conn, conn.execute(
            f"SELECT {', '.join(_COLUMNS)}, {_SETUP} FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return GuildSettings(guild_id=guild_id, timezone=self._default_timezone)
        return self._from_row(guild_id, row)

    @staticmethod
    def _from_row(guild_id: int, row: Any) -> GuildSettings:
        values = {name: row[name] for name in _COLUMNS}
        values["day_first"] = bool(values["day_first"])
        values["reminders_paused"] = bool(values["reminders_paused"])
        values["events_enabled"] = bool(values["events_enabled"])
        return GuildSettings(guild_id=guild_id, **values, setup_posted_at=_instant(row[_SETUP]))

    async def get_many(self, guild_ids: Sequence[int]) -> dict[int, GuildSettings]:
        """Each server's settings (the defaults for one never stored), 500 ids a query, so
        a start-up looking at thousands of servers reads them in a few queries."""
        found: dict[int, GuildSettings] = {}
        ids = [int(g) for g in guild_ids]
        for at in range(0, len(ids), 500):
            chunk = ids[at:at + 500]
            marks = ", ".join("?" for _ in chunk)
            async with self._db.read() as conn, conn.execute(
                f"SELECT guild_id, {', '.join(_COLUMNS)}, {_SETUP} FROM guild_settings"
                f" WHERE guild_id IN ({marks})", chunk,
            ) as cur:
                for row in await cur.fetchall():
                    found[int(row["guild_id"])] = self._from_row(int(row["guild_id"]), row)
        return {g: found.get(g) or GuildSettings(guild_id=g, timezone=self._default_timezone)
                for g in ids}

    async def claim_setup(self, guild_id: int, at: datetime) -> bool:
        """Marks the set-up checklist as posted at `at`, unless it already was: True for the
        one caller that may post it, however many events (a join, a start-up, a restart)
        ask at once. A server without settings yet gets its row, with the bot's default zone.
        """
        stamp = _stamp(at)
        async with self._forgetting(guild_id), self._db.transaction() as conn, conn.execute(
            f"INSERT INTO guild_settings (guild_id, timezone, {_SETUP}) VALUES (?, ?, ?)"
            f" ON CONFLICT (guild_id) DO UPDATE SET {_SETUP} = excluded.{_SETUP}"
            f" WHERE guild_settings.{_SETUP} IS NULL RETURNING guild_id",
            (guild_id, self._default_timezone, stamp),
        ) as cur:
            claimed = await cur.fetchone()
        return claimed is not None

    async def release_setup(self, guild_id: int, at: datetime) -> None:
        """The claim made at `at` is given back (no place took the post): still owed."""
        async with self._forgetting(guild_id), self._db.transaction() as conn:
            await conn.execute(
                f"UPDATE guild_settings SET {_SETUP} = NULL WHERE guild_id = ? AND {_SETUP} = ?",
                (guild_id, _stamp(at)),
            )

    async def with_reminder_channel(self) -> list[GuildSettings]:
        """Every server of this process's scope that has chosen a reminder channel, paused
        or not."""
        async with self._db.read() as conn, conn.execute(
            "SELECT guild_id FROM guild_settings WHERE reminder_channel_id IS NOT NULL"
            f" AND {self._scope.sql()}"
        ) as cur:
            ids = [int(row[0]) for row in await cur.fetchall()]
        return [await self.get(guild_id) for guild_id in ids]

    async def save(self, settings: GuildSettings) -> GuildSettings:
        values = [getattr(settings, name) for name in _COLUMNS]
        names = ", ".join(_COLUMNS)
        marks = ", ".join("?" for _ in _COLUMNS)
        updates = ", ".join(f"{name} = excluded.{name}" for name in _COLUMNS)
        async with self._forgetting(settings.guild_id), \
                self._db.transaction(wait=COMMAND_WAIT_S) as conn:
            await conn.execute(
                f"INSERT INTO guild_settings (guild_id, {names}) VALUES (?, {marks})"
                f" ON CONFLICT (guild_id) DO UPDATE SET {updates}",
                (settings.guild_id, *values),
            )
        return replace(settings)


# Servers whose settings one process keeps at most (a few hundred bytes each).
_CACHED_MAX = 10_000


def _stamp(at: datetime) -> str:
    """ISO UTC text, to the microsecond, as the column stores it."""
    if at.tzinfo is None:
        raise ValueError("the instant must be timezone-aware")
    return at.astimezone(UTC).isoformat()


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


class VisitEventStore:
    """Which Discord scheduled event mirrors which visit."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, guild_id: int, visit_id: int) -> int | None:
        async with self._db.read() as conn, conn.execute(
            "SELECT event_id FROM visit_events WHERE guild_id = ? AND visit_id = ?",
            (guild_id, visit_id),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def put(self, guild_id: int, visit_id: int, event_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO visit_events (visit_id, guild_id, event_id) VALUES (?, ?, ?)"
                " ON CONFLICT (guild_id, visit_id) DO UPDATE SET event_id = excluded.event_id",
                (visit_id, guild_id, event_id),
            )

    async def forget(self, guild_id: int, visit_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM visit_events WHERE guild_id = ? AND visit_id = ?",
                (guild_id, visit_id),
            )

    async def all(self, guild_id: int) -> dict[int, int]:
        async with self._db.read() as conn, conn.execute(
            "SELECT visit_id, event_id FROM visit_events WHERE guild_id = ?", (guild_id,)
        ) as cur:
            return {int(r[0]): int(r[1]) for r in await cur.fetchall()}
