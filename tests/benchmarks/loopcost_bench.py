"""What each list command and autocomplete costs the event loop, the way the bot ran them
before Lines and kept settings (`old`) and the way it runs them now (`new`), alternated in
one process on one store. Opt-in; prints figures, asserts nothing.

    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.loopcost_bench --store copy.db
    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.loopcost_bench --n 100000 --tasks 4
    PYTHONPATH=. .venv/bin/python -m tests.benchmarks.loopcost_bench --store copy.db --briefs 600

Per command: wall p50 / p99, the event loop's own CPU time (the calling thread's) and the
whole process's (SQLite's threads too), and the database reads (trips) each makes. With
`--tasks K`, K copies of the mix run at once, as several servers' commands do on one loop.
`--briefs` also times a small server's list beside back-to-back briefs in the big one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.domain.records import RecordType, VisitStatus
from bot.sandbox.world import GUILD_ID
from bot.services.desk import DeskService, people_of
from bot.services.factory import build_services
from bot.stores.database import Database
from bot.stores.records import RecordFilter
from bot.ui.render import choice_label, list_embed, list_line
from tests.benchmarks.harness import NAMES, TYPED, now, prepared_store

CACHE = Path.home() / ".cache" / "attache-wire-bench"
OPEN = [s.value for s in VisitStatus if s.is_open]
PAGE = 10
CAP = 1000

Call = Callable[[DeskService, int], Awaitable[Any]]


# --- before: full records, their people read apart, settings read twice a list -----------

async def _old_list(desk: DeskService, kind: RecordType, flt: RecordFilter) -> Any:
    settings = desk._settings
    flt = replace(flt, limit=PAGE, offset=0)
    first = await desk.page(GUILD_ID, kind, flt, cap=CAP)
    zone = (await settings.get(GUILD_ID)).timezone
    today = desk.today_in((await settings.get(GUILD_ID)).timezone)
    people = await desk.people(GUILD_ID, people_of(first.items))
    lines = [list_line(r, people, zone=zone, today=today) for r in first.items]
    return list_embed("t", kind, lines, page=1, pages=first.pages, total=first.shown_total,
                      more=first.more, empty="-").to_dict()


async def old_upcoming(desk: DeskService, i: int) -> Any:
    today = desk.today_in((await desk._settings.get(GUILD_ID)).timezone)
    return await _old_list(desk, RecordType.VISIT, RecordFilter(statuses=OPEN, date_from=today))


async def old_meetings(desk: DeskService, i: int) -> Any:
    return await _old_list(desk, RecordType.MEETING, RecordFilter())


async def old_meetings_country(desk: DeskService, i: int) -> Any:
    return await _old_list(desk, RecordType.MEETING, RecordFilter(country=NAMES[i % 50]))


async def old_autocomplete(desk: DeskService, i: int) -> Any:
    records = await desk.suggest(GUILD_ID, RecordType.MEETING, TYPED[i % len(TYPED)])
    people = await desk.people(GUILD_ID, people_of(records))
    return [choice_label(r, people) for r in records]


# --- now: what DeskCog.send_list and RecordTransformer.autocomplete do --------------------

async def _new_list(desk: DeskService, kind: RecordType, flt: RecordFilter) -> Any:
    flt = replace(flt, limit=PAGE, offset=0)
    first = await desk.line_page(GUILD_ID, kind, flt, cap=CAP)
    zone = (await desk.settings(GUILD_ID)).timezone
    today = desk.today_in(zone)
    lines = [list_line(r, zone=zone, today=today) for r in first.items]
    return list_embed("t", kind, lines, page=1, pages=first.pages, total=first.shown_total,
                      more=first.more, empty="-").to_dict()


async def new_upcoming(desk: DeskService, i: int) -> Any:
    today = await desk.today(GUILD_ID)
    return await _new_list(desk, RecordType.VISIT, RecordFilter(statuses=OPEN, date_from=today))


async def new_meetings(desk: DeskService, i: int) -> Any:
    return await _new_list(desk, RecordType.MEETING, RecordFilter())


async def new_meetings_country(desk: DeskService, i: int) -> Any:
    return await _new_list(desk, RecordType.MEETING, RecordFilter(country=NAMES[i % 50]))


async def new_autocomplete(desk: DeskService, i: int) -> Any:
    lines = await desk.suggest_lines(GUILD_ID, RecordType.MEETING, TYPED[i % len(TYPED)])
    return [choice_label(x) for x in lines]


COMMANDS: tuple[tuple[str, Call, Call], ...] = (
    ("/visit upcoming", old_upcoming, new_upcoming),
    ("/meeting list", old_meetings, new_meetings),
    ("/meeting list country:", old_meetings_country, new_meetings_country),
    ("autocomplete /meeting show", old_autocomplete, new_autocomplete),
)


@dataclass
class Samples:
    wall: list[float] = field(default_factory=list)
    loop: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    trips: list[int] = field(default_factory=list)


def _counting_reads(db: Database) -> list[int]:
    """Counts the reads the database hands out (one trip each, or more)."""
    count = [0]
    read = db.read

    def counted() -> Any:
        count[0] += 1
        return read()

    db.read = counted  # type: ignore[method-assign]
    return count


async def measure(path: Path, runs: int, tasks: int) -> None:
    db = await Database.open(path)
    reads = _counting_reads(db)
    try:
        desk = build_services(db, now).desk
        results: dict[tuple[str, str], Samples] = {}
        for label, old, new in COMMANDS:
            for i in range(5):  # warm the page cache for both
                await old(desk, i)
                await new(desk, i)
            for way in ("old", "new"):
                results[(label, way)] = Samples()

        async def worker(offset: int) -> None:
            for i in range(runs):
                for label, old, new in COMMANDS:
                    # Alternated, so both see the same load.
                    for way, call in (("old", old), ("new", new)) if i % 2 else (
                            ("new", new), ("old", old)):
                        s = results[(label, way)]
                        trips = reads[0]
                        wall, loop, cpu = (time.perf_counter(), time.thread_time(),
                                           time.process_time())
                        await call(desk, i + offset)
                        s.wall.append((time.perf_counter() - wall) * 1000)
                        s.loop.append((time.thread_time() - loop) * 1000)
                        s.cpu.append((time.process_time() - cpu) * 1000)
                        if tasks == 1:
                            s.trips.append(reads[0] - trips)

        await asyncio.gather(*(worker(k * 7) for k in range(tasks)))
        print("| command | way | wall p50 / p99 ms | loop CPU ms | process CPU ms | reads |")
        print("|---|---|---:|---:|---:|---:|")
        for label, _, _ in COMMANDS:
            for way in ("old", "new"):
                s = results[(label, way)]
                trips = f"{statistics.mean(s.trips):.1f}" if s.trips else "—"
                print(f"| {label} | {way} | {_pct(s.wall, 50):.2f} / {_pct(s.wall, 99):.2f} |"
                      f" {statistics.mean(s.loop):.2f} | {statistics.mean(s.cpu):.2f} |"
                      f" {trips} |")
        print("(loop and process CPU with --tasks > 1 include the other tasks' work meanwhile)"
              if tasks > 1 else "")
    finally:
        await db.close()


async def beside_briefs(path: Path, calls: int) -> None:
    """A server of no records lists its meetings every 5 ms while the big one asks for a
    brief every 150 ms (paced, so the work asked of the loop is the same however fast each
    brief is): the small server's latency is what the brief's work on the loop costs it."""
    from bot.services.briefing import build_briefing
    from bot.ui.render import briefing_embeds

    db = await Database.open(path)
    try:
        desk = build_services(db, now).desk
        small: list[float] = []
        briefs: list[float] = []
        done = asyncio.Event()

        async def brief_loop() -> None:
            i = 0
            while not done.is_set():
                began = time.perf_counter()
                brief = await build_briefing(desk, GUILD_ID, NAMES[i % 50])
                await asyncio.to_thread(briefing_embeds, brief)  # as the cog renders it
                briefs.append((time.perf_counter() - began) * 1000)
                i += 1
                await asyncio.sleep(max(0.0, 0.15 - (time.perf_counter() - began)))

        running = asyncio.create_task(brief_loop())
        for _ in range(calls):
            began = time.perf_counter()
            page = await desk.line_page(GUILD_ID + 1, RecordType.MEETING,
                                        RecordFilter(limit=PAGE), cap=CAP)
            [list_line(x) for x in page.items]
            small.append((time.perf_counter() - began) * 1000)
            await asyncio.sleep(0.005)
        done.set()
        await running
        print(f"beside back-to-back briefs: small server p50 {_pct(small, 50):.2f} / p99 "
              f"{_pct(small, 99):.2f} ms; brief p50 {_pct(briefs, 50):.1f} / p99 "
              f"{_pct(briefs, 99):.1f} ms ({len(briefs)} briefs)")
    finally:
        await db.close()


def _pct(samples: list[float], p: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="store size (repeatable)")
    parser.add_argument("--store", type=Path, action="append", help="a store file to time")
    parser.add_argument("--runs", type=int, default=200, help="calls of each, each way (200)")
    parser.add_argument("--tasks", type=int, default=1, help="copies of the mix at once (1)")
    parser.add_argument("--briefs", type=int, default=0, metavar="CALLS",
                        help="also: CALLS small-server lists beside back-to-back briefs")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; {args.tasks} task(s)")
    for path in args.store or []:
        print(f"\n## {path}\n")
        await measure(path, args.runs, args.tasks)
        if args.briefs:
            await beside_briefs(path, args.briefs)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n or ([] if args.store else [1000, 100_000]):
            path = Path(tmp) / f"store-{n}.db"
            await prepared_store(path, n, CACHE)
            print(f"\n## N = {n:,}\n")
            await measure(path, args.runs, args.tasks)
            if args.briefs:
                await beside_briefs(path, args.briefs)
            path.unlink()
    print(f"\nload average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
