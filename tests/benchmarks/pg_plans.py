"""What PostgreSQL reads for each benchmark command: the plan of every statement behind it, with
EXPLAIN ANALYZE's times and buffers, in a big server and in a 1,000-record server beside it.

    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.pg_plans --n 100000
    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.pg_plans --url postgresql://… --report out.txt

Without `--url` it starts a throwaway cluster (tests/pgserver.py), copies the wire benchmark's
SQLite store of size N into it (built, or from the build cache, as wire_bench does) and imports
a server of `--small` records of each kind beside it; `--keep` leaves that cluster running and
prints its address, so later runs (`--url`) skip the copy. With `--url` the database is used
as it is, after the store's own migrations (so a new migration is measured on the same rows).

The plans are logged by PostgreSQL's auto_explain (ANALYZE, BUFFERS, nested statements) while
the service calls behind each command run in this process as the bot makes them (a list's
total counted only to the cog's COUNT_CAP, which wire_bench's in-process calls omit), each
command twice over its ten inputs: PostgreSQL plans a prepared statement afresh for its first
five runs and may then keep a generic plan (the store's connections refuse it: postgres.py), so
the second round shows the plan the bot lives with. It prints,
per command and server, each distinct statement's runs, time and buffers, then the full plan
of its slowest run. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.cogs.base import COUNT_CAP
from bot.domain.records import RecordType
from bot.sandbox.world import GUILD_ID
from bot.services.briefing import build_briefing
from bot.services.desk import DeskService, people_of
from bot.services.factory import build_services
from bot.stores.copy import copy_database
from bot.stores.database import Database
from bot.stores.records import RecordFilter
from tests import pgserver
from tests.benchmarks.datagen import NAMES, synthetic_bundle
from tests.benchmarks.harness import (
    OPEN,
    PAGE_SIZE,
    SEARCHES,
    TYPED,
    import_into,
    now,
    prepared_store,
    say,
)
from tests.benchmarks.phases import SMALL_GUILD
from tests.benchmarks.wire_bench import default_cache

ROUNDS = 2  # the second round's plans are reported (see the docstring)
INPUTS = 10  # inputs per command per round, as the wire benchmark rotates them

# A list command's page counts its total only this far (bot/cogs/base.py), as here.
Call = Callable[[DeskService, int, int], Awaitable[Any]]


async def _upcoming(desk: DeskService, guild: int, _: int) -> Any:
    today = await desk.today(guild)
    page = await desk.page(guild, RecordType.VISIT, RecordFilter(
        statuses=OPEN, date_from=today, limit=PAGE_SIZE), cap=COUNT_CAP)
    return await desk.people(guild, people_of(page.items))


async def _meetings(desk: DeskService, guild: int, i: int, country: bool = False) -> Any:
    page = await desk.page(guild, RecordType.MEETING, RecordFilter(
        country=NAMES[i % 50] if country else None, limit=PAGE_SIZE), cap=COUNT_CAP)
    return await desk.people(guild, people_of(page.items))


async def _suggest(desk: DeskService, guild: int, i: int) -> Any:
    records = await desk.suggest(guild, RecordType.MEETING, TYPED[i % len(TYPED)])
    return await desk.people(guild, people_of(records))


COMMANDS: dict[str, Call] = {
    "/search": lambda d, g, i: d.search(g, SEARCHES[i % len(SEARCHES)]),
    "autocomplete /meeting show": _suggest,
    "/meeting list": _meetings,
    "/meeting list country:": lambda d, g, i: _meetings(d, g, i, country=True),
    "/visit upcoming": _upcoming,
    "/briefing": lambda d, g, i: build_briefing(d, g, NAMES[i % 50]),
}
SERVERS = {"big": GUILD_ID, "small": SMALL_GUILD}

# One auto_explain entry: its header line, then the plan's lines (tab-indented).
_ENTRY = re.compile(r"^\S+ \S+ \S+ \[\d+\] LOG:  duration: ([0-9.]+) ms  plan:$")
_BUFFERS = re.compile(r"Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?")


@dataclass
class Run:
    ms: float
    query: str
    plan: list[str]

    def buffers(self) -> int:
        """Shared buffers the statement touched (hit + read), from its top node."""
        for line in self.plan:
            found = _BUFFERS.search(line)
            if found:
                return sum(int(g) for g in found.groups() if g)
        return 0


@dataclass
class Statement:
    query: str
    runs: list[Run] = field(default_factory=list)


def _entries(text: str) -> list[Run]:
    runs: list[Run] = []
    current: Run | None = None
    for line in text.splitlines():
        head = _ENTRY.match(line)
        if head:
            current = Run(float(head.group(1)), "", [])
            runs.append(current)
        elif current is not None and line.startswith("\t"):
            body = line[1:]
            if not current.query and body.startswith("Query Text: "):
                current.query = body[len("Query Text: "):]  # the store's SQL is one line
            else:
                current.plan.append(body)
        else:
            current = None
    # asyncpg's own catalogue reads (type introspection) are not the store's.
    return [r for r in runs if "pg_catalog" not in r.query and "pg_type" not in r.query]


async def _prepare(n: int, small: int) -> tuple[pgserver.Cluster, str]:
    cluster = await asyncio.to_thread(pgserver.start)
    url = cluster.url("plans")
    import asyncpg
    admin = await asyncpg.connect(cluster.url())
    try:
        await admin.execute("CREATE DATABASE plans")
    finally:
        await admin.close()
    with tempfile.TemporaryDirectory(prefix="attache-plans-") as tmp:
        path = Path(tmp) / "base.db"
        await prepared_store(path, n, default_cache())
        target = await Database.open(url)
        source = await Database.open(path, migrate=False)
        try:
            say(f"N={n:,}: copying the SQLite store into PostgreSQL…")
            began = time.perf_counter()
            await copy_database(source, target)
            say(f"copied in {time.perf_counter() - began:.0f} s")
        finally:
            await source.close()
            await target.close()
    took = await import_into(url, SMALL_GUILD, synthetic_bundle(small, seed=9))
    say(f"small server: {small:,} records of each kind imported in {took:.1f} s")
    return cluster, url


async def _explained(url: str, on: bool) -> None:
    import asyncpg
    conn = await asyncpg.connect(url)
    try:
        name = await conn.fetchval("SELECT current_database()")
        settings = {"session_preload_libraries": "auto_explain",
                    "auto_explain.log_min_duration": "0", "auto_explain.log_analyze": "on",
                    "auto_explain.log_buffers": "on", "auto_explain.log_timing": "on",
                    "auto_explain.log_nested_statements": "on"}
        for key, value in settings.items():
            if on:
                await conn.execute(f'ALTER DATABASE "{name}" SET {key} = \'{value}\'')
            else:
                await conn.execute(f'ALTER DATABASE "{name}" RESET {key}')
    finally:
        await conn.close()


async def _log_file(url: str) -> Path:
    import asyncpg
    conn = await asyncpg.connect(url)
    try:
        data = Path(await conn.fetchval("SHOW data_directory"))
    finally:
        await conn.close()
    # pgserver and wire_bench start the server with `pg_ctl -l <folder>/server.log`.
    return data.parent / "server.log"


async def measure(url: str, commands: list[str], servers: list[str]) -> list[str]:
    db = await Database.open(url)  # the store's migrations, then ANALYZE if any ran
    await db.close()
    log = await _log_file(url)
    await _explained(url, True)
    out: list[str] = []
    try:
        db = await Database.open(url, migrate=False)
        try:
            desk = build_services(db, now).desk
            for label in commands:
                call = COMMANDS[label]
                for server in servers:
                    guild = SERVERS[server]
                    for _ in range(ROUNDS - 1):
                        for i in range(INPUTS):
                            await call(desk, guild, i)
                    mark = log.stat().st_size
                    began = time.perf_counter()
                    for i in range(INPUTS):
                        await call(desk, guild, i)
                    wall = (time.perf_counter() - began) * 1000 / INPUTS
                    with log.open("r", encoding="utf-8", errors="replace") as f:
                        f.seek(mark)
                        runs = _entries(f.read())
                    out += _report(label, server, wall, runs)
        finally:
            await db.close()
    finally:
        await _explained(url, False)
    return out


def _report(label: str, server: str, wall: float, runs: list[Run]) -> list[str]:
    statements: dict[str, Statement] = {}
    for run in runs:
        statements.setdefault(run.query, Statement(run.query)).runs.append(run)
    lines = [f"## {label} — {server} server: {wall:.1f} ms a call with auto_explain on; "
             f"{len(runs) / INPUTS:.1f} statements a call", ""]
    for st in sorted(statements.values(), key=lambda s: -sum(r.ms for r in s.runs)):
        times = [r.ms for r in st.runs]
        buffers = [r.buffers() for r in st.runs]
        slowest = max(st.runs, key=lambda r: r.ms)
        lines.append(f"- {len(st.runs)} runs, median {statistics.median(times):.2f} ms, max "
                     f"{max(times):.2f} ms, buffers median {statistics.median(buffers):.0f} "
                     f"max {max(buffers)}: {st.query[:300]}")
        lines += [f"      {p}" for p in slowest.plan]
    lines.append("")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.pg_plans",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="records of each kind (100,000)")
    parser.add_argument("--small", type=int, default=1000,
                        help="records of each kind in the small server (1,000)")
    parser.add_argument("--url", help="an existing database built by an earlier --keep run")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    parser.add_argument("--commands", default=",".join(COMMANDS),
                        help="comma-separated labels (all by default)")
    parser.add_argument("--servers", default="small,big")
    parser.add_argument("--report", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    commands = [c for c in args.commands.split(",") if c]
    unknown = [c for c in commands if c not in COMMANDS]
    if unknown:
        parser.error(f"unknown command {unknown}; choose from {list(COMMANDS)}")

    async def run() -> list[str]:
        cluster = None
        url = args.url
        if url is None:
            cluster, url = await _prepare(args.n, args.small)
        try:
            return await measure(url, commands, args.servers.split(","))
        finally:
            if cluster is not None and not args.keep:
                await asyncio.to_thread(cluster.stop)
            elif cluster is not None:
                say(f"cluster kept: {url} (folder {cluster.folder})")

    lines = asyncio.run(run())
    text = "\n".join(lines)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
