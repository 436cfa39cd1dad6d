"""Benchmarks over the real wire: `python -m bot` as its own process against the sandbox server.

    .venv/bin/python -m tests.benchmarks.wire_bench --n 1000 --n 100000
    .venv/bin/python -m tests.benchmarks.wire_bench --n 100000 --phases two-server,ingest
    .venv/bin/python -m tests.benchmarks.wire_bench --store postgresql --n 1000 --n 100000

For each N it builds a store (N meetings, N plans and N visits over 50 countries, imported
through bot.services.interchange in this process) and reports its import rate and bytes per
record (file, WAL and shared memory over records). The phases (`--phases`, all by default):

- standard: for each N, the bot started against a SandboxServer; latency from the server
  sending INTERACTION_CREATE to receiving the callback, over `--calls` calls each, for the
  floor (/noop, loaded with ATTACHE_BENCHMARK=1) and the commands below, called in turn so
  all see the same conditions; the same service call each command makes, timed in-process
  on the same database file; time from start to commands synced, to READY, and to the first
  answer. At the largest N also reminder lateness (due time to message received by the
  server) for `--reminders` reminders due at distinct instants over `--window` seconds in
  four servers' channels, beside a fixed-interval poller (every 10 s) simulated here over
  the same reminders; then the bot's idle CPU over `--idle` seconds and its memory.
- two-server: the same commands in a server of 1,000 records of each kind beside the
  largest-N server, both in one store, called in turn.
- mixed: four servers of 1,000 records of each kind run the command mix concurrently (one
  member each), first alone, then while the largest-N server takes a `python -m bot import`
  of 100,000 records (its own process, same database file) and /briefing back to back; each
  of the four servers' p99 is reported.
- restart: a CLI import of 100,000 open visits into a server whose reminder channel is set;
  the bot started on that store and every command timed from READY on (one sent every
  100 ms, answered or not; first second, then steady), then the same after a kill -9 of the
  bot and a restart.
- ingest: `bot.services.ingest.propose` timed in-process on crafted 200 KB attachments
  (tests/benchmarks/ingest_bench.py).

In every phase the bot runs an event-loop lag probe (bot/cogs/bench.py: a task that wakes
every 10 ms and records how late it woke); its p99 and max are reported per phase.

A command gets `--calls` calls unless it has taken `--budget` seconds first (then at least
five), and a rotation stops after `--rotation` seconds; the mixed phase's load lasts at most
`--loaded-max` seconds and its import is stopped after `--import-limit`, so that a command
or an import that needs minutes cannot stretch the run much past 20 minutes. Built stores
are kept in `--cache` and copied by later runs (the import figures are then those of the run
that built them; `--no-cache` builds afresh).

`--store postgresql` runs every phase on PostgreSQL instead (tests/benchmarks/backends.py): a
throwaway cluster (tests/pgserver.py, restarted with fsync and synchronous commit on unless
`--pg-fast`), one database per size holding the SQLite store of that size copied with
bot.stores.copy.copy_database (the same rows on both backends; the copy's time is reported,
not an import rate), each phase's store a `CREATE DATABASE … TEMPLATE` copy of it, the bot
and the CLI given DATABASE_URL, and the in-process figures taken on the same URL; sizes are
pg_database_size.

It prints Markdown tables and the figures as JSON (also written with --json FILE), and the
issue's targets, judged against the floor measured in the same run, as met or missed. It
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.sandbox.server import SandboxServer
from bot.sandbox.world import GUILD_ID, Channel
from bot.services.factory import build_services
from bot.stores.database import Database
from tests.benchmarks import backends, ingest_bench
from tests.benchmarks.backends import STORES, SqliteStores, Stores
from tests.benchmarks.datagen import spread, timed_visits
from tests.benchmarks.harness import (
    COMMANDS,
    FLOOR_LABEL,
    TOKEN,
    BenchServer,
    BotProcess,
    Budget,
    Command,
    Stats,
    Target,
    import_into,
    lag_between,
    lag_text,
    latency_ms,
    ms,
    now,
    rounds,
    say,
    set_reminders,
    start_up,
    world_with_reminder_channels,
)
from tests.benchmarks.phases import MixedPlan, RestartPlan, mixed, restart, two_servers

PHASES = ("standard", "two-server", "mixed", "restart", "ingest")

# Targets from the issue.
FLOOR_FACTOR = 3.0
CEILING_MS = 20.0
MIXED_P99_MS = 50.0
LAG_P99_MS = 20.0
LATENESS_P99_MS = 100.0
IDLE_CPU_PERCENT = 1.0
IMPORT_PER_S = 20_000

REMINDER_SERVERS = 4
REMINDER_LEAD = "1h"
POLL_EVERY = 10.0


# ----- reminders -----------------------------------------------------------------------------


@dataclass
class DuePlan:
    """The reminders to measure: which server, channel and due instant each one has."""

    guilds: dict[int, Channel]
    due: list[tuple[int, datetime]] = field(default_factory=list)


async def add_reminders(path: Target, channels: list[Channel], count: int, first: datetime,
                        window: float) -> DuePlan:
    """`count` timed visits, a reminder each due one lead before, spread over the servers."""
    plan = DuePlan({GUILD_ID + 10_000 + k: c for k, c in enumerate(channels)})
    lead = timedelta(hours=1)
    dues = spread(first, count, timedelta(seconds=window))
    guilds = list(plan.guilds)
    for k, guild in enumerate(guilds):
        mine = dues[k::len(guilds)]
        await import_into(path, guild, timed_visits([d + lead for d in mine], seed=k,
                                                    prefix=f"due{k}"))
        plan.due += [(guild, d) for d in mine]
        await set_reminders(path, guild, plan.guilds[guild].id, REMINDER_LEAD)
    return plan


@dataclass
class Row:
    status: str
    due: datetime
    late: bool
    message_id: int | None


async def _reminder_rows(stores: Stores, path: Target, guilds: list[int]) -> list[Row]:
    """Every delivery row of the servers, read-only beside the bot (plain SQL, so that the
    benchmark needs only the columns every schema version has)."""
    marks = ", ".join("?" for _ in guilds)
    found = await stores.rows(
        path, f"SELECT status, due_at, late, message_id FROM deliveries WHERE guild_id IN "
        f"({marks})", guilds)
    return [Row(s, datetime.fromisoformat(d), bool(late), m) for s, d, late, m in found]


async def fixed_interval_poller(server: SandboxServer, plan: DuePlan, until: datetime
                                ) -> list[float]:
    """The common design, simulated: wake every 10 s, post what fell due, batched per server
    as the bot batches, over the same REST route. Returns each reminder's lateness in ms."""
    pending = sorted(plan.due, key=lambda item: item[1])
    lateness: list[float] = []
    url = f"{server.api_base}/api/v10/channels/{{}}/messages"
    headers = {"Authorization": f"Bot {TOKEN}"}
    async with aiohttp.ClientSession() as session:
        while pending and now() < until:
            await asyncio.sleep(POLL_EVERY)
            moment = now()
            due = [item for item in pending if item[1] <= moment]
            pending = pending[len(due):]
            by_guild: dict[int, list[datetime]] = {}
            for guild, when in due:
                by_guild.setdefault(guild, []).append(when)
            for guild, whens in by_guild.items():
                channel = plan.guilds[guild]
                async with session.post(url.format(channel.id), headers=headers, json={
                        "content": f"poller: {len(whens)} reminders"}) as answer:
                    message = await answer.json(content_type=None)
                received = datetime.fromisoformat(message["timestamp"])
                lateness += [(received - when).total_seconds() * 1000 for when in whens]
    return lateness


