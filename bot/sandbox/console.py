"""`python -m bot sandbox`: the real bot against the local server, driven from a terminal prompt."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bot.config import Settings
from bot.sandbox.exchange import Event, Exchange
from bot.sandbox.messages import text_inputs
from bot.sandbox.options import OptionError, find_command
from bot.sandbox.server import BotStopped, SandboxError, SandboxServer
from bot.sandbox.terminal import Renderer, is_ephemeral, parse_options, split_command

log = logging.getLogger(__name__)

# Never leaves 127.0.0.1: the sandbox server is the only thing that ever sees it.
SANDBOX_TOKEN = "sandbox.not-a-discord-token.0000"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / \
    "pakistan-kazakhstan-2025-09-10.json"
# Two days after the sample's dateline: the November 2025 visit is still ahead.
SAMPLE_NOW = datetime(2025, 9, 12, 9, 0, tzinfo=UTC)
ANSWER_WAIT = 10.0

HELP = """\
Type a command as in Discord; options are name:value, values may hold spaces:
  /briefing country:Kazakhstan
  /visit upcoming
  /visit show visit:#2
  /meeting list country:Kazakh kind:joint working group
Other things you can type:
  click N           press button N of the last message that had buttons (or: click Next)
  submit TEXT       fill in and send the form the bot opened (several fields:
                    submit Label: text | Other label: text)
  complete /visit show visit:pres   what autocomplete suggests for the last option
  as admin|editor|reader            act as another member (now: {member})
  in #general|#briefings|#announcements   type in another channel (now: #{channel})
  posts [#channel]  the bot's posts in a channel      wait SECONDS   let time pass
  events            the server's scheduled events
  help              this text                          quit           stop the sandbox"""


class SandboxClock:
    """The bot's clock: starts at a chosen instant and runs at the speed of real time."""

    def __init__(self, start: datetime | None) -> None:
        self._offset = 0.0 if start is None else start.timestamp() - time.time()

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self._offset, UTC)


