"""The set-up checklist goes out once per server and is remembered across restarts: on a
join, at start-up for a server joined while the bot was offline, never again on a re-join;
`/settings show` on a server nobody has set up shows it too."""

from __future__ import annotations

from typing import Any

import discord
from simcord.backend import serializers

from bot.bot import AttacheBot, create_bot
from tests.behaviour.conftest import Desk, SimClock

TITLE = "Setting up Attaché"


def _checklists(*channels: Any) -> list[Any]:
    """Every set-up message the bot posted in `channels`."""
    return [m for channel in channels for m in channel.history()
            if m.author.bot and any(e.title == TITLE for e in m.embeds)]


def _new_server(env: Any, name: str) -> tuple[Any, Any, Any]:
    """A server with a channel only admins (and the bot) read, and its admin."""
    guild = env.create_guild(name=name)
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    private = guild.create_text_channel("admins-only", overwrites={
        guild.default_role: discord.PermissionOverwrite(view_channel=False),
        admins: discord.PermissionOverwrite(view_channel=True),
        env.bot.user: discord.PermissionOverwrite(view_channel=True)})
    admin = guild.add_member(env.create_user(f"{name.split()[0].lower()}admin"), roles=[admins])
    return guild, private, admin


def _places(guild: Any) -> list[Any]:
    return list(guild.channels.values())


async def _join(env: Any, guild: Any) -> None:
    """Discord's GUILD_CREATE for a join: unlike simcord's own, no `unavailable` key."""
    payload = dict(serializers.guild_create_payload(env.backend, env.backend.guilds[guild.id]))
    payload.pop("unavailable", None)
    env.backend.emit("GUILD_CREATE", payload)
    await env.advance_time(1)


async def _leave(env: Any, guild: Any) -> None:
    """The bot is removed from `guild` (GUILD_DELETE without `unavailable`: a removal)."""
    env.backend.emit("GUILD_DELETE", {"id": str(guild.id)})
    await env.advance_time(1)


async def _restart(desk: Desk, clock: SimClock) -> AttacheBot:
    old = desk.bot
    fresh = create_bot(old.settings, clock=clock)
    await desk.env.restart_bot(fresh)
    await old.close()
    desk.bot = fresh
    await desk.env.advance_time(3)  # past discord.py's wait for the servers, to on_ready
    return fresh


async def test_a_server_joined_while_offline_gets_it_once_at_start_up(
    env: Any, desk: Desk, sim_clock: SimClock,
) -> None:
    await env.advance_time(3)  # the bot's first on_ready has come and gone
    # The server is there when the bot next starts, with no join ever seen: simcord's own
    # GUILD_CREATE is an available server, not a join.
    guild, private, _ = _new_server(env, "Consulate desk")
    await env.advance_time(3)
    assert _checklists(*_places(guild)) == []
    fresh = await _restart(desk, sim_clock)
    [posted] = _checklists(*_places(guild))
    assert posted.channel.id == private.id or posted.channel == guild.system_channel
    # The desk was set up (its editor role) before: it is never greeted at start-up.
    assert _checklists(*_places(desk.guild)) == []
    settings = await fresh.guild_settings.get(guild.id)
    assert settings.setup_posted_at is not None
    # Remembered across the next restart, and by a join event for a server already greeted.
    await _restart(desk, sim_clock)
    await _join(env, guild)
    assert len(_checklists(*_places(guild))) == 1


async def test_a_join_posts_it_once_and_a_re_join_says_nothing_again(
    env: Any, desk: Desk, sim_clock: SimClock,
) -> None:
    await env.advance_time(3)
    guild, _, _ = _new_server(env, "Embassy desk")
    await _join(env, guild)
    assert len(_checklists(*_places(guild))) == 1
    when = (await desk.bot.guild_settings.get(guild.id)).setup_posted_at
    assert when is not None and when <= sim_clock()
    await _restart(desk, sim_clock)
    assert len(_checklists(*_places(guild))) == 1
    # Removed and added again: its settings were kept, and so is the memory of the post.
    await _leave(env, guild)
    await _join(env, guild)
    assert len(_checklists(*_places(guild))) == 1
    assert (await desk.bot.guild_settings.get(guild.id)).setup_posted_at == when


async def test_with_nowhere_to_post_it_stays_owed(
    env: Any, desk: Desk, sim_clock: SimClock,
) -> None:
    """No channel to post in and the owner's DMs refused once: nothing is marked posted, so
    the next start-up still has it to give, and gives it."""
    await env.advance_time(3)
    owner = env.create_user("closedowner")
    guild = env.create_guild(name="Closed desk", owner=owner)
    assert _places(guild) == []
    env.inject_error("POST", "/users/@me/channels", status=403, code=50007,
                     message="Cannot send messages to this user", times=1)
    await _join(env, guild)
    assert (await desk.bot.guild_settings.get(guild.id)).setup_posted_at is None
    await _restart(desk, sim_clock)
    [message] = [m for m in owner.dm_channel.history() if m.author.bot]
    assert message.embeds[0].title == TITLE
    assert (await desk.bot.guild_settings.get(guild.id)).setup_posted_at is not None


async def test_a_settings_change_never_forgets_the_post(env: Any, desk: Desk) -> None:
    """A settings write made from a copy read before the post cannot mark it owed again."""
    await env.advance_time(3)
    guild, _, _ = _new_server(env, "Mission desk")
    store = desk.bot.guild_settings
    before = await store.get(guild.id)
    await _join(env, guild)
    before.timezone = "Asia/Karachi"
    await store.save(before)
    after = await store.get(guild.id)
    assert after.timezone == "Asia/Karachi" and after.setup_posted_at is not None


async def test_settings_show_on_a_server_nobody_set_up_shows_the_checklist(
    env: Any, desk: Desk,
) -> None:
    await env.advance_time(3)
    guild, _, admin = _new_server(env, "Liaison desk")
    lobby = guild.create_text_channel("lobby")
    reader = guild.add_member(env.create_user("liaisonreader"))
    desk.bot.tree.copy_global_to(guild=discord.Object(guild.id))
    await desk.bot.tree.sync(guild=discord.Object(guild.id))
    # A reader sees it too, but only an admin seeing it settles what is owed.
    res = await reader.slash(lobby, "settings show")
    titles = [e.title for e in res.response.embeds]
    assert titles == ["Settings for this server", TITLE]
    assert (await desk.bot.guild_settings.get(guild.id)).setup_posted_at is None
    res = await admin.slash(lobby, "settings show")
    checklist = res.response.embeds[1].description or ""
    assert checklist.count("☐") == 5 and "/settings timezone zone:Karachi" in checklist
    assert (await desk.bot.guild_settings.get(guild.id)).setup_posted_at is not None
    # Once anything is chosen, the settings' own field says what is left; no checklist.
    await admin.slash(lobby, "settings timezone", zone="Karachi")
    res = await admin.slash(lobby, "settings show")
    assert [e.title for e in res.response.embeds] == ["Settings for this server"]
    fields = {f.name: f.value for f in res.response.embeds[0].fields}
    assert "Still to set up (4)" in fields
