"""/help: the overview and every topic, every example in it run as typed on the sample data,
and refusals about syntax pointing to it; the set-up message when the bot joins a server."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from simcord.backend import serializers

from bot.ui.help import TOPICS, all_text
from tests.behaviour.conftest import Desk
from tests.typed_commands import examples, parse


async def test_help_says_what_the_bot_does_by_task(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "help")
    assert res.ephemeral
    [embed] = res.response.embeds
    assert embed.title == "Attaché: what it does"
    text = embed.description or ""
    for task in ("Get a briefing", "Record a visit", "Set up reminders", "How dates are read"):
        assert task in text


@pytest.mark.parametrize("topic", [t.key for t in TOPICS])
async def test_each_topic_is_a_page_of_its_own(desk: Desk, topic: str) -> None:
    res = await desk.reader.slash(desk.channel, "help", topic=topic)
    [embed] = res.response.embeds
    title = next(t.title for t in TOPICS if t.key == topic)
    assert embed.title == f"Help: {title}"
    assert len(embed) <= 6000 and len(embed.description or "") <= 4096


async def test_every_example_in_help_works_as_typed(
    desk: Desk, sample_data: dict[str, Any],
) -> None:
    await desk.load_sample(sample_data)
    lines = examples(all_text())
    assert len(lines) >= 30
    tree = desk.bot.tree
    for line in lines:
        path, options = parse(tree, line, desk.guild)
        before = len(desk.env.errors)
        res = await desk.admin.slash(desk.channel, path, **options)
        assert len(desk.env.errors) == before, (line, desk.env.errors[before:])
        content = res.response.content or "" if res.response else ""
        assert "⚠" not in content and "Not saved" not in content, (line, content)


async def test_a_refusal_of_an_option_points_to_help(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "visit show", visit="#99")
    assert res.ephemeral and "/help" in res.response.content
    assert desk.user_errors()


def _set_up_text(message: Any) -> str:
    [embed] = message.embeds
    assert embed.title == "Setting up Attaché"
    return embed.description or ""


async def _join(env: Any, guild: Any) -> None:
    """The bot is added to `guild`: Discord's GUILD_CREATE for a join, which (unlike simcord's
    own, sent when a test creates a server) carries no `unavailable` key."""
    payload = dict(serializers.guild_create_payload(env.backend, env.backend.guilds[guild.id]))
    payload.pop("unavailable", None)
    env.backend.emit("GUILD_CREATE", payload)
    await env.advance_time(1)


async def test_joining_a_server_posts_the_set_up_message_where_admins_read(
    env: Any, desk: Desk,
) -> None:
    guild = env.create_guild(name="Embassy desk")
    lobby = guild.create_text_channel("lobby")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    private = guild.create_text_channel("admins-only", overwrites={
        guild.default_role: discord.PermissionOverwrite(view_channel=False),
        admins: discord.PermissionOverwrite(view_channel=True),
        desk.bot.user: discord.PermissionOverwrite(view_channel=True)})
    guild.add_member(env.create_user("embassyadmin"), roles=[admins])
    await env.advance_time(3)
    await _join(env, guild)
    # One message, in the server's system channel (where Discord announces joins) if it has
    # one, else in the channel only admins read.
    posted = {name: [m for m in channel.history() if m.author.bot]
              for name, channel in (("lobby", lobby), ("admins-only", private))}
    system = desk.bot.get_guild(guild.id).system_channel
    expected = system.name if system is not None else "admins-only"
    assert {k: len(v) for k, v in posted.items()} == {
        "lobby": int(expected == "lobby"), "admins-only": int(expected == "admins-only")}
    text = _set_up_text(posted[expected][0])
    for command in ("/settings timezone zone:Karachi", "/settings editor-role",
                    "/reminders channel", "/reminders role", "/settings events switch:on"):
        assert command in text
    assert text.count("☐") == 5


async def test_a_server_with_no_channel_for_admins_tells_the_owner(env: Any, desk: Desk) -> None:
    owner = env.create_user("newowner")
    guild = env.create_guild(name="New desk", owner=owner)
    await env.advance_time(3)
    await _join(env, guild)
    [message] = [m for m in owner.dm_channel.history() if m.author.bot]
    assert "☐ **Time zone**" in _set_up_text(message)


async def test_settings_show_marks_what_is_unset(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "settings show")
    fields = {f.name: f.value for f in res.response.embeds[0].fields}
    todo = fields["Still to set up (4)"]
    assert "Time zone: UTC (the default)" in todo and "/settings timezone zone:Karachi" in todo
    assert "Reminder channel" in todo and "Editor role" not in todo  # the desk names one
    await desk.admin.slash(desk.channel, "settings timezone", zone="PKT")
    res = await desk.reader.slash(desk.channel, "settings show")
    fields = {f.name: f.value for f in res.response.embeds[0].fields}
    assert "Still to set up (3)" in fields and "Time zone" not in fields["Still to set up (3)"]
