"""`python -m bot sandbox`: the real bot against the local server, driven from a terminal prompt."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
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
# How many due times one `wait` stops at, at most.
STEPS_MAX = 500
# Where files the bot sends are written, unless --files says otherwise.
FILES = Path(tempfile.gettempdir()) / "attache-sandbox-files"

HELP = """\
Type a command as in Discord; options are name:value, values may hold spaces:
  /briefing country:Kazakhstan
  /visit upcoming
  /visit show visit:#2
  /meeting list country:Kazakh kind:joint working group
  /export format:Calendar (.ics) country:Kazakhstan      (choices by the name you see)
  /settings editor-role role:@Desk editors               (roles as @name, channels as #name)
  /import file:data/sample/pakistan-kazakhstan-2025-09-10.json   (a file on this machine)
Files the bot sends are saved in {files} and their path printed.
Other things you can type:
  click N           press button N of the last message that had buttons (or: click Next)
  submit TEXT       fill in and send the form the bot opened (several fields:
                    submit Label: text | Other label: text)
  complete /visit show visit:pres   what autocomplete suggests for the last option
  as admin|editor|reader            act as another member (now: {member})
  in #general|#briefings|#announcements   type in another channel (now: #{channel})
  posts [#channel]  the bot's posts in a channel
  wait 2h / advance 3d   move the bot's clock (s, m, h, d, w): reminders and digests due
                    on the way go out at their time; wait SECONDS lets real time pass
  events            the server's scheduled events
  help              this text                          quit           stop the sandbox
Line editing and history (arrow keys) work at the prompt."""


class SandboxClock:
    """The bot's clock: starts at a chosen instant, runs at the speed of real time, and can
    be moved forward (`wait 2h`)."""

    def __init__(self, start: datetime | None) -> None:
        self._offset = 0.0 if start is None else start.timestamp() - time.time()

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self._offset, UTC)

    def move_to(self, moment: datetime) -> None:
        """Jumps to `moment` if it is ahead; the clock never goes back."""
        self._offset += max(0.0, (moment - self()).total_seconds())


_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*([smhdw]))+$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def duration(text: str) -> float | None:
    """Seconds in '2h', '3d', '1d12h'; None when the text has no unit."""
    compact = text.replace(" ", "").lower()
    if not compact or not _DURATION.match(compact):
        return None
    return sum(float(n) * _UNIT[u] for n, u in _PART.findall(compact))


class PromptLine:
    """The prompt and what the person has typed so far, so a post arriving meanwhile is
    printed above the line instead of through it."""

    def __init__(self) -> None:
        self.prompt: str | None = None  # set while input is awaited

    def typed(self) -> str:
        try:
            import readline
        except ImportError:  # pragma: no cover - Windows without pyreadline
            return ""
        return readline.get_line_buffer()

    def around(self, text: str) -> str:
        """`text` as written while a prompt is showing: the prompt line cleared, the text,
        then the prompt and the half-typed line again."""
        if self.prompt is None:
            return text + "\n"
        return f"\r\x1b[2K{text}\n{self.prompt}{self.typed()}"


class Console:
    """Reads command lines, sends them as a member, and prints what the bot does."""

    def __init__(self, server: SandboxServer, out: TextIO, clock: SandboxClock, *,
                 bot: Any = None, files: Path | None = None,
                 line: PromptLine | None = None) -> None:
        self.server = server
        self.world = server.world
        self.out = out
        self.clock = clock
        self.bot = bot
        self.files = files
        self.line = line or PromptLine()
        self.renderer = Renderer(server.world, clock, save=self._save if files else None)
        self.member = self.world.member("admin")
        self.channel = self.world.channel("briefings")
        self.clickable: tuple[int, list[dict[str, Any]]] | None = None
        self.form: Exchange | None = None
        self.failures = 0
        # Commands the bot refused (a user error: a bad date, a missing permission…).
        self.refusals: list[str] = []
        self._activity = asyncio.Event()
        server.listen(self._on_event)

    def say(self, text: str = "") -> None:
        self.out.write(self.line.around(text))
        self.out.flush()

    def _save(self, attachment: dict[str, Any]) -> str | None:
        """Writes a file the bot sent into the files folder, never over an earlier one."""
        assert self.files is not None
        data = self.server.file_bytes(str(attachment.get("id")))
        if data is None:
            return None
        self.files.mkdir(parents=True, exist_ok=True)
        name = Path(str(attachment.get("filename") or "file")).name
        target = self.files / name
        stem, suffix = target.stem, target.suffix
        number = 2
        while target.exists():
            target = self.files / f"{stem}-{number}{suffix}"
            number += 1
        target.write_bytes(data)
        return str(target)

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
            elif word in ("wait", "advance"):
                await self._wait(word, rest.strip())
            elif word in ("help", "?"):
                self.say(HELP.format(member=self.member.name, channel=self.channel.name,
                                     files=self.files or "nowhere (no folder given)"))
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

    async def _wait(self, word: str, text: str) -> None:
        seconds = duration(text)
        if seconds is None:
            if word == "advance" or not re.fullmatch(r"\d+(?:\.\d+)?", text or "1"):
                raise SandboxError(f"{word} takes a time such as 2h, 3d or 1d12h "
                                   "(s, m, h, d, w)")
            await asyncio.sleep(float(text or "1"))  # real seconds
            return
        await self.advance(seconds)
        self.say(f"  The bot's clock now reads {self.clock():%d %B %Y %H:%M} UTC.")

    async def advance(self, seconds: float) -> None:
        """Moves the bot's clock forward, stopping at each reminder, digest or question due
        on the way so that each goes out at its own time, not all at once as if late."""
        target = self.clock() + timedelta(seconds=seconds)
        reminders = self.bot.reminders if self.bot is not None else None
        for _ in range(STEPS_MAX):
            if reminders is None:
                break
            due = [t for t in (await reminders.next_due(), await reminders.next_questions())
                   if t is not None]
            nearest = min(due, default=None)
            if nearest is None or nearest > target:
                break
            self.clock.move_to(nearest)
            reminders.wake()
            await self._settle()
            if min((t for t in (await reminders.next_due(), await reminders.next_questions())
                    if t is not None), default=None) == nearest:
                break  # nothing went out (it is failing or paused): do not spin
        self.clock.move_to(target)
        if reminders is not None:
            reminders.wake()
        await self._settle()

    async def _settle(self) -> None:
        """Lets the bot post what fell due: waits until its activity has stopped."""
        await asyncio.sleep(0.05)
        await self._quiet(within=3.0, gap=0.3)

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


async def prepare_database(
    path: Path, server: SandboxServer, clock: Callable[[], datetime], sample: Path = SAMPLE
) -> str:
    """A fresh database with the sample imported and the sandbox server's roles configured.

    Planned on the bot's own clock (the sandbox's --clock): reminders are planned from the
    time they are planned at, and the bot keeps a plan made with the inputs it has.
    """
    from bot.services.factory import build_services
    from bot.services.interchange import import_data
    from bot.stores.database import Database

    world = server.world
    data = json.loads(await asyncio.to_thread(sample.read_text, "utf-8"))
    db = await Database.open(path)
    try:
        services = build_services(db, clock)
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
    (and its posts keep printing) while the person types.

    At a terminal, input goes through readline: the line can be edited, earlier lines come
    back with the arrow keys (kept between sessions in HISTORY), and `line` knows the prompt
    so that posts arriving meanwhile print above it.
    """

    def __init__(self, script: Path | None, interactive: bool,
                 line: PromptLine | None = None, history: Path | None = None) -> None:
        self.lines = script.read_text("utf-8").splitlines() if script else None
        self.interactive = interactive
        self.line = line or PromptLine()
        self.history = history
        if interactive:
            self._start_history()

    def _start_history(self) -> None:
        try:
            import readline
        except ImportError:  # pragma: no cover - no readline on this platform
            return
        readline.set_history_length(1000)
        if self.history is not None:
            with contextlib.suppress(OSError):
                readline.read_history_file(self.history)

    def close(self) -> None:
        if not self.interactive or self.history is None:
            return
        try:
            import readline
        except ImportError:  # pragma: no cover
            return
        with contextlib.suppress(OSError):
            self.history.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(self.history)

    async def read(self, prompt: str) -> str | None:
        if self.lines is not None:
            return self.lines.pop(0) if self.lines else None
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()

        def read_one() -> None:
            try:
                if self.interactive:
                    self.line.prompt = prompt
                    line: str | None = input(prompt)
                else:
                    line = sys.stdin.readline()
                    # readline() gives "" only at the end; a blank line is "\n".
                    line = line.rstrip("\r\n") if line else None
            except EOFError:
                line = None
            finally:
                self.line.prompt = None

            def deliver() -> None:
                if not future.done():
                    future.set_result(line)

            loop.call_soon_threadsafe(deliver)

        threading.Thread(target=read_one, daemon=True).start()
        return await future


HISTORY = Path.home() / ".cache" / "attache" / "sandbox-history"


async def run_sandbox(settings: Settings, *, script: Path | None = None,
                      start: datetime | None = SAMPLE_NOW, out: TextIO | None = None,
                      on_ready: Callable[[SandboxServer], None] | None = None,
                      files: Path | None = FILES) -> int:
    """Runs the sandbox until the script or input ends; 0 if every line worked, else 1."""
    from bot.bot import create_bot
    from bot.wire import point_discord_at

    out = out or sys.stdout
    interactive = script is None and sys.stdin.isatty()
    line = PromptLine()
    source = LineSource(script, interactive, line, HISTORY)
    clock = SandboxClock(start)
    server = SandboxServer(SANDBOX_TOKEN, clock=clock)
    await server.start()
    try:
        point_discord_at(server.api_base, server.gateway_url)
        with tempfile.TemporaryDirectory(prefix="attache-sandbox-") as folder:
            database = Path(folder) / "attache.db"
            summary = await prepare_database(database, server, clock)
            # The sandbox's own SQLite file and one process, whatever .env says.
            bot_settings = replace(
                settings, token=SANDBOX_TOKEN, database_path=str(database), database_url=None,
                shard_count=1, shard_ids=(0,),
                dev_guild_id=server.world.guild_id, discord_api_base=server.api_base,
                discord_gateway_url=server.gateway_url,
            )
            bot = create_bot(bot_settings, clock=clock)
            consoles: list[Console] = []
            _count_refusals(bot, consoles)
            async with bot:
                task = asyncio.create_task(bot.start(SANDBOX_TOKEN), name="attache-bot")
                server.watch(task)
                try:
                    await server.wait_until_ready(within=30)
                    console = Console(server, out, clock, bot=bot, files=files, line=line)
                    consoles.append(console)
                    _banner(console, summary, clock)
                    if on_ready is not None:
                        on_ready(server)
                    while True:
                        typed = await source.read(console.prompt)
                        if typed is None:
                            break
                        if not interactive:
                            console.say(f"{console.prompt}{typed}")
                        if not await console.run(typed):
                            break
                    if console.refusals and not interactive:
                        console.say(f"{len(console.refusals)} command(s) refused by Attaché: "
                                    + "; ".join(console.refusals))
                    return 1 if console.failures else 0
                except BotStopped as exc:
                    print(f"The bot stopped: {exc.__cause__ or exc}", file=sys.stderr)
                    return 1
                finally:
                    source.close()
                    await bot.close()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
    finally:
        await server.stop()


def _count_refusals(bot: Any, consoles: list[Console]) -> None:
    """Notes every command the bot refuses, so a script's transcript ends by listing them."""
    from bot.ui.errors import user_error_of

    tree = bot.tree
    answer = tree.on_error

    async def on_error(interaction: Any, error: Exception) -> None:
        refused = user_error_of(error)
        if consoles and refused is not None:
            command = interaction.command.qualified_name if interaction.command else "?"
            consoles[0].refusals.append(f"/{command}: {refused.message[:120]}")
        await answer(interaction, error)

    tree.on_error = on_error  # type: ignore[method-assign]


def _banner(console: Console, summary: str, clock: SandboxClock) -> None:
    world = console.world
    channels = " ".join("#" + c.name for c in world.channels)
    members = ", ".join(f"{m.name} ({m.label})" for m in world.members)
    console.say(f"Attaché sandbox: the real bot, talking to a stand-in for Discord on "
                f"{console.server.origin} (nothing leaves this machine).")
    console.say(f"Server {world.guild_name!r}: channels {channels}; members {members}.")
    console.say(f"Sample data loaded ({summary}); the bot's clock reads "
                f"{clock():%d %B %Y %H:%M} UTC. Type help for what you can do.")
