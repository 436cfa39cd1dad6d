"""/timeline in-process: building the marks, drawing the picture, how many marks it draws
and what it says it leaves out, and where the building's time goes (per store call).
Opt-in; prints figures, asserts nothing.

    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.timeline_bench --n 100000
    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.timeline_bench --store copy.db

Stores as in briefing_bench (the wire benchmark's, copied from its cache when built before).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import os
import tempfile
import time
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import Any

from bot.sandbox.world import GUILD_ID
from bot.services.factory import build_services
from bot.services.timeline import Lane, Timeline, build_timeline, render_timeline
from bot.stores.database import Database
from bot.stores.timelines import TimelineStore
from tests.benchmarks.briefing_bench import CACHE, _ms, _timed, countries, store_calls
from tests.benchmarks.harness import now, prepared_store


async def measure(path: Path, runs: int) -> None:
    db = await Database.open(path)
    try:
        desk = build_services(db, now).desk
        def build(country: str) -> Awaitable[Timeline]:
            return build_timeline(desk, GUILD_ID, country)

        for country, records in countries(path):
            timeline = await build(country)  # warm the page cache
            built = await _timed(runs, functools.partial(build, country))
            began = time.perf_counter()
            await asyncio.to_thread(render_timeline, timeline)
            first = (time.perf_counter() - began) * 1000
            # Drawing runs on a worker thread in the cog; timed here as the CPU it takes.
            drawn = await _timed(max(3, runs // 10), functools.partial(
                asyncio.to_thread, render_timeline, timeline))
            per_lane = ", ".join(f"{timeline.count(lane)} {lane.value}" for lane in Lane)
            print(f"{country} ({records:,} records naming it; {len(timeline.marks)} marks"
                  f" drawn: {per_lane})")
            print(f"  {timeline.title}")
            print(f"  {timeline.not_drawn or 'every record drawn'}")
            print(f"  build_timeline      {_ms(built)}")
            print(f"  render_timeline     {_ms(drawn)} (first in this process {first:.0f} ms)")
            with store_calls(desk) as timings, _timeline_calls(desk.timelines, timings):
                await build(country)
            print(f"  {sum(len(v) for v in timings.values())} store calls in one timeline"
                  " (rows and counts run at once):")
            for label, values in sorted(timings.items(), key=lambda kv: -sum(kv[1])):
                print(f"    {label:38} {len(values):3} × {sum(values):7.2f} ms")
    finally:
        await db.close()


@contextlib.contextmanager
def _timeline_calls(store: TimelineStore, timings: dict[str, list[float]]) -> Iterator[None]:
    """TimelineStore's calls timed into `timings` while the block runs."""
    names = ("rows", "counts")
    for name in names:
        method = getattr(store, name)

        async def timed(*args: Any, _m: Any = method, _label: str = name, **kw: Any) -> Any:
            began = time.perf_counter()
            try:
                return await _m(*args, **kw)
            finally:
                timings[f"TimelineStore.{_label}"].append((time.perf_counter() - began) * 1000)

        setattr(store, name, timed)
    try:
        yield
    finally:
        for name in names:
            delattr(store, name)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="store size (repeatable)")
    parser.add_argument("--store", type=Path, action="append", help="a store file to time")
    parser.add_argument("--runs", type=int, default=50, help="timelines per country (50)")
    args = parser.parse_args()
    print(f"load average {_load()}")
    for path in args.store or []:
        print(f"\n## {path}")
        await measure(path, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n or ([] if args.store else [1000, 100_000]):
            path = Path(tmp) / f"store-{n}.db"
            await prepared_store(path, n, CACHE)
            print(f"\n## N = {n:,}")
            await measure(path, args.runs)
            path.unlink()
    print(f"\nload average {_load()}")


def _load() -> str:
    """The 1, 5 and 15 minute load averages, as `uptime` prints them."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    asyncio.run(main())
