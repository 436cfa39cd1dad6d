"""The sandbox gateway hands out shards as Discord does, seen through real discord.py clients.

Two guilds, GUILD_ID on shard 0 and SECOND_GUILD_ID on shard 1 of 2. The clients are
discord.py's own: an AutoShardedClient (one process, both shards) and two plain Clients with
shard_id 0 and 1 (two processes). Raw websocket frames appear only where a refusal is checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
import yarl

from bot.sandbox import gateway as gw
from bot.sandbox.server import InteractionFailed, SandboxServer
from bot.sandbox.world import GUILD_ID, SECOND_GUILD_ID, World, guild_id_on_shard
from tests.e2e.conftest import SECRET, Launch, bot_env

WITHIN = 15.0
COMMAND = {"name": "where", "description": "Which shard answers", "type": 1}


class Probe:
    """A discord.py client and what it saw: its ready, interactions, joins and removals."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self.ready = asyncio.Event()
        self.interactions: list[tuple[int | None, int | None]] = []
        self.joined: list[int] = []
        self.removed: list[int] = []
        self.changed = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        client.event(self.on_ready)
        client.event(self.on_interaction)
        client.event(self.on_guild_join)
        client.event(self.on_guild_remove)

    def _tick(self) -> None:
        self.changed.set()
        self.changed = asyncio.Event()

    async def on_ready(self) -> None:
        self.ready.set()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        shard = interaction.guild.shard_id if interaction.guild else None
        self.interactions.append((interaction.guild_id, shard))
        self._tick()
        await interaction.response.send_message(f"shard {shard}")

    async def on_guild_join(self, guild: discord.Guild) -> None:
        self.joined.append(guild.id)
        self._tick()

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        self.removed.append(guild.id)
        self._tick()

    @property
    def guild_ids(self) -> set[int]:
        return {g.id for g in self.client.guilds}


class NoWaitAutoSharded(discord.AutoShardedClient):
    # discord.py waits 5 s between shards' IDENTIFYs (Discord's default bucket); the sandbox
    # has no identify rate limit, so the hook that exists for this wait is told not to.
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


def intents() -> discord.Intents:
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


