"""/help: what Attaché does, the commands by task, and how dates and countries are read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui.help import TOPICS, help_embed, topic_named
from bot.ui.render import NO_PINGS

if TYPE_CHECKING:
    from bot.bot import AttacheBot

TOPIC_CHOICES = [app_commands.Choice(name=t.title, value=t.key) for t in TOPICS]


class HelpCog(commands.Cog):
    def __init__(self, bot: AttacheBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What Attaché does, and how to use it")
    @app_commands.guild_only()
    @app_commands.describe(topic="One subject in more detail (leave empty for the overview)")
    @app_commands.choices(topic=TOPIC_CHOICES)
    async def help(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        # Private: help is for the one who asked, and keeps the channel clear.
        await interaction.response.send_message(
            embed=help_embed(topic_named(topic)), ephemeral=True, allowed_mentions=NO_PINGS)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(HelpCog(bot))
