"""Reminders and the server's admins: who may post or change them, and who hears of failures."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from tests.behaviour.conftest import Desk

DAY = 86400
TEST_POST = "Attaché test: reminders will appear here."


def _posts(channel: Any) -> list[Any]:
    """What the bot posted in a channel itself (not interaction replies)."""
    return [m for m in channel.history() if m.author.bot and m.interaction_metadata is None]


async def test_only_admins_post_a_test_message(desk: Desk) -> None:
    res = await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    assert not res.ephemeral, res.response.content
    for member in (desk.reader, desk.editor):
        res = await member.slash(desk.channel, "reminders test")
        assert res.ephemeral
        assert "needs the Manage Server permission" in res.response.content
        assert "Nothing was posted" in res.response.content
    assert len(desk.user_errors()) == 2
    assert _posts(desk.channel) == []
    res = await desk.admin.slash(desk.channel, "reminders test")
    assert res.response.content == "Test message posted."
    assert [p.content for p in _posts(desk.channel)] == [TEST_POST]


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("reminders channel", {"channel": "briefings"}),
        ("reminders leads", {"leads": "30d"}),
        ("reminders role", {}),
        ("reminders pause", {}),
        ("reminders resume", {}),
    ],
)
async def test_every_change_to_reminders_needs_manage_server(
    desk: Desk, command: str, options: dict[str, Any]
) -> None:
    if "channel" in options:
        options = {"channel": desk.channel}
    for member in (desk.reader, desk.editor):
        res = await member.slash(desk.channel, command, **options)
        assert res.ephemeral and "Manage Server" in res.response.content, res.response.content
    assert len(desk.user_errors()) == 2
    settings = await desk.bot.reminders.settings(desk.guild.id)
    assert (settings.reminder_channel_id, settings.reminder_leads, settings.reminders_paused) == (
        None, "7d 1d 2h", False)
    assert _posts(desk.channel) == []


async def test_a_member_who_may_not_choose_the_channel_learns_nothing_about_it(
    desk: Desk,
) -> None:
    hidden = desk.guild.create_text_channel("hidden", overwrites={
        desk.guild.me: discord.PermissionOverwrite(send_messages=False)})
    res = await desk.editor.slash(desk.channel, "reminders channel", channel=hidden)
    assert res.ephemeral and "Manage Server" in res.response.content
    assert "Send Messages" not in res.response.content
    assert len(desk.user_errors()) == 1