async def reminders(server: SandboxServer, path: Target, plan: DuePlan, first: datetime,
                    window: float, stores: Stores | None = None) -> dict[str, Any]:
    """Lateness of every reminder the bot posted, and of the simulated 10 s poller."""
    end = first + timedelta(seconds=window)
    # The poller starts now, like the bot's process: its phase against the dues is arbitrary.
    poller = asyncio.create_task(fixed_interval_poller(
        server, DuePlan(plan.guilds, [(g, d.replace(microsecond=0)) for g, d in plan.due]),
        end + timedelta(seconds=POLL_EVERY + 1)))
    stores = stores or SqliteStores()
    planned_at = None
    while now() < first:
        rows = await _reminder_rows(stores, path, list(plan.guilds))
        if planned_at is None and len(rows) >= len(plan.due):
            planned_at = now()
        await asyncio.sleep(0.5)
    await asyncio.sleep(max(0.0, (end - now()).total_seconds()) + 5)
    polled = await poller
    rows = await _reminder_rows(stores, path, list(plan.guilds))
    sent = [r for r in rows if r.status == "sent" and r.message_id in server.messages]
    lateness = [(datetime.fromisoformat(server.messages[r.message_id]["timestamp"]) - r.due)
                .total_seconds() * 1000 for r in sent if r.message_id is not None]
    posts = {r.message_id for r in sent}
    return {
        "reminders": len(plan.due), "window_s": window, "sent": len(sent), "posts": len(posts),
        "servers": len(plan.guilds), "late_marked": sum(r.late for r in sent),
        "not_sent": sorted({r.status for r in rows if r.status != "sent"}),
        "planned_before_first_due_s": round((first - planned_at).total_seconds(), 1)
        if planned_at else None,
        "bot": Stats(lateness) if lateness else None,
        "poller_10s": Stats(polled) if polled else None,
    }


async def idle(bot: BotProcess, seconds: float) -> dict[str, float]:
    """CPU over `seconds` with nothing to do (the lag probe paused: its wakes are not the
    bot's)."""
    bot.pause_probe(True)
    await asyncio.sleep(0.5)
    loop = asyncio.get_running_loop()
    cpu, began = bot.cpu_seconds(), loop.time()
    await asyncio.sleep(seconds)
    used, spent = bot.cpu_seconds() - cpu, loop.time() - began
    bot.pause_probe(False)
    # /proc counts CPU time in clock ticks: the smallest figure above zero is one tick.
    resolution = 100 / os.sysconf("SC_CLK_TCK") / spent
    return {"seconds": round(spent, 1), "cpu_percent": round(100 * used / spent, 3),
            "resolution_percent": round(resolution, 3),
            **{f"{k}_mib": v for k, v in bot.memory_mib().items()}}


# ----- the standard phase --------------------------------------------------------------------


async def wire_latency(server: SandboxServer, budget: Budget) -> dict[str, Stats]:
    async def one(command: Command, i: int) -> tuple[float, bool]:
        return latency_ms(await command.send(server, i))
    return await rounds(budget, COMMANDS, one)


