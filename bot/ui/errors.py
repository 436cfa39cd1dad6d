"""How a failed interaction is told to the user: their mistakes privately, in their terms;
our own faults under a short code that the log keeps with the traceback."""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands

from bot.domain.errors import UserError
from bot.ui.render import NO_PINGS, clip

log = logging.getLogger(__name__)


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
