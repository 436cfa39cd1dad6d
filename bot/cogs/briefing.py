"""/briefing: where things stand with one country, in one reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.cogs.base import DeskCog, understood
from bot.services.briefing import build_briefing
from bot.ui.render import NO_PINGS, briefing_embeds, briefing_empty
from bot.ui.transformers import CountryOption, DateOption

if TYPE_CHECKING:
    from bot.bot import AttacheBot


class BriefingCog(DeskCog):
    @app_commands.command(name="briefing", description="Where we stand with a country")
    @app_commands.guild_only()
    @app_commands.describe(
        country="The country: a name, code or adjective (Kazakhstan, KZ, Kazakh)",
        since="Count and list from this date on: 2024, March 2025… (default: the last 12 months)",
    )
    async def briefing(
        self,
        interaction: discord.Interaction,
        country: CountryOption,
        since: DateOption | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        result = await build_briefing(
            self.desk, interaction.guild_id, country, since=since.date.start if since else None
        )
        if result.is_empty:
            await interaction.response.send_message(
                briefing_empty(result), allowed_mentions=NO_PINGS
            )
            return
        await interaction.response.send_message(
            content=understood("Since", since) or None, embeds=briefing_embeds(result),
            allowed_mentions=NO_PINGS,
        )


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(BriefingCog(bot))
