"""GuildSettingsStore: per-server preferences, with the bot's defaults until changed."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.records import GuildSettings
from bot.stores.database import Database

_COLUMNS = (
    "timezone", "day_first", "editor_role_id", "reminder_channel_id", "reminder_leads",
    "reminder_role_id", "reminders_paused", "reminder_problem",
)


class GuildSettingsStore:
    def __init__(self, db: Database, default_timezone: str = "UTC") -> None:
        self._db = db
        self._default_timezone = default_timezone

    async def get(self, guild_id: int) -> GuildSettings:
        async with self._db.read() as conn, conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM guild_settings WHERE guild_id = ?", (guild_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return GuildSettings(guild_id=guild_id, timezone=self._default_timezone)
        values = {name: row[name] for name in _COLUMNS}
        values["day_first"] = bool(values["day_first"])
        values["reminders_paused"] = bool(values["reminders_paused"])
        return GuildSettings(guild_id=guild_id, **values)

    async def with_reminder_channel(self) -> list[GuildSettings]:
        """Every server that has chosen a reminder channel, paused or not."""
        async with self._db.read() as conn, conn.execute(
            "SELECT guild_id FROM guild_settings WHERE reminder_channel_id IS NOT NULL"
        ) as cur:
            ids = [int(row[0]) for row in await cur.fetchall()]
        return [await self.get(guild_id) for guild_id in ids]

    async def save(self, settings: GuildSettings) -> GuildSettings:
        values = [getattr(settings, name) for name in _COLUMNS]
        names = ", ".join(_COLUMNS)
        marks = ", ".join("?" for _ in _COLUMNS)
        updates = ", ".join(f"{name} = excluded.{name}" for name in _COLUMNS)
        async with self._db.transaction() as conn:
            await conn.execute(
                f"INSERT INTO guild_settings (guild_id, {names}) VALUES (?, {marks})"
                f" ON CONFLICT (guild_id) DO UPDATE SET {updates}",
                (settings.guild_id, *values),
            )
        return replace(settings)
