"""/noop: a command that answers a fixed text, loaded only for benchmarks (ATTACHE_BENCHMARK=1).

Its latency is the floor every other command is measured against: what discord.py, the
gateway and the interaction callback cost on their own, with no store and no rendering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from bot.bot import AttacheBot

ANSWER = "noop"


class BenchCog(commands.Cog):
    @app_commands.command(name="noop", description="Benchmark floor: answers a fixed text")
    async def noop(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(ANSWER, ephemeral=True)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(BenchCog())