async def store_latency(path: Target, budget: Budget) -> dict[str, Stats]:
    """The service call behind each command, in this process, on the same database (file or
    PostgreSQL URL)."""
    db = await Database.open(path, migrate=False)
    try:
        desk = build_services(db, now).desk

        async def one(command: Command, i: int) -> tuple[float, bool]:
            began = time.perf_counter()
            await command.store(desk, i)
            return (time.perf_counter() - began) * 1000, False
        return await rounds(budget, COMMANDS, one)
    finally:
        await db.close()


@dataclass
class Plan:
    """What one run measures."""

    sizes: list[int]
    wire: Budget = field(default_factory=lambda: Budget(total=240.0))
    service: Budget = field(default_factory=lambda: Budget(seconds=8.0, total=45.0))
    reminders: int = 1000
    window: float = 120.0
    idle: float = 30.0
    cache: Path | None = None
    phases: tuple[str, ...] = PHASES
    two_server_small: int = 1000
    mixed: MixedPlan = field(default_factory=MixedPlan)
    restart: RestartPlan = field(default_factory=RestartPlan)
    ingest_limit_s: float = 30.0
    keep: Path | None = None  # a folder to keep the logs and lag files in
    store: str = "sqlite"  # or "postgresql": a throwaway cluster (tests/benchmarks/backends.py)
    pg_fast: bool = False  # PostgreSQL with the test suite's settings (fsync off)


async def run_size(n: int, base: Target, workdir: Path, plan: Plan, store: dict[str, Any], *,
                   largest: bool, stores: Stores | None = None) -> dict[str, Any]:
    stores = stores or SqliteStores()
    path = stores.target(workdir, f"bench-{n}")
    await stores.copy(base, path)
    result: dict[str, Any] = {"n": n, "store": store}
    windows: dict[str, tuple[float, float]] = {}
    world, channels = world_with_reminder_channels(REMINDER_SERVERS)
    due, first = None, None
    if largest and plan.reminders:
        # Far enough ahead for start-up and for the bot to plan them all as it starts.
        first = (now() + timedelta(seconds=20)).replace(microsecond=0)
        due = await add_reminders(path, channels, plan.reminders, first, plan.window)
    lag_file = workdir / f"lag-standard-{n}.txt"
    async with BenchServer(TOKEN, world) as server:
        began, wall = asyncio.get_running_loop().time(), time.time()
        bot = await BotProcess.start(server, workdir, path, lag_file=lag_file)
        try:
            result["start_up"] = await start_up(server, bot, began)
            windows["start-up"] = (wall, time.time())
            say(f"N={n:,}: started: {result['start_up']}")
            if due is not None and first is not None:
                say(f"N={n:,}: {plan.reminders} reminders due from {first:%H:%M:%S} over "
                    f"{plan.window:g} s…")
                wall = time.time()
                result["reminders"] = await reminders(server, path, due, first, plan.window,
                                                      stores)
                windows["reminders"] = (wall, time.time())
            if largest and plan.idle:
                say(f"N={n:,}: idle for {plan.idle:g} s…")
                result["idle"] = await idle(bot, plan.idle)
            say(f"N={n:,}: up to {plan.wire.calls} calls of each command over the wire…")
            wall = time.time()
            result["wire"] = await wire_latency(server, plan.wire)
            windows["wire calls"] = (wall, time.time())
            result["memory_after_calls"] = bot.memory_mib()
        finally:
            await bot.stop()
    # Read once the bot has stopped: the probe writes its file once a second, and at exit.
    result["lag"] = {name: lag_between(lag_file, *w) for name, w in windows.items()}
    say(f"N={n:,}: the same service calls in-process…")
    result["service"] = await store_latency(path, plan.service)
    await stores.remove(path)
    return result


# ----- one run -------------------------------------------------------------------------------


async def run(plan: Plan) -> dict[str, Any]:
    """The chosen phases in turn: standard (every size, smallest first), two-server, mixed,
    restart, ingest. The last four use the largest N."""
    began = time.perf_counter()
    results: dict[str, Any] = {"phases": list(plan.phases), "sizes": []}
    big = max(plan.sizes)
    with tempfile.TemporaryDirectory(prefix="wire-bench-") as temp:
        async with backends.opened(plan.store, fast=plan.pg_fast) as backend:
            results["backend"] = {"name": backend.name, "label": backend.label,
                                  "description": backend.describe()}
            await _run_phases(plan, results, Path(temp), backend, big)
    results["machine"] = machine()
    results["calls"] = plan.wire.calls
    results["budget_s"] = plan.wire.seconds
    results["total_s"] = round(time.perf_counter() - began, 1)
    return results


