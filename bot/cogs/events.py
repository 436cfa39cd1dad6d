"""Keeps each visit with a known day mirrored as an external event in the server's Events."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.cogs.base import DeskCog, actor_of
from bot.domain.records import Visit, VisitStatus
from bot.services.events import event_for
from bot.stores.settings import VisitEventStore
from bot.ui.render import NO_PINGS

if TYPE_CHECKING:
    from bot.bot import AttacheBot

log = logging.getLogger(__name__)

REFUSED = ("Discord refused to manage the server's Events: give the bot the Manage Events "
           "permission, then run /settings events on again.")


class EventsCog(DeskCog):
    def __init__(self, bot: AttacheBot) -> None:
        super().__init__(bot)
        self.links = VisitEventStore(bot.db)

    async def cog_load(self) -> None:
        self.desk.visit_listeners.append(self.visit_changed)

    async def cog_unload(self) -> None:
        self.desk.visit_listeners.remove(self.visit_changed)

    async def visit_changed(self, guild_id: int, before: Visit | None, after: Visit | None) -> None:
        settings = await self.desk.settings(guild_id)
        # After a refusal nothing is retried until an admin turns events on again.
        if not settings.events_enabled or settings.events_problem:
            return
        visit = after or before
        assert visit is not None
        try:
            await self._sync(guild_id, visit, deleted=after is None)
        except discord.Forbidden:
            await self.desk.record_events_problem(guild_id, REFUSED)
            log.warning("guild %s: Manage Events refused; event sync stopped", guild_id)
        except Exception:
            # A failed mirror must never undo or fail the visit change that caused it.
            log.exception("guild %s: could not sync the event of visit %s", guild_id, visit.id)

    async def _sync(self, guild_id: int, visit: Visit, *, deleted: bool) -> None:
        guild = self.bot.get_guild(guild_id)
        assert visit.id is not None
        if guild is None:
            return
        event_id = await self.links.get(guild_id, visit.id)
        event = await self._event(guild, event_id)
        spec = None
        if not deleted:
            links = await self.desk.links(guild_id, [visit])
            spec = event_for(visit, links.people, zone=links.zone, now=self.bot.clock())
        if spec is None:
            if event is not None:
                if visit.status is VisitStatus.CANCELLED and not deleted:
                    await event.cancel()
                else:
                    await event.delete()
            if event_id is not None:
                await self.links.forget(guild_id, visit.id)
            return
        if event is not None:
            await event.edit(name=spec.name, start_time=spec.start, end_time=spec.end,
                             location=spec.location, description=spec.description)
            return
        created = await guild.create_scheduled_event(
            name=spec.name, start_time=spec.start, end_time=spec.end, location=spec.location,
            description=spec.description, entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
        )
        await self.links.put(guild_id, visit.id, created.id)

    @staticmethod
    async def _event(guild: discord.Guild, event_id: int | None) -> discord.ScheduledEvent | None:
        if event_id is None:
            return None
        event = guild.get_scheduled_event(event_id)
        if event is not None:
            return event
        try:
            return await guild.fetch_scheduled_event(event_id)
        except discord.NotFound:
            return None  # someone deleted it by hand: a fresh one is created

    async def resync(self, guild_id: int) -> None:
        """Brings every open visit's event in step, e.g. after an import."""
        for visit in await self.desk.open_visits(guild_id):
            await self.visit_changed(guild_id, None, visit)

    async def switch(self, interaction: discord.Interaction, on: bool) -> None:
        """/settings events on|off: turning on syncs every open visit; off removes ours."""
        assert interaction.guild is not None
        guild = interaction.guild
        if on and not guild.me.guild_permissions.manage_events:
            await interaction.response.send_message(
                "Not switched on: the bot needs the Manage Events permission in this server.",
                ephemeral=True, allowed_mentions=NO_PINGS)
            return
        await self.desk.update_settings(actor_of(interaction), events_enabled=on,
                                        events_problem=None)
        await interaction.response.defer(thinking=True)
        count = 0
        if on:
            for visit in await self.desk.open_visits(guild.id):
                await self.visit_changed(guild.id, None, visit)
                count += await self.links.get(guild.id, visit.id or 0) is not None
            text = (f"Visits with a known day now appear in this server's Events "
                    f"({count} so far).")
        else:
            for visit_id, event_id in (await self.links.all(guild.id)).items():
                event = await self._event(guild, event_id)
                if event is not None:
                    await event.delete()
                await self.links.forget(guild.id, visit_id)
                count += 1
            text = f"Events are off; {count} event(s) created by Attaché were removed."
        await interaction.followup.send(text, allowed_mentions=NO_PINGS)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(EventsCog(bot))
