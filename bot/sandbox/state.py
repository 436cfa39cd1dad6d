"""SandboxState: what the sandbox server knows, and the signal that wakes waits on a change.

It holds the guilds, messages, commands, events, files, gateway sessions and the requests
seen. The REST routes, the gateway endpoint and the member actions each hold this one object;
SandboxServer is this state with its life cycle and its public calls on top.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.sandbox import gateway as gw
from bot.sandbox.errors import BotStopped, SandboxError
from bot.sandbox.exchange import Event, Exchange
from bot.sandbox.world import Channel, Member, Snowflakes, World

log = logging.getLogger(__name__)


@dataclass
class Recorded:
    """One REST request as the server saw it (the Authorization header is never kept)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    status: int = 0
    at: float = 0.0

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


class SandboxState:
    """The server's memory, shared by its parts; every change ends in `notify()`."""

    def __init__(self, token: str, world: World | None = None, *, host: str = "127.0.0.1",
                 port: int = 0, clock: Callable[[], datetime] | None = None,
                 guilds: Sequence[World] = (), recommended_shards: int = 1,
                 max_concurrency: int = 1, guilds_per_shard: int | None = None) -> None:
        self.token = token
        # "Now" for rules that compare with the bot's dates (an event may not start in the
        # past); the sandbox passes the bot's clock so both agree on what the date is.
        self.clock = clock or (lambda: datetime.now(UTC))
        self.world = world or World()
        self.worlds: list[World] = [self.world]
        for extra in guilds:
            self.check_new_guild(extra)
            self.worlds.append(extra)
        if recommended_shards < 1 or max_concurrency < 1:
            raise ValueError("recommended_shards and max_concurrency are at least 1")
        self.recommended_shards = recommended_shards
        self.max_concurrency = max_concurrency
        self.guilds_per_shard = guilds_per_shard
        self.host = host
        self.port = port
        self.ids = Snowflakes()
        self.requests: list[Recorded] = []
        self.unhandled: list[Recorded] = []
        self.gateway_log: list[tuple[str, Any, Any]] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.channel_posts: dict[int, list[int]] = {
            c.id: [] for w in self.worlds for c in w.channels}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.events: dict[int, dict[str, Any]] = {}
        # Every file by attachment id: what the bot sent, and what a member uploaded.
        self.files: dict[str, tuple[str, bytes, str]] = {}
        self.sessions: list[gw.Session] = []
        self.identifies = 0
        self.resumes = 0
        self.exchanges: dict[int, Exchange] = {}
        # Interactions no session could receive (their shard unserved), for tests to inspect.
        self.dropped: list[Exchange] = []
        self.by_token: dict[str, Exchange] = {}
        self._listeners: list[Callable[[Event], None]] = []
        self._tick = asyncio.Event()
        self._stopped: BotStopped | None = None
        # Tests may break a gateway payload on purpose: (event, data) -> data sent instead.
        self.rewrite_dispatch: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None

    # ----- addresses ------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        """What DISCORD_API_BASE should say (the bot appends /api/v10)."""
        return self.origin

    @property
    def gateway_url(self) -> str:
        """What DISCORD_GATEWAY_URL should say."""
        return f"ws://{self.host}:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        # A different address from the first, as on Discord, so a test sees which one was used.
        return f"ws://{self.host}:{self.port}/gateway-resume"

    # ----- guilds and channels --------------------------------------------------------------

    def check_new_guild(self, world: World) -> None:
        if any(w.guild_id == world.guild_id for w in getattr(self, "worlds", [])):
            raise SandboxError(f"guild {world.guild_id} is already in the sandbox")
        if world.bot_user.id != self.world.bot_user.id:
            raise SandboxError("every guild must have the same bot user")
        # Channels are found by id alone (REST paths carry no guild), so ids must not repeat.
        taken = {c.id for w in getattr(self, "worlds", []) for c in w.channels}
        if taken & {c.id for c in world.channels}:
            raise SandboxError(f"guild {world.guild_id} reuses another guild's channel ids; "
                               "make its id with guild_id_on_shard()")

    def guild(self, which: World | int | str | None = None) -> World:
        """A guild by World, id or name; None is the sandbox's own (the first)."""
        if which is None:
            return self.world
        if isinstance(which, World):
            if which not in self.worlds:
                raise SandboxError(f"guild {which.guild_id} is not in the sandbox")
            return which
        for world in self.worlds:
            if world.guild_id == which or world.guild_name == which or \
                    str(world.guild_id) == str(which):
                return world
        raise SandboxError(f"no guild {which!r}; guilds: "
                           f"{', '.join(str(w.guild_id) for w in self.worlds)}")

    def find_guild(self, guild_id: int | str) -> World | None:
        return next((w for w in self.worlds if str(w.guild_id) == str(guild_id)), None)

    def home(self, channel: Channel | int) -> World:
        """The guild a channel belongs to (channel ids are unique across guilds)."""
        channel_id = channel if isinstance(channel, int) else channel.id
        for world in self.worlds:
            if world.find_channel(channel_id) is not None:
                return world
        raise SandboxError(f"no channel {channel_id} in any guild")

    def find_channel(self, channel_id: int) -> Channel | None:
        for world in self.worlds:
            found = world.find_channel(channel_id)
            if found is not None:
                return found
        return None

    def resolve_channel(self, channel: str | int | Channel) -> Channel:
        # Names are looked up in the sandbox's own guild, where every name means one channel.
        if isinstance(channel, int):
            found = self.find_channel(channel)
            if found is not None:
                return found
        return self.world.channel(channel)

    def place(self, member: str | Member, channel: str | Channel,
              guild: World | int | str | None) -> tuple[World, Member, Channel]:
        """Where a member acts: the guild given, else the channel's, else the sandbox's."""
        if guild is not None:
            world = self.guild(guild)
        elif isinstance(channel, Channel):
            world = self.home(channel)
        else:
            world = self.world
        return world, world.member(member), world.channel(channel)

    def guild_events(self, world: World) -> list[dict[str, Any]]:
        return [e for e in self.events.values() if e["guild_id"] == str(world.guild_id)]

    def minimum_shards(self) -> int:
        """The fewest shards IDENTIFY may ask for: 1 unless `guilds_per_shard` is set."""
        if self.guilds_per_shard is None:
            return 1
        return max(1, math.ceil(len(self.worlds) / self.guilds_per_shard))

    # ----- changes, and waiting for them ----------------------------------------------------

    def notify(self) -> None:
        self._tick.set()
        self._tick = asyncio.Event()

    def listen(self, callback: Callable[[Event], None]) -> None:
        self._listeners.append(callback)

    def emit(self, event: Event) -> None:
        for callback in self._listeners:
            try:
                callback(event)
            except Exception:
                log.exception("a sandbox listener failed")
        self.notify()

    @property
    def bot_stopped(self) -> BotStopped | None:
        return self._stopped

    def bot_gone(self, error: BotStopped) -> None:
        self._stopped = error
        self.notify()

    async def wait_until(self, predicate: Callable[[], Any], *, within: float, what: str) -> Any:
        """Polls `predicate` on every change until it is truthy; fails on timeout or bot exit."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            value = predicate()
            if value:
                return value
            if self._stopped is not None:
                raise BotStopped(f"{self._stopped} while waiting for {what}") from self._stopped
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {within:g} s waiting for {what}")
            tick = self._tick
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(tick.wait(), remaining)
