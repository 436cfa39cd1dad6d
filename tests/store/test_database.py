"""Migrations, pragmas, transactions and backups against a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.stores.database import (
    Database,
    DatabaseBusy,
    Migration,
    SchemaTooNew,
    bundled_migrations,
)


async def test_fresh_database_reaches_latest_version(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "fresh.db")
    try:
        assert await db.schema_version() == bundled_migrations()[-1].version
        async with db.read() as conn:
            async with conn.execute("PRAGMA foreign_keys") as cur:
                assert (await cur.fetchone())[0] == 1
            async with conn.execute("PRAGMA journal_mode") as cur:
                assert (await cur.fetchone())[0] == "wal"
        assert await db.integrity_check() == ["ok"]
    finally:
        await db.close()


async def test_rerun_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    first = await Database.open(path)
    await first.close()
    second = await Database.open(path, migrate=False)
    try:
        assert await second.migrate() == []
        assert await second.schema_version() == bundled_migrations()[-1].version
    finally:
        await second.close()


async def test_migrations_are_numbered_without_gaps() -> None:
    versions = [m.version for m in bundled_migrations()]
    assert versions == list(range(1, len(versions) + 1))


async def test_a_failing_migration_leaves_no_trace(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "fail.db")
    try:
        version = await db.schema_version()
        broken = Migration(
            version + 1,
            "broken.sql",
            "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);",
        )
        with pytest.raises(sqlite3.OperationalError):
            await db.migrate([broken])
        assert await db.schema_version() == version
        async with db.read() as conn, conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"
        ) as cur:
            assert (await cur.fetchone())[0] == 0
    finally:
        await db.close()


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO guild_settings (guild_id, timezone) VALUES (1, 'Asia/Karachi')"
            )
            raise RuntimeError("boom")
    async with db.read() as conn, conn.execute("SELECT count(*) FROM guild_settings") as cur:
        assert (await cur.fetchone())[0] == 0


async def test_backup_is_a_usable_copy(db: Database, tmp_path: Path) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO guild_settings (guild_id, timezone) VALUES (7, 'UTC')")
    target = tmp_path / "copies" / "backup.db"
    await db.backup(target)
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT guild_id FROM guild_settings").fetchall() == [(7,)]
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()


async def test_a_database_of_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    db = await Database.open(path)
    latest = await db.schema_version()
    await db.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest + 4}")
    conn.close()
    with pytest.raises(SchemaTooNew, match=f"schema version {latest + 4}.*up to {latest}"):
        await Database.open(path)


async def test_reads_do_not_wait_for_a_write_in_progress(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "pool.db")
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO guild_settings (guild_id) VALUES (1)")
            # Inside an open write, another task reads on its own connection: it neither
            # waits for the writer nor sees its uncommitted row.
            async with db.read() as reader, reader.execute(
                "SELECT count(*) FROM guild_settings"
            ) as cur:
                assert (await cur.fetchone())[0] == 0
        async with db.read() as reader, reader.execute(
            "SELECT count(*) FROM guild_settings"
        ) as cur:
            assert (await cur.fetchone())[0] == 1
    finally:
        await db.close()


async def test_a_lock_held_by_another_process_is_a_plain_busy_refusal(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    db = await Database.open(path, busy_ms=50)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # e.g. a command-line import mid-way
        with pytest.raises(DatabaseBusy, match="busy"):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO guild_settings (guild_id) VALUES (2)")
        # Reading still works while the other process writes.
        async with db.read() as reader, reader.execute(
            "SELECT count(*) FROM guild_settings"
        ) as cur:
            assert (await cur.fetchone())[0] == 0
        other.execute("ROLLBACK")
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO guild_settings (guild_id) VALUES (2)")
    finally:
        other.close()
        await db.close()


async def test_a_command_write_behind_a_long_write_is_refused_in_time(db: Database) -> None:
    started = asyncio.Event()
    release = asyncio.Event()

    async def long_import() -> None:
        async with db.transaction(guild=1):
            started.set()
            await release.wait()

    holder = asyncio.create_task(long_import())
    try:
        await started.wait()
        with pytest.raises(DatabaseBusy):
            async with db.transaction(wait=0.05, guild=1):
                pass
    finally:
        release.set()
        await holder
    async with db.transaction(wait=0.05, guild=1):
        pass  # free again


# SQLite has one writer for every server (the test above); PostgreSQL serialises by server.
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_on_postgresql_a_long_write_in_one_server_delays_no_other(db: Database) -> None:
    started = asyncio.Event()
    release = asyncio.Event()

    async def long_import() -> None:
        async with db.transaction(guild=1):
            started.set()
            await release.wait()

    holder = asyncio.create_task(long_import())
    try:
        await started.wait()
        async with db.transaction(wait=0.5, guild=2) as conn:
            await conn.execute(
                "INSERT INTO guild_settings (guild_id, timezone) VALUES (2, 'UTC')")
    finally:
        release.set()
        await holder
    async with db.read() as conn, conn.execute("SELECT count(*) FROM guild_settings") as cur:
        assert (await cur.fetchone())[0] == 1
