"""The wire benchmark's phases beyond the standard table: two servers side by side, mixed load,
and a restart (then a kill -9) on a store a CLI import has just filled."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.sandbox.world import GUILD_ID, World
from tests.benchmarks.backends import SqliteStores, Stores
from tests.benchmarks.datagen import NAMES, open_visits, synthetic_bundle
from tests.benchmarks.harness import (
    COMMANDS,
    FLOOR_LABEL,
    TOKEN,
    BenchServer,
    BotProcess,
    Budget,
    Call,
    CliImport,
    Drive,
    HarnessLag,
    Side,
    Stats,
    Target,
    calls_in,
    drive,
    import_into,
    lag_between,
    paced,
    rounds,
    say,
    set_reminders,
    slash,
    start_up,
)

SMALL_GUILD = GUILD_ID + 20_001
MIXED_GUILDS = [GUILD_ID + 30_001 + k for k in range(4)]
RESTART_GUILD = GUILD_ID + 40_001


def bundle_of(records: int, *, seed: int, prefix: str = "") -> dict[str, Any]:
    """A synthetic file of about `records` records: meetings, plans and visits in equal
    numbers, and one person for every 60 of them (as datagen makes them)."""
    each = max(1, round(records / 3 / (1 + 1 / 60)))
    return synthetic_bundle(each, seed=seed, prefix=prefix)


def _size(bundle: dict[str, Any]) -> int:
    return sum(len(v) for v in bundle.values() if isinstance(v, list))


# ----- two servers ---------------------------------------------------------------------------


async def two_servers(base: Target, n_big: int, workdir: Path, *, small: int,
                      budget: Budget, stores: Stores | None = None) -> dict[str, Any]:
    """The command mix in a server of `small` records of each kind beside the big one, both
    in one store, called in turn (small, then big, command by command)."""
    stores = stores or SqliteStores()
    path = stores.target(workdir, "two-server")
    await stores.copy(base, path)
    bundle = synthetic_bundle(small, seed=9)
    imported = await import_into(path, SMALL_GUILD, bundle)
    say(f"two servers: {_size(bundle):,} records imported into the small server in "
        f"{imported:.1f} s, beside N={n_big:,}")
    lag_file = workdir / "lag-two-server.txt"
    async with BenchServer(TOKEN, World()) as server:
        side = server.side("small", SMALL_GUILD)
        began = asyncio.get_running_loop().time()
        bot = await BotProcess.start(server, workdir, path, lag_file=lag_file)
        try:
            up = await start_up(server, bot, began)
            calls = [c for pair in zip(calls_in(side, prefix="small: "),
                                       calls_in(None, prefix="big: "), strict=True)
                     for c in pair]
            start = time.time()

            async def one(call: Call, i: int) -> tuple[float, bool]:
                return await call.send(server, i)

            stats = await rounds(budget, calls, one)
            end = time.time()
        finally:
            await bot.stop()
    # Read once the bot has stopped: the probe writes its file once a second, and at exit.
    lag = lag_between(lag_file, start, end)
    await stores.remove(path)
    return {"n_big": n_big, "n_small": small, "small_records": _size(bundle),
            "small_import_s": round(imported, 2), "start_up": up,
            "small": {c.label: stats[f"small: {c.label}"] for c in COMMANDS},
            "big": {c.label: stats[f"big: {c.label}"] for c in COMMANDS}, "lag": lag}


# ----- mixed load ----------------------------------------------------------------------------


@dataclass
class MixedPlan:
    records: int = 100_000  # imported through the CLI into the big server meanwhile
    small: int = 1000  # records of each kind in each of the four other servers
    quiet_s: float = 15.0  # the four servers' mix alone first, for comparison
    at_least_s: float = 10.0  # the loaded part lasts as long as the import, and this long,
    loaded_max_s: float = 90.0  # but no longer than this
    import_limit_s: float = 150.0  # the import is stopped (and reported unfinished) past this


async def mixed(base: Target, n_big: int, workdir: Path, plan: MixedPlan,
                stores: Stores | None = None) -> dict[str, Any]:
    """One server (the big one) takes a CLI import and /briefing back to back, while four
    other servers run the command mix, each as its own member, concurrently."""
    stores = stores or SqliteStores()
    path = stores.target(workdir, "mixed")
    await stores.copy(base, path)
    for k, guild in enumerate(MIXED_GUILDS):
        await import_into(path, guild, synthetic_bundle(plan.small, seed=20 + k))
    incoming = bundle_of(plan.records, seed=13, prefix="mixed-")
    say(f"mixed load: four servers of {plan.small:,} records of each kind beside N={n_big:,}; "
        f"then a CLI import of {_size(incoming):,} records into the big server")
    lag_file = workdir / "lag-mixed.txt"
    result: dict[str, Any] = {"n_big": n_big, "small": plan.small}
    harness_lag = HarnessLag()
    async with BenchServer(TOKEN, World()) as server:
        sides = [server.side(f"server{k + 1}", g) for k, g in enumerate(MIXED_GUILDS)]
        loop = asyncio.get_running_loop()
        began = loop.time()
        bot = await BotProcess.start(server, workdir, path, lag_file=lag_file)
        try:
            result["start_up"] = await start_up(server, bot, began)

            async def four(until: Any, origin: float) -> list[Drive]:
                return list(await asyncio.gather(*(
                    drive(server, calls_in(side), origin=origin, until=until)
                    for side in sides)))

            # Quiet: the four servers alone.
            say(f"mixed load: the four servers alone for {plan.quiet_s:g} s…")
            harness_lag.start()
            cpu = bot.cpu_seconds()
            origin, start = loop.time(), time.time()
            quiet = await four(lambda: loop.time() - origin > plan.quiet_s, origin)
            windows = {"quiet_lag": (start, time.time())}
            cpu_quiet, cpu = bot.cpu_seconds() - cpu, bot.cpu_seconds()
            # Loaded: the import and the briefings in the big server, the mix in the others.
            say("mixed load: the import and /briefing back to back in the big server…")
            origin, start = loop.time(), time.time()
            cli = await CliImport.start(workdir, path, GUILD_ID, incoming, "mixed-import")
            done = asyncio.Event()
            briefings = Stats([])
            whole: list[float] = []

            async def briefing_loop() -> None:
                i = 0
                while not done.is_set():
                    sent = loop.time()
                    # settle: the next briefing is asked for once this one is complete.
                    exchange = await slash(server, "briefing", {"country": NAMES[i % 50]},
                                           settle=True)
                    whole.append((loop.time() - sent) * 1000)
                    if exchange.latency is not None:
                        briefings.samples.append(exchange.latency * 1000)
                    else:
                        briefings.refused += 1
                    i += 1

            def finished() -> bool:
                return done.is_set()

            briefing_task = asyncio.create_task(briefing_loop())
            others = asyncio.create_task(four(finished, origin))
            importing = asyncio.create_task(cli.finish(plan.import_limit_s))
            # The load lasts as long as the import, at least at_least_s, at most loaded_max_s;
            # an import still running then goes on alone, until import_limit_s.
            await asyncio.wait([importing], timeout=plan.loaded_max_s)
            await asyncio.sleep(max(0.0, plan.at_least_s - (loop.time() - origin)))
            done.set()
            loaded = await others
            await briefing_task
            windows["loaded_lag"] = (start, time.time())
            cpu_loaded = bot.cpu_seconds() - cpu
            result["loaded_s"] = round(loop.time() - origin, 1)
            result["import_done_under_load"] = importing.done()
            if not importing.done():
                say(f"mixed load: load stopped after {result['loaded_s']:g} s; the import "
                    "goes on alone…")
            imported = await importing
            windows["import_lag"] = imported.pop("wall")
            result["import"] = imported
            result["briefings"] = {"callback": briefings, "whole": Stats(whole)}
        finally:
            await harness_lag.stop()
            await bot.stop()
    for name, (start, end) in windows.items():
        result[name] = lag_between(lag_file, start, end)
        if name in ("quiet_lag", "loaded_lag"):
            result[f"harness_{name}"] = harness_lag.between(start, end)
    # The bot's CPU time per command answered: what the work costs, whatever else the
    # machine's cores were doing meanwhile (the latencies are only as quiet as they were).
    calls_quiet = sum(len(d.answers) for d in quiet)
    calls_loaded = sum(len(d.answers) for d in loaded) + len(whole)
    result["bot_cpu_ms_per_call"] = {
        "quiet": round(cpu_quiet * 1000 / max(1, calls_quiet), 2),
        "loaded": round(cpu_loaded * 1000 / max(1, calls_loaded), 2)}
    result["servers"] = [
        {"server": side.name, "quiet": q.stats(), "loaded": ld.stats(),
         "loaded_floor": ld.stats(FLOOR_LABEL)}
        for side, q, ld in zip(sides, quiet, loaded, strict=True)]
    result["commands_loaded"] = {
        c.label: Stats([a.ms for d in loaded for a in d.answers if a.label == c.label],
                       sum(a.refused for d in loaded for a in d.answers if a.label == c.label))
        for c in COMMANDS}
    result["commands_quiet"] = {
        c.label: Stats([a.ms for d in quiet for a in d.answers if a.label == c.label])
        for c in COMMANDS}
    await stores.remove(path)
    return result


# ----- restart -------------------------------------------------------------------------------


@dataclass
class RestartPlan:
    visits: int = 100_000  # open visits imported through the CLI into a server with reminders
    seconds: float = 15.0  # how long commands are sent after each READY
    every: float = 0.1  # one command every this many seconds, answered or not
    import_limit_s: float = 600.0  # the import is stopped (and reported unfinished) past this


async def _planned(stores: Stores, path: Target, guild_id: int) -> int | None:
    """Reminder rows waiting to be sent in the server (read-only, beside the bot)."""
    try:
        rows = await stores.rows(path, "SELECT count(*) FROM deliveries WHERE guild_id = ? "
                                 "AND status = 'planned'", (guild_id,))
    except Exception:  # a figure for the report, never a failure
        return None
    return int(rows[0][0])


async def _from_ready(server: BenchServer, workdir: Path, path: Target, calls: list[Call],
                      plan: RestartPlan, lag_file: Path, label: str, stores: Stores
                      ) -> tuple[dict[str, Any], BotProcess]:
    seconds = plan.seconds
    loop = asyncio.get_running_loop()
    spawned = loop.time()
    bot = await BotProcess.start(server, workdir, path, lag_file=lag_file)
    server.watch(bot.process)
    await server.wait_until_ready(within=180)
    ready, ready_wall = loop.time(), time.time()
    say(f"restart ({label}): READY {ready - spawned:.1f} s after the spawn; a command every "
        f"{plan.every * 1000:g} ms for {seconds:g} s…")
    answers = await paced(server, calls, origin=ready, every=plan.every,
                          until=lambda: loop.time() - ready > seconds)
    end_wall = time.time()
    first = min((a.at + a.ms / 1000 for a in answers.answers), default=None)
    out = {
        "ready_s": round(ready - spawned, 2),
        "first_answer_after_ready_s": round(first, 3) if first is not None else None,
        "first_second": {c.label: answers.stats(c.label, end=1.0) for c in calls},
        "steady": {c.label: answers.stats(c.label, start=1.0) for c in calls},
        "all_first_second": answers.stats(end=1.0),
        "windows": {"lag_first_second": (ready_wall, ready_wall + 1.0),
                    "lag_steady": (ready_wall + 1.0, end_wall)},
        "planned_reminders": await _planned(stores, path, RESTART_GUILD),
    }
    # The probe writes its file once a second: let the last second reach it before a kill.
    await asyncio.sleep(1.5)
    return out, bot


async def restart(base: Target, n_big: int, workdir: Path, plan: RestartPlan,
                  stores: Stores | None = None) -> dict[str, Any]:
    """A CLI import of open visits into a server whose reminder channel is set, then the bot
    started on that store and every command timed from READY on; then kill -9 and again."""
    stores = stores or SqliteStores()
    path = stores.target(workdir, "restart")
    await stores.copy(base, path)
    world = World()
    result: dict[str, Any] = {"n_big": n_big, "visits": plan.visits, "seconds": plan.seconds,
                              "every": plan.every}
    async with BenchServer(TOKEN, world) as server:
        side: Side = server.side("restart", RESTART_GUILD)
        await set_reminders(path, RESTART_GUILD, side.channel.id)
        say(f"restart: CLI import of {plan.visits:,} open visits into a server with a reminder "
            "channel…")
        cli = await CliImport.start(workdir, path, RESTART_GUILD, open_visits(plan.visits),
                                    "restart-import")
        imported = await cli.finish(plan.import_limit_s)
        imported.pop("wall")
        result["import"] = imported
        result["planned_after_import"] = await _planned(stores, path, RESTART_GUILD)
        say(f"restart: import {imported['said']} after {imported['seconds']} s; "
            f"{result['planned_after_import']} reminders planned")
        upcoming = next(c for c in COMMANDS if c.label == "/visit upcoming")
        calls = [*calls_in(None), Call("restart server: /visit upcoming", upcoming, side)]
        lag_file = workdir / "lag-restart.txt"
        first, bot = await _from_ready(server, workdir, path, calls, plan, lag_file,
                                       "first start", stores)
        result["first_start"] = first
        await bot.kill()
        say("restart: killed with SIGKILL; starting again…")
        again, bot = await _from_ready(server, workdir, path, calls, plan, lag_file,
                                       "after kill -9", stores)
        result["after_kill"] = again
        await bot.stop()
    for part in (first, again):
        for name, (start, end) in part.pop("windows").items():
            part[name] = lag_between(lag_file, start, end)
    await stores.remove(path)
    return result
