"""The Discord side of event syncing: scheduled events made, edited and removed on request.

The rules (which visits get an event, when to sync) live in services/events.py; this adapter
only speaks to Discord, and the change pipeline reaches it through that service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.services.events import EventRefused, EventSpec

if TYPE_CHECKING:
    from bot.bot import AttacheBot


class DiscordEvents:
    """EventPort over discord.py: every call names the server and the event by id."""

    def __init__(self, bot: AttacheBot) -> None:
        self.bot = bot

    def serves(self, guild_id: int) -> bool:
        return self.bot.get_guild(guild_id) is not None

    def _guild(self, guild_id: int) -> discord.Guild:
        guild = self.bot.get_guild(guild_id)
        assert guild is not None
        return guild

    async def _event(self, guild_id: int, event_id: int) -> discord.ScheduledEvent | None:
        guild = self._guild(guild_id)
        event = guild.get_scheduled_event(event_id)
        if event is not None:
            return event
        try:
            return await guild.fetch_scheduled_event(event_id)
        except discord.NotFound:
            return None
        except discord.Forbidden as exc:
            raise EventRefused(str(exc)) from exc

    async def exists(self, guild_id: int, event_id: int) -> bool:
        return await self._event(guild_id, event_id) is not None

    async def create(self, guild_id: int, spec: EventSpec) -> int:
        try:
            created = await self._guild(guild_id).create_scheduled_event(
                name=spec.name, start_time=spec.start, end_time=spec.end,
                location=spec.location, description=spec.description,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
            )
        except discord.Forbidden as exc:
            raise EventRefused(str(exc)) from exc
        return created.id

    async def edit(self, guild_id: int, event_id: int, spec: EventSpec) -> None:
        event = await self._event(guild_id, event_id)
        if event is None:
            return
        try:
            await event.edit(name=spec.name, start_time=spec.start, end_time=spec.end,
                             location=spec.location, description=spec.description)
        except discord.Forbidden as exc:
            raise EventRefused(str(exc)) from exc

    async def cancel(self, guild_id: int, event_id: int) -> None:
        event = await self._event(guild_id, event_id)
        if event is not None:
            try:
                await event.cancel()
            except discord.Forbidden as exc:
                raise EventRefused(str(exc)) from exc

    async def delete(self, guild_id: int, event_id: int) -> None:
        event = await self._event(guild_id, event_id)
        if event is not None:
            try:
                await event.delete()
            except discord.Forbidden as exc:
                raise EventRefused(str(exc)) from exc


class EventsCog(commands.Cog):
    """Attaches the Discord adapter to the event service while the extension is loaded."""

    def __init__(self, bot: AttacheBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.services.events.attach(DiscordEvents(self.bot))

    async def cog_unload(self) -> None:
        self.bot.services.events.attach(None)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(EventsCog(bot))
