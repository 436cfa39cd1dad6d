"""What the wire benchmark's phases share: figures, the commands as members send them, the bot
as a process, a sandbox server that speaks for several servers, stores, the CLI import and
the event-loop lag probe's file (bot/cogs/bench.py)."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import json
import math
import os
import shutil
import signal
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from bot.cogs.base import COUNT_CAP, PAGE_SIZE
from bot.domain.records import RecordType, VisitStatus
from bot.sandbox.exchange import Exchange
from bot.sandbox.server import BotStopped, SandboxError, SandboxServer
from bot.sandbox.world import GUILD_ID, Channel, World
from bot.services.briefing import build_briefing
from bot.services.desk import DeskService, people_of
from bot.services.factory import build_services
from bot.services.interchange import import_data
from bot.stores.database import Database, bundled_migrations, is_url
from bot.stores.records import RecordFilter
from tests.benchmarks import datagen
from tests.benchmarks.datagen import NAMES, synthetic_bundle

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTMwMDAwMDAwMDAwMDAwMDEwMA.Gx7kQe.wire-bench-token"
OPEN = [s.value for s in VisitStatus if s.is_open]
LAG_FILE = "ATTACHE_BENCH_LAG_FILE"  # bot.cogs.bench reads it

# A command slower than Discord's 3 s deadline is still timed, up to this long.
ANSWER_WITHIN = 30.0

SEARCHES = ("energy", "railways corridor", "Tashkent", "memorandum trade", "hydropower",
            "delegation talks", "Astana investment", "customs", "Müller", "visa facilitation")
TYPED = ("ene", "kaz", "rail", "tash", "joint w", "pak", "türk", "bilat", "customs", "vi")


# A store as the bot's settings name it: a SQLite file (DATABASE_PATH) or a postgresql://
# URL (DATABASE_URL); tests/benchmarks/backends.py makes and copies them.
Target = Path | str


def database_env(target: Target) -> dict[str, str]:
    """The setting that points `python -m bot` at the store."""
    return {"DATABASE_URL": str(target)} if is_url(target) else {"DATABASE_PATH": str(target)}


def now() -> datetime:
    return datetime.now(UTC)


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# ----- figures -----------------------------------------------------------------------------


@dataclass
class Stats:
    """Milliseconds; percentiles by nearest rank. `refused`: answers past Discord's 3 s."""

    samples: list[float]
    refused: int = 0

    def pct(self, q: float) -> float:
        if not self.samples:
            return math.nan
        ordered = sorted(self.samples)
        rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
        return ordered[rank - 1]

    @property
    def max(self) -> float:
        return max(self.samples) if self.samples else math.nan

    def to_json(self) -> dict[str, float]:
        if not self.samples:
            return {"n": 0, "refused": self.refused}
        return {"n": len(self.samples), "p50": round(self.pct(50), 3),
                "p95": round(self.pct(95), 3), "p99": round(self.pct(99), 3),
                "mean": round(statistics.fmean(self.samples), 3),
                "max": round(max(self.samples), 3), "refused": self.refused}


def ms(value: float) -> str:
    """A figure in ms as the tables show it."""
    if value != value:  # NaN: nothing measured
        return "—"
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


# ----- several servers on one sandbox --------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One Discord server the benchmark acts in: its id, a channel in it, and a short name."""

    name: str
    guild_id: int
    channel: Channel


# The server the current task acts in; None: the sandbox's own (GUILD_ID, #briefings).
ACTING: contextvars.ContextVar[Side | None] = contextvars.ContextVar("acting", default=None)
_LAST: contextvars.ContextVar[Exchange | None] = contextvars.ContextVar("last", default=None)


