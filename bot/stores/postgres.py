"""PostgreSQL behind the same store interface: an asyncpg pool, connections that take the
stores' `?` statements, numbered migrations and per-server write serialisation."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.config import without_password
from bot.domain.errors import UserError
from bot.stores.database import (
    BUSY,
    Database,
    DatabaseBusy,
    Migration,
    SchemaTooNew,
    bundled_migrations,
    migration_step,
)
from bot.stores.dialect import POSTGRES

try:
    import asyncpg
except ImportError:  # pragma: no cover - the extra is not installed
    asyncpg = None

log = logging.getLogger(__name__)

# Connections per process: a few readers and writers at once, light on a shared server.
POOL_MIN = 1
POOL_MAX = 8
# After the notification connection is lost, listening is tried again after this long,
# doubling up to the most.
RELISTEN_FIRST_S, RELISTEN_MAX_S = 0.5, 30.0
# Held while migrating, so processes started together (shards) migrate once.
_MIGRATION_LOCK = 0x41_74_74_61_63_68  # "Attach"
_VERSION_TABLE = "attache_schema"

_RETURNS_ROWS = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW)\b|\bRETURNING\b", re.IGNORECASE)


@lru_cache(maxsize=2048)
def translate(sql: str) -> tuple[str, bool]:
    """A statement written with `?` placeholders in asyncpg's `$1, $2…` form, and whether
    it returns rows. Question marks inside quoted text are left alone."""
    out: list[str] = []
    number = 0
    quote: str | None = None
    for char in sql:
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "?":
            number += 1
            out.append(f"${number}")
            continue
        out.append(char)
    return "".join(out), bool(_RETURNS_ROWS.search(sql))


def _arg(value: Any) -> Any:
    # SQLite stores booleans as 0/1 and the schema keeps them so; asyncpg wants the int.
    return int(value) if isinstance(value, bool) else value


def _busy(exc: BaseException) -> bool:
    if asyncpg is None:
        return False
    return isinstance(exc, (asyncpg.exceptions.LockNotAvailableError,
                            asyncpg.exceptions.DeadlockDetectedError,
                            asyncpg.exceptions.SerializationError,
                            asyncpg.exceptions.TooManyConnectionsError))


class Cursor:
    """The rows of one statement, read in full (as aiosqlite's cursor offers them)."""

    def __init__(self, rows: Sequence[Any], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    async def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> Sequence[Any]:
        return self._rows

    async def close(self) -> None:
        return None


class _Pending:
    """`await conn.execute(…)` and `async with conn.execute(…) as cur` both work."""

    def __init__(self, run: Any) -> None:
        self._run = run

    def __await__(self) -> Any:
        return self._run.__await__()

    async def __aenter__(self) -> Cursor:
        cursor: Cursor = await self._run
        return cursor

    async def __aexit__(self, *exc: object) -> None:
        return None


class Connection:
    """An asyncpg connection that speaks the stores' statements."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Iterable[Any] = ()) -> _Pending:
        return _Pending(self._execute(sql, tuple(params)))

    async def _execute(self, sql: str, params: tuple[Any, ...]) -> Cursor:
        text, returns = translate(sql)
        args = [_arg(p) for p in params]
        if returns:
            rows = await self.raw.fetch(text, *args)
            return Cursor(rows, len(rows))
        status: str = await self.raw.execute(text, *args)
        # "INSERT 0 3", "UPDATE 2", "DELETE 0": the count is the last word.
        last = status.rsplit(" ", 1)[-1]
        return Cursor([], int(last) if last.isdigit() else -1)

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        batch = [[_arg(v) for v in row] for row in rows]
        if batch:
            await self.raw.executemany(translate(sql)[0], batch)


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database.

    Reads and writes run side by side; writes to the same server queue behind a
    transaction-scoped advisory lock on its id, so a command still never sees another's
    half-written change to its server, across processes too.
    """

    dialect = POSTGRES

    def __init__(self, pool: Any, url: str) -> None:
        self._pool = pool
        self.url = url
        self.path = without_password(url)
        # One connection of its own for notifications: a pooled one goes back to the pool.
        self._listener: Any = None
        self._listening: dict[str, list[Callable[[str], None]]] = {}
        self._relisten: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    async def connect(cls, url: str, *, migrate: bool = True) -> PostgresDatabase:
        if asyncpg is None:
            raise UserError("DATABASE_URL names PostgreSQL, but asyncpg is not installed: "
                            "pip install -e '.[postgresql]'.")
        # Every statement is planned for the values it runs with. asyncpg prepares each
        # statement once per connection, and after five runs PostgreSQL may keep one generic
        # plan for it: a plan for an average server, wrong for a server of 1,000 records and
        # for one of 100,000 alike, and one that parses a search's words again for every row
        # it passes (a search in 100,000 records: 6 ms planned for its words, 255 ms on the
        # generic plan). Planning these statements costs far less than one such miss.
        pool = await asyncpg.create_pool(url, min_size=POOL_MIN, max_size=POOL_MAX,
                                         command_timeout=None,
                                         server_settings={"plan_cache_mode": "force_custom_plan"})
        db = cls(pool, url)
        try:
            if migrate:
                await db.migrate()
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        self._closed = True
        if self._relisten is not None:
            self._relisten.cancel()
        listener, self._listener = self._listener, None
        if listener is not None:
            await listener.close()
        if not self._pool.is_closing():
            await self._pool.close()

    async def refresh_statistics(self) -> None:
        # The planner trusts its statistics, which a bulk load leaves empty or stale until
        # autovacuum's next pass (a minute or more): until then it took record_words for a
        # one-row table and autocomplete went from 5 ms to 2-5 s. VACUUM also marks the new
        # pages all-visible, so the word, country and date indexes answer alone (index-only
        # scans) instead of visiting the table for every entry: autocomplete's prefix range
        # read 21,000 table rows of a big server before that. It visits only pages changed
        # since the last pass, and cannot run inside a transaction (this is its own).
        async with self._pool.acquire() as conn:
            await conn.execute("VACUUM (ANALYZE)")

    async def listen(self, channel: str, callback: Callable[[str], None]) -> bool:
        self._listening.setdefault(channel, []).append(callback)
        if self._listener is None:
            await self._connect_listener()
        else:
            await self._listener.add_listener(channel, self._hear)
        return True

    def _hear(self, _conn: Any, _pid: int, channel: str, payload: str) -> None:
        for callback in self._listening.get(channel, []):
            callback(payload)

    async def _connect_listener(self) -> None:
        listener = await asyncpg.connect(self.url)
        for channel in self._listening:
            await listener.add_listener(channel, self._hear)
        listener.add_termination_listener(self._listener_lost)
        self._listener = listener

    def _listener_lost(self, _conn: Any) -> None:
        """The server restarted or dropped the connection: listen again, in the background,
        so that other processes' changes keep waking this one."""
        if self._closed or self._relisten is not None:
            return
        self._listener = None
        self._relisten = asyncio.get_running_loop().create_task(
            self._listen_again(), name="attache-relisten")

    async def _listen_again(self) -> None:
        delay = RELISTEN_FIRST_S
        try:
            while not self._closed:
                try:
                    await self._connect_listener()
                    log.info("listening for other processes' changes again")
                    # What was notified while deaf is unknown: tell every listener once.
                    for callbacks in self._listening.values():
                        for callback in callbacks:
                            callback("")
                    return
                except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                    log.warning("cannot listen for other processes' changes yet; retrying "
                                "in %.0f s", delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RELISTEN_MAX_S)
        finally:
            self._relisten = None

    async def schema_version(self) -> int:
        async with self._pool.acquire() as raw:
            return await _version(raw)

    async def migrate(self, migrations: list[Migration] | None = None) -> list[str]:
        pending = migrations if migrations is not None else bundled_migrations("postgresql")
        known = max((m.version for m in pending), default=0)
        applied = []
        async with self._pool.acquire() as raw:
            await raw.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
            try:
                await raw.execute(f"CREATE TABLE IF NOT EXISTS {_VERSION_TABLE}"
                                  " (version BIGINT NOT NULL)")
                current = await _version(raw)
                if current > known:
                    raise SchemaTooNew(
                        f"The database {self.path} has schema version {current}, but this "
                        f"Attaché knows versions up to {known}: upgrade Attaché, or restore a "
                        "backup.")
                for migration in pending:
                    if migration.version <= current:
                        continue
                    # The file and the new version commit together, or neither does.
                    step = migration_step(migration.version)
                    async with raw.transaction():
                        await raw.execute(migration.sql)
                        if step is not None:
                            await step(self, Connection(raw))
                        await raw.execute(f"DELETE FROM {_VERSION_TABLE}")
                        await raw.execute(f"INSERT INTO {_VERSION_TABLE} (version) VALUES ($1)",
                                          migration.version)
                    log.info("applied migration %s", migration.name)
                    applied.append(migration.name)
                    current = migration.version
            finally:
                await raw.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
        if applied:
            await self.refresh_statistics()  # a migration may rebuild whole tables (0010)
        return applied

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Connection]:
        async with self._pool.acquire() as raw:
            yield Connection(raw)

    @asynccontextmanager
    async def transaction(
        self, *, wait: float | None = None, guild: int | None = None
    ) -> AsyncIterator[Connection]:
        """All-or-nothing. With `wait`, a write that cannot start (no free connection, or
        the server's lock held by another long write) within that many seconds is refused
        as DatabaseBusy, so a command still answers within Discord's three seconds."""
        try:
            raw = await self._pool.acquire(timeout=wait)
        except TimeoutError:
            raise DatabaseBusy(BUSY) from None
        try:
            tr = raw.transaction()
            await tr.start()
            try:
                if wait is not None:
                    await raw.execute(f"SET LOCAL lock_timeout = '{int(wait * 1000)}ms'")
                if guild is not None:
                    await raw.execute("SELECT pg_advisory_xact_lock($1)", int(guild))
                yield Connection(raw)
            except BaseException as exc:
                await tr.rollback()
                if _busy(exc):
                    raise DatabaseBusy(BUSY) from None
                raise
            else:
                try:
                    await tr.commit()
                except BaseException as exc:
                    if _busy(exc):
                        raise DatabaseBusy(BUSY) from None
                    raise
        finally:
            await self._pool.release(raw)

    async def integrity_check(self) -> list[str]:
        # PostgreSQL checks its pages itself (and refuses to serve a damaged one).
        async with self._pool.acquire() as raw:
            await raw.fetchval("SELECT 1")
        return ["ok"]

    async def foreign_key_check(self) -> int:
        # Foreign keys are always enforced here: no row can break one.
        return 0

    async def backup(self, target: str | Path) -> None:
        """A SQLite file holding the whole desk, read from one snapshot: a copy that any
        Attaché opens, with or without a PostgreSQL server (pg_dump works too)."""
        from bot.stores.copy import copy_database
        from bot.stores.database import SqliteDatabase

        copy = await SqliteDatabase.open_file(target, readers=0)
        try:
            await copy_database(self, copy)
        finally:
            await copy.close()


async def _version(raw: Any) -> int:
    exists = await raw.fetchval("SELECT to_regclass($1)", _VERSION_TABLE)
    if exists is None:
        return 0
    value = await raw.fetchval(f"SELECT max(version) FROM {_VERSION_TABLE}")
    return int(value or 0)
