"""Small per-server preferences beside the settings: who asked to be pinged, the digest's
schedule, and the countries a server's records follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot.stores.database import Database
from bot.stores.scope import ALL, Scope


class OptInStore:
    """Members who turned /reminders notify-me on: reminders about what they own ping them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def choose(self, guild_id: int, user_id: int, on: bool) -> None:
        async with self._db.transaction() as conn:
            if on:
                await conn.execute(
                    "INSERT INTO reminder_optins (guild_id, user_id) VALUES (?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (guild_id, user_id))
            else:
                await conn.execute(
                    "DELETE FROM reminder_optins WHERE guild_id = ? AND user_id = ?",
                    (guild_id, user_id))

    async def members(self, guild_id: int) -> set[int]:
        async with self._db.read() as conn, conn.execute(
            "SELECT user_id FROM reminder_optins WHERE guild_id = ?", (guild_id,)
        ) as cur:
            return {int(row[0]) for row in await cur.fetchall()}


@dataclass(frozen=True)
class DigestSchedule:
    """When a server's weekly digest goes out; off until an admin schedules it."""

    guild_id: int
    enabled: bool = False
    weekday: int = 0  # Monday
    at: time = time(8, 0)
    skip_empty: bool = False


class DigestStore:
    def __init__(self, db: Database, scope: Scope = ALL) -> None:
        self._db = db
        self._scope = scope

    async def get(self, guild_id: int) -> DigestSchedule:
        async with self._db.read() as conn, conn.execute(
            "SELECT enabled, weekday, at, skip_empty FROM digest_settings WHERE guild_id = ?",
            (guild_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return DigestSchedule(guild_id)
        return DigestSchedule(guild_id, bool(row[0]), int(row[1]), time.fromisoformat(row[2]),
                              bool(row[3]))

    async def save(self, schedule: DigestSchedule) -> DigestSchedule:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO digest_settings (guild_id, enabled, weekday, at, skip_empty)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
                " enabled = excluded.enabled, weekday = excluded.weekday, at = excluded.at,"
                " skip_empty = excluded.skip_empty",
                (schedule.guild_id, int(schedule.enabled), schedule.weekday,
                 schedule.at.strftime("%H:%M"), int(schedule.skip_empty)),
            )
        return schedule

    async def enabled(self) -> list[DigestSchedule]:
        """Every server of this process's scope whose digest is on."""
        async with self._db.read() as conn, conn.execute(
            f"SELECT guild_id FROM digest_settings WHERE enabled = 1 AND {self._scope.sql()}"
        ) as cur:
            ids = [int(row[0]) for row in await cur.fetchall()]
        return [await self.get(guild_id) for guild_id in ids]

    async def countries(self, guild_id: int) -> list[str]:
        """Every country the server's visits, meetings and plans name: what it follows."""
        async with self._db.read() as conn, conn.execute(
            "SELECT DISTINCT country FROM record_countries WHERE guild_id = ?"
            " AND record_type IN ('visit', 'meeting', 'plan')",
            (guild_id,),
        ) as cur:
            found = [str(row[0]) for row in await cur.fetchall()]
        # One name per country whatever its case, in the same order on every backend.
        unique = {name.casefold(): name for name in sorted(found, reverse=True)}
        return sorted(unique.values(), key=lambda name: (name.casefold(), name))
