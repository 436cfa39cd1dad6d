"""The SQLite connection: pragmas, numbered migrations, and serialised transactions."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.domain.errors import UserError

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class SchemaTooNew(UserError):
    """The database was written by a newer Attaché than this one."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The migration files shipped in the package, in version order, with no gaps."""
    found = []
    for entry in resources.files("bot.stores").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration {migration.name} is out of sequence (want {expected})")
    return found


class Database:
    """One aiosqlite connection for the whole bot.

    aiosqlite runs every statement on one thread, but coroutines can still interleave
    between statements; a single lock around each read and each transaction keeps one
    command from seeing another's half-written change.
    """

    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self._conn = connection
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Database:
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            # A pragma that answers with a row keeps its statement open until the cursor is
            # closed, and an open statement makes the next COMMIT fail: close each one.
            for pragma in ("foreign_keys = ON", "busy_timeout = 5000"):
                await (await conn.execute(f"PRAGMA {pragma}")).close()
            if path != ":memory:":
                await (await conn.execute("PRAGMA journal_mode = WAL")).close()
            db = cls(conn, path)
            if migrate:
                await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        # An unclosed aiosqlite connection keeps its non-daemon thread, and the process, alive.
        await self._conn.close()

    async def schema_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, migrations: list[Migration] | None = None) -> list[str]:
        """Applies each pending migration in a transaction of its own; returns their names."""
        pending = migrations if migrations is not None else bundled_migrations()
        applied = []
        async with self._lock:
            current = await self.schema_version()
            known = max((m.version for m in pending), default=0)
            if current > known:
                # Opening it would let this older code write rows the newer schema forbids.
                raise SchemaTooNew(
                    f"The database {self.path} has schema version {current}, but this "
                    f"Attaché knows versions up to {known}: upgrade Attaché, or restore a "
                    "backup.")
            for migration in pending:
                if migration.version <= current:
                    continue
                # PRAGMA user_version is transactional, so a failed file leaves no trace.
                script = (
                    f"BEGIN IMMEDIATE;\n{migration.sql}\n"
                    f"PRAGMA user_version = {migration.version};\nCOMMIT;"
                )
                try:
                    await self._conn.executescript(script)
                except BaseException:
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise
                log.info("applied migration %s", migration.name)
                applied.append(migration.name)
                current = migration.version
        return applied

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            yield self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """All-or-nothing: any exception rolls back every statement made inside."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    async def integrity_check(self) -> list[str]:
        async with self.read() as conn, conn.execute("PRAGMA integrity_check") as cur:
            return [str(row[0]) for row in await cur.fetchall()]

    async def foreign_key_check(self) -> int:
        async with self.read() as conn, conn.execute("PRAGMA foreign_key_check") as cur:
            return len(list(await cur.fetchall()))

    async def backup(self, target: str | Path) -> None:
        """A consistent copy through SQLite's online backup, safe while the bot runs."""
        target_path = Path(target)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            dest = await aiosqlite.connect(str(target_path))
            try:
                await self._conn.backup(dest)
            finally:
                await dest.close()