class BenchServer(SandboxServer):
    """The sandbox server, sending each interaction from the server the calling task acts in.

    The sandbox knows one server (World); other servers' interactions carry their own guild
    id, as Discord sends them, and the bot meets those servers as discord.py meets any server
    it has not cached. Each server's channel is a channel of the world, so posts to it work.
    Concurrent tasks may act in different servers: which one is a context variable.
    """

    async def __aenter__(self) -> BenchServer:
        await self.start()
        return self

    def side(self, name: str, guild_id: int) -> Side:
        """A server to act in, with a text channel of its own."""
        position = len(self.world.channels)
        channel = Channel(GUILD_ID + 900 + position, f"{name}-desk", position)
        self.world.channels.append(channel)
        self.channel_posts[channel.id] = []
        return Side(name, guild_id, channel)

    async def _send(self, exchange: Exchange, *, within: float, settle: bool) -> Exchange:
        _LAST.set(exchange)  # this task's exchange, whatever other tasks send meanwhile
        return await super()._send(exchange, within=within, settle=settle)

    def _interaction_payload(self, exchange: Exchange) -> dict[str, Any]:
        payload = super()._interaction_payload(exchange)
        side = ACTING.get()
        if side is not None and side.guild_id != self.world.guild_id:
            guild = str(side.guild_id)
            payload["guild_id"] = guild
            payload["guild"] = {**payload["guild"], "id": guild}
            payload["channel"] = {**payload["channel"], "guild_id": guild}
            payload["authorizing_integration_owners"] = {"0": guild}
        return payload


@contextlib.contextmanager
def acting(side: Side | None) -> Iterator[None]:
    token = ACTING.set(side)
    try:
        yield
    finally:
        ACTING.reset(token)


def _channel() -> Channel | str:
    side = ACTING.get()
    return side.channel if side is not None else "briefings"


# ----- the commands ----------------------------------------------------------------------------


@dataclass
class Command:
    """One command as a member sends it, and the service call behind it."""

    label: str
    send: Callable[[SandboxServer, int], Awaitable[Exchange]]
    store: Callable[[DeskService, int], Awaitable[Any]]


async def slash(server: SandboxServer, command: str, options: dict[str, Any] | None = None,
                *, settle: bool = False) -> Exchange:
    return await _answered(server.slash(command, options, settle=settle, within=ANSWER_WITHIN,
                                        channel=_channel()))


async def _autocomplete(server: SandboxServer, typed: str) -> Exchange:
    return await _answered(server.autocomplete("meeting show", "meeting", typed,
                                               within=ANSWER_WITHIN, channel=_channel()))


async def _answered(call: Awaitable[Any]) -> Exchange:
    """The exchange a call made, also when the server refused its answer as too late."""
    _LAST.set(None)
    try:
        await call
    except BotStopped:
        raise
    except SandboxError:
        pass  # answered after the deadline: the exchange says how late
    except TimeoutError:
        pass  # no answer within ANSWER_WITHIN: counted as that long, and late
    exchange = _LAST.get()
    if exchange is None:
        raise RuntimeError("the call sent no interaction (is the server a BenchServer?)")
    return exchange


def latency_ms(exchange: Exchange) -> tuple[float, bool]:
    """(ms from INTERACTION_CREATE to the callback, whether Discord would have refused it)."""
    if exchange.latency is not None:
        return exchange.latency * 1000, False
    late = next((r["late_by"] for r in exchange.refused if "late_by" in r), None)
    if late is None:
        return ANSWER_WITHIN * 1000, True  # never answered: as long as it was waited for
    return late * 1000, True


async def _upcoming(desk: DeskService, _: int) -> Any:
    # What /visit upcoming reads: one page of lines, its count capped as the cog caps it.
    today = await desk.today(GUILD_ID)
    return await desk.line_page(GUILD_ID, RecordType.VISIT, RecordFilter(
        statuses=OPEN, date_from=today, limit=PAGE_SIZE), cap=COUNT_CAP)


async def _meetings(desk: DeskService, _: int, country: str | None = None) -> Any:
    return await desk.line_page(GUILD_ID, RecordType.MEETING, RecordFilter(
        country=country, limit=PAGE_SIZE), cap=COUNT_CAP)


async def _suggest(desk: DeskService, i: int) -> Any:
    records = await desk.suggest(GUILD_ID, RecordType.MEETING, TYPED[i % len(TYPED)])
    return await desk.people(GUILD_ID, people_of(records))


async def _nothing(desk: DeskService, i: int) -> None:
    return None


FLOOR_LABEL = "floor: /noop"
BRIEFING_LABEL = "/briefing country:…"