async def _run_phases(plan: Plan, results: dict[str, Any], workdir: Path, backend: Stores,
                      big: int) -> None:
    stores: dict[int, tuple[Target, dict[str, Any]]] = {}
    results["stores"] = {}

    async def base(n: int) -> tuple[Target, dict[str, Any]]:
        if n not in stores:
            path, facts = await backend.base(n, workdir, plan.cache)
            stores[n] = (path, facts)
            results["stores"][n] = facts
        return stores[n]

    try:
        if "standard" in plan.phases:
            for n in sorted(plan.sizes):
                path, facts = await base(n)
                say(f"N={n:,}: store ready ({facts['records']:,} records)")
                results["sizes"].append(await run_size(n, path, workdir, plan, facts,
                                                       largest=n == big, stores=backend))
                if n != big:
                    await backend.remove(path)
                    stores.pop(n)
        if "two-server" in plan.phases:
            path, _ = await base(big)
            # Twice the commands of a standard size: each gets at most 10 s.
            results["two_server"] = await two_servers(
                path, big, workdir, small=plan.two_server_small,
                budget=replace(plan.wire, seconds=min(plan.wire.seconds, 10.0),
                               total=min(plan.wire.total or math.inf, 90.0)),
                stores=backend)
        if "mixed" in plan.phases:
            path, _ = await base(big)
            results["mixed"] = await mixed(path, big, workdir, plan.mixed, backend)
        if "restart" in plan.phases:
            path, _ = await base(big)
            results["restart"] = await restart(path, big, workdir, plan.restart, backend)
        if "ingest" in plan.phases:
            say(f"ingest: propose() on crafted 200 KB texts (stopped at "
                f"{plan.ingest_limit_s:g} s each)…")
            results["ingest"] = await ingest_bench.time_all(plan.ingest_limit_s)
    finally:
        if plan.keep is not None:
            await asyncio.to_thread(_keep, workdir, plan.keep)


def _keep(workdir: Path, keep: Path) -> None:
    keep.mkdir(parents=True, exist_ok=True)
    for item in workdir.iterdir():
        if item.suffix in (".txt", ".log", ".out"):
            shutil.copy(item, keep / item.name)


def machine() -> dict[str, Any]:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown")
    # Other work on the machine shows here; the figures are only as quiet as it was.
    return {"cpus": os.cpu_count(), "cpu": model, "python": sys.version.split()[0],
            "load_average_1m_at_end": round(os.getloadavg()[0], 2)}


# ----- targets -------------------------------------------------------------------------------


@dataclass
class Verdict:
    target: str
    figure: str
    met: bool
    note: str = ""

    def line(self) -> str:
        mark = "met" if self.met else "MISSED"
        return f"| {self.target} | {self.figure} | {mark} | {self.note} |"


def run_floor(results: dict[str, Any]) -> float | None:
    """The floor's p99 at the largest N of the standard phase, when it ran."""
    if results.get("sizes"):
        return float(results["sizes"][-1]["wire"][FLOOR_LABEL].pct(99))
    return None


def _limit(floor: float) -> float:
    return min(FLOOR_FACTOR * floor, CEILING_MS)


def _command_verdicts(where: str, stats: dict[str, Stats], floor: float, limit: float
                      ) -> list[Verdict]:
    out = []
    for label, s in stats.items():
        if label == FLOOR_LABEL or not s.samples:
            continue
        p99 = s.pct(99)
        note = "" if p99 <= limit else f"by {ms(p99 - limit)} ms ({p99 / floor:,.1f}× the floor)"
        if s.refused:
            note += f"; {s.refused} of {len(s.samples)} past Discord's 3 s"
        out.append(Verdict(f"{where}: {label} p99 ≤ {ms(limit)} ms", f"{ms(p99)} ms",
                           p99 <= limit, note.strip("; ")))
    return out


def verdicts(results: dict[str, Any]) -> tuple[str, list[Verdict]]:
    """The issue's targets, each met or missed, and by how much."""
    out: list[Verdict] = []
    floor = run_floor(results)
    basis = (f"the floor's p99 at N={results['sizes'][-1]['n']:,} in this run: "
             f"{ms(floor)} ms" if floor is not None else "each phase's own floor")
    if results.get("sizes"):
        largest = results["sizes"][-1]
        assert floor is not None
        out += _command_verdicts(f"N={largest['n']:,}", largest["wire"], floor, _limit(floor))
        rem = largest.get("reminders")
        if rem and rem.get("bot") is not None:
            p99 = rem["bot"].pct(99)
            out.append(Verdict(f"reminder lateness p99 < {LATENESS_P99_MS:g} ms", f"{ms(p99)} ms",
                               p99 < LATENESS_P99_MS,
                               f"{rem['sent']} of {rem['reminders']} sent"))
        if "idle" in largest:
            cpu = largest["idle"]["cpu_percent"]
            out.append(Verdict(f"idle CPU < {IDLE_CPU_PERCENT:g} %", f"{cpu:.2f} %",
                               cpu < IDLE_CPU_PERCENT))
    two = results.get("two_server")
    if two:
        own = two["small"][FLOOR_LABEL].pct(99)
        f = floor if floor is not None else own
        limit = FLOOR_FACTOR * f
        out += _command_verdicts(f"1,000-record server beside N={two['n_big']:,}",
                                 two["small"], f, limit)
    mix = results.get("mixed")
    if mix:
        for server in mix["servers"]:
            p99 = server["loaded"].pct(99)
            note = f"quiet p99 {ms(server['quiet'].pct(99))} ms"
            if server["loaded"].refused:
                note += f"; {server['loaded'].refused} answers past Discord's 3 s"
            out.append(Verdict(f"mixed load: {server['server']} p99 ≤ {MIXED_P99_MS:g} ms",
                               f"{ms(p99)} ms", p99 <= MIXED_P99_MS, note))
        lag = mix.get("loaded_lag")
        if lag:
            out.append(Verdict(f"mixed load: loop lag p99 ≤ {LAG_P99_MS:g} ms",
                               f"{ms(lag['p99'])} ms", lag["p99"] <= LAG_P99_MS,
                               f"max {ms(lag['max'])} ms, {lag['stalled_s']} s stalled"))
    rs = results.get("restart")
    if rs:
        for key, name in (("first_start", "first second after READY"),
                          ("after_kill", "first second after kill -9 and restart")):
            part = rs[key]
            steady_floor = part["steady"].get(FLOOR_LABEL)
            f = floor if floor is not None else (
                steady_floor.pct(99) if steady_floor and steady_floor.samples else 5.0)
            out += _command_verdicts(name, part["first_second"], f, _limit(f))
    for text in results.get("ingest") or []:
        seconds = text.get("seconds")
        out.append(Verdict(f"ingest of '{text['text']}' < {ingest_bench.TARGET_S:g} s",
                           f"{seconds:.2f} s" if seconds is not None else text["outcome"],
                           seconds is not None and seconds < ingest_bench.TARGET_S))
    for name, rate in _import_rates(results):
        out.append(Verdict(f"{name} ≥ {IMPORT_PER_S:,} records/s",
                           f"{rate:,}/s" if rate is not None else "unfinished",
                           rate is not None and rate >= IMPORT_PER_S,
                           "stopped at the phase's time limit" if rate is None else ""))
    return basis, out


