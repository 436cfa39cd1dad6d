"""create_bot(settings): the one factory that builds the bot for production, tests and sandbox."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import discord
from discord.ext import commands

from bot.config import Settings
from bot.services.factory import Services, build_services
from bot.stores.database import Database
from bot.stores.scope import Scope
from bot.tree import AttacheTree

if TYPE_CHECKING:
    from bot.services.desk import DeskService
    from bot.services.reminders import ReminderService
    from bot.stores.records import RecordStore
    from bot.stores.settings import GuildSettingsStore

log = logging.getLogger(__name__)

# Extensions are loaded one by one; a failing one is logged and the others still load.
EXTENSIONS: tuple[str, ...] = (
    "bot.cogs.meetings",
    "bot.cogs.plans",
    "bot.cogs.visits",
    "bot.cogs.people",
    "bot.cogs.sources",
    "bot.cogs.briefing",
    "bot.cogs.timeline",
    "bot.cogs.search",
    "bot.cogs.history",
    "bot.cogs.settings",
    "bot.cogs.reminders",
    "bot.cogs.transfer",
    "bot.cogs.events",
    "bot.cogs.ingest",
    "bot.cogs.followups",
    "bot.cogs.digest",
    "bot.cogs.help",
    "bot.cogs.onboarding",
)

Clock = Callable[[], datetime]

# How long close() lets interactions already running finish before it cancels them and
# closes the database: a deferred briefing or export gets this long to send its answer.
CLOSE_WAIT_S = 10.0
CLOSING = "Attaché is restarting, so this was not run. Try again in a minute."


def utc_now() -> datetime:
    return datetime.now(UTC)


class AttacheBot(commands.Bot):
    """The bot: owns the database connection and the services every cog uses."""

    services: Services

    def __init__(self, settings: Settings, *, clock: Clock = utc_now, sync_on_start: bool = True):
        # Slash commands and channel posts need only the guilds intent; scheduled events keep
        # the cache of mirrored visit events current. Neither is privileged.
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_scheduled_events = True
        # The bot never joins voice: discord.py's warnings about missing voice libraries
        # (PyNaCl, davey) would only worry whoever starts it.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            # Nothing the bot says pings anyone unless a message opts in explicitly.
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=AttacheTree,
            **_shard_options(settings),
        )
        self.settings = settings
        self.clock = clock
        self.sync_on_start = sync_on_start
        self._db: Database | None = None
        # Interactions being handled, so close() can let them finish before the database
        # goes; once closing, new ones are refused.
        self._in_flight: set[asyncio.Task[object]] = set()
        self._closing = False
        self._closed_by: asyncio.Future[None] | None = None
        self._watch_interactions()

    def _watch_interactions(self) -> None:
        """Wraps discord.py's INTERACTION_CREATE parser (the one door of every command,
        button, form and autocomplete) to note the tasks it starts, or to refuse the
        interaction once the bot is closing."""
        parsers = self._connection.parsers
        parse = parsers["INTERACTION_CREATE"]

        def watched(data: dict[str, object]) -> None:
            if self._closing:
                self._track({asyncio.get_running_loop().create_task(self._refuse(data),
                                                   name="attache-refuse-closing")})
                return
            # The tasks the parser starts are noted as they are made: comparing
            # asyncio.all_tasks() before and after walked every task alive, twice an
            # interaction (5-8 % of the loop's time under the wire benchmark's mixed load,
            # more the more tasks were waiting).
            loop = asyncio.get_running_loop()
            previous = loop.get_task_factory()
            started: set[asyncio.Task[object]] = set()

            def noting(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any
                       ) -> asyncio.Future[Any]:
                task: asyncio.Future[Any] = (
                    previous(loop, coro, **kwargs) if previous is not None
                    else asyncio.Task(coro, loop=loop, **kwargs))
                started.add(cast("asyncio.Task[object]", task))
                return task

            loop.set_task_factory(noting)
            try:
                parse(data)
            finally:
                loop.set_task_factory(previous)
            self._track(started)

        parsers["INTERACTION_CREATE"] = watched

    def _track(self, tasks: set[asyncio.Task[object]]) -> None:
        for task in tasks:
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def _refuse(self, data: dict[str, object]) -> None:
        """A plain answer instead of silence for what arrives while the bot closes."""
        interaction: discord.Interaction = discord.Interaction(
            data=data, state=self._connection)  # type: ignore[arg-type]
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                await interaction.response.autocomplete([])
            else:
                await interaction.response.send_message(CLOSING, ephemeral=True)
        except discord.HTTPException:
            log.debug("could not tell an interaction that the bot is closing", exc_info=True)

    async def stop_interactions(self) -> None:
        """Refuses new interactions from now on, waits up to CLOSE_WAIT_S for those being
        handled, then cancels what is left, so none of them meets a closed database."""
        if self._closing:
            return
        self._closing = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CLOSE_WAIT_S
        me = asyncio.current_task()
        while True:
            pending = {t for t in self._in_flight if t is not me and not t.done()}
            if not pending:
                return
            left = deadline - loop.time()
            if left <= 0:
                log.warning("closing: %d interaction(s) still running after %.0f s are "
                            "cancelled", len(pending), CLOSE_WAIT_S)
                for task in pending:
                    task.cancel()
                await asyncio.wait(pending, timeout=1.0)
                return
            await asyncio.wait(pending, timeout=left)

    async def setup_hook(self) -> None:
        self._db = await Database.open(self.settings.database_target)
        self.services = build_services(self._db, self.clock,
                                       default_timezone=self.settings.default_timezone,
                                       scope=scope_of(self.settings),
                                       lease=timedelta(seconds=self.settings.claim_lease_s))
        extensions = list(EXTENSIONS)
        # The benchmark's floor command (tests/benchmarks/wire_bench.py) must run in the very
        # process being measured, yet never appear in a server's command list; a variable the
        # benchmark sets, rather than a user setting in config.py, keeps it out of sight.
        if os.environ.get("ATTACHE_BENCHMARK") == "1":
            extensions.append("bot.cogs.bench")
        for extension in extensions:
            try:
                await self.load_extension(extension)
            except Exception:
                log.exception("extension %s failed to load; the others carry on", extension)
        # Commands are synced once, by the process that serves shard 0, never by each.
        if self.sync_on_start and self.settings.dev_guild_id and 0 in self.settings.shard_ids:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to the development server", len(synced))

    async def close(self) -> None:
        # Shutdown can be asked for twice at once (SIGTERM, then `async with` ending as the
        # gateway closes): the second waits for the first instead of closing things twice.
        if self._closed_by is None:
            self._closed_by = asyncio.ensure_future(self._close())
        await asyncio.shield(self._closed_by)

    async def _close(self) -> None:
        # First no new interactions and the running ones finished (bounded); then unloading
        # runs each cog's cog_unload, which stops background work such as the reminder
        # poster; the database goes last.
        await self.stop_interactions()
        for extension in list(self.extensions):
            try:
                await self.unload_extension(extension)
            except Exception:
                log.exception("extension %s failed to unload", extension)
        await super().close()
        if self._db is not None:
            await self._db.close()
            self._db = None

    # Typed shortcuts to the services the cogs use most.
    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def records(self) -> RecordStore:
        return self.services.records

    @property
    def guild_settings(self) -> GuildSettingsStore:
        return self.services.guild_settings

    @property
    def desk(self) -> DeskService:
        return self.services.desk

    @property
    def reminders(self) -> ReminderService:
        return self.services.reminders


class ShardedAttacheBot(AttacheBot, commands.AutoShardedBot):
    """The same bot serving several shards from one process (discord.py's AutoShardedBot:
    one gateway connection per shard)."""


def scope_of(settings: Settings) -> Scope:
    """The servers this process serves, as the stores and background work see them."""
    return Scope(settings.shard_ids, settings.shard_count)


def _shard_options(settings: Settings) -> dict[str, Any]:
    if settings.shard_count == 1:
        return {}
    if len(settings.shard_ids) == 1:
        return {"shard_id": settings.shard_ids[0], "shard_count": settings.shard_count}
    return {"shard_ids": list(settings.shard_ids), "shard_count": settings.shard_count}


def create_bot(settings: Settings, *, clock: Clock = utc_now, sync_on_start: bool = True
               ) -> AttacheBot:
    """One process's bot: plain for one shard (the usual case), auto-sharded for several."""
    cls = ShardedAttacheBot if len(settings.shard_ids) > 1 else AttacheBot
    return cls(settings, clock=clock, sync_on_start=sync_on_start)