COMMANDS: tuple[Command, ...] = (
    Command(FLOOR_LABEL, lambda s, i: slash(s, "noop"), _nothing),
    Command("/visit upcoming", lambda s, i: slash(s, "visit upcoming"), _upcoming),
    Command(BRIEFING_LABEL, lambda s, i: slash(s, "briefing", {"country": NAMES[i % 50]}),
            lambda d, i: build_briefing(d, GUILD_ID, NAMES[i % 50])),
    Command("/search query:…", lambda s, i: slash(s, "search",
                                                  {"query": SEARCHES[i % len(SEARCHES)]}),
            lambda d, i: d.search(GUILD_ID, SEARCHES[i % len(SEARCHES)])),
    Command("/meeting list", lambda s, i: slash(s, "meeting list"), _meetings),
    Command("/meeting list country:…",
            lambda s, i: slash(s, "meeting list", {"country": NAMES[i % 50]}),
            lambda d, i: _meetings(d, i, NAMES[i % 50])),
    Command("autocomplete /meeting show", lambda s, i: _autocomplete(s, TYPED[i % len(TYPED)]),
            _suggest),
)


# ----- the bot process -----------------------------------------------------------------------


class BotProcess:
    """`python -m bot` with its output in a file, CPU and memory read from /proc."""

    def __init__(self, process: asyncio.subprocess.Process, log: Path,
                 lag_file: Path | None) -> None:
        self.process = process
        self.log = log
        self.lag_file = lag_file

    @classmethod
    async def start(cls, server: SandboxServer, workdir: Path, database: Target, *,
                    lag_file: Path | None = None) -> BotProcess:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DISCORD_", "DATABASE_", "DEV_GUILD", "LOG_LEVEL",
                                    LAG_FILE))}
        env.update(
            PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **database_env(database),
            DISCORD_TOKEN=TOKEN, DISCORD_API_BASE=server.api_base,
            DISCORD_GATEWAY_URL=server.gateway_url, DEV_GUILD_ID=str(GUILD_ID),
            LOG_LEVEL="WARNING", ATTACHE_BENCHMARK="1",
        )
        if lag_file is not None:
            env[LAG_FILE] = str(lag_file)
        log = workdir / "bot.log"
        with log.open("ab") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=workdir, env=env,
                stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out)
        return cls(process, log, lag_file)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mib(self) -> dict[str, float]:
        status = Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
        values = {line.split(":")[0]: int(line.split()[1]) for line in status
                  if line.startswith(("VmRSS:", "VmHWM:"))}
        return {"rss": round(values["VmRSS"] / 1024, 1), "peak": round(values["VmHWM"] / 1024, 1)}

    def pause_probe(self, paused: bool) -> None:
        """The lag probe's own wakes stop (SIGUSR1) or start again (SIGUSR2)."""
        if self.lag_file is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGUSR1 if paused else signal.SIGUSR2)

    async def stop(self) -> None:
        if self.process.returncode is None:
            # SIGINT: the bot closes its connection and database as after Ctrl-C.
            self.process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()

    async def kill(self) -> None:
        """kill -9: no clean-up at all, as after a crash or a power cut."""
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


async def start_up(server: SandboxServer, bot: BotProcess, began: float) -> dict[str, float]:
    """Seconds from spawning the process to commands synced, READY sent, first answer."""
    loop = asyncio.get_running_loop()
    server.watch(bot.process)
    await server.wait_until(lambda: GUILD_ID in server.commands, within=120,
                            what="the command sync")
    synced = loop.time() - began
    await server.wait_until_ready(within=60)
    ready = loop.time() - began
    await server.slash("noop")
    answered = loop.time() - began
    return {"commands_synced_s": round(synced, 2), "ready_s": round(ready, 2),
            "first_answer_s": round(answered, 2),
            "commands": float(len(server.commands[GUILD_ID]))}


# ----- the event-loop lag probe's file -------------------------------------------------------


def read_lag(path: Path | None) -> list[tuple[float, float]]:
    """(unix time, ms late) of every wake the probe wrote, oldest first."""
    if path is None or not path.is_file():
        return []
    out = []
    for line in path.read_text("ascii", errors="replace").splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) == 2:
            with contextlib.suppress(ValueError):
                out.append((float(parts[0]), float(parts[1])))
    out.sort()
    return out


def lag_between(path: Path | None, start: float, end: float) -> dict[str, Any] | None:
    """The probe's lateness between two unix times: p50, p99, max, and the stalls.

    `stalled_s`: the time the loop spent in wakes more than 20 ms late (each such wake
    stands for a stall about that long), so that a few long stalls that p99 hides still show.
    """
    return lag_summary(read_lag(path), start, end)