def _import_rates(results: dict[str, Any]) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    for n, facts in (results.get("stores") or {}).items():
        if not facts.get("cached") and not _copied(facts):
            out.append((f"import of N={int(n):,} (in-process)", int(facts["records_per_s"])))
    if results.get("mixed"):
        out.append(("CLI import during mixed load", results["mixed"]["import"]["records_per_s"]))
    if results.get("restart"):
        out.append(("CLI import of open visits (restart)",
                    results["restart"]["import"]["records_per_s"]))
    return out


def _rate(imp: dict[str, Any]) -> str:
    if imp.get("records_per_s") is None:
        return (f"unfinished after {imp['seconds']} s, so < "
                f"{imp['records'] / imp['seconds']:,.0f}/s") if imp.get("stopped") else (
            f"failed (exit {imp['exit']})")
    return f"{imp['records_per_s']:,}/s"


# ----- reporting -----------------------------------------------------------------------------


def _on_postgres(results: dict[str, Any]) -> bool:
    return bool((results.get("backend") or {}).get("name") == "postgresql")


def _copied(facts: dict[str, Any]) -> bool:
    """A PostgreSQL base: the SQLite store copied with copy_database, not imported."""
    return facts.get("built_by") == "copy_database"


def _build_cell(st: dict[str, Any]) -> str:
    """The standard table's import column: the import, or the copy that made the store."""
    if _copied(st):
        return (f"— (copied from SQLite: {st['copy_rows']:,} rows in {st['copy_s']} s, "
                f"{st['copy_rows_per_s']:,} rows/s)")
    return (f"{st['import_s']} s ({st['records_per_s']:,}/s"
            f"{'; by an earlier run' if st.get('cached') else ''})")


def _calls(stats: Stats) -> str:
    late = f" ({stats.refused} late)" if stats.refused else ""
    return f"{len(stats.samples)}{late}"


def _ratio(value: float, floor: float) -> str:
    if math.isnan(value) or not floor:
        return "—"
    return f"{value / floor:,.1f}×"


def _lag_row(phase: str, lag: dict[str, Any] | None) -> str:
    if not lag:
        return f"| {phase} | — | — | — | — | — | — |"
    return (f"| {phase} | {lag['n']:,} | {ms(lag['p50'])} | {ms(lag['p99'])} | "
            f"{ms(lag['max'])} | {lag['over_20ms']} | {lag['stalled_s']} |")