class Console:
    """Reads command lines, sends them as a member, and prints what the bot does."""

    def __init__(self, server: SandboxServer, out: TextIO, clock: SandboxClock) -> None:
        self.server = server
        self.world = server.world
        self.out = out
        self.renderer = Renderer(server.world, clock)
        self.member = self.world.member("admin")
        self.channel = self.world.channel("briefings")
        self.clickable: tuple[int, list[dict[str, Any]]] | None = None
        self.form: Exchange | None = None
        self.failures = 0
        self._activity = asyncio.Event()
        server.listen(self._on_event)

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    @property
    def prompt(self) -> str:
        return f"{self.member.name} in #{self.channel.name}> "

    # What the bot does, as it happens.

    def _on_event(self, event: Event) -> None:
        self._activity.set()
        exchange = event.exchange
        if event.kind == "choices" and exchange is not None:
            choices = exchange.choices or []
            self.say("  Suggestions: " + ("; ".join(
                f"{c['name']} (= {c['value']})" if str(c["value"]) != c["name"] else c["name"]
                for c in choices) or "none"))
            return
        if event.kind == "modal" and exchange is not None and exchange.modal is not None:
            self.form = exchange
            for line in self.renderer.modal(exchange.modal):
                self.say(line)
            return
        message = event.message
        if message is None:
            return
        if event.kind == "delete":
            self.say("  (Attaché deleted a message)")
            return
        heading = self._heading(event, message)
        lines, clickable = self.renderer.message(message, heading)
        if clickable:
            self.clickable = (int(message["id"]), clickable)
        for line in lines:
            self.say(line)

    def _heading(self, event: Event, message: dict[str, Any]) -> str:
        channel = self.world.find_channel(int(message["channel_id"]))
        where = f"#{channel.name}" if channel else "?"
        private = ""
        if is_ephemeral(message):
            owner = (message.get("interaction_metadata") or {}).get("user", {})
            private = f" · only {owner.get('username', 'you')} can see this"
        if event.kind == "post":
            return f"── Attaché posted in {where}"
        if event.kind == "update":
            return f"── Attaché updated its message in {where}{private}"
        if event.kind == "followup":
            return f"── Attaché (follow-up) in {where}{private}"
        exchange = event.exchange
        about = exchange.describe() if exchange else "?"
        who = exchange.member.name if exchange else "?"
        return f"── Attaché replied to {who}'s {about} in {where}{private}"

    async def _quiet(self, within: float = 1.0, gap: float = 0.1) -> None:
        """Lets late follow-ups print before the next prompt (display only, never in tests)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            self._activity.clear()
            try:
                await asyncio.wait_for(self._activity.wait(), gap)
            except TimeoutError:
                return

    # What the person types.

    async def run(self, line: str) -> bool:
        """Runs one line; False only for `quit`."""
        text = line.strip()
        if not text or text.startswith("#"):
            return True
        word, _, rest = text.partition(" ")
        try:
            if text.startswith("/"):
                await self._slash(text)
            elif word == "click":
                await self._click(rest.strip())
            elif word == "submit":
                await self._submit(rest)
            elif word == "complete":
                await self._complete(rest.strip())
            elif word == "as":
                self.member = self.world.member(rest.strip())
                self.say(f"  You are now {self.member.name} ({self.member.label}).")
            elif word == "in":
                self.channel = self.world.channel(rest.strip())
                self.say(f"  You are now in #{self.channel.name}.")
            elif word == "posts":
                self._posts(rest.strip() or self.channel.name)
            elif word == "events":
                self._events()
            elif word == "wait":
                await asyncio.sleep(float(rest or "1"))
            elif word in ("help", "?"):
                self.say(HELP.format(member=self.member.name, channel=self.channel.name))
            elif word in ("quit", "exit"):
                return False
            else:
                raise SandboxError(f"{word!r} is not something the sandbox knows; type help")
        except BotStopped:
            raise
        except (OptionError, SandboxError, KeyError, ValueError, TimeoutError) as exc:
            self.failures += 1
            detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            self.say(f"  ✗ {detail}")
        await self._quiet()
        return True

    async def _slash(self, text: str) -> None:
        commands = self.server.synced_commands()
        path, rest = split_command(text, commands)
        invocation = find_command(commands, path)
        options = parse_options(invocation, rest)
        await self.server.slash(path, options, member=self.member, channel=self.channel,
                                within=ANSWER_WAIT)

    async def _click(self, which: str) -> None:
        if self.clickable is None:
            raise SandboxError("no message with buttons yet")
        message_id, shown = self.clickable
        if which.isdigit():
            number = int(which)
            if not 1 <= number <= len(shown):
                raise SandboxError(f"choose a button from 1 to {len(shown)}")
            custom_id = shown[number - 1].get("custom_id")
            label = None if custom_id else shown[number - 1].get("label")
        else:
            custom_id, label = None, which
        await self.server.click(message_id, custom_id, label=label, member=self.member,
                                within=ANSWER_WAIT)

    async def _submit(self, text: str) -> None:
        if self.form is None or self.form.modal is None:
            raise SandboxError("no form is open; a button such as 'Edit notes' opens one")
        fields = text_inputs(self.form.modal.get("components") or [])
        if len(fields) == 1:
            values = {str(fields[0]["custom_id"]): text.strip()}
        else:
            values = {}
            for part in text.split(" | "):
                label, sep, value = part.partition(":")
                if not sep:
                    raise SandboxError("write each field as Label: text, separated by ' | '")
                values[label.strip()] = value.strip()
        form, self.form = self.form, None
        await self.server.submit_modal(form, values, member=self.member, within=ANSWER_WAIT)

    async def _complete(self, text: str) -> None:
        commands = self.server.synced_commands()
        path, rest = split_command(text, commands)
        invocation = find_command(commands, path)
        options = parse_options(invocation, rest)
        if not options:
            raise SandboxError("type the option to complete, e.g. complete /briefing country:ka")
        focused = list(options)[-1]
        await self.server.autocomplete(path, focused, options.pop(focused), options,
                                       member=self.member, channel=self.channel,
                                       within=ANSWER_WAIT)

    def _events(self) -> None:
        events = sorted(self.server.events.values(), key=lambda e: e["scheduled_start_time"])
        if not events:
            self.say("  The server has no scheduled events.")
        status = {1: "scheduled", 2: "active", 3: "completed", 4: "cancelled"}
        for event in events:
            start = datetime.fromisoformat(event["scheduled_start_time"])
            place = (event.get("entity_metadata") or {}).get("location") or ""
            self.say(f"  Event {event['name']!r}: {start:%d %B %Y %H:%M} UTC, {place} "
                     f"({status.get(event['status'], event['status'])})")
            if event.get("description"):
                for line in self.renderer.wrap(event["description"], "    "):
                    self.say(line)

    def _posts(self, channel_name: str) -> None:
        channel = self.world.channel(channel_name)
        posts = self.server.posts(channel)
        if not posts:
            self.say(f"  No posts by Attaché in #{channel.name} yet.")
        for message in posts:
            for line in self.renderer.message(message, f"── Attaché in #{channel.name}")[0]:
                self.say(line)


async def prepare_database(path: Path, server: SandboxServer, sample: Path = SAMPLE) -> str:
    """A fresh database with the sample imported and the sandbox server's roles configured."""
    from bot.bot import utc_now
    from bot.services.factory import build_services
    from bot.services.interchange import import_data
    from bot.stores.database import Database

    world = server.world
    data = json.loads(await asyncio.to_thread(sample.read_text, "utf-8"))
    db = await Database.open(path)
    try:
        services = build_services(db, utc_now)
        report = await import_data(services.changes, world.guild_id, data, actor_id=None)
        current = await services.guild_settings.get(world.guild_id)
        await services.changes.save_settings(replace(
            current, editor_role_id=world.editors.id,
            reminder_channel_id=world.channel("briefings").id))
    finally:
        await db.close()
    return report.summary()