async def until(what: str, predicate: Any, probes: Iterable[Probe],
                within: float = WITHIN) -> None:
    """Until predicate() holds, re-checked on every event a probe sees; fails at once if a
    client's task ends, and after `within` seconds otherwise."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    tasks = [p.task for p in probes if p.task is not None]
    while not predicate():
        for task in tasks:
            if task.done():
                raise AssertionError(f"a client stopped while waiting for {what}: "
                                     f"{task.exception() if not task.cancelled() else 'cancelled'}")
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise TimeoutError(f"timed out waiting for {what}")
        waiters = [asyncio.ensure_future(p.changed.wait()) for p in probes]
        waiters += [asyncio.ensure_future(p.ready.wait()) for p in probes]
        await asyncio.wait([*waiters, *tasks], timeout=min(remaining, 0.5),
                           return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[SandboxServer]:
    second = World(guild_id=SECOND_GUILD_ID, guild_name="Second desk")
    async with SandboxServer(SECRET, guilds=[second], recommended_shards=2,
                             max_concurrency=2) as running:
        monkeypatch.setattr(discord.http.Route, "BASE", f"{running.api_base}/api/v10")
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                            yarl.URL(running.gateway_url))
        running.commands[GUILD_ID] = [dict(COMMAND, id="1", guild_id=str(GUILD_ID))]
        running.commands[SECOND_GUILD_ID] = [dict(COMMAND, id="2",
                                                  guild_id=str(SECOND_GUILD_ID))]
        yield running


@pytest.fixture
async def started() -> AsyncIterator[list[Probe]]:
    """Clients started by a test; closed, whatever happened, at teardown."""
    probes: list[Probe] = []
    yield probes
    for probe in probes:
        await probe.client.close()
        if probe.task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(probe.task, WITHIN)


def start(probes: list[Probe], client: discord.Client) -> Probe:
    probe = Probe(client)
    probe.task = asyncio.create_task(client.start(SECRET))
    probes.append(probe)
    return probe


def created(session: gw.Session) -> list[int]:
    return [int(p["d"]["id"]) for p in session.sent if p["t"] == "GUILD_CREATE"]


def interacted(server: SandboxServer) -> list[tuple[int, int]]:
    return [s.shard for s in server.sessions
            if any(p["t"] == "INTERACTION_CREATE" for p in s.sent)]


def test_the_two_fixed_guilds_land_on_different_shards_of_two() -> None:
    assert gw.shard_of(GUILD_ID, 2) == 0 and gw.shard_of(SECOND_GUILD_ID, 2) == 1
    assert SECOND_GUILD_ID == guild_id_on_shard(1, 2)


async def test_gateway_bot_recommends_the_configured_shards(server: SandboxServer) -> None:
    async with aiohttp.ClientSession(server.api_base) as http:
        headers = {"Authorization": f"Bot {SECRET}"}
        async with http.get("/api/v10/gateway/bot", headers=headers) as response:
            bot = await response.json(content_type=None)
        async with http.get("/api/v10/gateway") as response:
            anyone = await response.json(content_type=None)
    assert bot["shards"] == 2 and bot["url"] == server.gateway_url
    assert bot["session_start_limit"]["max_concurrency"] == 2
    assert anyone == {"url": server.gateway_url}, "unauthenticated /gateway says only where"
    async with SandboxServer(SECRET) as plain, aiohttp.ClientSession(plain.api_base) as http:
        async with http.get("/api/v10/gateway/bot", headers=headers) as response:
            assert (await response.json(content_type=None))["shards"] == 1


@pytest.mark.parametrize("shard_count", [2, None], ids=["count-given", "count-from-gateway-bot"])
async def test_one_auto_sharded_process_gets_each_guild_on_its_shard(
    server: SandboxServer, started: list[Probe], shard_count: int | None
) -> None:
    client = NoWaitAutoSharded(intents=intents(), shard_count=shard_count,
                               guild_ready_timeout=0.1)
    probe = start(started, client)
    await until("both shards ready", probe.ready.is_set, [probe])

    assert client.shard_count == 2 and sorted(client.shards) == [0, 1]
    assert probe.guild_ids == {GUILD_ID, SECOND_GUILD_ID}
    assert client.get_guild(GUILD_ID).shard_id == 0  # type: ignore[union-attr]
    assert client.get_guild(SECOND_GUILD_ID).shard_id == 1  # type: ignore[union-attr]
    by_shard = {s.shard: s for s in server.sessions}
    assert sorted(by_shard) == [(0, 2), (1, 2)]
    assert created(by_shard[(0, 2)]) == [GUILD_ID]
    assert created(by_shard[(1, 2)]) == [SECOND_GUILD_ID]
    ready = {shard: s.sent[0]["d"] for shard, s in by_shard.items()}
    assert [g["id"] for g in ready[(1, 2)]["guilds"]] == [str(SECOND_GUILD_ID)]
    assert ready[(1, 2)]["shard"] == [1, 2], "READY echoes the pair IDENTIFY sent"

    answered = await server.slash("where", guild=SECOND_GUILD_ID, channel="briefings")
    assert answered.content == "shard 1"
    assert interacted(server) == [(1, 2)], "only shard 1's websocket carried it"


async def test_two_processes_each_see_only_their_own_guilds_and_interactions(
    server: SandboxServer, started: list[Probe]
) -> None:
    zero = start(started, discord.Client(intents=intents(), shard_id=0, shard_count=2,
                                         guild_ready_timeout=0.1))
    one = start(started, discord.Client(intents=intents(), shard_id=1, shard_count=2,
                                        guild_ready_timeout=0.1))
    await until("both processes ready", lambda: zero.ready.is_set() and one.ready.is_set(),
                [zero, one])
    await server.wait_until_ready(shards=[0, 1], within=WITHIN)

    assert zero.guild_ids == {GUILD_ID} and one.guild_ids == {SECOND_GUILD_ID}

    second = server.guild(SECOND_GUILD_ID)
    answered = await server.slash("where", channel=second.channel("general"))
    assert answered.content == "shard 1"
    assert answered.message is not None and answered.message["guild_id"] == str(SECOND_GUILD_ID)
    first = await server.slash("where")
    assert first.content == "shard 0"
    assert zero.interactions == [(GUILD_ID, 0)]
    assert one.interactions == [(SECOND_GUILD_ID, 1)]

    # Joining a third guild that shard 1 owns: only process 1 hears GUILD_CREATE.
    third = World(guild_id=guild_id_on_shard(1, 2, nth=1), guild_name="Third desk")
    await server.add_guild(third)
    await until("process 1 joins the third guild", lambda: third.guild_id in one.joined,
                [zero, one])
    await server.remove_guild(second)
    await until("process 1 leaves the second guild", lambda: SECOND_GUILD_ID in one.removed,
                [zero, one])
    assert one.guild_ids == {third.guild_id} and zero.guild_ids == {GUILD_ID}
    assert zero.joined == [] and zero.removed == []


async def test_an_interaction_for_an_unserved_shard_is_dropped_as_discord_does(
    server: SandboxServer, started: list[Probe]
) -> None:
    zero = start(started, discord.Client(intents=intents(), shard_id=0, shard_count=2,
                                         guild_ready_timeout=0.1))
    await until("shard 0 ready", zero.ready.is_set, [zero])
    with pytest.raises(InteractionFailed, match="no gateway session serves shard 1 of 2"):
        await server.slash("where", guild=SECOND_GUILD_ID)
    assert [e.data["name"] for e in server.dropped] == ["where"]
    assert zero.interactions == [] and interacted(server) == []
    assert (await server.slash("where")).content == "shard 0", "its own guild still works"


async def test_resume_keeps_the_shard_and_replays_what_the_shard_missed(
    server: SandboxServer, started: list[Probe]
) -> None:
    zero = start(started, discord.Client(intents=intents(), shard_id=0, shard_count=2,
                                         guild_ready_timeout=0.1))
    one = start(started, discord.Client(intents=intents(), shard_id=1, shard_count=2,
                                        guild_ready_timeout=0.1))
    await until("both processes ready", lambda: zero.ready.is_set() and one.ready.is_set(),
                [zero, one])
    await server.wait_until_ready(shards=[0, 1], within=WITHIN)
    before = server.sessions_of(1)

    # Cut shard 1's connection and send it an interaction at once: its session keeps the
    # event, and the RESUME replays it.
    await server.drop_gateway(shard=1)
    answered = await server.slash("where", guild=SECOND_GUILD_ID)
    assert answered.content == "shard 1"
    await server.wait_until(lambda: server.resumes == 1 and server.ready(1), within=WITHIN,
                            what="shard 1 resumed")
    assert server.identifies == 2, "resumed, not identified again"
    assert server.sessions_of(1) == before and before[0].shard == (1, 2)
    assert before[0].connection is not None
    assert one.interactions == [(SECOND_GUILD_ID, 1)] and zero.interactions == []
    # After the RESUME the session still serves only shard 1's guild.
    assert (await server.slash("where", guild=SECOND_GUILD_ID)).content == "shard 1"
    assert (await server.slash("where")).content == "shard 0"
    assert [g for g, _ in one.interactions] == [SECOND_GUILD_ID] * 2


async def test_a_shard_outside_its_count_is_refused_with_4010(
    server: SandboxServer, started: list[Probe]
) -> None:
    bad = start(started, discord.Client(intents=intents(), shard_id=2, shard_count=2))
    assert bad.task is not None
    with pytest.raises(discord.ConnectionClosed) as closed:
        await asyncio.wait_for(bad.task, WITHIN)
    assert closed.value.code == gw.INVALID_SHARD
    assert server.identifies == 0 and server.sessions == []


async def identify(server: SandboxServer, shard: Any) -> tuple[int | None, list[int]]:
    """Sends one IDENTIFY by hand (discord.py never sends malformed pairs): the close code
    the server answers with (None if it accepted), and the guilds it sent GUILD_CREATE for."""
    async with aiohttp.ClientSession() as http, http.ws_connect(server.gateway_url) as ws:
        hello = await ws.receive_json(timeout=WITHIN)
        assert hello["op"] == gw.HELLO
        data: dict[str, Any] = {"token": SECRET, "intents": 1, "properties": {}}
        if shard is not ...:
            data["shard"] = shard
        await ws.send_str(json.dumps({"op": gw.IDENTIFY, "d": data}))
        message = await ws.receive(timeout=WITHIN)
        if message.type != aiohttp.WSMsgType.TEXT:
            return ws.close_code, []
        ready = json.loads(message.data)
        assert ready["t"] == "READY"
        guilds = []
        for _ in ready["d"]["guilds"]:
            guilds.append(int((await ws.receive_json(timeout=WITHIN))["d"]["id"]))
        return None, guilds


@pytest.mark.parametrize("shard", [[0, 0], [-1, 2], [2, 2], [0], ["0", "2"], [True, 2], "0,2"])
async def test_malformed_shards_are_refused_with_4010(server: SandboxServer,
                                                      shard: Any) -> None:
    assert await identify(server, shard) == (gw.INVALID_SHARD, [])


async def test_too_few_shards_for_the_guilds_is_refused_only_when_configured() -> None:
    guilds = [World(guild_id=SECOND_GUILD_ID)]
    async with SandboxServer(SECRET, guilds=guilds, guilds_per_shard=1) as strict:
        assert await identify(strict, ...) == (gw.SHARDING_REQUIRED, [])
        assert await identify(strict, [0, 1]) == (gw.SHARDING_REQUIRED, [])
        assert await identify(strict, [1, 2]) == (None, [SECOND_GUILD_ID])
    async with SandboxServer(SECRET, guilds=guilds) as lenient:
        assert await identify(lenient, ...) == (None, [GUILD_ID, SECOND_GUILD_ID])
        assert [s.shard for s in lenient.sessions] == [(0, 1)], "no shard means [0, 1]"
        assert "shard" not in lenient.sessions[0].sent[0]["d"], "echoed only when sent"


async def test_the_bot_process_with_two_shards_gets_each_guild_on_its_own_connection(
    server: SandboxServer, launch: Launch, tmp_path: Path
) -> None:
    process = await launch(env=bot_env(server, tmp_path, SHARD_COUNT="2"))
    server.watch(process.process)
    # discord.py leaves 5 s between two shards' IDENTIFYs; the wait allows for that.
    await server.wait_until_ready(within=40.0, shards=[0, 1])
    assert sorted((s.shard, sorted(s.guilds)) for s in server.sessions) == [
        ((0, 2), [GUILD_ID]), ((1, 2), [SECOND_GUILD_ID])]
    await server.wait_until(lambda: len(server.commands.get(GUILD_ID, [])) > 1, within=WITHIN,
                            what="the commands synced to the development server")
    # The bot syncs to its development server only; the second guild is given the same
    # commands here, as a global sync would, so a member there can run one.
    server.commands[SECOND_GUILD_ID] = [dict(c, guild_id=str(SECOND_GUILD_ID))
                                        for c in server.commands[GUILD_ID]]
    answered = await server.slash("help", guild=SECOND_GUILD_ID)
    assert "Attaché" in answered.text()
    assert interacted(server) == [(1, 2)], "shard 1's connection carried the second guild's"
