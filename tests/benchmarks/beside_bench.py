"""Whether a big server slows a small one: the same service calls in a server of 1,000 records
of each kind, once beside a server of N records in the same store and once alone in a store of
its own, in this process, on SQLite or PostgreSQL.

    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.beside_bench --store sqlite --n 100000
    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.beside_bench --store postgresql \
        --url postgresql://…/plans

Both stores hold the small server's same rows (the same synthetic file, seed 9, imported the
same way); a call whose cost follows its own server's rows takes the same time in both. For
SQLite the big store is the wire benchmark's of size N (built, or copied from its cache) with
the small server imported beside it. For PostgreSQL `--url` names a database holding both
(tests.benchmarks.pg_plans --keep builds one); the lone store is made in the same cluster. It
prints p50 and p99 per command and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.services.factory import build_services
from bot.stores.database import Database
from tests.benchmarks.datagen import synthetic_bundle
from tests.benchmarks.harness import import_into, now, prepared_store, say
from tests.benchmarks.pg_plans import COMMANDS, INPUTS
from tests.benchmarks.phases import SMALL_GUILD
from tests.benchmarks.wire_bench import default_cache


async def timings(targets: dict[str, str | Path], rounds: int) -> dict[str, dict[str, list[float]]]:
    """ms per call of each command in the small server of each store: a warm-up round, then
    `rounds`, the stores taking turns command by command so both see the same load."""
    dbs = {name: await Database.open(t, migrate=False) for name, t in targets.items()}
    out: dict[str, dict[str, list[float]]] = {
        name: {label: [] for label in COMMANDS} for name in targets}
    try:
        desks = {name: build_services(db, now).desk for name, db in dbs.items()}
        for r in range(rounds + 1):
            for label, call in COMMANDS.items():
                for i in range(INPUTS):
                    for name, desk in desks.items():
                        began = time.perf_counter()
                        await call(desk, SMALL_GUILD, i)
                        if r:
                            out[name][label].append((time.perf_counter() - began) * 1000)
    finally:
        for db in dbs.values():
            await db.close()
    return out


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _lone_pg(url: str, small: int) -> str:
    import asyncpg
    base, _, _ = url.rpartition("/")
    admin = await asyncpg.connect(f"{base}/postgres")
    try:
        await admin.execute("DROP DATABASE IF EXISTS beside_alone WITH (FORCE)")
        await admin.execute("CREATE DATABASE beside_alone")
    finally:
        await admin.close()
    lone = f"{base}/beside_alone"
    await import_into(lone, SMALL_GUILD, synthetic_bundle(small, seed=9))
    return lone


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.beside_bench",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--url", help="PostgreSQL: the database holding both servers")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the ten inputs (5)")
    args = parser.parse_args()
    if args.store == "postgresql" and not args.url:
        parser.error("--store postgresql needs --url (see tests.benchmarks.pg_plans --keep)")

    async def run() -> dict[str, dict[str, list[float]]]:
        with tempfile.TemporaryDirectory(prefix="attache-beside-") as tmp:
            if args.store == "sqlite":
                beside: str | Path = Path(tmp) / "beside.db"
                await prepared_store(Path(beside), args.n, default_cache())
                await import_into(beside, SMALL_GUILD, synthetic_bundle(args.small, seed=9))
                alone: str | Path = Path(tmp) / "alone.db"
                await import_into(alone, SMALL_GUILD, synthetic_bundle(args.small, seed=9))
            else:
                beside, alone = args.url, await _lone_pg(args.url, args.small)
            say("timing the small server beside the big one, then alone…")
            return await timings({"beside": beside, "alone": alone}, args.rounds)

    found = asyncio.run(run())
    print(f"\n{args.store}: a server of {args.small:,} records of each kind, in-process, ms "
          f"(p50 / p99 over {args.rounds * INPUTS} calls)\n")
    print(f"| command | beside N = {args.n:,} | alone |")
    print("|---|---:|---:|")
    for label in COMMANDS:
        cells = []
        for where in ("beside", "alone"):
            values = found[where][label]
            cells.append(f"{statistics.median(values):.2f} / {_p(values, 0.99):.2f}")
        print(f"| {label} | {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
