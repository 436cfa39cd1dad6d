"""/timeline: a picture of engagements with one country over time, as a PNG attachment."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.cogs.base import DeskCog, answer_in_time, understood
from bot.services.timeline import Timeline, attachment_name, build_timeline, render_timeline
from bot.ui.render import NO_PINGS, clip
from bot.ui.transformers import CountryOption, DateOption

if TYPE_CHECKING:
    from bot.bot import AttacheBot

# Discord's limit on an attachment's description (its alt text).
ALT_TEXT_LIMIT = 1024


async def send_timeline(
    interaction: discord.Interaction, build: Awaitable[Timeline], *, note: str = ""
) -> None:
    """Answers with the picture; drawing runs in a thread so the bot keeps answering others.

    Reading the records is bounded and usually quick, so a refusal ("nothing to draw")
    still comes privately; should it take longer, the answer is deferred in time. Drawing
    is always deferred first: the first picture also pays for importing matplotlib, which
    can take longer than the three seconds Discord waits for an answer.
    """
    timeline = await answer_in_time(interaction, build)
    if not interaction.response.is_done():
        await interaction.response.defer(thinking=True)
    png = await asyncio.to_thread(render_timeline, timeline)
    picture = discord.File(
        io.BytesIO(png), filename=attachment_name("timeline", timeline.country, "png"),
        # The alt text says what the picture leaves out, as its own heading does.
        description=clip(". ".join(filter(None, (timeline.title, timeline.not_drawn))),
                         ALT_TEXT_LIMIT),
    )
    await interaction.edit_original_response(
        content=note or None, attachments=[picture], allowed_mentions=NO_PINGS
    )


class TimelineCog(DeskCog):
    @app_commands.command(
        name="timeline", description="A picture of meetings, signings and visits over time"
    )
    @app_commands.guild_only()
    @app_commands.describe(
        country="The country: a name, code or adjective (Kazakhstan, KZ, Kazakh)",
        since="Draw from this date on: 2024, March 2025… (default: the earliest record)",
    )
    async def timeline(
        self,
        interaction: discord.Interaction,
        country: CountryOption,
        since: DateOption | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        await send_timeline(interaction, build_timeline(
            self.desk, interaction.guild_id, country, since=since.date if since else None,
        ), note=understood("Since", since))


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(TimelineCog(bot))
