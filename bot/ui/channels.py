"""Where the bot can reach a server's admins: channels it may post in and they can read."""

from __future__ import annotations

import discord


def admin_channels(
    guild: discord.Guild, reminder_channel_id: int, *, reminder_channel: bool = True
) -> list[discord.TextChannel]:
    """Where admins will read a notice about reminders, best first.

    The reminder channel comes first, if the bot may still post there (a failure may have
    been about one message or its embeds). Then the server's system channel and the other
    text channels, those only admins can read before public ones, each if the bot may post
    there and a role with Manage Server may read it. With no such role the owner is the
    only admin, and is written to directly instead.
    """
    me = guild.me
    admins = [r for r in guild.roles if r.permissions.manage_guild or r.permissions.administrator]

    def postable(channel: discord.TextChannel) -> bool:
        mine = channel.permissions_for(me)
        return mine.view_channel and mine.send_messages

    def admins_read(channel: discord.TextChannel) -> bool:
        return any(channel.permissions_for(role).view_channel for role in admins)

    found: list[discord.TextChannel] = []
    reminder = guild.get_channel(reminder_channel_id)
    if reminder_channel and isinstance(reminder, discord.TextChannel) and postable(reminder):
        found.append(reminder)
    others = sorted((c for c in guild.text_channels if c.id != reminder_channel_id),
                    key=lambda c: (c != guild.system_channel,
                                   c.permissions_for(guild.default_role).view_channel,
                                   c.position, c.id))
    found += [c for c in others if postable(c) and admins_read(c)]
    return found