class LineSource:
    """Lines from a script, or from stdin read on a daemon thread so the bot keeps running
    (and its posts keep printing) while the person types."""

    def __init__(self, script: Path | None, interactive: bool) -> None:
        self.lines = script.read_text("utf-8").splitlines() if script else None
        self.interactive = interactive

    async def read(self, prompt: str) -> str | None:
        if self.lines is not None:
            return self.lines.pop(0) if self.lines else None
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()

        def read_one() -> None:
            try:
                line: str | None = input(prompt) if self.interactive else sys.stdin.readline()
                if not self.interactive:
                    # readline() gives "" only at the end; a blank line is "\n".
                    line = line.rstrip("\r\n") if line else None
            except EOFError:
                line = None
            def deliver() -> None:
                if not future.done():
                    future.set_result(line)

            loop.call_soon_threadsafe(deliver)

        threading.Thread(target=read_one, daemon=True).start()
        return await future


async def run_sandbox(settings: Settings, *, script: Path | None = None,
                      start: datetime | None = SAMPLE_NOW, out: TextIO | None = None,
                      on_ready: Callable[[SandboxServer], None] | None = None) -> int:
    """Runs the sandbox until the script or input ends; 0 if every line worked, else 1."""
    from bot.bot import create_bot
    from bot.wire import point_discord_at

    out = out or sys.stdout
    interactive = script is None and sys.stdin.isatty()
    source = LineSource(script, interactive)
    clock = SandboxClock(start)
    server = SandboxServer(SANDBOX_TOKEN, clock=clock)
    await server.start()
    try:
        point_discord_at(server.api_base, server.gateway_url)
        with tempfile.TemporaryDirectory(prefix="attache-sandbox-") as folder:
            database = Path(folder) / "attache.db"
            summary = await prepare_database(database, server)
            bot_settings = replace(
                settings, token=SANDBOX_TOKEN, database_path=str(database),
                dev_guild_id=server.world.guild_id, discord_api_base=server.api_base,
                discord_gateway_url=server.gateway_url,
            )
            bot = create_bot(bot_settings, clock=clock)
            async with bot:
                task = asyncio.create_task(bot.start(SANDBOX_TOKEN), name="attache-bot")
                server.watch(task)
                try:
                    await server.wait_until_ready(within=30)
                    console = Console(server, out, clock)
                    _banner(console, summary, clock)
                    if on_ready is not None:
                        on_ready(server)
                    while True:
                        line = await source.read(console.prompt)
                        if line is None:
                            break
                        if not interactive:
                            console.say(f"{console.prompt}{line}")
                        if not await console.run(line):
                            break
                    return 1 if console.failures else 0
                except BotStopped as exc:
                    print(f"The bot stopped: {exc.__cause__ or exc}", file=sys.stderr)
                    return 1
                finally:
                    await bot.close()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
    finally:
        await server.stop()


def _banner(console: Console, summary: str, clock: SandboxClock) -> None:
    world = console.world
    channels = " ".join("#" + c.name for c in world.channels)
    members = ", ".join(f"{m.name} ({m.label})" for m in world.members)
    console.say(f"Attaché sandbox: the real bot, talking to a stand-in for Discord on "
                f"{console.server.origin} (nothing leaves this machine).")
    console.say(f"Server {world.guild_name!r}: channels {channels}; members {members}.")
    console.say(f"Sample data loaded ({summary}); the bot's clock reads "
                f"{clock():%d %B %Y %H:%M} UTC. Type help for what you can do.")