def _standard(results: dict[str, Any]) -> list[str]:
    lines = ["| N | command | calls | wire p50 | wire p95 | wire p99 | p99 ÷ floor "
             "| service p50 | service p99 |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for size in results["sizes"]:
        wire, service = size["wire"], size["service"]
        floor = wire[FLOOR_LABEL].pct(99)
        for command in COMMANDS:
            w, s = wire[command.label], service[command.label]
            own = ("—", "—") if command is COMMANDS[0] else (ms(s.pct(50)), ms(s.pct(99)))
            lines.append(f"| {size['n']:,} | {command.label} | {_calls(w)} | {ms(w.pct(50))} | "
                         f"{ms(w.pct(95))} | {ms(w.pct(99))} | {_ratio(w.pct(99), floor)} | "
                         f"{own[0]} | {own[1]} |")
    same = "PostgreSQL database" if _on_postgres(results) else "database file"
    lines += ["", "Times in ms. Wire: the server sends INTERACTION_CREATE → it receives the "
              "callback. Service: the DeskService call behind the command, in-process on the "
              f"same {same}. Late: past Discord's 3-second deadline (Discord would refuse "
              "the answer).", "",
              "| N | records | import (in-process) | bytes per record | start → synced "
              "| → READY sent | → first answer | memory after calls |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in results["sizes"]:
        st, up = size["store"], size["start_up"]
        lines.append(f"| {size['n']:,} | {st['records']:,} ({st['database_mb']:,} MB) | "
                     f"{_build_cell(st)} | "
                     f"{st.get('bytes_per_record', '—'):,} | "
                     f"{up['commands_synced_s']} s | {up['ready_s']} s | "
                     f"{up['first_answer_s']} s | {size['memory_after_calls']['rss']} MiB |")
    largest = results["sizes"][-1]
    rem = largest.get("reminders")
    if rem:
        lines += ["", f"Reminders at N={largest['n']:,}: {rem['reminders']} due at distinct "
                  f"instants over {rem['window_s']:g} s in {rem['servers']} servers' channels "
                  f"(lateness from the due time as stored, to the second); {rem['sent']} sent "
                  f"in {rem['posts']} posts"
                  + (f"; rows not sent: {rem['not_sent']}" if rem["not_sent"] else "") + ".", "",
                  "| design | lateness p50 | p95 | p99 | max |", "|---|---:|---:|---:|---:|"]
        for label, key in (("the bot (sleeps until the next due row)", "bot"),
                           ("fixed-interval poller, every 10 s (simulated)", "poller_10s")):
            s = rem.get(key)
            if s is not None:
                lines.append(f"| {label} | {ms(s.pct(50))} | {ms(s.pct(95))} | "
                             f"{ms(s.pct(99))} | {ms(max(s.samples))} |")
    if "idle" in largest:
        i = largest["idle"]
        lines += ["", f"Idle at N={largest['n']:,}: {i['cpu_percent']:.2f} % of one CPU over "
                  f"{i['seconds']:g} s (one clock tick would read {i['resolution_percent']} %; "
                  f"lag probe paused); resident memory {i['rss_mib']} MiB (peak "
                  f"{i['peak_mib']} MiB)."]
    return lines


def _two_server(two: dict[str, Any]) -> list[str]:
    small, big = two["small"], two["big"]
    floor = small[FLOOR_LABEL].pct(99)
    lines = [f"Two servers in one store: {two['small_records']:,} records "
             f"({two['n_small']:,} of each kind) beside N={two['n_big']:,} (imported in "
             f"{two['small_import_s']} s); the commands called in turn, small then big; "
             f"{lag_text(two['lag'])}.", "",
             "| command | calls | small p50 | small p99 | ÷ floor | big p50 | big p99 | ÷ floor |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for c in COMMANDS:
        s, b = small[c.label], big[c.label]
        lines.append(f"| {c.label} | {_calls(s)} | {ms(s.pct(50))} | {ms(s.pct(99))} | "
                     f"{_ratio(s.pct(99), floor)} | {ms(b.pct(50))} | {ms(b.pct(99))} | "
                     f"{_ratio(b.pct(99), floor)} |")
    return lines


def _mixed(mix: dict[str, Any]) -> list[str]:
    imp = mix["import"]
    b = mix["briefings"]
    lines = [f"Mixed load: four servers of {mix['small']:,} records of each kind, one member "
             f"each running the command mix concurrently, first alone, then for "
             f"{mix['loaded_s']:g} s while the N={mix['n_big']:,} server took a CLI import of "
             f"{imp['records']:,} records ({imp['seconds']} s, {_rate(imp)}, "
             f"{'done under load' if mix['import_done_under_load'] else 'load stopped first'}"
             f", exit {imp['exit']}: {imp['said']}) and /briefing back to back "
             f"({len(b['whole'].samples)} briefings: callback p50 {ms(b['callback'].pct(50))} ms,"
             f" p99 {ms(b['callback'].pct(99))} ms; whole answer p50 {ms(b['whole'].pct(50))} "
             f"ms, max {ms(b['whole'].max)} ms"
             + (f"; {b['callback'].refused} past 3 s" if b["callback"].refused else "") + ")."
             + (f" The bot's CPU time per command answered: {cpu['quiet']} ms alone, "
                f"{cpu['loaded']} ms under load." if (cpu := mix.get("bot_cpu_ms_per_call"))
                else ""),
             "", "| server | quiet calls | quiet p50 | quiet p99 | loaded calls | loaded p50 "
             "| loaded p99 | loaded max |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for server in mix["servers"]:
        q, ld = server["quiet"], server["loaded"]
        lines.append(f"| {server['server']} | {_calls(q)} | {ms(q.pct(50))} | {ms(q.pct(99))} | "
                     f"{_calls(ld)} | {ms(ld.pct(50))} | {ms(ld.pct(99))} | {ms(ld.max)} |")
    lines += ["", "| command (the four servers together) | quiet p50 | quiet p99 | loaded p50 "
              "| loaded p99 | loaded max |", "|---|---:|---:|---:|---:|---:|"]
    for c in COMMANDS:
        q, ld = mix["commands_quiet"][c.label], mix["commands_loaded"][c.label]
        lines.append(f"| {c.label} | {ms(q.pct(50))} | {ms(q.pct(99))} | {ms(ld.pct(50))} | "
                     f"{ms(ld.pct(99))} | {ms(ld.max)} |")
    return lines


def _restart(rs: dict[str, Any]) -> list[str]:
    imp = rs["import"]
    lines = [f"Restart: a CLI import of {imp['records']:,} open visits into a server whose "
             f"reminder channel is set, in a store beside N={rs['n_big']:,} ({imp['seconds']} s,"
             f" {_rate(imp)}, exit {imp['exit']}: {imp['said']}; "
             f"{rs['planned_after_import']} reminders planned by it). The bot then started on "
             f"that store and, from READY on for {rs['seconds']:g} s, one command every "
             f"{rs['every'] * 1000:g} ms whether or not the ones before were answered (the mix "
             "in the big server, and /visit upcoming in the restarted one); then kill -9 and "
             "the same again. First second: commands sent in the first second after READY.",
             ""]
    for key, name in (("first_start", "first start"), ("after_kill", "after kill -9")):
        part = rs[key]
        lines += [f"{name.capitalize()}: READY {part['ready_s']} s after the spawn, first answer"
                  f" {part['first_answer_after_ready_s']} s after READY; "
                  f"{part['planned_reminders']} reminders planned at the end; first second: "
                  f"{lag_text(part['lag_first_second'])}; then: "
                  f"{lag_text(part['lag_steady'])}.", "",
                  "| command | first second: calls | p50 | p99 | max | then: calls | p50 | p99 |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for label in part["steady"]:
            f, s = part["first_second"].get(label, Stats([])), part["steady"][label]
            lines.append(f"| {label} | {_calls(f)} | {ms(f.pct(50))} | {ms(f.pct(99))} | "
                         f"{ms(f.max)} | {_calls(s)} | {ms(s.pct(50))} | {ms(s.pct(99))} |")
        lines.append("")
    return lines[:-1]


def _imports(results: dict[str, Any]) -> list[str]:
    lines = ["| import | records | seconds | records/s | bytes per record |",
             "|---|---:|---:|---:|---:|"]
    for n, facts in (results.get("stores") or {}).items():
        if _copied(facts):
            lines.append(f"| N={int(n):,}: copied from the SQLite store (copy_database; not an "
                         f"import) | {facts['records']:,} | {facts['copy_s']} | — | "
                         f"{facts['bytes_per_record']:,} ({facts['database_mb']:,} MB, "
                         f"pg_database_size; SQLite {facts['sqlite_bytes_per_record']:,}) |")
            continue
        by = "; by an earlier run" if facts.get("cached") else ""
        lines.append(f"| N={int(n):,}: in-process, bot.services.interchange{by} | "
                     f"{facts['records']:,} | {facts['import_s']} | {facts['records_per_s']:,} | "
                     f"{facts.get('bytes_per_record', '—'):,} ({facts['database_mb']:,} MB incl. "
                     "WAL) |")
    for key, name in (("mixed", "CLI, into the big server, bot running"),
                      ("restart", "CLI, open visits, bot stopped")):
        if results.get(key):
            imp = results[key]["import"]
            lines.append(f"| {name} | {imp['records']:,} | {imp['seconds']} | "
                         f"{_rate(imp)} | — |")
    return lines


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [f"Wire benchmark: {m['cpus']} CPUs ({m['cpu']}), Python {m['python']}, load "
             f"average {m['load_average_1m_at_end']} at the end; phases "
             f"{', '.join(results['phases'])}; up to {results['calls']} calls per command "
             f"(fewer once one has taken {results['budget_s']:g} s); whole run "
             f"{results['total_s']:.0f} s."
             + (f" Store: {results['backend']['description']}." if _on_postgres(results)
                else "")]
    if results.get("sizes"):
        lines += ["", *_standard(results)]
    if results.get("stores"):
        over = ("pg_database_size (tables, indexes, search vectors)" if _on_postgres(results)
                else "database file with WAL and shared memory")
        lines += ["", f"Imports (bytes per record: {over}, "
                  "over the records in it):", "", *_imports(results)]
    if results.get("two_server"):
        lines += ["", *_two_server(results["two_server"])]
    if results.get("mixed"):
        lines += ["", *_mixed(results["mixed"])]
    if results.get("restart"):
        lines += ["", *_restart(results["restart"])]
    if results.get("ingest"):
        lines += ["", "Ingest, in-process:", "", ingest_bench.markdown(results["ingest"])]
    lag_rows = []
    for size in results.get("sizes") or []:
        for phase, lag in size["lag"].items():
            if phase != "start-up":  # the probe starts with the cogs: hardly a wake before
                lag_rows.append(_lag_row(f"N={size['n']:,}: {phase}", lag))
    if results.get("two_server"):
        lag_rows.append(_lag_row("two servers: the calls", results["two_server"]["lag"]))
    if results.get("mixed"):
        mix = results["mixed"]
        lag_rows += [_lag_row("mixed: four servers alone", mix["quiet_lag"]),
                     _lag_row("mixed: during the CLI import", mix["import_lag"]),
                     _lag_row("mixed: the whole loaded part", mix["loaded_lag"])]
        # The benchmark's own loop, where latencies are stamped (older results lack it).
        lag_rows += [_lag_row(f"mixed: {name}, the benchmark's own loop", mix.get(key))
                     for key, name in (("harness_quiet_lag", "four servers alone"),
                                       ("harness_loaded_lag", "the whole loaded part"))
                     if mix.get(key)]
    if results.get("restart"):
        for key, name in (("first_start", "restart"), ("after_kill", "after kill -9")):
            part = results["restart"][key]
            lag_rows += [_lag_row(f"{name}: first second after READY", part["lag_first_second"]),
                         _lag_row(f"{name}: then", part["lag_steady"])]
    if lag_rows:
        lines += ["", "Event-loop lag of the bot process (a task asks to wake every 10 ms; "
                  "how late each wake came, in ms):", "",
                  "| phase | wakes | p50 | p99 | max | wakes > 20 ms | stalled (s) |",
                  "|---|---:|---:|---:|---:|---:|---:|", *lag_rows]
    basis, judged = verdicts(results)
    if judged:
        met = sum(v.met for v in judged)
        lines += ["", f"Targets ({met} of {len(judged)} met), judged against {basis}; "
                  f"limit min({FLOOR_FACTOR:g}× floor, {CEILING_MS:g} ms) unless stated:", "",
                  "| target | figure | verdict | by how much / note |", "|---|---:|---|---|",
                  *(v.line() for v in judged)]
    return "\n".join(lines)


def to_json(results: dict[str, Any]) -> dict[str, Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, Stats):
            return value.to_json()
        if isinstance(value, dict):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        if isinstance(value, Path):
            return str(value)
        if isinstance(value, float) and math.isnan(value):
            return None
        return value
    out = convert(results)
    basis, judged = verdicts(results)
    out["targets"] = {"basis": basis, "verdicts": [
        {"target": v.target, "figure": v.figure, "met": v.met, "note": v.note} for v in judged]}
    return out  # type: ignore[no-any-return]


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "attache-wire-bench"


def _phases(text: str) -> tuple[str, ...]:
    chosen = tuple(p.strip() for p in text.split(",") if p.strip())
    if chosen in (("all",), ()):
        return PHASES
    unknown = [p for p in chosen if p not in PHASES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown phase {', '.join(unknown)}; choose from "
                                         f"{', '.join(PHASES)} (or all)")
    return tuple(p for p in PHASES if p in chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.wire_bench",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=STORES, default="sqlite",
                        help="where the stores live: SQLite files (default) or databases of a "
                        "throwaway PostgreSQL cluster (tests/pgserver.py), each size's the "
                        "SQLite store copied with copy_database")
    parser.add_argument("--pg-fast", action="store_true",
                        help="PostgreSQL with the test suite's settings (fsync and synchronous "
                        "commit off) instead of durable ones")
    parser.add_argument("--n", type=int, action="append",
                        help="store size: N meetings, N plans and N visits (repeatable; "
                        "default 1000 and 100000); the phases after standard use the largest")
    parser.add_argument("--phases", type=_phases, default=PHASES,
                        help=f"comma-separated, from {','.join(PHASES)} (default all)")
    parser.add_argument("--calls", type=int, default=200, help="calls per command (200)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds after which a slow command stops early, once it has "
                        "made 5 calls (20; the in-process timing gets 8)")
    parser.add_argument("--rotation", type=float, default=240.0,
                        help="seconds after which every command of one size's rotation stops "
                        "after its next call (240; 90 in the two-server phase, 45 in-process)")
    parser.add_argument("--reminders", type=int, default=1000,
                        help="reminders for the lateness run at the largest N (0 skips it)")
    parser.add_argument("--window", type=float, default=120.0,
                        help="seconds over which the reminders fall due (120)")
    parser.add_argument("--idle", type=float, default=30.0,
                        help="seconds of idle CPU measurement at the largest N (0 skips it)")
    parser.add_argument("--small", type=int, default=1000,
                        help="records of each kind in the small servers (two-server, mixed)")
    parser.add_argument("--import-records", type=int, default=100_000,
                        help="records the mixed phase imports through the CLI (100000)")
    parser.add_argument("--quiet", type=float, default=15.0,
                        help="seconds the mixed phase's four servers run alone first (15)")
    parser.add_argument("--loaded-max", type=float, default=90.0,
                        help="seconds the mixed phase's load lasts at most, import or not (90)")
    parser.add_argument("--import-limit", type=float, default=150.0,
                        help="seconds after which the mixed phase's import is stopped (150)")
    parser.add_argument("--restart-visits", type=int, default=100_000,
                        help="open visits the restart phase imports through the CLI (100000)")
    parser.add_argument("--restart-seconds", type=float, default=15.0,
                        help="seconds of calls after each READY in the restart phase (15)")
    parser.add_argument("--ingest-limit", type=float, default=30.0,
                        help="seconds after which one crafted ingest text is stopped (30)")
    parser.add_argument("--cache", type=Path, default=default_cache(),
                        help="where built stores are kept for later runs (%(default)s)")
    parser.add_argument("--no-cache", action="store_true", help="build every store afresh")
    parser.add_argument("--keep", type=Path, help="copy the bot's log and lag files here")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    plan = Plan(args.n or [1000, 100_000],
                wire=Budget(args.calls, args.budget, total=args.rotation),
                service=Budget(args.calls, min(args.budget, 8.0), total=45.0),
                reminders=args.reminders,
                window=args.window, idle=args.idle,
                cache=None if args.no_cache else args.cache, phases=args.phases,
                two_server_small=args.small,
                mixed=MixedPlan(records=args.import_records, small=args.small,
                                quiet_s=args.quiet, loaded_max_s=args.loaded_max,
                                import_limit_s=args.import_limit),
                restart=RestartPlan(visits=args.restart_visits, seconds=args.restart_seconds),
                ingest_limit_s=args.ingest_limit, keep=args.keep, store=args.store,
                pg_fast=args.pg_fast)
    results = asyncio.run(run(plan))
    print(markdown(results))
    figures = json.dumps(to_json(results), indent=2, ensure_ascii=False)
    print("\n```json\n" + figures + "\n```")
    if args.json:
        args.json.write_text(figures + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
