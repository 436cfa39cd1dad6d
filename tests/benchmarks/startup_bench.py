"""Start-up re-planning at scale: what reconcile() costs with N open visits in a server whose
reminder channel is set, planned in full (every start before replan marks), unchanged, and
after a few writes its reminders missed. Opt-in; prints figures, asserts nothing on time.

    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.startup_bench --visits 100000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import RecordType
from bot.services.access import Actor
from bot.services.factory import Services, build_services
from bot.services.interchange import import_data
from bot.services.reminders import REPLAN_SCOPE
from bot.stores.database import Database
from bot.stores.records import RecordFilter
from tests.benchmarks.datagen import open_visits

GUILD = 1_400_000_000_000_000_001
CHANNEL = 1_400_000_000_000_000_002


def now() -> datetime:
    return datetime.now(UTC)


async def _planned(services: Services) -> int:
    return (await services.deliveries.counts(GUILD)).get("planned", 0)


async def _timed(services: Services) -> tuple[float, str]:
    began = time.perf_counter()
    done = await services.reminders.reconcile()
    return time.perf_counter() - began, done[GUILD]


async def run(visits: int, workdir: Path) -> list[tuple[str, float, str, int]]:
    path = workdir / "startup.db"
    db = await Database.open(path)
    rows: list[tuple[str, float, str, int]] = []
    try:
        services = build_services(db, now)
        current = await services.guild_settings.get(GUILD)
        await services.changes.save_settings(replace(current, reminder_channel_id=CHANNEL))
        began = time.perf_counter()
        await import_data(services.changes, GUILD, open_visits(visits), actor_id=None)
        print(f"imported {visits:,} open visits in {time.perf_counter() - began:.1f} s "
              f"(re-planned as one server, mark kept); {await _planned(services):,} planned")

        await services.replans.forget(GUILD, REPLAN_SCOPE)
        seconds, outcome = await _timed(services)
        rows.append(("no mark (what every start did before)", seconds, outcome,
                     await _planned(services)))

        seconds, outcome = await _timed(services)
        rows.append(("nothing changed since", seconds, outcome, await _planned(services)))

        admin = Actor(GUILD, 1, can_manage_guild=True)
        numbers = await services.records.numbers(GUILD, RecordType.VISIT, RecordFilter())
        services.changes.unsubscribe(services.reminders)
        for number in numbers[:10]:
            await services.desk.edit(admin, RecordType.VISIT, number,
                                     date=FuzzyDate.from_value("2031-06-15", "day"))
        services.changes.subscribe(services.reminders)
        seconds, outcome = await _timed(services)
        rows.append(("10 visits edited while the reminders missed it", seconds, outcome,
                     await _planned(services)))

        seconds, outcome = await _timed(services)
        rows.append(("then nothing changed", seconds, outcome, await _planned(services)))
    finally:
        await db.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.startup_bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=100_000, help="open visits (100000)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the store is built (a temporary folder)")
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        rows = asyncio.run(run(args.visits, Path(folder)))
    print(f"\nStart-up re-planning, {args.visits:,} open visits in one server "
          f"(2 cores shared; load average {load[0]:.2f} at the start, "
          f"{os.getloadavg()[0]:.2f} at the end):\n")
    print("| start | reconcile() | outcome | planned sends |")
    print("|---|---:|---|---:|")
    for label, seconds, outcome, planned in rows:
        shown = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
        print(f"| {label} | {shown} | {outcome} | {planned:,} |")


if __name__ == "__main__":
    main()
