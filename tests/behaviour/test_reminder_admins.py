"""Reminders and the server's admins: who may post or change them, and who hears of failures."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot.bot import create_bot
from bot.domain.records import RecordType
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


# --- when a reminder cannot be posted ---------------------------------------------------------


async def _failing_reminders(desk: Desk, *, times: int | None) -> None:
    """Two reminders a day apart (19 and 20 September, 09:00), the channel refusing posts."""
    res = await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    assert not res.ephemeral, res.response.content
    await desk.admin.slash(desk.channel, "reminders leads", leads="1d")
    for day in ("2025-09-20", "2025-09-21"):
        res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                      to_country="Pakistan", date=day,
                                      visitor_role=f"Minister {day}")
        assert not res.ephemeral, res.response.content
    desk.env.inject_error("POST", f"/channels/{desk.channel.id}/messages", status=403,
                          code=50013, message="Missing Permissions", times=times)


def _notices(messages: list[Any]) -> list[Any]:
    return [m for m in messages if "could not post a reminder" in m.content]


async def test_admins_are_told_once_in_a_channel_they_read(
    desk: Desk, sim_clock: Any
) -> None:
    admins = desk.guild.roles["Admins"]
    everyone = desk.guild.default_role
    # A public channel comes first in the list, but the notice belongs where admins read.
    public = desk.guild.create_text_channel("lobby")
    hidden = desk.guild.create_text_channel("desk-heads", overwrites={
        everyone: discord.PermissionOverwrite(view_channel=False),
        admins: discord.PermissionOverwrite(view_channel=True),
        desk.guild.me: discord.PermissionOverwrite(view_channel=True)})
    await _failing_reminders(desk, times=None)
    await desk.env.advance_time(7 * DAY + 60)  # 19 September: the first reminder fails
    [notice] = _notices(hidden.history())
    assert f"could not post a reminder in <#{desk.channel.id}>" in notice.content
    assert "lacks permission" in notice.content and "/reminders channel" in notice.content
    await desk.env.advance_time(DAY)  # 20 September: the second fails for the same reason
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    rows = [r for v in visits for r in await desk.bot.reminders.preview(desk.guild.id, v)]
    assert [r.status for r in rows] == ["failed", "failed"]
    # Once across a restart too: the problem is remembered in the server's settings.
    old = desk.bot
    fresh = create_bot(old.settings, clock=sim_clock)
    await desk.env.restart_bot(fresh)
    await old.close()
    await desk.env.advance_time(DAY)
    assert len(_notices(hidden.history())) == 1
    assert _notices(public.history()) == []
    assert _notices(desk.guild.owner.dm_channel.history()) == []
    await fresh.close()


async def test_the_reminder_channel_itself_when_it_still_takes_posts(desk: Desk) -> None:
    await _failing_reminders(desk, times=1)  # the reminder is refused, plain text is not
    await desk.env.advance_time(7 * DAY + 60)
    [notice] = _notices(_posts(desk.channel))
    assert "lacks permission" in notice.content


async def test_with_no_channel_admins_read_the_owner_gets_a_direct_message(desk: Desk) -> None:
    # The only other channel the bot may post in is one admins cannot read.
    private = desk.guild.create_text_channel("private", overwrites={
        desk.guild.default_role: discord.PermissionOverwrite(view_channel=False),
        desk.guild.roles["Admins"]: discord.PermissionOverwrite(view_channel=False),
        desk.guild.me: discord.PermissionOverwrite(view_channel=True)})
    await _failing_reminders(desk, times=None)
    await desk.env.advance_time(8 * DAY + 60)  # both reminders fail
    [notice] = _notices(desk.guild.owner.dm_channel.history())
    assert notice.content.startswith(f"In **{desk.guild.name}**: Attaché could not post")
    assert _notices(private.history()) == []
    res = await desk.admin.slash(desk.channel, "reminders status")
    assert "Problem: the bot lacks permission" in res.response.embeds[0].description