def lag_summary(probed: Iterable[tuple[float, float]], start: float,
                end: float) -> dict[str, Any] | None:
    """The wakes (unix time, ms late) between two unix times, summed up as lag_between says."""
    wakes = [late for at, late in probed if start <= at <= end]
    if not wakes:
        return None
    stats = Stats(wakes)
    return {"n": len(wakes), "p50": round(stats.pct(50), 2), "p99": round(stats.pct(99), 2),
            "max": round(stats.max, 1), "over_20ms": sum(1 for w in wakes if w > 20),
            "stalled_s": round(sum(w for w in wakes if w > 20) / 1000, 2),
            "seconds": round(end - start, 1)}


def lag_text(lag: dict[str, Any] | None) -> str:
    if not lag:
        return "loop lag not measured"
    return (f"loop lag p99 {ms(lag['p99'])} ms, max {ms(lag['max'])} ms "
            f"({lag['over_20ms']} wakes over 20 ms, {lag['stalled_s']} s stalled, "
            f"{lag['n']:,} wakes)")


class HarnessLag:
    """The benchmark's own event loop, probed as the bot's is (a wake asked for every 10 ms,
    how late each came): the sandbox server stamps when it sends an interaction and when
    the answer arrives in this loop, so a stall here is counted as the bot's latency. Shown
    beside the bot's figures so that one can be told from the other."""

    def __init__(self) -> None:
        self.wakes: list[tuple[float, float]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            expected = loop.time() + 0.010
            await asyncio.sleep(0.010)
            self.wakes.append((time.time(), (loop.time() - expected) * 1000))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def between(self, start: float, end: float) -> dict[str, Any] | None:
        return lag_summary(self.wakes, start, end)


# ----- stores ------------------------------------------------------------------------------


def store_bytes(path: Path) -> int:
    """The database file with its WAL and shared-memory files, as they are now."""
    return sum(Path(f"{path}{suffix}").stat().st_size for suffix in ("", "-wal", "-shm")
               if Path(f"{path}{suffix}").exists())


def store_records(path: Path) -> dict[str, int]:
    """Rows of each record type in the file, over all servers."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        counts = {}
        for table in ("people", "meetings", "plans", "visits", "sources"):
            with contextlib.suppress(sqlite3.Error):
                counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return counts


async def build_store(path: Path, n: int) -> dict[str, Any]:
    """N meetings, N plans and N visits (and their people), imported in one call."""
    began = time.perf_counter()
    bundle = synthetic_bundle(n)
    generated = time.perf_counter() - began
    db = await Database.open(path)
    try:
        began = time.perf_counter()
        report = await import_data(build_services(db, now).changes, GUILD_ID, bundle,
                                   actor_id=None)
        imported = time.perf_counter() - began
        open_bytes = await asyncio.to_thread(store_bytes, path)
    finally:
        await db.close()
    closed = await asyncio.to_thread(store_bytes, path)
    return {"records": report.total, "meetings": n, "plans": n, "visits": n,
            "people": len(bundle["people"]), "generate_s": round(generated, 1),
            "import_s": round(imported, 1), "records_per_s": round(report.total / imported),
            "database_mb": round(closed / 1e6), "bytes": closed,
            "bytes_with_wal_before_close": open_bytes,
            "bytes_per_record": round(closed / report.total)}


def fingerprint(n: int) -> str:
    """What a built store depends on: its size, the generator and the schema."""
    digest = hashlib.sha256(f"{n}".encode())
    digest.update(Path(datagen.__file__).read_bytes())
    for migration in bundled_migrations():
        digest.update(migration.sql.encode())
    return digest.hexdigest()[:16]


async def prepared_store(path: Path, n: int, cache: Path | None) -> dict[str, Any]:
    """The store for N at `path`: copied from the cache when built before, else built.

    Importing 300,000 records takes minutes on a small machine, so a built store is kept
    (keyed by size, generator and schema) and later runs copy it; the import figures shown
    are those of the run that built it.
    """
    kept = cache / f"store-{fingerprint(n)}.db" if cache is not None else None
    facts = kept.with_suffix(".json") if kept is not None else None
    if kept is not None and facts is not None and await asyncio.to_thread(facts.is_file):
        say(f"N={n:,}: copying the store built before ({kept})")
        await asyncio.to_thread(shutil.copyfile, kept, path)
        return {**json.loads(await asyncio.to_thread(facts.read_text, "utf-8")), "cached": True}
    say(f"N={n:,}: generating and importing {3 * n:,} records in one call…")
    built = await build_store(path, n)
    say(f"N={n:,}: {built['records']:,} records imported in {built['import_s']} s "
        f"({built['records_per_s']:,}/s), {built['bytes_per_record']:,} bytes a record")
    if kept is not None and facts is not None:
        await asyncio.to_thread(kept.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(shutil.copyfile, path, kept)
        await asyncio.to_thread(facts.write_text, json.dumps(built), "utf-8")
    return {**built, "cached": False}


async def copy_store(source: Path, target: Path) -> None:
    await asyncio.to_thread(remove_database, target)
    await asyncio.to_thread(shutil.copyfile, source, target)


def remove_database(path: Path) -> None:
    for name in (str(path), f"{path}-wal", f"{path}-shm"):
        Path(name).unlink(missing_ok=True)


async def import_into(path: Target, guild_id: int, bundle: dict[str, Any]) -> float:
    """In this process, as the store was built; returns the seconds it took."""
    db = await Database.open(path)
    try:
        began = time.perf_counter()
        await import_data(build_services(db, now).changes, guild_id, bundle, actor_id=None)
        return time.perf_counter() - began
    finally:
        await db.close()


async def set_reminders(path: Target, guild_id: int, channel_id: int,
                        leads: str | None = None) -> None:
    """The server's reminder channel (and lead times), saved as /reminders channel saves it."""
    db = await Database.open(path)
    try:
        services = build_services(db, now)
        current = await services.guild_settings.get(guild_id)
        changed = replace(current, reminder_channel_id=channel_id)
        if leads is not None:
            changed = replace(changed, reminder_leads=leads)
        await services.changes.save_settings(changed)
    finally:
        await db.close()


@dataclass
class CliImport:
    """`python -m bot import FILE --guild ID` as its own process on the same database file."""

    records: int
    process: asyncio.subprocess.Process
    began: float
    wall_began: float
    output: Path

    @classmethod
    async def start(cls, workdir: Path, database: Target, guild_id: int,
                    bundle: dict[str, Any], name: str) -> CliImport:
        file = workdir / f"{name}.json"
        text = json.dumps(bundle, ensure_ascii=False)
        await asyncio.to_thread(file.write_text, text, "utf-8")
        records = sum(len(v) for v in bundle.values() if isinstance(v, list))
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DISCORD_", "DATABASE_", "DEV_GUILD", "LOG_LEVEL"))}
        env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **database_env(database),
                   LOG_LEVEL="WARNING")
        output = workdir / f"{name}.out"
        with output.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "import", str(file), "--guild", str(guild_id),
                cwd=workdir, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out,
                stderr=asyncio.subprocess.STDOUT)
        return cls(records, process, time.perf_counter(), time.time(), output)

    async def finish(self, limit_s: float = 1800.0) -> dict[str, Any]:
        """Waits until it exits, or stops it `limit_s` seconds after it started (its one
        transaction then rolls back: records/s is None and `stopped` True)."""
        remaining = max(0.0, limit_s - (time.perf_counter() - self.began))
        stopped = False
        try:
            code = await asyncio.wait_for(self.process.wait(), remaining)
        except TimeoutError:
            self.process.kill()
            code = await self.process.wait()
            stopped = True
        seconds = time.perf_counter() - self.began
        said = (await asyncio.to_thread(self.output.read_text, "utf-8", "replace")).strip()
        if stopped:
            said = f"stopped after {seconds:.0f} s, unfinished"
        return {"records": self.records, "seconds": round(seconds, 1),
                "records_per_s": None if stopped or code else round(self.records / seconds),
                "exit": code, "stopped": stopped,
                "said": said.splitlines()[-1][:300] if said else "",
                "wall": (self.wall_began, time.time())}


