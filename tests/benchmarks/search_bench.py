"""Autocomplete, search and import in-process, in a big server beside a small one.

Opt-in: `.venv/bin/python -m tests.benchmarks.search_bench [--n 100000] [--small 1000]`
(`--store postgresql` runs on a throwaway cluster). It imports N records (meetings, plans
and visits, a third each, with their people) into one server and `--small` into another,
each in one call, then times `RecordStore.suggest`, `RecordStore.search` and a picker's
title filter in each server and prints p50 / p99 in ms, the import's records per second
(split into reading the file, the store's transaction and what follows the change) and
the file's bytes per record. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.domain.records import RecordType
from bot.services.factory import build_services
from bot.services.interchange import bundle_from_json, check_bundle, clean_record
from bot.stores.database import Database
from bot.stores.records import RecordFilter
from tests.benchmarks.datagen import synthetic_bundle
from tests.benchmarks.harness import SEARCHES, TYPED, now, store_bytes

BIG, SMALL = 900_000_000_000_000_001, 900_000_000_000_000_002
PICKER = ("Ai", "Che", "Mar", "Ra", "Zh", "Fati", "S", "Ahmed M", "Kim", "Tok")


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _timed(call: Any, items: tuple[str, ...], runs: int) -> tuple[float, float]:
    samples = []
    for i in range(runs):
        began = time.perf_counter()
        await call(items[i % len(items)])
        samples.append((time.perf_counter() - began) * 1000)
    return _pct(samples, 0.5), _pct(samples, 0.99)


async def _import(db: Database, guild: int, data: dict[str, Any],
                  profile: Path | None) -> dict[str, float]:
    services = build_services(db, now)
    began = time.perf_counter()
    bundle, errors = bundle_from_json(data)
    assert not errors, errors[:3]
    errors = await check_bundle(services.records, guild, bundle)
    assert not errors, errors[:3]
    from bot.domain.interchange import SECTIONS
    for kind in SECTIONS:
        section = bundle.section(kind)
        section[:] = [clean_record(r) for r in section]
    read = time.perf_counter()
    profiler = cProfile.Profile() if profile else None
    store = services.records
    timed: dict[str, float] = {}
    original = store.import_bundle

    async def import_bundle(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        try:
            return await original(*args, **kwargs)
        finally:
            if profiler:
                profiler.disable()
            timed["store"] = time.perf_counter() - start

    store.import_bundle = import_bundle  # type: ignore[method-assign]
    await services.changes.import_bundle(guild, bundle, actor_id=None)
    done = time.perf_counter()
    if profiler and profile:
        profiler.dump_stats(str(profile))
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    stored = read + timed["store"]
    records = len(bundle)
    return {"records": records, "read_s": read - began, "store_s": stored - read,
            "after_s": done - stored, "total_rate": records / (done - began),
            "store_rate": records / (stored - read)}


async def run(n: int, small: int, target: str, runs: int, profile: Path | None,
              reuse: bool = False) -> None:
    db = await Database.open(target)
    try:
        if reuse:
            await _latencies(db, runs)
            return
        big_data = synthetic_bundle(n // 3)
        small_data = synthetic_bundle(small // 3, seed=9, prefix="s-")
        figures = await _import(db, BIG, big_data, profile)
        print(f"import {figures['records']:,} records: read {figures['read_s']:.1f} s, store "
              f"{figures['store_s']:.1f} s ({figures['store_rate']:,.0f} rec/s), after "
              f"{figures['after_s']:.1f} s; whole import {figures['total_rate']:,.0f} rec/s")
        await _import(db, SMALL, small_data, None)
        if not target.startswith("postgres"):
            await db.close()
            size = store_bytes(Path(target))
            total = figures["records"] + small // 3 * 3 + len(small_data["people"])
            print(f"bytes per record: {size / total:,.0f} ({size / 1e6:,.0f} MB)")
            db = await Database.open(target)
        await _latencies(db, runs)
    finally:
        await db.close()


async def _latencies(db: Database, runs: int) -> None:
    """p50 / p99 of autocomplete, a picker's name filter and search, in each server."""
    records = build_services(db, now).records
    for label, guild in (("big", BIG), ("small", SMALL)):
        s50, s99 = await _timed(
            lambda t, g=guild: records.suggest(g, RecordType.MEETING, t), TYPED, runs)
        p50, p99 = await _timed(
            lambda t, g=guild: records.list_records(g, RecordType.PERSON, RecordFilter(
                title_words=t, limit=25)), PICKER, runs)
        q50, q99 = await _timed(lambda t, g=guild: records.search(g, t), SEARCHES, runs)
        print(f"{label:>5} server: suggest p50 {s50:6.2f} p99 {s99:6.2f} | picker title "
              f"p50 {p50:6.2f} p99 {p99:6.2f} | search p50 {q50:6.2f} p99 {q99:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--profile", type=Path, help="write the store import's cProfile here")
    parser.add_argument("--keep", type=Path, help="build the SQLite store here and keep it")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: time the store kept there, importing nothing")
    args = parser.parse_args()
    if args.keep:
        asyncio.run(run(args.n, args.small, str(args.keep), args.runs, args.profile,
                        args.reuse))
        return
    with tempfile.TemporaryDirectory() as folder:
        if args.store == "sqlite":
            asyncio.run(run(args.n, args.small, str(Path(folder) / "bench.db"), args.runs,
                            args.profile))
            return
        from tests import pgserver
        cluster = pgserver.start()
        try:
            asyncio.run(run(args.n, args.small, cluster.url(), args.runs, args.profile))
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
