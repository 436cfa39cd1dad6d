"""AttacheTree: the one error path for every slash command, button and autocomplete."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import UserError
from bot.domain.textinput import OPTION_TEXT_MAX, check_text
from bot.ui.render import NO_PINGS, clip

log = logging.getLogger(__name__)

GUILD_ONLY = "Attaché works inside a server, not in direct messages."


def user_error_of(error: BaseException) -> UserError | None:
    """The UserError behind an error, however discord.py wrapped it (invoke, transform)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, UserError):
            return current
        current = getattr(current, "original", None) or current.__cause__
    return None


async def reply_privately(interaction: discord.Interaction, text: str) -> None:
    """An ephemeral answer, whether or not the interaction was already answered."""
    text = clip(text, 2000)
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)


class InputRefused(app_commands.CheckFailure):
    """A typed option that cannot be used at all; its cause is the UserError saying why."""


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


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """User mistakes go back to the user; anything else is logged under a short code."""
    user_error = user_error_of(error)
    if user_error is not None:
        text = user_error.message
        if isinstance(error, app_commands.TransformerError | InputRefused) and "/help" not in text:
            # An option that could not be read is a question of syntax: say where it is told.
            text += " (/help shows what each option takes.)"
    elif isinstance(error, app_commands.CheckFailure):
        text = str(error) or "You cannot use this command here."
    else:
        code = secrets.token_hex(3)
        command = interaction.command.qualified_name if interaction.command else "interaction"
        log.error("error %s in %s (guild %s)", code, command, interaction.guild_id,
                  exc_info=error)
        text = (f"Something went wrong on our side (error code `{code}`); nothing was changed. "
                "The people who run Attaché can look the code up in its log.")
    try:
        await reply_privately(interaction, text)
    except discord.HTTPException:
        # The interaction may have expired; the log already has what matters.
        log.warning("could not tell the user about an error in guild %s", interaction.guild_id)
