"""/digest: the week ahead, posted on a schedule in the reminder channel, or shown now."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import DeskCog, actor_of
from bot.services.digest import DigestService, parse_time, parse_weekday
from bot.ui.digest import digest_message, schedule_text
from bot.ui.render import CONTENT_LIMIT, NO_PINGS, clip

if TYPE_CHECKING:
    from bot.bot import AttacheBot

Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                  "Sunday"]


@app_commands.guild_only()
class DigestCog(DeskCog, commands.GroupCog, group_name="digest",
                group_description="The week ahead: visits, signings and follow-ups due"):
    @property
    def digest(self) -> DigestService:
        return self.bot.services.digest

    async def _schedule_reply(self, interaction: discord.Interaction, head: str) -> None:
        assert interaction.guild_id is not None
        schedule, next_at = (await self.digest.preview(interaction.guild_id))[1:]
        zone = (await self.desk.settings(interaction.guild_id)).timezone
        await interaction.response.send_message(
            f"{head} {schedule_text(schedule, zone, next_at)}".strip(),
            allowed_mentions=NO_PINGS)

    @app_commands.command(name="schedule",
                          description="Post the week ahead every week (default Monday 08:00)")
    @app_commands.describe(
        day="The day of the week (default: Monday, or the day already set)",
        time="The time of day in the server's zone, e.g. 08:00 (default: 08:00)",
    )
    async def schedule(self, interaction: discord.Interaction, day: Weekday | None = None,
                       time: app_commands.Range[str, 1, 5] | None = None) -> None:
        actor = actor_of(interaction)
        self.desk.check_admin(actor)  # refused before the options are read, like any setting
        await self.digest.set_schedule(
            actor, weekday=parse_weekday(day) if day else None,
            at=parse_time(time) if time else None)
        await self._schedule_reply(interaction, "Digest on.")

    @app_commands.command(name="off", description="Stop posting the weekly digest")
    async def off(self, interaction: discord.Interaction) -> None:
        await self.digest.turn_off(actor_of(interaction))
        await interaction.response.send_message(
            "The weekly digest is off. /digest preview still shows the week ahead.",
            allowed_mentions=NO_PINGS)

    @app_commands.command(name="skip-empty",
                          description="Whether a week with nothing in it posts a line")
    @app_commands.describe(setting="on: post nothing in an empty week; off: post one line")
    async def skip_empty(self, interaction: discord.Interaction,
                         setting: Literal["on", "off"]) -> None:
        await self.digest.set_skip_empty(actor_of(interaction), setting == "on")
        head = ("Empty weeks will post nothing." if setting == "on"
                else "An empty week will post one line.")
        await self._schedule_reply(interaction, head)

    @app_commands.command(name="preview", description="The week ahead as it stands now")
    async def preview(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        digest, schedule, next_at = await self.digest.preview(interaction.guild_id)
        zone = (await self.desk.settings(interaction.guild_id)).timezone
        content, embeds = digest_message(digest)
        await interaction.response.send_message(
            clip(f"{content}\n-# {schedule_text(schedule, zone, next_at)}", CONTENT_LIMIT),
            embeds=embeds, ephemeral=True, allowed_mentions=NO_PINGS)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(DigestCog(bot))
