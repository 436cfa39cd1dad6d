"""GuildSettingsStore: per-server preferences, with the bot's defaults until changed."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.records import GuildSettings
from bot.stores.database import Database


class GuildSettingsStore:
    def __init__(self, db: Database, default_timezone: str = "UTC") -> None:
        self._db = db
        self._default_timezone = default_timezone

    async def get(self, guild_id: int) -> GuildSettings:
        async with self._db.read() as conn, conn.execute(
            "SELECT timezone, day_first, editor_role_id FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return GuildSettings(guild_id=guild_id, timezone=self._default_timezone)
        return GuildSettings(
            guild_id=guild_id,
            timezone=row["timezone"],
            day_first=bool(row["day_first"]),
            editor_role_id=row["editor_role_id"],
        )

    async def save(self, settings: GuildSettings) -> GuildSettings:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO guild_settings (guild_id, timezone, day_first, editor_role_id)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
                " timezone = excluded.timezone, day_first = excluded.day_first,"
                " editor_role_id = excluded.editor_role_id",
                (settings.guild_id, settings.timezone, int(settings.day_first),
                 settings.editor_role_id),
            )
        return replace(settings)
