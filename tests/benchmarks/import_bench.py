"""Import speed alone: the store's import_bundle and the whole import_data, records/s and
bytes per record, on SQLite or PostgreSQL. Prints figures; asserts nothing on time.

    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.import_bench --n 100000
    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.import_bench --n 100000 --store postgresql
    … --profile /tmp/import.prof   (cProfile of the import_bundle phase)

    … --only beside   (the CLI import in its own process while this one writes beside it)
    … --sizes   (SQLite: the bytes per record of each table and index, from dbstat)
    … --batch-seconds 0.6   (imports.BATCH_SECONDS for the in-process phases: how long a
                             batch holds the writer, against records/s)

N is the number of records of the file (a third each meetings, plans and visits, plus the
people they name). Each phase imports into an empty store of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.domain.interchange import SECTIONS, bundle_from_json
from bot.services.factory import build_services
from bot.services.interchange import import_data
from bot.services.records import clean_record
from bot.stores.database import Database
from tests.benchmarks.backends import opened
from tests.benchmarks.datagen import synthetic_bundle
from tests.benchmarks.harness import now, say, store_bytes

GUILD = 333_333_333_333_333_333


def _records(data: dict[str, Any]) -> int:
    return sum(len(v) for v in data.values() if isinstance(v, list))


async def _size(db: Database, target: Any) -> int:
    if isinstance(target, Path):
        async with db.transaction() as conn:
            pass
        await (await db._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")).close()  # type: ignore[attr-defined]
        return store_bytes(target)
    async with db.read() as conn, conn.execute(
            "SELECT pg_database_size(current_database())") as cur:
        row = await cur.fetchone()
    return int(row[0])


async def _breakdown(db: Database, total: int) -> None:
    """Each table's and index's pages (SQLite's dbstat), per record imported, biggest first."""
    async with db.read() as conn, conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC") as cur:
        rows = [(str(r[0]), int(r[1])) for r in await cur.fetchall()]
    shown = [f"{name} {size / total:,.0f}" for name, size in rows if size / total >= 5]
    print("           bytes/record by table and index: " + ", ".join(shown), flush=True)


def _journalled(text: str) -> dict[str, Any]:
    """The file as the command-line import hands it to the store for its journal (none
    before 0013, so the same script measures the store before this branch)."""
    try:
        from bot.stores.imports import ImportOptions
    except ImportError:
        return {}
    return {"options": ImportOptions(source=lambda: text.encode("utf-8"))}


async def _phase(backend: Any, workdir: Path, name: str, data: dict[str, Any], *,
                 whole: bool, profile: str | None, sizes: bool = False) -> None:
    target = backend.target(workdir, name)
    await backend.remove(target)
    if not isinstance(target, Path):
        await backend._admin(f"CREATE DATABASE {str(target).rsplit('/', 1)[1]}")
    db = await Database.open(target)
    try:
        empty = await _size(db, target)
        services = build_services(db, now)
        total = _records(data)
        text = json.dumps(data, ensure_ascii=False)  # the file, as the CLI reads it
        profiler = cProfile.Profile() if profile else None
        if whole:
            began, cpu = time.perf_counter(), time.process_time()
            await import_data(services.changes, GUILD, data, actor_id=None,
                              **({"text": text} if _journalled(text) else {}))
        else:
            bundle, errors = bundle_from_json(data)
            assert not errors, errors[:3]
            for kind in SECTIONS:
                section = bundle.section(kind)
                section[:] = [clean_record(r) for r in section]
            began, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            await services.records.import_bundle(GUILD, bundle, actor_id=None,
                                                 **_journalled(text))
            if profiler:
                profiler.disable()
                profiler.dump_stats(profile)
        seconds = time.perf_counter() - began
        cpu = time.process_time() - cpu
        size = await _size(db, target)
        label = "import_data (read, check, write, plan)" if whole else "import_bundle (store)"
        print(f"{backend.label:<10} {label:<40} N={total:,}: {seconds:6.2f} s "
              f"{total / seconds:9,.0f} records/s  (CPU {cpu:6.2f} s: {total / cpu:7,.0f}/s)  "
              f"{(size - empty) / total:6,.0f} bytes/record",
              flush=True)
        if sizes and isinstance(target, Path):
            await _breakdown(db, total)
    finally:
        await db.close()
        await backend.remove(target)


async def _beside(backend: Any, workdir: Path, data: dict[str, Any]) -> None:
    """The command-line import in a process of its own while this one, standing for the
    bot, adds a record to another server every 20 ms: the import's records/s, and how long
    each of those writes took (a write still refused after its 2 s counts as refused)."""
    from bot.domain.errors import UserError
    from bot.domain.fuzzydate import FuzzyDate
    from bot.domain.records import Meeting, MeetingKind
    from tests.benchmarks.harness import CliImport

    target = backend.target(workdir, "import_beside")
    await backend.remove(target)
    if not isinstance(target, Path):
        await backend._admin(f"CREATE DATABASE {str(target).rsplit('/', 1)[1]}")
    db = await Database.open(target)  # migrated before the import starts
    try:
        services = build_services(db, now)
        cli = await CliImport.start(workdir, target, GUILD, data, "beside")
        waits: list[float] = []
        refused = 0
        while cli.process.returncode is None:
            began = time.perf_counter()
            try:
                await services.changes.add(GUILD + 1, Meeting(
                    "Desk call", MeetingKind.OTHER, FuzzyDate.day(2025, 9, 1)), actor_id=7)
            except UserError:
                refused += 1
            waits.append((time.perf_counter() - began) * 1000)
            await asyncio.sleep(0.02)
        result = await cli.finish()
        waits.sort()
        p = (lambda q: waits[min(len(waits) - 1, int(len(waits) * q))]) if waits else (
            lambda q: float("nan"))
        label = "CLI import beside a writing bot"
        print(f"{backend.label:<10} {label:<40} N={result['records']:,}: "
              f"{result['seconds']:6.1f} s {result['records_per_s'] or 0:9,} records/s; "
              f"the bot's {len(waits)} writes: p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, "
              f"max {waits[-1] if waits else float('nan'):.1f} ms, {refused} refused "
              f"({result['said']})", flush=True)
    finally:
        await db.close()
        await backend.remove(target)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--store", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--profile", default=None)
    parser.add_argument("--only", choices=("store", "whole", "beside"), default=None)
    parser.add_argument("--batch-seconds", type=float, default=None)
    parser.add_argument("--sizes", action="store_true")
    args = parser.parse_args()
    if args.batch_seconds is not None:
        from bot.stores import imports
        imports.BATCH_SECONDS = args.batch_seconds
    data = synthetic_bundle(args.n // 3)
    say(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; "
        f"{_records(data):,} records")
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        async with opened(args.store) as backend:
            if args.only in (None, "store"):
                await _phase(backend, Path(tmp), "import_store", data, whole=False,
                             profile=args.profile, sizes=args.sizes)
            if args.only in (None, "whole"):
                await _phase(backend, Path(tmp), "import_whole", data, whole=True, profile=None)
            if args.only in (None, "beside"):
                await _beside(backend, Path(tmp), data)
    say(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
