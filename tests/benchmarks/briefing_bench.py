"""The briefing in-process: the service call, rendering it for Discord and as Markdown, and
where the time goes (per store call, or cProfile). Opt-in; prints figures, asserts nothing.

    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.briefing_bench --n 1000 --n 100000
    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.briefing_bench --store copy.db --profile

Stores are the wire benchmark's (tests/benchmarks/datagen.py), copied from its cache when
built before; `--store` times a copy you made (the run reads only, but opening migrates).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import functools
import io
import os
import pstats
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from bot.sandbox.world import GUILD_ID
from bot.services.briefing import briefing_text, build_briefing
from bot.services.desk import DeskService
from bot.services.factory import build_services
from bot.stores.database import Database
from bot.ui.render import briefing_embeds
from tests.benchmarks.harness import now, prepared_store

CACHE = Path.home() / ".cache" / "attache-wire-bench"


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):6.2f} / p99 {p99:6.2f} ms"


def countries(path: Path) -> list[tuple[str, int]]:
    """The busiest and the quietest country of the store, by records naming them."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            "SELECT country, count(*) FROM record_countries WHERE guild_id = ?"
            " GROUP BY country ORDER BY 2 DESC", (GUILD_ID,)).fetchall()
    if not rows:
        return []
    return [(rows[0][0], rows[0][1]), (rows[-1][0], rows[-1][1])]


async def _timed(runs: int, call: Callable[[], Awaitable[Any]]) -> list[float]:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


@contextlib.contextmanager
def store_calls(desk: DeskService) -> Iterator[dict[str, list[float]]]:
    """Every call the desk makes to its stores, timed by method, while the block runs."""
    timings: dict[str, list[float]] = defaultdict(list)
    patched = []
    for owner in (desk._records, desk._settings, desk.briefs):
        for name in dir(type(owner)):
            method = getattr(owner, name)
            if name.startswith("_") or not asyncio.iscoroutinefunction(method):
                continue

            def wrap(m: Callable[..., Awaitable[Any]], label: str) -> Callable[..., Any]:
                async def timed(*args: Any, **kwargs: Any) -> Any:
                    began = time.perf_counter()
                    try:
                        return await m(*args, **kwargs)
                    finally:
                        timings[label].append((time.perf_counter() - began) * 1000)
                return timed

            setattr(owner, name, wrap(method, f"{type(owner).__name__}.{name}"))
            patched.append((owner, name))
    try:
        yield timings
    finally:
        for owner, name in patched:
            delattr(owner, name)


async def measure(path: Path, runs: int, profile: bool) -> None:
    db = await Database.open(path)
    try:
        desk = build_services(db, now).desk
        for country, records in countries(path):
            await build_briefing(desk, GUILD_ID, country)  # warm the page cache
            service = await _timed(runs, functools.partial(build_briefing, desk, GUILD_ID, country))
            brief = await build_briefing(desk, GUILD_ID, country)
            embeds = await _timed(runs, functools.partial(_embeds, brief))
            text = await _timed(runs, functools.partial(_text, brief))
            print(f"{country} ({records:,} records naming it; "
                  f"{brief.totals.meetings:,} meetings counted)")
            print(f"  build_briefing      {_ms(service)}")
            counted = "not all read" if brief.levels_total is None else f"{brief.levels_total:,}"
            print(f"  levels shown        {len(brief.levels)} (levels in all: {counted})")
            print(f"  embeds, serialised  {_ms(embeds)}")
            print(f"  Markdown text       {_ms(text)}")
            with store_calls(desk) as timings:
                await build_briefing(desk, GUILD_ID, country)
            calls = sum(len(v) for v in timings.values())
            print(f"  {calls} store calls in one brief:")
            for label, values in sorted(timings.items(), key=lambda kv: -sum(kv[1])):
                print(f"    {label:38} {len(values):3} × {sum(values):7.2f} ms")
            if profile:
                prof = cProfile.Profile()
                prof.enable()
                for _ in range(10):
                    await build_briefing(desk, GUILD_ID, country)
                prof.disable()
                out = io.StringIO()
                pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(18)
                print(out.getvalue())
    finally:
        await db.close()


async def _embeds(brief: Any) -> None:
    for embed in briefing_embeds(brief):
        embed.to_dict()  # what discord.py does before sending


async def _text(brief: Any) -> None:
    briefing_text(brief).encode("utf-8")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="store size (repeatable)")
    parser.add_argument("--store", type=Path, action="append", help="a store file to time")
    parser.add_argument("--runs", type=int, default=100, help="briefs per country (100)")
    parser.add_argument("--profile", action="store_true", help="cProfile ten briefs each")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")
    for path in args.store or []:
        print(f"\n## {path}")
        await measure(path, args.runs, args.profile)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n or ([] if args.store else [1000, 100_000]):
            path = Path(tmp) / f"store-{n}.db"
            await prepared_store(path, n, CACHE)
            print(f"\n## N = {n:,}")
            await measure(path, args.runs, args.profile)
            path.unlink()
    print(f"\nload average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