# ----- calling commands ------------------------------------------------------------------------


class Labelled(Protocol):
    @property
    def label(self) -> str: ...


@dataclass
class Budget:
    """How many calls each command gets: `calls`, unless it has spent `seconds` and made at
    least `least` calls; slow commands then stop early, so the run keeps to its time. Past
    `total` seconds for the whole rotation, every command stops after its next counted call."""

    calls: int = 200
    seconds: float = 20.0
    least: int = 5
    warm_up: int = 1
    total: float | None = None


T = TypeVar("T", bound=Labelled)


async def rounds(budget: Budget, items: Sequence[T],
                 one: Callable[[T, int], Awaitable[tuple[float, bool]]]) -> dict[str, Stats]:
    """Every command in turn, round after round, so all see the same conditions; warm-up
    calls are not counted, and a command leaves the rotation once its budget is spent."""
    stats = {c.label: Stats([]) for c in items}
    spent = dict.fromkeys(stats, 0.0)
    active = list(items)
    i = 0
    started = time.perf_counter()
    while active:
        for item in list(active):
            began = time.perf_counter()
            took, refused = await one(item, i)
            spent[item.label] += time.perf_counter() - began
            if i < budget.warm_up:
                continue
            mine = stats[item.label]
            mine.samples.append(took)
            mine.refused += refused
            enough = len(mine.samples) >= budget.calls
            tired = spent[item.label] > budget.seconds and len(mine.samples) >= budget.least
            over = budget.total is not None and time.perf_counter() - started > budget.total
            if enough or tired or over:
                active.remove(item)
        i += 1
    return stats


