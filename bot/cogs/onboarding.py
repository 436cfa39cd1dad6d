"""When the bot joins a server: one set-up message where an admin will see it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.cogs.reminders import admin_channels
from bot.domain.markup import escape_line
from bot.ui.onboarding import setup_embed
from bot.ui.render import NO_PINGS

if TYPE_CHECKING:
    from bot.bot import AttacheBot

log = logging.getLogger(__name__)


class OnboardingCog(commands.Cog):
    def __init__(self, bot: AttacheBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.post_setup(guild)

    async def post_setup(self, guild: discord.Guild) -> None:
        """Posts the set-up checklist once, in the first place admins read that takes it:
        the system channel or an admin channel, else (a server with no such channel yet)
        a direct message to the owner."""
        settings = await self.bot.desk.settings(guild.id)
        embed = setup_embed(settings, default_zone=self.bot.settings.default_timezone)
        for channel in admin_channels(guild, 0, reminder_channel=False):
            try:
                await channel.send(embed=embed, allowed_mentions=NO_PINGS)
                return
            except discord.HTTPException:
                continue
        try:
            owner = guild.owner or await self.bot.fetch_user(guild.owner_id or 0)
            await owner.send(content=f"Attaché was added to {escape_line(guild.name)}.",
                             embed=embed,
                             allowed_mentions=NO_PINGS)
        except discord.HTTPException:
            log.warning("no place to post the set-up message in guild %s", guild.id)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(OnboardingCog(bot))
