"""The set-up checklist: what an admin still has to choose, each as a command to type."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.domain.records import GuildSettings
from bot.ui.render import EmbedBuilder


@dataclass(frozen=True)
class Step:
    name: str
    now: str
    done: bool
    command: str


def setup_steps(settings: GuildSettings, *, default_zone: str = "UTC") -> list[Step]:
    """Each setting a new server should choose, with its state and the command to set it.

    The zone still at the default counts as unset: a server in Karachi left on UTC reads
    "tomorrow 10:00" five hours off.
    """
    return [
        Step("Time zone", f"{settings.timezone}" + (
            " (the default)" if settings.timezone == default_zone else ""),
             settings.timezone != default_zone, "/settings timezone zone:Karachi"),
        Step("Editor role", f"<@&{settings.editor_role_id}>" if settings.editor_role_id
             else "none: only Manage Server can add and edit", settings.editor_role_id is not None,
             "/settings editor-role role:@Desk editors"),
        Step("Reminder channel", f"<#{settings.reminder_channel_id}>"
             if settings.reminder_channel_id else "none: no reminders are posted",
             settings.reminder_channel_id is not None, "/reminders channel channel:#briefings"),
        Step("Reminder role", f"<@&{settings.reminder_role_id}>" if settings.reminder_role_id
             else "none: reminders ping no one", settings.reminder_role_id is not None,
             "/reminders role role:@Desk editors"),
        Step("Visits in Events", "on" if settings.events_enabled else "off",
             settings.events_enabled, "/settings events switch:on"),
    ]


def unset(settings: GuildSettings, *, default_zone: str = "UTC") -> list[Step]:
    return [s for s in setup_steps(settings, default_zone=default_zone) if not s.done]


def setup_lines(settings: GuildSettings, *, default_zone: str = "UTC") -> list[str]:
    return [
        f"{'✓' if step.done else '☐'} **{step.name}**: {step.now}"
        + ("" if step.done else f" → `{step.command}`")
        for step in setup_steps(settings, default_zone=default_zone)
    ]


def setup_embed(settings: GuildSettings, *, default_zone: str = "UTC") -> discord.Embed:
    """The one set-up message: posted when the bot joins a server."""
    body = "\n".join([
        "Attaché keeps this server's meetings, plans and visits and reminds you as visits "
        "approach. An admin (Manage Server) sets it up once; each line is a command to type:",
        "",
        *setup_lines(settings, default_zone=default_zone),
        "",
        "Then `/help` shows what the bot does, and `/settings show` what is still unset.",
    ])
    return EmbedBuilder("Setting up Attaché", discord.Colour.blurple(), body).footer(
        "Everyone can read records; adding and editing need Manage Server or the editor role.")
