"""The set-up checklist, once per server, where an admin will see it: when the bot joins, or
at start-up for a server it joined while offline and nobody has set up."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.domain.markup import escape_line
from bot.ui.channels import admin_channels
from bot.ui.onboarding import setup_embed
from bot.ui.render import NO_PINGS

if TYPE_CHECKING:
    from bot.bot import AttacheBot

log = logging.getLogger(__name__)


class OnboardingCog(commands.Cog):
    def __init__(self, bot: AttacheBot) -> None:
        self.bot = bot
        self.setup = bot.services.setup

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        # A re-join finds the post remembered and says nothing again: the server's
        # settings survived the bot's absence, and /settings show still lists what is unset.
        await self.post_setup(guild)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Servers joined while the bot was offline arrive with the others at start-up, as
        no join: each one never set up, never used and never greeted gets the checklist.
        on_ready comes again after a reconnect; the stored claim keeps it to one post."""
        guilds = {guild.id: guild for guild in self.bot.guilds}
        try:
            owed = await self.setup.owed_at_start(list(guilds))
        except Exception:
            log.exception("could not check the servers for set-up messages owed")
            return
        for guild_id in owed:
            try:
                await self.post_setup(guilds[guild_id])
            except Exception:
                # One server's failure never keeps the others from theirs.
                log.exception("could not post the set-up message in guild %s", guild_id)

    async def post_setup(self, guild: discord.Guild) -> bool:
        """Posts the set-up checklist unless it went out before, in the first place admins
        read that takes it: the system channel or an admin channel, else (a server with no
        such channel yet) a direct message to the owner. True when it was posted now; with
        nowhere to post, it stays owed."""
        claimed = await self.setup.claim(guild.id)
        if claimed is None:
            return False
        settings = await self.bot.desk.settings(guild.id)
        embed = setup_embed(settings, default_zone=self.bot.settings.default_timezone)
        for channel in admin_channels(guild, 0, reminder_channel=False):
            try:
                await channel.send(embed=embed, allowed_mentions=NO_PINGS)
                return True
            except discord.HTTPException:
                continue
        try:
            owner = guild.owner or await self.bot.fetch_user(guild.owner_id or 0)
            await owner.send(content=f"Attaché was added to {escape_line(guild.name)}.",
                             embed=embed,
                             allowed_mentions=NO_PINGS)
            return True
        except discord.HTTPException:
            log.warning("no place to post the set-up message in guild %s", guild.id)
        await self.setup.release(guild.id, claimed)
        return False


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(OnboardingCog(bot))
