"""Where the wire benchmark's stores live: SQLite files (the default) or databases in a
throwaway PostgreSQL cluster (`--store postgresql`).

A store is named by a target, as the bot's own settings name it: a Path for SQLite
(DATABASE_PATH), a postgresql:// URL for PostgreSQL (DATABASE_URL). A backend builds the base
store of each size, copies it for each phase, reads rows beside the running bot, measures its
size and removes it. PostgreSQL's base of each size is the SQLite base copied with
bot.stores.copy.copy_database, so both backends hold the same rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import subprocess
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from bot.stores.copy import copy_database
from bot.stores.database import Database, is_url
from tests import pgserver
from tests.benchmarks.harness import (
    Target,
    copy_store,
    prepared_store,
    remove_database,
    say,
    store_bytes,
)

STORES = ("sqlite", "postgresql")


def database_name(name: str) -> str:
    """A file stem ("bench-1000", "two-server") as a PostgreSQL database name."""
    cleaned = re.sub(r"[^a-z0-9_]", "_", name.lower())
    return cleaned if cleaned[:1].isalpha() else f"d_{cleaned}"


def placeholders(sql: str) -> str:
    """`?` placeholders in asyncpg's `$1, $2…` form (the benchmark's own plain SQL)."""
    count = 0

    def number(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"${count}"
    return re.sub(r"\?", number, sql)


class SqliteStores:
    """Stores as SQLite files in the run's folder, bases copied from the build cache."""

    name = "sqlite"
    label = "SQLite"

    def target(self, workdir: Path, name: str) -> Target:
        return workdir / f"{name}.db"

    async def base(self, n: int, workdir: Path, cache: Path | None
                   ) -> tuple[Target, dict[str, Any]]:
        path = workdir / f"base-{n}.db"
        return path, await prepared_store(path, n, cache)

    async def copy(self, source: Target, target: Target) -> None:
        await copy_store(Path(source), Path(target))

    async def remove(self, target: Target) -> None:
        await asyncio.to_thread(remove_database, Path(target))

    async def size(self, target: Target) -> int:
        return await asyncio.to_thread(store_bytes, Path(target))

    async def rows(self, target: Target, sql: str, params: Sequence[Any] = ()
                   ) -> list[tuple[Any, ...]]:
        """Read-only, beside the bot."""
        def read() -> list[tuple[Any, ...]]:
            with contextlib.closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True,
                                                    timeout=10)) as conn:
                return [tuple(r) for r in conn.execute(sql, tuple(params)).fetchall()]
        return await asyncio.to_thread(read)

    def describe(self) -> str:
        return "SQLite files (WAL), as the bot runs by default"

    async def close(self) -> None:
        return None


