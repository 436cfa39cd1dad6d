"""/timeline in-process: building the marks, drawing the picture, and where the building's time
goes (per store call). Opt-in; prints figures, asserts nothing.

    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.timeline_bench --n 100000
    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.timeline_bench --store copy.db

Stores as in briefing_bench (the wire benchmark's, copied from its cache when built before).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from bot.sandbox.world import GUILD_ID
from bot.services.factory import build_services
from bot.services.timeline import build_timeline, render_timeline
from bot.stores.database import Database
from tests.benchmarks.briefing_bench import CACHE, _ms, _timed, countries, store_calls
from tests.benchmarks.harness import now, prepared_store


async def measure(path: Path, runs: int) -> None:
    db = await Database.open(path)
    try:
        desk = build_services(db, now).desk
        for country, records in countries(path):
            timeline = await build_timeline(desk, GUILD_ID, country)  # warm the page cache
            built = await _timed(runs, lambda c=country: build_timeline(desk, GUILD_ID, c))
            # Drawing runs on a worker thread in the cog; timed here as the CPU it takes.
            drawn = await _timed(max(3, runs // 10),
                                 lambda t=timeline: asyncio.to_thread(render_timeline, t))
            print(f"{country} ({records:,} records naming it; {len(timeline.marks)} marks)")
            print(f"  build_timeline      {_ms(built)}")
            print(f"  render_timeline     {_ms(drawn)}")
            with store_calls(desk) as timings:
                await build_timeline(desk, GUILD_ID, country)
            print(f"  {sum(len(v) for v in timings.values())} store calls in one timeline:")
            for label, values in sorted(timings.items(), key=lambda kv: -sum(kv[1])):
                print(f"    {label:38} {len(values):3} × {sum(values):7.2f} ms")
    finally:
        await db.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="store size (repeatable)")
    parser.add_argument("--store", type=Path, action="append", help="a store file to time")
    parser.add_argument("--runs", type=int, default=50, help="timelines per country (50)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")
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
    print(f"\nload average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
