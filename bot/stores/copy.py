"""Moving a desk between databases: every table copied row for row, in one transaction on
the target, then counted on both sides."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.domain.errors import UserError
from bot.stores.database import Database
from bot.stores.records import RecordStore

# Every table that holds the desk's data, in an order where each row's references already
# exist when it arrives. The search index and record_words are not copied: the target's
# store writes them from the records it received, as it writes them on every change. A test
# checks that no table of the schema is missing here.
TABLES = (
    "guild_settings", "digest_settings", "reminder_optins", "replan_marks", "record_numbers",
    "sources", "people", "visits", "meetings", "meeting_participants", "plans",
    "plan_signatories", "followups", "record_countries", "audit_log", "deliveries",
    "visit_events", "import_journal", "import_sources",
)
# Tables whose `id` the target hands out itself (PostgreSQL: an identity sequence), to be
# moved past the copied ids.
WITH_IDS = ("sources", "people", "visits", "meetings", "plans", "followups", "audit_log",
            "deliveries", "import_journal")
# The records a target must not hold already: a copy never merges two desks.
RECORD_TABLES = ("sources", "people", "visits", "meetings", "plans", "followups")

BATCH = 1000


@dataclass
class CopyReport:
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # table: (source, target)

    @property
    def matches(self) -> bool:
        return all(a == b for a, b in self.counts.values())

    def lines(self) -> list[str]:
        width = max(len(t) for t in self.counts) if self.counts else 0
        return [f"  {table:<{width}}  {a:>9,}  {b:>9,}" + ("" if a == b else "  MISMATCH")
                for table, (a, b) in self.counts.items()]


async def _columns_from_catalog(db: Database, table: str) -> list[str]:
    sql, params = db.dialect.columns(table)
    async with db.read() as conn, conn.execute(sql, params) as cur:
        return [str(row[0]) for row in await cur.fetchall()]


async def count_rows(db: Database, table: str) -> int:
    async with db.read() as conn, conn.execute(f"SELECT count(*) FROM {table}") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def copy_database(
    source: Database, target: Database, *, progress: Callable[[str, int], None] | None = None
) -> CopyReport:
    """Copies every table of `source` into `target` (both at the same schema version).

    The target must hold no records: a copy never merges two desks. Everything is written
    in one transaction, so a failure leaves the target as it was.
    """
    have, want = await source.schema_version(), await target.schema_version()
    if have != want:
        raise UserError(f"The two databases are at different schema versions ({have} and "
                        f"{want}); open both with this Attaché first so both are migrated.")
    for table in RECORD_TABLES:
        if await count_rows(target, table):
            raise UserError(f"The target already holds records ({table}); a desk is only "
                            "ever copied into an empty database, never merged into another.")
    # Read before the transactions start: a reader may wait for the writer (an in-memory or
    # reader-less SQLite file has one connection for both).
    columns = {table: await _common_columns(source, target, table) for table in TABLES}
    async with source.transaction() as read, target.transaction() as write:
        if source.dialect.snapshot:
            # Every table read from one snapshot, whatever the bot writes meanwhile.
            await read.execute(source.dialect.snapshot)
        for table in TABLES:
            names = columns[table]
            listed = ", ".join(names)
            marks = ", ".join("?" for _ in names)
            # Settings rows of a target that was opened once give way to the copy's.
            await write.execute(f"DELETE FROM {table}")
            copied = 0
            async for batch in _batches(read, table, listed, keyed=table in WITH_IDS):
                await write.executemany(
                    f"INSERT INTO {table} ({listed}) VALUES ({marks})", batch)
                copied += len(batch)
                if progress:
                    progress(table, copied)
        for table in WITH_IDS:
            await target.dialect.ids_follow(write, table)
        await RecordStore(target, lambda: datetime.now(UTC)).rebuild_search(write)
    await target.refresh_statistics()  # a bulk load: the copy's planner sees its tables
    report = CopyReport()
    for table in TABLES:
        report.counts[table] = (await count_rows(source, table), await count_rows(target, table))
    return report


async def _batches(
    conn: Any, table: str, listed: str, *, keyed: bool
) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The table's rows, BATCH at a time: by id where it has one (the big tables), so a
    desk's whole history is never held in memory at once."""
    if not keyed:
        async with conn.execute(f"SELECT {listed} FROM {table}") as cur:
            rows = [tuple(row) for row in await cur.fetchall()]
        for start in range(0, len(rows), BATCH):
            yield rows[start:start + BATCH]
        return
    at = listed.split(", ").index("id")
    last = 0
    while True:
        async with conn.execute(
            f"SELECT {listed} FROM {table} WHERE id > ? ORDER BY id LIMIT ?", (last, BATCH)
        ) as cur:
            rows = [tuple(row) for row in await cur.fetchall()]
        if not rows:
            return
        yield rows
        last = int(rows[-1][at])


async def _common_columns(source: Database, target: Database, table: str) -> list[str]:
    theirs = await _columns_from_catalog(source, table)
    ours = set(await _columns_from_catalog(target, table))
    missing = [c for c in theirs if c not in ours]
    if missing:
        raise UserError(f"The target's {table} table lacks {', '.join(missing)}: both "
                        "databases must be at the same schema version.")
    return theirs