class PostgresStores:
    """Stores as databases of one throwaway cluster (tests/pgserver.py), restarted durable
    (fsync and synchronous commit on, as a production server runs) unless `fast`."""

    name = "postgresql"
    label = "PostgreSQL"

    def __init__(self, cluster: pgserver.Cluster, version: str, *, fast: bool) -> None:
        self.cluster = cluster
        self.version = version
        self.fast = fast
        self.facts: dict[str, Any] = {}

    @classmethod
    async def start(cls, *, fast: bool = False) -> PostgresStores:
        cluster = await asyncio.to_thread(pgserver.start)
        try:
            if not fast:
                await asyncio.to_thread(_restart_durable, cluster)
            version = await _server_version(cluster)
        except BaseException:
            await asyncio.to_thread(cluster.stop)
            raise
        say(f"PostgreSQL {version} on 127.0.0.1:{cluster.port} "
            f"({'test settings: fsync off' if fast else 'durable: fsync on'})")
        return cls(cluster, version, fast=fast)

    def target(self, workdir: Path, name: str) -> Target:
        return self.cluster.url(database_name(name))

    async def _admin(self, sql: str) -> None:
        import asyncpg
        conn = await asyncpg.connect(self.cluster.url())
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def base(self, n: int, workdir: Path, cache: Path | None
                   ) -> tuple[Target, dict[str, Any]]:
        """The SQLite base of size N (built or from the cache), copied into a database of
        its own with copy_database; the SQLite file is removed once copied."""
        path = workdir / f"base-{n}.db"
        facts = await prepared_store(path, n, cache)
        url = self.target(workdir, f"base_{n}")
        await self.remove(url)
        await self._admin(f"CREATE DATABASE {database_name(f'base_{n}')}")
        began = time.perf_counter()
        target = await Database.open(url)  # migrates
        try:
            source = await Database.open(path, migrate=False)
            try:
                say(f"N={n:,}: copying the SQLite store into PostgreSQL (copy_database)…")
                report = await copy_database(source, target)
            finally:
                await source.close()
        finally:
            await target.close()
        copied = time.perf_counter() - began
        if not report.matches:
            raise RuntimeError(f"copy_database counts differ: {report.lines()}")
        rows = sum(a for a, _ in report.counts.values())
        await self.remove(path)
        size = await self.size(url)
        say(f"N={n:,}: {rows:,} rows copied in {copied:.1f} s ({rows / copied:,.0f} rows/s); "
            f"pg_database_size {size / 1e6:,.0f} MB")
        pg = {**facts, "sqlite_bytes": facts["bytes"], "sqlite_database_mb": facts["database_mb"],
              "sqlite_bytes_per_record": facts["bytes_per_record"],
              "built_by": "copy_database", "copy_s": round(copied, 1), "copy_rows": rows,
              "copy_rows_per_s": round(rows / copied),
              "bytes": size, "database_mb": round(size / 1e6),
              "bytes_per_record": round(size / facts["records"])}
        return url, pg

    async def copy(self, source: Target, target: Target) -> None:
        """CREATE DATABASE … TEMPLATE: a file copy of the base, as SQLite's is."""
        await self.remove(target)
        await self._admin(f"CREATE DATABASE {_name_of(target)} TEMPLATE {_name_of(source)}")

    async def remove(self, target: Target) -> None:
        if is_url(target):
            await self._admin(f"DROP DATABASE IF EXISTS {_name_of(target)} WITH (FORCE)")
        else:
            await asyncio.to_thread(remove_database, Path(target))

    async def size(self, target: Target) -> int:
        rows = await self.rows(target, "SELECT pg_database_size(current_database())")
        return int(rows[0][0])

    async def rows(self, target: Target, sql: str, params: Sequence[Any] = ()
                   ) -> list[tuple[Any, ...]]:
        import asyncpg
        conn = await asyncpg.connect(str(target))
        try:
            return [tuple(r) for r in await conn.fetch(placeholders(sql), *params)]
        finally:
            await conn.close()

    def describe(self) -> str:
        settings = ("fsync, synchronous commit and full-page writes off, as in the tests"
                    if self.fast else "fsync and synchronous commit on")
        return (f"PostgreSQL {self.version}, a throwaway cluster on 127.0.0.1 on the same "
                f"machine ({settings}; other settings default)")

    async def close(self) -> None:
        await asyncio.to_thread(self.cluster.stop)


Stores = SqliteStores | PostgresStores


def _name_of(url: Target) -> str:
    return database_name(str(url).rsplit("/", 1)[1])


def _restart_durable(cluster: pgserver.Cluster) -> None:
    """pgserver starts clusters with fsync off (fast tests); a benchmark beside SQLite (which
    syncs its WAL) restarts it with PostgreSQL's durable defaults."""
    # The server's output goes to its log: a pipe to this process would keep run() waiting.
    subprocess.run([*cluster.as_user, str(cluster.bin / "pg_ctl"), "-D",
                    str(cluster.folder / "data"), "-l", str(cluster.folder / "server.log"),
                    "-w", "-m", "fast", "-o",
                    f"-p {cluster.port} -k {cluster.folder} -c listen_addresses=127.0.0.1 "
                    "-c max_connections=200", "restart"], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   timeout=120)


async def _server_version(cluster: pgserver.Cluster) -> str:
    import asyncpg
    conn = await asyncpg.connect(cluster.url())
    try:
        return str(await conn.fetchval("SHOW server_version")).split()[0]
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def opened(store: str, *, fast: bool = False) -> AsyncIterator[Stores]:
    """The backend a run uses, closed (its cluster stopped) at the end."""
    if store not in STORES:
        raise ValueError(f"unknown store {store!r}; choose from {', '.join(STORES)}")
    backend: Stores = SqliteStores() if store == "sqlite" else await PostgresStores.start(
        fast=fast)
    try:
        yield backend
    finally:
        await backend.close()
