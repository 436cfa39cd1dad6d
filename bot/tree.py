"""AttacheTree: the one error path for every slash command, button and autocomplete."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import UserError
from bot.domain.textinput import OPTION_TEXT_MAX, check_text
from bot.ui.errors import InputRefused, reply_privately, report_error

GUILD_ONLY = "Attaché works inside a server, not in direct messages."


def typed_options(options: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """(name, value) of every text option typed, inside subcommands and groups too."""
    for option in options:
        if "options" in option:
            yield from typed_options(option["options"])
        elif option.get("type") == discord.AppCommandOptionType.string.value:
            yield option["name"], str(option.get("value", ""))


def check_typed_text(interaction: discord.Interaction) -> None:
    """Every text option of a command, checked before any transformer or command reads it.

    One place for all commands: a lone surrogate, a control character or text past the
    option's own length is refused naming the option, so nothing downstream ever sees it.
    """
    data: Any = interaction.data or {}
    command = interaction.command
    limits: dict[str, int] = {}
    if isinstance(command, app_commands.Command):
        for param in command.parameters:
            limit = param.max_value if param.type is discord.AppCommandOptionType.string else None
            limits[param.display_name] = int(limit) if limit else OPTION_TEXT_MAX
    for name, value in typed_options(data.get("options", [])):
        check_text(value, f"the {name} option", limit=limits.get(name, OPTION_TEXT_MAX))


class AttacheTree(app_commands.CommandTree):
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.guild_id is None:
            await reply_privately(interaction, GUILD_ONLY)
            return False
        try:
            check_typed_text(interaction)
        except UserError as exc:
            if interaction.type is discord.InteractionType.autocomplete:
                # Suggestions for unusable text: none, quietly; the command itself says why.
                await interaction.response.autocomplete([])
                return False
            raise InputRefused(exc.message) from exc
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)