@dataclass(frozen=True)
class Call:
    """A command in one server: what the tables call it, and how to send it."""

    label: str
    command: Command
    side: Side | None = None

    async def send(self, server: SandboxServer, i: int) -> tuple[float, bool]:
        with acting(self.side):
            return latency_ms(await self.command.send(server, i))


def calls_in(side: Side | None, commands: Sequence[Command] = COMMANDS, *,
             prefix: str = "") -> list[Call]:
    return [Call(f"{prefix}{c.label}", c, side) for c in commands]


@dataclass
class Timed:
    """One answer: which call, when it was sent (s from the phase's origin), how long."""

    label: str
    at: float
    ms: float
    refused: bool


@dataclass
class Drive:
    """Calls sent in turn until told to stop; what each took, kept in order."""

    answers: list[Timed] = field(default_factory=list)

    def stats(self, label: str | None = None, *, start: float = 0.0,
              end: float = math.inf) -> Stats:
        picked = [a for a in self.answers if (label is None or a.label == label)
                  and start <= a.at < end]
        return Stats([a.ms for a in picked], sum(a.refused for a in picked))

    def labels(self) -> list[str]:
        return list(dict.fromkeys(a.label for a in self.answers))


async def drive(server: SandboxServer, calls: Sequence[Call], *, origin: float,
                until: Callable[[], bool], into: Drive | None = None) -> Drive:
    """Sends `calls` in turn, round after round, until `until()` says stop (checked between
    calls). `origin` is a loop time; each answer is stamped with seconds since it."""
    loop = asyncio.get_running_loop()
    out = into or Drive()
    i = 0
    while not until():
        for call in calls:
            if until():
                break
            at = loop.time() - origin
            took, refused = await call.send(server, i)
            out.answers.append(Timed(call.label, at, took, refused))
        i += 1
    return out


async def paced(server: SandboxServer, calls: Sequence[Call], *, origin: float, every: float,
                until: Callable[[], bool], in_flight: int = 16) -> Drive:
    """Sends `calls` in turn, one every `every` seconds from `origin` (a loop time) whether
    or not the ones before have been answered, as members do, with at most `in_flight`
    waiting at once; stops sending when `until()` says so and waits for those in flight.
    A stall then delays every call sent meanwhile, and each command is sent within the
    first second whatever the others take."""
    loop = asyncio.get_running_loop()
    out = Drive()
    room = asyncio.Semaphore(in_flight)
    flying: set[asyncio.Task[None]] = set()

    async def one(call: Call, i: int, at: float) -> None:
        try:
            took, refused = await call.send(server, i)
            out.answers.append(Timed(call.label, at, took, refused))
        finally:
            room.release()

    i = 0
    while not until():
        await room.acquire()
        await asyncio.sleep(max(0.0, origin + i * every - loop.time()))
        if until():
            room.release()
            break
        task = asyncio.create_task(one(calls[i % len(calls)], i // len(calls),
                                       loop.time() - origin))
        flying.add(task)
        task.add_done_callback(flying.discard)
        i += 1
    if flying:
        await asyncio.gather(*flying)
    return out


def world_with_reminder_channels(count: int) -> tuple[World, list[Channel]]:
    world = World()
    channels = [Channel(GUILD_ID + 500 + k, f"reminders-{k + 1}", 10 + k) for k in range(count)]
    world.channels += channels
    return world, channels
