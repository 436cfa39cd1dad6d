"""SandboxServer: a small Discord-compatible server on 127.0.0.1 (REST + gateway) to drive a bot.

It speaks enough of Discord's API v10 for Attaché: login, the gateway (HELLO, heartbeats,
IDENTIFY/READY/GUILD_CREATE, RESUME with replay, shards), command sync, interactions and their
callbacks, follow-ups, and channel messages with nonce de-duplication. It records every
request, injects faults on a route, and lets tests and the terminal sandbox act as members.

Shards, as Discord hands them out: IDENTIFY's `shard: [id, count]` (missing: [0, 1]) picks
the guilds a session gets, `(guild_id >> 22) % count == id`; READY lists only those, and every
guild-scoped dispatch (GUILD_CREATE, INTERACTION_CREATE, GUILD_DELETE, ...) goes only to the
current session of the owning shard: its newest connected session, else its newest one, whose
replay buffer keeps the event for a RESUME (as Discord keeps a resumable session's events).
An interaction for a guild whose shard has never had a session is dropped, as Discord drops
it: the person sees "This interaction failed" and the bot never hears of it; the acting call
raises InteractionFailed at once rather than make a test wait out the 3 seconds.

This module is the life cycle and the public calls; the work is done by parts that share one
SandboxState (state.py): RestApi (rest.py) answering the route table (routes.py), MessageStore
(message_store.py), Faults (faults.py), GatewayEndpoint (gateway_endpoint.py) and
MemberActions (actions.py).
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import fnmatch
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.sandbox import gateway as gw
from bot.sandbox.actions import MemberActions, MessageRef
from bot.sandbox.errors import BotStopped, HTTPError, InteractionFailed, SandboxError
from bot.sandbox.exchange import Exchange
from bot.sandbox.faults import HOLD_LIMIT, Fault, Faults, Hold
from bot.sandbox.gateway_endpoint import GatewayEndpoint
from bot.sandbox.message_store import MessageStore
from bot.sandbox.rest import API_PREFIX, JSON_TYPE, RestApi
from bot.sandbox.routes import route_table
from bot.sandbox.routes_channels import NONCE_WINDOW
from bot.sandbox.routes_interactions import RESPONSE_DEADLINE, TOKEN_LIFETIME
from bot.sandbox.state import Recorded, SandboxState
from bot.sandbox.world import Channel, Member, World

__all__ = [
    "API_PREFIX", "HOLD_LIMIT", "JSON_TYPE", "NONCE_WINDOW", "RESPONSE_DEADLINE",
    "TOKEN_LIFETIME", "BotStopped", "Fault", "HTTPError", "Hold", "InteractionFailed",
    "Recorded", "SandboxError", "SandboxServer",
]


class SandboxServer(SandboxState):
    """Start it, point the bot at `api_base` and `gateway_url`, then act as members.

    The server is its state (the attributes tests read: `messages`, `requests`, `sessions`,
    ...) with the parts that serve it attached; subclass it to change what interactions
    carry (`_interaction_payload`) or to watch each one sent (`_send`).
    """

    def __init__(self, token: str, world: World | None = None, *, host: str = "127.0.0.1",
                 port: int = 0, clock: Callable[[], datetime] | None = None,
                 guilds: Sequence[World] = (), recommended_shards: int = 1,
                 max_concurrency: int = 1, guilds_per_shard: int | None = None) -> None:
        """`world` is the sandbox's server (the one named channels and members refer to by
        default); `guilds` are more servers the bot is in, e.g. ones on other shards.

        `recommended_shards` and `max_concurrency` are what GET /gateway/bot answers.
        `guilds_per_shard`, off by default, makes IDENTIFY with fewer shards than the guilds
        need (Discord's is 2,500) fail with 4011 Sharding required.
        """
        super().__init__(token, world, host=host, port=port, clock=clock, guilds=guilds,
                         recommended_shards=recommended_shards,
                         max_concurrency=max_concurrency, guilds_per_shard=guilds_per_shard)
        self._faults = Faults()
        self.faults: list[Fault] = self._faults.faults
        self.holds: list[Hold] = self._faults.holds
        self._store = MessageStore(self)
        self._gateway = GatewayEndpoint(self)
        self._rest = RestApi(self, self._faults, route_table(self, self._store))
        self._actions = MemberActions(self, self._gateway, self._store, send=self._send,
                                      payload=self._interaction_payload)
        self._runner: web.AppRunner | None = None
        self._watchers: list[asyncio.Task[None]] = []
        self._watching: object = None

    # ----- life cycle ---------------------------------------------------------------------

    async def start(self) -> SandboxServer:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/gateway", self._gateway.handle)
        app.router.add_route("GET", "/gateway-resume", self._gateway.handle)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest.handle)
        app.router.add_route("GET", "/attachments/{attachment}/{filename}",
                             self._store.serve_file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.base_events.Server)
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._faults.release_all()
        for watcher in self._watchers:
            watcher.cancel()
        await self._gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        return await self.start()

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    # ----- guilds ---------------------------------------------------------------------------

    async def add_guild(self, world: World) -> None:
        """The bot joins a guild: GUILD_CREATE goes to the session of the shard that owns it."""
        self.check_new_guild(world)
        self.worlds.append(world)
        for channel in world.channels:
            self.channel_posts.setdefault(channel.id, [])
        session = self._gateway.session_for(world.guild_id)
        if session is not None:
            await self._gateway.send_guild(session, world, joined=True)
        self.notify()

    async def remove_guild(self, which: World | int | str) -> None:
        """The bot leaves (or is removed from) a guild: GUILD_DELETE to its shard's session."""
        world = self.guild(which)
        if world is self.world:
            raise SandboxError("the sandbox's own guild cannot be removed")
        self.worlds.remove(world)
        await self._gateway.dispatch("GUILD_DELETE", {"id": str(world.guild_id)},
                                     guild_id=world.guild_id)

    # ----- watching the bot, and waiting ----------------------------------------------------

    def watch(self, bot: asyncio.Future[Any] | asyncio.subprocess.Process) -> None:
        """Every wait fails at once if this task (bot.start()) or process ends.

        Watching a new bot forgets the one watched before, so a test can kill a bot and
        start another against the same server.
        """
        for watcher in self._watchers:
            watcher.cancel()
        self._watchers.clear()
        self._stopped = None
        self._watching = bot
        if isinstance(bot, asyncio.subprocess.Process):
            process = bot

            async def wait_for_exit() -> None:
                code = await process.wait()
                self.bot_gone(BotStopped(f"the bot process exited with status {code}"))

            self._watchers.append(asyncio.create_task(wait_for_exit()))
            return

        def done(task: asyncio.Future[Any]) -> None:
            if self._watching is not task:
                return  # a bot watched before; no longer the one that matters
            if task.cancelled():
                self.bot_gone(BotStopped("the bot's task was cancelled"))
                return
            error = task.exception()
            stopped = BotStopped(f"the bot stopped: {error!r}" if error else "the bot stopped")
            stopped.__cause__ = error
            self.bot_gone(stopped)

        bot.add_done_callback(done)

    def ready(self, shard: int | None = None) -> bool:
        """The newest session (of `shard`) is connected and was sent READY and its guilds."""
        return self._gateway.ready(shard)

    def sessions_of(self, shard: int) -> list[gw.Session]:
        return [s for s in self.sessions if s.shard[0] == shard]

    async def wait_until_ready(self, within: float = 30.0,
                               shards: Iterable[int] | None = None) -> None:
        """Until the bot has identified and been sent its guilds (on each of `shards`)."""
        wanted = list(shards) if shards is not None else [None]
        await self.wait_until(lambda: all(self.ready(s) for s in wanted), within=within,
                              what="gateway READY and GUILD_CREATE"
                              + (f" on shards {wanted}" if shards is not None else ""))

    async def wait_for_request(self, method: str, pattern: str, *, within: float = 10.0,
                               since: int = 0) -> Recorded:
        def found() -> Recorded | None:
            return next((r for r in self.requests[since:] if r.status and r.method == method
                         and fnmatch.fnmatchcase(r.path, pattern)), None)
        return await self.wait_until(found, within=within, what=f"{method} {pattern}")

    async def wait_for_post(self, channel: str | int | Channel,
                            predicate: Callable[[dict[str, Any]], bool] | None = None, *,
                            within: float = 10.0, since: int = 0) -> dict[str, Any]:
        """The first message the bot posted in a channel (not as an interaction response)."""
        target = self.resolve_channel(channel)

        def found() -> dict[str, Any] | None:
            for message in self.posts(target)[since:]:
                if predicate is None or predicate(message):
                    return message
            return None
        return await self.wait_until(found, within=within, what=f"a post in #{target.name}")

    def posts(self, channel: str | int | Channel) -> list[dict[str, Any]]:
        """Messages created through POST /channels/{id}/messages, oldest first."""
        target = self.resolve_channel(channel)
        return [self.messages[i] for i in self.channel_posts[target.id] if i in self.messages]

    # ----- faults ---------------------------------------------------------------------------

    def inject(self, method: str, pattern: str, status: int, *, times: int = 1,
               retry_after: float = 0.25, after: bool = False,
               body: dict[str, Any] | None = None) -> Fault:
        """The next `times` requests matching method and path pattern (fnmatch, e.g.
        `/channels/*/messages`, without /api/v10) get `status`. With after=True the request
        is carried out first and only its answer is lost, as when a connection drops."""
        return self._faults.inject(method, pattern, status, times=times,
                                   retry_after=retry_after, after=after, body=body)

    def hold(self, method: str, pattern: str, *, times: int = 1) -> Hold:
        """The next `times` requests matching method and path pattern (as for `inject`) are
        carried out, but their answers wait until `release()` (or HOLD_LIMIT seconds)."""
        return self._faults.hold(method, pattern, times=times)

    async def drop_gateway(self, *, clean: bool = False, shard: int | None = None) -> None:
        """Drops the bot's websocket (that of shard id `shard`, if given): cut like a network
        failure, or closed with code 4000."""
        await self._gateway.drop(clean=clean, shard=shard)

    # ----- the gateway ----------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any], *,
                       guild_id: int | None) -> bool:
        """Sends any gateway event (GUILD_SCHEDULED_EVENT_UPDATE, GUILD_ROLE_CREATE, ...)
        the way Discord routes it: only to the shard owning `guild_id`. False if unserved."""
        return await self._gateway.dispatch(event, data, guild_id=guild_id) is not None

    # ----- files ----------------------------------------------------------------------------

    def upload(self, filename: str, data: bytes, content_type: str | None = None
               ) -> dict[str, Any]:
        """A file a member attaches to a command option: the attachment object Discord puts in
        the interaction's resolved data."""
        return self._store.store_file(filename, data, content_type)

    def file_bytes(self, attachment_id: str) -> bytes | None:
        return self._store.file_bytes(attachment_id)

    # ----- acting as members ----------------------------------------------------------------

    def synced_commands(self, guild: World | int | str | None = None) -> list[dict[str, Any]]:
        """What a member of a guild (the sandbox's own by default) sees: its server
        commands, then global ones."""
        return self._actions.synced_commands(guild)

    def _interaction_payload(self, exchange: Exchange) -> dict[str, Any]:
        return self._actions.interaction_payload(exchange)

    async def _send(self, exchange: Exchange, *, within: float, settle: bool) -> Exchange:
        return await self._actions.send(exchange, within=within, settle=settle)

    async def slash(self, command: str, options: dict[str, Any] | None = None, *,
                    member: str | Member = "admin", channel: str | Channel = "briefings",
                    within: float = 10.0, settle: bool = True,
                    guild: World | int | str | None = None) -> Exchange:
        """Runs `/command` as `member` in `channel` and waits for the bot's answer.

        Options are python values by option name; choices may be given by name or value,
        members, roles and channels by name. `guild` picks another guild than the sandbox's
        (a Channel object given as `channel` picks its own).
        """
        return await self._actions.slash(command, options, member=member, channel=channel,
                                         within=within, settle=settle, guild=guild)

    async def autocomplete(self, command: str, option: str, typed: str,
                           options: dict[str, Any] | None = None, *,
                           member: str | Member = "admin", channel: str | Channel = "briefings",
                           within: float = 10.0, guild: World | int | str | None = None
                           ) -> list[dict[str, Any]]:
        """The choices the bot offers while `typed` is in `option` of `/command`."""
        return await self._actions.autocomplete(command, option, typed, options,
                                                member=member, channel=channel,
                                                within=within, guild=guild)

    async def click(self, message: MessageRef, custom_id: str | None = None, *,
                    label: str | None = None, index: int | None = None,
                    member: str | Member | None = None, within: float = 10.0,
                    settle: bool = True) -> Exchange:
        """Presses a button, found by custom_id, label or position (0-based)."""
        return await self._actions.click(message, custom_id, label=label, index=index,
                                         member=member, within=within, settle=settle)

    async def select(self, message: MessageRef, custom_id: str, values: list[str], *,
                     member: str | Member | None = None, within: float = 10.0) -> Exchange:
        """Picks values in a string select menu."""
        return await self._actions.select(message, custom_id, values, member=member,
                                          within=within)

    async def submit_modal(self, shown: Exchange, values: dict[str, str], *,
                           member: str | Member | None = None, within: float = 10.0,
                           settle: bool = True) -> Exchange:
        """Fills in and submits the form that `shown` opened; keys are custom_ids or labels."""
        return await self._actions.submit_modal(shown, values, member=member, within=within,
                                                settle=settle)
