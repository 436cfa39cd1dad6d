"""/export and /import: a server's records as a file to download, and a JSON file to load."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.cogs.base import DeskCog, actor_of
from bot.services.exports import (
    MAX_IMPORT_BYTES,
    ExportFormat,
    TransferService,
    rejection_text,
    too_large_text,
)
from bot.services.interchange import ImportRejected
from bot.ui.render import NO_PINGS, clip
from bot.ui.transformers import CountryOption

if TYPE_CHECKING:
    from bot.bot import AttacheBot

FORMAT_CHOICES = [
    app_commands.Choice(name="JSON: every field, can be imported again", value="json"),
    app_commands.Choice(name="CSV: one table per record type, zipped", value="csv"),
    app_commands.Choice(name="Calendar (.ics): the visits, with reminders", value="ics"),
    app_commands.Choice(name="Markdown: a readable digest, or a country's brief", value="markdown"),
]
MESSAGE_LIMIT = 2000


class TransferCog(DeskCog):
    @property
    def transfer(self) -> TransferService:
        return self.bot.services.transfer

    @app_commands.command(name="export", description="Download this server's records as a file")
    @app_commands.guild_only()
    @app_commands.rename(fmt="format")
    @app_commands.describe(
        fmt="JSON (complete, re-importable), CSV (zipped tables), calendar or Markdown",
        country="Only records involving this country, with the people and sources they cite",
    )
    @app_commands.choices(fmt=FORMAT_CHOICES)
    async def export(
        self,
        interaction: discord.Interaction,
        fmt: str,
        country: CountryOption | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        chosen = ExportFormat.parse(fmt)
        limit = interaction.filesize_limit
        # What cannot fit is refused first, privately, before any work is done.
        await self.transfer.check_fits(interaction.guild_id, chosen, country=country,
                                       limit=limit)
        # Reading every record can outlast Discord's three seconds on a large server.
        await interaction.response.defer(thinking=True)
        exported = await self.transfer.export(interaction.guild_id, chosen, country=country)
        if len(exported.data) > limit:
            await interaction.followup.send(
                too_large_text(chosen, len(exported.data), limit), allowed_mentions=NO_PINGS)
            return
        await interaction.followup.send(
            clip(exported.note, MESSAGE_LIMIT),
            file=discord.File(io.BytesIO(exported.data), filename=exported.filename),
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(
        name="import", description="Load records from a JSON export (editors; nothing on error)"
    )
    @app_commands.guild_only()
    @app_commands.describe(
        file=f"A JSON file made by /export format:json (at most {MAX_IMPORT_BYTES >> 20} MB)",
    )
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        actor = actor_of(interaction)
        # Rights, name and size are checked before anything is downloaded.
        await self.transfer.check_import(actor, file.filename, file.size)
        await interaction.response.defer(thinking=True, ephemeral=True)
        data = await file.read()
        try:
            report = await self.transfer.import_file(actor, file.filename, data)
        except ImportRejected as rejected:
            text, full = rejection_text(rejected, file.filename, limit=MESSAGE_LIMIT)
            files = [] if full is None else [
                discord.File(io.BytesIO(full.encode("utf-8")), filename="import-problems.txt")
            ]
            await interaction.followup.send(text, files=files,
                                            ephemeral=True, allowed_mentions=NO_PINGS)
            return
        await interaction.followup.send(
            report.summary(),
            ephemeral=True, allowed_mentions=NO_PINGS,
        )


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(TransferCog(bot))
