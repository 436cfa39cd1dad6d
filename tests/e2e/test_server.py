"""The sandbox server's own promises, checked with a plain HTTP client: what discord.py relies
on (exact JSON content type, 429 headers, nonce de-duplication) and what tests rely on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.sandbox.server import SandboxServer
from bot.sandbox.world import GUILD_ID, World

TOKEN = "server-test-token"


@pytest.fixture
async def api() -> AsyncIterator[tuple[SandboxServer, aiohttp.ClientSession]]:
    async with SandboxServer(TOKEN) as server, aiohttp.ClientSession(
        base_url=server.api_base, headers={"Authorization": f"Bot {TOKEN}"}
    ) as session:
        yield server, session


def briefings(server: SandboxServer) -> int:
    return server.world.channel("briefings").id


async def test_json_answers_carry_exactly_application_json(api: Any) -> None:
    server, http = api
    async with http.get("/api/v10/users/@me") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        assert (await response.json())["id"] == str(server.world.bot_user.id)
    async with http.get("/api/v10/channels/1/messages/2") as response:
        assert response.status == 404
        assert response.headers["Content-Type"] == "application/json"
        assert (await response.json())["code"] == 10003


async def test_the_token_is_required_and_never_recorded(api: Any) -> None:
    server, http = api
    async with http.get("/api/v10/users/@me", headers={"Authorization": "Bot wrong"}) as r:
        assert r.status == 401
    assert all(TOKEN not in repr(vars(record)) for record in server.requests)


async def test_posts_with_the_same_enforced_nonce_make_one_message(api: Any) -> None:
    server, http = api
    url = f"/api/v10/channels/{briefings(server)}/messages"
    body = {"content": "Reminder", "nonce": "r-1", "enforce_nonce": True}
    async with http.post(url, json=body) as first, http.post(url, json=body) as again:
        assert (await first.json())["id"] == (await again.json())["id"]
    async with http.post(url, json={"content": "Reminder", "nonce": "r-1"}) as unenforced:
        assert unenforced.status == 200
    assert [m["content"] for m in server.posts("briefings")] == ["Reminder", "Reminder"]


async def test_a_429_carries_what_discord_py_needs_to_wait_and_retry(api: Any) -> None:
    server, http = api
    server.inject("POST", "/channels/*/messages", 429, retry_after=0.5)
    url = f"/api/v10/channels/{briefings(server)}/messages"
    async with http.post(url, json={"content": "x"}) as response:
        assert response.status == 429
        assert response.headers["Via"]
        assert response.headers["X-RateLimit-Remaining"] == "0"
        assert float(response.headers["X-RateLimit-Reset-After"]) == 0.5
        assert (await response.json())["retry_after"] == 0.5
    async with http.post(url, json={"content": "x"}) as response:
        assert response.status == 200, "a fault fires only as many times as asked"
    assert [r.status for r in server.requests] == [429, 200]


async def test_discord_refusals_are_reproduced(api: Any) -> None:
    server, http = api
    locked = server.world.channel("announcements").id
    async with http.post(f"/api/v10/channels/{locked}/messages", json={"content": "x"}) as r:
        assert r.status == 403 and (await r.json())["code"] == 50013
    url = f"/api/v10/channels/{briefings(server)}/messages"
    async with http.post(url, json={"content": ""}) as r:
        assert r.status == 400 and (await r.json())["code"] == 50035
    embed = {"title": "t", "fields": [{"name": "n", "value": "v" * 1025}]}
    async with http.post(url, json={"embeds": [embed]}) as r:
        assert r.status == 400
    async with http.get("/api/v10/stickers/1") as r:
        assert r.status == 404
    assert [(u.method, u.path) for u in server.unhandled] == [("GET", "/stickers/1")]


async def test_command_sync_keeps_ids_and_answers_with_what_was_sent(api: Any) -> None:
    server, http = api
    url = f"/api/v10/applications/{server.world.application_id}/guilds/{GUILD_ID}/commands"
    body = [{"name": "ping", "description": "Ping", "type": 1, "options": []}]
    async with http.put(url, json=body) as first:
        [made] = await first.json()
    async with http.put(url, json=body) as again:
        [kept] = await again.json()
    assert made["id"] == kept["id"] and made["description"] == "Ping"
    async with http.get(url) as listed:
        assert [c["name"] for c in await listed.json()] == ["ping"]
    assert server.synced_commands()[0]["guild_id"] == str(GUILD_ID)


def test_permissions_follow_roles_and_channel_overwrites() -> None:
    world = World()
    admin, reader = world.member("admin"), world.member("reader")
    locked = world.channel("announcements")
    from bot.sandbox.world import MANAGE_GUILD, SEND_MESSAGES

    assert world.permissions(admin) & MANAGE_GUILD
    assert not world.permissions(reader) & MANAGE_GUILD
    assert world.permissions(world.bot_member, world.channel("briefings")) & SEND_MESSAGES
    assert not world.permissions(world.bot_member, locked) & SEND_MESSAGES
    # Without the members intent, Discord sends only the bot's own member.
    assert len(world.guild_payload(intents=1)["members"]) == 1
    # With it, every member: admin, editor, reader and alice, and the bot.
    assert len(world.guild_payload(intents=1 | 2)["members"]) == 5
