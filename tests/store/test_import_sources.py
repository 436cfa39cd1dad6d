"""An import's checked file lives beside its journal row (migration 0015), not in it: it is
there while the import runs, gone with the row when the import ends, and an import cut
short under the old layout is finished after the upgrade. Both backends."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.domain.records import RecordType
from bot.services.changes import ChangePipeline
from bot.services.factory import build_services
from bot.services.interchange import finish_interrupted, import_data
from bot.stores.database import Database, bundled_migrations
from bot.stores.imports import interrupted, pack
from bot.stores.records import RecordStore
from tests.conftest import GUILD, FixedClock
from tests.store.test_import_batches import _dead_pid, _file, _total, small_batches  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("small_batches")  # imported: ten-record batches

KINDS = (RecordType.PERSON, RecordType.VISIT, RecordType.MEETING, RecordType.PLAN)
BEFORE = 14  # the last version whose journal row held the file


async def _count(db: Database, sql: str, *params: Any) -> int:
    async with db.read() as conn, conn.execute(sql, params) as cur:
        row = await cur.fetchone()
    return int(row[0])


async def _records(store: RecordStore) -> int:
    found = 0
    for kind in KINDS:
        found += len(await store.get_many(GUILD, kind, list(range(1, 500))))
    return found


async def test_the_file_is_kept_beside_the_row_while_the_import_runs_and_goes_with_it(
    changes: ChangePipeline, store: RecordStore
) -> None:
    data = _file()
    seen: list[tuple[int, int, int]] = []

    async def between(done: int) -> None:
        db = store._db
        seen.append((await _count(db, "SELECT count(*) FROM import_journal"),
                     await _count(db, "SELECT count(*) FROM import_sources"),
                     await _count(db, "SELECT count(*) FROM import_sources s JOIN import_journal"
                                      " j ON j.id = s.journal_id")))

    await import_data(changes, GUILD, data, actor_id=1, between=between)
    assert seen and all(s == (1, 1, 1) for s in seen)
    assert await _count(store._db, "SELECT count(*) FROM import_journal") == 0
    assert await _count(store._db, "SELECT count(*) FROM import_sources") == 0
    assert await _records(store) == _total(data)


@pytest.fixture
async def fresh_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest
                       ) -> AsyncIterator[str]:
    """An empty database that no migration has touched yet."""
    if backend == "sqlite":
        yield str(tmp_path / "old.db")
        return
    async with request.getfixturevalue("pg_cluster").empty_database() as url:
        yield url


async def test_an_import_cut_short_before_the_upgrade_is_finished_after_it(
    fresh_target: str, backend: str, clock: FixedClock
) -> None:
    data = _file(8)
    old = await Database.open(fresh_target, migrate=False)
    try:
        dialect = "sqlite" if backend == "sqlite" else "postgresql"
        await old.migrate(bundled_migrations(dialect)[:BEFORE])
        assert await old.schema_version() == BEFORE
        # As version 14's code left a run that died before its first batch committed its
        # records: the row, with the file in it, and a process that is gone.
        began = datetime(2025, 9, 12, 8, 0, tzinfo=UTC).isoformat()
        async with old.transaction() as conn:
            await conn.execute(
                "INSERT INTO import_journal (guild_id, actor_id, owner, started_at, beat_at,"
                " total, done, source) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                (GUILD, 7, f"{socket.gethostname()}:{_dead_pid()}", began, began,
                 _total(data), pack(json.dumps(data).encode("utf-8"))))
    finally:
        await old.close()

    db = await Database.open(fresh_target)  # 14 -> 15 and on
    try:
        services = build_services(db, clock)
        [job] = await interrupted(services.records)
        assert (job.done, job.total, job.actor_id) == (0, _total(data), 7)
        assert json.loads(job.source) == data
        lines = await finish_interrupted(services.changes)
        assert len(lines) == 1 and "stopped after 0" in lines[0]
        assert await _records(services.records) == _total(data)
        assert await _count(db, "SELECT count(*) FROM import_sources") == 0
        assert await interrupted(services.records) == []
    finally:
        await db.close()
