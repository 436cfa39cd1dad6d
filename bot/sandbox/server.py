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
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import contextlib
import fnmatch
import json
import logging
import math
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

from bot.sandbox import gateway as gw
from bot.sandbox.exchange import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_MESSAGE,
    DEFERRED_UPDATE,
    MESSAGE_COMPONENT,
    MODAL,
    MODAL_SUBMIT,
    UPDATE_MESSAGE,
    Event,
    Exchange,
)
from bot.sandbox.messages import (
    BUTTON,
    EPHEMERAL,
    LABEL,
    LINK_STYLE,
    LOADING,
    SETTABLE_FLAGS,
    TEXT_INPUT,
    FormError,
    buttons,
    check_choices,
    check_message,
    check_modal,
    selects,
    text_inputs,
)
from bot.sandbox.options import OptionBuilder, OptionError, find_command
from bot.sandbox.world import (
    MANAGE_EVENTS,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    Channel,
    Member,
    Snowflakes,
    World,
    iso,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
# Exactly this: discord.py treats `application/json; charset=utf-8` as text.
JSON_TYPE = "application/json"
RESPONSE_DEADLINE = 3.0
TOKEN_LIFETIME = 15 * 60.0
NONCE_WINDOW = 5 * 60.0
# A held answer is let go after this long at most, so a forgotten hold never hangs a run.
HOLD_LIMIT = 60.0



class SandboxError(Exception):
    """The sandbox cannot do what a test or the person at the prompt asked."""


class BotStopped(SandboxError):
    """The bot being driven has stopped (its task ended or its process exited)."""


class InteractionFailed(SandboxError):
    """No gateway session serves the interaction's shard, so Discord never delivers it."""

    def __init__(self, message: str, exchange: Exchange) -> None:
        super().__init__(message)
        self.exchange = exchange


class HTTPError(Exception):
    """Ends a request with Discord's error body."""

    def __init__(self, status: int, code: int, message: str,
                 body: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body or {"message": message, "code": code}


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


@dataclass
class Fault:
    """Answers matching requests with an error status instead of (or after) handling them."""

    method: str
    pattern: str
    status: int
    times: int = 1
    retry_after: float = 0.25
    after: bool = False
    body: dict[str, Any] | None = None
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return self.hits < self.times and method in (self.method, "*") and fnmatch.fnmatchcase(
            path, self.pattern
        )


@dataclass
class Hold:
    """Carries out matching requests at once but keeps their answers back until released.

    The bot then waits on a request the server has already acted on, which is the moment a
    crash test needs: the message exists (nonce and all), the bot has not heard so.
    """

    method: str
    pattern: str
    times: int = 1
    held: list[Recorded] = field(default_factory=list)
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    def matches(self, method: str, path: str) -> bool:
        return len(self.held) < self.times and method in (self.method, "*") and \
            fnmatch.fnmatchcase(path, self.pattern)

    def release(self) -> None:
        self._released.set()

    async def wait(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._released.wait(), HOLD_LIMIT)


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Callable[..., Awaitable[Any]]
    auth: bool = True


@dataclass
class _Context:
    request: web.Request
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[dict[str, Any]] = field(default_factory=list)


class SandboxServer:
    """Start it, point the bot at `api_base` and `gateway_url`, then act as members."""

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
        self.token = token
        # "Now" for rules that compare with the bot's dates (an event may not start in the
        # past); the sandbox passes the bot's clock so both agree on what the date is.
        self.clock = clock or (lambda: datetime.now(UTC))
        self.world = world or World()
        self.worlds: list[World] = [self.world]
        for extra in guilds:
            self._check_new_guild(extra)
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
        self.faults: list[Fault] = []
        self.holds: list[Hold] = []
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
        self._by_token: dict[str, Exchange] = {}
        self._nonces: dict[tuple[int, str], tuple[float, int]] = {}
        self._listeners: list[Callable[[Event], None]] = []
        self._runner: web.AppRunner | None = None
        self._tick = asyncio.Event()
        self._stopped: BotStopped | None = None
        self._watchers: list[asyncio.Task[None]] = []
        self._watching: object = None
        self._routes = self._route_table()
        # Tests may break a gateway payload on purpose: (event, data) -> data sent instead.
        self.rewrite_dispatch: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None

    # ----- life cycle ---------------------------------------------------------------------

    async def start(self) -> SandboxServer:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/gateway", self._gateway)
        app.router.add_route("GET", "/gateway-resume", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        app.router.add_route("GET", "/attachments/{attachment}/{filename}", self._file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.base_events.Server)
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        for hold in self.holds:
            hold.release()
        for watcher in self._watchers:
            watcher.cancel()
        for session in self.sessions:
            if session.connection is not None:
                with contextlib.suppress(Exception):
                    await session.connection.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        return await self.start()

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

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

    # ----- guilds ---------------------------------------------------------------------------

    def _check_new_guild(self, world: World) -> None:
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

    def _find_guild(self, guild_id: int | str) -> World | None:
        return next((w for w in self.worlds if str(w.guild_id) == str(guild_id)), None)

    def _home(self, channel: Channel | int) -> World:
        """The guild a channel belongs to (channel ids are unique across guilds)."""
        channel_id = channel if isinstance(channel, int) else channel.id
        for world in self.worlds:
            if world.find_channel(channel_id) is not None:
                return world
        raise SandboxError(f"no channel {channel_id} in any guild")

    def _find_channel(self, channel_id: int) -> Channel | None:
        for world in self.worlds:
            found = world.find_channel(channel_id)
            if found is not None:
                return found
        return None

    def _resolve_channel(self, channel: str | int | Channel) -> Channel:
        # Names are looked up in the sandbox's own guild, where every name means one channel.
        if isinstance(channel, int):
            found = self._find_channel(channel)
            if found is not None:
                return found
        return self.world.channel(channel)

    def _place(self, member: str | Member, channel: str | Channel,
               guild: World | int | str | None) -> tuple[World, Member, Channel]:
        """Where a member acts: the guild given, else the channel's, else the sandbox's."""
        if guild is not None:
            world = self.guild(guild)
        elif isinstance(channel, Channel):
            world = self._home(channel)
        else:
            world = self.world
        return world, world.member(member), world.channel(channel)

    async def add_guild(self, world: World) -> None:
        """The bot joins a guild: GUILD_CREATE goes to the session of the shard that owns it."""
        self._check_new_guild(world)
        self.worlds.append(world)
        for channel in world.channels:
            self.channel_posts.setdefault(channel.id, [])
        session = self._session_for(world.guild_id)
        if session is not None:
            await self._send_guild(session, world, joined=True)
        self._notify()

    async def remove_guild(self, which: World | int | str) -> None:
        """The bot leaves (or is removed from) a guild: GUILD_DELETE to its shard's session."""
        world = self.guild(which)
        if world is self.world:
            raise SandboxError("the sandbox's own guild cannot be removed")
        self.worlds.remove(world)
        await self._dispatch("GUILD_DELETE", {"id": str(world.guild_id)},
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
                self._bot_gone(BotStopped(f"the bot process exited with status {code}"))

            self._watchers.append(asyncio.create_task(wait_for_exit()))
            return

        def done(task: asyncio.Future[Any]) -> None:
            if self._watching is not task:
                return  # a bot watched before; no longer the one that matters
            if task.cancelled():
                self._bot_gone(BotStopped("the bot's task was cancelled"))
                return
            error = task.exception()
            stopped = BotStopped(f"the bot stopped: {error!r}" if error else "the bot stopped")
            stopped.__cause__ = error
            self._bot_gone(stopped)

        bot.add_done_callback(done)

    def _bot_gone(self, error: BotStopped) -> None:
        self._stopped = error
        self._notify()

    @property
    def bot_stopped(self) -> BotStopped | None:
        return self._stopped

    def _notify(self) -> None:
        self._tick.set()
        self._tick = asyncio.Event()

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

    def _session(self, shard: int | None = None) -> gw.Session | None:
        """The newest session (of shard id `shard`, if given), connected ones first."""
        pool = [s for s in self.sessions if shard is None or s.shard[0] == shard]
        live = [s for s in pool if s.connection is not None]
        candidates = live or pool
        return candidates[-1] if candidates else None

    def _session_for(self, guild_id: int | None) -> gw.Session | None:
        """The session a guild's events go to: the newest connected one whose shard owns the
        guild, else the newest such one (its replay buffer keeps them for a RESUME)."""
        owners = [s for s in self.sessions if s.owns(guild_id)]
        live = [s for s in owners if s.connection is not None]
        candidates = live or owners
        return candidates[-1] if candidates else None

    def _served(self, session: gw.Session) -> bool:
        owned = {w.guild_id for w in self.worlds if session.owns(w.guild_id)}
        return session.connection is not None and session.seq > 0 and owned <= session.guilds

    def ready(self, shard: int | None = None) -> bool:
        """The newest session (of `shard`) is connected and was sent READY and its guilds."""
        session = self._session(shard)
        return session is not None and self._served(session)

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
        target = self._resolve_channel(channel)

        def found() -> dict[str, Any] | None:
            for message in self.posts(target)[since:]:
                if predicate is None or predicate(message):
                    return message
            return None
        return await self.wait_until(found, within=within, what=f"a post in #{target.name}")

    def posts(self, channel: str | int | Channel) -> list[dict[str, Any]]:
        """Messages created through POST /channels/{id}/messages, oldest first."""
        target = self._resolve_channel(channel)
        return [self.messages[i] for i in self.channel_posts[target.id] if i in self.messages]

    def listen(self, callback: Callable[[Event], None]) -> None:
        self._listeners.append(callback)

    def _emit(self, event: Event) -> None:
        for callback in self._listeners:
            try:
                callback(event)
            except Exception:
                log.exception("a sandbox listener failed")
        self._notify()

    # ----- faults ---------------------------------------------------------------------------

    def inject(self, method: str, pattern: str, status: int, *, times: int = 1,
               retry_after: float = 0.25, after: bool = False,
               body: dict[str, Any] | None = None) -> Fault:
        """The next `times` requests matching method and path pattern (fnmatch, e.g.
        `/channels/*/messages`, without /api/v10) get `status`. With after=True the request
        is carried out first and only its answer is lost, as when a connection drops."""
        fault = Fault(method.upper(), pattern, status, times, retry_after, after, body)
        self.faults.append(fault)
        return fault

    def hold(self, method: str, pattern: str, *, times: int = 1) -> Hold:
        """The next `times` requests matching method and path pattern (as for `inject`) are
        carried out, but their answers wait until `release()` (or HOLD_LIMIT seconds)."""
        hold = Hold(method.upper(), pattern, times)
        self.holds.append(hold)
        return hold

    async def drop_gateway(self, *, clean: bool = False, shard: int | None = None) -> None:
        """Drops the bot's websocket (that of shard id `shard`, if given): cut like a network
        failure, or closed with code 4000."""
        session = self._session(shard)
        if session is None or session.connection is None:
            raise SandboxError("the bot has no gateway connection to drop")
        connection, session.connection = session.connection, None
        self.gateway_log.append(("server", "drop", "clean" if clean else "cut"))
        if clean:
            await connection.ws.close(code=gw.DROPPED, message=b"dropped by the sandbox")
        else:
            connection.cut()
        self._notify()

    def _fault_response(self, fault: Fault) -> web.Response:
        fault.hits += 1
        if fault.status == 429:
            reset = time.time() + fault.retry_after
            headers = {
                "Via": "1.1 google", "Retry-After": str(math.ceil(fault.retry_after)),
                "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{reset:.3f}",
                "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
                "X-RateLimit-Bucket": "sandbox-" + secrets.token_hex(4),
                "X-RateLimit-Scope": "user",
            }
            body = fault.body or {"message": "You are being rate limited.",
                                  "retry_after": fault.retry_after, "global": False}
            return _json(429, body, headers)
        default = {
            403: {"message": "Missing Permissions", "code": 50013},
            404: {"message": "404: Not Found", "code": 0},
        }.get(fault.status, {"message": f"{fault.status}: sandbox fault", "code": 0})
        return _json(fault.status, fault.body or default)

    # ----- REST -----------------------------------------------------------------------------

    def _route_table(self) -> list[_Route]:
        table: list[tuple[str, str, Callable[..., Awaitable[Any]], bool]] = [
            ("GET", "/users/@me", self._me, True),
            ("GET", "/users/{user}", self._user, True),
            ("GET", "/oauth2/applications/@me", self._application, True),
            ("GET", "/applications/@me", self._application, True),
            ("GET", "/gateway", self._gateway_info, False),
            ("GET", "/gateway/bot", self._gateway_info, True),
            ("GET", "/applications/{app}/commands", self._get_commands, True),
            ("PUT", "/applications/{app}/commands", self._put_commands, True),
            ("GET", "/applications/{app}/guilds/{guild}/commands", self._get_commands, True),
            ("PUT", "/applications/{app}/guilds/{guild}/commands", self._put_commands, True),
            ("GET", "/applications/{app}/guilds/{guild}/commands/permissions",
             self._command_permissions, True),
            ("POST", "/interactions/{interaction}/{token}/callback", self._callback, False),
            ("GET", "/webhooks/{app}/{token}/messages/{message}", self._get_webhook_message,
             False),
            ("PATCH", "/webhooks/{app}/{token}/messages/{message}", self._edit_webhook_message,
             False),
            ("DELETE", "/webhooks/{app}/{token}/messages/{message}",
             self._delete_webhook_message, False),
            ("POST", "/webhooks/{app}/{token}", self._followup, False),
            ("GET", "/channels/{channel}", self._get_channel, True),
            ("GET", "/channels/{channel}/messages", self._list_messages, True),
            ("POST", "/channels/{channel}/messages", self._post_message, True),
            ("GET", "/channels/{channel}/messages/{message}", self._get_message, True),
            ("PATCH", "/channels/{channel}/messages/{message}", self._edit_message, True),
            ("DELETE", "/channels/{channel}/messages/{message}", self._delete_message, True),
            ("POST", "/channels/{channel}/typing", self._typing, True),
            ("GET", "/guilds/{guild}", self._get_guild, True),
            ("GET", "/guilds/{guild}/channels", self._get_guild_channels, True),
            ("GET", "/guilds/{guild}/roles", self._get_roles, True),
            ("GET", "/guilds/{guild}/members/{user}", self._get_member, True),
            ("GET", "/guilds/{guild}/scheduled-events", self._list_events, True),
            ("POST", "/guilds/{guild}/scheduled-events", self._create_event, True),
            ("GET", "/guilds/{guild}/scheduled-events/{event}", self._get_event, True),
            ("PATCH", "/guilds/{guild}/scheduled-events/{event}", self._edit_event, True),
            ("DELETE", "/guilds/{guild}/scheduled-events/{event}", self._delete_event, True),
        ]
        routes = []
        for method, template, handler, auth in table:
            regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
            routes.append(_Route(method, re.compile(f"^{regex}$"), handler, auth))
        return routes

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX):]
        query = dict(request.query)
        body, files = await _read_body(request)
        record = Recorded(request.method, path, query, body,
                          at=asyncio.get_running_loop().time())
        self.requests.append(record)
        response = await self._answer(request, record, files)
        hold = next((h for h in self.holds if h.matches(record.method, record.path)), None)
        if hold is not None:
            hold.held.append(record)
            self._notify()
            await hold.wait()
        record.status = response.status
        self._notify()
        return response

    async def _answer(self, request: web.Request, record: Recorded,
                      files: list[dict[str, Any]]) -> web.Response:
        fault = next((f for f in self.faults if f.matches(record.method, record.path)), None)
        if fault is not None and not fault.after:
            return self._fault_response(fault)
        route, params = self._match(record.method, record.path)
        if route is None:
            self.unhandled.append(record)
            log.warning("sandbox: no route for %s %s", record.method, record.path)
            response = _json(404, {"message": "404: Not Found", "code": 0})
        elif route.auth and request.headers.get("Authorization") != f"Bot {self.token}":
            response = _json(401, {"message": "401: Unauthorized", "code": 0})
        else:
            context = _Context(request, params, record.query, record.json, files)
            try:
                status, data = await route.handler(context)
                response = (web.Response(status=204) if data is None else _json(status, data))
            except HTTPError as exc:
                response = _json(exc.status, exc.body)
            except FormError as exc:
                log.warning("sandbox refused %s %s: %s", record.method, record.path, exc)
                response = _json(400, exc.body())
        if fault is not None:
            return self._fault_response(fault)
        return response

    def _match(self, method: str, path: str) -> tuple[_Route | None, dict[str, str]]:
        for route in self._routes:
            if route.method == method:
                found = route.pattern.match(path)
                if found:
                    return route, found.groupdict()
        return None, {}

    # Login and the application.

    async def _me(self, ctx: _Context) -> tuple[int, Any]:
        data = self.world.bot_user.payload()
        data.update(verified=True, mfa_enabled=False, email=None, locale="en-US",
                    premium_type=0)
        return 200, data

    async def _user(self, ctx: _Context) -> tuple[int, Any]:
        for world in self.worlds:
            with contextlib.suppress(KeyError, ValueError):
                return 200, world.member(int(ctx.params["user"])).user.payload()
        raise HTTPError(404, 10013, "Unknown User")

    async def _application(self, ctx: _Context) -> tuple[int, Any]:
        world = self.world
        owner = world.member(world.owner_id).user.payload()
        return 200, {
            "id": str(world.application_id), "name": world.bot_user.name, "icon": None,
            "description": "", "summary": "", "type": None, "cover_image": None,
            "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64,
            "flags": 0, "owner": owner, "team": None, "bot": world.bot_user.payload(),
            "rpc_origins": [], "terms_of_service_url": None, "privacy_policy_url": None,
            "interactions_endpoint_url": None, "redirect_uris": [], "tags": [],
            "install_params": None, "custom_install_url": None,
            "approximate_guild_count": len(self.worlds),
            "guild_id": None,
            "integration_types_config": {"0": {}},
        }

    async def _gateway_info(self, ctx: _Context) -> tuple[int, Any]:
        # Unauthenticated GET /gateway says only where; /gateway/bot adds how many shards.
        if ctx.request.path.endswith("/gateway"):
            return 200, {"url": self.gateway_url}
        return 200, {"url": self.gateway_url, "shards": self.recommended_shards,
                     "session_start_limit": {"total": 1000, "remaining": 1000,
                                             "reset_after": 0,
                                             "max_concurrency": self.max_concurrency}}

    def minimum_shards(self) -> int:
        """The fewest shards IDENTIFY may ask for: 1 unless `guilds_per_shard` is set."""
        if self.guilds_per_shard is None:
            return 1
        return max(1, math.ceil(len(self.worlds) / self.guilds_per_shard))

    # Application commands.

    def _check_app(self, ctx: _Context) -> int | None:
        if int(ctx.params["app"]) != self.world.application_id:
            raise HTTPError(403, 50001, "Missing Access")
        guild = ctx.params.get("guild")
        if guild is not None and self._find_guild(guild) is None:
            raise HTTPError(403, 50001, "Missing Access")
        return int(guild) if guild else None

    async def _get_commands(self, ctx: _Context) -> tuple[int, Any]:
        return 200, self.commands.get(self._check_app(ctx), [])

    async def _put_commands(self, ctx: _Context) -> tuple[int, Any]:
        guild = self._check_app(ctx)
        if not isinstance(ctx.json, list):
            raise FormError({"_": "a list of commands is expected"})
        if len(ctx.json) > 100:
            raise FormError({"_": "at most 100 commands"})
        previous = {c["name"]: c for c in self.commands.get(guild, [])}
        stored = []
        for command in ctx.json:
            if not isinstance(command, dict) or not command.get("name"):
                raise FormError({"name": "every command needs a name"})
            kept = previous.get(command["name"])
            saved = {
                "type": 1, "description": "", "options": [], "nsfw": False,
                "default_member_permissions": None, **command,
                "id": kept["id"] if kept else str(self.ids.next()),
                "application_id": str(self.world.application_id),
                "version": str(self.ids.next()),
            }
            if guild is not None:
                saved["guild_id"] = str(guild)
            stored.append(saved)
        self.commands[guild] = stored
        return 200, stored

    async def _command_permissions(self, ctx: _Context) -> tuple[int, Any]:
        self._check_app(ctx)
        return 200, []

    # Interactions.

    def _exchange(self, ctx: _Context, id_key: str = "app") -> Exchange:
        exchange = self._by_token.get(ctx.params["token"])
        if id_key == "interaction":
            if exchange is None or str(exchange.id) != ctx.params["interaction"]:
                raise HTTPError(404, 10062, "Unknown interaction")
        elif exchange is None or int(ctx.params["app"]) != self.world.application_id:
            raise HTTPError(404, 10015, "Unknown Webhook")
        loop = asyncio.get_running_loop()
        if loop.time() > exchange.sent_at + TOKEN_LIFETIME:
            raise HTTPError(401, 50027, "Invalid Webhook Token")
        return exchange

    async def _callback(self, ctx: _Context) -> tuple[int, Any]:
        exchange = self._exchange(ctx, "interaction")
        now = asyncio.get_running_loop().time()
        if now > exchange.sent_at + RESPONSE_DEADLINE:
            exchange.refused.append({"code": 10062, "late_by": now - exchange.sent_at})
            raise HTTPError(404, 10062, "Unknown interaction")
        if exchange.response_type is not None:
            exchange.refused.append({"code": 40060})
            raise HTTPError(400, 40060, "Interaction has already been acknowledged.")
        body = ctx.json if isinstance(ctx.json, dict) else {}
        kind, data = body.get("type"), body.get("data") or {}
        allowed = {
            APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_MESSAGE, MODAL},
            MESSAGE_COMPONENT: {CHANNEL_MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE,
                                UPDATE_MESSAGE, MODAL},
            AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
            MODAL_SUBMIT: {CHANNEL_MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
        }[exchange.kind]
        if exchange.kind == MODAL_SUBMIT and exchange.component_message_id is None:
            allowed = {CHANNEL_MESSAGE, DEFERRED_MESSAGE}
        if kind not in allowed:
            raise HTTPError(400, 40004, f"Interaction callback type {kind} is not valid for "
                            f"this interaction (type {exchange.kind})")
        message: dict[str, Any] | None = None
        event: Event | None = None
        if kind == CHANNEL_MESSAGE:
            check_message(data, files=len(ctx.files))
            message = self._create_message(exchange.channel, data, files=ctx.files,
                                           exchange=exchange)
            exchange.original_id = int(message["id"])
            event = Event("reply", message, exchange, exchange.channel.id)
        elif kind == DEFERRED_MESSAGE:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = self._create_message(exchange.channel, {"content": "", "flags": flags},
                                           exchange=exchange, raw_flags=True)
            exchange.original_id = int(message["id"])
            event = Event("reply", message, exchange, exchange.channel.id)
        elif kind == UPDATE_MESSAGE:
            check_message(data, files=len(ctx.files), editing=True)
            assert exchange.component_message_id is not None
            message = self._edit(exchange.component_message_id, data, ctx.files)
            event = Event("update", message, exchange, exchange.channel.id)
        elif kind == AUTOCOMPLETE_RESULT:
            check_choices(data)
            exchange.choices = list(data["choices"])
            event = Event("choices", None, exchange, exchange.channel.id)
        elif kind == MODAL:
            check_modal(data)
            exchange.modal = data
            event = Event("modal", None, exchange, exchange.channel.id)
        exchange.response_type = kind
        exchange.answered_at = now
        if event is not None:
            self._emit(event)
        ephemeral = bool(message and int(message.get("flags") or 0) & EPHEMERAL)
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(exchange.id), "type": exchange.kind,
                "response_message_loading": kind == DEFERRED_MESSAGE,
                "response_message_ephemeral": ephemeral,
            },
            "resource": {"type": kind},
        }
        if message is not None:
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"]["message"] = message
        if ctx.query.get("with_response") in ("1", "true", "True"):
            return 200, answer
        return 204, None

    def _webhook_target(self, exchange: Exchange, ref: str) -> int:
        if ref == "@original":
            target = exchange.original_id
            if target is None and exchange.response_type in (DEFERRED_UPDATE, UPDATE_MESSAGE):
                target = exchange.component_message_id
            if target is None:
                raise HTTPError(404, 10008, "Unknown Message")
            return target
        if not ref.isdigit() or int(ref) not in exchange.followup_ids:
            raise HTTPError(404, 10008, "Unknown Message")
        return int(ref)

    async def _get_webhook_message(self, ctx: _Context) -> tuple[int, Any]:
        exchange = self._exchange(ctx)
        return 200, self.messages[self._webhook_target(exchange, ctx.params["message"])]

    async def _edit_webhook_message(self, ctx: _Context) -> tuple[int, Any]:
        exchange = self._exchange(ctx)
        target = self._webhook_target(exchange, ctx.params["message"])
        body = ctx.json if isinstance(ctx.json, dict) else {}
        check_message(body, files=len(ctx.files), editing=True)
        message = self._edit(target, body, ctx.files)
        if ctx.params["message"] == "@original" or target == exchange.component_message_id:
            exchange.edits += 1
        self._emit(Event("update", message, exchange, int(message["channel_id"])))
        return 200, message

    async def _delete_webhook_message(self, ctx: _Context) -> tuple[int, Any]:
        exchange = self._exchange(ctx)
        target = self._webhook_target(exchange, ctx.params["message"])
        message = self.messages.pop(target)
        self._emit(Event("delete", message, exchange, int(message["channel_id"])))
        return 204, None

    async def _followup(self, ctx: _Context) -> tuple[int, Any]:
        exchange = self._exchange(ctx)
        if exchange.response_type is None:
            raise HTTPError(404, 10015, "Unknown Webhook")
        body = ctx.json if isinstance(ctx.json, dict) else {}
        check_message(body, files=len(ctx.files))
        original = exchange.message
        if (exchange.response_type == DEFERRED_MESSAGE and exchange.edits == 0
                and not exchange.followup_ids and original is not None):
            # Discord: the first follow-up after a deferral fills in the "thinking" message.
            message = self._edit(int(original["id"]), body, ctx.files, finish_loading=True)
            exchange.edits += 1
            self._emit(Event("update", message, exchange, exchange.channel.id))
        else:
            message = self._create_message(exchange.channel, body, files=ctx.files,
                                           exchange=exchange, followup=True)
            exchange.followup_ids.append(int(message["id"]))
            self._emit(Event("followup", message, exchange, exchange.channel.id))
        if ctx.query.get("wait") in ("1", "true", "True"):
            return 200, message
        return 204, None

    # Channels, messages and the server.

    def _channel(self, ctx: _Context) -> Channel:
        raw = ctx.params["channel"]
        channel = self._find_channel(int(raw)) if raw.isdigit() else None
        if channel is None:
            raise HTTPError(404, 10003, "Unknown Channel")
        return channel

    def _require(self, channel: Channel, needed: int) -> None:
        world = self._home(channel)
        granted = world.permissions(world.bot_member, channel)
        if not granted & VIEW_CHANNEL:
            raise HTTPError(403, 50001, "Missing Access")
        if granted & needed != needed:
            raise HTTPError(403, 50013, "Missing Permissions")

    def _channel_message(self, ctx: _Context, channel: Channel) -> dict[str, Any]:
        raw = ctx.params["message"]
        message = self.messages.get(int(raw)) if raw.isdigit() else None
        if message is None or message["channel_id"] != str(channel.id):
            raise HTTPError(404, 10008, "Unknown Message")
        return message

    async def _get_channel(self, ctx: _Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        self._require(channel, VIEW_CHANNEL)
        return 200, channel.payload(self._home(channel).guild_id)

    async def _list_messages(self, ctx: _Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        self._require(channel, VIEW_CHANNEL)
        limit = min(int(ctx.query.get("limit", "50")), 100)
        visible = [m for m in self.messages.values() if m["channel_id"] == str(channel.id)
                   and not int(m.get("flags") or 0) & EPHEMERAL]
        visible.sort(key=lambda m: int(m["id"]), reverse=True)
        return 200, visible[:limit]

    async def _post_message(self, ctx: _Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        self._require(channel, SEND_MESSAGES)
        body = ctx.json if isinstance(ctx.json, dict) else {}
        check_message(body, files=len(ctx.files))
        nonce = body.get("nonce")
        now = asyncio.get_running_loop().time()
        key = (self.world.bot_user.id, str(nonce))
        if nonce is not None and body.get("enforce_nonce"):
            seen = self._nonces.get(key)
            if seen and now - seen[0] < NONCE_WINDOW and seen[1] in self.messages:
                # Discord returns the message already made with this nonce, not a new one.
                return 200, self.messages[seen[1]]
        message = self._create_message(channel, body, files=ctx.files)
        if nonce is not None:
            self._nonces[key] = (now, int(message["id"]))
        self.channel_posts[channel.id].append(int(message["id"]))
        self._emit(Event("post", message, None, channel.id))
        return 200, message

    async def _get_message(self, ctx: _Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        self._require(channel, VIEW_CHANNEL)
        return 200, self._channel_message(ctx, channel)

    async def _edit_message(self, ctx: _Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        message = self._channel_message(ctx, channel)
        if message["author"]["id"] != str(self.world.bot_user.id):
            raise HTTPError(403, 50005, "Cannot edit a message authored by another user")
        body = ctx.json if isinstance(ctx.json, dict) else {}
        check_message(body, files=len(ctx.files), editing=True)
        edited = self._edit(int(message["id"]), body, ctx.files)
        self._emit(Event("update", edited, None, channel.id))
        return 200, edited

    async def _delete_message(self, ctx: _Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        message = self._channel_message(ctx, channel)
        del self.messages[int(message["id"])]
        self._emit(Event("delete", message, None, channel.id))
        return 204, None

    async def _typing(self, ctx: _Context) -> tuple[int, Any]:
        self._require(self._channel(ctx), SEND_MESSAGES)
        return 204, None

    def _check_guild(self, ctx: _Context) -> World:
        world = self._find_guild(ctx.params["guild"])
        if world is None:
            raise HTTPError(404, 10004, "Unknown Guild")
        return world

    async def _get_guild(self, ctx: _Context) -> tuple[int, Any]:
        data = self._check_guild(ctx).guild_payload(0)
        for key in ("members", "channels", "threads", "presences", "voice_states"):
            data.pop(key, None)
        return 200, data

    async def _get_guild_channels(self, ctx: _Context) -> tuple[int, Any]:
        world = self._check_guild(ctx)
        return 200, [c.payload(world.guild_id) for c in world.channels]

    async def _get_roles(self, ctx: _Context) -> tuple[int, Any]:
        return 200, [r.payload() for r in self._check_guild(ctx).roles]

    async def _get_member(self, ctx: _Context) -> tuple[int, Any]:
        world = self._check_guild(ctx)
        try:
            return 200, world.member(int(ctx.params["user"])).payload()
        except (KeyError, ValueError):
            raise HTTPError(404, 10007, "Unknown Member") from None

    # Scheduled events (external ones: a place and a start and end time).

    def _event(self, ctx: _Context) -> dict[str, Any]:
        world = self._check_guild(ctx)
        raw = ctx.params["event"]
        event = self.events.get(int(raw)) if raw.isdigit() else None
        if event is None or event["guild_id"] != str(world.guild_id):
            raise HTTPError(404, 10070, "Unknown Guild Scheduled Event")
        return event

    def _check_event(self, event: dict[str, Any], *, creating: bool) -> None:
        problems: dict[str, str] = {}
        if not 1 <= len(event.get("name") or "") <= 100:
            problems["name"] = "must be 1 to 100 characters long"
        if len(event.get("description") or "") > 1000:
            problems["description"] = "at most 1000 characters"
        if event.get("entity_type") == 3:
            location = (event.get("entity_metadata") or {}).get("location") or ""
            if not 1 <= len(location) <= 100:
                problems["entity_metadata.location"] = "an external event needs a place (1-100)"
            if not event.get("scheduled_end_time"):
                problems["scheduled_end_time"] = "an external event needs an end time"
        try:
            start = datetime.fromisoformat(event["scheduled_start_time"])
            end = event.get("scheduled_end_time")
            if creating and start < self.clock():
                problems["scheduled_start_time"] = "Cannot schedule event in the past."
            if end and datetime.fromisoformat(end) <= start:
                problems["scheduled_end_time"] = "must be after the start time"
        except (KeyError, TypeError, ValueError):
            problems["scheduled_start_time"] = "an ISO 8601 time is required"
        if problems:
            raise FormError(problems)

    def guild_events(self, world: World) -> list[dict[str, Any]]:
        return [e for e in self.events.values() if e["guild_id"] == str(world.guild_id)]

    async def _list_events(self, ctx: _Context) -> tuple[int, Any]:
        return 200, self.guild_events(self._check_guild(ctx))

    async def _get_event(self, ctx: _Context) -> tuple[int, Any]:
        return 200, self._event(ctx)

    async def _create_event(self, ctx: _Context) -> tuple[int, Any]:
        world = self._check_guild(ctx)
        if not world.permissions(world.bot_member) & MANAGE_EVENTS:
            raise HTTPError(403, 50013, "Missing Permissions")
        body = ctx.json if isinstance(ctx.json, dict) else {}
        event_id = self.ids.next()
        event = {
            "id": str(event_id), "guild_id": str(world.guild_id), "channel_id": None,
            "creator_id": str(self.world.bot_user.id), "creator": self.world.bot_user.payload(),
            "name": body.get("name"), "description": body.get("description"),
            "scheduled_start_time": body.get("scheduled_start_time"),
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": body.get("privacy_level", 2), "status": 1,
            "entity_type": body.get("entity_type"), "entity_id": None,
            "entity_metadata": body.get("entity_metadata"), "user_count": 0, "image": None,
            "recurrence_rule": None,
        }
        self._check_event(event, creating=True)
        self.events[event_id] = event
        self._notify()
        return 200, event

    async def _edit_event(self, ctx: _Context) -> tuple[int, Any]:
        event = self._event(ctx)
        body = ctx.json if isinstance(ctx.json, dict) else {}
        changed = {**event, **{k: v for k, v in body.items() if k in (
            "name", "description", "scheduled_start_time", "scheduled_end_time", "status",
            "entity_type", "entity_metadata", "privacy_level", "channel_id")}}
        if changed["status"] != event["status"] and (event["status"] != 1 or changed["status"]
                                                     not in (2, 4)):
            raise FormError({"status": "only a scheduled event can start or be cancelled"})
        self._check_event(changed, creating=False)
        event.update(changed)
        self._notify()
        return 200, event

    async def _delete_event(self, ctx: _Context) -> tuple[int, Any]:
        event = self._event(ctx)
        del self.events[int(event["id"])]
        self._notify()
        return 204, None

    # Message store.

    def _create_message(self, channel: Channel, data: dict[str, Any], *,
                        files: list[dict[str, Any]] | None = None,
                        exchange: Exchange | None = None, followup: bool = False,
                        raw_flags: bool = False) -> dict[str, Any]:
        message_id = self.ids.next()
        home = self._home(channel)
        flags = int(data.get("flags") or 0)
        if not raw_flags:
            flags &= SETTABLE_FLAGS
        message: dict[str, Any] = {
            "id": str(message_id), "channel_id": str(channel.id),
            "guild_id": str(home.guild_id), "author": self.world.bot_user.payload(),
            "content": data.get("content") or "", "timestamp": iso(datetime.now(UTC)),
            "edited_timestamp": None, "tts": bool(data.get("tts")), "mention_everyone": False,
            "mentions": [], "mention_roles": [], "mention_channels": [],
            "attachments": self._attachments(files or []),
            "embeds": [_embed(e) for e in data.get("embeds") or []], "reactions": [],
            "pinned": False, "type": 0, "flags": flags,
            "components": data.get("components") or [],
        }
        if data.get("nonce") is not None:
            message["nonce"] = data["nonce"]
        if exchange is not None:
            app = str(self.world.application_id)
            message.update(webhook_id=app, application_id=app)
            if exchange.kind == APPLICATION_COMMAND and not followup:
                message["type"] = 20
            message["interaction_metadata"] = {
                "id": str(exchange.id), "type": exchange.kind,
                "user": exchange.member.user.payload(),
                "authorizing_integration_owners": {"0": str(home.guild_id)},
            }
            if exchange.kind == APPLICATION_COMMAND:
                message["interaction_metadata"]["name"] = " ".join(exchange._path())
        self.messages[message_id] = message
        return message

    def _edit(self, message_id: int, data: dict[str, Any], files: list[dict[str, Any]],
              *, finish_loading: bool = True) -> dict[str, Any]:
        message = self.messages.get(message_id)
        if message is None:
            raise HTTPError(404, 10008, "Unknown Message")
        for key in ("content", "embeds", "components"):
            if key in data and data[key] is not None:
                message[key] = data[key] if key != "embeds" else [_embed(e) for e in data[key]]
            elif key in data:
                message[key] = "" if key == "content" else []
        if "attachments" in data or files:
            kept = {str(a.get("id")) for a in data.get("attachments") or []}
            message["attachments"] = [a for a in message["attachments"] if a["id"] in kept]
            message["attachments"] += self._attachments(files)
        flags = int(message.get("flags") or 0)
        if finish_loading:
            flags &= ~LOADING
        if "flags" in data and data["flags"] is not None:
            flags = (flags & (EPHEMERAL | LOADING)) | (int(data["flags"]) & ~EPHEMERAL
                                                       & SETTABLE_FLAGS)
        message["flags"] = flags
        message["edited_timestamp"] = iso(datetime.now(UTC))
        return message

    def _attachments(self, files: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for file in files:
            attachment = self._store_file(file["filename"], file["data"],
                                          file.get("content_type"))
            attachment["data"] = file["data"].decode("utf-8", "replace")
            out.append(attachment)
        return out

    def _store_file(self, filename: str, data: bytes, content_type: str | None) -> dict[str, Any]:
        """Keeps a file's bytes, served at the attachment's URL as Discord's CDN would."""
        attachment_id = str(self.ids.next())
        kind = content_type or "application/octet-stream"
        self.files[attachment_id] = (filename, data, kind)
        url = f"{self.origin}/attachments/{attachment_id}/{filename}"
        return {"id": attachment_id, "filename": filename, "size": len(data), "url": url,
                "proxy_url": url, "content_type": kind}

    def upload(self, filename: str, data: bytes, content_type: str | None = None
               ) -> dict[str, Any]:
        """A file a member attaches to a command option: the attachment object Discord puts in
        the interaction's resolved data."""
        return self._store_file(filename, data, content_type)

    def file_bytes(self, attachment_id: str) -> bytes | None:
        found = self.files.get(str(attachment_id))
        return found[1] if found else None

    async def _file(self, request: web.Request) -> web.StreamResponse:
        found = self.files.get(request.match_info["attachment"])
        if found is None or found[0] != request.match_info["filename"]:
            return web.Response(status=404, text="no such attachment")
        return web.Response(body=found[1], content_type=found[2].split(";")[0])

    # ----- the gateway ----------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=4 * 1024 * 1024)
        await ws.prepare(request)
        compress = request.query.get("compress") == "zlib-stream"
        connection = gw.Connection(ws, request, compress)
        self.gateway_log.append(("server", "open", request.path))
        await connection.send({"op": gw.HELLO, "d": {
            "heartbeat_interval": gw.HEARTBEAT_INTERVAL_MS, "_trace": ["sandbox"]},
            "s": None, "t": None})
        session: gw.Session | None = None
        try:
            async for frame in ws:
                if frame.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(frame.data)
                op, data = payload.get("op"), payload.get("d")
                self.gateway_log.append(("bot", op, _without_token(data)))
                if op == gw.HEARTBEAT:
                    await connection.send({"op": gw.HEARTBEAT_ACK})
                elif op == gw.IDENTIFY:
                    session = await self._identify(connection, data or {})
                elif op == gw.RESUME:
                    session = await self._resume(connection, data or {})
        except ConnectionResetError:
            pass
        finally:
            if session is not None and session.connection is connection:
                session.connection = None
            self.gateway_log.append(("server", "closed", ws.close_code))
            self._notify()
        return ws

    async def _identify(self, connection: gw.Connection, data: dict[str, Any]) -> gw.Session:
        if data.get("token") != self.token:
            await connection.ws.close(code=gw.AUTHENTICATION_FAILED,
                                      message=b"Authentication failed.")
            raise ConnectionResetError("refused token")
        try:
            shard = gw.parse_shard(data.get("shard"), minimum=self.minimum_shards())
        except gw.ShardRefused as refused:
            self.gateway_log.append(("server", "refused", refused.code))
            await connection.ws.close(code=refused.code, message=refused.reason.encode())
            raise ConnectionResetError(refused.reason) from None
        self.identifies += 1
        session = gw.Session(intents=int(data.get("intents") or 0), shard=shard)
        session.connection = connection
        self.sessions.append(session)
        owned = [w for w in self.worlds if session.owns(w.guild_id)]
        user = self.world.bot_user.payload()
        user.update(verified=True, mfa_enabled=False, email=None)
        ready = {
            "v": 10, "user": user, "session_id": session.id, "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "guilds": [{"id": str(w.guild_id), "unavailable": True} for w in owned],
            "application": {"id": str(self.world.application_id), "flags": 0},
            "private_channels": [], "relationships": [], "presences": [],
            "user_settings": {}, "geo_ordered_rtc_regions": ["sandbox"], "guild_join_requests": [],
            "auth_session_id_hash": secrets.token_hex(8), "_trace": ["sandbox"],
        }
        if "shard" in data:
            # Discord echoes the pair only to a client that sent one.
            ready["shard"] = list(shard)
        await connection.send(self._frame(session, "READY", ready))
        for world in owned:
            await self._send_guild(session, world)
        self._notify()
        return session

    async def _send_guild(self, session: gw.Session, world: World, *,
                          joined: bool = False) -> None:
        """GUILD_CREATE for one guild, sent now or kept for the session's RESUME."""
        data = world.guild_payload(session.intents, self.guild_events(world))
        if joined:
            # Discord leaves `unavailable` out when the bot joins; `false` would tell
            # discord.py a known guild came back from an outage (guild_available, not join).
            del data["unavailable"]
        session.guilds.add(world.guild_id)
        await self._deliver(session, self._frame(session, "GUILD_CREATE", data))

    async def _resume(self, connection: gw.Connection, data: dict[str, Any]) -> gw.Session | None:
        session = next((s for s in self.sessions if s.id == data.get("session_id")), None)
        if data.get("token") != self.token:
            await connection.ws.close(code=gw.AUTHENTICATION_FAILED,
                                      message=b"Authentication failed.")
            raise ConnectionResetError("refused token")
        if session is None:
            await connection.send({"op": gw.INVALID_SESSION, "d": False})
            return None
        if session.connection is not None and session.connection is not connection:
            with contextlib.suppress(Exception):
                await session.connection.ws.close(code=gw.DROPPED)
        session.connection = connection
        session.resumes += 1
        self.resumes += 1
        for payload in session.missed(data.get("seq")):
            await connection.send(payload)
        await connection.send(self._frame(session, "RESUMED", {"_trace": ["sandbox"]}))
        self._notify()
        return session

    def _frame(self, session: gw.Session, event: str, data: dict[str, Any]) -> dict[str, Any]:
        if self.rewrite_dispatch is not None:
            data = self.rewrite_dispatch(event, data)
        return session.frame(event, data)

    async def _dispatch(self, event: str, data: dict[str, Any], *,
                        guild_id: int | None) -> gw.Session | None:
        """Sends a guild's event (guild_id None: a DM's) to its shard's current session.

        Returns that session, or None when no session has ever served the shard: the event
        is then lost, as on Discord, which keeps events only for sessions it can resume.
        """
        session = self._session_for(guild_id)
        if session is None:
            return None
        await self._deliver(session, self._frame(session, event, data))
        return session

    async def dispatch(self, event: str, data: dict[str, Any], *,
                       guild_id: int | None) -> bool:
        """Sends any gateway event (GUILD_SCHEDULED_EVENT_UPDATE, GUILD_ROLE_CREATE, ...)
        the way Discord routes it: only to the shard owning `guild_id`. False if unserved."""
        return await self._dispatch(event, data, guild_id=guild_id) is not None

    async def _deliver(self, session: gw.Session, payload: dict[str, Any]) -> None:
        connection = session.connection
        if connection is not None:
            try:
                await connection.send(payload)
            except (ConnectionResetError, RuntimeError):
                # Lost with the connection; the bot gets it again when it resumes.
                session.connection = None

    # ----- acting as members ----------------------------------------------------------------

    def synced_commands(self, guild: World | int | str | None = None) -> list[dict[str, Any]]:
        """What a member of a guild (the sandbox's own by default) sees: its server
        commands, then global ones."""
        own = self.commands.get(self.guild(guild).guild_id, [])
        names = {c["name"] for c in own}
        return own + [c for c in self.commands.get(None, []) if c["name"] not in names]

    def _interaction_payload(self, exchange: Exchange) -> dict[str, Any]:
        member, channel = exchange.member, exchange.channel
        world = self._home(channel)
        member_data = member.payload()
        member_data["permissions"] = str(world.permissions(member, channel))
        channel_data = channel.payload(world.guild_id)
        channel_data["permissions"] = member_data["permissions"]
        payload: dict[str, Any] = {
            "id": str(exchange.id), "application_id": str(world.application_id),
            "type": exchange.kind, "data": exchange.data, "guild_id": str(world.guild_id),
            "guild": {"id": str(world.guild_id), "locale": "en-US", "features": []},
            "channel_id": str(channel.id), "channel": channel_data, "member": member_data,
            "token": exchange.token, "version": 1,
            "app_permissions": str(world.permissions(world.bot_member, channel)),
            "locale": "en-US", "guild_locale": "en-US", "entitlements": [],
            "authorizing_integration_owners": {"0": str(world.guild_id)}, "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if exchange.component_message_id is not None:
            message = self.messages.get(exchange.component_message_id)
            if message is not None:
                payload["message"] = message
        return payload

    async def _send(self, exchange: Exchange, *, within: float, settle: bool) -> Exchange:
        self.exchanges[exchange.id] = exchange
        self._by_token[exchange.token] = exchange
        exchange.sent_at = asyncio.get_running_loop().time()
        guild_id = self._home(exchange.channel).guild_id
        session = await self._dispatch("INTERACTION_CREATE", self._interaction_payload(exchange),
                                       guild_id=guild_id)
        if session is None:
            # Discord drops it: the person sees "This interaction failed", the bot nothing.
            self.dropped.append(exchange)
            exchange.refused.append({"code": "unserved shard", "guild_id": guild_id})
            if not self.sessions:
                raise InteractionFailed("the bot has not connected to the gateway", exchange)
            count = self.sessions[-1].shard[1]
            raise InteractionFailed(
                f"{exchange.describe()} failed: no gateway session serves shard "
                f"{gw.shard_of(guild_id, count)} of {count} (guild {guild_id}), so Discord "
                "drops the interaction", exchange)
        what = f"an answer to {exchange.describe()}"
        await self.wait_until(lambda: exchange.response_type is not None or exchange.refused,
                              within=within, what=what)
        if exchange.response_type is None:
            raise SandboxError(f"{what} came too late: {exchange.refused}")
        if settle:
            await self.wait_until(exchange.is_settled, within=within,
                                  what=f"the deferred answer to {exchange.describe()}")
        return exchange

    async def slash(self, command: str, options: dict[str, Any] | None = None, *,
                    member: str | Member = "admin", channel: str | Channel = "briefings",
                    within: float = 10.0, settle: bool = True,
                    guild: World | int | str | None = None) -> Exchange:
        """Runs `/command` as `member` in `channel` and waits for the bot's answer.

        Options are python values by option name; choices may be given by name or value,
        members, roles and channels by name. `guild` picks another guild than the sandbox's
        (a Channel object given as `channel` picks its own).
        """
        world, who, where = self._place(member, channel, guild)
        invocation = find_command(self.synced_commands(world), command)
        builder = OptionBuilder(world, who, where, upload=self.upload)
        self._check_visible(world, invocation.command, who, where)
        data = self._command_data(invocation.command, invocation.wrap([]))
        data["options"] = builder.build(invocation, options or {})
        if builder.resolved:
            data["resolved"] = builder.resolved
        exchange = Exchange(self, APPLICATION_COMMAND, who, where, data)
        return await self._send(exchange, within=within, settle=settle)

    async def autocomplete(self, command: str, option: str, typed: str,
                           options: dict[str, Any] | None = None, *,
                           member: str | Member = "admin", channel: str | Channel = "briefings",
                           within: float = 10.0, guild: World | int | str | None = None
                           ) -> list[dict[str, Any]]:
        """The choices the bot offers while `typed` is in `option` of `/command`."""
        world, who, where = self._place(member, channel, guild)
        invocation = find_command(self.synced_commands(world), command)
        definition = next((o for o in invocation.leaf_options if o["name"] == option), None)
        if definition is None or not definition.get("autocomplete"):
            raise OptionError(f"/{invocation.name} {option} does not autocomplete")
        builder = OptionBuilder(world, who, where)
        data = self._command_data(invocation.command, [])
        data["options"] = builder.build(invocation, {**(options or {}), option: typed},
                                        focused=option)
        exchange = Exchange(self, AUTOCOMPLETE, who, where, data)
        await self._send(exchange, within=within, settle=False)
        return list(exchange.choices or [])

    def _command_data(self, command: dict[str, Any], options: list[Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": 1,
                                "options": options}
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        return data

    def _check_visible(self, world: World, command: dict[str, Any], member: Member,
                       channel: Channel) -> None:
        needed = command.get("default_member_permissions")
        if needed is not None and int(needed) & ~world.permissions(member, channel):
            raise OptionError(f"{member.name} cannot see /{command['name']}: it needs "
                              f"permissions {needed} by default")

    def _component_message(self, message: dict[str, Any] | Exchange | int) -> dict[str, Any]:
        if isinstance(message, Exchange):
            found = message.message
        elif isinstance(message, int):
            found = self.messages.get(message)
        else:
            found = self.messages.get(int(message["id"]))
        if found is None:
            raise SandboxError("that message is gone")
        return found

    def _check_sees(self, message: dict[str, Any], member: Member) -> None:
        if int(message.get("flags") or 0) & EPHEMERAL:
            owner = (message.get("interaction_metadata") or {}).get("user", {}).get("id")
            if owner != str(member.id):
                raise SandboxError(f"{member.name} cannot see that message: only its "
                                   "recipient can")

    async def click(self, message: dict[str, Any] | Exchange | int,
                    custom_id: str | None = None, *, label: str | None = None,
                    index: int | None = None, member: str | Member | None = None,
                    within: float = 10.0, settle: bool = True) -> Exchange:
        """Presses a button, found by custom_id, label or position (0-based)."""
        target = self._component_message(message)
        who = self._actor(message, member)
        self._check_sees(target, who)
        candidates = buttons(target)
        if custom_id is not None:
            chosen = [b for b in candidates if b.get("custom_id") == custom_id]
        elif label is not None:
            chosen = [b for b in candidates if (b.get("label") or "").lower() == label.lower()]
        elif index is not None:
            chosen = candidates[index:index + 1] if 0 <= index < len(candidates) else []
        else:
            chosen = candidates[:1] if len(candidates) == 1 else []
        if not chosen:
            names = ", ".join(repr(b.get("label") or b.get("custom_id")) for b in candidates)
            raise SandboxError(f"no such button; this message has: {names or 'none'}")
        button = chosen[0]
        if button.get("disabled"):
            raise SandboxError(f"the button {button.get('label')!r} is disabled")
        if button.get("style") == LINK_STYLE:
            raise SandboxError(f"the button {button.get('label')!r} is a link: "
                               f"{button.get('url')}")
        data = {"custom_id": button["custom_id"], "component_type": BUTTON}
        channel = self._find_channel(int(target["channel_id"]))
        assert channel is not None
        exchange = Exchange(self, MESSAGE_COMPONENT, who, channel, data, int(target["id"]))
        return await self._send(exchange, within=within, settle=settle)

    async def select(self, message: dict[str, Any] | Exchange | int, custom_id: str,
                     values: list[str], *, member: str | Member | None = None,
                     within: float = 10.0) -> Exchange:
        """Picks values in a string select menu."""
        target = self._component_message(message)
        who = self._actor(message, member)
        self._check_sees(target, who)
        menu = next((s for s in selects(target) if s.get("custom_id") == custom_id), None)
        if menu is None:
            raise SandboxError(f"no select menu {custom_id!r} on that message")
        offered = {o.get("value") for o in menu.get("options") or []}
        if menu.get("type") == 3 and not set(values) <= offered:
            raise SandboxError(f"{sorted(set(values) - offered)} are not among the options")
        data = {"custom_id": custom_id, "component_type": menu["type"], "values": values}
        channel = self._find_channel(int(target["channel_id"]))
        assert channel is not None
        exchange = Exchange(self, MESSAGE_COMPONENT, who, channel, data, int(target["id"]))
        return await self._send(exchange, within=within, settle=True)

    async def submit_modal(self, shown: Exchange, values: dict[str, str], *,
                           member: str | Member | None = None, within: float = 10.0,
                           settle: bool = True) -> Exchange:
        """Fills in and submits the form that `shown` opened; keys are custom_ids or labels."""
        if shown.modal is None:
            raise SandboxError("that interaction did not open a form")
        who = self._home(shown.channel).member(member) if member is not None else shown.member
        fields = text_inputs(shown.modal.get("components") or [])
        wanted = {k.lower(): v for k, v in values.items()}
        known = {str(f.get("custom_id")).lower() for f in fields} | {
            str(f.get("label")).lower() for f in fields}
        unknown = set(wanted) - known
        if unknown:
            raise SandboxError(f"the form has no field {sorted(unknown)}; fields: "
                               f"{', '.join(str(f.get('label')) for f in fields)}")

        def filled(component: dict[str, Any]) -> dict[str, Any]:
            kind = component.get("type")
            if kind == LABEL:
                return {"type": LABEL, "id": component.get("id"),
                        "component": filled(dict(component["component"],
                                                 label=component.get("label")))}
            if kind == TEXT_INPUT:
                key_id = str(component.get("custom_id")).lower()
                key_label = str(component.get("label")).lower()
                value = wanted.get(key_id, wanted.get(key_label, component.get("value") or ""))
                if component.get("required", True) and not value:
                    raise SandboxError(f"the field {component.get('label')!r} is required")
                most = int(component.get("max_length") or 4000)
                if len(value) > most:
                    raise SandboxError(f"the field {component.get('label')!r} takes at most "
                                       f"{most} characters")
                return {"type": TEXT_INPUT, "custom_id": component["custom_id"], "value": value}
            return {"type": kind, "components": [filled(c) for c in
                                                  component.get("components") or []]}

        data = {"custom_id": shown.modal["custom_id"],
                "components": [filled(c) for c in shown.modal.get("components") or []]}
        exchange = Exchange(self, MODAL_SUBMIT, who, shown.channel, data,
                            shown.component_message_id)
        return await self._send(exchange, within=within, settle=settle)

    def _actor(self, message: dict[str, Any] | Exchange | int,
               member: str | Member | None) -> Member:
        if isinstance(message, Exchange) and member is None:
            return message.member
        # Whoever acts is a member of the guild the message is in.
        home = self._home(int(self._component_message(message)["channel_id"]))
        return home.member(member if member is not None else "admin")


def _json(status: int, data: Any, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, body=json.dumps(data).encode(),
                        headers={"Content-Type": JSON_TYPE, **(headers or {})})


def _embed(embed: dict[str, Any]) -> dict[str, Any]:
    return {"type": "rich", **embed}


def _without_token(data: Any) -> Any:
    if isinstance(data, dict) and "token" in data:
        return {**data, "token": "[token]"}
    return data


async def _read_body(request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
    """JSON, or multipart with payload_json and files, as discord.py sends them."""
    if not request.can_read_body:
        return None, []
    content_type = request.content_type
    if content_type == "multipart/form-data":
        payload: Any = None
        files = []
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                payload = json.loads(await part.text())
            elif part.filename:
                files.append({"filename": part.filename, "data": await part.read(),
                              "content_type": part.headers.get("Content-Type")})
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode("utf-8", "replace"), []
